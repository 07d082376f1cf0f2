import FERCore

/// What a clustering score looks like on data with no clusters at all: a
/// Gaussian cloud with the same size, mean and covariance as the data,
/// clustered the same way. A silhouette is only evidence of structure when it
/// clearly beats this baseline.
public enum StructurelessBaseline {
    /// A Gaussian sample with the row count, mean and covariance of `x`.
    public static func gaussianLike(_ x: Matrix, seed: UInt64) throws -> Matrix {
        let n = x.rows, d = x.columns
        let mean = x.columnStatistics().means
        var centred = [Double](repeating: 0, count: n * d)
        for row in 0..<n { for column in 0..<d { centred[row * d + column] = Double(x[row, column]) - mean[column] } }
        var covariance = LinearAlgebra.gram(centred, rows: n, columns: d).map { $0 / Double(max(1, n - 1)) }
        // A tiny ridge keeps the factorisation defined for degenerate directions.
        let scale = (0..<d).reduce(0.0) { $0 + covariance[$1 * d + $1] } / Double(max(1, d))
        for i in 0..<d { covariance[i * d + i] += max(1e-12, scale * 1e-9) }
        let factor = try LinearAlgebra.cholesky(covariance, size: d)
        var random = SeededGenerator(seed: seed)
        var values = [Float](repeating: 0, count: n * d)
        var z = [Double](repeating: 0, count: d)
        for row in 0..<n {
            for i in 0..<d { z[i] = random.normal() }
            for i in 0..<d {
                var sum = mean[i]
                for j in 0...i { sum += factor[i * d + j] * z[j] }
                values[row * d + i] = Float(sum)
            }
        }
        return Matrix(rows: n, columns: d, values: values)
    }

    /// The silhouette `kmeans` reaches on a Gaussian sample shaped like `x`
    /// (estimated on samples of the cloud as `sampling` says).
    public static func silhouette(like x: Matrix, kmeans: KMeans, seed: UInt64,
                                  sampling: SilhouetteSampling = .exact) throws -> Double {
        let cloud = try gaussianLike(x, seed: seed)
        let clustering = try kmeans.fit(cloud)
        return try sampling.score(cloud, labels: clustering.labels, clusters: kmeans.clusters).score
    }
}
