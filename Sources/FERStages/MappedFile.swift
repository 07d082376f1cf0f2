import FERCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cache entry's bytes mapped read-only into memory, unmapped when
/// released. Only for the cache's own files: entries are replaced by
/// renaming, never rewritten in place, so a mapping never sees its file shrink.
final class MappedFile: @unchecked Sendable {
    /// The file's content.
    let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    /// Maps the regular file at `path`; `nil` when it is missing, unreadable, not a regular file or cannot be
    /// mapped.
    init?(path: String) {
        guard let (descriptor, size) = RegularFile.open(path) else { return nil }
        defer { close(descriptor) }
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            return nil
        }
        _ = madvise(address, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: address, count: size)
        mapped = true
    }

    deinit {
        if mapped, let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
