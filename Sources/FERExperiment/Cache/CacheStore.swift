import FERCore
import Foundation

/// Stage results on disk, one file per stage key, written atomically and
/// checked on every read: a truncated, damaged or foreign file is reported
/// as absent, never trusted.
///
/// An entry is `FERLABC1`, the key, the payload length and the payload's
/// hash, then the payload.
public struct CacheStore: Sendable {
    /// The cache folder.
    public let directory: String
    private static let magic = Array("FERLABC1".utf8)

    /// A store in `directory` (created on first write).
    public init(directory: String) {
        self.directory = directory
    }

    /// What looking up a key found.
    public enum Lookup {
        /// A valid entry, with a reader positioned at its payload.
        case hit(BinaryReader)
        /// No entry.
        case miss
        /// An entry that failed its checks (it will be replaced).
        case damaged
    }

    /// The file of `key` for stage `stage`.
    public func path(stage: String, key: String) -> String {
        let safe = String(stage.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        return (directory as NSString).appendingPathComponent("\(safe)-\(key).bin")
    }

    /// Reads and checks the entry of `key`; the file is read once and checked in place.
    public func lookup(stage: String, key: String) -> Lookup {
        let path = path(stage: stage, key: key)
        guard FileManager.default.fileExists(atPath: path) else { return .miss }
        guard let bytes = FileContents.read(path) else { return .damaged }
        let keyBytes = Array(key.utf8)
        let keyEnd = Self.magic.count + keyBytes.count, headerLength = keyEnd + 16
        guard bytes.count >= headerLength, bytes[0..<Self.magic.count].elementsEqual(Self.magic),
              bytes[Self.magic.count..<keyEnd].elementsEqual(keyBytes) else { return .damaged }
        var reader = BinaryReader(bytes, from: keyEnd)
        guard let length = try? reader.read(UInt64.self), let checksum = try? reader.read(UInt64.self),
              length == UInt64(bytes.count - headerLength) else { return .damaged }
        let actual = bytes.withUnsafeBytes { ContentHash.hash(UnsafeRawBufferPointer(rebasing: $0[headerLength...])) }
        guard actual == checksum else { return .damaged }
        return .hit(reader)
    }

    /// Stores `payload` under `key`, atomically.
    public func store(stage: String, key: String, payload: [UInt8]) throws {
        var header = BinaryWriter()
        header.write(UInt64(payload.count))
        header.write(payload.withUnsafeBytes { ContentHash.hash($0) })
        try AtomicFile.write(Self.magic + Array(key.utf8) + header.bytes + payload, to: path(stage: stage, key: key))
    }
}
