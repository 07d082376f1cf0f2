import FERData
import FERFeatures
import FERMath
import Foundation

/// Declares the four stages of a feature setting (reduce, cluster,
/// silhouette, metrics) from the config. Only declaring reads the config:
/// each stage's compute function receives its settings and inputs alone.
struct ModelStageFactory: Sendable {
    let config: ExperimentConfig
    let runner: StageRunner
    let dataset: StageOutput<Dataset>
    let summary: StageOutput<DatasetSummary>
    let sample: StageOutput<SampleSplit>
    let landmarks: StageOutput<LandmarkSet>
    let noLandmarks: StageOutput<LandmarkSet>

    /// The landmarks `setting`'s features read: the real ones, or none when they read none.
    func landmarks(for setting: FeatureSetting) -> StageOutput<LandmarkSet> {
        config.extractor(setting.features).needsLandmarks ? landmarks : noLandmarks
    }

    /// What the model stages of `setting` compute from, the reducer fitted with `fitComponents` (at least the
    /// setting's).
    func reduction(for setting: FeatureSetting, fitComponents: Int) -> Reduction.Settings {
        Reduction.Settings(
            features: config.extractor(setting.features), lighting: config.preprocessing.lighting,
            reducer: setting.reducer,
            components: max(fitComponents, setting.components), whiten: setting.whiten, seed: config.models.seed)
    }

    /// Reduce, cluster, silhouette and metrics stages for `setting`, and with `seeds` its k-means reruns with
    /// other seeds; the reducer is fitted with `fitComponents` (at least the setting's), named after `name`.
    func stages(for setting: FeatureSetting, name: String, fitComponents: Int, seeds: Bool) -> Experiment.ModelStages {
        let models = config.models
        let reduction = runner.stage(
            "reduce \(name)", version: 4, parameters: reduction(for: setting, fitComponents: fitComponents),
            inputs: dataset, sample, landmarks(for: setting), compute: Reduction.compute)
        let clusters = runner.stage(
            "cluster \(name)", version: 3,
            parameters: ClusterFit.Settings(
                components: setting.components, clusters: models.clusters, restarts: models.restarts,
                seed: models.seed),
            inputs: reduction, summary, compute: ClusterFit.compute)
        let silhouette = runner.stage(
            "silhouette \(name)", version: 4,
            parameters: SilhouetteResult.Settings(
                components: setting.components, sampling: config.silhouetteSampling, restarts: models.restarts,
                seed: models.seed),
            inputs: reduction, clusters, compute: SilhouetteResult.compute)
        let metrics = runner.stage(
            "metrics \(name)", version: 4, parameters: config.clusterMap, inputs: clusters, sample, dataset,
            compute: ModelMetrics.compute)
        return Experiment.ModelStages(
            setting: setting, reduction: reduction, clusters: clusters, silhouette: silhouette, metrics: metrics,
            seeds: seeds ? seedRuns(setting: setting, name: name, reduction: reduction, clusters: clusters) : nil)
    }

    /// The k-means of `setting` (its `reduction` and `clusters`) rerun with `stability.seeds` seeds.
    func seedRuns(
        setting: FeatureSetting, name: String, reduction: StageOutput<Reduction>, clusters: StageOutput<ClusterFit>
    ) -> StageOutput<SeedRuns> {
        runner.stage(
            "seeds \(name)", version: 1,
            parameters: SeedRuns.Settings(
                seeds: config.stability.seeds, components: setting.components, restarts: config.models.restarts,
                seed: config.models.seed),
            inputs: reduction, clusters, sample, dataset, reporting: SeedRuns.measure)
    }
}

extension Reduction {
    /// What the reduce stage reads: the features, the reducer and its components, whitening and the seed.
    public struct Settings: StageParameters {
        /// The features reduced.
        public var features: FeatureExtractor
        /// The lighting normalisation of the images the features are computed from.
        public var lighting: Lighting
        /// The reducer.
        public var reducer: Projection.Method
        /// Components fitted.
        public var components: Int
        /// Scale the components to unit variance.
        public var whiten: Bool
        /// Seed of the reducer's sketch.
        public var seed: UInt64
    }

    /// Extracts the features of both splits, fits the reducer on the training rows and projects both.
    static func compute(
        _ settings: Settings, dataset: Dataset, split: SampleSplit, landmarks: LandmarkSet
    ) throws -> Reduction {
        let (features, train, test) = try FeatureMatrices.of(
            settings.features, lighting: settings.lighting, dataset: dataset, split: split, landmarks: landmarks)
        let projection = try fit(settings, on: train)
        return Reduction(
            features: features, projection: projection, train: projection.scores(of: train, whiten: settings.whiten),
            test: projection.scores(of: test, whiten: settings.whiten))
    }

    /// The reducer of `settings` fitted on the rows of `x`.
    static func fit(_ settings: Settings, on x: Matrix) throws -> Projection {
        settings.reducer == .pca
            ? try PCA(components: settings.components, seed: settings.seed).fit(x)
            : try TruncatedSVD(components: settings.components, seed: settings.seed).fit(x)
    }

    /// The reducer of `settings` fitted on a scatter matrix.
    static func fit(_ settings: Settings, on scatter: ScatterMatrix) throws -> Projection {
        settings.reducer == .pca
            ? try PCA(components: settings.components, seed: settings.seed).fit(scatter)
            : try TruncatedSVD(components: settings.components, seed: settings.seed).fit(scatter)
    }
}

extension ClusterFit {
    /// What the cluster stage reads: the components clustered and the k-means settings.
    public struct Settings: StageParameters {
        /// Leading components clustered.
        public var components: Int
        /// Clusters fitted; `nil` fits one per label.
        public var clusters: Int?
        /// k-means restarts.
        public var restarts: Int
        /// k-means seed.
        public var seed: UInt64
    }

    /// k-means on the training scores, and the clusters of the held-out rows.
    static func compute(_ settings: Settings, reduction: Reduction, summary: DatasetSummary) throws -> ClusterFit {
        let k = ExperimentConfig.ModelsSection.clusterCount(settings.clusters, labels: summary.labels.count)
        let fit = try KMeans(clusters: k, restarts: settings.restarts, seed: settings.seed)
            .fit(reduction.train.leadingColumns(settings.components))
        return ClusterFit(clustering: fit, testLabels: fit.predict(reduction.test.leadingColumns(settings.components)))
    }
}

extension SilhouetteResult {
    /// What the silhouette stage reads: the components scored, how, and the
    /// k-means settings the structureless baseline reruns.
    public struct Settings: StageParameters {
        /// Leading components scored.
        public var components: Int
        /// Exact, or over seeded samples.
        public var sampling: SilhouetteSampling
        /// k-means restarts of the baseline.
        public var restarts: Int
        /// k-means seed of the baseline (its Gaussian cloud is drawn with the next seed).
        public var seed: UInt64
    }

    /// The silhouette of the training clusters and the structureless baseline.
    static func compute(_ settings: Settings, reduction: Reduction, clusters: ClusterFit) throws -> SilhouetteResult {
        let fit = clusters.clustering
        return try measure(
            reduction.train.leadingColumns(settings.components), labels: fit.labels, clusters: fit.clusterCount,
            sampling: settings.sampling,
            baseline: KMeans(clusters: fit.clusterCount, restarts: settings.restarts, seed: settings.seed),
            baselineSeed: settings.seed &+ 1)
    }

    /// The silhouette of `labels` on `points`, exact or over seeded samples,
    /// and what `baseline` k-means reaches on a Gaussian cloud shaped like the points.
    static func measure(
        _ points: Matrix, labels: [Int32], clusters: Int, sampling: SilhouetteSampling,
        baseline: KMeans, baselineSeed: UInt64
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
            like: points, kmeans: baseline, seed: baselineSeed, sampling: sampling)
        return SilhouetteResult(
            samples: samples, sampledRows: sampled ? first : nil,
            score: perSample.reduce(0, +) / Double(perSample.count), perSample: perSample,
            baseline: structureless)
    }
}

extension ExperimentConfig {
    /// The extractor of `kind` with this config's scaling and feature settings.
    func extractor(_ kind: FeatureKind) -> FeatureExtractor {
        kind.extractor(scaling: preprocessing.scaling, features: features, seed: models.seed)
    }
}

/// The features of a sample's training and held-out rows, extracted each
/// time a stage asks and never kept: extraction is quick beside the fits that
/// use it, and keeping every kind's matrices for the whole run would hold
/// several times the data (at 150,000 faces, 4.6 GB instead of under 2).
/// Whatever the features fit is fitted on the training rows and applied
/// unchanged to the held-out rows.
enum FeatureMatrices {
    /// The extractor fitted on the training rows, and the features of the training and held-out rows.
    static func of(
        _ extractor: FeatureExtractor, lighting: Lighting, dataset: Dataset, split: SampleSplit,
        landmarks: LandmarkSet
    ) throws -> (features: FittedFeatures, train: Matrix, test: Matrix) {
        let (fitted, train) = try fitted(
            extractor, lighting: lighting, dataset: dataset, split: split, landmarks: landmarks)
        let test = dataset.subset(split.test)
        return (
            fitted, train,
            fitted.apply(
                faces(
                    extractor, lighting: lighting, dataset: test,
                    landmarks: LandmarkSet(points: landmarks.subset(split.test))))
        )
    }

    /// The extractor fitted on the training rows, and the training rows' features.
    static func fitted(
        _ extractor: FeatureExtractor, lighting: Lighting, dataset: Dataset, split: SampleSplit,
        landmarks: LandmarkSet
    ) throws -> (features: FittedFeatures, train: Matrix) {
        try FittedFeatures.fit(
            extractor,
            on: faces(
                extractor, lighting: lighting, dataset: dataset.subset(split.train),
                landmarks: LandmarkSet(points: landmarks.subset(split.train))))
    }

    /// Every image of `dataset`, normalised by `lighting`, with its landmarks (one per image of `dataset`, or
    /// none) when `extractor` reads them: what fitted features are applied to.
    static func faces(
        _ extractor: FeatureExtractor, lighting: Lighting, dataset: Dataset, landmarks: LandmarkSet
    ) -> FaceBatch {
        let pixels =
            lighting == .none
            ? dataset.pixels
            : lighting.apply(dataset.pixels[...], rows: dataset.count, width: dataset.width, height: dataset.height)
        return FaceBatch(
            pixels: pixels[...], rows: dataset.count, width: dataset.width, height: dataset.height,
            landmarks: extractor.needsLandmarks ? landmarks.points[...] : [])
    }
}
