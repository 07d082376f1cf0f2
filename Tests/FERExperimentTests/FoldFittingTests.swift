import FERData
import FERFeatures
import FERMath
import FERSynth
import Testing

@testable import FERExperiment

/// The cross-validation folds refit everything fitted without each fold: a
/// fold's fitted scores cannot depend on the images it holds out.
@Suite struct FoldFittingTests {
    @Test func aFoldsFittedFeaturesNeverSeeItsHeldOutImages() throws {
        let dataset = SyntheticFaces.generate(count: 140, seed: 5)
        let split = SampleSplit(rows: Array(0..<140), train: Array(0..<120), test: Array(120..<140), byUsage: false)
        // Standardized pixels: statistics fitted on the training rows, then PCA.
        let settings = FoldReductions.Settings(
            count: 3,
            reduction: Reduction.Settings(
                features: FeatureExtractor(ScaledPixels(.standardized)), lighting: .none, reducer: .pca, components: 3,
                whiten: false,
                seed: 1))
        let before = try FoldReductions.make(
            settings, dataset: dataset, split: split, landmarks: LandmarkSet(points: []),
            embeddings: Embeddings(columns: 0, values: []))
        // Every image fold 0 holds out made brighter: nothing fitted for fold 0 may move.
        let held = Set(
            FoldReductions.folds(3, of: split.train.count, groups: nil, seed: 1).heldOut[0].map { split.train[$0] })
        var pixels = dataset.pixels
        for row in held {
            for index in (row * dataset.pixelsPerImage)..<((row + 1) * dataset.pixelsPerImage) {
                pixels[index] = pixels[index] / 2 + 128
            }
        }
        let brighter = Dataset(
            width: dataset.width, height: dataset.height, pixels: pixels, labels: dataset.labels,
            labelNames: dataset.labelNames, usage: dataset.usage, usageNames: dataset.usageNames,
            provenance: dataset.provenance)
        let after = try FoldReductions.make(
            settings, dataset: brighter, split: split, landmarks: LandmarkSet(points: []),
            embeddings: Embeddings(columns: 0, values: []))
        #expect(after.folds[0].train == before.folds[0].train)
        // The other folds were fitted on those images, so theirs move.
        #expect(after.folds[1].train != before.folds[1].train)
        #expect(after.folds[2].train != before.folds[2].train)
    }
}
