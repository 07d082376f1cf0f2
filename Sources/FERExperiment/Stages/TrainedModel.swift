import FERCore
import FERData
import FERFeatures
import FERLandmarks
import FERMath
import FERStages
import Foundation

/// What a run learned, as one self-describing file (`model.ferlab` in the
/// site): the image size and lighting, the fitted features, the reducer,
/// the k-means centres and their labels, the second model, the label names
/// and where it all came from. Applied unchanged to new images by
/// `predict`; nothing in it is refitted.
public struct TrainedModel: Sendable, Equatable, Codable {
    /// The format this FERLab writes and reads.
    public static let formatVersion = 1
    /// Always `ferlab-model`.
    public var format = "ferlab-model"
    /// The file's format version.
    public var version = formatVersion
    /// Where it came from (filled in when the file is written, so that no stage keys on the whole config).
    public var provenance = Provenance()
    /// The size images are resized to.
    public var width: Int
    /// The size images are resized to.
    public var height: Int
    /// Lighting normalisation before the features.
    public var lighting: Lighting
    /// The fitted features.
    public var features: FittedFeatures
    /// The landmark model and how it sees an image, when the features read landmarks.
    public var landmarks: LandmarkSet.Settings?
    /// The fitted reducer.
    public var reducer: Projection
    /// Whether its components are scaled to unit variance.
    public var whiten: Bool
    /// Leading components clustered.
    public var components: Int
    /// The k-means centres (one row per cluster).
    public var centres: Matrix
    /// The label of each cluster (`nil`: none), and the map that gave it.
    public var clusterLabels: [Int?]
    /// `hungarian`, `majority` or `manual`.
    public var map: ClusterMap.Method
    /// The classifier trained on the cluster-labelled training images.
    public var secondModel: SecondModel
    /// The label names, by code.
    public var labels: [String]

    /// The run that trained the model.
    public struct Provenance: Sendable, Equatable, Codable {
        /// FERLab's version.
        public var ferlabVersion = FERLabVersion.current
        /// The experiment's name.
        public var experiment = ""
        /// Every config value, by key.
        public var config: [String: String] = [:]
        /// The training data's content hash.
        public var dataHash = ""

        /// The provenance of a model trained by experiment `experiment` with `config` on data `dataHash`.
        public init(experiment: String = "", config: [String: String] = [:], dataHash: String = "") {
            self.experiment = experiment
            self.config = config
            self.dataHash = dataHash
        }
    }

    /// The second model: standardised leading components into logistic regression.
    public struct SecondModel: Sendable, Equatable, Codable {
        /// Leading components it reads.
        public var components: Int
        /// Its standardiser, fitted on the training rows.
        public var standardizer: Standardizer
        /// The fitted classifier.
        public var classifier: LogisticModel
        /// The temperature its scores are divided by, so that its probabilities are calibrated (absent in files
        /// of FERLab before calibration: 1).
        public var temperature: Double?
    }

    /// What the model stage reads besides its inputs.
    public struct Settings: StageParameters {
        /// Lighting normalisation before the features.
        public var lighting: Lighting
        /// The landmark model, when the features read landmarks.
        public var landmarks: LandmarkSet.Settings?
        /// Whether the reducer's components are whitened.
        public var whiten: Bool
        /// Components clustered.
        public var components: Int
        /// The map's method.
        public var map: ClusterMap.Method
        /// Leading components the second model reads.
        public var secondComponents: Int
    }

    /// The final model of a run, from its stages' values.
    static func make(
        _ settings: Settings, summary: DatasetSummary, reduction: Reduction, clusters: ClusterFit,
        metrics: ModelMetrics, classifier: ClusterClassifier
    ) -> TrainedModel {
        TrainedModel(
            width: summary.width, height: summary.height, lighting: settings.lighting, features: reduction.features,
            landmarks: settings.landmarks, reducer: reduction.projection, whiten: settings.whiten,
            components: settings.components, centres: clusters.clustering.centroids,
            clusterLabels: metrics.map.labelOf, map: settings.map,
            secondModel: SecondModel(
                components: settings.secondComponents, standardizer: classifier.standardizer,
                classifier: classifier.model, temperature: classifier.temperature),
            labels: summary.labels.map(\.name))
    }

    /// The file's bytes: JSON with sorted keys, so the same model is the same file.
    public func fileBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}

extension TrainedModel: JSONCacheCodable {}
