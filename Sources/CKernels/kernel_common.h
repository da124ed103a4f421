// Small helpers shared by the C kernels (internal: not part of ngd_kernels.h's interface).
#ifndef NGD_KERNEL_COMMON_H
#define NGD_KERNEL_COMMON_H

/// The end of a chunk, tile or block clipped to its limit: min(a, b).
static inline long min_long(long a, long b) { return a < b ? a : b; }

#endif
