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
        ("ari", "ARI", false), ("seed_spread", "spread", true),
    ]

    /// `records` (oldest first) as rows, newest first, under a header: number, time, experiment, the name and tags
    /// when a run has them, the parameters that vary, then the metrics. `labels` counts the columns of text.
    static func rows(_ records: [RunHistory.Record]) -> (rows: [[String]], labels: Int) {
        let newest = Array(records.reversed())
        let varying = varyingParameters(newest)
        let named = newest.contains { $0.name != nil }, tagged = newest.contains { $0.tags != nil }
        var rows = [
            ["#", "time", "experiment"] + (named ? ["name"] : []) + (tagged ? ["tags"] : []) + varying
                + metrics.map(\.title)
        ]
        for (index, record) in newest.enumerated() {
            rows.append(
                ["\(index + 1)", shownTime(record.time), record.experiment] + (named ? [record.name ?? "-"] : [])
                    + (tagged ? [record.tags?.joined(separator: ",") ?? "-"] : [])
                    + varying.map { record.parameters[$0] ?? "-" }
                    + metrics.map { format(record.metrics[$0.key], percent: $0.percent) })
        }
        return (rows, rows[0].count - metrics.count)
    }

    /// `records` (oldest first) as a table, newest first, at most `width` characters wide when given: the
    /// widest text columns are shortened with an ellipsis, down to `narrowest` characters, until it fits.
    package static func text(_ records: [RunHistory.Record], width: Int? = nil) -> String {
        var (rows, labels) = rows(records)
        var widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var hidden = 0
        if let width {
            func total() -> Int { widths.reduce(0, +) + 2 * (widths.count - 1) }
            func remove(_ column: Int) {
                hidden += 1
                widths.remove(at: column)
                for index in rows.indices { rows[index].remove(at: column) }
            }
            // Number, time and experiment stay whole. The name, tags and parameters give way, the widest first:
            // to `roomy` characters, then the metrics that matter least go, then they shrink to `narrowest`, and
            // then the tags, the name (a sweep point's repeats its parameters) and the parameters from the last go.
            func shrink(to least: Int) {
                while total() > width,
                    let widest = (3..<labels).filter({ widths[$0] > least }).max(by: { widths[$0] < widths[$1] })
                {
                    widths[widest] -= 1
                }
            }
            shrink(to: roomy)
            for title in ["chance", "ARI", "spread", "baseline"] where total() > width {
                if let column = rows[0].lastIndex(of: title), column >= labels { remove(column) }
            }
            shrink(to: narrowest)
            let described = (3..<labels).filter { ["name", "tags"].contains(rows[0][$0]) }.reversed()
            for column in Array(described) + Array((3..<labels).reversed()) where total() > width {
                guard column < labels else { continue }
                labels -= 1
                remove(column)
            }
        }
        let footer = hidden == 0 ? "" : "\n(\(hidden) more column\(hidden == 1 ? "" : "s"): --wide or --csv shows them)"
        return rows.enumerated().map { index, row in
            row.enumerated().map { column, cell in
                // A shortened parameter name keeps its end (`…ic.count`), which tells keys of one section apart.
                let keepEnd = index == 0 && column >= 3 && column < labels
                let shown =
                    cell.count <= widths[column]
                    ? cell
                    : keepEnd
                        ? "…" + String(cell.suffix(widths[column] - 1)) : String(cell.prefix(widths[column] - 1)) + "…"
                return column < labels
                    ? shown.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - shown.count) + shown
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + footer
    }

    /// `2026-12-03T22:02:44Z` as `2026-12-03 22:02`.
    static func shownTime(_ time: String) -> String {
        time.count >= 16 ? String(time.prefix(16)).replacingOccurrences(of: "T", with: " ") : time
    }

    /// The narrowest a shortened column gets, and how narrow before any metric is left out.
    static let narrowest = 8, roomy = 20

    /// `records` (oldest first) as CSV, newest first, every value whole.
    package static func csv(_ records: [RunHistory.Record]) -> String {
        rows(records).rows.map { $0.map(CSVText.field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// The parameters whose values are not the same in every record (absent counts as the default).
    static func varyingParameters(_ records: [RunHistory.Record]) -> [String] {
        let keys = Set(records.flatMap { $0.parameters.keys.filter { !$0.hasPrefix("run.") } })
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
