import FERCodecs
import FERCore
import FERTestSupport
import Testing

@testable import FERData

/// Parses CSV text as if it were a file named `data.csv`.
func parseCSV(_ text: String, options: DatasetOptions = DatasetOptions()) throws -> Dataset {
    try Array(text.utf8).withUnsafeBytes { try CSVDatasetReader.parse($0, file: "data.csv", options: options) }
}

@Suite struct CSVDatasetReaderTests {
    private let rows = [
        (emotion: 3, shift: 0, usage: "Training"), (emotion: 0, shift: 7, usage: "PublicTest"),
        (emotion: 6, shift: 11, usage: "Training"), (emotion: 1, shift: 200, usage: "PrivateTest"),
    ]

    private func expectRowsMatch(_ dataset: Dataset) {
        #expect(dataset.count == 4)
        #expect(dataset.width == 48 && dataset.height == 48)
        #expect(dataset.labels == [3, 0, 6, 1])
        #expect(dataset.labelNames == EmotionLabels.fer2013)
        for (index, row) in rows.enumerated() {
            #expect(Array(dataset.image(index)) == CSVFixture.gradient(shift: row.shift))
            #expect(dataset.usageName(index) == row.usage)
        }
        #expect(dataset.usageNames == ["Training", "PublicTest", "PrivateTest"])
    }

    @Test func readsThePlainLayout() throws {
        expectRowsMatch(try parseCSV(CSVFixture.csv(rows)))
    }

    @Test func readsCRLFLineEndsAndAByteOrderMark() throws {
        expectRowsMatch(try parseCSV("\u{FEFF}" + CSVFixture.csv(rows, lineEnd: "\r\n")))
    }

    @Test func readsGzipFilesAndPlainFilesFromDisk() throws {
        let directory = try TemporaryDirectory()
        let text = Array(CSVFixture.csv(rows).utf8)
        let plain = try directory.write("faces.csv", bytes: text)
        let packed = try directory.write("faces.csv.gz", bytes: text.withUnsafeBytes { Gzip.compress($0) })
        expectRowsMatch(try CSVDatasetReader.read(path: plain))
        expectRowsMatch(try CSVDatasetReader.read(path: packed))
    }

    @Test func acceptsAnyColumnOrderExtraColumnsAndQuotes() throws {
        var text = "id,\"Usage\",pixels,note,Emotion\n"
        for (index, row) in rows.enumerated() {
            let pixels = CSVFixture.pixelField(CSVFixture.gradient(shift: row.shift))
            text += "\(index),\"\(row.usage)\",\"\(pixels)\",\"a, \"\"quoted\"\" note\",\(row.emotion)\n"
        }
        let dataset = try parseCSV(text)
        expectRowsMatch(dataset)
        #expect(dataset.provenance.columns == ["id", "Usage", "pixels", "note", "Emotion"])
    }

    @Test func quotedFieldsMaySpanLines() throws {
        let pixels = CSVFixture.pixelField(CSVFixture.gradient())
        let dataset = try parseCSV("emotion,pixels,note\n2,\(pixels),\"two\nlines\"\n4,\(pixels),x\n")
        #expect(dataset.labels == [2, 4])
        // Line numbers count physical lines: the bad row after the two-line record is on line 4.
        #expect(
            throws: DataError(
                file: "data.csv", line: 4,
                "unknown emotion code 9 (codes are 0-6, FER2013's emotions; name other labels with dataset.labels or --labels)"
            )
        ) {
            try parseCSV("emotion,pixels,note\n2,\(pixels),\"two\nlines\"\n9,\(pixels),x\n")
        }
    }

    @Test func withoutUsageColumnThereIsNoUsage() throws {
        let pixels = CSVFixture.pixelField(CSVFixture.gradient())
        let dataset = try parseCSV("emotion,pixels\n5,\(pixels)\n\n")
        #expect(dataset.usage == nil)
        #expect(dataset.usageName(0) == nil)
        #expect(dataset.provenance.missing.isEmpty)
    }

    @Test func emptyUsageValuesAreCountedAsMissing() throws {
        let pixels = CSVFixture.pixelField(CSVFixture.gradient())
        let dataset = try parseCSV("emotion,pixels,Usage\n5,\(pixels),\n4,\(pixels),Training\n3,\(pixels), \n")
        #expect(dataset.provenance.missing == ["Usage": 2])
        #expect(dataset.usageName(0) == nil)
        #expect(dataset.usageName(1) == "Training")
    }

    @Test func otherImageSizesAndLabelNames() throws {
        let pixels = CSVFixture.pixelField(CSVFixture.gradient(side: 4))
        let options = DatasetOptions(width: 4, height: 4, labelNames: ["a", "b", "c", "d", "e", "f", "g", "h"])
        let dataset = try parseCSV("emotion,pixels\n7,\(pixels)\n0,\(pixels)\n", options: options)
        #expect(dataset.labels == [7, 0])
        #expect(dataset.labelName(0) == "h")
        #expect(dataset.pixels.count == 32)
    }

    @Test func theImageSizeComesFromTheDataWhenNotGiven() throws {
        let square = CSVFixture.pixelField(CSVFixture.gradient(side: 5))
        let inferred = try parseCSV("emotion,pixels\n1,\(square)\n2,\(square)\n")
        #expect(inferred.width == 5 && inferred.height == 5)
        let twelve = (0..<12).map(String.init).joined(separator: " ")
        let oneSide = try parseCSV("emotion,pixels\n1,\(twelve)\n", options: DatasetOptions(width: 3))
        #expect(oneSide.width == 3 && oneSide.height == 4)
        // Not a square and no size given: FER2013's 48x48 is assumed, and the row is refused for it.
        #expect(throws: DataError(file: "data.csv", line: 2, "pixels has 12 values, expected 2304")) {
            try parseCSV("emotion,pixels\n1,\(twelve)\n")
        }
    }

    @Test func theFastPathAndTheCarefulParserAgree() throws {
        // Rows the fast path takes (single spaces), and rows it hands to the careful parser:
        // a double space in the first half, a tab or a double space in the second, a trailing space.
        var random = SeededGenerator(seed: 31)
        let images = (0..<40).map { _ in (0..<64).map { _ in UInt8(random.below(256)) } }
        let oddities: [(position: Int, separator: String)?] = [nil, (10, "  "), (50, "\t"), (60, "  "), (64, " ")]
        let lines =
            ["emotion,pixels,Usage"]
            + images.enumerated().map { index, image in
                let oddity = oddities[index % oddities.count]
                let field =
                    image.enumerated().map { position, value in
                        (position == 0 ? "" : position == oddity?.position ? oddity?.separator ?? " " : " ")
                            + String(value)
                    }.joined() + (oddity?.position == 64 ? " " : "")
                return "\(index % 7),\(field),Training"
            }
        let dataset = try parseCSV(lines.joined(separator: "\n") + "\n")
        #expect(dataset.count == images.count)
        for (index, image) in images.enumerated() { #expect(Array(dataset.image(index)) == image, "row \(index)") }
        // A value over 255 at the end of a row the fast path would take is reported with its line.
        var bad = lines
        bad[5] = "1," + (Array(repeating: "7", count: 63) + ["256"]).joined(separator: " ") + ",Training"
        #expect(throws: DataError(file: "data.csv", line: 6, "pixels value 64 is 256, outside 0-255")) {
            try parseCSV(bad.joined(separator: "\n") + "\n")
        }
    }

    @Test func valuesParsedFourAtATimeMatchTheirText() throws {
        // Values of 1-3 digits, some with leading zeros, so that every mix of lengths the SIMD
        // parser's shuffles cover turns up; then values it must leave to the careful parser.
        var random = SeededGenerator(seed: 7)
        let images = (0..<60).map { _ in (0..<64).map { _ in UInt8(random.below(256)) } }
        let texts = images.map { image in
            image.map { value in
                let digits = String(value)
                return String(repeating: "0", count: random.below(4 - digits.count)) + digits
            }
        }
        let lines = ["emotion,pixels"] + texts.map { "1,\($0.joined(separator: " "))" }
        let dataset = try parseCSV(lines.joined(separator: "\n") + "\n")
        for (index, image) in images.enumerated() { #expect(Array(dataset.image(index)) == image, "row \(index)") }
        for position in [0, 1, 3, 5, 17, 33, 60, 63] {
            for (value, over) in [("256", true), ("999", true), ("1000", true), ("-1", false), ("7.5", false)] {
                var text = texts[0]
                text[position] = value
                let csv = "emotion,pixels\n1,\(texts[1].joined(separator: " "))\n1,\(text.joined(separator: " "))\n"
                #expect(throws: DataError.self, "\(value) at \(position)") { try parseCSV(csv) }
                if over {
                    #expect(
                        throws: DataError(
                            file: "data.csv", line: 3, "pixels value \(position + 1) is \(value), outside 0-255")
                    ) {
                        try parseCSV(csv)
                    }
                }
            }
        }
        // One value too many is found however fast the values before it were read.
        #expect(throws: DataError(file: "data.csv", line: 2, "pixels has 65 values, expected 64")) {
            try parseCSV(
                "emotion,pixels\n1,\((texts[0] + ["12"]).joined(separator: " "))\n",
                options: DatasetOptions(width: 8, height: 8))
        }
    }

    @Test func manyRowsKeepTheirOrderAcrossWorkers() throws {
        let many = (0..<1500).map { (emotion: $0 % 7, shift: $0 % 256, usage: ["Training", "PublicTest"][$0 % 2]) }
        let dataset = try parseCSV(CSVFixture.csv(many, side: 8), options: DatasetOptions(width: 8, height: 8))
        #expect(dataset.count == 1500)
        for index in [0, 1, 63, 64, 700, 1499] {
            #expect(Array(dataset.image(index)) == CSVFixture.gradient(side: 8, shift: index % 256))
            #expect(dataset.labels[index] == Int32(index % 7))
            #expect(dataset.usageName(index) == ["Training", "PublicTest"][index % 2])
        }
    }
}
