import FERCanvas
import Foundation

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
/// and axis titles around it, and optional room for a legend on the right or
/// below. Category names along x that do not fit their slots are slanted,
/// or stood upright with only every so many named when even that would
/// overlap, and shortened with an ellipsis where slanted they would take
/// more than 40% of the figure's height; the plot moves right when the first slanted name would run off
/// the figure. Maps data coordinates to canvas points.
struct PlotFrame {
    let title: String
    let xTitle: String
    let yTitle: String
    let x: Axis
    let y: Axis
    /// The plot area in canvas points.
    let left: Double, top: Double, width: Double, height: Double
    /// How far category names along x are turned from horizontal, in radians (0, `slant` or a quarter turn).
    let xLabelAngle: Double
    /// The name drawn under each x tick (shortened to fit), `nil` where one is left out for room.
    let xLabels: [String?]
    /// The legend below the plot, if it goes there.
    let belowLegend: BelowLegend?

    /// The turn of slanted category names.
    static let slant = 0.6

    /// Lays out a chart of `size` on `canvas` (used to measure text).
    init(
        canvas: Canvas, size: (width: Int, height: Int), title: String, xTitle: String, yTitle: String,
        x: Axis, y: Axis, legendWidth: Double = 0, belowLegend: BelowLegend? = nil
    ) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.x = x
        self.y = y
        self.belowLegend = belowLegend
        canvas.setFont(size: Theme.smallSize)
        let yTickWidth = y.ticks.map { canvas.measure($0.label).width }.max() ?? 0
        let labels = x.ticks.map(\.label)
        let line = canvas.measure("Ag")
        let lineHeight = line.ascent + line.descent
        let top = Theme.margin + (title.isEmpty ? 0 : 26)
        var left = Theme.margin + (yTitle.isEmpty ? 0 : 18) + yTickWidth + 8
        let right = Theme.margin + legendWidth
        var plotWidth = Double(size.width) - left - right
        var slotWidth = plotWidth / Double(max(1, labels.count))
        var angle = 0.0
        var shown: [String?] = labels
        if x.isCategorical && (labels.map { canvas.measure($0).width }.max() ?? 0) > slotWidth - 4 {
            // A slanted name may take up to 40% of the figure's height.
            let longest = max(40, (Double(size.height) * 0.4 - 12) / 0.6)
            if slotWidth * sin(Self.slant) >= lineHeight + 1 {
                angle = Self.slant
                // A name, ending under its tick, reaches left by its width's run along the slant (turned text is
                // a few percent wider than level text, its advances fitted to the pixels). The plot moves right
                // for the names to stay on the figure, up to a quarter of its width; names that would need more
                // are shortened.
                let run = 1.04 * cos(Self.slant), rise = line.ascent * sin(Self.slant) - 3
                let cap = max(left, Double(size.width) / 4)
                for _ in 0..<3 {
                    shown = labels.enumerated().map { index, label in
                        let room = (cap + slotWidth * (Double(index) + 0.5) - 2 - rise) / run
                        return canvas.fitted(label, width: min(longest, room))
                    }
                    var needed = 0.0
                    for (index, label) in shown.enumerated() {
                        let reach: Double = canvas.measure(label ?? "").width * run + rise
                        needed = max(needed, reach - slotWidth * (Double(index) + 0.5) + 2)
                    }
                    guard needed > left else { break }
                    left = needed
                    plotWidth = Double(size.width) - left - right
                    slotWidth = plotWidth / Double(max(1, labels.count))
                }
            } else {
                angle = Double.pi / 2
                let step = max(1, Int(((lineHeight + 1) / max(1, slotWidth)).rounded(.up)))
                shown = labels.enumerated().map {
                    $0.offset % step == 0 ? canvas.fitted($0.element, width: longest) : nil
                }
            }
        }
        let xTickWidth = shown.map { canvas.measure($0 ?? "").width }.max() ?? 0
        let xTickHeight: Double
        switch angle {
        case 0: xTickHeight = 16
        case Self.slant: xTickHeight = xTickWidth * 0.6 + 12
        default: xTickHeight = xTickWidth + 12
        }
        let bottom =
            Theme.margin + (xTitle.isEmpty ? 0 : 18) + xTickHeight + (belowLegend?.height ?? 0)
        self.left = left
        self.top = top
        width = max(10, plotWidth)
        height = max(10, Double(size.height) - top - bottom)
        xLabelAngle = angle
        xLabels = shown
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
        for (tick, label) in zip(x.ticks, xLabels) {
            guard let label else { continue }
            let position = px(tick.value)
            switch xLabelAngle {
            case 0:
                canvas.text(label, x: position, y: top + height + 14, alignment: .center)
            case Self.slant:
                canvas.withState {
                    canvas.translate(position + 3, top + height + 10)
                    canvas.rotate(-Self.slant)
                    canvas.text(label, x: 0, y: 0, alignment: .right)
                }
            default:
                // Upright, reading upwards, hanging from the axis and centred on the tick.
                let extents = canvas.measure(label)
                canvas.withState {
                    canvas.translate(position + (extents.ascent - extents.descent) / 2, top + height + 8)
                    canvas.rotate(-Double.pi / 2)
                    canvas.text(label, x: 0, y: 0, alignment: .right)
                }
            }
        }
        canvas.setFont(size: Theme.labelSize)
        canvas.setColor(Theme.ink)
        if !xTitle.isEmpty {
            canvas.text(
                xTitle, x: left + width / 2, y: Double(size.height) - Theme.margin - (belowLegend?.height ?? 0),
                alignment: .center)
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
            drawEntry(entry, on: canvas, x: x, y: y)
            y += 17
        }
    }

    /// One legend entry, its mark's top left at (`x`, `y`).
    private func drawEntry(_ entry: LegendEntry, on canvas: Canvas, x: Double, y: Double) {
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
    }

    /// The legend below the plot: its title, then its entries (named as `belowLegend` shortened them) in rows.
    func drawBelowLegend(on canvas: Canvas, size: (width: Int, height: Int), entries: [LegendEntry]) {
        guard let legend = belowLegend else { return }
        var y = Double(size.height) - Theme.margin - legend.height + 12
        let x = Theme.margin
        if !legend.title.isEmpty {
            canvas.setFont(size: Theme.labelSize, weight: .bold)
            canvas.setColor(Theme.ink)
            canvas.text(legend.title, x: x, y: y + 9)
            y += 20
        }
        canvas.setFont(size: Theme.labelSize)
        for (entry, (name, place)) in zip(entries, zip(legend.names, legend.places)) {
            drawEntry(
                LegendEntry(name: name, color: entry.color, mark: entry.mark), on: canvas,
                x: x + place.x, y: y + Double(place.row) * BelowLegend.rowHeight)
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
