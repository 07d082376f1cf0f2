import FERCore
import FERExperiment
import Foundation
import Mustache

/// The templates a site is rendered from: one Markdown template per page
/// (`<page>.md.mustache`), the HTML layout around them
/// (`layout.html.mustache`) and the stylesheet (`style.css`), read from a
/// folder so the write-up can change without touching Swift.
public struct TemplateSet: Sendable {
    /// Page templates by page file name.
    let pages: [String: MustacheTemplate]
    /// The layout.
    let layout: MustacheTemplate
    /// The stylesheet's bytes.
    let stylesheet: [UInt8]
    /// A hash of every template's text, for stage keys.
    let fingerprints: [String: String]
    /// Each template's text and file, by page file name and `layout`, for checking the names it uses.
    let sources: [String: (text: String, file: String)]

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
        var sources: [String: (text: String, file: String)] = [:]
        /// Parses template `name` and keeps its text under `key` (a page file name, or `layout`).
        func parse(_ name: String, as key: String) throws -> (MustacheTemplate, String) {
            let text = try read(name), file = (directory as NSString).appendingPathComponent(name)
            sources[key] = (text, file)
            do {
                return (try MustacheTemplate(string: text), ContentHash.hex(ContentHash.hash(text)))
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(
                    file: file, line: error.context.lineNumber, "cannot parse the template: \(error.error)")
            }
        }
        var pages: [String: MustacheTemplate] = [:]
        var fingerprints: [String: String] = [:]
        for page in SitePages.all {
            let (template, fingerprint) = try parse("\(page.file).md.mustache", as: page.file)
            pages[page.file] = template
            fingerprints[page.file] = fingerprint
        }
        let (layout, layoutFingerprint) = try parse("layout.html.mustache", as: "layout")
        fingerprints["layout"] = layoutFingerprint
        let stylesheet = Array(try read("style.css").utf8)
        self.pages = pages
        self.layout = layout
        self.stylesheet = stylesheet
        self.fingerprints = fingerprints
        self.sources = sources
    }

    /// Checks that the template of `page` (a page file name, or `layout`) uses only names `values` hold.
    /// - Throws: `TemplateError` with the template's file and line and the unknown name.
    func checkNames(of page: String, against values: [String: Any]) throws {
        guard let source = sources[page] else { return }
        do {
            try TemplateNames.check(source.text, against: values)
        } catch let unknown as TemplateNames.Unknown {
            throw TemplateError(
                file: source.file, line: unknown.line,
                "uses {{\(unknown.name)}}, which is not a value of this page (misspelt, or not computed)")
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
