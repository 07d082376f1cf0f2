#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts of rows per (cluster, true label) pair: the table every
/// clustering metric is computed from.
package struct Contingency: Sendable, Equatable, Codable {
    /// Number of clusters (rows of the table).
    package let clusters: Int
    /// Number of true labels (columns of the table).
    package let labels: Int
    /// `counts[cluster * labels + label]`.
    package let counts: [Int]

    /// Tabulates `clusterOf` against `labelOf` (one entry per row each).
    package init(clusterOf: [Int32], labelOf: [Int32], clusters: Int, labels: Int) {
        precondition(clusterOf.count == labelOf.count, "one cluster and one label per row")
        var counts = [Int](repeating: 0, count: clusters * labels)
        for (cluster, label) in zip(clusterOf, labelOf) { counts[Int(cluster) * labels + Int(label)] += 1 }
        self.clusters = clusters
        self.labels = labels
        self.counts = counts
    }

    /// The table of `counts` (`counts[cluster * labels + label]`).
    package init(counts: [Int], clusters: Int, labels: Int) {
        precondition(counts.count == clusters * labels, "one count per cluster and label")
        self.clusters = clusters
        self.labels = labels
        self.counts = counts
    }

    /// Rows in `cluster` with true `label`.
    package subscript(cluster: Int, label: Int) -> Int { counts[cluster * labels + label] }

    /// Total rows.
    package var total: Int { counts.reduce(0, +) }

    /// Rows per cluster.
    package var clusterSizes: [Int] { (0..<clusters).map { c in (0..<labels).reduce(0) { $0 + self[c, $1] } } }

    /// Rows per true label.
    package var labelSizes: [Int] { (0..<labels).map { l in (0..<clusters).reduce(0) { $0 + self[$1, l] } } }

    // MARK: Agreement measures

    /// Adjusted Rand index (Hubert and Arabie): 1 for identical partitions, about 0 for independent ones.
    package var adjustedRandIndex: Double {
        let n = total
        func pairs(_ x: Int) -> Double { Double(x) * Double(x - 1) / 2 }
        let index = counts.reduce(0.0) { $0 + pairs($1) }
        let sumClusters = clusterSizes.reduce(0.0) { $0 + pairs($1) }
        let sumLabels = labelSizes.reduce(0.0) { $0 + pairs($1) }
        let expected = sumClusters * sumLabels / pairs(n)
        let maximum = (sumClusters + sumLabels) / 2
        // Special cases as scikit-learn: identical trivial partitions score 1.
        if maximum == expected { return 1 }
        return (index - expected) / (maximum - expected)
    }

    /// Mutual information between clusters and labels, in nats.
    package var mutualInformation: Double {
        let n = Double(total)
        let clusterSizes = self.clusterSizes, labelSizes = self.labelSizes
        var sum = 0.0
        for c in 0..<clusters {
            for l in 0..<labels where self[c, l] > 0 {
                let joint = Double(self[c, l])
                sum += joint / n * log(joint * n / (Double(clusterSizes[c]) * Double(labelSizes[l])))
            }
        }
        return max(0, sum)
    }

    /// Normalised mutual information with the arithmetic mean of the two
    /// entropies (scikit-learn's default `average_method`).
    package var normalizedMutualInformation: Double {
        let nonEmptyClusters = clusterSizes.filter { $0 > 0 }.count
        let nonEmptyLabels = labelSizes.filter { $0 > 0 }.count
        if nonEmptyClusters == 1 && nonEmptyLabels == 1 { return 1 }
        if nonEmptyClusters <= 1 || nonEmptyLabels <= 1 { return 0 }
        let normaliser = (Self.entropy(clusterSizes) + Self.entropy(labelSizes)) / 2
        return normaliser > 0 ? mutualInformation / normaliser : 0
    }

    /// Fraction of rows whose cluster's most common label is their own.
    package var purity: Double {
        let total = self.total
        guard total > 0 else { return 0 }
        let hits = (0..<clusters).reduce(0) { sum, c in sum + ((0..<labels).map { self[c, $0] }.max() ?? 0) }
        return Double(hits) / Double(total)
    }

    private static func entropy(_ sizes: [Int]) -> Double {
        let n = Double(sizes.reduce(0, +))
        return -sizes.filter { $0 > 0 }.reduce(0.0) { sum, size in
            let p = Double(size) / n
            return sum + p * log(p)
        }
    }
}
