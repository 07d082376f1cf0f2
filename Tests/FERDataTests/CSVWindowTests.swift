import FERCodecs
import FERCore
import FERTestSupport
import Testing

@testable import FERData

/// A plain CSV file is read a window at a time; whatever the window, the dataset is the one its whole text
/// gives, and errors name the same lines.
@Suite struct CSVWindowTests {
    let options = DatasetOptions(width: 4, height: 3)

    /// CSV text of `rows` 4x3 images: a byte-order mark, `\r\n` line ends, quoted notes (some over two lines),
    /// a blank line, and a usage column of several values. `short` rows (from `shortFrom` on) have one-digit
    /// values, the others three-digit ones.
    func text(rows: Int, shortFrom: Int = .max) -> String {
        var random = SeededGenerator(seed: 3)
        var text = "\u{FEFF}note,emotion,pixels,Usage\r\n"
        for row in 0..<rows {
            let values = (0..<12).map { _ in row >= shortFrom ? random.below(10) : 100 + random.below(156) }
            let note = row % 5 == 0 ? "\"two\r\nlines\"" : "\"n\(row)\""
            text += "\(note),\(row % 7),\(values.map(String.init).joined(separator: " ")),U\(row % 3)\r\n"
            if row == 17 { text += "\r\n" }
        }
        return text
    }

    @Test(arguments: [120, 151, 333, 1_000, 100_000])
    func everyWindowGivesTheDatasetOfTheWholeText(window: Int) throws {
        let folder = try TemporaryDirectory()
        let text = self.text(rows: 60)
        let path = try folder.write("faces.csv", text: text)
        let whole = try Array(text.utf8).withUnsafeBytes {
            try CSVDatasetReader.parse($0, file: path, options: options)
        }
        #expect(whole.count == 60 && whole.usageNames == ["U0", "U1", "U2"])
        #expect(try CSVDatasetReader.read(path: path, options: options, window: window) == whole)
    }

    /// Rows that grow shorter after the first window outnumber the room estimated from it: the file is read
    /// again with room for the most rows it can hold.
    @Test func rowsShorterThanTheFirstWindowsAreAllRead() throws {
        let folder = try TemporaryDirectory()
        let text = self.text(rows: 20_000, shortFrom: 100)
        let path = try folder.write("faces.csv", text: text)
        let whole = try Array(text.utf8).withUnsafeBytes {
            try CSVDatasetReader.parse($0, file: path, options: options)
        }
        #expect(try CSVDatasetReader.read(path: path, options: options, window: 4_000) == whole)
    }

    @Test func aProblemInALaterWindowNamesItsLine() throws {
        let folder = try TemporaryDirectory()
        // Physical lines: a two-line note splits into two.
        var lines = text(rows: 60).components(separatedBy: "\r\n")
        let bad = try #require(lines.firstIndex { $0.hasPrefix("\"n37\",2,") })
        lines[bad] = "\"n37\",9," + lines[bad].dropFirst(7)
        let text = lines.joined(separator: "\r\n")
        let path = try folder.write("faces.csv", text: text)
        let whole = Self.error {
            try Array(text.utf8).withUnsafeBytes { try CSVDatasetReader.parse($0, file: path, options: options) }
        }
        #expect(whole?.line == bad + 1)
        for window in [120, 300, 100_000] {
            #expect(Self.error { try CSVDatasetReader.read(path: path, options: options, window: window) } == whole)
        }
    }

    /// A column read a window at a time (a plain file) is the column of the whole text (a gzip file, inflated
    /// whole), lines included.
    @Test(arguments: [120, 333, 100_000])
    func aColumnReadInWindowsIsTheColumnOfTheWholeText(window: Int) throws {
        let folder = try TemporaryDirectory()
        let text = self.text(rows: 60)
        let plain = try folder.write("faces.csv", text: text)
        let packed = try folder.write("faces.csv.gz", bytes: Array(text.utf8).withUnsafeBytes { Gzip.compress($0) })
        let whole = try #require(try CSVDatasetReader.column("note", path: packed, options: options, window: window))
        #expect(whole.values.count == 60 && whole.values[0] == "two\r\nlines" && whole.lines[1] == 4)
        let windowed = try #require(try CSVDatasetReader.column("NOTE", path: plain, options: options, window: window))
        #expect(windowed.values == whole.values && windowed.lines == whole.lines)
        #expect(try CSVDatasetReader.column("subject", path: plain, options: options, window: window) == nil)
        #expect(try CSVDatasetReader.columns(path: plain) == ["note", "emotion", "pixels", "Usage"])
    }

    @Test func aRowLongerThanTheWindowIsNamed() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("faces.csv", text: "emotion,pixels\n1,\"" + String(repeating: "1 ", count: 100))
        #expect(
            throws: DataError(
                file: path, line: 2,
                "this row runs past 64 bytes without ending (a quoted field opened on it may never be closed)")
        ) {
            try CSVDatasetReader.read(path: path, options: options, window: 64)
        }
    }

    static func error(_ body: () throws -> Dataset) -> DataError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? DataError
        }
    }
}
