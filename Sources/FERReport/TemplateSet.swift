import FERCore
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
/// stylesheet (`style.css`): the ones built into the binary, each replaced
/// by the file of the same name in a folder of the user's when it has one,
/// so the write-up can change without touching Swift.
package struct TemplateSet: Sendable {
    /// Page templates by page file name.
    let pages: [String: MustacheTemplate]
    /// The layout.
    let layout: MustacheTemplate
    /// The Markdown that shows one figure with its number and caption.
    let figure: MustacheTemplate
    /// Caption templates by figure name.
    let captions: [String: MustacheTemplate]
    /// Every figure's key among the `figures` values (`grid_heatmap`): one per caption, as every figure has one.
    var figureKeys: [String] { captions.keys.sorted().map { $0.replacingOccurrences(of: "-", with: "_") } }
    /// The report `ferlab predict --report` writes.
    let predictions: MustacheTemplate
    /// The comparison of runs `ferlab compare` and sweeps write.
    let comparison: MustacheTemplate
    /// The write-up (Markdown, like a page).
    let writeup: MustacheTemplate
    /// The references the write-up may cite (`references.txt`).
    let references: [WriteupValues.Reference]
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
    /// Where each template came from.
    let files: TemplateFiles
    /// The user's own pages, in navigation order, with their templates.
    let userPages: [UserPage]
    /// Files of the user's templates folder copied into the site as they are, by path.
    let assets: [String: [UInt8]]
    /// Every page in navigation order: the built-in ones with the user's own among them.
    let navigation: [SitePages.Page]

    /// The built-in templates, each replaced by its namesake in `directory` when given.
    /// - Throws: `TemplateError` naming the missing folder, or the malformed file (and line).
    package init(directory: String? = nil) throws {
        _ = MarkdownContentType.register
        let files = try TemplateFiles(folder: directory)
        /// Parses template `name`, returning it with its text and file.
        /// A caption's text is Markdown like a page's, so it is read as if it began with the pragma.
        func parse(
            _ name: String, markdown: Bool = false
        ) throws -> (template: MustacheTemplate, text: String, file: String) {
            let (text, file) = try files.text(of: name)
            do {
                return (try MustacheTemplate(string: (markdown ? Self.markdownPragma : "") + text), text, file)
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(file: file, line: error.context.lineNumber, Self.words(for: error.error))
            }
        }
        var pages: [String: MustacheTemplate] = [:]
        var sources: [String: (text: String, file: String)] = [:]
        for page in SitePages.all {
            let parsed = try parse("\(page.file).md.mustache")
            pages[page.file] = parsed.template
            sources[page.file] = (parsed.text, parsed.file)
        }
        var userPages: [UserPage] = []
        let known = Set(SitePages.all.map(\.file) + ["figure", "writeup"])
        for name in files.userPages(known: known) {
            let (text, file) = try files.text(of: "\(name).md.mustache")
            let page = try UserPage(name: name, text: text, file: file)
            userPages.append(page)
            pages[name] = page.template
            sources[name] = (page.body, file)
        }
        var navigation = SitePages.navigation
        for own in userPages {
            guard let after = own.after else {
                navigation.insert(own.page, at: navigation.count - 1)
                continue
            }
            guard let index = navigation.firstIndex(where: { $0.file == after || $0.key == after }) else {
                throw TemplateError(
                    file: files.place(of: "\(own.page.file).md.mustache"), line: nil,
                    "after: \(after) is not a page (\(navigation.map(\.file).joined(separator: ", ")))")
            }
            navigation.insert(own.page, at: index + 1)
        }
        self.userPages = userPages
        self.navigation = navigation
        self.assets = try files.assets()
        /// Parses `file` and records its text under `name`, for checking the names it uses.
        func named(_ name: String, _ file: String) throws -> MustacheTemplate {
            let parsed = try parse(file)
            sources[name] = (parsed.text, parsed.file)
            return parsed.template
        }
        let layout = try named("layout", "layout.html.mustache")
        let figure = try named("figure", "figure.md.mustache")
        let writeup = try named("writeup", "writeup.md.mustache")
        let referencesText = try files.text(of: "references.txt")
        self.references = try WriteupValues.references(in: referencesText.text, file: referencesText.file)
        let explorer = try named("explore", "explore.html.mustache")
        let predictions = try named("reports/predictions", "reports/predictions.md.mustache")
        let comparison = try named("reports/comparison", "reports/comparison.md.mustache")
        var captions: [String: MustacheTemplate] = [:]
        for name in files.templates(in: "captions") {
            let parsed = try parse("captions/\(name).md.mustache", markdown: true)
            captions[name] = parsed.template
            sources["captions/\(name)"] = (parsed.text, parsed.file)
        }
        var library = MustacheLibrary()
        var partials: [String: (text: String, file: String)] = [:]
        for partial in files.templates(in: "partials") {
            let parsed = try parse("partials/\(partial).md.mustache")
            library.register(parsed.template, named: partial)
            partials[partial] = (parsed.text, parsed.file)
        }
        try Self.checkIncludes(partials)
        self.pages = pages
        self.layout = layout
        self.figure = figure
        self.explorer = explorer
        self.writeup = writeup
        self.explorerScript = try files.bytes(of: "explore.js")
        self.predictions = predictions
        self.comparison = comparison
        self.files = files
        self.captions = captions
        self.stylesheet = try files.bytes(of: "style.css")
        self.library = library
        self.sources = sources
        self.partials = partials
    }

    private static let markdownPragma = "{{%CONTENT_TYPE:MARKDOWN}}"

    /// The deepest a partial may include others (FERLab's own go two deep).
    static let deepestIncludes = 16

    /// Refuses partials that include themselves, directly or through others, or nest deeper than
    /// `deepestIncludes`: rendering them would never end.
    static func checkIncludes(_ partials: [String: (text: String, file: String)]) throws {
        let includes = partials.mapValues { TemplateNames.includes(in: $0.text).filter { partials[$0.name] != nil } }
        var depths: [String: Int] = [:]
        /// How deep `name`'s includes go (1: none), each partial worked out once; `chain` is the way to it.
        func depth(_ name: String, chain: [String]) throws -> Int {
            if let known = depths[name] { return known }
            var deepest = 0
            for (included, line) in includes[name] ?? [] {
                let file = partials[name]?.file ?? name
                if let start = chain.firstIndex(of: included) {
                    let loop = (chain[start...] + [included]).joined(separator: " > ")
                    throw TemplateError(
                        file: file, line: line,
                        "includes {{> \(included)}}, which includes itself (\(loop)); rendering it would never end")
                }
                deepest = max(deepest, try depth(included, chain: chain + [included]))
                guard deepest < deepestIncludes else {
                    throw TemplateError(
                        file: file, line: line,
                        "includes partials more than \(deepestIncludes) deep, through {{> \(included)}}")
                }
            }
            depths[name] = deepest + 1
            return deepest + 1
        }
        for name in partials.keys.sorted() { _ = try depth(name, chain: [name]) }
    }

    /// What a template parser error means, in words.
    static func words(for error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?:
            return "a section is closed with another name than it was opened with: {{/name}} must match {{#name}}"
        case .unfinishedName?: return "a tag is not finished: {{ without its closing }}"
        case .expectedSectionEnd?: return "a section is never closed: {{#name}} or {{^name}} needs its {{/name}}"
        case .invalidSetDelimiter?: return "a delimiter change {{=<% %>=}} is malformed"
        case .transformAppliedToInheritanceSection?, .illegalTokenInsideInheritSection?, .textInsideInheritSection?:
            return "a block inherited from a partial ({{$name}}) holds something it cannot"
        case .invalidConfigVariableSyntax?, .unrecognisedConfigVariable?:
            return "a {{%...}} pragma is malformed or unknown (FERLab's templates use {{%CONTENT_TYPE:MARKDOWN}})"
        case nil: return "cannot parse the template: \(error)"
        }
    }

    /// Report `name`'s Markdown (`reports/predictions` or `reports/comparison`), rendered with `values`.
    /// - Throws: `TemplateError` when the template names a value `values` do not hold.
    func renderReport(_ name: String, _ values: [String: Any]) throws -> String {
        try checkNames(of: name, against: values)
        return (name == "reports/comparison" ? comparison : predictions).render(values, library: library)
    }

    /// `body` (HTML) inside the layout, as a report's one page with no navigation.
    func wrap(_ body: String, title: String, experiment: String, paper: String = "a4") throws -> String {
        let values: [String: Any] = [
            "title": title, "experiment": experiment, "navigation": [[String: Any]](), "content": body,
            "version": FERLabVersion.current, "paper": paper, "is_run_site": false,
        ]
        try checkNames(of: "layout", against: values)
        return layout.render(values)
    }

    /// Figure `name`'s alt text (the first line of its caption template) and caption (the rest, its lines
    /// joined), rendered with the figure's `values`.
    /// - Throws: `TemplateError` when the figure has no caption template, it names a value the figure does not
    ///   have, or it lacks a line.
    func caption(of name: String, values: [String: Any]) throws -> (alt: String, caption: String) {
        let source = "captions/\(name)"
        guard let template = captions[name], let file = sources[source]?.file else {
            throw TemplateError(
                file: files.place(of: "\(source).md.mustache"), line: nil,
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
                : "uses {{\(unknown.name)}}, which is not a value of this page ("
                    + (NearestName.closest(to: unknown.name, among: Self.names(in: values)).map {
                        "did you mean {{\($0)}}?"
                    } ?? "misspelt, or not computed") + ")"
            throw TemplateError(file: file, line: unknown.line, what)
        }
    }

    /// Every name a template can use with `values`: each key by its dotted path, and the keys of the values
    /// listed in sections by their own names.
    static func names(in values: [String: Any], prefix: String = "") -> Set<String> {
        var names: Set<String> = []
        for (key, value) in values {
            names.insert(prefix + key)
            if let nested = value as? [String: Any] {
                names.formUnion(Self.names(in: nested, prefix: prefix + key + "."))
            } else if let list = value as? [[String: Any]] {
                for item in list { names.formUnion(Self.names(in: item)) }
            }
        }
        return names
    }
}

/// A template that is missing or cannot be parsed.
package struct TemplateError: Error, CustomStringConvertible, Sendable {
    /// The template file.
    package let file: String
    /// The line of the problem, when known.
    package let line: Int?
    /// What is wrong.
    package let message: String

    init(file: String, line: Int?, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    package var description: String {
        (line.map { "\(file):\($0)" } ?? file) + ": " + message
    }
}
