import FERData
import FERMath

/// Every number a report shows, gathered from the stages; written as the
/// site's `results.json` (snake_case keys, sorted) and used to fill the page
/// templates.
public struct ExperimentResults: Codable, Sendable, Equatable {
    /// The dataset as read.
    public struct DatasetResults: Codable, Sendable, Equatable {
        public var source: String
        public var kind: String
        public var dataHash: String
        public var rows: Int
        public var width: Int
        public var height: Int
        public var columns: [String]
        public var labels: [String]
        public var classCounts: [String: Int]
        public var usageCounts: [String: Int]
        public var missingValues: [String: Int]
    }

    /// What preprocessing kept and how it split the rows.
    public struct PreprocessingResults: Codable, Sendable, Equatable {
        public var perClass: Int?
        public var sampling: String
        public var scaling: String
        public var split: String
        public var rowsUsed: Int
        public var trainRows: Int
        public var testRows: Int
        public var classCountsUsed: [String: Int]
    }

    /// One model: a reducer, k-means on its scores, and how the clusters match the labels.
    public struct ModelResults: Codable, Sendable, Equatable {
        public var name: String
        public var reducer: String
        public var components: Int
        public var clusters: Int
        public var silhouette: Double
        public var baselineSilhouette: Double
        public var accuracy: Double
        public var accuracyHungarian: Double
        public var accuracyMajority: Double
        public var accuracyTrain: Double
        public var mapMethod: String
        public var nmi: Double
        public var ari: Double
        public var purity: Double
        public var inertia: Double
        public var explainedVarianceRatio: [Double]
        public var clusterSizes: [Int]
        public var clusterLabels: [String]
    }

    /// Per-label precision and recall of the final model on the held-out rows.
    public struct LabelResults: Codable, Sendable, Equatable {
        public var label: String
        public var heldOut: Int
        public var precision: Double
        public var recall: Double
    }

    public var experiment: String
    public var dataset: DatasetResults
    public var preprocessing: PreprocessingResults
    public var models: [ModelResults]
    public var finalModel: String
    public var grid: [ClusterGrid.Cell]
    public var bestGrid: ClusterGrid.Cell?
    public var chance: ChanceLevels
    public var confusion: [[Int]]
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
