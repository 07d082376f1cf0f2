import FERFeatures
import FERMath

/// One model setting: features, reducer, components, whitening, clusterer.
package struct FeatureSetting: Sendable, Equatable, Hashable {
    /// What the model sees.
    package var features: FeatureKind
    /// The reducer.
    package var reducer: Projection.Method
    /// Components kept.
    package var components: Int
    /// Scale the components to unit variance.
    package var whiten: Bool
    /// How the components are clustered.
    package var method: ClusterMethod

    /// A setting.
    package init(
        features: FeatureKind, reducer: Projection.Method, components: Int, whiten: Bool,
        method: ClusterMethod = .kmeans
    ) {
        self.features = features
        self.reducer = reducer
        self.components = components
        self.whiten = whiten
        self.method = method
    }

    /// A readable name: `HOG, PCA 50, whitened`; a clusterer other than k-means is named last
    /// (`HOG, PCA 50, Gaussian mixture`).
    package var title: String {
        "\(features.title), \(reducer.shortTitle) \(components)\(whiten ? ", whitened" : "")"
            + (method == .kmeans ? "" : ", \(method.title)")
    }

    /// A file- and stage-name-safe identifier: `hog-pca-50-w`, with a clusterer other than k-means last
    /// (`hog-pca-50-w-gmm`).
    package var identifier: String {
        "\(features.identifier)-\(reducer.rawValue)-\(components)\(whiten ? "-w" : "")"
            + (method == .kmeans ? "" : "-\(method.rawValue)")
    }
}
