import FERExperiment
import Foundation
import Mustache

/// The templates a site is rendered from: one Markdown template per page
/// (`<page>.md.mustache`), the partials pages share
/// (`partials/<name>.md.mustache`, included with `{{> name}}`), the HTML
/// layout around them (`layout.html.mustache`) and the stylesheet
/// (`style.css`), read from a folder so the write-up can change without
/// touching Swift.
public struct TemplateSet: Sendable {
    /// Page templates by page file name.
    let pages: [String: MustacheTemplate]
    /// The layout.
    let layout: MustacheTemplate
    /// The stylesheet's bytes.
    let stylesheet: [UInt8]
    /// The partials, for rendering.
    let library: MustacheLibrary
    /// Each template's text and file, by page file name and `layout`, for checking the names it uses.
    let sources: [String: (text: String, file: String)]
    /// Each partial's text and file, by name.
    let partials: [String: (text: String, file: String)]

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
        func parse(_ name: String) throws -> (template: MustacheTemplate, text: String, file: String) {
            let text = try read(name), file = (directory as NSString).appendingPathComponent(name)
            do {
                return (try MustacheTemplate(string: text), text, file)
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
        var library = MustacheLibrary()
        var partials: [String: (text: String, file: String)] = [:]
        let partialsFolder = (directory as NSString).appendingPathComponent("partials")
        let suffix = ".md.mustache"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: partialsFolder))?.sorted() ?? []
        where name.hasSuffix(suffix) {
            let parsed = try parse("partials/\(name)")
            let partial = String(name.dropLast(suffix.count))
            library.register(parsed.template, named: partial)
            partials[partial] = (parsed.text, parsed.file)
        }
        self.pages = pages
        self.layout = layout.template
        self.stylesheet = Array(try read("style.css").utf8)
        self.library = library
        self.sources = sources
        self.partials = partials
    }

    /// Checks that the template of `page` (a page file name, or `layout`) uses only names `values` hold.
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
