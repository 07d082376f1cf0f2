import FERCore
import FERData
import FERFeatures
import FERMath
import FERStages
import Testing

@testable import FERExperiment

/// Above `Reduction.fitSample` training rows, a reducer (and what its features fit) is fitted on a seeded
/// sample of them and every row is scored a block at a time; the folds do the same with each fold's rows.
@Suite struct SampledReductionTests {
    let none = LandmarkSet(points: []), noEmbeddings = Embeddings(columns: 0, values: [])

    /// Random 8x8 images, the first `train` of them training rows and the rest held out.
    func data(rows: Int, train: Int) -> (Dataset, SampleSplit) {
        var random = SeededGenerator(seed: 23)
        let dataset = Dataset(
            width: 8, height: 8, pixels: (0..<(rows * 64)).map { _ in UInt8(random.below(256)) },
            labels: (0..<rows).map { Int32($0 % 3) }, labelNames: ["a", "b", "c"], usage: nil, usageNames: [],
            provenance: DatasetProvenance(kind: .csv, path: "faces.csv", columns: []))
        return (
            dataset,
            SampleSplit(rows: Array(0..<rows), train: Array(0..<train), test: Array(train..<rows), byUsage: false)
        )
    }

    /// Standardized pixels (statistics fitted on the rows the reducer sees), then whitened PCA.
    let settings = Reduction.Settings(
        features: FeatureExtractor(ScaledPixels(.standardized)), lighting: .none, reducer: .pca, components: 3,
        whiten: true, seed: 4)

    @Test func theSampleIsSeededSortedAndDrawnFromTheRowsGiven() {
        let rows = Array(stride(from: 5, to: 605, by: 2))
        let sample = Reduction.fitRows(of: rows, seed: 4, limit: 100)
        #expect(sample.count == 100 && Set(sample).count == 100 && sample == sample.sorted())
        #expect(Set(sample).isSubset(of: Set(rows)))
        #expect(Reduction.fitRows(of: rows, seed: 4, limit: 100) == sample)
        #expect(Reduction.fitRows(of: rows, seed: 4, stream: 1, limit: 100) != sample)
        #expect(Reduction.fitRows(of: rows, seed: 4, limit: 300) == rows)
    }

    @Test func aReducerAboveTheLimitIsFittedOnTheSampleAndScoresEveryRow() throws {
        let (dataset, split) = data(rows: 300, train: 260)
        let reduction = try Reduction.compute(
            settings, dataset: dataset, split: split, landmarks: none, embeddings: noEmbeddings, fitSample: 100)
        let sample = Reduction.fitRows(of: split.train, seed: settings.seed, limit: 100)
        let (features, projection) = try Reduction.fit(
            settings, rows: sample, dataset: dataset, landmarks: none, embeddings: noEmbeddings)
        #expect(reduction.projection.samples == 100)
        #expect(reduction.projection == projection && reduction.features == features)
        for (rows, scores) in [(split.train, reduction.train), (split.test, reduction.test)] {
            let x = features.apply(
                FeatureMatrices.faces(
                    settings.features, lighting: .none, dataset: dataset, rows: rows, landmarks: none,
                    embeddings: noEmbeddings))
            expectClose(scores, projection.scores(of: x, whiten: true))
        }
        // At or below the limit, the reducer sees every training row.
        let whole = try Reduction.compute(
            settings, dataset: dataset, split: split, landmarks: none, embeddings: noEmbeddings, fitSample: 260)
        #expect(whole.projection.samples == 260)
    }

    @Test func scoresMadeBlockByBlockEqualTheWholeMatrixsForEveryModel() throws {
        let (dataset, split) = data(rows: 120, train: 120)
        let rows = Array(split.train.reversed())
        let minMax = Reduction.Settings(
            features: FeatureExtractor(ScaledPixels(.minMaxPerImage)), lighting: .none, reducer: .truncatedSVD,
            components: 2, whiten: false, seed: 1)
        let models = try [(settings, Array(0..<60)), (settings, Array(60..<120)), (minMax, Array(0..<120))].map {
            try Reduction.fit($0, rows: $1, dataset: dataset, landmarks: none, embeddings: noEmbeddings)
        }
        let streamed = FeatureMatrices.scores(
            of: rows, models: models, whiten: false, lighting: .none, dataset: dataset, landmarks: none,
            embeddings: noEmbeddings, block: 7)
        #expect(streamed.count == 3)
        for (model, scores) in zip(models, streamed) {
            let x = model.features.apply(
                FeatureMatrices.faces(
                    model.features.extractor, lighting: .none, dataset: dataset, rows: rows, landmarks: none,
                    embeddings: noEmbeddings))
            expectClose(scores, model.projection.scores(of: x, whiten: false))
        }
    }

    @Test func eachFoldAboveTheLimitIsFittedOnASampleOfItsOwnRows() throws {
        let (dataset, split) = data(rows: 150, train: 130)
        let folds = FoldReductions.Settings(count: 4, reduction: settings)
        let made = try FoldReductions.make(
            folds, dataset: dataset, split: split, landmarks: none, embeddings: noEmbeddings, fitSample: 50)
        let (fitted, heldOut) = FoldReductions.folds(4, of: 130, groups: nil, seed: settings.seed)
        #expect(made.folds.count == 4)
        for (index, fold) in made.folds.enumerated() {
            let sample = Reduction.fitRows(
                of: fitted[index].map { split.train[$0] }, seed: settings.seed, stream: UInt64(index + 1), limit: 50)
            #expect(sample.count == 50)
            #expect(Set(sample).isDisjoint(with: heldOut[index].map { split.train[$0] }))
            let (features, projection) = try Reduction.fit(
                settings, rows: sample, dataset: dataset, landmarks: none, embeddings: noEmbeddings)
            let scores = projection.scores(
                of: features.apply(
                    FeatureMatrices.faces(
                        settings.features, lighting: .none, dataset: dataset, rows: split.train, landmarks: none,
                        embeddings: noEmbeddings)),
                whiten: true)
            expectClose(fold.train, scores.selecting(rows: fitted[index]))
            expectClose(fold.test, scores.selecting(rows: heldOut[index]))
        }
    }

    /// Features without fitted parts are extracted once, for one sample the folds share, and each fold's
    /// reducer is fitted on that sample less the fold's own rows.
    @Test(arguments: [Projection.Method.pca, .truncatedSVD])
    func foldsOfUnfittedFeaturesShareOneSampleLessTheirOwnRows(reducer: Projection.Method) throws {
        let settings = Reduction.Settings(
            features: FeatureExtractor(ScaledPixels(.minMaxPerImage)), lighting: .none, reducer: reducer,
            components: 3, whiten: true, seed: 4)
        let (dataset, split) = data(rows: 400, train: 360)
        let made = try FoldReductions.make(
            FoldReductions.Settings(count: 4, reduction: settings), dataset: dataset, split: split, landmarks: none,
            embeddings: noEmbeddings, fitSample: 200)
        let (fitted, heldOut) = FoldReductions.folds(4, of: 360, groups: nil, seed: settings.seed)
        let sample = Reduction.fitRows(
            of: Array(0..<360), seed: settings.seed, stream: FoldReductions.sharedSampleStream, limit: 200)
        let all = FeatureMatrices.faces(
            settings.features, lighting: .none, dataset: dataset, rows: split.train, landmarks: none,
            embeddings: noEmbeddings)
        let (features, x) = try FittedFeatures.fit(settings.features, on: all)
        for (index, fold) in made.folds.enumerated() {
            let held = Set(heldOut[index])
            let rows = sample.filter { !held.contains($0) }
            #expect(rows.count < 200 && rows.count > 100)
            let projection = try Reduction.fit(settings, on: x.selecting(rows: rows))
            let scores = projection.scores(of: features.apply(all), whiten: true)
            expectClose(fold.train, scores.selecting(rows: fitted[index]), tolerance: 1e-3)
            expectClose(fold.test, scores.selecting(rows: heldOut[index]), tolerance: 1e-3)
        }
    }

    @Test func theGridAboveTheLimitSearchesASeededSampleOfTheTrainingScores() throws {
        let (dataset, split) = data(rows: 300, train: 260)
        let reduction = try Reduction.compute(
            settings, dataset: dataset, split: split, landmarks: none, embeddings: noEmbeddings)
        let grid = GridSettings(
            try ExperimentConfig.parse(
                "name: g\ngrid: {components: [2, 3], clusters: [2, 3], restarts: 2}\nsilhouette: {sample: null}\n",
                file: "g.yaml"))
        let progress = StageProgress(stage: "grid", report: nil)
        let sampled = try GridSettings.search(grid, progress: progress, reduction: reduction, fitSample: 100)
        let sample = Reduction.fitRows(of: Array(0..<260), seed: 0x6121, limit: 100)
        let expected = try ClusterGrid(
            components: 2...3, clusters: 2...3, clusterer: KMeans.self, settings: grid.clusterer.settings,
            sampling: grid.sampling
        ).run(on: reduction.train.selecting(rows: sample).leadingColumns(3)) { _, _ in }
        #expect(sampled == expected && sampled.count == 4)
        // At or below the limit, every training row.
        let whole = try GridSettings.search(grid, progress: progress, reduction: reduction, fitSample: 260)
        #expect(whole != sampled)
    }

    func expectClose(
        _ got: Matrix, _ expected: Matrix, tolerance: Float = 1e-4, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(got.rows == expected.rows && got.columns == expected.columns, sourceLocation: sourceLocation)
        let largest = zip(got.values, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(largest < tolerance, "off by \(largest)", sourceLocation: sourceLocation)
    }
}
