// The step's per-unit loops over the activation pattern, dealt to the worker pool by blocks of rows: packing
// the signs of a block of Z into pattern words (with the output sums), and forming the coefficient block B
// from the pattern. Each row's arithmetic is the same sequence of roundings whatever the thread count.
#include "ngd_kernels.h"
#include "kernel_common.h"
#include "worker_pool.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Swift does not contract a·b + c into one FMA; neither may the C side, or results would differ by a rounding.
#pragma STDC FP_CONTRACT OFF

enum { ROWS_PER_CHUNK = 16, INTERLEAVED = 8 };

// Swift.max(v, 0) is `0 >= v ? 0 : v`: +0 for −0, and a NaN stays NaN.
static inline double swift_max_zero(double v) { return 0.0 >= v ? 0.0 : v; }

// --- signs ---

typedef struct {
    const double *z;
    long n, b, ldz;
    uint64_t *bits;
    long ldbits;
    const double *a;
    double *sums;
    int use_avx2;
} pack_job;

static void pack_row_portable(const double *z, long b, uint64_t *words) {
    for (long r = 0, t = 0; r < b; r += 64, t++) {
        const long end = min_long(r + 64, b);
        uint64_t word = 0;
        for (long q = r; q < end; q++) word |= (uint64_t)(z[q] >= 0) << (q - r);
        words[t] = word;
    }
}

#if defined(__x86_64__)
// Four signs per compare (ordered ≥: a NaN compares false).
__attribute__((target("avx2")))
static void pack_row_avx2(const double *z, long b, uint64_t *words) {
    const __m256d zero = _mm256_setzero_pd();
    long r = 0, t = 0;
    for (; r + 64 <= b; r += 64, t++) {
        uint64_t word = 0;
        for (int k = 0; k < 64; k += 4) {
            const int mask = _mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(z + r + k), zero, _CMP_GE_OQ));
            word |= (uint64_t)mask << k;
        }
        words[t] = word;
    }
    if (r < b) pack_row_portable(z + r, b - r, words + t);
}
#endif

// sums[i] += Σ_q a[q]·max(z_i[q], 0), in order of q: eight rows at once so that eight independent chains of
// additions hide each other's latency (each row's own sum keeps its order).
static void add_output_sums(const pack_job *job, long i0, long i1) {
    const double *a = job->a;
    long i = i0;
    for (; i + INTERLEAVED <= i1; i += INTERLEAVED) {
        const double *z[INTERLEAVED];
        double s[INTERLEAVED];
        for (int k = 0; k < INTERLEAVED; k++) { z[k] = job->z + (i + k) * job->ldz; s[k] = 0; }
        for (long q = 0; q < job->b; q++) {
            const double aq = a[q];
            for (int k = 0; k < INTERLEAVED; k++) s[k] += aq * swift_max_zero(z[k][q]);
        }
        for (int k = 0; k < INTERLEAVED; k++) job->sums[i + k] += s[k];
    }
    for (; i < i1; i++) {
        const double *z = job->z + i * job->ldz;
        double s = 0;
        for (long q = 0; q < job->b; q++) s += a[q] * swift_max_zero(z[q]);
        job->sums[i] += s;
    }
}

#if defined(__x86_64__)
// The same sums with rows as vector lanes: 4×4 blocks of Z (4 rows, 4 units) are transposed so that each lane
// adds its own row's terms in order of units; two groups of four rows keep two chains of additions in flight.
// max(v, 0) is a blend on `0 ≥ v` (false for NaN), exactly Swift's; no FMA (the target has none).
__attribute__((target("avx2")))
static void add_output_sums_avx2(const pack_job *job, long i0, long i1) {
    const double *a = job->a;
    const long b = job->b, body = b - b % 4;
    const __m256d zero = _mm256_setzero_pd();
    long i = i0;
    for (; i + INTERLEAVED <= i1; i += INTERLEAVED) {
        const double *z[INTERLEAVED];
        for (int k = 0; k < INTERLEAVED; k++) z[k] = job->z + (i + k) * job->ldz;
        __m256d s[2] = {zero, zero};
        for (long q = 0; q < body; q += 4) {
            for (int h = 0; h < 2; h++) {
                const double *const *r = z + 4 * h;
                const __m256d r0 = _mm256_loadu_pd(r[0] + q), r1 = _mm256_loadu_pd(r[1] + q);
                const __m256d r2 = _mm256_loadu_pd(r[2] + q), r3 = _mm256_loadu_pd(r[3] + q);
                const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
                const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
                const __m256d c[4] = {_mm256_permute2f128_pd(t0, t2, 0x20), _mm256_permute2f128_pd(t1, t3, 0x20),
                                      _mm256_permute2f128_pd(t0, t2, 0x31), _mm256_permute2f128_pd(t1, t3, 0x31)};
                for (int k = 0; k < 4; k++) {
                    const __m256d kept = _mm256_blendv_pd(c[k], zero, _mm256_cmp_pd(zero, c[k], _CMP_GE_OQ));
                    s[h] = _mm256_add_pd(s[h], _mm256_mul_pd(_mm256_set1_pd(a[q + k]), kept));
                }
            }
        }
        double lanes[INTERLEAVED];
        _mm256_storeu_pd(lanes, s[0]);
        _mm256_storeu_pd(lanes + 4, s[1]);
        for (int k = 0; k < INTERLEAVED; k++) {
            double t = lanes[k];
            for (long q = body; q < b; q++) t += a[q] * swift_max_zero(z[k][q]);
            job->sums[i + k] += t;
        }
    }
    for (; i < i1; i++) {
        const double *z = job->z + i * job->ldz;
        double t = 0;
        for (long q = 0; q < b; q++) t += a[q] * swift_max_zero(z[q]);
        job->sums[i] += t;
    }
}
#endif

static void pack_chunk(void *argument, long chunk) {
    const pack_job *job = argument;
    const long i0 = chunk * ROWS_PER_CHUNK, i1 = min_long(i0 + ROWS_PER_CHUNK, job->n);
    for (long i = i0; i < i1; i++) {
#if defined(__x86_64__)
        if (job->use_avx2) { pack_row_avx2(job->z + i * job->ldz, job->b, job->bits + i * job->ldbits); continue; }
#endif
        pack_row_portable(job->z + i * job->ldz, job->b, job->bits + i * job->ldbits);
    }
    if (!job->sums) return;
#if defined(__x86_64__)
    if (job->use_avx2) return add_output_sums_avx2(job, i0, i1);
#endif
    add_output_sums(job, i0, i1);
}

static int cpu_has_avx2(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
#else
    return 0;
#endif
}

void ngd_pack_signs(const double *z, long n, long b, long ldz, uint64_t *bits, long ldbits, const double *a,
                    double *sums, int threads) {
    if (n <= 0 || b <= 0) return;
    pack_job job = {.z = z, .n = n, .b = b, .ldz = ldz, .bits = bits, .ldbits = ldbits, .a = a, .sums = sums,
                    .use_avx2 = cpu_has_avx2()};
    ngd_parallel_for((n + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK, threads, pack_chunk, &job);
}

// --- coefficients ---

typedef struct {
    const uint64_t *bits;
    long ldbits, n, b;
    const double *coefficients, *units;
    double *out;
    long ldout;
    double *accumulate;
    long ldacc;
} coefficient_job;

static void coefficient_chunk(void *argument, long chunk) {
    const coefficient_job *job = argument;
    const long i0 = chunk * ROWS_PER_CHUNK, i1 = min_long(i0 + ROWS_PER_CHUNK, job->n);
    for (long i = i0; i < i1; i++) {
        const uint64_t *bits = job->bits + i * job->ldbits;
        const double c = job->coefficients[i];
        double *out = job->out + i * job->ldout;
        for (long q = 0; q < job->b; q++)
            out[q] = c * job->units[q] * (double)((bits[q >> 6] >> (q & 63)) & 1);
        if (job->accumulate) {
            double *acc = job->accumulate + i * job->ldacc;
            for (long q = 0; q < job->b; q++) acc[q] += out[q];
        }
    }
}

void ngd_pattern_coefficients(const uint64_t *bits, long ldbits, long n, long b, const double *coefficients,
                              const double *units, double *out, long ldout, double *accumulate, long ldacc,
                              int threads) {
    if (n <= 0 || b <= 0) return;
    coefficient_job job = {.bits = bits, .ldbits = ldbits, .n = n, .b = b, .coefficients = coefficients,
                           .units = units, .out = out, .ldout = ldout, .accumulate = accumulate, .ldacc = ldacc};
    ngd_parallel_for((n + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK, threads, coefficient_chunk, &job);
}
