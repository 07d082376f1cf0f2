/// Lloyd's algorithm accelerated with Hamerly's bounds (Hamerly 2010), eight
/// rows at a time.
///
/// Each row keeps an upper bound on the distance to its centre and a lower
/// bound on the distance to any other centre. When, for all eight rows of a
/// SIMD group, the upper bound is below both the lower bound and half the
/// distance from the row's centre to the nearest other centre, no row of the
/// group can change cluster and the group is skipped; otherwise the group is
/// scanned exactly. Rows are stored in a spatially coherent order (see
/// `KMeansEngine`), so the few rows near cluster borders share groups.
/// Cluster sums are updated only for rows that change cluster.
///
/// Every iteration yields Lloyd's assignment for the current centres (bounds
/// carry a small safety margin against rounding), and the stopping rules are
/// Lloyd's, so the clustering is the one plain Lloyd iterations reach.
struct HamerlyLloyd {
    let engine: KMeansEngine

    /// Relative margin by which a bound must hold before a group is skipped.
    private static let safety: Float = 1e-5

    /// Runs from `initial` centres; see `KMeansEngine.lloyd` for the stopping rules.
    func run(from initial: [Float], clusters k: Int, maxIterations: Int, threshold: Double) -> Clustering {
        let d = engine.columns, n = engine.rows
        let groups = engine.paddedRows / 8
        var centres = initial
        var labels = [Int32](repeating: 0, count: engine.paddedRows)
        var upper = [Float](repeating: -1, count: engine.paddedRows)
        var lower = [Float](repeating: .infinity, count: engine.paddedRows)
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        var moved = [Float](repeating: 0, count: k)
        var separation = [Float](repeating: 0, count: k)
        var strict = false
        var iterations = 0

        engine.withColumns { columns in
            // First assignment: every group scanned, sums built from scratch.
            for group in 0..<groups {
                let scan = engine.scanGroup(group * 8, centres: centres, clusters: k, columns: columns)
                for lane in 0..<8 where group * 8 + lane < n {
                    let position = group * 8 + lane
                    labels[position] = scan.labels[lane]
                    upper[position] = scan.nearest[lane]
                    lower[position] = scan.second[lane]
                    let c = Int(scan.labels[lane])
                    counts[c] += 1
                    for feature in 0..<d {
                        sums[c * d + feature] += Double(columns[feature * engine.paddedRows + position])
                    }
                }
            }
            for iteration in 1...maxIterations {
                iterations = iteration
                var changed = false
                if iteration > 1 {
                    var largest = 0
                    for c in 1..<max(1, k) where moved[c] > moved[largest] { largest = c }
                    var secondLargest: Float = 0
                    for c in 0..<k where c != largest { secondLargest = max(secondLargest, moved[c]) }
                    let farthest = moved[largest]
                    labels.withUnsafeMutableBufferPointer { labelBuffer in
                        upper.withUnsafeMutableBufferPointer { upperBuffer in
                            lower.withUnsafeMutableBufferPointer { lowerBuffer in
                                moved.withUnsafeBufferPointer { movedBuffer in
                                    separation.withUnsafeBufferPointer { separationBuffer in
                                        centres.withUnsafeBufferPointer { centreBuffer in
                                            let label = labelBuffer.baseAddress!, move = movedBuffer.baseAddress!
                                            let half = separationBuffer.baseAddress!, centre = centreBuffer.baseAddress!
                                            let upperBase = UnsafeMutableRawPointer(upperBuffer.baseAddress!)
                                            let lowerBase = UnsafeMutableRawPointer(lowerBuffer.baseAddress!)
                                            for group in 0..<groups {
                                                let start = group &* 8
                                                var ownMove: SIMD8<Float>, ownSeparation: SIMD8<Float>,
                                                    otherMove: SIMD8<Float>
                                                let first = Int(label[start])
                                                // All eight labels equal: compare them as four 64-bit words.
                                                let words = UnsafeRawPointer(label + start)
                                                let pair = UInt64(UInt32(bitPattern: label[start])) &* 0x1_0000_0001
                                                if words.load(as: UInt64.self) == pair
                                                    && words.load(fromByteOffset: 8, as: UInt64.self) == pair
                                                    && words.load(fromByteOffset: 16, as: UInt64.self) == pair
                                                    && words.load(fromByteOffset: 24, as: UInt64.self) == pair
                                                {
                                                    // Rows are stored along a space-filling curve, so most groups share one centre.
                                                    ownMove = SIMD8(repeating: move[first])
                                                    ownSeparation = SIMD8(repeating: half[first])
                                                    otherMove = SIMD8(
                                                        repeating: first == largest ? secondLargest : farthest)
                                                } else {
                                                    ownMove = SIMD8()
                                                    ownSeparation = SIMD8()
                                                    otherMove = SIMD8(repeating: farthest)
                                                    for lane in 0..<8 {
                                                        let c = Int(label[start &+ lane])
                                                        ownMove[lane] = move[c]
                                                        ownSeparation[lane] = half[c]
                                                        if c == largest { otherMove[lane] = secondLargest }
                                                    }
                                                }
                                                var groupUpper =
                                                    upperBase.load(fromByteOffset: start &* 4, as: SIMD8<Float>.self)
                                                    + ownMove
                                                let groupLower =
                                                    lowerBase.load(fromByteOffset: start &* 4, as: SIMD8<Float>.self)
                                                    - otherMove
                                                var bound = groupLower
                                                bound.replace(with: ownSeparation, where: ownSeparation .> groupLower)
                                                lowerBase.storeBytes(
                                                    of: groupLower, toByteOffset: start &* 4, as: SIMD8<Float>.self)
                                                if all(groupUpper * (1 + Self.safety) .<= bound) {
                                                    upperBase.storeBytes(
                                                        of: groupUpper, toByteOffset: start &* 4, as: SIMD8<Float>.self)
                                                    continue
                                                }
                                                // Tighten: the exact distance to each row's own centre.
                                                var squared = SIMD8<Float>()
                                                for feature in 0..<d {
                                                    var own = SIMD8<Float>()
                                                    for lane in 0..<8 {
                                                        own[lane] = centre[Int(label[start &+ lane]) &* d &+ feature]
                                                    }
                                                    let values = UnsafeRawPointer(
                                                        columns + (feature &* engine.paddedRows &+ start)
                                                    )
                                                    .loadUnaligned(as: SIMD8<Float>.self)
                                                    let difference = values - own
                                                    squared += difference * difference
                                                }
                                                groupUpper = squared.vectorSquareRoot
                                                upperBase.storeBytes(
                                                    of: groupUpper, toByteOffset: start &* 4, as: SIMD8<Float>.self)
                                                if all(groupUpper * (1 + Self.safety) .<= bound) { continue }
                                                let scan = engine.scanGroup(
                                                    start, centres: centres, clusters: k, columns: columns)
                                                upperBase.storeBytes(
                                                    of: scan.nearest, toByteOffset: start &* 4, as: SIMD8<Float>.self)
                                                lowerBase.storeBytes(
                                                    of: scan.second, toByteOffset: start &* 4, as: SIMD8<Float>.self)
                                                for lane in 0..<8 where start &+ lane < n {
                                                    let position = start &+ lane
                                                    let old = Int(label[position]), new = Int(scan.labels[lane])
                                                    guard old != new else { continue }
                                                    changed = true
                                                    label[position] = scan.labels[lane]
                                                    counts[old] -= 1
                                                    counts[new] += 1
                                                    for feature in 0..<d {
                                                        let value = Double(
                                                            columns[feature &* engine.paddedRows &+ position])
                                                        sums[old &* d &+ feature] -= value
                                                        sums[new &* d &+ feature] += value
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                // Update step: means of the assigned rows (empty clusters relocated as plain Lloyd does).
                var updated = (0..<(k * d)).map { index in Float(sums[index] / Double(max(1, counts[index / d]))) }
                if counts.contains(0) {
                    updated = engine.relocateEmpty(
                        labels: engine.originalOrder(labels), centres: centres,
                        sums: sums, counts: counts, clusters: k)
                }
                var shift = 0.0
                for c in 0..<k {
                    var squared = 0.0
                    for feature in 0..<d {
                        let difference = Double(updated[c * d + feature]) - Double(centres[c * d + feature])
                        squared += difference * difference
                    }
                    shift += squared
                    moved[c] = Float(squared.squareRoot())
                }
                centres = updated
                for c in 0..<k {
                    var nearest = Float.infinity
                    for other in 0..<k where other != c {
                        var squared: Float = 0
                        for feature in 0..<d {
                            let difference = centres[c * d + feature] - centres[other * d + feature]
                            squared += difference * difference
                        }
                        nearest = min(nearest, squared)
                    }
                    separation[c] = nearest.squareRoot() / 2
                }
                if iteration > 1 && !changed {
                    strict = true
                    break
                }
                if shift <= threshold { break }
            }
        }
        let finalLabels = engine.originalOrder(labels)
        let centroids = Matrix(rows: k, columns: d, values: centres)
        if strict {
            return Clustering(
                centroids: centroids, labels: finalLabels,
                inertia: engine.inertia(labels: finalLabels, centres: centres), iterations: iterations)
        }
        // Make the labels agree with the final centres.
        let final = engine.assign(to: centres, clusters: k, parallel: false)
        return Clustering(centroids: centroids, labels: final.labels, inertia: final.inertia, iterations: iterations)
    }
}
