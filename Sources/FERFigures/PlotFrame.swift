import FERCanvas

/// One axis of a chart: a continuous range with nice ticks, or named categories.
enum Axis {
    /// Numbers, with ticks from the scale.
    case continuous(NiceScale)
    /// One slot per name, in order.
    case categories([String])

    /// Position of `value` in 0...1 along the axis (categories: slot centres).
    func fraction(_ value: Double) -> Double {
        switch self {
        case .continuous(let scale):
            return (value - scale.lower) / (scale.upper - scale.lower)
        case .categories(let names):
            return (value + 0.5) / Double(max(1, names.count))
        }
    }

    /// Tick positions and their labels.
    var ticks: [(value: Double, label: String)] {
        switch self {
        case .continuous(let scale):
            return scale.ticks.map { ($0, scale.label($0)) }
        case .categories(let names):
            return names.enumerated().map { (Double($0.offset), $0.element) }
        }
    }

    var isCategorical: Bool {
        if case .categories = self { return true }
        return false
    }
}

/// The layout of a chart: title on top, a plot area with axes, tick labels
/// and axis titles around it, and optional room for a legend on the right.
/// Maps data coordinates to canvas points.
struct PlotFrame {
    let title: String
    let xTitle: String
    let yTitle: String
    let x: Axis
    let y: Axis
    /// The plot area in canvas points.
    let left: Double, top: Double, width: Double, height: Double
    /// Whether category names along x are drawn slanted to fit.
    let slantedX: Bool

    /// Lays out a chart of `size` on `canvas` (used to measure text).
    init(
        canvas: Canvas, size: (width: Int, height: Int), title: String, xTitle: String, yTitle: String,
        x: Axis, y: Axis, legendWidth: Double = 0
    ) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.x = x
        self.y = y
        canvas.setFont(size: Theme.smallSize)
        let yTickWidth = y.ticks.map { canvas.measure($0.label).width }.max() ?? 0
        let xTickWidth = x.ticks.map { canvas.measure($0.label).width }.max() ?? 0
        let top = Theme.margin + (title.isEmpty ? 0 : 26)
        let left = Theme.margin + (yTitle.isEmpty ? 0 : 18) + yTickWidth + 8
        let right = Theme.margin + legendWidth
        let plotWidth = Double(size.width) - left - right
        let slotWidth = plotWidth / Double(max(1, x.ticks.count))
        let slanted = x.isCategorical && xTickWidth > slotWidth - 4
        let xTickHeight = slanted ? xTickWidth * 0.6 + 12 : 16
        let bottom = Theme.margin + (xTitle.isEmpty ? 0 : 18) + xTickHeight
        self.left = left
        self.top = top
        width = max(10, plotWidth)
        height = max(10, Double(size.height) - top - bottom)
        slantedX = slanted
    }

    /// Canvas x of data value `value`.
    func px(_ value: Double) -> Double { left + x.fraction(value) * width }
    /// Canvas y of data value `value` (up is larger).
    func py(_ value: Double) -> Double { top + height - y.fraction(value) * height }

    /// Title, grid lines, axes, ticks and axis titles.
    func drawAxes(on canvas: Canvas, size: (width: Int, height: Int), gridX: Bool = false, gridY: Bool = true) {
        if !title.isEmpty {
            canvas.setColor(Theme.ink)
            canvas.setFont(size: Theme.titleSize, weight: .bold)
            canvas.text(title, x: Double(size.width) / 2, y: Theme.margin + 13, alignment: .center)
        }
        canvas.setLineWidth(1)
        canvas.setColor(Theme.gridLine)
        if gridY, case .continuous = y {
            for tick in y.ticks {
                canvas.move(to: left, py(tick.value).rounded() + 0.5)
                canvas.line(to: left + width, py(tick.value).rounded() + 0.5)
            }
            canvas.stroke()
        }
        if gridX, case .continuous = x {
            for tick in x.ticks {
                canvas.move(to: px(tick.value).rounded() + 0.5, top)
                canvas.line(to: px(tick.value).rounded() + 0.5, top + height)
            }
            canvas.stroke()
        }
        canvas.setColor(Theme.axisLine)
        canvas.move(to: left - 0.5, top)
        canvas.line(to: left - 0.5, top + height + 0.5)
        canvas.line(to: left + width, top + height + 0.5)
        canvas.stroke()

        canvas.setFont(size: Theme.smallSize)
        canvas.setColor(Theme.mutedInk)
        for tick in y.ticks {
            canvas.text(tick.label, x: left - 6, y: py(tick.value) + 3.5, alignment: .right)
        }
        for tick in x.ticks {
            let position = px(tick.value)
            if slantedX {
                canvas.withState {
                    canvas.translate(position + 3, top + height + 10)
                    canvas.rotate(-0.6)
                    canvas.text(tick.label, x: 0, y: 0, alignment: .right)
                }
            } else {
                canvas.text(tick.label, x: position, y: top + height + 14, alignment: .center)
            }
        }
        canvas.setFont(size: Theme.labelSize)
        canvas.setColor(Theme.ink)
        if !xTitle.isEmpty {
            canvas.text(xTitle, x: left + width / 2, y: Double(size.height) - Theme.margin, alignment: .center)
        }
        if !yTitle.isEmpty {
            canvas.verticalText(yTitle, x: Theme.margin + 8, y: top + height / 2)
        }
    }

    /// A legend at the right of the plot area.
    func drawLegend(on canvas: Canvas, title: String, entries: [LegendEntry]) {
        let x = left + width + 14
        var y = top + 4
        canvas.setFont(size: Theme.labelSize, weight: .bold)
        canvas.setColor(Theme.ink)
        canvas.text(title, x: x, y: y + 9)
        y += title.isEmpty ? 0 : 20
        canvas.setFont(size: Theme.labelSize)
        for entry in entries {
            canvas.withState {
                canvas.setColor(entry.color)
                switch entry.mark {
                case .swatch:
                    canvas.rectangle(x, y, 11, 11)
                    canvas.fill()
                case .dashedLine(let pattern):
                    canvas.setLineWidth(1.5)
                    canvas.setDash(pattern)
                    canvas.move(to: x - 2, y + 5.5)
                    canvas.line(to: x + 13, y + 5.5)
                    canvas.stroke()
                case .cross:
                    canvas.setLineWidth(2.5)
                    canvas.setRoundLines()
                    canvas.move(to: x + 1, y + 1)
                    canvas.line(to: x + 10, y + 10)
                    canvas.move(to: x + 1, y + 10)
                    canvas.line(to: x + 10, y + 1)
                    canvas.stroke()
                }
            }
            canvas.setColor(Theme.ink)
            canvas.text(entry.name, x: x + 19, y: y + 9.5)
            y += 17
        }
    }

    /// The width a legend needs for `entries` under `title`.
    static func legendWidth(canvas: Canvas, title: String, entries: [String]) -> Double {
        canvas.setFont(size: Theme.labelSize, weight: .bold)
        let titleWidth = canvas.measure(title).width
        canvas.setFont(size: Theme.labelSize)
        let entryWidth = (entries.map { canvas.measure($0).width }.max() ?? 0) + 19
        return max(titleWidth, entryWidth) + 22
    }
}

/// One line of a chart legend.
struct LegendEntry {
    /// How the entry is marked.
    enum Mark {
        /// A filled square (a category).
        case swatch
        /// A short dashed line (a reference line).
        case dashedLine([Double])
        /// An × (a centre marker).
        case cross
    }

    let name: String
    let color: Color
    let mark: Mark
}
