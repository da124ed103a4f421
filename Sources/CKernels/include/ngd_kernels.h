#ifndef NGD_KERNELS_H
#define NGD_KERNELS_H

#include <stdint.h>

/// The pattern Gram's counting kernels: C(i, j) = Σ_t popcount(words[i·w + t] & words[j·w + t]) over the rows
/// of a bit-packed n×w matrix of 64-bit words (row-major). Every kernel gives the same exact integers.
enum {
    NGD_POPCOUNT_AUTOMATIC = 0,   ///< the fastest kernel this CPU runs (AVX-512 > AVX2 > POPCNT > portable)
    NGD_POPCOUNT_PORTABLE = 1,    ///< the compiler's baseline popcount (no special instruction)
    NGD_POPCOUNT_POPCNT = 2,      ///< x86-64 POPCNT, one word per instruction
    NGD_POPCOUNT_AVX2 = 3,        ///< AVX2 nibble-table popcount (VPSHUFB), four words per instruction
    NGD_POPCOUNT_AVX512 = 4,      ///< AVX-512 VPOPCNTQ, eight words per instruction
};

/// Whether this CPU runs `kernel` (AUTOMATIC and PORTABLE always).
int ngd_popcount_kernel_supported(int kernel);

/// The kernel AUTOMATIC stands for on this CPU.
int ngd_popcount_kernel_automatic(void);

/// The lower triangle of C: counts[i·ldc + j] = C(i, j) for 0 ≤ j ≤ i < n (the upper triangle is not written).
/// Work is dealt in row tiles to `threads` threads (the caller's thread among them). Returns the kernel that
/// ran, or −1 when `kernel` is unknown or unsupported here (nothing written).
int ngd_pattern_gram_counts(const uint64_t *words, long n, long w, int64_t *counts, long ldc,
                            int kernel, int threads);

/// g[i·ldg + j] *= (double)C(i, j) / divisor for every 0 ≤ i, j < n (both triangles; C is symmetric): the
/// pattern Gram's fraction applied in place, without an n×n array of counts. Same return as above.
int ngd_pattern_gram_scale(const uint64_t *words, long n, long w, double *g, long ldg, double divisor,
                           int kernel, int threads);

#endif
