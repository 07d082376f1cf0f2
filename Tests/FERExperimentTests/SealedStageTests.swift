import FERCore
import FERMath
import FERStages
import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment

/// Stages are sealed by construction: each declaration hands the runner a
/// named static function, which can read only its parameters and inputs.
@Suite struct SealedStageTests {
    /// The Swift files under `Sources`, by path relative to the root.
    static func sources() throws -> [(path: String, text: String)] {
        let root = ProjectFiles.path("Sources")
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return try files.filter { $0.hasSuffix(".swift") }.sorted().map {
            ($0, try String(contentsOfFile: root + "/" + $0, encoding: .utf8))
        }
    }

    @Test func everyStageComputesWithAStaticFunction() throws {
        // The two adapters that forward to such a function are the only closures allowed.
        let adapters: Set = ["FERStages/StageRunner.swift", "FERReport/Pages/FigureList.swift"]
        let sources = try Self.sources()
        #expect(sources.count > 50)
        var declarations = 0
        for (path, text) in sources where !adapters.contains(path) {
            let lines = text.components(separatedBy: "\n")
            for (number, line) in lines.enumerated() {
                for label in ["compute:", "reporting:", "draw:"] where line.contains(label) {
                    declarations += 1
                    let argument = line.components(separatedBy: label)[1].trimmingCharacters(in: .whitespaces)
                    #expect(
                        !argument.hasPrefix("{") && !argument.isEmpty,
                        "\(path):\(number + 1): a stage's \(label) must name a static function, not a closure")
                }
            }
        }
        #expect(declarations > 30, "only \(declarations) stage declarations found")
    }

    @Test func theStageEngineKnowsNothingOfFaces() throws {
        let engine = try Self.sources().filter { $0.path.hasPrefix("FERStages/") }
        #expect(engine.count >= 5)
        for (path, text) in engine {
            for line in text.components(separatedBy: "\n") where line.hasPrefix("import ") {
                #expect(
                    ["import FERCore", "import Foundation", "import Synchronization", "import Glibc", "import Darwin"]
                        .contains(line),
                    "\(path): \(line): the stage engine imports only FERCore, the standard library and the system")
            }
        }
    }

    @Test func theKeyHoldsTheParametersInputsAndVersion() throws {
        let cache = try TemporaryDirectory()
        let runner = StageRunner(cache: CacheStore(directory: cache.path))
        struct Settings: StageParameters { var count: Int }
        @Sendable func double(_ settings: Settings) -> Matrix {
            Matrix(rows: 1, columns: 1, values: [Float(settings.count * 2)])
        }
        @Sendable func plusOne(_: NoParameters, _ input: Matrix) -> Matrix {
            Matrix(rows: 1, columns: 1, values: [input[0, 0] + 1])
        }
        let one = runner.stage("a", version: 1, parameters: Settings(count: 1), compute: double)
        let two = runner.stage("b", version: 1, parameters: Settings(count: 2), compute: double)
        let again = runner.stage("c", version: 1, parameters: Settings(count: 1), compute: double)
        let newer = runner.stage("a", version: 2, parameters: Settings(count: 1), compute: double)
        let fromOne = runner.stage("d", version: 1, parameters: NoParameters(), inputs: one, compute: plusOne)
        let fromTwo = runner.stage("d", version: 1, parameters: NoParameters(), inputs: two, compute: plusOne)
        #expect(one.key != two.key && one.key != newer.key && fromOne.key != fromTwo.key)
        // The name is part of the key; the same name and parameters give the same key.
        #expect(one.key != again.key)
        #expect(runner.stage("a", version: 1, parameters: Settings(count: 1), compute: double).key == one.key)
        #expect(try fromTwo.get()[0, 0] == 5)
        #expect(runner.declared["d"]?.inputs == ["b"])
        #expect(runner.declared["a"]?.parameters == #"{"count":1}"#)
    }

    /// An entry that cannot be written fails the run: at the next stage computed, and at the end of the run.
    @Test func aFailedWriteFailsTheNextStageAndTheRun() throws {
        let folder = try TemporaryDirectory()
        let runner = StageRunner(cache: CacheStore(directory: try folder.write("not-a-folder", text: "x")))
        struct Settings: StageParameters { var count: Int }
        @Sendable func value(_ settings: Settings) -> Matrix {
            Matrix(rows: 1, columns: 1, values: [Float(settings.count)])
        }
        #expect(try runner.stage("a", version: 1, parameters: Settings(count: 1), compute: value).get()[0, 0] == 1)
        #expect(throws: FileWriteError.self) { try runner.finishWrites() }
        #expect(throws: FileWriteError.self) {
            try runner.stage("b", version: 1, parameters: Settings(count: 2), compute: value).get()
        }
    }
}
