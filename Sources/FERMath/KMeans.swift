import FERCore

/// k-means clustering as scikit-learn's `KMeans` (Lloyd's algorithm):
/// greedy k-means++ seeding with `2 + ln k` local trials, `restarts`
/// independent runs keeping the lowest inertia, and convergence when labels
/// stop changing or the centres move less than `tolerance` times the mean
/// feature variance.
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

    /// Configures k-means; the defaults are the notebooks' (`n_init=10`) and scikit-learn's.
    package init(
        clusters: Int, restarts: Int = 10, maxIterations: Int = 300, tolerance: Double = 1e-4, seed: UInt64 = 0
    ) {
        self.clusters = clusters
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
    }

    /// Clusters the rows of `x`.
    /// - Throws: `MathError.invalidParameters` when there are fewer rows than clusters.
    package func fit(_ x: Matrix) throws -> Clustering {
        try fit(Prepared(x))
    }

    /// The data-dependent set-up of a fit, shared by fits with different
    /// cluster counts on the same rows (the grid search).
    struct Prepared: Sendable {
        let engine: KMeansEngine
        /// Mean per-feature variance, the scale of the convergence tolerance.
        let meanVariance: Double

        init(_ x: Matrix) {
            engine = KMeansEngine(x)
            meanVariance = x.columnStatistics().variances.reduce(0, +) / Double(max(1, x.columns))
        }
    }

    /// Clusters prepared rows.
    func fit(_ prepared: Prepared) throws -> Clustering {
        let rows = prepared.engine.rows
        guard clusters >= 1, clusters <= rows else {
            throw MathError.invalidParameters("k-means needs 1 to \(rows) clusters for \(rows) rows, not \(clusters)")
        }
        guard restarts >= 1, maxIterations >= 1 else {
            throw MathError.invalidParameters("k-means needs at least one restart and one iteration")
        }
        let threshold = tolerance * prepared.meanVariance
        let engine = prepared.engine
        let (clusters, maxIterations, seed) = (self.clusters, self.maxIterations, self.seed)
        // Restarts run in parallel, a few side by side on each core when the rows are large; a single run
        // splits its rows across cores instead.
        let runs: [Clustering]
        if restarts == 1 {
            var random = SeededGenerator(seed: seed, stream: 0)
            let initial = engine.plusPlusCentres(clusters, random: &random)
            runs = [
                engine.lloyd(
                    from: initial, clusters: clusters, maxIterations: maxIterations, threshold: threshold,
                    parallel: true)
            ]
        } else {
            runs = ParallelLoop.mapChunks(count: restarts, chunks: engine.batches(of: restarts)) { _, batch in
                let starts = batch.map { run in
                    var random = SeededGenerator(seed: seed, stream: UInt64(run))
                    return engine.plusPlusCentres(clusters, random: &random)
                }
                return engine.lloyd(
                    from: starts, clusters: clusters, maxIterations: maxIterations, threshold: threshold)
            }.flatMap { $0 }
        }
        // Lowest inertia; the earliest run on ties.
        var best = runs[0]
        for run in runs.dropFirst() where run.inertia < best.inertia { best = run }
        return best
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
