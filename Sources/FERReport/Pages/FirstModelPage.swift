import FERCore
import FERData
import FERExperiment
import FERFigures
import FERMath
import FERStages

/// Milestone 2, second half: the reducers compared, the grid search, the
/// variance explained and the eigenfaces.
enum FirstModelPage: ReportPage {
    static let page = SitePages.Page(key: "first_model", file: "first-model", title: "First model")

    /// A scatter plot of one reducer's first two components.
    private struct Scatter: StageParameters {
        var reducer: Projection.Method
        var centres: Bool
        var pointAlpha: Double
        var pointSize: Double
        var clusterer: ClustererChoice
    }

    /// The grid's ranges, its clusterer and the final reducer.
    private struct Grid: StageParameters {
        var components: ClosedRange<Int>
        var clusters: ClosedRange<Int>
        var clusterer: ClustererChoice
        var reducer: Projection.Method
    }

    static func declareFigures(into figures: FigureList) {
        let experiment = figures.experiment, config = experiment.config, options = config.figures
        for model in experiment.models where config.models.components >= 2 {
            for centres in [false, true] {
                figures.add(
                    "\(model.reducer.rawValue)-scatter\(centres ? "-centres" : "")",
                    settings: Scatter(
                        reducer: model.reducer, centres: centres, pointAlpha: options.pointAlpha,
                        pointSize: options.pointSize, clusterer: config.models.clusterer(model.setting.method)),
                    inputs: model.reduction, model.clusters, draw: scatter)
            }
        }
        if let pca = experiment.models.first(where: { $0.reducer == .pca }) {
            figures.add(
                "scree", settings: Count(count: options.screeComponents),
                inputs: pca.reduction, draw: scree)
            // Components are images only when the model sees pixels.
            if config.models.features == .pixels {
                figures.add(
                    "eigenfaces", settings: Count(count: options.eigenfaces),
                    inputs: pca.reduction, experiment.dataset, draw: eigenfaces)
            }
        }
        if let grid = experiment.grid {
            let final = experiment.finalModel
            let settings = Grid(
                components: config.grid.components, clusters: config.grid.clusters,
                clusterer: config.models.clusterer(config.models.method, restarts: config.grid.restarts),
                reducer: config.models.final)
            figures.add(
                "grid-heatmap", settings: settings, inputs: grid, draw: gridHeatmap)
            figures.add(
                "grid-lines", settings: settings,
                inputs: grid, final.silhouette, final.clusters, draw: gridLines)
            if settings.clusterer.method.type.reads.covariance {
                figures.add("grid-bic", settings: settings, inputs: grid, draw: gridBIC)
            }
        }
    }

    private static func scatter(_ settings: Scatter, reduction: Reduction, clusters: ClusterFit) -> FigureDrawing {
        let scores = reduction.train, fit = clusters.clustering, centres = settings.centres
        let name = settings.reducer.title
        let axis = settings.reducer.axisTitle
        return FigureDrawing(
            figure: ScatterFigure(
                xs: (0..<scores.rows).map { scores[$0, 0] }, ys: (0..<scores.rows).map { scores[$0, 1] },
                groups: fit.labels, groupNames: (0..<fit.clusterCount).map(String.init),
                centres: centres ? (0..<fit.clusterCount).map { (fit.centroids[$0, 0], fit.centroids[$0, 1]) } : [],
                title: "\(name), coloured by cluster\(centres ? ", with centres" : "")",
                xTitle: "\(axis) 1", yTitle: "\(axis) 2", pointAlpha: settings.pointAlpha,
                pointSize: settings.pointSize),
            texts: ["reducer": name, "rows": Formatting.count(scores.rows), "clusters": "\(fit.clusterCount)"],
            flags: ["centres": centres]
        ).describing(ClustererCaption(settings.clusterer))
    }

    private static func gridHeatmap(_ settings: Grid, cells: [ClusterGrid.Cell]) -> FigureDrawing {
        let best = ClusterGrid.best(cells)
        let components = Array(settings.components), clusters = Array(settings.clusters)
        return FigureDrawing(
            figure: HeatmapFigure(
                values: components.map { c in
                    clusters.map { k in cells.first { $0.components == c && $0.clusters == k }?.silhouette ?? .nan }
                },
                rowNames: components.map(String.init), columnNames: clusters.map(String.init),
                highlight: best.flatMap { cell in
                    components.firstIndex(of: cell.components).flatMap { row in
                        clusters.firstIndex(of: cell.clusters).map { (row, $0) }
                    }
                },
                title: "Silhouette over the grid", rowTitle: "Components", columnTitle: "Clusters",
                colorTitle: "Silhouette")
        ).describing(ClustererCaption(settings.clusterer))
    }

    private static func gridLines(
        _ settings: Grid, cells: [ClusterGrid.Cell], silhouette: SilhouetteResult, clusters: ClusterFit
    ) -> FigureDrawing {
        let k = clusters.clustering.clusterCount
        return FigureDrawing(
            figure: LineChartFigure(
                series: settings.components.map { c in
                    .init(
                        name: "\(c) component\(c == 1 ? "" : "s")",
                        points: cells.filter { $0.components == c }.map { (Double($0.clusters), $0.silhouette) })
                },
                references: [.init(value: silhouette.baseline, label: "structureless, k = \(k)")],
                title: "Silhouette against the number of clusters", xTitle: "Clusters", yTitle: "Silhouette",
                legendTitle: settings.reducer.title),
            texts: ["clusters": "\(k)"]
        ).describing(ClustererCaption(settings.clusterer))
    }

    /// The mixture's BIC at every grid point: one line per component count.
    private static func gridBIC(_ settings: Grid, cells: [ClusterGrid.Cell]) -> FigureDrawing {
        FigureDrawing(
            figure: LineChartFigure(
                series: settings.components.map { c in
                    .init(
                        name: "\(c) component\(c == 1 ? "" : "s")",
                        points: cells.filter { $0.components == c }.compactMap { cell in
                            cell.bic.map { (Double(cell.clusters), $0) }
                        })
                },
                title: "BIC against the number of clusters", xTitle: "Clusters", yTitle: "BIC (lower is better)",
                legendTitle: settings.reducer.title)
        ).describing(ClustererCaption(settings.clusterer))
    }

    private static func scree(_ shown: Count, reduction: Reduction) -> FigureDrawing {
        let ratios = reduction.projection.explainedVarianceRatio.prefix(shown.count)
        return FigureDrawing(
            figure: LineChartFigure(
                series: [
                    .init(
                        name: "explained variance ratio",
                        points: ratios.enumerated().map { (Double($0.offset + 1), $0.element) })
                ],
                title: "Variance explained by each principal component", xTitle: "Component",
                yTitle: "Explained variance ratio", fromZero: true),
            texts: ["count": "\(shown.count)"])
    }

    private static func eigenfaces(_ shown: Count, reduction: Reduction, dataset: Dataset) -> FigureDrawing {
        let projection = reduction.projection
        return FigureDrawing(
            figure: ImageMosaicFigure(
                groups: [
                    .init(
                        title: "",
                        tiles: (0..<min(shown.count, projection.componentCount)).map {
                            .init(
                                normalizing: Array(projection.components.row($0)),
                                caption:
                                    "PC \($0 + 1): \(DecimalText.format(projection.explainedVarianceRatio[$0] * 100, decimals: 1))%"
                            )
                        })
                ],
                imageWidth: dataset.width, imageHeight: dataset.height, layout: .rows(perLine: 8),
                title: "The first principal components as images", tileWidth: Double(dataset.width) * 2),
            texts: ["count": "\(shown.count)"])
    }

    static func results(_ run: SectionInput) -> [String: any Encodable & Sendable] {
        var parts: [String: any Encodable & Sendable] = ["models": run.results.models, "grid": run.results.grid]
        if let best = run.results.bestGrid { parts["best_grid"] = best }
        return parts
    }

    static func values(_ run: SectionInput) -> [String: Any] {
        let results = run.results, config = run.config
        var grid: [String: Any] = ["enabled": false, "sampled": false]
        if let best = results.bestGrid {
            let worst = results.grid.min { $0.silhouette < $1.silhouette }
            grid = [
                "enabled": true, "best_components": "\(best.components)", "best_clusters": "\(best.clusters)",
                "best_silhouette": Formatting.decimal(best.silhouette), "fits": "\(results.grid.count)",
                "worst_silhouette": worst.map { Formatting.decimal($0.silhouette) } ?? "-",
                "components": "\(config.grid.components.lowerBound)-\(config.grid.components.upperBound)",
                "clusters": "\(config.grid.clusters.lowerBound)-\(config.grid.clusters.upperBound)",
                // Above `Reduction.fitSample` training images, the grid is fitted on a seeded sample of them.
                "sampled": Reduction.samples(trainRows: results.preprocessing.trainRows),
                "sample": Formatting.count(Reduction.fitSample),
            ]
        }
        let reducers = Set(results.models.map(\.reducer))
        return [
            "models": results.models.map { ModelValues.of($0, finalModel: results.finalModel) },
            "grid": grid,
            // Which reducers this run fitted: the page compares the notebooks' two only when both are.
            "reducers": [
                "both": reducers.count > 1, "pca_only": reducers == [.pca], "svd_only": reducers == [.truncatedSVD],
            ],
        ]
    }
}
