import CMachine
import COpenBLAS
import Testing

@testable import FERMath

#if canImport(Glibc)
import Glibc
#endif

@Suite struct BLASKernelsTests {
    /// Only OpenBLAS's SSE3 fallback is replaced, by the widest kernels the processor runs.
    @Test func theFallbackIsReplacedByTheProcessorsWidestKernels() {
        #expect(BLASKernels.preferred(over: "Prescott", vectorLevel: 2) == "SkylakeX")
        #expect(BLASKernels.preferred(over: "Prescott", vectorLevel: 1) == "Haswell")
        #expect(BLASKernels.preferred(over: "Prescott", vectorLevel: 0) == nil)
        #expect(BLASKernels.preferred(over: "Zen", vectorLevel: 2) == nil)
        #expect(BLASKernels.preferred(over: "Haswell", vectorLevel: 2) == nil)
    }

    /// Once FERLab has made a product, OpenBLAS no longer runs its SSE3 fallback on a processor with wider vectors
    /// (unless the environment chose the kernels: then the test does not run).
    @Test(.enabled(if: getenv("OPENBLAS_CORETYPE") == nil))
    func productsDoNotRunTheFallbackOnAProcessorWithWiderVectors() {
        #expect(LinearAlgebra.gram([1, 2, 3, 4], rows: 2, columns: 2) == [10, 14, 14, 20])
        let kernels = String(cString: openblas_get_corename())
        #expect(kernels != "Prescott" || ferlab_processor_vector_level() == 0, "OpenBLAS runs \(kernels)")
    }
}
