import FERCore
import FERData
import FERFeatures
import FERMath
import FERStages
import Foundation

extension Reduction {
    /// What the reduce stage reads: the features, the reducer and its components, whitening and the seed.
    package struct Settings: StageParameters {
        /// The features reduced.
        package var features: FeatureExtractor
        /// The lighting normalisation of the images the features are computed from.
        package var lighting: Lighting
        /// The reducer.
        package var reducer: Projection.Method
        /// Components fitted.
        package var components: Int
        /// Scale the components to unit variance.
        package var whiten: Bool
        /// Seed of the reducer's sketch.
        package var seed: UInt64
    }

    /// Training rows up to which a reducer is fitted on all of them; beyond, on a seeded sample of this many.
    /// Fifty thousand rows estimate a few leading directions of features of a few thousand values closely
    /// (README, "How far one machine goes"), and the features of all rows are then never held at once.
    package static let fitSample = 50_000

    /// Whether a run of `trainRows` training rows fits its reducers, and searches its grid, on a sample of them.
    package static func samples(trainRows: Int) -> Bool { trainRows > fitSample }

    /// The rows of `rows` a reducer is fitted on: all of them, up to `fitSample`; beyond, a seeded uniform
    /// sample of that many, in their order. `stream` tells apart the samples of one seed (the folds').
    package static func fitRows(of rows: [Int], seed: UInt64, stream: UInt64 = 0, limit: Int = fitSample) -> [Int] {
        fitPositions(count: rows.count, seed: seed, stream: stream, limit: limit).map { rows[$0] }
    }

    /// Where the rows `fitRows` picks sit among `count` rows, in order.
    static func fitPositions(count: Int, seed: UInt64, stream: UInt64 = 0, limit: Int = fitSample) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        var random = SeededGenerator(seed: seed, stream: 0x5A4D_0000 &+ stream)
        return random.sample(limit, of: count)
    }

    /// Extracts the features of both splits, fits the reducer on the training rows (or a sample of them,
    /// `fitSample`) and projects both.
    static func compute(
        _ settings: Settings, dataset: Dataset, split: SampleSplit, landmarks: LandmarkSet, embeddings: Embeddings
    ) throws -> Reduction {
        try compute(
            settings, dataset: dataset, split: split, landmarks: landmarks, embeddings: embeddings, fitSample: fitSample
        )
    }

    /// `compute`, sampling above `fitSample` training rows (tests set a small one).
    static func compute(
        _ settings: Settings, dataset: Dataset, split: SampleSplit, landmarks: LandmarkSet, embeddings: Embeddings,
        fitSample: Int
    ) throws -> Reduction {
        let positions = Self.fitPositions(count: split.train.count, seed: settings.seed, limit: fitSample)
        guard positions.count == split.train.count else {
            // The sample's scores come from the features the fit extracted (then dropped); every other row's are
            // extracted and projected a block at a time.
            let (features, projection, sampled) = try { () throws -> (FittedFeatures, Projection, Matrix) in
                let (features, x) = try fittedFeatures(
                    settings, rows: positions.map { split.train[$0] }, dataset: dataset, landmarks: landmarks,
                    embeddings: embeddings)
                let projection = try fit(settings, on: x)
                return (features, projection, projection.scores(of: x, whiten: settings.whiten))
            }()
            func scores(_ rows: [Int]) -> Matrix {
                FeatureMatrices.scores(
                    of: rows, models: [(features, projection)], whiten: settings.whiten, lighting: settings.lighting,
                    dataset: dataset, landmarks: landmarks, embeddings: embeddings)[0]
            }
            let inSample = Set(positions)
            let rest = split.train.indices.filter { !inSample.contains($0) }
            return Reduction(
                features: features, projection: projection,
                train: Matrix(interleaving: sampled, at: positions, with: scores(rest.map { split.train[$0] })),
                test: scores(split.test))
        }
        let (features, train, test) = try FeatureMatrices.of(
            settings.features, lighting: settings.lighting, dataset: dataset, split: split, landmarks: landmarks,
            embeddings: embeddings)
        let projection = try fit(settings, on: train)
        return Reduction(
            features: features, projection: projection, train: projection.scores(of: train, whiten: settings.whiten),
            test: projection.scores(of: test, whiten: settings.whiten))
    }

    /// The features of `settings` and its reducer, both fitted on `rows` of `dataset` (whose features are
    /// dropped on return).
    static func fit(
        _ settings: Settings, rows: [Int], dataset: Dataset, landmarks: LandmarkSet, embeddings: Embeddings
    ) throws -> (features: FittedFeatures, projection: Projection) {
        let (features, x) = try fittedFeatures(
            settings, rows: rows, dataset: dataset, landmarks: landmarks, embeddings: embeddings)
        return (features, try fit(settings, on: x))
    }

    /// The features of `settings` fitted on `rows` of `dataset`, and those rows' features.
    static func fittedFeatures(
        _ settings: Settings, rows: [Int], dataset: Dataset, landmarks: LandmarkSet, embeddings: Embeddings
    ) throws -> (features: FittedFeatures, x: Matrix) {
        try FittedFeatures.fit(
            settings.features,
            on: FeatureMatrices.faces(
                settings.features, lighting: settings.lighting, dataset: dataset, rows: rows, landmarks: landmarks,
                embeddings: embeddings))
    }

    /// The reducer of `settings` fitted on the rows of `x`.
    static func fit(_ settings: Settings, on x: Matrix) throws -> Projection {
        try settings.reducer.make(components: settings.components, seed: settings.seed).fit(x)
    }

    /// The reducer of `settings` fitted on a scatter matrix.
    static func fit(_ settings: Settings, on scatter: ScatterMatrix) throws -> Projection {
        try settings.reducer.make(components: settings.components, seed: settings.seed).fit(scatter)
    }
}

extension ClusterFit {
    /// What the cluster stage reads: the components clustered and the clusterer.
    package struct Settings: StageParameters {
        /// Leading components clustered.
        package var components: Int
        /// Clusters fitted; `nil` fits one per label.
        package var clusters: Int?
        /// The clusterer.
        package var clusterer: ClustererChoice
    }

    /// The training scores clustered, and the clusters of the held-out rows.
    static func compute(_ settings: Settings, reduction: Reduction, summary: DatasetSummary) throws -> ClusterFit {
        let k = ExperimentConfig.ModelsSection.clusterCount(settings.clusters, labels: summary.labels.count)
        return try fit(
            settings.clusterer.make(clusters: k), train: reduction.train.leadingColumns(settings.components),
            heldOut: reduction.test.leadingColumns(settings.components))
    }

    /// `clusterer` fitted on the rows of `train`, and the clusters it assigns the rows of `heldOut`.
    static func fit(_ clusterer: any Clusterer, train: Matrix, heldOut: Matrix) throws -> ClusterFit {
        let fit = try clusterer.cluster(train)
        return ClusterFit(
            clustering: fit.clustering, testLabels: fit.predict(heldOut), mixture: fit.mixture, tree: fit.tree)
    }
}

extension SilhouetteResult {
    /// What the silhouette stage reads: the components scored, how, and the
    /// clusterer the structureless baseline refits.
    package struct Settings: StageParameters {
        /// Leading components scored.
        package var components: Int
        /// Exact, or over seeded samples.
        package var sampling: SilhouetteSampling
        /// The model's clusterer, refitted on the baseline's cloud.
        package var clusterer: ClustererChoice
        /// Seed of the baseline (its Gaussian cloud is drawn with the next seed).
        package var seed: UInt64
    }

    /// The silhouette of the training clusters and the structureless baseline.
    static func compute(_ settings: Settings, reduction: Reduction, clusters: ClusterFit) throws -> SilhouetteResult {
        let fit = clusters.clustering
        return try measure(
            reduction.train.leadingColumns(settings.components), labels: fit.labels, clusters: fit.clusterCount,
            sampling: settings.sampling,
            baseline: settings.clusterer.make(clusters: fit.clusterCount), baselineSeed: settings.seed &+ 1)
    }

    /// The silhouette of `labels` on `points`, exact or over seeded samples,
    /// and what the `baseline` clusterer reaches on a Gaussian cloud shaped like the points.
    static func measure(
        _ points: Matrix, labels: [Int32], clusters: Int, sampling: SilhouetteSampling,
        baseline: any Clusterer, baselineSeed: UInt64
    ) throws -> SilhouetteResult {
        let sampled = sampling.samples(points.rows)
        let first = sampling.rows(0, of: points.rows)
        let samples = try Silhouette.samples(
            sampled ? points.selecting(rows: first) : points,
            labels: sampled ? first.map { labels[$0] } : labels, clusters: clusters)
        // The first sample's per-row values give its score; the other samples are scored alone.
        let perSample =
            [samples.reduce(0, +) / Double(max(1, samples.count))]
            + (sampled
                ? try (1..<sampling.repeats).map {
                    try sampling.score(sample: $0, points, labels: labels, clusters: clusters)
                } : [])
        let structureless = try StructurelessBaseline.silhouette(
            like: points, clusterer: baseline, seed: baselineSeed, sampling: sampling)
        return SilhouetteResult(
            samples: samples, sampledRows: sampled ? first : nil,
            score: perSample.reduce(0, +) / Double(perSample.count), perSample: perSample,
            baseline: structureless)
    }
}
