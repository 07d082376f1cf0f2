import FERData
import Foundation

/// The content hash of a dataset on disk, part of the loading stage's key:
/// the file's bytes, or for an image folder every file's path and bytes in
/// sorted order. Editing the data invalidates everything computed from it.
enum DataFingerprint {
    /// The fingerprint of the file or folder at `path`.
    static func of(path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, "no such file or folder")
        }
        if !isDirectory.boolValue { return ContentHash.hex(try hashFile(path, display: path)) }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw DataError(file: path, "cannot list the folder")
        }
        let files = (enumerator.allObjects as? [String] ?? []).filter { relative in
            var isFolder: ObjCBool = false
            let full = (path as NSString).appendingPathComponent(relative)
            return FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) && !isFolder.boolValue
                && !relative.split(separator: "/").contains { $0.hasPrefix(".") }
        }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var combined = ""
        for relative in files {
            let full = (path as NSString).appendingPathComponent(relative)
            combined += "\(relative)\u{0}\(ContentHash.hex(try hashFile(full, display: full)))\n"
        }
        return ContentHash.hex(ContentHash.hash(combined))
    }

    private static func hashFile(_ path: String, display: String) throws -> UInt64 {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DataError(file: display, "cannot read the file") }
        defer { try? handle.close() }
        let data = (try? handle.readToEnd()) ?? Data()
        return data.withUnsafeBytes { ContentHash.hash($0) }
    }
}
