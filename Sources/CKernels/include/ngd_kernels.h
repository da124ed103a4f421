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

/// g[i·ldg + j] = g[j·ldg + i] = upper[j·ldu + i] · ((double)C(i, j) / divisor) for 0 ≤ j ≤ i < n: the pattern
/// Gram's fraction applied to a symmetric matrix of which only the upper triangle is read (a `dsyrk` result
/// before mirroring, or a full symmetric matrix), written to both triangles of g. `upper` may be g itself.
/// Same rounding as mirroring first and then scaling. Same return as above.
int ngd_pattern_gram_product(const uint64_t *words, long n, long w, const double *upper, long ldu, double *g,
                             long ldg, double divisor, int kernel, int threads);

/// For each row 0 ≤ i < n of the pre-activation block z (n×b, row stride ldz): bits 0..b−1 of the words at
/// bits + i·ldbits become 1{z[i][q] ≥ 0} (a NaN packs as 0; bits past b in the last word are 0), and when sums
/// is non-null, sums[i] += Σ_q a[q]·max(z[i][q], 0) summed in order of q from 0 (max as Swift's: NaN stays NaN).
/// Rows are dealt to `threads` threads; the result does not depend on how many.
void ngd_pack_signs(const double *z, long n, long b, long ldz, uint64_t *bits, long ldbits, const double *a,
                    double *sums, int threads);

/// out[i·ldout + q] = (coefficients[i] · units[q]) · bit(i, q) for 0 ≤ i < n, 0 ≤ q < b, with bit(i, q) bit q
/// of the words at bits + i·ldbits (0 or 1, as a double: a zero keeps its sign); when accumulate is non-null,
/// accumulate[i·ldacc + q] += that value too. Rows are dealt to `threads` threads.
void ngd_pattern_coefficients(const uint64_t *bits, long ldbits, long n, long b, const double *coefficients,
                              const double *units, double *out, long ldout, double *accumulate, long ldacc,
                              int threads);

/// C ← alpha·op(A)·op(B) + beta·C (row-major; op transposes when its flag is non-zero), on the calling thread:
/// the tile kernels below call it from the pool's threads, so it must not start BLAS threads of its own.
typedef void (*ngd_gemm_function)(int transpose_a, int transpose_b, long rows, long columns, long inner,
                                  double alpha, const double *a, long lda, const double *b, long ldb,
                                  double beta, double *c, long ldc);

/// What ngd_pack_signs computes for z = X·Wᵀ (x n×d, w m×d, row-major), without z in memory: tiles of rows are
/// dealt to `threads` threads, and each makes its rows of z `block` units at a time (block a multiple of 64)
/// into a scratch that stays in its cache, packs the signs into bits and adds each block's output sums to
/// sums[i] (when non-null), blocks in order. Equal to `gemm` of each block followed by ngd_pack_signs, for
/// every thread count. With bits null only the products are made (to time them). With input_gram non-null
/// (n×n, row-major) the tile of rows i0… also writes those rows of X·Xᵀ in columns i0…n−1 (its diagonal block
/// whole and everything right of it): the upper triangle the pattern Gram reads, made by the same threads, so
/// that no BLAS thread is woken for it. Returns 0; −1 when block is not a positive multiple of 64 or the scratch (threads ×
/// at most 128 × block doubles) cannot be allocated — then nothing is written.
int ngd_pack_signs_of_product(const double *x, long n, long d, const double *w, long m, long block,
                              const double *a, uint64_t *bits, long ldbits, double *sums, double *input_gram,
                              ngd_gemm_function gemm, int threads);

/// W += Bᵀ·R (w m×d, r n×d) for B the n×m coefficient matrix of ngd_pattern_coefficients
/// (B_iq = (coefficients[i]·units[q])·bit(i, q)), without B in memory: tiles of `tile` units (a multiple of 64)
/// are dealt to `threads` threads, each making its n×tile block of B in a scratch and adding its product into
/// its own rows of W. Returns 0; −1 when tile is not a positive multiple of 64 or the scratch (threads × n ×
/// tile doubles) cannot be allocated — then nothing is written.
int ngd_add_pattern_product(const uint64_t *bits, long ldbits, long n, long m, long tile,
                            const double *coefficients, const double *units, const double *r, long d, double *w,
                            ngd_gemm_function gemm, int threads);

/// glibc only (elsewhere nothing): keep freed blocks of up to 1 GiB in the heap instead of returning each one
/// above the adaptive mmap threshold (at most 32 MB) to the kernel, which zero-fills it again on the next step.
void ngd_keep_large_allocations(void);

#endif
