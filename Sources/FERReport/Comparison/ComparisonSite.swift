import FERCore
import FERExperiment
import FERFigures
import Foundation
import Ink

/// A comparison of runs (the points of a sweep, or any sites, of one experiment or of several): a sortable table
/// of the values that differ between them (long ones folded, with a link to each run's every parameter; in the
/// browser the values every run shares are a toggle away) and of the final models' numbers with their 95%
/// intervals beside their chance levels and baselines; a chart of each metric against each parameter that takes
/// three or more values while every other value stays the same; the best run by a chosen metric; and links to
/// every run's site. Made from the sites' own `results.json` and `run.json`, as HTML and Markdown
/// (`Templates/reports/comparison.md.mustache`).
package enum ComparisonSite {
    /// A compared metric.
    package struct Metric: Sendable {
        /// Its key (`--by`), as the run history names it.
        package let key: String
        /// Its column title.
        package let title: String
        /// Whether it is a fraction shown as a percentage.
        package let percent: Bool
    }

    /// The metrics compared.
    package static let metrics: [Metric] = [
        Metric(key: "silhouette", title: "Silhouette", percent: false),
        Metric(key: "baseline_silhouette", title: "Structureless baseline", percent: false),
        Metric(key: "accuracy_hungarian", title: "Held-out accuracy, Hungarian", percent: true),
        Metric(key: "chance_uniform", title: "Chance, uniform", percent: true),
        Metric(key: "chance_majority", title: "Chance, most common label", percent: true),
        Metric(key: "nmi", title: "NMI", percent: false), Metric(key: "ari", title: "ARI", percent: false),
        Metric(key: "seed_spread", title: "Seed spread", percent: true),
    ]

    /// A run that was to be compared but failed (a sweep's point).
    package struct Failure: Sendable {
        /// Its name.
        package let name: String
        /// Why it failed.
        package let reason: String

        /// The failure of the run `name`, for `reason`.
        package init(name: String, reason: String) {
            self.name = name
            self.reason = reason
        }
    }

    /// The metrics charted against a parameter.
    static let charted = ["accuracy_hungarian", "silhouette", "nmi"]

    /// The longest value shown whole in the table; longer ones are folded.
    static let longestShownValue = 28

    /// The compared values whose values differ between `runs`, and those every run shares, each in key order.
    static func columns(_ runs: [Run]) -> (varying: [String], shared: [String]) {
        let keys = Set(runs.flatMap { $0.parameters.keys }).sorted()
        let varying = keys.filter { key in Set(runs.map { $0.parameters[key] ?? "-" }).count > 1 }
        return (varying, keys.filter { !varying.contains($0) })
    }

    /// Refuses a metric that is not compared (`--by`), with the ones that are; checked before any run starts.
    package static func check(metric: String) throws {
        guard metrics.contains(where: { $0.key == metric }) else {
            let known = metrics.map(\.key)
            let hint = NearestName.closest(to: metric, among: known).map { "did you mean \($0)? " } ?? ""
            throw ComparisonError(
                file: "--by \(metric)", "is not a compared metric; \(hint)(\(known.joined(separator: ", ")))")
        }
    }

    /// The comparison site's files: `index.md`, `index.html`, `style.css`, `comparison.js` and the charts.
    package static func files(
        runs given: [Run], failures: [Failure] = [], title: String, by metric: String, templates: TemplateSet
    ) throws -> [String: [UInt8]] {
        try check(metric: metric)
        guard let chosen = metrics.first(where: { $0.key == metric }) else { return [:] }
        let runs = distinctlyNamed(given)
        let (varying, shared) = columns(runs)
        let best = runs.filter { $0.metrics[metric] != nil }.max {
            ($0.metrics[metric] ?? 0, $1.name) < ($1.metrics[metric] ?? 0, $0.name)
        }
        var files: [String: [UInt8]] = [:]
        var charts: [[String: Any]] = []
        for plan in chartPlans(runs, varying: varying) {
            for shown in metrics where charted.contains(shown.key) {
                let name = Sweep.fileSafe("\(shown.key)-by-\(plan.parameter)")
                files["figures/\(name).png"] = try chart(plan, metric: shown).render(.png(scale: 2))
                charts.append([
                    "file": "figures/\(name).png",
                    "alt": "\(shown.title) against \(plan.parameter)",
                    "caption": "\(shown.title) of each run against \(plan.parameter)"
                        + (plan.lines.count > 1 ? ", a line for each set of runs alike in everything else" : "")
                        + (shown.key == "accuracy_hungarian" ? "; bars span the k-means seeds' accuracies" : ""),
                ])
            }
        }
        func values(html: Bool) -> [String: Any] {
            let columns = varying + (html ? shared : [])
            return [
                "html": html, "title": title, "count": "\(runs.count)", "by": chosen.title, "by_key": metric,
                "experiments": experimentsText(runs), "has_several_experiments": Set(runs.map(\.experiment)).count > 1,
                "different_data": varying.contains("data"),
                "columns": columns.map { ["name": $0, "shared": shared.contains($0)] },
                "metrics": metrics.map { ["title": $0.title] },
                "has_best": best != nil,
                "best": best.map { ["name": $0.name, "link": $0.link, "value": text($0.metrics[metric], chosen)] }
                    ?? [:],
                "runs": runs.map { run in
                    [
                        "name": run.name, "link": run.link, "is_best": run.name == best?.name,
                        "tags": run.tags.joined(separator: ", "), "has_tags": !run.tags.isEmpty,
                        "parameters": columns.map { cell(run.parameters[$0] ?? "-", all: run.parametersLink) },
                        "metrics": metrics.map { metric in
                            [
                                "value": text(run.metrics[metric.key], metric),
                                "interval": run.intervals[metric.key].map {
                                    metric.percent ? Formatting.percentRange($0) : Formatting.decimalRange($0)
                                } ?? "",
                                "has_interval": run.intervals[metric.key] != nil,
                            ] as [String: Any]
                        },
                    ] as [String: Any]
                },
                "shared": shared.map { ["name": $0, "value": runs.first?.parameters[$0] ?? "-"] },
                "shared_count": "\(shared.count)", "has_shared": !shared.isEmpty,
                "shared_heading": shared.count == 1
                    ? "The value every run shares" : "The \(shared.count) values every run shares",
                "charts": charts, "has_charts": !charts.isEmpty,
                "failures": failures.map { ["name": $0.name, "reason": $0.reason] }, "has_failures": !failures.isEmpty,
            ]
        }
        let markdown = try templates.renderReport("reports/comparison", values(html: false))
        files["index.md"] = Array(markdown.utf8)
        let page = try templates.renderReport("reports/comparison", values(html: true))
        let body = MarkdownParser().html(from: page) + "\n<script src=\"comparison.js\"></script>"
        files["index.html"] = Array(try templates.wrap(body, title: "Comparison", experiment: title).utf8)
        files["style.css"] = templates.stylesheet
        files["comparison.js"] = try templates.files.bytes(of: "reports/comparison.js")
        return files
    }

    /// A metric's value as the table shows it (`-` without one).
    private static func text(_ value: Double?, _ metric: Metric) -> String {
        guard let value, value.isFinite else { return "-" }
        return metric.percent ? Formatting.percent(value) : Formatting.decimal(value)
    }

    /// A table cell's values: a long value folded under a short summary (a path by its end, anything else by its
    /// beginning), with the link to the run's every parameter.
    private static func cell(_ value: String, all link: String) -> [String: Any] {
        guard value.count > longestShownValue else { return ["value": value, "folded": false] }
        let end = (value as NSString).lastPathComponent
        let summary =
            value.contains("/") && !value.contains(", ") && end.count < longestShownValue
            ? "…/" + end : String(value.prefix(longestShownValue - 8)) + "…"
        return ["value": value, "folded": true, "summary": summary, "all": link]
    }

    /// Which experiments the runs are of, for a sentence or a title: `seed-v1`, or `default, seed-v1 and features`.
    package static func experimentsText(_ runs: [Run]) -> String {
        var names: [String] = []
        for run in runs where !names.contains(run.experiment) { names.append(run.experiment) }
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " and " + last
    }

    /// `runs` with a number (its place) after every name that more than one run has.
    private static func distinctlyNamed(_ runs: [Run]) -> [Run] {
        runs.enumerated().map { index, run in
            guard runs.filter({ $0.name == run.name }).count > 1 else { return run }
            var numbered = run
            numbered.name = "\(run.name) (\(index + 1))"
            return numbered
        }
    }
}

/// A site that cannot be compared, or a metric that is not compared.
package struct ComparisonError: Error, CustomStringConvertible, Sendable {
    /// The file (or argument) at fault.
    package let file: String
    /// What is wrong.
    package let message: String

    init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    package var description: String { "\(file): \(message)" }
}
