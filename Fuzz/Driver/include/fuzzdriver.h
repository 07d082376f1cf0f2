#ifndef FERLAB_FUZZDRIVER_H
#define FERLAB_FUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver (command-line options, corpus, reports) on `test`.
int ferlab_fuzz_run(int argc, char **argv, int (*test)(const uint8_t *data, size_t size));

#endif
