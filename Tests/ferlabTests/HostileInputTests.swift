import FERCodecs
import FERTestSupport
import Foundation
import Testing

/// Input built to exhaust FERLab (numbers past every range, data that
/// inflates without end, configs that expand without end, templates that
/// include themselves): each must end in one line naming the problem and
/// exit status 1 within seconds, never a signal.
@Suite struct HostileInputTests {
    /// The error of `outcome`: exit status 1 with one `ferlab: error:` line that says `text`.
    private func refused(_ outcome: CommandRunner.Outcome, saying text: String, _ comment: Comment) {
        #expect(outcome.status == 1, "\(comment): exit \(outcome.status): \(outcome.errors.prefix(500))")
        #expect(
            outcome.errors.contains("ferlab: error: ") && outcome.errors.contains(text),
            "\(comment): \(outcome.errors.prefix(2000))")
    }

    private func gzip(_ text: String) -> [UInt8] {
        Array(text.utf8).withUnsafeBytes { Gzip.compress($0) }
    }

    @Test func aUsageColumnOfSeventyThousandValuesIsRefusedWithItsLine() throws {
        let folder = try TemporaryDirectory()
        let pixels = CSVFixture.pixelField(CSVFixture.gradient(side: 4))
        var text = "emotion,pixels,Usage\n"
        for row in 0..<70_000 { text += "\(row % 7),\(pixels),split\(row)\n" }
        let path = try folder.write("usages.csv", text: text)
        refused(try CommandRunner.run(["inspect", path]), saying: "more than 1000 distinct values", "Usage")
    }

    @Test func aGzipOfEmptyLinesStopsEarlyUnderAMemoryCap() throws {
        let folder = try TemporaryDirectory()
        // 5 GiB of newlines once inflated, in members of 1 MiB: about 5 MB on disk.
        let member = [UInt8](repeating: UInt8(ascii: "\n"), count: 1 << 20).withUnsafeBytes { Gzip.compress($0) }
        var bytes = gzip("emotion,pixels\n")
        for _ in 0..<5120 { bytes += member }
        let path = try folder.write("blank.csv.gz", bytes: bytes)
        let start = Date()
        refused(
            try CommandRunner.run(["inspect", path], memoryLimit: 1_000_000), saying: "more than 100000 empty lines",
            "empty lines")
        #expect(Date().timeIntervalSince(start) < 30)
    }

    @Test func aHeaderOfTenMegabytesGetsAShortMessage() throws {
        let folder = try TemporaryDirectory()
        let header = (0..<1_000_000).map { "col\($0)" }.joined(separator: ",")
        let path = try folder.write("wide.csv", text: header + "\n0,1 2 3\n")
        let outcome = try CommandRunner.run(["inspect", path])
        refused(outcome, saying: "no 'emotion' column", "wide header")
        #expect(outcome.errors.utf8.count < 1000, "\(outcome.errors.utf8.count) bytes of message")
    }

    @Test func sweepsAndConfigsTooLargeToBuildAreRefusedBeforeBuilding() throws {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config)
        let axes = (0..<10).flatMap { index in
            ["--sweep", "models.restarts=" + (1...10).map { "\($0 + index)" }.joined(separator: ",")]
        }
        let run = ["run", "tiny.yaml", "--out", folder.file("site"), "--cache", folder.file("cache")]
        let start = Date()
        refused(try CommandRunner.run(run + axes, in: folder.path), saying: "a sweep runs at most 1000", "10^10 points")
        // Aliases of aliases: nine values, each standing for nine more, ten deep.
        var yaml = "name: bomb\na0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9]\n"
        for level in 1...10 {
            yaml +=
                "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        yaml += "sweep: {seed: *a10}\n"
        try folder.write("bomb.yaml", text: yaml)
        refused(
            try CommandRunner.run(["run", "bomb.yaml", "--out", folder.file("site")], in: folder.path),
            saying: "values once its YAML aliases", "alias bomb")
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test func aSweepWillNotScatterItsPointsIntoAUsersFolder() throws {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config)
        try folder.write("papers/thesis.tex", text: "mine\n")
        refused(
            try CommandRunner.run(
                ["run", "tiny.yaml", "--out", folder.file("papers"), "--sweep", "models.clusters=3,4"], in: folder.path),
            saying: "is a folder FERLab did not make", "sweep root")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("papers")) == ["thesis.tex"])
    }

    @Test func aConfigThatIsAListCannotTakeASet() throws {
        let folder = try TemporaryDirectory()
        try folder.write("list.yaml", text: "- name: x\n- models: {}\n")
        let outcome = try CommandRunner.run(["run", "list.yaml", "--set", "models.clusters=5"], in: folder.path)
        refused(outcome, saying: "list.yaml: is not a mapping of keys to values (it is a list)", "a list")
        #expect(!outcome.errors.contains("inside ,"))
    }

    @Test func aPartialThatIncludesItselfIsNamed() throws {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config)
        try folder.write("mine/partials/loop.md.mustache", text: "Again:\n{{> echo}}\n")
        try folder.write("mine/partials/echo.md.mustache", text: "{{> loop}}\n")
        let outcome = try CommandRunner.run(
            ["run", "tiny.yaml", "--templates", "mine", "--out", folder.file("site"), "--cache", folder.file("cache")],
            in: folder.path)
        refused(outcome, saying: "includes itself (", "a loop of partials")
        #expect(outcome.errors.contains("partials/"), "\(outcome.errors)")
    }

    @Test func aLandmarkModelThatIsNotAFileIsSaidToBeNone() throws {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config)
        let pipe = folder.file("model.dat")
        #expect(mkfifo(pipe, 0o644) == 0)
        for model in ["/dev/zero", pipe] {
            refused(
                try CommandRunner.run(
                    [
                        "run", "tiny.yaml", "--set", "models.features=landmarks", "--set",
                        "features.landmarks.model=\(model)", "--out", folder.file("site"), "--cache",
                        folder.file("cache"),
                    ], in: folder.path),
                saying: "\(model): is not a regular file", "\(model)")
        }
    }

    @Test func aUsageSplitThatHoldsOutEveryRowSaysSo() throws {
        let folder = try TemporaryDirectory()
        let pixels = (0..<70).map { row in CSVFixture.pixelField(CSVFixture.gradient().map { $0 &+ UInt8(row) }) }
        let text =
            "emotion,pixels,Usage\n"
            + pixels.enumerated().map { "\($0 % 7),\($1),PrivateTest" }
            .joined(separator: "\n") + "\n"
        let path = try folder.write("all-test.csv", text: text)
        refused(
            try CommandRunner.run(
                [
                    "run", "--data", path, "--set", "split.method=usage", "--out", folder.file("site"), "--cache",
                    folder.file("cache"),
                ], in: folder.path),
            saying: "split.test_usage: holds out every used row", "all held out")
    }
}

/// Model files edited by hand: every number is checked against what a config accepts before it is used.
@Suite struct EditedModelFileTests {
    @Test func numbersOutsideTheirRangesAreRefusedNamingTheFile() throws {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config)
        let run = try CommandRunner.run(
            [
                "run", "tiny.yaml", "--set", "models.features=hog", "--out", folder.file("site"), "--cache",
                folder.file("cache"), "--templates", ProjectFiles.path("Templates"),
            ], in: folder.path)
        try #require(run.status == 0, "\(run.errors)")
        let model = try String(contentsOfFile: folder.file("site/model.ferlab"), encoding: .utf8)
        try Data(try PNGCodec.encode(GrayImage(width: 48, height: 48, pixels: CSVFixture.gradient())))
            .write(to: URL(fileURLWithPath: folder.file("face.png")))
        /// `model` with the first match of `pattern` (a regular expression) replaced by `replacement`.
        func edited(_ pattern: String, _ replacement: String) throws -> String {
            let range = try #require(model.range(of: pattern, options: .regularExpression), "\(pattern)")
            return model.replacingCharacters(in: range, with: replacement)
        }
        let cases: [(name: String, text: String, problem: String, json: Bool)] = [
            ("wide", try edited("\"width\":48", "\"width\":8589934592"), "image size", false),
            ("classes", try edited("\"classes\":[0-9]+", "\"classes\":4611686018427387904"), "damaged", false),
            ("features", try edited("\"features\":[0-9]+,", "\"features\":9223372036854775807,"), "damaged", false),
            ("cell", try edited("\"cell\":6", "\"cell\":0"), "HOG's cell 0", false),
            ("weights", try edited("\"parameters\":\\[[-0-9.e]+", "\"parameters\":[1e308"), "weights", true),
        ]
        for (name, text, problem, json) in cases {
            try folder.write("\(name).ferlab", text: text)
            let outcome = try CommandRunner.run(
                ["predict", "\(name).ferlab", "face.png"] + (json ? ["--format", "json"] : []), in: folder.path)
            #expect(outcome.status == 1, "\(name): exit \(outcome.status)")
            #expect(
                outcome.errors.hasPrefix("ferlab: error: \(name).ferlab: ") && outcome.errors.contains(problem)
                    && !outcome.errors.contains("NSCocoaErrorDomain"),
                "\(name): \(outcome.errors)")
        }
    }
}
