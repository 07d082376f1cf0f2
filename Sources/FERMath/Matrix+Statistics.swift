import FERCore

extension Matrix {
    /// Per-column means and population variances (`ddof = 0`), in one
    /// parallel pass accumulated in `Double` (chunk results added in order).
    package func columnStatistics() -> (means: [Double], variances: [Double]) {
        let d = columns
        guard rows > 0 else { return ([Double](repeating: 0, count: d), [Double](repeating: 0, count: d)) }
        // Shifting by the first row keeps the sums of squares well conditioned.
        let origin = (0..<d).map { Double(values[$0]) }
        let parts = ParallelLoop.mapChunks(count: rows, chunks: max(1, min(64, rows / 512))) { _, range in
            var sums = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
            values.withUnsafeBufferPointer { data in
                for row in range {
                    let base = row * d
                    for column in 0..<d {
                        let value = Double(data[base + column]) - origin[column]
                        sums[column] += value
                        squares[column] += value * value
                    }
                }
            }
            return (sums, squares)
        }
        var sums = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        for (partSums, partSquares) in parts {
            for column in 0..<d {
                sums[column] += partSums[column]
                squares[column] += partSquares[column]
            }
        }
        let n = Double(rows)
        let means = (0..<d).map { origin[$0] + sums[$0] / n }
        let variances = (0..<d).map { max(0, squares[$0] / n - (sums[$0] / n) * (sums[$0] / n)) }
        return (means, variances)
    }
}
