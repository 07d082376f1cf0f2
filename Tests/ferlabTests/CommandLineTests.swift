import FERRun
import FERTestSupport
import Foundation
import Testing

/// The `ferlab` executable as a user meets it: exit status, output and error text.
@Suite struct CommandLineTests {
    private let pixels = CSVFixture.pixelField(CSVFixture.gradient())

    @Test func helpDescribesEveryCommand() throws {
        let top = try CommandRunner.run(["--help"])
        #expect(top.status == 0)
        #expect(top.output.contains("inspect"))
        #expect(top.output.contains("synth"))
        #expect(top.output.contains("predict"))
        for command in ["inspect", "synth", "predict"] {
            let help = try CommandRunner.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.output.contains("USAGE: ferlab \(command)"))
        }
    }

    /// A slip on the command line or in a config is answered with what was most likely meant, before any work.
    @Test func slipsAreAnsweredWithWhatWasMeant() throws {
        let folder = try TemporaryDirectory()
        try folder.write("top.yaml", text: "clusters: 5\n")
        try folder.write("dotted.yaml", text: "models.clusters: 5\n")
        try folder.write("twice.yaml", text: "models:\n  clusters: 5\n  seed: 1\n  clusters: 6\n")
        func errors(_ arguments: [String]) throws -> String {
            let outcome = try CommandRunner.run(arguments + ["--out", "site"], in: folder.path)
            #expect(outcome.status == 1)
            return outcome.errors
        }
        #expect(
            try errors(["run", "top.yaml"]).hasPrefix(
                "ferlab: error: top.yaml:1: clusters: is not a known key; did you mean models: {clusters: 5} "
                    + "(--set models.clusters=5)? Or grid.clusters?"))
        #expect(
            try errors(["run", "dotted.yaml"]).hasPrefix(
                "ferlab: error: dotted.yaml:1: models.clusters: is not a known key; did you mean models: {clusters: 5}")
        )
        #expect(
            try errors(["run", "twice.yaml"])
                == "ferlab: error: twice.yaml:2: gives clusters twice (lines 2 and 4); keep one\n")
        #expect(try errors(["rnu"]).hasPrefix("ferlab: error: rnu is not a ferlab command; did you mean run?"))
        #expect(
            try errors(["run", "--sweep", "clusters=5,7"]).hasPrefix(
                "ferlab: error: --sweep clusters=5,7: clusters: is not a known key; did you mean models: {clusters: 5}")
        )
        #expect(
            try errors(["run", "--sweep", "models.clusters=3,4", "--by", "nmii"]).hasPrefix(
                "ferlab: error: --by nmii: is not a compared metric; did you mean nmi?"))
        #expect(
            !FileManager.default.fileExists(atPath: folder.file("site")), "a point ran before the options were checked")
        let help = try CommandRunner.run(["run", "--help"]).output.split(separator: "\n")
        let out = try #require(help.firstIndex { $0.contains("--out <dir>") })
        let words = help[out...].prefix(2).joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(words.contains("The site folder (default: Reports/_site/<name> in a FERLab project"), "\(words)")
    }

    /// Run from a folder inside a FERLab project, the outputs go to the project's Reports, as git finds its
    /// repository; outside one, they stay where the run is.
    @Test func aRunInsideAProjectWritesToTheProjectsReports() throws {
        let folder = try TemporaryDirectory()
        for made in ["Templates", "Reports", "Sources/Deep"] {
            try FileManager.default.createDirectory(atPath: folder.file(made), withIntermediateDirectories: true)
        }
        try folder.write("Package.swift", text: "// a project\n")
        let inside = OutputLocations(folder: folder.file("Sources/Deep"), environment: [:])
        #expect(inside.site(experiment: "e") == folder.file("Reports") + "/_site/e")
        #expect(inside.cache == folder.file("Reports") + "/_cache")
        #expect(OutputLocations(folder: folder.path, environment: [:]).site(experiment: "e") == "Reports/_site/e")
        let elsewhere = try TemporaryDirectory()
        #expect(OutputLocations(folder: elsewhere.path, environment: [:]).site(experiment: "e") == "ferlab-site/e")
    }

    @Test func inspectPrintsTheSummary() throws {
        let directory = try TemporaryDirectory()
        try directory.write("faces.csv", text: "emotion,pixels,Usage\n3,\(pixels),Training\n1,\(pixels),PublicTest\n")
        let result = try CommandRunner.run(["inspect", "faces.csv"], in: directory.path)
        #expect(result.status == 0)
        #expect(result.output.contains("rows           2"))
        #expect(result.output.contains("1 Disgust"))
        #expect(result.errors.isEmpty)
    }

    @Test func inspectJSON() throws {
        let directory = try TemporaryDirectory()
        try directory.write("faces.csv", text: "emotion,pixels\n3,\(pixels)\n")
        let result = try CommandRunner.run(["inspect", "--json", "faces.csv"], in: directory.path)
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(json?["rows"] as? Int == 1)
        #expect((json?["labels"] as? [[String: Any]])?.count == 7)
    }

    @Test func badDataFailsWithFileLineAndProblem() throws {
        let directory = try TemporaryDirectory()
        try directory.write("bad.csv", text: "emotion,pixels\n3,\(pixels)\n3,1 2 3\n")
        let result = try CommandRunner.run(["inspect", "bad.csv"], in: directory.path)
        #expect(result.status == 1)
        #expect(result.errors == "ferlab: error: bad.csv:3: pixels has 3 values, expected 2304\n")
        #expect(result.output.isEmpty)
    }

    @Test func missingFileFails() throws {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run(["inspect", "fer2013.csv"], in: directory.path)
        #expect(result.status == 1)
        #expect(result.errors.contains("fer2013.csv: no such file or folder"))
    }

    @Test func badOptionsAreRefusedBeforeWork() throws {
        let result = try CommandRunner.run(["synth", "--count", "0"])
        #expect(result.status != 0)
        #expect(result.errors.contains("--count must be between 1 and 1000000"))
    }

    @Test func synthWritesAReadableDatasetAndPreview() throws {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run(
            [
                "synth", "--count", "40", "--seed", "3", "-o", "s.csv.gz",
                "--preview", "grid.png",
            ], in: directory.path)
        #expect(result.status == 0)
        #expect(result.errors.contains("wrote 40 faces to s.csv.gz"))
        #expect(FileManager.default.fileExists(atPath: directory.file("grid.png")))
        let inspect = try CommandRunner.run(["inspect", "s.csv.gz"], in: directory.path)
        #expect(inspect.status == 0)
        #expect(inspect.output.contains("rows           40"))
        #expect(inspect.output.contains("Training    32"))
    }

    @Test func synthWithOnlyAPreviewWritesOnlyThePreview() throws {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run(["synth", "--count", "30", "--preview", "grid.png"], in: directory.path)
        #expect(result.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["grid.png"])
        let plain = try CommandRunner.run(["synth", "--count", "30"], in: directory.path)
        #expect(plain.status == 0 && FileManager.default.fileExists(atPath: directory.file("synthetic.csv")))
    }

    @Test func synthIsDeterministic() throws {
        let directory = try TemporaryDirectory()
        _ = try CommandRunner.run(["synth", "--count", "25", "-o", "a.csv"], in: directory.path)
        _ = try CommandRunner.run(["synth", "--count", "25", "-o", "b.csv"], in: directory.path)
        let a = try Data(contentsOf: URL(fileURLWithPath: directory.file("a.csv")))
        let b = try Data(contentsOf: URL(fileURLWithPath: directory.file("b.csv")))
        #expect(!a.isEmpty && a == b)
    }
}

/// `ferlab run` and `ferlab serve` as a user meets them.
@Suite struct RunCommandTests {
    @Test func runAndServeHaveUsefulHelp() throws {
        let run = try CommandRunner.run(["run", "--help"])
        #expect(run.status == 0)
        for option in ["--data", "--set", "--out", "--force", "--watch"] { #expect(run.output.contains(option)) }
        let serve = try CommandRunner.run(["serve", "--help"])
        #expect(serve.status == 0 && serve.output.contains("--port") && serve.output.contains("--open"))
    }

    @Test func aBadConfigStopsWithItsPathAndLine() throws {
        let directory = try TemporaryDirectory()
        try directory.write("exp.yaml", text: "models:\n  clusters: many\n")
        let result = try CommandRunner.run(
            ["run", "exp.yaml", "--templates", ProjectFiles.path("Templates")], in: directory.path)
        #expect(result.status == 1)
        #expect(
            result.errors.contains(
                "ferlab: error: exp.yaml:2: models.clusters: must be an integer from 2 to 64, not \"many\""))
        #expect(!FileManager.default.fileExists(atPath: directory.file("Reports/_site")))
    }

    /// In a FERLab project folder (a clone's layout), sites and the cache go under Reports/.
    @Test func aRunInAProjectFolderWritesUnderReportsAndListsItsStagesWhenVerbose() throws {
        let directory = try TemporaryDirectory()
        try directory.write("Package.swift", text: "// a FERLab clone\n")
        try FileManager.default.createDirectory(atPath: directory.file("Templates"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.file("Reports"), withIntermediateDirectories: true)
        let result = try CommandRunner.run(
            [
                "run", "--verbose", "--set", "dataset.synthetic.count=140",
                "--set", "grid.enabled=false", "--set", "models.restarts=1", "--set", "figures.scree_components=4",
                "--set", "figures.eigenfaces=2", "--set", "figures.scale=1", "--set", "report.pdf=false",
            ], in: directory.path)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == "site: Reports/_site/default/index.html\n")
        #expect(result.errors.split(separator: "\n").contains { $0.hasPrefix("load ") && $0.contains(" computed ") })
        #expect(FileManager.default.fileExists(atPath: directory.file("Reports/_site/default/index.html")))
        #expect(FileManager.default.fileExists(atPath: directory.file("Reports/_cache")))
    }

    @Test func servingNothingIsAnError() throws {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run(["serve", "nowhere"], in: directory.path)
        #expect(result.status == 1)
        #expect(result.errors.contains("nowhere: no report site here"))
    }
}
