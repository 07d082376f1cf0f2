#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes mapped read-only into memory, unmapped when released: for
/// FERLab's own files (cache entries). A user's files are read with `DataFile`,
/// since a mapped file that shrinks while in use stops the process.
public final class MappedFile: @unchecked Sendable {
    /// The file's content.
    public let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    /// Maps the file at `path`. Directories, missing and unreadable files fail
    /// with a `DataError` naming `displayPath`.
    public init(path: String, displayPath: String) throws {
        let (descriptor, size) = try DataFile.openRegularFile(path: path, displayPath: displayPath)
        defer { close(descriptor) }
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0),
            address != MAP_FAILED
        else {
            throw DataError(file: displayPath, "cannot read: \(String(cString: strerror(errno)))")
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
