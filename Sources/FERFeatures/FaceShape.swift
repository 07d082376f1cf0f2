/// The 68 points of dlib's iBUG 300-W landmark model, by part of the face.
/// Points are numbered from 0 as dlib numbers them; "left" and "right" are
/// as seen in the image.
package enum FaceShape {
    /// Points of the whole model.
    package static let pointCount = 68
    /// The jaw line, ear to ear.
    package static let jaw = 0...16
    /// The brow on the image's left, then the one on its right.
    package static let brows = [17...21, 22...26]
    /// The bridge and the bottom of the nose.
    package static let nose = [27...30, 31...35]
    /// The eye on the image's left (the person's right eye), as a closed outline.
    package static let leftEye = 36...41
    /// The eye on the image's right, as a closed outline.
    package static let rightEye = 42...47
    /// The outer lip line, closed.
    package static let outerLips = 48...59
    /// The inner lip line, closed.
    package static let innerLips = 60...67
    /// The mouth, both lip lines.
    package static let mouth = 48...67
    /// The inner face the `landmarks` features use: brows, eyes, nose and mouth (the jaw line follows the
    /// head's outline more than the expression).
    package static let inner = 17...67

    /// The inner-face points (x, y pairs) of images `rows` (all when `nil`) of `landmarks`, which holds the 68
    /// points of each image one image after another.
    package static func innerShapes(_ landmarks: ArraySlice<Float>, rows: [Int]? = nil) -> [Float] {
        let perImage = pointCount * 2, length = inner.count * 2
        let start = landmarks.startIndex + 2 * inner.lowerBound
        let rows = rows ?? Array(0..<(landmarks.count / perImage))
        var shapes: [Float] = []
        shapes.reserveCapacity(rows.count * length)
        for row in rows {
            shapes.append(contentsOf: landmarks[(start + row * perImage)..<(start + row * perImage + length)])
        }
        return shapes
    }

    /// The mean of points `range` of `points` (x, y pairs).
    package static func centre(of range: ClosedRange<Int>, in points: UnsafePointer<Float>) -> (x: Double, y: Double) {
        var x = 0.0, y = 0.0
        for point in range {
            x += Double(points[2 * point])
            y += Double(points[2 * point + 1])
        }
        let count = Double(range.count)
        return (x / count, y / count)
    }
}
