#include "cpixeltext.h"
#include <string.h>

#if defined(FERLAB_HASWELL_BUILD) && defined(__x86_64__)
#include <immintrin.h>

/// For each four lengths of 1-3 digits (the index counts them in base 3,
/// first value lowest), the shuffle that puts the digits of value i in bytes
/// 4i..4i+2 of a vector, right-aligned, with zeros before them and in byte 4i+3.
static uint8_t digit_shuffles[81][16];

__attribute__((constructor)) static void make_digit_shuffles(void) {
    for (int index = 0; index < 81; index++) {
        int start = 0, rest = index;
        for (int value = 0; value < 4; value++) {
            int digits = rest % 3 + 1;
            rest /= 3;
            for (int byte = 0; byte < 4; byte++) digit_shuffles[index][4 * value + byte] = 0x80;
            for (int digit = 0; digit < digits; digit++)
                digit_shuffles[index][4 * value + 3 - digits + digit] = (uint8_t)(start + digit);
            start += digits + 1;
        }
    }
}

__attribute__((target("avx2,bmi"))) size_t ferlab_parse_spaced_values(
    const uint8_t *text, size_t length, uint8_t *out, size_t most, size_t *count) {
    const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9), space = _mm_set1_epi8(' ');
    // Hundreds, tens and ones of each value, then the sum of each value's two 16-bit halves.
    const __m128i weights = _mm_set1_epi32(0x00010A64);
    const __m128i pairs = _mm_set1_epi16(1), most_value = _mm_set1_epi32(255);
    const __m128i low_bytes = _mm_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    size_t position = 0, written = 0;
    while (position + 16 <= length && written + 4 <= most) {
        const __m128i bytes = _mm_loadu_si128((const __m128i *)(text + position));
        const __m128i digits = _mm_sub_epi8(bytes, zero);
        const unsigned spaces = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, space));
        const unsigned numerals = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(digits, nine), digits));
        // Bits past the vector stand in for missing spaces, so that each count of zeros is defined.
        unsigned left = spaces | 0xF0000u;
        const unsigned s0 = (unsigned)__builtin_ctz(left);
        left &= left - 1;
        const unsigned s1 = (unsigned)__builtin_ctz(left);
        left &= left - 1;
        const unsigned s2 = (unsigned)__builtin_ctz(left);
        left &= left - 1;
        const unsigned s3 = (unsigned)__builtin_ctz(left);
        const unsigned l0 = s0, l1 = s1 - s0 - 1, l2 = s2 - s1 - 1, l3 = s3 - s2 - 1;
        if (s3 > 15 || l0 - 1 > 2 || l1 - 1 > 2 || l2 - 1 > 2 || l3 - 1 > 2) break;
        const unsigned covered = (2u << s3) - 1;
        if (((numerals | spaces) & covered) != covered) break;
        const unsigned index = (l0 - 1) + 3 * (l1 - 1) + 9 * (l2 - 1) + 27 * (l3 - 1);
        const __m128i placed =
            _mm_shuffle_epi8(digits, _mm_loadu_si128((const __m128i *)digit_shuffles[index]));
        const __m128i values = _mm_madd_epi16(_mm_maddubs_epi16(placed, weights), pairs);
        if (_mm_movemask_epi8(_mm_cmpgt_epi32(values, most_value)) != 0) break;
        const int packed = _mm_cvtsi128_si32(_mm_shuffle_epi8(values, low_bytes));
        memcpy(out + written, &packed, 4);
        written += 4;
        position += s3 + 1;
    }
    *count = written;
    return position;
}

#else

size_t ferlab_parse_spaced_values(const uint8_t *text, size_t length, uint8_t *out, size_t most, size_t *count) {
    (void)text, (void)length, (void)out, (void)most;
    *count = 0;
    return 0;
}

#endif
