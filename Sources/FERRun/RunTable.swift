import FERCore
import Foundation

/// The run history as people read it: a table of runs, newest first (number
/// 1), with the parameters that vary between them and then the metrics, as
/// `dvc exp show` lays them out; and the differences between two runs.
package enum RunTable {
    /// The metrics shown, in order, with their column titles; accuracies are percentages.
    static let metrics: [(key: String, title: String, percent: Bool)] = [
        ("silhouette", "silhouette", false), ("baseline_silhouette", "baseline", false),
        ("accuracy_hungarian", "accuracy", true), ("chance_uniform", "chance", true), ("nmi", "NMI", false),
        ("ari", "ARI", false), ("seed_spread", "seed spread", true),
    ]

    /// `records` (oldest first) as a table, newest first.
    package static func text(_ records: [RunHistory.Record]) -> String {
        let newest = Array(records.reversed())
        let varying = varyingParameters(newest)
        var rows = [["#", "time", "experiment"] + varying + metrics.map(\.title)]
        for (index, record) in newest.enumerated() {
            rows.append(
                ["\(index + 1)", record.time, record.experiment] + varying.map { record.parameters[$0] ?? "-" }
                    + metrics.map { format(record.metrics[$0.key], percent: $0.percent) })
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column < 3 + varying.count
                    ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// The parameters whose values are not the same in every record (absent counts as the default).
    static func varyingParameters(_ records: [RunHistory.Record]) -> [String] {
        let keys = Set(records.flatMap { $0.parameters.keys })
        return keys.filter { key in Set(records.map { $0.parameters[key] ?? "" }).count > 1 }.sorted()
    }

    /// What differs between runs `a` and `b`: each parameter with both values, then each metric with both values
    /// and the change.
    package static func difference(_ a: RunHistory.Record, _ b: RunHistory.Record) -> String {
        var lines: [String] = []
        let keys = Set(a.parameters.keys).union(b.parameters.keys).sorted()
        for key in keys where a.parameters[key] != b.parameters[key] {
            lines.append("  \(key): \(a.parameters[key] ?? "(default)") -> \(b.parameters[key] ?? "(default)")")
        }
        if a.dataHash != b.dataHash { lines.append("  data: \(a.dataHash) -> \(b.dataHash)") }
        var text = "parameters:\n" + (lines.isEmpty ? "  (the same)" : lines.joined(separator: "\n"))
        text += "\nmetrics:"
        for metric in metrics {
            let before = a.metrics[metric.key], after = b.metrics[metric.key]
            guard before != nil || after != nil else { continue }
            var line =
                "  \(metric.title): \(format(before, percent: metric.percent)) -> \(format(after, percent: metric.percent))"
            if let before, let after {
                let change = after - before
                line += " (" + (change >= 0 ? "+" : "") + format(change, percent: metric.percent, points: true) + ")"
            }
            text += "\n" + line
        }
        return text
    }

    private static func format(_ value: Double?, percent: Bool, points: Bool = false) -> String {
        guard let value else { return "-" }
        return percent
            ? DecimalText.format(value * 100, decimals: 1) + (points ? " points" : "%")
            : DecimalText.format(value, decimals: 3)
    }

    /// The record `reference` names: a number of the table (1 is the newest run), or a site folder (its newest
    /// run).
    package static func record(_ reference: String, in records: [RunHistory.Record]) -> RunHistory.Record? {
        let newest = Array(records.reversed())
        if let number = Int(reference) { return number >= 1 && number <= newest.count ? newest[number - 1] : nil }
        let site = URL(fileURLWithPath: reference).standardizedFileURL.path
        return newest.first { URL(fileURLWithPath: $0.site).standardizedFileURL.path == site }
    }
}
