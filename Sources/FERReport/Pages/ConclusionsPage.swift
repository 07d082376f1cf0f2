import FERCore
import FERData
import FERExperiment
import FERFigures
import FERMath
import FERStages

/// Error analysis and conclusions: the clusters read as labels, what they
/// captured instead, and what the numbers say.
enum ConclusionsPage: ReportPage {
    static let page = SitePages.Page(key: "conclusions", file: "conclusions", title: "Error analysis and conclusions")

    static func declareFigures(into figures: FigureList) {
        let experiment = figures.experiment, final = experiment.finalModel, dataset = experiment.dataset
        figures.add(
            "confusion", settings: experiment.config.clusterMap.method,
            inputs: final.metrics, dataset, draw: confusion)
        figures.add(
            "clusters-captured",
            settings: NoParameters(), inputs: experiment.clusterMeans, experiment.labelMeans, final.metrics, dataset,
            draw: captured)
        figures.add(
            "cluster-brightness", settings: NoParameters(),
            inputs: experiment.clusterMeans, experiment.labelMeans, final.clusters, final.metrics, draw: brightness)
        if experiment.usesLandmarks {
            figures.add(
                "cluster-shapes", settings: NoParameters(),
                inputs: experiment.landmarks, experiment.sample, final.clusters, final.metrics, dataset,
                draw: LandmarkFigures.clusterShapes)
        }
    }

    private static func confusion(
        _ method: ClusterMap.Method, metrics: ModelMetrics, dataset: Dataset
    )
        -> FigureDrawing
    {
        FigureDrawing(
            figure: SharedFigures.confusionHeatmap(
                metrics.test, names: dataset.labelNames,
                title: "Confusion matrix, held-out images (\(method.rawValue) map)"),
            texts: ["method": method.rawValue])
    }

    private static func captured(
        _: NoParameters, clusters: Matrix, labels: Matrix, metrics: ModelMetrics, dataset: Dataset
    ) -> FigureDrawing {
        let map = metrics.map, brightness = SharedFigures.meanLevels(clusters)
        return FigureDrawing(
            figure: ImageMosaicFigure(
                groups: (0..<clusters.rows).map { cluster in
                    var tiles: [ImageMosaicFigure.Tile] = [
                        .init(
                            pixels: SharedFigures.grayLevels(clusters, cluster),
                            caption: "brightness \(DecimalText.format(brightness[cluster], decimals: 0))")
                    ]
                    if let label = map.labelOf[cluster] {
                        tiles.append(
                            .init(
                                pixels: SharedFigures.grayLevels(labels, label),
                                caption: "→ \(dataset.labelNames[label])"))
                    }
                    return .init(title: "Cluster \(cluster)", tiles: tiles)
                }, imageWidth: dataset.width, imageHeight: dataset.height, layout: .columns,
                title: "Mean face of each cluster and of its label", tileWidth: Double(dataset.width) * 2),
        )
    }

    private static func brightness(
        _: NoParameters, clusterMeans: Matrix, labelMeans: Matrix, clusters: ClusterFit, metrics: ModelMetrics
    ) -> FigureDrawing {
        let fit = clusters.clustering, map = metrics.map
        let clusterLevels = SharedFigures.meanLevels(clusterMeans), labelLevels = SharedFigures.meanLevels(labelMeans)
        let sizes = fit.sizes
        let overall =
            zip(clusterLevels, sizes).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(max(1, sizes.reduce(0, +)))
        return FigureDrawing(
            figure: BarChartFigure(
                categories: (0..<fit.clusterCount).map { "cluster \($0)" },
                series: [
                    .init(name: "cluster", values: clusterLevels),
                    .init(
                        name: "its label",
                        values: (0..<fit.clusterCount).map { map.labelOf[$0].map { labelLevels[$0] } ?? .nan }),
                ],
                references: [ReferenceLine(value: overall, label: "all training images")],
                title: "Mean brightness of each cluster and of its label", xTitle: "", yTitle: "Mean gray level"),
        )
    }

    static func values(_ run: SectionInput) -> [String: Any] {
        let results = run.results
        return [
            "chance": [
                "uniform": Formatting.percent(results.chance.uniform),
                "class_frequency": Formatting.percent(results.chance.classFrequency),
                "majority_class": Formatting.percent(results.chance.majorityClass),
            ],
            "per_label": results.perLabel.map { label in
                [
                    "label": label.label, "held_out": Formatting.count(label.heldOut),
                    "precision": Formatting.percent(label.precision), "recall": Formatting.percent(label.recall),
                ]
            },
        ].merging(findings(run).map { ["findings": $0] } ?? [:]) { $1 }
    }

    /// What the findings (`Templates/partials/findings.md.mustache`) choose their words by, beside values other
    /// pages give (`final`, `chance`, `stability`, `second_model`, `best_setting`, `grid`).
    private static func findings(_ run: SectionInput) -> [String: Any]? {
        let results = run.results
        guard let final = run.final else { return nil }
        let accuracy = final.accuracyHungarian
        let uniform = results.chance.uniform, majority = results.chance.majorityClass
        let fromUniform = accuracy - uniform
        // Where the 95% interval of the accuracy lies against the chance levels; exactly one flag is set.
        let interval = final.accuracyHungarianInterval ?? accuracy...accuracy
        let standing =
            interval.lowerBound > max(uniform, majority)
            ? "clearly_above_chance"
            : interval.lowerBound > uniform
                ? "above_uniform_only" : interval.upperBound >= uniform ? "not_distinguishable" : "below_chance"
        let information =
            final.nmi < 0.05 ? "no_information" : final.nmi < 0.2 ? "little_information" : "substantial_information"
        var findings: [String: Any] = [
            "margin": Formatting.decimal(abs(final.silhouette - final.baselineSilhouette)),
            "points_from_uniform": ModelValues.points(fromUniform), "above_uniform": fromUniform >= 0,
            "beyond_seed_spread": fromUniform > results.stability.accuracySpread,
            "settings_compared": "\(results.comparison.count)",
        ]
        for flag in [
            "clearly_above_chance", "above_uniform_only", "not_distinguishable", "below_chance",
            "no_information", "little_information", "substantial_information",
        ] {
            findings[flag] = flag == standing || flag == information
        }
        let pixels = results.comparison.filter { $0.features == .pixels }.max {
            $0.accuracyHungarian < $1.accuracyHungarian
        }
        // Raw pixels at their best beside the best setting, unless that setting is itself the pixels one.
        findings["best_pixels"] = false
        if let pixels, let best = ModelValues.bestComparison(results), best.name != pixels.name {
            findings["best_pixels"] = [
                "accuracy_hungarian": Formatting.percent(pixels.accuracyHungarian),
                "nmi": Formatting.decimal(pixels.nmi),
                "intervals_overlap": SecondModelPage.overlap(
                    pixels.accuracyHungarianInterval, best.accuracyHungarianInterval),
            ]
        }
        return findings
    }
}
