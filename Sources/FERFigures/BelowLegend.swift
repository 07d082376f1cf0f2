import FERCanvas

/// A legend laid out below a chart's plot, for names too long to sit at its
/// right without squeezing the plot: entries in as many columns as the
/// figure's width holds, each shortened with an ellipsis to its column.
struct BelowLegend {
    /// The legend's title (empty for none).
    let title: String
    /// The entries' names, shortened to fit.
    let names: [String]
    /// Entries per row.
    let columns: Int
    /// Width of a column in points.
    let columnWidth: Double
    /// The height the legend takes below the x axis's title, in points.
    let height: Double

    /// The widest a legend at the right may be, as a share of the figure's width, before it goes below.
    static let largestRightShare = 0.3
    /// The height of one row of entries.
    static let rowHeight = 17.0
    /// Room between the swatch and the name.
    static let swatchRoom = 19.0

    /// The legend for `names` under `title` across a figure `width` points wide.
    init(canvas: Canvas, title: String, names: [String], figureWidth width: Double) {
        let available = width - 2 * Theme.margin
        canvas.setFont(size: Theme.labelSize)
        let fitted = names.map { canvas.fitted($0, width: available - Self.swatchRoom) }
        let widest = (fitted.map { canvas.measure($0).width }.max() ?? 0) + Self.swatchRoom + 16
        let columns = max(1, min(fitted.count, Int((available + 16) / widest)))
        let rows = (fitted.count + columns - 1) / columns
        self.title = title
        self.names = fitted
        self.columns = columns
        columnWidth = widest
        height = 10 + (title.isEmpty ? 0 : 20) + Double(rows) * Self.rowHeight
    }

    /// Whether a legend of `names` under `title` belongs below a figure `width` points wide rather than at its
    /// right.
    static func belongsBelow(canvas: Canvas, title: String, names: [String], figureWidth width: Double) -> Bool {
        PlotFrame.legendWidth(canvas: canvas, title: title, entries: names) > largestRightShare * width
    }
}

extension Canvas {
    /// `text` shortened with an ellipsis to at most `width` points in the current font (whole when it fits).
    func fitted(_ text: String, width: Double) -> String {
        guard measure(text).width > width else { return text }
        var characters = Array(text)
        while !characters.isEmpty {
            characters.removeLast()
            while characters.last == " " { characters.removeLast() }
            let shortened = String(characters) + "…"
            if measure(shortened).width <= width { return shortened }
        }
        return "…"
    }
}
