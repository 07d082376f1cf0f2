import FERData
import FERExperiment
import Foundation

/// The images `ferlab predict` labels: a CSV, an image folder or image files, resized to the model's size,
/// with a name per image and, when the data has labels the model knows, their true labels.
struct PredictionInput {
    let dataset: Dataset
    /// The image's file, or its row number in a CSV.
    let names: [String]
    /// True labels as the model's label codes, when every label of the data is one of the model's.
    let truth: [Int32]?
    /// How the data's labels were matched to the model's; `nil` for images without labels.
    let match: LabelMatch?

    static func load(
        _ paths: [String], for model: TrainedModel, labels given: [String: String]
    ) throws
        -> PredictionInput
    {
        var isDirectory: ObjCBool = false
        let first = paths[0]
        let size = DatasetOptions(width: model.width, height: model.height)
        if paths.count == 1, FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory),
            isDirectory.boolValue
        {
            let dataset = try DatasetLoader.load(path: first, options: size)
            let files = try ImageFolderReader.imageFiles(root: first)
            return try labelled(dataset, names: files, model: model, given: given)
        }
        let lower = first.lowercased()
        if paths.count == 1, lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") {
            var options = size
            options.labelNames = model.labels
            let dataset = try DatasetLoader.load(path: first, options: options)
            return try labelled(dataset, names: (0..<dataset.count).map(String.init), model: model, given: given)
        }
        let dataset = try ImageFiles.read(paths, width: model.width, height: model.height)
        return PredictionInput(dataset: dataset, names: paths, truth: nil, match: nil)
    }

    /// `dataset` with its labels as the model's codes, when every one of them matches one of the model's.
    private static func labelled(
        _ dataset: Dataset, names: [String], model: TrainedModel, given: [String: String]
    ) throws -> PredictionInput {
        guard dataset.labelNames != [ImageFiles.unlabelled] else {
            return PredictionInput(dataset: dataset, names: names, truth: nil, match: nil)
        }
        let match = try LabelMatch.of(data: dataset.labelNames, model: model.labels, given: given)
        let truth = match.unmatched.isEmpty ? dataset.labels.map { Int32(match.codes[Int($0)] ?? 0) } : nil
        return PredictionInput(dataset: dataset, names: names, truth: truth, match: match)
    }
}
