import FERCore

/// A fitted linear projection onto a few directions: what PCA and
/// TruncatedSVD learn. `transform` maps rows to component scores;
/// `inverseTransform` maps scores back to feature space (reconstructions,
/// eigenfaces).
package struct Projection: Sendable, Equatable, Codable {
    /// Which reducer produced it: one of `Reducers`, by name.
    package struct Method: RegisteredChoice {
        /// The reducer's type.
        package let type: any Reducer.Type

        /// The method of `type`.
        package init(_ type: any Reducer.Type) {
            self.type = type
        }

        package static var registry: [any Reducer.Type] { Reducers.all }
        package static func name(of plugin: any Reducer.Type) -> String { plugin.name }

        /// What a config calls it.
        package var rawValue: String { type.name }
        /// How pages name it: `PCA`, `TruncatedSVD`.
        package var title: String { type.title }
        /// Its short name in a setting's title: `PCA`, `SVD`.
        package var shortTitle: String { type.shortTitle }
        /// What a figure's axis calls one of its components.
        package var axisTitle: String { type.axisTitle }
        /// Whether it centres the rows before projecting.
        package var centres: Bool { type.centres }

        /// The reducer keeping `components`, with `seed` for any random sketch.
        package func make(components: Int, seed: UInt64) -> any Reducer {
            type.init(components: components, seed: seed)
        }

        /// Centred principal component analysis.
        package static let pca = Method(PCA.self)
        /// Uncentred truncated singular value decomposition.
        package static let truncatedSVD = Method(TruncatedSVD.self)
    }

    /// Which estimator produced it.
    package let method: Method
    /// The per-feature mean subtracted before projecting (zeros for TruncatedSVD).
    package let mean: [Float]
    /// The directions, one per row (`components x features`), unit length,
    /// each with its largest-magnitude entry positive.
    package let components: Matrix
    /// Variance of the data along each component.
    package let explainedVariance: [Double]
    /// `explainedVariance` as a fraction of the data's total variance.
    package let explainedVarianceRatio: [Double]
    /// Singular values of the (centred, for PCA) data along each component.
    package let singularValues: [Double]
    /// Number of rows it was fitted on.
    package let samples: Int

    /// Restores a fitted projection (from a cache, say); the fit methods of
    /// `PCA` and `TruncatedSVD` are the way to make one.
    package init(
        method: Method, mean: [Float], components: Matrix, explainedVariance: [Double],
        explainedVarianceRatio: [Double], singularValues: [Double], samples: Int
    ) {
        self.method = method
        self.mean = mean
        self.components = components
        self.explainedVariance = explainedVariance
        self.explainedVarianceRatio = explainedVarianceRatio
        self.singularValues = singularValues
        self.samples = samples
    }

    /// Number of components.
    package var componentCount: Int { components.rows }

    /// The component scores of `x`; with `whiten`, each component scaled to unit variance (scikit-learn's
    /// `PCA(whiten=True)`).
    package func scores(of x: Matrix, whiten: Bool) -> Matrix {
        scores(fromProducts: Self.products(of: x, with: components), whiten: whiten)
    }

    /// The component scores of `x` under each of `projections` (fitted on features like `x`'s), each what
    /// `scores(of:whiten:)` gives, from one product of `x` with all their components: the rows are read once,
    /// not once per projection (the cross-validation folds' reducers).
    package static func scores(of x: Matrix, under projections: [Projection], whiten: Bool) -> [Matrix] {
        let directions = Matrix(
            rows: projections.reduce(0) { $0 + $1.componentCount }, columns: x.columns,
            values: projections.flatMap(\.components.values))
        let products = Self.products(of: x, with: directions)
        var first = 0
        return projections.map { projection in
            defer { first += projection.componentCount }
            return projection.scores(
                fromProducts: products.selecting(columns: first..<(first + projection.componentCount)), whiten: whiten)
        }
    }

    /// The scores from the rows' products with the components: less the mean's projection, whitened or not.
    private func scores(fromProducts products: Matrix, whiten: Bool) -> Matrix {
        let scores = centred(products)
        guard whiten else { return scores }
        return scores.scalingColumns(scale: explainedVariance.map { Float(1 / max($0, 1e-12).squareRoot()) })
    }

    /// Component scores of each row of `x`: `(x - mean) · componentsᵀ`.
    package func transform(_ x: Matrix) -> Matrix {
        centred(Self.products(of: x, with: components))
    }

    /// `x · directionsᵀ`, one row per row of `x`.
    private static func products(of x: Matrix, with directions: Matrix) -> Matrix {
        precondition(x.columns == directions.columns, "rows must have as many features as the fitted data")
        let k = directions.rows, d = x.columns
        var products = [Float](repeating: 0, count: x.rows * k)
        // Rows are independent: blocks of rows run on all cores, each its own product.
        products.withUnsafeMutableBufferPointer { out in
            let target = SendablePointer(out.baseAddress!)
            ParallelLoop.forEachChunk(count: x.rows, chunks: max(1, min(64, x.rows / 1024))) { _, rows in
                x.values.withUnsafeBufferPointer { data in
                    directions.values.withUnsafeBufferPointer { directions in
                        LinearAlgebra.gemm(
                            data.baseAddress! + rows.lowerBound * d, transposeA: false, directions.baseAddress!,
                            transposeB: true, into: target.pointer + rows.lowerBound * k,
                            m: rows.count, n: k, k: d)
                    }
                }
            }
        }
        return Matrix(rows: x.rows, columns: k, values: products)
    }

    /// `products` (of rows with the components) less the mean's projection, computed in Double, from every row.
    private func centred(_ products: Matrix) -> Matrix {
        let k = componentCount
        var scores = products.values
        let offsets: [Float] = (0..<k).map { component in
            var sum = 0.0
            for feature in 0..<components.columns {
                sum += Double(mean[feature]) * Double(components[component, feature])
            }
            return Float(sum)
        }
        if offsets.contains(where: { $0 != 0 }) {
            for row in 0..<products.rows {
                for component in 0..<k { scores[row * k + component] -= offsets[component] }
            }
        }
        return Matrix(rows: products.rows, columns: k, values: scores)
    }

    /// Feature-space points for component scores: `scores · components + mean`.
    package func inverseTransform(_ scores: Matrix) -> Matrix {
        precondition(scores.columns == components.rows, "scores must have one column per component")
        let d = components.columns
        var result = [Float](repeating: 0, count: scores.rows * d)
        for row in 0..<scores.rows { result.replaceSubrange((row * d)..<((row + 1) * d), with: mean) }
        scores.values.withUnsafeBufferPointer { s in
            components.values.withUnsafeBufferPointer { c in
                result.withUnsafeMutableBufferPointer { out in
                    LinearAlgebra.gemm(
                        s.baseAddress!, transposeA: false, c.baseAddress!, transposeB: false,
                        into: out.baseAddress!, m: scores.rows, n: d, k: scores.columns, beta: 1)
                }
            }
        }
        return Matrix(rows: scores.rows, columns: d, values: result)
    }
}
