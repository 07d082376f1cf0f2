/// An assignment of a true label to each cluster, used to read a clustering
/// as a classifier. A cluster may have no label (`nil`): its rows then count
/// as wrong.
package struct ClusterMap: Sendable, Equatable, Codable {
    /// How a map is made.
    package enum Method: String, Sendable, Codable, CaseIterable {
        /// Given by the user (the notebooks' hand-made map).
        case manual
        /// Each cluster to its most common label (labels may repeat).
        case majority
        /// The one-to-one map that maximises the rows labelled correctly (Hungarian algorithm).
        case hungarian
    }

    /// The label of each cluster, or `nil`.
    package let labelOf: [Int?]

    /// A map from explicit labels per cluster.
    package init(labelOf: [Int?]) {
        self.labelOf = labelOf
    }

    /// Each cluster to its most common true label (the lowest label on ties).
    package static func majority(_ table: Contingency) -> ClusterMap {
        ClusterMap(
            labelOf: (0..<table.clusters).map { c in
                guard table.clusterSizes[c] > 0 else { return nil }
                var best = 0
                for l in 1..<max(1, table.labels) where table[c, l] > table[c, best] { best = l }
                return best
            })
    }

    /// The one-to-one map maximising correct rows; with more clusters than
    /// labels the extra clusters get no label, with fewer some labels go unused.
    package static func hungarian(_ table: Contingency) -> ClusterMap {
        let size = max(table.clusters, table.labels)
        let largest = table.counts.max() ?? 0
        // Minimise (largest − count) over a square matrix padded with zeros gain.
        var cost = [[Int]](repeating: [Int](repeating: largest, count: size), count: size)
        for c in 0..<table.clusters { for l in 0..<table.labels { cost[c][l] = largest - table[c, l] } }
        let assignment = Hungarian.solve(cost)
        return ClusterMap(
            labelOf: (0..<table.clusters).map { c in
                let label = assignment[c]
                return label < table.labels ? label : nil
            })
    }

    /// The predicted label of each row from its cluster (`-1` where the cluster has no label).
    package func predict(_ clusterOf: [Int32]) -> [Int32] {
        clusterOf.map { c in Int(c) < labelOf.count ? Int32(labelOf[Int(c)] ?? -1) : -1 }
    }
}

/// The Hungarian algorithm (Kuhn–Munkres with potentials, O(n³)) for square
/// integer cost matrices.
enum Hungarian {
    /// The column assigned to each row in a minimum-cost perfect matching.
    static func solve(_ cost: [[Int]]) -> [Int] {
        let n = cost.count
        guard n > 0 else { return [] }
        var u = [Int](repeating: 0, count: n + 1), v = [Int](repeating: 0, count: n + 1)
        var matchOfColumn = [Int](repeating: 0, count: n + 1)
        var way = [Int](repeating: 0, count: n + 1)
        for row in 1...n {
            matchOfColumn[0] = row
            var column0 = 0
            var minimum = [Int](repeating: Int.max, count: n + 1)
            var used = [Bool](repeating: false, count: n + 1)
            repeat {
                used[column0] = true
                let row0 = matchOfColumn[column0]
                var delta = Int.max, column1 = 0
                for column in 1...n where !used[column] {
                    let reduced = cost[row0 - 1][column - 1] - u[row0] - v[column]
                    if reduced < minimum[column] {
                        minimum[column] = reduced
                        way[column] = column0
                    }
                    if minimum[column] < delta {
                        delta = minimum[column]
                        column1 = column
                    }
                }
                for column in 0...n {
                    if used[column] {
                        u[matchOfColumn[column]] += delta
                        v[column] -= delta
                    } else {
                        minimum[column] -= delta
                    }
                }
                column0 = column1
            } while matchOfColumn[column0] != 0
            repeat {
                let column1 = way[column0]
                matchOfColumn[column0] = matchOfColumn[column1]
                column0 = column1
            } while column0 != 0
        }
        var assignment = [Int](repeating: 0, count: n)
        for column in 1...n where matchOfColumn[column] > 0 { assignment[matchOfColumn[column] - 1] = column - 1 }
        return assignment
    }
}
