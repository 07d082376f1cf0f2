import FERCore
import Foundation

/// Every feature method FERLab knows, by config name: the one list a new
/// method is added to.
package enum FeatureMethods {
    /// The methods, in the order configs and pages list them.
    package static let all: [any FeatureMethod.Type] = [
        ScaledPixels.self,
        HOGFeatures.self,
        LBPFeatures.self,
        HOGAndLBP.self,
        LandmarkShapes.self,
        AlignedHOG.self,
        LandmarksAndAlignedHOG.self,
        FileEmbeddings.self,
        ProgramEmbeddings.self,
    ]

    /// The method model files store under `codingName`, if any.
    static func coded(_ codingName: String) -> (any FeatureMethod.Type)? {
        all.first { $0.codingName == codingName }
    }
}

/// What a config names as a model's features: one of `FeatureMethods`, by
/// its config name.
package struct FeatureKind: RegisteredChoice {
    /// The method.
    package let method: any FeatureMethod.Type

    /// The kind of `method`.
    package init(_ method: any FeatureMethod.Type) {
        self.method = method
    }

    package static var registry: [any FeatureMethod.Type] { FeatureMethods.all }
    package static func name(of plugin: any FeatureMethod.Type) -> String { plugin.name }

    /// What a config calls it.
    package var rawValue: String { method.name }
    /// How pages name it.
    package var title: String { method.title }
    /// A file- and stage-name-safe form of its name: `hog-lbp`.
    package var identifier: String { rawValue.replacingOccurrences(of: "+", with: "-") }
    /// Its name and what it is, for the README: `` `pixels` (scaled) ``.
    package var summary: String { "`\(rawValue)`" + (method.summary.isEmpty ? "" : " (\(method.summary))") }
    /// Whether it reads the images' landmarks.
    package var needsLandmarks: Bool { method.needsLandmarks }
    /// Whether it reads a user's embeddings of the images.
    package var needsEmbeddings: Bool { method.needsEmbeddings }

    /// The method with a config's settings.
    package func extractor(_ configuration: FeatureConfiguration) -> FeatureExtractor {
        FeatureExtractor(method.init(configuration: configuration))
    }

    /// Scaled pixels (the notebooks).
    package static let pixels = FeatureKind(ScaledPixels.self)
    /// Histograms of oriented gradients.
    package static let hog = FeatureKind(HOGFeatures.self)
    /// Local binary pattern histograms.
    package static let lbp = FeatureKind(LBPFeatures.self)
    /// HOG and LBP side by side.
    package static let hogLBP = FeatureKind(HOGAndLBP.self)
}
