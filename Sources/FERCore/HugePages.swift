#if canImport(Glibc)
import Glibc
#endif

/// Large buffers backed by 2 MB pages where the kernel offers them (Linux
/// transparent huge pages in `madvise` mode): first touching 100 MB of
/// fresh memory otherwise costs 25,000 page faults, which on a virtual
/// machine take longer than the copy that causes them.
package enum HugePages {
    /// Below this size the advice is not worth a system call.
    package static let threshold = 4 << 20

    /// Advises the kernel to use huge pages for the whole 2 MB pages inside
    /// `buffer`, which must not have been written yet.
    package static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard buffer.count >= threshold, let base = buffer.baseAddress else { return }
        let page = 2 << 20
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(page - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// An array of `count` elements written by `initialize`, in huge pages when large.
    package static func array<T>(count: Int, _ initialize: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            initialize(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialized = count
        }
    }
}
