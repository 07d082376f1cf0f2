import FERTestSupport
import Foundation
import Testing

@testable import FERRun

/// Sweeps, the run history and the comparison site, through the `ferlab` executable in a folder of its own.
@Suite struct SweepTests {
    private static func workspace() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config)
        return folder
    }

    private static func json(_ path: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func aTwoByTwoSweepSharesItsStagesMatchesLoneRunsAndTabulatesEachPointsResults() throws {
        let folder = try Self.workspace()
        let sweep = try CommandRunner.run(
            [
                "run", "tiny.yaml", "--out", "sweep", "--cache", "cache", "--sweep", "models.clusters=3,4",
                "--sweep", "models.whiten=false,true",
            ], in: folder.path)
        #expect(sweep.status == 0, "\(sweep.errors)")
        let points = [
            "clusters-3_whiten-false", "clusters-3_whiten-true", "clusters-4_whiten-false", "clusters-4_whiten-true",
        ]
        #expect(sweep.errors.contains("point 1 of 4 (3 after it): clusters-3_whiten-false"))
        // Load and sample are computed once for the four points.
        var computed: [String: Int] = [:]
        for point in points {
            let stages = try #require(
                try Self.json(folder.file("sweep/\(point)/run.json"))["stages"] as? [[String: Any]])
            for stage in stages where stage["status"] as? String == "computed" {
                computed[stage["name"] as? String ?? "", default: 0] += 1
            }
        }
        #expect(computed["load"] == 1 && computed["sample"] == 1, "\(computed)")
        // A point's site is the site of a lone run with its parameters, but for the run log.
        let lone = try CommandRunner.run(
            [
                "run", "tiny.yaml", "-q", "--out", "lone", "--cache", "cache2", "--set", "models.clusters=4", "--set",
                "models.whiten=true",
            ], in: folder.path)
        #expect(lone.status == 0, "\(lone.errors)")
        let pointFiles = try FolderSnapshot.files(in: folder.file("sweep/clusters-4_whiten-true"))
        let loneFiles = try FolderSnapshot.files(in: folder.file("lone"))
        #expect(Set(pointFiles.keys) == Set(loneFiles.keys))
        for (name, bytes) in loneFiles where !name.hasPrefix("run") {
            #expect(pointFiles[name] == bytes, "\(name) differs from a lone run's")
        }
        // The sweep site's index compares the points: its table holds each point's numbers, as its results.json has
        // them, the accuracy with its interval.
        let table = try String(contentsOfFile: folder.file("sweep/index.md"), encoding: .utf8)
        for point in points {
            let results = try Self.json(folder.file("sweep/\(point)/results.json"))
            let final = try #require(
                (results["models"] as? [[String: Any]])?.first {
                    $0["name"] as? String == results["final_model"] as? String
                })
            let silhouette = String(format: "%.3f", try #require(final["silhouette"] as? Double))
            let accuracy = String(format: "%.1f%%", try #require(final["accuracy_hungarian"] as? Double) * 100)
            let row = try #require(
                table.split(separator: "\n").first {
                    $0.hasPrefix("| [")
                        && $0.contains("](\(point.replacingOccurrences(of: "_", with: "&#95;"))/index.html)")
                })
            #expect(
                row.contains("| \(silhouette) |") && row.contains("| \(accuracy) ("), "\(row) \(silhouette) \(accuracy)"
            )
        }
        // Two values of a parameter make no chart.
        #expect(!FileManager.default.fileExists(atPath: folder.file("sweep/figures")))
        #expect(table.contains("No charts: a chart shows a metric against a parameter that takes at least three"))
        // The same runs give the same comparison.
        let compare = try CommandRunner.run(
            ["compare"] + points.map { "sweep/\($0)" } + ["--out", "again"], in: folder.path)
        #expect(compare.status == 0, "\(compare.errors)")
        let again = try String(contentsOfFile: folder.file("again/index.md"), encoding: .utf8)
        #expect(again.contains("| 4 | true |") && again.contains("Best by Held-out accuracy"))
        let first = try FolderSnapshot.files(in: folder.file("again"))
        let repeated = try CommandRunner.run(
            ["compare"] + points.map { "sweep/\($0)" } + ["--out", "again"], in: folder.path)
        let second = try FolderSnapshot.files(in: folder.file("again"))
        #expect(repeated.status == 0 && second == first)

        // The history lists the runs newest first, with the parameters that vary.
        let runs = try CommandRunner.run(["runs", "--cache", "cache"], in: folder.path)
        let lines = runs.output.split(separator: "\n").filter { !$0.hasPrefix("(") }
        #expect(lines.count == 5 && lines[0].contains("models.clusters") && lines[0].contains("models.whiten"))
        #expect(lines.count == 5 && lines[1].contains("clusters-4_whit"), "\(runs.output)")
        let history = try CommandRunner.run(["runs", "tiny", "--cache", "cache", "--json"], in: folder.path)
        let records = try #require(
            try JSONSerialization.jsonObject(with: Data(history.output.utf8)) as? [[String: Any]])
        #expect(records.count == 4 && records.allSatisfy { ($0["metrics"] as? [String: Double])?["nmi"] != nil })
        let diff = try CommandRunner.run(
            ["diff", "sweep/clusters-3_whiten-false", "sweep/clusters-4_whiten-true", "--cache", "cache"],
            in: folder.path)
        #expect(diff.status == 0 && diff.output.contains("models.clusters: 3 -> 4"), "\(diff.output)\(diff.errors)")
        #expect(diff.output.contains("models.whiten: (default) -> true") && diff.output.contains("accuracy: "))
    }

    /// Runs named, tagged and noted, on the command line or in the config; the history fits 110 columns when it
    /// is not shown on a terminal, filters by tag, exports CSV, and lists sweep points by their names.
    @Test func namedTaggedRunsAreListedFilteredAndExported() throws {
        let folder = try Self.workspace()
        func run(_ arguments: [String]) throws {
            let outcome = try CommandRunner.run(
                ["run", "tiny.yaml", "-q", "--cache", "cache"] + arguments, in: folder.path)
            #expect(outcome.status == 0, "\(outcome.errors)")
        }
        try run(["--out", "first", "--name", "baseline", "--tag", "paper", "--note", "the notebooks' settings"])
        try run([
            "--out", "second", "--set", "run.tags=[long]",
            "--set",
            "features.compare=[{features: hog, reducer: pca, components: 10, whiten: true}, "
                + "{features: lbp, reducer: svd, components: 12, whiten: true}]",
        ])
        try run(["--out", "sweep", "--sweep", "models.clusters=3,4"])
        let log = try String(contentsOfFile: folder.file("first/run-log.md"), encoding: .utf8)
        #expect(log.contains("This run is called **baseline**, tagged paper.") && log.contains("Note: the notebooks"))
        let table = try CommandRunner.run(["runs", "--cache", "cache"], in: folder.path).output
        let lines = table.split(separator: "\n")
        #expect(lines.count >= 5 && lines.allSatisfy { $0.count <= 110 }, "\(table)")
        #expect(table.contains("baseline") && table.contains("clusters-3") && table.contains("clusters-4"), "\(table)")
        let wide = try CommandRunner.run(["runs", "--cache", "cache", "--wide"], in: folder.path).output
        #expect(wide.split(separator: "\n").contains { $0.count > 110 } && wide.contains("features.compare"))
        let tagged = try CommandRunner.run(["runs", "--cache", "cache", "--tag", "paper"], in: folder.path).output
        #expect(tagged.split(separator: "\n").filter { !$0.hasPrefix("(") }.count == 2 && tagged.contains("baseline"))
        let csv = try CommandRunner.run(["runs", "--cache", "cache", "--csv"], in: folder.path).output
        let rows = csv.split(separator: "\n")
        #expect(rows.count == 5 && rows[0].hasPrefix("#,time,experiment,name,tags,"))
        #expect(rows.last?.contains(",baseline,paper,") == true, "\(csv)")
        let diff = try CommandRunner.run(["diff", "1", "4", "--cache", "cache"], in: folder.path).output
        #expect(diff.contains("4: tiny \"baseline\"") && diff.contains("[paper]: the notebooks' settings"), "\(diff)")
        // For a review: Markdown tables, the intervals the sites give, links to the figures that changed.
        let markdown = try CommandRunner.run(
            ["diff", "first", "sweep/clusters-3", "--cache", "cache", "--format", "markdown"], in: folder.path
        ).output
        #expect(markdown.contains("| models.clusters | 4 | 3 |"), "\(markdown)")
        let accuracy = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| accuracy |") })
        #expect(accuracy.split(separator: "[").count == 3, "an interval for each run: \(accuracy)")
        #expect(markdown.contains("### Figures that changed") && markdown.contains("/first/figures/"))
        let json = try CommandRunner.run(
            ["diff", "first", "sweep/clusters-3", "--cache", "cache", "--format", "json"], in: folder.path)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let metrics = try #require(parsed["metrics"] as? [[String: Any]])
        #expect(metrics.contains { $0["key"] as? String == "nmi" && ($0["after_interval"] as? [Double])?.count == 2 })
        #expect(
            (parsed["parameters"] as? [[String: Any]])?.contains { $0["key"] as? String == "models.clusters" } == true)
        #expect(!json.output.contains("\\/"), "escaped slashes")
    }

    /// Parameter names shortened to fit keep their ends, so two keys of one section stay apart.
    @Test func shortenedParameterNamesKeepTheirEnds() {
        let records = (0..<2).map { index in
            RunHistory.Record(
                time: "2026-12-0\(index + 1)T10:00:00Z", experiment: "e", configHash: "",
                parameters: [
                    "dataset.synthetic.count": "\(200 + index)", "dataset.synthetic.seed": "\(index)",
                ], dataHash: "", metrics: [:], ferlabVersion: "", site: "", cacheEntries: [])
        }
        let header = RunTable.text(records, width: 80).split(separator: "\n")[0]
        #expect(header.contains("…ic.count") && header.contains("…tic.seed"), "\(header)")
    }

    /// A sweep into a plain run's site makes it the sweep's site, whose index compares and links every point (with a
    /// chart, the parameter taking three values); a plain run into it afterwards replaces the sweep site whole,
    /// keeping only the user's own file; nothing is left beside the folder.
    @Test func aSweepSiteIsOneSiteThatTheNextRunReplacesWhole() throws {
        let folder = try Self.workspace()
        func run(_ extra: [String]) throws -> CommandRunner.Outcome {
            let outcome = try CommandRunner.run(
                ["run", "tiny.yaml", "--out", "site", "--cache", "cache", "--set", "features.compare=[]"] + extra,
                in: folder.path)
            #expect(outcome.status == 0, "\(outcome.errors)")
            return outcome
        }
        _ = try run(["-q"])
        let notes = try folder.write("site/notes.txt", text: "mine")
        let points = ["clusters-3", "clusters-4", "clusters-5"]
        let sweep = try run(["-q", "--sweep", "models.clusters=3,4,5"])
        #expect(sweep.output.contains("comparison: site/index.html"), "\(sweep.output)")
        let index = try String(contentsOfFile: folder.file("site/index.md"), encoding: .utf8)
        for point in points {
            #expect(index.contains("[\(point)](\(point)/index.html)"), "\(point)")
            #expect(FileManager.default.fileExists(atPath: folder.file("site/\(point)/index.html")))
        }
        #expect(index.contains("runs of the experiment tiny, which differ"))
        #expect(
            FileManager.default.fileExists(
                atPath: folder.file("site/figures/accuracy-hungarian-by-models.clusters.png")))
        #expect(!FileManager.default.fileExists(atPath: folder.file("site/first-model.html")), "the plain run's page")
        let marker = try String(contentsOfFile: folder.file("site/.ferlab-site"), encoding: .utf8)
        #expect(points.allSatisfy { marker.contains("\n  \($0)/\n") }, "\(marker)")
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "mine")
        // The next plain run replaces the sweep site whole: only the user's file is kept, and said to be.
        let plain = try run([])
        let kept = plain.errors.split(separator: "\n").filter { $0.contains("you added") }
        #expect(kept.count == 1 && kept[0].contains("kept 1 item") && kept[0].contains("notes.txt"), "\(plain.errors)")
        #expect(points.allSatisfy { !FileManager.default.fileExists(atPath: folder.file("site/\($0)")) })
        #expect(FileManager.default.fileExists(atPath: folder.file("site/first-model.html")))
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "mine")
        let beside = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(
            !beside.contains { $0.hasSuffix(".lock") || $0.contains(".staging-") || $0.contains(".old-") }, "\(beside)")
    }

    @Test func aFailingPointIsReportedAndTheOthersStillPublish() throws {
        let folder = try Self.workspace()
        // With six images per label there are too few images for 60 clusters: that point is refused.
        let sweep = try CommandRunner.run(
            [
                "run", "tiny.yaml", "-q", "--out", "sweep", "--cache", "cache", "--set", "preprocessing.per_class=6",
                "--set", "features.compare=[]", "--sweep", "models.clusters=3,60",
            ], in: folder.path)
        #expect(sweep.status == 1)
        #expect(sweep.errors.contains("1 of 2 sweep points failed"), "\(sweep.errors)")
        #expect(FileManager.default.fileExists(atPath: folder.file("sweep/clusters-3/index.html")))
        #expect(!FileManager.default.fileExists(atPath: folder.file("sweep/clusters-60")))
        let index = try String(contentsOfFile: folder.file("sweep/index.md"), encoding: .utf8)
        #expect(index.contains("These runs failed and have no site:\n- clusters-60: "), "\(index)")
        // A misspelt swept key stops the sweep before any point runs.
        let typo = try CommandRunner.run(
            ["run", "tiny.yaml", "--out", "typo", "--cache", "cache", "--sweep", "models.cluster=3,4"], in: folder.path)
        #expect(typo.status == 1 && typo.errors.contains("did you mean clusters?"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("typo")))
    }
}
