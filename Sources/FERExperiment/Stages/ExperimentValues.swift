import FERData
import FERFeatures
import FERMath
import Foundation

/// The rows an experiment uses: the per-class subset, split into the rows
/// the models are fitted on and the held-out rows. All are dataset row
/// numbers in file order.
public struct SampleSplit: Sendable, Equatable {
    /// Every row used (training and held out).
    public var rows: [Int]
    /// Rows the models are fitted on.
    public var train: [Int]
    /// Held-out rows.
    public var test: [Int]
    /// Whether the held-out rows were chosen by their usage (else by a seeded stratified fraction).
    public var byUsage: Bool
    /// Each image's group, kept wholly on one side (`ImageGroups.none` when the experiment names none).
    public var groups: ImageGroups = .none
    /// Rows of a usage split on the other side than their usage says, to keep their group together.
    public var movedToKeepGroups: Int = 0
}

/// A fitted reducer and the component scores of the training and held-out
/// rows (the held-out rows projected with the fitted model, never refitted).
public struct Reduction: Sendable, Equatable {
    /// The features as fitted on the training rows.
    public var features: FittedFeatures
    /// The fitted model.
    public var projection: Projection
    /// Scores of the training rows.
    public var train: Matrix
    /// Scores of the held-out rows.
    public var test: Matrix
}

/// k-means on the training scores and the clusters it predicts for the held-out rows.
public struct ClusterFit: Sendable, Equatable {
    /// The fit.
    public var clustering: Clustering
    /// Predicted cluster of each held-out row.
    public var testLabels: [Int32]
}

/// The silhouette of a clustering and the structureless baseline for it.
public struct SilhouetteResult: Sendable, Equatable {
    /// Per training row, or per row of the first sample when sampled.
    public var samples: [Double]
    /// The training rows `samples` belong to when sampled (`nil`: all, in order).
    public var sampledRows: [Int]?
    /// Mean over the training rows, or over the samples' means.
    public var score: Double
    /// Each sample's mean (one value when exact).
    public var perSample: [Double]
    /// The mean silhouette the same k-means reaches on a Gaussian cloud shaped like the data.
    public var baseline: Double
}

/// How well clusters, read as labels, match the true labels.
public struct ModelMetrics: Sendable, Equatable, Codable {
    /// The map used for the headline accuracy (the configured method).
    public var map: ClusterMap
    /// The one-to-one optimal map.
    public var hungarian: ClusterMap
    /// The most-common-label map.
    public var majority: ClusterMap
    /// Held-out rows through the configured map.
    public var test: ClassificationReport
    /// Training rows through the configured map.
    public var train: ClassificationReport
    /// Held-out accuracy with the Hungarian map.
    public var testHungarianAccuracy: Double
    /// Held-out accuracy with the majority map.
    public var testMajorityAccuracy: Double
    /// Chance levels of the held-out rows.
    public var chance: ChanceLevels
    /// Agreement of the held-out rows' clusters with their labels.
    public var nmi: Double
    /// Adjusted Rand index of the held-out rows.
    public var ari: Double
    /// Training accuracy with the Hungarian map (the clustering literature's "clustering accuracy").
    public var trainHungarianAccuracy: Double
    /// Agreement of the training rows' clusters with their labels.
    public var trainNMI: Double
    /// Adjusted Rand index of the training rows.
    public var trainARI: Double
    /// Purity of the training clusters.
    public var purity: Double
    /// Training rows per (cluster, label).
    public var contingency: Contingency
    /// 95% intervals of the held-out numbers.
    public var intervals: HeldOutIntervals
}

/// 95% percentile-bootstrap intervals of a model's held-out numbers (`Bootstrap`), each `nil` without held-out
/// rows.
public struct HeldOutIntervals: Sendable, Equatable, Codable {
    /// Accuracy with the configured map.
    public var accuracy: ClosedRange<Double>?
    /// Accuracy with the Hungarian map.
    public var accuracyHungarian: ClosedRange<Double>?
    /// Accuracy with the majority map.
    public var accuracyMajority: ClosedRange<Double>?
    /// Normalised mutual information of clusters and labels.
    public var nmi: ClosedRange<Double>?
}
