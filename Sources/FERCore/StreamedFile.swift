import Foundation

/// A file written in pieces that readers see whole or not at all: the pieces
/// go to a temporary file beside the target, renamed over it by `commit`;
/// a file neither committed nor kept is removed (`discard`, or when it goes
/// out of use), so a failure leaves what was at the path before.
package final class StreamedFile {
    /// The target path.
    package let path: String
    private let temporary: String
    private var descriptor: Int32

    /// Starts the file for `path`, creating its parent folders.
    /// - Throws: `FileWriteError` when the temporary file cannot be made.
    package init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: path, error: error)
        }
        temporary = Self.temporaryPath(of: path, process: ProcessInfo.processInfo.processIdentifier)
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit { discard() }

    /// Where process `process` writes the file for `path` until it is committed: beside it, hidden, named by the
    /// process (`.name.PID.tmp`).
    package static func temporaryPath(of path: String, process: Int32) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(process).tmp").path
    }

    /// Appends `bytes`.
    /// - Throws: `FileWriteError` (a full disk, say); the file is then discarded.
    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends the bytes of `buffer`.
    /// - Throws: `FileWriteError` (a full disk, say); the file is then discarded.
    package func write(_ buffer: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: "already closed") }
        var failure: Int32 = 0
        var done = 0
        while done < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                failure = written < 0 ? errno : ENOSPC
                break
            }
            done += written
        }
        if failure != 0 {
            discard()
            throw FileWriteError(path: path, reason: String(cString: strerror(failure)))
        }
    }

    /// Puts the file in place of whatever is at the path, or, unless `replacing`, only where nothing is (a file
    /// that appears meanwhile included: the file is linked into place, which fails if the path is taken).
    /// - Throws: `FileWriteError` (reason "File exists" when the path is taken); the file is then discarded.
    package func commit(replacing: Bool = true) throws {
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: "already closed") }
        var failure: Int32 = 0
        if close(descriptor) != 0 { failure = errno }
        descriptor = -1
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

    /// Removes the unfinished file, leaving the path as it was.
    package func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary)
    }
}
