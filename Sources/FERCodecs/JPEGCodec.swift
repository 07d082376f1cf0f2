import CTurboJPEG

/// JPEG decoding and encoding through libjpeg-turbo's TurboJPEG API.
package enum JPEGCodec {
    /// Whether `bytes` start with the JPEG start-of-image marker.
    package static func isJPEG(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
    }

    /// The image's size from its header, without decoding it.
    package static func size(_ bytes: UnsafeRawBufferPointer) throws -> (width: Int, height: Int) {
        let header = try Header(bytes)
        return (Int(header.width), Int(header.height))
    }

    /// Decodes a JPEG (gray, colour or CMYK) to 8-bit gray.
    package static func decodeGray(_ bytes: UnsafeRawBufferPointer) throws -> GrayImage {
        let header = try Header(bytes)
        // Kept alive past the last C call that uses its decoder.
        defer { withExtendedLifetime(header) {} }
        let (width, height) = (header.width, header.height)
        let source = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let cmyk = header.colorspace == Int32(TJCS_CMYK.rawValue) || header.colorspace == Int32(TJCS_YCCK.rawValue)
        let channels = cmyk ? 4 : 1
        var samples = [UInt8](repeating: 0, count: Int(width) * Int(height) * channels)
        let format = cmyk ? TJPF_CMYK : TJPF_GRAY
        let status = samples.withUnsafeMutableBufferPointer { out in
            tjDecompress2(
                header.handle, source, UInt(bytes.count), out.baseAddress, width, width * Int32(channels), height,
                Int32(format.rawValue), Int32(TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING))
        }
        guard status == 0 else { throw CodecError("JPEG is corrupt: \(errorMessage(header.handle))") }
        guard cmyk else { return GrayImage(width: Int(width), height: Int(height), pixels: samples) }
        return GrayImage(
            width: Int(width), height: Int(height),
            pixels: grayFromCMYK(samples, inverted: hasAdobeMarker(bytes)))
    }

    /// A decoder with a JPEG's header read and its size checked; the decoder is freed with it.
    private final class Header {
        let handle: tjhandle
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0

        init(_ bytes: UnsafeRawBufferPointer) throws {
            guard isJPEG(bytes), let base = bytes.baseAddress else { throw CodecError("not a JPEG image") }
            guard let handle = tjInitDecompress() else { throw CodecError("TurboJPEG could not start") }
            self.handle = handle
            guard
                tjDecompressHeader3(
                    handle, base.assumingMemoryBound(to: UInt8.self), UInt(bytes.count), &width, &height,
                    &subsampling, &colorspace) == 0
            else {
                throw CodecError("JPEG is unreadable: \(errorMessage(handle))")
            }
            try ImageLimits.check(width: Int(width), height: Int(height), format: "JPEG")
        }

        deinit { tjDestroy(handle) }
    }

    /// Gray (Rec. 601 luma, as for colour JPEGs) from CMYK samples. Files
    /// with an Adobe marker store the inks inverted (0 is full ink), as
    /// Photoshop writes them; PIL reads them the same way.
    static func grayFromCMYK(_ samples: [UInt8], inverted: Bool) -> [UInt8] {
        (0..<(samples.count / 4)).map { pixel in
            let ink = (0..<4).map { Int(inverted ? samples[4 * pixel + $0] : 255 - samples[4 * pixel + $0]) }
            // `ink` now holds 255 minus each ink: red = (255 - C)(255 - K) / 255, and so on.
            let red = ink[0] * ink[3] / 255, green = ink[1] * ink[3] / 255, blue = ink[2] * ink[3] / 255
            return UInt8((299 * red + 587 * green + 114 * blue + 500) / 1000)
        }
    }

    /// Whether the JPEG has an Adobe APP14 segment before its image data.
    static func hasAdobeMarker(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var position = 2
        while position + 4 <= bytes.count, bytes[position] == 0xFF {
            let marker = bytes[position + 1]
            if marker == 0xDA { return false }
            let length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            if marker == 0xEE, position + 9 <= bytes.count,
                Array(bytes[(position + 4)..<(position + 9)]) == Array("Adobe".utf8)
            {
                return true
            }
            position += 2 + length
        }
        return false
    }

    /// Encodes a gray image as a baseline grayscale JPEG.
    package static func encode(_ gray: GrayImage, quality: Int32 = 95) throws -> [UInt8] {
        guard let handle = tjInitCompress() else { throw CodecError("TurboJPEG could not start") }
        defer { tjDestroy(handle) }
        var jpeg: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = gray.pixels.withUnsafeBufferPointer { source in
            tjCompress2(
                handle, source.baseAddress, Int32(gray.width), Int32(gray.width), Int32(gray.height),
                Int32(TJPF_GRAY.rawValue), &jpeg, &size, Int32(TJSAMP_GRAY.rawValue), quality,
                Int32(TJFLAG_ACCURATEDCT))
        }
        defer { if let jpeg { tjFree(jpeg) } }
        guard status == 0, let jpeg else { throw CodecError("JPEG encoding failed: \(errorMessage(handle))") }
        return Array(UnsafeBufferPointer(start: jpeg, count: Int(size)))
    }

    private static func errorMessage(_ handle: tjhandle) -> String {
        tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown error"
    }
}
