import ArgumentParser
import FERData
import FERMath
import Foundation

/// Times the notebooks' steps one by one on the final model's input.
struct StepsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steps",
        abstract: "Time loading, sampling and scaling, PCA, TruncatedSVD, k-means and one exact silhouette.",
        discussion: """
            Prints one JSON object of median seconds per step: load (the file as given), sample_scale, pca2, svd2, kmeans7, silhouette. With --scaling, also k-means and silhouette times on the \
            first 5k, 10k, 20k rows and all rows. With --clusterers, also one fit each of a Gaussian mixture (full and diagonal) and \
            Ward, under "clusterers".
            """
    )

    @Argument(help: "A FER-layout CSV (plain or .gz).")
    var path: String

    @Option(help: "Images per class (the final model used 4000).")
    var perClass: Int = 4000

    @Option(name: .customLong("repeat"), help: "Repetitions of each step but the grid.")
    var repetitions: Int = 3

    @Flag(help: "Only time reading the file.")
    var loadOnly = false

    @Flag(help: "Also time k-means and the silhouette at growing row counts.")
    var scaling = false

    @Flag(
        help:
            "Also time the other clusterers on 50 PCA components: Gaussian mixtures (7 components, full and diagonal) on all rows, and Ward on as many rows as it clusters exactly."
    )
    var clusterers = false

    func run() throws {
        var timings: [String: Any] = [:]
        var loaded: Dataset?
        timings["load"] = try Timing.median(repetitions) { loaded = try DatasetLoader.load(path: path) }
        guard let dataset = loaded else { return }
        if loadOnly { return try Timing.printJSON(timings) }
        var x = Matrix(rows: 0, columns: 0)
        timings["sample_scale"] = Timing.median(repetitions) {
            let subset = dataset.subset(dataset.rows(cappedAt: perClass))
            x = Scaling.minMaxPerImage.apply(subset.pixels[...], rows: subset.count, columns: subset.pixelsPerImage)
        }
        timings["rows"] = x.rows
        var pca: Projection?
        timings["pca2"] = try Timing.median(repetitions) { pca = try PCA(components: 2, seed: 0).fit(x) }
        timings["svd2"] = try Timing.median(repetitions) { _ = try TruncatedSVD(components: 2, seed: 0).fit(x) }
        guard let pca else { return }
        let points = pca.transform(x)
        var clustering: Clustering?
        timings["kmeans7"] = try Timing.median(repetitions) {
            clustering = try KMeans(clusters: 7, restarts: 10, seed: 0).fit(points)
        }
        guard let clustering else { return }
        timings["silhouette"] = try Timing.median(repetitions) {
            _ = try Silhouette.score(points, labels: clustering.labels, clusters: 7)
        }
        if scaling { timings["scaling"] = try scalingSeconds(dataset) }
        if clusterers { timings["clusterers"] = try clustererSeconds(x) }
        try Timing.printJSON(timings)
    }

    /// One fit of each other clusterer on the leading 50 components of `x`.
    private func clustererSeconds(_ x: Matrix) throws -> [String: Double] {
        let points = try PCA(components: 50, seed: 0).fit(x).transform(x)
        var seconds: [String: Double] = ["rows": Double(points.rows)]
        for covariance in GaussianMixture.Covariance.allCases {
            seconds["gmm7_\(covariance.rawValue)"] = try Timing.median(1) {
                _ = try GaussianMixture(components: 7, covariance: covariance, seed: 0).fit(points)
            }
        }
        let rows = min(points.rows, WardClustering.exactLimit)
        seconds["ward7_rows"] = Double(rows)
        seconds["ward7"] = try Timing.median(1) {
            _ = try WardClustering(clusters: 7).fit(points.selecting(rows: Array(0..<rows)))
        }
        return seconds
    }

    /// k-means (7 clusters, 10 restarts) and one exact silhouette on the
    /// first rows of all the data, scaled and reduced to 2 components.
    private func scalingSeconds(_ dataset: Dataset) throws -> [[String: Double]] {
        let x = Scaling.minMaxPerImage.apply(dataset.pixels[...], rows: dataset.count, columns: dataset.pixelsPerImage)
        let points = try PCA(components: 2, seed: 0).fit(x).transform(x)
        return try ([5_000, 10_000, 20_000].filter { $0 < dataset.count } + [dataset.count]).map { rows in
            let some = points.selecting(rows: Array(0..<rows))
            var clustering: Clustering?
            let kmeans = try Timing.median(repetitions) {
                clustering = try KMeans(clusters: 7, restarts: 10, seed: 0).fit(some)
            }
            let labels = clustering?.labels ?? []
            let silhouette = try Timing.median(repetitions) {
                _ = try Silhouette.score(some, labels: labels, clusters: 7)
            }
            return ["rows": Double(rows), "kmeans7": kmeans, "silhouette": silhouette]
        }
    }
}
