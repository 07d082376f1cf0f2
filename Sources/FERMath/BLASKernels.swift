import CMachine
import COpenBLAS

#if canImport(Glibc)
import Glibc
#endif

/// Where OpenBLAS cannot name the processor (virtual machines often report an
/// unnamed one), its run-time kernel selection falls back to the SSE3 kernels
/// it calls "Prescott". `selectFastest()` chooses instead the kernels OpenBLAS
/// would choose for the processor's vector instructions: its AVX-512 kernels
/// ("SkylakeX") on a processor with AVX-512, its AVX2 kernels ("Haswell") on
/// one with AVX2 and FMA, exactly as `OPENBLAS_CORETYPE` set to that name
/// would. `LinearAlgebra` calls it once, before its first BLAS call. It does
/// nothing when the user set `OPENBLAS_CORETYPE`, or when OpenBLAS named the
/// processor.
enum BLASKernels {
    /// The kernels to ask for when OpenBLAS chose `named` on a processor of
    /// `vectorLevel` (see `ferlab_processor_vector_level`); nil keeps OpenBLAS's choice.
    static func preferred(over named: String, vectorLevel: Int32) -> String? {
        guard named == "Prescott" else { return nil }
        switch vectorLevel {
        case 2: return "SkylakeX"
        case 1: return "Haswell"
        default: return nil
        }
    }

    /// Asks OpenBLAS for `preferred` kernels, before its first call, where there are any.
    static func selectFastest() {
        guard getenv("OPENBLAS_CORETYPE") == nil,
            let kernels = preferred(
                over: String(cString: openblas_get_corename()), vectorLevel: ferlab_processor_vector_level()),
            setenv("OPENBLAS_CORETYPE", kernels, 0) == 0
        else { return }
        gotoblas_dynamic_quit()
        gotoblas_dynamic_init()
        // Programs this one starts choose their own kernels.
        unsetenv("OPENBLAS_CORETYPE")
    }
}
