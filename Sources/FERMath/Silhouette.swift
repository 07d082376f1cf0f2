import FERCore

/// The exact silhouette (Rousseeuw 1987) with Euclidean distances, over all
/// points, as scikit-learn's `silhouette_samples` and `silhouette_score`
/// without sampling.
///
/// For each point, `a` is its mean distance to the other members of its
/// cluster and `b` its mean distance to the members of the nearest other
/// cluster; its silhouette is `(b − a) / max(a, b)`, and 0 in a cluster of one.
///
/// It costs `n²` distances, so it is built for that: points are sorted by
/// cluster and stored one coordinate per array, so the distance sum from a
/// point to a cluster is a contiguous SIMD loop; rows are split across cores.
public enum Silhouette {
    /// The silhouette of every row of `x` under `labels` (codes `0..<clusters`).
    /// - Throws: `MathError.invalidParameters` unless at least two clusters are non-empty.
    public static func samples(_ x: Matrix, labels: [Int32], clusters: Int) throws -> [Double] {
        precondition(labels.count == x.rows, "one label per row")
        precondition(labels.allSatisfy { $0 >= 0 && Int($0) < clusters }, "labels must be below the cluster count")
        let layout = SortedLayout(x, labels: labels, clusters: clusters)
        guard layout.sizes.filter({ $0 > 0 }).count >= 2 else {
            throw MathError.invalidParameters("the silhouette needs at least two non-empty clusters")
        }
        let n = x.rows
        let chunks = max(1, min(256, n / 64))
        let parts = ParallelLoop.mapChunks(count: n, chunks: chunks) { _, range in
            range.map { layout.silhouette(ofSorted: $0) }
        }
        var sortedValues: [Double] = []
        sortedValues.reserveCapacity(n)
        for part in parts { sortedValues += part }
        var result = [Double](repeating: 0, count: n)
        for (sortedIndex, original) in layout.order.enumerated() { result[original] = sortedValues[sortedIndex] }
        return result
    }

    /// The mean silhouette of all rows.
    public static func score(_ x: Matrix, labels: [Int32], clusters: Int) throws -> Double {
        let values = try samples(x, labels: labels, clusters: clusters)
        return values.reduce(0, +) / Double(max(1, values.count))
    }
}

/// Points sorted by cluster, one array per coordinate.
private struct SortedLayout: Sendable {
    /// Original row of each sorted position.
    let order: [Int]
    /// Sorted positions where each cluster starts; `starts[c]..<starts[c + 1]`.
    let starts: [Int]
    /// Members per cluster.
    let sizes: [Int]
    /// `coordinates[feature][sortedIndex]`.
    let coordinates: [[Float]]
    /// Cluster of each sorted position.
    let clusterOf: [Int]

    init(_ x: Matrix, labels: [Int32], clusters: Int) {
        var sizes = [Int](repeating: 0, count: clusters)
        for label in labels { sizes[Int(label)] += 1 }
        var starts = [Int](repeating: 0, count: clusters + 1)
        for c in 0..<clusters { starts[c + 1] = starts[c] + sizes[c] }
        var next = Array(starts.dropLast())
        var order = [Int](repeating: 0, count: x.rows)
        for row in 0..<x.rows {
            let c = Int(labels[row])
            order[next[c]] = row
            next[c] += 1
        }
        self.order = order
        self.starts = starts
        self.sizes = sizes
        coordinates = (0..<x.columns).map { feature in order.map { x[$0, feature] } }
        var clusterOf = [Int](repeating: 0, count: x.rows)
        for c in 0..<clusters { for index in starts[c]..<starts[c + 1] { clusterOf[index] = c } }
        self.clusterOf = clusterOf
    }

    func silhouette(ofSorted index: Int) -> Double {
        let own = clusterOf[index]
        guard sizes[own] > 1 else { return 0 }
        let point = coordinates.map { $0[index] }
        var a = 0.0, b = Double.infinity
        for c in 0..<sizes.count where sizes[c] > 0 {
            let total = distanceSum(from: point, over: starts[c]..<starts[c + 1])
            if c == own {
                a = total / Double(sizes[c] - 1)
            } else {
                b = min(b, total / Double(sizes[c]))
            }
        }
        let denominator = max(a, b)
        return denominator > 0 ? (b - a) / denominator : 0
    }

    /// Sum of Euclidean distances from `point` to the sorted positions in `range`.
    private func distanceSum(from point: [Float], over range: Range<Int>) -> Double {
        let lanes = 8
        let dimensions = coordinates.count
        var total = 0.0
        var position = range.lowerBound
        let vectorEnd = range.lowerBound + (range.count / lanes) * lanes
        let flushEvery = 128 * lanes
        while position < vectorEnd {
            let blockEnd = min(vectorEnd, position + flushEvery)
            var partial = SIMD8<Float>()
            while position < blockEnd {
                var squared = SIMD8<Float>()
                for feature in 0..<dimensions {
                    let values = coordinates[feature].withUnsafeBufferPointer { buffer in
                        UnsafeRawPointer(buffer.baseAddress! + position).loadUnaligned(as: SIMD8<Float>.self)
                    }
                    let difference = values - SIMD8(repeating: point[feature])
                    squared.addProduct(difference, difference)
                }
                partial += squared.squareRoot()
                position += lanes
            }
            total += Double(partial.sum())
        }
        while position < range.upperBound {
            var squared: Float = 0
            for feature in 0..<dimensions {
                let difference = coordinates[feature][position] - point[feature]
                squared += difference * difference
            }
            total += Double(squared.squareRoot())
            position += 1
        }
        return total
    }
}
