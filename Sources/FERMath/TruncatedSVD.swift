/// Truncated SVD of uncentred data (latent semantic analysis), as
/// scikit-learn's `TruncatedSVD` with its default randomized algorithm.
package struct TruncatedSVD: Sendable, Equatable {
    /// Number of components to keep.
    package var components: Int
    /// Power iterations (scikit-learn's default is 5).
    package var powerIterations: Int
    /// Extra sketch columns.
    package var oversamples: Int
    /// Seed of the random sketch.
    package var seed: UInt64

    /// Configures a truncated SVD.
    package init(components: Int, powerIterations: Int = 5, oversamples: Int = 10, seed: UInt64 = 0) {
        self.components = components
        self.powerIterations = powerIterations
        self.oversamples = oversamples
        self.seed = seed
    }

    /// Learns the components of `x` (not centred).
    package func fit(_ x: Matrix) throws -> Projection {
        try checkShape(rows: x.rows, columns: x.columns)
        let (singular, vt) = try RandomizedSVD.decompose(
            x, mean: [], rank: components, oversamples: oversamples,
            powerIterations: powerIterations, seed: seed)
        let directions = flipped(vt, columns: x.columns)
        // As scikit-learn: the variance of the transformed data (not the singular values) per component.
        let variance = projection(directions, singular: singular, variance: [], ratio: [], rows: x.rows)
            .transform(x).columnStatistics().variances
        let total = x.columnStatistics().variances.reduce(0, +)
        return projection(
            directions, singular: singular, variance: variance,
            ratio: variance.map { total > 0 ? $0 / total : 0 }, rows: x.rows)
    }

    /// Learns the components of the rows `scatter` describes: the same fit
    /// as on the rows themselves, without them.
    package func fit(_ scatter: ScatterMatrix) throws -> Projection {
        let n = scatter.rows, d = scatter.columns
        try checkShape(rows: n, columns: d)
        let (singular, vt) = try RandomizedSVD.decompose(
            scatter, centred: false, rank: components, oversamples: oversamples,
            powerIterations: powerIterations, seed: seed)
        let directions = flipped(vt, columns: d)
        // The scores' variance along v is vᵀ(centred MᵀM)v / n.
        let centredAlong = scatter.normalProduct(
            directions.values.map(Double.init).transposed(rows: components, columns: d),
            width: components, centred: true)
        let variance = (0..<components).map { component in
            (0..<d).reduce(0.0) { sum, feature in
                sum + Double(directions[component, feature]) * centredAlong[feature * components + component]
            } / Double(max(1, n))
        }
        let total = scatter.centredSquares.reduce(0, +) / Double(max(1, n))
        return projection(
            directions, singular: singular, variance: variance,
            ratio: variance.map { total > 0 ? $0 / total : 0 }, rows: n)
    }

    private func checkShape(rows n: Int, columns d: Int) throws {
        guard components >= 1, components <= min(n, d) else {
            throw MathError.invalidParameters(
                "TruncatedSVD needs 1 to \(min(n, d)) components for \(n) rows of \(d) features, not \(components)")
        }
    }

    private func flipped(_ vt: [Double], columns d: Int) -> Matrix {
        var vt = vt
        SignConvention.flip(&vt, rows: components, columns: d)
        return Matrix(rows: components, columns: d, values: vt.map(Float.init))
    }

    private func projection(
        _ directions: Matrix, singular: [Double], variance: [Double], ratio: [Double],
        rows: Int
    ) -> Projection {
        Projection(
            method: .truncatedSVD, mean: [Float](repeating: 0, count: directions.columns), components: directions,
            explainedVariance: variance, explainedVarianceRatio: ratio, singularValues: singular, samples: rows)
    }
}

private extension Array where Element == Double {
    /// The `columns x rows` transpose of a row-major `rows x columns` matrix.
    func transposed(rows: Int, columns: Int) -> [Double] {
        var result = [Double](repeating: 0, count: count)
        for row in 0..<rows { for column in 0..<columns { result[column * rows + row] = self[row * columns + column] } }
        return result
    }
}
