import FERCore

/// Randomized truncated SVD (Halko, Martinsson and Tropp 2011, algorithm 4.4
/// with QR-normalised power iterations), the method scikit-learn's
/// `randomized` solvers use.
///
/// The big products run in `Float` through BLAS; the small factorisations
/// (QR of the thin sketch, SVD of the projected matrix) run in `Double`.
enum RandomizedSVD {
    /// The top `rank` singular triplets of the row-major `rows x columns` matrix `x`.
    static func decompose(_ x: Matrix, rank: Int, oversamples: Int, powerIterations: Int,
                          seed: UInt64) throws -> (s: [Double], vt: [Double]) {
        let n = x.rows, d = x.columns
        let sketch = min(rank + oversamples, min(n, d))
        var random = SeededGenerator(seed: seed)
        let omega = (0..<(d * sketch)).map { _ in Float(random.normal()) }

        // Q = orth(X Ω), then alternate Q <- orth(Xᵀ Q), Q <- orth(X Q).
        var q = multiply(x, omega, transposeX: false, width: sketch)
        try orthonormalizeFloat(&q, rows: n, columns: sketch)
        for _ in 0..<powerIterations {
            var z = multiply(x, q, transposeX: true, width: sketch)
            try orthonormalizeFloat(&z, rows: d, columns: sketch)
            q = multiply(x, z, transposeX: false, width: sketch)
            try orthonormalizeFloat(&q, rows: n, columns: sketch)
        }

        // B = Qᵀ X (sketch x d), then its exact SVD.
        var b = [Float](repeating: 0, count: sketch * d)
        q.withUnsafeBufferPointer { qb in
            x.values.withUnsafeBufferPointer { xb in
                b.withUnsafeMutableBufferPointer { out in
                    LinearAlgebra.gemm(qb.baseAddress!, transposeA: true, xb.baseAddress!, transposeB: false,
                                       into: out.baseAddress!, m: sketch, n: d, k: n)
                }
            }
        }
        let (_, s, vt) = try LinearAlgebra.svd(b.map(Double.init), rows: sketch, columns: d)
        return (Array(s.prefix(rank)), Array(vt.prefix(rank * d)))
    }

    /// `X · M` (n x width) or `Xᵀ · M` (d x width).
    private static func multiply(_ x: Matrix, _ m: [Float], transposeX: Bool, width: Int) -> [Float] {
        let outRows = transposeX ? x.columns : x.rows
        let inner = transposeX ? x.rows : x.columns
        var result = [Float](repeating: 0, count: outRows * width)
        x.values.withUnsafeBufferPointer { xb in
            m.withUnsafeBufferPointer { mb in
                result.withUnsafeMutableBufferPointer { out in
                    LinearAlgebra.gemm(xb.baseAddress!, transposeA: transposeX, mb.baseAddress!, transposeB: false,
                                       into: out.baseAddress!, m: outRows, n: width, k: inner)
                }
            }
        }
        return result
    }

    private static func orthonormalizeFloat(_ matrix: inout [Float], rows: Int, columns: Int) throws {
        var wide = matrix.map(Double.init)
        try LinearAlgebra.orthonormalize(&wide, rows: rows, columns: columns)
        matrix = wide.map(Float.init)
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
