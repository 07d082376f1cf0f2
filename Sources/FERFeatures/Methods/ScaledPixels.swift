import FERMath

/// The image's pixels, scaled (the notebooks' features).
public struct ScaledPixels: FeatureMethod {
    public static let name = "pixels"
    public static let title = "pixels"
    public static let codingName = "pixels"
    public static let summary = "scaled"

    /// How pixels are scaled.
    public var scaling: Scaling

    private enum CodingKeys: String, CodingKey {
        case scaling = "_0"
    }

    /// Pixels scaled by `scaling`.
    public init(_ scaling: Scaling) {
        self.scaling = scaling
    }

    public init(configuration: FeatureConfiguration) {
        self.init(configuration.scaling)
    }

    public func dimension(width: Int, height: Int) -> Int { width * height }

    public var isFitted: Bool { scaling == .standardized }

    /// Fits standardized pixels' statistics on the training images.
    public func fit(on train: FaceBatch) throws -> (FittedFeatures, Matrix) {
        let fitted = FittedFeatures(
            FeatureExtractor(self),
            statistics: scaling.fitted(on: train.pixels, rows: train.rows, columns: train.width * train.height))
        return (fitted, features(of: train, fitted: fitted))
    }

    public func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        scaling.apply(
            batch.pixels, rows: batch.rows, columns: batch.width * batch.height, statistics: fitted.statistics)
    }

    public func isConsistent(_ fitted: FittedFeatures, width: Int, height: Int) -> Bool {
        guard let statistics = fitted.statistics else { return scaling != .standardized }
        return statistics.means.count == width * height && statistics.deviations.count == width * height
    }
}
