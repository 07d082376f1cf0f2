import FERCore
import Foundation

/// The folder of a stage cache. FERLab writes into a folder, and prunes it,
/// only when it is a FERLab cache: it holds the tag FERLab writes (a
/// `CACHEDIR.TAG` as the Cache Directory Tagging Specification describes, so
/// backup tools pass it over, naming FERLab). A missing or empty folder
/// becomes a cache; a folder from before the tag whose every entry is one
/// FERLab wrote (cache entries, the run history) is tagged; any other
/// folder is refused, so a prune never removes a user's files.
package enum CacheFolder {
    /// The tag's file name.
    package static let tagName = "CACHEDIR.TAG"
    /// The tag's content.
    static let tag = Array(
        """
        Signature: 8a477f597d28d172789f06886806bc55
        # This file is a cache directory tag created by FERLab.
        # FERLab keeps its stage cache in this folder: it writes and prunes the files here.
        # For information about cache directory tags, see https://bford.info/cachedir/

        """.utf8)

    /// Makes `path` a cache if it is missing or empty, tags a FERLab cache from before the tag, and checks that
    /// it is a FERLab cache otherwise.
    /// - Throws: `CacheFolderError` when it is not a FERLab cache, or `FileWriteError` when it cannot be made.
    package static func prepare(_ path: String) throws {
        switch RegularFile.kind(at: path) {
        case .missing:
            try AtomicFile.write(tag, to: tagPath(path))
        case .folder, .link:
            guard !isTagged(path) else { return }
            guard RegularFile.kind(at: tagPath(path)) == .missing else {
                throw CacheFolderError(
                    path: path, "holds a \(tagName) that FERLab did not write; it is another program's cache")
            }
            try requireOnlyFERLabEntries(path)
            try AtomicFile.write(tag, to: tagPath(path))
        case .file, .special:
            throw CacheFolderError(path: path, "is not a folder")
        }
    }

    /// Checks that `path` is a FERLab cache, for commands that only read or prune it (a missing folder is an
    /// empty cache).
    /// - Throws: `CacheFolderError` when it is a folder that is not one.
    package static func check(_ path: String) throws {
        switch RegularFile.kind(at: path) {
        case .missing: return
        case .folder, .link:
            if isTagged(path) { return }
            guard RegularFile.kind(at: tagPath(path)) == .missing else {
                throw CacheFolderError(
                    path: path, "holds a \(tagName) that FERLab did not write; it is another program's cache")
            }
            try requireOnlyFERLabEntries(path)
        case .file, .special:
            throw CacheFolderError(path: path, "is not a folder")
        }
    }

    private static func tagPath(_ folder: String) -> String {
        (folder as NSString).appendingPathComponent(tagName)
    }

    private static func isTagged(_ folder: String) -> Bool {
        RegularFile.contents(tagPath(folder), limit: 4096) == tag
    }

    /// Refuses a folder holding anything but FERLab's cache entries, run history and half-written temporary files.
    private static func requireOnlyFERLabEntries(_ folder: String) throws {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw CacheFolderError(
                path: folder, "cannot be listed: \(FileWriteError(path: folder, error: error).reason)")
        }
        let foreign = entries.sorted().filter { entry in
            let path = (folder as NSString).appendingPathComponent(entry)
            if entry == "history.jsonl" { return RegularFile.kind(at: path) != .file }
            if entry.hasPrefix(".") && entry.hasSuffix(".tmp") { return RegularFile.kind(at: path) != .file }
            return !(entry.hasSuffix(".bin") && CacheStore.isEntry(path))
        }
        guard foreign.isEmpty else {
            throw CacheFolderError(
                path: folder,
                "is not a FERLab cache (it has no \(tagName) written by FERLab) and holds files FERLab did not write "
                    + "(\(foreign.prefix(3).joined(separator: ", "))\(foreign.count > 3 ? ", ..." : "")); "
                    + "choose an empty or new folder with --cache")
        }
    }
}

/// A folder FERLab will not use as its cache, and why.
package struct CacheFolderError: Error, CustomStringConvertible, Sendable {
    /// The folder.
    package let path: String
    /// What is wrong.
    package let reason: String

    init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    package var description: String { "\(path): \(reason)" }
}
