/// A way of reducing feature rows to a few components by a fitted linear
/// projection: a plug-in of `Reducers`. It says what a config calls it and
/// how pages name it, and fits on rows or on their scatter matrix alone.
package protocol Reducer: Sendable {
    /// What a config calls it (`models.reducers`, `models.final`, `features.compare`), and model files store.
    static var name: String { get }
    /// How pages name it: `PCA`, `TruncatedSVD`.
    static var title: String { get }
    /// Its short name in a setting's title: `PCA`, `SVD`.
    static var shortTitle: String { get }
    /// What a figure's axis calls one of its components.
    static var axisTitle: String { get }
    /// Whether it centres the rows before projecting (its scatter matrices are taken about the column means).
    static var centres: Bool { get }

    /// The reducer keeping `components`, with `seed` for any random sketch.
    init(components: Int, seed: UInt64)
    /// Learns the components of `x`.
    /// - Throws: `MathError.invalidParameters` when the components do not fit the data.
    func fit(_ x: Matrix) throws -> Projection
    /// Learns the components of the rows `scatter` describes.
    /// - Throws: `MathError.invalidParameters` when the components do not fit the data.
    func fit(_ scatter: ScatterMatrix) throws -> Projection
}

/// Every reducer FERLab knows: the one list a new reducer is added to.
package enum Reducers {
    /// The reducers, in the order configs list them.
    package static let all: [any Reducer.Type] = [PCA.self, TruncatedSVD.self]
}

extension PCA: Reducer {
    package static let name = "pca"
    package static let title = "PCA"
    package static let shortTitle = "PCA"
    package static let axisTitle = "Principal component"
    package static let centres = true

    package init(components: Int, seed: UInt64) {
        self.init(components: components, solver: .auto, seed: seed)
    }
}

extension TruncatedSVD: Reducer {
    package static let name = "svd"
    package static let title = "TruncatedSVD"
    package static let shortTitle = "SVD"
    package static let axisTitle = "SVD component"
    package static let centres = false

    package init(components: Int, seed: UInt64) {
        self.init(components: components, powerIterations: 5, seed: seed)
    }
}
