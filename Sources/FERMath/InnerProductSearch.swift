import FERCore

/// Exact nearest neighbours by the largest inner product (for unit rows, the
/// largest cosine similarity): every query is compared with every reference,
/// in matrix products over blocks, so no neighbour is missed. References are
/// made a block at a time by the caller, so only a block of them is ever held
/// per core. Both cores work on fixed chunks of the references and their
/// results are merged in chunk order, so ties go to the lowest reference and
/// the result does not depend on the thread count.
package enum InnerProductSearch {
    /// References made and compared at once (rows of the product).
    static let block = 2_048

    /// The nearest reference of each query, and their inner product.
    package struct Nearest: Sendable, Equatable {
        /// Per query, the index of the reference with the largest inner product (the lowest on a tie).
        package var index: [Int]
        /// Per query, that inner product.
        package var similarity: [Float]
    }

    /// For each row of `queries`, the reference among `count` (all with `queries.columns` values) with the
    /// largest inner product; `references(range)` makes the rows `range` of them as a matrix.
    package static func nearest(
        queries: Matrix, count: Int, references: @Sendable (Range<Int>) -> Matrix
    ) -> Nearest {
        let m = queries.rows, k = queries.columns
        guard m > 0, count > 0 else {
            return Nearest(index: [Int](repeating: -1, count: m), similarity: [Float](repeating: -.infinity, count: m))
        }
        let blocks = (count + block - 1) / block
        let perChunk = ParallelLoop.mapChunks(count: blocks, chunks: min(blocks, 64)) { _, range -> Nearest in
            var best = Nearest(
                index: [Int](repeating: -1, count: m), similarity: [Float](repeating: -.infinity, count: m))
            var product = [Float](repeating: 0, count: min(m, block) * block)
            for blockIndex in range {
                let start = blockIndex * block, rows = start..<min(count, start + block)
                let made = references(rows)
                precondition(made.rows == rows.count && made.columns == k, "references must match the queries")
                for queryStart in stride(from: 0, to: m, by: block) {
                    let queryRows = min(block, m - queryStart)
                    queries.values.withUnsafeBufferPointer { q in
                        made.values.withUnsafeBufferPointer { r in
                            product.withUnsafeMutableBufferPointer { c in
                                LinearAlgebra.gemm(
                                    q.baseAddress! + queryStart * k, transposeA: false, r.baseAddress!,
                                    transposeB: true, into: c.baseAddress!, m: queryRows, n: rows.count, k: k)
                            }
                        }
                    }
                    product.withUnsafeBufferPointer { products in
                        for query in 0..<queryRows {
                            let row = products.baseAddress! + query * rows.count
                            // The block's largest product, when it beats the best so far: its first column is the
                            // one a scan keeping each strictly larger value would end on.
                            let largest = Self.largest(row, count: rows.count)
                            guard largest > best.similarity[queryStart + query] else { continue }
                            var column = 0
                            while row[column] != largest { column += 1 }
                            best.similarity[queryStart + query] = row[column]
                            best.index[queryStart + query] = start + column
                        }
                    }
                }
            }
            return best
        }
        var merged = perChunk[0]
        for chunk in perChunk.dropFirst() {
            for query in 0..<m where chunk.similarity[query] > merged.similarity[query] {
                merged.similarity[query] = chunk.similarity[query]
                merged.index[query] = chunk.index[query]
            }
        }
        return merged
    }

    /// The largest of `count` values at `values` (products of finite rows, so no NaN), eight lanes at a time.
    static func largest(_ values: UnsafePointer<Float>, count: Int) -> Float {
        let raw = UnsafeRawPointer(values)
        var lanes = (
            SIMD8<Float>(repeating: -.infinity), SIMD8<Float>(repeating: -.infinity),
            SIMD8<Float>(repeating: -.infinity), SIMD8<Float>(repeating: -.infinity)
        )
        var index = 0
        while index + 32 <= count {
            let a = raw.loadUnaligned(fromByteOffset: index &* 4, as: SIMD8<Float>.self)
            let b = raw.loadUnaligned(fromByteOffset: index &* 4 &+ 32, as: SIMD8<Float>.self)
            let c = raw.loadUnaligned(fromByteOffset: index &* 4 &+ 64, as: SIMD8<Float>.self)
            let d = raw.loadUnaligned(fromByteOffset: index &* 4 &+ 96, as: SIMD8<Float>.self)
            lanes.0.replace(with: a, where: a .> lanes.0)
            lanes.1.replace(with: b, where: b .> lanes.1)
            lanes.2.replace(with: c, where: c .> lanes.2)
            lanes.3.replace(with: d, where: d .> lanes.3)
            index &+= 32
        }
        lanes.0.replace(with: lanes.1, where: lanes.1 .> lanes.0)
        lanes.2.replace(with: lanes.3, where: lanes.3 .> lanes.2)
        lanes.0.replace(with: lanes.2, where: lanes.2 .> lanes.0)
        var result = lanes.0.max()
        while index < count {
            result = max(result, values[index])
            index &+= 1
        }
        return result
    }
}
