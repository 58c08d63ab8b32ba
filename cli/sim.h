/*
 * sim.h - the parts of `metasyn simulate` (cmd_simulate.c: options, grid
 * and output; sim_run.c: replications, fits and worker threads).
 */
#ifndef MSYN_SIM_H
#define MSYN_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

enum { SIM_CONTINUOUS = 0, SIM_BINARY = 1 };
enum { SIM_MAX_METHODS = 32 };

/* One cell of the grid. */
typedef struct sim_scenario {
    size_t index;             /* 0-based, in the whole grid               */
    size_t k;
    double tau2, mu;
    long n_lo, n_hi;          /* per-arm size, uniform on [n_lo, n_hi]   */
    double p0;                /* binary: control-arm risk; else NaN       */
} sim_scenario;

/* One estimator x test pair. */
typedef struct sim_method {
    msyn_method method;
    msyn_test test;
} sim_method;

/* What the replications of one scenario and method add up to.  Sums are
 * taken in replication order within a block and blocks in order, so they
 * do not depend on the number of threads. */
typedef struct sim_acc {
    double reps;              /* replications run                         */
    double used;              /* fits that gave an estimate               */
    double fallback;          /* ... with the fallback estimator          */
    double d, d2, d4;         /* estimate - mu, its square, 4th power     */
    double t, t2, t4;         /* tau2 estimate - tau2 ...                 */
    double cover, width, width2;
    double pic, pic2;         /* P(new theta in the PI), and its square  */
    double reject;
} sim_acc;

/* A run: read-only once it starts. */
typedef struct sim_ctx {
    int outcome;              /* SIM_CONTINUOUS, SIM_BINARY               */
    msyn_measure measure;     /* MD, SMD, OR, RR                          */
    double level;             /* in (0, 1)                                */
    size_t reps;
    uint64_t seed;
    sim_method methods[SIM_MAX_METHODS];
    size_t nmethods;
    const sim_scenario *scen; /* the scenarios of this run (shard)       */
    size_t nscen;
    int threads;
    int progress;             /* a progress line on stderr                */
} sim_ctx;

/* Run every replication of every scenario; acc receives nscen * nmethods
 * sums (scenario-major).  -1 with e set on failure (out of memory). */
int sim_run(const sim_ctx *c, sim_acc *acc, app_err *e);

/* The number of blocks a scenario's replications are split into (fixed by
 * reps alone, never by the thread count). */
size_t sim_blocks(size_t reps);

#endif /* MSYN_SIM_H */
