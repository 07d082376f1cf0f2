import FERCore

/// Randomized truncated SVD by subspace iteration (Halko, Martinsson and
/// Tropp 2011, algorithms 4.4 and 5.1), the method behind scikit-learn's
/// `randomized` PCA and `TruncatedSVD`.
///
/// Each pass multiplies by `XᵀX` in one sweep over the data: a block of rows
/// `B` gives `B·V`, then `Bᵀ(B·V)` while `B` is still in cache. Centring is
/// implicit (`(X − 1μᵀ)V = XV − 1(μᵀV)`), so the data is never copied. The
/// big products run in `Float` through BLAS on row chunks, one chunk per
/// task; the small factorisations run in `Double`. Chunk results are added in
/// chunk order, so the result does not depend on the thread count.
enum RandomizedSVD {
    /// Rows per chunk of a pass (each chunk is one task and one BLAS call pair per block).
    static let chunkRows = 2_048
    /// Rows per block inside a chunk, small enough to stay in cache between the two products.
    static let blockRows = 128

    /// The top `rank` singular values and right singular vectors (rows of
    /// `vt`, `rank x d`) of `X − 1μᵀ` (`mean` empty: no centring).
    static func decompose(
        _ x: Matrix, mean: [Double], rank: Int, oversamples: Int, powerIterations: Int,
        seed: UInt64
    ) throws -> (s: [Double], vt: [Double]) {
        try decompose(
            columns: x.columns, rows: x.rows, rank: rank, oversamples: oversamples,
            powerIterations: powerIterations, seed: seed
        ) { v, width in
            normalProduct(x, mean: mean, v: v, width: width)
        }
    }

    /// The same for the rows a scatter matrix describes, centred on their mean or not.
    static func decompose(
        _ scatter: ScatterMatrix, centred: Bool, rank: Int, oversamples: Int, powerIterations: Int,
        seed: UInt64
    ) throws -> (s: [Double], vt: [Double]) {
        try decompose(
            columns: scatter.columns, rows: scatter.rows, rank: rank, oversamples: oversamples,
            powerIterations: powerIterations, seed: seed
        ) { v, width in
            scatter.normalProduct(v, width: width, centred: centred)
        }
    }

    /// Subspace iteration on `MᵀM`, given as `product(V, width) = MᵀM V` for an `n x d` matrix `M`.
    private static func decompose(
        columns d: Int, rows n: Int, rank: Int, oversamples: Int, powerIterations: Int,
        seed: UInt64, product: ([Double], Int) -> [Double]
    ) throws -> (s: [Double], vt: [Double]) {
        let width = min(rank + oversamples, min(n, d))
        var random = SeededGenerator(seed: seed)
        var v = (0..<(d * width)).map { _ in random.normal() }
        try LinearAlgebra.orthonormalize(&v, rows: d, columns: width)
        for _ in 0..<powerIterations {
            v = product(v, width)
            try LinearAlgebra.orthonormalize(&v, rows: d, columns: width)
        }
        // Rayleigh–Ritz: eigenvectors of Vᵀ(XᵀX)V rotate V onto the singular directions.
        let w = product(v, width)
        var g = [Double](repeating: 0, count: width * width)
        v.withUnsafeBufferPointer { vb in
            w.withUnsafeBufferPointer { wb in
                g.withUnsafeMutableBufferPointer { out in
                    LinearAlgebra.gemm(
                        vb.baseAddress!, transposeA: true, wb.baseAddress!, transposeB: false,
                        into: out.baseAddress!, m: width, n: width, k: d)
                }
            }
        }
        for i in 0..<width {
            for j in 0..<i {
                g[i * width + j] = (g[i * width + j] + g[j * width + i]) / 2; g[j * width + i] = g[i * width + j]
            }
        }
        let (values, rotations) = try LinearAlgebra.symmetricEigen(g, size: width)
        var vt = [Double](repeating: 0, count: rank * d)
        for component in 0..<rank {
            for feature in 0..<d {
                var sum = 0.0
                for inner in 0..<width { sum += v[feature * width + inner] * rotations[component * width + inner] }
                vt[component * d + feature] = sum
            }
        }
        return (values.prefix(rank).map { max(0, $0).squareRoot() }, vt)
    }

    /// `(X − 1μᵀ)ᵀ(X − 1μᵀ) V` for `V` (`d x width`, row-major, `Double`).
    static func normalProduct(_ x: Matrix, mean: [Double], v: [Double], width: Int) -> [Double] {
        let n = x.rows, d = x.columns
        let vFloat = v.map(Float.init)
        // μᵀV, subtracted from every row of XV.
        let shift: [Float] = (0..<width).map { inner in
            var sum = 0.0
            for feature in 0..<mean.count { sum += mean[feature] * v[feature * width + inner] }
            return Float(sum)
        }
        let chunks = max(1, (n + chunkRows - 1) / chunkRows)
        let parts = ParallelLoop.mapChunks(count: n, chunks: chunks) { _, rows in
            chunkProduct(x, rows: rows, v: vFloat, shift: shift, width: width)
        }
        var w = [Double](repeating: 0, count: d * width)
        var columnSums = [Double](repeating: 0, count: width)
        for part in parts {
            for index in 0..<(d * width) { w[index] += Double(part.w[index]) }
            for inner in 0..<width { columnSums[inner] += part.columnSums[inner] }
        }
        // Xᵀ(Y) − μ(1ᵀY): exact centring of the second product (1ᵀY is ~0 but not exactly).
        if !mean.isEmpty {
            for feature in 0..<d {
                for inner in 0..<width { w[feature * width + inner] -= mean[feature] * columnSums[inner] }
            }
        }
        return w
    }

    private static func chunkProduct(
        _ x: Matrix, rows: Range<Int>, v: [Float], shift: [Float], width: Int
    )
        -> (w: [Float], columnSums: [Double])
    {
        let d = x.columns
        var w = [Float](repeating: 0, count: d * width)
        var y = [Float](repeating: 0, count: blockRows * width)
        var columnSums = [Double](repeating: 0, count: width)
        x.values.withUnsafeBufferPointer { data in
            v.withUnsafeBufferPointer { vb in
                var start = rows.lowerBound
                while start < rows.upperBound {
                    let count = min(blockRows, rows.upperBound - start)
                    let block = data.baseAddress! + start * d
                    y.withUnsafeMutableBufferPointer { yb in
                        LinearAlgebra.gemm(
                            block, transposeA: false, vb.baseAddress!, transposeB: false,
                            into: yb.baseAddress!, m: count, n: width, k: d)
                        for row in 0..<count {
                            for inner in 0..<width {
                                yb[row * width + inner] -= shift[inner]
                                columnSums[inner] += Double(yb[row * width + inner])
                            }
                        }
                        w.withUnsafeMutableBufferPointer { wb in
                            LinearAlgebra.gemm(
                                block, transposeA: true, yb.baseAddress!, transposeB: false,
                                into: wb.baseAddress!, m: d, n: width, k: count, beta: 1)
                        }
                    }
                    start += count
                }
            }
        }
        return (w, columnSums)
    }
}

/// Sign convention shared by PCA and TruncatedSVD (scikit-learn's
/// `svd_flip` on `Vᵀ`): each component's largest-magnitude entry is positive,
/// so results do not depend on the solver's arbitrary signs.
enum SignConvention {
    static func flip(_ vt: inout [Double], rows: Int, columns: Int) {
        for row in 0..<rows {
            let slice = (row * columns)..<((row + 1) * columns)
            guard let largest = vt[slice].indices.max(by: { abs(vt[$0]) < abs(vt[$1]) }) else { continue }
            if vt[largest] < 0 { for index in slice { vt[index] = -vt[index] } }
        }
    }
}
