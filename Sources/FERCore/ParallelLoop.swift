import Dispatch
import Foundation
import Synchronization

/// Runs independent pieces of work on all cores.
///
/// Work is split into a number of contiguous chunks that depends only on the
/// problem size, never on the thread count, so any reduction over chunk
/// results in chunk order gives the same bits on every machine.
///
/// The environment variable `FERLAB_THREADS` caps the threads used (1 runs
/// every chunk on the calling thread); results are the same for any value.
package enum ParallelLoop {
    /// The most threads a loop uses: `FERLAB_THREADS` when it is a positive
    /// number, else one per core.
    package static let threadLimit: Int = {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard let text = ProcessInfo.processInfo.environment["FERLAB_THREADS"], let limit = Int(text), limit > 0 else {
            return cores
        }
        return limit
    }()

    /// Calls `body(chunk, range)` for `chunks` contiguous, near-equal ranges
    /// covering `0..<count`, concurrently, and returns the results in chunk order.
    package static func mapChunks<T>(
        count: Int, chunks: Int, _ body: @Sendable (_ chunk: Int, _ range: Range<Int>) -> T
    ) -> [T] {
        guard count > 0 else { return [] }
        let parts = max(1, min(chunks, count))
        if parts == 1 { return [body(0, 0..<count)] }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: parts)
        slots.initialize(repeating: nil)
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        let shared = SendablePointer(slots.baseAddress!)
        let workers = min(threadLimit, parts)
        if workers == 1 {
            for chunk in 0..<parts { slots[chunk] = body(chunk, chunkRange(chunk, of: parts, count: count)) }
        } else if workers >= ProcessInfo.processInfo.activeProcessorCount {
            DispatchQueue.concurrentPerform(iterations: parts) { chunk in
                shared.pointer[chunk] = body(chunk, chunkRange(chunk, of: parts, count: count))
            }
        } else {
            // Fewer threads than cores: that many workers take the chunks in turn.
            let next = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let chunk = next.add(1, ordering: .relaxed).oldValue
                    guard chunk < parts else { return }
                    shared.pointer[chunk] = body(chunk, chunkRange(chunk, of: parts, count: count))
                }
            }
        }
        return (0..<parts).map { chunk in
            guard let result = slots[chunk] else { preconditionFailure("chunk \(chunk) did not run") }
            return result
        }
    }

    /// Calls `body(chunk, range)` for each chunk, concurrently, for work that
    /// writes its results into memory it owns per range.
    package static func forEachChunk(
        count: Int, chunks: Int, _ body: @Sendable (_ chunk: Int, _ range: Range<Int>) -> Void
    ) {
        _ = mapChunks(count: count, chunks: chunks, body)
    }

    /// The `chunk`-th of `parts` contiguous near-equal ranges over `0..<count`.
    package static func chunkRange(_ chunk: Int, of parts: Int, count: Int) -> Range<Int> {
        (count * chunk / parts)..<(count * (chunk + 1) / parts)
    }
}

/// A raw pointer handed to concurrent workers that write disjoint parts of
/// the memory it points to. The caller guarantees the disjointness.
package struct SendablePointer<Pointee>: @unchecked Sendable {
    /// The shared pointer.
    package let pointer: UnsafeMutablePointer<Pointee>

    /// Wraps `pointer` for use from concurrent workers.
    package init(_ pointer: UnsafeMutablePointer<Pointee>) {
        self.pointer = pointer
    }
}

/// A read-only pointer handed to concurrent workers.
package struct SendableConstPointer<Pointee>: @unchecked Sendable {
    /// The shared pointer.
    package let pointer: UnsafePointer<Pointee>

    /// Wraps `pointer` for use from concurrent workers.
    package init(_ pointer: UnsafePointer<Pointee>) {
        self.pointer = pointer
    }
}
