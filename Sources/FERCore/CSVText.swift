/// Text for CSV files FERLab writes.
package enum CSVText {
    /// `text` as one CSV field: quoted, with its quotes doubled, when it holds a comma, a quote or a line break.
    package static func field(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
