import FERMath

/// Local binary pattern histograms (scikit-image's uniform `local_binary_pattern`, per cell).
package struct LBPFeatures: FeatureMethod {
    package static let name = "lbp"
    package static let title = "LBP"
    package static let codingName = "lbp"

    /// LBP's settings.
    package var lbp: LBP

    private enum CodingKeys: String, CodingKey {
        case lbp = "_0"
    }

    /// LBP with `lbp`'s settings.
    package init(_ lbp: LBP) {
        self.lbp = lbp
    }

    package init(configuration: FeatureConfiguration) {
        self.init(configuration.lbp)
    }

    package func dimension(width: Int, height: Int) -> Int { lbp.dimension(width: width, height: height) }

    package var settingsProblem: String? { lbp.settingsProblem }

    package func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        let (lbp, width, height) = (lbp, batch.width, batch.height)
        let neighbours = LBP.Neighbours(width: width, height: height)
        return ImageByImage.features(
            of: batch, length: dimension(width: width, height: height), aligned: false
        ) { image, out in
            lbp.describe(image, width: width, height: height, into: out, neighbours: neighbours)
        }
    }
}
