import Foundation
import Testing

@testable import FERMath

private struct WardFixture: Decodable {
    var x: [[Double]], labels: [String: [Int32]], heights: [Double], children: [[Int]]
}

/// Ward clustering against scikit-learn's `AgglomerativeClustering` on the
/// same rows (Scripts/reference/make_clustering_fixtures.py): the same tree,
/// merge by merge with its height, and the same clusters up to their order
/// at every cut.
@Suite struct WardClusteringTests {
    @Test func theTreeAndEveryCutAgreeWithScikitLearn() throws {
        let f = try fixture("ward", as: WardFixture.self)
        let x = Matrix(f.x)
        let tree = try WardClustering(clusters: 1).fit(x).tree
        #expect(tree.merges.count == f.heights.count)
        for (merge, (height, children)) in zip(tree.merges, zip(f.heights, f.children)) {
            #expect(close(merge.height, height, relative: 1e-5), "\(merge.height) vs \(height)")
            #expect(Set([merge.left, merge.right]) == Set(children), "\(merge) vs \(children)")
        }
        for (count, reference) in f.labels {
            let k = try #require(Int(count))
            let fitted = try WardClustering(clusters: k).fit(x)
            #expect(samePartition(fitted.clustering.labels, reference), "cut into \(k)")
            #expect(Set(fitted.clustering.labels).count == k)
        }
    }

    /// The top of the tree: as many leaves as asked, covering every row once, each leaf inside one cluster of a
    /// cut into fewer, and the cut's height between the merges it keeps and those it undoes.
    @Test func theTopOfTheTreeIsTheLastMergesOverTheirClusters() throws {
        let f = try fixture("ward", as: WardFixture.self)
        let x = Matrix(f.x)
        let tree = try WardClustering(clusters: 1).fit(x).tree
        let top = tree.top(10)
        #expect(top.sizes.count == 10 && top.merges.count == 9)
        #expect(top.sizes.reduce(0, +) == x.rows)
        #expect(top.merges.map(\.height) == tree.merges.suffix(9).map(\.height))
        #expect(top.merges.last?.size == x.rows)
        // Every leaf and merge is used once, and children come before their parents.
        let children = top.merges.flatMap { [$0.left, $0.right] }
        #expect(children.sorted() == Array(0..<(10 + 8)))
        for (index, merge) in top.merges.enumerated() { #expect(max(merge.left, merge.right) < 10 + index) }
        // The leaves are the clusters of a cut into 10: their representatives fall in 10 different ones.
        let ten = tree.labels(clusters: 10)
        #expect(Set(top.representatives.map { ten[$0] }).count == 10)
        let cut = tree.cutHeight(clusters: 4)
        #expect(tree.merges.filter { $0.height < cut }.count == x.rows - 4)
        #expect(tree.top(1).sizes == [x.rows] && tree.top(1).merges.isEmpty)
    }

    @Test func centresAreTheClusterMeansAndInertiaAddsUp() throws {
        let x = Matrix([[0, 0], [0, 2], [10, 10], [10, 12], [11, 11]])
        let fitted = try WardClustering(clusters: 2).fit(x)
        #expect(fitted.clustering.labels == [0, 0, 1, 1, 1])
        #expect(fitted.clustering.centroids == Matrix([[0, 1], [31.0 / 3, 11]]))
        #expect(abs(fitted.clustering.inertia - (2 + 2.0 / 3 + 2.0 / 3 + 4.0 / 3)) < 1e-5)
    }

    @Test func impossibleRequestsAreRefusedInWords() {
        #expect(throws: MathError.invalidParameters("Ward clustering needs 1 to 2 clusters for 2 rows, not 3")) {
            try WardClustering(clusters: 3).fit(Matrix([[0], [1]]))
        }
        let tooMany = Matrix(rows: WardClustering.exactLimit + 1, columns: 1)
        #expect(throws: MathError.self) { try WardClustering(clusters: 2).fit(tooMany) }
    }

    /// Whether two labellings make the same clusters, whatever their numbers.
    private func samePartition(_ a: [Int32], _ b: [Int32]) -> Bool {
        guard a.count == b.count else { return false }
        var forward: [Int32: Int32] = [:], backward: [Int32: Int32] = [:]
        for (x, y) in zip(a, b) {
            if forward[x, default: y] != y || backward[y, default: x] != x { return false }
            forward[x] = y
            backward[y] = x
        }
        return true
    }
}
