import ArgumentParser
import FERCore
import FERData
import FERFigures
import FERMath
import FERSynth
import Foundation

/// Times drawing every figure of the final model's report.
struct FiguresBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Compute the final model's results, then time drawing all of its figures.",
        discussion: "Prints one JSON object (seconds to draw and encode all figures, and their count) and writes the PNGs to --out for inspection."
    )

    @Argument(help: "A FER-layout CSV, an image folder, or 'synthetic' (the default).")
    var path: String?

    @Option(help: "Images per class.")
    var perClass: Int = 4000

    @Option(help: "Where to write the figures.")
    var out: String = "figures"

    @Option(help: "Pixels per point of the PNGs.")
    var scale: Double = 2

    @Option(name: .customLong("repeat"), help: "Repetitions of the drawing.")
    var repetitions: Int = 3

    func run() throws {
        let figures = try Self.finalModelFigures(dataset: DatasetInput.load(path), perClass: perClass)
        var times: [Double] = []
        var images: [(String, [UInt8])] = []
        for _ in 0..<max(1, repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            let format = FigureFormat.png(scale: scale)
            let rendered = ParallelLoop.mapChunks(count: figures.count, chunks: figures.count) { index, _ in
                (figures[index].name, (try? figures[index].figure.render(format)) ?? [])
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            images = rendered
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (name, bytes) in images {
            try AtomicFile.write(bytes, to: (out as NSString).appendingPathComponent(name + ".png"))
        }
        let result: [String: Double] = ["figures": Double(figures.count), "draw_all": times.sorted()[times.count / 2]]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }

    /// A named figure.
    struct NamedFigure: @unchecked Sendable {
        let name: String
        let figure: any Figure
    }

    static func finalModelFigures(dataset: Dataset, perClass: Int) throws -> [NamedFigure] {
        let names = dataset.labelNames
        let rows = dataset.rows(cappedAt: perClass)
        let subset = dataset.subset(rows)
        let x = Scaling.minMaxPerImage.apply(subset.pixels[...], rows: subset.count, columns: subset.pixelsPerImage)
        let pca = try PCA(components: 20, seed: 0).fit(x)
        let scores = pca.transform(x)
        let points = scores.leadingColumns(2)
        let svd = try TruncatedSVD(components: 2, seed: 0).fit(x)
        let svdPoints = svd.transform(x)
        let k = names.count
        let clustering = try KMeans(clusters: k, seed: 0).fit(points)
        let svdClustering = try KMeans(clusters: k, seed: 0).fit(svdPoints)
        let samples = try Silhouette.samples(points, labels: clustering.labels, clusters: k)
        let mean = samples.reduce(0, +) / Double(samples.count)
        let baseline = try StructurelessBaseline.silhouette(like: points, kmeans: KMeans(clusters: k, seed: 0), seed: 1)
        let grid = try ClusterGrid(components: 2...5, clusters: 5...15, kmeans: KMeans(clusters: 2, seed: 0))
            .run(on: scores.leadingColumns(5))
        let table = Contingency(clusterOf: clustering.labels, labelOf: subset.labels, clusters: k, labels: names.count)
        let map = ClusterMap.hungarian(table)
        let report = ClassificationReport(truth: subset.labels, predicted: map.predict(clustering.labels), classes: names.count)
        let clusterNames = (0..<k).map { "\($0)" }

        func scatter(_ points: Matrix, _ fit: Clustering, centres: Bool, title: String, axis: String) -> ScatterFigure {
            ScatterFigure(xs: (0..<points.rows).map { points[$0, 0] }, ys: (0..<points.rows).map { points[$0, 1] },
                          groups: fit.labels, groupNames: clusterNames,
                          centres: centres ? (0..<k).map { (fit.centroids[$0, 0], fit.centroids[$0, 1]) } : [],
                          title: title, xTitle: "\(axis) 1", yTitle: "\(axis) 2")
        }
        func mosaic(_ members: [[Int]], title: String) -> ImageMosaicFigure {
            ImageMosaicFigure(groups: members.enumerated().map { cluster, rows in
                .init(title: "Cluster \(cluster) (\(NiceScale.format(Double(clustering.sizes[cluster]), decimals: 0)) images)",
                      tiles: rows.map { .init(pixels: Array(subset.image($0))) })
            }, imageWidth: subset.width, imageHeight: subset.height, layout: .rows(perLine: 15), title: title)
        }
        let pixelsAsFloat = Matrix(rows: subset.count, columns: subset.pixelsPerImage, values: subset.pixels.map(Float.init))
        let emotionMeans = pixelsAsFloat.groupMeans(subset.labels, count: names.count)
        let clusterMeans = pixelsAsFloat.groupMeans(clustering.labels, count: k)
        let confusionRows = report.confusion.map { row -> [Double] in
            let total = Double(max(1, row.reduce(0, +)))
            return row.map { Double($0) / total }
        }
        let best = ClusterGrid.best(grid)

        return [
            NamedFigure(name: "class-balance", figure: BarChartFigure(categories: names, values: dataset.classCounts,
                                                                      title: "Images per emotion")),
            NamedFigure(name: "class-balance-subset", figure: BarChartFigure(categories: names, values: subset.classCounts,
                                                                             title: "Images per emotion, at most \(perClass) each")),
            NamedFigure(name: "samples", figure: ImageMosaicFigure.samples(of: dataset, perLabel: 2)),
            NamedFigure(name: "pca-scatter", figure: scatter(points, clustering, centres: false,
                                                             title: "PCA, coloured by k-means cluster", axis: "Principal component")),
            NamedFigure(name: "pca-scatter-centres", figure: scatter(points, clustering, centres: true,
                                                                     title: "PCA with the cluster centres", axis: "Principal component")),
            NamedFigure(name: "svd-scatter-centres", figure: scatter(svdPoints, svdClustering, centres: true,
                                                                     title: "TruncatedSVD with the cluster centres", axis: "SVD component")),
            NamedFigure(name: "nearest", figure: mosaic(clustering.nearestMembers(of: points, count: 30),
                                                        title: "The 30 images nearest each cluster centre")),
            NamedFigure(name: "random", figure: mosaic(clustering.randomMembers(count: 5, seed: 1),
                                                       title: "Five random images from each cluster")),
            NamedFigure(name: "grid-heatmap", figure: HeatmapFigure(
                values: (2...5).map { c in grid.filter { $0.components == c }.map(\.silhouette) },
                rowNames: (2...5).map(String.init), columnNames: (5...15).map(String.init),
                highlight: best.map { ($0.components - 2, $0.clusters - 5) },
                title: "Silhouette over the grid", rowTitle: "Components", columnTitle: "Clusters", colorTitle: "Silhouette")),
            NamedFigure(name: "grid-lines", figure: LineChartFigure(
                series: (2...5).map { c in .init(name: "\(c) components",
                                                 points: grid.filter { $0.components == c }.map { (Double($0.clusters), $0.silhouette) }) },
                references: [.init(value: baseline, label: "structureless baseline, k = \(k)")],
                title: "Silhouette against the number of clusters", xTitle: "Clusters", yTitle: "Silhouette",
                legendTitle: "PCA")),
            NamedFigure(name: "silhouette-diagram", figure: SilhouetteDiagramFigure(
                samples: samples, clusters: clustering.labels, clusterCount: k, mean: mean, baseline: baseline,
                title: "Silhouette of every image, by cluster")),
            NamedFigure(name: "confusion", figure: HeatmapFigure(
                values: confusionRows,
                cellText: zip(report.confusion, confusionRows).map { counts, shares in
                    zip(counts, shares).map { "\($0)\n\(NiceScale.format($1 * 100, decimals: 0))%" }
                },
                rowNames: names, columnNames: names, title: "Confusion matrix (Hungarian map)",
                rowTitle: "True emotion", columnTitle: "Predicted emotion", colorTitle: "Share of the true emotion",
                height: 520)),
            NamedFigure(name: "scree", figure: LineChartFigure(
                series: [.init(name: "explained variance ratio",
                               points: pca.explainedVarianceRatio.enumerated().map { (Double($0.offset + 1), $0.element) })],
                title: "Variance explained by each principal component", xTitle: "Component",
                yTitle: "Explained variance ratio", fromZero: true)),
            NamedFigure(name: "mean-faces-emotion", figure: ImageMosaicFigure(
                groups: [.init(title: "", tiles: names.indices.map { .init(normalizing: Array(emotionMeans.row($0)), caption: names[$0]) })],
                imageWidth: subset.width, imageHeight: subset.height, layout: .rows(perLine: 8),
                title: "Mean face of each emotion", tileWidth: Double(subset.width) * 2)),
            NamedFigure(name: "mean-faces-cluster", figure: ImageMosaicFigure(
                groups: [.init(title: "", tiles: (0..<k).map { .init(normalizing: Array(clusterMeans.row($0)), caption: "cluster \($0)") })],
                imageWidth: subset.width, imageHeight: subset.height, layout: .rows(perLine: 8),
                title: "Mean face of each cluster", tileWidth: Double(subset.width) * 2)),
            NamedFigure(name: "eigenfaces", figure: ImageMosaicFigure(
                groups: [.init(title: "", tiles: (0..<8).map {
                    .init(normalizing: Array(pca.components.row($0)),
                          caption: "PC \($0 + 1): \(NiceScale.format(pca.explainedVarianceRatio[$0] * 100, decimals: 1))%")
                })],
                imageWidth: subset.width, imageHeight: subset.height, layout: .rows(perLine: 8),
                title: "The first principal components as images", tileWidth: Double(subset.width) * 2)),
        ]
    }
}
