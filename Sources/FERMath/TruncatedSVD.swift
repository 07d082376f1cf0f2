/// Truncated SVD of uncentred data (latent semantic analysis), as
/// scikit-learn's `TruncatedSVD` with its default randomized algorithm.
public struct TruncatedSVD: Sendable, Equatable {
    /// Number of components to keep.
    public var components: Int
    /// Power iterations (scikit-learn's default is 5).
    public var powerIterations: Int
    /// Extra sketch columns.
    public var oversamples: Int
    /// Seed of the random sketch.
    public var seed: UInt64

    /// Configures a truncated SVD.
    public init(components: Int, powerIterations: Int = 5, oversamples: Int = 10, seed: UInt64 = 0) {
        self.components = components
        self.powerIterations = powerIterations
        self.oversamples = oversamples
        self.seed = seed
    }

    /// Learns the components of `x` (not centred).
    public func fit(_ x: Matrix) throws -> Projection {
        let n = x.rows, d = x.columns
        guard components >= 1, components <= min(n, d) else {
            throw MathError.invalidParameters("TruncatedSVD needs 1 to \(min(n, d)) components for \(n) rows of \(d) features, not \(components)")
        }
        var (singular, vt) = try RandomizedSVD.decompose(x, mean: [], rank: components, oversamples: oversamples,
                                                         powerIterations: powerIterations, seed: seed)
        SignConvention.flip(&vt, rows: components, columns: d)
        let projection = Projection(method: .truncatedSVD, mean: [Float](repeating: 0, count: d),
                                    components: Matrix(rows: components, columns: d, values: vt.map(Float.init)),
                                    explainedVariance: [], explainedVarianceRatio: [], singularValues: singular,
                                    samples: n)
        // As scikit-learn: the variance of the transformed data (not the singular values) per component.
        let scores = projection.transform(x)
        let variance = scores.columnStatistics().variances
        let total = x.columnStatistics().variances.reduce(0, +)
        return Projection(method: .truncatedSVD, mean: projection.mean, components: projection.components,
                          explainedVariance: variance, explainedVarianceRatio: variance.map { total > 0 ? $0 / total : 0 },
                          singularValues: singular, samples: n)
    }
}
