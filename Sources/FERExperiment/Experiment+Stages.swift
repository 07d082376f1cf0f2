import FERCore
import FERData
import FERLandmarks
import FERStages

/// The stages about the data: load, summary, groups, sample and split, the
/// near-copy check, and the landmarks.
struct DataStages {
    /// The data's content hash (or the generator's parameters for synthetic data).
    let fingerprint: String
    let dataset: StageOutput<Dataset>
    let summary: StageOutput<DatasetSummary>
    let sample: StageOutput<SampleSplit>
    let nearCopies: StageOutput<NearCopies>
    /// The landmark stage's settings; `nil` when no setting reads landmarks.
    let landmarkSettings: LandmarkSet.Settings?
    let landmarks: StageOutput<LandmarkSet>
    let landmarkQuality: StageOutput<LandmarkQuality>
    /// What stages whose features read no landmarks take instead, so the landmark settings never rekey them.
    let noLandmarks: StageOutput<LandmarkSet>
    /// A user's embeddings of every image, matched by key (none when no setting reads them).
    let embeddings: StageOutput<Embeddings>
    /// What stages whose features read no embeddings take instead.
    let noEmbeddings: StageOutput<Embeddings>
    /// The embeddings a user's program computes from every image (none when no setting reads them).
    let programEmbeddings: StageOutput<Embeddings>

    /// Declares them for `config`.
    /// - Throws: `DataError` when the data cannot be read; `ConfigError` when the landmark model is missing.
    ///   `embeddings` is the embeddings file and `command` the program, when a setting reads them.
    init(
        config: ExperimentConfig, configFile: String, embeddings embeddingSettings: EmbeddingSettings?,
        command: CommandSettings?, runner: StageRunner
    ) throws {
        let source = config.dataset
        fingerprint =
            source.isSynthetic
            ? "synthetic-\(source.syntheticCount)-\(source.syntheticSeed)"
            : try DataFingerprint.of(path: source.path, memo: runner.cache, trustMemo: !runner.force)
        dataset = runner.stage(
            "load", version: 3, parameters: DatasetSource(source, content: fingerprint), compute: DatasetSource.load)
        summary = runner.stage(
            "summary", version: 2, parameters: NoParameters(), inputs: dataset, compute: DatasetSource.summarize)
        let groups = runner.stage(
            "groups", version: 1, parameters: ImageGroups.Settings(source: config.split.groups), inputs: dataset,
            compute: ImageGroups.read)
        sample = runner.stage(
            "sample", version: 5, parameters: SampleSplit.Settings(config), inputs: dataset, groups,
            compute: SampleSplit.make)
        nearCopies = runner.stage(
            "near copies", version: 2, parameters: NearCopies.Settings(), inputs: dataset, sample,
            compute: NearCopies.check)
        landmarkSettings = try Self.landmarkSettings(config, configFile: configFile, runner: runner)
        landmarks = runner.stage(
            "landmarks", version: 1, parameters: landmarkSettings, inputs: dataset, reporting: LandmarkSet.place)
        landmarkQuality = runner.stage(
            "landmark quality", version: 1, parameters: LandmarkQuality.Settings(worst: 24),
            inputs: landmarks, dataset, compute: LandmarkQuality.check)
        noLandmarks = runner.stage(
            "no landmarks", version: 1, parameters: LandmarkSet.Settings?.none, inputs: dataset,
            reporting: LandmarkSet.place)
        // Stages for the embeddings a setting reads, and only for those: a run without them declares none.
        let none = runner.stage(
            "no embeddings", version: 1, parameters: EmbeddingSettings?.none, inputs: dataset,
            compute: EmbeddingSettings.read)
        noEmbeddings = none
        embeddings =
            embeddingSettings == nil
            ? none
            : runner.stage(
                "embeddings", version: 1, parameters: embeddingSettings, inputs: dataset,
                compute: EmbeddingSettings.read)
        programEmbeddings =
            command == nil
            ? none
            : runner.stage(
                "command embeddings", version: 1, parameters: command, inputs: dataset,
                reporting: CommandSettings.run)
    }

    /// The landmark stage's settings: `nil` when no model setting uses landmarks, so their settings then
    /// key nothing.
    /// - Throws: `ConfigError` naming `features.landmarks.model` when the model file is missing.
    static func landmarkSettings(
        _ config: ExperimentConfig, configFile: String, runner: StageRunner
    ) throws -> LandmarkSet.Settings? {
        let kinds = [config.models.features] + config.features.compare.map(\.features)
        guard kinds.contains(where: { config.extractor($0).needsLandmarks }) else { return nil }
        let options = config.features.landmarks
        let content: String
        do {
            content = try DataFingerprint.of(path: options.model, memo: runner.cache, trustMemo: !runner.force)
        } catch {
            let exists = RegularFile.kind(at: options.model) != .missing
            throw ConfigProblem(
                path: "features.landmarks.model",
                LandmarkSet.advice(for: LandmarkModelError(path: options.model, reason: exists ? .notAFile : .missing))
            ).placed(in: configFile)
        }
        return LandmarkSet.Settings(
            model: options.model, modelContent: content, upscale: options.upscale, inset: options.inset,
            face: options.face)
    }
}

/// The stages on top of the final model: the classifier trained on its
/// clusters and the second model, the stability checks, and the model file.
struct FinalModelStages {
    let secondModel: StageOutput<SecondModelResult>
    let stability: StageOutput<StabilityResult>
    let trainedModel: StageOutput<TrainedModel>

    /// Declares them on `final`.
    init(_ final: Experiment.ModelStages, data: DataStages, declarations: ModelStageDeclarations) {
        let config = declarations.config, runner = declarations.runner, main = config.models
        let finalSeeds =
            final.seeds
            ?? declarations.seedRuns(
                setting: final.setting, name: final.reducer.rawValue, reduction: final.reduction,
                clusters: final.clusters)
        let secondSettings = SecondModelResult.Settings(
            components: main.components, classifier: ExperimentConfig.secondModelClassifier)
        let classifier = runner.stage(
            "cluster classifier", version: 2, parameters: secondSettings,
            inputs: final.reduction, final.clusters, final.metrics, data.sample, data.dataset,
            compute: ClusterClassifier.fit)
        secondModel = runner.stage(
            "second model", version: 5, parameters: secondSettings,
            inputs: final.reduction, final.clusters, final.metrics, classifier, data.sample, data.dataset,
            compute: SecondModelResult.train)
        let folds = runner.stage(
            "folds", version: 6,
            parameters: FoldReductions.Settings(
                count: config.stability.folds,
                reduction: declarations.reduction(for: final.setting, fitComponents: final.setting.components)),
            inputs: data.dataset, data.sample, declarations.landmarks(for: final.setting),
            declarations.embeddings(for: final.setting),
            compute: FoldReductions.make)
        stability = runner.stage(
            "stability", version: 6,
            parameters: StabilityResult.Settings(
                clusterer: main.clusterer(final.setting.method), sampling: config.silhouetteSampling),
            inputs: final.clusters, finalSeeds, folds, reporting: StabilityResult.measure)
        trainedModel = runner.stage(
            "model file", version: 2,
            parameters: TrainedModel.Settings(
                lighting: config.preprocessing.lighting,
                landmarks: config.extractor(final.setting.features).needsLandmarks ? data.landmarkSettings : nil,
                whiten: final.setting.whiten, components: final.setting.components, map: config.clusterMap.method,
                secondComponents: main.components),
            inputs: data.summary, final.reduction, final.clusters, final.metrics, classifier,
            compute: TrainedModel.make)
    }
}
