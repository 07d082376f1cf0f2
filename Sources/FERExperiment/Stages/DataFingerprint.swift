import FERData
import FERStages
import Foundation

/// The content hash of a dataset on disk, part of the loading stage's key:
/// the file's bytes, or for an image folder the path and bytes of every
/// image the reader reads, in its order. Editing the data invalidates everything computed from it.
///
/// Hashing a 300 MB file costs more than loading the dataset from the stage
/// cache, so each file's hash is remembered in the cache beside its identity
/// (device, inode, size, modification and status-change times) and reused
/// while that identity is unchanged.
enum DataFingerprint {
    /// A remembered hash: the file's identity when it was hashed, and the hash.
    private struct Known: Equatable {
        var identity: String
        var hash: UInt64
    }

    /// The fingerprint of the file or folder at `path`. `memo` remembers
    /// file hashes between runs; `trustMemo` false rehashes every file.
    static func of(path: String, memo: CacheStore? = nil, trustMemo: Bool = true) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, "no such file or folder")
        }
        let memoKey = ContentHash.hex(ContentHash.hash(URL(fileURLWithPath: path).standardizedFileURL.path))
        let known = trustMemo ? memo.map { remembered(in: $0, key: memoKey) } ?? [:] : [:]
        var seen: [String: Known] = [:]
        func hash(_ full: String, relative: String) throws -> UInt64 {
            let identity = try Self.identity(of: full)
            if let entry = known[relative], entry.identity == identity {
                seen[relative] = entry
                return entry.hash
            }
            var stream = ContentHash.Stream()
            try DataFile.forEachPiece(path: full, displayPath: full) { stream.add($0) }
            let value = stream.value
            seen[relative] = Known(identity: identity, hash: value)
            return value
        }
        let fingerprint: String
        if isDirectory.boolValue {
            var combined = ""
            for relative in try ImageFolderReader.imageFiles(root: path) {
                let full = (path as NSString).appendingPathComponent(relative)
                combined += "\(relative)\u{0}\(ContentHash.hex(try hash(full, relative: relative)))\n"
            }
            fingerprint = ContentHash.hex(ContentHash.hash(combined))
        } else {
            fingerprint = ContentHash.hex(try hash(path, relative: ""))
        }
        if let memo, seen != known { remember(seen, in: memo, key: memoKey) }
        return fingerprint
    }

    /// What identifies one version of a file without reading it.
    private static func identity(of path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw DataError(file: path, "cannot read: \(String(cString: strerror(errno)))")
        }
        return "\(info.st_dev):\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            + ":\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
    }

    private static func remembered(in memo: CacheStore, key: String) -> [String: Known] {
        guard case .hit(var reader) = memo.lookup(stage: "fingerprints", key: key),
            let names = try? reader.read([String].self), let identities = try? reader.read([String].self),
            let hashes = try? reader.read([UInt64].self), reader.isAtEnd,
            names.count == identities.count, names.count == hashes.count
        else { return [:] }
        var known: [String: Known] = [:]
        for index in names.indices { known[names[index]] = Known(identity: identities[index], hash: hashes[index]) }
        return known
    }

    /// Stores the hashes; a cache that cannot be written only costs a rehash next time.
    private static func remember(_ entries: [String: Known], in memo: CacheStore, key: String) {
        let sorted = entries.sorted { $0.key < $1.key }
        var writer = BinaryWriter()
        writer.write(sorted.map(\.key))
        writer.write(sorted.map(\.value.identity))
        writer.write(sorted.map(\.value.hash))
        try? memo.store(stage: "fingerprints", key: key, payload: writer)
    }
}
