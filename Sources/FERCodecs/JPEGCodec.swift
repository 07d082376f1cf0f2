import CTurboJPEG

/// JPEG decoding and encoding through libjpeg-turbo's TurboJPEG API.
public enum JPEGCodec {
    /// Whether `bytes` start with the JPEG start-of-image marker.
    public static func isJPEG(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
    }

    /// Decodes a JPEG (gray or colour) to 8-bit gray.
    public static func decodeGray(_ bytes: UnsafeRawBufferPointer) throws -> GrayImage {
        guard isJPEG(bytes), let base = bytes.baseAddress else { throw CodecError("not a JPEG image") }
        guard let handle = tjInitDecompress() else { throw CodecError("TurboJPEG could not start") }
        defer { tjDestroy(handle) }
        let source = base.assumingMemoryBound(to: UInt8.self)
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        guard tjDecompressHeader3(handle, source, UInt(bytes.count), &width, &height,
                                  &subsampling, &colorspace) == 0 else {
            throw CodecError("JPEG is unreadable: \(errorMessage(handle))")
        }
        guard width > 0, height > 0, width <= 1 << 14, height <= 1 << 14 else {
            throw CodecError("JPEG size \(width)x\(height) is not supported")
        }
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height))
        let status = pixels.withUnsafeMutableBufferPointer { out in
            tjDecompress2(handle, source, UInt(bytes.count), out.baseAddress, width, width, height,
                          Int32(TJPF_GRAY.rawValue), Int32(TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING))
        }
        guard status == 0 else { throw CodecError("JPEG is corrupt: \(errorMessage(handle))") }
        return GrayImage(width: Int(width), height: Int(height), pixels: pixels)
    }

    /// Encodes a gray image as a baseline grayscale JPEG.
    public static func encode(_ gray: GrayImage, quality: Int32 = 95) throws -> [UInt8] {
        guard let handle = tjInitCompress() else { throw CodecError("TurboJPEG could not start") }
        defer { tjDestroy(handle) }
        var jpeg: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = gray.pixels.withUnsafeBufferPointer { source in
            tjCompress2(handle, source.baseAddress, Int32(gray.width), Int32(gray.width), Int32(gray.height),
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
