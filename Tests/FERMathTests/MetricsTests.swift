import FERMath
import Testing

private struct MetricsFixture: Decodable {
    var yTrue: [Int32], yPred: [Int32], classes: Int, clusters: Int
    var ari: Double, nmi: Double, hungarianMap: [Int], hungarianAccuracy: Double
    var majorityMap: [Int], majorityAccuracy: Double, purity: Double
    var confusionMajority: [[Double]], precisionMajority: [Double], recallMajority: [Double]
}

/// ARI, NMI, accuracy and the Hungarian map must match scikit-learn and SciPy exactly (to rounding).
@Suite struct MetricsTests {
    private func load() throws -> (MetricsFixture, Contingency) {
        let f = try fixture("metrics", as: MetricsFixture.self)
        return (f, Contingency(clusterOf: f.yPred, labelOf: f.yTrue, clusters: f.clusters, labels: f.classes))
    }

    @Test func agreementMeasures() throws {
        let (f, table) = try load()
        #expect(abs(table.adjustedRandIndex - f.ari) < 1e-12)
        #expect(abs(table.normalizedMutualInformation - f.nmi) < 1e-12)
        #expect(abs(table.purity - f.purity) < 1e-12)
    }

    @Test func hungarianMapAndAccuracy() throws {
        let (f, table) = try load()
        let map = ClusterMap.hungarian(table)
        #expect(map.labelOf.map { $0 ?? -1 } == f.hungarianMap)
        let report = ClassificationReport(truth: f.yTrue, predicted: map.predict(f.yPred), classes: f.classes)
        #expect(report.accuracy == f.hungarianAccuracy)
    }

    @Test func majorityMapAndItsReport() throws {
        let (f, table) = try load()
        let map = ClusterMap.majority(table)
        #expect(map.labelOf.map { $0 ?? -1 } == f.majorityMap)
        let report = ClassificationReport(truth: f.yTrue, predicted: map.predict(f.yPred), classes: f.classes)
        #expect(report.accuracy == f.majorityAccuracy)
        #expect(report.confusion.map { $0.map(Double.init) } == f.confusionMajority)
        for (ours, theirs) in zip(report.precision, f.precisionMajority) { #expect(abs(ours - theirs) < 1e-12) }
        for (ours, theirs) in zip(report.recall, f.recallMajority) { #expect(abs(ours - theirs) < 1e-12) }
    }

    @Test func hungarianBeatsEveryOtherOneToOneMapOnSmallCases() {
        // Brute force over all permutations of 4 labels for 4 clusters.
        let table = Contingency(
            clusterOf: [0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 0, 2], labelOf: [1, 1, 0, 0, 2, 3, 3, 2, 2, 0, 3, 1],
            clusters: 4, labels: 4)
        let best = ClusterMap.hungarian(table)
        func matched(_ labels: [Int]) -> Int { labels.enumerated().reduce(0) { $0 + table[$1.offset, $1.element] } }
        var bestBrute = 0
        func permute(_ prefix: [Int], _ rest: [Int]) {
            if rest.isEmpty { bestBrute = max(bestBrute, matched(prefix)); return }
            for (i, value) in rest.enumerated() { var r = rest; r.remove(at: i); permute(prefix + [value], r) }
        }
        permute([], [0, 1, 2, 3])
        #expect(matched(best.labelOf.map { $0 ?? 0 }) == bestBrute)
    }

    @Test func identicalAndIndependentPartitions() {
        let same = Contingency(clusterOf: [0, 0, 1, 1, 2], labelOf: [2, 2, 0, 0, 1], clusters: 3, labels: 3)
        #expect(abs(same.adjustedRandIndex - 1) < 1e-12)
        #expect(abs(same.normalizedMutualInformation - 1) < 1e-12)
        #expect(same.purity == 1)
    }

    @Test func chanceLevels() {
        let levels = ChanceLevels(truth: [0, 0, 0, 1], classes: 2)
        #expect(levels.uniform == 0.5)
        #expect(levels.classFrequency == 0.625)
        #expect(levels.majorityClass == 0.75)
    }

    @Test func manualMapsLeaveUnmappedClustersWrong() {
        let map = ClusterMap(labelOf: [2, nil])
        #expect(map.predict([0, 1, 0]) == [2, -1, 2])
        let report = ClassificationReport(truth: [2, 1, 0], predicted: map.predict([0, 1, 0]), classes: 3)
        #expect(abs(report.accuracy - 1.0 / 3) < 1e-12)
    }
}
