import FERCore
import FERData
import FERFigures
import FERMath

/// Declares the figures beyond the notebooks: the feature comparison, the
/// second model, the stability checks, and what the clusters captured.
enum EvidenceFigures {
    static func declare(into list: FigureList) {
        declareComparison(into: list)
        declareSecondModel(into: list)
        declareStability(into: list)
        declareCapture(into: list)
    }

    /// Chance levels as percentage reference lines.
    private static func chanceLines(_ chance: ChanceLevels) -> [ReferenceLine] {
        [
            ReferenceLine(value: chance.uniform * 100, label: "chance, uniform guess"),
            ReferenceLine(value: chance.majorityClass * 100, label: "chance, most common label"),
        ]
    }

    private static func declareComparison(into list: FigureList) {
        let settings = list.experiment.comparison
        guard !settings.isEmpty else { return }
        let names = settings.map(\.setting.title)
        let scored = settings.flatMap { [$0.metrics, $0.silhouette] as [any StageKeyed] }
        list.add(
            "features-accuracy", .features, "Held-out accuracy of each setting", inputs: scored,
            caption: {
                list.provenance(
                    "Held-out accuracy of each setting's clusters read as labels, through the Hungarian (one-to-one) and majority maps fitted on the training rows; dashed lines are chance levels"
                )
            },
            draw: {
                let metrics = try settings.map { try $0.metrics.get() }
                return BarChartFigure(
                    categories: names,
                    series: [
                        .init(name: "Hungarian map", values: metrics.map { $0.testHungarianAccuracy * 100 }),
                        .init(name: "majority map", values: metrics.map { $0.testMajorityAccuracy * 100 }),
                    ],
                    references: chanceLines(metrics[0].chance), decimals: 1, suffix: "%",
                    title: "Held-out accuracy of each setting", xTitle: "", yTitle: "Accuracy (%)", width: 860,
                    height: 460)
            })
        list.add(
            "features-agreement", .features, "Agreement of each setting's clusters with the labels", inputs: scored,
            caption: {
                list.provenance(
                    "Normalised mutual information and adjusted Rand index of the held-out rows' clusters with their labels; both are 0 for clusters unrelated to the labels"
                )
            },
            draw: {
                let metrics = try settings.map { try $0.metrics.get() }
                return BarChartFigure(
                    categories: names,
                    series: [
                        .init(name: "NMI", values: metrics.map(\.nmi)), .init(name: "ARI", values: metrics.map(\.ari)),
                    ],
                    decimals: 3, title: "Agreement with the labels, held-out images", xTitle: "", yTitle: "Score",
                    width: 860, height: 460)
            })
        list.add(
            "features-silhouette", .features, "Silhouette of each setting beside its structureless baseline",
            inputs: scored,
            caption: {
                list.provenance(
                    "Each setting's mean silhouette on the training rows beside the silhouette the same k-means reaches on a Gaussian cloud shaped like the setting's data; only a clear margin is evidence of clusters"
                )
            },
            draw: {
                let silhouettes = try settings.map { try $0.silhouette.get() }
                return BarChartFigure(
                    categories: names,
                    series: [
                        .init(name: "silhouette", values: silhouettes.map(\.score)),
                        .init(name: "structureless data", values: silhouettes.map(\.baseline)),
                    ],
                    decimals: 3, title: "Silhouette and structureless baseline", xTitle: "", yTitle: "Silhouette",
                    width: 860, height: 460)
            })
    }

    private static func declareSecondModel(into list: FigureList) {
        let experiment = list.experiment, dataset = experiment.dataset, second = experiment.secondModel
        let final = experiment.finalModel
        list.add(
            "second-model-accuracy", .secondModel, "Held-out accuracy of the cluster map and both classifiers",
            inputs: [second, final.metrics],
            caption: {
                list.provenance(
                    "Held-out accuracy of the final model's cluster map, of logistic regression trained on the cluster-mapped labels, and of the same classifier trained on the true labels (the supervised ceiling of these features); dashed lines are chance levels"
                )
            },
            draw: {
                let result = try second.get(), metrics = try final.metrics.get()
                return BarChartFigure(
                    categories: ["cluster map", "classifier on cluster labels", "classifier on true labels"],
                    series: [
                        .init(
                            name: "",
                            values: [
                                metrics.test.accuracy * 100, result.fromClusters.accuracy * 100,
                                result.fromLabels.accuracy * 100,
                            ])
                    ],
                    references: chanceLines(result.chance), decimals: 1, suffix: "%",
                    title: "Held-out accuracy", xTitle: "", yTitle: "Accuracy (%)")
            })
        let classifiers:
            [(name: String, trainedOn: String, labels: String, report: (SecondModelResult) -> ClassificationReport)] = [
                ("confusion-second-model", "cluster labels", "the cluster-mapped labels", { $0.fromClusters }),
                ("confusion-supervised", "true labels", "the true labels", { $0.fromLabels }),
            ]
        for classifier in classifiers {
            list.add(
                classifier.name, .secondModel, "Confusion matrix of the classifier trained on \(classifier.trainedOn)",
                inputs: [second, dataset],
                caption: {
                    list.provenance(
                        "Held-out images: true label against the prediction of logistic regression trained on \(classifier.labels)"
                    )
                },
                draw: {
                    ExperimentFigures.confusionHeatmap(
                        classifier.report(try second.get()), names: try dataset.get().labelNames,
                        title: "Classifier trained on \(classifier.trainedOn), held-out images")
                })
        }
    }

    private static func declareStability(into list: FigureList) {
        let experiment = list.experiment, evidence = experiment.config.evidence
        let stability = experiment.stability, final = experiment.finalModel
        if evidence.seeds >= 2 {
            list.add(
                "stability-seeds", .finalModel, "Held-out accuracy of k-means with other seeds",
                inputs: [stability, final.metrics],
                caption: {
                    list.provenance(
                        "The final model's k-means rerun with \(evidence.seeds) seeds (the first is the model's own): held-out accuracy through each run's Hungarian map; dashed lines are chance levels"
                    )
                },
                draw: {
                    let result = try stability.get()
                    return BarChartFigure(
                        categories: result.seeds.map { "seed \($0.seed)" },
                        series: [.init(name: "", values: result.seeds.map { $0.hungarianAccuracy * 100 })],
                        references: chanceLines(try final.metrics.get().chance), decimals: 1, suffix: "%",
                        title: "Held-out accuracy per k-means seed", xTitle: "", yTitle: "Accuracy (%)")
                })
        }
        if evidence.folds >= 2 {
            list.add(
                "stability-folds", .finalModel, "Silhouette of held-out folds", inputs: [stability, final.silhouette],
                caption: {
                    list.provenance(
                        "\(evidence.folds)-fold cross-validated silhouette: the reducer and k-means fitted on the other folds, each fold's rows assigned to the nearest centre and scored; dashed lines are the silhouette on all training rows and on structureless data"
                    )
                },
                draw: {
                    let result = try stability.get(), silhouette = try final.silhouette.get()
                    return BarChartFigure(
                        categories: result.folds.indices.map { "fold \($0 + 1)" },
                        series: [.init(name: "", values: result.folds.map { $0.heldOutSilhouette ?? .nan })],
                        references: [
                            ReferenceLine(value: silhouette.score, label: "all training rows"),
                            ReferenceLine(value: silhouette.baseline, label: "structureless data"),
                        ],
                        decimals: 3, title: "Silhouette of each held-out fold", xTitle: "", yTitle: "Silhouette")
                })
        }
    }

    private static func declareCapture(into list: FigureList) {
        let experiment = list.experiment, dataset = experiment.dataset
        let final = experiment.finalModel, labelMeans = experiment.labelMeans, clusterMeans = experiment.clusterMeans
        let inputs: [any StageKeyed] = [clusterMeans, labelMeans, final.clusters, final.metrics, dataset]
        list.add(
            "clusters-captured", .conclusions, "Mean face of each cluster beside the mean face of its label",
            inputs: inputs,
            caption: {
                list.provenance(
                    "Top: the mean training image of each cluster and its mean brightness. Bottom: the mean training image of the label the cluster is mapped to. Clusters that differ in brightness more than in expression follow lighting"
                )
            },
            draw: {
                let data = try dataset.get(), map = try final.metrics.get().map
                let clusters = try clusterMeans.get(), labels = try labelMeans.get()
                let brightness = meanLevels(clusters)
                return ImageMosaicFigure(
                    groups: (0..<clusters.rows).map { cluster in
                        var tiles: [ImageMosaicFigure.Tile] = [
                            .init(
                                pixels: ExperimentFigures.grayLevels(clusters, cluster),
                                caption: "brightness \(DecimalText.format(brightness[cluster], decimals: 0))")
                        ]
                        if let label = map.labelOf[cluster] {
                            tiles.append(
                                .init(
                                    pixels: ExperimentFigures.grayLevels(labels, label),
                                    caption: "→ \(data.labelNames[label])"))
                        }
                        return .init(title: "Cluster \(cluster)", tiles: tiles)
                    }, imageWidth: data.width, imageHeight: data.height, layout: .columns,
                    title: "Mean face of each cluster and of its label", tileWidth: Double(data.width) * 2)
            })
        list.add(
            "cluster-brightness", .conclusions, "Mean brightness of each cluster and of its label", inputs: inputs,
            caption: {
                list.provenance(
                    "Mean gray level (0–255) of each cluster's training images beside that of the label it is mapped to; the dashed line is the mean of all training images"
                )
            },
            draw: {
                let fit = try final.clusters.get().clustering, map = try final.metrics.get().map
                let clusterLevels = meanLevels(try clusterMeans.get()), labelLevels = meanLevels(try labelMeans.get())
                let sizes = fit.sizes
                let overall =
                    zip(clusterLevels, sizes).reduce(0) { $0 + $1.0 * Double($1.1) }
                    / Double(max(1, sizes.reduce(0, +)))
                return BarChartFigure(
                    categories: (0..<fit.clusterCount).map { "cluster \($0)" },
                    series: [
                        .init(name: "cluster", values: clusterLevels),
                        .init(
                            name: "its label",
                            values: (0..<fit.clusterCount).map { map.labelOf[$0].map { labelLevels[$0] } ?? .nan }),
                    ],
                    references: [ReferenceLine(value: overall, label: "all training images")],
                    title: "Mean brightness of each cluster and of its label", xTitle: "", yTitle: "Mean gray level")
            })
    }

    /// The mean gray level of each mean image (row).
    private static func meanLevels(_ means: Matrix) -> [Double] {
        (0..<means.rows).map { row in means.row(row).reduce(0.0) { $0 + Double($1) } / Double(max(1, means.columns)) }
    }
}
