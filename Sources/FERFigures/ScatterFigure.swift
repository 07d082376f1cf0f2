import FERCanvas

/// Points in two dimensions coloured by group (PCA or SVD components 1 and
/// 2 coloured by cluster), optionally with the group centres marked.
///
/// Tens of thousands of points are splatted into a pixel buffer with alpha
/// blending, in row order, and the buffer is drawn as one image: dense
/// regions read darker, and drawing stays fast and deterministic.
package struct ScatterFigure: Figure {
    /// Horizontal coordinates.
    package let xs: [Float]
    /// Vertical coordinates.
    package let ys: [Float]
    /// Group of each point, `0..<groupNames.count`.
    package let groups: [Int32]
    /// Legend names of the groups.
    package let groupNames: [String]
    /// Group centres to mark, as (x, y), or empty.
    package let centres: [(x: Float, y: Float)]
    /// The figure title.
    package let title: String
    /// Title of the horizontal axis.
    package let xTitle: String
    /// Title of the vertical axis.
    package let yTitle: String
    /// Legend heading.
    package let legendTitle: String
    /// Width in points.
    package let width: Int
    /// Height in points.
    package let height: Int
    /// Opacity of each point.
    package let pointAlpha: Double
    /// Point side in points.
    package let pointSize: Double

    /// A scatter plot; see the properties for the parameters.
    package init(
        xs: [Float], ys: [Float], groups: [Int32], groupNames: [String], centres: [(x: Float, y: Float)] = [],
        title: String, xTitle: String, yTitle: String, legendTitle: String = "Cluster",
        width: Int = 720, height: Int = 540, pointAlpha: Double = 0.45, pointSize: Double = 2
    ) {
        precondition(xs.count == ys.count && xs.count == groups.count, "one x, y and group per point")
        self.xs = xs
        self.ys = ys
        self.groups = groups
        self.groupNames = groupNames
        self.centres = centres
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.legendTitle = legendTitle
        self.width = width
        self.height = height
        self.pointAlpha = pointAlpha
        self.pointSize = pointSize
    }

    /// The frame the points are drawn in.
    func frame(on canvas: Canvas) -> PlotFrame {
        let xValues = xs.filter(\.isFinite) + centres.map(\.x), yValues = ys.filter(\.isFinite) + centres.map(\.y)
        let xScale = NiceScale(Double(xValues.min() ?? 0), Double(xValues.max() ?? 1))
        let yScale = NiceScale(Double(yValues.min() ?? 0), Double(yValues.max() ?? 1))
        let legend = PlotFrame.legendWidth(canvas: canvas, title: legendTitle, entries: groupNames + ["centre"])
        return PlotFrame(
            canvas: canvas, size: (width, height), title: title, xTitle: xTitle, yTitle: yTitle,
            x: .continuous(xScale), y: .continuous(yScale), legendWidth: legend)
    }

    package func draw(on canvas: Canvas) {
        let frame = frame(on: canvas)
        frame.drawAxes(on: canvas, size: (width, height), gridX: true)
        drawPoints(on: canvas, frame: frame)
        for (index, centre) in centres.enumerated() {
            let x = frame.px(Double(centre.x)), y = frame.py(Double(centre.y))
            canvas.withState {
                canvas.setRoundLines()
                for (color, lineWidth) in [(Color.white, 5.0), (Theme.ink, 2.5)] {
                    canvas.setColor(color)
                    canvas.setLineWidth(lineWidth)
                    canvas.move(to: x - 6, y - 6)
                    canvas.line(to: x + 6, y + 6)
                    canvas.move(to: x - 6, y + 6)
                    canvas.line(to: x + 6, y - 6)
                    canvas.stroke()
                }
                canvas.setColor(Theme.category(index))
                canvas.circle(x, y, radius: 3)
                canvas.fill()
            }
        }
        var entries = groupNames.enumerated().map {
            LegendEntry(name: $0.element, color: Theme.category($0.offset), mark: .swatch)
        }
        if !centres.isEmpty { entries.append(LegendEntry(name: "centre", color: Theme.ink, mark: .cross)) }
        frame.drawLegend(on: canvas, title: legendTitle, entries: entries)
    }

    /// Blends every point into an RGBA buffer covering the plot area at device resolution.
    private func drawPoints(on canvas: Canvas, frame: PlotFrame) {
        let scale = canvas.scale
        let pixelWidth = max(1, Int((frame.width * scale).rounded())),
            pixelHeight = max(1, Int((frame.height * scale).rounded()))
        var red = [Float](repeating: 1, count: pixelWidth * pixelHeight)
        var green = red, blue = red
        var coverage = [Float](repeating: 0, count: pixelWidth * pixelHeight)
        let alpha = Float(pointAlpha)
        let side = max(1, Int((pointSize * scale).rounded()))
        let colors = (0..<max(1, groupNames.count)).map { Theme.category($0) }
        for index in 0..<xs.count where xs[index].isFinite && ys[index].isFinite {
            let color = colors[Int(groups[index]) % colors.count]
            let cx = (frame.px(Double(xs[index])) - frame.left) * scale
            let cy = (frame.py(Double(ys[index])) - frame.top) * scale
            let x0 = Int((cx - Double(side) / 2).rounded()), y0 = Int((cy - Double(side) / 2).rounded())
            for py in max(0, y0)..<min(pixelHeight, y0 + side) {
                for px in max(0, x0)..<min(pixelWidth, x0 + side) {
                    let pixel = py * pixelWidth + px
                    red[pixel] += (Float(color.red) - red[pixel]) * alpha
                    green[pixel] += (Float(color.green) - green[pixel]) * alpha
                    blue[pixel] += (Float(color.blue) - blue[pixel]) * alpha
                    coverage[pixel] += (1 - coverage[pixel]) * alpha
                }
            }
        }
        var rgba = [UInt8](repeating: 0, count: pixelWidth * pixelHeight * 4)
        for pixel in 0..<(pixelWidth * pixelHeight) where coverage[pixel] > 0 {
            // Straight (unpremultiplied) colour over white, with the coverage as opacity.
            let opacity = coverage[pixel]
            func channel(_ value: Float) -> UInt8 {
                UInt8(max(0, min(255, ((value - (1 - opacity)) / opacity * 255).rounded())))
            }
            rgba[pixel * 4] = channel(red[pixel])
            rgba[pixel * 4 + 1] = channel(green[pixel])
            rgba[pixel * 4 + 2] = channel(blue[pixel])
            rgba[pixel * 4 + 3] = UInt8((opacity * 255).rounded())
        }
        canvas.drawRGBA(
            rgba, imageWidth: pixelWidth, imageHeight: pixelHeight,
            x: frame.left, y: frame.top, width: frame.width, height: frame.height)
    }
}
