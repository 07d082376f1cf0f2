#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

extension SIMD8 where Scalar == Float {
    /// Lane-wise square root that always compiles to vector instructions.
    ///
    /// The standard library's `squareRoot()` is a per-lane loop left to the
    /// auto-vectoriser, which in larger loops sometimes emits eight scalar
    /// square roots with error-handling branches instead; on x86-64 this uses
    /// SSE's `sqrtps`, which every x86-64 processor has.
    @inline(__always)
    var vectorSquareRoot: SIMD8<Float> {
        #if arch(x86_64)
        SIMD8(lowHalf: _mm_sqrt_ps(lowHalf), highHalf: _mm_sqrt_ps(highHalf))
        #else
        squareRoot()
        #endif
    }
}
