import FERData
import FERFeatures
import FERMath
import Foundation

/// The rows an experiment uses: the per-class subset, split into the rows
/// the models are fitted on and the held-out rows. All are dataset row
/// numbers in file order.
package struct SampleSplit: Sendable, Equatable {
    /// Every row used (training and held out).
    package var rows: [Int]
    /// Rows the models are fitted on.
    package var train: [Int]
    /// Held-out rows.
    package var test: [Int]
    /// Whether the held-out rows were chosen by their usage (else by a seeded stratified fraction).
    package var byUsage: Bool
    /// Each image's group, kept wholly on one side (`ImageGroups.none` when the experiment names none).
    package var groups: ImageGroups = .none
    /// Rows of a usage split on the other side than their usage says, to keep their group together.
    package var movedToKeepGroups: Int = 0
}

/// A fitted reducer and the component scores of the training and held-out
/// rows (the held-out rows projected with the fitted model, never refitted).
package struct Reduction: Sendable, Equatable {
    /// The features as fitted on the training rows.
    package var features: FittedFeatures
    /// The fitted model.
    package var projection: Projection
    /// Scores of the training rows.
    package var train: Matrix
    /// Scores of the held-out rows.
    package var test: Matrix
}

/// The clusterer fitted on the training scores and the clusters it assigns the held-out rows.
package struct ClusterFit: Sendable, Equatable {
    /// The fit.
    package var clustering: Clustering
    /// Predicted cluster of each held-out row.
    package var testLabels: [Int32]
    /// The Gaussian mixture whose components the clusters are, if they are one's.
    package var mixture: FittedGaussianMixture? = nil
    /// The merge tree the clusters cut, if they cut one.
    package var tree: WardTree? = nil
}

/// The silhouette of a clustering and the structureless baseline for it.
package struct SilhouetteResult: Sendable, Equatable {
    /// Per training row, or per row of the first sample when sampled.
    package var samples: [Double]
    /// The training rows `samples` belong to when sampled (`nil`: all, in order).
    package var sampledRows: [Int]?
    /// Mean over the training rows, or over the samples' means.
    package var score: Double
    /// Each sample's mean (one value when exact).
    package var perSample: [Double]
    /// The mean silhouette the same clusterer reaches on a Gaussian cloud shaped like the data.
    package var baseline: Double
}

/// How well clusters, read as labels, match the true labels.
package struct ModelMetrics: Sendable, Equatable, Codable {
    /// The map used for the headline accuracy (the configured method).
    package var map: ClusterMap
    /// The one-to-one optimal map.
    package var hungarian: ClusterMap
    /// The most-common-label map.
    package var majority: ClusterMap
    /// Held-out rows through the configured map.
    package var test: ClassificationReport
    /// Training rows through the configured map.
    package var train: ClassificationReport
    /// Held-out accuracy with the Hungarian map.
    package var testHungarianAccuracy: Double
    /// Held-out accuracy with the majority map.
    package var testMajorityAccuracy: Double
    /// Chance levels of the held-out rows.
    package var chance: ChanceLevels
    /// Agreement of the held-out rows' clusters with their labels.
    package var nmi: Double
    /// Adjusted Rand index of the held-out rows.
    package var ari: Double
    /// Training accuracy with the Hungarian map (the clustering literature's "clustering accuracy").
    package var trainHungarianAccuracy: Double
    /// Agreement of the training rows' clusters with their labels.
    package var trainNMI: Double
    /// Adjusted Rand index of the training rows.
    package var trainARI: Double
    /// Purity of the training clusters.
    package var purity: Double
    /// Training rows per (cluster, label).
    package var contingency: Contingency
    /// 95% intervals of the held-out numbers.
    package var intervals: HeldOutIntervals
}

/// 95% percentile-bootstrap intervals of a model's held-out numbers (`Bootstrap`), each `nil` without held-out
/// rows.
package struct HeldOutIntervals: Sendable, Equatable, Codable {
    /// Accuracy with the configured map.
    package var accuracy: ClosedRange<Double>?
    /// Accuracy with the Hungarian map.
    package var accuracyHungarian: ClosedRange<Double>?
    /// Accuracy with the majority map.
    package var accuracyMajority: ClosedRange<Double>?
    /// Normalised mutual information of clusters and labels.
    package var nmi: ClosedRange<Double>?
}
