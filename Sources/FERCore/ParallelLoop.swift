import Dispatch

/// Runs independent pieces of work on all cores.
///
/// Work is split into a number of contiguous chunks that depends only on the
/// problem size, never on the thread count, so any reduction over chunk
/// results in chunk order gives the same bits on every machine.
public enum ParallelLoop {
    /// Calls `body(chunk, range)` for `chunks` contiguous, near-equal ranges
    /// covering `0..<count`, concurrently, and returns the results in chunk order.
    public static func mapChunks<T>(
        count: Int, chunks: Int, _ body: @Sendable (_ chunk: Int, _ range: Range<Int>) -> T
    ) -> [T] {
        guard count > 0 else { return [] }
        let parts = max(1, min(chunks, count))
        if parts == 1 { return [body(0, 0..<count)] }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: parts)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        let shared = SendablePointer(slots.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: parts) { chunk in
            shared.pointer[chunk] = body(chunk, chunkRange(chunk, of: parts, count: count))
        }
        return (0..<parts).map { chunk in
            guard let result = slots[chunk] else { preconditionFailure("chunk \(chunk) did not run") }
            return result
        }
    }

    /// Calls `body(chunk, range)` for each chunk, concurrently, for work that
    /// writes its results into memory it owns per range.
    public static func forEachChunk(
        count: Int, chunks: Int, _ body: @Sendable (_ chunk: Int, _ range: Range<Int>) -> Void
    ) {
        _ = mapChunks(count: count, chunks: chunks, body)
    }

    /// The `chunk`-th of `parts` contiguous near-equal ranges over `0..<count`.
    public static func chunkRange(_ chunk: Int, of parts: Int, count: Int) -> Range<Int> {
        (count * chunk / parts)..<(count * (chunk + 1) / parts)
    }
}

/// A raw pointer handed to concurrent workers that write disjoint parts of
/// the memory it points to. The caller guarantees the disjointness.
public struct SendablePointer<Pointee>: @unchecked Sendable {
    /// The shared pointer.
    public let pointer: UnsafeMutablePointer<Pointee>

    /// Wraps `pointer` for use from concurrent workers.
    public init(_ pointer: UnsafeMutablePointer<Pointee>) {
        self.pointer = pointer
    }
}

/// A read-only pointer handed to concurrent workers.
public struct SendableConstPointer<Pointee>: @unchecked Sendable {
    /// The shared pointer.
    public let pointer: UnsafePointer<Pointee>

    /// Wraps `pointer` for use from concurrent workers.
    public init(_ pointer: UnsafePointer<Pointee>) {
        self.pointer = pointer
    }
}
