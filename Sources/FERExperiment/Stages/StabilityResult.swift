import FERCore
import FERMath

/// How much the final model's numbers move when nothing about the data
/// changes: k-means rerun with other seeds, and the silhouette of held-out
/// folds (the reducer and k-means fitted on the other folds only).
public struct StabilityResult: Sendable, Equatable, Codable {
    /// One k-means run.
    public struct SeedRun: Sendable, Equatable, Codable {
        /// The k-means seed.
        public var seed: UInt64
        /// Held-out accuracy through the Hungarian map fitted on the training rows.
        public var hungarianAccuracy: Double
        /// Held-out normalised mutual information.
        public var nmi: Double
        /// Sum of squared distances to the centroids.
        public var inertia: Double
    }

    /// One cross-validation fold.
    public struct Fold: Sendable, Equatable, Codable {
        /// Rows the reducer and k-means were fitted on.
        public var fittedRows: Int
        /// Rows scored.
        public var heldOutRows: Int
        /// Mean silhouette of the held-out rows, clustered by the centroids fitted on the other folds
        /// (`nil` when they fall in fewer than two clusters).
        public var heldOutSilhouette: Double?
    }

    /// The final model's seed first, then the reruns.
    public var seeds: [SeedRun]
    /// Adjusted Rand index between the training clusterings of every pair of seeds.
    public var pairwiseARI: [Double]
    /// The folds, in order.
    public var folds: [Fold]

    /// Spread (max − min) of the seeds' held-out Hungarian accuracy.
    public var accuracySpread: Double {
        let values = seeds.map(\.hungarianAccuracy)
        return (values.max() ?? 0) - (values.min() ?? 0)
    }

    /// Reruns the final model's k-means with `config.evidence.seeds` seeds and
    /// clusters each fold of `folds` (reduced without its held-out rows) to score its held-out rows.
    static func measure(
        factory: ModelStageFactory, model: Experiment.ModelStages, folds: FoldReductions,
        progress: (@Sendable (String, Int, Int) -> Void)?
    ) throws -> StabilityResult {
        let config = factory.config, evidence = config.evidence, setting = model.setting
        let reduction = try model.reduction.get(), main = try model.clusters.get()
        let split = try factory.sample.get(), dataset = try factory.dataset.get()
        let k = main.clustering.clusterCount
        let points = reduction.train.leadingColumns(setting.components)
        let heldOut = reduction.test.leadingColumns(setting.components)
        let steps = evidence.seeds + folds.folds.count
        var labelings: [[Int32]] = [], seeds: [SeedRun] = []
        for index in 0..<evidence.seeds {
            progress?("stability", index, steps)
            let seed = config.models.seed &+ UInt64(index)
            let fit: ClusterFit
            if index == 0 {
                fit = main
            } else {
                let clustering = try KMeans(clusters: k, restarts: config.models.restarts, seed: seed).fit(points)
                fit = ClusterFit(clustering: clustering, testLabels: clustering.predict(heldOut))
            }
            let metrics = try ModelMetrics.compute(
                fit: fit, split: split, dataset: dataset,
                mapping: ExperimentConfig.ClusterMapSection(method: .hungarian, manual: []), clusters: k,
                file: factory.file)
            labelings.append(fit.clustering.labels)
            seeds.append(
                SeedRun(
                    seed: seed, hungarianAccuracy: metrics.testHungarianAccuracy, nmi: metrics.nmi,
                    inertia: fit.clustering.inertia))
        }
        var pairwise: [Double] = []
        for first in labelings.indices {
            for second in labelings.indices where second > first {
                pairwise.append(
                    Contingency(
                        clusterOf: labelings[first], labelOf: labelings[second],
                        clusters: k, labels: k
                    ).adjustedRandIndex)
            }
        }
        var foldResults: [Fold] = []
        for (index, fold) in folds.folds.enumerated() {
            progress?("stability", evidence.seeds + index, steps)
            let clustering = try KMeans(clusters: k, restarts: config.models.restarts, seed: config.models.seed).fit(
                fold.train)
            let labels = clustering.predict(fold.test)
            foldResults.append(
                Fold(
                    fittedRows: fold.train.rows, heldOutRows: fold.test.rows,
                    heldOutSilhouette: try? config.silhouetteSampling.score(fold.test, labels: labels, clusters: k)
                        .score))
        }
        progress?("stability", steps, steps)
        return StabilityResult(seeds: seeds, pairwiseARI: pairwise, folds: foldResults)
    }
}

/// The final model's reducer refitted once per cross-validation fold of the
/// training rows, without the fold: each fold's fitted and held-out scores.
/// Independent of the number of clusters, so changing it reuses them.
public struct FoldReductions: Sendable, Equatable {
    /// One fold's scores.
    public struct Fold: Sendable, Equatable {
        /// Scores of the rows the reducer was fitted on.
        public var train: Matrix
        /// Scores of the fold's held-out rows.
        public var test: Matrix
    }

    /// The folds, in order (none when fewer than two are configured).
    public var folds: [Fold]

    /// Splits the training rows into `count` seeded folds and fits the reducer
    /// without each. For features of modest length, one scatter matrix per
    /// fold is made in a single pass over the rows and each fold's fit uses
    /// the total minus its own, so no rows are copied; when those matrices
    /// would outweigh the rows themselves (long features, few rows), each
    /// fold is fitted from its rows, one fold at a time.
    static func make(factory: ModelStageFactory, setting: FeatureSetting, count: Int) throws -> FoldReductions {
        guard count >= 2 else { return FoldReductions(folds: []) }
        let seed = factory.config.models.seed
        let features = try factory.features.training(setting.features)
        var order = Array(0..<features.rows)
        var random = SeededGenerator(seed: seed, stream: 0xF01D)
        random.shuffle(&order)
        let heldOut = (0..<count).map { fold in
            stride(from: fold, to: order.count, by: count).map { order[$0] }.sorted()
        }
        let fittedRows = heldOut.map { rows in
            let held = Set(rows)
            return (0..<features.rows).filter { !held.contains($0) }
        }
        @Sendable func fold(_ index: Int, projection: Projection) -> Fold {
            let scores = ModelStageFactory.scores(of: features, projection: projection, whiten: setting.whiten)
            return Fold(train: scores.selecting(rows: fittedRows[index]), test: scores.selecting(rows: heldOut[index]))
        }
        @Sendable func fit(_ rows: Matrix) throws -> Projection {
            setting.reducer == .pca
                ? try PCA(components: setting.components, seed: seed).fit(rows)
                : try TruncatedSVD(components: setting.components, seed: seed).fit(rows)
        }
        @Sendable func fit(_ scatter: ScatterMatrix) throws -> Projection {
            setting.reducer == .pca
                ? try PCA(components: setting.components, seed: seed).fit(scatter)
                : try TruncatedSVD(components: setting.components, seed: seed).fit(scatter)
        }
        guard usesScatterMatrices(rows: features.rows, columns: features.columns, folds: count) else {
            return FoldReductions(
                folds: try (0..<count).map { fold($0, projection: try fit(features.selecting(rows: fittedRows[$0]))) })
        }
        // About the column means, so the Float products stay well conditioned (none for the uncentred SVD).
        let origin =
            setting.reducer == .pca
            ? features.columnStatistics().means.map(Float.init)
            : [Float](repeating: 0, count: features.columns)
        let scatters = ParallelLoop.mapChunks(count: count, chunks: count) { _, folds in
            ScatterMatrix(features, rows: heldOut[folds.lowerBound], origin: origin)
        }
        let total = ScatterMatrix.combining(scatters)
        let perFold = ParallelLoop.mapChunks(count: count, chunks: count) { _, folds -> Result<Fold, Error> in
            Result { fold(folds.lowerBound, projection: try fit(total.removing(scatters[folds.lowerBound]))) }
        }
        return FoldReductions(folds: try perFold.map { try $0.get() })
    }

    /// Whether the folds' scatter matrices (one per fold, their total, and
    /// one fitted matrix per core, each columns² floats) take at most four
    /// times the memory of the rows, or 512 MB.
    static func usesScatterMatrices(rows: Int, columns: Int, folds: Int) -> Bool {
        let scatterBytes = (folds + 3) * columns * columns * MemoryLayout<Float>.size
        return scatterBytes <= max(512 << 20, 4 * rows * columns * MemoryLayout<Float>.size)
    }
}

extension FoldReductions: CacheCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(Int64(folds.count))
        for fold in folds {
            fold.train.encode(to: &writer)
            fold.test.encode(to: &writer)
        }
    }

    public init(from reader: inout BinaryReader) throws {
        let count = Int(try reader.read(Int64.self))
        guard (0...1_000).contains(count) else { throw CacheError.malformed }
        folds = try (0..<count).map { _ in Fold(train: try Matrix(from: &reader), test: try Matrix(from: &reader)) }
    }
}
