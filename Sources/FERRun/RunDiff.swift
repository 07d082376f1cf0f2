import FERCore
import Foundation

/// What differs between two runs of the history, for a review (Markdown) or
/// for tools (JSON): the parameters changed, every metric with both values,
/// the change and, while a run's site still holds that run, its interval;
/// and the figures whose files differ between the two sites.
package struct RunDiff: Encodable, Sendable {
    /// One of the two runs.
    package struct Run: Encodable, Sendable {
        /// How it was named on the command line (a number in `ferlab runs`, or a site folder).
        var reference: String
        var experiment: String
        var name: String?
        var time: String
        var site: String
        /// Whether the site still holds this run (a later run into it replaces it).
        var siteHoldsRun: Bool
    }

    /// A parameter whose value differs; `nil` is the default.
    package struct Parameter: Encodable, Sendable {
        var key: String
        var before: String?
        var after: String?
    }

    /// A metric of both runs, with the change and the 95% intervals the sites give.
    package struct Metric: Encodable, Sendable {
        var key: String
        var title: String
        var percent: Bool
        var before: Double?
        var after: Double?
        var change: Double?
        var beforeInterval: [Double]?
        var afterInterval: [Double]?
    }

    var runs: [Run]
    var parameters: [Parameter]
    var metrics: [Metric]
    /// Figures (paths in the sites) whose files differ, or that only one site has.
    var changedFigures: [String]

    /// The difference from `a` to `b`, named by `references`.
    package static func of(_ a: RunHistory.Record, _ b: RunHistory.Record, references: [String]) -> RunDiff {
        let records = [a, b]
        let results = records.map(results(of:))
        let runs = zip(records, references).enumerated().map { index, pair in
            Run(
                reference: pair.1, experiment: pair.0.experiment, name: pair.0.name, time: pair.0.time,
                site: pair.0.site, siteHoldsRun: results[index] != nil)
        }
        var parameters = Set(a.parameters.keys).union(b.parameters.keys).sorted().compactMap { key in
            a.parameters[key] == b.parameters[key]
                ? nil : Parameter(key: key, before: a.parameters[key], after: b.parameters[key])
        }
        if a.dataHash != b.dataHash { parameters.append(Parameter(key: "data", before: a.dataHash, after: b.dataHash)) }
        let metrics = RunTable.metrics.compactMap { metric -> Metric? in
            let before = a.metrics[metric.key], after = b.metrics[metric.key]
            guard before != nil || after != nil else { return nil }
            return Metric(
                key: metric.key, title: metric.title, percent: metric.percent, before: before, after: after,
                change: before.flatMap { old in after.map { $0 - old } },
                beforeInterval: results[0]?["\(metric.key)_interval"],
                afterInterval: results[1]?["\(metric.key)_interval"])
        }
        let changed = runs.allSatisfy(\.siteHoldsRun) ? changedFigures(a.site, b.site) : []
        return RunDiff(runs: runs, parameters: parameters, metrics: metrics, changedFigures: changed)
    }

    /// The final model's intervals in the site of `record`, by key, when the site still holds that run.
    private static func results(of record: RunHistory.Record) -> [String: [Double]]? {
        func json(_ name: String) -> [String: Any]? {
            let path = (record.site as NSString).appendingPathComponent(name)
            guard let bytes = RegularFile.contents(path, limit: 64 << 20) else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
        }
        guard let log = json("run.json"), log["started"] as? String == record.time, let results = json("results.json"),
            let models = results["models"] as? [[String: Any]],
            let final = models.first(where: { $0["name"] as? String == results["final_model"] as? String })
        else { return nil }
        var intervals: [String: [Double]] = [:]
        for (key, value) in final where key.hasSuffix("_interval") {
            if let pair = value as? [Double], pair.count == 2 { intervals[key] = pair }
        }
        return intervals
    }

    /// Figure files of the two sites that differ in content or exist in one only.
    private static func changedFigures(_ a: String, _ b: String) -> [String] {
        func figures(_ site: String) -> [String: [UInt8]] {
            let folder = (site as NSString).appendingPathComponent("figures")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            var files: [String: [UInt8]] = [:]
            for name in names where name.hasSuffix(".png") || name.hasSuffix(".svg") {
                files["figures/\(name)"] = RegularFile.contents(
                    (folder as NSString).appendingPathComponent(name), limit: 64 << 20)
            }
            return files
        }
        let before = figures(a), after = figures(b)
        return Set(before.keys).union(after.keys).sorted().filter { before[$0] != after[$0] }
    }

    /// The difference as Markdown, for a review: the runs, a table of the parameters changed, a table of the
    /// metrics with their changes and intervals, and links to the changed figures of both runs.
    package func markdown() -> String {
        func value(_ number: Double?, _ metric: Metric) -> String {
            guard let number else { return "-" }
            return metric.percent
                ? DecimalText.format(number * 100, decimals: 1) + "%" : DecimalText.format(number, decimals: 3)
        }
        func interval(_ pair: [Double]?, _ metric: Metric) -> String {
            guard let pair, pair.count == 2 else { return "" }
            return " [\(value(pair[0], metric)), \(value(pair[1], metric))]"
        }
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var lines = ["## FERLab: \(runs[0].reference) → \(runs[1].reference)", ""]
        for (label, run) in zip(["A", "B"], runs) {
            lines.append(
                "- **\(label)** (\(run.reference)): \(run.experiment)\(run.name.map { " \"\($0)\"" } ?? ""), "
                    + "\(run.time), `\(run.site)`" + (run.siteHoldsRun ? "" : " (the site holds a later run now)"))
        }
        lines += ["", "### Parameters changed", ""]
        if parameters.isEmpty {
            lines.append("None: the same parameters and data.")
        } else {
            lines += ["| parameter | A | B |", "|:--|:--|:--|"]
            for parameter in parameters {
                lines.append(
                    "| \(cell(parameter.key)) | \(cell(parameter.before ?? "(default)")) | "
                        + "\(cell(parameter.after ?? "(default)")) |")
            }
        }
        lines += [
            "", "### Metrics", "", "Held-out numbers with their 95% intervals where the sites give them.", "",
            "| metric | A | B | change |", "|:--|--:|--:|--:|",
        ]
        for metric in metrics {
            let change = metric.change.map { (($0 >= 0 ? "+" : "") + value($0, metric)) } ?? "-"
            lines.append(
                "| \(metric.title) | \(value(metric.before, metric))\(interval(metric.beforeInterval, metric)) | "
                    + "\(value(metric.after, metric))\(interval(metric.afterInterval, metric)) | "
                    + "\(metric.percent ? change.replacingOccurrences(of: "%", with: " points") : change) |")
        }
        if !changedFigures.isEmpty {
            lines += ["", "### Figures that changed", ""]
            for figure in changedFigures {
                let links = runs.map { run in
                    "[\(run.reference)](\((run.site as NSString).appendingPathComponent(figure)))"
                }
                lines.append("- `\(figure)`: " + links.joined(separator: " → "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The difference as JSON, for tools (snake_case keys).
    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
