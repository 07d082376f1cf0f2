import FERCore
import FERData
import FERStages
import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment

/// A user's program as a step: run once on the images and cached, run again
/// when its script changes, and stopped with its own last words when it
/// fails, runs too long or writes the wrong table.
@Suite struct CommandStepTests {
    /// The tiny experiment's results with the features of `command`, and the stages it computed.
    private static func run(
        _ command: String, cache: String, timeout: Int = 600
    ) throws -> (
        results: ExperimentResults, computed: Set<String>
    ) {
        let config = try tinyConfig([
            "models.features=command", "features.command=\(command)", "features.timeout=\(timeout)",
            "models.components=5", "figures.scree_components=5", "figures.eigenfaces=3", "features.compare=[]",
        ])
        let runner = StageRunner(cache: CacheStore(directory: cache))
        let experiment = try Experiment(config: config, configFile: "tiny.yaml", runner: runner)
        try experiment.validate()
        let results = try experiment.results()
        return (results, Set(runner.table.filter { $0.status == .computed }.map(\.name)))
    }

    @Test func theShippedExampleRunsOnceAndAgainWhenItsScriptChanges() throws {
        let folder = try TemporaryDirectory(), cache = try TemporaryDirectory()
        let script = folder.file("embed.py")
        try FileManager.default.copyItem(atPath: ProjectFiles.path("Scripts/examples/embed.py"), toPath: script)
        let first = try Self.run("[python3, \(script)]", cache: cache.path)
        #expect(first.computed.contains("command embeddings"))
        #expect(first.results.models.allSatisfy { $0.title.hasPrefix("program embeddings, ") })
        let again = try Self.run("[python3, \(script)]", cache: cache.path)
        #expect(again.computed.isEmpty)
        #expect(again.results == first.results)
        try Data(("# edited\n" + String(contentsOfFile: script, encoding: .utf8)).utf8)
            .write(to: URL(fileURLWithPath: script))
        #expect(try Self.run("[python3, \(script)]", cache: cache.path).computed.contains("command embeddings"))
    }

    /// The message a run with the shell script `body` stops with.
    private static func failure(_ body: String, timeout: Int = 600) throws -> String {
        let folder = try TemporaryDirectory(), cache = try TemporaryDirectory()
        let script = try folder.write("step.sh", text: body)
        do {
            _ = try run("[sh, \(script)]", cache: cache.path, timeout: timeout)
            return "ran"
        } catch {
            return "\(error)"
        }
    }

    @Test func aFailureATimeoutAndAWrongTableStopTheRunInTheirOwnWords() throws {
        #expect(
            try Self.failure("echo 'loading' >&2\necho 'no GPU found' >&2\nexit 3\n")
                == "tiny.yaml: features.command: sh stopped with status 3: no GPU found")
        // A shell waiting for a child it started: both are stopped.
        let pidFolder = try TemporaryDirectory()
        let started = pidFolder.file("child.pid")
        let clock = ContinuousClock(), start = clock.now
        #expect(
            try Self.failure("sleep 120 > /dev/null 2>&1 &\necho $! > '\(started)'\nwait\n", timeout: 1)
                == "tiny.yaml: features.command: sh ran longer than 1 s (features.timeout) and was stopped")
        // Not a speed target: a run that waited for the child would take its two minutes.
        #expect(clock.now - start < .seconds(60))
        let child = try #require(
            Int32(String(contentsOfFile: started, encoding: .utf8).trimmingCharacters(in: .newlines)))
        // The kill that ends it is sent as the run stops, and lands when the child is next scheduled: give it time.
        func state() -> Substring? {
            (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8))?
                .split(separator: ")").last?.split(separator: " ").first
        }
        let stopping = clock.now
        while !(state() == nil || state() == "Z") && clock.now - stopping < .seconds(10) { usleep(10_000) }
        let state = state()
        #expect(state == nil || state == "Z", "the program's child \(child) still runs")
        if state != nil { kill(child, SIGKILL) }
        // A table of one row where every image needs one.
        let folder = try TemporaryDirectory()
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        let table = folder.file("one.npy")
        try Data(
            [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8) + [0, 0, 0, 0]
        )
        .write(to: URL(fileURLWithPath: table))
        let wrong = try Self.failure("cp '\(table)' \"$2\"\n")
        #expect(wrong.contains("has 1 rows, but there are 210 images: one row per image, in order"), "\(wrong)")
        #expect(
            try Self.failure("exit 0\n").contains(
                "tiny.yaml: features.command: the output of sh"))
    }
}
