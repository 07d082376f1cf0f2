import FERCore

/// Each row's exact nearest other rows by Euclidean distance: every pair is
/// compared, in matrix products over blocks of rows on both cores, keeping
/// the nearest in a bounded heap per row. The distances of the kept ones
/// are then computed again in double precision and sorted, ties by index.
package struct NearestNeighbours: Sendable, Equatable {
    /// Neighbours per row.
    package var count: Int
    /// Row by row, the indices of its neighbours, nearest first.
    package var indices: [Int32]
    /// Row by row, their squared distances.
    package var squaredDistances: [Double]

    /// Rows compared at once on each side.
    static let queryBlock = 256, referenceBlock = 2_048

    /// The `count` nearest other rows of each row of `x` (fewer rows than `count + 1` is a caller error).
    package static func of(_ x: Matrix, count k: Int) -> NearestNeighbours {
        let n = x.rows, d = x.columns
        precondition(k >= 1 && k < n, "neighbours must be fewer than the rows")
        let norms = (0..<n).map { row -> Float in
            var sum: Float = 0
            for c in 0..<d { sum += x.values[row * d + c] * x.values[row * d + c] }
            return sum
        }
        var indices = [Int32](repeating: 0, count: n * k)
        var distances = [Double](repeating: 0, count: n * k)
        let blocks = (n + queryBlock - 1) / queryBlock
        indices.withUnsafeMutableBufferPointer { indexBuffer in
            distances.withUnsafeMutableBufferPointer { distanceBuffer in
                let sharedIndices = SendablePointer(indexBuffer.baseAddress!)
                let sharedDistances = SendablePointer(distanceBuffer.baseAddress!)
                ParallelLoop.forEachChunk(count: blocks, chunks: blocks) { block, _ in
                    let rows = (block * queryBlock)..<min(n, (block + 1) * queryBlock)
                    let found = nearest(of: rows, in: x, norms: norms, count: k)
                    for (offset, row) in rows.enumerated() {
                        for slot in 0..<k {
                            sharedIndices.pointer[row * k + slot] = found.indices[offset * k + slot]
                            sharedDistances.pointer[row * k + slot] = found.distances[offset * k + slot]
                        }
                    }
                }
            }
        }
        return NearestNeighbours(count: k, indices: indices, squaredDistances: distances)
    }

    /// The neighbours of the rows `queries`, nearest first.
    private static func nearest(
        of queries: Range<Int>, in x: Matrix, norms: [Float], count k: Int
    ) -> (indices: [Int32], distances: [Double]) {
        let n = x.rows, d = x.columns, m = queries.count
        var heapDistances = [Float](repeating: .infinity, count: m * k)
        var heapIndices = [Int32](repeating: -1, count: m * k)
        var product = [Float](repeating: 0, count: m * referenceBlock)
        x.values.withUnsafeBufferPointer { values in
            let base = values.baseAddress!
            for start in stride(from: 0, to: n, by: referenceBlock) {
                let width = min(referenceBlock, n - start)
                product.withUnsafeMutableBufferPointer { c in
                    LinearAlgebra.gemm(
                        base + queries.lowerBound * d, transposeA: false, base + start * d, transposeB: true,
                        into: c.baseAddress!, m: m, n: width, k: d)
                }
                for query in 0..<m {
                    let row = queries.lowerBound + query, heap = query * k
                    for column in 0..<width where start + column != row {
                        let distance = norms[row] + norms[start + column] - 2 * product[query * width + column]
                        if distance < heapDistances[heap] {
                            siftDown(
                                distance: distance, index: Int32(start + column), distances: &heapDistances,
                                indices: &heapIndices, heap: heap, size: k)
                        }
                    }
                }
            }
        }
        var indices = [Int32](repeating: 0, count: m * k)
        var distances = [Double](repeating: 0, count: m * k)
        for query in 0..<m {
            let row = queries.lowerBound + query
            let found = (0..<k).map { slot -> (Double, Int32) in
                let other = Int(heapIndices[query * k + slot])
                var sum = 0.0
                for c in 0..<d {
                    let difference = Double(x.values[row * d + c]) - Double(x.values[other * d + c])
                    sum += difference * difference
                }
                return (sum, Int32(other))
            }.sorted { $0 < $1 }
            for (slot, neighbour) in found.enumerated() {
                distances[query * k + slot] = neighbour.0
                indices[query * k + slot] = neighbour.1
            }
        }
        return (indices, distances)
    }

    /// Replaces the largest of a max-heap's `size` entries (at `heap`) with `distance` and restores the heap.
    private static func siftDown(
        distance: Float, index: Int32, distances: inout [Float], indices: inout [Int32], heap: Int, size: Int
    ) {
        var position = 0
        while true {
            let left = 2 * position + 1
            guard left < size else { break }
            var larger = left
            if left + 1 < size, distances[heap + left + 1] > distances[heap + left] { larger = left + 1 }
            guard distances[heap + larger] > distance else { break }
            distances[heap + position] = distances[heap + larger]
            indices[heap + position] = indices[heap + larger]
            position = larger
        }
        distances[heap + position] = distance
        indices[heap + position] = index
    }
}
