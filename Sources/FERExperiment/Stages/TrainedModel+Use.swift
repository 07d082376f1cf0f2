import FERData
import FERFeatures
import FERLandmarks
import FERMath
import FERStages
import Foundation

/// A model file that cannot be used: the file and what is wrong.
package struct ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model file.
    package let file: String
    /// What is wrong.
    package let message: String

    /// A problem with the model file `file`.
    package init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    package var description: String { "\(file): \(message)" }
}

extension TrainedModel {
    /// The model in the file at `path`, checked from end to end before use.
    /// - Throws: `ModelFileError` for a missing, damaged or truncated file, or one of a newer format; `DataError`
    ///   when it cannot be read.
    package static func read(path: String) throws -> TrainedModel {
        let bytes = Data(try DataFile.read(path: path, displayPath: path))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        guard let header = try? decoder.decode(Header.self, from: bytes), header.format == "ferlab-model",
            let version = header.version
        else {
            throw ModelFileError(file: path, "is not a FERLab model file, or it is damaged or truncated")
        }
        guard version <= formatVersion else {
            throw ModelFileError(
                file: path,
                "was written by a newer FERLab (model format \(version)); this one reads format \(formatVersion): update FERLab"
            )
        }
        let model: TrainedModel
        do {
            model = try decoder.decode(TrainedModel.self, from: bytes)
        } catch {
            throw ModelFileError(file: path, "is damaged or truncated (\(Self.describe(error)))")
        }
        if let problem = model.inconsistency {
            throw ModelFileError(file: path, "is damaged: \(problem)")
        }
        return model
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context), DecodingError.keyNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    /// The largest magnitude a classifier's weight may have in a model file (fitted ones stay far below it).
    static let largestWeight = 1e6

    /// What does not fit together, or lies outside what a config accepts, if anything. Each check runs only when
    /// those before it passed, so no size is computed from numbers out of range.
    var inconsistency: String? {
        let side = 1...DatasetOptions.largestSide
        guard side.contains(width), side.contains(height) else {
            return "image size \(width) x \(height) is outside 1-\(DatasetOptions.largestSide) pixels a side"
        }
        if let problem = features.extractor.settingsProblem { return "the features' settings: \(problem)" }
        guard !labels.isEmpty else { return "it names no labels" }
        let length = features.extractor.dimension(width: width, height: height)
        let reduced = reducer.componentCount
        let checks: [() -> (Bool, String)] = [
            {
                (features.isConsistent(width: width, height: height), "the fitted features do not match their settings")
            },
            {
                (
                    reducer.components.columns == length && reducer.mean.count == length,
                    "the reducer does not match the features' \(length) values"
                )
            },
            { (reducer.explainedVariance.count == reduced, "the reducer's variances do not match its components") },
            {
                (
                    components >= 1 && components <= reduced && centres.columns == components,
                    "the centres do not match the \(components) components clustered"
                )
            },
            {
                (
                    centres.rows >= 1 && clusterLabels.count == centres.rows,
                    "the clusters' labels do not match the centres"
                )
            },
            {
                (
                    mixture.map { $0.isConsistent(components: centres.rows, dimension: components) } ?? true,
                    "the Gaussian mixture does not match the centres and components"
                )
            },
            {
                (
                    clusterLabels.allSatisfy { $0.map { $0 >= 0 && $0 < labels.count } ?? true },
                    "a cluster's label is not among the \(labels.count) labels"
                )
            },
            {
                (
                    secondModel.components >= 1 && secondModel.components <= reduced
                        && secondModel.standardizer.means.count == secondModel.components
                        && secondModel.standardizer.scales.count == secondModel.components
                        && secondModel.classifier.features == secondModel.components
                        && secondModel.classifier.classes == labels.count,
                    "the second model does not match the components and labels"
                )
            },
            {
                (
                    features.extractor.needsLandmarks == (landmarks != nil),
                    "the landmark settings do not match the features"
                )
            },
            {
                (
                    features.valuesAreFinite
                        && (reducer.mean + reducer.components.values + centres.values
                            + secondModel.standardizer.means + secondModel.standardizer.scales)
                            .allSatisfy(\.isFinite),
                    "a fitted value is not a finite number"
                )
            },
            {
                (
                    (secondModel.temperature ?? 1) >= 0.01 && (secondModel.temperature ?? 1) <= 100,
                    "the second model's temperature is outside 0.01-100"
                )
            },
            {
                (
                    secondModel.classifier.largestParameter <= Self.largestWeight,
                    "the second model's weights exceed \(Int(Self.largestWeight)) in size, far beyond any fitted one"
                )
            },
        ]
        return checks.lazy.map { $0() }.first { !$0.0 }?.1
    }

    /// One image's prediction.
    package struct Prediction: Sendable, Equatable {
        /// Its cluster: the nearest centre's, or the mixture's most probable component.
        package var cluster: Int
        /// Its distance to the cluster's centre, in the clustered components.
        package var distance: Double
        /// The cluster's label (`nil`: the cluster has none).
        package var clusterLabel: Int?
        /// The second model's label.
        package var label: Int
        /// The second model's probability of every label.
        package var probabilities: [Double]
    }

    /// How predictions of labelled images score: the cluster map's and the second model's reports, and chance.
    package struct Scores: Sendable {
        /// The cluster map (images of a cluster without a label count as wrong).
        package let clusterMap: ClassificationReport
        /// The second model.
        package let secondModel: ClassificationReport
        /// Chance levels of these images.
        package let chance: ChanceLevels

        /// The scores of `predictions` against `truth`, with `classes` labels.
        package init(_ predictions: [Prediction], truth: [Int32], classes: Int) {
            clusterMap = ClassificationReport(
                truth: truth, predicted: predictions.map { Int32($0.clusterLabel ?? -1) }, classes: classes)
            secondModel = ClassificationReport(
                truth: truth, predicted: predictions.map { Int32($0.label) }, classes: classes)
            chance = ChanceLevels(truth: truth, classes: classes)
        }
    }

    /// The predictions for every image of `dataset` (already `width` x `height`), with the training run's
    /// fitted features, reducer, clusters and classifier, unchanged.
    /// - Throws: `ModelFileError` when the landmark model the features need is missing or not the one trained
    ///   with.
    package func predict(_ dataset: Dataset, modelFile: String, embeddings: Embeddings? = nil) throws -> [Prediction] {
        precondition(dataset.width == width && dataset.height == height, "images must be resized to the model's size")
        let points = try landmarkPoints(dataset, modelFile: modelFile)
        if let source = embeddingSource {
            guard let embeddings else {
                throw ModelFileError(
                    file: modelFile,
                    "was trained on the embeddings in \(source.file): give the new images' embeddings, made the same way, with --embeddings FILE"
                )
            }
            guard embeddings.columns == source.columns, embeddings.values.count == dataset.count * source.columns else {
                throw ModelFileError(
                    file: modelFile,
                    "was trained on embeddings of \(source.columns) numbers per image, but these have \(embeddings.columns)"
                )
            }
        }
        let batch = FeatureMatrices.faces(
            features.extractor, lighting: lighting, dataset: dataset, landmarks: points,
            embeddings: embeddings?.values[...] ?? [])
        let scores = reducer.scores(of: features.apply(batch), whiten: whiten)
        let clustered = scores.leadingColumns(components)
        let nearest = Clustering(centroids: centres, labels: [], inertia: 0, iterations: 0)
        let assigned = mixture?.predict(clustered) ?? nearest.predict(clustered)
        let distances = nearest.distances(of: clustered, labels: assigned)
        let second = secondModel.classifier.probabilities(
            secondModel.standardizer.apply(scores.leadingColumns(secondModel.components)),
            temperature: secondModel.temperature ?? 1)
        return (0..<dataset.count).map { row in
            let cluster = Int(assigned[row])
            let probabilities = second[row]
            // The most probable label, the lowest on ties, as the classifier predicts.
            var best = 0
            for label in probabilities.indices where probabilities[label] > probabilities[best] { best = label }
            return Prediction(
                cluster: cluster, distance: distances[row], clusterLabel: clusterLabels[cluster], label: best,
                probabilities: probabilities)
        }
    }

    /// The embeddings file the model was trained on, when its features read one.
    package var embeddingSource: EmbeddingSource? {
        features.extractor.embeddingSource
    }

    /// The landmarks of every image, when the features read them, from the landmark model trained with.
    private func landmarkPoints(_ dataset: Dataset, modelFile: String) throws -> LandmarkSet {
        guard let settings = landmarks else { return LandmarkSet(points: []) }
        let content: String
        do {
            content = try DataFingerprint.of(path: settings.model)
        } catch {
            throw ModelFileError(
                file: modelFile,
                "needs the landmark model \(settings.model), which is missing; Debian's libdlib-data installs it (apt-get install libdlib-data)"
            )
        }
        guard content == settings.modelContent else {
            throw ModelFileError(
                file: modelFile,
                "was trained with another landmark model than the file now at \(settings.model) (content \(content), trained with \(settings.modelContent))"
            )
        }
        do {
            return try LandmarkSet.place(
                settings, progress: StageProgress(stage: "landmarks", report: nil), dataset: dataset)
        } catch let problem as ConfigProblem {
            throw ModelFileError(file: modelFile, problem.message)
        }
    }
}
