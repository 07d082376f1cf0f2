import FERCore
import Foundation

/// The rules for the folder a site is published to. FERLab replaces a folder
/// only when it made it: every published site carries a marker file, and an
/// existing folder without one is refused unless it is empty or the user
/// explicitly allows replacing it. Some folders are never replaced at all
/// (the file system's root, the home folder, the working folder and its
/// parents, a Git work tree, the templates, the cache, the data).
package struct SiteFolder: Sendable {
    /// The marker file every published site holds.
    package static let markerName = ".ferlab-site"

    /// The folder as given, for messages.
    package let path: String
    /// The folder as an absolute path with symbolic links resolved.
    package let resolved: String
    /// Whether the user allowed replacing a non-empty folder without a marker.
    package let replacingForeignFolder: Bool
    /// Whether the folder holds sites rather than being one (a sweep's points): it may then also be a folder
    /// whose every entry is a site or a site's lock.
    package let holdsSites: Bool

    /// Checks `path` as a site folder before any work starts.
    /// - Parameters:
    ///   - protected: paths the site must never replace, hold or lie in (the
    ///     templates, the cache, the data, the config), each with what it is
    ///     for messages, in addition to the root, the home folder and the
    ///     working folder, which it must not replace or hold.
    ///   - replacingForeignFolder: the user's explicit permission to replace
    ///     a non-empty folder that has no marker.
    ///   - holdsSites: whether the folder is to hold sites (a sweep's points) rather than be one.
    /// - Throws: `SiteFolderError` saying what is wrong and what to do.
    package init(
        _ path: String, protected: [(path: String, what: String)], replacingForeignFolder: Bool,
        holdsSites: Bool = false
    ) throws {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SiteFolderError(path: path, "the site folder is empty; give a folder name with --out")
        }
        self.path = path
        self.replacingForeignFolder = replacingForeignFolder
        self.holdsSites = holdsSites
        resolved = Self.resolve(path)
        let current = FileManager.default.currentDirectoryPath
        // The home folder as the environment says ($HOME) and as the user database says, where they differ.
        let homes = Set(
            [ProcessInfo.processInfo.environment["HOME"], FileManager.default.homeDirectoryForCurrentUser.path]
                .compactMap { $0 }.filter { !$0.isEmpty })
        let always =
            [("/", "the root of the file system"), (current, "the current folder")]
            + homes.sorted().map { ($0, "your home folder") }
        for (folder, what) in always + protected.map({ ($0.path, "\($0.what) (\($0.path))") }) {
            let other = Self.resolve(folder)
            if other == resolved {
                throw SiteFolderError(path: path, "is \(what); FERLab never replaces it")
            }
            if Self.isInside(other, resolved) {
                throw SiteFolderError(path: path, "holds \(what); FERLab never replaces it")
            }
            if !always.contains(where: { $0.0 == folder }) && Self.isInside(resolved, other) {
                throw SiteFolderError(path: path, "is inside \(what); choose a folder outside it")
            }
        }
        try verify()
    }

    /// Checks again what may have changed since the folder was first checked
    /// (what it holds, whether it can be written); called just before publishing.
    package func verify() throws {
        try checkExisting()
        try checkWritable()
    }

    /// The first line of every marker, up to the experiment's name.
    static let markerHead = "FERLab report site of experiment "
    /// The rest of the marker's first line.
    static let markerPromise =
        "; FERLab replaces the files below on each run and keeps any other file you put here."
    /// The largest marker FERLab reads (a site of a million files lists fewer bytes).
    static let largestMarker = 64 << 20

    /// The marker's content: which experiment the site is of, and the files FERLab wrote (every other file in the
    /// folder is the user's, and the next run keeps it).
    package static func marker(experiment: String, files: [String]) -> [UInt8] {
        let head = markerHead + experiment + markerPromise + "\n"
        return Array((head + files.sorted().map { "  \($0)\n" }.joined()).utf8)
    }

    /// The files the marker in `folder` says FERLab wrote; `nil` when the folder holds no marker FERLab wrote
    /// (missing, not a regular file, or not in the marker's format with at least one file listed).
    static func writtenFiles(in folder: String) -> Set<String>? {
        guard
            let data = RegularFile.contents(
                (folder as NSString).appendingPathComponent(markerName), limit: largestMarker)
        else { return nil }
        return writtenFiles(marker: data)
    }

    /// The files a marker's bytes list; `nil` when they are not a marker FERLab wrote.
    static func writtenFiles(marker data: [UInt8]) -> Set<String>? {
        guard let text = String(validating: data, as: UTF8.self), text.hasSuffix("\n") else { return nil }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix(markerHead), first.hasSuffix(markerPromise), lines.count > 1
        else { return nil }
        var listed: Set<String> = []
        for line in lines.dropFirst() {
            let name = line.dropFirst(2)
            guard line.hasPrefix("  "), !name.isEmpty, !name.hasPrefix("/"),
                !name.split(separator: "/").contains(where: { $0 == ".." || $0 == "." })
            else { return nil }
            listed.insert(String(name))
        }
        return listed
    }

    /// Whether the folder at `path` is one FERLab published: it holds a marker FERLab wrote.
    package static func isSite(_ path: String) -> Bool {
        writtenFiles(in: path) != nil
    }

    private func checkExisting() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw SiteFolderError(path: path, "is a file, not a folder; choose another --out")
        }
        if FileManager.default.fileExists(atPath: (resolved as NSString).appendingPathComponent(".git")) {
            throw SiteFolderError(path: path, "holds a Git repository (.git); FERLab never replaces it")
        }
        if Self.isSite(resolved) || replacingForeignFolder { return }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: resolved)
        } catch {
            throw SiteFolderError(path: path, "cannot be listed: \(FileWriteError(path: path, error: error).reason)")
        }
        let onlySites = entries.allSatisfy { entry in
            let full = (resolved as NSString).appendingPathComponent(entry)
            return Self.isSite(full)
                || (entry.hasPrefix(".") && entry.hasSuffix(".lock") && RegularFile.kind(at: full) == .file)
        }
        guard entries.isEmpty || (holdsSites && onlySites) else {
            throw SiteFolderError(
                path: path,
                """
                is a folder FERLab did not make (no \(Self.markerName) marker) and it is not empty; \
                publishing would replace its \(entries.count) entr\(entries.count == 1 ? "y" : "ies"). \
                Choose another --out, or pass --replace-folder-not-made-by-ferlab to replace it
                """)
        }
    }

    /// The nearest folder that exists on the way to the site must let this user create entries.
    private func checkWritable() throws {
        var folder = (resolved as NSString).deletingLastPathComponent
        while !FileManager.default.fileExists(atPath: folder) && folder != "/" {
            folder = (folder as NSString).deletingLastPathComponent
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SiteFolderError(path: path, "cannot be created: \(folder) is not a folder")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw SiteFolderError(path: path, "cannot be written: you may not create files in \(folder)")
        }
    }

    /// `path` as an absolute, standardized path with the symbolic links of its existing part resolved.
    static func resolve(_ path: String) -> String {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var missing: [String] = []
        while !FileManager.default.fileExists(atPath: url.path) && url.path != "/" {
            missing.insert(url.lastPathComponent, at: 0)
            url.deleteLastPathComponent()
        }
        var base = url.resolvingSymlinksInPath().path
        for component in missing { base = (base as NSString).appendingPathComponent(component) }
        return base
    }

    /// Whether `inner` lies strictly inside `outer`.
    static func isInside(_ inner: String, _ outer: String) -> Bool {
        let prefix = outer.hasSuffix("/") ? outer : outer + "/"
        return inner != outer && inner.hasPrefix(prefix)
    }
}

/// A site folder FERLab refuses to write, with the reason and what to do.
package struct SiteFolderError: Error, CustomStringConvertible, Sendable {
    /// The folder as given.
    package let path: String
    /// What is wrong.
    package let reason: String

    init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    package var description: String { "\(path.isEmpty ? "--out \"\"" : path): \(reason)" }
}
