import Foundation

/// Every regular file under a folder, by relative path, for comparing sites.
package enum FolderSnapshot {
    /// The files under `folder` (none when it does not exist).
    package static func files(in folder: String) throws -> [String: Data] {
        let names = FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []
        var files: [String: Data] = [:]
        for name in names {
            var isDirectory: ObjCBool = false
            let path = (folder as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return files
    }

    /// The files a rerun may change even when nothing else does: the run log.
    package static let runLogFiles: Set<String> = ["run.json", "run-log.md", "run-log.html"]

    /// The names of the files that differ between two snapshots, the run log aside.
    package static func differences(_ first: [String: Data], _ second: [String: Data]) -> [String] {
        Set(first.keys).union(second.keys).subtracting(runLogFiles).filter { first[$0] != second[$0] }.sorted()
    }
}
