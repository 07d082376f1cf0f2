import FERCore
import FERData
import FERFeatures
import FERMath
import FERStages

/// How much the final model's numbers move when nothing about the data
/// changes: k-means rerun with other seeds, and the silhouette of held-out
/// folds (the reducer and k-means fitted on the other folds only).
package struct StabilityResult: Sendable, Equatable, Codable {
    /// One k-means run.
    package struct SeedRun: Sendable, Equatable, Codable {
        /// The k-means seed.
        package var seed: UInt64
        /// Held-out accuracy through the Hungarian map fitted on the training rows.
        package var hungarianAccuracy: Double
        /// Held-out normalised mutual information.
        package var nmi: Double
        /// Sum of squared distances to the centroids.
        package var inertia: Double
    }

    /// One cross-validation fold.
    package struct Fold: Sendable, Equatable, Codable {
        /// Rows the reducer and k-means were fitted on.
        package var fittedRows: Int
        /// Rows scored.
        package var heldOutRows: Int
        /// Mean silhouette of the held-out rows, clustered by the centroids fitted on the other folds
        /// (`nil` when they fall in fewer than two clusters).
        package var heldOutSilhouette: Double?
    }

    /// The final model's seed first, then the reruns.
    package var seeds: [SeedRun]
    /// Adjusted Rand index between the training clusterings of every pair of seeds.
    package var pairwiseARI: [Double]
    /// The folds, in order.
    package var folds: [Fold]

    /// Spread (max − min) of the seeds' held-out Hungarian accuracy.
    package var accuracySpread: Double {
        let values = seeds.map(\.hungarianAccuracy)
        return (values.max() ?? 0) - (values.min() ?? 0)
    }

    /// What the stability stage reads: the final model's clusterer (its seed runs come from its own stage) and
    /// how silhouettes are scored.
    package struct Settings: StageParameters {
        /// The model's clusterer.
        package var clusterer: ClustererChoice
        /// How the folds' silhouettes are scored.
        package var sampling: SilhouetteSampling
    }

    /// The final model's `seeds`, and each fold of `folds` (reduced without its held-out rows) clustered to
    /// score its held-out rows.
    static func measure(
        _ settings: Settings, progress: StageProgress, main: ClusterFit, seeds: SeedRuns, folds: FoldReductions
    ) throws -> StabilityResult {
        let k = main.clustering.clusterCount
        let steps = folds.folds.count
        var foldResults: [Fold] = []
        for (index, fold) in folds.folds.enumerated() {
            progress(index, steps)
            let clustering = try settings.clusterer.make(clusters: k).cluster(fold.train)
            let labels = clustering.predict(fold.test)
            foldResults.append(
                Fold(
                    fittedRows: fold.train.rows, heldOutRows: fold.test.rows,
                    heldOutSilhouette: try? settings.sampling.score(fold.test, labels: labels, clusters: k).score))
        }
        progress(steps, steps)
        return StabilityResult(seeds: seeds.runs, pairwiseARI: seeds.pairwiseARI, folds: foldResults)
    }
}

/// One model's k-means rerun with other seeds: how much its held-out
/// accuracy depends on the seed, and how alike the clusterings are.
package struct SeedRuns: Sendable, Equatable, Codable {
    /// The model's own seed first, then the reruns.
    package var runs: [StabilityResult.SeedRun]
    /// Adjusted Rand index between the training clusterings of every pair of seeds.
    package var pairwiseARI: [Double]

    /// What a seed-runs stage reads: how many seeds, the components clustered and the clusterer.
    package struct Settings: StageParameters {
        /// Runs (the model's own seed first, then the next ones); below 2, or for a clusterer without a seed,
        /// none.
        package var seeds: Int
        /// Leading components clustered.
        package var components: Int
        /// The model's clusterer, with its own seed.
        package var clusterer: ClustererChoice
    }

    /// Reruns `main`'s clusterer with `settings.seeds` seeds and scores each on the held-out rows.
    static func measure(
        _ settings: Settings, progress: StageProgress, reduction: Reduction, main: ClusterFit, split: SampleSplit,
        dataset: Dataset
    ) throws -> SeedRuns {
        guard settings.seeds >= 2, let firstSeed = settings.clusterer.seed else {
            return SeedRuns(runs: [], pairwiseARI: [])
        }
        let k = main.clustering.clusterCount
        let points = reduction.train.leadingColumns(settings.components)
        let heldOut = reduction.test.leadingColumns(settings.components)
        let steps = settings.seeds
        var labelings: [[Int32]] = [], seeds: [StabilityResult.SeedRun] = []
        for index in 0..<settings.seeds {
            progress(index, steps)
            let seed = firstSeed &+ UInt64(index)
            let fit =
                index == 0
                ? main
                : try ClusterFit.fit(settings.clusterer.seeded(seed).make(clusters: k), train: points, heldOut: heldOut)
            let scores = ModelMetrics.heldOutScores(fit: fit, split: split, dataset: dataset)
            labelings.append(fit.clustering.labels)
            seeds.append(
                StabilityResult.SeedRun(
                    seed: seed, hungarianAccuracy: scores.hungarianAccuracy, nmi: scores.nmi,
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
        progress(steps, steps)
        return SeedRuns(runs: seeds, pairwiseARI: pairwise)
    }
}

/// The final model's reducer refitted once per cross-validation fold of the
/// training rows, without the fold: each fold's fitted and held-out scores.
/// Independent of the number of clusters, so changing it reuses them.
package struct FoldReductions: Sendable, Equatable {
    /// One fold's scores.
    package struct Fold: Sendable, Equatable {
        /// Scores of the rows the reducer was fitted on.
        package var train: Matrix
        /// Scores of the fold's held-out rows.
        package var test: Matrix
    }

    /// The folds, in order (none when fewer than two are configured).
    package var folds: [Fold]

    /// What the folds stage reads: how many folds, and the final model's reducer.
    package struct Settings: StageParameters {
        /// Folds (fewer than two: none).
        package var count: Int
        /// The final model's reducer, fitted with the model's components.
        package var reduction: Reduction.Settings
    }

    /// Splits the training rows into `settings.count` seeded folds and fits the reducer without each.
    /// - When a fold leaves more than `fitSample` rows (`Reduction.fitSample`), each fold's features and reducer
    ///   are fitted on a seeded sample without the fold (`sampledModels`), and every training row is then scored
    ///   a block at a time.
    /// - Otherwise, features with fitted parts (a landmark mean shape, pixel statistics, block reducers) are
    ///   refitted without each fold too, so nothing fitted has seen a fold's rows.
    /// - Other features of modest length make one scatter matrix per fold in a single pass over the rows, and
    ///   each fold's fit uses the total minus its own, so no rows are copied; when those matrices would
    ///   outweigh the rows themselves (long features, few rows), each fold is fitted from its rows, one fold at
    ///   a time (`usesScatterMatrices`).
    static func make(
        _ settings: Settings, dataset: Dataset, split: SampleSplit, landmarks: LandmarkSet, embeddings: Embeddings
    ) throws -> FoldReductions {
        try make(
            settings, dataset: dataset, split: split, landmarks: landmarks, embeddings: embeddings,
            fitSample: Reduction.fitSample)
    }

    /// `make`, sampling when a fold leaves more than `fitSample` rows (tests set a small one).
    static func make(
        _ settings: Settings, dataset: Dataset, split: SampleSplit, landmarks: LandmarkSet, embeddings: Embeddings,
        fitSample: Int
    ) throws -> FoldReductions {
        let count = settings.count, reduction = settings.reduction
        guard count >= 2 else { return FoldReductions(folds: []) }
        let (fittedRows, heldOut) = Self.folds(
            count, of: split.train.count, groups: split.groups.codes(of: split.train), seed: reduction.seed)
        if fittedRows.contains(where: { $0.count > fitSample }) {
            let models = try sampledModels(
                settings, fitted: fittedRows, heldOut: heldOut, dataset: dataset, split: split,
                landmarks: landmarks, embeddings: embeddings, fitSample: fitSample)
            // Every training row scored under each fold's model, a block at a time.
            let scores = FeatureMatrices.scores(
                of: split.train, models: models, whiten: reduction.whiten, lighting: reduction.lighting,
                dataset: dataset, landmarks: landmarks, embeddings: embeddings)
            return FoldReductions(
                folds: (0..<count).map {
                    Fold(
                        train: scores[$0].selecting(rows: fittedRows[$0]), test: scores[$0].selecting(rows: heldOut[$0])
                    )
                })
        }
        if reduction.features.isFitted {
            return FoldReductions(
                folds: try (0..<count).map { index in
                    let fitRows = fittedRows[index].map { split.train[$0] }
                    let heldRows = heldOut[index].map { split.train[$0] }
                    func faces(_ rows: [Int]) -> FaceBatch {
                        FeatureMatrices.faces(
                            reduction.features, lighting: reduction.lighting, dataset: dataset, rows: rows,
                            landmarks: landmarks, embeddings: embeddings)
                    }
                    let (features, train) = try FittedFeatures.fit(reduction.features, on: faces(fitRows))
                    let test = features.apply(faces(heldRows))
                    let projection = try Reduction.fit(reduction, on: train)
                    return Fold(
                        train: projection.scores(of: train, whiten: reduction.whiten),
                        test: projection.scores(of: test, whiten: reduction.whiten))
                })
        }
        let features = try FeatureMatrices.fitted(
            reduction.features, lighting: reduction.lighting, dataset: dataset, split: split, landmarks: landmarks,
            embeddings: embeddings
        ).train
        let projections =
            try usesScatterMatrices(rows: features.rows, columns: features.columns, folds: count)
            ? scatterFits(reduction, rows: features, folds: heldOut)
            : (0..<count).map { try Reduction.fit(reduction, on: features.selecting(rows: fittedRows[$0])) }
        // Every training row's scores under every fold's reducer, from one pass over the rows.
        let scores = Projection.scores(of: features, under: projections, whiten: reduction.whiten)
        return FoldReductions(
            folds: (0..<count).map {
                Fold(train: scores[$0].selecting(rows: fittedRows[$0]), test: scores[$0].selecting(rows: heldOut[$0]))
            })
    }

    /// Each fold's reducer fitted on the rows of `x` less the fold's own (`folds`, by position in `x`), from
    /// scatter matrices: one per fold in a single pass over the rows, and each fold's fit from their total less
    /// its own, so no rows are copied.
    static func scatterFits(_ reduction: Reduction.Settings, rows x: Matrix, folds: [[Int]]) throws -> [Projection] {
        // About the column means, so the Float products stay well conditioned (none for the uncentred SVD).
        let origin =
            reduction.reducer.centres
            ? x.columnStatistics().means.map(Float.init) : [Float](repeating: 0, count: x.columns)
        let scatters = ParallelLoop.mapChunks(count: folds.count, chunks: folds.count) { _, range in
            ScatterMatrix(x, rows: folds[range.lowerBound], origin: origin)
        }
        let total = ScatterMatrix.combining(scatters)
        let fitted = ParallelLoop.mapChunks(count: folds.count, chunks: folds.count) { _, range in
            Result { try Reduction.fit(reduction, on: total.removing(scatters[range.lowerBound])) }
        }
        return try fitted.map { try $0.get() }
    }

    /// Each fold's features and reducer, fitted on a seeded sample of the training rows without the fold's
    /// own, when there are more than `fitSample`.
    /// - Features with fitted parts are fitted, with the reducer, on a sample of each fold's own fitted rows
    ///   (`Reduction.fitRows`, one stream per fold).
    /// - Other features are extracted once, for one sample of `fitSample` training rows, and each fold's reducer
    ///   is fitted on that sample less the fold's rows: from scatter matrices (the sample's total less the
    ///   fold's own) when `usesScatterMatrices` allows, else from the rows themselves.
    static func sampledModels(
        _ settings: Settings, fitted fittedRows: [[Int]], heldOut: [[Int]], dataset: Dataset, split: SampleSplit,
        landmarks: LandmarkSet, embeddings: Embeddings, fitSample: Int
    ) throws -> [(features: FittedFeatures, projection: Projection)] {
        let reduction = settings.reduction, count = heldOut.count
        guard !reduction.features.isFitted else {
            return try fittedRows.enumerated().map { index, rows in
                try Reduction.fit(
                    reduction,
                    rows: Reduction.fitRows(
                        of: rows.map { split.train[$0] }, seed: reduction.seed, stream: UInt64(index + 1),
                        limit: fitSample),
                    dataset: dataset, landmarks: landmarks, embeddings: embeddings)
            }
        }
        // The sample, by position among the training rows, and the fold of each of its rows.
        let sample = Reduction.fitPositions(
            count: split.train.count, seed: reduction.seed, stream: Self.sharedSampleStream, limit: fitSample)
        var foldOf = [Int](repeating: 0, count: split.train.count)
        for (fold, rows) in heldOut.enumerated() { for row in rows { foldOf[row] = fold } }
        var own = [[Int]](repeating: [], count: count)
        for (position, row) in sample.enumerated() { own[foldOf[row]].append(position) }
        let (features, x) = try Reduction.fittedFeatures(
            reduction, rows: sample.map { split.train[$0] }, dataset: dataset, landmarks: landmarks,
            embeddings: embeddings)
        guard usesScatterMatrices(rows: x.rows, columns: x.columns, folds: count) else {
            return try own.map { rows in
                let held = Set(rows)
                return (
                    features,
                    try Reduction.fit(reduction, on: x.selecting(rows: (0..<x.rows).filter { !held.contains($0) }))
                )
            }
        }
        return try scatterFits(reduction, rows: x, folds: own).map { (features, $0) }
    }

    /// The random stream of the sample the folds share.
    static let sharedSampleStream: UInt64 = 0xF01D_5A

    /// `count` seeded folds of `rows` training rows, each group (when `groups` gives one per row) in one fold:
    /// each fold's fitted and held-out rows, by position.
    static func folds(
        _ count: Int, of rows: Int, groups: [Int32]?, seed: UInt64
    ) -> (fitted: [[Int]], heldOut: [[Int]]) {
        var random = SeededGenerator(seed: seed, stream: 0xF01D)
        let heldOut = ShuffledUnits(count: rows, groups: groups, random: &random).deal(into: count)
        let fitted = heldOut.map { held in
            let set = Set(held)
            return (0..<rows).filter { !set.contains($0) }
        }
        return (fitted, heldOut)
    }

    /// Whether the folds are fitted from scatter matrices: when there are at
    /// least as many rows as columns (fewer rows make each columns² matrix
    /// more work than the rows it sums) and the matrices (one per fold, their
    /// total, and one fitted matrix per core) take at most four times the
    /// memory of the rows, or 512 MB.
    static func usesScatterMatrices(rows: Int, columns: Int, folds: Int) -> Bool {
        let scatterBytes = (folds + 3) * columns * columns * MemoryLayout<Float>.size
        return rows >= columns && scatterBytes <= max(512 << 20, 4 * rows * columns * MemoryLayout<Float>.size)
    }
}

extension FoldReductions: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        writer.write(Int64(folds.count))
        for fold in folds {
            fold.train.encode(to: &writer)
            fold.test.encode(to: &writer)
        }
    }

    package init(from reader: inout BinaryReader) throws {
        let count = Int(try reader.read(Int64.self))
        guard (0...1_000).contains(count) else { throw CacheError.malformed }
        folds = try (0..<count).map { _ in Fold(train: try Matrix(from: &reader), test: try Matrix(from: &reader)) }
    }
}
