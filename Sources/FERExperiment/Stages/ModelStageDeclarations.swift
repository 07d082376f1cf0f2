import FERData
import FERFeatures
import FERMath
import FERStages
import Foundation

/// Declares the four stages of a feature setting (reduce, cluster,
/// silhouette, metrics) from the config. Only declaring reads the config:
/// each stage's compute function receives its settings and inputs alone.
struct ModelStageDeclarations: Sendable {
    let config: ExperimentConfig
    let runner: StageRunner
    let dataset: StageOutput<Dataset>
    let summary: StageOutput<DatasetSummary>
    let sample: StageOutput<SampleSplit>
    let landmarks: StageOutput<LandmarkSet>
    let noLandmarks: StageOutput<LandmarkSet>
    let embeddings: StageOutput<Embeddings>
    let programEmbeddings: StageOutput<Embeddings>
    let noEmbeddings: StageOutput<Embeddings>

    /// The landmarks `setting`'s features read: the real ones, or none when they read none.
    func landmarks(for setting: FeatureSetting) -> StageOutput<LandmarkSet> {
        config.extractor(setting.features).needsLandmarks ? landmarks : noLandmarks
    }

    /// The embeddings `setting`'s features read: the file's, the program's, or none when they read none.
    func embeddings(for setting: FeatureSetting) -> StageOutput<Embeddings> {
        switch setting.features.method {
        case is FileEmbeddings.Type: embeddings
        case is ProgramEmbeddings.Type: programEmbeddings
        default: noEmbeddings
        }
    }

    /// What the model stages of `setting` compute from, the reducer fitted with `fitComponents` (at least the
    /// setting's).
    func reduction(for setting: FeatureSetting, fitComponents: Int) -> Reduction.Settings {
        Reduction.Settings(
            features: config.extractor(setting.features), lighting: config.preprocessing.lighting,
            reducer: setting.reducer,
            components: max(fitComponents, setting.components), whiten: setting.whiten, seed: config.models.seed)
    }

    /// Reduce, cluster, silhouette and metrics stages for `setting`, and with `seeds` its clusterer's reruns with
    /// other seeds; the reducer is fitted with `fitComponents` (at least the setting's), named after `name`.
    func stages(for setting: FeatureSetting, name: String, fitComponents: Int, seeds: Bool) -> Experiment.ModelStages {
        let models = config.models
        let reduction = runner.stage(
            "reduce \(name)", version: 6, parameters: reduction(for: setting, fitComponents: fitComponents),
            inputs: dataset, sample, landmarks(for: setting), embeddings(for: setting), compute: Reduction.compute)
        let clusters = runner.stage(
            "cluster \(name)", version: 5,
            parameters: ClusterFit.Settings(
                components: setting.components, clusters: models.clusters,
                clusterer: models.clusterer(setting.method)),
            inputs: reduction, summary, compute: ClusterFit.compute)
        let silhouette = runner.stage(
            "silhouette \(name)", version: 5,
            parameters: SilhouetteResult.Settings(
                components: setting.components, sampling: config.silhouetteSampling,
                clusterer: models.clusterer(setting.method), seed: models.seed),
            inputs: reduction, clusters, compute: SilhouetteResult.compute)
        let metrics = runner.stage(
            "metrics \(name)", version: 4, parameters: config.clusterMap, inputs: clusters, sample, dataset,
            compute: ModelMetrics.compute)
        return Experiment.ModelStages(
            setting: setting, reduction: reduction, clusters: clusters, silhouette: silhouette, metrics: metrics,
            seeds: seeds ? seedRuns(setting: setting, name: name, reduction: reduction, clusters: clusters) : nil)
    }

    /// The clusterer of `setting` (its `reduction` and `clusters`) rerun with `stability.seeds` seeds.
    func seedRuns(
        setting: FeatureSetting, name: String, reduction: StageOutput<Reduction>, clusters: StageOutput<ClusterFit>
    ) -> StageOutput<SeedRuns> {
        runner.stage(
            "seeds \(name)", version: 2,
            parameters: SeedRuns.Settings(
                seeds: config.stability.seeds, components: setting.components,
                clusterer: config.models.clusterer(setting.method)),
            inputs: reduction, clusters, sample, dataset, reporting: SeedRuns.measure)
    }
}
