import FERCore
import FERData
import FERMath
import FERStages

/// The students' next step: a classifier trained on the training rows
/// labelled with their cluster's label, tested on the held-out rows; and
/// the same classifier trained on the true labels, the supervised ceiling
/// of these features.
package struct SecondModelResult: Sendable, Equatable, Codable {
    /// Held-out rows, classifier trained on cluster-mapped labels.
    package var fromClusters: ClassificationReport
    /// Held-out rows, classifier trained on the true labels.
    package var fromLabels: ClassificationReport
    /// Training rows whose cluster has a label (the rest cannot be used).
    package var clusterLabelledRows: Int
    /// Training rows in all.
    package var trainingRows: Int
    /// Chance levels of the held-out rows.
    package var chance: ChanceLevels
    /// Held-out rows where the classifier agrees with the cluster map it was trained on.
    package var agreementWithClusters: Double
    /// 95% interval of the cluster-trained classifier's held-out accuracy (`Bootstrap`).
    package var fromClustersInterval: ClosedRange<Double>?
    /// 95% interval of the label-trained classifier's held-out accuracy.
    package var fromLabelsInterval: ClosedRange<Double>?
    /// The cluster-trained classifier's temperature, and the training rows set aside to fit it.
    package var temperature: Double
    /// Training rows set aside to fit the temperature.
    package var calibrationRows: Int
    /// Its held-out probabilities against the true labels, before and after the temperature.
    package var reliabilityBefore: Calibration.Reliability
    /// The same after the temperature.
    package var reliabilityAfter: Calibration.Reliability

    /// How much of the supervised classifier's gain over uniform guessing the
    /// cluster-trained one reaches (0 when the supervised one gains nothing).
    package var capturedShare: Double {
        let ceiling = fromLabels.accuracy - chance.uniform
        return ceiling > 0 ? max(0, (fromClusters.accuracy - chance.uniform) / ceiling) : 0
    }

    /// What the second-model stage reads: the components it sees and the classifier's settings.
    package struct Settings: StageParameters {
        /// Leading components, standardised, as the classifier's features.
        package var components: Int
        /// The classifier.
        package var classifier: LogisticRegression
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
        let testScores = trained.model.scores(test)
        func reliability(_ temperature: Double) -> Calibration.Reliability {
            Calibration.reliability(
                probabilities: testScores.map { Calibration.probabilities($0, temperature: temperature) },
                truth: testTruth)
        }
        let fromLabels = try classifier.fit(train, labels: trainTruth, classes: classes).predict(test)
        let mappedTest = metrics.map.predict(fit.testLabels)
        let agreeing = zip(fromClusters, mappedTest).filter { $0 == $1 }.count
        let intervals = Bootstrap(
            count: testTruth.count, groups: split.groups.codes(of: split.test), seed: Bootstrap.defaultSeed
        ).intervalsOfMeans(
            [fromClusters, fromLabels].map { predicted in
                zip(predicted, testTruth).map { $0 == $1 ? 1 : 0 }
            })
        return SecondModelResult(
            fromClusters: ClassificationReport(truth: testTruth, predicted: fromClusters, classes: classes),
            fromLabels: ClassificationReport(truth: testTruth, predicted: fromLabels, classes: classes),
            clusterLabelledRows: trained.labelledRows, trainingRows: trainTruth.count,
            chance: ChanceLevels(truth: testTruth, classes: classes),
            agreementWithClusters: testTruth.isEmpty ? 0 : Double(agreeing) / Double(testTruth.count),
            fromClustersInterval: intervals?[0], fromLabelsInterval: intervals?[1],
            temperature: trained.temperature, calibrationRows: trained.calibrationRows,
            reliabilityBefore: reliability(1), reliabilityAfter: reliability(trained.temperature))
    }
}

/// The second model: a classifier trained on the training rows labelled with their cluster's label, on the
/// standardised leading components, with its probabilities calibrated by temperature scaling. A seeded fifth
/// of the training rows is set aside: the classifier is fitted on the rest, and the temperature on those,
/// against their true labels, so that its probabilities say how often it is right. One stage fits it; the
/// report tests it and the model file keeps it.
package struct ClusterClassifier: Sendable, Equatable, Codable {
    /// The standardiser of its features, fitted on the training rows.
    package var standardizer: Standardizer
    /// The fitted classifier.
    package var model: LogisticModel
    /// Training rows it could use (those whose cluster has a label, less those set aside).
    package var labelledRows: Int
    /// The temperature its scores are divided by.
    package var temperature: Double
    /// Training rows set aside to fit the temperature.
    package var calibrationRows: Int

    /// The share of the training rows set aside for the temperature, and the seed that picks them.
    static let calibrationShare = 0.2, calibrationSeed: UInt64 = 0xCA1B

    /// The rows set aside for the temperature among `count` training rows, by position, as whole groups when
    /// `groups` gives one per row (none below 10 rows).
    static func calibrationPositions(of count: Int, groups: [Int32]?) -> [Int] {
        guard count >= 10 else { return [] }
        var random = SeededGenerator(seed: calibrationSeed)
        return ShuffledUnits(count: count, groups: groups, random: &random)
            .take(positions: Int((Double(count) * calibrationShare).rounded()))
    }

    /// Fits it on the training rows whose cluster has a label, less those set aside, and its temperature on those.
    static func fit(
        _ settings: SecondModelResult.Settings, reduction: Reduction, fit: ClusterFit, metrics: ModelMetrics,
        split: SampleSplit, dataset: Dataset
    ) throws -> ClusterClassifier {
        let scores = reduction.train.leadingColumns(settings.components)
        let standardizer = Standardizer(fitting: scores)
        let standardized = standardizer.apply(scores)
        let mapped = metrics.map.predict(fit.clustering.labels)
        let aside = calibrationPositions(of: scores.rows, groups: split.groups.codes(of: split.train))
        let setAside = Set(aside)
        let labelled = mapped.indices.filter { mapped[$0] >= 0 && !setAside.contains($0) }
        let model = try settings.classifier.fit(
            standardized.selecting(rows: labelled), labels: labelled.map { mapped[$0] },
            classes: dataset.labelNames.count)
        let temperature = Calibration.temperature(
            scores: model.scores(standardized.selecting(rows: aside)),
            labels: aside.map { dataset.labels[split.train[$0]] })
        return ClusterClassifier(
            standardizer: standardizer, model: model, labelledRows: labelled.count, temperature: temperature,
            calibrationRows: aside.count)
    }
}

extension ClusterClassifier: JSONCacheCodable {}
