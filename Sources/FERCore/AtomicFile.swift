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
        let file = try StreamedFile(path: path)
        try file.write(bytes)
        try file.commit(replacing: replacing)
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
