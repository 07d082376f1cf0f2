import FERTestSupport
import Foundation
import Testing

/// `ferlab` used from a folder that is not the project, as an installed binary is: what it prints, where it
/// writes, what it keeps, and its cache.
@Suite struct AnyFolderTests {
    /// A folder with the tiny experiment and its own cache home, so nothing lands in the user's.
    private static func workspace() throws -> (folder: TemporaryDirectory, environment: [String: String]) {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config)
        return (folder, ["XDG_CACHE_HOME": folder.file("cache-home")])
    }

    @Test func aCopiedBinaryRunsAnywhereWithItsTemplatesInsideAndWritesOnlyItsSiteHere() throws {
        let (folder, environment) = try Self.workspace()
        let binary = folder.file("bin/ferlab")
        try FileManager.default.createDirectory(atPath: folder.file("bin"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CommandRunner.executable.path, toPath: binary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "tiny.yaml", "--quiet"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(said)")
        #expect(said.isEmpty, "--quiet printed: \(said)")
        #expect(FileManager.default.fileExists(atPath: folder.file("ferlab-site/tiny/index.html")))
        #expect(FileManager.default.fileExists(atPath: folder.file("ferlab-site/tiny/writeup.md")))
        #expect(FileManager.default.fileExists(atPath: folder.file("cache-home/ferlab/history.jsonl")))
        #expect(!FileManager.default.fileExists(atPath: folder.file("Reports")))
        let here = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        #expect(Set(here) == ["bin", "cache-home", "ferlab-site", "tiny.yaml"])
    }

    @Test func aRunSaysWhatItComputesInOrderAndEndsWithTheHeadline() throws {
        let (folder, environment) = try Self.workspace()
        let outcome = try CommandRunner.run(["run", "tiny.yaml"], in: folder.path, environment: environment)
        #expect(outcome.status == 0, "\(outcome.errors)")
        let lines = outcome.errors.split(separator: "\n").map(String.init)
        let load = try #require(lines.firstIndex(of: "computing load"))
        let sample = try #require(lines.firstIndex(of: "computing sample"))
        #expect(load < sample)
        #expect(!outcome.errors.contains("status    seconds"), "the stage table is for --verbose")
        for start in ["final model ", "silhouette ", "held-out accuracy ", "NMI "] {
            #expect(lines.contains { $0.hasPrefix(start) }, "no '\(start)' line")
        }
        #expect(outcome.output == "site: ferlab-site/tiny/index.html\n")
        let verbose = try CommandRunner.run(
            ["run", "tiny.yaml", "--verbose"], in: folder.path, environment: environment)
        #expect(verbose.errors.contains("status    seconds") && !verbose.errors.contains("computing "))
    }

    @Test func mistypedCommandLinesAreSaidAsTheUserTypedThem() throws {
        let (folder, environment) = try Self.workspace()
        let space = try CommandRunner.run(
            ["run", "--set", "models.clusters", "5"], in: folder.path, environment: environment)
        #expect(space.status == 1)
        #expect(space.errors.contains("--set models.clusters: needs key=value"))
        let missing = try CommandRunner.run(
            ["run", "--data", "missing/fer.csv"], in: folder.path, environment: environment)
        #expect(missing.status == 1)
        #expect(
            missing.errors.hasPrefix(
                "ferlab: error: missing/fer.csv: no such file or folder (the path given with --data"),
            "\(missing.errors)")
        let typo = try CommandRunner.run(
            ["run", "tiny.yaml", "--set", "models.cluster=5"], in: folder.path, environment: environment)
        #expect(
            typo.errors.hasPrefix(
                "ferlab: error: --set models.cluster=5: models.cluster: is not a known key; did you mean clusters?"))
    }

    @Test func filesAUserPutsInTheSiteFolderAreKept() throws {
        let (folder, environment) = try Self.workspace()
        #expect(
            try CommandRunner.run(["run", "tiny.yaml", "-q"], in: folder.path, environment: environment).status == 0)
        try folder.write("ferlab-site/tiny/notes/mine.txt", text: "my notes\n")
        let again = try CommandRunner.run(["run", "tiny.yaml"], in: folder.path, environment: environment)
        #expect(again.status == 0)
        #expect(again.errors.contains("kept 1 item you added to ferlab-site/tiny: notes/"))
        #expect(
            try String(contentsOfFile: folder.file("ferlab-site/tiny/notes/mine.txt"), encoding: .utf8) == "my notes\n")
    }

    /// A prune removes what the last runs did not use, keeps the history, and never breaks a later run: the run
    /// after it gives the same site.
    @Test func pruningKeepsWhatRecentRunsUsedAndALaterRunGivesTheSameSite() throws {
        let (folder, environment) = try Self.workspace()
        func run(_ extra: [String]) throws {
            let outcome = try CommandRunner.run(
                ["run", "tiny.yaml", "-q", "--cache", "cache"] + extra, in: folder.path, environment: environment)
            #expect(outcome.status == 0, "\(outcome.errors)")
        }
        try run(["--set", "models.clusters=3", "--out", "three"])
        try run(["--out", "site"])
        let before = try FolderSnapshot.files(in: folder.file("site"))
        let shown = try CommandRunner.run(["cache", "--cache", "cache"], in: folder.path)
        #expect(shown.output.contains("2 runs in its history") && shown.output.contains("figure-nearest"))
        let dryRun = try CommandRunner.run(
            ["cache", "prune", "--cache", "cache", "--keep", "1", "--dry-run"], in: folder.path)
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.file("cache"))
        #expect(dryRun.output.contains("would remove") && !dryRun.output.contains("would remove 0 "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("cache")) == entries)
        let pruned = try CommandRunner.run(["cache", "prune", "--cache", "cache", "--keep", "1"], in: folder.path)
        #expect(pruned.status == 0 && pruned.output.hasPrefix("removed "))
        #expect(FileManager.default.fileExists(atPath: folder.file("cache/history.jsonl")))
        try run(["--out", "site"])
        let after = try FolderSnapshot.files(in: folder.file("site"))
        for (name, bytes) in before where !name.hasPrefix("run") {
            #expect(after[name] == bytes, "\(name) changed after the prune")
        }
        // A damaged history line is skipped with a warning; the other records still count.
        let history = folder.file("cache/history.jsonl")
        let text = try String(contentsOfFile: history, encoding: .utf8)
        try ("{not json\n" + text).write(toFile: history, atomically: true, encoding: .utf8)
        let damaged = try CommandRunner.run(["cache", "--cache", "cache"], in: folder.path)
        #expect(damaged.errors.contains("history.jsonl:1: not a run record; skipped"))
        #expect(damaged.output.contains("3 runs in its history"))
    }
}
