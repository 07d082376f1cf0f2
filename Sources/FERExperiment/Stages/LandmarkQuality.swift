import FERData
import FERFeatures
import FERStages

/// How well the landmark model fitted the faces: how many fits are
/// degenerate (an eye or the mouth outside the image, the eyes closer than a
/// tenth of the image's width, the mouth not below the eyes, or the inner
/// points collapsed into a tenth of the image), and the images whose aligned
/// shape lies furthest from the mean shape of all images, worst first.
package struct LandmarkQuality: Sendable, Equatable, Codable {
    /// Images checked (every image of the dataset; 0 when no features use landmarks).
    package var images: Int
    /// Rows of the degenerate fits.
    package var degenerate: [Int]
    /// Rows in which the face detector found no face.
    package var missed: [Int]
    /// Rows of the fits furthest from the mean shape, worst first.
    package var worst: [Int]

    /// How many of the furthest fits are kept.
    package struct Settings: StageParameters {
        /// Rows in `worst`.
        package var worst: Int
    }

    /// Checks every image's landmarks.
    static func check(_ settings: Settings, landmarks: LandmarkSet, dataset: Dataset) -> LandmarkQuality {
        let perImage = LandmarkSet.perImage
        let images = landmarks.points.count / perImage
        guard images > 0 else { return LandmarkQuality(images: 0, degenerate: [], missed: [], worst: []) }
        let width = Double(dataset.width), height = Double(dataset.height)
        var degenerate: [Int] = []
        landmarks.points.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for row in 0..<images {
                let points = base + row * perImage
                let left = FaceShape.centre(of: FaceShape.leftEye, in: points)
                let right = FaceShape.centre(of: FaceShape.rightEye, in: points)
                let mouth = FaceShape.centre(of: FaceShape.mouth, in: points)
                let inside = [left, right, mouth].allSatisfy {
                    $0.x >= 0 && $0.x <= width - 1 && $0.y >= 0 && $0.y <= height - 1
                }
                let eyeDistance = ((left.x - right.x) * (left.x - right.x) + (left.y - right.y) * (left.y - right.y))
                    .squareRoot()
                let inner = FaceShape.centre(of: FaceShape.inner, in: points)
                var spread = 0.0
                for point in FaceShape.inner {
                    let dx = Double(points[2 * point]) - inner.x, dy = Double(points[2 * point + 1]) - inner.y
                    spread += dx * dx + dy * dy
                }
                spread = (spread / Double(FaceShape.inner.count)).squareRoot()
                if !inside || eyeDistance < width / 10 || mouth.y <= (left.y + right.y) / 2 || spread < width / 10 {
                    degenerate.append(row)
                }
            }
        }
        let shapes = FaceShape.innerShapes(landmarks.points[...])
        let procrustes = Procrustes(fitting: shapes, count: images, points: FaceShape.inner.count)
        let distances = (0..<images).map { row in
            zip(procrustes.align(shapes, shape: row), procrustes.mean).reduce(0.0) {
                $0 + ($1.0 - $1.1) * ($1.0 - $1.1)
            }
        }
        let worst = (0..<images).sorted { distances[$0] > distances[$1] || (distances[$0] == distances[$1] && $0 < $1) }
        return LandmarkQuality(
            images: images, degenerate: degenerate, missed: landmarks.missed, worst: Array(worst.prefix(settings.worst))
        )
    }
}

extension LandmarkQuality: JSONCacheCodable {}
