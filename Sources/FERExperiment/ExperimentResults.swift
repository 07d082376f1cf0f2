import FERData
import FERMath

/// Every number a report shows, gathered from the stages; written as the
/// site's `results.json` (snake_case keys, sorted) and used to fill the page
/// templates.
public struct ExperimentResults: Codable, Sendable, Equatable {
    /// The dataset as read.
    public struct DatasetResults: Codable, Sendable, Equatable {
        /// The dataset path as configured (or `synthetic`).
        public var source: String
        /// `csv`, `image-folders` or `synthetic`.
        public var kind: String
        /// Content hash of the data (or the generator parameters).
        public var dataHash: String
        /// Images in the dataset.
        public var rows: Int
        /// Width in points.
        public var width: Int
        /// Height in points.
        public var height: Int
        /// The source's columns.
        public var columns: [String]
        /// Label names, by code.
        public var labels: [String]
        /// Images per label.
        public var classCounts: [String: Int]
        /// Images per usage value.
        public var usageCounts: [String: Int]
        /// Missing values per column.
        public var missingValues: [String: Int]
    }

    /// What preprocessing kept and how it split the rows.
    public struct PreprocessingResults: Codable, Sendable, Equatable {
        /// The per-label cap, if any.
        public var perClass: Int?
        /// How capped labels were sampled.
        public var sampling: String
        /// How pixels were scaled.
        public var scaling: String
        /// How rows were split, in words.
        public var split: String
        /// Images kept.
        public var rowsUsed: Int
        /// Images the models were fitted on.
        public var trainRows: Int
        /// Held-out images.
        public var testRows: Int
        /// Images kept per label.
        public var classCountsUsed: [String: Int]
    }

    /// One model: a reducer, k-means on its scores, and how the clusters match the labels.
    public struct ModelResults: Codable, Sendable, Equatable {
        /// The model's name (its reducer).
        public var name: String
        /// `pca` or `svd`.
        public var reducer: String
        /// Components kept.
        public var components: Int
        /// Clusters fitted.
        public var clusters: Int
        /// Mean silhouette of the training images.
        public var silhouette: Double
        /// The same k-means's silhouette on structureless data of the same shape.
        public var baselineSilhouette: Double
        /// Held-out accuracy with the configured map.
        public var accuracy: Double
        /// Held-out accuracy with the Hungarian map.
        public var accuracyHungarian: Double
        /// Held-out accuracy with the majority map.
        public var accuracyMajority: Double
        /// Training accuracy with the configured map.
        public var accuracyTrain: Double
        /// The configured map.
        public var mapMethod: String
        /// Normalised mutual information of the held-out clusters and labels.
        public var nmi: Double
        /// Adjusted Rand index of the held-out clusters and labels.
        public var ari: Double
        /// Purity of the training clusters.
        public var purity: Double
        /// k-means inertia.
        public var inertia: Double
        /// Variance explained by each kept component.
        public var explainedVarianceRatio: [Double]
        /// Training images per cluster.
        public var clusterSizes: [Int]
        /// The label each cluster maps to (`-` for none).
        public var clusterLabels: [String]
    }

    /// Per-label precision and recall of the final model on the held-out rows.
    public struct LabelResults: Codable, Sendable, Equatable {
        /// The label.
        public var label: String
        /// Its held-out images.
        public var heldOut: Int
        /// Held-out precision.
        public var precision: Double
        /// Held-out recall.
        public var recall: Double
    }

    /// The experiment's name.
    public var experiment: String
    /// The dataset.
    public var dataset: DatasetResults
    /// The subset and split.
    public var preprocessing: PreprocessingResults
    /// Every model, in the configured order.
    public var models: [ModelResults]
    /// The final model's name.
    public var finalModel: String
    /// The grid search (empty when disabled).
    public var grid: [ClusterGrid.Cell]
    /// The grid cell with the best silhouette.
    public var bestGrid: ClusterGrid.Cell?
    /// Chance levels of the held-out images.
    public var chance: ChanceLevels
    /// The final model's held-out confusion matrix (true label by row).
    public var confusion: [[Int]]
    /// The final model per label.
    public var perLabel: [LabelResults]
}

extension Experiment {
    /// Gathers the results, computing whatever stage is not cached.
    public func results() throws -> ExperimentResults {
        let data = try dataset.get(), summary = try self.summary.get().value, split = try sample.get()
        func counts(_ rows: [Int]) -> [String: Int] {
            var result = Dictionary(uniqueKeysWithValues: data.labelNames.map { ($0, 0) })
            for row in rows { result[data.labelName(row), default: 0] += 1 }
            return result
        }
        let splitText = config.split.method == .fraction
            ? "stratified fraction \(config.split.testFraction) held out (seed \(config.split.seed))"
            : "usage \(config.split.testUsage.joined(separator: ", ")) held out"
        var modelResults: [ExperimentResults.ModelResults] = []
        for model in models {
            let reduction = try model.reduction.get(), fit = try model.clusters.get()
            let silhouette = try model.silhouette.get(), metrics = try model.metrics.get().value
            modelResults.append(ExperimentResults.ModelResults(
                name: model.reducer.rawValue, reducer: model.reducer.rawValue, components: config.models.components,
                clusters: config.models.clusters, silhouette: silhouette.score, baselineSilhouette: silhouette.baseline,
                accuracy: metrics.test.accuracy, accuracyHungarian: metrics.testHungarianAccuracy,
                accuracyMajority: metrics.testMajorityAccuracy, accuracyTrain: metrics.train.accuracy,
                mapMethod: config.clusterMap.method.rawValue, nmi: metrics.nmi, ari: metrics.ari, purity: metrics.purity,
                inertia: fit.clustering.inertia,
                explainedVarianceRatio: Array(reduction.projection.explainedVarianceRatio.prefix(config.models.components)),
                clusterSizes: fit.clustering.sizes,
                clusterLabels: metrics.map.labelOf.map { $0.map { data.labelNames[$0] } ?? "-" }))
        }
        let cells = try grid?.get().value ?? []
        let final = try finalModel.metrics.get().value
        let perLabel = data.labelNames.indices.map { index in
            ExperimentResults.LabelResults(label: data.labelNames[index], heldOut: final.test.confusion[index].reduce(0, +),
                                           precision: final.test.precision[index], recall: final.test.recall[index])
        }
        return ExperimentResults(
            experiment: config.name,
            dataset: .init(source: config.dataset.path, kind: summary.kind, dataHash: dataFingerprint, rows: summary.rows,
                           width: summary.width, height: summary.height, columns: summary.columns,
                           labels: data.labelNames, classCounts: counts(Array(0..<data.count)),
                           usageCounts: Dictionary(summary.usage.map { ($0.name, $0.count) }, uniquingKeysWith: +),
                           missingValues: summary.missingValues),
            preprocessing: .init(perClass: config.preprocessing.perClass, sampling: config.preprocessing.sampling.rawValue,
                                 scaling: config.preprocessing.scaling.rawValue, split: splitText,
                                 rowsUsed: split.rows.count, trainRows: split.train.count, testRows: split.test.count,
                                 classCountsUsed: counts(split.rows)),
            models: modelResults, finalModel: config.models.final.rawValue, grid: cells, bestGrid: ClusterGrid.best(cells),
            chance: final.chance, confusion: final.test.confusion, perLabel: perLabel)
    }
}
