import FERCanvas

/// A dashed horizontal line across a chart with a legend label: a chance
/// level, a structureless baseline.
package struct ReferenceLine: Sendable {
    /// Its height in data units.
    package var value: Double
    /// Its legend label.
    package var label: String

    /// A reference line at `value`.
    package init(value: Double, label: String) {
        self.value = value
        self.label = label
    }

    /// The dash pattern of the `index`th line of a chart, so several stay apart.
    static func dash(_ index: Int) -> [Double] {
        [[6, 4], [2, 3], [10, 3, 2, 3]][index % 3]
    }
}

extension PlotFrame {
    /// Draws `references` across the plot area.
    func draw(references: [ReferenceLine], on canvas: Canvas) {
        for (index, reference) in references.enumerated() where reference.value.isFinite {
            let y = py(reference.value)
            canvas.withState {
                canvas.setColor(Theme.reference)
                canvas.setLineWidth(1.5)
                canvas.setDash(ReferenceLine.dash(index))
                canvas.move(to: left, y)
                canvas.line(to: left + width, y)
                canvas.stroke()
            }
        }
    }

    /// Legend entries for `references`.
    static func legendEntries(_ references: [ReferenceLine]) -> [LegendEntry] {
        references.enumerated().map {
            LegendEntry(
                name: $0.element.label, color: Theme.reference, mark: .dashedLine(ReferenceLine.dash($0.offset)))
        }
    }
}
