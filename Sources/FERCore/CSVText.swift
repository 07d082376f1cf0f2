/// Text for CSV files FERLab writes.
package enum CSVText {
    /// `text` as one CSV field: quoted, with its quotes doubled, when it holds a comma, a quote or a line break.
    package static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
