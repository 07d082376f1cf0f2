import FERExperiment
import Foundation
import Mustache

/// The templates a site is rendered from: one Markdown template per page
/// (`<page>.md.mustache`), the partials pages share
/// (`partials/<name>.md.mustache`, included with `{{> name}}`), each
/// figure's alt text and caption (`captions/<figure>.md.mustache`), the
/// Markdown that shows a figure (`figure.md.mustache`), the HTML layout
/// around the pages (`layout.html.mustache`), the explorer page
/// (`explore.html.mustache`, HTML, with its script `explore.js`) and the
/// stylesheet (`style.css`), read from a folder so the write-up can change without
/// touching Swift.
public struct TemplateSet: Sendable {
    /// Page templates by page file name.
    let pages: [String: MustacheTemplate]
    /// The layout.
    let layout: MustacheTemplate
    /// The Markdown that shows one figure with its number and caption.
    let figure: MustacheTemplate
    /// Caption templates by figure name.
    let captions: [String: MustacheTemplate]
    /// The report `ferlab predict --report` writes.
    let predictions: MustacheTemplate
    /// The explorer page's content (HTML).
    let explorer: MustacheTemplate
    /// The explorer's script.
    let explorerScript: [UInt8]
    /// The stylesheet's bytes.
    let stylesheet: [UInt8]
    /// The partials, for rendering.
    let library: MustacheLibrary
    /// Each template's text and file, by page file name, `layout`, `figure` and `captions/<figure>`, for checking
    /// the names it uses.
    let sources: [String: (text: String, file: String)]
    /// Each partial's text and file, by name.
    let partials: [String: (text: String, file: String)]
    /// The folder they were read from.
    let directory: String

    /// Reads every template from `directory`.
    /// - Throws: `TemplateError` naming the missing or malformed file (and line).
    public init(directory: String) throws {
        _ = MarkdownContentType.register
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TemplateError(
                file: directory, line: nil, "no templates folder here; run from the FERLab folder or pass --templates")
        }
        func read(_ name: String) throws -> String {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TemplateError(
                    file: path, line: nil, "missing: the templates folder must hold every page's template")
            }
            return String(decoding: data, as: UTF8.self)
        }
        /// Parses template `name`, returning it with its text and file.
        /// A caption's text is Markdown like a page's, so it is read as if it began with the pragma.
        func parse(
            _ name: String, markdown: Bool = false
        ) throws -> (template: MustacheTemplate, text: String, file: String) {
            let text = try read(name), file = (directory as NSString).appendingPathComponent(name)
            do {
                return (try MustacheTemplate(string: (markdown ? Self.markdownPragma : "") + text), text, file)
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(
                    file: file, line: error.context.lineNumber, "cannot parse the template: \(error.error)")
            }
        }
        var pages: [String: MustacheTemplate] = [:]
        var sources: [String: (text: String, file: String)] = [:]
        for page in SitePages.all {
            let parsed = try parse("\(page.file).md.mustache")
            pages[page.file] = parsed.template
            sources[page.file] = (parsed.text, parsed.file)
        }
        let layout = try parse("layout.html.mustache")
        sources["layout"] = (layout.text, layout.file)
        let figure = try parse("figure.md.mustache")
        sources["figure"] = (figure.text, figure.file)
        let explorer = try parse("explore.html.mustache")
        sources["explore"] = (explorer.text, explorer.file)
        let predictions = try parse("reports/predictions.md.mustache")
        sources["reports/predictions"] = (predictions.text, predictions.file)
        var captions: [String: MustacheTemplate] = [:]
        for name in try Self.templates(in: directory, folder: "captions") {
            let parsed = try parse("captions/\(name).md.mustache", markdown: true)
            captions[name] = parsed.template
            sources["captions/\(name)"] = (parsed.text, parsed.file)
        }
        var library = MustacheLibrary()
        var partials: [String: (text: String, file: String)] = [:]
        for partial in try Self.templates(in: directory, folder: "partials") {
            let parsed = try parse("partials/\(partial).md.mustache")
            library.register(parsed.template, named: partial)
            partials[partial] = (parsed.text, parsed.file)
        }
        self.pages = pages
        self.layout = layout.template
        self.figure = figure.template
        self.explorer = explorer.template
        self.explorerScript = Array(try read("explore.js").utf8)
        self.predictions = predictions.template
        self.directory = directory
        self.captions = captions
        self.stylesheet = Array(try read("style.css").utf8)
        self.library = library
        self.sources = sources
        self.partials = partials
    }

    private static let markdownPragma = "{{%CONTENT_TYPE:MARKDOWN}}"

    /// The predictions report's Markdown, rendered with `values`.
    /// - Throws: `TemplateError` when the template names a value `values` do not hold.
    func renderReport(_ values: [String: Any]) throws -> String {
        try checkNames(of: "reports/predictions", against: values)
        return predictions.render(values, library: library)
    }

    /// The names (without `.md.mustache`) of the templates in `folder` of `directory`, sorted; none when the
    /// folder is missing.
    private static func templates(in directory: String, folder: String) throws -> [String] {
        let suffix = ".md.mustache"
        let path = (directory as NSString).appendingPathComponent(folder)
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(suffix) }
            .sorted().map { String($0.dropLast(suffix.count)) }
    }

    /// Figure `name`'s alt text (the first line of its caption template) and caption (the rest, its lines
    /// joined), rendered with the figure's `values`.
    /// - Throws: `TemplateError` when the figure has no caption template, it names a value the figure does not
    ///   have, or it lacks a line.
    func caption(of name: String, values: [String: Any]) throws -> (alt: String, caption: String) {
        let source = "captions/\(name)"
        guard let template = captions[name], let file = sources[source]?.file else {
            throw TemplateError(
                file: (directory as NSString).appendingPathComponent("\(source).md.mustache"), line: nil,
                "missing: every figure needs its alt text and caption here (figure \(name))")
        }
        try checkNames(of: source, against: values)
        let lines = template.render(values, library: library).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.count >= 2 else {
            throw TemplateError(
                file: file, line: nil, "needs the alt text on its first line and the caption on the lines after it")
        }
        return (lines[0], lines.dropFirst().joined(separator: " "))
    }

    /// Checks that the template of `page` (a page file name, `layout`, `figure` or `captions/<figure>`) uses only
    /// names `values` hold.
    /// - Throws: `TemplateError` with the template's file and line and the unknown name.
    func checkNames(of page: String, against values: [String: Any]) throws {
        guard let source = sources[page] else { return }
        do {
            try TemplateNames.check(source.text, against: values, partials: partials.mapValues(\.text))
        } catch let unknown as TemplateNames.Unknown {
            let file = unknown.partial.flatMap { partials[$0]?.file } ?? source.file
            let what =
                unknown.name.hasPrefix(">")
                ? "includes {{\(unknown.name)}}, but there is no such partial in the templates' partials folder"
                : "uses {{\(unknown.name)}}, which is not a value of this page (misspelt, or not computed)"
            throw TemplateError(file: file, line: unknown.line, what)
        }
    }
}

/// A template that is missing or cannot be parsed.
public struct TemplateError: Error, CustomStringConvertible, Sendable {
    /// The template file.
    public let file: String
    /// The line of the problem, when known.
    public let line: Int?
    /// What is wrong.
    public let message: String

    init(file: String, line: Int?, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        (line.map { "\(file):\($0)" } ?? file) + ": " + message
    }
}
