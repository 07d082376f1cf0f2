import FERCanvas
import FERCodecs

/// A chart or mosaic that can draw itself on a canvas of its own size.
package protocol Figure {
    /// Width in points.
    var width: Int { get }
    /// Height in points.
    var height: Int { get }
    /// Draws the figure; the canvas is `width` x `height` points with a white background.
    func draw(on canvas: Canvas)
}

/// The file format a figure is written in.
package enum FigureFormat: Sendable, Hashable, Codable {
    /// A PNG at `scale` pixels per point (2 for high-DPI screens).
    case png(scale: Double)
    /// An SVG document.
    case svg
}

extension Figure {
    /// The figure encoded in `format`.
    package func render(_ format: FigureFormat) throws -> [UInt8] {
        switch format {
        case .png(let scale):
            // Figures are opaque (white background): encode RGB, with libpng's fast setting.
            let canvas = Canvas(width: width, height: height, scale: scale)
            draw(on: canvas)
            let pixels = canvas.rgbPixels()
            return try PNGCodec.encode(
                width: pixels.width, height: pixels.height, channels: 3, pixels: pixels.bytes,
                fast: true)
        case .svg:
            let canvas = Canvas(svgWidth: width, height: height)
            draw(on: canvas)
            return try canvas.svgData()
        }
    }
}
