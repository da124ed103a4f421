// The innermost step of the pattern Gram, one version per instruction set (pattern_gram_blocks.c).
#ifndef NGD_PATTERN_GRAM_BLOCKS_H
#define NGD_PATTERN_GRAM_BLOCKS_H

#include <stdint.h>

/// out[4·r + c] = Σ_{t < len} popcount(a[r][t] & b[c][t]) for r, c < 4: a 4×4 block of counts over `len` words.
typedef void (*ngd_count_block)(const uint64_t *const a[4], const uint64_t *const b[4], long len, int64_t out[16]);

void ngd_count_block_portable(const uint64_t *const a[4], const uint64_t *const b[4], long len, int64_t out[16]);
#if defined(__x86_64__)
void ngd_count_block_popcnt(const uint64_t *const a[4], const uint64_t *const b[4], long len, int64_t out[16]);
void ngd_count_block_avx2(const uint64_t *const a[4], const uint64_t *const b[4], long len, int64_t out[16]);
void ngd_count_block_avx512(const uint64_t *const a[4], const uint64_t *const b[4], long len, int64_t out[16]);
#endif

#endif
