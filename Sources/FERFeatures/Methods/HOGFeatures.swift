import FERMath

/// Histograms of oriented gradients (scikit-image's `hog`).
public struct HOGFeatures: FeatureMethod {
    public static let name = "hog"
    public static let title = "HOG"
    public static let codingName = "hog"

    /// HOG's settings.
    public var hog: HOG

    private enum CodingKeys: String, CodingKey {
        case hog = "_0"
    }

    /// HOG with `hog`'s settings.
    public init(_ hog: HOG) {
        self.hog = hog
    }

    public init(configuration: FeatureConfiguration) {
        self.init(configuration.hog)
    }

    public func dimension(width: Int, height: Int) -> Int { hog.dimension(width: width, height: height) }

    public var settingsProblem: String? { hog.settingsProblem }

    public func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        let (hog, width, height) = (hog, batch.width, batch.height)
        let bins = HOG.OrientationBins(orientations: hog.orientations)
        return ImageByImage.features(
            of: batch, length: dimension(width: width, height: height), aligned: false
        ) { image, out in
            hog.describe(image, width: width, height: height, into: out, bins: bins)
        }
    }
}
