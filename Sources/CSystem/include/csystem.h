#ifndef FERLAB_CSYSTEM_H
#define FERLAB_CSYSTEM_H

/// Atomically exchanges two existing paths (Linux renameat2 with
/// RENAME_EXCHANGE). Returns 0, or -1 with errno set (ENOSYS or EINVAL where
/// the kernel or file system cannot exchange).
int ferlab_exchange_paths(const char *first, const char *second);

#endif
