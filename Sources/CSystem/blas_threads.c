#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__)
/// FERLab runs BLAS on one thread (see `LinearAlgebra`), but OpenBLAS starts
/// a pool of worker threads while it loads, sized by `OPENBLAS_NUM_THREADS`
/// (else the number of cores), before any of FERLab's code runs. The pool is
/// never used, and under an address-space limit (`ulimit -v`) a worker can
/// spin forever allocating its buffer, and the process never exits.
///
/// The environment cannot be changed in time from inside the process (the C
/// library resets it before OpenBLAS reads it), so the executable's
/// pre-initialisation function, which runs before any library starts,
/// restarts the program once with `OPENBLAS_NUM_THREADS=1` when it is not set
/// so. The user's own value is carried in `FERLAB_OPENBLAS_NUM_THREADS_WAS`,
/// and the constructor below puts it back for the programs FERLab starts.
static const char thread_variable[] = "OPENBLAS_NUM_THREADS=";
static const char saved_variable[] = "FERLAB_OPENBLAS_NUM_THREADS_WAS=";

static void ferlab_start_blas_without_workers(int argc, char **argv, char **envp) {
    (void)argc;
    size_t count = 0;
    const char *current = NULL;
    for (char **entry = envp; *entry != NULL; entry++, count++) {
        if (strncmp(*entry, thread_variable, sizeof thread_variable - 1) == 0) {
            current = *entry + sizeof thread_variable - 1;
        }
        // Restarted already (whatever the value is now): never loop.
        if (strncmp(*entry, saved_variable, sizeof saved_variable - 1) == 0) return;
    }
    if (current != NULL && strcmp(current, "1") == 0) return;
    char **restarted = calloc(count + 3, sizeof *restarted);
    char *saved = malloc(sizeof saved_variable + (current != NULL ? strlen(current) : 0));
    if (restarted == NULL || saved == NULL) return;
    strcpy(saved, saved_variable);
    if (current != NULL) strcat(saved, current);
    size_t kept = 0;
    for (char **entry = envp; *entry != NULL; entry++) {
        if (strncmp(*entry, thread_variable, sizeof thread_variable - 1) != 0) restarted[kept++] = *entry;
    }
    restarted[kept++] = "OPENBLAS_NUM_THREADS=1";
    restarted[kept++] = saved;
    restarted[kept] = NULL;
    execve("/proc/self/exe", argv, restarted);
    // Without /proc the program goes on as it is, with OpenBLAS's pool.
    free(saved);
    free(restarted);
}

__attribute__((section(".preinit_array"), used)) static void (*const ferlab_preinit_blas)(int, char **, char **) =
    ferlab_start_blas_without_workers;

__attribute__((constructor)) static void ferlab_restore_blas_threads(void) {
    const char *saved = getenv("FERLAB_OPENBLAS_NUM_THREADS_WAS");
    if (saved == NULL) return;
    if (*saved == '\0') {
        unsetenv("OPENBLAS_NUM_THREADS");
    } else {
        setenv("OPENBLAS_NUM_THREADS", saved, 1);
    }
    unsetenv("FERLAB_OPENBLAS_NUM_THREADS_WAS");
}
#endif
