import FERCore
import FERData
import FERExperiment
import FERStages
import Foundation
import Ink
import Mustache

/// Turns an experiment into the files of its report site: one Markdown and
/// one HTML page per milestone, the figures (each a cached stage), the
/// explorer page and its data, the stylesheet, `results.json`, the model file
/// and `images.csv`. The run log is added by `RunLog`.
package struct SiteBuilder {
    let experiment: Experiment
    let templates: TemplateSet
    /// The PDF engine, loading since the run began.
    let printer: Printer

    /// A builder for `experiment` with `templates`; `printer`, started when the run began, prints the write-up.
    package init(experiment: Experiment, templates: TemplateSet, printer: Printer? = nil) {
        self.experiment = experiment
        self.templates = templates
        self.printer = printer ?? Printer(config: experiment.config)
    }

    /// WeasyPrint started as soon as the config is read, so that it loads (Python and its libraries) while
    /// the experiment is set up and its results computed; stopped if the write-up is not printed after all.
    package struct Printer: Sendable {
        let engine: PDFEngine?
        let job: PrintJob?

        /// The engine started when `config` asks for a PDF and WeasyPrint is installed.
        package init(config: ExperimentConfig) {
            engine = config.report.pdf ? PDFEngine.find() : nil
            job = try? engine?.start()
        }
    }

    /// A built site, before the run log is added.
    package struct Site: Sendable {
        /// Every file but the run log, by path relative to the site root.
        package var files: [String: [UInt8]]
        /// Wall time spent drawing the figures, in seconds.
        package var figureSeconds: Double
        /// What the user should hear about the build (a PDF that was not made, say).
        package var notes: [String] = []
        /// Cache entries the build read or wrote besides its stages' (the write-up's PDF), by file name.
        package var cacheEntries: [String] = []
    }

    /// Every file of the site but the run log.
    package func build() throws -> Site {
        let (engine, printJob) = (printer.engine, printer.job)
        defer { printJob?.cancel() }
        let results = try experiment.results()
        // The explorer's data (its sprite sheets are the slowest of the site's own work) is made on another thread
        // while the figures, the pages and the write-up's PDF are; the build waits for it however it ends.
        let explorerData = ExplorerData.stage(of: experiment)
        let background = DispatchGroup()
        DispatchQueue.global().async(group: background) { _ = try? explorerData.get() }
        defer { background.wait() }
        var files: [String: [UInt8]] = [:]
        var drawnFigures: [DrawnFigure] = []
        let fileExtension = experiment.config.figures.format.rawValue
        // Figures are independent once their inputs are in memory (the results above pulled them):
        // draw them on all cores.
        let figures = ReportPages.figures(of: experiment)
        let figureStart = DispatchTime.now().uptimeNanoseconds
        let drawn = ParallelLoop.mapChunks(count: figures.count, chunks: figures.count) { index, _ in
            Result { try figures[index].output.get() }
        }
        for (figure, outcome) in zip(figures, drawn) {
            let file = "\(figure.name).\(fileExtension)"
            let figureFile = try outcome.get()
            files["figures/\(file)"] = figureFile.bytes
            let caption = try templates.caption(of: figure.name, values: figureFile.captionValues)
            drawnFigures.append(
                DrawnFigure(
                    name: figure.name, file: file, alt: caption.alt, caption: caption.caption,
                    width: figureFile.width, height: figureFile.height))
        }
        let figureSeconds = Double(DispatchTime.now().uptimeNanoseconds - figureStart) / 1e9
        let input = SectionInput(results: results, config: experiment.config)
        let values = ReportPages.values(input)
            .merging(["figures": try figureValues(drawnFigures)]) { $1 }
        // The write-up first: its PDF prints on another thread while the rest of the site is made.
        let printing = try addWriteup(
            to: &files, values: values, figures: drawnFigures, engine: engine, printJob: printJob)
        defer { _ = try? printing.wait() }  // a failed build still waits for the printer before it returns
        for page in SitePages.all.filter({ $0.file != SitePages.runLog.file }) + templates.userPages.map(\.page) {
            let rendered = try render(
                page, markdownContext: values.merging(["links": links("md")]) { $1 },
                htmlContext: values.merging(["links": links("html")]) { $1 }, figures: drawnFigures)
            files["\(page.file).md"] = Array(rendered.markdown.utf8)
            files["\(page.file).html"] = Array(rendered.html.utf8)
        }
        files["style.css"] = templates.stylesheet
        for (name, bytes) in templates.assets {
            guard files[name] == nil, !name.hasPrefix("explore/") else {
                throw TemplateError(
                    file: templates.files.place(of: name), line: nil,
                    "has the name of a file the site is made of; rename it to copy it into the site")
            }
            files[name] = bytes
        }
        // An image folder's file names, listed once for the explorer and images.csv.
        let dataset = try experiment.dataset.get()
        let imageFiles =
            dataset.provenance.kind == .imageFolders
            ? try ImageFolderReader.imageFiles(root: dataset.provenance.path) : nil
        try addExplorer(to: &files, explorer: explorerData, values: values, imageFiles: imageFiles)
        files["results.json"] = try Self.json(ReportPages.results(input))
        var model = try experiment.trainedModel.get()
        model.provenance = .init(
            experiment: experiment.config.name,
            // What the run is called describes the run, not the model.
            config: experiment.config.flattened.filter { !$0.key.hasPrefix("run.") },
            dataHash: experiment.dataFingerprint)
        files[Self.modelFile] = try model.fileBytes()
        files["images.csv"] = try ImageTable.csv(experiment, files: imageFiles)
        if let name = experiment.config.preprocessing.exportSubset {
            files[name] = CSVDatasetWriter.file(
                try experiment.dataset.get(), rows: try experiment.sample.get().rows, named: name)
        }
        let printed = try printing.wait()
        if let pdf = printed.pdf { files["\(SitePages.writeup.file).pdf"] = pdf }
        return Site(
            files: files, figureSeconds: figureSeconds, notes: printed.notes,
            cacheEntries: printed.cacheEntries)
    }

    /// The final model's file in the site, for `ferlab predict`.
    package static let modelFile = "model.ferlab"

    /// A drawn figure: its name, file (with extension), its alt text and caption as Markdown, and its size in
    /// points.
    private struct DrawnFigure {
        let name: String
        let file: String
        let alt: String
        let caption: String
        let width: Int
        let height: Int

        /// Its key among the `figures` values: `grid_heatmap` for `grid-heatmap`.
        var key: String { name.replacingOccurrences(of: "-", with: "_") }

        /// The `<img` opening Markdown makes for it, with the size a page shows it at: a point is 4/3 of a CSS
        /// pixel, so every figure's text is the same size on the page (the stylesheet narrows wider ones).
        var sizedImage: (plain: String, sized: String) {
            let plain = "<img src=\"figures/\(file)\""
            return (plain, plain + " width=\"\((width * 4 + 1) / 3)\" height=\"\((height * 4 + 1) / 3)\"")
        }
    }

    /// The `figures` values: per figure (`figures.grid_heatmap`), its file, alt text, caption, number and the
    /// Markdown that shows it (from `figure.md.mustache`).
    private func figureValues(_ figures: [DrawnFigure]) throws -> [String: Any] {
        // Every figure FERLab draws has a caption; those this run does not draw are false.
        var values: [String: Any] = Dictionary(uniqueKeysWithValues: templates.figureKeys.map { ($0, false) })
        for (index, figure) in figures.enumerated() {
            values[figure.key] = try self.values(of: figure, number: "\(index + 1)")
        }
        return values
    }

    /// Figure `figure`'s values as figure `number`: its file, title (the alt text), caption, number and the
    /// Markdown that shows it.
    private func values(of figure: DrawnFigure, number: String) throws -> [String: Any] {
        let dataset = experiment.config.dataset
        let data: [String: Any] = [
            "synthetic": dataset.isSynthetic, "count": Formatting.count(dataset.syntheticCount),
            "seed": "\(dataset.syntheticSeed)", "path": dataset.shownPath, "hash": experiment.dataFingerprint,
        ]
        var values: [String: Any] = [
            "file": "figures/\(figure.file)", "alt": figure.alt, "caption": figure.caption, "number": number,
            "data": data,
        ]
        try templates.checkNames(of: "figure", against: values)
        var markdown = templates.figure.render(values, library: templates.library)
        while markdown.hasSuffix("\n") { markdown.removeLast() }
        values["markdown"] = markdown
        values["title"] = figure.alt
        values["alt"] = nil
        values["data"] = nil
        return values
    }

    /// The write-up as Markdown and HTML, added to `files`, and, when `report.pdf` is on and WeasyPrint is
    /// installed (`engine`), its PDF, printing on another thread (by `printJob`, started earlier, unless it is in
    /// the cache).
    private func addWriteup(
        to files: inout [String: [UInt8]], values: [String: Any], figures: [DrawnFigure], engine: PDFEngine?,
        printJob: PrintJob?
    ) throws -> PendingPDF {
        let page = SitePages.writeup, config = experiment.config
        let partialTexts = templates.partials.keys.sorted().compactMap { templates.partials[$0]?.text }
        let mentions = WriteupValues.mentions(
            in: ([templates.sources[page.file]?.text ?? ""] + partialTexts).joined(separator: "\n"))
        let shown = figures.filter { mentions.figures.contains($0.key) }
        func context(_ numbering: WriteupValues.Numbering) throws -> [String: Any] {
            let writeup = try WriteupValues.values(
                mentions: mentions, numbering: numbering, title: config.name, date: config.report.date,
                version: FERLabVersion.current, paper: config.report.paper.rawValue,
                figure: { name, number in
                    guard let drawn = figures.first(where: { $0.key == name }) else {
                        return templates.figureKeys.contains(name) ? false : nil
                    }
                    return try self.values(of: drawn, number: number)
                }, references: templates.references)
            return values.merging(["writeup": writeup]) { $1 }
        }
        let tokens = templates.writeup.render(
            try context(.tokens).merging(["links": links("md")]) { $1 }, library: templates.library)
        let context = try context(.shown(in: tokens))
        let rendered = try render(
            page, template: templates.writeup, markdownContext: context.merging(["links": links("md")]) { $1 },
            htmlContext: context.merging(["links": links("html")]) { $1 }, figures: shown)
        files["\(page.file).md"] = Array(rendered.markdown.utf8)
        files["\(page.file).html"] = Array(rendered.html.utf8)
        guard config.report.pdf else { return PendingPDF(done: PendingPDF.Outcome()) }
        guard let engine else {
            return PendingPDF(done: PendingPDF.Outcome(notes: [PDFEngine.missingAdvice]))
        }
        let printable = PrintableDocument.html(rendered.html, stylesheet: templates.stylesheet, files: files)
        let key = ContentHash.hex(ContentHash.hash(printable, seed: ContentHash.hash(engine.path)))
        let cache = experiment.runner.cache
        let partsKey = PrintParts.key(experiment: config.name, engine: engine.path)
        return PendingPDF {
            do {
                let pdf = try Self.cachedPDF(
                    of: printable, key: key, cache: cache, partsKey: partsKey, printer: printJob ?? (try engine.start())
                )
                let entries =
                    [cache.fileName(stage: Self.pdfStage, key: key)]
                    + (FileManager.default.fileExists(atPath: cache.path(stage: PrintParts.stage, key: partsKey))
                        ? [cache.fileName(stage: PrintParts.stage, key: partsKey)] : [])
                return PendingPDF.Outcome(pdf: pdf, cacheEntries: entries)
            } catch let failure as PDFEngine.Failure {
                return PendingPDF.Outcome(notes: ["\(failure)"])
            }
        }
    }

    /// The cache's name for printed write-ups.
    private static let pdfStage = "writeup pdf"

    /// The PDF of `html`: from the cache when the same document was printed before, else printed by `printer`
    /// (reusing the parts remembered under `partsKey`, and remembering those it used instead) and cached.
    private static func cachedPDF(
        of html: String, key: String, cache: CacheStore, partsKey: String, printer: @autoclosure () throws -> PrintJob
    ) throws
        -> [UInt8]
    {
        let stage = Self.pdfStage
        if case .hit(var reader) = cache.lookup(stage: stage, key: key), let bytes: [UInt8] = try? reader.read() {
            return bytes
        }
        let printed = try printer().print(html: html, parts: PrintParts.remembered(in: cache, key: partsKey))
        var writer = BinaryWriter()
        writer.write(printed.pdf)
        try? cache.store(stage: stage, key: key, payload: writer)
        // A cache that cannot be written costs the next print its reuse only.
        if !printed.parts.entries.isEmpty { try? printed.parts.remember(in: cache, key: partsKey) }
        return printed.pdf
    }

    /// The explorer page, its script, its data and, for an image folder (`imageFiles`, by row), its file names.
    private func addExplorer(
        to files: inout [String: [UInt8]], explorer data: ExplorerStages, values: [String: Any],
        imageFiles: [String]?
    ) throws {
        let explorer = try data.get()
        files.merge(explorer.files) { $1 }
        files["explore/explore.js"] = templates.explorerScript
        var scripts = [ExplorerData.scriptFile]
        if let names = imageFiles {
            files[ExplorerData.filesScript] = try ExplorerData.filesScript(names: explorer.rows.map { names[$0] })
            scripts.append(ExplorerData.filesScript)
        }
        let tsne = try experiment.tsne?.get()
        if let tsne {
            files[ExplorerData.tsneScript] = try ExplorerData.tsneScript(tsne)
            scripts.append(ExplorerData.tsneScript)
        }
        let shown = explorer.rows.count
        let explorerValues: [String: Any] = [
            "model": experiment.finalModel.setting.title, "shown": Formatting.count(shown),
            "total": Formatting.count(explorer.total), "sampled": shown < explorer.total,
            "seed": "\(experiment.config.models.seed)", "limit_key": "images.explorer",
            "sheets": "\(explorer.files.count - 1)", "scripts": scripts + ["explore/explore.js"],
            "final": values["final"] ?? [:], "tsne": tsne != nil,
            "tsne_perplexity": tsne.map { Formatting.decimal($0.perplexity, places: 1) } ?? "",
            "tsne_page": "\(FinalModelPage.page.file).html",
        ]
        try templates.checkNames(of: "explore", against: explorerValues)
        let content = templates.explorer.render(explorerValues, library: templates.library)
        files["\(SitePages.explorer.file).html"] = Array(try layout(SitePages.explorer, content: content).utf8)
    }

    /// The run log's pages, rendered with the same templates (never cached).
    package func renderRunLog(_ log: [String: Any]) throws -> PageFiles {
        try render(
            SitePages.runLog, markdownContext: log.merging(["links": links("md")]) { $1 },
            htmlContext: log.merging(["links": links("html")]) { $1 })
    }

    private func render(
        _ page: SitePages.Page, template: MustacheTemplate? = nil, markdownContext: [String: Any],
        htmlContext: [String: Any], figures: [DrawnFigure] = []
    ) throws
        -> PageFiles
    {
        guard let template = template ?? templates.pages[page.file] else { return PageFiles(markdown: "", html: "") }
        try templates.checkNames(of: page.file, against: markdownContext)
        var markdown = template.render(markdownContext, library: templates.library)
        while markdown.hasPrefix("\n") { markdown.removeFirst() }
        var body = MarkdownParser().html(from: template.render(htmlContext, library: templates.library))
        for figure in figures {
            let image = figure.sizedImage
            body = body.replacingOccurrences(of: image.plain, with: image.sized)
        }
        return PageFiles(markdown: markdown, html: try layout(page, content: body))
    }

    /// `content` (HTML) inside the layout, with the navigation marking `page`.
    private func layout(_ page: SitePages.Page, content: String) throws -> String {
        let navigation: [[String: Any]] = templates.navigation.map {
            ["title": $0.title, "href": "\($0.file).html", "current": $0.file == page.file]
        }
        let layoutValues: [String: Any] = [
            "title": page.title, "experiment": experiment.config.name, "navigation": navigation,
            "content": content, "version": FERLabVersion.current, "paper": experiment.config.report.paper.rawValue,
            "is_run_site": true,
        ]
        try templates.checkNames(of: "layout", against: layoutValues)
        return templates.layout.render(layoutValues)
    }

    /// Each page's link by key; the explorer is HTML in both forms of the site.
    private func links(_ fileExtension: String) -> [String: String] {
        Dictionary(
            (SitePages.all + [SitePages.writeup] + templates.userPages.map(\.page)).map {
                ($0.key, "\($0.file).\(fileExtension)")
            },
            uniquingKeysWith: { first, _ in first }
        )
        .merging([SitePages.explorer.key: "\(SitePages.explorer.file).html"]) { $1 }
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
}

/// A page in both forms.
package struct PageFiles: CacheCodable, Sendable, Equatable {
    /// The Markdown page (links end in `.md`).
    package var markdown: String
    /// The HTML page (links end in `.html`).
    package var html: String

    package func encode(to writer: inout BinaryWriter) {
        writer.write(markdown)
        writer.write(html)
    }

    /// A page from its two forms.
    package init(markdown: String, html: String) {
        self.markdown = markdown
        self.html = html
    }

    package init(from reader: inout BinaryReader) throws {
        self.init(markdown: try reader.read(), html: try reader.read())
    }
}
