#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One CSV record: its byte range (line end excluded) and the line it starts on.
struct CSVRecord: Sendable {
    /// Offset of the record's first byte.
    var start: Int
    /// Offset just past its last byte, before `\r\n` or `\n`.
    var end: Int
    /// 1-based line number of its first byte.
    var line: Int
}

/// Splits CSV text into records, honouring quoted fields that contain line
/// breaks, skipping blank lines and accepting `\n` or `\r\n` line ends.
///
/// It only looks for line feeds and quotes, with `memchr`, so it runs at
/// memory speed; fields are split later, in parallel, by the parser.
enum CSVRecordScanner {
    static let newline = Int32(UInt8(ascii: "\n"))
    static let quote = Int32(UInt8(ascii: "\""))

    /// The records of `bytes[from...]`, whose first byte is on line `firstLine`.
    /// - Throws: `DataError` when a quoted field is never closed.
    static func records(
        in bytes: UnsafeRawBufferPointer, from: Int, firstLine: Int,
        file: String, limit: Int = Int.max
    ) throws -> [CSVRecord] {
        try scan(in: bytes, from: from, firstLine: firstLine, file: file, limit: limit, textEnds: true).records
    }

    /// The records of `bytes[from...]`, whose first byte is on line `firstLine`, and where the text after them
    /// starts (its offset and line). Unless `textEnds`, the bytes are a window of longer text: a record that
    /// runs to the window's end may go on after it, so it is left out, and the scan stops at its start.
    /// - Throws: `DataError` when a quoted field is never closed before the text ends.
    static func scan(
        in bytes: UnsafeRawBufferPointer, from: Int, firstLine: Int, file: String, limit: Int = Int.max,
        textEnds: Bool
    ) throws -> (records: [CSVRecord], rest: Int, line: Int) {
        guard let base = bytes.baseAddress else { return ([], from, firstLine) }
        let total = bytes.count
        var records: [CSVRecord] = []
        var position = from
        var line = firstLine
        while position < total && records.count < limit {
            let recordStart = position
            let recordLine = line
            var insideQuotes = false
            var recordEnd = total
            while true {
                let lineEnd = offset(of: newline, in: base, from: position, to: total)
                var cursor = position
                while cursor < lineEnd {
                    let quoteAt = offset(of: quote, in: base, from: cursor, to: lineEnd)
                    guard quoteAt < lineEnd else { break }
                    insideQuotes.toggle()
                    cursor = quoteAt + 1
                }
                if lineEnd == total {
                    guard textEnds else { return (records, recordStart, recordLine) }
                    if insideQuotes {
                        throw DataError(
                            file: file, line: recordLine,
                            "a quoted field opened on this line is never closed")
                    }
                    recordEnd = total
                    position = total
                    break
                }
                line += 1
                position = lineEnd + 1
                if !insideQuotes {
                    recordEnd = lineEnd
                    break
                }
            }
            var end = recordEnd
            if end > recordStart && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            if end > recordStart {
                records.append(CSVRecord(start: recordStart, end: end, line: recordLine))
            }
        }
        return (records, position, line)
    }

    private static func offset(of byte: Int32, in base: UnsafeRawPointer, from: Int, to: Int) -> Int {
        guard from < to, let found = memchr(base + from, byte, to - from) else { return to }
        return UnsafeRawPointer(found) - base
    }
}
