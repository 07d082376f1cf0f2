import CPNG

/// PNG decoding and encoding through libpng's simplified API (errors are
/// reported by return value, so a bad file never aborts the process).
package enum PNGCodec {
    /// Whether `bytes` start with the PNG signature.
    package static func isPNG(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        return bytes.count >= 8 && zip(bytes.prefix(8), signature).allSatisfy { $0 == $1 }
    }

    /// The image's size from its header, without decoding it.
    package static func size(_ bytes: UnsafeRawBufferPointer) throws -> (width: Int, height: Int) {
        var image = png_image()
        try beginRead(bytes, into: &image)
        defer { png_image_free(&image) }
        return (Int(image.width), Int(image.height))
    }

    /// Decodes a PNG of any colour type to 8-bit gray. Colour becomes Rec. 601
    /// luma of the stored values (as JPEG decoding, PIL and OpenCV do), and
    /// transparency is composited onto white.
    package static func decodeGray(_ bytes: UnsafeRawBufferPointer) throws -> GrayImage {
        var image = png_image()
        try beginRead(bytes, into: &image)
        let width = Int(image.width), height = Int(image.height)
        let colorFlag = UInt32(PNG_FORMAT_FLAG_COLOR), alphaFlag = UInt32(PNG_FORMAT_FLAG_ALPHA)
        let hasColor = image.format & colorFlag != 0
        let hasAlpha = image.format & alphaFlag != 0
        let channels = (hasColor ? 3 : 1) + (hasAlpha ? 1 : 0)
        image.format = (hasColor ? colorFlag : 0) | (hasAlpha ? alphaFlag : 0)
        var samples = [UInt8](repeating: 0, count: width * height * channels)
        let ok = samples.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, png_int_32(width * channels), nil)
        }
        guard ok != 0 else {
            defer { png_image_free(&image) }
            throw CodecError("PNG is corrupt: \(message(of: &image))")
        }
        if channels == 1 { return GrayImage(width: width, height: height, pixels: samples) }
        var pixels = [UInt8](repeating: 0, count: width * height)
        for index in 0..<(width * height) {
            let sample = index * channels
            var gray: Int
            if hasColor {
                gray =
                    (299 * Int(samples[sample]) + 587 * Int(samples[sample + 1])
                        + 114 * Int(samples[sample + 2]) + 500) / 1000
            } else {
                gray = Int(samples[sample])
            }
            if hasAlpha {
                let alpha = Int(samples[sample + channels - 1])
                gray = (gray * alpha + 255 * (255 - alpha) + 127) / 255
            }
            pixels[index] = UInt8(gray)
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Decodes a PNG to 8-bit RGB (three bytes per pixel, row-major), with
    /// transparency composited onto white.
    package static func decodeRGB(_ bytes: UnsafeRawBufferPointer) throws -> (width: Int, height: Int, pixels: [UInt8])
    {
        var image = png_image()
        try beginRead(bytes, into: &image)
        let width = Int(image.width), height = Int(image.height)
        image.format = png_uint_32(PNG_FORMAT_FLAG_COLOR)
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        var white = png_color(red: 255, green: 255, blue: 255)
        let ok = pixels.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, &white, buffer.baseAddress, png_int_32(width * 3), nil)
        }
        guard ok != 0 else {
            defer { png_image_free(&image) }
            throw CodecError("PNG is corrupt: \(message(of: &image))")
        }
        return (width, height, pixels)
    }

    /// Reads the header of PNG `bytes` into `image`, which the caller then
    /// finishes reading (or frees) in place: libpng keeps `image`'s address
    /// for its error reports, so it must not be copied.
    private static func beginRead(_ bytes: UnsafeRawBufferPointer, into image: inout png_image) throws {
        guard isPNG(bytes), let base = bytes.baseAddress else { throw CodecError("not a PNG image") }
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_memory(&image, base, bytes.count) != 0 else {
            defer { png_image_free(&image) }
            throw CodecError("PNG is unreadable: \(message(of: &image))")
        }
        do {
            try ImageLimits.check(width: Int(image.width), height: Int(image.height), format: "PNG")
        } catch {
            png_image_free(&image)
            throw error
        }
    }

    /// Encodes a gray image as PNG bytes.
    package static func encode(_ gray: GrayImage) throws -> [UInt8] {
        try encode(width: gray.width, height: gray.height, channels: 1, pixels: gray.pixels)
    }

    /// Encodes 8-bit pixels with 1 (gray), 3 (RGB) or 4 (RGBA) channels per
    /// pixel; `fast` trades some file size for much quicker compression.
    package static func encode(
        width: Int, height: Int, channels: Int, pixels: [UInt8], fast: Bool = false
    ) throws -> [UInt8] {
        precondition(pixels.count == width * height * channels, "pixel count must match the size")
        // PNG_FORMAT_RGB and _RGBA are compound macros Swift cannot import:
        // gray is 0, colour adds PNG_FORMAT_FLAG_COLOR, alpha PNG_FORMAT_FLAG_ALPHA.
        let color = UInt32(PNG_FORMAT_FLAG_COLOR), alpha = UInt32(PNG_FORMAT_FLAG_ALPHA)
        let formats: [Int: UInt32] = [1: UInt32(PNG_FORMAT_GRAY), 3: color, 4: color | alpha]
        guard let format = formats[channels] else { throw CodecError("PNG needs 1, 3 or 4 channels") }
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = png_uint_32(format)
        if fast { image.flags = png_uint_32(PNG_IMAGE_FLAG_FAST) }
        let stride = png_int_32(width * channels)
        // Compressed once, into a buffer as large as libpng's bound on any PNG of this size (its
        // PNG_IMAGE_PNG_SIZE_MAX, a macro Swift cannot import); asking for the size first would compress twice.
        var bound = Self.largestSize(width: width, height: height, channels: channels)
        for _ in 0..<2 {
            var size = png_alloc_size_t(bound)
            var output = [UInt8](unsafeUninitializedCapacity: bound) { _, initialized in initialized = bound }
            let written = output.withUnsafeMutableBytes { out in
                pixels.withUnsafeBytes { buffer in
                    png_image_write_to_memory(&image, out.baseAddress, &size, 0, buffer.baseAddress, stride, nil)
                }
            }
            if written != 0 {
                output.removeSubrange(Int(size)...)
                return output
            }
            // A size above the buffer's is libpng saying it needs that much; anything else is an error.
            guard Int(size) > bound else { break }
            bound = Int(size)
            png_image_free(&image)
        }
        throw CodecError("PNG encoding failed: \(message(of: &image))")
    }

    /// An upper bound on the bytes of a PNG of 8-bit pixels, `width` by `height` with `channels` channels and no
    /// colour map: libpng's own bound, with room to spare.
    static func largestSize(width: Int, height: Int, channels: Int) -> Int {
        let data = height * (width * channels + 1)
        let compressed = data + (data + 7) >> 3 + (data + 63) >> 6 + 11
        return 8 + 25 + 16 + 44 + 12 + 12 + 12 * (compressed / 8192 + 1) + compressed + 1024
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
