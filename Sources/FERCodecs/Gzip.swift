import CZlib

/// gzip compression and decompression through zlib.
package enum Gzip {
    /// Whether `bytes` start with the gzip magic number.
    package static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// A file that inflates to more than the limit it was given.
    package struct TooLarge: Error, Equatable {
        /// The limit, in bytes.
        package let limit: Int
    }

    /// Decompresses a whole gzip file (one or more members) into memory, of at most `limit` bytes (no more is
    /// ever allocated). `inspecting` sees each newly decompressed piece as it is produced and may stop the work
    /// by throwing (a file that inflates to something no reader would take, say), before the rest is inflated.
    /// - Throws: `CodecError` when the stream is corrupt or truncated, `TooLarge` past `limit`, or what
    ///   `inspecting` throws.
    package static func decompress(
        _ input: UnsafeRawBufferPointer, limit: Int = .max,
        inspecting: ((UnsafeRawBufferPointer) throws -> Void)? = nil
    ) throws -> [UInt8] {
        guard isGzip(input) else { throw CodecError("not a gzip file") }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CodecError("zlib could not start")
        }
        defer { inflateEnd(&stream) }

        // The trailer's ISIZE is the last member's size mod 2^32: a good first
        // guess when plausible (deflate cannot expand more than about 1032:1).
        var capacity = input.count * 4
        if input.count >= 18 {
            let tail = input.count - 4
            let isize =
                Int(input[tail]) | Int(input[tail + 1]) << 8
                | Int(input[tail + 2]) << 16 | Int(input[tail + 3]) << 24
            if isize <= input.count * 1032 { capacity = max(capacity, isize + 1) }
        }
        // Untouched until inflated into: a wrong size guess costs address space, not memory. One byte past the
        // limit tells a file of exactly `limit` bytes from a longer one.
        let ceiling = limit < .max ? max(1, limit + 1) : .max
        var output = uninitializedBytes(min(capacity, ceiling))
        var produced = 0
        // With an inspector, inflate in bounded pieces so that it can stop the work early.
        let piece = inspecting == nil ? Int(UInt32.max) : 1 << 24
        let base = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        var consumed = 0

        while true {
            if produced == output.count {
                guard produced <= limit else { throw TooLarge(limit: limit) }
                var grown = uninitializedBytes(min(2 * output.count, ceiling))
                grown.withUnsafeMutableBytes { new in
                    output.withUnsafeBytes { old in
                        new.baseAddress!.copyMemory(from: old.baseAddress!, byteCount: produced)
                    }
                }
                output = grown
            }
            let before = produced
            let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
                let available = min(input.count - consumed, Int(UInt32.max))
                stream.avail_in = uInt(available)
                stream.next_out = out.baseAddress! + produced
                let room = min(out.count - produced, piece)
                stream.avail_out = uInt(room)
                let status = inflate(&stream, Z_NO_FLUSH)
                consumed += available - Int(stream.avail_in)
                produced += room - Int(stream.avail_out)
                return status
            }
            if let inspecting, produced > before {
                try output.withUnsafeBytes { try inspecting(UnsafeRawBufferPointer(rebasing: $0[before..<produced])) }
            }
            switch status {
            case _ where produced > limit:
                throw TooLarge(limit: limit)
            case Z_STREAM_END:
                // Another gzip member may follow (concatenated .gz files).
                if consumed < input.count, input.count - consumed >= 2,
                    input[consumed] == 0x1F, input[consumed + 1] == 0x8B
                {
                    guard inflateReset(&stream) == Z_OK else { throw CodecError("zlib could not restart") }
                    continue
                }
                output.removeSubrange(produced...)
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                if consumed >= input.count {
                    throw CodecError("gzip data is truncated (ends after \(produced) uncompressed bytes)")
                }
                continue
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw CodecError("gzip data is corrupt: \(reason)")
            }
        }
    }

    /// `count` bytes whose pages are not touched until written.
    private static func uninitializedBytes(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Compresses `input` into a gzip file's bytes. Deterministic: no name or
    /// time stamp is stored.
    package static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 6) -> [UInt8] {
        let stream = GzipStream(level: level)
        return stream.compress(input) + stream.finish()
    }
}
