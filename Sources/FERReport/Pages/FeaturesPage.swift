import FERExperiment
import FERFigures
import FERMath
import FERStages

/// Feature extractors compared on the same rows.
enum FeaturesPage: ReportPage {
    static let page = SitePages.Page(key: "features", file: "features", title: "Features")

    /// The compared settings' names and clusterers, in order.
    private struct Settings: StageParameters {
        var names: [String]
        var methods: [ClusterMethod]
    }

    static func declareFigures(into figures: FigureList) {
        let compared = figures.experiment.comparison
        guard !compared.isEmpty else { return }
        let names = Settings(names: compared.map(\.setting.title), methods: compared.map(\.setting.method))
        let metrics = compared.map(\.metrics), silhouettes = compared.map(\.silhouette)
        figures.add(
            "features-accuracy", settings: names, lists: metrics, silhouettes,
            draw: accuracy)
        figures.add(
            "features-agreement", settings: names,
            lists: metrics, silhouettes, draw: agreement)
        figures.add(
            "features-silhouette", settings: names,
            lists: metrics, silhouettes, draw: silhouette)
    }

    private static func accuracy(
        _ settings: Settings, metrics: [ModelMetrics], _: [SilhouetteResult]
    ) -> FigureDrawing {
        FigureDrawing(
            figure: bars(
                settings,
                [
                    .init(name: "Hungarian map", values: metrics.map { $0.testHungarianAccuracy * 100 }),
                    .init(name: "majority map", values: metrics.map { $0.testMajorityAccuracy * 100 }),
                ],
                references: SharedFigures.chanceLines(metrics[0].chance), decimals: 1, suffix: "%",
                title: "Held-out accuracy of each setting", yTitle: "Accuracy (%)"),
        )
    }

    private static func agreement(
        _ settings: Settings, metrics: [ModelMetrics], _: [SilhouetteResult]
    ) -> FigureDrawing {
        FigureDrawing(
            figure: bars(
                settings,
                [.init(name: "NMI", values: metrics.map(\.nmi)), .init(name: "ARI", values: metrics.map(\.ari))],
                decimals: 3, title: "Agreement with the labels, held-out images", yTitle: "Score"),
        )
    }

    private static func silhouette(
        _ settings: Settings, _: [ModelMetrics], silhouettes: [SilhouetteResult]
    ) -> FigureDrawing {
        FigureDrawing(
            figure: bars(
                settings,
                [
                    .init(name: "silhouette", values: silhouettes.map(\.score)),
                    .init(name: "structureless data", values: silhouettes.map(\.baseline)),
                ],
                decimals: 3, title: "Silhouette and structureless baseline", yTitle: "Silhouette"),
            texts: ["method": settings.methods.first?.title ?? ""],
            flags: ["one_method": Set(settings.methods).count == 1])
    }

    /// Grouped bars, one group per compared setting.
    private static func bars(
        _ settings: Settings, _ series: [BarChartFigure.Series], references: [ReferenceLine] = [], decimals: Int,
        suffix: String = "", title: String, yTitle: String
    ) -> BarChartFigure {
        BarChartFigure(
            categories: settings.names, series: series, references: references, decimals: decimals, suffix: suffix,
            title: title, xTitle: "", yTitle: yTitle, width: 860, height: 460)
    }

    static func results(_ run: SectionInput) -> [String: any Encodable & Sendable] {
        ["comparison": run.results.comparison]
    }

    static func values(_ run: SectionInput) -> [String: Any] {
        let results = run.results
        let landmarks = run.config.features.landmarks
        var values: [String: Any] = [
            "comparison": results.comparison.map { ModelValues.of($0, finalModel: results.finalModel) },
            "has_comparison": !results.comparison.isEmpty,
            "one_method": Set(results.comparison.map(\.clusterMethod)).count == 1,
            "comparison_method": results.comparison.first?.clusterMethod.title ?? "",
            "landmark_model": [
                "used": (results.models + results.comparison).contains { $0.features.needsLandmarks },
                "path": landmarks.model, "upscale": "\(landmarks.upscale)",
                "inset": Formatting.percent(landmarks.inset),
            ] as [String: Any],
        ]
        values["best_setting"] =
            ModelValues.bestComparison(results).map { ModelValues.of($0, finalModel: results.finalModel) as Any }
            ?? false
        return values
    }
}
