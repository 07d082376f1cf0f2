import CCairo

/// A drawing surface over Cairo: a raster image (PNG output) or an SVG
/// document, addressed in points, with paths, text and images.
///
/// One canvas belongs to one task; it frees its Cairo objects when released.
package final class Canvas {
    /// Width in points.
    package let width: Double
    /// Height in points.
    package let height: Double
    /// Device pixels per point (raster canvases).
    package let scale: Double

    private let surface: OpaquePointer
    private let context: OpaquePointer
    private let svgSink: ByteSink?
    private var color = Color.black

    /// Whether fills, strokes and text are recorded in `drawn`, for checking a figure's layout.
    package var recordsLayout = false
    /// What was drawn while `recordsLayout` was set, in drawing order.
    package private(set) var drawn: [DrawnMark] = []

    /// A raster canvas of `width` x `height` points rendered at `scale`
    /// pixels per point, filled with `background` (transparent when `nil`).
    package init(width: Int, height: Int, scale: Double = 1, background: Color? = .white) {
        precondition(width > 0 && height > 0 && scale > 0, "canvas size must be positive")
        self.width = Double(width)
        self.height = Double(height)
        self.scale = scale
        let pixelWidth = Int32((Double(width) * scale).rounded(.up))
        let pixelHeight = Int32((Double(height) * scale).rounded(.up))
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pixelWidth, pixelHeight)
        context = cairo_create(surface)
        svgSink = nil
        cairo_scale(context, scale, scale)
        if let background { fillBackground(background) }
    }

    /// A vector canvas whose `svgData()` is an SVG document.
    package init(svgWidth width: Int, height: Int, background: Color? = .white) {
        self.width = Double(width)
        self.height = Double(height)
        self.scale = 1
        let sink = ByteSink()
        svgSink = sink
        surface = cairo_svg_surface_create_for_stream(
            ByteSink.write,
            Unmanaged.passUnretained(sink).toOpaque(),
            Double(width), Double(height))
        cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_2)
        context = cairo_create(surface)
        if let background { fillBackground(background) }
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// A point of user space in canvas points.
    private func canvasPoint(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        var (deviceX, deviceY) = (x, y)
        cairo_user_to_device(context, &deviceX, &deviceY)
        return (deviceX / scale, deviceY / scale)
    }

    /// The canvas-point box around a user-space rectangle's corners (turned or scaled as drawn).
    private func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> DrawnMark.Box {
        let corners = [canvasPoint(x0, y0), canvasPoint(x1, y0), canvasPoint(x0, y1), canvasPoint(x1, y1)]
        return DrawnMark.Box(
            minX: corners.map(\.x).min() ?? 0, minY: corners.map(\.y).min() ?? 0,
            maxX: corners.map(\.x).max() ?? 0, maxY: corners.map(\.y).max() ?? 0)
    }

    /// Records the current path's straight pieces (curves flattened) before it is stroked.
    private func recordStroke() {
        guard let path = cairo_copy_path_flat(context) else { return }
        defer { cairo_path_destroy(path) }
        var segments: [DrawnMark.Segment] = []
        var start: (x: Double, y: Double)? = nil, current: (x: Double, y: Double)? = nil
        var index = 0
        let count = Int(path.pointee.num_data)
        while index < count, let data = path.pointee.data {
            let header = data[index].header
            switch header.type {
            case CAIRO_PATH_MOVE_TO:
                current = canvasPoint(data[index + 1].point.x, data[index + 1].point.y)
                start = current
            case CAIRO_PATH_LINE_TO:
                let next = canvasPoint(data[index + 1].point.x, data[index + 1].point.y)
                if let from = current { segments.append(DrawnMark.Segment(from: from, to: next)) }
                current = next
            case CAIRO_PATH_CLOSE_PATH:
                if let from = current, let to = start { segments.append(DrawnMark.Segment(from: from, to: to)) }
                current = start
            default:
                break
            }
            index += Int(header.length)
        }
        let xs = segments.flatMap { [$0.from.x, $0.to.x] }, ys = segments.flatMap { [$0.from.y, $0.to.y] }
        drawn.append(
            DrawnMark(
                kind: .stroke(color),
                box: DrawnMark.Box(
                    minX: xs.min() ?? 0, minY: ys.min() ?? 0, maxX: xs.max() ?? 0, maxY: ys.max() ?? 0),
                segments: segments))
    }

    private func fillBackground(_ color: Color) {
        setColor(color)
        cairo_paint(context)
    }

    // MARK: State

    /// Saves the graphics state (transform, colour, line width, clip).
    package func save() { cairo_save(context) }
    /// Restores the last saved graphics state.
    package func restore() { cairo_restore(context) }
    /// Runs `body` between `save()` and `restore()`.
    package func withState(_ body: () -> Void) {
        save()
        body()
        restore()
    }
    /// Moves the origin.
    package func translate(_ x: Double, _ y: Double) { cairo_translate(context, x, y) }
    /// Rotates by `radians` around the origin.
    package func rotate(_ radians: Double) { cairo_rotate(context, radians) }
    /// Scales the axes.
    package func scaleBy(_ x: Double, _ y: Double) { cairo_scale(context, x, y) }
    /// Sets the source colour for filling, stroking and text.
    package func setColor(_ color: Color) {
        self.color = color
        cairo_set_source_rgba(context, color.red, color.green, color.blue, color.alpha)
    }
    /// Sets the stroke width in points.
    package func setLineWidth(_ width: Double) { cairo_set_line_width(context, width) }
    /// Rounds line ends and joins.
    package func setRoundLines() {
        cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
    }
    /// Sets a dash pattern (empty for solid lines).
    package func setDash(_ pattern: [Double]) {
        cairo_set_dash(context, pattern, Int32(pattern.count), 0)
    }
    /// Turns antialiasing of shapes on or off (off gives crisp pixel-aligned edges).
    package func setAntialias(_ enabled: Bool) {
        cairo_set_antialias(context, enabled ? CAIRO_ANTIALIAS_DEFAULT : CAIRO_ANTIALIAS_NONE)
    }

    // MARK: Paths

    /// Starts a new sub-path at a point.
    package func move(to x: Double, _ y: Double) { cairo_move_to(context, x, y) }
    /// Adds a line to a point.
    package func line(to x: Double, _ y: Double) { cairo_line_to(context, x, y) }
    /// Adds a cubic Bézier curve.
    package func curve(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, to x: Double, _ y: Double) {
        cairo_curve_to(context, x1, y1, x2, y2, x, y)
    }
    /// Adds a quadratic Bézier curve from the current point.
    package func quadCurve(control cx: Double, _ cy: Double, to x: Double, _ y: Double) {
        var x0 = 0.0, y0 = 0.0
        cairo_get_current_point(context, &x0, &y0)
        curve(
            x0 + 2 / 3 * (cx - x0), y0 + 2 / 3 * (cy - y0),
            x + 2 / 3 * (cx - x), y + 2 / 3 * (cy - y), to: x, y)
    }
    /// Closes the current sub-path.
    package func closePath() { cairo_close_path(context) }
    /// Adds a rectangle.
    package func rectangle(_ x: Double, _ y: Double, _ width: Double, _ height: Double) {
        cairo_rectangle(context, x, y, width, height)
    }
    /// Adds a circle.
    package func circle(_ x: Double, _ y: Double, radius: Double) {
        cairo_new_sub_path(context)
        cairo_arc(context, x, y, radius, 0, 2 * Double.pi)
    }
    /// Adds an axis-aligned ellipse.
    package func ellipse(_ x: Double, _ y: Double, radiusX: Double, radiusY: Double) {
        guard radiusX > 0, radiusY > 0 else { return }
        cairo_save(context)
        cairo_translate(context, x, y)
        cairo_scale(context, radiusX, radiusY)
        cairo_new_sub_path(context)
        cairo_arc(context, 0, 0, 1, 0, 2 * Double.pi)
        cairo_restore(context)
    }
    /// Fills the current path (and clears it unless `preserve`).
    package func fill(preserve: Bool = false) {
        if recordsLayout {
            var x0 = 0.0, y0 = 0.0, x1 = 0.0, y1 = 0.0
            cairo_fill_extents(context, &x0, &y0, &x1, &y1)
            drawn.append(DrawnMark(kind: .fill(color), box: box(x0, y0, x1, y1), segments: []))
        }
        preserve ? cairo_fill_preserve(context) : cairo_fill(context)
    }
    /// Strokes the current path (and clears it unless `preserve`).
    package func stroke(preserve: Bool = false) {
        if recordsLayout { recordStroke() }
        preserve ? cairo_stroke_preserve(context) : cairo_stroke(context)
    }
    /// Intersects the clip with the current path and clears it.
    package func clip() { cairo_clip(context) }
    /// Paints the source over the whole clip.
    package func paint() { cairo_paint(context) }

    /// Fills the current path with a linear gradient between two points.
    package func fillLinearGradient(
        from start: (Double, Double), _ startColor: Color,
        to end: (Double, Double), _ endColor: Color, preserve: Bool = false
    ) {
        guard let pattern = cairo_pattern_create_linear(start.0, start.1, end.0, end.1) else { return }
        defer { cairo_pattern_destroy(pattern) }
        cairo_pattern_add_color_stop_rgba(
            pattern, 0, startColor.red, startColor.green, startColor.blue, startColor.alpha)
        cairo_pattern_add_color_stop_rgba(pattern, 1, endColor.red, endColor.green, endColor.blue, endColor.alpha)
        cairo_set_source(context, pattern)
        fill(preserve: preserve)
    }

    /// Fills the current path with a radial gradient from a centre colour to an edge colour.
    package func fillRadialGradient(
        center: (Double, Double), radius: Double, _ innerColor: Color,
        _ outerColor: Color, preserve: Bool = false
    ) {
        guard let pattern = cairo_pattern_create_radial(center.0, center.1, 0, center.0, center.1, radius) else {
            return
        }
        defer { cairo_pattern_destroy(pattern) }
        cairo_pattern_add_color_stop_rgba(
            pattern, 0, innerColor.red, innerColor.green, innerColor.blue, innerColor.alpha)
        cairo_pattern_add_color_stop_rgba(
            pattern, 1, outerColor.red, outerColor.green, outerColor.blue, outerColor.alpha)
        cairo_set_source(context, pattern)
        fill(preserve: preserve)
    }

    // MARK: Text

    /// Font weight.
    package enum Weight: Sendable {
        /// Regular text.
        case regular
        /// Bold text.
        case bold
    }

    /// The size of a piece of text.
    package struct TextExtents: Sendable {
        /// Advance width in points.
        package var width: Double
        /// Height of the ink above the baseline.
        package var ascent: Double
        /// Height of the ink below the baseline.
        package var descent: Double
    }

    /// The sans-serif family used for all text.
    package static let fontFamily = "DejaVu Sans"

    /// Selects the font for following text calls.
    package func setFont(size: Double, weight: Weight = .regular) {
        cairo_select_font_face(
            context, Self.fontFamily, CAIRO_FONT_SLANT_NORMAL,
            weight == .bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }

    /// The advance width of `text` in the figure font, without a canvas at
    /// hand (for sizing a figure before drawing it).
    package static func textWidth(_ text: String, size: Double, weight: Weight = .regular) -> Double {
        let scratch = Canvas(width: 1, height: 1, background: nil)
        scratch.setFont(size: size, weight: weight)
        return scratch.measure(text).width
    }

    /// Measures `text` in the current font.
    package func measure(_ text: String) -> TextExtents {
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        var font = cairo_font_extents_t()
        cairo_font_extents(context, &font)
        return TextExtents(width: extents.x_advance, ascent: font.ascent, descent: font.descent)
    }

    /// Horizontal placement of text relative to its anchor.
    package enum Alignment: Sendable {
        /// The text starts at the anchor.
        case left
        /// The text is centred on the anchor.
        case center
        /// The text ends at the anchor.
        case right
    }

    /// Draws `text` with its baseline at `y`, placed horizontally by `alignment`.
    package func text(_ text: String, x: Double, y: Double, alignment: Alignment = .left) {
        let width = measure(text).width
        let start: Double
        switch alignment {
        case .left: start = x
        case .center: start = x - width / 2
        case .right: start = x - width
        }
        if recordsLayout {
            let extents = measure(text)
            let top = y - extents.ascent, bottom = y + extents.descent
            drawn.append(
                DrawnMark(
                    kind: .text(text), box: box(start, top, start + width, bottom), segments: [],
                    outline: [
                        canvasPoint(start, top), canvasPoint(start + width, top), canvasPoint(start + width, bottom),
                        canvasPoint(start, bottom),
                    ]))
        }
        cairo_move_to(context, start, y)
        cairo_show_text(context, text)
        cairo_new_path(context)
    }

    /// Draws `text` rotated a quarter turn counter-clockwise, centred on (`x`, `y`),
    /// for vertical axis labels.
    package func verticalText(_ text: String, x: Double, y: Double) {
        withState {
            translate(x, y)
            rotate(-Double.pi / 2)
            self.text(text, x: 0, y: 0, alignment: .center)
        }
    }

    // MARK: Images

    /// Draws a grayscale image (row-major bytes) into the rectangle at (`x`, `y`)
    /// of size `width` x `height` points; `smooth` interpolates, otherwise
    /// each source pixel becomes a crisp square.
    package func drawGray(
        _ pixels: ArraySlice<UInt8>, imageWidth: Int, imageHeight: Int,
        x: Double, y: Double, width: Double, height: Double, smooth: Bool = false
    ) {
        precondition(pixels.count == imageWidth * imageHeight, "pixel count must match the image size")
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, Int32(imageWidth)))
        let data = UnsafeMutableRawPointer.allocate(byteCount: stride * imageHeight, alignment: 16)
        defer { data.deallocate() }
        var sourceIndex = pixels.startIndex
        for row in 0..<imageHeight {
            let line = (data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<imageWidth {
                let value = UInt32(pixels[sourceIndex])
                line[column] = 0xFF00_0000 | value << 16 | value << 8 | value
                sourceIndex += 1
            }
        }
        paint(
            data, format: CAIRO_FORMAT_RGB24, stride: stride, imageWidth: imageWidth, imageHeight: imageHeight,
            x: x, y: y, width: width, height: height, filter: smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST)
    }

    /// Draws straight (not premultiplied) RGBA bytes into the rectangle at
    /// (`x`, `y`) of size `width` x `height` points, without smoothing.
    package func drawRGBA(
        _ bytes: [UInt8], imageWidth: Int, imageHeight: Int,
        x: Double, y: Double, width: Double, height: Double
    ) {
        precondition(bytes.count == imageWidth * imageHeight * 4, "four bytes per pixel")
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, Int32(imageWidth)))
        let data = UnsafeMutableRawPointer.allocate(byteCount: stride * imageHeight, alignment: 16)
        defer { data.deallocate() }
        for row in 0..<imageHeight {
            let line = (data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<imageWidth {
                let index = (row * imageWidth + column) * 4
                let alpha = UInt32(bytes[index + 3])
                func premultiplied(_ value: UInt8) -> UInt32 { (UInt32(value) * alpha + 127) / 255 }
                line[column] =
                    alpha << 24 | premultiplied(bytes[index]) << 16
                    | premultiplied(bytes[index + 1]) << 8 | premultiplied(bytes[index + 2])
            }
        }
        paint(
            data, format: CAIRO_FORMAT_ARGB32, stride: stride, imageWidth: imageWidth, imageHeight: imageHeight,
            x: x, y: y, width: width, height: height, filter: CAIRO_FILTER_NEAREST)
    }

    /// Paints pixel rows in Cairo's `format` (`stride` bytes apart) scaled into
    /// the rectangle at (`x`, `y`) of size `width` x `height` points.
    private func paint(
        _ data: UnsafeMutableRawPointer, format: cairo_format_t, stride: Int, imageWidth: Int, imageHeight: Int,
        x: Double, y: Double, width: Double, height: Double, filter: cairo_filter_t
    ) {
        guard
            let image = cairo_image_surface_create_for_data(
                data.assumingMemoryBound(to: UInt8.self), format, Int32(imageWidth), Int32(imageHeight), Int32(stride))
        else { return }
        defer { cairo_surface_destroy(image) }
        withState {
            translate(x, y)
            scaleBy(width / Double(imageWidth), height / Double(imageHeight))
            cairo_set_source_surface(context, image, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(context), filter)
            cairo_rectangle(context, 0, 0, Double(imageWidth), Double(imageHeight))
            cairo_fill(context)
        }
    }

    // MARK: Output

    /// The raster canvas's pixels as gray levels (the green channel, alpha
    /// ignored), row-major at device resolution.
    package func grayPixels() -> [UInt8] {
        precondition(svgSink == nil, "grayPixels needs a raster canvas")
        cairo_surface_flush(surface)
        let pixelWidth = Int(cairo_image_surface_get_width(surface))
        let pixelHeight = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return [] }
        var output = [UInt8](repeating: 0, count: pixelWidth * pixelHeight)
        for row in 0..<pixelHeight {
            let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<pixelWidth {
                output[row * pixelWidth + column] = UInt8((line[column] >> 8) & 0xFF)
            }
        }
        return output
    }

    /// The raster canvas's pixels as RGB bytes (for opaque canvases), row-major.
    package func rgbPixels() -> (width: Int, height: Int, bytes: [UInt8]) {
        precondition(svgSink == nil, "rgbPixels needs a raster canvas")
        cairo_surface_flush(surface)
        let pixelWidth = Int(cairo_image_surface_get_width(surface))
        let pixelHeight = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return (0, 0, []) }
        let bytes = [UInt8](unsafeUninitializedCapacity: pixelWidth * pixelHeight * 3) { buffer, initialized in
            for row in 0..<pixelHeight {
                let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
                let out = buffer.baseAddress! + row * pixelWidth * 3
                for column in 0..<pixelWidth {
                    let pixel = line[column]
                    out[column * 3] = UInt8(truncatingIfNeeded: pixel >> 16)
                    out[column * 3 + 1] = UInt8(truncatingIfNeeded: pixel >> 8)
                    out[column * 3 + 2] = UInt8(truncatingIfNeeded: pixel)
                }
            }
            initialized = pixelWidth * pixelHeight * 3
        }
        return (pixelWidth, pixelHeight, bytes)
    }

    /// The vector canvas finished as an SVG document. The canvas cannot be
    /// drawn on afterwards.
    package func svgData() throws -> [UInt8] {
        guard let svgSink else { preconditionFailure("svgData needs an SVG canvas") }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw CanvasError("SVG output failed: \(String(cString: cairo_status_to_string(status)))")
        }
        return Self.pixelatingImages(Self.renumberingSurfaceIDs(svgSink.bytes))
    }

    /// FERLab draws images crisp (each source pixel a square); Cairo's SVG
    /// does not say so, and browsers would smooth them.
    static func pixelatingImages(_ bytes: [UInt8]) -> [UInt8] {
        let tag = Array("<image ".utf8), marked = Array("<image style=\"image-rendering:pixelated\" ".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == tag[0], bytes[index...].starts(with: tag) {
                output += marked
                index += tag.count
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    /// Cairo names SVG groups and embedded images after process-wide surface
    /// counters (`surface7`, `image12`), so the same drawing gets different
    /// ids depending on what was drawn before. Renumbering them by first
    /// appearance makes the document depend on the drawing alone.
    static func renumberingSurfaceIDs(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var mapping: [String: [Int: Int]] = [:]
        let prefixes = ["surface", "image"].map { Array($0.utf8) }
        var index = 0
        scan: while index < bytes.count {
            for prefix in prefixes where bytes[index...].starts(with: prefix) {
                var end = index + prefix.count
                var number = 0
                while end < bytes.count, bytes[end] >= 48, bytes[end] <= 57, number < 100_000_000 {
                    number = number * 10 + Int(bytes[end] - 48)
                    end += 1
                }
                guard end > index + prefix.count else { break }
                let name = String(decoding: prefix, as: UTF8.self)
                let renumbered = mapping[name, default: [:]][number] ?? (mapping[name]?.count ?? 0) + 1
                mapping[name, default: [:]][number] = renumbered
                output += prefix
                output += Array(String(renumbered).utf8)
                index = end
                continue scan
            }
            output.append(bytes[index])
            index += 1
        }
        return output
    }
}

/// A failure to produce a canvas's output.
package struct CanvasError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    package let message: String

    init(_ message: String) { self.message = message }

    package var description: String { message }
}

/// Collects the bytes Cairo writes to a stream.
private final class ByteSink {
    var bytes: [UInt8] = []

    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}
