import FERData
import FERMath

/// The students' next step: a classifier trained on the training rows
/// labelled with their cluster's label, tested on the held-out rows; and
/// the same classifier trained on the true labels, the supervised ceiling
/// of these features.
public struct SecondModelResult: Sendable, Equatable, Codable {
    /// Held-out rows, classifier trained on cluster-mapped labels.
    public var fromClusters: ClassificationReport
    /// Held-out rows, classifier trained on the true labels.
    public var fromLabels: ClassificationReport
    /// Training rows whose cluster has a label (the rest cannot be used).
    public var clusterLabelledRows: Int
    /// Training rows in all.
    public var trainingRows: Int
    /// Chance levels of the held-out rows.
    public var chance: ChanceLevels
    /// Held-out rows where the classifier agrees with the cluster map it was trained on.
    public var agreementWithClusters: Double
    /// 95% interval of the cluster-trained classifier's held-out accuracy (`Bootstrap`).
    public var fromClustersInterval: ClosedRange<Double>?
    /// 95% interval of the label-trained classifier's held-out accuracy.
    public var fromLabelsInterval: ClosedRange<Double>?

    /// How much of the supervised classifier's gain over uniform guessing the
    /// cluster-trained one reaches (0 when the supervised one gains nothing).
    public var capturedShare: Double {
        let ceiling = fromLabels.accuracy - chance.uniform
        return ceiling > 0 ? max(0, (fromClusters.accuracy - chance.uniform) / ceiling) : 0
    }

    /// What the second-model stage reads: the components it sees and the classifier's settings.
    public struct Settings: StageParameters {
        /// Leading components, standardised, as the classifier's features.
        public var components: Int
        /// The classifier.
        public var classifier: LogisticRegression
    }

    /// Tests `trained` (the classifier trained on cluster labels) and fits the same classifier on the true
    /// labels, both on the first `settings.components` standardised scores.
    static func train(
        _ settings: Settings, reduction: Reduction, fit: ClusterFit, metrics: ModelMetrics,
        trained: ClusterClassifier, split: SampleSplit, dataset: Dataset
    ) throws -> SecondModelResult {
        let components = settings.components, classifier = settings.classifier
        let classes = dataset.labelNames.count
        let standardizer = trained.standardizer
        let train = standardizer.apply(reduction.train.leadingColumns(components))
        let test = standardizer.apply(reduction.test.leadingColumns(components))
        let trainTruth = split.train.map { dataset.labels[$0] }, testTruth = split.test.map { dataset.labels[$0] }
        let fromClusters = trained.model.predict(test)
        let fromLabels = try classifier.fit(train, labels: trainTruth, classes: classes).predict(test)
        let mappedTest = metrics.map.predict(fit.testLabels)
        let agreeing = zip(fromClusters, mappedTest).filter { $0 == $1 }.count
        let bootstrap = Bootstrap(count: testTruth.count, seed: Bootstrap.defaultSeed)
        func interval(_ predicted: [Int32]) -> ClosedRange<Double>? {
            bootstrap.intervalOfMean(zip(predicted, testTruth).map { $0 == $1 ? 1 : 0 })
        }
        return SecondModelResult(
            fromClusters: ClassificationReport(truth: testTruth, predicted: fromClusters, classes: classes),
            fromLabels: ClassificationReport(truth: testTruth, predicted: fromLabels, classes: classes),
            clusterLabelledRows: trained.labelledRows, trainingRows: trainTruth.count,
            chance: ChanceLevels(truth: testTruth, classes: classes),
            agreementWithClusters: testTruth.isEmpty ? 0 : Double(agreeing) / Double(testTruth.count),
            fromClustersInterval: interval(fromClusters), fromLabelsInterval: interval(fromLabels))
    }
}

/// The second model: a classifier trained on the training rows labelled with their cluster's label, on the
/// standardised leading components. One stage fits it; the report tests it and the model file keeps it.
public struct ClusterClassifier: Sendable, Equatable, Codable {
    /// The standardiser of its features, fitted on the training rows.
    public var standardizer: Standardizer
    /// The fitted classifier.
    public var model: LogisticModel
    /// Training rows it could use (those whose cluster has a label).
    public var labelledRows: Int

    /// Fits it on the training rows whose cluster has a label.
    static func fit(
        _ settings: SecondModelResult.Settings, reduction: Reduction, fit: ClusterFit, metrics: ModelMetrics,
        summary: DatasetSummary
    ) throws -> ClusterClassifier {
        let scores = reduction.train.leadingColumns(settings.components)
        let standardizer = Standardizer(fitting: scores)
        let mapped = metrics.map.predict(fit.clustering.labels)
        let labelled = mapped.indices.filter { mapped[$0] >= 0 }
        let model = try settings.classifier.fit(
            standardizer.apply(scores).selecting(rows: labelled), labels: labelled.map { mapped[$0] },
            classes: summary.labels.count)
        return ClusterClassifier(standardizer: standardizer, model: model, labelledRows: labelled.count)
    }
}

extension ClusterClassifier: JSONCacheCodable {}
