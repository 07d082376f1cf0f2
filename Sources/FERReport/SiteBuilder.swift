import FERCore
import FERExperiment
import Foundation
import Ink
import Mustache

/// Turns an experiment into the files of its report site: one Markdown and
/// one HTML page per milestone (each a cached stage), the figures, the
/// stylesheet and `results.json`. The run log is added by `RunLog`.
public struct SiteBuilder {
    let experiment: Experiment
    let templates: TemplateSet

    /// A builder for `experiment` with `templates`.
    public init(experiment: Experiment, templates: TemplateSet) {
        self.experiment = experiment
        self.templates = templates
    }

    /// A built site, before the run log is added.
    public struct Site: Sendable {
        /// Every file but the run log, by path relative to the site root.
        public var files: [String: [UInt8]]
        /// Wall time spent drawing the figures, in seconds.
        public var figureSeconds: Double
    }

    /// Every file of the site but the run log.
    public func build() throws -> Site {
        let results = try experiment.results()
        var files: [String: [UInt8]] = [:]
        var figureList: [(name: String, file: String, title: String, caption: String, page: ReportPage)] = []
        let fileExtension = experiment.config.figures.format.rawValue
        // Figures are independent once their inputs are in memory (the results above pulled them):
        // draw them on all cores.
        let figures = experiment.figures
        let figureStart = DispatchTime.now().uptimeNanoseconds
        let drawn = ParallelLoop.mapChunks(count: figures.count, chunks: figures.count) { index, _ in
            Result { try figures[index].output.get() }
        }
        for (figure, outcome) in zip(figures, drawn) {
            let file = "\(figure.name).\(fileExtension)"
            let figureFile = try outcome.get()
            files["figures/\(file)"] = figureFile.bytes
            figureList.append((figure.name, file, figure.title, figureFile.caption, figure.page))
        }
        let figureSeconds = Double(DispatchTime.now().uptimeNanoseconds - figureStart) / 1e9
        let context = ReportContext(results: results, config: experiment.config, figures: figureList)
        for page in SitePages.all where page.file != SitePages.runLog.file {
            let rendered = try renderStage(page, context: context).get()
            files["\(page.file).md"] = Array(rendered.markdown.utf8)
            files["\(page.file).html"] = Array(rendered.html.utf8)
        }
        files["style.css"] = templates.stylesheet
        files["results.json"] = try Self.json(results)
        return Site(files: files, figureSeconds: figureSeconds)
    }

    /// The run log's pages, rendered with the same templates (never cached).
    public func renderRunLog(_ log: [String: Any]) throws -> PageFiles {
        try render(
            SitePages.runLog, markdownContext: log.merging(["links": links("md")]) { $1 },
            htmlContext: log.merging(["links": links("html")]) { $1 })
    }

    private func renderStage(_ page: SitePages.Page, context: ReportContext) -> StageOutput<PageFiles> {
        let markdownContext = context.values(fileExtension: "md"), htmlContext = context.values(fileExtension: "html")
        return experiment.runner.stage(
            "page \(page.file)", version: 1,
            parameters: [
                ("template", templates.fingerprints[page.file] ?? ""),
                ("layout", templates.fingerprints["layout"] ?? ""),
                ("context", ContentHash.hex(ContentHash.hash(Self.canonical(markdownContext)))),
            ], inputs: []
        ) {
            try render(page, markdownContext: markdownContext, htmlContext: htmlContext)
        }
    }

    private func render(
        _ page: SitePages.Page, markdownContext: [String: Any], htmlContext: [String: Any]
    ) throws
        -> PageFiles
    {
        guard let template = templates.pages[page.file] else { return PageFiles(markdown: "", html: "") }
        try templates.checkNames(of: page.file, against: markdownContext)
        let markdown = template.render(markdownContext)
        let body = MarkdownParser().html(from: template.render(htmlContext))
        let navigation: [[String: Any]] = SitePages.all.map {
            ["title": $0.title, "href": "\($0.file).html", "current": $0.file == page.file]
        }
        let layoutValues: [String: Any] = [
            "title": page.title, "experiment": experiment.config.name, "navigation": navigation,
            "content": body, "version": FERLabVersion.current,
        ]
        try templates.checkNames(of: "layout", against: layoutValues)
        let html = templates.layout.render(layoutValues)
        return PageFiles(markdown: markdown, html: html)
    }

    private func links(_ fileExtension: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: SitePages.all.map { ($0.key, "\($0.file).\(fileExtension)") })
    }

    /// `value` as sorted, pretty JSON with snake_case keys and a final newline.
    static func json<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf",
            nan: "nan")
        return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
    }

    /// A deterministic text form of a template context (sorted keys), for stage keys.
    static func canonical(_ value: Any) -> String {
        switch value {
        case let dictionary as [String: Any]:
            return "{"
                + dictionary.keys.sorted().map { "\($0):\(canonical(dictionary[$0] ?? ""))" }.joined(separator: ",")
                + "}"
        case let array as [Any]:
            return "[" + array.map(canonical).joined(separator: ",") + "]"
        default:
            return "\(value)"
        }
    }
}

/// A page in both forms.
public struct PageFiles: CacheCodable, Sendable, Equatable {
    /// The Markdown page (links end in `.md`).
    public var markdown: String
    /// The HTML page (links end in `.html`).
    public var html: String

    public func encode(to writer: inout BinaryWriter) {
        writer.write(markdown)
        writer.write(html)
    }

    /// A page from its two forms.
    public init(markdown: String, html: String) {
        self.markdown = markdown
        self.html = html
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(markdown: try reader.read(), html: try reader.read())
    }
}
