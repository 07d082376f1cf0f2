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
        hog.features(of: batch, aligned: false)
    }
}

extension HOG {
    /// HOG of every image of `batch` on all cores, each face first warped onto `FaceAlignment.places` when
    /// `aligned`.
    func features(of batch: FaceBatch, aligned: Bool) -> Matrix {
        let (hog, width, height) = (self, batch.width, batch.height)
        let bins = OrientationBins(orientations: orientations)
        return ImageByImage.features(
            of: batch, length: dimension(width: width, height: height), aligned: aligned
        ) { image, out in
            hog.describe(image, width: width, height: height, into: out, bins: bins)
        }
    }
}
