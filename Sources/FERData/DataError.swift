/// Bad or unreadable input data, with the place it was found: a file and,
/// for text files, the line.
///
/// Its description reads like a compiler diagnostic:
/// `fer2013.csv:1042: pixels has 2303 values, expected 2304`.
package struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file (or folder) the problem is in, as the user named it.
    package let file: String
    /// The 1-based line, for text files; `nil` when the problem is the whole file.
    package let line: Int?
    /// What is wrong.
    package let message: String

    /// Creates an error at `file`, optionally at `line`. Control characters
    /// in the message (quoted from a damaged file, say) are shown as escapes,
    /// so the message is safe to print on a terminal.
    package init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = String(
            message.unicodeScalars.map { scalar -> String in
                scalar.properties.generalCategory == .control
                    ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }.joined())
    }

    package var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
