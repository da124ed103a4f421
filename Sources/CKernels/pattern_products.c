// The step's two products that only exist to be read by a pattern loop, computed tile by tile on the worker
// pool so that neither reaches memory: Z = X·Wᵀ, read once for its signs and output sums, and the coefficient
// matrix B, read once by W += Bᵀ·R (and, with Z's tiles, the rows of X·Xᵀ the pattern Gram needs, so that the
// Gram wakes no BLAS thread). Each pool thread calls a one-thread dgemm on its own tile, which it then
// reads from its cache; the BLAS's own threads stay idle (the caller sets the BLAS to one thread), so they do
// not spin beside the pool's workers. Tiles depend on the sizes only, never on the thread count, and every
// output element is written by one tile, so the results are the same for every thread count.
#include "ngd_kernels.h"
#include "kernel_common.h"
#include "worker_pool.h"

#include <stdlib.h>

enum { MAX_SLOTS = 256 };

// One scratch buffer per thread that may run a chunk at once (the pool runs at most `threads`): a chunk takes
// a free slot and gives it back, so the buffers are allocated once, before any work, and a failed allocation
// leaves every output untouched.
typedef struct {
    double *buffers;
    long doubles_per_slot;
    int slots;
    int taken[MAX_SLOTS];
} scratch_slots;

static int scratch_open(scratch_slots *s, long chunks, int threads, long doubles) {
    long slots = threads < 1 ? 1 : threads;
    if (slots > chunks) slots = chunks;
    if (slots > MAX_SLOTS) slots = MAX_SLOTS;
    s->slots = (int)slots;
    s->doubles_per_slot = doubles;
    for (int k = 0; k < MAX_SLOTS; k++) s->taken[k] = 0;
    s->buffers = malloc((size_t)slots * (size_t)doubles * sizeof(double));
    return s->buffers != NULL;
}

static int scratch_take(scratch_slots *s) {
    for (;;)
        for (int k = 0; k < s->slots; k++)
            if (!__atomic_exchange_n(&s->taken[k], 1, __ATOMIC_ACQUIRE)) return k;
}

static void scratch_give(scratch_slots *s, int k) { __atomic_store_n(&s->taken[k], 0, __ATOMIC_RELEASE); }

// --- Z = X·Wᵀ, its signs and the output sums ---

typedef struct {
    const double *x, *w, *a;
    long n, d, m, block, rows;
    uint64_t *bits;
    long ldbits;
    double *sums;
    double *input_gram;
    ngd_gemm_function gemm;
    scratch_slots scratch;
} signs_job;

// Rows per tile: a tile of `rows` × `block` doubles stays in L2 (≤ 1 MB for 128 × 1024), and n is cut into
// about 32 tiles so that many threads share the work; at least 8 rows.
static long signs_tile_rows(long n) {
    long rows = (n + 31) / 32;
    rows = (rows + 7) / 8 * 8;
    if (rows < 8) rows = 8;
    return rows > 128 ? 128 : rows;
}

static void signs_chunk(void *argument, long chunk) {
    signs_job *job = argument;
    const long i0 = chunk * job->rows, rows = min_long(job->rows, job->n - i0);
    if (job->input_gram)   // rows i0… of X·Xᵀ from column i0 on: the diagonal block and everything right of it
        job->gemm(0, 1, rows, job->n - i0, job->d, 1, job->x + i0 * job->d, job->d, job->x + i0 * job->d, job->d,
                  0, job->input_gram + i0 * job->n + i0, job->n);
    const int slot = scratch_take(&job->scratch);
    double *z = job->scratch.buffers + slot * job->scratch.doubles_per_slot;
    // Blocks of units in order, so that each row's sum is added block by block as ngd_pack_signs does.
    for (long u0 = 0; u0 < job->m; u0 += job->block) {
        const long units = min_long(job->block, job->m - u0);
        job->gemm(0, 1, rows, units, job->d, 1, job->x + i0 * job->d, job->d, job->w + u0 * job->d, job->d,
                  0, z, units);
        if (job->bits)
            ngd_pack_signs(z, rows, units, units, job->bits + i0 * job->ldbits + u0 / 64, job->ldbits,
                           job->a + u0, job->sums ? job->sums + i0 : NULL, 1);
    }
    scratch_give(&job->scratch, slot);
}

int ngd_pack_signs_of_product(const double *x, long n, long d, const double *w, long m, long block,
                              const double *a, uint64_t *bits, long ldbits, double *sums, double *input_gram,
                              ngd_gemm_function gemm, int threads) {
    if (n <= 0 || m <= 0 || d <= 0) return 0;
    if (block <= 0 || block % 64 != 0) return -1;
    const long rows = signs_tile_rows(n), chunks = (n + rows - 1) / rows;
    signs_job job = {.x = x, .w = w, .a = a, .n = n, .d = d, .m = m, .block = block, .rows = rows,
                     .bits = bits, .ldbits = ldbits, .sums = sums, .input_gram = input_gram, .gemm = gemm};
    if (!scratch_open(&job.scratch, chunks, threads, rows * min_long(block, m))) return -1;
    ngd_parallel_for(chunks, threads, signs_chunk, &job);
    free(job.scratch.buffers);
    return 0;
}

// --- W += Bᵀ·R ---

typedef struct {
    const uint64_t *bits;
    long ldbits, n, m, tile;
    const double *coefficients, *units, *r;
    long d;
    double *w;
    ngd_gemm_function gemm;
    scratch_slots scratch;
} update_job;

static void update_chunk(void *argument, long chunk) {
    update_job *job = argument;
    const long u0 = chunk * job->tile, units = min_long(job->tile, job->m - u0);
    const int slot = scratch_take(&job->scratch);
    double *b = job->scratch.buffers + slot * job->scratch.doubles_per_slot;
    ngd_pattern_coefficients(job->bits + u0 / 64, job->ldbits, job->n, units, job->coefficients, job->units + u0,
                             b, units, NULL, 0, 1);
    // W[u0 ..< u0 + units] += B_tileᵀ · R: the same product, row for row of W, as the blocked update's.
    job->gemm(1, 0, units, job->d, job->n, 1, b, units, job->r, job->d, 1, job->w + u0 * job->d, job->d);
    scratch_give(&job->scratch, slot);
}

int ngd_add_pattern_product(const uint64_t *bits, long ldbits, long n, long m, long tile,
                            const double *coefficients, const double *units, const double *r, long d, double *w,
                            ngd_gemm_function gemm, int threads) {
    if (n <= 0 || m <= 0 || d <= 0) return 0;
    if (tile <= 0 || tile % 64 != 0) return -1;
    const long chunks = (m + tile - 1) / tile;
    update_job job = {.bits = bits, .ldbits = ldbits, .n = n, .m = m, .tile = tile, .coefficients = coefficients,
                      .units = units, .r = r, .d = d, .w = w, .gemm = gemm};
    if (!scratch_open(&job.scratch, chunks, threads, n * min_long(tile, m))) return -1;
    ngd_parallel_for(chunks, threads, update_chunk, &job);
    free(job.scratch.buffers);
    return 0;
}
