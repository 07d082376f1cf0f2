import FERCore
import Foundation

/// Agglomerative clustering with Ward's linkage, as scikit-learn's
/// `AgglomerativeClustering(linkage="ward")`: starting from one cluster per
/// row, the two clusters whose merge adds the least to the within-cluster
/// sum of squares are merged, until one is left; cutting that tree gives
/// `clusters` clusters.
///
/// The tree is exact, built by the nearest-neighbour chain (Ward's linkage
/// is reducible, so the chain finds the same merges as the greedy order)
/// from the clusters' means and sizes: memory grows with the rows, not with
/// their pairs, and time with the square of the rows, so fits are refused
/// above `exactLimit` rows.
package struct WardClustering: Sendable, Hashable, Codable {
    /// Number of clusters the tree is cut into.
    package var clusters: Int

    /// The most rows clustered exactly: 29 s at 50 features on this two-core machine (`ferlab-bench steps
    /// --clusterers`); time grows with the square of the rows.
    package static let exactLimit = 20_000

    package init(clusters: Int) {
        self.clusters = clusters
    }

    /// The tree over the rows of `x`, cut into `clusters` clusters.
    /// - Throws: `MathError.invalidParameters` for fewer rows than clusters, or more rows than `exactLimit`.
    package func fit(_ x: Matrix) throws -> FittedWard {
        try check(rows: x.rows)
        let tree = WardTree(x)
        let labels = tree.labels(clusters: clusters)
        return FittedWard(tree: tree, clustering: Clustering(means: x, labels: labels, clusters: clusters))
    }
}

extension WardClustering {
    /// Checks that these settings can cluster `rows` rows.
    /// - Throws: `MathError.invalidParameters` for fewer rows than clusters, or more rows than `exactLimit`.
    package func check(rows: Int) throws {
        guard clusters >= 1, clusters <= rows else {
            throw MathError.invalidParameters(
                "Ward clustering needs 1 to \(rows) clusters for \(rows) rows, not \(clusters)")
        }
        guard rows <= Self.exactLimit else {
            throw MathError.invalidParameters(
                "Ward clustering is exact up to \(Self.exactLimit) rows, and these are \(rows); "
                    + "sample fewer images (preprocessing.per_class) or use k-means or a Gaussian mixture")
        }
    }
}

/// A fitted Ward clustering: the whole merge tree and its cut.
package struct FittedWard: Sendable, Equatable {
    /// Every merge, lowest first.
    package let tree: WardTree
    /// The cut: each row's cluster, and each cluster's mean as its centre.
    package let clustering: Clustering
}

/// The merges of Ward's agglomerative clustering, as scikit-learn and SciPy
/// number them: rows are clusters `0..<n`, and merge `i` (lowest first)
/// makes cluster `n + i`.
package struct WardTree: Sendable, Equatable, Codable {
    /// One merge: the two clusters joined, the height (the square root of twice the sum of squares the merge
    /// adds, scikit-learn's `distances_`), and the rows under it.
    package struct Merge: Sendable, Equatable, Codable {
        package let left: Int
        package let right: Int
        package let height: Double
        package let size: Int
    }

    /// Rows clustered.
    package let rows: Int
    /// Every merge, `rows - 1` of them, lowest first.
    package let merges: [Merge]

    /// Builds the tree of the rows of `x` by the nearest-neighbour chain.
    init(_ x: Matrix) {
        let (n, d) = (x.rows, x.columns)
        rows = n
        guard n > 1 else {
            merges = []
            return
        }
        // Each slot holds one cluster's mean and size; a merge keeps the lower slot and drops the other from
        // `active` (kept in slot order).
        let means = UnsafeMutableBufferPointer<Double>.allocate(capacity: n * d)
        defer { means.deallocate() }
        for (index, value) in x.values.enumerated() { means[index] = Double(value) }
        var sizes = [Double](repeating: 1, count: n)
        var active = Array(0..<n)
        var found: [(a: Int, b: Int, cost: Double)] = []
        var chain: [Int] = []
        while active.count > 1 {
            if chain.isEmpty { chain.append(active[0]) }
            let top = chain[chain.count - 1]
            let previous = chain.count > 1 ? chain[chain.count - 2] : -1
            // The nearest other cluster; the previous one in the chain wins ties, so the chain never cycles.
            let search = NearestSearch(means: means.baseAddress!, sizes: sizes, columns: d)
            var nearest = previous
            var nearestCost = previous >= 0 ? search.cost(top, previous) : .infinity
            if let candidate = search.nearest(to: top, among: active, skipping: previous), candidate.cost < nearestCost
            {
                (nearest, nearestCost) = candidate
            }
            guard nearest == previous else {
                chain.append(nearest)
                continue
            }
            chain.removeLast(2)
            let (keep, drop) = (min(top, previous), max(top, previous))
            found.append((keep, drop, nearestCost))
            let total = sizes[keep] + sizes[drop]
            for j in 0..<d {
                means[keep * d + j] = (means[keep * d + j] * sizes[keep] + means[drop * d + j] * sizes[drop]) / total
            }
            sizes[keep] = total
            if let position = active.firstIndex(of: drop) { active.remove(at: position) }
        }
        merges = Self.numbered(found, rows: n)
    }

    /// The chain's merges (by slot) in height order, with the cluster numbers the merges before them gave.
    private static func numbered(_ found: [(a: Int, b: Int, cost: Double)], rows n: Int) -> [Merge] {
        let order = found.indices.sorted {
            found[$0].cost < found[$1].cost || (found[$0].cost == found[$1].cost && $0 < $1)
        }
        // Which cluster number each slot holds now, and how many rows it has.
        var current = Array(0..<n)
        var sizes = [Int](repeating: 1, count: n)
        var parents = Array(0..<n)
        func root(_ slot: Int) -> Int {
            var slot = slot
            while parents[slot] != slot {
                parents[slot] = parents[parents[slot]]
                slot = parents[slot]
            }
            return slot
        }
        var merges: [Merge] = []
        for (index, position) in order.enumerated() {
            let (a, b) = (root(found[position].a), root(found[position].b))
            let (left, right) = (min(current[a], current[b]), max(current[a], current[b]))
            let size = sizes[a] + sizes[b]
            merges.append(Merge(left: left, right: right, height: (2 * found[position].cost).squareRoot(), size: size))
            parents[b] = a
            sizes[a] = size
            current[a] = n + index
        }
        return merges
    }

    /// Each row's cluster when the tree is cut into `clusters` clusters (the last `clusters - 1` merges undone),
    /// numbered in the order of their first rows.
    package func labels(clusters: Int) -> [Int32] {
        var parents = Array(0..<(rows + merges.count))
        for (index, merge) in merges.prefix(max(0, rows - clusters)).enumerated() {
            parents[merge.left] = rows + index
            parents[merge.right] = rows + index
        }
        var numbers: [Int: Int32] = [:]
        return (0..<rows).map { row in
            var top = row
            while parents[top] != top { top = parents[top] }
            if let number = numbers[top] { return number }
            let number = Int32(numbers.count)
            numbers[top] = number
            return number
        }
    }
}

/// The search for a cluster's nearest other cluster in Ward's cost (the sum
/// of squares their merge adds), over fixed chunks of the active clusters on
/// all cores, combined in chunk order: the lowest cost, the first on ties.
private struct NearestSearch: @unchecked Sendable {
    let means: UnsafePointer<Double>
    let sizes: [Double]
    let columns: Int

    /// Active clusters per chunk: below this the search runs on one thread.
    static let chunkSize = 2048

    init(means: UnsafeMutablePointer<Double>, sizes: [Double], columns: Int) {
        self.means = UnsafePointer(means)
        self.sizes = sizes
        self.columns = columns
    }

    /// What merging clusters `a` and `b` adds to the sum of squares.
    func cost(_ a: Int, _ b: Int) -> Double {
        let d = columns
        var sum = 0.0
        for j in 0..<d {
            let difference = means[a * d + j] - means[b * d + j]
            sum += difference * difference
        }
        return sizes[a] * sizes[b] / (sizes[a] + sizes[b]) * sum
    }

    /// The cluster of `active` nearest `top`, other than `top` and `skipped`.
    func nearest(to top: Int, among active: [Int], skipping skipped: Int) -> (slot: Int, cost: Double)? {
        let chunks = (active.count + Self.chunkSize - 1) / Self.chunkSize
        let best = ParallelLoop.mapChunks(count: active.count, chunks: chunks) {
            _, range -> (slot: Int, cost: Double)? in
            var best: (slot: Int, cost: Double)? = nil
            for index in range {
                let other = active[index]
                guard other != top, other != skipped else { continue }
                let value = cost(top, other)
                if value < best?.cost ?? .infinity { best = (other, value) }
            }
            return best
        }
        return best.reduce(nil) { sofar, next in
            guard let next else { return sofar }
            guard let sofar else { return next }
            return next.cost < sofar.cost ? next : sofar
        }
    }
}

extension WardTree {
    /// The top of the tree: the last `leaves - 1` merges over the `leaves` clusters they join (a dendrogram's
    /// truncated view, as SciPy's `truncate_mode="lastp"`).
    package struct Top: Sendable, Equatable {
        /// Rows under each leaf.
        package let sizes: [Int]
        /// A row under each leaf (its first in the tree's order), to tell which cluster of a cut it is in.
        package let representatives: [Int]
        /// The merges, lowest first, numbered as the tree's are: leaves are `0..<sizes.count`, merge `i` makes
        /// `sizes.count + i`.
        package let merges: [Merge]
    }

    /// The top `leaves` clusters and the merges above them (fewer leaves when there are fewer rows).
    package func top(_ leaves: Int) -> Top {
        let count = max(1, min(leaves, rows))
        let first = rows - count  // the merges below the top, by index
        var numbers: [Int: Int] = [:]
        var sizes: [Int] = [], representatives: [Int] = []
        func number(_ node: Int) -> Int {
            if node >= rows + first { return count + (node - rows - first) }
            if let known = numbers[node] { return known }
            numbers[node] = sizes.count
            sizes.append(node < rows ? 1 : merges[node - rows].size)
            var row = node
            while row >= rows { row = merges[row - rows].left }
            representatives.append(row)
            return sizes.count - 1
        }
        let top = merges.dropFirst(first).map { merge in
            Merge(left: number(merge.left), right: number(merge.right), height: merge.height, size: merge.size)
        }
        if top.isEmpty { _ = number(rows == 1 ? 0 : rows + first - 1) }
        return Top(sizes: sizes, representatives: representatives, merges: top)
    }

    /// The height between the merges a cut into `clusters` clusters keeps and those it undoes.
    package func cutHeight(clusters: Int) -> Double {
        let kept = rows - clusters
        guard kept >= 1, kept < merges.count else { return merges.last?.height ?? 0 }
        return (merges[kept - 1].height + merges[kept].height) / 2
    }
}
