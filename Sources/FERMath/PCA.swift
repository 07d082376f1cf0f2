/// Principal component analysis: centres the data and finds the directions
/// of largest variance, as scikit-learn's `PCA`.
///
/// The exact solver eigendecomposes the covariance matrix in `Double`; the
/// randomized solver (what scikit-learn picks for FER2013-sized data) sketches
/// the top components with a few passes over the data. `auto` chooses as
/// scikit-learn does: exact for small data or many components, else randomized.
package struct PCA: Sendable, Equatable {
    /// How the components are computed.
    package enum Solver: String, Sendable, Codable {
        /// Exact for small inputs, randomized otherwise.
        case auto
        /// Eigendecomposition of the covariance matrix.
        case exact
        /// Randomized SVD with power iterations.
        case randomized
    }

    /// Number of components to keep.
    package var components: Int
    /// The solver.
    package var solver: Solver
    /// Power iterations of the randomized solver; `nil` chooses as scikit-learn
    /// (7 when few components are asked for, else 4).
    package var powerIterations: Int?
    /// Extra sketch columns of the randomized solver.
    package var oversamples: Int
    /// Seed of the randomized solver.
    package var seed: UInt64

    /// Configures a PCA.
    package init(
        components: Int, solver: Solver = .auto, powerIterations: Int? = nil,
        oversamples: Int = 10, seed: UInt64 = 0
    ) {
        self.components = components
        self.solver = solver
        self.powerIterations = powerIterations
        self.oversamples = oversamples
        self.seed = seed
    }

    /// The solver `auto` resolves to for data of this shape.
    package func resolvedSolver(rows: Int, columns: Int) -> Solver {
        guard solver == .auto else { return solver }
        if max(rows, columns) <= 500 || Double(components) >= 0.8 * Double(min(rows, columns)) { return .exact }
        return .randomized
    }

    /// Learns the components of `x`.
    /// - Throws: `MathError.invalidParameters` when `components` does not fit the data.
    package func fit(_ x: Matrix) throws -> Projection {
        let n = x.rows, d = x.columns
        try checkShape(rows: n, columns: d)
        let statistics = x.columnStatistics()
        let totalVariance = statistics.variances.reduce(0, +) * Double(n) / Double(max(1, n - 1))
        return try fitted(
            rows: n, columns: d, mean: statistics.means, totalVariance: totalVariance,
            covariance: {
                let mean = statistics.means
                var centred = [Double](repeating: 0, count: n * d)
                for row in 0..<n {
                    for column in 0..<d { centred[row * d + column] = Double(x[row, column]) - mean[column] }
                }
                return LinearAlgebra.gram(centred, rows: n, columns: d)
            },
            sketch: { iterations in
                try RandomizedSVD.decompose(
                    x, mean: statistics.means, rank: components, oversamples: oversamples,
                    powerIterations: iterations, seed: seed)
            })
    }

    /// Learns the components of the rows `scatter` describes: the same fit
    /// as on the rows themselves, without them.
    /// - Throws: `MathError.invalidParameters` when `components` does not fit the data.
    package func fit(_ scatter: ScatterMatrix) throws -> Projection {
        let n = scatter.rows, d = scatter.columns
        try checkShape(rows: n, columns: d)
        let totalVariance = scatter.centredSquares.reduce(0, +) / Double(max(1, n - 1))
        return try fitted(
            rows: n, columns: d, mean: scatter.mean, totalVariance: totalVariance,
            covariance: { scatter.centredProducts() },
            sketch: { iterations in
                try RandomizedSVD.decompose(
                    scatter, centred: true, rank: components, oversamples: oversamples,
                    powerIterations: iterations, seed: seed)
            })
    }

    private func checkShape(rows n: Int, columns d: Int) throws {
        guard components >= 1, components <= min(n, d) else {
            throw MathError.invalidParameters(
                "PCA needs 1 to \(min(n, d)) components for \(n) rows of \(d) features, not \(components)")
        }
    }

    /// The projection from the solver `auto` picks: `covariance` gives the
    /// centred `MᵀM` for the exact solver, `sketch` runs the randomized one.
    private func fitted(
        rows n: Int, columns d: Int, mean: [Double], totalVariance: Double,
        covariance: () -> [Double],
        sketch: (_ powerIterations: Int) throws -> (s: [Double], vt: [Double])
    ) throws -> Projection {
        var singular: [Double]
        var vt: [Double]
        switch resolvedSolver(rows: n, columns: d) {
        case .exact, .auto:
            let (values, vectors) = try LinearAlgebra.symmetricEigen(covariance(), size: d)
            singular = values.prefix(components).map { max(0, $0).squareRoot() }
            vt = Array(vectors.prefix(components * d))
        case .randomized:
            (singular, vt) = try sketch(powerIterations ?? (Double(components) < 0.1 * Double(min(n, d)) ? 7 : 4))
        }
        SignConvention.flip(&vt, rows: components, columns: d)
        let variance = singular.map { $0 * $0 / Double(max(1, n - 1)) }
        return Projection(
            method: .pca, mean: mean.map(Float.init),
            components: Matrix(rows: components, columns: d, values: vt.map(Float.init)),
            explainedVariance: variance,
            explainedVarianceRatio: variance.map { totalVariance > 0 ? $0 / totalVariance : 0 },
            singularValues: singular, samples: n)
    }
}
