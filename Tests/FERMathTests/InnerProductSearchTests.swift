import FERCore
import Testing

@testable import FERMath

@Suite struct InnerProductSearchTests {
    @Test func findsTheSameNeighboursAsComparingEveryPair() {
        var random = SeededGenerator(seed: 21)
        func matrix(_ rows: Int) -> Matrix {
            Matrix(rows: rows, columns: 9, values: (0..<(rows * 9)).map { _ in Float(random.normal()) })
        }
        // More references than one block, so blocks and chunks are merged; one exact copy of a reference.
        let references = matrix(InnerProductSearch.block * 2 + 37)
        var queries = matrix(70)
        for column in 0..<9 { queries.values[5 * 9 + column] = references[3_000, column] }
        let found = InnerProductSearch.nearest(queries: queries, count: references.rows) { range in
            references.selecting(rows: Array(range))
        }
        for query in 0..<queries.rows {
            func dot(_ reference: Int) -> Float {
                (0..<9).reduce(0) { $0 + queries[query, $1] * references[reference, $1] }
            }
            let best = (0..<references.rows).map(dot).max() ?? 0
            // The found reference is the best one (another only when the two tie to rounding).
            #expect(abs(dot(found.index[query]) - best) < 1e-4, "query \(query)")
            #expect(abs(found.similarity[query] - best) < 1e-4)
        }
        #expect(found.index[5] == 3_000)
    }

    /// A block's largest product, wherever it sits: in any of the four vector lanes' sums or in the tail.
    @Test func theLargestValueIsFoundAtEveryPosition() {
        for count in [1, 7, 31, 32, 33, 64, 100] {
            for position in 0..<count {
                var values = (0..<count).map { Float(($0 * 13) % 7) - 10 }
                values[position] = 1.5
                #expect(
                    values.withUnsafeBufferPointer { InnerProductSearch.largest($0.baseAddress!, count: count) } == 1.5)
            }
        }
    }

    /// A query whose best match appears several times, within a block, across the blocks of one chunk (130 blocks make
    /// chunks of two or three) and across chunks, gets the first copy.
    @Test func tiesGoToTheLowestReference() {
        var random = SeededGenerator(seed: 4)
        let columns = 12, count = InnerProductSearch.block * 130
        var values = (0..<(count * columns)).map { _ in Float(random.normal()) * 0.1 }
        let target = (0..<columns).map { _ in Float(random.normal()) }
        for copy in [100, 101, InnerProductSearch.block + 100, count - 10] {
            for column in 0..<columns { values[copy * columns + column] = target[column] }
        }
        let references = Matrix(rows: count, columns: columns, values: values)
        let queries = Matrix(rows: 1, columns: columns, values: target)
        let found = InnerProductSearch.nearest(queries: queries, count: count) { range in
            references.selecting(rows: Array(range))
        }
        #expect(found.index == [100])
    }
}
