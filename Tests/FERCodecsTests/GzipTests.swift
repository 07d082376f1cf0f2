import FERCodecs
import Testing

@Suite struct GzipTests {
    private let text = Array(String(repeating: "emotion,pixels,Usage\n3,1 2 3,Training\n", count: 500).utf8)

    @Test func roundTrip() throws {
        let compressed = text.withUnsafeBytes { Gzip.compress($0) }
        #expect(compressed.count < text.count / 10)
        #expect(compressed.withUnsafeBytes { Gzip.isGzip($0) })
        let restored = try compressed.withUnsafeBytes { try Gzip.decompress($0) }
        #expect(restored == text)
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
