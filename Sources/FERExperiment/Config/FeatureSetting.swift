import FERFeatures
import FERMath

/// One model setting: features, reducer, components, whitening.
public struct FeatureSetting: Sendable, Equatable, Hashable {
    /// What the model sees.
    public var features: FeatureKind
    /// The reducer.
    public var reducer: Projection.Method
    /// Components kept.
    public var components: Int
    /// Scale the components to unit variance.
    public var whiten: Bool

    /// A setting.
    public init(features: FeatureKind, reducer: Projection.Method, components: Int, whiten: Bool) {
        self.features = features
        self.reducer = reducer
        self.components = components
        self.whiten = whiten
    }

    /// A readable name: `HOG, PCA 50, whitened`.
    public var title: String {
        "\(features.title), \(reducer.shortTitle) \(components)\(whiten ? ", whitened" : "")"
    }

    /// A file- and stage-name-safe identifier: `hog-pca-50-w`.
    public var identifier: String {
        "\(features.identifier)-\(reducer.rawValue)-\(components)\(whiten ? "-w" : "")"
    }
}
