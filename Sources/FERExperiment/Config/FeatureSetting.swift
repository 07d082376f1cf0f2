import FERFeatures
import FERMath

/// The kind of features a model sees.
public enum FeatureKind: String, Sendable, CaseIterable, Codable {
    /// Scaled pixels (the notebooks).
    case pixels
    /// Histograms of oriented gradients.
    case hog
    /// Local binary pattern histograms.
    case lbp
    /// HOG and LBP side by side.
    case hogLBP = "hog+lbp"

    /// The extractor for this kind with the configured settings.
    func extractor(scaling: Scaling, features: ExperimentConfig.FeaturesSection) -> FeatureExtractor {
        switch self {
        case .pixels: return .pixels(scaling)
        case .hog: return .hog(features.hog)
        case .lbp: return .lbp(features.lbp)
        case .hogLBP: return .hogLBP(features.hog, features.lbp)
        }
    }
}

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
        let names: [FeatureKind: String] = [.pixels: "pixels", .hog: "HOG", .lbp: "LBP", .hogLBP: "HOG+LBP"]
        return
            "\(names[features] ?? features.rawValue), \(reducer == .pca ? "PCA" : "SVD") \(components)\(whiten ? ", whitened" : "")"
    }

    /// A file- and stage-name-safe identifier: `hog-pca-50-w`.
    public var identifier: String {
        "\(features.rawValue.replacingOccurrences(of: "+", with: "-"))-\(reducer.rawValue)-\(components)\(whiten ? "-w" : "")"
    }
}
