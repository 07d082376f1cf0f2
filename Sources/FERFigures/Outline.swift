import FERCanvas

/// A line through points (x, y pairs), closed or open: one part of a face
/// outline (a brow, an eye, the lips).
package struct Outline: Sendable, Equatable {
    /// x, y of each point in turn.
    package var points: [Double]
    /// Whether the line returns to its first point.
    package var closed: Bool

    /// An outline through `points` (x, y pairs).
    package init(points: [Double], closed: Bool) {
        self.points = points
        self.closed = closed
    }

    /// Adds the line to `canvas`'s path, each point placed by `place`.
    func trace(on canvas: Canvas, _ place: (Double, Double) -> (Double, Double)) {
        guard points.count >= 4 else { return }
        let first = place(points[0], points[1])
        canvas.move(to: first.0, first.1)
        for index in stride(from: 2, to: points.count - 1, by: 2) {
            let point = place(points[index], points[index + 1])
            canvas.line(to: point.0, point.1)
        }
        if closed { canvas.closePath() }
    }
}
