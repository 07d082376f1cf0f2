import FERCanvas
import FERCore

/// Vertical bars per category with the value on each bar: images per label
/// (the notebooks' class-balance chart), or one bar per series side by side
/// (accuracies of several settings), with optional reference lines.
package struct BarChartFigure: Figure {
    /// One set of bars, one value per category.
    package struct Series: Sendable {
        /// Legend name.
        package var name: String
        /// One value per category.
        package var values: [Double]

        /// A named series.
        package init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    /// Category names, one slot each.
    package let categories: [String]
    /// The bars of each slot, side by side.
    package let series: [Series]
    /// Dashed lines such as chance levels.
    package let references: [ReferenceLine]
    /// Decimals of the printed values.
    package let decimals: Int
    /// Printed after each value (`%`).
    package let suffix: String
    /// Chart title.
    package let title: String
    /// Title of the category axis.
    package let xTitle: String
    /// Title of the value axis.
    package let yTitle: String
    /// Width in points.
    package let width: Int
    /// Height in points.
    package let height: Int

    /// A bar chart of counts per category.
    package init(
        categories: [String], values: [Int], title: String, xTitle: String = "Emotion",
        yTitle: String = "Images", width: Int = 720, height: Int = 420
    ) {
        self.init(
            categories: categories, series: [Series(name: "", values: values.map(Double.init))], title: title,
            xTitle: xTitle, yTitle: yTitle, width: width, height: height)
    }

    /// Bars of every series per category.
    package init(
        categories: [String], series: [Series], references: [ReferenceLine] = [], decimals: Int = 0,
        suffix: String = "", title: String, xTitle: String, yTitle: String, width: Int = 720, height: Int = 420
    ) {
        precondition(series.allSatisfy { $0.values.count == categories.count }, "one value per category")
        self.categories = categories
        self.series = series
        self.references = references
        self.decimals = decimals
        self.suffix = suffix
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.width = width
        self.height = height
    }

    /// Whether a legend is drawn: several series or reference lines to name.
    private var hasLegend: Bool { series.count > 1 || !references.isEmpty }

    /// The value-axis scale (always including zero), with room beyond the longest bars for their values, so that
    /// a value never reaches into the title.
    var scale: NiceScale {
        let values = (series.flatMap(\.values) + references.map(\.value)).filter(\.isFinite)
        var low = min(0, values.min() ?? 0), high = max(0, values.max() ?? 1)
        if high <= low { high = low + 1 }
        let room = (high - low) * Self.valueRoom
        if high > 0 { high += room }
        if low < 0 { low -= room }
        return NiceScale(low, high, ticks: 6)
    }

    /// The share of the value range left beyond the longest bars for the values printed on them.
    static let valueRoom = 0.07

    /// The frame the bars are drawn in.
    func frame(on canvas: Canvas) -> PlotFrame {
        let legend =
            hasLegend
            ? PlotFrame.legendWidth(canvas: canvas, title: "", entries: series.map(\.name) + references.map(\.label))
            : 0
        return PlotFrame(
            canvas: canvas, size: (width, height), title: title, xTitle: xTitle, yTitle: yTitle,
            x: .categories(categories), y: .continuous(scale), legendWidth: legend)
    }

    private func color(_ index: Int) -> Color {
        series.count == 1 ? Theme.accent : Theme.category(index)
    }

    package func draw(on canvas: Canvas) {
        let frame = frame(on: canvas)
        frame.drawAxes(on: canvas, size: (width, height))
        let slot = frame.width / Double(max(1, categories.count))
        let groupWidth = min(64 * Double(series.count), slot * 0.8)
        let barWidth = groupWidth / Double(max(1, series.count))
        canvas.setFont(size: Theme.smallSize, weight: .bold)
        var labels: [(text: String, x: Double, y: Double)] = []
        for (seriesIndex, bars) in series.enumerated() {
            for (index, value) in bars.values.enumerated() where value.isFinite {
                let left = frame.px(Double(index)) - groupWidth / 2 + Double(seriesIndex) * barWidth
                let end = frame.py(value), base = frame.py(0)
                canvas.setColor(color(seriesIndex))
                canvas.rectangle(left + 1, min(end, base), barWidth - 2, abs(base - end))
                canvas.fill()
                // Values go on bars wide enough to hold them without touching the next one.
                let label = DecimalText.format(value, decimals: decimals) + suffix
                guard canvas.measure(label).width <= barWidth + 2 else { continue }
                labels.append((label, left + barWidth / 2, value >= 0 ? end - 4 : end + 12))
            }
        }
        frame.draw(references: references, on: canvas)
        // Values last, each on a patch of the background, so that no reference line strikes through one.
        for label in labels {
            let extents = canvas.measure(label.text)
            canvas.setColor(.white)
            canvas.rectangle(
                label.x - extents.width / 2 - 1, label.y - extents.ascent - 1, extents.width + 2,
                extents.ascent + extents.descent + 2)
            canvas.fill()
            canvas.setColor(Theme.ink)
            canvas.text(label.text, x: label.x, y: label.y, alignment: .center)
        }
        if hasLegend {
            frame.drawLegend(
                on: canvas, title: "",
                entries:
                    series.enumerated().filter { !$0.element.name.isEmpty }.map {
                        LegendEntry(name: $0.element.name, color: color($0.offset), mark: .swatch)
                    }
                    + PlotFrame.legendEntries(references))
        }
    }
}
