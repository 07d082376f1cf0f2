import FERCanvas

/// Face shapes drawn as outlines, one panel per group: in each panel, every
/// shape of the group in its series' colour and dash, all panels at one
/// scale, so a reader sees at a glance which group has the mouth open or the
/// brows raised. Shapes are in any coordinates with y down (aligned shapes
/// are centred and of unit size).
package struct ShapeOutlineFigure: Figure {
    /// One panel: a title and a shape per series (an empty shape is left out).
    package struct Panel: Sendable, Equatable {
        /// Heading of the panel.
        package var title: String
        /// One shape per series, in series order.
        package var shapes: [[Outline]]

        /// A panel.
        package init(title: String, shapes: [[Outline]]) {
            self.title = title
            self.shapes = shapes
        }
    }

    /// The panels, in order.
    package let panels: [Panel]
    /// Series names, for the legend (the first solid, the others dashed).
    package let series: [String]
    /// The figure title.
    package let title: String
    private let panelSize = 150.0, perLine = 5, gap = 10.0

    /// Panels of shapes of `series`.
    package init(panels: [Panel], series: [String], title: String) {
        self.panels = panels
        self.series = series
        self.title = title
    }

    private var headerTop: Double { Theme.margin + Theme.titleSize + 28 }
    private var lines: Int { max(1, (panels.count + perLine - 1) / perLine) }

    package var width: Int {
        Int((Theme.margin * 2 + Double(min(perLine, max(1, panels.count))) * (panelSize + gap) - gap).rounded(.up))
    }

    package var height: Int {
        Int((headerTop + Double(lines) * (panelSize + 18 + gap) + Theme.margin).rounded(.up))
    }

    package func draw(on canvas: Canvas) {
        canvas.setFont(size: Theme.titleSize, weight: .bold)
        canvas.setColor(Theme.ink)
        canvas.text(title, x: Theme.margin, y: Theme.margin + Theme.titleSize)
        drawLegend(on: canvas)
        // One scale for every panel: the largest extent of any shape fills a panel.
        var extent = 1e-9
        for panel in panels {
            for shape in panel.shapes {
                for outline in shape {
                    for value in outline.points { extent = max(extent, abs(value)) }
                }
            }
        }
        let scale = (panelSize / 2 - 8) / extent
        canvas.setRoundLines()
        for (index, panel) in panels.enumerated() {
            let x = Theme.margin + Double(index % perLine) * (panelSize + gap)
            let y = headerTop + Double(index / perLine) * (panelSize + 18 + gap)
            canvas.setFont(size: Theme.labelSize, weight: .bold)
            canvas.setColor(Theme.ink)
            canvas.text(panel.title, x: x + panelSize / 2, y: y + 12, alignment: .center)
            canvas.setColor(Theme.gridLine)
            canvas.setLineWidth(1)
            canvas.rectangle(x, y + 18, panelSize, panelSize)
            canvas.stroke()
            let centre = (x: x + panelSize / 2, y: y + 18 + panelSize / 2)
            for (seriesIndex, shape) in panel.shapes.enumerated() {
                style(seriesIndex, on: canvas)
                for outline in shape {
                    outline.trace(on: canvas) { (centre.x + $0 * scale, centre.y + $1 * scale) }
                    canvas.stroke()
                }
            }
            canvas.setDash([])
        }
    }

    private func style(_ series: Int, on canvas: Canvas) {
        canvas.setColor(Theme.category(series))
        canvas.setLineWidth(series == 0 ? 2 : 1.5)
        canvas.setDash(series == 0 ? [] : [4, 3])
    }

    private func drawLegend(on canvas: Canvas) {
        var x = Theme.margin
        let y = Theme.margin + Theme.titleSize + 16
        canvas.setFont(size: Theme.labelSize)
        for (index, name) in series.enumerated() {
            style(index, on: canvas)
            canvas.move(to: x, y - 4)
            canvas.line(to: x + 22, y - 4)
            canvas.stroke()
            canvas.setDash([])
            canvas.setColor(Theme.ink)
            canvas.text(name, x: x + 28, y: y)
            x += 28 + canvas.measure(name).width + 18
        }
    }
}
