import FERCore

/// What a clustering score looks like on data with no clusters at all: a
/// Gaussian cloud with the same size, mean and covariance as the data,
/// clustered the same way. A silhouette is only evidence of structure when it
/// clearly beats this baseline.
package enum StructurelessBaseline {
    /// A Gaussian sample with the mean and covariance of `x`, of `rows` rows (default: as many as `x`).
    package static func gaussianLike(_ x: Matrix, seed: UInt64, rows: Int? = nil) throws -> Matrix {
        let n = x.rows, d = x.columns, drawn = rows ?? n
        let mean = x.columnStatistics().means
        var centred = [Double](repeating: 0, count: n * d)
        for row in 0..<n { for column in 0..<d { centred[row * d + column] = Double(x[row, column]) - mean[column] } }
        var covariance = LinearAlgebra.gram(centred, rows: n, columns: d).map { $0 / Double(max(1, n - 1)) }
        // A tiny ridge keeps the factorisation defined for degenerate directions.
        let scale = (0..<d).reduce(0.0) { $0 + covariance[$1 * d + $1] } / Double(max(1, d))
        for i in 0..<d { covariance[i * d + i] += max(1e-12, scale * 1e-9) }
        let factor = try LinearAlgebra.cholesky(covariance, size: d)
        var random = SeededGenerator(seed: seed)
        var values = [Float](repeating: 0, count: drawn * d)
        var z = [Double](repeating: 0, count: d)
        for row in 0..<drawn {
            for i in 0..<d { z[i] = random.normal() }
            for i in 0..<d {
                var sum = mean[i]
                for j in 0...i { sum += factor[i * d + j] * z[j] }
                values[row * d + i] = Float(sum)
            }
        }
        return Matrix(rows: drawn, columns: d, values: values)
    }

    /// The silhouette `clusterer` reaches on a Gaussian sample shaped like `x`.
    /// When `sampling` samples rows as many as `x` has, the cloud has a
    /// sample's size instead, and its silhouette is exact: a structureless
    /// cloud's silhouette hardly depends on its size, and k-means on a cloud,
    /// which never settles into clusters, is the slowest fit of a run.
    package static func silhouette(
        like x: Matrix, clusterer: any Clusterer, seed: UInt64,
        sampling: SilhouetteSampling = .exact
    ) throws -> Double {
        let cloud = try gaussianLike(x, seed: seed, rows: sampling.samples(x.rows) ? sampling.threshold : nil)
        let clustering = try clusterer.cluster(cloud).clustering
        return try Silhouette.score(cloud, labels: clustering.labels, clusters: clustering.clusterCount)
    }
}
