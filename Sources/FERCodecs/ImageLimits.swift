/// The largest image FERLab decodes. A compressed image can claim any size,
/// and decoding holds every pixel (four bytes each for RGBA) at once: four
/// 16384x16384 PNGs of zeros are a few kilobytes on disk and 4 GB decoded.
/// 50 megapixels takes any camera's photo and bounds one decode to 200 MB.
package enum ImageLimits {
    /// The most pixels one image may have.
    package static let maximumPixels = 50_000_000

    /// Refuses a size no image may have.
    package static func check(width: Int, height: Int, format: String) throws {
        guard width > 0, height > 0 else { throw CodecError("\(format) size \(width)x\(height) is not an image size") }
        guard width * height <= maximumPixels else {
            throw CodecError(
                "\(format) is \(width)x\(height) (\((width * height + 500_000) / 1_000_000) megapixels); "
                    + "FERLab reads images of up to \(maximumPixels / 1_000_000) megapixels")
        }
    }
}
