import FERCodecs
import FERCore
import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment

/// A dataset unlike FER2013: eight labels with other names, 32x32 PNG images
/// in label folders, no usage. Label names, class count, image size and split
/// must all come from the data.
@Suite struct AnyDatasetTests {
    static let labels = ["awe", "boredom", "calm", "contempt", "joy", "pride", "relief", "shame"]

    /// Each label is a bright square at its own place on a noisy background, so clusters can find the labels.
    private static func makeFolders() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        var random = SeededGenerator(seed: 8)
        for (code, label) in labels.enumerated() {
            try FileManager.default.createDirectory(atPath: root.file(label), withIntermediateDirectories: true)
            for index in 0..<30 {
                var pixels = (0..<(32 * 32)).map { _ in UInt8(90 + random.below(40)) }
                let left = (code % 4) * 8, top = (code / 4) * 16 + 4
                for y in top..<(top + 8) {
                    for x in left..<(left + 8) { pixels[y * 32 + x] = UInt8(220 + random.below(30)) }
                }
                let png = try PNGCodec.encode(width: 32, height: 32, channels: 1, pixels: pixels)
                try Data(png).write(to: URL(fileURLWithPath: root.file("\(label)/\(index).png")))
            }
        }
        return root
    }

    @Test func labelsSizeClassCountAndSplitComeFromTheData() throws {
        let folders = try Self.makeFolders(), cache = try TemporaryDirectory()
        let config = try tinyConfig([
            "dataset.path=\(folders.path)", "models.components=8", "models.restarts=10",
            "grid.enabled=false", "figures.scree_components=8",
        ])
        #expect(config.models.clusters == 4, "the tiny config fixes 4 clusters")
        var oneClusterPerLabel = config
        oneClusterPerLabel.models.clusters = nil
        let run = try runAll(oneClusterPerLabel, cache: cache.path)
        let results = run.results

        #expect(results.dataset.labels == Self.labels)
        #expect(results.dataset.width == 32 && results.dataset.height == 32)
        #expect(results.preprocessing.trainRows == 216 && results.preprocessing.testRows == 24)
        #expect(results.preprocessing.split.hasPrefix("stratified fraction"))
        #expect(results.models.allSatisfy { $0.clusters == 8 })
        #expect(results.chance.uniform == 1.0 / 8)
        #expect(results.confusion.count == 8 && results.perLabel.map(\.label) == Self.labels)
        let final = try #require(results.models.first { $0.name == results.finalModel })
        #expect(final.accuracyHungarian > 0.9, "the squares are easy to cluster: \(final.accuracyHungarian)")

        // The second model learns what the clusters say; here that is the labels.
        #expect(results.secondModel.fromClusters.classes == 8)
        #expect(results.secondModel.fromClusters.accuracy > 0.9 && results.secondModel.fromLabels.accuracy > 0.9)
        // A fifth of the training rows is set aside for its temperature; every other row's cluster has a label.
        #expect(results.secondModel.calibrationRows == 43 && results.secondModel.clusterLabelledRows == 216 - 43)

        // Every compared setting ran on the same rows, HOG and LBP sized for 32x32 images.
        #expect(results.comparison.map(\.name) == ["pixels-pca-2", "hog-pca-50-w", "lbp-pca-50-w", "hog-lbp-pca-50-w"])
        #expect(results.comparison.allSatisfy { $0.clusters == 8 })

        // Stable clusters: every seed finds the same partition; every training row is held out exactly once.
        let stability = results.stability
        #expect(stability.runs.seeds.count == 5 && stability.runs.pairwiseARI.count == 10)
        // The model's own seed comes first, scored as the model is.
        let own = try #require(stability.runs.seeds.first)
        #expect(own.hungarianAccuracy == final.accuracyHungarian && own.nmi == final.nmi)
        #expect(stability.meanPairwiseARI > 0.9)
        #expect(stability.runs.folds.count == 10 && stability.runs.folds.map(\.heldOutRows).reduce(0, +) == 216)
        #expect(stability.runs.folds.allSatisfy { $0.fittedRows + $0.heldOutRows == 216 })
        #expect(stability.meanFoldSilhouette > final.baselineSilhouette)
    }
}
