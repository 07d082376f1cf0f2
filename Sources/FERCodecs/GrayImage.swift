/// An 8-bit grayscale image, row-major, one byte per pixel.
package struct GrayImage: Equatable, Sendable {
    /// Width in pixels.
    package let width: Int
    /// Height in pixels.
    package let height: Int
    /// `width * height` intensities, row by row, 0 black to 255 white.
    package var pixels: [UInt8]

    /// Creates an image; `pixels.count` must equal `width * height`.
    package init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(
            width > 0 && height > 0 && pixels.count == width * height,
            "pixel count must equal width * height")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The intensity at column `x`, row `y`.
    package subscript(x: Int, y: Int) -> UInt8 {
        pixels[y * width + x]
    }
}
