#define _GNU_SOURCE
#include "cmachine.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

int ferlab_exchange_paths(const char *first, const char *second) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int ferlab_rename_without_replacing(const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
    if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) {
        return 0;
    }
    if (errno != ENOSYS && errno != EINVAL) {
        return -1;
    }
#endif
    if (link(from, to) != 0) {
        return -1;
    }
    return unlink(from);
}

#if defined(FERLAB_HASWELL_BUILD) && defined(__x86_64__)
/// The Swift code of this build uses AVX2 and FMA (see Package.swift). This
/// runs before any of it and stops with an explanation, instead of an
/// illegal-instruction crash, on a processor without them.
__attribute__((constructor)) static void ferlab_check_processor(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi")
        && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("f16c") && __builtin_cpu_supports("lzcnt")
        && __builtin_cpu_supports("movbe")) {
        return;
    }
    static const char message[] =
        "ferlab: error: this build needs an x86-64 processor with AVX2 and FMA (2013 or later);\n"
        "rebuild it for any x86-64 processor: FERLAB_PORTABLE=1 swift build -c release\n";
    (void)!write(2, message, strlen(message));
    _exit(1);
}
#endif

int ferlab_processor_vector_level(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
        return 0;
    }
    /* What OpenBLAS's AVX-512 kernels ("SkylakeX") are built for; the compiler's
       check includes the operating system saving the AVX-512 registers. */
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd")
        && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) {
        return 2;
    }
    return 1;
#else
    return 0;
#endif
}

int ferlab_spawn_closes_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}
