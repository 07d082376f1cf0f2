import FERCore
import Foundation

/// Where the renderer drew a synthetic face's eyes and mouth, in pixel-index
/// coordinates of the 48x48 frame (pixel `i` spans `i - 0.5...i + 0.5`): the
/// ground truth a landmark model's eye and mouth centres are checked against.
package struct FaceGeometry: Sendable, Equatable {
    /// The centre of the eye on the image's left.
    package var leftEye: (x: Double, y: Double)
    /// The centre of the eye on the image's right.
    package var rightEye: (x: Double, y: Double)
    /// The centre of the mouth line.
    package var mouth: (x: Double, y: Double)

    package static func == (a: FaceGeometry, b: FaceGeometry) -> Bool {
        a.leftEye == b.leftEye && a.rightEye == b.rightEye && a.mouth == b.mouth
    }

    /// The geometry of `shape` drawn with `look`: the face-unit positions the renderer uses, moved, rotated
    /// and scaled as it places the head.
    static func of(_ shape: ExpressionShape, look: FaceAppearance) -> FaceGeometry {
        let shift = -look.turn * 0.22
        func place(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
            let (c, s) = (cos(look.tilt), sin(look.tilt))
            let u = x * look.size, v = y * look.size
            // Drawing coordinates put pixel i's centre at i + 0.5.
            return (look.centerX + u * c - v * s - 0.5, look.centerY + u * s + v * c - 0.5)
        }
        return FaceGeometry(
            leftEye: place(shift - 0.38, -0.2), rightEye: place(shift + 0.38, -0.2), mouth: place(shift, 0.66))
    }
}

extension SyntheticFaces {
    /// Where the eyes and mouth of each face `generate(count:seed:)` draws are.
    package static func geometry(count: Int = defaultCount, seed: UInt64 = defaultSeed) -> [FaceGeometry] {
        let labels = shuffledLabels(count: count, seed: seed)
        return (0..<count).map { row in
            var random = SeededGenerator(seed: seed, stream: UInt64(row) + 1)
            let shape = ExpressionShape.prototypes[Int(labels[row])].varied(using: &random)
            return FaceGeometry.of(shape, look: FaceAppearance.random(using: &random))
        }
    }
}
