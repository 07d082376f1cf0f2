import ArgumentParser
import FERData
import FERExperiment
import FERFeatures
import FERMath

/// Measures how closely a reducer fitted on a seeded sample of the images (what a run does above
/// `Reduction.fitSample` training images) matches one fitted on all of them.
struct ReducerSampleBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reducer-sample",
        abstract: "Compare PCA fitted on a seeded sample of a dataset's images with PCA fitted on all of them.",
        discussion: """
            For the scaled pixels, HOG and HOG+LBP of every image, prints one JSON object: for each, the share of \
            the variance along the components fitted on all images that the sample's components capture, measured \
            on all images (1 is a perfect match), the same for the first two components alone, and both fits' seconds.
            """
    )

    @Argument(help: "A FER-layout CSV (plain or .gz).")
    var path: String

    @Option(help: "Components fitted.")
    var components: Int = 50

    @Option(help: "Images in the sample.")
    var sample: Int = Reduction.fitSample

    func run() throws {
        let dataset = try DatasetLoader.load(path: path)
        let batch = FaceBatch(
            pixels: dataset.pixels[...], rows: dataset.count, width: dataset.width, height: dataset.height)
        let rows = Reduction.fitRows(of: Array(0..<dataset.count), seed: 0, limit: sample)
        var results: [String: Any] = ["rows": dataset.count, "sample": rows.count, "components": components]
        let methods: [(String, any FeatureMethod)] = [
            ("pixels", ScaledPixels(.minMaxPerImage)), ("hog", HOGFeatures(HOG())),
            ("hog_lbp", HOGAndLBP(HOG(), LBP())),
        ]
        for (name, method) in methods {
            let x = try FittedFeatures.fit(FeatureExtractor(method), on: batch).1
            var full: Projection?, sampled: Projection?
            let fullSeconds = try Timing.seconds { full = try PCA(components: components, seed: 0).fit(x) }
            let sampleSeconds = try Timing.seconds {
                sampled = try PCA(components: components, seed: 0).fit(x.selecting(rows: rows))
            }
            guard let full, let sampled else { continue }
            let fullVariances = full.transform(x).columnStatistics().variances
            let sampleVariances = sampled.transform(x).columnStatistics().variances
            func captured(_ count: Int) -> Double {
                sampleVariances.prefix(count).reduce(0, +) / fullVariances.prefix(count).reduce(0, +)
            }
            results[name] = [
                "captured": captured(components), "captured_first_two": captured(2),
                "full_seconds": fullSeconds, "sample_seconds": sampleSeconds,
            ]
        }
        try Timing.printJSON(results)
    }
}
