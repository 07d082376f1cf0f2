import FERCore
import Foundation

/// Stage results on disk, one file per stage key, written atomically and
/// checked on every read: a truncated, damaged or foreign file is reported
/// as absent, never trusted.
///
/// An entry is `FERLABC1`, the key, the payload length and the payload's
/// hash, then the payload.
package struct CacheStore: Sendable {
    /// The cache folder.
    package let directory: String
    /// The bytes every entry starts with.
    static let magic = Array("FERLABC1".utf8)

    /// A store in `directory` (created on first write).
    package init(directory: String) {
        self.directory = directory
    }

    /// What looking up a key found.
    package enum Lookup {
        /// A valid entry, with a reader positioned at its payload.
        case hit(BinaryReader)
        /// No entry.
        case miss
        /// An entry that failed its checks (it will be replaced).
        case damaged
    }

    /// Whether the file at `path` is a regular file that starts as FERLab's entries do.
    package static func isEntry(_ path: String) -> Bool {
        RegularFile.head(path, limit: magic.count) == magic
    }

    /// The file of `key` for stage `stage`.
    package func path(stage: String, key: String) -> String {
        (directory as NSString).appendingPathComponent(fileName(stage: stage, key: key))
    }

    /// The name of that file in the cache folder: `<stage>-<key>.bin`, the stage's name made file-safe.
    package func fileName(stage: String, key: String) -> String {
        "\(String(stage.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }))-\(key).bin"
    }

    /// Reads and checks the entry of `key`. The file is mapped, not copied:
    /// entries are only ever replaced by renaming, never rewritten in place.
    package func lookup(stage: String, key: String) -> Lookup {
        let path = path(stage: stage, key: key)
        CacheWrites.waitIfPending(path)
        guard FileManager.default.fileExists(atPath: path) else { return .miss }
        guard let file = MappedFile(path: path) else { return .damaged }
        let bytes = file.bytes
        let keyBytes = Array(key.utf8)
        let keyEnd = Self.magic.count + keyBytes.count, headerLength = keyEnd + 16
        guard bytes.count >= headerLength, bytes[0..<Self.magic.count].elementsEqual(Self.magic),
            bytes[Self.magic.count..<keyEnd].elementsEqual(keyBytes)
        else { return .damaged }
        var reader = BinaryReader(mapping: file, from: keyEnd)
        guard let length = try? reader.read(UInt64.self), let checksum = try? reader.read(UInt64.self),
            length == UInt64(bytes.count - headerLength),
            ContentHash.hash(UnsafeRawBufferPointer(rebasing: bytes[headerLength...])) == checksum
        else { return .damaged }
        return .hit(reader)
    }

    /// `store` on the cache's writing thread: `group` counts the write, and `failed` is told what it threw.
    package func storeInBackground(
        stage: String, key: String, payload: BinaryWriter, group: DispatchGroup,
        failed: @escaping @Sendable (any Error) -> Void
    ) {
        let store = self
        CacheWrites.enqueue(path: path(stage: stage, key: key), group: group, failed: failed) {
            try store.store(stage: stage, key: key, payload: payload)
        }
    }

    /// Stores what `payload` wrote under `key`, atomically, a piece at a time (never copied whole).
    package func store(stage: String, key: String, payload: BinaryWriter) throws {
        var checksum = ContentHash.Stream()
        payload.forEachPiece { checksum.add($0) }
        var header = BinaryWriter()
        header.write(UInt64(payload.count))
        header.write(checksum.value)
        let file = try StreamedFile(path: path(stage: stage, key: key))
        try file.write(Self.magic + Array(key.utf8) + header.bytes)
        try payload.forEachPiece { try file.write($0) }
        try file.commit()
    }
}
