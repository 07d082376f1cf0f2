#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain file's text handed out a window at a time through one reused
/// buffer: `next` fills the window behind what the last one left, and
/// `drop` lets go of what was used, so a record a window cuts moves to the
/// front and comes whole with the next.
struct CSVTextWindows: ~Copyable {
    /// The bytes a read of the file puts at a pointer (`DataFile.withRanges`).
    typealias Read = (Range<Int>, UnsafeMutablePointer<UInt8>) throws -> Void

    private let buffer: UnsafeMutableRawBufferPointer
    private let size: Int
    /// The file offset of the buffer's first byte, and the bytes it holds.
    private var offset = 0, filled = 0

    /// Windows of at most `window` bytes over a file of `size` bytes.
    init(size: Int, window: Int) {
        self.size = size
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, min(size, window)), alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// The next window, filled by `read` behind what is left of the last one, and whether it ends the file.
    mutating func next(_ read: Read) throws -> (text: UnsafeRawBufferPointer, textEnds: Bool) {
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let end = min(size, offset + buffer.count)
        if offset + filled < end { try read((offset + filled)..<end, base + filled) }
        filled = end - offset
        return (UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), end == size)
    }

    /// Lets go of the window's first `count` bytes; the rest moves to the front.
    mutating func drop(_ count: Int) {
        let base = buffer.baseAddress!
        memmove(base, base + count, filled - count)
        offset += count
        filled -= count
    }
}
