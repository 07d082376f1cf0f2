import FERMath

/// The inner-face landmarks (brows, eyes, nose, mouth), Procrustes-aligned onto the training images' mean shape.
package struct LandmarkShapes: FeatureMethod {
    package static let name = "landmarks"
    package static let title = "landmarks"
    package static let codingName = "landmarks"
    package static let summary =
        "the Procrustes-aligned shape of the brows, eyes, nose and mouth, points 17-67 of dlib's 68"

    /// Landmark shapes.
    package init() {}

    package init(configuration: FeatureConfiguration) {}

    package func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: EmptyKeys.self)
    }

    package init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: EmptyKeys.self)
    }

    private enum EmptyKeys: CodingKey {}

    package func dimension(width: Int, height: Int) -> Int { FaceShape.inner.count * 2 }

    package static let needsLandmarks = true
    package var isFitted: Bool { true }

    /// Fits the training images' mean shape.
    package func fit(on train: FaceBatch) throws -> (FittedFeatures, Matrix) {
        let procrustes = Procrustes(fitting: Self.innerShapes(train), count: train.rows, points: FaceShape.inner.count)
        let fitted = FittedFeatures(FeatureExtractor(self), procrustes: procrustes)
        return (fitted, features(of: train, fitted: fitted))
    }

    package func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        guard let procrustes = fitted.procrustes else { preconditionFailure("landmark shapes are fitted") }
        let shapes = Self.innerShapes(batch), length = FaceShape.inner.count * 2
        var values = [Float](repeating: 0, count: batch.rows * length)
        for row in 0..<batch.rows {
            let aligned = procrustes.align(shapes, shape: row)
            for index in 0..<length { values[row * length + index] = Float(aligned[index]) }
        }
        return Matrix(rows: batch.rows, columns: length, values: values)
    }

    package func isConsistent(_ fitted: FittedFeatures, width: Int, height: Int) -> Bool {
        fitted.procrustes.map { $0.points == FaceShape.inner.count && $0.mean.count == $0.points * 2 } ?? false
    }

    /// The inner-face points of every image of `batch`, x and y pairs, one image after another.
    private static func innerShapes(_ batch: FaceBatch) -> [Float] {
        precondition(
            batch.landmarks.count == batch.rows * FaceShape.pointCount * 2,
            "landmark shapes need every image's landmarks")
        return FaceShape.innerShapes(batch.landmarks)
    }
}
