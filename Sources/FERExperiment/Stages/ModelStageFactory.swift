import FERData
import FERFeatures
import FERMath
import Foundation

/// What model stages are declared from: the config, the runner and the
/// shared inputs. One place builds the four stages of any feature setting.
struct ModelStageFactory: Sendable {
    let config: ExperimentConfig
    let file: String
    let runner: StageRunner
    let dataset: StageOutput<Dataset>
    let summary: StageOutput<DatasetSummary>
    let sample: StageOutput<SampleSplit>
    let features: FeatureMatrices

    /// The number of clusters: as configured, or one per label.
    func clusterCount() throws -> Int {
        try config.models.clusterCount(labels: summary.get().labels.count)
    }

    /// Reduce, cluster, silhouette and metrics stages for `setting`; the reducer
    /// is fitted with `fitComponents` (at least the setting's), named after `name`.
    func stages(for setting: FeatureSetting, name: String, fitComponents: Int, baseline: Bool) -> Experiment.ModelStages
    {
        let models = config.models, file = self.file
        let featureParameters = setting.features.parameters(
            scaling: config.preprocessing.scaling, features: config.features)
        let fitted = max(fitComponents, setting.components)
        let (features, summary, sample, dataset) = (self.features, self.summary, self.sample, self.dataset)
        let reduction = runner.stage(
            "reduce \(name)", version: 3,
            parameters: [
                ("features", featureParameters), ("reducer", setting.reducer.rawValue), ("components", "\(fitted)"),
                ("whiten", "\(setting.whiten)"), ("seed", "\(models.seed)"),
            ], inputs: [dataset, sample]
        ) {
            let (train, test) = try features.matrices(setting.features)
            return try Self.reduce(train: train, test: test, setting: setting, components: fitted, seed: models.seed)
        }
        let clusters = runner.stage(
            "cluster \(name)", version: 2,
            parameters: [
                ("components", "\(setting.components)"),
                ("clusters", models.clusters.map(String.init) ?? "one per label"),
                ("restarts", "\(models.restarts)"), ("seed", "\(models.seed)"),
            ], inputs: [reduction, summary]
        ) {
            let scores = try reduction.get(), k = try clusterCount()
            let fit = try KMeans(clusters: k, restarts: models.restarts, seed: models.seed)
                .fit(scores.train.leadingColumns(setting.components))
            return ClusterFit(clustering: fit, testLabels: fit.predict(scores.test.leadingColumns(setting.components)))
        }
        let sampling = config.silhouetteSampling
        let silhouette = runner.stage(
            "silhouette \(name)", version: 3,
            parameters: [
                ("baseline.seed", "\(models.seed &+ 1)"), ("baseline", "\(baseline)"),
            ] + sampling.stageParameters, inputs: [reduction, clusters]
        ) {
            let points = try reduction.get().train.leadingColumns(setting.components)
            let fit = try clusters.get().clustering
            return try Self.silhouette(
                points, labels: fit.labels, clusters: fit.clusterCount, sampling: sampling,
                baseline: baseline
                    ? KMeans(
                        clusters: fit.clusterCount, restarts: models.restarts,
                        seed: models.seed) : nil,
                baselineSeed: models.seed &+ 1)
        }
        let mapConfig = config.clusterMap
        let metrics = runner.stage(
            "metrics \(name)", version: 2,
            parameters: [
                ("map", mapConfig.method.rawValue), ("manual", mapConfig.manual.joined(separator: "\u{1F}")),
            ], inputs: [clusters, sample, dataset]
        ) {
            let fit = try clusters.get()
            return try ModelMetrics.compute(
                fit: fit, split: try sample.get(), dataset: try dataset.get(),
                mapping: mapConfig, clusters: fit.clustering.clusterCount, file: file)
        }
        return Experiment.ModelStages(
            setting: setting, reduction: reduction, clusters: clusters, silhouette: silhouette,
            metrics: metrics)
    }

    /// The silhouette of `labels` on `points`, exact or over seeded samples,
    /// and, with `baseline`, what that k-means reaches on a Gaussian cloud shaped like the points.
    static func silhouette(
        _ points: Matrix, labels: [Int32], clusters: Int, sampling: SilhouetteSampling,
        baseline: KMeans?, baselineSeed: UInt64
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
        let structureless =
            try baseline.map {
                try StructurelessBaseline.silhouette(like: points, kmeans: $0, seed: baselineSeed, sampling: sampling)
            } ?? .nan
        return SilhouetteResult(
            samples: samples, sampledRows: sampled ? first : nil,
            score: perSample.reduce(0, +) / Double(perSample.count), perSample: perSample,
            baseline: structureless)
    }

    /// Fits the reducer on the training rows, projects both splits, and whitens when asked.
    static func reduce(
        train: Matrix, test: Matrix, setting: FeatureSetting, components: Int, seed: UInt64
    ) throws -> Reduction {
        let projection =
            setting.reducer == .pca
            ? try PCA(components: components, seed: seed).fit(train)
            : try TruncatedSVD(components: components, seed: seed).fit(train)
        return Reduction(
            projection: projection, train: scores(of: train, projection: projection, whiten: setting.whiten),
            test: scores(of: test, projection: projection, whiten: setting.whiten))
    }

    /// The component scores of `x`, each component scaled to unit variance when `whiten` is set.
    static func scores(of x: Matrix, projection: Projection, whiten: Bool) -> Matrix {
        let scores = projection.transform(x)
        guard whiten else { return scores }
        // Each component to unit variance, as scikit-learn's PCA(whiten=True).
        return scores.scalingColumns(scale: projection.explainedVariance.map { Float(1 / max($0, 1e-12).squareRoot()) })
    }
}

/// The features of the sample's training and held-out rows, extracted each
/// time a stage asks and never kept: extraction is quick beside the fits that
/// use it, and keeping every kind's matrices for the whole run would hold
/// several times the data (at 150,000 faces, 4.6 GB instead of under 2).
struct FeatureMatrices: Sendable {
    let dataset: StageOutput<Dataset>
    let sample: StageOutput<SampleSplit>
    let config: ExperimentConfig

    /// The features of `kind` for the training and held-out rows.
    func matrices(_ kind: FeatureKind) throws -> (train: Matrix, test: Matrix) {
        let data = try dataset.get(), split = try sample.get()
        let train = data.subset(split.train)
        let (extractor, statistics) = fitted(kind, on: train)
        let test = data.subset(split.test)
        return (extract(train, extractor, statistics), extract(test, extractor, statistics))
    }

    /// The features of `kind` for the training rows.
    func training(_ kind: FeatureKind) throws -> Matrix {
        let train = try dataset.get().subset(try sample.get().train)
        let (extractor, statistics) = fitted(kind, on: train)
        return extract(train, extractor, statistics)
    }

    /// The extractor, and for pixels the scaling statistics fitted on the
    /// training rows (applied unchanged to the held-out rows).
    private func fitted(_ kind: FeatureKind, on train: Dataset) -> (FeatureExtractor, Scaling.PixelStatistics?) {
        let scaling = config.preprocessing.scaling
        let statistics =
            kind == .pixels
            ? scaling.fitted(on: train.pixels[...], rows: train.count, columns: train.pixelsPerImage) : nil
        return (kind.extractor(scaling: scaling, features: config.features), statistics)
    }

    private func extract(
        _ subset: Dataset, _ extractor: FeatureExtractor, _ statistics: Scaling.PixelStatistics?
    ) -> Matrix {
        extractor.features(
            of: subset.pixels[...], rows: subset.count, width: subset.width, height: subset.height,
            statistics: statistics)
    }
}

extension SilhouetteSampling {
    /// What a stage that scores silhouettes this way keys on.
    var stageParameters: [(String, String)] {
        [("sample", threshold.map(String.init) ?? "exact"), ("repeats", "\(repeats)")]
    }
}
