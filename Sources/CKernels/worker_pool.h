// One pool of worker threads for every parallel kernel (worker_pool.c).
#ifndef NGD_WORKER_POOL_H
#define NGD_WORKER_POOL_H

/// One chunk of a parallel loop; chunks are independent of each other.
typedef void (*ngd_chunk_task)(void *context, long chunk);

/// Runs task(context, c) for every 0 ≤ c < chunks on up to `threads` threads (the caller's among them), chunks
/// taken in order from a shared counter; returns when all are done. Which thread runs a chunk must not matter
/// to the result. When the pool is busy with another caller, or threads ≤ 1, the caller runs every chunk.
void ngd_parallel_for(long chunks, int threads, ngd_chunk_task task, void *context);

#endif
