import FERData
import FERMath
import FERSynth
import Foundation

/// One experiment as a graph of cached stages: load, summary, sample and
/// split, then for each reducer: reduce, cluster, silhouette and metrics;
/// the grid search; and every figure.
///
/// Declaring the graph computes nothing but the data's content hash; values
/// are produced when something asks for them, so a rerun after a small
/// change computes only the stages whose inputs changed.
public final class Experiment: @unchecked Sendable {
    /// The stages of one reducer's model.
    public struct ModelStages: Sendable {
        /// The reducer.
        public let reducer: Projection.Method
        /// The fitted reducer and component scores.
        public let reduction: StageOutput<Reduction>
        /// k-means on the scores.
        public let clusters: StageOutput<ClusterFit>
        /// Silhouette and structureless baseline.
        public let silhouette: StageOutput<SilhouetteResult>
        /// Agreement with the labels.
        public let metrics: StageOutput<JSONCached<ModelMetrics>>
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
    public let summary: StageOutput<JSONCached<DatasetSummary>>
    /// The rows used, and their split.
    public let sample: StageOutput<SampleSplit>
    /// One model per reducer, in the configured order.
    public let models: [ModelStages]
    /// The grid search on the final reducer, when enabled.
    public let grid: StageOutput<JSONCached<[ClusterGrid.Cell]>>?
    /// Every figure, in page order.
    public private(set) var figures: [FigureStage] = []

    private let scaled = FeatureCache()

    /// Declares the experiment's stages.
    /// - Throws: `DataError` when the data file or folder cannot be read.
    /// `progress` hears about long stages (name, steps done, steps in all).
    public init(config: ExperimentConfig, configFile: String, runner: StageRunner,
                progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws {
        self.config = config
        self.configFile = configFile
        self.runner = runner
        let source = config.dataset
        dataFingerprint = source.isSynthetic
            ? "synthetic-\(source.syntheticCount)-\(source.syntheticSeed)" : try DataFingerprint.of(path: source.path)

        var datasetParameters = [("path", source.path), ("data", dataFingerprint), ("width", "\(source.width)"),
                                 ("height", "\(source.height)"), ("labels", source.labels?.joined(separator: "\u{1F}") ?? "")]
        if source.isSynthetic {
            datasetParameters += [("count", "\(source.syntheticCount)"), ("seed", "\(source.syntheticSeed)")]
        }
        dataset = runner.stage("load", version: 1, parameters: datasetParameters, inputs: []) {
            if source.isSynthetic { return SyntheticFaces.generate(count: source.syntheticCount, seed: source.syntheticSeed) }
            return try DatasetLoader.load(path: source.path, options: DatasetOptions(
                width: source.width, height: source.height, labelNames: source.labels))
        }
        let dataset = self.dataset
        summary = runner.stage("summary", version: 1, parameters: [], inputs: [dataset]) {
            JSONCached(DatasetSummary(try dataset.get()))
        }
        let preprocessing = config.preprocessing, split = config.split
        let file = configFile
        sample = runner.stage("sample", version: 1, parameters: [
            ("per_class", preprocessing.perClass.map(String.init) ?? "all"), ("sampling", preprocessing.sampling.rawValue),
            ("sampling.seed", "\(preprocessing.seed)"), ("split", split.method.rawValue),
            ("test_fraction", "\(split.testFraction)"), ("test_usage", split.testUsage.joined(separator: ",")),
            ("split.seed", "\(split.seed)"),
        ], inputs: [dataset]) {
            try SampleSplit.make(from: try dataset.get(), config: config, file: file)
        }
        let sample = self.sample, features = scaled
        models = config.models.reducers.map { reducer in
            Self.modelStages(reducer, config: config, configFile: file, runner: runner, dataset: dataset, sample: sample,
                             features: features)
        }
        if config.grid.enabled, let final = models.first(where: { $0.reducer == config.models.final }) {
            let gridConfig = config.grid, seed = config.models.seed
            grid = runner.stage("grid", version: 1, parameters: [
                ("components", "\(gridConfig.components)"), ("clusters", "\(gridConfig.clusters)"),
                ("restarts", "\(gridConfig.restarts)"), ("seed", "\(seed)"),
            ], inputs: [final.reduction]) {
                let scores = try final.reduction.get().train
                let cells = try ClusterGrid(components: gridConfig.components, clusters: gridConfig.clusters,
                                            kmeans: KMeans(clusters: 2, restarts: gridConfig.restarts, seed: seed))
                    .run(on: scores.leadingColumns(min(scores.columns, gridConfig.components.upperBound))) { done, total in
                        progress?("grid", done, total)
                    }
                return JSONCached(cells)
            }
        } else {
            grid = nil
        }
        figures = ExperimentFigures.declare(for: self)
    }

    /// Checks the configuration against the data (more clusters than fitted
    /// rows, a usage split the data cannot make, ...) before any model work.
    public func validate() throws {
        try sample.get().check(against: config, file: configFile)
    }

    /// The final model's stages.
    public var finalModel: ModelStages {
        models.first { $0.reducer == config.models.final } ?? models[0]
    }

    private static func modelStages(_ reducer: Projection.Method, config: ExperimentConfig, configFile: String, runner: StageRunner,
                                     dataset: StageOutput<Dataset>, sample: StageOutput<SampleSplit>,
                                     features: FeatureCache) -> ModelStages {
        let models = config.models, file = configFile
        let components = reducer == .pca ? config.componentsNeeded : models.components
        let scaling = config.preprocessing.scaling
        let reduction = runner.stage("reduce \(reducer.rawValue)", version: 1, parameters: [
            ("reducer", reducer.rawValue), ("components", "\(components)"), ("scaling", scaling.rawValue),
            ("seed", "\(models.seed)"),
        ], inputs: [dataset, sample]) {
            let (train, test) = try features.features(dataset: dataset, sample: sample, scaling: scaling)
            let projection = reducer == .pca
                ? try PCA(components: components, seed: models.seed).fit(train)
                : try TruncatedSVD(components: components, seed: models.seed).fit(train)
            return Reduction(projection: projection, train: projection.transform(train), test: projection.transform(test))
        }
        let clusters = runner.stage("cluster \(reducer.rawValue)", version: 1, parameters: [
            ("components", "\(models.components)"), ("clusters", "\(models.clusters)"),
            ("restarts", "\(models.restarts)"), ("seed", "\(models.seed)"),
        ], inputs: [reduction]) {
            let scores = try reduction.get()
            let fit = try KMeans(clusters: models.clusters, restarts: models.restarts, seed: models.seed)
                .fit(scores.train.leadingColumns(models.components))
            return ClusterFit(clustering: fit, testLabels: fit.predict(scores.test.leadingColumns(models.components)))
        }
        let silhouette = runner.stage("silhouette \(reducer.rawValue)", version: 1, parameters: [
            ("baseline.seed", "\(models.seed &+ 1)"),
        ], inputs: [reduction, clusters]) {
            let points = try reduction.get().train.leadingColumns(models.components)
            let fit = try clusters.get().clustering
            let samples = try Silhouette.samples(points, labels: fit.labels, clusters: models.clusters)
            let baseline = try StructurelessBaseline.silhouette(
                like: points, kmeans: KMeans(clusters: models.clusters, restarts: models.restarts, seed: models.seed),
                seed: models.seed &+ 1)
            return SilhouetteResult(samples: samples, score: samples.reduce(0, +) / Double(max(1, samples.count)),
                                    baseline: baseline)
        }
        let mapConfig = config.clusterMap
        let metrics = runner.stage("metrics \(reducer.rawValue)", version: 1, parameters: [
            ("map", mapConfig.method.rawValue), ("manual", mapConfig.manual.joined(separator: "\u{1F}")),
        ], inputs: [clusters, sample, dataset]) {
            JSONCached(try ModelMetrics.compute(fit: try clusters.get(), split: try sample.get(), dataset: try dataset.get(),
                                                mapping: mapConfig, clusters: models.clusters, file: file))
        }
        return ModelStages(reducer: reducer, reduction: reduction, clusters: clusters, silhouette: silhouette, metrics: metrics)
    }
}

/// The scaled features of the training and held-out rows, made once per run
/// when a reducer needs them (cheap to recompute, so never cached on disk).
final class FeatureCache: @unchecked Sendable {
    private var value: (train: Matrix, test: Matrix)?
    private let lock = NSLock()

    func features(dataset: StageOutput<Dataset>, sample: StageOutput<SampleSplit>,
                  scaling: Scaling) throws -> (train: Matrix, test: Matrix) {
        if let value = lock.withLock({ value }) { return value }
        let data = try dataset.get(), split = try sample.get()
        func scaled(_ rows: [Int]) -> Matrix {
            let subset = data.subset(rows)
            return scaling.apply(subset.pixels[...], rows: subset.count, columns: subset.pixelsPerImage)
        }
        let result = (scaled(split.train), scaled(split.test))
        lock.withLock { value = result }
        return result
    }
}

extension ModelMetrics {
    /// Maps clusters to labels on the training rows and scores the held-out rows.
    static func compute(fit: ClusterFit, split: SampleSplit, dataset: Dataset,
                        mapping: ExperimentConfig.ClusterMapSection, clusters: Int, file: String) throws -> ModelMetrics {
        let classes = dataset.labelNames.count
        let trainTruth = split.train.map { dataset.labels[$0] }, testTruth = split.test.map { dataset.labels[$0] }
        let table = Contingency(clusterOf: fit.clustering.labels, labelOf: trainTruth, clusters: clusters, labels: classes)
        let hungarian = ClusterMap.hungarian(table), majority = ClusterMap.majority(table)
        let chosen: ClusterMap
        switch mapping.method {
        case .hungarian: chosen = hungarian
        case .majority: chosen = majority
        case .manual:
            chosen = ClusterMap(labelOf: try mapping.manual.enumerated().map { cluster, name in
                guard let code = dataset.labelNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                    throw ConfigError(file: file, line: nil, path: "cluster_map.manual",
                                      "cluster \(cluster) maps to \"\(name)\", which is not a label (labels: \(dataset.labelNames.joined(separator: ", ")))")
                }
                return code
            })
        }
        let testTable = Contingency(clusterOf: fit.testLabels, labelOf: testTruth, clusters: clusters, labels: classes)
        func accuracy(_ map: ClusterMap) -> Double {
            ClassificationReport(truth: testTruth, predicted: map.predict(fit.testLabels), classes: classes).accuracy
        }
        return ModelMetrics(
            map: chosen, hungarian: hungarian, majority: majority,
            test: ClassificationReport(truth: testTruth, predicted: chosen.predict(fit.testLabels), classes: classes),
            train: ClassificationReport(truth: trainTruth, predicted: chosen.predict(fit.clustering.labels), classes: classes),
            testHungarianAccuracy: accuracy(hungarian), testMajorityAccuracy: accuracy(majority),
            chance: ChanceLevels(truth: testTruth, classes: classes),
            nmi: testTable.normalizedMutualInformation, ari: testTable.adjustedRandIndex, purity: table.purity,
            contingency: table)
    }
}
