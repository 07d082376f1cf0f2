import FERMath

/// Histograms of oriented gradients (scikit-image's `hog`).
package struct HOGFeatures: FeatureMethod {
    package static let name = "hog"
    package static let title = "HOG"
    package static let codingName = "hog"

    /// HOG's settings.
    package var hog: HOG

    private enum CodingKeys: String, CodingKey {
        case hog = "_0"
    }

    /// HOG with `hog`'s settings.
    package init(_ hog: HOG) {
        self.hog = hog
    }

    package init(configuration: FeatureConfiguration) {
        self.init(configuration.hog)
    }

    package func dimension(width: Int, height: Int) -> Int { hog.dimension(width: width, height: height) }

    package var settingsProblem: String? { hog.settingsProblem }

    package func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        hog.features(of: batch, aligned: false)
    }
}

extension HOG {
    /// HOG of every image of `batch` on all cores, each face first warped onto `FaceAlignment.places` when
    /// `aligned`.
    func features(of batch: FaceBatch, aligned: Bool) -> Matrix {
        let (hog, width, height) = (self, batch.width, batch.height)
        let tables = GradientTables.tables(of: self)
        return ImageByImage.features(
            of: batch, length: dimension(width: width, height: height), aligned: aligned
        ) { image, out in
            hog.describe(image, width: width, height: height, into: out, tables: tables)
        }
    }
}
