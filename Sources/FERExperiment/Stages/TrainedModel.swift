import FERCore
import FERData
import FERFeatures
import FERLandmarks
import FERMath
import FERStages
import Foundation

/// What a run learned, as one self-describing file (`model.ferlab` in the
/// site): the image size and lighting, the fitted features, the reducer,
/// the cluster centres (and a Gaussian mixture's components) and their labels, the second model, the label names
/// and where it all came from. Applied unchanged to new images by
/// `predict`; nothing in it is refitted.
package struct TrainedModel: Sendable, Equatable, Codable {
    /// The format this FERLab writes and reads.
    package static let formatVersion = 1
    /// Always `ferlab-model`.
    package var format = "ferlab-model"
    /// The file's format version.
    package var version = formatVersion
    /// Where it came from (filled in when the file is written, so that no stage keys on the whole config).
    package var provenance = Provenance()
    /// The size images are resized to.
    package var width: Int
    /// The size images are resized to.
    package var height: Int
    /// Lighting normalisation before the features.
    package var lighting: Lighting
    /// The fitted features.
    package var features: FittedFeatures
    /// The landmark model and how it sees an image, when the features read landmarks.
    package var landmarks: LandmarkSet.Settings?
    /// The fitted reducer.
    package var reducer: Projection
    /// Whether its components are scaled to unit variance.
    package var whiten: Bool
    /// Leading components clustered.
    package var components: Int
    /// The cluster centres (one row per cluster).
    package var centres: Matrix
    /// The Gaussian mixture that assigns new images when the clusters are its components (absent for clusterers
    /// that assign each image to the nearest centre).
    package var mixture: FittedGaussianMixture? = nil
    /// The label of each cluster (`nil`: none), and the map that gave it.
    package var clusterLabels: [Int?]
    /// `hungarian`, `majority` or `manual`.
    package var map: ClusterMap.Method
    /// The classifier trained on the cluster-labelled training images.
    package var secondModel: SecondModel
    /// The label names, by code.
    package var labels: [String]

    /// The run that trained the model.
    package struct Provenance: Sendable, Equatable, Codable {
        /// FERLab's version.
        package var ferlabVersion = FERLabVersion.current
        /// The experiment's name.
        package var experiment = ""
        /// Every config value, by key.
        package var config: [String: String] = [:]
        /// The training data's content hash.
        package var dataHash = ""

        /// The provenance of a model trained by experiment `experiment` with `config` on data `dataHash`.
        package init(experiment: String = "", config: [String: String] = [:], dataHash: String = "") {
            self.experiment = experiment
            self.config = config
            self.dataHash = dataHash
        }
    }

    /// The second model: standardised leading components into logistic regression.
    package struct SecondModel: Sendable, Equatable, Codable {
        /// Leading components it reads.
        package var components: Int
        /// Its standardiser, fitted on the training rows.
        package var standardizer: Standardizer
        /// The fitted classifier.
        package var classifier: LogisticModel
        /// The temperature its scores are divided by, so that its probabilities are calibrated (absent in files
        /// of FERLab before calibration: 1).
        package var temperature: Double?
    }

    /// What the model stage reads besides its inputs.
    package struct Settings: StageParameters {
        /// Lighting normalisation before the features.
        package var lighting: Lighting
        /// The landmark model, when the features read landmarks.
        package var landmarks: LandmarkSet.Settings?
        /// Whether the reducer's components are whitened.
        package var whiten: Bool
        /// Components clustered.
        package var components: Int
        /// The map's method.
        package var map: ClusterMap.Method
        /// Leading components the second model reads.
        package var secondComponents: Int
    }

    /// The final model of a run, from its stages' values.
    static func make(
        _ settings: Settings, summary: DatasetSummary, reduction: Reduction, clusters: ClusterFit,
        metrics: ModelMetrics, classifier: ClusterClassifier
    ) -> TrainedModel {
        TrainedModel(
            width: summary.width, height: summary.height, lighting: settings.lighting, features: reduction.features,
            landmarks: settings.landmarks, reducer: reduction.projection, whiten: settings.whiten,
            components: settings.components, centres: clusters.clustering.centroids, mixture: clusters.mixture,
            clusterLabels: metrics.map.labelOf, map: settings.map,
            secondModel: SecondModel(
                components: settings.secondComponents, standardizer: classifier.standardizer,
                classifier: classifier.model, temperature: classifier.temperature),
            labels: summary.labels.map(\.name))
    }

    /// The file's bytes: JSON with sorted keys, so the same model is the same file.
    package func fileBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}

extension TrainedModel: JSONCacheCodable {}
