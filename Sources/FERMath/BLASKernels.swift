import CMachine
import COpenBLAS

#if canImport(Glibc)
import Glibc
#endif

/// Where OpenBLAS cannot name the processor (virtual machines often report an
/// unnamed one), its run-time kernel selection falls back to the SSE3 kernels
/// it calls "Prescott". On a processor with AVX2 and FMA, `preferAVX2()`
/// selects its AVX2 kernels ("Haswell") instead, 2-3 times faster, exactly as
/// `OPENBLAS_CORETYPE=Haswell` would. `LinearAlgebra` calls it once, before
/// its first BLAS call. It does nothing when the user set
/// `OPENBLAS_CORETYPE`, or when OpenBLAS named the processor.
enum BLASKernels {
    static func preferAVX2() {
        guard getenv("OPENBLAS_CORETYPE") == nil, String(cString: openblas_get_corename()) == "Prescott",
            ferlab_processor_has_avx2_and_fma() == 1, setenv("OPENBLAS_CORETYPE", "Haswell", 0) == 0
        else { return }
        gotoblas_dynamic_quit()
        gotoblas_dynamic_init()
        // Programs this one starts choose their own kernels.
        unsetenv("OPENBLAS_CORETYPE")
    }
}
