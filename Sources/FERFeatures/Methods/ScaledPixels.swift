import FERMath

/// The image's pixels, scaled (the notebooks' features).
package struct ScaledPixels: FeatureMethod {
    package static let name = "pixels"
    package static let title = "pixels"
    package static let codingName = "pixels"
    package static let summary = "scaled"

    /// How pixels are scaled.
    package var scaling: Scaling

    private enum CodingKeys: String, CodingKey {
        case scaling = "_0"
    }

    /// Pixels scaled by `scaling`.
    package init(_ scaling: Scaling) {
        self.scaling = scaling
    }

    package init(configuration: FeatureConfiguration) {
        self.init(configuration.scaling)
    }

    package func dimension(width: Int, height: Int) -> Int { width * height }

    package var isFitted: Bool { scaling == .standardized }

    /// Fits standardized pixels' statistics on the training images.
    package func fit(on train: FaceBatch) throws -> (FittedFeatures, Matrix) {
        let fitted = FittedFeatures(
            FeatureExtractor(self),
            statistics: scaling.fitted(on: train.pixels, rows: train.rows, columns: train.width * train.height))
        return (fitted, features(of: train, fitted: fitted))
    }

    package func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        scaling.apply(
            batch.pixels, rows: batch.rows, columns: batch.width * batch.height, statistics: fitted.statistics)
    }

    package func isConsistent(_ fitted: FittedFeatures, width: Int, height: Int) -> Bool {
        guard let statistics = fitted.statistics else { return scaling != .standardized }
        return statistics.means.count == width * height && statistics.deviations.count == width * height
    }
}
