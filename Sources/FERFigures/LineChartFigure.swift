import FERCanvas

/// Lines with markers over a numeric x axis (silhouette against the number
/// of clusters, one line per component count; the explained-variance scree
/// plot) or over named categories, with optional error bars and horizontal
/// reference lines. A legend too wide for the plot's right goes below it.
package struct LineChartFigure: Figure {
    /// One line.
    package struct Series: Sendable {
        /// Legend name.
        package var name: String
        /// Points in x order (with categories, x is the category's index).
        package var points: [(x: Double, y: Double)]
        /// For each point, the range its error bar spans; `nil`: no error bars.
        package var ranges: [(low: Double, high: Double)]?

        /// A named series.
        package init(name: String, points: [(x: Double, y: Double)], ranges: [(low: Double, high: Double)]? = nil) {
            self.name = name
            self.points = points
            self.ranges = ranges
        }
    }

    /// The lines.
    package let series: [Series]
    /// The dashed reference lines.
    package let references: [ReferenceLine]
    /// The figure title.
    package let title: String
    /// Title of the horizontal axis.
    package let xTitle: String
    /// Title of the vertical axis.
    package let yTitle: String
    /// Legend heading.
    package let legendTitle: String
    /// The value axis starts at zero.
    package let fromZero: Bool
    /// Width in points.
    package let width: Int
    /// Height in points.
    package let height: Int
    /// Names of the x axis's categories; `nil`: a numeric x axis.
    package let categories: [String]?

    /// A line chart; see the properties for the parameters.
    package init(
        series: [Series], references: [ReferenceLine] = [], title: String, xTitle: String, yTitle: String,
        legendTitle: String = "", fromZero: Bool = false, width: Int = 720, height: Int = 420,
        categories: [String]? = nil
    ) {
        self.categories = categories
        self.series = series
        self.references = references
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.legendTitle = legendTitle
        self.fromZero = fromZero
        self.width = width
        self.height = height
    }

    /// Whether a legend is drawn: several series, a legend title, or reference lines to name.
    private var hasLegend: Bool { series.count > 1 || !legendTitle.isEmpty || !references.isEmpty }

    /// The frame the lines are drawn in.
    func frame(on canvas: Canvas) -> PlotFrame {
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys =
            series.flatMap { $0.points.map(\.y) + ($0.ranges ?? []).flatMap { [$0.low, $0.high] } }
            + references.map(\.value).filter(\.isFinite)
        let xScale = NiceScale(xs.min() ?? 0, xs.max() ?? 1, ticks: min(12, max(2, Set(xs).count)))
        let yScale = NiceScale(fromZero ? min(0, ys.min() ?? 0) : (ys.min() ?? 0), ys.max() ?? 1)
        let names = series.map(\.name) + references.map(\.label)
        let below =
            hasLegend
            && BelowLegend.belongsBelow(canvas: canvas, title: legendTitle, names: names, figureWidth: Double(width))
        let legend =
            hasLegend && !below ? PlotFrame.legendWidth(canvas: canvas, title: legendTitle, entries: names) : 0
        return PlotFrame(
            canvas: canvas, size: (width, height), title: title, xTitle: xTitle, yTitle: yTitle,
            x: categories.map { .categories($0) } ?? .continuous(xScale), y: .continuous(yScale), legendWidth: legend,
            belowLegend: below
                ? BelowLegend(canvas: canvas, title: legendTitle, names: names, figureWidth: Double(width)) : nil)
    }

    package func draw(on canvas: Canvas) {
        let frame = frame(on: canvas)
        frame.drawAxes(on: canvas, size: (width, height))
        frame.draw(references: references, on: canvas)
        canvas.setRoundLines()
        for (index, line) in series.enumerated() {
            let color = Theme.category(index)
            canvas.setColor(color)
            canvas.setLineWidth(2)
            for (pointIndex, point) in line.points.enumerated() {
                let x = frame.px(point.x), y = frame.py(point.y)
                if pointIndex == 0 { canvas.move(to: x, y) } else { canvas.line(to: x, y) }
            }
            canvas.stroke()
            for range in zip(line.points, line.ranges ?? []) {
                let x = frame.px(range.0.x), low = frame.py(range.1.low), high = frame.py(range.1.high)
                canvas.setLineWidth(1.5)
                canvas.move(to: x, low)
                canvas.line(to: x, high)
                for y in [low, high] {
                    canvas.move(to: x - 4, y)
                    canvas.line(to: x + 4, y)
                }
                canvas.stroke()
            }
            for point in line.points {
                canvas.circle(frame.px(point.x), frame.py(point.y), radius: 3.5)
            }
            canvas.fill()
        }
        let entries =
            series.enumerated().map {
                LegendEntry(name: $0.element.name, color: Theme.category($0.offset), mark: .swatch)
            } + PlotFrame.legendEntries(references)
        if frame.belowLegend != nil {
            frame.drawBelowLegend(on: canvas, size: (width, height), entries: entries)
        } else if hasLegend {
            frame.drawLegend(on: canvas, title: legendTitle, entries: entries)
        }
    }
}
