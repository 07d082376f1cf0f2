#ifndef FERLAB_CPIXELTEXT_H
#define FERLAB_CPIXELTEXT_H

#include <stddef.h>
#include <stdint.h>

/// Parses pixel values written as text: values of 1-3 digits, each followed
/// by one space, four at a time with SIMD shuffles (tuned x86-64 builds; other
/// builds parse nothing and leave the work to the caller). Reads `text[0..<length]`
/// only, writes at most `most` values to `out`, and stops before the first
/// 16 bytes that do not start with four such values (a longer value, a
/// value over 255, another separator, the field's last value). Returns the
/// bytes consumed and sets `*count` to the values written.
size_t ferlab_parse_spaced_values(const uint8_t *text, size_t length, uint8_t *out, size_t most, size_t *count);

#endif
