import FERCore

/// When and how silhouettes are estimated on samples of the rows, as
/// scikit-learn's `silhouette_score(..., sample_size=, random_state=)`: the
/// exact silhouette costs time that grows with the square of the rows
/// (145 s for 150,000 rows in 50 dimensions), so above `threshold` rows the
/// score is the mean over `repeats` seeded samples of `threshold` rows each,
/// every sample scored on its own rows only. The repeats' spread says how
/// much the estimate moves.
package struct SilhouetteSampling: Sendable, Hashable, Codable {
    /// Rows above which silhouettes are sampled (and the size of each sample); `nil` is always exact.
    package var threshold: Int?
    /// Samples taken when sampling.
    package var repeats: Int
    /// Seed of the first sample; sample `r` uses the seed's stream `r`.
    package var seed: UInt64

    /// Settings; without a threshold every silhouette is exact.
    package init(threshold: Int?, repeats: Int = 3, seed: UInt64 = 0) {
        self.threshold = threshold
        self.repeats = max(1, repeats)
        self.seed = seed
    }

    /// Exact silhouettes always.
    package static let exact = SilhouetteSampling(threshold: nil)

    /// Whether `rows` rows are sampled.
    package func samples(_ rows: Int) -> Bool {
        threshold.map { rows > $0 } ?? false
    }

    /// The sorted row indices of sample `index` of `rows` rows (all rows when they are not sampled).
    package func rows(_ index: Int, of rows: Int) -> [Int] {
        guard let threshold, rows > threshold else { return Array(0..<rows) }
        var random = SeededGenerator(seed: seed, stream: UInt64(index) &+ 0x5A)
        return random.sample(threshold, of: rows)
    }

    /// A silhouette estimate: the mean over the samples (one exact score when not sampled), and each sample's score.
    package func score(_ x: Matrix, labels: [Int32], clusters: Int) throws -> (score: Double, perSample: [Double]) {
        guard samples(x.rows) else {
            let score = try Silhouette.score(x, labels: labels, clusters: clusters)
            return (score, [score])
        }
        let scores = try (0..<repeats).map { try score(sample: $0, x, labels: labels, clusters: clusters) }
        return (scores.reduce(0, +) / Double(scores.count), scores)
    }

    /// The exact silhouette of sample `index` of `x`'s rows, scored on those rows alone.
    package func score(sample index: Int, _ x: Matrix, labels: [Int32], clusters: Int) throws -> Double {
        let chosen = rows(index, of: x.rows)
        return try Silhouette.score(x.selecting(rows: chosen), labels: chosen.map { labels[$0] }, clusters: clusters)
    }
}
