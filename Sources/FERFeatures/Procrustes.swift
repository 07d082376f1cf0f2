/// Generalised Procrustes alignment of 2-D point shapes: each shape is
/// centred, scaled to unit size (the root of its points' summed squared
/// distances from the centre) and rotated onto a mean shape; the mean is
/// fitted on training shapes by alternating the two steps a fixed number of
/// times, starting from the first shape. What remains of a shape is its form:
/// position, size and in-plane rotation are gone.
package struct Procrustes: Sendable, Hashable, Codable {
    /// Points per shape.
    package let points: Int
    /// The fitted mean shape: centred, unit size, x and y of each point.
    package let mean: [Double]

    /// Alternations of aligning and averaging.
    package static let iterations = 5

    /// The mean shape of `count` shapes of `points` points each, stored as x, y pairs one shape after another.
    package init(fitting shapes: [Float], count: Int, points: Int) {
        precondition(shapes.count == count * points * 2, "shapes do not hold \(count) shapes of \(points) points")
        self.points = points
        guard count > 0 else {
            mean = [Double](repeating: 0, count: points * 2)
            return
        }
        let normalised = (0..<count).map { Self.normalised(shapes, shape: $0, points: points) }
        var reference = normalised[0]
        for _ in 0..<Self.iterations {
            var sum = [Double](repeating: 0, count: points * 2)
            for shape in normalised {
                let aligned = Self.rotated(shape, onto: reference)
                for index in sum.indices { sum[index] += aligned[index] }
            }
            reference = Self.normalised(sum.map { $0 / Double(count) })
        }
        mean = reference
    }

    /// Shape `shape` of `shapes` centred, unit size and rotated onto the mean, as x, y pairs.
    package func align(_ shapes: [Float], shape: Int) -> [Double] {
        Self.rotated(Self.normalised(shapes, shape: shape, points: points), onto: mean)
    }

    private static func normalised(_ shapes: [Float], shape: Int, points: Int) -> [Double] {
        let base = shape * points * 2
        return normalised((0..<(points * 2)).map { Double(shapes[base + $0]) })
    }

    /// `shape` centred and scaled to unit size (all zeros when its points coincide).
    static func normalised(_ shape: [Double]) -> [Double] {
        let points = shape.count / 2
        var cx = 0.0, cy = 0.0
        for point in 0..<points {
            cx += shape[2 * point]
            cy += shape[2 * point + 1]
        }
        cx /= Double(points)
        cy /= Double(points)
        var centred = shape
        var size = 0.0
        for point in 0..<points {
            centred[2 * point] -= cx
            centred[2 * point + 1] -= cy
            size += centred[2 * point] * centred[2 * point] + centred[2 * point + 1] * centred[2 * point + 1]
        }
        size = size.squareRoot()
        guard size > 0 else { return [Double](repeating: 0, count: shape.count) }
        return centred.map { $0 / size }
    }

    /// Centred `shape` turned by the rotation (no reflection, no scaling) that brings it closest to centred
    /// `reference` in summed squared distance.
    static func rotated(_ shape: [Double], onto reference: [Double]) -> [Double] {
        var dot = 0.0, cross = 0.0
        for point in 0..<(shape.count / 2) {
            let (x, y) = (shape[2 * point], shape[2 * point + 1])
            let (rx, ry) = (reference[2 * point], reference[2 * point + 1])
            dot += x * rx + y * ry
            cross += x * ry - y * rx
        }
        let norm = (dot * dot + cross * cross).squareRoot()
        guard norm > 0 else { return shape }
        let (c, s) = (dot / norm, cross / norm)
        var result = shape
        for point in 0..<(shape.count / 2) {
            let (x, y) = (shape[2 * point], shape[2 * point + 1])
            result[2 * point] = c * x - s * y
            result[2 * point + 1] = s * x + c * y
        }
        return result
    }
}
