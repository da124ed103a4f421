// The pattern Gram C(i, j) = popcount(D_i & D_j) summed over words: cache tiles, the lower triangle only,
// tiles dealt to threads, and the counting block chosen for the CPU at run time.
//
// Tiles: T×T pairs of rows (T ≤ 64), walked in chunks of `depth` words so that the two panels of a tile
// (2·T·depth words) stay in L2 while 4×4 blocks of counts run over them; the four rows of A of a block stay in
// L1 across the blocks of a panel row. Only tiles J ≤ I are computed. Threads take tiles from a shared counter;
// each tile is counted by one thread and every count is an exact integer, so the result is the same for every
// kernel, tiling and thread count.
#include "ngd_kernels.h"
#include "pattern_gram_blocks.h"
#include "kernel_common.h"
#include "worker_pool.h"

#include <string.h>

// Swift does not contract a·b + c into one FMA; neither may the C side, or results would differ by a rounding.
#pragma STDC FP_CONTRACT OFF

enum { TILE_MAX = 64, PANEL_WORDS = 24 * 1024, MAX_THREADS = 256 };

typedef struct {
    const uint64_t *words;
    long n, w;
    long tile, tiles, pairs, depth;
    ngd_count_block block;
    int64_t *counts;   // counts mode when non-null
    long ldc;
    double *g;         // scale mode when non-null
    long ldg;
    const double *upper;   // product mode when non-null: g = upper's mirrored upper triangle, scaled
    long ldu;
    double divisor;
} gram_job;

// --- kernel choice ---

int ngd_popcount_kernel_supported(int kernel) {
    switch (kernel) {
    case NGD_POPCOUNT_AUTOMATIC:
    case NGD_POPCOUNT_PORTABLE: return 1;
#if defined(__x86_64__)
    case NGD_POPCOUNT_POPCNT: __builtin_cpu_init(); return __builtin_cpu_supports("popcnt") != 0;
    case NGD_POPCOUNT_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
    case NGD_POPCOUNT_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
#endif
    default: return 0;
    }
}

int ngd_popcount_kernel_automatic(void) {
    static const int preference[] = {NGD_POPCOUNT_AVX512, NGD_POPCOUNT_AVX2, NGD_POPCOUNT_POPCNT};
    for (unsigned k = 0; k < sizeof preference / sizeof preference[0]; k++)
        if (ngd_popcount_kernel_supported(preference[k])) return preference[k];
    return NGD_POPCOUNT_PORTABLE;
}

static ngd_count_block block_for(int kernel) {
    switch (kernel) {
#if defined(__x86_64__)
    case NGD_POPCOUNT_POPCNT: return ngd_count_block_popcnt;
    case NGD_POPCOUNT_AVX2: return ngd_count_block_avx2;
    case NGD_POPCOUNT_AVX512: return ngd_count_block_avx512;
#endif
    default: return ngd_count_block_portable;
    }
}

// --- one tile ---

// tile[(i − i0)·T + (j − j0)] = C(i, j) for the rows of tile I against those of tile J (J ≤ I; on the diagonal
// only blocks that reach j ≤ i are counted).
static void count_tile(const gram_job *job, long I, long J, int64_t *tile) {
    const long T = job->tile, w = job->w;
    const long i0 = I * T, i1 = min_long(i0 + T, job->n), j0 = J * T, j1 = min_long(j0 + T, job->n);
    memset(tile, 0, sizeof(int64_t) * (size_t)(T * T));
    for (long k0 = 0; k0 < w; k0 += job->depth) {
        const long len = min_long(job->depth, w - k0);
        for (long ii = i0; ii < i1; ii += 4) {
            const uint64_t *a[4];
            // Rows past the end repeat the last row: their counts are computed and dropped.
            for (int r = 0; r < 4; r++) a[r] = job->words + min_long(ii + r, i1 - 1) * w + k0;
            const long jend = I == J ? min_long(ii + 4, j1) : j1;
            for (long jj = j0; jj < jend; jj += 4) {
                const uint64_t *b[4];
                for (int c = 0; c < 4; c++) b[c] = job->words + min_long(jj + c, j1 - 1) * w + k0;
                int64_t out[16] = {0};
                job->block(a, b, len, out);
                for (int r = 0; r < 4 && ii + r < i1; r++)
                    for (int c = 0; c < 4 && jj + c < j1; c++)
                        tile[(ii + r - i0) * T + (jj + c - j0)] += out[4 * r + c];
            }
        }
    }
}

static void store_tile(const gram_job *job, long I, long J, const int64_t *tile) {
    const long T = job->tile;
    const long i0 = I * T, i1 = min_long(i0 + T, job->n), j0 = J * T, j1 = min_long(j0 + T, job->n);
    for (long i = i0; i < i1; i++) {
        const long jend = I == J ? i + 1 : j1;
        const int64_t *row = tile + (i - i0) * T;
        if (job->counts) {
            for (long j = j0; j < jend; j++) job->counts[i * job->ldc + j] = row[j - j0];
        } else if (job->upper) {
            // Entry (i, j) of a symmetric matrix whose upper triangle alone is valid is upper[j][i] (j ≤ i);
            // both of g's entries get the same product, as if the matrix had been mirrored first.
            for (long j = j0; j < jend; j++) {
                const double fraction = (double)row[j - j0] / job->divisor;
                const double value = job->upper[j * job->ldu + i] * fraction;
                job->g[i * job->ldg + j] = value;
                job->g[j * job->ldg + i] = value;
            }
        } else {
            for (long j = j0; j < jend; j++) {
                // The same two roundings as dividing the count first and scaling G by the fraction.
                const double fraction = (double)row[j - j0] / job->divisor;
                job->g[i * job->ldg + j] *= fraction;
                if (j != i) job->g[j * job->ldg + i] *= fraction;
            }
        }
    }
}

static void work(void *argument, long k) {
    const gram_job *job = argument;
    int64_t tile[TILE_MAX * TILE_MAX];
    long I = 0;   // pair k is (I, J) with k = I(I+1)/2 + J, J ≤ I
    while ((I + 1) * (I + 2) / 2 <= k) I++;
    const long J = k - I * (I + 1) / 2;
    count_tile(job, I, J, tile);
    store_tile(job, I, J, tile);
}

// --- driver ---

static int run(gram_job *job, int kernel, int threads) {
    if (kernel == NGD_POPCOUNT_AUTOMATIC) kernel = ngd_popcount_kernel_automatic();
    if (!ngd_popcount_kernel_supported(kernel)) return -1;
    if (job->n <= 0) return kernel;
    if (threads < 1) threads = 1;
    if (threads > MAX_THREADS) threads = MAX_THREADS;
    job->block = block_for(kernel);
    // Smaller tiles when there are too few pairs to keep every thread busy.
    long T = TILE_MAX;
    for (;;) {
        const long tiles = (job->n + T - 1) / T;
        if (T <= 16 || tiles * (tiles + 1) / 2 >= 4L * threads) break;
        T /= 2;
    }
    job->tile = T;
    job->tiles = (job->n + T - 1) / T;
    job->pairs = job->tiles * (job->tiles + 1) / 2;
    job->depth = PANEL_WORDS / (2 * T);
    // Waking a worker costs microseconds: give each at least ~2^16 word pairs.
    const double pairs_of_words = (double)job->n * (double)(job->n + 1) / 2 * (double)job->w;
    if (threads > 1 + pairs_of_words / (1 << 16)) threads = (int)(1 + pairs_of_words / (1 << 16));
    ngd_parallel_for(job->pairs, threads, work, job);
    return kernel;
}

int ngd_pattern_gram_counts(const uint64_t *words, long n, long w, int64_t *counts, long ldc,
                            int kernel, int threads) {
    gram_job job = {.words = words, .n = n, .w = w, .counts = counts, .ldc = ldc};
    return run(&job, kernel, threads);
}

int ngd_pattern_gram_scale(const uint64_t *words, long n, long w, double *g, long ldg, double divisor,
                           int kernel, int threads) {
    gram_job job = {.words = words, .n = n, .w = w, .g = g, .ldg = ldg, .divisor = divisor};
    return run(&job, kernel, threads);
}

int ngd_pattern_gram_product(const uint64_t *words, long n, long w, const double *upper, long ldu, double *g,
                             long ldg, double divisor, int kernel, int threads) {
    gram_job job = {.words = words, .n = n, .w = w, .g = g, .ldg = ldg, .upper = upper, .ldu = ldu,
                    .divisor = divisor};
    return run(&job, kernel, threads);
}
