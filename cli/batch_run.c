/*
 * batch_run.c - the analyses of `metasyn batch` on worker threads.
 *
 * The reading thread submits jobs (one analysis each) into a ring of slots;
 * workers take them in submission order, each with its own msyn_cache, and
 * mark them done; the reading thread writes finished jobs strictly in
 * submission order, so the output is the same for any number of threads
 * (every analysis is computed by the same code on its own data).  The ring
 * holds at most 4 chunks per thread (a chunk: one analysis, or several
 * small ones up to a few hundred rows): memory is bounded by that, whatever
 * the size of the file.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"

enum { SLOT_QUEUED = 1, SLOT_DONE = 2 };

struct batch_runner {
    const batch_ctx *c;
    int threads;
    batch_write_fn write;
    void *ud;
    batch_stats stats;
    msyn_cache *cache0;       /* the calling thread's (threads == 1)     */
    /* threads > 1 */
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_t *tid;
    size_t nstarted;
    msyn_cache **cache;       /* one per worker                           */
    batch_job **slot;
    int *state;
    size_t depth;
    size_t submitted, taken, written;
    int closing;
    int sync_init;
};

typedef struct worker_arg {
    batch_runner *r;
    size_t i;
} worker_arg;

static void *worker(void *p)
{
    batch_runner *r = ((worker_arg *)p)->r;
    msyn_cache *cache = r->cache[((worker_arg *)p)->i];
    app_free(p);
    pthread_mutex_lock(&r->mu);
    for (;;) {
        batch_job *j;
        size_t s;
        while (r->taken == r->submitted && !r->closing)
            pthread_cond_wait(&r->work, &r->mu);
        if (r->taken == r->submitted)
            break;
        s = r->taken++ % r->depth;
        j = r->slot[s];
        pthread_mutex_unlock(&r->mu);
        for (; j; j = j->next)
            batch_fit(r->c, j, cache);
        pthread_mutex_lock(&r->mu);
        r->state[s] = SLOT_DONE;
        pthread_cond_broadcast(&r->done);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

static int start_threads(batch_runner *r, app_err *e)
{
    size_t n = (size_t)r->threads;
    r->depth = 4 * n;
    r->tid = app_calloc(n, sizeof *r->tid);
    r->cache = app_calloc(n, sizeof *r->cache);
    r->slot = app_calloc(r->depth, sizeof *r->slot);
    r->state = app_calloc(r->depth, sizeof *r->state);
    if (!r->tid || !r->cache || !r->slot || !r->state)
        return oom(e);
    for (size_t i = 0; i < n; i++)
        if (!(r->cache[i] = msyn_cache_new(app_msyn_allocator())))
            return oom(e);
    if (pthread_mutex_init(&r->mu, NULL) != 0)
        return oom(e);
    if (pthread_cond_init(&r->work, NULL) != 0) {
        pthread_mutex_destroy(&r->mu);
        return oom(e);
    }
    if (pthread_cond_init(&r->done, NULL) != 0) {
        pthread_cond_destroy(&r->work);
        pthread_mutex_destroy(&r->mu);
        return oom(e);
    }
    r->sync_init = 1;
    for (size_t i = 0; i < n; i++) {
        worker_arg *a = app_alloc(sizeof *a);
        int rc;
        if (!a)
            return oom(e);
        a->r = r;
        a->i = i;
        if ((rc = pthread_create(&r->tid[i], NULL, worker, a)) != 0) {
            app_free(a);
            app_err_set(e, APP_EXIT_INTERNAL, "cannot start a worker thread: %s", strerror(rc));
            return -1;
        }
        r->nstarted++;
    }
    return 0;
}

batch_runner *batch_runner_new(const batch_ctx *c, int threads, batch_write_fn write, void *ud,
                               app_err *e)
{
    batch_runner *r = app_calloc(1, sizeof *r);
    if (!r) {
        oom(e);
        return NULL;
    }
    r->c = c;
    r->threads = threads < 1 ? 1 : threads;
    r->write = write;
    r->ud = ud;
    if (r->threads == 1) {
        if (!(r->cache0 = msyn_cache_new(app_msyn_allocator()))) {
            oom(e);
            batch_runner_free(r);
            return NULL;
        }
        return r;
    }
    if (start_threads(r, e) != 0) {
        batch_runner_free(r);
        return NULL;
    }
    return r;
}

static void free_chunk(batch_job *j)
{
    while (j) {
        batch_job *next = j->next;
        batch_job_free(j);
        j = next;
    }
}

/* Write the jobs of a chunk (owned by this function from now on). */
static int emit(batch_runner *r, batch_job *j, app_err *e)
{
    int rc = 0;
    for (batch_job *p = j; p && rc == 0; p = p->next) {
        if (p->fatal) {
            *e = p->err;
            rc = -1;
        } else {
            r->stats.done++;
            r->stats.failed += p->failed != 0;
            rc = r->write(r->ud, p, e);
        }
    }
    free_chunk(j);
    return rc;
}

/* Write the finished jobs at the head of the ring; with wait, block until
 * the head is finished first.  Called without the lock. */
static int drain(batch_runner *r, int wait, app_err *e)
{
    for (;;) {
        batch_job *j;
        size_t s;
        pthread_mutex_lock(&r->mu);
        if (r->written == r->submitted) {
            pthread_mutex_unlock(&r->mu);
            return 0;
        }
        s = r->written % r->depth;
        while (wait && r->state[s] != SLOT_DONE)
            pthread_cond_wait(&r->done, &r->mu);
        if (r->state[s] != SLOT_DONE) {
            pthread_mutex_unlock(&r->mu);
            return 0;
        }
        j = r->slot[s];
        r->slot[s] = NULL;
        r->state[s] = 0;
        r->written++;
        pthread_mutex_unlock(&r->mu);
        if (emit(r, j, e) != 0)
            return -1;
        if (wait == 1)
            wait = 0; /* one slot is free now */
    }
}

int batch_runner_submit(batch_runner *r, batch_job *j, app_err *e)
{
    size_t s;
    if (r->threads == 1) {
        for (batch_job *p = j; p; p = p->next)
            batch_fit(r->c, p, r->cache0);
        return emit(r, j, e);
    }
    if (drain(r, 0, e) != 0) {
        free_chunk(j);
        return -1;
    }
    if (r->submitted - r->written == r->depth && drain(r, 1, e) != 0) {
        free_chunk(j);
        return -1;
    }
    pthread_mutex_lock(&r->mu);
    s = r->submitted % r->depth;
    r->slot[s] = j;
    r->state[s] = SLOT_QUEUED;
    r->submitted++;
    pthread_cond_signal(&r->work);
    pthread_mutex_unlock(&r->mu);
    return 0;
}

int batch_runner_finish(batch_runner *r, app_err *e)
{
    if (r->threads == 1)
        return 0;
    return drain(r, 2, e);
}

const batch_stats *batch_runner_stats(const batch_runner *r) { return &r->stats; }

void batch_runner_free(batch_runner *r)
{
    if (!r)
        return;
    msyn_cache_free(r->cache0);
    if (r->sync_init) {
        pthread_mutex_lock(&r->mu);
        r->closing = 1;
        /* jobs not yet taken are dropped: the run has failed or finished */
        while (r->taken < r->submitted) {
            size_t s = r->taken++ % r->depth;
            r->state[s] = SLOT_DONE;
        }
        pthread_cond_broadcast(&r->work);
        pthread_mutex_unlock(&r->mu);
        for (size_t i = 0; i < r->nstarted; i++)
            pthread_join(r->tid[i], NULL);
        pthread_cond_destroy(&r->done);
        pthread_cond_destroy(&r->work);
        pthread_mutex_destroy(&r->mu);
    }
    for (size_t s = 0; r->slot && s < r->depth; s++)
        free_chunk(r->slot[s]);
    if (r->cache)
        for (size_t i = 0; i < (size_t)r->threads; i++)
            msyn_cache_free(r->cache[i]);
    app_free(r->cache);
    app_free(r->slot);
    app_free(r->state);
    app_free(r->tid);
    app_free(r);
}
