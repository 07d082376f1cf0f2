/// The header of a FER-layout CSV: all column names and the positions of the
/// columns FERLab reads.
struct CSVHeader: Sendable {
    /// Every column name, unquoted and trimmed, in file order.
    let names: [String]
    /// Position of the `emotion` column.
    let emotion: Int
    /// Position of the `pixels` column.
    let pixels: Int
    /// Position of the `Usage` column, when there is one.
    let usage: Int?

    /// Parses the header record and finds the columns (names match ignoring case).
    init(bytes: UnsafeRawBufferPointer, record: CSVRecord, file: String) throws {
        let fields = try CSVFieldSplitter.fields(of: record, in: bytes, file: file)
        let names = fields.map { $0.trimmingSpaces() }
        self.names = names
        func position(of wanted: String) throws -> Int? {
            let matches = names.indices.filter { names[$0].lowercased() == wanted.lowercased() }
            if matches.count > 1 {
                throw DataError(
                    file: file, line: record.line, "the header names the \(wanted) column \(matches.count) times")
            }
            return matches.first
        }
        // A few columns, each shortened: a header can be megabytes long.
        let listed =
            names.prefix(5).map { "'\($0.count > 40 ? $0.prefix(40) + "..." : $0)'" }.joined(separator: ", ")
            + (names.count > 5 ? " and \(names.count - 5) more" : "")
        guard let emotion = try position(of: "emotion") else {
            throw DataError(file: file, line: record.line, "the header has no 'emotion' column (columns: \(listed))")
        }
        guard let pixels = try position(of: "pixels") else {
            throw DataError(file: file, line: record.line, "the header has no 'pixels' column (columns: \(listed))")
        }
        self.emotion = emotion
        self.pixels = pixels
        self.usage = try position(of: "Usage")
    }
}

/// General CSV field splitting (quotes and doubled quotes), for the header
/// and for error messages; the row parser has its own fast path.
enum CSVFieldSplitter {
    /// The unquoted fields of `record`, or only the field at position `only` when it is given (none when the
    /// record has fewer fields).
    static func fields(
        of record: CSVRecord, in bytes: UnsafeRawBufferPointer, file: String, only: Int? = nil
    ) throws -> [String] {
        var fields: [String] = []
        var index = 0
        var current: [UInt8] = []
        var position = record.start
        var insideQuotes = false
        var fieldWasQuoted = false
        var fieldHasText = false
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        while position < record.end {
            let byte = bytes[position]
            if insideQuotes {
                if byte == quote {
                    if position + 1 < record.end && bytes[position + 1] == quote {
                        current.append(quote)
                        position += 1
                    } else {
                        insideQuotes = false
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == comma {
                if only == nil || only == index { fields.append(String(decoding: current, as: UTF8.self)) }
                index += 1
                current.removeAll(keepingCapacity: true)
                fieldWasQuoted = false
                fieldHasText = false
            } else if byte == quote && !fieldHasText && !fieldWasQuoted {
                insideQuotes = true
                fieldWasQuoted = true
                current.removeAll()
            } else {
                fieldHasText = fieldHasText || byte != 0x20
                if only == nil || only == index { current.append(byte) }
            }
            position += 1
        }
        if insideQuotes {
            throw DataError(file: file, line: record.line, "a quoted field on this line is never closed")
        }
        if only == nil || only == index { fields.append(String(decoding: current, as: UTF8.self)) }
        return fields
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }
}
