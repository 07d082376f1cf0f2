import FERData
import FERExperiment
import FERFigures
import FERStages

/// Milestone 1: what the data looks like.
enum ExplorationPage: ReportPage {
    static let page = SitePages.Page(key: "exploration", file: "exploration", title: "Data exploration")

    static func declareFigures(into figures: FigureList) {
        let experiment = figures.experiment
        figures.add(
            "class-balance", settings: NoParameters(), inputs: experiment.dataset,
            draw: classBalance)
        figures.add(
            "samples", settings: Count(count: experiment.config.images.samplesPerClass),
            inputs: experiment.dataset, draw: samples)
        if experiment.usesLandmarks {
            figures.add(
                "landmark-samples", settings: Count(count: experiment.config.images.samplesPerClass),
                inputs: experiment.dataset, experiment.landmarks, draw: LandmarkFigures.samples)
        }
    }

    private static func classBalance(_: NoParameters, dataset: Dataset) -> FigureDrawing {
        FigureDrawing(
            figure: BarChartFigure(
                categories: dataset.labelNames, values: dataset.classCounts, title: "Images per label",
                xTitle: "Label"),
            texts: ["rows": Formatting.count(dataset.count)])
    }

    private static func samples(_ perLabel: Count, dataset: Dataset) -> FigureDrawing {
        FigureDrawing(
            figure: ImageMosaicFigure.samples(
                of: dataset, perLabel: perLabel.count, title: "\(perLabel.count) sample images per label"),
            texts: ["count": "\(perLabel.count)"])
    }

    static func results(_ run: SectionInput) -> [String: any Encodable & Sendable] {
        ["dataset": run.results.dataset]
    }

    static func values(_ run: SectionInput) -> [String: Any] {
        let data = run.results.dataset
        let total = max(1, data.rows)
        return [
            "dataset": [
                "source": data.source, "kind": data.kind, "hash": data.dataHash,
                "name": data.kind == "synthetic" ? "FERLab's built-in synthetic faces" : data.source,
                "rows": Formatting.count(data.rows), "width": "\(data.width)", "height": "\(data.height)",
                "pixels": Formatting.count(data.width * data.height), "columns": data.columns.joined(separator: ", "),
                "label_count": "\(data.labels.count)",
                "labels": data.labels.enumerated().map { code, name in
                    let count = data.classCounts[name] ?? 0
                    return [
                        "code": "\(code)", "name": name, "count": Formatting.count(count),
                        "share": Formatting.percent(Double(count) / Double(total)),
                    ]
                },
                "usage": data.usageCounts.sorted { $0.key < $1.key }.map {
                    ["name": $0.key, "count": Formatting.count($0.value)]
                },
                "has_usage": !data.usageCounts.isEmpty,
                "missing": data.missingValues.sorted { $0.key < $1.key }.filter { $0.value > 0 }
                    .map { ["column": $0.key, "count": Formatting.count($0.value)] },
                "has_missing": data.missingValues.values.contains { $0 > 0 },
                "passed_over": (data.passedOver ?? []).map { ["entry": $0] },
                "has_passed_over": data.passedOver != nil,
            ] as [String: Any]
        ]
    }
}
