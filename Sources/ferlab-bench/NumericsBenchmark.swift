import ArgumentParser
import FERData
import FERMath
import Foundation

/// Times the notebooks' numerical steps on the final model's input.
struct NumericsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numerics",
        abstract: "Time PCA, TruncatedSVD, k-means, one exact silhouette and the component x cluster grid.",
        discussion: "Prints one JSON object: the median seconds of each step over the repetitions."
    )

    @Argument(help: "A FER-layout CSV (plain or .gz).")
    var path: String

    @Option(help: "Images per class (the final model used 4000).")
    var perClass: Int = 4000

    @Option(name: .customLong("repeat"), help: "Repetitions of the fast steps (the grid runs once).")
    var repetitions: Int = 3

    @Flag(help: "Skip the 44-fit grid.")
    var noGrid = false

    func run() throws {
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let dataset = try DatasetLoader.load(path: path)
        var timings: [String: Double] = ["load": Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9]
        let rows = dataset.rows(cappedAt: perClass)
        let subset = dataset.subset(rows)
        timings["rows"] = Double(rows.count)

        var x = Matrix(rows: 0, columns: 0)
        timings["scale"] = median { x = Scaling.minMaxPerImage.apply(subset.pixels[...], rows: subset.count, columns: subset.pixelsPerImage) }
        var pcaModel: Projection? = nil
        timings["pca2"] = try median { pcaModel = try PCA(components: 2, seed: 0).fit(x) }
        timings["svd2"] = try median { _ = try TruncatedSVD(components: 2, seed: 0).fit(x) }
        guard let pcaModel else { return }
        let points = pcaModel.transform(x)
        var clustering: Clustering? = nil
        timings["kmeans7"] = try median { clustering = try KMeans(clusters: 7, restarts: 10, seed: 0).fit(points) }
        guard let clustering else { return }
        timings["kmeans7_iterations"] = Double(clustering.iterations)
        timings["silhouette"] = try median { _ = try Silhouette.score(points, labels: clustering.labels, clusters: 7) }

        if !noGrid {
            let start = Date()
            let pca5 = try PCA(components: 5, seed: 0).fit(x)
            _ = try ClusterGrid(components: 2...5, clusters: 5...15, kmeans: KMeans(clusters: 2, restarts: 10, seed: 0))
                .run(on: pca5.transform(x))
            timings["grid"] = Date().timeIntervalSince(start)
        }
        let data = try JSONSerialization.data(withJSONObject: timings, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    private func median(_ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<max(1, repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }
}
