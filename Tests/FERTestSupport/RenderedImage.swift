import FERCodecs

/// A decoded RGB rendering, for tests that check what a figure shows.
package struct RenderedImage {
    /// Width in pixels.
    package let width: Int
    /// Height in pixels.
    package let height: Int
    /// Three bytes per pixel, row-major.
    package let pixels: [UInt8]

    /// Decodes PNG bytes.
    package init(png: [UInt8]) throws {
        (width, height, pixels) = try png.withUnsafeBytes { try PNGCodec.decodeRGB($0) }
    }

    /// The colour at pixel (`x`, `y`), rounded to the nearest pixel.
    package func color(_ x: Double, _ y: Double) -> (red: Int, green: Int, blue: Int) {
        let column = min(width - 1, max(0, Int(x))), row = min(height - 1, max(0, Int(y)))
        let index = (row * width + column) * 3
        return (Int(pixels[index]), Int(pixels[index + 1]), Int(pixels[index + 2]))
    }

    /// Whether the colour at (`x`, `y`) is within `tolerance` of `expected` in every channel.
    package func matches(
        _ x: Double, _ y: Double, _ expected: (red: Int, green: Int, blue: Int), tolerance: Int = 3
    ) -> Bool {
        let actual = color(x, y)
        return abs(actual.red - expected.red) <= tolerance && abs(actual.green - expected.green) <= tolerance
            && abs(actual.blue - expected.blue) <= tolerance
    }
}

extension RenderedImage: CustomStringConvertible {
    /// Only the size: failed expectations would otherwise print every pixel.
    package var description: String { "RenderedImage(\(width)x\(height))" }
}
