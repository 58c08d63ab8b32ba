/*
 * sim_run.c - the replications of `metasyn simulate`: data drawn from the
 * random-effects model, effect sizes by msyn_es() (so zero cells and small
 * samples behave as in real analyses), every method fitted by msyn_pool(),
 * and the sums the summary needs.
 *
 * The replications of a scenario are cut into sim_blocks(reps) blocks,
 * fixed by the number of replications alone; a block is the unit of work
 * of a thread.  A replication's random numbers depend only on the seed, the
 * scenario's index in the grid and the replication's index (simrng.h), and
 * blocks are summed in order once all are done, so the output is the same
 * for any number of threads.
 */
#define _POSIX_C_SOURCE 200809L
#define MATHLIB_STANDALONE 1
#include <Rmath.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sim.h"
#include "simrng.h"

enum { MAX_BLOCKS = 32 };

size_t sim_blocks(size_t reps) { return reps < MAX_BLOCKS ? (reps ? reps : 1) : MAX_BLOCKS; }

/* A thread's scratch space. */
typedef struct scratch {
    double *a[6];             /* n1i m1i sd1i n2i m2i sd2i, or ai bi ci di */
    double *yi, *vi;
    unsigned *flags;
    msyn_cache *cache;
} scratch;

static void scratch_free(scratch *w)
{
    for (int i = 0; i < 6; i++)
        app_free(w->a[i]);
    app_free(w->yi);
    app_free(w->vi);
    app_free(w->flags);
    msyn_cache_free(w->cache);
    memset(w, 0, sizeof *w);
}

static int scratch_new(scratch *w, size_t kmax)
{
    memset(w, 0, sizeof *w);
    for (int i = 0; i < 6; i++)
        if (!(w->a[i] = app_calloc(kmax, sizeof(double))))
            return -1;
    w->yi = app_calloc(kmax, sizeof(double));
    w->vi = app_calloc(kmax, sizeof(double));
    w->flags = app_calloc(kmax, sizeof(unsigned));
    w->cache = msyn_cache_new(app_msyn_allocator());
    return w->yi && w->vi && w->flags && w->cache ? 0 : -1;
}

/* Draw the k studies of one replication into w->a and set d's columns.
 * Every study takes the same number of uniforms (6 continuous, 4 binary). */
static void draw(const sim_ctx *c, const sim_scenario *s, sim_rng *r, scratch *w, msyn_es_data *d)
{
    double sd_theta = sqrt(s->tau2);
    memset(d, 0, sizeof *d);
    for (size_t i = 0; i < s->k; i++) {
        double theta = s->mu + sd_theta * sim_rng_norm(r);
        double n = (double)sim_rng_int(r, s->n_lo, s->n_hi);
        if (c->outcome == SIM_CONTINUOUS) {
            /* arm means N(theta, 1/n) and N(0, 1/n); SDs from chi2(n-1) */
            double rn = sqrt(n);
            w->a[0][i] = n;
            w->a[1][i] = theta + sim_rng_norm(r) / rn;
            w->a[2][i] = sqrt(sim_rng_chisq(r, n - 1) / (n - 1));
            w->a[3][i] = n;
            w->a[4][i] = sim_rng_norm(r) / rn;
            w->a[5][i] = sqrt(sim_rng_chisq(r, n - 1) / (n - 1));
        } else {
            double p1, e1, e0;
            if (c->measure == MSYN_MEASURE_RR)
                p1 = fmin(1.0, s->p0 * exp(theta));
            else
                p1 = plogis(qlogis(s->p0, 0, 1, 1, 0) + theta, 0, 1, 1, 0);
            e1 = sim_rng_binom(r, n, p1);
            e0 = sim_rng_binom(r, n, s->p0);
            w->a[0][i] = e1;
            w->a[1][i] = n - e1;
            w->a[2][i] = e0;
            w->a[3][i] = n - e0;
        }
    }
    if (c->outcome == SIM_CONTINUOUS) {
        d->n1i = w->a[0];
        d->m1i = w->a[1];
        d->sd1i = w->a[2];
        d->n2i = w->a[3];
        d->m2i = w->a[4];
        d->sd2i = w->a[5];
    } else {
        d->ai = w->a[0];
        d->bi = w->a[1];
        d->ci = w->a[2];
        d->di = w->a[3];
    }
}

/* P(theta_new in [lb, ub]) for theta_new ~ N(mu, tau2), exactly. */
static double pi_coverage(double lb, double ub, double mu, double tau2)
{
    if (!(lb <= ub))
        return NAN;
    if (tau2 <= 0)
        return lb <= mu && mu <= ub ? 1.0 : 0.0;
    return pnorm(ub, mu, sqrt(tau2), 1, 0) - pnorm(lb, mu, sqrt(tau2), 1, 0);
}

static void add_fit(sim_acc *a, const sim_scenario *s, const msyn_fit *f, double alpha)
{
    double d = f->estimate - s->mu, t = f->tau2 - s->tau2, w = f->ci_ub - f->ci_lb;
    double pc = pi_coverage(f->pi_lb, f->pi_ub, s->mu, s->tau2);
    a->used += 1;
    a->fallback += (f->flags & MSYN_FIT_FALLBACK) != 0;
    a->d += d;
    a->d2 += d * d;
    a->d4 += d * d * d * d;
    a->t += t;
    a->t2 += t * t;
    a->t4 += t * t * t * t;
    a->cover += f->ci_lb <= s->mu && s->mu <= f->ci_ub;
    a->width += w;
    a->width2 += w * w;
    a->pic += pc;
    a->pic2 += pc * pc;
    a->reject += f->pval < alpha;
}

/* One replication: acc gets one fit per method.  -1: out of memory. */
static int replicate(const sim_ctx *c, const sim_scenario *s, size_t rep, scratch *w, sim_acc *acc)
{
    sim_rng r;
    msyn_es_data d;
    msyn_es_opts eo;
    msyn_status rc;
    sim_rng_init(&r, c->seed, s->index, rep);
    draw(c, s, &r, w, &d);
    msyn_es_opts_default(&eo);
    rc = msyn_es(c->measure, &d, s->k, &eo, w->yi, w->vi, w->flags);
    if (rc == MSYN_ENOMEM)
        return -1;
    for (size_t m = 0; m < c->nmethods; m++) {
        msyn_pool_opts po;
        msyn_fit f;
        acc[m].reps += 1;
        if (rc != MSYN_OK)
            continue;
        msyn_pool_opts_default(&po);
        po.method = c->methods[m].method;
        po.test = c->methods[m].test;
        po.level = c->level;
        po.tau2_ci = 0;
        po.alloc = app_msyn_allocator();
        po.cache = w->cache;
        rc = msyn_pool(w->yi, w->vi, s->k, &po, &f);
        if (rc == MSYN_ENOMEM)
            return -1;
        if (rc == MSYN_OK && f.converged && isfinite(f.estimate) && isfinite(f.tau2))
            add_fit(&acc[m], s, &f, 1 - c->level);
        rc = MSYN_OK;
    }
    return 0;
}

/* Work shared by the threads. */
typedef struct run {
    const sim_ctx *c;
    size_t nb, nunits;
    sim_acc *unit;            /* nunits * nmethods                        */
    size_t next, done;
    int fatal;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t kmax;
} run;

static int do_unit(run *R, size_t u, scratch *w)
{
    const sim_ctx *c = R->c;
    const sim_scenario *s = &c->scen[u / R->nb];
    size_t b = u % R->nb;
    size_t lo = b * c->reps / R->nb, hi = (b + 1) * c->reps / R->nb;
    for (size_t rep = lo; rep < hi; rep++)
        if (replicate(c, s, rep, w, &R->unit[u * c->nmethods]) != 0)
            return -1;
    return 0;
}

static void *worker(void *p)
{
    run *R = p;
    scratch w;
    int ok = scratch_new(&w, R->kmax) == 0;
    for (;;) {
        size_t u;
        pthread_mutex_lock(&R->mu);
        if (!ok)
            R->fatal = 1;
        if (R->fatal || R->next == R->nunits) {
            pthread_cond_broadcast(&R->cv);
            pthread_mutex_unlock(&R->mu);
            break;
        }
        u = R->next++;
        pthread_mutex_unlock(&R->mu);
        ok = do_unit(R, u, &w) == 0;
        pthread_mutex_lock(&R->mu);
        R->done += ok ? 1u : 0u;
        pthread_cond_broadcast(&R->cv);
        pthread_mutex_unlock(&R->mu);
    }
    scratch_free(&w);
    return NULL;
}

static double since(const struct timespec *a)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - a->tv_sec) + 1e-9 * (double)(now.tv_nsec - a->tv_nsec);
}

static void progress(const run *R, size_t done, const struct timespec *t0, int final)
{
    double el = since(t0), f = R->nunits ? (double)done / (double)R->nunits : 1;
    double reps = f * (double)R->c->reps * (double)R->c->nscen;
    fprintf(stderr, "\rmetasyn simulate: %.0f%% of %zu scenarios x %zu replications, %.0f/s, %.1f s", 100 * f,
            R->c->nscen, R->c->reps, el > 0 ? reps / el : 0.0, el);
    if (!final && f > 0.001)
        fprintf(stderr, ", ETA %.0f s", el / f - el);
    fputs(final ? "\n" : "\033[K", stderr);
}

/* Threads > 1: start them, show progress, wait.  0, or -1 (e set). */
static int run_threads(run *R, app_err *e)
{
    size_t n = (size_t)R->c->threads, started = 0;
    pthread_t *tid;
    struct timespec t0;
    int rc = 0;
    if (n > R->nunits)
        n = R->nunits;
    if (!(tid = app_calloc(n, sizeof *tid))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (; started < n; started++) {
        int prc = pthread_create(&tid[started], NULL, worker, R);
        if (prc != 0) {
            pthread_mutex_lock(&R->mu);
            R->fatal = 2;
            pthread_mutex_unlock(&R->mu);
            app_err_set(e, APP_EXIT_INTERNAL, "cannot start a worker thread: %s", strerror(prc));
            rc = -1;
            break;
        }
    }
    pthread_mutex_lock(&R->mu);
    while (rc == 0 && !R->fatal && R->done < R->nunits) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&R->cv, &R->mu, &until);
        if (R->c->progress && !R->fatal) {
            size_t d = R->done;
            pthread_mutex_unlock(&R->mu);
            progress(R, d, &t0, 0);
            pthread_mutex_lock(&R->mu);
        }
    }
    pthread_mutex_unlock(&R->mu);
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    app_free(tid);
    if (rc == 0 && R->fatal) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        rc = -1;
    }
    if (rc == 0 && R->c->progress)
        progress(R, R->done, &t0, 1);
    return rc;
}

static int run_here(run *R, app_err *e)
{
    scratch w;
    struct timespec t0, last;
    int rc = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    last = t0;
    if (scratch_new(&w, R->kmax) != 0)
        rc = -1;
    for (size_t u = 0; rc == 0 && u < R->nunits; u++) {
        rc = do_unit(R, u, &w);
        if (R->c->progress && since(&last) >= 0.25) {
            clock_gettime(CLOCK_MONOTONIC, &last);
            progress(R, u + 1, &t0, 0);
        }
    }
    scratch_free(&w);
    if (rc != 0) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (R->c->progress)
        progress(R, R->nunits, &t0, 1);
    return 0;
}

static void acc_add(sim_acc *a, const sim_acc *b)
{
    a->reps += b->reps;
    a->used += b->used;
    a->fallback += b->fallback;
    a->d += b->d;
    a->d2 += b->d2;
    a->d4 += b->d4;
    a->t += b->t;
    a->t2 += b->t2;
    a->t4 += b->t4;
    a->cover += b->cover;
    a->width += b->width;
    a->width2 += b->width2;
    a->pic += b->pic;
    a->pic2 += b->pic2;
    a->reject += b->reject;
}

int sim_run(const sim_ctx *c, sim_acc *acc, app_err *e)
{
    run R;
    int rc;
    memset(&R, 0, sizeof R);
    R.c = c;
    R.nb = sim_blocks(c->reps);
    R.nunits = c->nscen * R.nb;
    for (size_t s = 0; s < c->nscen; s++)
        if (c->scen[s].k > R.kmax)
            R.kmax = c->scen[s].k;
    memset(acc, 0, c->nscen * c->nmethods * sizeof *acc);
    if (R.nunits == 0)
        return 0;
    if (!(R.unit = app_calloc(R.nunits * c->nmethods, sizeof *R.unit))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (c->threads <= 1 || R.nunits == 1) {
        rc = run_here(&R, e);
    } else {
        if (pthread_mutex_init(&R.mu, NULL) != 0 || pthread_cond_init(&R.cv, NULL) != 0) {
            app_free(R.unit);
            app_err_set(e, APP_EXIT_INTERNAL, "cannot create a lock");
            return -1;
        }
        rc = run_threads(&R, e);
        pthread_cond_destroy(&R.cv);
        pthread_mutex_destroy(&R.mu);
    }
    if (rc == 0)
        for (size_t s = 0; s < c->nscen; s++)
            for (size_t b = 0; b < R.nb; b++)
                for (size_t m = 0; m < c->nmethods; m++)
                    acc_add(&acc[s * c->nmethods + m], &R.unit[(s * R.nb + b) * c->nmethods + m]);
    app_free(R.unit);
    return rc;
}
