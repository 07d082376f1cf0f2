import FERCore
import FERData
import FERFeatures
import FERLandmarks
import FERMath
import FERStages
import FERSynth
import Foundation

/// One experiment as a graph of cached stages: load, summary, sample and
/// split; for each model (a feature setting): reduce, cluster, silhouette
/// and metrics; the grid search; the second model; the stability checks.
/// The report's figures are declared on top of these by its pages.
///
/// Declaring the graph computes nothing but the data's content hash; values
/// are produced when something asks for them, so a rerun after a small
/// change computes only the stages whose inputs changed.
package final class Experiment: @unchecked Sendable {
    /// The stages of one model.
    package struct ModelStages: Sendable {
        /// Features, reducer, components and whitening.
        package let setting: FeatureSetting
        /// The fitted reducer and component scores (whitened when the setting says so).
        package let reduction: StageOutput<Reduction>
        /// k-means on the scores.
        package let clusters: StageOutput<ClusterFit>
        /// Silhouette and structureless baseline.
        package let silhouette: StageOutput<SilhouetteResult>
        /// Agreement with the labels.
        package let metrics: StageOutput<ModelMetrics>
        /// k-means rerun with other seeds (`stability.seeds`), for the final model and the compared settings.
        package let seeds: StageOutput<SeedRuns>?

        /// The reducer.
        package var reducer: Projection.Method { setting.reducer }
    }

    /// The configuration.
    package let config: ExperimentConfig
    /// The config file's name, for errors and provenance.
    package let configFile: String
    /// Runs and caches the stages.
    package let runner: StageRunner
    /// The data's content hash (or the generator's parameters for synthetic data).
    package let dataFingerprint: String
    /// The dataset.
    package let dataset: StageOutput<Dataset>
    /// What the exploration page prints.
    package let summary: StageOutput<DatasetSummary>
    /// The rows used, and their split.
    package let sample: StageOutput<SampleSplit>
    /// Each held-out image's nearest training image, and how many are near-copies.
    package let nearCopies: StageOutput<NearCopies>
    /// One model per reducer, in the configured order.
    package let models: [ModelStages]
    /// The settings compared on the features page.
    package let comparison: [ModelStages]
    /// The grid search on the final reducer, when enabled.
    package let grid: StageOutput<[ClusterGrid.Cell]>?
    /// A classifier trained on the cluster-mapped labels, and on the true labels.
    package let secondModel: StageOutput<SecondModelResult>
    /// Seed reruns and the cross-validated silhouette.
    package let stability: StageOutput<StabilityResult>
    /// The mean training image of each label (one row each), for the figures.
    package let labelMeans: StageOutput<Matrix>
    /// The mean training image of each of the final model's clusters.
    package let clusterMeans: StageOutput<Matrix>
    /// The facial landmarks of every image (none when no features use them).
    package let landmarks: StageOutput<LandmarkSet>
    /// How well the landmark model fitted them.
    package let landmarkQuality: StageOutput<LandmarkQuality>
    /// Whether any model setting uses landmarks.
    package let usesLandmarks: Bool
    /// The final model as a file for new images.
    package let trainedModel: StageOutput<TrainedModel>
    /// The t-SNE view of the final model's features, when `figures.embedding` asks for it.
    package let tsne: StageOutput<TSNEView>?

    /// Declares the experiment's stages; long stages report their progress to `runner.onProgress`.
    /// - Throws: `DataError` when the data file or folder cannot be read.
    package init(config: ExperimentConfig, configFile: String, runner: StageRunner) throws {
        let embeddingSettings: EmbeddingSettings?, commandSettings: CommandSettings?
        do {
            embeddingSettings = try EmbeddingSettings.of(config, runner: runner)
            commandSettings = try CommandSettings.of(config)
        } catch let problem as ConfigProblem {
            throw problem.placed(in: configFile)
        }
        var config = config
        config.embeddingSource = embeddingSettings?.source
        self.configFile = configFile
        self.runner = runner
        runner.explainFailure = { stage, error in
            switch error {
            case let problem as ConfigProblem: problem.placed(in: configFile)
            case let error as MathError: StageError(stage: stage, message: "\(error)")
            default: error
            }
        }
        let data = try DataStages(
            config: config, configFile: configFile, embeddings: embeddingSettings, command: commandSettings,
            runner: runner)
        // A program's embeddings are known once it has run (or its output is cached): their width sizes the
        // models' features.
        if let commandSettings {
            config.programSource = EmbeddingSource(
                file: commandSettings.argv.joined(separator: " "),
                content: runner.declared["command embeddings"]?.key ?? "",
                columns: try data.programEmbeddings.get().columns)
        }
        self.config = config
        dataFingerprint = data.fingerprint
        dataset = data.dataset
        summary = data.summary
        sample = data.sample
        nearCopies = data.nearCopies
        landmarks = data.landmarks
        landmarkQuality = data.landmarkQuality
        usesLandmarks = data.landmarkSettings != nil
        let declarations = ModelStageDeclarations(
            config: config, runner: runner, dataset: data.dataset, summary: data.summary, sample: data.sample,
            landmarks: data.landmarks, noLandmarks: data.noLandmarks, embeddings: data.embeddings,
            programEmbeddings: data.programEmbeddings, noEmbeddings: data.noEmbeddings)
        let models = Self.models(config, declarations: declarations)
        self.models = models
        comparison = config.features.compare.map { setting in
            models.first { $0.setting == setting && $0.seeds != nil }
                ?? declarations.stages(
                    for: setting, name: setting.identifier, fitComponents: setting.components, seeds: true)
        }
        let final = models.first { $0.reducer == config.models.final } ?? models[0]
        grid =
            config.grid.enabled
            ? runner.stage(
                "grid", version: 4, parameters: GridSettings(config), inputs: final.reduction,
                reporting: GridSettings.search)
            : nil
        let checks = FinalModelStages(final, data: data, declarations: declarations)
        secondModel = checks.secondModel
        stability = checks.stability
        trainedModel = checks.trainedModel
        labelMeans = runner.stage(
            "label means", version: 1, parameters: NoParameters(), inputs: data.dataset, data.sample,
            compute: Matrix.labelMeans)
        clusterMeans = runner.stage(
            "cluster means", version: 1, parameters: NoParameters(), inputs: data.dataset, data.sample,
            final.clusters, compute: Matrix.clusterMeans)
        tsne =
            config.figures.embedding == .tsne
            ? TSNEView.stage(config, final: final, sample: data.sample, runner: runner) : nil
    }

    /// One model per configured reducer, on the configured features.
    private static func models(_ config: ExperimentConfig, declarations: ModelStageDeclarations) -> [ModelStages] {
        let main = config.models
        return main.reducers.map { reducer in
            let setting = FeatureSetting(
                features: main.features, reducer: reducer, components: main.components, whiten: main.whiten,
                method: main.method)
            // PCA on pixels also feeds the scree plot and the eigenfaces, and the final reducer the grid:
            // fit enough components once.
            let fitted = reducer == .pca || reducer == main.final ? config.componentsNeeded : main.components
            return declarations.stages(
                for: setting, name: reducer.rawValue, fitComponents: fitted, seeds: reducer == main.final)
        }
    }

    /// Checks that the config fits the data (see `ExperimentConfig.check(against:split:file:)`); returns the run's
    /// estimated peak memory in bytes.
    @discardableResult
    package func validate() throws -> Int {
        try config.check(against: try summary.get(), split: try sample.get(), file: configFile)
    }

    /// The final model's stages.
    package var finalModel: ModelStages {
        models.first { $0.reducer == config.models.final } ?? models[0]
    }
}

extension Matrix {
    /// Mean images, one per row.
    init(means: [[Double]]) {
        self.init(rows: means.count, columns: means.first?.count ?? 0, values: means.flatMap { $0.map(Float.init) })
    }

    /// The mean training image of each label, one row each.
    static func labelMeans(_: NoParameters, dataset: Dataset, split: SampleSplit) -> Matrix {
        let train = split.train
        return Matrix(
            means: dataset.meanImages(
                rows: train, groups: train.map { dataset.labels[$0] }, count: dataset.labelNames.count))
    }

    /// The mean training image of each cluster of `fit`, one row each.
    static func clusterMeans(_: NoParameters, dataset: Dataset, split: SampleSplit, fit: ClusterFit) -> Matrix {
        let clustering = fit.clustering
        return Matrix(
            means: dataset.meanImages(rows: split.train, groups: clustering.labels, count: clustering.clusterCount))
    }
}

/// What the load stage reads: where the images are and what they hold (or
/// the built-in generator's settings), their size and label names.
struct DatasetSource: StageParameters {
    /// The built-in generator's settings.
    struct Synthetic: StageParameters {
        var count: Int
        var seed: UInt64
    }

    /// The data file or folder.
    var path: String
    /// Its content hash (the generator's settings for the built-in faces).
    var content: String
    /// Image width and height; `nil` takes them from the data.
    var width: Int?
    var height: Int?
    /// Names of the label codes; `nil` means FER2013's emotions.
    var labels: [String]?
    /// Set for the built-in faces.
    var synthetic: Synthetic?

    init(_ section: ExperimentConfig.DatasetSection, content: String) {
        path = section.path
        self.content = content
        width = section.width
        height = section.height
        labels = section.labels
        synthetic = section.isSynthetic ? Synthetic(count: section.syntheticCount, seed: section.syntheticSeed) : nil
    }

    /// The dataset these settings name.
    static func load(_ source: DatasetSource) throws -> Dataset {
        if let synthetic = source.synthetic {
            return SyntheticFaces.generate(count: synthetic.count, seed: synthetic.seed)
        }
        return try DatasetLoader.load(
            path: source.path,
            options: DatasetOptions(width: source.width, height: source.height, labelNames: source.labels))
    }

    /// What the exploration page prints about `dataset`.
    static func summarize(_: NoParameters, dataset: Dataset) -> DatasetSummary {
        DatasetSummary(dataset)
    }
}

/// What the grid stage reads: the components and clusters tried, the
/// clusterer (with the grid's restarts), and how silhouettes are scored.
struct GridSettings: StageParameters {
    var components: ClosedRange<Int>
    var clusters: ClosedRange<Int>
    var clusterer: ClustererChoice
    var sampling: SilhouetteSampling

    init(_ config: ExperimentConfig) {
        components = config.grid.components
        clusters = config.grid.clusters
        clusterer = config.models.clusterer(config.models.method, restarts: config.grid.restarts)
        sampling = config.silhouetteSampling
    }

    /// The clusterer and its silhouette at every grid point, on the leading components of the training scores
    /// (above `Reduction.fitSample` training rows, of a seeded sample of that many).
    static func search(
        _ settings: GridSettings, progress: StageProgress, reduction: Reduction
    ) throws
        -> [ClusterGrid.Cell]
    {
        try search(settings, progress: progress, reduction: reduction, fitSample: Reduction.fitSample)
    }

    /// `search`, sampling above `fitSample` training rows (tests set a small one).
    static func search(
        _ settings: GridSettings, progress: StageProgress, reduction: Reduction, fitSample: Int
    ) throws
        -> [ClusterGrid.Cell]
    {
        let all = reduction.train
        let sample = Reduction.fitRows(of: Array(0..<all.rows), seed: 0x6121, limit: fitSample)
        let scores = sample.count < all.rows ? all.selecting(rows: sample) : all
        return try ClusterGrid(
            components: settings.components, clusters: settings.clusters,
            clusterer: settings.clusterer.method.type, settings: settings.clusterer.settings,
            sampling: settings.sampling
        )
        .run(on: scores.leadingColumns(min(scores.columns, settings.components.upperBound))) { done, total in
            progress(done, total)
        }
    }
}
