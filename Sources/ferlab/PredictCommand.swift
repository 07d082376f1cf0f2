import ArgumentParser
import FERCore
import FERData
import FERExperiment
import FERMath
import FERReport
import Foundation

/// `ferlab predict`: applies a run's model file to new images.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Label new faces with the model a run wrote (model.ferlab in its site).",
        discussion: """
            DATA is a FER-layout CSV, an image folder (ROOT/<label>/* or ROOT/<split>/<label>/*), or one or more \
            PNG or JPEG files of any size: colour becomes gray and every image is resized to the model's size. The \
            images go through the training run's lighting, features, reducer, centres and second model, unchanged.

            Writes one row per image: the image (its file, or its row number in a CSV), its cluster, the cluster's \
            label, its distance to the centre, the second model's label and its probability of every label. When \
            the data has labels, the accuracies of the cluster map and of the second model are printed against \
            chance.

            Example:
              ferlab predict Reports/_site/default/model.ferlab face1.png face2.jpg
              ferlab predict site/model.ferlab fer2013.csv --out predictions.csv
            """
    )

    @Argument(help: "The model file (model.ferlab in a run's site).")
    var model: String

    @Argument(help: "A FER-layout CSV, an image folder, or image files.")
    var data: [String]

    @Option(help: "Where to write the predictions (default: standard output).")
    var out: String?

    @Flag(help: "Replace the --out file even if it is not a predictions file FERLab wrote.")
    var force = false

    @Option(help: "csv or json.")
    var format: OutputFormat = .csv

    @Option(
        help: ArgumentHelp(
            "How the data's label names map to the model's, when they differ (by default by name, case aside, or by a shared beginning of three letters or more).",
            valueName: "data=model,..."))
    var labels: String?

    @Option(
        help: ArgumentHelp(
            "With labelled data: also write a small report site there (accuracies, confusion matrices, images).",
            valueName: "folder"))
    var report: String?

    @Option(help: "A folder of templates over the built-in ones, for --report.")
    var templates: String?

    @Option(
        help: ArgumentHelp(
            "For a model trained on embeddings (from a file or a program): the new images' embeddings, made the same way (a .npy table, one row per image in the data's order, or a CSV whose row column (CSV data) or file column (images) names each image).",
            valueName: "file"))
    var embeddings: String?

    /// How predictions are written.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("give the images to label: a CSV, a folder or image files") }
    }

    func run() throws {
        try reportingErrors {
            let output = out.map { PredictionTable.output($0, force: force) }
            try output?.check()
            let trained = try TrainedModel.read(path: model)
            let input = try PredictionInput.load(data, for: trained, labels: try LabelMatch.given(labels))
            if let match = input.match, !match.announced.isEmpty {
                note("labels matched: \(match.announced.joined(separator: ", "))")
            }
            if let match = input.match, !match.unmatched.isEmpty {
                let example = match.unmatched.map { "\($0)=\(trained.labels[0])" }.joined(separator: ",")
                note(
                    "note: the data's labels \(match.unmatched.joined(separator: ", ")) match none of the model's "
                        + "(\(trained.labels.joined(separator: ", "))), so no accuracy is given; map them with "
                        + "--labels \(example) (each to the model's label it means)")
            }
            // The report's templates and folder are checked before any work.
            let reportSite = try report.map { report -> (TemplateSet, SiteFolder) in
                guard input.truth != nil else {
                    throw ValidationError(
                        "--report needs data with labels the model knows (label folders, or a CSV's label codes)")
                }
                let folder = try SiteFolder(
                    report,
                    protected: [(model, "the model file")] + (templates.map { [($0, "the templates folder")] } ?? [])
                        + data.map { ($0, "the data") } + (out.map { [($0, "the predictions file")] } ?? []),
                    replacingForeignFolder: false)
                return (try TemplateSet(directory: templates), folder)
            }
            if embeddings != nil && trained.embeddingSource == nil {
                throw ValidationError("--embeddings: \(model) reads no embeddings; leave it out")
            }
            let newEmbeddings = try embeddings.map { path in
                try EmbeddingFile.read(
                    path: path, displayPath: path, keys: input.names,
                    keyColumn: input.dataset.provenance.kind == .csv ? "row" : "file")
            }
            let count = input.dataset.count
            note("predicting \(count) image\(count == 1 ? "" : "s") with \(model)")
            let predictions = try trained.predict(input.dataset, modelFile: model, embeddings: newEmbeddings)
            let text =
                format == .csv
                ? PredictionTable.csv(predictions, names: input.names, labels: trained.labels, truth: input.truth)
                : try PredictionTable.json(predictions, names: input.names, labels: trained.labels, truth: input.truth)
            if let output {
                try output.write(Array(text.utf8))
                note("predictions: \(output.path)")
            } else {
                print(text, terminator: "")
            }
            if let truth = input.truth {
                note(PredictionTable.summary(predictions, truth: truth, labels: trained.labels))
            }
            if let (templateSet, folder) = reportSite, let truth = input.truth {
                let files = try PredictionReport.files(
                    model: trained, modelFile: model, data: data.joined(separator: ", "), dataset: input.dataset,
                    predictions: predictions, truth: truth, templates: templateSet)
                try SitePublisher.publish(files, to: folder, experiment: "predictions")
                note("report: \((folder.path as NSString).appendingPathComponent("index.html"))")
            }
        }
    }
}
