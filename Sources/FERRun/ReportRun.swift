import FERCore
import FERData
import FERExperiment
import FERReport
import Foundation

/// One `ferlab run`: config, experiment, site, published atomically.
public struct ReportRun {
    /// What to run and where to write.
    public struct Options: Sendable {
        /// The config file; `nil` runs the built-in default experiment.
        public var configPath: String?
        /// Replaces `dataset.path`.
        public var dataPath: String?
        /// `key.path=value` overrides, applied after the file.
        public var overrides: [String]
        /// The site folder; `nil` means `Reports/_site/<name>`.
        public var outDirectory: String?
        /// The stage cache.
        public var cacheDirectory: String
        /// A folder of templates over the built-in ones; `nil`: the built-in ones alone.
        public var templatesDirectory: String?
        /// Recompute every stage.
        public var force: Bool
        /// Replace `outDirectory` even if it is a non-empty folder FERLab did not make.
        public var replaceForeignFolder: Bool

        /// Options with FERLab's defaults.
        public init(
            configPath: String? = nil, dataPath: String? = nil, overrides: [String] = [], outDirectory: String? = nil,
            cacheDirectory: String = "Reports/_cache", templatesDirectory: String? = nil, force: Bool = false,
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
    public struct Outcome: Sendable {
        /// The published site folder.
        public let site: String
        /// The run's log (stages, changes).
        public let log: RunLog
    }

    /// Where progress and notes go.
    public struct Console: Sendable {
        /// A line of information.
        public var note: @Sendable (String) -> Void
        /// A stage started computing.
        public var computing: @Sendable (String) -> Void
        /// Progress of a long stage: name, done, total.
        public var progress: @Sendable (String, Int, Int) -> Void

        /// A console from three sinks.
        public init(
            note: @escaping @Sendable (String) -> Void, computing: @escaping @Sendable (String) -> Void,
            progress: @escaping @Sendable (String, Int, Int) -> Void
        ) {
            self.note = note
            self.computing = computing
            self.progress = progress
        }
    }

    /// The config these options describe (file or built-in default, with overrides).
    public static func config(for options: Options) throws -> (config: ExperimentConfig, file: String) {
        let overrides = options.overrides + (options.dataPath.map { ["dataset.path=\($0)"] } ?? [])
        if let path = options.configPath {
            return (try ExperimentConfig.load(path: path, overrides: overrides), path)
        }
        let file = "built-in default experiment"
        return (try ExperimentConfig.parse(ExperimentConfig.builtInDefaultText, file: file, overrides: overrides), file)
    }

    /// Runs the experiment and publishes its site.
    public static func run(_ options: Options, console: Console) throws -> Outcome {
        let started = Date()
        let clock = DispatchTime.now().uptimeNanoseconds
        let (config, configFile) = try config(for: options)
        let site = options.outDirectory ?? "Reports/_site/\(config.name)"
        let folder = try siteFolder(site, config: config, options: options)
        let templates = try TemplateSet(directory: templatesFolder(options, config: config))
        let lock = try SiteLock(directory: folder.resolved) {
            console.note("another run is writing \(site); waiting for it to finish")
        }
        defer { withExtendedLifetime(lock) {} }

        let runner = StageRunner(cache: CacheStore(directory: options.cacheDirectory), force: options.force)
        runner.onCompute = console.computing
        runner.onDamagedEntry = { console.note("cache entry of \($0) is damaged; recomputing it") }
        runner.onProgress = console.progress
        let experiment: Experiment
        do {
            experiment = try Experiment(config: config, configFile: configFile, runner: runner)
        } catch let error as DataError where error.file == config.dataset.path {
            throw MissingDataError(underlying: error, configFile: configFile)
        }
        try experiment.validate()
        let builder = SiteBuilder(experiment: experiment, templates: templates)
        let built = try builder.build()
        for line in built.notes { console.note(line) }
        let previous = RunLog.previous(in: site)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
        let log = RunLog(
            config: config, configFile: configFile, started: started, seconds: seconds,
            stages: runner.table, figureSeconds: built.figureSeconds, previous: previous)
        try SitePublisher.publish(try builder.addingRunLog(log, to: built.files), to: folder, experiment: config.name)
        return Outcome(site: site, log: log)
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

    /// The checked site folder: never one that holds or lies in the run's own inputs.
    private static func siteFolder(_ site: String, config: ExperimentConfig, options: Options) throws -> SiteFolder {
        var protected = [(options.cacheDirectory, "the stage cache")]
        if let templates = templatesFolder(options, config: config) {
            protected.append((templates, "the templates folder"))
        }
        if !config.dataset.isSynthetic { protected.append((config.dataset.path, "the dataset")) }
        if let configPath = options.configPath { protected.append((configPath, "the config file")) }
        return try SiteFolder(site, protected: protected, replacingForeignFolder: options.replaceForeignFolder)
    }
}

/// A dataset path that does not exist, with what to do about it.
public struct MissingDataError: Error, CustomStringConvertible {
    /// The reader's error.
    public let underlying: DataError
    /// The config naming the path.
    public let configFile: String

    public var description: String {
        var text = "\(underlying)"
        if (underlying.file as NSString).lastPathComponent.lowercased().hasPrefix("fer2013") {
            text +=
                "\nFER2013 is not shipped with FERLab. Download fer2013.csv from Kaggle "
                + "(https://www.kaggle.com/c/challenges-in-representation-learning-facial-expression-recognition-challenge/data) "
                + "or the image version (https://www.kaggle.com/datasets/msambare/fer2013),"
        } else {
            text += "\nThe dataset path comes from \(configFile) (dataset.path);"
        }
        text += " then pass its location with --data PATH, or run without a config for the built-in synthetic dataset."
        return text
    }
}

extension RunLog {
    /// The stage table as aligned text for a terminal.
    public func stageTable() -> String {
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
