import COpenBLAS

/// LAPACKE's `lapack_int` (a macro Swift cannot import): 32-bit in Debian's build.
private typealias LapackInt = Int32

/// The BLAS and LAPACK routines FERLab uses, over OpenBLAS. No other module
/// calls them directly.
///
/// OpenBLAS runs on one thread: its own threading sums in an order that
/// depends on how many threads it picks, which would make results differ in
/// the last bits from run to run. FERLab parallelises the heavy products
/// itself, over fixed chunks of rows, so results depend on the data alone.
enum LinearAlgebra {
    /// One thread and the fastest kernels (`BLASKernels`), set before the first BLAS call.
    private static let ready: Void = {
        BLASKernels.selectFastest()
        openblas_set_num_threads(1)
    }()

    /// `C = alpha * op(A) * op(B) + beta * C` in `Float`, row-major, where
    /// `op` transposes when asked. `m x n` result, inner dimension `k`.
    static func gemm(
        _ a: UnsafePointer<Float>, transposeA: Bool, _ b: UnsafePointer<Float>, transposeB: Bool,
        into c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int,
        alpha: Float = 1, beta: Float = 0
    ) {
        _ = ready
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(transposeA ? m : k),
            b, blasint(transposeB ? k : n), beta, c, blasint(n))
    }

    /// The same in `Double`.
    static func gemm(
        _ a: UnsafePointer<Double>, transposeA: Bool, _ b: UnsafePointer<Double>, transposeB: Bool,
        into c: UnsafeMutablePointer<Double>, m: Int, n: Int, k: Int,
        alpha: Double = 1, beta: Double = 0
    ) {
        _ = ready
        guard m > 0, n > 0 else { return }
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(transposeA ? m : k),
            b, blasint(transposeB ? k : n), beta, c, blasint(n))
    }

    /// `AᵀA` (upper triangle filled, then mirrored) of a row-major `n x d` matrix, in `Double`.
    static func gram(_ a: [Double], rows n: Int, columns d: Int) -> [Double] {
        _ = ready
        var c = [Double](repeating: 0, count: d * d)
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(d), blasint(n), 1, a, blasint(d), 0, &c, blasint(d))
        mirrorUpperTriangle(&c, size: d)
        return c
    }

    /// `C += AᵀA` on the upper triangle of the `d x d` row-major `C`, for a
    /// row-major `rows x d` block `A` (`Float`).
    static func rankUpdate(_ a: UnsafePointer<Float>, rows: Int, columns d: Int, into c: UnsafeMutablePointer<Float>) {
        _ = ready
        guard rows > 0, d > 0 else { return }
        cblas_ssyrk(
            CblasRowMajor, CblasUpper, CblasTrans, blasint(d), blasint(rows), 1, a, blasint(d), 1, c, blasint(d))
    }

    /// Copies the upper triangle of a `d x d` row-major matrix onto its lower triangle.
    static func mirrorUpperTriangle(_ c: inout [Float], size d: Int) {
        c.withUnsafeMutableBufferPointer { m in
            for i in 0..<max(0, d - 1) {
                cblas_scopy(
                    blasint(d - i - 1), m.baseAddress! + i * d + i + 1, 1, m.baseAddress! + (i + 1) * d + i, blasint(d))
            }
        }
    }

    /// The same in `Double`.
    static func mirrorUpperTriangle(_ c: inout [Double], size d: Int) {
        c.withUnsafeMutableBufferPointer { m in
            for i in 0..<max(0, d - 1) {
                cblas_dcopy(
                    blasint(d - i - 1), m.baseAddress! + i * d + i + 1, 1, m.baseAddress! + (i + 1) * d + i, blasint(d))
            }
        }
    }

    /// `y += alpha * x`, elementwise (equal lengths).
    static func axpy(_ alpha: Float, _ x: [Float], into y: inout [Float]) {
        precondition(x.count == y.count, "axpy needs equal lengths")
        cblas_saxpy(blasint(x.count), alpha, x, 1, &y, 1)
    }

    /// Eigenvalues (descending) and eigenvectors (as rows, same order) of a
    /// symmetric `d x d` matrix.
    static func symmetricEigen(_ matrix: [Double], size d: Int) throws -> (values: [Double], vectors: [Double]) {
        _ = ready
        var a = matrix
        var w = [Double](repeating: 0, count: d)
        let info = LAPACKE_dsyevd(
            LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
            LapackInt(d), &a, LapackInt(d), &w)
        guard info == 0 else { throw MathError.decompositionFailed("eigendecomposition (dsyevd info \(info))") }
        // Columns of `a` are eigenvectors in ascending order; return rows, descending.
        var vectors = [Double](repeating: 0, count: d * d)
        for rank in 0..<d {
            let column = d - 1 - rank
            for i in 0..<d { vectors[rank * d + i] = a[i * d + column] }
        }
        return (Array(w.reversed()), vectors)
    }

    /// Thin SVD of a row-major `m x n` matrix: `U` (`m x r`), singular values
    /// (descending), `Vᵀ` (`r x n`), with `r = min(m, n)`.
    static func svd(_ matrix: [Double], rows m: Int, columns n: Int) throws -> (u: [Double], s: [Double], vt: [Double])
    {
        _ = ready
        let r = min(m, n)
        var a = matrix
        var s = [Double](repeating: 0, count: r)
        var u = [Double](repeating: 0, count: m * r)
        var vt = [Double](repeating: 0, count: r * n)
        let info = LAPACKE_dgesdd(
            LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "S")), LapackInt(m), LapackInt(n), &a,
            LapackInt(n), &s, &u, LapackInt(r), &vt, LapackInt(n))
        guard info == 0 else { throw MathError.decompositionFailed("SVD (dgesdd info \(info))") }
        return (u, s, vt)
    }

    /// Replaces the `m x n` row-major matrix (m >= n) by an orthonormal basis of its column space (thin Q of QR).
    static func orthonormalize(_ matrix: inout [Double], rows m: Int, columns n: Int) throws {
        _ = ready
        var tau = [Double](repeating: 0, count: n)
        var info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, LapackInt(m), LapackInt(n), &matrix, LapackInt(n), &tau)
        guard info == 0 else { throw MathError.decompositionFailed("QR (dgeqrf info \(info))") }
        info = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, LapackInt(m), LapackInt(n), LapackInt(n), &matrix, LapackInt(n), &tau)
        guard info == 0 else { throw MathError.decompositionFailed("QR (dorgqr info \(info))") }
    }

    /// Lower Cholesky factor `L` of a symmetric positive-definite matrix (`A = L Lᵀ`), row-major.
    static func cholesky(_ matrix: [Double], size d: Int) throws -> [Double] {
        _ = ready
        var a = matrix
        let info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), LapackInt(d), &a, LapackInt(d))
        guard info == 0 else { throw MathError.decompositionFailed("Cholesky (dpotrf info \(info))") }
        for i in 0..<d { for j in (i + 1)..<max(i + 1, d) { a[i * d + j] = 0 } }
        return a
    }
}

/// A numerical failure or an impossible request, with a message for the user.
package enum MathError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A LAPACK decomposition did not converge or got bad input.
    case decompositionFailed(String)
    /// The parameters cannot work on this data (e.g. more components than features).
    case invalidParameters(String)

    package var description: String {
        switch self {
        case .decompositionFailed(let what): return "\(what) failed"
        case .invalidParameters(let why): return why
        }
    }
}
