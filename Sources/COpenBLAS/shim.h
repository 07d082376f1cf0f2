#include <cblas.h>
#include <lapacke.h>

/* OpenBLAS's run-time kernel selection (Debian builds it with DYNAMIC_ARCH):
   forget the kernels chosen at load, and choose again (reading
   OPENBLAS_CORETYPE). Used by FERMath's BLASKernels before the first BLAS call. */
void gotoblas_dynamic_quit(void);
void gotoblas_dynamic_init(void);
