// The 4×4 count blocks of the pattern Gram, compiled once per instruction set and chosen at run time
// (pattern_gram.c): Swift's baseline x86-64 target has no POPCNT, let alone vector popcounts, and the binary
// must still run on any x86-64. Four rows of A against four of B: each loaded word feeds four counts.
#include "pattern_gram_blocks.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Two rows of A against four of B; inlined into each target so `__builtin_popcountll` becomes that target's
// instruction. (Four by four would need 16 accumulators plus 8 words: more than x86-64's registers.)
static inline __attribute__((always_inline))
void count_two_by_four(const uint64_t *a0, const uint64_t *a1, const uint64_t *const b[4], long len, int64_t *out) {
    const uint64_t *b0 = b[0], *b1 = b[1], *b2 = b[2], *b3 = b[3];
    int64_t s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
    for (long t = 0; t < len; t++) {
        uint64_t x = a0[t], y = a1[t], v;
        v = b0[t]; s00 += __builtin_popcountll(x & v); s10 += __builtin_popcountll(y & v);
        v = b1[t]; s01 += __builtin_popcountll(x & v); s11 += __builtin_popcountll(y & v);
        v = b2[t]; s02 += __builtin_popcountll(x & v); s12 += __builtin_popcountll(y & v);
        v = b3[t]; s03 += __builtin_popcountll(x & v); s13 += __builtin_popcountll(y & v);
    }
    out[0] += s00; out[1] += s01; out[2] += s02; out[3] += s03;
    out[4] += s10; out[5] += s11; out[6] += s12; out[7] += s13;
}

void ngd_count_block_portable(const uint64_t *const a[4], const uint64_t *const b[4], long len, int64_t out[16]) {
    count_two_by_four(a[0], a[1], b, len, out);
    count_two_by_four(a[2], a[3], b, len, out + 8);
}

#if defined(__x86_64__)
__attribute__((target("popcnt")))
void ngd_count_block_popcnt(const uint64_t *const a[4], const uint64_t *const b[4], long len, int64_t out[16]) {
    count_two_by_four(a[0], a[1], b, len, out);
    count_two_by_four(a[2], a[3], b, len, out + 8);
}

// AVX2 has no vector popcount: each byte's count comes from a 16-entry table of nibble counts (VPSHUFB on the
// low and the high nibbles). Byte counters take at most 8 per word, so they are folded into 64-bit lanes
// (VPSADBW) every 31 vectors, before they can pass 255.
__attribute__((target("avx2,popcnt")))
static void count_two_by_four_avx2(const uint64_t *a0, const uint64_t *a1, const uint64_t *const b[4], long len,
                                   int64_t *out) {
    const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                           0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i low = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
    __m256i wide[8];
    for (int k = 0; k < 8; k++) wide[k] = zero;
    long t = 0;
    while (t + 4 <= len) {
        long end = t + 4 * 31;
        if (end > len) end = len - (len - t) % 4;
        __m256i bytes[8];
        for (int k = 0; k < 8; k++) bytes[k] = zero;
        for (; t < end; t += 4) {
            __m256i x = _mm256_loadu_si256((const __m256i *)(a0 + t));
            __m256i y = _mm256_loadu_si256((const __m256i *)(a1 + t));
            for (int c = 0; c < 4; c++) {
                __m256i v = _mm256_loadu_si256((const __m256i *)(b[c] + t));
                __m256i p = _mm256_and_si256(x, v), q = _mm256_and_si256(y, v);
                bytes[c] = _mm256_add_epi8(bytes[c], _mm256_add_epi8(
                    _mm256_shuffle_epi8(table, _mm256_and_si256(p, low)),
                    _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16(p, 4), low))));
                bytes[4 + c] = _mm256_add_epi8(bytes[4 + c], _mm256_add_epi8(
                    _mm256_shuffle_epi8(table, _mm256_and_si256(q, low)),
                    _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16(q, 4), low))));
            }
        }
        for (int k = 0; k < 8; k++) wide[k] = _mm256_add_epi64(wide[k], _mm256_sad_epu8(bytes[k], zero));
    }
    for (int k = 0; k < 8; k++) {
        int64_t lanes[4];
        _mm256_storeu_si256((__m256i *)lanes, wide[k]);
        out[k] += lanes[0] + lanes[1] + lanes[2] + lanes[3];
    }
    for (; t < len; t++) {   // the last 0–3 words
        for (int c = 0; c < 4; c++) {
            out[c] += __builtin_popcountll(a0[t] & b[c][t]);
            out[4 + c] += __builtin_popcountll(a1[t] & b[c][t]);
        }
    }
}

__attribute__((target("avx2,popcnt")))
void ngd_count_block_avx2(const uint64_t *const a[4], const uint64_t *const b[4], long len, int64_t out[16]) {
    count_two_by_four_avx2(a[0], a[1], b, len, out);
    count_two_by_four_avx2(a[2], a[3], b, len, out + 8);
}

// AVX-512 VPOPCNTQ counts eight words per instruction; 16 accumulators and 8 loaded vectors fit the 32
// registers, so the whole 4×4 block runs in one pass. The ragged end is a masked load (zeros count nothing).
__attribute__((target("avx512f,avx512vpopcntdq")))
static inline void add_counts_avx512(__m512i s[16], const uint64_t *const a[4], const uint64_t *const b[4], long t,
                                     __mmask8 mask) {
    __m512i x[4], v[4];
    for (int r = 0; r < 4; r++) x[r] = _mm512_maskz_loadu_epi64(mask, a[r] + t);
    for (int c = 0; c < 4; c++) v[c] = _mm512_maskz_loadu_epi64(mask, b[c] + t);
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
            s[4 * r + c] = _mm512_add_epi64(s[4 * r + c], _mm512_popcnt_epi64(_mm512_and_si512(x[r], v[c])));
}

__attribute__((target("avx512f,avx512vpopcntdq")))
void ngd_count_block_avx512(const uint64_t *const a[4], const uint64_t *const b[4], long len, int64_t out[16]) {
    __m512i s[16];
    for (int k = 0; k < 16; k++) s[k] = _mm512_setzero_si512();
    long t = 0;
    for (; t + 8 <= len; t += 8) add_counts_avx512(s, a, b, t, (__mmask8)0xff);
    if (t < len) add_counts_avx512(s, a, b, t, (__mmask8)((1u << (len - t)) - 1));
    for (int k = 0; k < 16; k++) out[k] += _mm512_reduce_add_epi64(s[k]);
}
#endif
