#ifndef FERLAB_CMACHINE_H
#define FERLAB_CMACHINE_H

#include <spawn.h>

/// Atomically exchanges two existing paths (Linux renameat2 with
/// RENAME_EXCHANGE). Returns 0, or -1 with errno set (ENOSYS or EINVAL where
/// the kernel or file system cannot exchange).
int ferlab_exchange_paths(const char *first, const char *second);

/// Renames `from` to `to` only if nothing is at `to` (Linux renameat2 with
/// RENAME_NOREPLACE; elsewhere a hard link then an unlink, which fails the
/// same way when `to` exists). Returns 0, or -1 with errno set (EEXIST when
/// `to` exists).
int ferlab_rename_without_replacing(const char *from, const char *to);

/// The widest vectors the processor offers: 2 with AVX-512 (F, DQ, CD, BW and
/// VL), 1 with AVX2 and FMA, 0 otherwise (always 0 off x86-64).
int ferlab_processor_vector_level(void);

/// Adds to `actions` the closing of every descriptor from `lowest` up (glibc's
/// posix_spawn_file_actions_addclosefrom_np, which Swift's Glibc module does
/// not expose). Returns 0 or an error number.
int ferlab_spawn_closes_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
