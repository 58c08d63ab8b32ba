/*
 * influence_gosh.c - GOSH: the fits of (all or random) subsets of the
 * studies (Olkin, Dahabreh & Trikalinos 2012), as metafor 3.8's gosh.rma.
 *
 * Exhaustive mode enumerates the subsets in metafor's order (expand.grid
 * rows, first study fastest, then a stable sort by size): by size, and
 * within a size in increasing order of the subset's bit pattern, which
 * Gosper's next-combination step produces directly.  Random mode draws as
 * metafor does (size binomial(k, 1/2) without 0, then a uniform subset of
 * that size) from xoshiro256** (Blackman & Vigna 2018) seeded through
 * splitmix64, and writes the subsets sorted by size.  Common-effect and
 * DerSimonian-Laird fits use metafor's closed forms for this function;
 * other estimators are msyn_pool() fits.  docs/methods/influence.md.
 */
#include <string.h>

#include "internal.h"
#include "influence_internal.h"

typedef unsigned long long u64;

/* ---- random numbers (rng.c) ----------------------------------------------- */

typedef msyn__rng rng;
#define rng_next msyn__rng_next
#define rng_seed msyn__rng_seed
#define rng_below msyn__rng_below

/* Binomial(n, 1/2): the number of set bits among n random bits. */
static size_t rng_binom_half(rng *r, size_t n)
{
    size_t c = 0;
    for (size_t b = 0; b < n; b += 64) {
        u64 x = rng_next(r);
        if (n - b < 64)
            x &= (1ULL << (n - b)) - 1;
        for (; x; x &= x - 1)
            c++;
    }
    return c;
}

/* ---- one subset ------------------------------------------------------------ */

typedef struct gosh_run {
    infl_data d;
    msyn_gosh_cols *out;
    double *ys, *vs;        /* the subset's studies                          */
    size_t *members;        /* their positions among the non-missing         */
    int closed;             /* 1: metafor's EE closed form, 2: DL's; 0: pool */
} gosh_run;

static void put(double *col, size_t i, double x)
{
    if (col)
        col[i] = x;
}

/* Fit the m studies in members and write row `row`. */
static msyn_status gosh_row(gosh_run *g, size_t m, size_t row)
{
    msyn_gosh_cols *o = g->out;
    double est, Q, I2, H2, tau2, nan_ = MSYN_NAN;
    for (size_t j = 0; j < m; j++) {
        g->ys[j] = g->d.y[g->members[j]];
        g->vs[j] = g->d.v[g->members[j]];
    }
    if (o->incl) {
        unsigned char *p = o->incl + row * g->d.k;
        memset(p, 0, g->d.k);
        for (size_t j = 0; j < m; j++)
            p[g->d.idx[g->members[j]]] = 1;
    }
    if (g->closed) {
        re_sums s;
        double df = (double)m - 1.0;
        msyn__re_sums(g->ys, g->vs, m, 0.0, 0, &s);
        est = s.mu;
        Q = 0.0, I2 = 0.0, H2 = 1.0, tau2 = 0.0;
        if (m > 1) {
            Q = s.rss;
            I2 = Q > 0.0 && Q > df ? 100.0 * (Q - df) / Q : 0.0;
            H2 = Q / df;
            if (g->closed == 2) {
                tau2 = (Q - df) / s.trP;
                if (!(tau2 > 0.0))
                    tau2 = 0.0;
                msyn__re_sums(g->ys, g->vs, m, tau2, 0, &s);
                est = s.mu;
            }
        }
    } else {
        msyn_fit f;
        msyn_status rc = msyn_pool(g->ys, g->vs, m, &g->d.ro, &f);
        if (rc == MSYN_ENOMEM)
            return rc;
        if (rc == MSYN_OK) {
            est = f.estimate, Q = f.Q, I2 = f.I2, H2 = f.H2, tau2 = f.tau2;
        } else {
            est = Q = I2 = H2 = tau2 = nan_;
        }
    }
    put(o->k, row, (double)m);
    put(o->estimate, row, est);
    put(o->Q, row, Q);
    put(o->I2, row, I2);
    put(o->H2, row, H2);
    put(o->tau2, row, tau2);
    return MSYN_OK;
}

/* All subsets, by size, each size in increasing bit order. */
static msyn_status gosh_all(gosh_run *g)
{
    size_t n = g->d.n, row = 0;
    u64 end = 1ULL << n;
    for (size_t m = 1; m <= n; m++) {
        u64 r = (1ULL << m) - 1;
        while (r < end) {
            size_t j = 0;
            msyn_status rc;
            for (u64 x = r; x; x &= x - 1) {
                size_t b = 0;
                for (u64 y = x & (0ULL - x); y > 1; y >>= 1)
                    b++;
                g->members[j++] = b;
            }
            if ((rc = gosh_row(g, m, row++)) != MSYN_OK)
                return rc;
            {   /* Gosper: the next larger number with m bits set */
                u64 c = r & (0ULL - r), nr = r + c;
                r = (((r ^ nr) >> 2) / c) | nr;
            }
        }
    }
    return MSYN_OK;
}

/* N random subsets, sorted by size.  counts has n + 1 entries. */
static msyn_status gosh_random(gosh_run *g, size_t N, u64 seed, size_t *counts)
{
    size_t n = g->d.n, row = 0;
    size_t *perm = g->members;
    rng r;
    rng_seed(&r, seed);
    memset(counts, 0, (n + 1) * sizeof *counts);
    for (size_t i = 0; i < N; i++) {
        size_t m;
        do
            m = rng_binom_half(&r, n);
        while (m == 0);
        counts[m]++;
    }
    for (size_t j = 0; j < n; j++)
        perm[j] = j;
    for (size_t m = 1; m <= n; m++)
        for (size_t c = 0; c < counts[m]; c++) {
            msyn_status rc;
            /* partial Fisher-Yates: perm[0..m-1] becomes a uniform m-subset */
            for (size_t j = 0; j < m; j++) {
                size_t t = j + (size_t)rng_below(&r, (u64)(n - j)), x = perm[j];
                perm[j] = perm[t];
                perm[t] = x;
            }
            if ((rc = gosh_row(g, m, row++)) != MSYN_OK)
                return rc;
        }
    return MSYN_OK;
}

MSYN_API msyn_status msyn_influence_gosh_rows(size_t kk, size_t subsets,
                                              size_t *rows, int *exhaustive)
{
    if (!rows || subsets < 2)
        return MSYN_EINVAL;
    if (kk < 2)
        return MSYN_ETOOFEW;
    if (kk < 63 && (1ULL << kk) - 1 <= (u64)subsets) {
        *rows = (size_t)((1ULL << kk) - 1);
        if (exhaustive)
            *exhaustive = 1;
    } else {
        *rows = subsets;
        if (exhaustive)
            *exhaustive = 0;
    }
    return MSYN_OK;
}

MSYN_API msyn_status msyn_influence_gosh(const double *yi, const double *vi,
                                         size_t k, const msyn_pool_opts *o,
                                         size_t subsets, unsigned long long seed,
                                         msyn_gosh_cols *out, size_t *rows)
{
    gosh_run g;
    msyn_status rc;
    size_t N, *counts = NULL;
    int exhaustive;
    if (!out || !rows)
        return MSYN_EINVAL;
    *rows = 0;
    if ((rc = infl__data_init(yi, vi, k, o, &g.d)) != MSYN_OK)
        return rc;
    if ((rc = msyn_influence_gosh_rows(g.d.n, subsets, &N, &exhaustive)) != MSYN_OK) {
        infl__data_free(&g.d);
        return rc;
    }
    g.out = out;
    g.closed = 0;
    if (isnan(g.d.ro.tau2_fixed) && g.d.ro.method == MSYN_METHOD_EE)
        g.closed = 1;
    if (isnan(g.d.ro.tau2_fixed) && g.d.ro.method == MSYN_METHOD_DL)
        g.closed = 2;
    g.ys = msyn__alloc(g.d.alloc, 2 * g.d.n, sizeof *g.ys);
    g.members = msyn__alloc(g.d.alloc, g.d.n, sizeof *g.members);
    if (!exhaustive)
        counts = msyn__alloc(g.d.alloc, g.d.n + 1, sizeof *counts);
    if (!g.ys || !g.members || (!exhaustive && !counts)) {
        rc = MSYN_ENOMEM;
    } else {
        g.vs = g.ys + g.d.n;
        rc = exhaustive ? gosh_all(&g) : gosh_random(&g, N, seed, counts);
    }
    if (rc == MSYN_OK)
        *rows = N;
    msyn__free(g.d.alloc, g.ys);
    msyn__free(g.d.alloc, g.members);
    msyn__free(g.d.alloc, counts);
    infl__data_free(&g.d);
    return rc;
}
