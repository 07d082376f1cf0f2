import FERCore
import Testing

/// A value a chunk returns, to see when it is released.
private final class ChunkValue: Sendable {
    let chunk: Int
    init(_ chunk: Int) { self.chunk = chunk }
}

@Suite struct ParallelLoopTests {
    @Test func chunksCoverTheRangeInOrder() {
        let ranges = ParallelLoop.mapChunks(count: 103, chunks: 8) { _, range in range }
        #expect(ranges.count == 8)
        #expect(ranges.first?.lowerBound == 0)
        #expect(ranges.last?.upperBound == 103)
        for (left, right) in zip(ranges, ranges.dropFirst()) { #expect(left.upperBound == right.lowerBound) }
    }

    @Test func fewerItemsThanChunks() {
        let ranges = ParallelLoop.mapChunks(count: 3, chunks: 8) { _, range in range }
        #expect(ranges == [0..<1, 1..<2, 2..<3])
        #expect(ParallelLoop.mapChunks(count: 0, chunks: 4) { _, range in range }.isEmpty)
    }

    @Test func chunkResultsAreReleasedWithTheResult() {
        weak var first: ChunkValue?
        weak var last: ChunkValue?
        do {
            let values = ParallelLoop.mapChunks(count: 100, chunks: 4) { chunk, _ in ChunkValue(chunk) }
            first = values.first
            last = values.last
            #expect(values.map(\.chunk) == [0, 1, 2, 3])
        }
        // Found by fuzzing: the slots holding each chunk's result were freed without releasing it.
        #expect(first == nil && last == nil)
    }
}
