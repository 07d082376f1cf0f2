import FERCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A user's data file read whole into memory. Reading (not mapping) means a
/// file that is cut short while it is read gives an error, not a bus error;
/// opening without blocking means a FIFO or a device named like an image is
/// refused instead of waiting forever.
package enum DataFile {
    /// Files from this size up are read in several pieces at once (see `read`).
    static let piecewiseSize = 32 << 20

    /// The bytes of the regular file at `path`; errors name `displayPath`.
    ///
    /// A large file is read in pieces on all cores at once: the kernel zeroes each fresh page of the buffer
    /// as the copy first touches it, and those two costs, the larger part of reading a file the system has
    /// cached, then run side by side. `piecewiseFrom` is the size from which a file is read in pieces (tests
    /// set it low).
    /// - Throws: `DataError` naming `displayPath` when the file cannot be read, changes size while it is, or
    ///   would take more than half the memory this process may use.
    package static func read(path: String, displayPath: String, piecewiseFrom: Int = piecewiseSize) throws -> [UInt8] {
        let (descriptor, size) = try openRegularFile(path: path, displayPath: displayPath)
        defer { close(descriptor) }
        guard size > 0 else { return [] }
        // A file read whole may take at most half the memory this process may use: the allocation would fail.
        let available = MachineMemory.available
        guard size <= available / 2 else {
            throw DataError(
                file: displayPath,
                "is \(MachineMemory.gigabytes(size)), more than half of the \(MachineMemory.gigabytes(available)) this process may use, and it is read whole"
            )
        }
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            try readWhole(
                0..<size, of: descriptor, into: buffer.baseAddress!, size: size, displayPath: displayPath,
                piecewiseFrom: piecewiseFrom)
            initialized = size
        }
    }

    /// Opens the regular file at `path` and calls `body` with its size and a function that reads a range of it
    /// into memory (in pieces on all cores when large, as `read` does): for a file read a window at a time.
    /// - Throws: `DataError` naming `displayPath` when the file cannot be read or changes size while it is, or
    ///   what `body` throws.
    package static func withRanges<Result>(
        path: String, displayPath: String, piecewiseFrom: Int = piecewiseSize,
        _ body: (_ size: Int, _ read: (Range<Int>, UnsafeMutablePointer<UInt8>) throws -> Void) throws -> Result
    ) throws -> Result {
        let (descriptor, size) = try openRegularFile(path: path, displayPath: displayPath)
        defer { close(descriptor) }
        return try body(size) { range, destination in
            try readWhole(
                range, of: descriptor, into: destination, size: size, displayPath: displayPath,
                piecewiseFrom: piecewiseFrom)
        }
    }

    /// Reads `range` of the open file of `size` bytes into `destination`, in up to eight pieces at once from
    /// `piecewiseFrom` bytes up.
    /// - Throws: `DataError` naming `displayPath` when a read fails or the file ends before the range does.
    private static func readWhole(
        _ range: Range<Int>, of descriptor: Int32, into destination: UnsafeMutablePointer<UInt8>, size: Int,
        displayPath: String, piecewiseFrom: Int
    ) throws {
        let base = SendablePointer(destination)
        // At least two pieces, of at least half the threshold each, and at most eight.
        let count = range.count
        let pieces = count >= piecewiseFrom ? min(8, max(2, count / max(1, piecewiseFrom / 2))) : 1
        let outcomes = ParallelLoop.mapChunks(count: count, chunks: pieces) { _, piece in
            readRange(piece.shifted(by: range.lowerBound), of: descriptor, into: base.pointer + piece.lowerBound)
        }
        // The first piece cut short tells how long the file has become.
        for (index, outcome) in outcomes.enumerated() {
            let piece = ParallelLoop.chunkRange(index, of: outcomes.count, count: count)
            try requireWhole(outcome, range: piece.shifted(by: range.lowerBound), size: size, displayPath: displayPath)
        }
    }

    /// Reads the bytes of `range` of the open file into `destination`: how many it read before the end of
    /// the file, or why it failed.
    private static func readRange(
        _ range: Range<Int>, of descriptor: Int32, into destination: UnsafeMutablePointer<UInt8>
    ) -> Result<Int, ReadError> {
        var done = 0
        while done < range.count {
            let count = pread(
                descriptor, destination + done, min(range.count - done, 1 << 30), off_t(range.lowerBound + done))
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return .failure(ReadError(reason: String(cString: strerror(errno)))) }
            if count == 0 { break }
            done += count
        }
        return .success(done)
    }

    /// The bytes `readRange` read of `range`, when it read them all.
    /// - Throws: `DataError` naming `displayPath` when the read failed or the file ended before the range did.
    @discardableResult
    private static func requireWhole(
        _ outcome: Result<Int, ReadError>, range: Range<Int>, size: Int, displayPath: String
    ) throws -> Int {
        switch outcome {
        case .failure(let error):
            throw DataError(file: displayPath, "cannot read: \(error.reason)")
        case .success(let count) where count < range.count:
            throw DataError(
                file: displayPath,
                "changed while it was read: it is now \(range.lowerBound + count) bytes, not \(size)")
        case .success(let count):
            return count
        }
    }

    /// Reads the regular file at `path` in pieces of at most `chunk` bytes, one buffer reused, handing each to
    /// `body` in order: for what needs every byte once (a hash), without holding the file in memory.
    /// - Throws: `DataError` naming `displayPath` when the file cannot be read or changes size while it is.
    package static func forEachPiece(
        path: String, displayPath: String, chunk: Int = 1 << 22, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws {
        let (descriptor, size) = try openRegularFile(path: path, displayPath: displayPath)
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunk, 1), alignment: 64)
        defer { buffer.deallocate() }
        let destination = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var done = 0
        while done < size {
            let range = done..<min(size, done + buffer.count)
            let count = try requireWhole(
                readRange(range, of: descriptor, into: destination), range: range, size: size,
                displayPath: displayPath)
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            done += count
        }
    }

    /// Why a read failed, in the system's words.
    private struct ReadError: Error {
        let reason: String
    }

    /// The first `count` bytes of the regular file at `path` (all of a shorter file); errors name `displayPath`.
    package static func readPrefix(path: String, displayPath: String, count: Int) throws -> [UInt8] {
        let (descriptor, size) = try openRegularFile(path: path, displayPath: displayPath)
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: min(count, size))
        guard !bytes.isEmpty else { return [] }
        let outcome = bytes.withUnsafeMutableBufferPointer { buffer in
            readRange(0..<buffer.count, of: descriptor, into: buffer.baseAddress!)
        }
        switch outcome {
        case .failure(let error): throw DataError(file: displayPath, "cannot read: \(error.reason)")
        case .success(let done): return Array(bytes.prefix(done))
        }
    }

    /// Opens the regular file at `path` for reading, without blocking on a
    /// FIFO or a device; returns the descriptor (the caller closes it) and the size.
    static func openRegularFile(path: String, displayPath: String) throws -> (descriptor: Int32, size: Int) {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw DataError(file: displayPath, openFailure(errno)) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw DataError(file: displayPath, "cannot read: \(reason)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw DataError(file: displayPath, "is not a regular file")
        }
        return (descriptor, Int(info.st_size))
    }

    private static func openFailure(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES: return "permission denied"
        case ELOOP: return "is a symbolic link that loops"
        default: return "cannot open: \(String(cString: strerror(code)))"
        }
    }
}

extension Range<Int> {
    /// The range moved by `offset`.
    fileprivate func shifted(by offset: Int) -> Range<Int> {
        (lowerBound + offset)..<(upperBound + offset)
    }
}
