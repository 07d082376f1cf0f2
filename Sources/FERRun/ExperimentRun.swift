import FERCore
import FERData
import FERExperiment
import FERReport
import FERStages
import Foundation

/// One `ferlab run`: config, experiment, site, published atomically.
package struct ExperimentRun {
    /// What to run and where to write.
    package struct Options: Sendable {
        /// The config file; `nil` runs the built-in default experiment.
        package var configPath: String?
        /// Replaces `dataset.path`.
        package var dataPath: String?
        /// `key.path=value` overrides, applied after the file.
        package var overrides: [String]
        /// The site folder; `nil` means `Reports/_site/<name>`.
        package var outDirectory: String?
        /// The stage cache.
        package var cacheDirectory: String
        /// A folder of templates over the built-in ones; `nil`: the built-in ones alone.
        package var templatesDirectory: String?
        /// Recompute every stage.
        package var force: Bool
        /// Replace `outDirectory` even if it is a non-empty folder FERLab did not make.
        package var replaceForeignFolder: Bool

        /// Options with FERLab's defaults.
        package init(
            configPath: String? = nil, dataPath: String? = nil, overrides: [String] = [], outDirectory: String? = nil,
            cacheDirectory: String = OutputLocations().cache, templatesDirectory: String? = nil, force: Bool = false,
            replaceForeignFolder: Bool = false
        ) {
            self.configPath = configPath
            self.dataPath = dataPath
            self.overrides = overrides
            self.outDirectory = outDirectory
            self.cacheDirectory = cacheDirectory
            self.templatesDirectory = templatesDirectory
            self.force = force
            self.replaceForeignFolder = replaceForeignFolder
        }
    }

    /// What a finished run reports.
    package struct Outcome: Sendable {
        /// The published site folder.
        package let site: String
        /// The run's log (stages, changes).
        package let log: RunLog
        /// The results the site reports.
        package let results: ExperimentResults

        /// The final model's headline numbers, one line each: its silhouette beside the structureless baseline,
        /// its held-out accuracy beside chance, and NMI.
        package var headline: [String] {
            guard let final = results.models.first(where: { $0.name == results.finalModel }) else { return [] }
            func percent(_ value: Double) -> String { DecimalText.format(value * 100, decimals: 1) + "%" }
            func decimal(_ value: Double) -> String { DecimalText.format(value, decimals: 3) }
            return [
                "final model        \(final.title), \(final.clusters) clusters",
                "silhouette         \(decimal(final.silhouette)) (structureless data of the same shape: "
                    + "\(decimal(final.baselineSilhouette)))",
                "held-out accuracy  \(percent(final.accuracyHungarian)) through the Hungarian map (chance: "
                    + "\(percent(results.chance.uniform)) guessing uniformly, \(percent(results.chance.majorityClass)) "
                    + "always the most common label)",
                "NMI                \(decimal(final.nmi)) (0: the clusters say nothing about the labels)",
            ]
        }
    }

    /// Where progress and notes go.
    package struct Console: Sendable {
        /// A line of information.
        package var note: @Sendable (String) -> Void
        /// A stage started computing.
        package var computing: @Sendable (String) -> Void
        /// Progress of a long stage: name, done, total.
        package var progress: @Sendable (String, Int, Int) -> Void

        /// A console from three sinks.
        package init(
            note: @escaping @Sendable (String) -> Void, computing: @escaping @Sendable (String) -> Void,
            progress: @escaping @Sendable (String, Int, Int) -> Void
        ) {
            self.note = note
            self.computing = computing
            self.progress = progress
        }
    }

    /// The config these options describe (file or built-in default, with overrides).
    package static func config(for options: Options) throws -> (config: ExperimentConfig, file: String) {
        let file = options.configPath ?? "built-in default experiment"
        var config =
            try options.configPath.map { try ExperimentConfig.load(path: $0, overrides: options.overrides) }
            ?? ExperimentConfig.parse(ExperimentConfig.builtInDefaultText, file: file, overrides: options.overrides)
        if let data = options.dataPath { config.useData(at: data) }
        return (config, file)
    }

    /// Runs the experiment and publishes its site.
    package static func run(_ options: Options, console: Console) throws -> Outcome {
        let started = Date()
        let clock = DispatchTime.now().uptimeNanoseconds
        PeakMemory.reset()
        let (config, configFile) = try config(for: options)
        let printer = SiteBuilder.Printer(config: config)
        let site = options.outDirectory ?? OutputLocations().site(experiment: config.name)
        let folder = try siteFolder(site, config: config, options: options)
        try CacheFolder.prepare(options.cacheDirectory)
        let templates = try TemplateSet(directory: templatesFolder(options, config: config))
        let lock = try SiteLock(directory: folder.resolved) {
            console.note("another run is writing \(site); waiting for it to finish")
        }
        defer { withExtendedLifetime(lock) {} }

        let runner = StageRunner(cache: CacheStore(directory: options.cacheDirectory), force: options.force)
        // However the run ends, the entries of the stages it computed are written before it returns.
        defer { _ = try? runner.finishWrites() }
        runner.onCompute = console.computing
        runner.onDamagedEntry = { console.note("cache entry of \($0) is damaged; recomputing it") }
        runner.onProgress = console.progress
        let experiment: Experiment
        do {
            experiment = try Experiment(config: config, configFile: configFile, runner: runner)
        } catch let error as DataError where error.file == config.dataset.path {
            throw MissingDataError(underlying: error, configFile: options.dataPath == nil ? configFile : nil)
        }
        let estimatedMemory = try experiment.validate()
        let builder = SiteBuilder(experiment: experiment, templates: templates, printer: printer)
        let built = try builder.build()
        try runner.finishWrites()
        for line in built.notes { console.note(line) }
        let previous = RunLog.previous(in: site)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
        let log = RunLog(
            config: config, configFile: configFile, started: started, seconds: seconds,
            stages: runner.table, figureSeconds: built.figureSeconds,
            memory: (estimated: estimatedMemory, peak: PeakMemory.bytes), previous: previous)
        let results = try experiment.results()
        let record = RunHistory.record(
            config: config, started: started, dataHash: experiment.dataFingerprint, results: results,
            site: folder.resolved,
            cacheEntries: runner.entryFiles + built.cacheEntries)
        let kept = try SitePublisher.publish(
            try builder.addingRunLog(log, to: built.files), to: folder, experiment: config.name)
        if !kept.isEmpty {
            console.note(
                "kept \(kept.count) item\(kept.count == 1 ? "" : "s") you added to \(site): "
                    + kept.prefix(5).joined(separator: ", ") + (kept.count > 5 ? ", ..." : ""))
        }
        do {
            try RunHistory.append(record, cache: options.cacheDirectory)
        } catch {
            console.note("warning: the run history was not updated: \(error)")
        }
        return Outcome(site: site, log: log, results: results)
    }

    /// The templates folder over the built-in ones: `--templates`, else the config's `report.templates` (relative to
    /// the config file), else none.
    static func templatesFolder(_ options: Options, config: ExperimentConfig) -> String? {
        if let folder = options.templatesDirectory { return folder }
        guard let configured = config.report.templates else { return nil }
        guard !configured.hasPrefix("/"), let configPath = options.configPath else { return configured }
        let base = (configPath as NSString).deletingLastPathComponent
        return base.isEmpty ? configured : (base as NSString).appendingPathComponent(configured)
    }

    /// The checked site folder (or, with `holdsSites`, a sweep's folder of sites): never one that holds or lies in
    /// the run's own inputs.
    static func siteFolder(
        _ site: String, config: ExperimentConfig, options: Options, holdsSites: Bool = false
    ) throws -> SiteFolder {
        var protected = [(options.cacheDirectory, "the stage cache")]
        if let templates = templatesFolder(options, config: config) {
            protected.append((templates, "the templates folder"))
        }
        if !config.dataset.isSynthetic { protected.append((config.dataset.path, "the dataset")) }
        if let configPath = options.configPath { protected.append((configPath, "the config file")) }
        return try SiteFolder(
            site, protected: protected, replacingForeignFolder: options.replaceForeignFolder, holdsSites: holdsSites)
    }
}

/// A dataset path that does not exist, with what to do about it.
package struct MissingDataError: Error, CustomStringConvertible {
    /// The reader's error.
    package let underlying: DataError
    /// The config naming the path; `nil` when it was given with `--data`.
    package let configFile: String?

    package var description: String {
        var text = "\(underlying)"
        if (underlying.file as NSString).lastPathComponent.lowercased().hasPrefix("fer2013") {
            text +=
                "\nFER2013 is not shipped with FERLab. Download fer2013.csv from Kaggle "
                + "(https://www.kaggle.com/c/challenges-in-representation-learning-facial-expression-recognition-challenge/data) "
                + "or the image version (https://www.kaggle.com/datasets/msambare/fer2013),"
            text +=
                " then pass its location with --data PATH, or run without a config for the built-in synthetic dataset."
        } else if let configFile {
            text +=
                "\nThe dataset path comes from \(configFile) (dataset.path, read from the config file's folder); "
                + "fix it there or pass the data's location with --data PATH."
        } else {
            text += " (the path given with --data, read from the current folder)"
        }
        return text
    }
}

extension RunLog {
    /// The stage table as aligned text for a terminal.
    package func stageTable() -> String {
        let width = max(20, (stages.map(\.name.count).max() ?? 0) + 2)
        func row(_ name: String, _ status: String, _ seconds: Double) -> String {
            let time = DecimalText.format(seconds, decimals: 2)
            return name.padding(toLength: width, withPad: " ", startingAt: 0)
                + status.padding(toLength: 9, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: max(0, 8 - time.count)) + time
        }
        let header = "stage".padding(toLength: width, withPad: " ", startingAt: 0) + "status    seconds"
        return ([header] + stages.map { row($0.name, $0.status.rawValue, $0.seconds) } + [row("total", "", seconds)])
            .joined(separator: "\n")
    }
}
