import ArgumentParser
import FERData
import FERExperiment

/// Times a model file on every image of a dataset, reading excluded.
struct PredictBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Time ferlab predict's work (features, reducer, centres, second model) on every image of a dataset.",
        discussion: "Prints one JSON object: seconds, rows, images_per_second. Reading the data is not timed."
    )

    @Argument(help: "A model file (model.ferlab in a run's site).")
    var model: String

    @Argument(help: "A FER-layout CSV (plain or .gz).")
    var path: String

    @Option(name: .customLong("repeat"), help: "Repetitions.")
    var repetitions: Int = 3

    func run() throws {
        let trained = try TrainedModel.read(path: model)
        let dataset = try DatasetLoader.load(
            path: path, options: DatasetOptions(width: trained.width, height: trained.height))
        let seconds = try Timing.median(repetitions) { _ = try trained.predict(dataset, modelFile: model) }
        try Timing.printJSON([
            "seconds": seconds, "rows": dataset.count, "images_per_second": Double(dataset.count) / seconds,
        ])
    }
}
