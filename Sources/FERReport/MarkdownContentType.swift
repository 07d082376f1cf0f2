import Mustache

/// Mustache escaping for Markdown page templates (`{{%CONTENT_TYPE:MARKDOWN}}`):
/// HTML's special characters (but the apostrophe, which is harmless in text) and Markdown's table and emphasis characters
/// become numeric entities, so a label named `<script>` or `a|b` shows as
/// text on GitHub and in the HTML site alike.
struct MarkdownContentType: MustacheContentType {
    /// The pragma name templates use.
    static let name = "MARKDOWN"

    func escapeText(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "|": escaped += "&#124;"
            case "*": escaped += "&#42;"
            case "_": escaped += "&#95;"
            case "`": escaped += "&#96;"
            case "[": escaped += "&#91;"
            case "]": escaped += "&#93;"
            case "\\": escaped += "&#92;"
            case "#": escaped += "&#35;"
            case "\n", "\r": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Registers the content type with Mustache (once per process).
    static let register: Void = {
        MustacheContentTypes.register(MarkdownContentType(), named: name)
    }()
}
