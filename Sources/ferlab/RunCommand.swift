import ArgumentParser
import FERCore
import FERExperiment
import FERRun
import Foundation

/// `ferlab run`: an experiment from its config file to a published site.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment and write its report site (HTML and Markdown).",
        discussion: """
            Without CONFIG, runs the built-in default experiment on the built-in synthetic faces. \
            Every stage's result is cached under --cache; a rerun recomputes only what the changed \
            parameters touch. The site is replaced atomically, so a failed run leaves the previous site as \
            it was; files you added to a site folder are kept. FERLab replaces only a folder it made (one \
            holding its .ferlab-site marker) or an empty one. A config file's dataset.path and \
            report.templates are read from the config file's folder, --data and --templates from the \
            current folder.

            Where outputs go unless --out and --cache say: \(OutputLocations.help)
            """
    )

    @Argument(help: "The experiment's YAML config file (default: the built-in default experiment).")
    var config: String?

    @Option(help: ArgumentHelp("Use this dataset instead of the config's dataset.path.", valueName: "path"))
    var data: String?

    @Option(help: ArgumentHelp("A name for the run in the history (run.name).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("A tag to find the run by (run.tags; repeatable).", valueName: "tag"))
    var tag: [String] = []

    @Option(
        name: .customLong("note"),
        help: ArgumentHelp("A note on why the run was made, kept in the history (run.note).", valueName: "text"))
    var runNote: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override a config key, like models.clusters=9 (repeatable).",
            valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(
        help: ArgumentHelp(
            "The site folder (default: Reports/_site/<name> in a FERLab project, else ferlab-site/<name> here).",
            valueName: "dir"))
    var out: String?

    @Option(
        help: ArgumentHelp(
            "The stage cache (default: Reports/_cache in a FERLab project, else ~/.cache/ferlab).", valueName: "dir"))
    var cache: String?

    @Option(
        help: ArgumentHelp(
            "A folder of templates to use instead of the built-in ones, file by file (default: the built-in ones).",
            valueName: "dir"))
    var templates: String?

    @Flag(help: "Recompute every stage, ignoring the cache.")
    var force = false

    @Flag(
        help: ArgumentHelp(
            "Let --out replace a non-empty folder that FERLab did not make, with all it holds.",
            discussion: "Even so, FERLab never replaces /, your home folder, the current folder or its parents, "
                + "a Git work tree, the templates, the cache or the data."))
    var replaceFolderNotMadeByFerlab = false

    @Flag(help: "After the run, keep watching the config, the templates and the data, and rerun on every change.")
    var watch = false

    @Flag(name: .shortAndLong, help: "Also print every stage with its status and time (the run log page has them too).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Option(
        help: ArgumentHelp(
            "Sweep a config key over values, like models.clusters=5,7,9 (repeatable: the runs are every combination).",
            discussion:
                "Each point's site goes to <site>/<point>/; <site>/index.html compares them and links to each.",
            valueName: "key.path=a,b,..."))
    var sweep: [String] = []

    @Option(help: ArgumentHelp("The metric a sweep's comparison picks its best point by.", valueName: "metric"))
    var by = "accuracy_hungarian"

    func validate() throws {
        if verbose && quiet { throw ValidationError("--verbose and --quiet cannot both be given") }
        if watch && !sweep.isEmpty { throw ValidationError("--watch cannot be combined with --sweep") }
    }

    func run() throws {
        if let bad = overrides.first(where: { !$0.contains("=") }) {
            note("ferlab: error: --set \(bad): needs key=value with no space around '=', like --set models.clusters=9")
            throw ExitCode.failure
        }
        var described = overrides
        if let name { described.append("run.name=" + SweepRun.yamlText(name)) }
        if !tag.isEmpty { described.append("run.tags=[" + tag.map(SweepRun.yamlText).joined(separator: ", ") + "]") }
        if let runNote { described.append("run.note=" + SweepRun.yamlText(runNote)) }
        let options = ExperimentRun.Options(
            configPath: config, dataPath: data, overrides: described, outDirectory: out,
            cacheDirectory: cache ?? OutputLocations().cache, templatesDirectory: templates, force: force,
            replaceForeignFolder: replaceFolderNotMadeByFerlab)
        var swept: Sweep?
        try reportingErrors {
            let axes = try sweep.map { try Sweep.Axis(parsing: $0) }
            try Self.check(axes, given: sweep, options: options)
            let planned = try SweepRun.sweep(for: options, extra: axes)
            if !planned.isEmpty { swept = planned }
        }
        if let swept {
            try runSweep(swept, options: options)
            return
        }
        guard watch else {
            try reportingErrors { try runOnce(options) }
            return
        }
        let watcher = ChangeWatcher(paths: ExperimentRun.watchedPaths(for: options))
        var stamp = watcher.stamp()
        while true {
            // In watch mode a failed run is reported and the previous site stays; the next change retries.
            try? reportingErrors { try runOnce(options) }
            if !quiet { note("watching \(watcher.paths.joined(separator: ", ")) for changes (Ctrl-C to stop)") }
            stamp = watcher.wait(after: stamp)
        }
    }

    /// Refuses a `--sweep` (given as `texts`) whose key or one of whose values the config does not take, in the
    /// `--sweep`'s own name, before anything runs.
    private static func check(_ axes: [Sweep.Axis], given texts: [String], options: ExperimentRun.Options) throws {
        for (axis, text) in zip(axes, texts) {
            for value in axis.values {
                var point = options
                point.overrides.append("\(axis.key)=\(value)")
                do {
                    _ = try ExperimentRun.config(for: point)
                } catch let error as ConfigError where error.file.hasPrefix("--set \(axis.key)=") {
                    throw ConfigError(file: "--sweep \(text)", line: nil, path: error.path, error.message)
                }
            }
        }
    }

    /// Runs every point of `sweep`; fails (after the others published) when a point failed.
    private func runSweep(_ sweep: Sweep, options: ExperimentRun.Options) throws {
        var outcome: SweepRun.Outcome?
        try reportingErrors {
            outcome = try SweepRun.run(
                options, sweep: sweep, by: by, console: quiet ? ConsoleOutput.quiet : ConsoleOutput.standardError)
        }
        guard let outcome else { return }
        ConsoleOutput.clearBar()
        let failed = outcome.points.filter { if case .failure = $0.result { true } else { false } }
        if !quiet {
            for point in outcome.points {
                switch point.result {
                case .success(let run):
                    let accuracy = run.headline.first { $0.hasPrefix("held-out accuracy") } ?? ""
                    note(
                        "\(point.point.name): \(accuracy.dropFirst("held-out accuracy".count).trimmingCharacters(in: .whitespaces))"
                    )
                case .failure(let error): note("\(point.point.name): failed: \(error)")
                }
            }
        }
        if let comparison = outcome.comparison {
            FileHandle.standardOutput.write(
                Data("comparison: \((comparison as NSString).appendingPathComponent("index.html"))\n".utf8))
        }
        if !failed.isEmpty {
            note("ferlab: error: \(failed.count) of \(outcome.points.count) sweep points failed")
            throw ExitCode.failure
        }
    }

    private func runOnce(_ options: ExperimentRun.Options) throws {
        let outcome = try ExperimentRun.run(options, console: quiet ? ConsoleOutput.quiet : ConsoleOutput.standardError)
        ConsoleOutput.clearBar()
        guard !quiet else { return }
        let log = outcome.log
        if !log.parameterChanges.isEmpty {
            note("changed since the previous run:")
            for change in log.parameterChanges {
                note("  \(change.key): \(change.before.isEmpty ? "-" : change.before) -> \(change.after)")
            }
        }
        if verbose { note(log.stageTable()) }
        let computed = log.stages.filter { $0.status == .computed }.count, total = log.stages.count
        let stages =
            computed == total
            ? "all \(total) stages computed"
            : computed == 0
                ? "all \(total) stages read from the cache"
                : "\(computed) of \(total) stages computed, the rest read from the cache"
        note(
            "\(stages) in \(DecimalText.format(log.seconds, decimals: 1)) s\(verbose ? "" : " (--verbose lists them)")")
        for line in outcome.headline { note(line) }
        // Written at once (not buffered): in watch mode the process never exits to flush it.
        FileHandle.standardOutput.write(
            Data("site: \((outcome.site as NSString).appendingPathComponent("index.html"))\n".utf8))
    }
}
