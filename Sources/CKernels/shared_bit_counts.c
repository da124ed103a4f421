// The activation-pattern Gram's inner loop: AND + popcount over bit-packed rows.
//
// Swift's baseline x86-64 target has no POPCNT, so `nonzeroBitCount` compiles to a bit-trick sequence that
// made the Gram of (n, m) = (2048, 16384) cost ≈ 0.6 s. Here the same loop is compiled twice — once for
// POPCNT, once portable — and the first call picks one with `__builtin_cpu_supports`, so the binary still
// runs on any x86-64 (and the counts, being exact integers, do not depend on the choice).
#include "ngd_kernels.h"

// Row i is ANDed with four rows j at once: one load of row i's word feeds four popcounts. Inlined into
// each caller, so `__builtin_popcountll` compiles to whatever that caller's target offers.
static inline __attribute__((always_inline))
void shared_bit_counts_body(const uint64_t *words, long n, long w, long i, int64_t *counts) {
    const uint64_t *a = words + i * w;
    long j = i;
    for (; j + 4 <= n; j += 4) {
        const uint64_t *b0 = words + j * w, *b1 = b0 + w, *b2 = b1 + w, *b3 = b2 + w;
        int64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (long t = 0; t < w; t++) {
            uint64_t x = a[t];
            s0 += __builtin_popcountll(x & b0[t]);
            s1 += __builtin_popcountll(x & b1[t]);
            s2 += __builtin_popcountll(x & b2[t]);
            s3 += __builtin_popcountll(x & b3[t]);
        }
        counts[j - i] = s0;
        counts[j - i + 1] = s1;
        counts[j - i + 2] = s2;
        counts[j - i + 3] = s3;
    }
    for (; j < n; j++) {
        const uint64_t *b = words + j * w;
        int64_t s = 0;
        for (long t = 0; t < w; t++) s += __builtin_popcountll(a[t] & b[t]);
        counts[j - i] = s;
    }
}

static void shared_bit_counts_portable(const uint64_t *words, long n, long w, long i, int64_t *counts) {
    shared_bit_counts_body(words, n, w, i, counts);
}

#if defined(__x86_64__)
__attribute__((target("popcnt")))
static void shared_bit_counts_popcnt(const uint64_t *words, long n, long w, long i, int64_t *counts) {
    shared_bit_counts_body(words, n, w, i, counts);
}

typedef void (*shared_bit_counts_kernel)(const uint64_t *, long, long, long, int64_t *);

static shared_bit_counts_kernel chosen_kernel(void) {
    // Threads may race to fill the cache; they all store the same pointer.
    static shared_bit_counts_kernel cached = 0;
    shared_bit_counts_kernel kernel = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (!kernel) {
        __builtin_cpu_init();
        kernel = __builtin_cpu_supports("popcnt") ? shared_bit_counts_popcnt : shared_bit_counts_portable;
        __atomic_store_n(&cached, kernel, __ATOMIC_RELAXED);
    }
    return kernel;
}

void ngd_shared_bit_counts(const uint64_t *words, long n, long w, long i, int64_t *counts) {
    chosen_kernel()(words, n, w, i, counts);
}

int ngd_shared_bit_counts_uses_hardware_popcount(void) { return chosen_kernel() == shared_bit_counts_popcnt; }
#else
// Other architectures (arm64: `cnt`) have a population count in their baseline target.
void ngd_shared_bit_counts(const uint64_t *words, long n, long w, long i, int64_t *counts) {
    shared_bit_counts_portable(words, n, w, i, counts);
}

int ngd_shared_bit_counts_uses_hardware_popcount(void) { return 1; }
#endif
