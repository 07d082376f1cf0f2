import Testing

@testable import FERCodecs

@Suite struct GzipTests {
    private let text = Array(String(repeating: "emotion,pixels,Usage\n3,1 2 3,Training\n", count: 500).utf8)

    @Test func roundTrip() throws {
        let compressed = text.withUnsafeBytes { Gzip.compress($0) }
        #expect(compressed.count < text.count / 10)
        #expect(compressed.withUnsafeBytes { Gzip.isGzip($0) })
        let restored = try compressed.withUnsafeBytes { try Gzip.decompress($0) }
        #expect(restored == text)
    }

    /// A file compressed a piece at a time is the file compressed whole, however the pieces fall.
    @Test func aStreamInPiecesGivesTheBytesOfTheWhole() throws {
        var random = SystemRandomNumberGenerator()
        // Text that compresses a little, and enough of it to fill several of deflate's blocks and output pieces.
        let input = (0..<300_000).map { index in
            UInt8(index % 251 < 200 ? 48 + index % 10 : Int.random(in: 0...255, using: &random))
        }
        let whole = input.withUnsafeBytes { Gzip.compress($0) }
        for size in [1, 4093, 65_536, 1_000_000] {
            let stream = GzipStream()
            var pieces: [UInt8] = []
            var start = 0
            while start < input.count {
                let end = min(input.count, start + (size == 1 ? Int.random(in: 1...9000, using: &random) : size))
                pieces += input[start..<end].withUnsafeBytes { stream.compress($0) }
                start = end
            }
            pieces += stream.finish()
            #expect(pieces == whole, "pieces of \(size)")
        }
        #expect(try whole.withUnsafeBytes { try Gzip.decompress($0) } == input)
    }

    @Test func compressionIsDeterministic() {
        let first = text.withUnsafeBytes { Gzip.compress($0) }
        let second = text.withUnsafeBytes { Gzip.compress($0) }
        #expect(first == second)
    }

    @Test func concatenatedMembersAreAllRead() throws {
        let half = Array(text.prefix(1000)), rest = Array(text.dropFirst(1000))
        let joined = half.withUnsafeBytes { Gzip.compress($0) } + rest.withUnsafeBytes { Gzip.compress($0) }
        #expect(try joined.withUnsafeBytes { try Gzip.decompress($0) } == text)
    }

    /// A limit lets through a file of exactly its size and stops a longer one, in one member or several.
    @Test func aLimitStopsALongerFile() throws {
        let half = Array(text.prefix(1000)), rest = Array(text.dropFirst(1000))
        let joined = half.withUnsafeBytes { Gzip.compress($0) } + rest.withUnsafeBytes { Gzip.compress($0) }
        let whole = text.withUnsafeBytes { Gzip.compress($0) }
        for file in [whole, joined] {
            #expect(try file.withUnsafeBytes { try Gzip.decompress($0, limit: text.count) } == text)
            #expect(throws: Gzip.TooLarge(limit: text.count - 1)) {
                try file.withUnsafeBytes { try Gzip.decompress($0, limit: text.count - 1) }
            }
            #expect(throws: Gzip.TooLarge(limit: 10)) {
                try file.withUnsafeBytes { try Gzip.decompress($0, limit: 10) }
            }
        }
    }

    @Test func truncatedStreamIsAnError() {
        let compressed = text.withUnsafeBytes { Gzip.compress($0) }
        let cut = Array(compressed.prefix(compressed.count / 2))
        #expect(throws: CodecError.self) { try cut.withUnsafeBytes { try Gzip.decompress($0) } }
        do {
            _ = try cut.withUnsafeBytes { try Gzip.decompress($0) }
        } catch {
            #expect("\(error)".contains("truncated"))
        }
    }

    @Test func corruptStreamIsAnError() {
        var compressed = text.withUnsafeBytes { Gzip.compress($0) }
        for index in 12..<40 { compressed[index] ^= 0x5A }
        #expect(throws: CodecError.self) { try compressed.withUnsafeBytes { try Gzip.decompress($0) } }
    }
}
