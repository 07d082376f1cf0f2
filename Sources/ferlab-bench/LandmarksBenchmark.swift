import ArgumentParser
import FERData
import FERLandmarks

/// Times dlib's landmark model on every image of a dataset.
struct LandmarksBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landmarks",
        abstract: "Time reading dlib's 68-point model and placing its points on every image, on all cores.",
        discussion: "Prints one JSON object: model_load and landmarks (seconds), rows."
    )

    @Argument(help: "A FER-layout CSV (plain or .gz).")
    var path: String

    @Option(help: "The dlib shape predictor.")
    var model: String = LandmarkModel.debianPath

    @Option(help: "Enlargement before the model runs.")
    var upscale: Int = 4

    @Option(help: "The face box's inset, a fraction of the image's size.")
    var inset: Double = 0.08

    @Option(help: "The face box: crop (the inset image) or detect (dlib's face detector).")
    var face: LandmarkModel.FaceBox = .crop

    func run() throws {
        let dataset = try DatasetLoader.load(path: path)
        var loaded: LandmarkModel?
        let load = try Timing.median(1) { loaded = try LandmarkModel.load(model) }
        guard let loaded else { return }
        let place = try Timing.median(1) {
            _ = try loaded.place(
                dataset.pixels[...], count: dataset.count, width: dataset.width, height: dataset.height,
                upscale: upscale, inset: inset, face: face)
        }
        try Timing.printJSON(["model_load": load, "landmarks": place, "rows": dataset.count])
    }
}

extension LandmarkModel.FaceBox: ExpressibleByArgument {}
