import FERTestSupport
import Testing

@testable import FERData

@Suite struct SamplingTests {
    private func dataset() throws -> Dataset {
        let codes = [3, 3, 1, 3, 0, 1, 3, 0, 3]
        let rows = codes.enumerated().map { (emotion: $0.element, shift: $0.offset, usage: "Training") }
        return try parseCSV(CSVFixture.csv(rows, side: 2), options: DatasetOptions(width: 2, height: 2))
    }

    @Test func firstRowsOfEachClassInFileOrder() throws {
        // Happy (3) has 5 rows, capped at 2: rows 0 and 1; Disgust (1) and Angry (0) keep both.
        #expect(try dataset().rows(cappedAt: 2) == [0, 1, 2, 4, 5, 7])
    }

    @Test func smallClassesKeepAllTheirRows() throws {
        let rows = try dataset().rows(cappedAt: 4000)
        #expect(rows == Array(0..<9))
    }

    @Test func randomChoiceIsSeededAndStaysWithinEachClass() throws {
        let data = try dataset()
        let first = data.rows(cappedAt: 2, order: .random(seed: 7))
        #expect(first == data.rows(cappedAt: 2, order: .random(seed: 7)))
        #expect(first.count == 6)
        #expect(first == first.sorted())
        let counts = Dictionary(grouping: first, by: { data.labels[$0] }).mapValues(\.count)
        #expect(counts == [3: 2, 1: 2, 0: 2])
    }
}
