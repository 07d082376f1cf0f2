#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
/// Where OpenBLAS cannot name the processor (virtual machines often report an
/// unnamed one), its run-time kernel selection falls back to the SSE3 kernels
/// it calls "Prescott". On a processor with AVX2 and FMA this selects its AVX2
/// kernels ("Haswell") instead, 2-3 times faster, exactly as
/// `OPENBLAS_CORETYPE=Haswell` would. It runs at load time, after OpenBLAS's
/// own initialisation and before any other code; it does nothing when the user
/// set `OPENBLAS_CORETYPE`, when OpenBLAS named the processor, or with an
/// OpenBLAS built without run-time selection.
__attribute__((constructor)) static void ferlab_prefer_avx2_blas_kernels(void) {
    if (getenv("OPENBLAS_CORETYPE") != NULL) return;
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return;
    char *(*core_name)(void) = (char *(*)(void))dlsym(RTLD_DEFAULT, "gotoblas_corename");
    void (*forget_core)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    void (*select_core)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    if (core_name == NULL || forget_core == NULL || select_core == NULL) return;
    const char *name = core_name();
    if (name == NULL || strcmp(name, "Prescott") != 0) return;
    if (setenv("OPENBLAS_CORETYPE", "Haswell", 0) != 0) return;
    forget_core();
    select_core();
    // Programs this one starts choose their own kernels.
    unsetenv("OPENBLAS_CORETYPE");
}
#endif
