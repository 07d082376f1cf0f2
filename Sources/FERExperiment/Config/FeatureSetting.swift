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
    /// The shape of the inner-face landmarks, Procrustes-aligned.
    case landmarks
    /// HOG of the face aligned on its eyes and mouth.
    case alignedHOG = "aligned-hog"
    /// Landmark shapes and aligned HOG, each block standardised and reduced on its own.
    case landmarksAlignedHOG = "landmarks+aligned-hog"

    /// The extractor for this kind with the configured settings; `seed` seeds the blocks' PCA.
    func extractor(scaling: Scaling, features: ExperimentConfig.FeaturesSection, seed: UInt64) -> FeatureExtractor {
        switch self {
        case .pixels: return .pixels(scaling)
        case .hog: return .hog(features.hog)
        case .lbp: return .lbp(features.lbp)
        case .hogLBP: return .hogLBP(features.hog, features.lbp)
        case .landmarks: return .landmarks
        case .alignedHOG: return .alignedHOG(features.hog)
        case .landmarksAlignedHOG:
            return .blocks(
                [.landmarks, .alignedHOG(features.hog)],
                components: [features.blocks.landmarks, features.blocks.alignedHOG], seed: seed)
        }
    }

    /// How pages name it.
    var displayName: String {
        switch self {
        case .pixels: return "pixels"
        case .hog: return "HOG"
        case .lbp: return "LBP"
        case .hogLBP: return "HOG+LBP"
        case .landmarks: return "landmarks"
        case .alignedHOG: return "aligned HOG"
        case .landmarksAlignedHOG: return "landmarks+aligned HOG"
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
        "\(features.displayName), \(reducer == .pca ? "PCA" : "SVD") \(components)\(whiten ? ", whitened" : "")"
    }

    /// A file- and stage-name-safe identifier: `hog-pca-50-w`.
    public var identifier: String {
        "\(features.rawValue.replacingOccurrences(of: "+", with: "-"))-\(reducer.rawValue)-\(components)\(whiten ? "-w" : "")"
    }
}
