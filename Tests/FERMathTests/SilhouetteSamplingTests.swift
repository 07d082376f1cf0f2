import FERCore
import FERMath
import Testing

/// Sampled silhouettes follow scikit-learn's `sample_size`: each sample is
/// scored on its own rows; at or below the threshold the score is exact.
@Suite struct SilhouetteSamplingTests {
    private func cloud(rows: Int) -> (Matrix, [Int32]) {
        var random = SeededGenerator(seed: 9)
        let labels = (0..<rows).map { Int32($0 % 3) }
        let values = labels.flatMap { label in (0..<4).map { _ in Float(label) * 2 + Float(random.normal()) } }
        return (Matrix(rows: rows, columns: 4, values: values), labels)
    }

    @Test func samplesAreSeededDistinctAndSorted() {
        let sampling = SilhouetteSampling(threshold: 100, repeats: 3, seed: 4)
        let first = sampling.rows(0, of: 1_000)
        #expect(first.count == 100 && Set(first).count == 100 && first == first.sorted())
        #expect(first.allSatisfy { (0..<1_000).contains($0) })
        #expect(sampling.rows(0, of: 1_000) == first, "the same seed gives the same sample")
        #expect(sampling.rows(1, of: 1_000) != first, "each repeat is another sample")
        #expect(sampling.rows(0, of: 100) == Array(0..<100), "at the threshold every row is used")
    }

    @Test func atOrBelowTheThresholdTheScoreIsExact() throws {
        let (x, labels) = cloud(rows: 300)
        let exact = try Silhouette.score(x, labels: labels, clusters: 3)
        let estimate = try SilhouetteSampling(threshold: 300).score(x, labels: labels, clusters: 3)
        #expect(estimate.score == exact && estimate.perSample == [exact])
        #expect(try SilhouetteSampling.exact.score(x, labels: labels, clusters: 3).score == exact)
    }

    @Test func aboveTheThresholdEachSampleIsScoredOnItsOwnRows() throws {
        let (x, labels) = cloud(rows: 900)
        let sampling = SilhouetteSampling(threshold: 200, repeats: 3, seed: 1)
        let estimate = try sampling.score(x, labels: labels, clusters: 3)
        let expected = try (0..<3).map { index in
            let rows = sampling.rows(index, of: 900)
            return try Silhouette.score(x.selecting(rows: rows), labels: rows.map { labels[$0] }, clusters: 3)
        }
        #expect(estimate.perSample == expected)
        #expect(abs(estimate.score - expected.reduce(0, +) / 3) < 1e-12)
        // Three well-separated groups: every sample's estimate is near the exact score.
        let exact = try Silhouette.score(x, labels: labels, clusters: 3)
        #expect(expected.allSatisfy { abs($0 - exact) < 0.05 }, "\(expected) against \(exact)")
    }

    @Test func aSampledBaselineIsACloudOfOneSamplesSize() throws {
        let (x, _) = cloud(rows: 900)
        let kmeans = KMeans(clusters: 3, restarts: 2, seed: 5)
        let sampling = SilhouetteSampling(threshold: 200, repeats: 3, seed: 1)
        let small = try StructurelessBaseline.gaussianLike(x, seed: 8, rows: 200)
        #expect(small.rows == 200 && small.columns == 4)
        let expected = try Silhouette.score(small, labels: try kmeans.fit(small).labels, clusters: 3)
        #expect(
            try StructurelessBaseline.silhouette(like: x, clusterer: kmeans, seed: 8, sampling: sampling) == expected)
        // Without sampling the cloud is as large as the data.
        let full = try StructurelessBaseline.gaussianLike(x, seed: 8)
        #expect(full.rows == 900)
        #expect(
            try StructurelessBaseline.silhouette(like: x, clusterer: kmeans, seed: 8)
                == (try Silhouette.score(full, labels: try kmeans.fit(full).labels, clusters: 3)))
    }
}
