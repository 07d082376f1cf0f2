import FERMath
import Testing

private struct SilhouetteFixture: Decodable {
    struct Case: Decodable { var name: String, labels: [Int32], score: Double, samples: [Double] }
    var x: [[Double]], cases: [Case]
}

/// Tolerance from the numerics issue: within 1e-6 of scikit-learn for given labels.
@Suite struct SilhouetteTests {
    @Test(arguments: ["silhouette", "silhouette_wide"])
    func matchesScikitLearnForGivenLabels(_ name: String) throws {
        // 3 dimensions take the direct differences, 40 the product form; both within 1e-6.
        let f = try fixture(name, as: SilhouetteFixture.self)
        let x = Matrix(f.x)
        for item in f.cases {
            let clusters = Int(item.labels.max() ?? 0) + 1
            let samples = try Silhouette.samples(x, labels: item.labels, clusters: clusters)
            let score = try Silhouette.score(x, labels: item.labels, clusters: clusters)
            #expect(abs(score - item.score) < 1e-6, "\(name) \(item.name)")
            let worst = zip(samples, item.samples).map { abs($0 - $1) }.max() ?? 1
            #expect(worst < 1e-6, "\(name) \(item.name): largest per-sample difference \(worst)")
        }
    }

    @Test func singletonClustersScoreZero() throws {
        let f = try fixture("silhouette", as: SilhouetteFixture.self)
        let singleton = try #require(f.cases.first { $0.name == "singleton" })
        let samples = try Silhouette.samples(Matrix(f.x), labels: singleton.labels, clusters: 4)
        #expect(samples[17] == 0)
    }

    @Test func emptyClustersAreIgnored() throws {
        let x = Matrix([[0, 0], [0, 1], [5, 5], [5, 6]])
        let withGap = try Silhouette.score(x, labels: [0, 0, 2, 2], clusters: 3)
        let compact = try Silhouette.score(x, labels: [0, 0, 1, 1], clusters: 2)
        #expect(withGap == compact)
    }

    @Test func oneClusterIsRefused() {
        #expect(throws: MathError.invalidParameters("the silhouette needs at least two non-empty clusters")) {
            try Silhouette.score(Matrix([[0, 0], [1, 1]]), labels: [0, 0], clusters: 1)
        }
    }

    @Test func structurelessDataScoresLikeTheNotebooks() throws {
        // The notebooks read 0.33 as structure; a Gaussian cloud clustered into 7 scores about as much.
        let x = try StructurelessBaseline.gaussianLike(
            Matrix([[0, 0], [1, 2], [2, 1], [3, 3], [0.5, 2]]), seed: 1)
        #expect(x.rows == 5)
        let cloud = try StructurelessBaseline.gaussianLike(
            Matrix(rows: 2000, columns: 2, values: (0..<4000).map { Float(($0 * 7919) % 1000) / 1000 }), seed: 2)
        let score = try StructurelessBaseline.silhouette(
            like: cloud, clusterer: KMeans(clusters: 7, restarts: 2), seed: 3)
        #expect(score > 0.28 && score < 0.40, "baseline silhouette \(score)")
    }
}
