import FERMath

/// Local binary pattern histograms (scikit-image's uniform `local_binary_pattern`, per cell).
public struct LBPFeatures: FeatureMethod {
    public static let name = "lbp"
    public static let title = "LBP"
    public static let codingName = "lbp"

    /// LBP's settings.
    public var lbp: LBP

    private enum CodingKeys: String, CodingKey {
        case lbp = "_0"
    }

    /// LBP with `lbp`'s settings.
    public init(_ lbp: LBP) {
        self.lbp = lbp
    }

    public init(configuration: FeatureConfiguration) {
        self.init(configuration.lbp)
    }

    public func dimension(width: Int, height: Int) -> Int { lbp.dimension(width: width, height: height) }

    public var settingsProblem: String? { lbp.settingsProblem }

    public func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        let (lbp, width, height) = (lbp, batch.width, batch.height)
        let neighbours = LBP.Neighbours(width: width, height: height)
        return ImageByImage.features(
            of: batch, length: dimension(width: width, height: height), aligned: false
        ) { image, out in
            lbp.describe(image, width: width, height: height, into: out, neighbours: neighbours)
        }
    }
}
