// A helper thread for the engine's two-part parallel loops (Tensor/Parallel.swift).
//
// Implementation goals, in order of priority:
// 1. Correct and simple: one helper thread runs part 1 while the caller runs part 0; whoever
//    claims part 1 first runs it (so a descheduled helper never stalls the caller), and a second
//    concurrent caller (another run in the same process) runs both parts itself — the results
//    are the same either way, since parts write disjoint memory.
// 2. Low latency: a training step makes ~20 parallel calls of 20–500 µs each; waking a sleeping
//    thread costs ~50 µs, so the helper spins (pause, then sched_yield so that a loaded machine's
//    other threads still run) for about a millisecond after each task before it sleeps on a
//    condition variable.
// 3. No allocation per call, no work when threads = 1 (the Swift side never calls in then).

#include "ckernels.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;   // one caller at a time
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;   // guards the sleep handshake
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
// state = 2·g while task g is posted and unclaimed, 2·g + 1 once the caller or the helper has
// claimed its part 1 (compare-and-swap decides who runs it); finished = g after the helper ran it.
static atomic_long state = 0, finished = 0;
static atomic_int sleeping = 0;
static exp_part_fn task_fn;
static void *task_ctx;

// The helper pauses PAUSES times (~0.5 ms: long enough to span the serial stretches between
// two parallel layers of a step, measured 44k → 64k samples/s at n = 64 against 500 pauses),
// then yields the CPU until SPIN_LIMIT checks, then sleeps; the waiting caller does the same.
// On a loaded machine the spinning costs the other processes up to ~0.5 ms of CPU per step.
enum { PAUSES = 20000, SPIN_LIMIT = 22000, YIELD_AFTER = 20000 };

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void *helper(void *unused) {
    (void)unused;
    for (;;) {
        int spins = 0;
        long s;
        while (((s = atomic_load(&state)) & 1) != 0) {   // nothing unclaimed
            if (++spins < PAUSES) { relax(); continue; }
            if (spins < SPIN_LIMIT) { sched_yield(); continue; }
            pthread_mutex_lock(&lock);
            atomic_store(&sleeping, 1);
            while ((atomic_load(&state) & 1) != 0) pthread_cond_wait(&wake, &lock);
            atomic_store(&sleeping, 0);
            pthread_mutex_unlock(&lock);
            spins = 0;
        }
        if (atomic_compare_exchange_strong(&state, &s, s + 1)) {
            task_fn(task_ctx, 1);
            atomic_store(&finished, s / 2);
        }
    }
    return 0;
}

static int started = 0;
static void start(void) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    atomic_store(&state, 1);   // generation 0, claimed: nothing to do
    started = pthread_create(&t, &attr, helper, 0) == 0;
    pthread_attr_destroy(&attr);
}

void exp_parallel_two(exp_part_fn fn, void *ctx) {
    if (pthread_mutex_trylock(&busy) != 0) { fn(ctx, 0); fn(ctx, 1); return; }
    pthread_once(&once, start);
    if (!started) { pthread_mutex_unlock(&busy); fn(ctx, 0); fn(ctx, 1); return; }
    task_fn = fn;
    task_ctx = ctx;
    long g = atomic_load(&state) / 2 + 1;
    atomic_store(&state, 2 * g);   // publish task g, unclaimed
    if (atomic_load(&sleeping)) {
        pthread_mutex_lock(&lock);
        pthread_cond_signal(&wake);
        pthread_mutex_unlock(&lock);
    }
    fn(ctx, 0);
    long expected = 2 * g;
    if (atomic_compare_exchange_strong(&state, &expected, 2 * g + 1)) {
        fn(ctx, 1);   // the helper did not start it (busy elsewhere or descheduled): run it here
    } else {
        for (int spins = 0; atomic_load(&finished) != g; spins++) {
            if (spins < YIELD_AFTER) relax(); else sched_yield();
        }
    }
    pthread_mutex_unlock(&busy);
}
