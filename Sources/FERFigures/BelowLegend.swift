import FERCanvas

/// A legend laid out below a chart's plot, for names too long to sit at its
/// right without squeezing the plot: entries side by side, in rows as wide
/// as the figure, each name shortened with an ellipsis if alone it would not
/// fit.
struct BelowLegend {
    /// The legend's title (empty for none).
    let title: String
    /// The entries' names, shortened to fit.
    let names: [String]
    /// Where each entry's mark sits, relative to the legend's first row: points from the left margin, and its row.
    let places: [(x: Double, row: Int)]
    /// The height the legend takes below the x axis's title, in points.
    let height: Double

    /// The widest a legend at the right may be, as a share of the figure's width, before it goes below.
    static let largestRightShare = 0.4
    /// The height of one row of entries.
    static let rowHeight = 17.0
    /// Room between the swatch and the name.
    static let swatchRoom = 19.0
    /// Room between one entry and the next in a row.
    static let gap = 24.0

    /// The legend for `names` under `title` across a figure `width` points wide.
    init(canvas: Canvas, title: String, names: [String], figureWidth width: Double) {
        let available = width - 2 * Theme.margin
        canvas.setFont(size: Theme.labelSize)
        let fitted = names.map { canvas.fitted($0, width: available - Self.swatchRoom) }
        var places: [(x: Double, row: Int)] = []
        var x = 0.0, row = 0
        for name in fitted {
            let entry = Self.swatchRoom + canvas.measure(name).width
            if x > 0 && x + entry > available {
                x = 0
                row += 1
            }
            places.append((x, row))
            x += entry + Self.gap
        }
        self.title = title
        self.names = fitted
        self.places = places
        height = 10 + (title.isEmpty ? 0 : 20) + Double(row + 1) * Self.rowHeight
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
