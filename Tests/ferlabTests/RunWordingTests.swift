import FERTestSupport
import Foundation
import Testing

/// The pages of runs other than the defaults say what those runs did, and
/// no more: one reducer, no compared settings, a manual map, no grid.
@Suite struct RunWordingTests {
    /// The Markdown pages of a run of the tiny experiment with `settings`, by file name.
    private func pages(_ settings: [String]) throws -> [String: String] {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config)
        let outcome = try CommandRunner.run(
            [
                "run", "tiny.yaml", "--out", folder.file("site"), "--cache", folder.file("cache"), "--templates",
                ProjectFiles.path("Templates"),
            ] + settings.flatMap { ["--set", $0] }, in: folder.path)
        try #require(outcome.status == 0, "\(outcome.errors)")
        var pages: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.file("site"))
        where name.hasSuffix(".md") || name == "results.json" || name == "images.csv" {
            pages[name] = try String(contentsOfFile: folder.file("site/\(name)"), encoding: .utf8)
        }
        for (name, text) in pages where name.hasSuffix(".md") { Self.expectNoHoles(text, page: name) }
        return pages
    }

    /// A value a page's template expected and the run lacks leaves a hole: an empty list or name, a dangling
    /// mark. Table rows are left out (an empty cell is fine there).
    private static func expectNoHoles(_ page: String, page name: String) {
        let holes = try? NSRegularExpression(pattern: #"\{\{|\}\}| [.,;:](\s|$)|\(\)|\(, |\w  \w|\*\*\*\*"#)
        for line in page.split(separator: "\n") where !line.hasPrefix("|") {
            let text = String(line)
            let found = holes?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
            #expect(found == nil, "\(name): a hole in \"\(text.prefix(300))\"")
        }
    }

    @Test func oneReducerNoComparisonAManualMapAndNoGridAreSaidAsSuch() throws {
        let pages = try pages([
            "models.reducers=[pca]", "features.compare=[]", "grid.enabled=false", "cluster_map.method=manual",
            "cluster_map.manual=[Happy, Sad, Angry, Neutral]",
        ])
        let firstModel = try #require(pages["first-model.md"]), overview = try #require(pages["index.md"])
        let conclusions = try #require(pages["conclusions.md"])
        #expect(firstModel.contains("this run fits PCA alone"), "\(firstModel.prefix(1500))")
        #expect(!firstModel.contains("both are here"))
        #expect(!overview.contains("pixels, HOG and LBP compared"))
        #expect(overview.contains("this run compares no other settings"))
        #expect(conclusions.contains("| Manual (configured, used below) |"))
        #expect(!conclusions.contains("| manual"), "a map named twice, in two spellings")
        // Every held-out accuracy and NMI is given with its interval, in results.json beside the number.
        let resultsText = try #require(pages["results.json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(resultsText.utf8))
        let results = try #require(parsed as? [String: Any])
        for model in try #require(results["models"] as? [[String: Any]]) {
            for metric in ["accuracy", "accuracy_hungarian", "accuracy_majority", "nmi"] {
                let value = try #require(model[metric] as? Double)
                let interval = try #require(model["\(metric)_interval"] as? [Double], "\(metric)")
                #expect(interval.count == 2 && interval[0] <= interval[1])
                if metric != "nmi" { #expect(interval[0] <= value && value <= interval[1], "\(metric)") }
            }
        }
        let second = try #require(results["second_model"] as? [String: Any])
        #expect((second["from_clusters_interval"] as? [Double])?.count == 2)
        let ranges = try NSRegularExpression(pattern: #"\([0-9.]+-[0-9.]+%?\)"#)
        for line in overview.split(separator: "\n") where line.hasPrefix("| pixels, PCA") {
            let text = String(line)
            #expect(ranges.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text)) == 3, "\(line)")
        }
        #expect(overview.components(separatedBy: "(95% interval) |").count == 4)
    }

    @Test func theHungarianMapIsOneRowAndABestPixelSettingIsNotRepeated() throws {
        let pages = try pages(["features.compare=[{features: pixels, reducer: pca, components: 2}]"])
        let conclusions = try #require(pages["conclusions.md"]), overview = try #require(pages["index.md"])
        #expect(conclusions.contains("| Hungarian (best one-to-one), used below |"))
        #expect(!conclusions.contains("| hungarian"))
        #expect(!overview.contains("raw pixels at best"), "the best setting is the pixels one: no repeat")
    }

    @Test func aFolderOfSubjectsFittedWithTruncatedSVDAloneSaysSo() throws {
        let folder = try PosedSequences.make()
        let pages = try pages([
            "dataset.path=\(folder.path)", "models.reducers=[svd]", "models.final=svd", "split.method=fraction",
            "split.test_fraction=0.2", "split.groups={pattern: '\(PosedSequences.subjectPattern)'}",
        ])
        let firstModel = try #require(pages["first-model.md"]), preprocessing = try #require(pages["preprocessing.md"])
        #expect(firstModel.contains("this run fits TruncatedSVD alone"))
        #expect(!firstModel.contains("eigenface") && !firstModel.contains("both are here"))
        #expect(preprocessing.contains("**30 groups** of 8 to 8 images"))
        #expect(preprocessing.contains("no group has images on both sides"))
        #expect(preprocessing.contains("### Near-copies across the split"))
        let exploration = try #require(pages["exploration.md"]), overview = try #require(pages["index.md"])
        #expect(exploration.contains("| Groups | 30 named by {pattern: "), "\(exploration.prefix(1200))")
        #expect(overview.contains("bootstrap over the held-out groups, drawn whole"))
        let table = try #require(pages["images.csv"])
        #expect(table.split(separator: "\n").first?.contains(",split,group,cluster,") == true)
    }
}
