import FERCore

/// How far an embedding keeps neighbourhoods (Venna & Kaski 2001), as
/// scikit-learn's `sklearn.manifold.trustworthiness` defines it: 1 when each
/// point's `k` nearest in the embedding are among its `k` nearest in the
/// original space, lower as intruders come from further away. Exact, over
/// every pair: O(N² log N), for a few thousand points.
package enum Trustworthiness {
    /// The trustworthiness of `embedded` (one row per row of `original`) over `k` neighbours.
    package static func of(original: Matrix, embedded: Matrix, neighbours k: Int) throws -> Double {
        let n = original.rows
        guard embedded.rows == n, k >= 1, 2 * n - 3 * k - 1 > 0 else {
            throw MathError.invalidParameters(
                "trustworthiness needs as many embedded rows as rows (\(embedded.rows), \(n)) and k < N / 2")
        }
        let penalties = ParallelLoop.mapChunks(count: n, chunks: min(n, 64)) { _, range in
            var total = 0
            var rank = [Int](repeating: 0, count: n)
            for i in range {
                for (position, j) in byDistance(from: i, in: original).enumerated() { rank[j] = position + 1 }
                for j in byDistance(from: i, in: embedded).prefix(k) { total += max(0, rank[j] - k) }
            }
            return total
        }
        let sum = Double(penalties.reduce(0, +))
        return 1 - sum * 2 / (Double(n) * Double(k) * (2 * Double(n) - 3 * Double(k) - 1))
    }

    /// The other rows of `x`, nearest `row` first, ties by index.
    private static func byDistance(from row: Int, in x: Matrix) -> [Int] {
        let d = x.columns
        let distances = (0..<x.rows).map { other -> Double in
            var sum = 0.0
            for c in 0..<d {
                let difference = Double(x.values[row * d + c]) - Double(x.values[other * d + c])
                sum += difference * difference
            }
            return sum
        }
        return (0..<x.rows).filter { $0 != row }.sorted { (distances[$0], $0) < (distances[$1], $1) }
    }
}
