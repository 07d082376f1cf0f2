import Foundation

/// The values only the write-up (`writeup.md.mustache`) has, under `writeup`:
/// its title block, its own figure and table numbers, and its citations and
/// references. Numbers follow the order in which the rendered document first
/// shows a figure (`writeup.figures.<name>`), a table (`writeup.tables.<name>`)
/// or a citation (`writeup.cite.<key>`): the write-up is rendered once with a
/// token for every number, and the order of the tokens in that text numbers
/// them. So numbers stay in reading order however the template is edited, a
/// cross-reference before its figure gets the figure's number, and what a run
/// does not show (a section it skips) takes no number and no reference.
enum WriteupValues {
    /// What the template names, in order of first mention.
    struct Mentions: Equatable {
        var figures: [String] = []
        var tables: [String] = []
        var citations: [String] = []
    }

    /// The figures, tables and citations `text` names, each once, in order of first mention.
    static func mentions(in text: String) -> Mentions {
        var mentions = Mentions()
        for match in text.matches(of: /writeup\.(figures|tables|cite)\.([A-Za-z0-9_]+)/) {
            let name = String(match.2)
            switch match.1 {
            case "figures" where !mentions.figures.contains(name): mentions.figures.append(name)
            case "tables" where !mentions.tables.contains(name): mentions.tables.append(name)
            case "cite" where !mentions.citations.contains(name): mentions.citations.append(name)
            default: break
            }
        }
        return mentions
    }

    /// One reference of `references.txt`: `key: text` (the text is Markdown).
    struct Reference: Equatable {
        let key: String
        let text: String
    }

    /// The references of `text` (`references.txt`): one `key: citation` per line; `#` lines are comments.
    /// - Throws: `TemplateError` naming the line that is not `key: text`, or a key given twice.
    static func references(in text: String, file: String) throws -> [Reference] {
        var references: [Reference] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":"), !trimmed[..<colon].contains(" ") else {
                throw TemplateError(file: file, line: index + 1, "a reference is one line: `key: citation`")
            }
            let key = String(trimmed[..<colon])
            guard !references.contains(where: { $0.key == key }) else {
                throw TemplateError(file: file, line: index + 1, "\(key): is given twice")
            }
            references.append(
                Reference(key: key, text: trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return references
    }

    /// How numbers are filled in: with tokens, to find the order in which the document shows them, or with the
    /// numbers that order gives.
    enum Numbering {
        /// Every number is a token (`FERLABMENTION3X`) naming what it numbers.
        case tokens
        /// The numbers, in the order the tokens came in the text rendered with `.tokens`.
        case shown(in: String)
    }

    /// The `writeup` values: `title`, `version`, `has_date`/`date`, `paper`; per figure the template names its
    /// site values with the write-up's `number` (and `markdown` made for that number by `figure`, which gives
    /// false for a figure this run does not draw and `nil` for a name that is no figure); per table its
    /// `number`; per citation its `[n]`; and `references` (list: `number`, `text`), those cited, in citation order.
    static func values(
        mentions: Mentions, numbering: Numbering, title: String, date: String?, version: String, paper: String,
        figure: (_ name: String, _ number: String) throws -> Any?, references: [Reference]
    ) throws -> [String: Any] {
        let all =
            mentions.figures.map { ("figures", $0) } + mentions.tables.map { ("tables", $0) }
            + mentions.citations.filter { key in references.contains { $0.key == key } }.map { ("cite", $0) }
        var number: (_ index: Int) -> String = { "FERLABMENTION\($0)X" }
        var cited: [[String: Any]] = []
        if case .shown(let text) = numbering {
            var order: [Int] = []
            for match in text.matches(of: /FERLABMENTION(\d+)X/) {
                if let index = Int(match.1), !order.contains(index) { order.append(index) }
            }
            var numbers: [Int: String] = [:], counts: [String: Int] = [:]
            for index in order where index < all.count {
                let kind = all[index].0
                counts[kind, default: 0] += 1
                numbers[index] = "\(counts[kind] ?? 0)"
                if kind == "cite", let reference = references.first(where: { $0.key == all[index].1 }) {
                    cited.append(["number": "\(cited.count + 1)", "text": reference.text])
                }
            }
            number = { numbers[$0] ?? "" }
        }
        var figures: [String: Any] = [:], tables: [String: Any] = [:], citations: [String: Any] = [:]
        for (index, (kind, name)) in all.enumerated() {
            switch kind {
            case "figures": if let values = try figure(name, number(index)) { figures[name] = values }
            case "tables": tables[name] = ["number": number(index)]
            default: citations[name] = "[\(number(index))]"
            }
        }
        return [
            "title": title, "version": version, "has_date": date != nil, "date": date ?? "", "paper": paper,
            "figures": figures, "tables": tables, "cite": citations, "references": cited,
        ]
    }
}
