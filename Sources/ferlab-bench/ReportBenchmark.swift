import ArgumentParser
import FERReport
import Foundation

/// Times a whole report run, cold and after small changes.
struct ReportBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Time an experiment end to end (cold cache), then reruns after changing a figure option and the cluster count.",
        discussion: "Prints one JSON object of seconds: end_to_end (median of the cold runs), figures (wall time drawing every figure, in the cold runs), rerun_figure_option, rerun_clusters."
    )

    @Argument(help: "The experiment config (default: the built-in default experiment).")
    var config: String?

    @Option(help: "Dataset path, replacing the config's.")
    var data: String?

    @Option(name: .customLong("repeat"), help: "Cold runs.")
    var repetitions: Int = 3

    @Option(help: "The page templates.")
    var templates: String = "Templates"

    func run() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-bench-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: work) }
        let quiet = ReportRun.Console(note: { _ in }, computing: { _ in }, progress: { _, _, _ in })
        func options(cache: String, overrides: [String] = []) -> ReportRun.Options {
            ReportRun.Options(configPath: config, dataPath: data, overrides: overrides,
                              outDirectory: work.appendingPathComponent("site").path, cacheDirectory: cache,
                              templatesDirectory: templates)
        }
        func timed(_ body: () throws -> ReportRun.Outcome) rethrows -> (Double, ReportRun.Outcome) {
            let start = DispatchTime.now().uptimeNanoseconds
            let outcome = try body()
            return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, outcome)
        }
        var cold: [Double] = [], figures: [Double] = []
        var cache = ""
        for run in 0..<max(1, repetitions) {
            cache = work.appendingPathComponent("cache-\(run)").path
            let (seconds, outcome) = try timed { try ReportRun.run(options(cache: cache), console: quiet) }
            cold.append(seconds)
            figures.append(outcome.log.figureSeconds)
        }
        let (figureOption, _) = try timed { try ReportRun.run(options(cache: cache, overrides: ["figures.point_alpha=0.3"]), console: quiet) }
        let (clusters, _) = try timed {
            try ReportRun.run(options(cache: cache, overrides: ["figures.point_alpha=0.3", "models.clusters=8"]), console: quiet)
        }
        let result: [String: Double] = [
            "end_to_end": cold.sorted()[cold.count / 2], "figures": figures.sorted()[figures.count / 2],
            "rerun_figure_option": figureOption, "rerun_clusters": clusters,
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }
}
