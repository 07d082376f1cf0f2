import FERData
import FERFeatures
import FERMath

/// Every number a report shows, gathered from the stages; written as the
/// site's `results.json` (snake_case keys, sorted) and used to fill the page
/// templates.
package struct ExperimentResults: Codable, Sendable, Equatable {
    /// The dataset as read.
    package struct DatasetResults: Codable, Sendable, Equatable {
        /// The dataset path as written (the file name of an absolute path), or `synthetic`.
        package var source: String
        /// `csv`, `image-folders` or `synthetic`.
        package var kind: String
        /// Content hash of the data (or the generator parameters).
        package var dataHash: String
        /// Images in the dataset.
        package var rows: Int
        /// Width in points.
        package var width: Int
        /// Height in points.
        package var height: Int
        /// The source's columns.
        package var columns: [String]
        /// Label names, by code.
        package var labels: [String]
        /// Images per label.
        package var classCounts: [String: Int]
        /// Images per usage value.
        package var usageCounts: [String: Int]
        /// Missing values per column.
        package var missingValues: [String: Int]
        /// Entries of the source passed over, each with why (absent when none were).
        package var passedOver: [String]? = nil
    }

    /// What preprocessing kept and how it split the rows.
    package struct PreprocessingResults: Codable, Sendable, Equatable {
        /// The per-label cap, if any.
        package var perClass: Int?
        /// How capped labels were sampled.
        package var sampling: String
        /// How pixels were scaled.
        package var scaling: Scaling
        /// Lighting normalisation before features.
        package var lighting: Lighting
        /// How rows were split, in words.
        package var split: String
        /// Images kept.
        package var rowsUsed: Int
        /// Images the models were fitted on.
        package var trainRows: Int
        /// Held-out images.
        package var testRows: Int
        /// Images kept per label.
        package var classCountsUsed: [String: Int]
        /// The groups the split keeps together; `nil` when the experiment names none.
        package var groups: GroupResults? = nil
        /// The near-copy check of the split (`nil` in sites made before it).
        package var nearCopies: NearCopyResults? = nil
    }

    /// The groups (subjects) of the used images and how the split placed them.
    package struct GroupResults: Codable, Sendable, Equatable {
        /// `split.groups` as the config writes it.
        package var source: String
        /// Groups among the used images.
        package var groups: Int
        /// Fewest, median and most images of a group.
        package var imagesPerGroup: [Int]
        /// Groups with images in training.
        package var trainGroups: Int
        /// Groups with held-out images.
        package var testGroups: Int
        /// Groups with images on both sides (none, unless something is wrong).
        package var sharedGroups: Int
        /// Rows of a usage split moved to the other side than their usage names, to keep their group together.
        package var movedToKeepGroups: Int
    }

    /// How many held-out images are near-copies of a training image, and the closest pairs.
    package struct NearCopyResults: Codable, Sendable, Equatable {
        /// One closest pair.
        package struct Pair: Codable, Sendable, Equatable {
            /// The held-out image's row.
            package var heldOutRow: Int
            /// Its nearest training image's row.
            package var trainingRow: Int
            /// The correlation of their small copies.
            package var correlation: Double
        }

        /// Side of the small copies compared.
        package var side: Int
        /// Correlation at and above which a pair counts as a near-copy.
        package var threshold: Double
        /// Held-out images in all.
        package var heldOut: Int
        /// Held-out images checked when a seeded sample of them was (there were more than the check takes);
        /// `nil` when all were.
        package var checked: Int?
        /// Images checked that are near-copies of a training image.
        package var count: Int
        /// `count` over the images checked.
        package var share: Double
        /// 95% interval of the share among all held-out images (Wilson's), when a sample was checked.
        package var shareInterval: ClosedRange<Double>?
        /// The closest pairs, closest first.
        package var closest: [Pair]
    }

    /// One model: features, a reducer, k-means on its scores, and how the clusters match the labels.
    package struct ModelResults: Codable, Sendable, Equatable {
        /// The model's name (its reducer for the milestone models, the setting's identifier on the features page).
        package var name: String
        /// A readable name of the setting: `HOG, PCA 50, whitened`.
        package var title: String
        /// What the model sees.
        package var features: FeatureKind
        /// The reducer.
        package var reducer: Projection.Method
        /// Components kept.
        package var components: Int
        /// Whether components were scaled to unit variance.
        package var whiten: Bool
        /// Clusters fitted.
        package var clusters: Int
        /// Mean silhouette of the training images.
        package var silhouette: Double
        /// The same k-means's silhouette on structureless data of the same shape.
        package var baselineSilhouette: Double
        /// Held-out accuracy with the configured map.
        package var accuracy: Double
        /// Held-out accuracy with the Hungarian map.
        package var accuracyHungarian: Double
        /// Held-out accuracy with the majority map.
        package var accuracyMajority: Double
        /// 95% interval of `accuracy` (a percentile bootstrap over the held-out images).
        package var accuracyInterval: ClosedRange<Double>?
        /// 95% interval of `accuracyHungarian`.
        package var accuracyHungarianInterval: ClosedRange<Double>?
        /// 95% interval of `accuracyMajority`.
        package var accuracyMajorityInterval: ClosedRange<Double>?
        /// Training accuracy with the configured map.
        package var accuracyTrain: Double
        /// Training accuracy with the Hungarian map.
        package var accuracyHungarianTrain: Double
        /// The configured map.
        package var mapMethod: ClusterMap.Method
        /// Normalised mutual information of the held-out clusters and labels.
        package var nmi: Double
        /// 95% interval of `nmi`.
        package var nmiInterval: ClosedRange<Double>?
        /// Adjusted Rand index of the held-out clusters and labels.
        package var ari: Double
        /// Normalised mutual information of the training clusters and labels.
        package var nmiTrain: Double
        /// Adjusted Rand index of the training clusters and labels.
        package var ariTrain: Double
        /// Purity of the training clusters.
        package var purity: Double
        /// Sum of squared distances of the training rows to their cluster's centre (k-means inertia).
        package var inertia: Double
        /// Variance explained by each kept component.
        package var explainedVarianceRatio: [Double]
        /// Training images per cluster.
        package var clusterSizes: [Int]
        /// The label each cluster maps to (`-` for none).
        package var clusterLabels: [String]
        /// Rows in each silhouette sample, when the silhouette was estimated on samples (absent when exact).
        package var silhouetteSampleSize: Int? = nil
        /// Each sample's silhouette, when sampled.
        package var silhouetteSampleScores: [Double]? = nil
        /// Held-out Hungarian accuracy over the clusterer's seeds (compared settings, when `stability.seeds` is 2 or
        /// more).
        package var seedAccuracy: SeedAccuracy? = nil
        /// The clusterer and its settings (absent in sites made before clusterers could be chosen, which used
        /// k-means).
        package var clusterer: ClustererChoice? = nil
        /// The Bayesian information criterion of a Gaussian mixture on the training rows (lower is better).
        package var bic: Double? = nil

        /// The clusterer.
        package var clusterMethod: ClusterMethod { clusterer?.method ?? .kmeans }
    }

    /// Held-out Hungarian accuracy of one setting over its clusterer's seeds.
    package struct SeedAccuracy: Codable, Sendable, Equatable {
        /// Seeds run (the model's own first).
        package var seeds: Int
        /// Their mean accuracy.
        package var mean: Double
        /// The lowest.
        package var min: Double
        /// The highest.
        package var max: Double
        /// Their mean NMI.
        package var meanNMI: Double
    }

    /// Per-label precision and recall of the final model on the held-out rows.
    package struct LabelResults: Codable, Sendable, Equatable {
        /// The label.
        package var label: String
        /// Its held-out images.
        package var heldOut: Int
        /// Held-out precision.
        package var precision: Double
        /// Held-out recall.
        package var recall: Double
    }

    /// Summary of the stability checks of the final model.
    package struct StabilitySummary: Codable, Sendable, Equatable {
        /// Every seed run and fold.
        package var runs: StabilityResult
        /// Mean held-out Hungarian accuracy over the seeds.
        package var meanAccuracy: Double
        /// Largest minus smallest held-out Hungarian accuracy over the seeds.
        package var accuracySpread: Double
        /// Mean adjusted Rand index between the seeds' clusterings.
        package var meanPairwiseARI: Double
        /// Mean held-out fold silhouette.
        package var meanFoldSilhouette: Double
        /// Standard deviation of the held-out fold silhouettes.
        package var foldSilhouetteDeviation: Double
    }

    /// The experiment's name.
    package var experiment: String
    /// The dataset.
    package var dataset: DatasetResults
    /// The subset and split.
    package var preprocessing: PreprocessingResults
    /// Every model, in the configured order.
    package var models: [ModelResults]
    /// The final model's name.
    package var finalModel: String
    /// The grid search (empty when disabled).
    package var grid: [ClusterGrid.Cell]
    /// The grid cell with the best silhouette.
    package var bestGrid: ClusterGrid.Cell?
    /// Chance levels of the held-out images.
    package var chance: ChanceLevels
    /// The final model's held-out confusion matrix (true label by row).
    package var confusion: [[Int]]
    /// The final model per label.
    package var perLabel: [LabelResults]
    /// The settings compared on the features page.
    package var comparison: [ModelResults]
    /// Classifiers trained on the final model's cluster labels and on the true labels.
    package var secondModel: SecondModelResult
    /// How stable the final model's numbers are.
    package var stability: StabilitySummary
    /// How well the landmark model fitted the faces, when any setting uses landmarks.
    package var landmarks: LandmarkResults? = nil

    /// The landmark model and the quality of its fits.
    package struct LandmarkResults: Codable, Sendable, Equatable {
        /// The model file.
        package var model: String
        /// Images it placed points on.
        package var images: Int
        /// Degenerate fits (see `LandmarkQuality`).
        package var degenerate: Int
        /// How face boxes were placed: `crop` or `detect`.
        package var face: String
        /// Images in which the detector found no face.
        package var missed: Int
        /// Rows of the fits furthest from the mean shape, worst first.
        package var worst: [Int]
    }
}

extension Experiment {
    /// The closest pairs `results.json` and the preprocessing page show.
    package static let closestPairsShown = 8

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
            side: check.side, threshold: check.threshold, heldOut: split.test.count,
            checked: check.sampled ? check.checked.count : nil,
            count: check.count, share: Double(check.count) / Double(max(1, check.checked.count)),
            shareInterval: check.shareInterval,
            closest: check.closest(Self.closestPairsShown).map { entry in
                .init(
                    heldOutRow: check.heldOutRow(entry, of: split), trainingRow: check.nearest[entry],
                    correlation: (Double(check.correlation[entry]) * 10_000).rounded() / 10_000)
            })
    }

    /// Gathers the results, computing whatever stage is not cached.
    package func results() throws -> ExperimentResults {
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
            silhouetteSampleScores: silhouette.sampledRows == nil ? nil : silhouette.perSample,
            clusterer: config.models.clusterer(setting.method),
            bic: fit.mixture?.bic(reduction.train.leadingColumns(setting.components)))
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
