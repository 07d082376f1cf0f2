import FERCodecs
import FERCore
import FERData
import FERExperiment
import FERRun
import FERStages
import FERTemplates
import FERTestSupport
import Foundation
import Testing

@testable import FERReport

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A run of a small experiment in a temporary folder.
struct SiteFixture {
    let folder: TemporaryDirectory
    var site: String { folder.file("site") }
    var cache: String { folder.file("cache") }

    static let config = TinyExperiment.config

    init(config: String = SiteFixture.config) throws {
        folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: config)
    }

    @discardableResult
    func run(
        _ overrides: [String] = [], site: String? = nil, cache: String? = nil, force: Bool = false
    ) throws -> ExperimentRun.Outcome {
        let options = ExperimentRun.Options(
            configPath: folder.file("tiny.yaml"), overrides: overrides, outDirectory: site ?? self.site,
            cacheDirectory: cache ?? self.cache,
            force: force)
        return try ExperimentRun.run(
            options, console: .init(note: { _ in }, computing: { _ in }, progress: { _, _, _ in }))
    }
}

@Suite(.serialized) struct SiteTests {
    @Test func everyPageFigureAndNumberIsWritten() throws {
        let fixture = try SiteFixture()
        try fixture.run()
        let files = try FolderSnapshot.files(in: fixture.site)
        // Every page template and every declared figure, not a list kept by hand (`figure.md.mustache` is the
        // Markdown that shows one figure, not a page).
        let pages = try FileManager.default.contentsOfDirectory(atPath: ProjectFiles.path("Templates"))
            .filter { $0.hasSuffix(".md.mustache") }.map { String($0.dropLast(".md.mustache".count)) }
            .filter { $0 != "figure" }
        #expect(pages.count >= 9)
        for page in pages {
            #expect(files["\(page).md"] != nil && files["\(page).html"] != nil, "\(page) is missing")
        }
        let config = try ExperimentConfig.parse(SiteFixture.config, file: "tiny.yaml")
        let declared = ReportPages.figures(
            of: try Experiment(
                config: config, configFile: "tiny.yaml",
                runner: StageRunner(cache: CacheStore(directory: fixture.cache))))
        #expect(declared.count >= 20)
        for figure in declared.map(\.name) {
            #expect(
                files["figures/\(figure).png"]?.starts(with: [0x89, 0x50, 0x4E, 0x47]) == true,
                "figure \(figure) is missing")
        }
        #expect(files["style.css"] != nil)

        let resultsData = try #require(files["results.json"])
        let results = try #require(JSONSerialization.jsonObject(with: resultsData) as? [String: Any])
        let dataset = try #require(results["dataset"] as? [String: Any])
        #expect(dataset["rows"] as? Int == 210)
        #expect((dataset["class_counts"] as? [String: Int])?.values.reduce(0, +) == 210)
        let models = try #require(results["models"] as? [[String: Any]])
        #expect(models.map { $0["name"] as? String } == ["svd", "pca"])
        for model in models {
            for key in [
                "reducer", "components", "clusters", "silhouette", "baseline_silhouette", "accuracy_hungarian",
                "accuracy_majority", "nmi", "ari",
            ] {
                #expect(model[key] != nil, "models[].\(key) is missing")
            }
        }
        let grid = try #require(results["grid"] as? [[String: Any]])
        #expect(grid.count == 4)
        #expect(grid.allSatisfy { $0["components"] != nil && $0["clusters"] != nil && $0["silhouette"] != nil })

        let runData = try #require(files["run.json"])
        let run = try #require(JSONSerialization.jsonObject(with: runData) as? [String: Any])
        let stages = try #require(run["stages"] as? [[String: Any]])
        #expect(stages.contains { $0["name"] as? String == "grid" && $0["status"] as? String == "computed" })
        #expect(run["started"] is String && run["ferlab_version"] is String)
    }

    /// `results.json` is made of the pages' parts: together they hold every result, and no two pages claim a key.
    @Test func everyResultIsPublishedByExactlyOnePage() throws {
        let fixture = try SiteFixture()
        try fixture.run()
        let config = try ExperimentConfig.parse(SiteFixture.config, file: "tiny.yaml")
        let experiment = try Experiment(
            config: config, configFile: "tiny.yaml", runner: StageRunner(cache: CacheStore(directory: fixture.cache)))
        let input = SectionInput(results: try experiment.results(), config: config)
        let whole = try #require(
            JSONSerialization.jsonObject(with: Data(try SiteBuilder.json(input.results))) as? [String: Any])
        var claimed: [String: String] = [:]
        for section in ReportPages.all {
            for key in section.results(input).keys {
                #expect(claimed[key] == nil, "\(key) is published by \(claimed[key] ?? "") and \(section.page.key)")
                claimed[key] = section.page.key
            }
        }
        #expect(Set(claimed.keys) == Set(whole.keys))
        let published = try Data(contentsOf: URL(fileURLWithPath: fixture.folder.file("site/results.json")))
        #expect(Array(published) == (try SiteBuilder.json(input.results)))
    }

    /// Every figure on an HTML page is a link to its file, shown at 4/3 CSS pixels per point (its PNG has
    /// `figures.scale` pixels per point), so text is the same size in every figure.
    @Test func figuresLinkToTheirFilesAndAreShownAtTheirSize() throws {
        let fixture = try SiteFixture()
        try fixture.run()
        let files = try FolderSnapshot.files(in: fixture.site)
        var checked = 0
        for page in SitePages.all {
            let html = String(decoding: try #require(files["\(page.file).html"]), as: UTF8.self)
            for match in html.matches(of: #/<a href="([^"]+)"><img src="([^"]+)" width="(\d+)" height="(\d+)"/#) {
                #expect(match.1 == match.2)
                let png = try #require(files[String(match.2)])
                let size = try png.withUnsafeBytes { try PNGCodec.size($0) }
                // The tiny experiment draws at scale 1: a pixel is a point.
                #expect(Int(match.3) == (size.width * 4 + 1) / 3 && Int(match.4) == (size.height * 4 + 1) / 3)
                checked += 1
            }
            let images = html.matches(of: #/<img /#).count, linked = html.matches(of: #/<a href="[^"]+"><img /#).count
            #expect(images == linked, "\(page.file): a figure that is not a link")
        }
        #expect(checked >= 20)
    }

    /// Figures are numbered in the order pages show them, and no value sits in a code span, where Markdown would
    /// show its escapes as written.
    @Test func figureNumbersRunDownTheSiteAndNoValueIsInACodeSpan() throws {
        // With landmarks, so that their figures are numbered too (Scripts/setup installs Debian's model).
        let fixture = try SiteFixture()
        try fixture.run(["models.features=landmarks"])
        var last = 0
        for page in SitePages.all {
            let text = try String(contentsOfFile: fixture.folder.file("site/\(page.file).md"), encoding: .utf8)
            for match in text.matches(of: /\*Figure (\d+)\./) {
                let number = Int(match.1) ?? 0
                #expect(number == last + 1, "\(page.file): Figure \(number) follows Figure \(last)")
                last = number
            }
        }
        #expect(last >= 20)
        let templates = ProjectFiles.path("Templates")
        for name in try FileManager.default.subpathsOfDirectory(atPath: templates) where name.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: templates + "/" + name, encoding: .utf8)
            for span in text.matches(of: /`[^`\n]*`/) {
                #expect(!span.output.contains("{{"), "\(name): a value in the code span \(span.output)")
            }
        }
    }

    /// A run with another clusterer names it on every page, draws its own figures (a mixture's BIC over the grid,
    /// Ward's merge tree; no seed reruns of Ward, which has no seed), numbers them in page order, and compares
    /// clusterers side by side on the features page.
    @Test(arguments: ["gmm", "ward"])
    func anotherClustererIsNamedAndDrawn(_ method: String) throws {
        let fixture = try SiteFixture()
        try fixture.run([
            "models.method=\(method)",
            "features.compare=[{features: pixels, reducer: pca, components: 2, method: \(method)}, {features: pixels, reducer: pca, components: 2}]",
        ])
        let files = try FolderSnapshot.files(in: fixture.site)
        #expect((files["figures/grid-bic.png"] != nil) == (method == "gmm"))
        #expect((files["figures/dendrogram.png"] != nil) == (method == "ward"))
        #expect((files["figures/stability-seeds.png"] != nil) == (method == "gmm"))
        func page(_ name: String) -> String { String(decoding: files[name] ?? Data(), as: UTF8.self) }
        let title = method == "gmm" ? "Gaussian mixture" : "Ward clustering"
        #expect(page("final-model.md").contains("and \(title) with **4** clusters"))
        var last = 0
        for name in SitePages.all.map(\.file) {
            let text = page("\(name).md")
            if name != "features" {
                #expect(text.firstMatch(of: /k-means(?!\+\+)/) == nil, "\(name) speaks of k-means")
            }
            for match in text.matches(of: /\*Figure (\d+)\./) {
                #expect(Int(match.1) == last + 1, "\(name): Figure \(match.1) follows Figure \(last)")
                last = Int(match.1) ?? last
            }
        }
        let features = page("features.md")
        #expect(features.contains("pixels, PCA 2, \(title) |") && features.contains("pixels, PCA 2 |"))
        #expect(features.contains("with each setting's clusterer at 4 clusters"))
    }

    /// `images.csv` has a row per image used, in the run's split, with its cluster's label as the map gives it.
    @Test func theImageTableListsEveryImageUsed() throws {
        let fixture = try SiteFixture()
        try fixture.run(["preprocessing.export_subset=true"])
        let text = try String(contentsOfFile: fixture.folder.file("site/images.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(
            rows.first?.prefix(8).joined(separator: ",")
                == "row,label,usage,split,cluster,cluster_label,silhouette,distance")
        let results = try #require(
            JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: fixture.folder.file("site/results.json"))))
                as? [String: Any])
        let preprocessing = try #require(results["preprocessing"] as? [String: Any])
        let body = rows.dropFirst()
        #expect(body.count == preprocessing["rows_used"] as? Int)
        #expect(body.filter { $0[3] == "train" }.count == preprocessing["train_rows"] as? Int)
        #expect(body.filter { $0[3] == "held-out" }.count == preprocessing["test_rows"] as? Int)
        #expect(body.allSatisfy { $0.count == rows[0].count && !$0[4].isEmpty && Double($0[7]) != nil })
        let final = try #require((results["models"] as? [[String: Any]])?.first { $0["name"] as? String == "pca" })
        let labels = try #require(final["cluster_labels"] as? [String])
        #expect(body.allSatisfy { labels[Int($0[4]) ?? 0] == ($0[5].isEmpty ? "-" : String($0[5])) })
        // The subset, in FER2013's layout, reads back as the rows used.
        let subset = try DatasetLoader.load(path: fixture.folder.file("site/subset.csv.gz"))
        #expect(subset.count == body.count && subset.width == 48)
    }

    @Test func everyLocalLinkAndImageResolves() throws {
        let fixture = try SiteFixture()
        try fixture.run()
        let files = try FolderSnapshot.files(in: fixture.site)
        let htmlReference = try NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#)
        let markdownReference = try NSRegularExpression(pattern: #"\]\(([^)]*)\)"#)
        for (name, data) in files where name.hasSuffix(".html") || name.hasSuffix(".md") {
            let text = String(decoding: data, as: UTF8.self)
            let pattern = name.hasSuffix(".html") ? htmlReference : markdownReference
            let targets = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                Range($0.range(at: 1), in: text).map { String(text[$0]) }
            }
            if name.hasSuffix(".html") || name == "index.md" { #expect(!targets.isEmpty, "\(name) has no links") }
            for target in targets where !target.hasPrefix("http") && !target.hasPrefix("#") {
                #expect(files[target] != nil, "\(name) links to \(target), which is not in the site")
            }
        }
    }

    @Test func htmlPagesAreWellFormed() throws {
        let fixture = try SiteFixture()
        try fixture.run()
        for (name, data) in try FolderSnapshot.files(in: fixture.site) where name.hasSuffix(".html") {
            let parser = XMLParser(data: data)
            #expect(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "") at line \(parser.lineNumber)")
        }
    }

    @Test func sameConfigGivesTheSameSiteButTheRunLog() throws {
        let fixture = try SiteFixture()
        try fixture.run(site: fixture.folder.file("a"), cache: fixture.folder.file("cache-a"))
        try fixture.run(site: fixture.folder.file("b"), cache: fixture.folder.file("cache-b"))
        let first = try FolderSnapshot.files(in: fixture.folder.file("a")),
            second = try FolderSnapshot.files(in: fixture.folder.file("b"))
        #expect(Set(first.keys) == Set(second.keys))
        for (name, data) in first where !["run.json", "run-log.md", "run-log.html"].contains(name) {
            #expect(second[name] == data, "\(name) differs between two runs")
        }
    }

    @Test func parameterChangesAreRecorded() throws {
        let fixture = try SiteFixture()
        let first = try fixture.run()
        #expect(first.log.parameterChanges.isEmpty)
        let second = try fixture.run(["models.clusters=3"])
        #expect(second.log.parameterChanges == [RunLog.Change(key: "models.clusters", before: "4", after: "3")])
        let page = try String(
            contentsOfFile: (fixture.site as NSString).appendingPathComponent("run-log.md"), encoding: .utf8)
        #expect(page.contains("| models.clusters | 4 | 3 |"))
        #expect(second.log.stages.first { $0.name == "reduce pca" }?.status == .cached)
        #expect(second.log.stages.first { $0.name == "cluster pca" }?.status == .computed)
    }

    @Test func aFailedRunLeavesThePreviousSiteIntact() throws {
        let fixture = try SiteFixture()
        try fixture.run()
        let before = try FolderSnapshot.files(in: fixture.site)
        #expect(throws: ConfigError.self) {
            try fixture.run(["cluster_map.method=manual", "cluster_map.manual=[Happy, Sad, Nobody, Angry]"])
        }
        #expect(try FolderSnapshot.files(in: fixture.site) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path).filter {
            $0.contains("staging")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func textFromTheDataIsEscapedOnEveryPage() throws {
        let fixture = try SiteFixture(config: "")
        var random = SeededGenerator(seed: 4)
        let lines = (0..<120).map { row in
            "\(row % 3),\((0..<64).map { _ in String(random.below(256)) }.joined(separator: " "))"
        }
        try fixture.folder.write("data.csv", text: "emotion,pixels\n" + lines.joined(separator: "\n") + "\n")
        try expectEscaped(
            in: fixture,
            dataset: "{path: \(fixture.folder.file("data.csv")), width: 8, height: 8, "
                + "labels: [\"<script>alert(1)</script>\", \"a|b\", \"*x*\"]}",
            never: ["<script>alert"], escaped: "&lt;script&gt;alert(1)&lt;/script&gt;")
    }

    @Test func folderNamesFromTheDataAreEscapedOnEveryPage() throws {
        let fixture = try SiteFixture(config: "")
        let root = fixture.folder.file("<b>faces")
        var random = SeededGenerator(seed: 6)
        for label in ["<script>alert(1)", "calm & quiet", "plain"] {
            for index in 0..<40 {
                let image = GrayImage(width: 8, height: 8, pixels: (0..<64).map { _ in UInt8(random.below(256)) })
                _ = try fixture.folder.write("<b>faces/\(label)/face-\(index).png", bytes: try PNGCodec.encode(image))
            }
        }
        try expectEscaped(
            in: fixture, dataset: "{path: \"\(root)\"}", never: ["<script>alert", "<b>faces"],
            escaped: "&lt;script&gt;alert(1)")
    }

    /// Runs a small experiment on `dataset` (a YAML flow mapping) and checks
    /// that no page holds the `never` texts raw and the exploration page holds `escaped`.
    private func expectEscaped(in fixture: SiteFixture, dataset: String, never: [String], escaped: String) throws {
        try fixture.folder.write(
            "tiny.yaml",
            text: """
                name: escapes
                dataset: \(dataset)
                features: {compare: []}
                models: {clusters: 3, restarts: 1}
                grid: {enabled: false}
                figures: {scale: 1, scree_components: 4, eigenfaces: 2}
                images: {nearest: 2, random: 2}

                """)
        try fixture.run()
        for (name, data) in try FolderSnapshot.files(in: fixture.site)
        where name.hasSuffix(".html") || name.hasSuffix(".md") {
            let text = String(decoding: data, as: UTF8.self)
            for raw in never { #expect(!text.contains(raw), "\(name) contains \(raw) unescaped") }
            if name == "exploration.html" { #expect(text.contains(escaped)) }
        }
    }

    @Test func aMissingFER2013SaysWhereToGetIt() throws {
        let fixture = try SiteFixture(config: "dataset: {path: fer2013.csv}\n")
        do {
            try fixture.run()
            Issue.record("expected an error")
        } catch {
            let text = "\(error)"
            // The path is read from the config's folder, and named as read.
            #expect(text.hasPrefix(fixture.folder.file("fer2013.csv") + ": no such file or folder"), "\(text)")
            #expect(text.contains("kaggle.com") && text.contains("--data"))
        }
    }

    /// A folder of templates needs only the files it changes; a broken one is named with its line and the
    /// problem in words.
    @Test func brokenTemplatesAreNamedWithTheirLineAndTheProblem() throws {
        let folder = try TemporaryDirectory()
        try folder.write("exploration.md.mustache", text: "# Title\n\n{{#dataset.labels}}\nunclosed\n")
        let unclosed = #expect(throws: TemplateError.self) { try TemplateSet(directory: folder.path) }
        #expect(
            unclosed.map { "\($0)" } == folder.file("exploration.md.mustache")
                + ":5: a section is never closed: {{#name}} or {{^name}} needs its {{/name}}")
        try folder.write("exploration.md.mustache", text: "{{%CONTENT_TYPE:MARKDOWN}}\n# Mine\n")
        let templates = try TemplateSet(directory: folder.path)
        #expect(templates.files.place(of: "exploration.md.mustache") == folder.file("exploration.md.mustache"))
        #expect(templates.files.place(of: "index.md.mustache") == "built-in Templates/index.md.mustache")
        let missing = #expect(throws: TemplateError.self) { try TemplateSet(directory: folder.file("nowhere")) }
        #expect(missing.map { "\($0)" } == folder.file("nowhere") + ": no such templates folder")
    }

    /// The binary carries every file of the Templates folder, byte for byte.
    @Test func theBuiltInTemplatesAreTheTemplatesFolder() throws {
        let root = ProjectFiles.path("Templates")
        let names = try FileManager.default.subpathsOfDirectory(atPath: root).filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
        #expect(Set(BuiltInTemplates.files.keys) == Set(names))
        for name in names {
            #expect(
                BuiltInTemplates.files[name] == Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + name))))
        }
    }

    @Test func aTemplateNamingAValueOrFigureThatDoesNotExistFailsTheRun() throws {
        let fixture = try SiteFixture()
        try fixture.run()
        let published = try String(contentsOfFile: fixture.folder.file("site/first-model.md"), encoding: .utf8)
        let cases = [
            ("first-model.md.mustache", "{{silhouete}}", "{{silhouete}}"),
            ("features.md.mustache", "{{{figures.no_such_figure.markdown}}}", "{{figures.no_such_figure.markdown}}"),
            ("index.md.mustache", "{{#models}}{{titel}}{{/models}}", "{{titel}}"),
            ("layout.html.mustache", "{{experiment_name}}", "{{experiment_name}}"),
            // A section's name must exist too: figures a run does not draw are false, a misspelt one is unknown.
            ("features.md.mustache", "{{#figures.scre}}x{{/figures.scre}}", "{{figures.scre}}"),
            ("conclusions.md.mustache", "{{^findings.best_pixel}}x{{/findings.best_pixel}}", "{{findings.best_pixel}}"),
            // A choice among flags lists all its values: a misspelt one is not read as false.
            (
                "first-model.md.mustache", "{{#final}}{{#feature_kind.hogg}}x{{/feature_kind.hogg}}{{/final}}",
                "{{feature_kind.hogg}}"
            ),
            (
                "preprocessing.md.mustache", "{{^preprocessing.lit.tan_trigs}}x{{/preprocessing.lit.tan_trigs}}",
                "{{preprocessing.lit.tan_trigs}}"
            ),
            // A name inside a partial is checked where the partial is included, and named in the partial's file.
            ("partials/findings.md.mustache", "{{silhouete}}", "{{silhouete}}"),
            ("conclusions.md.mustache", "{{> no_such_partial}}", "{{> no_such_partial}}"),
            // A caption is checked against its figure's values, the figure snippet against every figure's.
            ("captions/nearest.md.mustache", "{{counnt}}", "{{counnt}}"),
            ("figure.md.mustache", "{{numbr}}", "{{numbr}}"),
            // The write-up may name only figures the run draws.
            (
                "writeup.md.mustache", "{{{writeup.figures.no_such_figure.markdown}}}",
                "{{writeup.figures.no_such_figure.markdown}}"
            ),
        ]
        for (index, (template, tag, named)) in cases.enumerated() {
            let templates = try Self.copyOfTemplates(in: fixture.folder, named: "case-\(index)")
            let path = templates + "/" + template
            let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
            // On the third line, so the line number is checked too.
            try (lines.prefix(2) + [tag] + lines.dropFirst(2)).joined(separator: "\n").write(
                toFile: path, atomically: true, encoding: .utf8)
            let text = Self.failure(of: fixture, templates: templates)
            #expect(text.hasPrefix(path + ":3:") && text.contains(named), "\(text)")
            // A slip gets the value it most likely meant, from the page's values.
            let meant = ["{{titel}}": "{{title}}", "{{counnt}}": "{{count}}", "{{numbr}}": "{{number}}"][named]
            if let meant { #expect(text.contains("did you mean \(meant)?"), "\(text)") }
        }
        // A caption without its caption line is named too.
        let templates = try Self.copyOfTemplates(in: fixture.folder, named: "no-caption")
        try "Only the alt text\n".write(
            toFile: templates + "/captions/random.md.mustache", atomically: true, encoding: .utf8)
        let text = Self.failure(of: fixture, templates: templates)
        #expect(text.hasPrefix(templates + "/captions/random.md.mustache: needs the alt text"), "\(text)")
        // The last good site is intact.
        #expect(try String(contentsOfFile: fixture.folder.file("site/first-model.md"), encoding: .utf8) == published)
    }

    /// A copy of the project's templates in `folder`.
    private static func copyOfTemplates(in folder: TemporaryDirectory, named name: String) throws -> String {
        let templates = folder.file("templates-\(name.replacingOccurrences(of: "/", with: "-"))")
        try FileManager.default.copyItem(atPath: ProjectFiles.path("Templates"), toPath: templates)
        return templates
    }

    /// The error of a run of `fixture`'s experiment with `templates`, as text.
    private static func failure(of fixture: SiteFixture, templates: String) -> String {
        let options = ExperimentRun.Options(
            configPath: fixture.folder.file("tiny.yaml"), overrides: [], outDirectory: fixture.site,
            cacheDirectory: fixture.cache, templatesDirectory: templates, force: false)
        let error = #expect(throws: TemplateError.self, "\(templates)") {
            try ExperimentRun.run(
                options, console: .init(note: { _ in }, computing: { _ in }, progress: { _, _, _ in }))
        }
        return error.map { "\($0)" } ?? ""
    }
}
