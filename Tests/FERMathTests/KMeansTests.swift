import FERCore
import Foundation
import Testing

@testable import FERMath

private struct KMeansFixture: Decodable {
    struct Case: Decodable { var k: Int, nInit: Int, inertia: Double, on: String? }
    var x: [[Double]], cloud: [[Double]], cases: [Case]
}

@Suite struct KMeansTests {
    @Test func inertiaIsNoWorseThanScikitLearns() throws {
        let f = try fixture("kmeans", as: KMeansFixture.self)
        for item in f.cases {
            let data = Matrix(item.on == "cloud" ? f.cloud : f.x)
            let result = try KMeans(clusters: item.k, restarts: item.nInit, seed: 0).fit(data)
            #expect(
                result.inertia <= item.inertia * 1.01, "k=\(item.k): \(result.inertia) vs scikit-learn \(item.inertia)")
            #expect(result.inertia >= item.inertia * 0.9, "k=\(item.k): inertia \(result.inertia) is implausibly low")
        }
    }

    @Test func sameSeedSameResult() throws {
        let f = try fixture("kmeans", as: KMeansFixture.self)
        let first = try KMeans(clusters: 5, seed: 4).fit(Matrix(f.x))
        let second = try KMeans(clusters: 5, seed: 4).fit(Matrix(f.x))
        #expect(first == second)
    }

    @Test func labelsAreNearestCentresAndInertiaAddsUp() throws {
        let f = try fixture("kmeans", as: KMeansFixture.self)
        let data = Matrix(f.x)
        let result = try KMeans(clusters: 5, seed: 1).fit(data)
        #expect(result.predict(data) == result.labels)
        var inertia = 0.0
        for row in 0..<data.rows {
            let c = Int(result.labels[row])
            for j in 0..<data.columns {
                let difference = Double(data[row, j]) - Double(result.centroids[c, j])
                inertia += difference * difference
            }
        }
        #expect(abs(inertia - result.inertia) < 1e-3 * inertia)
        #expect(result.sizes.allSatisfy { $0 > 0 })
    }

    @Test func highDimensionalDataTakesTheBLASPathWithTheSameAnswer() throws {
        // Blobs in 64 dimensions (above the direct-loop threshold): the three groups are recovered exactly.
        var values: [Float] = []
        for row in 0..<90 {
            let group = row % 3
            for j in 0..<64 { values.append(Float(group * 10) + Float((row * 31 + j * 7) % 13) / 13) }
        }
        let data = Matrix(rows: 90, columns: 64, values: values)
        let result = try KMeans(clusters: 3, restarts: 3, seed: 2).fit(data)
        for row in 0..<90 { #expect(result.labels[row] == result.labels[row % 3]) }
        #expect(Set(result.labels).count == 3)
    }

    @Test func predictAssignsNewRows() throws {
        let data = Matrix([[0, 0], [0, 1], [10, 10], [10, 11]])
        let result = try KMeans(clusters: 2, restarts: 2).fit(data)
        let predicted = result.predict(Matrix([[0.2, 0.5], [9, 9]]))
        #expect(predicted[0] == result.labels[0])
        #expect(predicted[1] == result.labels[2])
    }

    /// Above `startSample` rows, the restarts run on the seeded sample alone and Lloyd iterations over every
    /// row refine the best of them; at or below it, every row is restarted on as before.
    @Test func restartsRunOnASampleOfManyRowsThenRefineOnAll() throws {
        // Five overlapping blobs, whose local optima the sample's inertias misorder.
        var random = FERCore.SeededGenerator(seed: 0)
        let (rows, features) = (3000, 4)
        let values = (0..<(rows * features)).map { index -> Float in
            Float(random.normal()) + Float((index / features) % 5) * 0.6
        }
        let data = Matrix(rows: rows, columns: features, values: values)
        let sampled = try KMeans(clusters: 5, restarts: 3, seed: 8, startSample: 400).fit(data)

        var sampling = FERCore.SeededGenerator(seed: 8, stream: KMeans.sampleStream)
        let sample = data.selecting(rows: sampling.sample(400, of: rows))
        let prepared = KMeans.PreparedRows(data)
        // Each of the sample's three runs (one restart each, their streams 0, 1, 2) judged on every row.
        let sampleRows = KMeans.PreparedRows(sample)
        let runs = (0..<3).map { run -> Clustering in
            var restart = FERCore.SeededGenerator(seed: 8, stream: UInt64(run))
            return sampleRows.engine.lloyd(
                from: sampleRows.engine.plusPlusCentres(5, random: &restart), clusters: 5, maxIterations: 300,
                threshold: 1e-4 * sampleRows.meanVariance, parallel: true)
        }
        let inertias = runs.map { prepared.engine.assign(to: $0.centroids.values, clusters: 5).inertia }
        let chosen = inertias.indices.min { inertias[$0] < inertias[$1] } ?? 0
        #expect(chosen != runs.indices.min { runs[$0].inertia < runs[$1].inertia }, "the sample would choose another")
        let start = runs[chosen]
        let refined = prepared.engine.lloyd(
            from: start.centroids.values, clusters: 5, maxIterations: 300,
            threshold: 1e-4 * prepared.meanVariance, rowsOnAllCores: true)
        #expect(sampled == refined)
        #expect(sampled.labels.count == rows)
        #expect(sampled.predict(data) == sampled.labels)
        #expect(sampled.centroids != start.centroids, "the sample's centres are refined on every row")
        #expect(
            sampled.inertia <= KMeansEngine(data).inertia(labels: start.predict(data), centres: start.centroids.values))

        let whole = try KMeans(clusters: 5, restarts: 3, seed: 8, startSample: rows).fit(data)
        #expect(whole == (try KMeans(clusters: 5, restarts: 3, seed: 8, startSample: .max).fit(data)))
        #expect(whole != sampled)
    }

    /// Rows are stored along a Z-order curve of their cells, rows in the same cell in their own order (the order
    /// decides how each cluster's sums add up, so a changed order changes the bits of a clustering).
    @Test func rowsAreStoredInZOrderThenInTheirOwnOrder() {
        func positions(_ rows: [[Double]]) -> [Int] {
            let engine = KMeansEngine(Matrix(rows))
            return engine.originalOrder(Array(0..<engine.paddedRows))
        }
        // One feature: by value, equal values in row order.
        #expect(positions([[3], [1], [3], [2], [1]]) == [3, 0, 4, 2, 1])
        // Two: the first coordinate's bits below the second's, so (1, 0) comes before (0, 1).
        #expect(positions([[0, 0], [1, 1], [0, 1], [1, 0]]) == [0, 3, 2, 1])
    }

    @Test func moreClustersThanRowsIsRefused() {
        #expect(throws: MathError.invalidParameters("k-means needs 1 to 2 clusters for 2 rows, not 3")) {
            try KMeans(clusters: 3).fit(Matrix([[0, 0], [1, 1]]))
        }
    }
}

/// The bounded (Hamerly) iterations must reach plain Lloyd's clustering from the same start, whether groups
/// are tightened before a scan always, never, or as the cost model decides.
@Suite struct HamerlyEquivalenceTests {
    @Test(arguments: [2, 3, 5, 12, 50])
    func boundsChangeTheWorkNotTheResult(features: Int) throws {
        var random = FERCore.SeededGenerator(seed: UInt64(features))
        let rows = 3000
        let values = (0..<(rows * features)).map { index -> Float in
            Float(random.normal()) + Float((index / features) % 5) * 1.5
        }
        let data = Matrix(rows: rows, columns: features, values: values)
        let engine = KMeansEngine(data)
        for k in [4, 7, 9] {
            var seeding = FERCore.SeededGenerator(seed: 99)
            let start = engine.plusPlusCentres(k, random: &seeding)
            let plain = engine.lloyd(from: start, clusters: k, maxIterations: 300, threshold: 1e-8, parallel: true)
            let breakEvens: [Double?] = [nil, 0, .infinity]
            for breakEven in breakEvens {
                let bounded = HamerlyLloyd(engine: engine, tighteningBreakEven: breakEven).run(
                    from: start, clusters: k, maxIterations: 300, threshold: 1e-8)
                let name = "d=\(features) k=\(k) break-even \(breakEven.map { "\($0)" } ?? "modelled")"
                #expect(plain.labels == bounded.labels, "\(name)")
                #expect(plain.centroids == bounded.centroids, "\(name)")
                #expect(abs(plain.inertia - bounded.inertia) <= 1e-6 * plain.inertia, "\(name)")
                #expect(plain.iterations == bounded.iterations, "\(name)")
            }
        }
    }

    /// A run whose passes split the groups across cores (the refinement over every row) reaches the very
    /// clustering one core does: the changes of cluster reach the sums in the same order. Enough rows for
    /// several chunks, the first iterations changing many rows.
    @Test(arguments: [3, 50])
    func aRunOnAllCoresIsTheRunOnOne(features: Int) throws {
        let engine = Self.engine(
            rows: 20_000, features: features, centres: 7, spacing: 0.6, seed: UInt64(features) &+ 21)
        var seeding = FERCore.SeededGenerator(seed: 5)
        let start = engine.plusPlusCentres(7, random: &seeding)
        let one = engine.lloyd(from: start, clusters: 7, maxIterations: 300, threshold: 1e-12, rowsOnAllCores: false)
        let all = engine.lloyd(from: start, clusters: 7, maxIterations: 300, threshold: 1e-12, rowsOnAllCores: true)
        let moved = zip(one.labels, all.labels).filter { $0 != $1 }.count
        #expect(one == all, "\(moved) labels differ; inertia \(one.inertia) against \(all.inertia)")
    }

    /// The passes that need no cluster sums (judging a restart's centres on every row, making a run's labels agree
    /// with its last centres) give `assign`'s inertia and labels to the bit, on one core or all. Enough rows for
    /// several chunks and a last group of fewer than eight; centre counts that leave a last block short.
    @Test(arguments: [3, 12, 50])
    func passesWithoutSumsGiveAssignsBits(features: Int) throws {
        let engine = Self.engine(
            rows: 20_003, features: features, centres: 5, spacing: 0.8, seed: UInt64(features) &+ 3)
        for k in [1, 5, 9] {
            var seeding = FERCore.SeededGenerator(seed: UInt64(k))
            let centres = engine.plusPlusCentres(k, random: &seeding)
            #expect(engine.inertia(of: centres, clusters: k) == engine.assign(to: centres, clusters: k).inertia)
            let one = engine.assign(to: centres, clusters: k, parallel: false)
            for parallel in [false, true] {
                let nearest = engine.nearest(to: centres, clusters: k, parallel: parallel)
                #expect(nearest.labels == one.labels, "d=\(features) k=\(k) parallel \(parallel)")
                #expect(nearest.inertia == one.inertia, "d=\(features) k=\(k) parallel \(parallel)")
            }
        }
    }

    /// An engine over `rows` rows in `features` dimensions: unit noise around `centres` points `spacing` apart.
    private static func engine(rows: Int, features: Int, centres: Int, spacing: Float, seed: UInt64) -> KMeansEngine {
        var random = FERCore.SeededGenerator(seed: seed)
        let values = (0..<(rows * features)).map { index -> Float in
            Float(random.normal()) + Float((index / features) % centres) * spacing
        }
        return KMeansEngine(Matrix(rows: rows, columns: features, values: values))
    }
}

extension KMeansTests {
    /// Greedy k-means++ scores a round's candidates side by side; the centres are those of scoring them one after
    /// another. With one sorted feature the engine stores the rows in their own order, so a plain greedy
    /// k-means++ over the rows draws the same candidates (the counts give 2 to 6 candidates per round).
    @Test(arguments: [2, 3, 8, 21, 60])
    func plusPlusPicksWhatScoringCandidatesOneByOnePicks(k: Int) {
        let values = (0..<500).map { Float(($0 * 7919) % 1000) / 10 }.sorted()
        let engine = KMeansEngine(Matrix(rows: values.count, columns: 1, values: values))
        var seeding = FERCore.SeededGenerator(seed: 9, stream: UInt64(k)), again = seeding
        #expect(engine.plusPlusCentres(k, random: &seeding) == Self.greedyPlusPlus(values, k, random: &again))
    }

    /// Greedy k-means++ over `values`, each candidate scored in turn: `2 + ln k` candidates a round, drawn in
    /// proportion to the squared distance to the nearest centre so far, the one leaving the smallest sum kept.
    private static func greedyPlusPlus(_ values: [Float], _ k: Int, random: inout FERCore.SeededGenerator) -> [Float] {
        func distances(to point: Float) -> [Float] { values.map { ($0 - point) * ($0 - point) } }
        func sum(_ distances: [Float]) -> Double { distances.reduce(0.0) { $0 + Double($1) } }
        var centres = [values[random.below(values.count)]]
        var closest = distances(to: centres[0])
        var potential = sum(closest)
        for _ in 1..<k {
            var running = 0.0
            let cumulative = closest.map { value -> Double in
                running += Double(value)
                return running
            }
            var best: (centre: Float, closest: [Float], sum: Double)? = nil
            for _ in 0..<(2 + Int(log(Double(k)))) {
                let target = random.uniform() * potential
                let candidate = min(values.count - 1, cumulative.firstIndex { $0 >= target } ?? values.count)
                let merged = zip(distances(to: values[candidate]), closest).map { min($0, $1) }
                if sum(merged) < (best?.sum ?? .infinity) { best = (values[candidate], merged, sum(merged)) }
            }
            guard let best else { break }
            centres.append(best.centre)
            closest = best.closest
            potential = best.sum
        }
        return centres
    }
}
