import Foundation

/// A file a command writes at a path the user names (`synth -o`, `synth
/// --preview`, `predict --out`): written beside the target and renamed over
/// it, so it is whole or absent. What is already there is replaced only when
/// it is a regular file FERLab can tell it wrote, or when the user forces it;
/// a folder, a symbolic link, a device, a FIFO or a socket is never replaced.
package struct OutputFile: Sendable {
    /// The path as given, for messages.
    package let path: String
    /// The option that allows replacing a file FERLab did not write (`--force`).
    package let forceOption: String
    /// Whether the user gave that option.
    package let force: Bool
    /// Whether an existing file's first bytes (up to 4 KB) show FERLab wrote it.
    package let isOurs: @Sendable ([UInt8]) -> Bool

    /// An output at `path`; `isOurs` recognises a file FERLab wrote there before (by default none is).
    package init(
        _ path: String, force: Bool, forceOption: String = "--force",
        isOurs: @escaping @Sendable ([UInt8]) -> Bool = { _ in false }
    ) {
        self.path = path
        self.force = force
        self.forceOption = forceOption
        self.isOurs = isOurs
    }

    /// Checks that the file may be written (before any work, and again when writing).
    /// - Throws: `FileWriteError` saying what is there and how to proceed.
    package func check() throws {
        guard !path.isEmpty else { throw FileWriteError(path: "\"\"", reason: "no file name given") }
        switch RegularFile.kind(at: path) {
        case .missing:
            return
        case .folder:
            throw FileWriteError(path: path, reason: "is a folder; give a file name")
        case .link:
            throw FileWriteError(
                path: path, reason: "is a symbolic link; FERLab does not replace links (give the file's own path)")
        case .special:
            throw FileWriteError(
                path: path, reason: "is not a regular file (a device, FIFO or socket); FERLab never replaces it")
        case .file:
            if force { return }
            guard let head = RegularFile.head(path, limit: 4096) else {
                throw FileWriteError(
                    path: path,
                    reason: "exists and cannot be read, so FERLab cannot tell it wrote it; choose another path")
            }
            guard isOurs(head) else {
                throw FileWriteError(
                    path: path,
                    reason:
                        "exists and FERLab did not write it; choose another path, or pass \(forceOption) to replace it")
            }
        }
    }

    /// Writes `bytes` to the file, checking it once more first.
    package func write(_ bytes: [UInt8]) throws {
        try check()
        try AtomicFile.write(bytes, to: path)
    }

    /// Starts writing the file a piece at a time, beside the path, after checking it.
    package func streamed() throws -> StreamedFile {
        try check()
        return try StreamedFile(path: path)
    }

    /// Puts the pieces written to `file` in place, checking the path once more first (the file is discarded when
    /// the path has since become something FERLab may not replace).
    package func commit(_ file: StreamedFile) throws {
        do {
            try check()
        } catch {
            file.discard()
            throw error
        }
        try file.commit()
    }
}
