import FERTestSupport
import Testing

@testable import FERData

@Suite struct CSVDatasetWriterTests {
    private let source = """
        emotion,pixels,Usage
        3,\(CSVFixture.pixelField(CSVFixture.gradient(side: 4))),Training
        0,\(CSVFixture.pixelField(CSVFixture.gradient(side: 4, shift: 9))),PublicTest
        5,\(CSVFixture.pixelField(CSVFixture.gradient(side: 4, shift: 250))),

        """

    private var options: DatasetOptions { DatasetOptions(width: 4, height: 4) }

    @Test func writesTheFERLayout() throws {
        let dataset = try parseCSV(source, options: options)
        #expect(String(decoding: CSVDatasetWriter.encode(dataset), as: UTF8.self) == source)
    }

    @Test func roundTripsThroughPlainAndGzipFiles() throws {
        let dataset = try parseCSV(source, options: options)
        let directory = try TemporaryDirectory()
        for name in ["out.csv", "out.csv.gz"] {
            let path = directory.file(name)
            try CSVDatasetWriter.write(dataset, to: path)
            let back = try CSVDatasetReader.read(path: path, options: options)
            #expect(back.pixels == dataset.pixels)
            #expect(back.labels == dataset.labels)
            #expect((0..<3).map(back.usageName) == (0..<3).map(dataset.usageName))
        }
    }

    @Test func writesASubsetInTheGivenOrder() throws {
        let dataset = try parseCSV(source, options: options)
        let directory = try TemporaryDirectory()
        let path = directory.file("face-emo.csv")
        try CSVDatasetWriter.write(dataset, rows: [2, 0], to: path)
        let back = try CSVDatasetReader.read(path: path, options: options)
        #expect(back.labels == [5, 3])
        #expect(back.pixels == dataset.subset([2, 0]).pixels)
    }

    @Test func unwritablePathIsAnError() throws {
        let dataset = try parseCSV(source, options: options)
        let directory = try TemporaryDirectory()
        let blocker = try directory.write("file", text: "x")
        #expect(throws: (any Error).self) { try CSVDatasetWriter.write(dataset, to: blocker + "/out.csv") }
    }
}

@Suite struct DatasetSummaryTests {
    @Test func countsEverythingTheFirstMilestonePrinted() throws {
        let pixels = CSVFixture.pixelField(CSVFixture.gradient())
        let dataset = try parseCSV(
            """
            emotion,pixels,Usage
            3,\(pixels),Training
            3,\(pixels),Training
            1,\(pixels),PublicTest
            6,\(pixels),

            """)
        let summary = DatasetSummary(dataset)
        #expect(summary.rows == 4)
        #expect(summary.columns == ["emotion", "pixels", "Usage"])
        #expect(summary.pixelsPerRow == 2304)
        #expect(summary.labels.map(\.count) == [0, 1, 0, 2, 0, 0, 1])
        #expect(summary.labels[3].name == "Happy")
        #expect(summary.usage == [.init(name: "Training", count: 2), .init(name: "PublicTest", count: 1)])
        #expect(summary.missingValues == ["Usage": 1])
        let text = summary.text()
        #expect(text.contains("rows           4"))
        #expect(text.contains("3 Happy    2   50.0%"))
        #expect(text.contains("missing values Usage: 1"))
    }

    @Test func groupsThousands() {
        #expect(DatasetSummary.grouped(35887) == "35,887")
        #expect(DatasetSummary.grouped(999) == "999")
        #expect(DatasetSummary.grouped(1_000_000) == "1,000,000")
    }
}
