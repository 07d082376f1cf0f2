import FERMath

/// HOG of the face warped so that its eyes and mouth sit at `FaceAlignment.places`.
public struct AlignedHOG: FeatureMethod {
    public static let name = "aligned-hog"
    public static let title = "aligned HOG"
    public static let codingName = "alignedHOG"
    public static let summary =
        "HOG of the face warped so that its eye centres sit at 32% and 68% of the width and 38% of the height, its mouth centre at 50% and 78%"

    /// HOG's settings.
    public var hog: HOG

    private enum CodingKeys: String, CodingKey {
        case hog = "_0"
    }

    /// Aligned HOG with `hog`'s settings.
    public init(_ hog: HOG) {
        self.hog = hog
    }

    public init(configuration: FeatureConfiguration) {
        self.init(configuration.hog)
    }

    public func dimension(width: Int, height: Int) -> Int { hog.dimension(width: width, height: height) }

    public static let needsLandmarks = true

    public var settingsProblem: String? { hog.settingsProblem }

    public func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        hog.features(of: batch, aligned: true)
    }
}
