import FERCore
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

    /// With more rows than columns the folds are fitted from scatter matrices (the total less each fold's); with
    /// fewer, from each fold's rows. Both give the scores of fitting the reducer on the fold's rows.
    @Test(arguments: [8, 16])
    func foldsFittedEitherWayScoreAsAReducerFittedOnTheFoldsRows(side: Int) throws {
        var random = SeededGenerator(seed: 11)
        let rows = 150, columns = side * side
        let dataset = Dataset(
            width: side, height: side, pixels: (0..<(rows * columns)).map { _ in UInt8(random.below(256)) },
            labels: (0..<rows).map { Int32($0 % 3) }, labelNames: ["a", "b", "c"], usage: nil, usageNames: [],
            provenance: DatasetProvenance(kind: .csv, path: "faces.csv", columns: []))
        let split = SampleSplit(
            rows: Array(0..<rows), train: Array(0..<130), test: Array(130..<rows), byUsage: false)
        let reduction = Reduction.Settings(
            features: FeatureExtractor(ScaledPixels(.minMaxPerImage)), lighting: .none, reducer: .pca,
            components: 3, whiten: false, seed: 1)
        let settings = FoldReductions.Settings(count: 4, reduction: reduction)
        #expect(FoldReductions.usesScatterMatrices(rows: 130, columns: columns, folds: 4) == (columns <= 130))
        let none = LandmarkSet(points: []), noEmbeddings = Embeddings(columns: 0, values: [])
        let made = try FoldReductions.make(
            settings, dataset: dataset, split: split, landmarks: none, embeddings: noEmbeddings)
        let features = try FeatureMatrices.fitted(
            reduction.features, lighting: .none, dataset: dataset, split: split, landmarks: none,
            embeddings: noEmbeddings
        ).train
        let (fitted, heldOut) = FoldReductions.folds(4, of: 130, groups: nil, seed: 1)
        #expect(made.folds.count == 4)
        for (index, fold) in made.folds.enumerated() {
            let scores = try Reduction.fit(reduction, on: features.selecting(rows: fitted[index]))
                .scores(of: features, whiten: false)
            for (got, expected) in [
                (fold.train, scores.selecting(rows: fitted[index])),
                (fold.test, scores.selecting(rows: heldOut[index])),
            ] {
                #expect(got.rows == expected.rows && got.columns == expected.columns)
                let largest = zip(got.values, expected.values).map { abs($0 - $1) }.max() ?? .infinity
                #expect(largest < 1e-3, "fold \(index) of \(columns) columns is off by \(largest)")
            }
        }
    }
}
