import CMachine
import FERCore
import FERStages
import Foundation

/// Puts a finished site in place so that readers see the old site or the
/// new one, never a mixture: the files are written to a staging folder
/// beside the target, which is then exchanged with the target in one
/// system call. Whatever the user added to the previous site (any entry its
/// marker does not list: files, folders, symbolic links, FIFOs, files this
/// user cannot read) is moved into the staging folder first, by renaming,
/// so it keeps its mode, its links and its content, whatever its size. If
/// the run dies before the exchange, the previous site is untouched except
/// for those entries, which the next run moves back before it removes the
/// leftover staging folder.
package enum SitePublisher {
    /// Writes `files` (relative path to bytes) and the site marker as the
    /// site of `experiment` in `folder`, which is checked once more first.
    /// Entries the user added to the previous site are carried into the new
    /// one; returns their paths (a folder's with a final `/`).
    /// - Parameter nestedSites: folders already in `folder` that are sites
    ///   this command published (a sweep's points): they become part of the
    ///   new site, listed in its marker with a final `/`, so that the next
    ///   site published there replaces them with the rest.
    /// - Throws: `SiteFolderError` when one of the user's entries is where
    ///   the new site writes a file (the site is then left as it was), or
    ///   `FileWriteError` when the site cannot be written.
    @discardableResult
    package static func publish(
        _ files: [String: [UInt8]], to folder: SiteFolder, experiment: String, nestedSites: [String] = []
    ) throws -> [String] {
        try folder.verify()
        var files = files
        files[SiteFolder.markerName] = SiteFolder.marker(
            experiment: experiment, files: Array(files.keys) + nestedSites.map { $0 + "/" })
        let target = URL(fileURLWithPath: folder.resolved)
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: parent.path, error: error)
        }
        removeLeftovers(of: name, in: parent)
        let users = try UsersEntries(
            in: target.path, besides: Set(files.keys), nestedSites: Set(nestedSites), folder: folder)
        let nested = UsersEntries(nestedSites: nestedSites)
        let staging = parent.appendingPathComponent(".\(name).staging-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            for (relative, bytes) in files.sorted(by: { $0.key < $1.key }) {
                try AtomicFile.write(bytes, to: staging.appendingPathComponent(relative).path)
            }
            try users.move(from: target.path, to: staging.path)
            try nested.move(from: target.path, to: staging.path)
        } catch {
            nested.moveBack(from: staging.path, to: target.path)
            users.moveBack(from: staging.path, to: target.path)
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) else {
            guard rename(staging.path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: staging)
                throw FileWriteError(path: target.path, reason: reason)
            }
            return users.shown
        }
        guard isDirectory.boolValue else {
            try? FileManager.default.removeItem(at: staging)
            throw FileWriteError(path: target.path, reason: "is a file, not a site folder")
        }
        if ferlab_exchange_paths(staging.path, target.path) == 0 {
            // The staging folder now holds the previous site, less the user's entries.
            try? FileManager.default.removeItem(at: staging)
            return users.shown
        }
        // No atomic exchange on this system: move the old site aside first.
        let aside = parent.appendingPathComponent(".\(name).old-\(ProcessInfo.processInfo.processIdentifier)")
        guard rename(target.path, aside.path) == 0 else {
            let reason = String(cString: strerror(errno))
            nested.moveBack(from: staging.path, to: target.path)
            users.moveBack(from: staging.path, to: target.path)
            try? FileManager.default.removeItem(at: staging)
            throw FileWriteError(path: target.path, reason: reason)
        }
        guard rename(staging.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(aside.path, target.path)
            nested.moveBack(from: staging.path, to: target.path)
            users.moveBack(from: staging.path, to: target.path)
            try? FileManager.default.removeItem(at: staging)
            throw FileWriteError(path: target.path, reason: reason)
        }
        try? FileManager.default.removeItem(at: aside)
        return users.shown
    }

    /// Removes staging and set-aside folders that killed runs left behind: a set-aside folder with no site in
    /// place is the last good site (it is restored), and a staging folder's entries that its marker does not
    /// list are the user's, on their way into the new site (they are moved back), except the file the run was
    /// writing when it was killed (`StreamedFile`'s temporary of a listed file). A folder of a process still
    /// running is left alone, and so is one holding a user's entry that cannot be moved back.
    private static func removeLeftovers(of name: String, in parent: URL) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        let target = parent.appendingPathComponent(name)
        let leftovers = entries.sorted().compactMap { entry -> (entry: String, process: Int32)? in
            let prefixes = [".\(name).staging-", ".\(name).old-"]
            guard let prefix = prefixes.first(where: { entry.hasPrefix($0) }),
                let process = Int32(entry.dropFirst(prefix.count)),
                process != ProcessInfo.processInfo.processIdentifier && !isRunning(process)
            else { return nil }
            return (entry, process)
        }
        for (entry, _) in leftovers
        where entry.hasPrefix(".\(name).old-") && !FileManager.default.fileExists(atPath: target.path) {
            _ = rename(parent.appendingPathComponent(entry).path, target.path)
        }
        for (entry, process) in leftovers {
            let path = parent.appendingPathComponent(entry).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            if entry.hasPrefix(".\(name).staging-"), let written = SiteFolder.writtenFiles(in: path) {
                // The file the run was writing when it was killed is FERLab's, not the user's.
                for file in written {
                    let half = StreamedFile.temporaryPath(
                        of: (path as NSString).appendingPathComponent(file), process: process)
                    if RegularFile.kind(at: half) == .file { unlink(half) }
                }
                let stranded = (try? UsersEntries(in: path, written: written)) ?? nil
                guard let stranded, stranded.returnAll(from: path, to: target.path) else { continue }
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Whether process `process` exists.
    private static func isRunning(_ process: Int32) -> Bool {
        kill(process, 0) == 0 || errno == EPERM
    }
}

/// The entries of a site that are the user's: every entry its marker does not
/// list, found without following symbolic links, a folder with nothing of
/// FERLab's in it taken whole. They are moved, never copied.
struct UsersEntries {
    /// Their paths relative to the site, folders before what they hold.
    let paths: [String]
    /// Mode of each folder of FERLab's that holds a user's entry, by relative path.
    private let folderModes: [String: mode_t]
    /// The paths for people: a folder's with a final `/`.
    let shown: [String]

    /// The user's entries of the site at `folder` (none when it does not exist or has no marker FERLab wrote),
    /// given the paths the new site writes.
    /// - Throws: `SiteFolderError` when a user's entry is where the new site writes, or a folder cannot be listed.
    init(in folder: String, besides new: Set<String>, nestedSites: Set<String>, folder site: SiteFolder) throws {
        guard let written = SiteFolder.writtenFiles(in: folder) else {
            self.init(paths: [], folderModes: [:], shown: [])
            return
        }
        let newFolders = Set(new.flatMap(Self.ancestors))
        try self.init(
            in: folder, written: written.union(nestedSites.map { $0 + "/" }), alsoOpening: newFolders)
        for path in paths {
            let what: String?
            if new.contains(path) {
                what = "this run writes a file of that name"
            } else if newFolders.contains(path)
                && RegularFile.kind(at: (folder as NSString).appendingPathComponent(path)) != .folder
            {
                what = "this run writes a folder of that name"
            } else if let clash = Self.ancestors(of: path).first(where: { new.contains($0) }) {
                what = "this run writes a file at \(clash)"
            } else {
                what = nil
            }
            if let what {
                throw SiteFolderError(
                    path: site.path,
                    "holds \(path), which is yours (FERLab did not write it), and \(what); move or rename it, then run again (the site is unchanged)"
                )
            }
        }
    }

    /// The nested sites `names` of a site, to be carried into its new version as a user's entries are.
    init(nestedSites names: [String]) {
        self.init(paths: names, folderModes: [:], shown: names.map { $0 + "/" })
    }

    /// The entries of the folder `folder` that the list `written` does not name (a listed `name/` is a nested site,
    /// FERLab's whole); a folder is taken whole unless it holds a written file or is one of `alsoOpening` (folders
    /// the new site writes into).
    init(in folder: String, written: Set<String>, alsoOpening: Set<String> = []) throws {
        let ferlabFolders = Set(written.flatMap(Self.ancestors)).union(alsoOpening)
        var paths: [String] = [], shown: [String] = []
        var modes: [String: mode_t] = [:]
        func walk(_ relative: String) throws {
            let full = relative.isEmpty ? folder : (folder as NSString).appendingPathComponent(relative)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: full)
            } catch {
                throw SiteFolderError(
                    path: full,
                    "cannot be listed, so FERLab cannot tell which of its files are yours: \(FileWriteError(path: full, error: error).reason)"
                )
            }
            for entry in names.sorted() {
                let path = relative.isEmpty ? entry : relative + "/" + entry
                if path == SiteFolder.markerName || written.contains(path) || written.contains(path + "/") { continue }
                let kind = RegularFile.kind(at: (folder as NSString).appendingPathComponent(path))
                if kind == .folder && ferlabFolders.contains(path) {
                    var info = stat()
                    if stat((folder as NSString).appendingPathComponent(path), &info) == 0 {
                        modes[path] = info.st_mode & 0o7777
                    }
                    try walk(path)
                } else {
                    paths.append(path)
                    shown.append(kind == .folder ? path + "/" : path)
                }
            }
        }
        try walk("")
        self.init(paths: paths, folderModes: modes, shown: shown)
    }

    private init(paths: [String], folderModes: [String: mode_t], shown: [String]) {
        self.paths = paths
        self.folderModes = folderModes
        self.shown = shown
    }

    /// The folders that hold `path`, outermost first: `a`, `a/b` for `a/b/c`.
    static func ancestors(of path: String) -> [String] {
        let parts = path.split(separator: "/")
        return (1..<max(1, parts.count)).map { parts.prefix($0).joined(separator: "/") }
    }

    /// Makes the folders that hold `path` in `base` where they are missing, each with its old mode.
    /// - Throws: `FileWriteError` naming the folder that cannot be made.
    private func makeFolders(holding path: String, in base: String) throws {
        for folder in Self.ancestors(of: path) {
            let made = (base as NSString).appendingPathComponent(folder)
            guard RegularFile.kind(at: made) == .missing else { continue }
            guard mkdir(made, folderModes[folder] ?? 0o755) == 0 else {
                throw FileWriteError(path: made, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// Moves every entry from the site `source` to the same place in `destination`, making the folders that hold
    /// them (with their old modes) where needed.
    /// - Throws: `FileWriteError` naming the entry that cannot be moved (those already moved stay moved: call
    ///   `moveBack`).
    func move(from source: String, to destination: String) throws {
        for path in paths {
            try makeFolders(holding: path, in: destination)
            let from = (source as NSString).appendingPathComponent(path)
            guard rename(from, (destination as NSString).appendingPathComponent(path)) == 0 else {
                throw FileWriteError(
                    path: from, reason: "yours, cannot be moved into the new site: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Moves every entry that is in `staging` back to `site` (after a failed publish).
    func moveBack(from staging: String, to site: String) {
        for path in paths.reversed() {
            let from = (staging as NSString).appendingPathComponent(path)
            guard RegularFile.kind(at: from) != .missing else { continue }
            _ = ferlab_rename_without_replacing(from, (site as NSString).appendingPathComponent(path))
        }
    }

    /// Moves every entry of a killed run's staging folder back into `site` (made if missing), merging a folder
    /// into one of the same name there; whether all went.
    func returnAll(from staging: String, to site: String) -> Bool {
        guard !paths.isEmpty else { return true }
        if RegularFile.kind(at: site) == .missing { mkdir(site, 0o755) }
        func put(_ from: String, _ to: String) -> Bool {
            if RegularFile.kind(at: from) == .folder && RegularFile.kind(at: to) == .folder {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: from)) ?? []
                let all = names.map {
                    put((from as NSString).appendingPathComponent($0), (to as NSString).appendingPathComponent($0))
                }.allSatisfy { $0 }
                return all && rmdir(from) == 0
            }
            return ferlab_rename_without_replacing(from, to) == 0
        }
        var all = true
        for path in paths {
            try? makeFolders(holding: path, in: site)
            if !put((staging as NSString).appendingPathComponent(path), (site as NSString).appendingPathComponent(path))
            {
                all = false
            }
        }
        return all
    }
}

/// Exclusive use of a site folder for one run: a second run on the same site
/// waits (saying so) until the first has finished. The lock is a file in the
/// user's lock folder (`$XDG_RUNTIME_DIR/ferlab`, else `ferlab-locks-<uid>`
/// in the temporary folder), named by the site's full path, so nothing is
/// ever left beside an output folder, however a run ends.
package final class SiteLock {
    private let descriptor: Int32

    /// Takes the lock of the site at `directory`, calling `waiting` if another run holds it.
    package init(
        directory: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        waiting: () -> Void
    ) throws {
        let target = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        let folder = Self.folder(environment: environment)
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw FileWriteError(path: folder, error: error)
        }
        let path = (folder as NSString).appendingPathComponent(ContentHash.hex(ContentHash.hash(target)) + ".lock")
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            guard flock(descriptor, LOCK_EX) == 0 else {
                close(descriptor)
                throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// The folder the locks are kept in.
    static func folder(environment: [String: String]) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/"),
            FileManager.default.fileExists(atPath: runtime)
        {
            return (runtime as NSString).appendingPathComponent("ferlab")
        }
        return (NSTemporaryDirectory() as NSString).appendingPathComponent("ferlab-locks-\(getuid())")
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
