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

    /// The intervals of the means of each of `values` (per-row values each: accuracy is the mean of 1 for
    /// right and 0 for wrong), all from the same draws; `nil` when there are no rows.
    package func intervalsOfMeans(_ values: [[Double]]) -> [ClosedRange<Double>]? {
        guard !units.isEmpty else { return nil }
        // Each unit's sum and size: a draw's mean is the sum of its units' sums over the sum of their sizes.
        let sums = values.map { values in units.map { $0.reduce(0) { $0 + values[$1] } } }
        let sizes = units.map { Double($0.count) }
        let means = mapDraws { drawn in
            var size = 0.0
            for unit in drawn { size += sizes[unit] }
            return sums.map { sums in
                var total = 0.0
                for unit in drawn { total += sums[unit] }
                return total / size
            }
        }
        return values.indices.map { index in Self.percentiles(of: means.map { $0[index] }) }
    }

    /// The intervals of each of `statistics` of a table of counts (a contingency table, say), all from the same
    /// draws: each row adds one to its cell `cellOf[row]` of `cells`, and each statistic reads a draw's table;
    /// `nil` when there are no rows.
    package func intervals(
        cells: Int, cellOf: [Int], statistics: [@Sendable ([Int]) -> Double]
    ) -> [ClosedRange<Double>]? {
        guard !units.isEmpty else { return nil }
        // Each unit's cells, added whole each time it is drawn: one list, each unit's cells from its offset.
        let unitCells = units.flatMap { rows in rows.map { cellOf[$0] } }
        var unitOffsets = [0]
        for rows in units { unitOffsets.append(unitOffsets[unitOffsets.count - 1] + rows.count) }
        let offsets = unitOffsets
        let values = mapDraws { drawn in
            var table = [Int](repeating: 0, count: cells)
            for unit in drawn { for index in offsets[unit]..<offsets[unit + 1] { table[unitCells[index]] += 1 } }
            return statistics.map { $0(table) }
        }
        return statistics.indices.map { index in Self.percentiles(of: values.map { $0[index] }) }
    }

    /// Draws per chunk of the work split across cores.
    private static let drawsPerChunk = 50

    /// `value` of each of the `resamples` draws, in order: the units drawn, as many as there are, from the
    /// seeded stream (every interval of one `Bootstrap` reads the same draws). The draws are made on all
    /// cores, each chunk of them from the stream's state at its first draw, found by running the stream
    /// ahead on one core (a draw reads one number per unit).
    private func mapDraws<T: Sendable>(_ value: @Sendable (UnsafeBufferPointer<Int>) -> T) -> [T] {
        let chunks = (Self.resamples + Self.drawsPerChunk - 1) / Self.drawsPerChunk
        var random = SeededGenerator(seed: seed)
        var starts: [SeededGenerator] = []
        for chunk in 0..<chunks {
            starts.append(random)
            guard chunk + 1 < chunks else { break }
            for _ in 0..<(Self.drawsPerChunk * units.count) { _ = random.next() }
        }
        let count = UInt64(units.count), units = units.count, first = starts
        return ParallelLoop.mapChunks(count: chunks, chunks: chunks) { chunk, _ in
            var random = first[chunk]
            var drawn = [Int](repeating: 0, count: units)
            let draws = min(Self.drawsPerChunk, Self.resamples - chunk * Self.drawsPerChunk)
            return (0..<draws).map { _ in
                for index in drawn.indices { drawn[index] = Int(random.next() % count) }
                return drawn.withUnsafeBufferPointer(value)
            }
        }.flatMap { $0 }
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
