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

    static func load(_ paths: [String], for model: TrainedModel) throws -> PredictionInput {
        var isDirectory: ObjCBool = false
        let first = paths[0]
        let size = DatasetOptions(width: model.width, height: model.height)
        if paths.count == 1, FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory),
            isDirectory.boolValue
        {
            let dataset = try DatasetLoader.load(path: first, options: size)
            let files = try ImageFolderReader.imageFiles(root: first)
            return PredictionInput(dataset: dataset, names: files, truth: truth(of: dataset, labels: model.labels))
        }
        let lower = first.lowercased()
        if paths.count == 1, lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") {
            var options = size
            options.labelNames = model.labels
            let dataset = try DatasetLoader.load(path: first, options: options)
            return PredictionInput(
                dataset: dataset, names: (0..<dataset.count).map(String.init),
                truth: truth(of: dataset, labels: model.labels))
        }
        let dataset = try ImageFiles.read(paths, width: model.width, height: model.height)
        return PredictionInput(dataset: dataset, names: paths, truth: nil)
    }

    /// The data's labels as the model's codes, matched by name; `nil` when one of them is not the model's.
    private static func truth(of dataset: Dataset, labels: [String]) -> [Int32]? {
        let codes = dataset.labelNames.map { name in labels.firstIndex { $0.lowercased() == name.lowercased() } }
        guard codes.allSatisfy({ $0 != nil }) else { return nil }
        return dataset.labels.map { Int32(codes[Int($0)] ?? 0) }
    }
}
