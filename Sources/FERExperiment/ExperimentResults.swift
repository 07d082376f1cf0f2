import FERData
import FERFeatures
import FERMath

/// Every number a report shows, gathered from the stages; written as the
/// site's `results.json` (snake_case keys, sorted) and used to fill the page
/// templates.
public struct ExperimentResults: Codable, Sendable, Equatable {
    /// The dataset as read.
    public struct DatasetResults: Codable, Sendable, Equatable {
        /// The dataset path as written (the file name of an absolute path), or `synthetic`.
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
        /// Entries of the source passed over, each with why (absent when none were).
        public var passedOver: [String]? = nil
    }

    /// What preprocessing kept and how it split the rows.
    public struct PreprocessingResults: Codable, Sendable, Equatable {
        /// The per-label cap, if any.
        public var perClass: Int?
        /// How capped labels were sampled.
        public var sampling: String
        /// How pixels were scaled.
        public var scaling: Scaling
        /// Lighting normalisation before features.
        public var lighting: Lighting
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
        /// The groups the split keeps together; `nil` when the experiment names none.
        public var groups: GroupResults? = nil
        /// The near-copy check of the split (`nil` in sites made before it).
        public var nearCopies: NearCopyResults? = nil
    }

    /// The groups (subjects) of the used images and how the split placed them.
    public struct GroupResults: Codable, Sendable, Equatable {
        /// `split.groups` as the config writes it.
        public var source: String
        /// Groups among the used images.
        public var groups: Int
        /// Fewest, median and most images of a group.
        public var imagesPerGroup: [Int]
        /// Groups with images in training.
        public var trainGroups: Int
        /// Groups with held-out images.
        public var testGroups: Int
        /// Groups with images on both sides (none, unless something is wrong).
        public var sharedGroups: Int
        /// Rows of a usage split moved to the other side than their usage names, to keep their group together.
        public var movedToKeepGroups: Int
    }

    /// How many held-out images are near-copies of a training image, and the closest pairs.
    public struct NearCopyResults: Codable, Sendable, Equatable {
        /// One closest pair.
        public struct Pair: Codable, Sendable, Equatable {
            /// The held-out image's row.
            public var heldOutRow: Int
            /// Its nearest training image's row.
            public var trainingRow: Int
            /// The correlation of their small copies.
            public var correlation: Double
        }

        /// Side of the small copies compared.
        public var side: Int
        /// Correlation at and above which a pair counts as a near-copy.
        public var threshold: Double
        /// Held-out images checked.
        public var heldOut: Int
        /// Held-out images that are near-copies of a training image.
        public var count: Int
        /// `count` over `heldOut`.
        public var share: Double
        /// The closest pairs, closest first.
        public var closest: [Pair]
    }

    /// One model: features, a reducer, k-means on its scores, and how the clusters match the labels.
    public struct ModelResults: Codable, Sendable, Equatable {
        /// The model's name (its reducer for the milestone models, the setting's identifier on the features page).
        public var name: String
        /// A readable name of the setting: `HOG, PCA 50, whitened`.
        public var title: String
        /// What the model sees.
        public var features: FeatureKind
        /// The reducer.
        public var reducer: Projection.Method
        /// Components kept.
        public var components: Int
        /// Whether components were scaled to unit variance.
        public var whiten: Bool
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
        /// 95% interval of `accuracy` (a percentile bootstrap over the held-out images).
        public var accuracyInterval: ClosedRange<Double>?
        /// 95% interval of `accuracyHungarian`.
        public var accuracyHungarianInterval: ClosedRange<Double>?
        /// 95% interval of `accuracyMajority`.
        public var accuracyMajorityInterval: ClosedRange<Double>?
        /// Training accuracy with the configured map.
        public var accuracyTrain: Double
        /// Training accuracy with the Hungarian map.
        public var accuracyHungarianTrain: Double
        /// The configured map.
        public var mapMethod: ClusterMap.Method
        /// Normalised mutual information of the held-out clusters and labels.
        public var nmi: Double
        /// 95% interval of `nmi`.
        public var nmiInterval: ClosedRange<Double>?
        /// Adjusted Rand index of the held-out clusters and labels.
        public var ari: Double
        /// Normalised mutual information of the training clusters and labels.
        public var nmiTrain: Double
        /// Adjusted Rand index of the training clusters and labels.
        public var ariTrain: Double
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
        /// Rows in each silhouette sample, when the silhouette was estimated on samples (absent when exact).
        public var silhouetteSampleSize: Int? = nil
        /// Each sample's silhouette, when sampled.
        public var silhouetteSampleScores: [Double]? = nil
        /// Held-out Hungarian accuracy over k-means seeds (compared settings, when `stability.seeds` is 2 or more).
        public var seedAccuracy: SeedAccuracy? = nil
    }

    /// Held-out Hungarian accuracy of one setting over its k-means seeds.
    public struct SeedAccuracy: Codable, Sendable, Equatable {
        /// Seeds run (the model's own first).
        public var seeds: Int
        /// Their mean accuracy.
        public var mean: Double
        /// The lowest.
        public var min: Double
        /// The highest.
        public var max: Double
        /// Their mean NMI.
        public var meanNMI: Double
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

    /// Summary of the stability checks of the final model.
    public struct StabilitySummary: Codable, Sendable, Equatable {
        /// Every seed run and fold.
        public var runs: StabilityResult
        /// Mean held-out Hungarian accuracy over the seeds.
        public var meanAccuracy: Double
        /// Largest minus smallest held-out Hungarian accuracy over the seeds.
        public var accuracySpread: Double
        /// Mean adjusted Rand index between the seeds' clusterings.
        public var meanPairwiseARI: Double
        /// Mean held-out fold silhouette.
        public var meanFoldSilhouette: Double
        /// Standard deviation of the held-out fold silhouettes.
        public var foldSilhouetteDeviation: Double
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
    /// The settings compared on the features page.
    public var comparison: [ModelResults]
    /// Classifiers trained on the final model's cluster labels and on the true labels.
    public var secondModel: SecondModelResult
    /// How stable the final model's numbers are.
    public var stability: StabilitySummary
    /// How well the landmark model fitted the faces, when any setting uses landmarks.
    public var landmarks: LandmarkResults? = nil

    /// The landmark model and the quality of its fits.
    public struct LandmarkResults: Codable, Sendable, Equatable {
        /// The model file.
        public var model: String
        /// Images it placed points on.
        public var images: Int
        /// Degenerate fits (see `LandmarkQuality`).
        public var degenerate: Int
        /// How face boxes were placed: `crop` or `detect`.
        public var face: String
        /// Images in which the detector found no face.
        public var missed: Int
        /// Rows of the fits furthest from the mean shape, worst first.
        public var worst: [Int]
    }
}

extension Experiment {
    /// The closest pairs `results.json` and the preprocessing page show.
    public static let closestPairsShown = 8

    /// How the split placed the groups; `nil` when ungrouped.
    private func groupResults(_ split: SampleSplit) -> ExperimentResults.GroupResults? {
        guard let source = config.split.groups, split.groups.isGrouped else { return nil }
        let codes = split.groups.codes
        var sizes: [Int32: Int] = [:]
        for row in split.rows { sizes[codes[row], default: 0] += 1 }
        let sorted = sizes.values.sorted()
        let train = Set(split.train.map { codes[$0] }), test = Set(split.test.map { codes[$0] })
        return ExperimentResults.GroupResults(
            source: source.written, groups: sizes.count,
            imagesPerGroup: [sorted.first ?? 0, sorted.isEmpty ? 0 : sorted[sorted.count / 2], sorted.last ?? 0],
            trainGroups: train.count, testGroups: test.count, sharedGroups: train.intersection(test).count,
            movedToKeepGroups: split.movedToKeepGroups)
    }

    /// The near-copy count and the closest pairs.
    private func nearCopyResults(_ check: NearCopies, split: SampleSplit) -> ExperimentResults.NearCopyResults {
        ExperimentResults.NearCopyResults(
            side: check.side, threshold: check.threshold, heldOut: split.test.count, count: check.count,
            share: Double(check.count) / Double(max(1, split.test.count)),
            closest: check.closest(Self.closestPairsShown).map { position in
                .init(
                    heldOutRow: split.test[position], trainingRow: check.nearest[position],
                    correlation: (Double(check.correlation[position]) * 10_000).rounded() / 10_000)
            })
    }

    /// Gathers the results, computing whatever stage is not cached.
    public func results() throws -> ExperimentResults {
        let data = try dataset.get(), summary = try self.summary.get(), split = try sample.get()
        func counts(_ rows: [Int]) -> [String: Int] {
            var result = Dictionary(uniqueKeysWithValues: data.labelNames.map { ($0, 0) })
            for row in rows { result[data.labelName(row), default: 0] += 1 }
            return result
        }
        let splitText =
            (split.byUsage
                ? "usage \(config.split.testUsage.joined(separator: ", ")) held out"
                : "stratified fraction \(config.split.testFraction) held out, seed \(config.split.seed)")
            + (split.groups.isGrouped ? ", each group whole on one side" : "")
        let modelResults = try models.map {
            try results(of: $0, name: $0.reducer.rawValue, labelNames: data.labelNames)
        }
        let comparisonResults = try comparison.map {
            var result = try results(of: $0, name: $0.setting.identifier, labelNames: data.labelNames)
            result.seedAccuracy = try $0.seeds.flatMap { ExperimentResults.SeedAccuracy(try $0.get()) }
            return result
        }
        let cells = try grid?.get() ?? []
        let final = try finalModel.metrics.get()
        let perLabel = data.labelNames.indices.map { index in
            ExperimentResults.LabelResults(
                label: data.labelNames[index], heldOut: final.test.confusion[index].reduce(0, +),
                precision: final.test.precision[index], recall: final.test.recall[index])
        }
        let quality = try landmarkQuality.get()
        var gathered = ExperimentResults(
            experiment: config.name,
            dataset: .init(
                source: config.dataset.shownPath, kind: summary.kind, dataHash: dataFingerprint, rows: summary.rows,
                width: summary.width, height: summary.height, columns: summary.columns,
                labels: data.labelNames, classCounts: counts(Array(0..<data.count)),
                usageCounts: Dictionary(summary.usage.map { ($0.name, $0.count) }, uniquingKeysWith: +),
                missingValues: summary.missingValues,
                passedOver: summary.skipped.isEmpty ? nil : summary.skipped),
            preprocessing: .init(
                perClass: config.preprocessing.perClass, sampling: config.preprocessing.sampling.rawValue,
                scaling: config.preprocessing.scaling, lighting: config.preprocessing.lighting,
                split: splitText,
                rowsUsed: split.rows.count, trainRows: split.train.count, testRows: split.test.count,
                classCountsUsed: counts(split.rows), groups: groupResults(split),
                nearCopies: nearCopyResults(try nearCopies.get(), split: split)),
            models: modelResults, finalModel: config.models.final.rawValue, grid: cells,
            bestGrid: ClusterGrid.best(cells),
            chance: final.chance, confusion: final.test.confusion, perLabel: perLabel, comparison: comparisonResults,
            secondModel: try secondModel.get(), stability: .init(try stability.get()))
        if usesLandmarks {
            gathered.landmarks = .init(
                model: config.features.landmarks.model, images: quality.images, degenerate: quality.degenerate.count,
                face: config.features.landmarks.face.rawValue, missed: quality.missed.count, worst: quality.worst)
        }
        return gathered
    }

    /// The numbers of one model.
    private func results(
        of model: ModelStages, name: String, labelNames: [String]
    ) throws -> ExperimentResults.ModelResults {
        let reduction = try model.reduction.get(), fit = try model.clusters.get()
        let silhouette = try model.silhouette.get(), metrics = try model.metrics.get()
        let setting = model.setting
        return ExperimentResults.ModelResults(
            name: name, title: setting.title, features: setting.features, reducer: setting.reducer,
            components: setting.components, whiten: setting.whiten, clusters: fit.clustering.clusterCount,
            silhouette: silhouette.score, baselineSilhouette: silhouette.baseline,
            accuracy: metrics.test.accuracy, accuracyHungarian: metrics.testHungarianAccuracy,
            accuracyMajority: metrics.testMajorityAccuracy, accuracyInterval: metrics.intervals.accuracy,
            accuracyHungarianInterval: metrics.intervals.accuracyHungarian,
            accuracyMajorityInterval: metrics.intervals.accuracyMajority, accuracyTrain: metrics.train.accuracy,
            accuracyHungarianTrain: metrics.trainHungarianAccuracy,
            mapMethod: config.clusterMap.method, nmi: metrics.nmi, nmiInterval: metrics.intervals.nmi,
            ari: metrics.ari,
            nmiTrain: metrics.trainNMI, ariTrain: metrics.trainARI, purity: metrics.purity,
            inertia: fit.clustering.inertia,
            explainedVarianceRatio: Array(reduction.projection.explainedVarianceRatio.prefix(setting.components)),
            clusterSizes: fit.clustering.sizes,
            clusterLabels: metrics.map.labelOf.map { $0.map { labelNames[$0] } ?? "-" },
            silhouetteSampleSize: silhouette.sampledRows?.count,
            silhouetteSampleScores: silhouette.sampledRows == nil ? nil : silhouette.perSample)
    }
}

extension ExperimentResults.StabilitySummary {
    /// Summarises `runs`.
    init(_ runs: StabilityResult) {
        func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
        let accuracies = runs.seeds.map(\.hungarianAccuracy)
        let silhouettes = runs.folds.compactMap(\.heldOutSilhouette)
        let foldMean = mean(silhouettes)
        self.init(
            runs: runs, meanAccuracy: mean(accuracies), accuracySpread: runs.accuracySpread,
            meanPairwiseARI: mean(runs.pairwiseARI), meanFoldSilhouette: foldMean,
            foldSilhouetteDeviation: mean(silhouettes.map { ($0 - foldMean) * ($0 - foldMean) }).squareRoot())
    }
}

extension ExperimentResults.SeedAccuracy {
    /// Summarises `runs` (nothing when there are none).
    init?(_ runs: SeedRuns) {
        guard !runs.runs.isEmpty else { return nil }
        let accuracies = runs.runs.map(\.hungarianAccuracy), count = Double(runs.runs.count)
        self.init(
            seeds: runs.runs.count, mean: accuracies.reduce(0, +) / count, min: accuracies.min() ?? 0,
            max: accuracies.max() ?? 0, meanNMI: runs.runs.map(\.nmi).reduce(0, +) / count)
    }
}
