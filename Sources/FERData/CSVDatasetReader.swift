import FERCodecs
import FERCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads datasets in FER2013's CSV layout: a header naming an `emotion` and a
/// `pixels` column (a `Usage` column is optional; other columns are ignored;
/// any order), then one row per image with `width * height` space-separated
/// integers 0-255 in the pixels field.
///
/// Plain and gzip files are both read directly; a UTF-8 byte-order mark,
/// `\r\n` line ends and quoted fields are accepted. Rows are parsed on all
/// cores straight into one contiguous pixel buffer. A plain file is read a
/// window at a time (`CSVWindowParser`), so its text is never held whole; a
/// gzip file is inflated whole first. The first problem, in
/// file order, is thrown as a `DataError` naming the file and line.
package enum CSVDatasetReader {
    /// Reads the CSV (or `.csv.gz`) file at `path`.
    package static func read(path: String, options: DatasetOptions = DatasetOptions()) throws -> Dataset {
        try read(path: path, options: options, window: window(options))
    }

    /// `read`, a plain file's text a window of `window` bytes at a time (tests set small ones).
    static func read(path: String, options: DatasetOptions, window: Int) throws -> Dataset {
        guard try isGzip(path) else { return try readInWindows(path: path, options: options, window: window) }
        return try withText(path: path, options: options) { try parse($0, file: path, options: options) }
    }

    /// The text of column `name` (matched ignoring case) of every data row of the CSV at `path`, in row order,
    /// with each row's line; `nil` when the header has no such column (its columns are then `columns`).
    package static func column(
        _ name: String, path: String, options: DatasetOptions = DatasetOptions()
    ) throws -> (values: [String], lines: [Int])? {
        try column(name, path: path, options: options, window: window(options))
    }

    /// `column`, a plain file's text a window of `window` bytes at a time (tests set small ones).
    static func column(
        _ name: String, path: String, options: DatasetOptions, window: Int
    ) throws -> (values: [String], lines: [Int])? {
        guard try isGzip(path) else { return try columnInWindows(name, path: path, window: window) }
        return try withText(path: path, options: options) { bytes in
            let (header, records) = try layout(of: bytes, file: path)
            guard let position = position(of: name, in: header) else { return nil }
            var column: (values: [String], lines: [Int]) = ([], [])
            try append(position, of: records, in: bytes, file: path, to: &column)
            return column
        }
    }

    /// Where the header has column `name` (matched ignoring case).
    private static func position(of name: String, in header: CSVHeader) -> Int? {
        header.names.firstIndex { $0.lowercased() == name.lowercased() }
    }

    /// Appends field `position` of each of `records` of `text` (spaces trimmed), with its line, to `column`.
    private static func append(
        _ position: Int, of records: [CSVRecord], in text: UnsafeRawBufferPointer, file: String,
        to column: inout (values: [String], lines: [Int])
    ) throws {
        for record in records {
            column.values.append(
                try CSVFieldSplitter.fields(of: record, in: text, file: file, only: position).first?.trimmingSpaces()
                    ?? "")
            column.lines.append(record.line)
        }
    }

    /// The columns of the CSV at `path`, as its header names them.
    package static func columns(path: String, options: DatasetOptions = DatasetOptions()) throws -> [String] {
        guard try isGzip(path) else {
            // The header comes from the first window.
            return try DataFile.withRanges(path: path, displayPath: path) { size, read in
                var windows = CSVTextWindows(size: size, window: window(options))
                let (text, textEnds) = try windows.next(read)
                return try start(of: text, file: path, textEnds: textEnds).header.names
            }
        }
        return try withText(path: path, options: options) { try layout(of: $0, file: path).header.names }
    }

    /// Whether the file at `path` starts as a gzip file does.
    private static func isGzip(_ path: String) throws -> Bool {
        try DataFile.readPrefix(path: path, displayPath: path, count: 2).withUnsafeBytes(Gzip.isGzip)
    }

    /// Calls `body` with the text of the gzip file at `path`, inflated whole (a file that is plain after all is
    /// read as it is).
    private static func withText<Result>(
        path: String, options: DatasetOptions, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        let file = try DataFile.read(path: path, displayPath: path)
        guard file.withUnsafeBytes(Gzip.isGzip) else { return try file.withUnsafeBytes(body) }
        let text: [UInt8]
        let limit = inflatedLimit
        do {
            var lines = LineLengthLimit(maximum: longestLine(options), file: path)
            text = try file.withUnsafeBytes {
                try Gzip.decompress($0, limit: limit, inspecting: { try lines.check($0) })
            }
        } catch let error as CodecError {
            throw DataError(file: path, error.message)
        } catch is Gzip.TooLarge {
            throw DataError(
                file: path,
                "inflates to more than \(MachineMemory.gigabytes(limit)) of text, a quarter of the memory this process may use (a gzip file is read whole, beside its images); unpack it (gunzip -k) and read the .csv, which is read a window at a time"
            )
        }
        return try text.withUnsafeBytes(body)
    }

    /// The most text a gzip file may inflate to: a quarter of the memory this process may use, so that the
    /// text, its images and the rest of a run fit beside each other.
    static var inflatedLimit: Int { MachineMemory.available / 4 }

    /// The longest line a row of images of the configured size (or of the
    /// largest size FERLab takes) can need: four bytes a value, plus room for the other fields.
    static func longestLine(_ options: DatasetOptions) -> Int {
        let side = DatasetOptions.largestSide
        return 4 * (options.width ?? side) * (options.height ?? side) + (1 << 16)
    }

    /// Parses CSV text already in memory; `file` names it in errors.
    package static func parse(
        _ bytes: UnsafeRawBufferPointer, file: String,
        options: DatasetOptions = DatasetOptions()
    ) throws -> Dataset {
        var parser = try CSVWindowParser(window: bytes, textEnds: true, size: bytes.count, file: file, options: options)
        let pixels = try [UInt8](unsafeUninitializedCapacity: parser.capacity * parser.pixelsPerImage) {
            buffer, initialized in
            _ = try parser.parse(bytes, textEnds: true, into: buffer.baseAddress!)
            initialized = parser.rows * parser.pixelsPerImage
        }
        return try parser.dataset(pixels: pixels)
    }

    /// Bytes of a plain CSV file read and parsed at once (more when a row of the largest images FERLab takes
    /// could be longer: `window`).
    package static let windowBytes = 64 << 20

    /// The window a plain file of images of the configured size is read in: room for two of the longest rows.
    static func window(_ options: DatasetOptions) -> Int {
        max(windowBytes, 2 * longestLine(options))
    }

    /// Reads the plain CSV file at `path` a window of `window` bytes at a time, so that only its images,
    /// not its text, are held whole.
    static func readInWindows(path: String, options: DatasetOptions, window: Int) throws -> Dataset {
        try DataFile.withRanges(path: path, displayPath: path) { size, read in
            // A first pass sizes the pixel buffer from the first window's rows; should later rows be shorter
            // and outnumber it, a second pass sizes it for the most rows the file can hold.
            func attempt(bounded: Bool) throws -> Dataset {
                var windows = CSVTextWindows(size: size, window: window)
                var (text, textEnds) = try windows.next(read)
                var parser = try CSVWindowParser(
                    window: text, textEnds: textEnds, size: size, file: path, options: options,
                    boundedCapacity: bounded)
                let pixels = try [UInt8](unsafeUninitializedCapacity: parser.capacity * parser.pixelsPerImage) {
                    pixelBuffer, initialized in
                    while true {
                        let rest = try parser.parse(text, textEnds: textEnds, into: pixelBuffer.baseAddress!)
                        guard !textEnds else { break }
                        windows.drop(rest)
                        (text, textEnds) = try windows.next(read)
                    }
                    initialized = parser.rows * parser.pixelsPerImage
                }
                return try parser.dataset(pixels: pixels)
            }
            do {
                return try attempt(bounded: false)
            } catch is CSVWindowParser.OutOfRoom {
                return try attempt(bounded: true)
            }
        }
    }

    /// `column` of a plain file, read a window of `window` bytes at a time.
    static func columnInWindows(
        _ name: String, path: String, window: Int
    ) throws -> (values: [String], lines: [Int])? {
        try DataFile.withRanges(path: path, displayPath: path) { size, read in
            var windows = CSVTextWindows(size: size, window: window)
            var (text, textEnds) = try windows.next(read)
            let start = try start(of: text, file: path, textEnds: textEnds)
            guard let position = position(of: name, in: start.header) else { return nil }
            var column: (values: [String], lines: [Int]) = ([], [])
            var body = start.body
            while true {
                try append(position, of: body.records, in: text, file: path, to: &column)
                guard !textEnds else { break }
                windows.drop(body.rest)
                (text, textEnds) = try windows.next(read)
                body = try CSVRecordScanner.scan(
                    in: text, from: 0, firstLine: body.line, file: path, textEnds: textEnds)
                if body.records.isEmpty && !textEnds {
                    throw rowTooLong(file: path, line: body.line, window: text.count)
                }
            }
            return column
        }
    }

    /// The header and the data rows' records of CSV text (a UTF-8 byte-order mark skipped).
    /// - Throws: `DataError` when the text is empty, the header lacks a column FERLab reads, or no row follows it.
    private static func layout(
        of bytes: UnsafeRawBufferPointer, file: String
    ) throws -> (header: CSVHeader, records: [CSVRecord]) {
        let start = try start(of: bytes, file: file, textEnds: true)
        return (start.header, start.body.records)
    }

    /// The header of CSV text (a UTF-8 byte-order mark skipped), where the data rows start, and the complete
    /// records of `bytes` after it with where the text after them starts. Unless `textEnds`, the bytes are the
    /// first window of longer text.
    /// - Throws: `DataError` when the text is empty, the header lacks a column FERLab reads, no row follows it,
    ///   or the window ends inside the header or the first row.
    static func start(
        of bytes: UnsafeRawBufferPointer, file: String, textEnds: Bool
    ) throws -> (header: CSVHeader, bodyStart: Int, body: (records: [CSVRecord], rest: Int, line: Int)) {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        guard bytes[start...].contains(where: { !isWhitespace($0) }) else {
            throw DataError(file: file, "file is empty")
        }
        guard
            let headerRecord = try CSVRecordScanner.scan(
                in: bytes, from: start, firstLine: 1, file: file, limit: 1, textEnds: textEnds
            ).records.first
        else {
            guard textEnds else { throw rowTooLong(file: file, line: 1, window: bytes.count) }
            throw DataError(file: file, "file is empty")
        }
        let header = try CSVHeader(bytes: bytes, record: headerRecord, file: file)
        let bodyStart = nextLineStart(after: headerRecord.end, in: bytes)
        let firstBodyLine = headerRecord.line + lineCount(in: bytes, from: headerRecord.start, to: bodyStart)
        let body = try CSVRecordScanner.scan(
            in: bytes, from: bodyStart, firstLine: firstBodyLine, file: file, textEnds: textEnds)
        guard !body.records.isEmpty else {
            guard textEnds else { throw rowTooLong(file: file, line: firstBodyLine, window: bytes.count) }
            throw DataError(file: file, line: headerRecord.line, "the header is not followed by any data rows")
        }
        return (header, bodyStart, body)
    }

    /// The error for a record no window of `window` bytes holds whole.
    static func rowTooLong(file: String, line: Int, window: Int) -> DataError {
        DataError(
            file: file, line: line,
            "this row runs past \(window) bytes without ending (a quoted field opened on it may never be closed)")
    }

    /// The configured image size, completed from the first row's value count:
    /// one side given, the other is the count divided by it; none given, square
    /// images if the count is a square; else FER2013's 48x48 (rows that differ
    /// are then reported as errors).
    static func imageSize(
        _ options: DatasetOptions, firstRecord: CSVRecord, in bytes: UnsafeRawBufferPointer,
        header: CSVHeader
    ) -> (width: Int, height: Int) {
        let fallback = DatasetOptions.fer2013Side
        if let width = options.width, let height = options.height { return (width, height) }
        guard let fields = try? CSVFieldSplitter.fields(of: firstRecord, in: bytes, file: ""),
            header.pixels < fields.count
        else {
            return (options.width ?? fallback, options.height ?? fallback)
        }
        let count = fields[header.pixels].split(whereSeparator: { $0 == " " || $0 == "\t" }).count
        if let width = options.width { return (width, width > 0 && count % width == 0 ? count / width : fallback) }
        if let height = options.height {
            return (height > 0 && count % height == 0 ? count / height : fallback, height)
        }
        let side = Int(Double(count).squareRoot().rounded())
        return side > 0 && side * side == count ? (side, side) : (fallback, fallback)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func nextLineStart(after end: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var position = end
        while position < bytes.count && bytes[position] != UInt8(ascii: "\n") { position += 1 }
        return min(position + 1, bytes.count)
    }

    private static func lineCount(in bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
        bytes[from..<to].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}

/// Stops a decompressing file at the first line longer than any row can be,
/// so a compressed file of one endless line is refused after a bounded amount of work.
private struct LineLengthLimit {
    let maximum: Int
    let file: String
    private var line = 1
    private var current = 0
    private var emptyLines = 0
    /// The most empty lines a file may have: a few trailing ones are common, millions mean it is not a dataset.
    static let mostEmptyLines = 100_000

    init(maximum: Int, file: String) {
        self.maximum = maximum
        self.file = file
    }

    /// Follows the lines through the next decompressed bytes.
    mutating func check(_ bytes: UnsafeRawBufferPointer) throws {
        var start = 0
        while start < bytes.count {
            guard let base = bytes.baseAddress,
                let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
            else {
                current += bytes.count - start
                break
            }
            current += UnsafeRawPointer(found) - (base + start)
            start = UnsafeRawPointer(found) - base + 1
            try checkLength()
            // A line of at most one byte (an empty line, or a lone carriage return) holds no row.
            if current <= 1 {
                emptyLines += 1
                guard emptyLines <= Self.mostEmptyLines else {
                    throw DataError(
                        file: file, line: line,
                        "the file has more than \(Self.mostEmptyLines) empty lines by this one; a FER-layout CSV has "
                            + "a row on each line, so the file is not one")
                }
            }
            line += 1
            current = 0
        }
        try checkLength()
    }

    private func checkLength() throws {
        guard current <= maximum else {
            throw DataError(
                file: file, line: line,
                "is longer than \(maximum) bytes, more than any row of images "
                    + "of the configured size needs; the file is not a FER-layout CSV")
        }
    }
}
