import Foundation

/// Opening files FERLab reads for itself (markers, histories, the start of a
/// file it may replace) only when they are regular files: opened without
/// blocking, so a FIFO or a device put where such a file belongs is refused
/// instead of waiting forever or reading without end.
package enum RegularFile {
    /// What is at a path, without following a final symbolic link.
    package enum Kind: Equatable, Sendable {
        /// Nothing.
        case missing
        /// A regular file.
        case file
        /// A folder.
        case folder
        /// A symbolic link.
        case link
        /// A device, FIFO or socket.
        case special
    }

    /// What is at `path` (a final symbolic link is not followed).
    package static func kind(at path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .link
        default: return .special
        }
    }

    /// Opens the regular file at `path` (symbolic links followed) for reading without blocking; the caller closes
    /// the descriptor. `nil` when it is missing, unreadable or not a regular file.
    package static func open(_ path: String) -> (descriptor: Int32, size: Int)? {
        let descriptor = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return nil
        }
        return (descriptor, Int(info.st_size))
    }

    /// The first `limit` bytes of the regular file at `path` (all of it when shorter), or `nil` when it is not
    /// a regular file this user can read.
    package static func head(_ path: String, limit: Int) -> [UInt8]? {
        guard let (descriptor, size) = open(path) else { return nil }
        defer { close(descriptor) }
        let wanted = min(size, limit)
        var bytes = [UInt8](repeating: 0, count: wanted)
        var done = 0
        while done < wanted {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + done, wanted - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            done += count
        }
        return Array(bytes.prefix(done))
    }

    /// The whole regular file at `path`, or `nil` when it is not a regular file this user can read or it is
    /// larger than `limit` bytes.
    package static func contents(_ path: String, limit: Int) -> [UInt8]? {
        guard let bytes = head(path, limit: limit + 1), bytes.count <= limit else { return nil }
        return bytes
    }
}
