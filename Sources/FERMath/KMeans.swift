import FERCore

/// k-means clustering as scikit-learn's `KMeans` (Lloyd's algorithm):
/// greedy k-means++ seeding with `2 + ln k` local trials, `restarts`
/// independent runs keeping the lowest inertia, and convergence when labels
/// stop changing or the centres move less than `tolerance` times the mean
/// feature variance.
///
/// Above `startSample` rows, the restarts run on a seeded sample of that many
/// rows, and the best of them is then refined by Lloyd iterations over every
/// row: a documented departure from scikit-learn, which restarts on all rows.
///
/// Results depend only on the data and the seed: each restart draws from its
/// own random stream, and every parallel reduction is combined in a fixed order.
package struct KMeans: Sendable, Hashable, Codable {
    /// Number of clusters.
    package var clusters: Int
    /// Independent runs from different seeds; the lowest inertia wins (`n_init`).
    package var restarts: Int
    /// Iteration limit per run.
    package var maxIterations: Int
    /// Relative tolerance on the total squared centre shift.
    package var tolerance: Double
    /// Seed of the whole fit.
    package var seed: UInt64
    /// Rows the restarts run on at most: above this many, a seeded sample of them, the best run then refined
    /// on every row.
    package var startSample: Int

    /// Rows up to which the restarts run on every row (`startSample`'s default). Restarts on fifty thousand
    /// rows, refined on every row, came within 0.07% of the inertia of restarts on every row of 150,000 and
    /// 1,000,000 faces (README, "Performance"), where ten restarts over every row took minutes.
    package static let defaultStartSample = 50_000

    /// Whether the restarts run on a seeded sample of `rows` rows rather than on all of them.
    package static func restartsOnSample(rows: Int, startSample: Int = defaultStartSample) -> Bool {
        rows > startSample
    }

    /// Configures k-means; the defaults are the notebooks' (`n_init=10`) and scikit-learn's.
    package init(
        clusters: Int, restarts: Int = 10, maxIterations: Int = 300, tolerance: Double = 1e-4, seed: UInt64 = 0,
        startSample: Int = defaultStartSample
    ) {
        self.clusters = clusters
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
        self.startSample = startSample
    }

    /// Clusters the rows of `x`; above `startSample` rows, the restarts run on a seeded sample of them and the
    /// best is refined on all.
    /// - Throws: `MathError.invalidParameters` when there are fewer rows than clusters.
    package func fit(_ x: Matrix) throws -> Clustering {
        try fit(Prepared(x, startSample: startSample, seed: seed))
    }

    /// The data-dependent set-up of a fit, shared by fits with different cluster counts on the same rows (the
    /// grid search): the rows the restarts run on and, when those are a sample, every row.
    struct Prepared: Sendable {
        /// The rows the restarts run on: every row, or a seeded sample of them.
        let starts: PreparedRows
        /// Every row, when `starts` is a sample: the best start is refined on them.
        let all: PreparedRows?

        init(_ x: Matrix, startSample: Int, seed: UInt64) {
            guard KMeans.restartsOnSample(rows: x.rows, startSample: startSample) else {
                (starts, all) = (PreparedRows(x), nil)
                return
            }
            var random = SeededGenerator(seed: seed, stream: KMeans.sampleStream)
            let sample = random.sample(startSample, of: x.rows)
            // Both set up at once, one per core.
            let prepared = ParallelLoop.mapChunks(count: 2, chunks: 2) { part, _ in
                part == 0 ? PreparedRows(x.selecting(rows: sample)) : PreparedRows(x)
            }
            (starts, all) = (prepared[0], prepared[1])
        }
    }

    /// Rows set up for Lloyd iterations.
    struct PreparedRows: Sendable {
        let engine: KMeansEngine
        /// Mean per-feature variance, the scale of the convergence tolerance.
        let meanVariance: Double

        init(_ x: Matrix) {
            engine = KMeansEngine(x)
            meanVariance = x.columnStatistics().variances.reduce(0, +) / Double(max(1, x.columns))
        }
    }

    /// The random stream of the start sample (apart from the restarts' streams, which count from 0).
    static let sampleStream: UInt64 = 0x4B4D_5354_4152_5453

    /// Clusters prepared rows: the restarts on `prepared.starts`, the best then refined on `prepared.all`.
    func fit(_ prepared: Prepared) throws -> Clustering {
        let rows = (prepared.all ?? prepared.starts).engine.rows
        guard clusters >= 1, clusters <= rows else {
            throw MathError.invalidParameters("k-means needs 1 to \(rows) clusters for \(rows) rows, not \(clusters)")
        }
        guard restarts >= 1, maxIterations >= 1 else {
            throw MathError.invalidParameters("k-means needs at least one restart and one iteration")
        }
        guard let all = prepared.all, clusters <= prepared.starts.engine.rows else {
            let runs = runs(on: prepared.all ?? prepared.starts)
            // Lowest inertia; the earliest run on ties.
            return runs.min { $0.inertia < $1.inertia } ?? runs[0]
        }
        // The sample's runs are judged by their inertia over every row (one pass each): the sample's own
        // inertias can misorder local optima a fraction of a percent apart. The best is refined on every row.
        let judged = runs(on: prepared.starts).map { run in
            (
                centres: run.centroids.values,
                inertia: all.engine.inertia(of: run.centroids.values, clusters: clusters)
            )
        }
        let best = judged.min { $0.inertia < $1.inertia } ?? judged[0]
        let threshold = tolerance * all.meanVariance
        // Hamerly's bounds skip the rows the refinement's small steps cannot move (the same result as plain
        // iterations), each pass's groups split across cores.
        return all.engine.lloyd(
            from: best.centres, clusters: clusters, maxIterations: maxIterations, threshold: threshold,
            rowsOnAllCores: true)
    }

    /// The `restarts` runs on `prepared`, in order.
    private func runs(on prepared: PreparedRows) -> [Clustering] {
        let threshold = tolerance * prepared.meanVariance
        let engine = prepared.engine
        let (clusters, maxIterations, seed) = (self.clusters, self.maxIterations, self.seed)
        // Restarts run in parallel, the cores taking them one at a time (runs differ in length, and sharing a
        // core's passes over the rows among several gained nothing); a single run splits its rows across
        // cores instead.
        guard restarts > 1 else {
            var random = SeededGenerator(seed: seed, stream: 0)
            let initial = engine.plusPlusCentres(clusters, random: &random)
            return [
                engine.lloyd(
                    from: initial, clusters: clusters, maxIterations: maxIterations, threshold: threshold,
                    parallel: true)
            ]
        }
        return ParallelLoop.mapChunks(count: restarts, chunks: restarts) { run, _ in
            var random = SeededGenerator(seed: seed, stream: UInt64(run))
            let start = engine.plusPlusCentres(clusters, random: &random)
            return engine.lloyd(
                from: start, clusters: clusters, maxIterations: maxIterations, threshold: threshold,
                rowsOnAllCores: false)
        }
    }
}

/// The result of a k-means fit: centres, labels and inertia, and `predict`
/// for new rows.
package struct Clustering: Sendable, Equatable {
    /// Cluster centres, one per row.
    package let centroids: Matrix
    /// Cluster of each fitted row.
    package let labels: [Int32]
    /// Sum of squared distances of the rows to their centres.
    package let inertia: Double
    /// Lloyd iterations of the winning run.
    package let iterations: Int

    /// Restores a fit (from a cache, say); `KMeans.fit` is the way to make one.
    package init(centroids: Matrix, labels: [Int32], inertia: Double, iterations: Int) {
        self.centroids = centroids
        self.labels = labels
        self.inertia = inertia
        self.iterations = iterations
    }

    /// Number of clusters.
    package var clusterCount: Int { centroids.rows }

    /// The nearest centre of each row of `x`.
    package func predict(_ x: Matrix) -> [Int32] {
        precondition(x.columns == centroids.columns, "rows must have as many features as the centroids")
        return KMeansEngine(x).assign(to: centroids.values, clusters: centroids.rows).labels
    }

    /// Each row's Euclidean distance to the centre of its cluster, `labels[row]`.
    package func distances(of x: Matrix, labels: [Int32]) -> [Double] {
        precondition(x.columns == centroids.columns && labels.count == x.rows, "one label per row, centroids' columns")
        return (0..<x.rows).map { row in
            let cluster = Int(labels[row])
            var squared = 0.0
            for column in 0..<x.columns {
                let difference = Double(x[row, column]) - Double(centroids[cluster, column])
                squared += difference * difference
            }
            return squared.squareRoot()
        }
    }

    /// Rows per cluster.
    package var sizes: [Int] {
        var counts = [Int](repeating: 0, count: clusterCount)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }
}
