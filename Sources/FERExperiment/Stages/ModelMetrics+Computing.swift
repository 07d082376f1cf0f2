import FERData
import FERMath

extension ModelMetrics {
    /// Maps `fit`'s clusters to labels on the training rows, as `mapping` says, and scores both splits.
    /// - Throws: `ConfigProblem` when a manual map names a label the data does not have.
    static func compute(
        _ mapping: ExperimentConfig.ClusterMapSection, fit: ClusterFit, split: SampleSplit, dataset: Dataset
    ) throws -> ModelMetrics {
        let clusters = fit.clustering.clusterCount, classes = dataset.labelNames.count
        let trainTruth = split.train.map { dataset.labels[$0] }, testTruth = split.test.map { dataset.labels[$0] }
        let table = Contingency(
            clusterOf: fit.clustering.labels, labelOf: trainTruth, clusters: clusters, labels: classes)
        let hungarian = ClusterMap.hungarian(table), majority = ClusterMap.majority(table)
        let chosen: ClusterMap
        switch mapping.method {
        case .hungarian: chosen = hungarian
        case .majority: chosen = majority
        case .manual:
            chosen = ClusterMap(
                labelOf: try mapping.manual.enumerated().map { cluster, name in
                    guard let code = dataset.labelNames.firstIndex(where: { $0.lowercased() == name.lowercased() })
                    else {
                        throw ConfigProblem(
                            path: "cluster_map.manual",
                            "cluster \(cluster) maps to \"\(name)\", which is not a label (labels: \(dataset.labelNames.joined(separator: ", ")))"
                        )
                    }
                    return code
                })
        }
        let testTable = Contingency(clusterOf: fit.testLabels, labelOf: testTruth, clusters: clusters, labels: classes)
        func testAccuracy(_ map: ClusterMap) -> Double {
            ClassificationReport(truth: testTruth, predicted: map.predict(fit.testLabels), classes: classes).accuracy
        }
        // Every interval reads one table of (cluster, label) counts per draw: a map's accuracy is the share of
        // the cells it gets right, the same number its rows' mean of right and wrong gives.
        func accuracy(_ map: ClusterMap) -> @Sendable ([Int]) -> Double {
            let right = (0..<(clusters * classes)).map { cell in
                let cluster = cell / classes
                return cluster < map.labelOf.count && map.labelOf[cluster] == cell % classes
            }
            return { table in
                var correct = 0, total = 0
                for (cell, count) in table.enumerated() {
                    total += count
                    if right[cell] { correct += count }
                }
                return Double(correct) / Double(total)
            }
        }
        let drawn = Bootstrap(
            count: testTruth.count, groups: split.groups.codes(of: split.test), seed: Bootstrap.defaultSeed
        ).intervals(
            cells: clusters * classes, cellOf: zip(fit.testLabels, testTruth).map { Int($0) * classes + Int($1) },
            statistics: [
                accuracy(chosen), accuracy(hungarian), accuracy(majority),
                { Contingency(counts: $0, clusters: clusters, labels: classes).normalizedMutualInformation },
            ])
        let intervals = HeldOutIntervals(
            accuracy: drawn?[0], accuracyHungarian: drawn?[1], accuracyMajority: drawn?[2], nmi: drawn?[3])
        return ModelMetrics(
            map: chosen, hungarian: hungarian, majority: majority,
            test: ClassificationReport(truth: testTruth, predicted: chosen.predict(fit.testLabels), classes: classes),
            train: ClassificationReport(
                truth: trainTruth, predicted: chosen.predict(fit.clustering.labels), classes: classes),
            testHungarianAccuracy: testAccuracy(hungarian), testMajorityAccuracy: testAccuracy(majority),
            chance: ChanceLevels(truth: testTruth, classes: classes),
            nmi: testTable.normalizedMutualInformation, ari: testTable.adjustedRandIndex,
            trainHungarianAccuracy: ClassificationReport(
                truth: trainTruth, predicted: hungarian.predict(fit.clustering.labels),
                classes: classes
            ).accuracy,
            trainNMI: table.normalizedMutualInformation, trainARI: table.adjustedRandIndex,
            purity: table.purity, contingency: table, intervals: intervals)
    }

    /// `fit`'s held-out accuracy through the Hungarian map of its training rows and its held-out NMI, as
    /// `compute` gives them (`testHungarianAccuracy`, `nmi`), without the rest (intervals, reports).
    static func heldOutScores(
        fit: ClusterFit, split: SampleSplit, dataset: Dataset
    ) -> (hungarianAccuracy: Double, nmi: Double) {
        let clusters = fit.clustering.clusterCount, classes = dataset.labelNames.count
        let trainTruth = split.train.map { dataset.labels[$0] }, testTruth = split.test.map { dataset.labels[$0] }
        let hungarian = ClusterMap.hungarian(
            Contingency(clusterOf: fit.clustering.labels, labelOf: trainTruth, clusters: clusters, labels: classes))
        let accuracy = ClassificationReport(
            truth: testTruth, predicted: hungarian.predict(fit.testLabels), classes: classes
        ).accuracy
        let nmi = Contingency(clusterOf: fit.testLabels, labelOf: testTruth, clusters: clusters, labels: classes)
            .normalizedMutualInformation
        return (accuracy, nmi)
    }
}
