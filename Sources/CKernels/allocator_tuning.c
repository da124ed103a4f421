#include "ngd_kernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void ngd_keep_large_allocations(void) {
#if defined(__GLIBC__)
    // 1 GiB: above every block a training step allocates, so freed blocks stay in the heap for the next step.
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}
