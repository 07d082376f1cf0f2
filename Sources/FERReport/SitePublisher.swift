import CSystem
import FERCore
import Foundation

/// Puts a finished site in place so that readers see the old site or the
/// new one, never a mixture: the files are written to a staging folder
/// beside the target, which is then exchanged with the target in one
/// system call. If the run dies before the exchange, the previous site is
/// untouched and the leftover staging folder is removed by the next run.
public enum SitePublisher {
    /// Writes `files` (relative path to bytes) and the site marker as the
    /// site of `experiment` in `folder`, which is checked once more first.
    /// Files the user added to the previous site (any the marker does not
    /// list) are carried into the new one; returns their paths.
    @discardableResult
    public static func publish(_ files: [String: [UInt8]], to folder: SiteFolder, experiment: String) throws -> [String]
    {
        try folder.verify()
        var files = files
        let kept = usersFiles(in: folder.resolved, besides: Set(files.keys))
        files[SiteFolder.markerName] = SiteFolder.marker(experiment: experiment, files: Array(files.keys))
        for (name, bytes) in kept { files[name] = bytes }
        let target = URL(fileURLWithPath: folder.resolved)
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: parent.path, error: error)
        }
        removeLeftovers(of: name, in: parent)
        let staging = parent.appendingPathComponent(".\(name).staging-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            for (relative, bytes) in files.sorted(by: { $0.key < $1.key }) {
                try AtomicFile.write(bytes, to: staging.appendingPathComponent(relative).path)
            }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                try? FileManager.default.removeItem(at: staging)
                throw FileWriteError(path: target.path, reason: "is a file, not a site folder")
            }
            if ferlab_exchange_paths(staging.path, target.path) != 0 {
                // No atomic exchange on this system: move the old site aside first.
                let aside = parent.appendingPathComponent(".\(name).old-\(ProcessInfo.processInfo.processIdentifier)")
                guard rename(target.path, aside.path) == 0 else {
                    try? FileManager.default.removeItem(at: staging)
                    throw FileWriteError(path: target.path, reason: String(cString: strerror(errno)))
                }
                guard rename(staging.path, target.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    _ = rename(aside.path, target.path)
                    throw FileWriteError(path: target.path, reason: reason)
                }
                try? FileManager.default.removeItem(at: aside)
                return kept.keys.sorted()
            }
            // The staging folder now holds the previous site.
            try? FileManager.default.removeItem(at: staging)
        } else {
            guard rename(staging.path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: staging)
                throw FileWriteError(path: target.path, reason: reason)
            }
        }
        return kept.keys.sorted()
    }

    /// The files in the site at `folder` that FERLab did not write there (its marker lists what it wrote) and
    /// that the new site does not replace, by path. A site whose marker lists nothing has none.
    static func usersFiles(in folder: String, besides new: Set<String>) -> [String: [UInt8]] {
        guard let written = SiteFolder.writtenFiles(in: folder),
            let walker = FileManager.default.enumerator(atPath: folder)
        else { return [:] }
        var kept: [String: [UInt8]] = [:]
        while let name = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = (folder as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                !written.contains(name), !new.contains(name), name != SiteFolder.markerName,
                let data = FileManager.default.contents(atPath: path)
            else { continue }
            kept[name] = Array(data)
        }
        return kept
    }

    /// Removes staging and set-aside folders that killed runs left behind
    /// (a set-aside folder with no site in place is the last good site: restore it).
    private static func removeLeftovers(of name: String, in parent: URL) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        let target = parent.appendingPathComponent(name)
        for entry in entries.sorted()
        where entry.hasPrefix(".\(name).old-") && !FileManager.default.fileExists(atPath: target.path) {
            _ = rename(parent.appendingPathComponent(entry).path, target.path)
        }
        for entry in entries where entry.hasPrefix(".\(name).staging-") || entry.hasPrefix(".\(name).old-") {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
        }
    }
}

/// Exclusive use of a site folder for one run: a second run on the same site
/// waits (saying so) until the first has finished.
public final class SiteLock {
    private let descriptor: Int32

    /// Takes the lock of the site at `directory`, calling `waiting` if another run holds it.
    public init(directory: String, waiting: () -> Void) throws {
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let path = parent.appendingPathComponent(".\(target.lastPathComponent).lock").path
        descriptor = open(path, O_CREAT | O_RDWR, 0o644)
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

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
