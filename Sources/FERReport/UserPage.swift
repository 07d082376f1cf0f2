import Mustache

/// A page of the user's own: a `<name>.md.mustache` in their templates folder
/// that FERLab does not know. It is rendered like the built-in pages, with
/// every value they have, and listed in the navigation. Its front matter may
/// give its title and the page it follows:
///
///     ---
///     title: Lab notes
///     after: conclusions
///     ---
struct UserPage: Sendable {
    /// The page: its link key (`lab_notes` for `lab-notes`), file and title.
    let page: SitePages.Page
    /// The file name of the page it follows in the navigation; `nil`: just before the run log.
    let after: String?
    /// The template, as Markdown.
    let template: MustacheTemplate
    /// The text after the front matter (front matter lines left blank, so line numbers hold).
    let body: String

    init(name: String, text: String, file: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields: [String: String] = [:]
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---" {
            guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
            else { throw TemplateError(file: file, line: 1, "the front matter that starts here has no closing ---") }
            for index in 1..<end {
                let line = lines[index]
                guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                guard let colon = line.firstIndex(of: ":") else {
                    throw TemplateError(file: file, line: index + 1, "front matter lines are `key: value`")
                }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                guard ["title", "after"].contains(key) else {
                    throw TemplateError(
                        file: file, line: index + 1, "\(key): is not a front matter key (title, after)")
                }
                fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            for index in 0...end { lines[index] = "" }
        }
        let title =
            fields["title"]
            ?? name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        page = SitePages.Page(key: name.replacingOccurrences(of: "-", with: "_"), file: name, title: title)
        after = fields["after"]
        body = lines.joined(separator: "\n")
        do {
            template = try MustacheTemplate(string: "{{%CONTENT_TYPE:MARKDOWN}}" + body)
        } catch let error as MustacheTemplate.ParserError {
            throw TemplateError(file: file, line: error.context.lineNumber, TemplateSet.words(for: error.error))
        }
    }
}
