import FERCanvas
import FERCore

/// A matrix of values as coloured cells with the value written in each
/// (the grid search's silhouettes, a confusion matrix), optionally with one
/// cell outlined.
package struct HeatmapFigure: Figure {
    /// Cell colours, `[row][column]`, mapped through viridis from their minimum to maximum.
    package let values: [[Double]]
    /// Cell text, `[row][column]` (may have two lines separated by `\n`).
    package let cellText: [[String]]
    /// Names of the rows, top to bottom.
    package let rowNames: [String]
    /// Names of the columns, left to right.
    package let columnNames: [String]
    /// The cell to outline, as (row, column).
    package let highlight: (row: Int, column: Int)?
    /// The figure title.
    package let title: String
    /// Title of the row axis (left).
    package let rowTitle: String
    /// Title of the column axis (bottom).
    package let columnTitle: String
    /// Caption of the colour bar.
    package let colorTitle: String
    /// Width in points.
    package let width: Int
    /// Height in points.
    package let height: Int

    /// A heatmap; `cellText` defaults to the values with three decimals.
    package init(
        values: [[Double]], cellText: [[String]]? = nil, rowNames: [String], columnNames: [String],
        highlight: (row: Int, column: Int)? = nil, title: String, rowTitle: String, columnTitle: String,
        colorTitle: String, width: Int = 720, height: Int = 420
    ) {
        precondition(
            values.count == rowNames.count && values.allSatisfy { $0.count == columnNames.count },
            "one value per row and column")
        self.values = values
        self.cellText = cellText ?? values.map { $0.map { DecimalText.format($0, decimals: 3) } }
        self.rowNames = rowNames
        self.columnNames = columnNames
        self.highlight = highlight
        self.title = title
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        self.colorTitle = colorTitle
        self.width = width
        self.height = height
    }

    /// The colour range: the smallest and largest finite value.
    var range: (low: Double, high: Double) {
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        return (finite.min() ?? 0, finite.max() ?? 1)
    }

    /// The frame the cells fill (rows run top to bottom).
    func frame(on canvas: Canvas) -> PlotFrame {
        PlotFrame(
            canvas: canvas, size: (width, height), title: title, xTitle: columnTitle, yTitle: rowTitle,
            x: .categories(columnNames), y: .categories(rowNames.reversed()), legendWidth: 70)
    }

    /// The colour of a value.
    func color(_ value: Double) -> Color {
        let (low, high) = range
        return Theme.colormap(high > low ? (value - low) / (high - low) : 0.5)
    }

    package func draw(on canvas: Canvas) {
        let frame = frame(on: canvas)
        let cellWidth = frame.width / Double(max(1, columnNames.count))
        let cellHeight = frame.height / Double(max(1, rowNames.count))
        // Cells without antialiasing: neighbouring cells meet without light seams.
        canvas.setAntialias(false)
        for row in rowNames.indices {
            for column in columnNames.indices {
                canvas.setColor(color(values[row][column]))
                canvas.rectangle(
                    frame.left + Double(column) * cellWidth, frame.top + Double(row) * cellHeight,
                    cellWidth + 0.5, cellHeight + 0.5)
                canvas.fill()
            }
        }
        canvas.setAntialias(true)
        for row in rowNames.indices {
            for column in columnNames.indices {
                let x = frame.left + Double(column) * cellWidth, y = frame.top + Double(row) * cellHeight
                let fill = color(values[row][column])
                let lines = cellText[row][column].split(separator: "\n").map(String.init)
                let size = min(Theme.smallSize, cellHeight / Double(max(1, lines.count)) * 0.6)
                canvas.setFont(size: size)
                canvas.setColor(Theme.textColor(on: fill))
                let lineHeight = size * 1.2
                let firstBaseline = y + cellHeight / 2 - lineHeight * Double(lines.count - 1) / 2 + size * 0.35
                for (index, line) in lines.enumerated() where canvas.measure(line).width < cellWidth - 2 {
                    canvas.text(
                        line, x: x + cellWidth / 2, y: firstBaseline + Double(index) * lineHeight, alignment: .center)
                }
            }
        }
        if let highlight {
            canvas.setColor(Theme.reference)
            canvas.setLineWidth(3)
            canvas.rectangle(
                frame.left + Double(highlight.column) * cellWidth + 1.5,
                frame.top + Double(highlight.row) * cellHeight + 1.5, cellWidth - 3, cellHeight - 3)
            canvas.stroke()
        }
        frame.drawAxes(on: canvas, size: (width, height), gridY: false)
        drawColorBar(on: canvas, frame: frame)
    }

    private func drawColorBar(on canvas: Canvas, frame: PlotFrame) {
        let x = frame.left + frame.width + 16, barWidth = 12.0
        let steps = 64
        for step in 0..<steps {
            canvas.setColor(Theme.colormap(1 - Double(step) / Double(steps - 1)))
            canvas.rectangle(
                x, frame.top + frame.height * Double(step) / Double(steps), barWidth,
                frame.height / Double(steps) + 0.5)
            canvas.fill()
        }
        let (low, high) = range
        canvas.setFont(size: Theme.smallSize)
        canvas.setColor(Theme.mutedInk)
        let decimals = high - low >= 10 ? 0 : 3
        canvas.text(DecimalText.format(high, decimals: decimals), x: x + barWidth + 4, y: frame.top + 8)
        canvas.text(DecimalText.format(low, decimals: decimals), x: x + barWidth + 4, y: frame.top + frame.height)
        canvas.verticalText(colorTitle, x: x + barWidth + 38, y: frame.top + frame.height / 2)
    }
}
