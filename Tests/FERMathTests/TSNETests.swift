import FERCore
import Foundation
import Testing

@testable import FERMath

private struct TSNEFixture: Decodable {
    var x: [[Double]], perplexity: Double
    var smallPerplexity: Double, smallExact: [[Double]], smallNearest: [[Double]]
    var projectionTrustworthiness: [String: Double]
    var tsneTrustworthiness: [String: [String: Double]]
}

/// t-SNE against scikit-learn (Scripts/reference/make_embedding_fixtures.py):
/// the same joint probabilities, the same trustworthiness of a fixed
/// projection, and embeddings that keep neighbourhoods as well as
/// scikit-learn's own, exact and Barnes-Hut, within 0.02. Coordinates are
/// not compared: the random starts differ.
@Suite struct TSNETests {
    private func dense(_ affinities: TSNEAffinities) -> [[Double]] {
        var matrix = [[Double]](
            repeating: [Double](repeating: 0, count: affinities.count), count: affinities.count)
        for row in 0..<affinities.count {
            for entry in affinities.starts[row]..<affinities.starts[row + 1] {
                matrix[row][Int(affinities.columns[entry])] = affinities.values[entry]
            }
        }
        return matrix
    }

    @Test func jointProbabilitiesAgreeWithScikitLearn() throws {
        let f = try fixture("tsne", as: TSNEFixture.self)
        let small = Matrix(Array(f.x.prefix(60)))
        let cases = [(59, f.smallExact), (Int(3 * f.smallPerplexity + 1), f.smallNearest)]
        for (neighbours, reference) in cases {
            let ours = dense(TSNEAffinities.of(small, perplexity: f.smallPerplexity, neighbours: neighbours))
            #expect(abs(ours.joined().reduce(0, +) - 1) < 1e-9)
            var worst = 0.0
            for (row, referenceRow) in zip(ours, reference) {
                for (value, expected) in zip(row, referenceRow) {
                    worst = max(worst, abs(value - expected) / max(expected, 1e-6))
                }
            }
            #expect(worst < 1e-4, "\(neighbours) neighbours: largest relative difference \(worst)")
        }
    }

    @Test func trustworthinessAgreesWithScikitLearn() throws {
        let f = try fixture("tsne", as: TSNEFixture.self)
        let x = Matrix(f.x), projection = Matrix(f.x.map { Array($0.prefix(2)) })
        for (k, expected) in f.projectionTrustworthiness {
            let neighbours = try #require(Int(k))
            let ours = try Trustworthiness.of(original: x, embedded: projection, neighbours: neighbours)
            #expect(abs(ours - expected) < 1e-12, "k = \(k): \(ours) vs \(expected)")
        }
    }

    @Test(arguments: [TSNE.Method.exact, .barnesHut])
    func embeddingsKeepNeighbourhoodsAsScikitLearnsDo(method: TSNE.Method) throws {
        let f = try fixture("tsne", as: TSNEFixture.self)
        let x = Matrix(f.x)
        let embedded = try TSNE(perplexity: f.perplexity, seed: 0).embed(x, method: method)
        #expect(embedded.rows == x.rows && embedded.columns == 2)
        let reference = try #require(f.tsneTrustworthiness[method == .exact ? "exact" : "barnes_hut"])
        for (k, expected) in reference {
            let neighbours = try #require(Int(k))
            let ours = try Trustworthiness.of(original: x, embedded: embedded, neighbours: neighbours)
            #expect(abs(ours - expected) <= 0.02, "\(method), k = \(k): \(ours) vs scikit-learn's \(expected)")
        }
    }

    /// Barnes-Hut's forces stay close to the exact ones, and the quadtree holds every point once.
    @Test func barnesHutApproximatesTheExactGradient() throws {
        var random = SeededGenerator(seed: 5)
        let n = 400
        let positions = (0..<(2 * n)).map { _ in random.normal() * 5 }
        let x = Matrix(rows: n, columns: 2, values: positions.map { Float($0) })
        let affinities = TSNEAffinities.of(x, perplexity: 20, neighbours: 61)
        let exact = TSNE.gradient(positions, affinities: affinities, exaggeration: 1, method: .exact)
        let approximate = TSNE.gradient(positions, affinities: affinities, exaggeration: 1, method: .barnesHut)
        let error = zip(exact, approximate).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let size = exact.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(error / size < 0.02, "relative error \(error / size)")
        let tree = positions.withUnsafeBufferPointer { BarnesHutTree(positions: $0) }
        #expect(tree.order.sorted() == (0..<Int32(n)).map { $0 })
    }

    @Test func theSameSeedGivesTheSameEmbeddingAndAnotherSeedAnother() throws {
        let f = try fixture("tsne", as: TSNEFixture.self)
        let x = Matrix(Array(f.x.prefix(200)))
        let first = try TSNE(perplexity: 10, seed: 3, iterations: 60).embed(x, method: .barnesHut)
        let again = try TSNE(perplexity: 10, seed: 3, iterations: 60).embed(x, method: .barnesHut)
        let other = try TSNE(perplexity: 10, seed: 4, iterations: 60).embed(x, method: .barnesHut)
        #expect(first == again)
        #expect(first != other)
    }

    @Test func tooFewPointsForThePerplexityAreRefused() {
        let x = Matrix(rows: 10, columns: 3, repeating: 1)
        #expect(throws: MathError.self) { try TSNE(perplexity: 10, seed: 0).embed(x) }
        #expect(TSNE.method(points: TSNE.exactLimit) == .exact)
        #expect(TSNE.method(points: TSNE.exactLimit + 1) == .barnesHut)
    }
}
