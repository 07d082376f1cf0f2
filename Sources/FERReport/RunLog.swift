import FERCore
import FERExperiment
import FERStages
import Foundation

/// The record of one run, written as the site's `run.json` and drawn as its
/// run-log page: the stage table, when it started, the FERLab version, the
/// parameters used and how they differ from the previous run's. These two
/// files are the only ones that differ between two runs of the same config.
package struct RunLog: Codable, Sendable, Equatable {
    /// One changed parameter.
    package struct Change: Codable, Sendable, Equatable {
        /// The parameter's key path.
        package var key: String
        /// The previous run's value (empty when the key is new).
        package var before: String
        /// This run's value.
        package var after: String
    }

    /// The experiment's name.
    package var experiment: String
    /// The config file.
    package var configFile: String
    /// FERLab's version.
    package var ferlabVersion: String
    /// Start time, ISO 8601 in UTC.
    package var started: String
    /// Wall time of the whole run in seconds.
    package var seconds: Double
    /// Every stage: computed or cached, and its own seconds.
    package var stages: [StageRunner.Record]
    /// Wall time spent drawing figures (they are drawn in parallel), in seconds.
    package var figureSeconds: Double
    /// Every parameter of the run, by key path.
    package var parameters: [String: String]
    /// Parameters that differ from the previous run's (none on a first run).
    package var parameterChanges: [Change]
    /// The peak memory estimated before the run (which refuses a run that would not fit), in bytes; `nil` in the
    /// logs of runs made before it was recorded.
    package var estimatedMemoryBytes: Int?
    /// The peak memory the run used (its resident set at most), in bytes.
    package var peakMemoryBytes: Int?

    /// The log of a run of `config` that started at `started` (`previous` is the site's last `run.json`, if any).
    package init(
        config: ExperimentConfig, configFile: String, started: Date, seconds: Double,
        stages: [StageRunner.Record], figureSeconds: Double, memory: (estimated: Int, peak: Int), previous: RunLog?
    ) {
        experiment = config.name
        self.configFile = configFile
        ferlabVersion = FERLabVersion.current
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        self.started = formatter.string(from: started)
        self.seconds = seconds
        self.stages = stages
        self.figureSeconds = figureSeconds
        estimatedMemoryBytes = memory.estimated
        peakMemoryBytes = memory.peak
        let current = config.flattened
        parameters = current
        let before = previous?.parameters ?? [:]
        parameterChanges =
            previous == nil
            ? []
            : Set(before.keys).union(current.keys).sorted().compactMap { key in
                let old = before[key] ?? "", new = current[key] ?? ""
                return old == new ? nil : Change(key: key, before: old, after: new)
            }
    }

    /// The previous run's log in the site at `directory`, if it has a readable one.
    package static func previous(in directory: String) -> RunLog? {
        let path = (directory as NSString).appendingPathComponent("run.json")
        // Read only a plain file of a plausible size: the folder may be a user's, not a site.
        guard let bytes = RegularFile.contents(path, limit: 16 << 20) else { return nil }
        let data = Data(bytes)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(RunLog.self, from: data)
    }

    /// `run.json`'s bytes.
    package func json() throws -> [UInt8] {
        try SiteBuilder.json(self)
    }

    /// A `run.*` value as given, empty when the run has none.
    private func described(_ key: String) -> String {
        let value = parameters[key] ?? ""
        guard !["", "null", "[]"].contains(value) else { return "" }
        // A list (the tags) reads as its items.
        return value.hasPrefix("[") && value.hasSuffix("]") ? String(value.dropFirst().dropLast()) : value
    }

    /// `bytes` in whole megabytes (`1,234 MB`).
    private static func megabytes(_ bytes: Int) -> String {
        Formatting.count((bytes + 500_000) / 1_000_000) + " MB"
    }

    /// The run-log page's template values.
    func context() -> [String: Any] {
        [
            "experiment": experiment, "config_file": configFile, "version": ferlabVersion, "started": started,
            "run_name": described("run.name"), "run_tags": described("run.tags"), "run_note": described("run.note"),
            "has_run_name": !described("run.name").isEmpty, "has_run_tags": !described("run.tags").isEmpty,
            "has_run_note": !described("run.note").isEmpty,
            "seconds": Formatting.decimal(seconds, places: 2),
            "has_memory": estimatedMemoryBytes != nil && (peakMemoryBytes ?? 0) > 0,
            "estimated_memory": Self.megabytes(estimatedMemoryBytes ?? 0),
            "peak_memory": Self.megabytes(peakMemoryBytes ?? 0),
            "computed": "\(stages.filter { $0.status == .computed }.count)",
            "cached": "\(stages.filter { $0.status == .cached }.count)",
            "stages": stages.map {
                ["name": $0.name, "status": $0.status.rawValue, "seconds": Formatting.decimal($0.seconds)]
            },
            "changes": parameterChanges.map {
                ["key": $0.key, "before": $0.before.isEmpty ? "-" : $0.before, "after": $0.after]
            },
            "has_changes": !parameterChanges.isEmpty,
            "parameters": parameters.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": $0.value] },
        ]
    }
}

extension SiteBuilder {
    /// `files` plus the run's `run.json` and run-log pages.
    package func addingRunLog(_ log: RunLog, to files: [String: [UInt8]]) throws -> [String: [UInt8]] {
        var all = files
        let page = try renderRunLog(log.context())
        all["run.json"] = try log.json()
        all["\(SitePages.runLog.file).md"] = Array(page.markdown.utf8)
        all["\(SitePages.runLog.file).html"] = Array(page.html.utf8)
        return all
    }
}
