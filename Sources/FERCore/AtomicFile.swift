import Foundation

/// Writes files so that readers see either the old content or the new, never
/// a partial file: data goes to a temporary file beside the target, which is
/// then renamed over it.
package enum AtomicFile {
    /// Writes `bytes` to `path` atomically, creating parent directories.
    /// - Throws: `FileWriteError` naming the path and the system's reason
    ///   (a full disk, a missing permission, a path through a file).
    package static func write(_ bytes: [UInt8], to path: String) throws {
        try write(bytes, to: path, replacing: true)
    }

    /// Writes `bytes` as a new file at `path`, whole or not at all, never replacing what is there (a file that
    /// appears meanwhile included): the temporary file is linked into place, which fails if the path is taken.
    /// - Throws: `FileWriteError` (reason "File exists" when the path is taken).
    package static func create(_ bytes: [UInt8], at path: String) throws {
        try write(bytes, to: path, replacing: false)
    }

    private static func write(_ bytes: [UInt8], to path: String, replacing: Bool) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: path, error: error)
        }
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp"
        ).path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { failure = written < 0 ? errno : ENOSPC; return }
                done += written
            }
        }
        if close(descriptor) != 0 && failure == 0 { failure = errno }
        if failure == 0 {
            if replacing {
                if rename(temporary, path) != 0 { failure = errno }
            } else {
                if link(temporary, path) != 0 { failure = errno }
                unlink(temporary)
            }
        }
        if failure != 0 {
            unlink(temporary)
            throw FileWriteError(path: path, reason: String(cString: strerror(failure)))
        }
    }
}

/// A file that could not be written.
package struct FileWriteError: Error, CustomStringConvertible, Sendable {
    /// The path that was being written.
    package let path: String
    /// Why it failed, as the system put it.
    package let reason: String

    /// An error for `path`.
    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// An error for `path` from a Foundation error, with the system's reason when there is one.
    package init(path: String, error: Error) {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            self.init(path: path, reason: String(cString: strerror(Int32(underlying.code))))
        } else {
            self.init(path: path, reason: nsError.localizedDescription)
        }
    }

    package var description: String { "\(path): cannot write: \(reason)" }
}
