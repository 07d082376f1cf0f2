import FERCore
import FERData
import FERFigures
import FERMath

/// The pages of a report, one per notebook milestone.
public enum ReportPage: String, CaseIterable, Sendable, Codable {
    /// Milestone 1: what the data looks like.
    case exploration
    /// Milestone 2, first half: the subset, scaling and split.
    case preprocessing
    /// Milestone 2, second half: reducers compared, the grid search.
    case firstModel = "first-model"
    /// Milestone 3: the chosen model in detail.
    case finalModel = "final-model"
    /// Feature extractors compared on the same rows.
    case features
    /// A classifier trained on the cluster labels, against the supervised ceiling.
    case secondModel = "second-model"
    /// Error analysis and conclusions.
    case conclusions
}

/// One figure of the report: where it goes and the stage that draws it.
public struct FigureStage: Sendable {
    /// File name without extension, unique in the site.
    public let name: String
    /// The page that shows it.
    public let page: ReportPage
    /// Alt text.
    public let title: String
    /// The drawn file and its caption.
    public let output: StageOutput<FigureFile>
}

/// Declares the figures of the notebook milestones.
enum ExperimentFigures {
    static func declare(for experiment: Experiment) -> [FigureStage] {
        let list = FigureList(experiment: experiment)
        declareMilestones(into: list)
        EvidenceFigures.declare(into: list)
        // In page order, so figure numbers run down the site.
        let order = Dictionary(uniqueKeysWithValues: ReportPage.allCases.enumerated().map { ($0.element, $0.offset) })
        return list.figures.enumerated().sorted {
            (order[$0.element.page] ?? 0, $0.offset) < (order[$1.element.page] ?? 0, $1.offset)
        }.map(\.element)
    }

    private static func declareMilestones(into list: FigureList) {
        let experiment = list.experiment, config = experiment.config, options = config.figures
        let dataset = experiment.dataset, sample = experiment.sample
        func figure(
            _ name: String, _ page: ReportPage, _ title: String, parameters: [(String, String)] = [],
            inputs: [any StageKeyed], caption: @escaping () throws -> String,
            draw: @escaping () throws -> any Figure
        ) {
            list.add(name, page, title, parameters: parameters, inputs: inputs, caption: caption, draw: draw)
        }
        func provenance(_ details: String) -> String { list.provenance(details) }

        // Exploration.
        figure(
            "class-balance", .exploration, "Images per label", inputs: [dataset],
            caption: {
                provenance(
                    "Images per label in the whole dataset (\(DecimalText.format(Double(try dataset.get().count), decimals: 0)) rows)"
                )
            },
            draw: {
                let data = try dataset.get()
                return BarChartFigure(
                    categories: data.labelNames, values: data.classCounts, title: "Images per label",
                    xTitle: "Label")
            })
        let samplesPerClass = config.images.samplesPerClass
        figure(
            "samples", .exploration, "Sample images of every label",
            parameters: [("samples_per_class", "\(samplesPerClass)")], inputs: [dataset],
            caption: {
                provenance("The first \(samplesPerClass) images of each label, with their row numbers (0-based)")
            },
            draw: {
                ImageMosaicFigure.samples(
                    of: try dataset.get(), perLabel: samplesPerClass,
                    title: "\(samplesPerClass) sample images per label")
            })

        // Preprocessing.
        figure(
            "class-balance-subset", .preprocessing, "Images per label in the subset", inputs: [dataset, sample],
            caption: {
                let cap =
                    config.preprocessing.perClass.map {
                        "at most \($0) per label, \(config.preprocessing.sampling.rawValue) rows"
                    } ?? "all rows"
                return provenance("Images per label after sampling (\(cap))")
            },
            draw: {
                let data = try dataset.get(), split = try sample.get()
                var counts = [Int](repeating: 0, count: data.labelNames.count)
                for row in split.rows { counts[Int(data.labels[row])] += 1 }
                return BarChartFigure(
                    categories: data.labelNames, values: counts, title: "Images per label in the subset",
                    xTitle: "Label")
            })
        let labelMeans = experiment.labelMeans, clusterMeans = experiment.clusterMeans
        figure(
            "mean-faces-label", .preprocessing, "Mean face of each label", inputs: [labelMeans, dataset],
            caption: {
                provenance("The mean of the training images of each label, in true gray levels (not stretched)")
            },
            draw: {
                let data = try dataset.get()
                return meanFaces(
                    try labelMeans.get(), names: data.labelNames, width: data.width, height: data.height,
                    title: "Mean face of each label")
            })

        // First model: every reducer compared, the grid search.
        for model in experiment.models {
            let reducerName = model.reducer == .pca ? "PCA" : "TruncatedSVD"
            let axis = model.reducer == .pca ? "Principal component" : "SVD component"
            for withCentres in [false, true] where config.models.components >= 2 {
                let name = "\(model.reducer.rawValue)-scatter\(withCentres ? "-centres" : "")"
                figure(
                    name, .firstModel, "\(reducerName) scatter plot",
                    parameters: [
                        ("alpha", "\(options.pointAlpha)"), ("point", "\(options.pointSize)"),
                    ], inputs: [model.reduction, model.clusters],
                    caption: {
                        provenance(
                            "\(reducerName) components 1 and 2 of the \(DecimalText.format(Double(try model.reduction.get().train.rows), decimals: 0)) training images, coloured by k-means cluster (k = \(try model.clusters.get().clustering.clusterCount), \(config.models.restarts) restarts, seed \(config.models.seed))\(withCentres ? "; × marks the cluster centres" : "")"
                        )
                    },
                    draw: {
                        let scores = try model.reduction.get().train, fit = try model.clusters.get().clustering
                        return ScatterFigure(
                            xs: (0..<scores.rows).map { scores[$0, 0] }, ys: (0..<scores.rows).map { scores[$0, 1] },
                            groups: fit.labels, groupNames: (0..<fit.clusterCount).map(String.init),
                            centres: withCentres
                                ? (0..<fit.clusterCount).map { (fit.centroids[$0, 0], fit.centroids[$0, 1]) } : [],
                            title: "\(reducerName), coloured by cluster\(withCentres ? ", with centres" : "")",
                            xTitle: "\(axis) 1", yTitle: "\(axis) 2", pointAlpha: options.pointAlpha,
                            pointSize: options.pointSize)
                    })
            }
        }
        if let grid = experiment.grid {
            let final = experiment.finalModel
            figure(
                "grid-heatmap", .firstModel, "Silhouette over the grid", inputs: [grid],
                caption: {
                    provenance(
                        "Mean silhouette of k-means (\(config.grid.restarts) restarts) for every pair of components and clusters; the outlined cell is the best"
                    )
                },
                draw: {
                    let cells = try grid.get()
                    let best = ClusterGrid.best(cells)
                    let components = Array(config.grid.components), clusters = Array(config.grid.clusters)
                    return HeatmapFigure(
                        values: components.map { c in
                            clusters.map { k in
                                cells.first { $0.components == c && $0.clusters == k }?.silhouette ?? .nan
                            }
                        },
                        rowNames: components.map(String.init), columnNames: clusters.map(String.init),
                        highlight: best.flatMap { cell in
                            components.firstIndex(of: cell.components).flatMap { row in
                                clusters.firstIndex(of: cell.clusters).map { (row, $0) }
                            }
                        },
                        title: "Silhouette over the grid", rowTitle: "Components", columnTitle: "Clusters",
                        colorTitle: "Silhouette")
                })
            figure(
                "grid-lines", .firstModel, "Silhouette against the number of clusters",
                inputs: [grid, final.silhouette],
                caption: {
                    provenance(
                        "One line per component count; the dashed line is the silhouette of the same k-means on structureless data (k = \(try final.clusters.get().clustering.clusterCount))"
                    )
                },
                draw: {
                    let cells = try grid.get()
                    return LineChartFigure(
                        series: config.grid.components.map { c in
                            .init(
                                name: "\(c) component\(c == 1 ? "" : "s")",
                                points: cells.filter { $0.components == c }.map { (Double($0.clusters), $0.silhouette) }
                            )
                        },
                        references: [
                            .init(
                                value: try final.silhouette.get().baseline,
                                label: "structureless, k = \(try final.clusters.get().clustering.clusterCount)")
                        ],
                        title: "Silhouette against the number of clusters", xTitle: "Clusters", yTitle: "Silhouette",
                        legendTitle: config.models.final == .pca ? "PCA" : "TruncatedSVD")
                })
        }
        if let pca = experiment.models.first(where: { $0.reducer == .pca }) {
            let scree = options.screeComponents, eigenfaces = options.eigenfaces
            figure(
                "scree", .firstModel, "Variance explained by each component", parameters: [("components", "\(scree)")],
                inputs: [pca.reduction],
                caption: {
                    provenance(
                        "Explained variance ratio of the first \(scree) principal components of the training images")
                },
                draw: {
                    let ratios = try pca.reduction.get().projection.explainedVarianceRatio.prefix(scree)
                    return LineChartFigure(
                        series: [
                            .init(
                                name: "explained variance ratio",
                                points: ratios.enumerated().map { (Double($0.offset + 1), $0.element) })
                        ],
                        title: "Variance explained by each principal component", xTitle: "Component",
                        yTitle: "Explained variance ratio", fromZero: true)
                })
            // Components are images only when the model sees pixels.
            if config.models.features == .pixels {
                figure(
                    "eigenfaces", .firstModel, "Principal components as images",
                    parameters: [("count", "\(eigenfaces)")],
                    inputs: [pca.reduction, dataset],
                    caption: {
                        provenance(
                            "The first \(eigenfaces) principal components drawn as images (stretched to the full gray range), with the share of variance each explains"
                        )
                    },
                    draw: {
                        let projection = try pca.reduction.get().projection, data = try dataset.get()
                        return ImageMosaicFigure(
                            groups: [
                                .init(
                                    title: "",
                                    tiles: (0..<min(eigenfaces, projection.componentCount)).map {
                                        .init(
                                            normalizing: Array(projection.components.row($0)),
                                            caption:
                                                "PC \($0 + 1): \(DecimalText.format(projection.explainedVarianceRatio[$0] * 100, decimals: 1))%"
                                        )
                                    })
                            ],
                            imageWidth: data.width, imageHeight: data.height, layout: .rows(perLine: 8),
                            title: "The first principal components as images", tileWidth: Double(data.width) * 2)
                    })
            }
        }

        // Final model.
        let final = experiment.finalModel
        figure(
            "silhouette-diagram", .finalModel, "Silhouette of every image", inputs: [final.silhouette, final.clusters],
            caption: {
                let silhouette = try final.silhouette.get(), trained = try final.clusters.get().clustering.labels.count
                let which =
                    silhouette.sampledRows.map { rows in
                        "a seeded sample of \(DecimalText.format(Double(rows.count), decimals: 0)) of the \(DecimalText.format(Double(trained), decimals: 0)) training images"
                    } ?? "the final model"
                return provenance(
                    "Per-image silhouettes of \(which), sorted within each cluster; the dotted line is the structureless baseline"
                )
            },
            draw: {
                let silhouette = try final.silhouette.get(), fit = try final.clusters.get().clustering
                let labels = silhouette.sampledRows.map { $0.map { fit.labels[$0] } } ?? fit.labels
                return SilhouetteDiagramFigure(
                    samples: silhouette.samples, clusters: labels, clusterCount: fit.clusterCount,
                    mean: silhouette.score, baseline: silhouette.baseline,
                    title: silhouette.sampledRows.map {
                        "Silhouette of \(DecimalText.format(Double($0.count), decimals: 0)) sampled training images, by cluster"
                    } ?? "Silhouette of every training image, by cluster")
            })
        let nearest = config.images.nearest, random = config.images.random
        figure(
            "nearest", .finalModel, "Images nearest each cluster centre", parameters: [("count", "\(nearest)")],
            inputs: [final.reduction, final.clusters, dataset, sample],
            caption: {
                provenance(
                    "The \(nearest) training images nearest each centre, measured among the cluster's own members in the model's \(config.models.components)-component space"
                )
            },
            draw: {
                let points = try final.reduction.get().train.leadingColumns(config.models.components)
                let fit = try final.clusters.get().clustering
                return try clusterMosaic(
                    fit.nearestMembers(of: points, count: nearest), fit: fit, dataset: dataset, sample: sample,
                    title: "The \(nearest) images nearest each cluster centre")
            })
        figure(
            "random", .finalModel, "Random images from each cluster", parameters: [("count", "\(random)")],
            inputs: [final.clusters, dataset, sample],
            caption: {
                provenance("\(random) training images drawn at random (seed \(config.models.seed)) from each cluster")
            },
            draw: {
                let fit = try final.clusters.get().clustering
                return try clusterMosaic(
                    fit.randomMembers(count: random, seed: config.models.seed), fit: fit, dataset: dataset,
                    sample: sample, title: "\(random) random images from each cluster")
            })
        figure(
            "mean-faces-cluster", .finalModel, "Mean face of each cluster", inputs: [clusterMeans, dataset],
            caption: {
                provenance(
                    "The mean training image of each cluster, in true gray levels: compare with the mean face of each label"
                )
            },
            draw: {
                let data = try dataset.get(), means = try clusterMeans.get()
                return meanFaces(
                    means, names: (0..<means.rows).map { "cluster \($0)" }, width: data.width, height: data.height,
                    title: "Mean face of each cluster")
            })

        // Error analysis.
        figure(
            "confusion", .conclusions, "Confusion matrix", inputs: [final.metrics, dataset],
            caption: {
                provenance(
                    "Held-out images: true label against the label of their cluster (\(config.clusterMap.method.rawValue) map); colour is the share of the true label's images"
                )
            },
            draw: {
                confusionHeatmap(
                    try final.metrics.get().test, names: try dataset.get().labelNames,
                    title: "Confusion matrix, held-out images (\(config.clusterMap.method.rawValue) map)")
            })
    }

    /// A confusion matrix coloured by the share of each true label's rows, with counts and shares printed.
    static func confusionHeatmap(_ report: ClassificationReport, names: [String], title: String) -> HeatmapFigure {
        let shares = report.confusion.map { row -> [Double] in
            let total = Double(max(1, row.reduce(0, +)))
            return row.map { Double($0) / total }
        }
        return HeatmapFigure(
            values: shares,
            cellText: zip(report.confusion, shares).map { counts, rowShares in
                zip(counts, rowShares).map {
                    "\(DecimalText.format(Double($0), decimals: 0))\n\(DecimalText.format($1 * 100, decimals: 0))%"
                }
            },
            rowNames: names, columnNames: names, title: title,
            rowTitle: "True label", columnTitle: "Predicted label", colorTitle: "Share of the true label",
            height: max(420, 160 + 52 * names.count))
    }

    /// One mean image (a row of `means`) as gray levels rounded into 0...255.
    static func grayLevels(_ means: Matrix, _ row: Int) -> [UInt8] {
        means.row(row).map { UInt8(max(0, min(255, $0.rounded()))) }
    }

    /// Mean images (rows of `means`) in true gray levels, captioned with `names`.
    private static func meanFaces(
        _ means: Matrix, names: [String], width: Int, height: Int, title: String
    ) -> ImageMosaicFigure {
        ImageMosaicFigure(
            groups: [
                .init(title: "", tiles: names.indices.map { .init(pixels: grayLevels(means, $0), caption: names[$0]) })
            ],
            imageWidth: width, imageHeight: height, layout: .rows(perLine: 8), title: title,
            tileWidth: Double(width) * 2)
    }

    /// One block of images per cluster; `members` are positions among the training rows.
    private static func clusterMosaic(
        _ members: [[Int]], fit: Clustering, dataset: StageOutput<Dataset>,
        sample: StageOutput<SampleSplit>, title: String
    ) throws -> ImageMosaicFigure {
        let data = try dataset.get(), train = try sample.get().train
        return ImageMosaicFigure(
            groups: members.enumerated().map { cluster, positions in
                .init(
                    title: "Cluster \(cluster) (\(DecimalText.format(Double(fit.sizes[cluster]), decimals: 0)) images)",
                    tiles: positions.map { .init(pixels: Array(data.image(train[$0]))) })
            }, imageWidth: data.width, imageHeight: data.height, layout: .rows(perLine: 15), title: title)
    }
}
