// Worker threads started once and kept: the step runs a dozen parallel loops per block of units, and starting
// threads for each (tens of microseconds apiece) would cost more than small loops take. Workers sleep on a
// condition variable between loops.
//
// On a machine with more runnable threads than cores a woken worker may not run for many milliseconds. The
// caller therefore takes chunks itself and, once none are left, closes the loop: it waits only for workers
// that are inside a chunk, never for one that has not started (that one finds the loop closed and sleeps on).
#include "worker_pool.h"

#include <pthread.h>

enum { MAX_WORKERS = 255 };

static pthread_mutex_t caller = PTHREAD_MUTEX_INITIALIZER;   // one loop at a time
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER, finished = PTHREAD_COND_INITIALIZER;
// Guarded by `lock`:
static int started;          // workers running
static long generation;      // bumped for every loop
static int wanted;           // workers that may take part in the current loop (index < wanted)
static int open_loop;        // whether the current loop still admits workers
static int running;          // workers inside the current loop
static ngd_chunk_task current_task;
static void *current_context;
static long current_chunks;
static long next_chunk;      // atomic: the next chunk to take

static void take_chunks(ngd_chunk_task task, void *context, long chunks) {
    for (;;) {
        const long c = __atomic_fetch_add(&next_chunk, 1, __ATOMIC_RELAXED);
        if (c >= chunks) return;
        task(context, c);
    }
}

static void *worker(void *argument) {
    const int index = (int)(long)argument;
    long seen = 0;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (generation == seen) pthread_cond_wait(&wake, &lock);
        seen = generation;
        if (index >= wanted || !open_loop) continue;
        running++;
        ngd_chunk_task task = current_task;
        void *context = current_context;
        const long chunks = current_chunks;
        pthread_mutex_unlock(&lock);
        take_chunks(task, context, chunks);
        pthread_mutex_lock(&lock);
        if (--running == 0 && !open_loop) pthread_cond_signal(&finished);
    }
    return NULL;
}

void ngd_parallel_for(long chunks, int threads, ngd_chunk_task task, void *context) {
    if (chunks <= 0) return;
    if (threads > MAX_WORKERS + 1) threads = MAX_WORKERS + 1;
    if (threads > chunks) threads = (int)chunks;
    if (threads <= 1 || pthread_mutex_trylock(&caller) != 0) {
        for (long c = 0; c < chunks; c++) task(context, c);
        return;
    }
    pthread_mutex_lock(&lock);
    while (started < threads - 1) {
        pthread_t thread;
        // A worker that cannot start leaves its chunks to the others.
        if (pthread_create(&thread, NULL, worker, (void *)(long)started) != 0) break;
        pthread_detach(thread);
        started++;
    }
    wanted = threads - 1 < started ? threads - 1 : started;
    current_task = task;
    current_context = context;
    current_chunks = chunks;
    __atomic_store_n(&next_chunk, 0, __ATOMIC_RELAXED);
    open_loop = 1;
    generation++;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);

    take_chunks(task, context, chunks);

    pthread_mutex_lock(&lock);
    open_loop = 0;
    while (running > 0) pthread_cond_wait(&finished, &lock);
    pthread_mutex_unlock(&lock);
    pthread_mutex_unlock(&caller);
}
