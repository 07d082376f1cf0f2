import FERCanvas

/// Images per label as vertical bars with the count on each bar (the
/// notebooks' class-balance chart).
public struct BarChartFigure: Figure {
    /// Category names, one bar each.
    public let categories: [String]
    /// Bar heights.
    public let values: [Int]
    /// Chart title.
    public let title: String
    /// Title of the category axis.
    public let xTitle: String
    /// Title of the value axis.
    public let yTitle: String
    /// Width in points.
    public let width: Int
    /// Height in points.
    public let height: Int

    /// A bar chart of `values` per category.
    public init(categories: [String], values: [Int], title: String, xTitle: String = "Emotion",
                yTitle: String = "Images", width: Int = 720, height: Int = 420) {
        precondition(categories.count == values.count, "one value per category")
        self.categories = categories
        self.values = values
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.width = width
        self.height = height
    }

    /// The value-axis scale (from zero).
    var scale: NiceScale { NiceScale(0, Double(max(1, values.max() ?? 1)), ticks: 6) }

    /// The frame the bars are drawn in.
    func frame(on canvas: Canvas) -> PlotFrame {
        PlotFrame(canvas: canvas, size: (width, height), title: title, xTitle: xTitle, yTitle: yTitle,
                  x: .categories(categories), y: .continuous(scale))
    }

    public func draw(on canvas: Canvas) {
        let frame = frame(on: canvas)
        frame.drawAxes(on: canvas, size: (width, height))
        let slot = frame.width / Double(max(1, categories.count))
        let barWidth = min(64, slot * 0.7)
        canvas.setFont(size: Theme.smallSize, weight: .bold)
        for (index, value) in values.enumerated() {
            let centre = frame.px(Double(index))
            let top = frame.py(Double(value)), bottom = frame.py(0)
            canvas.setColor(Theme.accent)
            canvas.rectangle(centre - barWidth / 2, top, barWidth, bottom - top)
            canvas.fill()
            canvas.setColor(Theme.ink)
            canvas.text(NiceScale.format(Double(value), decimals: 0), x: centre, y: top - 4, alignment: .center)
        }
    }
}
