import FERMath

/// HOG of the face warped so that its eyes and mouth sit at `FaceAlignment.places`.
package struct AlignedHOG: FeatureMethod {
    package static let name = "aligned-hog"
    package static let title = "aligned HOG"
    package static let codingName = "alignedHOG"
    package static let summary =
        "HOG of the face warped so that its eye centres sit at 32% and 68% of the width and 38% of the height, its mouth centre at 50% and 78%"

    /// HOG's settings.
    package var hog: HOG

    private enum CodingKeys: String, CodingKey {
        case hog = "_0"
    }

    /// Aligned HOG with `hog`'s settings.
    package init(_ hog: HOG) {
        self.hog = hog
    }

    package init(configuration: FeatureConfiguration) {
        self.init(configuration.hog)
    }

    package func dimension(width: Int, height: Int) -> Int { hog.dimension(width: width, height: height) }

    package static let needsLandmarks = true

    package var settingsProblem: String? { hog.settingsProblem }

    package func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        hog.features(of: batch, aligned: true)
    }
}
