import FERCodecs
import FERData
import FERStages
import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment

@Suite struct CacheTests {
    @Test func contentHashMatchesTheReferenceValues() {
        // xxHash64 reference values (empty input, and "abc"), seed 0.
        #expect(ContentHash.hash("") == 0xEF46_DB37_51D8_E999)
        #expect(ContentHash.hash("abc") == 0x44BC_2CF5_AD77_0999)
        let long = String(repeating: "0123456789", count: 10)
        #expect(ContentHash.hash(long) != ContentHash.hash(long + " "))
        // Longer inputs, through the 32-byte stripes (Python's xxhash.xxh64(..., seed=0)).
        #expect(ContentHash.hash(long) == 0xF80E_7B96_315A_FFFA)
        let bytes = [UInt8]((0..<768).map { UInt8($0 % 256) })
        #expect(bytes.withUnsafeBytes { ContentHash.hash($0) } == 0x8E03_C838_C596_036F)
    }

    @Test func aHashGivenInPiecesIsTheHashOfTheWhole() throws {
        let bytes = [UInt8]((0..<300).map { UInt8(($0 * 37) % 251) })
        for length in [0, 1, 31, 32, 33, 64, 95, 300] {
            let whole = bytes[0..<length].withUnsafeBytes { ContentHash.hash($0, seed: 5) }
            for piece in [1, 3, 7, 31, 32, 33, 100] {
                var stream = ContentHash.Stream(seed: 5)
                var start = 0
                while start < length {
                    let end = min(start + piece, length)
                    bytes[start..<end].withUnsafeBytes { stream.add($0) }
                    start = end
                }
                #expect(stream.value == whole, "\(length) bytes in pieces of \(piece)")
            }
        }
        // A file read in pieces hashes as when it is read whole.
        let folder = try TemporaryDirectory()
        let file = try folder.write("data.bin", bytes: bytes)
        var stream = ContentHash.Stream()
        try DataFile.forEachPiece(path: file, displayPath: "data.bin", chunk: 64) { stream.add($0) }
        #expect(stream.value == bytes.withUnsafeBytes { ContentHash.hash($0) })
        #expect(throws: DataError.self) { try DataFile.forEachPiece(path: folder.path, displayPath: "folder") { _ in } }
    }

    @Test func binaryCodingRoundTrips() throws {
        var writer = BinaryWriter()
        writer.write(Int64(-5))
        writer.write(2.5)
        writer.write("text é")
        writer.write([Float](arrayLiteral: 1, 2, 3))
        // An array of a megabyte or more is kept as its own piece, not copied.
        let large = (0..<300_000).map { Float($0) / 7 }
        writer.write(large)
        writer.write(["a", "", "c"])
        writer.write(true)
        var pieces = 0
        writer.forEachPiece { _ in pieces += 1 }
        #expect(pieces == 3 && writer.count == writer.bytes.count)
        var reader = BinaryReader(writer.bytes)
        #expect(try reader.read(Int64.self) == -5)
        #expect(try reader.read(Double.self) == 2.5)
        #expect(try reader.read(String.self) == "text é")
        #expect(try reader.read([Float].self) == [1, 2, 3])
        #expect(try reader.read([Float].self) == large)
        #expect(try reader.read([String].self) == ["a", "", "c"])
        #expect(try reader.read(Bool.self))
        #expect(reader.isAtEnd)
        #expect(throws: CacheError.malformed) { try reader.read(UInt8.self) }
    }

    @Test func truncatedPayloadsAreMalformed() {
        var writer = BinaryWriter()
        writer.write([Double](repeating: 1, count: 10))
        var reader = BinaryReader(Array(writer.bytes.prefix(30)))
        #expect(throws: CacheError.malformed) { try reader.read([Double].self) }
    }

    @Test func storeChecksEntries() throws {
        let folder = try TemporaryDirectory()
        let store = CacheStore(directory: folder.path)
        guard case .miss = store.lookup(stage: "s", key: "k1") else { Issue.record("expected a miss"); return }
        // Written a piece at a time: a small value, a large array, a small value.
        var payload = BinaryWriter()
        let large = [UInt8]((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        payload.write(UInt8(1))
        payload.write(large)
        payload.write(UInt8(3))
        try store.store(stage: "s", key: "k1", payload: payload)
        guard case .hit(var reader) = store.lookup(stage: "s", key: "k1") else {
            Issue.record("expected a hit"); return
        }
        #expect(try reader.read(UInt8.self) == 1)
        #expect(try reader.read([UInt8].self) == large)
        #expect(try reader.read(UInt8.self) == 3)
        #expect(reader.isAtEnd)
        // An entry renamed to another key is not trusted.
        try FileManager.default.copyItem(
            atPath: store.path(stage: "s", key: "k1"), toPath: store.path(stage: "s", key: "k2"))
        guard case .damaged = store.lookup(stage: "s", key: "k2") else { Issue.record("expected damaged"); return }
    }

    /// Entries stored in the background: a lookup of one still queued waits for it (the first write is large
    /// enough to be queued still when the lookups run), and what a failed write threw comes back at the end.
    @Test func entriesStoredInTheBackgroundAreThereWhenLookedUp() throws {
        let folder = try TemporaryDirectory()
        let store = CacheStore(directory: folder.path)
        let large = [Float](repeating: 0.5, count: 4 << 20)
        let writes = DispatchGroup()
        let failures = LockedList()
        for (index, values) in [large, [1, 2, 3]].enumerated() {
            var payload = BinaryWriter()
            payload.write(values)
            store.storeInBackground(stage: "s", key: "k\(index)", payload: payload, group: writes) {
                failures.append("\($0)")
            }
        }
        for (index, values) in [large, [1, 2, 3]].enumerated().reversed() {
            guard case .hit(var reader) = store.lookup(stage: "s", key: "k\(index)") else {
                Issue.record("entry \(index) was not there"); return
            }
            #expect(try reader.read([Float].self) == values)
        }
        writes.wait()
        #expect(failures.items.isEmpty)

        // A cache folder that is a file: the write fails, and says why.
        let blocked = CacheStore(directory: try folder.write("not-a-folder", text: "x"))
        blocked.storeInBackground(stage: "s", key: "k", payload: BinaryWriter(), group: writes) {
            failures.append("\($0)")
        }
        writes.wait()
        #expect(failures.items.count == 1)
        #expect(failures.items.first?.contains("not-a-folder") == true)
    }

    @Test(arguments: [false, true])
    func rememberedFingerprintsFollowTheFiles(folder isFolder: Bool) throws {
        let data = try TemporaryDirectory(), cache = try TemporaryDirectory()
        let store = CacheStore(directory: cache.path)
        // A CSV file, or an image folder of two labels (whose fingerprint covers the images the reader reads).
        func image(_ value: UInt8) throws -> [UInt8] {
            try PNGCodec.encode(GrayImage(width: 2, height: 2, pixels: [value, 2, 3, 4]))
        }
        let write = { (value: UInt8) throws in
            if isFolder {
                _ = try data.write("faces/happy/a.png", bytes: try image(value))
            } else {
                _ = try data.write("faces.csv", text: "emotion,pixels\n0,\(value) 2 3 4\n")
            }
        }
        try write(1)
        if isFolder { _ = try data.write("faces/sad/b.png", bytes: try image(9)) }
        let path = data.file(isFolder ? "faces" : "faces.csv")
        let plain = try DataFingerprint.of(path: path)
        #expect(try DataFingerprint.of(path: path, memo: store) == plain)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: cache.path).contains { $0.hasPrefix("fingerprints-") })
        #expect(try DataFingerprint.of(path: path, memo: store) == plain)
        // Other bytes: the file's identity changed, so it is hashed again.
        try write(5)
        let edited = try DataFingerprint.of(path: path, memo: store)
        #expect(edited != plain)
        #expect(edited == (try DataFingerprint.of(path: path)))
    }
}
