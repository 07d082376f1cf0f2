import FERData
import FERFeatures
import FERMath
import FERSynth
import Foundation

/// One experiment as a graph of cached stages: load, summary, sample and
/// split; for each model (a feature setting): reduce, cluster, silhouette
/// and metrics; the grid search; the second model; the stability checks;
/// and every figure.
///
/// Declaring the graph computes nothing but the data's content hash; values
/// are produced when something asks for them, so a rerun after a small
/// change computes only the stages whose inputs changed.
public final class Experiment: @unchecked Sendable {
    /// The stages of one model.
    public struct ModelStages: Sendable {
        /// Features, reducer, components and whitening.
        public let setting: FeatureSetting
        /// The fitted reducer and component scores (whitened when the setting says so).
        public let reduction: StageOutput<Reduction>
        /// k-means on the scores.
        public let clusters: StageOutput<ClusterFit>
        /// Silhouette and structureless baseline.
        public let silhouette: StageOutput<SilhouetteResult>
        /// Agreement with the labels.
        public let metrics: StageOutput<ModelMetrics>

        /// The reducer.
        public var reducer: Projection.Method { setting.reducer }
    }

    /// The configuration.
    public let config: ExperimentConfig
    /// The config file's name, for errors and provenance.
    public let configFile: String
    /// Runs and caches the stages.
    public let runner: StageRunner
    /// The data's content hash (or the generator's parameters for synthetic data).
    public let dataFingerprint: String
    /// The dataset.
    public let dataset: StageOutput<Dataset>
    /// What the exploration page prints.
    public let summary: StageOutput<DatasetSummary>
    /// The rows used, and their split.
    public let sample: StageOutput<SampleSplit>
    /// One model per reducer, in the configured order.
    public let models: [ModelStages]
    /// The settings compared on the features page.
    public let comparison: [ModelStages]
    /// The grid search on the final reducer, when enabled.
    public let grid: StageOutput<[ClusterGrid.Cell]>?
    /// A classifier trained on the cluster-mapped labels, and on the true labels.
    public let secondModel: StageOutput<SecondModelResult>
    /// Seed reruns and the cross-validated silhouette.
    public let stability: StageOutput<StabilityResult>
    /// The mean training image of each label (one row each), for the figures.
    public let labelMeans: StageOutput<Matrix>
    /// The mean training image of each of the final model's clusters.
    public let clusterMeans: StageOutput<Matrix>
    /// Every figure, in page order.
    public private(set) var figures: [FigureStage] = []

    /// Declares the experiment's stages; `progress` hears about long stages
    /// (name, steps done, steps in all).
    /// - Throws: `DataError` when the data file or folder cannot be read.
    public init(
        config: ExperimentConfig, configFile: String, runner: StageRunner,
        progress: (@Sendable (String, Int, Int) -> Void)? = nil
    ) throws {
        self.config = config
        self.configFile = configFile
        self.runner = runner
        let source = config.dataset
        dataFingerprint =
            source.isSynthetic
            ? "synthetic-\(source.syntheticCount)-\(source.syntheticSeed)"
            : try DataFingerprint.of(path: source.path, memo: runner.cache, trustMemo: !runner.force)

        var datasetParameters = [
            ("path", source.path), ("data", dataFingerprint),
            ("width", source.width.map(String.init) ?? "auto"),
            ("height", source.height.map(String.init) ?? "auto"),
            ("labels", source.labels?.joined(separator: "\u{1F}") ?? ""),
        ]
        if source.isSynthetic {
            datasetParameters += [("count", "\(source.syntheticCount)"), ("seed", "\(source.syntheticSeed)")]
        }
        let dataset = runner.stage("load", version: 2, parameters: datasetParameters, inputs: []) {
            if source.isSynthetic {
                return SyntheticFaces.generate(count: source.syntheticCount, seed: source.syntheticSeed)
            }
            return try DatasetLoader.load(
                path: source.path,
                options: DatasetOptions(
                    width: source.width, height: source.height, labelNames: source.labels))
        }
        self.dataset = dataset
        let summary = runner.stage("summary", version: 2, parameters: [], inputs: [dataset]) {
            DatasetSummary(try dataset.get())
        }
        self.summary = summary
        let preprocessing = config.preprocessing, split = config.split
        let file = configFile
        let sample = runner.stage(
            "sample", version: 3,
            parameters: [
                ("per_class", preprocessing.perClass.map(String.init) ?? "null"),
                ("sampling", preprocessing.sampling.rawValue),
                ("sampling.seed", "\(preprocessing.seed)"), ("split", split.method.rawValue),
                ("test_fraction", "\(split.testFraction)"), ("test_usage", split.testUsage.joined(separator: ",")),
                ("split.seed", "\(split.seed)"),
            ], inputs: [dataset]
        ) {
            try SampleSplit.make(from: try dataset.get(), config: config, file: file)
        }
        self.sample = sample
        let features = FeatureMatrices(dataset: dataset, sample: sample, config: config)
        let factory = ModelStageFactory(
            config: config, file: file, runner: runner, dataset: dataset, summary: summary,
            sample: sample, features: features)

        let main = config.models
        models = main.reducers.map { reducer in
            let setting = FeatureSetting(
                features: main.features, reducer: reducer, components: main.components, whiten: main.whiten)
            // PCA on pixels also feeds the scree plot and the eigenfaces, and the final reducer the grid:
            // fit enough components once.
            let fitted = reducer == .pca || reducer == main.final ? config.componentsNeeded : main.components
            return factory.stages(for: setting, name: reducer.rawValue, fitComponents: fitted, baseline: true)
        }
        let mainModels = models
        comparison = config.features.compare.map { setting in
            mainModels.first { $0.setting == setting }
                ?? factory.stages(
                    for: setting, name: setting.identifier, fitComponents: setting.components, baseline: true)
        }
        let final = models.first { $0.reducer == config.models.final } ?? models[0]
        if config.grid.enabled {
            let gridConfig = config.grid, seed = config.models.seed
            let sampling = config.silhouetteSampling
            grid = runner.stage(
                "grid", version: 2,
                parameters: [
                    ("components", "\(gridConfig.components)"), ("clusters", "\(gridConfig.clusters)"),
                    ("restarts", "\(gridConfig.restarts)"), ("seed", "\(seed)"),
                ] + sampling.stageParameters, inputs: [final.reduction]
            ) {
                let scores = try final.reduction.get().train
                let cells = try ClusterGrid(
                    components: gridConfig.components, clusters: gridConfig.clusters,
                    kmeans: KMeans(clusters: 2, restarts: gridConfig.restarts, seed: seed), sampling: sampling
                )
                .run(on: scores.leadingColumns(min(scores.columns, gridConfig.components.upperBound))) { done, total in
                    progress?("grid", done, total)
                }
                return cells
            }
        } else {
            grid = nil
        }
        secondModel = runner.stage(
            "second model", version: 1, parameters: [("c", "1")],
            inputs: [final.reduction, final.clusters, final.metrics, sample, dataset]
        ) {
            try SecondModelResult.train(
                reduction: try final.reduction.get(), fit: try final.clusters.get(),
                metrics: try final.metrics.get(), split: try sample.get(),
                dataset: try dataset.get(), components: main.components)
        }
        let folds = runner.stage(
            "folds", version: 2,
            parameters: [
                ("folds", "\(config.evidence.folds)"), ("components", "\(final.setting.components)"),
            ], inputs: [final.reduction]
        ) {
            try FoldReductions.make(factory: factory, setting: final.setting, count: config.evidence.folds)
        }
        stability = runner.stage(
            "stability", version: 3,
            parameters: [("seeds", "\(config.evidence.seeds)")] + config.silhouetteSampling.stageParameters,
            inputs: [final.reduction, final.clusters, final.metrics, folds, sample, dataset]
        ) {
            try StabilityResult.measure(factory: factory, model: final, folds: try folds.get(), progress: progress)
        }
        labelMeans = runner.stage("label means", version: 1, parameters: [], inputs: [dataset, sample]) {
            let data = try dataset.get(), train = try sample.get().train
            return Matrix(
                means: data.meanImages(rows: train, groups: train.map { data.labels[$0] }, count: data.labelNames.count)
            )
        }
        clusterMeans = runner.stage(
            "cluster means", version: 1, parameters: [], inputs: [dataset, sample, final.clusters]
        ) {
            let data = try dataset.get(), fit = try final.clusters.get().clustering
            return Matrix(
                means: data.meanImages(rows: try sample.get().train, groups: fit.labels, count: fit.clusterCount))
        }
        figures = ExperimentFigures.declare(for: self)
    }

    /// Checks the configuration against the data (more clusters than fitted
    /// rows, a usage split the data cannot make, ...) before any model work.
    public func validate() throws {
        try sample.get().check(against: config, dataset: try summary.get(), file: configFile)
    }

    /// The final model's stages.
    public var finalModel: ModelStages {
        models.first { $0.reducer == config.models.final } ?? models[0]
    }
}

extension Matrix {
    /// Mean images, one per row.
    init(means: [[Double]]) {
        self.init(rows: means.count, columns: means.first?.count ?? 0, values: means.flatMap { $0.map(Float.init) })
    }
}
