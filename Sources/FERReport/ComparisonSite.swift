import FERCore
import FERExperiment
import FERFigures
import Foundation
import Ink

/// A comparison of runs (the points of a sweep, or any sites): a sortable
/// table of the parameters that vary and the final models' numbers beside
/// their chance levels and baselines, a chart of each metric against each
/// varying parameter (held-out accuracy with the range over k-means seeds as
/// error bars), the best run by a chosen metric, and links to every run's
/// site. Made from the sites' own `results.json` and `run.json`, as HTML and
/// Markdown (`Templates/reports/comparison.md.mustache`).
package enum ComparisonSite {
    /// One compared run, as its site says.
    package struct Run: Sendable {
        /// Its name in the table (a sweep point's, or the site folder's).
        package let name: String
        /// Its site's `index.html`, relative to the comparison site.
        package let link: String
        /// Every config value (`run.json`).
        package let parameters: [String: String]
        /// The final model's numbers (`results.json`), by the metric names of `metrics`.
        package let metrics: [String: Double]
        /// The lowest and highest held-out accuracy over the k-means seeds, when there were several.
        package let seedRange: (low: Double, high: Double)?
    }

    /// The metrics compared: key, column title, whether a percentage.
    package static let metrics: [(key: String, title: String, percent: Bool)] = [
        ("silhouette", "Silhouette", false), ("baseline_silhouette", "Structureless baseline", false),
        ("accuracy_hungarian", "Held-out accuracy, Hungarian", true), ("chance_uniform", "Chance, uniform", true),
        ("chance_majority", "Chance, most common label", true), ("nmi", "NMI", false), ("ari", "ARI", false),
        ("seed_spread", "Seed spread", true),
    ]

    /// The run whose site is `folder`, named `name`, linked as `link`.
    /// - Throws: `DataError`-like errors naming the file that is missing or not a FERLab site's.
    package static func run(site folder: String, name: String, link: String) throws -> Run {
        func json(_ file: String) throws -> [String: Any] {
            let path = (folder as NSString).appendingPathComponent(file)
            switch RegularFile.kind(at: path) {
            case .missing: throw ComparisonError(file: path, "no such file: compare needs FERLab sites")
            case .folder, .special:
                throw ComparisonError(file: path, "is not a regular file: compare needs FERLab sites")
            case .file, .link: break
            }
            guard let data = RegularFile.contents(path, limit: 256 << 20) else {
                throw ComparisonError(file: path, "cannot be read, or is larger than any FERLab run writes")
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any] else {
                throw ComparisonError(file: path, "is not the JSON a FERLab run writes")
            }
            return object
        }
        let results = try json("results.json"), log = try json("run.json")
        let parameters = log["parameters"] as? [String: String] ?? [:]
        let finalName = results["final_model"] as? String
        let models = results["models"] as? [[String: Any]] ?? []
        guard let final = models.first(where: { $0["name"] as? String == finalName }) else {
            throw ComparisonError(
                file: (folder as NSString).appendingPathComponent("results.json"), "has no final model")
        }
        let chance = results["chance"] as? [String: Any] ?? [:]
        let stability = results["stability"] as? [String: Any] ?? [:]
        var metrics: [String: Double] = [:]
        for key in ["silhouette", "baseline_silhouette", "accuracy_hungarian", "nmi", "ari"] {
            metrics[key] = (final[key] as? NSNumber)?.doubleValue
        }
        metrics["chance_uniform"] = (chance["uniform"] as? NSNumber)?.doubleValue
        metrics["chance_majority"] = (chance["majority_class"] as? NSNumber)?.doubleValue
        metrics["seed_spread"] = (stability["accuracy_spread"] as? NSNumber)?.doubleValue
        let seeds = ((stability["runs"] as? [String: Any])?["seeds"] as? [[String: Any]] ?? [])
            .compactMap { ($0["hungarian_accuracy"] as? NSNumber)?.doubleValue }
        return Run(
            name: name, link: link, parameters: parameters, metrics: metrics,
            seedRange: seeds.count >= 2 ? (seeds.min() ?? 0, seeds.max() ?? 0) : nil)
    }

    /// The parameters whose values differ between `runs`, in key order (the experiment's name left out).
    static func varying(_ runs: [Run]) -> [String] {
        Set(runs.flatMap { $0.parameters.keys }).filter { key in
            key != "name" && Set(runs.map { $0.parameters[key] ?? "" }).count > 1
        }.sorted()
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

    /// The comparison site's files: `index.md`, `index.html`, `style.css`, `sortable.js` and the charts.
    package static func files(
        runs: [Run], title: String, by metric: String, templates: TemplateSet
    ) throws -> [String: [UInt8]] {
        try check(metric: metric)
        guard let chosen = metrics.first(where: { $0.key == metric }) else { return [:] }
        let varying = varying(runs)
        func text(_ value: Double?, _ percent: Bool) -> String {
            guard let value, value.isFinite else { return "-" }
            return percent ? Formatting.percent(value) : Formatting.decimal(value)
        }
        let best = runs.filter { $0.metrics[metric] != nil }.max {
            ($0.metrics[metric] ?? 0, $1.name) < ($1.metrics[metric] ?? 0, $0.name)
        }
        var files: [String: [UInt8]] = [:]
        var charts: [[String: Any]] = []
        for parameter in varying {
            for shown in metrics where ["accuracy_hungarian", "silhouette", "nmi"].contains(shown.key) {
                let name = Sweep.fileSafe("\(shown.key)-by-\(parameter)")
                files["figures/\(name).png"] = try chart(runs, metric: shown, parameter: parameter, varying: varying)
                    .render(.png(scale: 2))
                charts.append([
                    "file": "figures/\(name).png",
                    "alt": "\(shown.title) against \(parameter)",
                    "caption": "\(shown.title) of each run against \(parameter)"
                        + (shown.key == "accuracy_hungarian" ? "; bars span the k-means seeds' accuracies" : ""),
                ])
            }
        }
        let values: [String: Any] = [
            "title": title, "count": "\(runs.count)", "by": chosen.title, "by_key": metric,
            "columns": varying.map { ["name": $0] },
            "metrics": metrics.map { ["title": $0.title] },
            "has_best": best != nil,
            "best": best.map { ["name": $0.name, "link": $0.link, "value": text($0.metrics[metric], chosen.percent)] }
                ?? [:],
            "runs": runs.map { run in
                [
                    "name": run.name, "link": run.link, "is_best": run.name == best?.name,
                    "parameters": varying.map { ["value": run.parameters[$0] ?? "-"] },
                    "metrics": metrics.map { ["value": text(run.metrics[$0.key], $0.percent)] },
                ] as [String: Any]
            },
            "charts": charts,
        ]
        let markdown = try templates.renderReport("reports/comparison", values)
        files["index.md"] = Array(markdown.utf8)
        let body = MarkdownParser().html(from: markdown) + "\n<script src=\"sortable.js\"></script>"
        files["index.html"] = Array(try templates.wrap(body, title: "Comparison", experiment: title).utf8)
        files["style.css"] = templates.stylesheet
        files["sortable.js"] = try templates.files.bytes(of: "reports/sortable.js")
        return files
    }

    /// `metric` of each run against `parameter`: one line per combination of the other varying parameters.
    private static func chart(
        _ runs: [Run], metric: (key: String, title: String, percent: Bool), parameter: String, varying: [String]
    ) -> LineChartFigure {
        var categories: [String] = []
        for run in runs {
            let value = run.parameters[parameter] ?? "-"
            if !categories.contains(value) { categories.append(value) }
        }
        if categories.allSatisfy({ Double($0) != nil }) {
            categories.sort { (Double($0) ?? 0) < (Double($1) ?? 0) }
        }
        let others = varying.filter { $0 != parameter }
        var groups: [(name: String, runs: [Run])] = []
        for run in runs {
            let name = others.map { "\($0) \(run.parameters[$0] ?? "-")" }.joined(separator: ", ")
            if let index = groups.firstIndex(where: { $0.name == name }) {
                groups[index].runs.append(run)
            } else {
                groups.append((name, [run]))
            }
        }
        let scale = metric.percent ? 100.0 : 1.0
        let series = groups.map { group in
            let ordered = group.runs.filter { $0.metrics[metric.key] != nil }.sorted {
                (categories.firstIndex(of: $0.parameters[parameter] ?? "-") ?? 0)
                    < (categories.firstIndex(of: $1.parameters[parameter] ?? "-") ?? 0)
            }
            let points = ordered.map { run in
                (
                    x: Double(categories.firstIndex(of: run.parameters[parameter] ?? "-") ?? 0),
                    y: (run.metrics[metric.key] ?? 0) * scale
                )
            }
            let ranges =
                metric.key == "accuracy_hungarian" && ordered.allSatisfy({ $0.seedRange != nil })
                ? ordered.map { (low: ($0.seedRange?.low ?? 0) * scale, high: ($0.seedRange?.high ?? 0) * scale) } : nil
            return LineChartFigure.Series(
                name: group.name.isEmpty ? metric.title : group.name, points: points, ranges: ranges)
        }
        let chances = Set(runs.compactMap { $0.metrics["chance_uniform"] })
        let references =
            metric.key == "accuracy_hungarian" && chances.count == 1
            ? [ReferenceLine(value: (chances.first ?? 0) * 100, label: "chance, uniform guess")] : []
        return LineChartFigure(
            series: series, references: references, title: "\(metric.title) against \(parameter)", xTitle: parameter,
            yTitle: metric.title + (metric.percent ? " (%)" : ""), legendTitle: others.isEmpty ? "" : "Runs",
            categories: categories)
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
