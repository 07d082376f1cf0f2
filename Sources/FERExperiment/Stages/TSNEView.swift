import FERCore
import FERMath
import FERStages

/// The final model's t-SNE view (`figures.embedding: tsne`): the training
/// images the explorer shows, placed in the plane by a t-SNE of the
/// components the final model clustered, and how far the picture keeps
/// their neighbourhoods. Drawn on the final-model page and offered in the
/// explorer.
package struct TSNEView: Sendable, Equatable {
    /// Positions into the training rows of the points, in point order.
    package var positions: [Int]
    /// Two coordinates per point.
    package var coordinates: Matrix
    /// The perplexity used: `figures.tsne_perplexity`, lowered to a third of the points when they are fewer.
    package var perplexity: Double
    /// How the repulsive forces were computed.
    package var method: TSNE.Method
    /// The trustworthiness over `neighbours` neighbours within a seeded sample of `trustworthinessSample`
    /// points; `nil` for too few points to measure it.
    package var trustworthiness: Double?
    /// Points the trustworthiness was measured on.
    package var trustworthinessSample: Int

    /// Points the trustworthiness is measured on at most (its cost grows with their square).
    package static let trustworthinessLimit = 1_000
    /// Neighbours the trustworthiness looks at (scikit-learn's default).
    package static let neighbours = 5

    /// What the stage reads besides its inputs.
    struct Settings: StageParameters {
        /// Images shown at most, and the seed of the sample above it (`images.explorer`, `models.seed`).
        var limit: Int
        var sampleSeed: UInt64
        /// Leading components the final model clustered.
        var components: Int
        /// `figures.tsne_perplexity` and `figures.tsne_seed`.
        var perplexity: Double
        var seed: UInt64
    }

    /// The view's stage for `final`, the final model.
    static func stage(
        _ config: ExperimentConfig, final: Experiment.ModelStages, sample: StageOutput<SampleSplit>,
        runner: StageRunner
    ) -> StageOutput<TSNEView> {
        let settings = Settings(
            limit: config.images.explorer, sampleSeed: config.models.seed, components: final.setting.components,
            perplexity: config.figures.tsnePerplexity, seed: config.figures.tsneSeed)
        return runner.stage(
            "t-SNE", version: 1, parameters: settings, inputs: final.reduction, sample, reporting: make)
    }

    private static func make(
        _ settings: Settings, progress: StageProgress, reduction: Reduction, split: SampleSplit
    ) throws -> TSNEView {
        let positions = ShownImages.positions(
            of: split.train.count, limit: settings.limit, seed: settings.sampleSeed)
        let features = reduction.train.leadingColumns(settings.components).selecting(rows: positions)
        let n = positions.count
        let perplexity = min(settings.perplexity, Double(n - 1) / 3)
        let method = TSNE.method(points: n)
        let coordinates = try TSNE(perplexity: perplexity, seed: settings.seed).embed(
            features, method: method, progress: { progress($0, $1) })
        let sample = ShownImages.positions(of: n, limit: trustworthinessLimit, seed: settings.seed)
        let trustworthiness =
            sample.count >= 4 * neighbours
            ? try Trustworthiness.of(
                original: features.selecting(rows: sample), embedded: coordinates.selecting(rows: sample),
                neighbours: neighbours)
            : nil
        return TSNEView(
            positions: positions, coordinates: coordinates, perplexity: perplexity, method: method,
            trustworthiness: trustworthiness, trustworthinessSample: sample.count)
    }
}

extension TSNEView: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        writer.write(positions)
        coordinates.encode(to: &writer)
        writer.write(perplexity)
        writer.write(method.rawValue)
        writer.write(trustworthiness ?? .nan)
        writer.write(trustworthinessSample)
    }

    package init(from reader: inout BinaryReader) throws {
        positions = try reader.read()
        coordinates = try Matrix(from: &reader)
        perplexity = try reader.read()
        guard let method = TSNE.Method(rawValue: try reader.read()) else { throw CacheError.malformed }
        self.method = method
        let trust = try reader.read(Double.self)
        trustworthiness = trust.isNaN ? nil : trust
        trustworthinessSample = try reader.read()
        guard coordinates.rows == positions.count, coordinates.columns == 2 else { throw CacheError.malformed }
    }
}
