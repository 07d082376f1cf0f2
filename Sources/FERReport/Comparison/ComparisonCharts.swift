import FERFigures

extension ComparisonSite {
    /// A chart worth drawing: a metric against one parameter that takes at least three values while every other
    /// compared value stays the same, one line per such set of runs.
    struct ChartPlan {
        /// The parameter along the x axis.
        let parameter: String
        /// Its values, in order (numbers by size, else as first met).
        let categories: [String]
        /// The lines: the runs of each, and what sets it apart from the other lines (empty for a lone line).
        let lines: [(name: String, runs: [Run])]
        /// What the line names give (the parameters that tell the lines apart), for the legend's title.
        let legendTitle: String
    }

    /// The fewest values a parameter takes, others fixed, to be charted.
    static let fewestChartedValues = 3

    /// Whether a chart against `parameter` could mean anything: never against the data, the experiment, a path, a
    /// list or a long text; numbers always.
    static func isChartable(_ parameter: String, values: [String]) -> Bool {
        guard parameter != "data", parameter != "experiment" else { return false }
        if values.allSatisfy({ Double($0) != nil }) { return true }
        return values.allSatisfy { value in
            !value.contains("/") && !value.hasPrefix("[") && !value.hasPrefix("{") && !value.contains(", ")
                && value.count <= 24
        }
    }

    /// The charts of `runs`, whose compared values that differ are `varying`, in parameter order.
    static func chartPlans(_ runs: [Run], varying: [String]) -> [ChartPlan] {
        varying.compactMap { parameter in
            guard isChartable(parameter, values: runs.map { $0.parameters[parameter] ?? "-" }) else { return nil }
            let others = varying.filter { $0 != parameter }
            var groups: [(key: [String], runs: [Run])] = []
            for run in runs {
                let key = others.map { run.parameters[$0] ?? "-" }
                if let index = groups.firstIndex(where: { $0.key == key }) {
                    groups[index].runs.append(run)
                } else {
                    groups.append((key, [run]))
                }
            }
            let charted = groups.filter { group in
                Set(group.runs.map { $0.parameters[parameter] ?? "-" }).count >= fewestChartedValues
            }
            guard !charted.isEmpty else { return nil }
            var categories: [String] = []
            for run in charted.flatMap(\.runs) {
                let value = run.parameters[parameter] ?? "-"
                if !categories.contains(value) { categories.append(value) }
            }
            if categories.allSatisfy({ Double($0) != nil }) {
                categories.sort { (Double($0) ?? 0) < (Double($1) ?? 0) }
            }
            // The lines are told apart by the other parameters that differ between them.
            let telling = others.indices.filter { index in Set(charted.map { $0.key[index] }).count > 1 }
            let lines = charted.map { group in
                let name =
                    telling.count == 1
                    ? group.key[telling[0]]
                    : telling.map { "\(others[$0]) \(group.key[$0])" }.joined(separator: ", ")
                let ordered = group.runs.sorted {
                    (categories.firstIndex(of: $0.parameters[parameter] ?? "-") ?? 0)
                        < (categories.firstIndex(of: $1.parameters[parameter] ?? "-") ?? 0)
                }
                return (name: name, runs: ordered)
            }
            return ChartPlan(
                parameter: parameter, categories: categories, lines: lines,
                legendTitle: telling.count == 1 ? others[telling[0]] : telling.isEmpty ? "" : "Runs")
        }
    }

    /// `metric` of each run against the plan's parameter: a line per plan line, with the k-means seeds' range as
    /// error bars for the held-out accuracy and the chance level when every run shares it.
    static func chart(_ plan: ChartPlan, metric: Metric) -> LineChartFigure {
        let scale = metric.percent ? 100.0 : 1.0
        let series = plan.lines.map { line in
            let shown = line.runs.filter { $0.metrics[metric.key] != nil }
            let points = shown.map { run in
                (
                    x: Double(plan.categories.firstIndex(of: run.parameters[plan.parameter] ?? "-") ?? 0),
                    y: (run.metrics[metric.key] ?? 0) * scale
                )
            }
            let ranges =
                metric.key == "accuracy_hungarian" && shown.allSatisfy({ $0.seedRange != nil })
                ? shown.map { (low: ($0.seedRange?.low ?? 0) * scale, high: ($0.seedRange?.high ?? 0) * scale) } : nil
            return LineChartFigure.Series(
                name: line.name.isEmpty ? metric.title : line.name, points: points, ranges: ranges)
        }
        let runs = plan.lines.flatMap(\.runs)
        let chances = Set(runs.compactMap { $0.metrics["chance_uniform"] })
        let references =
            metric.key == "accuracy_hungarian" && chances.count == 1
            ? [ReferenceLine(value: (chances.first ?? 0) * 100, label: "chance, uniform guess")] : []
        return LineChartFigure(
            series: series, references: references, title: "\(metric.title) against \(plan.parameter)",
            xTitle: plan.parameter, yTitle: metric.title + (metric.percent ? " (%)" : ""),
            legendTitle: plan.legendTitle, categories: plan.categories)
    }
}
