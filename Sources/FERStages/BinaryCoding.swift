import FERCore
import Foundation

/// Appends values to a byte buffer in FERLab's cache format: fixed-width
/// native-endian numbers, length-prefixed arrays and texts. Cache files are
/// local to a machine, so no byte-order conversion is done.
///
/// A large array is kept as it is, not copied, until the bytes are written
/// out (`forEachPiece`): a stage's output can be the size of the dataset.
package struct BinaryWriter: Sendable {
    /// Arrays from this many bytes up are kept as their own piece instead of copied.
    static let ownPiece = 1 << 20

    /// The pieces before `tail`: copied bytes, and large arrays as they are.
    private var pieces: [Piece] = []
    /// The bytes written since the last large array.
    private var tail: [UInt8] = []

    /// A run of the bytes written, read through `withBytes`: small values copied together, or a large array as
    /// it is.
    private struct Piece: @unchecked Sendable {
        // The array it reads is a value nothing changes: safe to share.
        let count: Int
        let withBytes: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    }

    /// An empty writer.
    package init() {}

    /// Bytes written so far.
    package var count: Int { pieces.reduce(tail.count) { $0 + $1.count } }

    /// The bytes written so far, in one array (a copy of the large arrays too).
    package var bytes: [UInt8] {
        var all: [UInt8] = []
        all.reserveCapacity(count)
        forEachPiece { all.append(contentsOf: $0) }
        return all
    }

    /// Calls `body` with the bytes written so far, in order, a piece at a time.
    package func forEachPiece(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        for piece in pieces {
            try withoutActuallyEscaping(body) { body in try piece.withBytes(body) }
        }
        try tail.withUnsafeBytes(body)
    }

    /// Writes a fixed-width number.
    package mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value) { tail.append(contentsOf: $0) }
    }

    /// Writes a `Double`.
    package mutating func write(_ value: Double) { write(value.bitPattern) }

    /// Writes a `Bool`.
    package mutating func write(_ value: Bool) { write(UInt8(value ? 1 : 0)) }

    /// Writes a text.
    package mutating func write(_ value: String) { write(Array(value.utf8)) }

    /// Writes an array of plain values (numbers) as raw memory.
    package mutating func write<T: BitwiseCopyable>(_ values: [T]) {
        write(UInt64(values.count))
        let count = values.count * MemoryLayout<T>.stride
        guard count >= Self.ownPiece else {
            values.withUnsafeBytes { tail.append(contentsOf: $0) }
            return
        }
        let copied = tail
        pieces.append(Piece(count: copied.count) { body in try copied.withUnsafeBytes(body) })
        pieces.append(Piece(count: count) { body in try values.withUnsafeBytes(body) })
        tail = []
    }

    /// Writes an array of texts.
    package mutating func write(_ values: [String]) {
        write(UInt64(values.count))
        for value in values { write(value) }
    }
}

/// The memory a `BinaryReader` reads: a private copy, or a mapped file kept
/// mapped for as long as a reader uses it.
private final class ByteSource: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let mapping: MappedFile?

    init(copying array: [UInt8]) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: array.count, alignment: 16)
        array.withUnsafeBytes { copy.copyMemory(from: $0) }
        bytes = UnsafeRawBufferPointer(copy)
        mapping = nil
    }

    init(mapping: MappedFile) {
        bytes = mapping.bytes
        self.mapping = mapping
    }

    deinit {
        if mapping == nil { UnsafeMutableRawBufferPointer(mutating: bytes).deallocate() }
    }
}

/// Reads values written by `BinaryWriter`, refusing to read past the end.
package struct BinaryReader {
    private let source: ByteSource
    private var offset = 0

    /// A reader over a copy of `bytes`, starting at `offset`.
    package init(_ bytes: [UInt8], from offset: Int = 0) {
        self.init(source: ByteSource(copying: bytes), from: offset)
    }

    /// A reader over a mapped file, starting at `offset`.
    init(mapping: MappedFile, from offset: Int) {
        self.init(source: ByteSource(mapping: mapping), from: offset)
    }

    private init(source: ByteSource, from offset: Int) {
        self.source = source
        self.offset = min(max(0, offset), source.bytes.count)
    }

    private var bytes: UnsafeRawBufferPointer { source.bytes }

    /// Whether every byte was read.
    package var isAtEnd: Bool { offset == bytes.count }

    private mutating func take(_ count: Int) throws -> Range<Int> {
        guard count >= 0, count <= bytes.count - offset else { throw CacheError.malformed }
        defer { offset += count }
        return offset..<(offset + count)
    }

    /// Reads a fixed-width number.
    package mutating func read<T: FixedWidthInteger>(_ type: T.Type = T.self) throws -> T {
        let range = try take(MemoryLayout<T>.size)
        return bytes.loadUnaligned(fromByteOffset: range.lowerBound, as: T.self)
    }

    /// Reads a `Double`.
    package mutating func read(_ type: Double.Type = Double.self) throws -> Double {
        Double(bitPattern: try read(UInt64.self))
    }

    /// Reads a `Bool`.
    package mutating func read(_ type: Bool.Type = Bool.self) throws -> Bool {
        try read(UInt8.self) != 0
    }

    /// Reads a text.
    package mutating func read(_ type: String.Type = String.self) throws -> String {
        String(decoding: try read([UInt8].self), as: UTF8.self)
    }

    /// Reads an array of plain values.
    package mutating func read<T: BitwiseCopyable>(_ type: [T].Type = [T].self) throws -> [T] {
        let count = try read(UInt64.self)
        guard count <= UInt64(bytes.count) else { throw CacheError.malformed }
        let range = try take(Int(count) * MemoryLayout<T>.stride)
        let source = UnsafeRawBufferPointer(rebasing: bytes[range])
        return [T](count: Int(count)) { buffer in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
        }
    }

    /// Reads an array of texts.
    package mutating func read(_ type: [String].Type = [String].self) throws -> [String] {
        let count = try read(UInt64.self)
        guard count <= UInt64(bytes.count) else { throw CacheError.malformed }
        return try (0..<Int(count)).map { _ in try read(String.self) }
    }
}

/// A value that can be stored in the stage cache.
package protocol CacheCodable: SendableMetatype {
    /// Writes the value.
    func encode(to writer: inout BinaryWriter)
    /// Reads a value written by `encode`.
    init(from reader: inout BinaryReader) throws
}

/// Why a cache entry was not used.
package enum CacheError: Error, Equatable, Sendable {
    /// The entry's bytes do not decode (truncated or damaged).
    case malformed
}

/// A small `Codable` stage value, cached as sorted-key JSON inside the binary entry.
package protocol JSONCacheCodable: CacheCodable, Codable {}

extension JSONCacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        writer.write([UInt8]((try? encoder.encode(self)) ?? Data()))
    }

    package init(from reader: inout BinaryReader) throws {
        guard let value = try? JSONDecoder().decode(Self.self, from: Data(try reader.read([UInt8].self))) else {
            throw CacheError.malformed
        }
        self = value
    }
}
