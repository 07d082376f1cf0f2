import FERCodecs
import FERCore
import FERTestSupport
import Foundation
import Testing

@testable import FERData

/// Every kind of bad CSV gets an error naming the file, the line and the problem.
@Suite struct CSVDatasetReaderErrorTests {
    private let pixels = CSVFixture.pixelField(CSVFixture.gradient())

    private func message(_ text: String) -> String? {
        do {
            _ = try parseCSV(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func missingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("nope.csv")
        #expect(throws: DataError(file: path, "no such file or folder")) { try DatasetLoader.load(path: path) }
        #expect(throws: DataError(file: path, "no such file")) { try CSVDatasetReader.read(path: path) }
    }

    @Test func emptyFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("empty.csv", text: "")
        #expect(throws: DataError(file: path, "file is empty")) { try CSVDatasetReader.read(path: path) }
        #expect(message("\u{FEFF}\n\n") == "data.csv: file is empty")
    }

    @Test func headerOnly() {
        #expect(message("emotion,pixels,Usage\n") == "data.csv:1: the header is not followed by any data rows")
    }

    @Test func missingColumns() {
        #expect(
            message("emotion,Usage\n3,Training\n")
                == "data.csv:1: the header has no 'pixels' column (columns: 'emotion', 'Usage')")
        #expect(
            message("label,pixels\n3,1\n")
                == "data.csv:1: the header has no 'emotion' column (columns: 'label', 'pixels')")
        #expect(message("emotion,pixels,Emotion\n") == "data.csv:1: the header names the emotion column 2 times")
    }

    @Test func wrongPixelCount() {
        #expect(
            message("emotion,pixels\n3,\(pixels)\n3,\(pixels) 9\n")
                == "data.csv:3: pixels has 2305 values, expected 2304")
        #expect(message("emotion,pixels\n3,1 2 3\n") == "data.csv:2: pixels has 3 values, expected 2304")
        #expect(message("emotion,pixels\n3,\n") == "data.csv:2: pixels is empty, expected 2304 values")
    }

    @Test func valuesOutsideTheByteRange() {
        #expect(message("emotion,pixels\n3,256 \(pixels)\n") == "data.csv:2: pixels value 1 is 256, outside 0-255")
        #expect(message("emotion,pixels\n3,0 -1 \(pixels)\n") == "data.csv:2: pixels value 2 is -1, outside 0-255")
        #expect(
            message("emotion,pixels\n3,0 99999999999999999999999 \(pixels)\n")
                == "data.csv:2: pixels value 2 is 99999999999999999999999, outside 0-255")
    }

    @Test func nonNumericValues() {
        #expect(
            message("emotion,pixels\n3,1 2 x3 \(pixels)\n")
                == "data.csv:2: pixels value 3 is 'x3', not an integer 0-255")
        #expect(
            message("emotion,pixels\n3,1 2.5 \(pixels)\n")
                == "data.csv:2: pixels value 2 is '2.5', not an integer 0-255")
        #expect(
            message("emotion,pixels\nhappy,\(pixels)\n") == "data.csv:2: emotion is 'happy', not an integer label code")
        #expect(message("emotion,pixels\n,\(pixels)\n") == "data.csv:2: emotion is empty")
    }

    @Test func unknownEmotionCodes() {
        #expect(
            message("emotion,pixels\n3,\(pixels)\n7,\(pixels)\n")
                == "data.csv:3: unknown emotion code 7 (codes are 0-6, FER2013's emotions; name other labels with dataset.labels or --labels)"
        )
        #expect(
            message("emotion,pixels\n-1,\(pixels)\n")
                == "data.csv:2: unknown emotion code -1 (codes are 0-6, FER2013's emotions; name other labels with dataset.labels or --labels)"
        )
    }

    @Test func truncatedLastLine() {
        let cut = CSVFixture.pixelField(Array(CSVFixture.gradient().prefix(100)))
        let text = "emotion,pixels,Usage\n3,\(pixels),Training\n4,\(cut)"
        #expect(
            message(text)
                == "data.csv:3: pixels has 100 values, expected 2304 (the last line has no line end: the file may be truncated)"
        )
    }

    @Test func wrongFieldCounts() {
        #expect(message("emotion,pixels,Usage\n3,\(pixels)\n") == "data.csv:2: row has 2 fields, the header has 3")
        #expect(
            message("emotion,pixels,Usage\n3,\(pixels),Training,extra\n")
                == "data.csv:2: row has 4 fields, the header has 3")
        #expect(
            message("emotion,pixels,Usage\n3,,\(pixels),Training\n")
                == "data.csv:2: pixels is empty, expected 2304 values")
    }

    @Test func strayQuotes() {
        #expect(
            message("emotion,pixels,Usage\n3,\"\(pixels)\"x,Training\n")
                == "data.csv:2: unexpected text after the quoted pixels field")
        #expect(
            message("emotion,pixels,Usage\n3,\(pixels),\"Train\"ing\n")
                == "data.csv:2: unexpected text after a quoted field")
        #expect(
            message("emotion,pixels\n3,\(pixels)\n4,1 2\" 3\n5,\(pixels)\n")
                == "data.csv:3: a quoted field opened on this line is never closed")
    }

    @Test func firstProblemInFileOrderWinsAcrossWorkers() {
        var text = "emotion,pixels\n"
        for index in 0..<3000 {
            text += index == 2100 || index == 2900 ? "9,\(pixels)\n" : "1,\(pixels)\n"
        }
        #expect(
            message(text)
                == "data.csv:2102: unknown emotion code 9 (codes are 0-6, FER2013's emotions; name other labels with dataset.labels or --labels)"
        )
    }

    @Test func corruptGzip() throws {
        let directory = try TemporaryDirectory()
        let packed = Array("emotion,pixels\n3,\(pixels)\n".utf8).withUnsafeBytes { Gzip.compress($0) }
        let path = try directory.write("cut.csv.gz", bytes: Array(packed.prefix(packed.count - 10)))
        #expect(throws: DataError.self) { try CSVDatasetReader.read(path: path) }
        do {
            _ = try CSVDatasetReader.read(path: path)
        } catch {
            #expect("\(error)".hasPrefix("\(path): gzip data is truncated"))
        }
    }

    @Test func aFolderIsNotACSVFile() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: DataError(file: directory.path, "is not a regular file")) {
            try CSVDatasetReader.read(path: directory.path)
        }
    }

    @Test func randomByteDamageNeverCrashes() {
        // Any damage must end in a dataset or a DataError; nothing else, no crash.
        let valid = Array(CSVFixture.csv([(3, 0, "Training"), (4, 5, "PublicTest")], side: 6).utf8)
        var random = SeededGenerator(seed: 11)
        for _ in 0..<400 {
            var damaged = valid
            for _ in 0...(random.next() % 4) {
                let index = Int(random.next() % UInt64(damaged.count))
                switch random.next() % 3 {
                case 0: damaged[index] = UInt8(truncatingIfNeeded: random.next())
                case 1: damaged.remove(at: index)
                default:
                    damaged.insert(
                        [UInt8(ascii: ","), UInt8(ascii: "\""), 0x0A, 0xFF][Int(random.next() % 4)], at: index)
                }
            }
            do {
                _ = try damaged.withUnsafeBytes {
                    try CSVDatasetReader.parse($0, file: "fuzz.csv", options: DatasetOptions(width: 6, height: 6))
                }
            } catch {
                #expect(error is DataError)
                #expect("\(error)".hasPrefix("fuzz.csv"))
            }
        }
    }
}
