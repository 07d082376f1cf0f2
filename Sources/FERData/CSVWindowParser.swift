import FERCore

/// Parses CSV text in FER2013's layout one window of it at a time, so that
/// a large file is never held whole: the header and the image size come from
/// the first window, then each window's complete records are parsed on all
/// cores straight into one pixel buffer, and a record the window cuts is
/// parsed with the next. Text in memory is one window that ends the text.
struct CSVWindowParser {
    /// A window held more records than the pixel buffer has room for: the buffer's size was estimated from the
    /// first window's rows, and later rows are shorter.
    struct OutOfRoom: Error {}

    let file: String
    let header: CSVHeader
    let labelNames: [String]
    let width: Int, height: Int
    /// Rows the pixel buffer has room for.
    let capacity: Int
    /// Whether `capacity` is the most rows the text can hold (rather than an estimate).
    let capacityIsBound: Bool
    private let labelHint: String
    /// Rows parsed so far.
    private(set) var rows = 0
    private var labels: [Int32]
    private var usageCodes: [UInt16]
    private var chunks: [(rows: Range<Int>, result: CSVRowParser.ChunkResult)] = []
    /// The line each parsed row starts on.
    private var rowLines: [Int] = []
    /// The first window's records, parsed by the first `parse` call, and where the text after them starts.
    private var firstWindow: (records: [CSVRecord], rest: Int, line: Int)?
    /// The line the next window's first byte is on.
    private var line = 1

    var pixelsPerImage: Int { width * height }

    /// Reads the header and the image size from `window`, the start of text of `size` bytes, which it ends when
    /// `textEnds`. With `boundedCapacity`, the pixel buffer has room for the most rows the text can hold,
    /// rather than the rows estimated from the first window's.
    /// - Throws: `DataError` when the text is empty, the header lacks a column FERLab reads, no row follows it,
    ///   or the window ends inside the header or the first row.
    init(
        window bytes: UnsafeRawBufferPointer, textEnds: Bool, size: Int, file: String, options: DatasetOptions,
        boundedCapacity: Bool = false
    ) throws {
        self.file = file
        labelNames = options.labelNames ?? EmotionLabels.fer2013
        labelHint =
            options.labelNames == nil ? ", FER2013's emotions; name other labels with dataset.labels or --labels" : ""
        let (header, bodyStart, first) = try CSVDatasetReader.start(of: bytes, file: file, textEnds: textEnds)
        self.header = header
        let firstRecord = first.records[0]
        firstWindow = first
        (width, height) = CSVDatasetReader.imageSize(options, firstRecord: firstRecord, in: bytes, header: header)
        let pixelsPerImage = width * height
        // A row holds at least its label, a comma and one digit per pixel with a space between, and a line end.
        let mostRows = (size - bodyStart + 1) / (2 * max(pixelsPerImage, 1) + 2) + 1
        if textEnds {
            capacity = first.records.count
        } else if boundedCapacity {
            capacity = mostRows
        } else {
            // The first window's rows, a little generously, over the rest of the text.
            let bytesPerRow = max(1, first.rest - bodyStart) / first.records.count
            capacity = min(mostRows, (size - bodyStart) / bytesPerRow * 9 / 8 + 1_024)
        }
        capacityIsBound = textEnds || capacity == mostRows
        try PixelRoom.check(images: capacity, width: width, height: height, file: file)
        labels = [Int32](repeating: 0, count: capacity)
        usageCodes = [UInt16](repeating: 0, count: header.usage == nil ? 0 : capacity)
    }

    /// Parses the complete records of `window` (the first window, the one `init` read, on the first call) into
    /// `pixels`, room for `capacity` images, and returns where the text after them starts: the next window
    /// goes on from there.
    /// - Throws: `DataError` for the first problem in file order; `OutOfRoom` when the estimated capacity is
    ///   exceeded.
    mutating func parse(
        _ window: UnsafeRawBufferPointer, textEnds: Bool, into pixels: UnsafeMutablePointer<UInt8>
    ) throws -> Int {
        let (records, rest, nextLine) =
            try firstWindow
            ?? CSVRecordScanner.scan(in: window, from: 0, firstLine: line, file: file, textEnds: textEnds)
        firstWindow = nil
        if records.isEmpty && !textEnds {
            throw CSVDatasetReader.rowTooLong(file: file, line: nextLine, window: window.count)
        }
        let parser = CSVRowParser(
            bytes: window, header: header, pixelsPerImage: pixelsPerImage, labelCount: labelNames.count,
            labelHint: labelHint, file: file)
        guard records.count <= capacity - rows else {
            // Rows that parse take at least two bytes a pixel, so they never pass the bound; the guard keeps the
            // buffer safe all the same.
            guard capacityIsBound else { throw OutOfRoom() }
            throw DataError(file: file, line: records.first?.line, "the file holds more rows than its size allows")
        }
        try parse(records, with: parser, into: pixels)
        line = nextLine
        return rest
    }

    /// Parses `records` as the next rows, on all cores.
    private mutating func parse(
        _ records: [CSVRecord], with parser: CSVRowParser, into pixels: UnsafeMutablePointer<UInt8>
    ) throws {
        let count = records.count, first = rows, hasUsage = header.usage != nil
        let chunkCount = max(1, min(64, count / 64))
        let pixelOut = SendablePointer(pixels + first * pixelsPerImage)
        let results = labels.withUnsafeMutableBufferPointer { labelBuffer in
            usageCodes.withUnsafeMutableBufferPointer { usageBuffer in
                let labelOut = SendablePointer(labelBuffer.baseAddress! + first)
                let usageOut = hasUsage ? usageBuffer.baseAddress.map { SendablePointer($0 + first) } : nil
                return records.withUnsafeBufferPointer { recordBuffer in
                    let recordsIn = SendableRecords(base: recordBuffer.baseAddress!)
                    return ParallelLoop.mapChunks(count: count, chunks: chunkCount) { _, range in
                        parser.parse(
                            rows: range, records: recordsIn.base, pixels: pixelOut.pointer,
                            labels: labelOut.pointer, usage: usageOut?.pointer)
                    }
                }
            }
        }
        if let failure = results.lazy.compactMap(\.failure).first { throw failure }
        for (index, result) in results.enumerated() {
            let range = ParallelLoop.chunkRange(index, of: results.count, count: count)
            chunks.append((range.lowerBound + first..<range.upperBound + first, result))
        }
        rowLines.append(contentsOf: records.lazy.map(\.line))
        rows += count
    }

    /// The dataset of the rows parsed, with `pixels`, the buffer they were parsed into.
    /// - Throws: `DataError` when the rows have more distinct usage values than FERLab keeps apart.
    func dataset(pixels: [UInt8]) throws -> Dataset {
        var usageNames: [String] = []
        var missingUsage = 0
        var usage = Array(usageCodes.prefix(rows))
        if header.usage != nil {
            var globalIndex: [String: UInt16] = [:]
            for (range, result) in chunks {
                missingUsage += result.missingUsage
                let mapping: [Int] = result.usageNames.map { name in
                    if let index = globalIndex[name] { return Int(index) }
                    let index = usageNames.count
                    if index < CSVRowParser.mostUsageValues {
                        usageNames.append(name)
                        globalIndex[name] = UInt16(index)
                    }
                    return index
                }
                for row in range {
                    let code = mapping[Int(usage[row])]
                    guard code < CSVRowParser.mostUsageValues else {
                        throw DataError(file: file, line: rowLines[row], CSVRowParser.tooManyUsageValues)
                    }
                    usage[row] = UInt16(code)
                }
            }
        }
        var missing: [String: Int] = [:]
        if let usageColumn = header.usage { missing[header.names[usageColumn]] = missingUsage }
        let provenance = DatasetProvenance(kind: .csv, path: file, columns: header.names, missing: missing)
        return Dataset(
            width: width, height: height, pixels: pixels, labels: Array(labels.prefix(rows)),
            labelNames: labelNames, usage: header.usage == nil ? nil : usage,
            usageNames: usageNames, provenance: provenance)
    }
}

/// Records handed to the parsing tasks.
struct SendableRecords: @unchecked Sendable {
    let base: UnsafePointer<CSVRecord>
}
