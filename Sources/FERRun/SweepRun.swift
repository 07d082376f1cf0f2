import FERCore
import FERExperiment
import FERReport
import Foundation

/// A sweep: every point of the cross product run as a full experiment with
/// its own site, `<root>/<point>/`, over one cache (so stages whose key is the
/// same for several points, such as load and sample, are computed once), and
/// the sweep site at `<root>`, whose index is the comparison of the points and
/// whose marker lists them, so that the next site published there (another
/// sweep, or a plain run) replaces them with the rest. The first point runs
/// alone to fill the shared stages; the others run two at a time. A point that
/// fails is reported, on the console and on the index, and the others still
/// publish.
package enum SweepRun {
    /// What became of one point.
    package struct PointOutcome: Sendable {
        /// The point.
        package let point: Sweep.Point
        /// Its run, or why it failed.
        package let result: Result<ExperimentRun.Outcome, any Error>
    }

    /// What a sweep did.
    package struct Outcome: Sendable {
        /// Every point, in sweep order.
        package let points: [PointOutcome]
        /// The sweep site (its index compares the points), when at least one point published.
        package let comparison: String?
    }

    /// The sweep of `options`' experiment: `sweep`'s axes over the config's `sweep:` (an axis of the command line
    /// replaces the config's of the same key).
    package static func sweep(for options: ExperimentRun.Options, extra: [Sweep.Axis]) throws -> Sweep {
        let configured = try ExperimentRun.config(for: options).config.sweep.axes
        let keys = Set(extra.map(\.key))
        return Sweep(axes: configured.filter { !keys.contains($0.key) } + extra)
    }

    /// `text` as a YAML scalar that reads back as the same text (a JSON string is one).
    package static func yamlText(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    /// Runs every point of `sweep` and writes the comparison (best `by` the metric named).
    /// - Throws: when the sweep cannot start (a point's config is invalid, say): no point runs then.
    package static func run(
        _ options: ExperimentRun.Options, sweep: Sweep, by metric: String, console: ExperimentRun.Console
    ) throws -> Outcome {
        try ComparisonSite.check(metric: metric)
        let base = try ExperimentRun.config(for: options).config
        let root = options.outDirectory ?? OutputLocations().site(experiment: base.name)
        let site = try ExperimentRun.siteFolder(root, config: base, options: options, holdsSites: true)
        let lock = try SiteLock(directory: site.resolved) {
            console.note("another run is writing \(root); waiting for it to finish")
        }
        defer { withExtendedLifetime(lock) {} }
        try sweep.checkSize()
        let points = sweep.points
        // Every point's config is read before any work, so a misspelt key stops the sweep at once.
        for point in points {
            var pointOptions = options
            pointOptions.overrides += point.overrides
            do {
                _ = try ExperimentRun.config(for: pointOptions)
            } catch let error as ConfigError {
                throw ConfigError(
                    file: error.file, line: error.line, path: error.path, "\(error.message) (sweep point \(point.name))"
                )
            }
        }
        let outcomes = Outcomes(count: points.count)
        let started = Counter()
        @Sendable func runPoint(_ index: Int) {
            let point = points[index]
            let number = started.next()
            console.note("point \(number) of \(points.count) (\(points.count - number) after it): \(point.name)")
            var pointOptions = options
            pointOptions.overrides += point.overrides
            pointOptions.overrides.append(
                "run.name=" + Self.yamlText(base.run.name.map { "\($0) \(point.name)" } ?? point.name))
            pointOptions.outDirectory = (root as NSString).appendingPathComponent(point.name)
            let prefixed = ExperimentRun.Console(
                note: { console.note("[\(point.name)] \($0)") },
                computing: { console.computing("\($0) [\(point.name)]") },
                progress: console.progress)
            let result = Result { try ExperimentRun.run(pointOptions, console: prefixed) }
            if case .failure(let error) = result { console.note("point \(point.name) failed: \(error)") }
            outcomes.set(index, PointOutcome(point: point, result: result))
        }
        if !points.isEmpty { runPoint(0) }
        let rest = Array(points.indices.dropFirst()), next = Counter()
        DispatchQueue.concurrentPerform(iterations: min(2, rest.count)) { _ in
            while true {
                let position = next.next() - 1
                guard position < rest.count else { return }
                runPoint(rest[position])
            }
        }
        let all = outcomes.all
        let published = all.compactMap { outcome -> (Sweep.Point, ExperimentRun.Outcome)? in
            guard case .success(let run) = outcome.result else { return nil }
            return (outcome.point, run)
        }
        guard !published.isEmpty else { return Outcome(points: all, comparison: nil) }
        let runs = try published.map { point, run in
            try ComparisonSite.run(site: run.site, name: point.name, link: "\(point.name)/index.html")
        }
        let failures = all.compactMap { outcome -> ComparisonSite.Failure? in
            guard case .failure(let error) = outcome.result else { return nil }
            return ComparisonSite.Failure(name: outcome.point.name, reason: "\(error)")
        }
        try ComparisonRun.publish(
            runs, title: base.name, by: metric, to: site, nestedSites: published.map { $0.0.name },
            failures: failures, options: options)
        return Outcome(points: all, comparison: root)
    }

    /// The points' outcomes, filled in from several threads.
    private final class Outcomes: @unchecked Sendable {
        private var values: [PointOutcome?]
        private let lock = NSLock()
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: PointOutcome) { lock.withLock { values[index] = value } }
        var all: [PointOutcome] { lock.withLock { values.compactMap { $0 } } }
    }

    /// Counts from 1, from several threads.
    private final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func next() -> Int {
            lock.withLock {
                value += 1; return value
            }
        }
    }
}

/// Writes a comparison site of runs: a sweep's index, and `ferlab compare`'s site.
package enum ComparisonRun {
    /// The folder for `ferlab compare`'s site: never one of the sites compared (`inputs`), nor one that holds or
    /// lies in one, nor the templates folder.
    package static func folder(_ path: String, inputs: [String], options: ExperimentRun.Options) throws -> SiteFolder {
        try SiteFolder(
            path,
            protected: inputs.map { ($0, "a site compared") }
                + (options.templatesDirectory.map { [($0, "the templates folder")] } ?? []),
            replacingForeignFolder: false)
    }

    /// Publishes the comparison of `runs` at `site`, best `by` a metric, with `options`' templates; the folders
    /// `nestedSites` in it (a sweep's points) become part of it, and the `failures` are listed.
    package static func publish(
        _ runs: [ComparisonSite.Run], title: String, by metric: String, to site: SiteFolder,
        nestedSites: [String] = [], failures: [ComparisonSite.Failure] = [], options: ExperimentRun.Options
    ) throws {
        let templates = try TemplateSet(directory: options.templatesDirectory)
        let files = try ComparisonSite.files(
            runs: runs, failures: failures, title: title, by: metric, templates: templates)
        try SitePublisher.publish(files, to: site, experiment: "comparison of \(title)", nestedSites: nestedSites)
    }
}
