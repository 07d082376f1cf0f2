import FERCore

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
    /// The share of tightenings that must succeed for the next iteration to tighten (see `TighteningPolicy`):
    /// `nil` for the cost model's, 0 to always tighten, infinity to never.
    var tighteningBreakEven: Double? = nil
    /// Whether each pass splits its groups across cores (the refinement of the best restart over every row):
    /// the groups' changes of cluster are then applied to the sums in group order afterwards, so the sums, and
    /// the clustering, are the ones one core reaches.
    var rowsOnAllCores = false

    /// Relative margin by which a bound must hold before a group is skipped.
    fileprivate static let safety: Float = 1e-5

    /// Runs from `start`: the clustering plain Lloyd iterations reach from it (see `KMeansEngine.lloyd` for the
    /// stopping rules).
    func run(from start: [Float], clusters k: Int, maxIterations: Int, threshold: Double) -> Clustering {
        let state = HamerlyState(engine: engine, centres: start, clusters: k, tighteningBreakEven: tighteningBreakEven)
        var strict = false
        var iterations = 0
        engine.withColumns { columns in
            if rowsOnAllCores {
                state.assignEveryRowOnAllCores(columns: columns)
            } else {
                state.assignEveryRow(columns: columns)
            }
            for iteration in 1...maxIterations {
                let changed =
                    iteration > 1
                    && (rowsOnAllCores
                        ? state.reassignOnAllCores(columns: columns) : state.reassign(columns: columns))
                iterations = iteration
                let shift = state.moveCentres()
                if iteration > 1 && !changed {
                    strict = true
                    break
                }
                if shift <= threshold { break }
            }
        }
        return finish(state, clusters: k, strict: strict, iterations: iterations)
    }

    /// The clustering a finished run reached.
    private func finish(_ state: HamerlyState, clusters k: Int, strict: Bool, iterations: Int) -> Clustering {
        let finalLabels = engine.originalOrder(Array(state.labels))
        let centroids = Matrix(rows: k, columns: engine.columns, values: state.centres)
        if strict {
            return Clustering(
                centroids: centroids, labels: finalLabels,
                inertia: engine.inertia(labels: finalLabels, centres: state.centres), iterations: iterations)
        }
        // Make the labels agree with the final centres.
        let final = engine.nearest(to: state.centres, clusters: k, parallel: rowsOnAllCores)
        return Clustering(centroids: centroids, labels: final.labels, inertia: final.inertia, iterations: iterations)
    }
}

/// Whether to tighten a group's bounds before scanning it. Tightening costs a pass over one centre and spares
/// the scan of every centre only when it proves the group's assignment, which in many dimensions it seldom
/// does. Each iteration counts how often it did (or, when off, would have: the scan found the same labels
/// within the bound) and the next iteration tightens only if that rate beats the cost of a tightening
/// relative to a scan. Both ways give Lloyd's assignment, so the choice changes the time only.
struct TighteningPolicy {
    /// The share of tightenings that must succeed for tightening to pay.
    let breakEven: Double
    var enabled = true
    var attempts = 0, successes = 0

    init(features d: Int, clusters k: Int, breakEven: Double? = nil) {
        // Operations per group: a tightening gathers each row's centre coordinate; a scan runs four centres
        // at a time and compares each.
        let tightening = Double(19 * d + 10), scan = Double((k + 3) / 4 * (17 * d + 24))
        self.breakEven = breakEven ?? tightening / scan
    }

    mutating func decide() {
        if attempts > 0 { enabled = Double(successes) >= breakEven * Double(attempts) }
        attempts = 0
        successes = 0
    }
}

/// One run's centres, per-row labels and bounds, and per-cluster sums,
/// counts, movements and separations, in buffers that live as long as the run.
private final class HamerlyState {
    let engine: KMeansEngine
    let k: Int, d: Int, n: Int, groups: Int
    /// Centres, row-major `k x d`.
    var centres: [Float]
    let labels: UnsafeMutableBufferPointer<Int32>
    /// Upper bound on each row's distance to its centre.
    let upper: UnsafeMutableBufferPointer<Float>
    /// Lower bound on each row's distance to any other centre.
    let lower: UnsafeMutableBufferPointer<Float>
    let sums: UnsafeMutableBufferPointer<Double>
    let counts: UnsafeMutableBufferPointer<Int>
    /// How far each centre moved in the last update.
    let moved: UnsafeMutableBufferPointer<Float>
    /// Half the distance from each centre to its nearest other centre.
    let separation: UnsafeMutableBufferPointer<Float>
    /// Whether groups whose moved bounds fail are first tightened with their own centres' distances.
    var tightenings: TighteningPolicy

    init(engine: KMeansEngine, centres: [Float], clusters k: Int, tighteningBreakEven: Double?) {
        self.engine = engine
        self.k = k
        d = engine.columns
        n = engine.rows
        groups = engine.paddedRows / 8
        self.centres = centres
        func buffer<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
            buffer.initialize(repeating: value)
            return buffer
        }
        labels = buffer(engine.paddedRows, 0)
        upper = buffer(engine.paddedRows, -1)
        lower = buffer(engine.paddedRows, .infinity)
        sums = buffer(k * engine.columns, 0)
        counts = buffer(k, 0)
        moved = buffer(k, 0)
        separation = buffer(k, 0)
        tightenings = TighteningPolicy(features: d, clusters: k, breakEven: tighteningBreakEven)
    }

    deinit {
        for buffer in [upper, lower, moved, separation] { buffer.deallocate() }
        labels.deallocate()
        sums.deallocate()
        counts.deallocate()
    }

    /// The first assignment: every group scanned, sums built from scratch.
    func assignEveryRow(columns: UnsafePointer<Float>) {
        scan(0..<groups, columns: columns)
        addEveryRowToItsSums(columns: columns)
    }

    /// `assignEveryRow` with the groups scanned on all cores; the sums are added up in row order after.
    func assignEveryRowOnAllCores(columns: UnsafePointer<Float>) {
        let shared = SharedState(state: self), data = SendableConstPointer(columns)
        ParallelLoop.forEachChunk(count: groups, chunks: Self.chunks(of: groups)) { _, range in
            shared.state.scan(range, columns: data.pointer)
        }
        addEveryRowToItsSums(columns: columns)
    }

    /// Each row of the groups `range`: its nearest centre and its bounds.
    private func scan(_ range: Range<Int>, columns: UnsafePointer<Float>) {
        for group in range {
            let scan = engine.scanGroup(group * 8, centres: centres, clusters: k, columns: columns)
            for lane in 0..<8 where group * 8 + lane < n {
                let position = group * 8 + lane
                labels[position] = scan.labels[lane]
                upper[position] = scan.nearest[lane]
                lower[position] = scan.second[lane]
            }
        }
    }

    /// Every row added to its cluster's count and sums, in row order.
    private func addEveryRowToItsSums(columns: UnsafePointer<Float>) {
        for position in 0..<n {
            let c = Int(labels[position])
            counts[c] += 1
            for feature in 0..<d {
                sums[c * d + feature] += Double(columns[engine.storedIndex(feature: feature, position: position)])
            }
        }
    }

    /// Chunks of a pass over `groups` groups split across cores: a number fixed by the problem size.
    private static func chunks(of groups: Int) -> Int { max(1, min(64, groups / 512)) }

    /// Moves the bounds by how far the centres moved, then rescans the groups whose bounds no longer prove
    /// their assignment; whether any row changed cluster.
    func reassign(columns: UnsafePointer<Float>) -> Bool {
        let movement = movement()
        var changed = false
        var sink = ImmediateChanges(state: self)
        for group in 0..<groups where reassignGroup(group &* 8, movement: movement, columns: columns, into: &sink) {
            changed = true
        }
        tightenings.decide()
        return changed
    }

    /// `reassign` with the groups split across cores: each chunk records its rows' changes of cluster, which
    /// are then applied to the counts and sums in group order, as `reassign` applies them.
    func reassignOnAllCores(columns: UnsafePointer<Float>) -> Bool {
        let movement = movement()
        let shared = SharedState(state: self), data = SendableConstPointer(columns)
        let chunks = ParallelLoop.mapChunks(count: groups, chunks: Self.chunks(of: groups)) { _, range in
            var sink = RecordedChanges()
            for group in range {
                _ = shared.state.reassignGroup(group &* 8, movement: movement, columns: data.pointer, into: &sink)
            }
            return sink
        }
        var changed = false
        for chunk in chunks {
            tightenings.attempts &+= chunk.attempts
            tightenings.successes &+= chunk.successes
            for move in chunk.moves {
                changeCluster(of: move.position, from: move.old, to: move.new, columns: columns)
                changed = true
            }
        }
        tightenings.decide()
        return changed
    }

    /// Moves the row at `position` from cluster `old` to `new` in the counts and sums.
    @inline(__always)
    func changeCluster(of position: Int, from old: Int, to new: Int, columns: UnsafePointer<Float>) {
        counts[old] -= 1
        counts[new] += 1
        for feature in 0..<d {
            let value = Double(columns[engine.storedIndex(feature: feature, position: position)])
            sums[old &* d &+ feature] -= value
            sums[new &* d &+ feature] += value
        }
    }

    /// How far the centres moved in the last update: the largest movement, which centre made it, and the
    /// largest of the others, by which every group's bounds move before `reassignGroup` checks them.
    func movement() -> Movement {
        var largest = 0
        for c in 1..<max(1, k) where moved[c] > moved[largest] { largest = c }
        var secondLargest: Float = 0
        for c in 0..<k where c != largest { secondLargest = max(secondLargest, moved[c]) }
        return Movement(largest: largest, farthest: moved[largest], secondLargest: secondLargest)
    }

    /// The largest centre movement, which centre made it, and the largest of the others.
    struct Movement {
        let largest: Int
        let farthest: Float
        let secondLargest: Float
    }

    /// The bounds of the group starting at row `start`, moved; the group rescanned when they do not prove its
    /// assignment. Whether a row of it changed cluster.
    @inline(__always)
    func reassignGroup<Changes: GroupChanges>(
        _ start: Int, movement: Movement, columns: UnsafePointer<Float>, into changes: inout Changes
    ) -> Bool {
        let label = labels.baseAddress!
        let (ownMove, ownSeparation, otherMove) = groupMovement(start, movement)
        let upperBase = UnsafeMutableRawPointer(upper.baseAddress!)
        let lowerBase = UnsafeMutableRawPointer(lower.baseAddress!)
        var groupUpper = upperBase.load(fromByteOffset: start &* 4, as: SIMD8<Float>.self) + ownMove
        let groupLower = lowerBase.load(fromByteOffset: start &* 4, as: SIMD8<Float>.self) - otherMove
        var bound = groupLower
        bound.replace(with: ownSeparation, where: ownSeparation .> groupLower)
        lowerBase.storeBytes(of: groupLower, toByteOffset: start &* 4, as: SIMD8<Float>.self)
        if all(groupUpper * (1 + HamerlyLloyd.safety) .<= bound) {
            upperBase.storeBytes(of: groupUpper, toByteOffset: start &* 4, as: SIMD8<Float>.self)
            return false
        }
        changes.attempted()
        if tightenings.enabled {
            // Tighten: the exact distance to each row's own centre.
            groupUpper = ownDistances(start, columns: columns)
            upperBase.storeBytes(of: groupUpper, toByteOffset: start &* 4, as: SIMD8<Float>.self)
            if all(groupUpper * (1 + HamerlyLloyd.safety) .<= bound) {
                changes.succeeded()
                return false
            }
        }
        let scan = engine.scanGroup(start, centres: centres, clusters: k, columns: columns)
        if !tightenings.enabled && scan.labels == UnsafeRawPointer(label + start).loadUnaligned(as: SIMD8<Int32>.self)
            && all(scan.nearest * (1 + HamerlyLloyd.safety) .<= bound)
        {
            changes.succeeded()
        }
        upperBase.storeBytes(of: scan.nearest, toByteOffset: start &* 4, as: SIMD8<Float>.self)
        lowerBase.storeBytes(of: scan.second, toByteOffset: start &* 4, as: SIMD8<Float>.self)
        var changed = false
        for lane in 0..<8 where start &+ lane < n {
            let position = start &+ lane
            let old = Int(label[position]), new = Int(scan.labels[lane])
            guard old != new else { continue }
            changed = true
            label[position] = scan.labels[lane]
            changes.move(position, from: old, to: new, columns: columns)
        }
        return changed
    }

    /// For each row of the group at `start`: how far its own centre moved, half its centre's separation, and
    /// how far the farthest other centre moved.
    @inline(__always)
    private func groupMovement(
        _ start: Int, _ movement: Movement
    ) -> (own: SIMD8<Float>, separation: SIMD8<Float>, other: SIMD8<Float>) {
        let label = labels.baseAddress!
        let first = Int(label[start])
        // All eight labels equal: compare them as four 64-bit words.
        let words = UnsafeRawPointer(label + start)
        let pair = UInt64(UInt32(bitPattern: label[start])) &* 0x1_0000_0001
        if words.load(as: UInt64.self) == pair && words.load(fromByteOffset: 8, as: UInt64.self) == pair
            && words.load(fromByteOffset: 16, as: UInt64.self) == pair
            && words.load(fromByteOffset: 24, as: UInt64.self) == pair
        {
            // Rows are stored along a space-filling curve, so most groups share one centre.
            return (
                SIMD8(repeating: moved[first]), SIMD8(repeating: separation[first]),
                SIMD8(repeating: first == movement.largest ? movement.secondLargest : movement.farthest)
            )
        }
        var own = SIMD8<Float>(), half = SIMD8<Float>(), other = SIMD8<Float>(repeating: movement.farthest)
        for lane in 0..<8 {
            let c = Int(label[start &+ lane])
            own[lane] = moved[c]
            half[lane] = separation[c]
            if c == movement.largest { other[lane] = movement.secondLargest }
        }
        return (own, half, other)
    }

    /// The exact distance of each row of the group at `start` to its own centre.
    private func ownDistances(_ start: Int, columns: UnsafePointer<Float>) -> SIMD8<Float> {
        let label = labels.baseAddress!
        var squared = SIMD8<Float>()
        centres.withUnsafeBufferPointer { centreBuffer in
            let centre = centreBuffer.baseAddress!
            for feature in 0..<d {
                var own = SIMD8<Float>()
                for lane in 0..<8 { own[lane] = centre[Int(label[start &+ lane]) &* d &+ feature] }
                let values = UnsafeRawPointer(columns + engine.storedIndex(feature: feature, position: start))
                    .loadUnaligned(as: SIMD8<Float>.self)
                let difference = values - own
                squared += difference * difference
            }
        }
        return squared.vectorSquareRoot
    }

    /// The update step: each centre the mean of its rows (empty clusters relocated as plain Lloyd does), how
    /// far each moved and its separation from the others. Returns the total squared movement.
    func moveCentres() -> Double {
        var updated = (0..<(k * d)).map { index in Float(sums[index] / Double(max(1, counts[index / d]))) }
        if counts.contains(0) {
            updated = engine.relocateEmpty(
                labels: engine.originalOrder(Array(labels)), centres: centres,
                sums: Array(sums), counts: Array(counts), clusters: k)
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
        return shift
    }
}

/// Where a pass over a run's groups puts what it finds: each tightening tried and each that proved its
/// group, and each row's change of cluster.
private protocol GroupChanges {
    mutating func attempted()
    mutating func succeeded()
    mutating func move(_ position: Int, from old: Int, to new: Int, columns: UnsafePointer<Float>)
}

/// Applies what a pass finds to its run at once, group after group.
private struct ImmediateChanges: GroupChanges {
    let state: HamerlyState

    @inline(__always) func attempted() { state.tightenings.attempts &+= 1 }
    @inline(__always) func succeeded() { state.tightenings.successes &+= 1 }
    @inline(__always) func move(_ position: Int, from old: Int, to new: Int, columns: UnsafePointer<Float>) {
        state.changeCluster(of: position, from: old, to: new, columns: columns)
    }
}

/// Keeps what a chunk of a pass finds, to be applied in group order once every chunk is done.
private struct RecordedChanges: GroupChanges {
    var attempts = 0, successes = 0
    var moves: [(position: Int, old: Int, new: Int)] = []

    mutating func attempted() { attempts &+= 1 }
    mutating func succeeded() { successes &+= 1 }
    mutating func move(_ position: Int, from old: Int, to new: Int, columns: UnsafePointer<Float>) {
        moves.append((position, old, new))
    }
}

/// A run's state handed to the chunks of a pass, which touch disjoint groups' labels and bounds and only read
/// the rest.
private struct SharedState: @unchecked Sendable {
    let state: HamerlyState
}
