import FERCore

/// Percentile bootstrap intervals (Efron and Tibshirani 1993, ch. 13) of
/// statistics of held-out rows: the rows, or whole groups of rows (a
/// subject's images) when groups are given, are drawn with replacement as
/// many times as there are of them, the statistic is computed on each of
/// `resamples` draws, and the interval runs between the draws' 2.5th and
/// 97.5th percentiles (linear interpolation, as NumPy's `percentile`). The
/// draws are seeded, so the same rows give the same interval.
package struct Bootstrap: Sendable {
    /// Draws made.
    package static let resamples = 1_000
    /// The share of draws the interval holds.
    package static let confidence = 0.95
    /// The seed FERLab's intervals draw with.
    package static let defaultSeed: UInt64 = 20_131_004

    /// The rows of each unit drawn (a row alone, or a group's rows), by position among the held-out rows.
    private let units: [[Int]]
    private let seed: UInt64

    /// Draws over `count` rows, each its own unit, or over the groups `groups` gives each row (by any number).
    package init(count: Int, groups: [Int32]? = nil, seed: UInt64) {
        if let groups {
            precondition(groups.count == count, "one group per row")
            var members: [Int32: [Int]] = [:]
            for (row, group) in groups.enumerated() { members[group, default: []].append(row) }
            units = members.keys.sorted().compactMap { members[$0] }
        } else {
            units = (0..<count).map { [$0] }
        }
        self.seed = seed
    }

    /// The interval of a mean of per-row values (accuracy is the mean of 1 for right and 0 for wrong); `nil`
    /// when there are no rows.
    package func intervalOfMean(_ values: [Double]) -> ClosedRange<Double>? {
        guard !units.isEmpty else { return nil }
        // Each unit's sum and size: a draw's mean is the sum of its units' sums over the sum of their sizes.
        let sums = units.map { $0.reduce(0) { $0 + values[$1] } }, sizes = units.map { Double($0.count) }
        var random = SeededGenerator(seed: seed)
        let means = (0..<Self.resamples).map { _ -> Double in
            var total = 0.0, size = 0.0
            for _ in units.indices {
                let unit = Int(random.next() % UInt64(units.count))
                total += sums[unit]
                size += sizes[unit]
            }
            return total / size
        }
        return Self.percentiles(of: means)
    }

    /// The interval of a statistic of a table of counts (a contingency table, say): each row adds one to its
    /// cell `cellOf[row]` of `cells`, and `statistic` reads a draw's table; `nil` when there are no rows.
    package func interval(cells: Int, cellOf: [Int], _ statistic: ([Int]) -> Double) -> ClosedRange<Double>? {
        guard !units.isEmpty else { return nil }
        // Each unit's cells, added whole each time it is drawn.
        let unitCells = units.map { rows in rows.map { cellOf[$0] } }
        var random = SeededGenerator(seed: seed)
        var table = [Int](repeating: 0, count: cells)
        let values = (0..<Self.resamples).map { _ -> Double in
            for index in table.indices { table[index] = 0 }
            for _ in units.indices {
                for cell in unitCells[Int(random.next() % UInt64(units.count))] { table[cell] += 1 }
            }
            return statistic(table)
        }
        return Self.percentiles(of: values)
    }

    /// The central `confidence` share of `values`: their percentiles at half the rest on each side.
    static func percentiles(of values: [Double]) -> ClosedRange<Double> {
        let sorted = values.sorted()
        func percentile(_ fraction: Double) -> Double {
            let position = fraction * Double(sorted.count - 1)
            let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
            return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
        }
        let tail = (1 - confidence) / 2
        return percentile(tail)...percentile(1 - tail)
    }
}
