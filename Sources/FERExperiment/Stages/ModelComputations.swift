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
        try settings.reducer.make(components: settings.components, seed: settings.seed).fit(x)
    }

    /// The reducer of `settings` fitted on a scatter matrix.
    static func fit(_ settings: Settings, on scatter: ScatterMatrix) throws -> Projection {
        try settings.reducer.make(components: settings.components, seed: settings.seed).fit(scatter)
    }
}

extension ClusterFit {
    /// What the cluster stage reads: the components clustered and the k-means settings.
    package struct Settings: StageParameters {
        /// Leading components clustered.
        package var components: Int
        /// Clusters fitted; `nil` fits one per label.
        package var clusters: Int?
        /// k-means restarts.
        package var restarts: Int
        /// k-means seed.
        package var seed: UInt64

        /// The clusterer fitting `clusters` clusters with these settings.
        func clusterer(clusters: Int) -> any Clusterer {
            ClusterFit.clusterer(clusters: clusters, restarts: restarts, seed: seed)
        }
    }

    /// The clusterer every fit of the experiment uses (the final model's, the baselines', the stability runs'):
    /// k-means, until a config key chooses another of `Clusterers`.
    static func clusterer(clusters: Int, restarts: Int, seed: UInt64) -> any Clusterer {
        ClusterMethod.kmeans.make(clusters: clusters, settings: ClustererSettings(restarts: restarts, seed: seed))
    }

    /// The training scores clustered, and the clusters of the held-out rows.
    static func compute(_ settings: Settings, reduction: Reduction, summary: DatasetSummary) throws -> ClusterFit {
        let k = ExperimentConfig.ModelsSection.clusterCount(settings.clusters, labels: summary.labels.count)
        let fit = try settings.clusterer(clusters: k).cluster(reduction.train.leadingColumns(settings.components))
        return ClusterFit(
            clustering: fit.clustering, testLabels: fit.predict(reduction.test.leadingColumns(settings.components)))
    }
}

extension SilhouetteResult {
    /// What the silhouette stage reads: the components scored, how, and the
    /// k-means settings the structureless baseline reruns.
    package struct Settings: StageParameters {
        /// Leading components scored.
        package var components: Int
        /// Exact, or over seeded samples.
        package var sampling: SilhouetteSampling
        /// k-means restarts of the baseline.
        package var restarts: Int
        /// k-means seed of the baseline (its Gaussian cloud is drawn with the next seed).
        package var seed: UInt64
    }

    /// The silhouette of the training clusters and the structureless baseline.
    static func compute(_ settings: Settings, reduction: Reduction, clusters: ClusterFit) throws -> SilhouetteResult {
        let fit = clusters.clustering
        return try measure(
            reduction.train.leadingColumns(settings.components), labels: fit.labels, clusters: fit.clusterCount,
            sampling: settings.sampling,
            baseline: ClusterFit.clusterer(
                clusters: fit.clusterCount, restarts: settings.restarts, seed: settings.seed),
            baselineSeed: settings.seed &+ 1)
    }

    /// The silhouette of `labels` on `points`, exact or over seeded samples,
    /// and what `baseline` k-means reaches on a Gaussian cloud shaped like the points.
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
