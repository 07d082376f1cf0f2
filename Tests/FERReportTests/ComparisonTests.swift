import Foundation
import Testing

@testable import FERReport

/// The comparison of runs: which charts it draws, and what its page says and shows, from runs made here.
@Suite struct ComparisonTests {
    /// A run of `experiment` with these values (every other value shared), an accuracy and its interval.
    private static func run(
        _ name: String, experiment: String = "sweep", path: String = "faces.csv", values: [String: String] = [:],
        accuracy: Double = 0.2
    ) -> ComparisonSite.Run {
        var parameters = [
            "dataset.path": path, "experiment": experiment, "models.restarts": "10", "data": "\(path), 700 images",
        ]
        parameters.merge(values) { $1 }
        return ComparisonSite.Run(
            name: name, experiment: experiment, tags: [], link: "\(name)/index.html",
            parametersLink: "\(name)/run-log.html#parameters", parameters: parameters,
            metrics: ["accuracy_hungarian": accuracy, "silhouette": 0.3, "nmi": 0.02, "chance_uniform": 1 / 7],
            intervals: ["accuracy_hungarian": (accuracy - 0.03)...(accuracy + 0.03)], seedRange: nil)
    }

    @Test func aChartOnlyWhereAParameterTakesThreeValuesWhileTheOthersStay() {
        var runs: [ComparisonSite.Run] = []
        for clusters in [3, 4, 5] {
            for whiten in [false, true] {
                runs.append(
                    Self.run(
                        "c\(clusters)-w\(whiten)",
                        values: ["models.clusters": "\(clusters)", "models.whiten": "\(whiten)"]))
            }
        }
        // Two runs of other data: two cluster counts there, so no line of their own, and never joined to the others.
        for clusters in [3, 4] {
            runs.append(
                Self.run(
                    "other\(clusters)", path: "/data/other.csv",
                    values: ["models.clusters": "\(clusters)", "models.whiten": "false"]))
        }
        let columns = ComparisonSite.columns(runs)
        #expect(columns.varying == ["data", "dataset.path", "models.clusters", "models.whiten"])
        let plans = ComparisonSite.chartPlans(runs, varying: columns.varying)
        #expect(plans.map(\.parameter) == ["models.clusters"])
        #expect(plans.first?.categories == ["3", "4", "5"] && plans.first?.legendTitle == "models.whiten")
        #expect(plans.first?.lines.map(\.name) == ["false", "true"])
        #expect(
            plans.first?.lines.allSatisfy { $0.runs.allSatisfy { $0.parameters["dataset.path"] == "faces.csv" } }
                == true)

        // Three paths, three experiments, or a list, each with the rest fixed: never a chart.
        let paths = ["/a/faces.csv", "/b/faces.csv", "/c/faces.csv"].map { Self.run($0, path: $0) }
        #expect(ComparisonSite.chartPlans(paths, varying: ComparisonSite.columns(paths).varying).isEmpty)
        let experiments = ["default", "seed-v1", "features"].map { Self.run($0, experiment: $0) }
        #expect(ComparisonSite.chartPlans(experiments, varying: ["experiment"]).isEmpty)
        let lists = ["[a, b]", "[a]", "[]"].map { Self.run($0, values: ["features.compare": $0]) }
        #expect(ComparisonSite.chartPlans(lists, varying: ["features.compare"]).isEmpty)
    }

    @Test func runsOfSeveralExperimentsMakeAPageThatSaysWhatItComparesAndFoldsWhatIsLong() throws {
        let list = "[" + (1...14).map { "setting \($0), PCA \($0 * 5), whitened" }.joined(separator: ", ") + "]"
        let runs = [
            Self.run(
                "default", experiment: "default", path: "synthetic", values: ["features.compare": list], accuracy: 0.148
            ),
            Self.run(
                "seed-v1", experiment: "seed-v1", path: "/home/someone/data/fer2013.csv.gz",
                values: ["features.compare": "[]"]),
            Self.run(
                "features", experiment: "features", path: "/home/someone/data/fer2013.csv.gz",
                values: ["features.compare": list]),
        ]
        let files = try ComparisonSite.files(
            runs: runs, failures: [.init(name: "clusters-60", reason: "too few images")], title: "three",
            by: "accuracy_hungarian", templates: try TemplateSet(directory: nil))
        let markdown = String(decoding: try #require(files["index.md"]), as: UTF8.self)
        #expect(markdown.contains("3 runs of the experiments default, seed-v1 and features, which differ"))
        #expect(markdown.contains("They did not all read the same images"))
        #expect(markdown.contains("- clusters-60: too few images"))
        // Metrics with their intervals; long values folded to a link to the run's every parameter.
        #expect(markdown.contains("| 14.8% (11.8-17.8%) |"), "\(markdown)")
        #expect(markdown.contains("[…/fer2013.csv.gz](seed-v1/run-log.html&#35;parameters)"))
        #expect(markdown.contains("[&#91;setting 1, PCA 5, w…](features/run-log.html&#35;parameters)"))
        #expect(!markdown.contains("setting 14"))
        // The values every run shares are listed once, below, and are not columns.
        #expect(markdown.contains("The value every run shares:"))
        #expect(markdown.contains("| models.restarts | 10 |"))
        let header = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| Run |") })
        #expect(!header.contains("models.restarts") && header.contains("features.compare"))
        #expect(markdown.contains("No charts:") && !files.keys.contains { $0.hasPrefix("figures/") })
        // In HTML: a table whose shared columns are marked for the toggle, and folded values.
        let html = String(decoding: try #require(files["index.html"]), as: UTF8.self)
        #expect(html.contains("<table>") && !html.contains("| Run |"))
        #expect(html.contains("<span class=\"shared\">models.restarts</span>"))
        #expect(html.contains("<details><summary>…/fer2013.csv.gz</summary>/home/someone/data/fer2013.csv.gz"))
        #expect(html.contains("<small class=\"interval\">11.8-17.8%</small>"))
        #expect(files["comparison.js"] != nil && html.contains("<script src=\"comparison.js\"></script>"))
    }
}
