/// A face warped so that its eye centres and mouth centre land on fixed
/// places: the similarity transform (scale, rotation, shift) that brings the
/// three landmark centres closest to their places in least squares, applied
/// with bilinear interpolation, edge pixels repeated outside the image. The
/// places, as fractions of the image's width and height in pixel-index
/// coordinates: eyes at (0.32, 0.38) and (0.68, 0.38), mouth at (0.5, 0.78).
package enum FaceAlignment {
    /// Where the eye on the image's left, the one on its right, and the mouth are put.
    package static let places: [(x: Double, y: Double)] = [(0.32, 0.38), (0.68, 0.38), (0.5, 0.78)]

    /// `(x, y) -> (a x - b y + tx, b x + a y + ty)`.
    package struct Similarity: Sendable, Equatable {
        package var a: Double, b: Double, tx: Double, ty: Double

        /// The least-squares similarity from `source` points to `target` points (as Umeyama's method finds it).
        package init(from source: [(x: Double, y: Double)], to target: [(x: Double, y: Double)]) {
            let n = Double(source.count)
            let sx = source.map(\.x).reduce(0, +) / n, sy = source.map(\.y).reduce(0, +) / n
            let dx = target.map(\.x).reduce(0, +) / n, dy = target.map(\.y).reduce(0, +) / n
            var dot = 0.0, cross = 0.0, size = 0.0
            for (s, d) in zip(source, target) {
                let (x, y, u, v) = (s.x - sx, s.y - sy, d.x - dx, d.y - dy)
                dot += x * u + y * v
                cross += x * v - y * u
                size += x * x + y * y
            }
            a = size > 0 ? dot / size : 1
            b = size > 0 ? cross / size : 0
            tx = dx - (a * sx - b * sy)
            ty = dy - (b * sx + a * sy)
        }

        /// Where `point` goes.
        package func apply(_ point: (x: Double, y: Double)) -> (x: Double, y: Double) {
            (a * point.x - b * point.y + tx, b * point.x + a * point.y + ty)
        }

        /// The transform that undoes this one (the identity's when this one collapses the plane).
        package var inverse: Similarity {
            let determinant = a * a + b * b
            guard determinant > 0 else { return Similarity(a: 1, b: 0, tx: 0, ty: 0) }
            let (ia, ib) = (a / determinant, -b / determinant)
            return Similarity(a: ia, b: ib, tx: -(ia * tx - ib * ty), ty: -(ib * tx + ia * ty))
        }

        package init(a: Double, b: Double, tx: Double, ty: Double) {
            (self.a, self.b, self.tx, self.ty) = (a, b, tx, ty)
        }
    }

    /// The transform that puts the eye and mouth centres of `landmarks` (68 points, x, y pairs) on their places in a
    /// `width` x `height` image.
    package static func similarity(landmarks: UnsafePointer<Float>, width: Int, height: Int) -> Similarity {
        let found = [
            FaceShape.centre(of: FaceShape.leftEye, in: landmarks),
            FaceShape.centre(of: FaceShape.rightEye, in: landmarks),
            FaceShape.centre(of: FaceShape.mouth, in: landmarks),
        ]
        return Similarity(from: found, to: places.map { (Double(width) * $0.x, Double(height) * $0.y) })
    }

    /// `image` (`width` x `height` gray pixels) warped by `transform` into `out` of the same size: each output
    /// pixel takes the bilinear value at its inverse image, rounded.
    package static func warp(
        _ image: UnsafePointer<UInt8>, width: Int, height: Int, by transform: Similarity,
        into out: UnsafeMutablePointer<UInt8>
    ) {
        let back = transform.inverse
        let maxX = Double(width - 1), maxY = Double(height - 1)
        for row in 0..<height {
            for column in 0..<width {
                let source = back.apply((Double(column), Double(row)))
                let x = min(max(source.x, 0), maxX), y = min(max(source.y, 0), maxY)
                let x0 = min(Int(x), max(width - 2, 0)), y0 = min(Int(y), max(height - 2, 0))
                let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
                let fx = x - Double(x0), fy = y - Double(y0)
                let top = Double(image[y0 * width + x0]) * (1 - fx) + Double(image[y0 * width + x1]) * fx
                let bottom = Double(image[y1 * width + x0]) * (1 - fx) + Double(image[y1 * width + x1]) * fx
                let value = top * (1 - fy) + bottom * fy
                out[row * width + column] = UInt8(min(max(value.rounded(), 0), 255))
            }
        }
    }
}
