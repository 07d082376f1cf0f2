/// One thing a canvas drew, in canvas points, as recorded for checking a
/// figure's layout: a filled area, a stroked path or a piece of text.
package struct DrawnMark: Sendable {
    /// What was drawn.
    package enum Kind: Sendable, Equatable {
        /// A filled path, in this colour.
        case fill(Color)
        /// A stroked path, in this colour.
        case stroke(Color)
        /// A piece of text.
        case text(String)
    }

    /// An axis-aligned box.
    package struct Box: Sendable, Equatable {
        /// Left edge.
        package var minX: Double
        /// Top edge.
        package var minY: Double
        /// Right edge.
        package var maxX: Double
        /// Bottom edge.
        package var maxY: Double

        /// Whether the boxes share more than `margin` points in both directions.
        package func overlaps(_ other: Box, margin: Double = 0) -> Bool {
            min(maxX, other.maxX) - max(minX, other.minX) > margin
                && min(maxY, other.maxY) - max(minY, other.minY) > margin
        }

        /// Whether `other` lies inside this box (within `margin`).
        package func contains(_ other: Box, margin: Double = 0) -> Bool {
            other.minX >= minX - margin && other.maxX <= maxX + margin && other.minY >= minY - margin
                && other.maxY <= maxY + margin
        }

        /// Whether the straight segment crosses the box's inside (shrunk by `margin`).
        package func isCrossed(by segment: Segment, margin: Double = 0) -> Bool {
            let left = minX + margin, right = maxX - margin, top = minY + margin, bottom = maxY - margin
            guard left < right, top < bottom else { return false }
            // Clip the segment's parameter range to the box (Liang-Barsky).
            var low = 0.0, high = 1.0
            let dx = segment.to.x - segment.from.x, dy = segment.to.y - segment.from.y
            for (p, q) in [
                (-dx, segment.from.x - left), (dx, right - segment.from.x),
                (-dy, segment.from.y - top), (dy, bottom - segment.from.y),
            ] {
                if p == 0 {
                    if q < 0 { return false }
                } else {
                    let t = q / p
                    if p < 0 { low = max(low, t) } else { high = min(high, t) }
                    if low > high { return false }
                }
            }
            return true
        }
    }

    /// A straight piece of a stroked path.
    package struct Segment: Sendable {
        /// Where it starts.
        package var from: (x: Double, y: Double)
        /// Where it ends.
        package var to: (x: Double, y: Double)
    }

    /// What was drawn.
    package var kind: Kind
    /// Its bounding box (of the ink's extent for fills and strokes, of the line of type for text).
    package var box: Box
    /// The straight pieces of a stroke; empty otherwise.
    package var segments: [Segment]
    /// A text's line of type as drawn, turned with it: its four corners in order; empty for other marks.
    package var outline: [(x: Double, y: Double)] = []

    /// Whether this text's outline and `other`'s overlap by more than `margin` points (the separating axis test
    /// on the turned rectangles; the boxes for marks without an outline).
    package func outlineOverlaps(_ other: DrawnMark, margin: Double = 0) -> Bool {
        guard outline.count == 4, other.outline.count == 4 else { return box.overlaps(other.box, margin: margin) }
        for shape in [outline, other.outline] {
            for index in 0..<4 {
                let a = shape[index], b = shape[(index + 1) % 4]
                let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
                guard length > 0 else { continue }
                let axis = (x: -(b.y - a.y) / length, y: (b.x - a.x) / length)
                func span(_ points: [(x: Double, y: Double)]) -> (low: Double, high: Double) {
                    let projected = points.map { $0.x * axis.x + $0.y * axis.y }
                    return (projected.min() ?? 0, projected.max() ?? 0)
                }
                let first = span(outline), second = span(other.outline)
                if min(first.high, second.high) - max(first.low, second.low) <= margin { return false }
            }
        }
        return true
    }
}
