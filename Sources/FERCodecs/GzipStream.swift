import CZlib

/// A gzip file compressed piece by piece, for output too large to hold whole
/// (`ferlab synth -c 1000000 -o faces.csv.gz`). Like `Gzip.compress`, it
/// stores no name or time stamp, and the same input gives the same bytes
/// however it is split into pieces.
package final class GzipStream {
    private var stream = z_stream()
    private var finished = false

    /// A stream at compression `level` (zlib's 0-9).
    package init(level: Int32 = 6) {
        let ok = deflateInit2_(
            &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        precondition(ok == Z_OK, "zlib deflateInit2 failed")
    }

    deinit { deflateEnd(&stream) }

    /// The compressed bytes for `input`, the next piece of the file's content (some may come out later).
    package func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        run(input, flush: Z_NO_FLUSH)
    }

    /// The last compressed bytes, ending the file; the stream takes no more after it.
    package func finish() -> [UInt8] {
        precondition(!finished, "the gzip stream is already finished")
        finished = true
        return run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
    }

    private func run(_ input: UnsafeRawBufferPointer, flush: Int32) -> [UInt8] {
        var output: [UInt8] = []
        var piece = [UInt8](repeating: 0, count: 1 << 16)
        var consumed = 0
        let base = input.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) }
        while true {
            let available = min(input.count - consumed, Int(UInt32.max))
            let (status, produced): (Int32, Int) = piece.withUnsafeMutableBufferPointer { out in
                stream.next_in = base.map { UnsafeMutablePointer(mutating: $0 + consumed) }
                stream.avail_in = uInt(available)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, flush)
                consumed += available - Int(stream.avail_in)
                return (status, out.count - Int(stream.avail_out))
            }
            output += piece[0..<produced]
            if status == Z_STREAM_END { break }
            precondition(status == Z_OK || status == Z_BUF_ERROR, "zlib deflate failed")
            // Without Z_FINISH, deflate is done with this piece once it has taken it all and has room to spare.
            if flush == Z_NO_FLUSH && consumed == input.count && produced < piece.count { break }
        }
        return output
    }
}
