#ifndef NGD_KERNELS_H
#define NGD_KERNELS_H

#include <stdint.h>

/// For one row i of a bit-packed n×w matrix of 64-bit words (row-major), writes
/// counts[j − i] = Σ_t popcount(words[i·w + t] & words[j·w + t]) for j = i … n − 1.
///
/// Exact integer counts. On x86-64 CPUs with the POPCNT instruction (every CPU since 2008–2011) the kernel
/// uses it, chosen once at run time; elsewhere the compiler's portable popcount runs. Same results either way.
void ngd_shared_bit_counts(const uint64_t *words, long n, long w, long i, int64_t *counts);

/// Whether `ngd_shared_bit_counts` runs on a hardware population-count instruction (for `ngd bench`).
int ngd_shared_bit_counts_uses_hardware_popcount(void);

#endif
