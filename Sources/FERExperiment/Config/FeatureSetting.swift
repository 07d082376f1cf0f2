import FERFeatures
import FERMath

/// One model setting: features, reducer, components, whitening.
package struct FeatureSetting: Sendable, Equatable, Hashable {
    /// What the model sees.
    package var features: FeatureKind
    /// The reducer.
    package var reducer: Projection.Method
    /// Components kept.
    package var components: Int
    /// Scale the components to unit variance.
    package var whiten: Bool

    /// A setting.
    package init(features: FeatureKind, reducer: Projection.Method, components: Int, whiten: Bool) {
        self.features = features
        self.reducer = reducer
        self.components = components
        self.whiten = whiten
    }

    /// A readable name: `HOG, PCA 50, whitened`.
    package var title: String {
        "\(features.title), \(reducer.shortTitle) \(components)\(whiten ? ", whitened" : "")"
    }

    /// A file- and stage-name-safe identifier: `hog-pca-50-w`.
    package var identifier: String {
        "\(features.identifier)-\(reducer.rawValue)-\(components)\(whiten ? "-w" : "")"
    }
}
