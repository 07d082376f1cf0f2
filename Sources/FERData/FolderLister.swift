import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the folders of a dataset tree straight from the file system, and
/// remembers what it passed over and why: names that are not UTF-8,
/// dangling symbolic links, entries that are neither files nor folders, and
/// folders already read under another name (a symbolic link back up the
/// tree would otherwise read every image twice, or forever).
struct FolderLister {
    /// One line for each entry passed over.
    private(set) var skipped: [String] = []
    /// The folders read so far, by device and inode.
    private var visited: Set<[UInt64]> = []

    /// The regular files and the folders in `path` (hidden ones left out), each sorted by bytes.
    mutating func list(_ path: String) throws -> (files: [String], folders: [String]) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw DataError(file: path, "cannot list the folder: \(String(cString: strerror(errno)))")
        }
        guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else {
            skipped.append("\(path): the same folder as one already read (a symbolic link); not read again")
            return ([], [])
        }
        guard let directory = opendir(path) else {
            throw DataError(file: path, "cannot list the folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var files: [String] = [], folders: [String] = []
        while let entry = readdir(directory) {
            let nameBytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard nameBytes.first != UInt8(ascii: ".") else { continue }
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                let shown = nameBytes.map {
                    $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16)
                }
                .joined()
                skipped.append("\(path)/\(shown): its name is not UTF-8; rename it to read it")
                continue
            }
            let full = (path as NSString).appendingPathComponent(name)
            var target = stat()
            guard stat(full, &target) == 0 else {
                let reason = errno == ENOENT ? "a symbolic link to nothing" : String(cString: strerror(errno))
                skipped.append("\(full): \(reason); not read")
                continue
            }
            switch target.st_mode & S_IFMT {
            case S_IFDIR: folders.append(name)
            case S_IFREG: files.append(name)
            default: skipped.append("\(full): neither a file nor a folder (a pipe, socket or device); not read")
            }
        }
        let order: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return (files.sorted(by: order), folders.sorted(by: order))
    }

    /// What was passed over, as a clause for an error that found nothing to read.
    var skippedSummary: String {
        skipped.isEmpty ? "" : " (\(skipped.count) entr\(skipped.count == 1 ? "y" : "ies") passed over: \(skipped[0]))"
    }
}
