import FERData
import Foundation
import Testing

/// The real FER2013, when a copy sits beside the project (never committed).
private let realFER2013 = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/data/fer2013.csv.gz").path

@Suite struct RealFER2013Tests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: realFER2013), "needs ../shared/data/fer2013.csv.gz"))
    func readsTheWholeDatasetWithItsKnownCounts() throws {
        let dataset = try CSVDatasetReader.read(path: realFER2013)
        #expect(dataset.count == 35_887)
        #expect(dataset.classCounts == [4953, 547, 5121, 8989, 6077, 4002, 6198])
        let summary = DatasetSummary(dataset)
        #expect(summary.usage.map(\.count) == [28_709, 3_589, 3_589])
    }
}
