import FERCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The k-means kernels over one data matrix: nearest-centre assignment,
/// centre updates, k-means++ seeding and Lloyd iterations.
///
/// Few features are handled with direct loops; many features with BLAS
/// (`‖x‖² − 2 x·c + ‖c‖²`). Rows are processed in chunks whose number depends
/// only on the row count, and chunk results are combined in order, so the
/// output is the same for any number of threads.
struct DistanceEngine: Sendable {
    let data: Matrix
    private let rowNorms: [Float]
    private let chunks: Int

    /// Feature counts above this use BLAS for distances.
    static let blasThreshold = 32

    init(_ data: Matrix) {
        self.data = data
        let d = data.columns
        rowNorms = data.columns > Self.blasThreshold
            ? (0..<data.rows).map { row in data.values[(row * d)..<((row + 1) * d)].reduce(0) { $0 + $1 * $1 } }
            : []
        chunks = max(1, min(64, data.rows * max(1, data.columns) / 16_384))
    }

    var rows: Int { data.rows }
    var columns: Int { data.columns }

    /// Squared distance between row `row` and the point at `point`.
    @inline(__always)
    private func squaredDistance(_ values: UnsafePointer<Float>, row: Int, _ point: UnsafePointer<Float>) -> Float {
        let base = values + row * columns
        var sum: Float = 0
        for feature in 0..<columns {
            let difference = base[feature] - point[feature]
            sum += difference * difference
        }
        return sum
    }

    // MARK: Assignment

    /// Nearest centre of every row, the squared distance to it, and their sum.
    func assign(to centres: [Float], clusters k: Int) -> (labels: [Int32], distances: [Float], inertia: Double) {
        let parts = ParallelLoop.mapChunks(count: rows, chunks: chunks) { _, range in
            assignChunk(range, centres: centres, clusters: k)
        }
        var labels: [Int32] = [], distances: [Float] = []
        labels.reserveCapacity(rows)
        distances.reserveCapacity(rows)
        var inertia = 0.0
        for part in parts {
            labels += part.labels
            distances += part.distances
            inertia += part.inertia
        }
        return (labels, distances, inertia)
    }

    private func assignChunk(_ range: Range<Int>, centres: [Float], clusters k: Int)
        -> (labels: [Int32], distances: [Float], inertia: Double) {
        var labels = [Int32](repeating: 0, count: range.count)
        var distances = [Float](repeating: 0, count: range.count)
        var inertia = 0.0
        data.values.withUnsafeBufferPointer { values in
            centres.withUnsafeBufferPointer { centreValues in
                if columns > Self.blasThreshold {
                    let centreNorms = (0..<k).map { c in centres[(c * columns)..<((c + 1) * columns)].reduce(0) { $0 + $1 * $1 } }
                    var dots = [Float](repeating: 0, count: range.count * k)
                    dots.withUnsafeMutableBufferPointer { out in
                        LinearAlgebra.gemm(values.baseAddress! + range.lowerBound * columns, transposeA: false,
                                           centreValues.baseAddress!, transposeB: true, into: out.baseAddress!,
                                           m: range.count, n: k, k: columns)
                    }
                    for (offset, row) in range.enumerated() {
                        var best: Int32 = 0, bestDistance = Float.infinity
                        for c in 0..<k {
                            let distance = rowNorms[row] - 2 * dots[offset * k + c] + centreNorms[c]
                            if distance < bestDistance { bestDistance = distance; best = Int32(c) }
                        }
                        labels[offset] = best
                        distances[offset] = max(0, bestDistance)
                        inertia += Double(max(0, bestDistance))
                    }
                } else {
                    for (offset, row) in range.enumerated() {
                        var best: Int32 = 0, bestDistance = Float.infinity
                        for c in 0..<k {
                            let distance = squaredDistance(values.baseAddress!, row: row, centreValues.baseAddress! + c * columns)
                            if distance < bestDistance { bestDistance = distance; best = Int32(c) }
                        }
                        labels[offset] = best
                        distances[offset] = bestDistance
                        inertia += Double(bestDistance)
                    }
                }
            }
        }
        return (labels, distances, inertia)
    }

    // MARK: Update

    /// Means of the rows of each cluster. An empty cluster takes the row
    /// farthest from its centre (as scikit-learn relocates empty clusters).
    func centres(labels: [Int32], distances: [Float], clusters k: Int) -> [Float] {
        let d = columns
        let parts = ParallelLoop.mapChunks(count: rows, chunks: chunks) { _, range in
            var sums = [Double](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            data.values.withUnsafeBufferPointer { values in
                for row in range {
                    let c = Int(labels[row])
                    counts[c] += 1
                    let base = row * d, target = c * d
                    for feature in 0..<d { sums[target + feature] += Double(values[base + feature]) }
                }
            }
            return (sums, counts)
        }
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        for (partSums, partCounts) in parts {
            for index in 0..<(k * d) { sums[index] += partSums[index] }
            for c in 0..<k { counts[c] += partCounts[c] }
        }
        let empty = (0..<k).filter { counts[$0] == 0 }
        if !empty.isEmpty {
            let farthest = (0..<rows).sorted { distances[$0] > distances[$1] || (distances[$0] == distances[$1] && $0 < $1) }
            for (cluster, row) in zip(empty, farthest) {
                let old = Int(labels[row])
                if counts[old] > 1 {
                    counts[old] -= 1
                    for feature in 0..<d { sums[old * d + feature] -= Double(data[row, feature]) }
                }
                counts[cluster] = 1
                for feature in 0..<d { sums[cluster * d + feature] = Double(data[row, feature]) }
            }
        }
        return (0..<(k * d)).map { index in Float(sums[index] / Double(max(1, counts[index / d]))) }
    }

    // MARK: Seeding

    /// Greedy k-means++: each new centre is the best of `2 + ln k` candidates
    /// drawn with probability proportional to squared distance.
    func plusPlusCentres(_ k: Int, random: inout SeededGenerator) -> [Float] {
        let d = columns
        let trials = 2 + Int(log(Double(k)))
        var centres = [Float](repeating: 0, count: k * d)
        let first = random.below(rows)
        centres.replaceSubrange(0..<d, with: data.row(first))
        var closest = squaredDistances(toRow: first)
        var potential = closest.reduce(0.0) { $0 + Double($1) }
        for c in 1..<max(1, k) {
            var cumulative = [Double](repeating: 0, count: rows)
            var running = 0.0
            for row in 0..<rows {
                running += Double(closest[row])
                cumulative[row] = running
            }
            let candidates = (0..<trials).map { _ -> Int in
                let target = random.uniform() * potential
                return min(rows - 1, firstIndex(in: cumulative, notBelow: target))
            }
            var bestCandidate = candidates[0]
            var bestPotential = Double.infinity
            var bestClosest = closest
            for candidate in candidates {
                var merged = squaredDistances(toRow: candidate)
                var sum = 0.0
                for row in 0..<rows {
                    merged[row] = min(merged[row], closest[row])
                    sum += Double(merged[row])
                }
                if sum < bestPotential {
                    bestPotential = sum
                    bestCandidate = candidate
                    bestClosest = merged
                }
            }
            potential = bestPotential
            closest = bestClosest
            centres.replaceSubrange((c * d)..<((c + 1) * d), with: data.row(bestCandidate))
        }
        return centres
    }

    private func squaredDistances(toRow target: Int) -> [Float] {
        data.values.withUnsafeBufferPointer { values in
            (0..<rows).map { row in squaredDistance(values.baseAddress!, row: row, values.baseAddress! + target * columns) }
        }
    }

    /// `numpy.searchsorted(sorted, value, side="left")`.
    private func firstIndex(in sorted: [Double], notBelow value: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    // MARK: Lloyd

    /// Lloyd iterations from `initial` centres until labels stop changing,
    /// the total squared centre shift is at most `threshold`, or `maxIterations`.
    func lloyd(from initial: [Float], clusters k: Int, maxIterations: Int, threshold: Double) -> Clustering {
        var centres = initial
        var previous: [Int32]? = nil
        var labels: [Int32] = []
        var strict = false
        var iterations = 0
        for iteration in 1...maxIterations {
            iterations = iteration
            let assignment = assign(to: centres, clusters: k)
            labels = assignment.labels
            let updated = self.centres(labels: labels, distances: assignment.distances, clusters: k)
            var shift = 0.0
            for index in 0..<updated.count {
                let difference = Double(updated[index]) - Double(centres[index])
                shift += difference * difference
            }
            centres = updated
            if let previous, previous == labels {
                strict = true
                break
            }
            if shift <= threshold { break }
            previous = labels
        }
        var inertia: Double
        if strict {
            inertia = 0
            data.values.withUnsafeBufferPointer { values in
                centres.withUnsafeBufferPointer { c in
                    for row in 0..<rows {
                        inertia += Double(squaredDistance(values.baseAddress!, row: row, c.baseAddress! + Int(labels[row]) * columns))
                    }
                }
            }
        } else {
            // Make the labels agree with the final centres.
            let final = assign(to: centres, clusters: k)
            labels = final.labels
            inertia = final.inertia
        }
        return Clustering(centroids: Matrix(rows: k, columns: columns, values: centres), labels: labels,
                          inertia: inertia, iterations: iterations)
    }
}
