import FERCore
import FERData
import FERExperiment
import FERFigures
import FERMath
import FERStages

/// Milestone 3: the chosen model in detail, and how stable its numbers are.
enum FinalModelPage: ReportPage {
    static let page = SitePages.Page(key: "final_model", file: "final-model", title: "Final model")

    /// How many images nearest each centre, in how many components.
    private struct Nearest: StageParameters {
        var count: Int
        var components: Int
    }

    /// How many random images per cluster, and their seed.
    private struct RandomPick: StageParameters {
        var count: Int
        var seed: UInt64
    }

    /// How many seeds or folds a stability check ran, and the clusterer it refitted.
    private struct Check: StageParameters {
        var count: Int
        var clusterer: ClustererChoice
    }

    /// How many clusters at the top of the merge tree are drawn.
    private struct Merges: StageParameters {
        var leaves: Int
    }

    /// A scatter plot of the t-SNE view, coloured by cluster or by true label.
    private struct TSNEScatter: StageParameters {
        var byLabel: Bool
        var pointAlpha: Double
        var pointSize: Double
        var seed: UInt64
    }

    static func declareFigures(into figures: FigureList) {
        let experiment = figures.experiment, config = experiment.config, final = experiment.finalModel
        let dataset = experiment.dataset, sample = experiment.sample
        figures.add(
            "silhouette-diagram", settings: NoParameters(),
            inputs: final.silhouette, final.clusters, draw: silhouetteDiagram)
        figures.add(
            "silhouette-labels", settings: Count(count: 20),
            inputs: final.silhouette, sample, dataset, draw: silhouettesByLabel)
        let clusterer = config.models.clusterer(final.setting.method)
        if clusterer.method == ClusterMethod(WardClustering.self) {
            figures.add("dendrogram", settings: Merges(leaves: 30), inputs: final.clusters, draw: dendrogram)
        }
        if let tsne = experiment.tsne {
            for byLabel in [false, true] {
                figures.add(
                    byLabel ? "tsne-labels" : "tsne",
                    settings: TSNEScatter(
                        byLabel: byLabel, pointAlpha: config.figures.pointAlpha, pointSize: config.figures.pointSize,
                        seed: config.figures.tsneSeed),
                    inputs: tsne, final.clusters, dataset, sample, draw: tsneScatter)
            }
        }
        figures.add(
            "nearest",
            settings: Nearest(count: config.images.nearest, components: config.models.components),
            inputs: final.reduction, final.clusters, dataset, sample, draw: nearest)
        figures.add(
            "random",
            settings: RandomPick(count: config.images.random, seed: config.models.seed),
            inputs: final.clusters, dataset, sample, draw: random)
        figures.add(
            "mean-faces-cluster", settings: NoParameters(),
            inputs: experiment.clusterMeans, dataset, draw: clusterMeans)
        let checks = config.stability
        if checks.seeds >= 2 && clusterer.isSeeded {
            figures.add(
                "stability-seeds", settings: Check(count: checks.seeds, clusterer: clusterer),
                inputs: experiment.stability, final.metrics, draw: seeds)
        }
        if checks.folds >= 2 {
            figures.add(
                "stability-folds", settings: Check(count: checks.folds, clusterer: clusterer),
                inputs: experiment.stability, final.silhouette, draw: folds)
        }
    }

    private static func silhouetteDiagram(
        _: NoParameters, silhouette: SilhouetteResult, clusters: ClusterFit
    ) -> FigureDrawing {
        let fit = clusters.clustering
        let labels = silhouette.sampledRows.map { $0.map { fit.labels[$0] } } ?? fit.labels
        return FigureDrawing(
            figure: SilhouetteDiagramFigure(
                samples: silhouette.samples, clusters: labels, clusterCount: fit.clusterCount,
                mean: silhouette.score, baseline: silhouette.baseline,
                title: silhouette.sampledRows.map {
                    "Silhouette of \(DecimalText.format(Double($0.count), decimals: 0)) sampled training images, by cluster"
                } ?? "Silhouette of every training image, by cluster"),
            texts: [
                "sample_size": Formatting.count(silhouette.sampledRows?.count ?? 0),
                "rows": Formatting.count(fit.labels.count),
            ],
            flags: ["sampled": silhouette.sampledRows != nil])
    }

    /// The distribution of the per-image silhouettes of each true label, over `bins` equal bins spanning
    /// the silhouettes' range (rounded out to tenths).
    private static func silhouettesByLabel(
        _ bins: Count, silhouette: SilhouetteResult, split: SampleSplit, dataset: Dataset
    ) -> FigureDrawing {
        let rows = silhouette.sampledRows.map { $0.map { split.train[$0] } } ?? split.train
        let finite = silhouette.samples.filter(\.isFinite)
        let low = ((finite.min() ?? -1) * 10).rounded(.down) / 10, high = ((finite.max() ?? 1) * 10).rounded(.up) / 10
        let width = max(high - low, 0.1) / Double(bins.count)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: bins.count), count: dataset.labelNames.count)
        for (row, value) in zip(rows, silhouette.samples) where value.isFinite {
            counts[Int(dataset.labels[row])][min(bins.count - 1, max(0, Int((value - low) / width)))] += 1
        }
        return FigureDrawing(
            figure: LineChartFigure(
                series: zip(dataset.labelNames, counts).filter { $0.1.contains { $0 > 0 } }.map { name, counts in
                    let total = Double(counts.reduce(0, +))
                    return .init(
                        name: name,
                        points: counts.enumerated().map {
                            (low + (Double($0.offset) + 0.5) * width, Double($0.element) / total)
                        })
                },
                title: "Silhouettes of each label's images", xTitle: "Silhouette",
                yTitle: "Share of the label's images", legendTitle: "True label", fromZero: true),
            texts: [
                "bins": "\(bins.count)", "low": Formatting.decimal(low, places: 1),
                "high": Formatting.decimal(high, places: 1),
            ],
            flags: ["sampled": silhouette.sampledRows != nil])
    }

    private static func tsneScatter(
        _ settings: TSNEScatter, view: TSNEView, clusters: ClusterFit, dataset: Dataset, split: SampleSplit
    ) -> FigureDrawing {
        let fit = clusters.clustering, points = view.coordinates
        let groups =
            settings.byLabel
            ? view.positions.map { Int32(dataset.labels[split.train[$0]]) } : view.positions.map { fit.labels[$0] }
        return FigureDrawing(
            figure: ScatterFigure(
                xs: (0..<points.rows).map { points[$0, 0] }, ys: (0..<points.rows).map { points[$0, 1] },
                groups: groups,
                groupNames: settings.byLabel ? dataset.labelNames : (0..<fit.clusterCount).map(String.init),
                title:
                    "t-SNE of the final model's components, coloured by \(settings.byLabel ? "true label" : "cluster")",
                xTitle: "t-SNE 1", yTitle: "t-SNE 2", legendTitle: settings.byLabel ? "True label" : "Cluster",
                pointAlpha: settings.pointAlpha, pointSize: settings.pointSize),
            texts: [
                "points": Formatting.count(points.rows), "total": Formatting.count(split.train.count),
                "perplexity": Formatting.decimal(view.perplexity, places: 1), "seed": "\(settings.seed)",
                "method": view.method.rawValue,
                "trustworthiness": view.trustworthiness.map { Formatting.decimal($0) } ?? "",
                "trustworthiness_sample": Formatting.count(view.trustworthinessSample),
                "neighbours": "\(TSNEView.neighbours)", "exact_limit": Formatting.count(TSNE.exactLimit),
            ],
            flags: [
                "sampled": points.rows < split.train.count, "measured": view.trustworthiness != nil,
                "trustworthiness_sampled": view.trustworthinessSample < points.rows, "exact": view.method == .exact,
            ])
    }

    private static func nearest(
        _ mosaic: Nearest, reduction: Reduction, clusters: ClusterFit, dataset: Dataset, split: SampleSplit
    ) -> FigureDrawing {
        let points = reduction.train.leadingColumns(mosaic.components), fit = clusters.clustering
        return FigureDrawing(
            figure: SharedFigures.clusterMosaic(
                fit.nearestMembers(of: points, count: mosaic.count), fit: fit, dataset: dataset, split: split,
                title: "The \(mosaic.count) images nearest each cluster centre"),
            texts: ["count": "\(mosaic.count)", "components": "\(mosaic.components)"])
    }

    private static func random(
        _ mosaic: RandomPick, clusters: ClusterFit, dataset: Dataset, split: SampleSplit
    ) -> FigureDrawing {
        let fit = clusters.clustering
        return FigureDrawing(
            figure: SharedFigures.clusterMosaic(
                fit.randomMembers(count: mosaic.count, seed: mosaic.seed), fit: fit, dataset: dataset, split: split,
                title: "\(mosaic.count) random images from each cluster"),
            texts: ["count": "\(mosaic.count)", "seed": "\(mosaic.seed)"])
    }

    private static func clusterMeans(_: NoParameters, means: Matrix, dataset: Dataset) -> FigureDrawing {
        FigureDrawing(
            figure: SharedFigures.meanFaces(
                means, names: (0..<means.rows).map { "cluster \($0)" }, width: dataset.width,
                height: dataset.height, title: "Mean face of each cluster"))
    }

    private static func seeds(_ seeds: Check, stability: StabilityResult, metrics: ModelMetrics) -> FigureDrawing {
        FigureDrawing(
            figure: SharedFigures.accuracyBars(
                stability.seeds.map { "seed \($0.seed)" }, stability.seeds.map(\.hungarianAccuracy),
                chance: metrics.chance, title: "Held-out accuracy per \(seeds.clusterer.method.title) seed"),
            texts: ["count": "\(seeds.count)"]
        ).describing(ClustererCaption(seeds.clusterer))
    }

    private static func dendrogram(_ merges: Merges, clusters: ClusterFit) throws -> FigureDrawing {
        guard let tree = clusters.tree else { throw MathError.invalidParameters("the clusters cut no merge tree") }
        let top = tree.top(merges.leaves), k = clusters.clustering.clusterCount
        return FigureDrawing(
            figure: DendrogramFigure(
                leafNames: top.sizes.map(Formatting.count),
                leafGroups: top.representatives.map { Int(clusters.clustering.labels[$0]) },
                links: top.merges.map { DendrogramFigure.Link(left: $0.left, right: $0.right, height: $0.height) },
                cut: ReferenceLine(value: tree.cutHeight(clusters: k), label: "cut into \(k) clusters"),
                title: "The top of the Ward merge tree", xTitle: "Training images under each branch",
                yTitle: "Merge height"),
            texts: ["leaves": "\(top.sizes.count)", "clusters": "\(k)"])
    }

    private static func folds(
        _ folds: Check, stability: StabilityResult, silhouette: SilhouetteResult
    )
        -> FigureDrawing
    {
        FigureDrawing(
            figure: BarChartFigure(
                categories: stability.folds.indices.map { "fold \($0 + 1)" },
                series: [.init(name: "", values: stability.folds.map { $0.heldOutSilhouette ?? .nan })],
                references: [
                    ReferenceLine(value: silhouette.score, label: "all training rows"),
                    ReferenceLine(value: silhouette.baseline, label: "structureless data"),
                ],
                decimals: 3, title: "Silhouette of each held-out fold", xTitle: "", yTitle: "Silhouette"),
            texts: ["count": "\(folds.count)"]
        ).describing(ClustererCaption(folds.clusterer))
    }

    static func results(_ run: SectionInput) -> [String: any Encodable & Sendable] {
        let results = run.results
        return [
            "final_model": results.finalModel, "chance": results.chance, "confusion": results.confusion,
            "per_label": results.perLabel, "stability": results.stability,
        ]
    }

    static func values(_ run: SectionInput) -> [String: Any] {
        var values: [String: Any] = ["stability": stability(run.results.stability)]
        if let final = run.final {
            values["final"] = ModelValues.of(final, finalModel: run.results.finalModel)
            values["clusters"] = final.clusterSizes.enumerated().map { cluster, size in
                ["cluster": "\(cluster)", "size": Formatting.count(size), "label": final.clusterLabels[cluster]]
            }
        }
        return values
    }

    private static func stability(_ summary: ExperimentResults.StabilitySummary) -> [String: Any] {
        let runs = summary.runs
        let silhouettes = runs.folds.compactMap(\.heldOutSilhouette)
        return [
            "has_seeds": runs.seeds.count >= 2, "has_folds": !silhouettes.isEmpty,
            "seed_count": "\(runs.seeds.count)", "fold_count": "\(runs.folds.count)",
            "seeds": runs.seeds.map { run in
                [
                    "seed": "\(run.seed)", "accuracy": Formatting.percent(run.hungarianAccuracy),
                    "nmi": Formatting.decimal(run.nmi), "inertia": Formatting.count(Int(run.inertia.rounded())),
                ]
            },
            "folds": runs.folds.enumerated().map { index, fold in
                [
                    "fold": "\(index + 1)", "fitted": Formatting.count(fold.fittedRows),
                    "held_out": Formatting.count(fold.heldOutRows),
                    "silhouette": fold.heldOutSilhouette.map { Formatting.decimal($0) } ?? "-",
                ]
            },
            "mean_accuracy": Formatting.percent(summary.meanAccuracy),
            "spread": ModelValues.points(summary.accuracySpread),
            "mean_ari": Formatting.decimal(summary.meanPairwiseARI),
            "fold_mean": Formatting.decimal(summary.meanFoldSilhouette),
            "fold_deviation": Formatting.decimal(summary.foldSilhouetteDeviation),
        ]
    }
}
