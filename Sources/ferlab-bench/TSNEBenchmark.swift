import ArgumentParser
import FERData
import FERMath

/// Times t-SNE of every image of a dataset, from 50 PCA components of the scaled pixels.
struct TSNEBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsne",
        abstract: "Time a t-SNE (Barnes-Hut above 1,000 images) of every image's 50 PCA components, on all cores.",
        discussion: "Prints one JSON object: tsne (seconds), rows."
    )

    @Argument(help: "A FER-layout CSV (plain or .gz).")
    var path: String

    @Option(help: "Components of the PCA t-SNE starts from.")
    var components: Int = 50

    @Option(help: "t-SNE's perplexity.")
    var perplexity: Double = 30

    func run() throws {
        let dataset = try DatasetLoader.load(path: path)
        let x = Scaling.minMaxPerImage.apply(
            dataset.pixels[...], rows: dataset.count, columns: dataset.pixelsPerImage)
        let points = try PCA(components: components, seed: 0).fit(x).transform(x)
        let seconds = try Timing.median(1) { _ = try TSNE(perplexity: perplexity, seed: 0).embed(points) }
        try Timing.printJSON(["tsne": seconds, "rows": dataset.count])
    }
}
