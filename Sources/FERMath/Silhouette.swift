import FERCore

/// The exact silhouette (Rousseeuw 1987) with Euclidean distances, over all
/// points, as scikit-learn's `silhouette_samples` and `silhouette_score`
/// without sampling.
///
/// For each point, `a` is its mean distance to the other members of its
/// cluster and `b` its mean distance to the members of the nearest other
/// cluster; its silhouette is `(b − a) / max(a, b)`, and 0 in a cluster of one.
///
/// It costs `n²` distances, so it is built for that, and for the grid search,
/// which scores many labelings of the same points: each distance is computed
/// once and added to the per-cluster sums of every labeling.
package enum Silhouette {
    /// The silhouette of every row of `x` under `labels` (codes `0..<clusters`).
    /// - Throws: `MathError.invalidParameters` unless at least two clusters are non-empty.
    package static func samples(_ x: Matrix, labels: [Int32], clusters: Int) throws -> [Double] {
        try samples(x, labelings: [Labeling(labels: labels, clusters: clusters)])[0]
    }

    /// The mean silhouette of all rows.
    package static func score(_ x: Matrix, labels: [Int32], clusters: Int) throws -> Double {
        try scores(x, labelings: [Labeling(labels: labels, clusters: clusters)])[0]
    }

    /// The mean silhouette of all rows under each labeling, sharing the distance computations.
    package static func scores(_ x: Matrix, labelings: [Labeling]) throws -> [Double] {
        try samples(x, labelings: labelings).map { $0.reduce(0, +) / Double(max(1, $0.count)) }
    }

    /// Per-row silhouettes under each labeling, sharing the distance computations.
    package static func samples(_ x: Matrix, labelings: [Labeling]) throws -> [[Double]] {
        for labeling in labelings {
            precondition(labeling.labels.count == x.rows, "one label per row")
            precondition(
                labeling.labels.allSatisfy { $0 >= 0 && Int($0) < labeling.clusters },
                "labels must be below the cluster count")
            guard labeling.sizes.filter({ $0 > 0 }).count >= 2 else {
                throw MathError.invalidParameters("the silhouette needs at least two non-empty clusters")
            }
        }
        let sums = ClusterDistanceSums(points: x, labelings: labelings)
        return labelings.enumerated().map { index, labeling in
            (0..<x.rows).map { row in labeling.silhouette(of: row, sums: sums.sums(labeling: index, row: row)) }
        }
    }

    /// Cluster labels of every row, with the number of clusters.
    package struct Labeling: Sendable {
        /// Cluster of each row, `0..<clusters`.
        package let labels: [Int32]
        /// Number of clusters (some may be empty).
        package let clusters: Int
        /// Members per cluster.
        let sizes: [Int]

        /// Wraps `labels` with codes below `clusters`.
        package init(labels: [Int32], clusters: Int) {
            self.labels = labels
            self.clusters = clusters
            var sizes = [Int](repeating: 0, count: clusters)
            for label in labels where label >= 0 && Int(label) < clusters { sizes[Int(label)] += 1 }
            self.sizes = sizes
        }

        /// The silhouette of `row` given its sums of distances to each cluster.
        func silhouette(of row: Int, sums: ArraySlice<Double>) -> Double {
            let own = Int(labels[row])
            guard sizes[own] > 1 else { return 0 }
            let a = sums[sums.startIndex + own] / Double(sizes[own] - 1)
            var b = Double.infinity
            for cluster in 0..<clusters where cluster != own && sizes[cluster] > 0 {
                b = min(b, sums[sums.startIndex + cluster] / Double(sizes[cluster]))
            }
            let denominator = max(a, b)
            return denominator > 0 ? (b - a) / denominator : 0
        }
    }
}

/// For every labeling, row and cluster: the sum of the distances from the row
/// to the cluster's members.
///
/// Rows are split into column blocks of 1,024 (the "j" points); each block
/// walks every point `i` once and computes the distances to its points with
/// SIMD. Points are visited grouped by their tuple of labels across all
/// labelings: a run of points with the same tuple adds into the same
/// per-cluster sums, so its distances are summed once into a scratch row, and
/// only at the end of the run added to one sum per labeling. (For a single
/// labeling the runs are the clusters.) With few features each distance is
/// summed from coordinate differences; with more than `productThreshold`,
/// 64 points at a time go through one BLAS product (`‖x‖² + ‖y‖² − 2 x·y`,
/// as scikit-learn computes Euclidean distances, each point's distance to
/// itself set to 0). Blocks write disjoint outputs, so no
/// reduction depends on the thread count; float sums move into `Double`
/// every 256 points.
private struct ClusterDistanceSums {
    private let storage: [Double]
    private let offsets: [Int]
    private let clusterCounts: [Int]

    static let blockWidth = 1_024
    static let flushEvery = 256
    /// Feature counts above this use products for the distances.
    static let productThreshold = 16
    /// Points per product.
    static let productRows = 64

    init(points x: Matrix, labelings: [Silhouette.Labeling]) {
        let n = x.rows, d = x.columns
        let padded = (n + 7) / 8 * 8
        // Visit order: points sorted by their label tuple (then by row), so equal tuples form runs.
        let order = (0..<n).sorted { left, right in
            for labeling in labelings where labeling.labels[left] != labeling.labels[right] {
                return labeling.labels[left] < labeling.labels[right]
            }
            return left < right
        }
        var runs: [Range<Int>] = []
        var runStart = 0
        for position in 1...n
        where position == n
            || labelings.contains(where: { $0.labels[order[position]] != $0.labels[order[runStart]] })
        {
            runs.append(runStart..<position)
            runStart = position
        }
        // One array per coordinate, padded to whole SIMD vectors (padding is never read back).
        var columns = [Float](repeating: 0, count: d * padded)
        for row in 0..<n { for feature in 0..<d { columns[feature * padded + row] = x[row, feature] } }
        var visit = [Float](repeating: 0, count: d * n)
        for (position, row) in order.enumerated() {
            for feature in 0..<d { visit[position * d + feature] = x[row, feature] }
        }
        let clusterCounts = labelings.map(\.clusters)
        var offsets: [Int] = []
        var running = 0
        for count in clusterCounts {
            offsets.append(running)
            running += count
        }
        let totalClusters = running
        // The sum slot of each run in each labeling.
        let runSlots: [Int] = runs.flatMap { run in
            labelings.enumerated().map { index, labeling in offsets[index] + Int(labeling.labels[order[run.lowerBound]])
            }
        }
        let blocks = (padded + Self.blockWidth - 1) / Self.blockWidth
        let coordinates = columns, visitOrder = visit, runList = runs, slotsOfRuns = runSlots
        let labelingCount = labelings.count
        let products =
            d > Self.productThreshold
            ? Products(columns: columns, padded: padded, visit: visit, order: order, dimensions: d) : nil
        let parts = ParallelLoop.mapChunks(count: blocks, chunks: blocks) { block, _ in
            let start = block * Self.blockWidth
            let width = min(Self.blockWidth, padded - start)
            return Self.sumBlock(
                columns: coordinates, padded: padded, dimensions: d, visit: visitOrder,
                runs: runList, runSlots: slotsOfRuns, labelings: labelingCount,
                start: start, width: width, totalClusters: totalClusters, products: products)
        }
        // Row-major result: storage[row * totalClusters + offset + cluster].
        var storage = [Double](repeating: 0, count: n * totalClusters)
        for (block, part) in parts.enumerated() {
            let start = block * Self.blockWidth
            let width = min(Self.blockWidth, padded - start)
            for slot in 0..<totalClusters {
                for j in 0..<width where start + j < n {
                    storage[(start + j) * totalClusters + slot] = part[slot * width + j]
                }
            }
        }
        self.storage = storage
        self.offsets = offsets
        self.clusterCounts = clusterCounts
    }

    /// The per-cluster distance sums of `row` under labeling `labeling`.
    func sums(labeling: Int, row: Int) -> ArraySlice<Double> {
        let total = clusterCounts.reduce(0, +)
        let start = row * total + offsets[labeling]
        return storage[start..<(start + clusterCounts[labeling])]
    }

    /// Sums for the points `start..<start + width`, laid out `[slot][j]`.
    private static func sumBlock(
        columns: [Float], padded: Int, dimensions d: Int, visit: [Float], runs: [Range<Int>],
        runSlots: [Int], labelings: Int, start: Int, width: Int,
        totalClusters: Int, products: Products?
    ) -> [Double] {
        var totals = [Double](repeating: 0, count: totalClusters * width)
        let block = products?.block(start: start, width: width)
        var dots = [Float](repeating: 0, count: products == nil ? 0 : Self.productRows * width)
        var partial = [Float](repeating: 0, count: totalClusters * width)
        var runSum = [Float](repeating: 0, count: width)
        var dirty = [Bool](repeating: false, count: totalClusters)
        let vectors = width / 8
        columns.withUnsafeBufferPointer { coordinates in
            visit.withUnsafeBufferPointer { visitBuffer in
                partial.withUnsafeMutableBufferPointer { partialSums in
                    runSum.withUnsafeMutableBufferPointer { scratch in
                        let base = coordinates.baseAddress!
                        let out = UnsafeMutableRawPointer(scratch.baseAddress!)
                        var pending = 0
                        for (runIndex, run) in runs.enumerated() {
                            scratch.update(repeating: 0)
                            var position = run.lowerBound
                            while position < run.upperBound {
                                // Never past the next flush, so the float sums stay as short as point by point.
                                let count = min(
                                    run.upperBound - position, flushEvery - pending,
                                    products == nil ? 1 : Self.productRows)
                                if let products, let block {
                                    products.addDistances(
                                        of: position..<(position + count), to: block, dots: &dots, out)
                                } else {
                                    let point = visitBuffer.baseAddress! + position * d
                                    // A constant dimension count lets the compiler unroll the feature loop
                                    // and keep the square root vectorised (with a runtime count it falls
                                    // back to scalar calls).
                                    switch d {
                                    case 1: Self.addDistances(from: point, base, padded, 1, start, vectors, out)
                                    case 2: Self.addDistances(from: point, base, padded, 2, start, vectors, out)
                                    case 3: Self.addDistances(from: point, base, padded, 3, start, vectors, out)
                                    case 4: Self.addDistances(from: point, base, padded, 4, start, vectors, out)
                                    case 5: Self.addDistances(from: point, base, padded, 5, start, vectors, out)
                                    case 6: Self.addDistances(from: point, base, padded, 6, start, vectors, out)
                                    case 7: Self.addDistances(from: point, base, padded, 7, start, vectors, out)
                                    case 8: Self.addDistances(from: point, base, padded, 8, start, vectors, out)
                                    default: Self.addDistances(from: point, base, padded, d, start, vectors, out)
                                    }
                                }
                                position += count
                                pending += count
                                if pending == flushEvery {
                                    // Keep float partial sums short: move the run's sum so far out,
                                    // then the touched slots into the Double totals.
                                    Self.addRun(
                                        out, to: partialSums.baseAddress!, slots: runSlots, run: runIndex,
                                        labelings: labelings, width: width, dirty: &dirty)
                                    scratch.update(repeating: 0)
                                    Self.flush(partialSums, into: &totals, dirty: &dirty, width: width)
                                    pending = 0
                                }
                            }
                            Self.addRun(
                                out, to: partialSums.baseAddress!, slots: runSlots, run: runIndex,
                                labelings: labelings, width: width, dirty: &dirty)
                        }
                        Self.flush(partialSums, into: &totals, dirty: &dirty, width: width)
                    }
                }
            }
        }
        return totals
    }

    /// Moves the slots touched since the last flush from `partial` into `totals`.
    private static func flush(
        _ partial: UnsafeMutableBufferPointer<Float>, into totals: inout [Double],
        dirty: inout [Bool], width: Int
    ) {
        totals.withUnsafeMutableBufferPointer { total in
            let source = UnsafeMutableRawPointer(partial.baseAddress!)
            let target = UnsafeMutableRawPointer(total.baseAddress!)
            for slot in dirty.indices where dirty[slot] {
                for index in stride(from: slot * width, to: (slot + 1) * width, by: 4) {
                    let values = SIMD4<Double>(source.load(fromByteOffset: index * 4, as: SIMD4<Float>.self))
                    let sum = target.load(fromByteOffset: index * 8, as: SIMD4<Double>.self) + values
                    target.storeBytes(of: sum, toByteOffset: index * 8, as: SIMD4<Double>.self)
                    source.storeBytes(of: SIMD4<Float>(), toByteOffset: index * 4, as: SIMD4<Float>.self)
                }
                dirty[slot] = false
            }
        }
    }

    /// Adds a run's distance sums to its cluster's sums in every labeling.
    @inline(__always)
    private static func addRun(
        _ runSum: UnsafeMutableRawPointer, to partial: UnsafeMutablePointer<Float>, slots: [Int],
        run: Int, labelings: Int, width: Int, dirty: inout [Bool]
    ) {
        for labeling in 0..<labelings {
            let slot = slots[run * labelings + labeling]
            dirty[slot] = true
            let target = UnsafeMutableRawPointer(partial + slot * width)
            for vector in 0..<(width / 8) {
                let offset = vector * 32
                let sum =
                    target.load(fromByteOffset: offset, as: SIMD8<Float>.self)
                    + runSum.load(fromByteOffset: offset, as: SIMD8<Float>.self)
                target.storeBytes(of: sum, toByteOffset: offset, as: SIMD8<Float>.self)
            }
        }
    }

    /// Adds the distances from `point` to the `vectors * 8` points from `start` into `out`.
    @inline(__always)
    private static func addDistances(
        from point: UnsafePointer<Float>, _ base: UnsafePointer<Float>, _ padded: Int,
        _ d: Int, _ start: Int, _ vectors: Int, _ out: UnsafeMutableRawPointer
    ) {
        for vector in 0..<vectors {
            var squared = SIMD8<Float>()
            for feature in 0..<d {
                let values = UnsafeRawPointer(base + (feature * padded + start + vector * 8)).loadUnaligned(
                    as: SIMD8<Float>.self)
                let difference = values - SIMD8(repeating: point[feature])
                squared += difference * difference
            }
            let offset = vector * 32
            out.storeBytes(
                of: out.load(fromByteOffset: offset, as: SIMD8<Float>.self) + squared.vectorSquareRoot,
                toByteOffset: offset, as: SIMD8<Float>.self)
        }
    }

    /// What the product form needs: the points in visit order with their
    /// squared norms, and each point's row, to set its distance to itself to 0.
    private struct Products: Sendable {
        let columns: [Float], padded: Int, visit: [Float], order: [Int], dimensions: Int
        let visitNorms: [Float]

        init(columns: [Float], padded: Int, visit: [Float], order: [Int], dimensions d: Int) {
            (self.columns, self.padded, self.visit, self.order, self.dimensions) = (columns, padded, visit, order, d)
            visitNorms = (0..<order.count).map { position in
                var sum: Float = 0
                for feature in 0..<d { sum += visit[position * d + feature] * visit[position * d + feature] }
                return sum
            }
        }

        /// The `j` points of one block: their coordinates as a contiguous `d x width` matrix, and their squared norms.
        struct Block { let coordinates: [Float], norms: [Float], start: Int, width: Int }

        func block(start: Int, width: Int) -> Block {
            var coordinates = [Float](repeating: 0, count: dimensions * width)
            var norms = [Float](repeating: 0, count: width)
            for feature in 0..<dimensions {
                for j in 0..<width {
                    let value = columns[feature * padded + start + j]
                    coordinates[feature * width + j] = value
                    norms[j] += value * value
                }
            }
            return Block(coordinates: coordinates, norms: norms, start: start, width: width)
        }

        /// Adds the distances from the points at `positions` to the block's points into `out`.
        func addDistances(
            of positions: Range<Int>, to block: Block, dots: inout [Float], _ out: UnsafeMutableRawPointer
        ) {
            let d = dimensions, width = block.width
            visit.withUnsafeBufferPointer { points in
                block.coordinates.withUnsafeBufferPointer { coordinates in
                    dots.withUnsafeMutableBufferPointer { product in
                        LinearAlgebra.gemm(
                            points.baseAddress! + positions.lowerBound * d, transposeA: false,
                            coordinates.baseAddress!, transposeB: false, into: product.baseAddress!,
                            m: positions.count, n: width, k: d)
                    }
                }
            }
            dots.withUnsafeBufferPointer { product in
                block.norms.withUnsafeBufferPointer { norms in
                    let columnNorms = UnsafeRawPointer(norms.baseAddress!)
                    for (index, position) in positions.enumerated() {
                        let own = SIMD8<Float>(repeating: visitNorms[position])
                        let row = UnsafeRawPointer(product.baseAddress! + index * width)
                        let itself = order[position] - block.start
                        for vector in 0..<(width / 8) {
                            let offset = vector * 32
                            var squared =
                                own + columnNorms.load(fromByteOffset: offset, as: SIMD8<Float>.self)
                                - 2 * row.load(fromByteOffset: offset, as: SIMD8<Float>.self)
                            squared.replace(with: 0, where: squared .< 0)
                            var distance = squared.vectorSquareRoot
                            if itself >= vector * 8 && itself < vector * 8 + 8 { distance[itself - vector * 8] = 0 }
                            out.storeBytes(
                                of: out.load(fromByteOffset: offset, as: SIMD8<Float>.self) + distance,
                                toByteOffset: offset, as: SIMD8<Float>.self)
                        }
                    }
                }
            }
        }
    }
}
