import FERMath

/// HOG then LBP histograms, side by side.
package struct HOGAndLBP: FeatureMethod {
    package static let name = "hog+lbp"
    package static let title = "HOG+LBP"
    package static let codingName = "hogLBP"

    /// HOG's settings.
    package var hog: HOG
    /// LBP's settings.
    package var lbp: LBP

    private enum CodingKeys: String, CodingKey {
        case hog = "_0"
        case lbp = "_1"
    }

    /// HOG and LBP with these settings.
    package init(_ hog: HOG, _ lbp: LBP) {
        self.hog = hog
        self.lbp = lbp
    }

    package init(configuration: FeatureConfiguration) {
        self.init(configuration.hog, configuration.lbp)
    }

    package func dimension(width: Int, height: Int) -> Int {
        hog.dimension(width: width, height: height) + lbp.dimension(width: width, height: height)
    }

    package var settingsProblem: String? { hog.settingsProblem ?? lbp.settingsProblem }

    package func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        let (hog, lbp, width, height) = (hog, lbp, batch.width, batch.height)
        let tables = HOG.GradientTables.tables(of: hog)
        let neighbours = LBP.Neighbours(width: width, height: height)
        let hogLength = hog.dimension(width: width, height: height)
        return ImageByImage.features(
            of: batch, length: dimension(width: width, height: height), aligned: false
        ) { image, out in
            hog.describe(image, width: width, height: height, into: out, tables: tables)
            lbp.describe(image, width: width, height: height, into: out + hogLength, neighbours: neighbours)
        }
    }
}
