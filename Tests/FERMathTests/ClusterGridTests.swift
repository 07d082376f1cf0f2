import FERMath
import Testing

@Suite struct ClusterGridTests {
    /// Three tight blobs in the first two coordinates; the third coordinate is noise.
    private func blobs() -> Matrix {
        let centres: [(Float, Float)] = [(0, 0), (10, 0), (0, 10)]
        var values: [Float] = []
        for row in 0..<150 {
            let centre = centres[row % 3]
            let jitter = Float((row * 37) % 11) / 11 - 0.5
            values += [centre.0 + jitter, centre.1 - jitter, Float((row * 53) % 7) / 7]
        }
        return Matrix(rows: 150, columns: 3, values: values)
    }

    @Test func everyPairIsScoredAndMatchesSeparateFits() throws {
        let data = blobs()
        let grid = ClusterGrid(components: 2...3, clusters: 2...4, settings: ClustererSettings(restarts: 3, seed: 5))
        let cells = try grid.run(on: data)
        #expect(cells.map(\.components) == [2, 2, 2, 3, 3, 3])
        #expect(cells.map(\.clusters) == [2, 3, 4, 2, 3, 4])
        for cell in cells {
            let points = data.leadingColumns(cell.components)
            let fit = try KMeans(clusters: cell.clusters, restarts: 3, seed: 5).fit(points)
            #expect(cell.inertia == fit.inertia)
            let separate = try Silhouette.score(points, labels: fit.labels, clusters: cell.clusters)
            // Shared and separate passes group the float partial sums differently.
            #expect(abs(cell.silhouette - separate) < 1e-7)
        }
        // Three blobs: k = 3 on the two informative coordinates is the best pair.
        let best = try #require(ClusterGrid.best(cells))
        #expect(best.components == 2 && best.clusters == 3)
    }

    /// Every clusterer's grid gives at each point what its own fit gives: Ward cuts one tree per component count,
    /// and a mixture's cells carry its BIC.
    @Test(arguments: ClusterMethod.allCases)
    func everyClustererGridMatchesItsSeparateFits(_ method: ClusterMethod) throws {
        let data = blobs(), settings = ClustererSettings(restarts: 2, seed: 3, covariance: .diag)
        let cells = try ClusterGrid(components: 2...3, clusters: 2...4, clusterer: method.type, settings: settings)
            .run(on: data)
        #expect(cells.count == 6)
        for cell in cells {
            let points = data.leadingColumns(cell.components)
            let fit = try method.make(clusters: cell.clusters, settings: settings).cluster(points)
            #expect(cell.inertia == fit.clustering.inertia, "\(method.rawValue) at \(cell)")
            #expect(cell.bic == fit.mixture?.bic(points))
            #expect((cell.bic != nil) == (method.rawValue == "gmm"))
        }
        #expect(ClusterGrid.best(cells).map { [$0.components, $0.clusters] } == [2, 3])
    }

    @Test func reportsProgressPerComponentCount() throws {
        var calls: [(Int, Int)] = []
        _ = try ClusterGrid(components: 1...2, clusters: 2...3, settings: ClustererSettings(restarts: 1, seed: 0))
            .run(on: blobs()) { done, total in calls.append((done, total)) }
        #expect(calls.map(\.0) == [2, 4])
        #expect(calls.allSatisfy { $0.1 == 4 })
    }

    @Test func tooManyComponentsIsRefused() {
        #expect(throws: MathError.self) {
            try ClusterGrid(components: 2...5, clusters: 2...3, settings: ClustererSettings(restarts: 10, seed: 0)).run(
                on: blobs())
        }
    }

    @Test func manyLabelingsShareOnePassWithoutChangingResults() throws {
        let data = blobs()
        let labelings = (2...6).map { k in
            Silhouette.Labeling(labels: (0..<150).map { Int32(($0 * 7 + k) % k) }, clusters: k)
        }
        let together = try Silhouette.scores(data, labelings: labelings)
        for (labeling, score) in zip(labelings, together) {
            #expect(
                abs(try Silhouette.score(data, labels: labeling.labels, clusters: labeling.clusters) - score) < 1e-7)
        }
    }
}

@Suite struct ScalingTests {
    private let pixels: [UInt8] = [10, 20, 30, 50, 7, 7, 7, 7, 0, 255, 0, 255]

    @Test func minMaxPerImage() {
        let scaled = Scaling.minMaxPerImage.apply(pixels[...], rows: 3, columns: 4)
        #expect(scaled.values[0..<4] == [0, 0.25, 0.5, 1])
        #expect(scaled.values[4..<8] == [0, 0, 0, 0], "a flat image becomes zeros")
        #expect(scaled.values[8..<12] == [0, 1, 0, 1])
    }

    @Test func divideBy255() {
        let scaled = Scaling.divideBy255.apply(pixels[...], rows: 3, columns: 4)
        #expect(scaled.values[9] == 1)
        #expect(abs(scaled.values[0] - 10.0 / 255) < 1e-7)
    }

    @Test func standardizedColumnsHaveZeroMeanAndUnitVariance() {
        let scaled = Scaling.standardized.apply(pixels[...], rows: 3, columns: 4)
        let statistics = scaled.columnStatistics()
        for (mean, variance) in zip(statistics.means, statistics.variances) {
            #expect(abs(mean) < 1e-6)
            #expect(abs(variance - 1) < 1e-5)
        }
    }

    @Test func heldOutImagesAreStandardizedWithTheTrainingStatistics() throws {
        // Training images: position 0 is 10, 20, 30 (mean 20, deviation sqrt(200/3)).
        let training: [UInt8] = [10, 0, 20, 100, 30, 200]
        let statistics = try #require(Scaling.standardized.fitted(on: training[...], rows: 3, columns: 2))
        #expect(statistics.means == [20, 100])
        let heldOut: [UInt8] = [50, 100]
        let scaled = Scaling.standardized.apply(heldOut[...], rows: 1, columns: 2, statistics: statistics)
        #expect(abs(Double(scaled[0, 0]) - 30 / (200.0 / 3).squareRoot()) < 1e-6)
        #expect(scaled[0, 1] == 0, "the training mean maps to 0, whatever the held-out images' own statistics")
        #expect(Scaling.minMaxPerImage.fitted(on: training[...], rows: 3, columns: 2) == nil)
    }

    @Test func largeInputsMatchTheScalarDefinition() {
        // Enough rows to split across workers.
        let rows = 3000, columns = 16
        let big = (0..<(rows * columns)).map { UInt8(($0 * 31 + $0 / columns * 7) % 256) }
        let scaled = Scaling.minMaxPerImage.apply(big[...], rows: rows, columns: columns)
        for row in [0, 1499, 2999] {
            let image = big[(row * columns)..<((row + 1) * columns)]
            let low = Float(image.min()!), high = Float(image.max()!)
            for (offset, value) in image.enumerated() {
                #expect(abs(scaled[row, offset] - (Float(value) - low) / (high - low)) < 1e-6)
            }
        }
    }
}
