import FERCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The k-means kernels over one data matrix: nearest-centre assignment fused
/// with the centre sums, k-means++ seeding and Lloyd iterations.
///
/// Up to 128 features (the reduced spaces k-means runs in, 50 whitened
/// components included) are handled eight rows at a time with SIMD over a
/// copy stored group by group (each group's eight rows feature after feature,
/// so a group is one contiguous block), rows in Morton (Z-curve) order of
/// their first coordinates, so that the rows of a SIMD group lie close
/// together, and Lloyd's iterations skip groups with Hamerly's bounds; more features use
/// BLAS (`‖x‖² − 2 x·c + ‖c‖²`). Results are always reported in the original row
/// order. Rows are processed in chunks whose number depends only on the row
/// count, and chunk results are combined in order, so the output is the same
/// for any number of threads.
struct KMeansEngine: Sendable {
    let data: Matrix
    /// Feature counts above this use BLAS for distances.
    static let blasThreshold = 128
    /// Vector groups (of 8 rows) per chunk.
    private static let groupsPerChunk = 512

    /// The coordinates in groups of eight rows, at `storedIndex(feature:position:)` (SIMD path only).
    private let columnsOfData: [Float]
    /// Rows rounded up to a multiple of 8 (SIMD path), else the row count.
    let paddedRows: Int
    /// The original row at each stored position (SIMD path).
    private let rowAtPosition: [Int]
    /// Squared row norms (BLAS path only).
    private let rowNorms: [Float]

    init(_ data: Matrix) {
        self.data = data
        let n = data.rows, d = data.columns
        if d <= Self.blasThreshold {
            paddedRows = (n + 7) / 8 * 8
            let order = Self.mortonOrder(data)
            columnsOfData = Self.grouped(data, order: order, paddedRows: paddedRows)
            rowAtPosition = order
            rowNorms = []
        } else {
            paddedRows = n
            columnsOfData = []
            rowAtPosition = []
            rowNorms = (0..<n).map { row in data.values[(row * d)..<((row + 1) * d)].reduce(0) { $0 + $1 * $1 } }
        }
    }

    /// The rows of `data` in `order`, stored group by group (see `storedIndex`), the padding rows zero.
    private static func grouped(_ data: Matrix, order: [Int], paddedRows: Int) -> [Float] {
        let d = data.columns
        return [Float](count: d * paddedRows) { stored in
            let out = stored.baseAddress!
            data.values.withUnsafeBufferPointer { values in
                let source = values.baseAddress!
                for (position, row) in order.enumerated() {
                    let target = out + storedIndex(feature: 0, position: position, features: d)
                    let from = source + row &* d
                    for feature in 0..<d { target[feature &* 8] = from[feature] }
                }
            }
            for position in order.count..<paddedRows {
                let target = out + storedIndex(feature: 0, position: position, features: d)
                for feature in 0..<d { target[feature &* 8] = 0 }
            }
        }
    }

    /// Rows sorted along a Z-order curve over their first (up to three) coordinates, rows with the same cell
    /// in their own order.
    private static func mortonOrder(_ data: Matrix) -> [Int] {
        let n = data.rows, d = data.columns
        let axes = min(3, d)
        guard n > 1, axes > 0 else { return Array(0..<n) }
        let bits = 21 / axes
        var low = [Float](repeating: .infinity, count: axes), high = [Float](repeating: -.infinity, count: axes)
        for row in 0..<n {
            for axis in 0..<axes {
                low[axis] = min(low[axis], data.values[row * d + axis])
                high[axis] = max(high[axis], data.values[row * d + axis])
            }
        }
        let levels = Float((1 << bits) - 1)
        // Each row's cell (at most 21 bits) above its index (at most 43 bits): sorting the words orders the
        // rows by cell, then by index.
        precondition(n < 1 << 43, "too many rows to order")
        var words = [UInt64](count: n) { words in
            data.values.withUnsafeBufferPointer { values in
                for row in 0..<n {
                    var key: UInt64 = 0
                    for axis in 0..<axes {
                        let span = high[axis] - low[axis]
                        let scaled = span > 0 ? (values[row &* d &+ axis] - low[axis]) / span * levels : 0
                        let cell = UInt64(max(0, min(levels, scaled.isFinite ? scaled : 0)))
                        for bit in 0..<bits { key |= ((cell >> UInt64(bit)) & 1) << UInt64(bit * axes + axis) }
                    }
                    words[row] = (key << 43) | UInt64(row)
                }
            }
        }
        words.sort()
        return words.map { Int($0 & ((1 << 43) - 1)) }
    }

    /// Where `feature` of the row stored at `position` is kept (SIMD path): each group of eight rows is
    /// stored whole, feature after feature, eight lanes each, so a group's scan reads one contiguous block.
    @inline(__always)
    func storedIndex(feature: Int, position: Int) -> Int {
        Self.storedIndex(feature: feature, position: position, features: columns)
    }

    @inline(__always)
    private static func storedIndex(feature: Int, position: Int, features: Int) -> Int {
        (position &- (position & 7)) &* features &+ feature &* 8 &+ (position & 7)
    }

    /// Calls `body` with the coordinates stored group by group (SIMD path).
    func withColumns<T>(_ body: (UnsafePointer<Float>) -> T) -> T {
        columnsOfData.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Per-position values reordered to original row order (padding dropped).
    func originalOrder<T>(_ values: [T]) -> [T] {
        var result = [T]()
        result.reserveCapacity(rows)
        var inverse = [Int](repeating: 0, count: rows)
        for (position, row) in rowAtPosition.enumerated() { inverse[row] = position }
        for row in 0..<rows { result.append(values[inverse[row]]) }
        return result
    }

    var rows: Int { data.rows }
    var columns: Int { data.columns }

    /// What one assignment pass produces.
    struct Assignment {
        /// Nearest centre of each row.
        var labels: [Int32]
        /// Squared distance of each row to it.
        var distances: [Float]
        /// Their sum.
        var inertia: Double
        /// Per-cluster sums of the assigned rows (`k x d`).
        var sums: [Double]
        /// Rows per cluster.
        var counts: [Int]
    }

    // MARK: Assignment

    /// Nearest centre of every row, with the per-cluster sums for the update.
    /// `parallel` splits the rows across cores (off when the caller already runs restarts in parallel).
    func assign(to centres: [Float], clusters k: Int, parallel: Bool = true) -> Assignment {
        let d = columns
        let groups = (rows + 7) / 8
        let chunks = parallel ? max(1, min(64, (groups + Self.groupsPerChunk - 1) / Self.groupsPerChunk)) : 1
        let parts = ParallelLoop.mapChunks(count: groups, chunks: chunks) { _, groupRange in
            let rowRange = (groupRange.lowerBound * 8)..<min(rows, groupRange.upperBound * 8)
            return d <= Self.blasThreshold
                ? assignSIMD(rowRange, centres: centres, clusters: k)
                : assignBLAS(rowRange, centres: centres, clusters: k)
        }
        var result = Assignment(
            labels: [], distances: [], inertia: 0,
            sums: [Double](repeating: 0, count: k * d), counts: [Int](repeating: 0, count: k))
        result.labels.reserveCapacity(rows)
        result.distances.reserveCapacity(rows)
        for part in parts {
            result.labels += part.labels
            result.distances += part.distances
            result.inertia += part.inertia
            for index in 0..<(k * d) { result.sums[index] += part.sums[index] }
            for c in 0..<k { result.counts[c] += part.counts[c] }
        }
        if d <= Self.blasThreshold {
            result.labels = originalOrder(result.labels)
            result.distances = originalOrder(result.distances)
        }
        return result
    }

    /// One SIMD group's exact scan: nearest centre, and the distances (not
    /// squared) to the nearest and second-nearest centres.
    @inline(__always)
    func scanGroup(
        _ start: Int, centres: [Float], clusters k: Int, columns: UnsafePointer<Float>
    )
        -> (labels: SIMD8<Int32>, nearest: SIMD8<Float>, second: SIMD8<Float>)
    {
        let scan = scanGroupSquared(start, centres: centres, clusters: k, columns: columns)
        return (scan.labels, scan.nearest.vectorSquareRoot, scan.second.vectorSquareRoot)
    }

    /// `scanGroup` with the distances squared, each as `assign` computes it (a centre's sum over the features in
    /// order), so the same bits.
    func scanGroupSquared(
        _ start: Int, centres: [Float], clusters k: Int, columns: UnsafePointer<Float>
    )
        -> (labels: SIMD8<Int32>, nearest: SIMD8<Float>, second: SIMD8<Float>)
    {
        switch self.columns {
        case 1: return scanGroup(start, centres, k, columns, features: 1)
        case 2: return scanGroup(start, centres, k, columns, features: 2)
        case 3: return scanGroup(start, centres, k, columns, features: 3)
        case 4: return scanGroup(start, centres, k, columns, features: 4)
        case 5: return scanGroup(start, centres, k, columns, features: 5)
        case 6: return scanGroup(start, centres, k, columns, features: 6)
        case 7: return scanGroup(start, centres, k, columns, features: 7)
        case 8: return scanGroup(start, centres, k, columns, features: 8)
        default: return scanGroup(start, centres, k, columns, features: self.columns)
        }
    }

    @inline(__always)
    private func scanGroup(
        _ start: Int, _ centres: [Float], _ k: Int, _ columns: UnsafePointer<Float>, features d: Int
    )
        -> (labels: SIMD8<Int32>, nearest: SIMD8<Float>, second: SIMD8<Float>)
    {
        var best = SIMD8<Float>(repeating: .infinity), second = SIMD8<Float>(repeating: .infinity)
        var bestIndex = SIMD8<Int32>(repeating: 0)
        @inline(__always) func consider(_ squared: SIMD8<Float>, _ c: Int) {
            let closer = squared .< best
            second.replace(with: squared, where: squared .< second)
            second.replace(with: best, where: closer)
            best.replace(with: squared, where: closer)
            bestIndex.replace(with: SIMD8(repeating: Int32(c)), where: closer)
        }
        let group = UnsafeRawPointer(columns + storedIndex(feature: 0, position: start))
        centres.withUnsafeBufferPointer { centreBuffer in
            let centre = centreBuffer.baseAddress!
            // Four centres at a time: four independent sums, each over the features in order, keep the
            // processor busy where one sum would wait on each addition. A last block of fewer than four repeats
            // its last centre and ignores the repeats.
            var c = 0
            while c < k {
                let block = min(4, k &- c), last = centre + (k &- 1) &* d
                let c0 = centre + c &* d, c1 = min(c0 + d, last), c2 = min(c1 + d, last), c3 = min(c2 + d, last)
                var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
                for feature in 0..<d {
                    let values = group.loadUnaligned(fromByteOffset: feature &* 32, as: SIMD8<Float>.self)
                    let d0 = values - SIMD8(repeating: c0[feature]), d1 = values - SIMD8(repeating: c1[feature])
                    let d2 = values - SIMD8(repeating: c2[feature]), d3 = values - SIMD8(repeating: c3[feature])
                    s0 += d0 * d0
                    s1 += d1 * d1
                    s2 += d2 * d2
                    s3 += d3 * d3
                }
                consider(s0, c)
                if block > 1 { consider(s1, c &+ 1) }
                if block > 2 { consider(s2, c &+ 2) }
                if block > 3 { consider(s3, c &+ 3) }
                c &+= block
            }
        }
        return (bestIndex, best, second)
    }

    /// The inertia of `centres` over every row: `assign(to:clusters:).inertia` to the bit (the same chunks, each
    /// adding its rows' squared distances in order, added in chunk order), without the labels and sums it makes.
    func inertia(of centres: [Float], clusters k: Int) -> Double {
        guard columns <= Self.blasThreshold else { return assign(to: centres, clusters: k).inertia }
        let groups = (rows + 7) / 8
        let chunks = max(1, min(64, (groups + Self.groupsPerChunk - 1) / Self.groupsPerChunk))
        let parts = withColumns { columns in
            let data = SendableConstPointer(columns)
            return ParallelLoop.mapChunks(count: groups, chunks: chunks) { _, range in
                var inertia = 0.0
                for group in range {
                    let scan = scanGroupSquared(group &* 8, centres: centres, clusters: k, columns: data.pointer)
                    for lane in 0..<min(8, rows &- group &* 8) { inertia += Double(scan.nearest[lane]) }
                }
                return inertia
            }
        }
        var total = 0.0
        for part in parts { total += part }
        return total
    }

    /// Each row's nearest centre (in row order) and the inertia, as `assign(to:clusters:parallel: false)` gives
    /// them (the squared distances added in stored order), without the sums it makes; `parallel` finds the rows'
    /// nearest centres on all cores. The SIMD path's rows only.
    func nearest(to centres: [Float], clusters k: Int, parallel: Bool) -> (labels: [Int32], inertia: Double) {
        let groups = (rows + 7) / 8
        var labels = [Int32](repeating: 0, count: rows), squared = [Float](repeating: 0, count: rows)
        labels.withUnsafeMutableBufferPointer { labelBuffer in
            squared.withUnsafeMutableBufferPointer { squaredBuffer in
                let label = SendablePointer(labelBuffer.baseAddress!)
                let distance = SendablePointer(squaredBuffer.baseAddress!)
                withColumns { columns in
                    let data = SendableConstPointer(columns)
                    ParallelLoop.forEachChunk(count: groups, chunks: parallel ? min(64, max(1, groups / 512)) : 1) {
                        _, range in
                        for group in range {
                            let start = group &* 8
                            let scan = scanGroupSquared(start, centres: centres, clusters: k, columns: data.pointer)
                            for lane in 0..<min(8, rows &- start) {
                                label.pointer[start &+ lane] = scan.labels[lane]
                                distance.pointer[start &+ lane] = scan.nearest[lane]
                            }
                        }
                    }
                }
            }
        }
        var inertia = 0.0
        for value in squared { inertia += Double(value) }
        return (originalOrder(labels), inertia)
    }

    /// Centres from sums and counts with empty clusters relocated (as the
    /// plain update does), using exact distances to the previous `centres`.
    func relocateEmpty(labels: [Int32], centres: [Float], sums: [Double], counts: [Int], clusters k: Int) -> [Float] {
        let d = columns
        let distances: [Float] = (0..<rows).map { row in
            var squared: Float = 0
            let c = Int(labels[row])
            for feature in 0..<d {
                let difference = data.values[row * d + feature] - centres[c * d + feature]
                squared += difference * difference
            }
            return squared
        }
        return self.centres(
            from: Assignment(labels: labels, distances: distances, inertia: 0, sums: sums, counts: counts),
            clusters: k)
    }

    private func assignSIMD(_ range: Range<Int>, centres: [Float], clusters k: Int) -> Assignment {
        // A constant feature count lets the compiler unroll the innermost loop.
        switch columns {
        case 1: return assignSIMD(range, centres: centres, clusters: k, features: 1)
        case 2: return assignSIMD(range, centres: centres, clusters: k, features: 2)
        case 3: return assignSIMD(range, centres: centres, clusters: k, features: 3)
        case 4: return assignSIMD(range, centres: centres, clusters: k, features: 4)
        case 5: return assignSIMD(range, centres: centres, clusters: k, features: 5)
        case 6: return assignSIMD(range, centres: centres, clusters: k, features: 6)
        case 7: return assignSIMD(range, centres: centres, clusters: k, features: 7)
        case 8: return assignSIMD(range, centres: centres, clusters: k, features: 8)
        default: return assignSIMD(range, centres: centres, clusters: k, features: columns)
        }
    }

    @inline(__always)
    private func assignSIMD(_ range: Range<Int>, centres: [Float], clusters k: Int, features d: Int) -> Assignment {
        var labels = [Int32](repeating: 0, count: range.count)
        var distances = [Float](repeating: 0, count: range.count)
        // One set of sums per SIMD lane: consecutive rows of the same cluster would
        // otherwise form a chain of dependent read-modify-writes through memory.
        var laneSums = [Double](repeating: 0, count: 8 * k * d)
        var counts = [Int](repeating: 0, count: k)
        var inertia = 0.0
        // Each centre coordinate broadcast once per pass.
        let broadcast = centres.map { SIMD8<Float>(repeating: $0) }
        columnsOfData.withUnsafeBufferPointer { columnBuffer in
            broadcast.withUnsafeBufferPointer { centre in
                labels.withUnsafeMutableBufferPointer { label in
                    distances.withUnsafeMutableBufferPointer { distance in
                        laneSums.withUnsafeMutableBufferPointer { sum in
                            counts.withUnsafeMutableBufferPointer { count in
                                let base = columnBuffer.baseAddress!
                                let stride = k &* d
                                var row = range.lowerBound
                                while row < range.upperBound {
                                    var best = SIMD8<Float>(repeating: .infinity)
                                    var bestIndex = SIMD8<Int32>(repeating: 0)
                                    for c in 0..<k {
                                        var squared = SIMD8<Float>()
                                        for feature in 0..<d {
                                            let values = UnsafeRawPointer(
                                                base + storedIndex(feature: feature, position: row)
                                            )
                                            .loadUnaligned(as: SIMD8<Float>.self)
                                            let difference = values - centre[c &* d &+ feature]
                                            squared += difference * difference
                                        }
                                        let closer = squared .< best
                                        best.replace(with: squared, where: closer)
                                        bestIndex.replace(with: SIMD8(repeating: Int32(c)), where: closer)
                                    }
                                    for lane in 0..<min(8, range.upperBound &- row) {
                                        let index = row &+ lane &- range.lowerBound
                                        let c = Int(bestIndex[lane])
                                        label[index] = bestIndex[lane]
                                        distance[index] = best[lane]
                                        inertia += Double(best[lane])
                                        count[c] &+= 1
                                        let target = lane &* stride &+ c &* d
                                        for feature in 0..<d {
                                            sum[target &+ feature] += Double(
                                                base[storedIndex(feature: feature, position: row &+ lane)])
                                        }
                                    }
                                    row &+= 8
                                }
                            }
                        }
                    }
                }
            }
        }
        var sums = [Double](repeating: 0, count: k * d)
        for lane in 0..<8 { for index in 0..<(k * d) { sums[index] += laneSums[lane * k * d + index] } }
        return Assignment(labels: labels, distances: distances, inertia: inertia, sums: sums, counts: counts)
    }

    private func assignBLAS(_ range: Range<Int>, centres: [Float], clusters k: Int) -> Assignment {
        let d = columns
        var labels = [Int32](repeating: 0, count: range.count)
        var distances = [Float](repeating: 0, count: range.count)
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        var inertia = 0.0
        let centreNorms = (0..<k).map { c in centres[(c * d)..<((c + 1) * d)].reduce(0) { $0 + $1 * $1 } }
        var dots = [Float](repeating: 0, count: range.count * k)
        data.values.withUnsafeBufferPointer { values in
            centres.withUnsafeBufferPointer { centreValues in
                dots.withUnsafeMutableBufferPointer { out in
                    LinearAlgebra.gemm(
                        values.baseAddress! + range.lowerBound * d, transposeA: false,
                        centreValues.baseAddress!, transposeB: true, into: out.baseAddress!,
                        m: range.count, n: k, k: d)
                }
            }
            for index in 0..<range.count {
                let row = range.lowerBound + index
                var best = 0, bestDistance = Float.infinity
                for c in 0..<k {
                    let distance = rowNorms[row] - 2 * dots[index * k + c] + centreNorms[c]
                    if distance < bestDistance { bestDistance = distance; best = c }
                }
                labels[index] = Int32(best)
                distances[index] = max(0, bestDistance)
                inertia += Double(max(0, bestDistance))
                counts[best] += 1
                for feature in 0..<d { sums[best * d + feature] += Double(values[row * d + feature]) }
            }
        }
        return Assignment(labels: labels, distances: distances, inertia: inertia, sums: sums, counts: counts)
    }

    // MARK: Update

    /// Means of the rows of each cluster. An empty cluster takes the row
    /// farthest from its centre (as scikit-learn relocates empty clusters).
    func centres(from assignment: Assignment, clusters k: Int) -> [Float] {
        let d = columns
        var sums = assignment.sums, counts = assignment.counts
        let empty = (0..<k).filter { counts[$0] == 0 }
        if !empty.isEmpty {
            let distances = assignment.distances
            let farthest = (0..<rows).sorted {
                distances[$0] > distances[$1] || (distances[$0] == distances[$1] && $0 < $1)
            }
            for (cluster, row) in zip(empty, farthest) {
                let old = Int(assignment.labels[row])
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

    /// Sum of squared distances of the rows to the centres of their labels.
    func inertia(labels: [Int32], centres: [Float]) -> Double {
        let d = columns
        var total = 0.0
        data.values.withUnsafeBufferPointer { values in
            for row in 0..<rows {
                let centre = Int(labels[row]) * d
                var sum: Float = 0
                for feature in 0..<d {
                    let difference = values[row * d + feature] - centres[centre + feature]
                    sum += difference * difference
                }
                total += Double(sum)
            }
        }
        return total
    }

    // MARK: Seeding

    /// Greedy k-means++: each new centre is the best of `2 + ln k` candidates
    /// drawn with probability proportional to squared distance. Candidates are
    /// drawn over the stored row order; distances run eight rows at a time.
    func plusPlusCentres(_ k: Int, random: inout SeededGenerator) -> [Float] {
        let d = columns
        let trials = 2 + Int(log(Double(k)))
        let count = d <= Self.blasThreshold ? paddedRows : rows
        var centres = [Float](repeating: 0, count: k * d)
        let first = random.below(rows)
        centres.replaceSubrange(0..<d, with: point(atPosition: first))
        var closest = squaredDistances(to: point(atPosition: first), count: count)
        var potential = 0.0
        for position in 0..<rows { potential += Double(closest[position]) }
        var cumulative = [Double](repeating: 0, count: rows)
        for c in 1..<max(1, k) {
            var running = 0.0
            for position in 0..<rows {
                running += Double(closest[position])
                cumulative[position] = running
            }
            // Every candidate is drawn before any is scored (the draws do not depend on the scores), so the
            // candidates' sums, each still added in row order, run side by side.
            let candidates = (0..<trials).map { _ in
                min(rows - 1, firstIndex(in: cumulative, notBelow: random.uniform() * potential))
            }
            let scored = scores(
                of: candidates.flatMap { squaredDistances(to: point(atPosition: $0), count: count) }, closest: closest)
            var best = -1
            var bestPotential = Double.infinity
            for (trial, sum) in scored.sums.enumerated() where sum < bestPotential {
                bestPotential = sum
                best = trial
            }
            potential = bestPotential
            closest = Array(scored.merged[(best * count)..<((best + 1) * count)])
            centres.replaceSubrange((c * d)..<((c + 1) * d), with: point(atPosition: candidates[best]))
        }
        return centres
    }

    /// For candidates' squared distances (`distances`: candidate after candidate, one per stored position, as
    /// `closest` has): per position the smaller of the candidate's and `closest`'s (laid out the same way in
    /// `merged`), and per candidate the sum of those over the rows. Each sum is added in row order; four
    /// candidates' sums run side by side, so no sum waits on the one before.
    private func scores(of distances: [Float], closest: [Float]) -> (merged: [Float], sums: [Double]) {
        let count = closest.count, candidates = distances.count / count
        var sums = [Double](repeating: 0, count: candidates)
        let merged = [Float](count: distances.count) { out in
            distances.withUnsafeBufferPointer { distance in
                closest.withUnsafeBufferPointer { current in
                    for first in stride(from: 0, to: candidates, by: 4) {
                        // A last group of fewer than four repeats its last candidate and ignores the repeats.
                        let offsets = (0..<4).map { min(first + $0, candidates - 1) * count }
                        let (d0, d1) = (distance.baseAddress! + offsets[0], distance.baseAddress! + offsets[1])
                        let (d2, d3) = (distance.baseAddress! + offsets[2], distance.baseAddress! + offsets[3])
                        let (o0, o1) = (out.baseAddress! + offsets[0], out.baseAddress! + offsets[1])
                        let (o2, o3) = (out.baseAddress! + offsets[2], out.baseAddress! + offsets[3])
                        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                        for position in 0..<rows {
                            let c = current[position]
                            let m0 = min(d0[position], c), m1 = min(d1[position], c)
                            let m2 = min(d2[position], c), m3 = min(d3[position], c)
                            (o0[position], o1[position], o2[position], o3[position]) = (m0, m1, m2, m3)
                            s0 += Double(m0)
                            s1 += Double(m1)
                            s2 += Double(m2)
                            s3 += Double(m3)
                        }
                        for position in rows..<count {
                            (o0[position], o1[position], o2[position], o3[position]) = (0, 0, 0, 0)
                        }
                        for (slot, sum) in [s0, s1, s2, s3].enumerated() where first + slot < candidates {
                            sums[first + slot] = sum
                        }
                    }
                }
            }
        }
        return (merged, sums)
    }

    /// The coordinates of the row stored at `position`.
    private func point(atPosition position: Int) -> [Float] {
        let row = columns <= Self.blasThreshold ? rowAtPosition[position] : position
        return Array(data.row(row))
    }

    /// Squared distances from `point` to every stored position (padding included on the SIMD path).
    private func squaredDistances(to point: [Float], count: Int) -> [Float] {
        let d = columns
        guard d <= Self.blasThreshold else {
            return data.values.withUnsafeBufferPointer { values in
                (0..<rows).map { row in
                    var sum: Float = 0
                    for feature in 0..<d {
                        let difference = values[row * d + feature] - point[feature]
                        sum += difference * difference
                    }
                    return sum
                }
            }
        }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = UnsafeMutableRawPointer(buffer.baseAddress!)
            withColumns { base in
                for start in stride(from: 0, to: count, by: 8) {
                    var squared = SIMD8<Float>()
                    for feature in 0..<d {
                        let values = UnsafeRawPointer(base + storedIndex(feature: feature, position: start))
                            .loadUnaligned(
                                as: SIMD8<Float>.self)
                        let difference = values - SIMD8(repeating: point[feature])
                        squared += difference * difference
                    }
                    out.storeBytes(of: squared, toByteOffset: start * 4, as: SIMD8<Float>.self)
                }
            }
            initialized = count
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

    /// A run from `start` with Hamerly's bounds (`HamerlyLloyd`), on the calling thread unless `rowsOnAllCores`:
    /// the clustering plain Lloyd iterations reach from it. More than 128 features take plain iterations
    /// through BLAS.
    func lloyd(
        from start: [Float], clusters k: Int, maxIterations: Int, threshold: Double, rowsOnAllCores: Bool
    ) -> Clustering {
        guard columns <= Self.blasThreshold else {
            return lloyd(
                from: start, clusters: k, maxIterations: maxIterations, threshold: threshold, parallel: rowsOnAllCores)
        }
        return HamerlyLloyd(engine: self, rowsOnAllCores: rowsOnAllCores).run(
            from: start, clusters: k, maxIterations: maxIterations, threshold: threshold)
    }

    /// Plain Lloyd iterations from `initial` centres until labels stop changing,
    /// the total squared centre shift is at most `threshold`, or `maxIterations`;
    /// `parallel` splits each assignment's rows across cores.
    func lloyd(
        from initial: [Float], clusters k: Int, maxIterations: Int, threshold: Double,
        parallel: Bool
    ) -> Clustering {
        var centres = initial
        var previous: [Int32]? = nil
        var labels: [Int32] = []
        var strict = false
        var iterations = 0
        for iteration in 1...maxIterations {
            iterations = iteration
            let assignment = assign(to: centres, clusters: k, parallel: parallel)
            labels = assignment.labels
            let updated = self.centres(from: assignment, clusters: k)
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
            inertia = self.inertia(labels: labels, centres: centres)
        } else {
            // Make the labels agree with the final centres.
            let final = assign(to: centres, clusters: k, parallel: parallel)
            labels = final.labels
            inertia = final.inertia
        }
        return Clustering(
            centroids: Matrix(rows: k, columns: columns, values: centres), labels: labels,
            inertia: inertia, iterations: iterations)
    }
}
