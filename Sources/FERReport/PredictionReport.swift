import FERCore
import FERData
import FERExperiment
import FERFigures
import FERMath
import Foundation
import Ink

/// The small site `ferlab predict --report` writes: the accuracies of the
/// cluster map and of the second model against chance, both confusion
/// matrices, and the images under each predicted label with their true
/// labels; its prose from `Templates/reports/predictions.md.mustache`.
package enum PredictionReport {
    /// Images shown under each label: a seeded sample of those the model gave it, so a folder sorted by label
    /// does not show only its first label's images.
    static let perLabel = 10
    /// The sample's seed.
    static let sampleSeed: UInt64 = 0

    /// The report's files, by path in its folder.
    /// - Throws: `TemplateError` for a template that names a value it does not have.
    package static func files(
        model: TrainedModel, modelFile: String, data: String, dataset: Dataset,
        predictions: [TrainedModel.Prediction], truth: [Int32], templates: TemplateSet
    ) throws -> [String: [UInt8]] {
        let scores = TrainedModel.Scores(predictions, truth: truth, classes: model.labels.count)
        let clusters = scores.clusterMap, second = scores.secondModel, chance = scores.chance
        let groups = model.labels.indices.map { label in
            ImageMosaicFigure.Group(
                title: model.labels[label],
                tiles: Dataset.SampleOrder.random(seed: sampleSeed).choose(
                    perLabel, of: predictions.indices.filter { predictions[$0].label == label }, label: label
                ).sorted().map {
                    ImageMosaicFigure.Tile(pixels: Array(dataset.image($0)), caption: model.labels[Int(truth[$0])])
                })
        }
        let format = FigureFormat.png(scale: 2)
        var files: [String: [UInt8]] = [
            "figures/confusion-clusters.png": try SharedFigures.confusionHeatmap(
                clusters, names: model.labels, title: "True label against the cluster's label"
            ).render(format),
            "figures/confusion-second-model.png": try SharedFigures.confusionHeatmap(
                second, names: model.labels, title: "True label against the second model's label"
            ).render(format),
            "figures/by-label.png": try ImageMosaicFigure(
                groups: groups, imageWidth: dataset.width, imageHeight: dataset.height,
                layout: .rows(perLine: perLabel), title: "Images under each predicted label",
                tileWidth: Double(dataset.width) * (dataset.width <= 48 ? 2 : 1)
            ).render(format),
            "style.css": templates.stylesheet,
        ]
        let values: [String: Any] = [
            "images": Formatting.count(dataset.count), "data": data, "model": modelFile,
            "experiment": model.provenance.experiment, "cluster_accuracy": Formatting.percent(clusters.accuracy),
            "second_accuracy": Formatting.percent(second.accuracy), "per_label": "\(perLabel)",
            "chance": [
                "uniform": Formatting.percent(chance.uniform),
                "class_frequency": Formatting.percent(chance.classFrequency),
                "majority_class": Formatting.percent(chance.majorityClass),
            ],
        ]
        let markdown = try templates.renderReport("reports/predictions", values)
        files["index.md"] = Array(markdown.utf8)
        files["index.html"] = Array(
            try templates.wrap(
                MarkdownParser().html(from: markdown), title: "Predictions", experiment: model.provenance.experiment,
                paper: model.provenance.config["report.paper"] ?? "a4"
            ).utf8)
        return files
    }
}
