/*
 * test_oom.c - allocation failure through every public entry point of
 * libmetasyn that can allocate (issue 9; docs/robustness.md).
 *
 * Each entry point is called once with a counting allocator to learn how
 * many allocations a successful call makes and what it returns.  Then, for
 * N = 1, 2, ..., that many + 1, it is called again with the N-th
 * allocation failing, once with only that one failing and once with every
 * later one failing too.  Every call must return MSYN_ENOMEM with nothing
 * left allocated, or succeed with exactly (bit for bit) the reference
 * results; a call past the last allocation must succeed.  The entry points
 * that take no allocator are checked not to allocate through the funnel
 * at all (src/alloc.c is the only malloc of the library).  Leaks, double
 * frees and reads of freed memory are the sanitizer build's to catch.
 */
#include <stdlib.h>

#include "test.h"

/* ---- a counting allocator that fails on request ------------------------ */

typedef struct counter {
    long calls;     /* allocations asked for                              */
    long live;      /* allocated and not yet freed                        */
    long fail_at;   /* fail the fail_at-th call (0: never)                */
    int sticky;     /* and every call after it                            */
} counter;

static void *c_alloc(void *ud, size_t n)
{
    counter *c = ud;
    void *p;
    c->calls++;
    if (c->fail_at && (c->calls == c->fail_at || (c->sticky && c->calls > c->fail_at)))
        return NULL;
    p = malloc(n ? n : 1);
    if (p)
        c->live++;
    return p;
}

static void c_free(void *ud, void *p)
{
    counter *c = ud;
    if (p) {
        c->live--;
        free(p);
    }
}

/* ---- the entry points --------------------------------------------------- */

#define NOUT 64
/* An entry point under test: calls the library with allocator a and writes
 * what it computed into out (at most NOUT values; *n set). */
typedef msyn_status (*entry_fn)(const msyn_allocator *a, double *out, size_t *n);

static double yi13[13], vi13[13];

static void put_fit(const msyn_fit *f, double *out, size_t *n)
{
    const double v[] = {f->estimate, f->se, f->ci_lb, f->ci_ub, f->pval, f->tau2, f->tau2_se,
                        f->tau2_ci_lb, f->tau2_ci_ub, f->I2, f->Q, f->pi_lb, f->pi_ub,
                        (double)f->flags, (double)f->k};
    for (size_t i = 0; i < sizeof v / sizeof v[0] && *n < NOUT; i++)
        out[(*n)++] = v[i];
}

static msyn_status e_pool_missing(const msyn_allocator *a, double *out, size_t *n)
{
    double y[13], v[13];
    msyn_pool_opts o;
    msyn_fit f;
    msyn_status rc;
    memcpy(y, yi13, sizeof y);
    memcpy(v, vi13, sizeof v);
    y[4] = NAN; /* a missing study: the fit copies the complete ones */
    msyn_pool_opts_default(&o);
    o.alloc = a;
    o.test = MSYN_TEST_KNHA;
    rc = msyn_pool(y, v, 13, &o, &f);
    if (rc == MSYN_OK)
        put_fit(&f, out, n);
    return rc;
}

static msyn_status e_cache(const msyn_allocator *a, double *out, size_t *n)
{
    msyn_cache *c = msyn_cache_new(a);
    msyn_pool_opts o;
    msyn_fit f;
    msyn_status rc = MSYN_OK;
    if (!c)
        return MSYN_ENOMEM;
    msyn_pool_opts_default(&o);
    o.alloc = a;
    o.cache = c;
    for (int m = 0; m < 3 && rc == MSYN_OK; m++) {
        o.level = m == 0 ? 0.95 : m == 1 ? 0.90 : 0.99;
        o.test = m == 1 ? MSYN_TEST_KNHA : MSYN_TEST_Z;
        rc = msyn_pool(yi13, vi13, 13, &o, &f);
        if (rc == MSYN_OK)
            put_fit(&f, out, n);
    }
    msyn_cache_free(c);
    return rc;
}

static msyn_status tables(msyn_measure me, msyn_method m, const msyn_allocator *a, double *out,
                          size_t *n)
{
    msyn_pool_opts o;
    msyn_fit f;
    double y[13], v[13], w[13];
    msyn_status rc;
    msyn_pool_opts_default(&o);
    o.alloc = a;
    o.method = m;
    o.q_from_mh = m == MSYN_METHOD_DL;
    rc = msyn_pool_tables(me, bcg_a, bcg_b, bcg_c, bcg_d, 13, NULL, &o, &f, y, v, w);
    if (rc == MSYN_OK) {
        put_fit(&f, out, n);
        for (size_t i = 0; i < 13 && *n < NOUT; i++)
            out[(*n)++] = w[i];
    }
    return rc;
}

static msyn_status e_mh_or(const msyn_allocator *a, double *o, size_t *n)
{
    return tables(MSYN_MEASURE_OR, MSYN_METHOD_MH, a, o, n);
}
static msyn_status e_mh_rr(const msyn_allocator *a, double *o, size_t *n)
{
    return tables(MSYN_MEASURE_RR, MSYN_METHOD_MH, a, o, n);
}
static msyn_status e_mh_rd(const msyn_allocator *a, double *o, size_t *n)
{
    return tables(MSYN_MEASURE_RD, MSYN_METHOD_MH, a, o, n);
}
static msyn_status e_peto(const msyn_allocator *a, double *o, size_t *n)
{
    return tables(MSYN_MEASURE_PETO, MSYN_METHOD_PETO, a, o, n);
}
static msyn_status e_tables_dl(const msyn_allocator *a, double *o, size_t *n)
{
    return tables(MSYN_MEASURE_RR, MSYN_METHOD_DL, a, o, n);
}

/* ablat (absolute latitude) of the BCG trials, the moderator */
static const double ablat[13] = {44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33};

static void design(double *X)
{
    for (size_t i = 0; i < 13; i++)
        X[2 * i] = 1.0, X[2 * i + 1] = ablat[i];
}

static msyn_status e_reg(const msyn_allocator *a, double *out, size_t *n)
{
    double X[26], b[2], se[2], st[2], pv[2], lb[2], ub[2], vb[4];
    msyn_pool_opts o;
    msyn_reg_fit f;
    msyn_status rc;
    design(X);
    memset(&f, 0, sizeof f);
    f.b = b, f.se = se, f.stat = st, f.pval = pv, f.ci_lb = lb, f.ci_ub = ub, f.vb = vb;
    msyn_pool_opts_default(&o);
    o.alloc = a;
    rc = msyn_reg(yi13, vi13, X, 13, 2, NULL, &o, NULL, &f); /* its own workspace */
    if (rc == MSYN_OK) {
        const double v[] = {b[0], b[1], se[0], se[1], f.QM, f.QE, f.tau2, f.tau2_se, f.I2, f.R2,
                            f.tau2_ci_lb, f.tau2_ci_ub};
        memcpy(out, v, sizeof v);
        *n = sizeof v / sizeof v[0];
    }
    return rc;
}

static msyn_status e_reg_work(const msyn_allocator *a, double *out, size_t *n)
{
    double X[26], b[2], se[2], st[2], pv[2], lb[2], ub[2], vb[4];
    msyn_reg_work *w = msyn_reg_work_new(13, 2, a);
    msyn_pool_opts o;
    msyn_reg_fit f;
    msyn_status rc;
    if (!w)
        return MSYN_ENOMEM;
    design(X);
    memset(&f, 0, sizeof f);
    f.b = b, f.se = se, f.stat = st, f.pval = pv, f.ci_lb = lb, f.ci_ub = ub, f.vb = vb;
    msyn_pool_opts_default(&o);
    o.alloc = a;
    o.test = MSYN_TEST_KNHA;
    rc = msyn_reg(yi13, vi13, X, 13, 2, NULL, &o, w, &f);
    if (rc == MSYN_OK) {
        msyn_reg_pred pr;
        double x[2] = {1.0, 30.0};
        rc = msyn_reg_predict(&f, x, 1, NULL, &pr);
        out[(*n)++] = b[1];
        out[(*n)++] = pr.pred;
        out[(*n)++] = pr.pi_lb;
    }
    msyn_reg_work_free(w);
    return rc;
}

static msyn_status perm(int exact, const msyn_allocator *a, double *out, size_t *n)
{
    double X[26], pv[2];
    msyn_pool_opts o;
    msyn_reg_perm r;
    msyn_status rc;
    size_t k = exact ? 6 : 13;
    design(X);
    msyn_pool_opts_default(&o);
    o.alloc = a;
    memset(&r, 0, sizeof r);
    r.pval = pv;
    rc = msyn_reg_permtest(yi13, vi13, X, k, 2, NULL, &o, 200, 42, exact, &r);
    if (rc == MSYN_OK) {
        out[(*n)++] = r.QM_pval;
        out[(*n)++] = pv[0];
        out[(*n)++] = pv[1];
    }
    return rc;
}
static msyn_status e_perm(const msyn_allocator *a, double *o, size_t *n) { return perm(0, a, o, n); }
static msyn_status e_perm_exact(const msyn_allocator *a, double *o, size_t *n) { return perm(1, a, o, n); }

static msyn_status infl_seq(int cumul, msyn_method m, const msyn_allocator *a, double *out, size_t *n)
{
    double est[13], se[13], tau2[13];
    msyn_fit_cols c;
    msyn_pool_opts o;
    msyn_status rc;
    size_t order[13];
    for (size_t i = 0; i < 13; i++)
        order[i] = 12 - i;
    memset(&c, 0, sizeof c);
    c.estimate = est, c.se = se, c.tau2 = tau2;
    msyn_pool_opts_default(&o);
    o.alloc = a;
    o.method = m;
    rc = cumul ? msyn_influence_cumul(yi13, vi13, 13, order, &o, &c)
               : msyn_influence_leave1out(yi13, vi13, 13, &o, &c);
    if (rc == MSYN_OK)
        for (size_t i = 0; i < 13; i++) {
            out[(*n)++] = est[i];
            out[(*n)++] = se[i];
            out[(*n)++] = tau2[i];
        }
    return rc;
}
static msyn_status e_loo(const msyn_allocator *a, double *o, size_t *n)
{
    return infl_seq(0, MSYN_METHOD_REML, a, o, n);
}
static msyn_status e_loo_ee(const msyn_allocator *a, double *o, size_t *n)
{
    return infl_seq(0, MSYN_METHOD_EE, a, o, n);
}
static msyn_status e_cumul(const msyn_allocator *a, double *o, size_t *n)
{
    return infl_seq(1, MSYN_METHOD_DL, a, o, n);
}

static msyn_status e_diag(const msyn_allocator *a, double *out, size_t *n)
{
    double rs[13], cook[13], hat[13];
    msyn_influence_cols c;
    msyn_pool_opts o;
    msyn_fit full;
    msyn_status rc;
    memset(&c, 0, sizeof c);
    c.rstudent = rs, c.cook_d = cook, c.hat = hat;
    msyn_pool_opts_default(&o);
    o.alloc = a;
    rc = msyn_influence_diag(yi13, vi13, 13, &o, &c, &full);
    if (rc == MSYN_OK)
        for (size_t i = 0; i < 13; i++) {
            out[(*n)++] = rs[i];
            out[(*n)++] = cook[i];
            out[(*n)++] = hat[i];
        }
    return rc;
}

static msyn_status e_baujat(const msyn_allocator *a, double *out, size_t *n)
{
    double x[13], y[13];
    msyn_pool_opts o;
    msyn_status rc;
    msyn_pool_opts_default(&o);
    o.alloc = a;
    rc = msyn_influence_baujat(yi13, vi13, 13, &o, x, y);
    if (rc == MSYN_OK)
        for (size_t i = 0; i < 13; i++) {
            out[(*n)++] = x[i];
            out[(*n)++] = y[i];
        }
    return rc;
}

static msyn_status e_gosh(const msyn_allocator *a, double *out, size_t *n)
{
    size_t rows = 0;
    int exh = 0;
    msyn_status rc = msyn_influence_gosh_rows(13, 40, &rows, &exh);
    double kk[64], est[64], tau2[64];
    unsigned char incl[64 * 13];
    msyn_gosh_cols c;
    msyn_pool_opts o;
    if (rc != MSYN_OK || rows > 64)
        return MSYN_EINVAL;
    memset(&c, 0, sizeof c);
    c.k = kk, c.estimate = est, c.tau2 = tau2, c.incl = incl;
    msyn_pool_opts_default(&o);
    o.alloc = a;
    rc = msyn_influence_gosh(yi13, vi13, 13, &o, 40, 7, &c, &rows);
    if (rc == MSYN_OK)
        for (size_t i = 0; i < rows && *n + 2 <= NOUT; i++) {
            out[(*n)++] = est[i];
            out[(*n)++] = tau2[i];
        }
    return rc;
}

static msyn_status e_regtest_rma(const msyn_allocator *a, double *out, size_t *n)
{
    msyn_pool_opts o;
    msyn_regtest r;
    msyn_status rc;
    msyn_pool_opts_default(&o);
    o.alloc = a;
    rc = msyn_bias_regtest_rma(yi13, vi13, NULL, 13, MSYN_BIAS_SEI, &o, NULL, NULL, &r);
    if (rc == MSYN_OK) {
        out[(*n)++] = r.slope;
        out[(*n)++] = r.pval;
        out[(*n)++] = r.tau2;
    }
    return rc;
}

static msyn_status e_pkendall(const msyn_allocator *a, double *out, size_t *n)
{
    double p = 0;
    msyn_status rc = msyn_bias_pkendall(30.0, 12, a, &p);
    if (rc == MSYN_OK)
        out[(*n)++] = p;
    return rc;
}

static msyn_status e_ranktest(const msyn_allocator *a, double *out, size_t *n)
{
    msyn_ranktest r;
    msyn_status rc = msyn_bias_ranktest(yi13, vi13, 13, a, &r);
    if (rc == MSYN_OK) {
        out[(*n)++] = r.tau;
        out[(*n)++] = r.pval;
    }
    return rc;
}

static msyn_status e_trimfill(const msyn_allocator *a, double *out, size_t *n)
{
    msyn_pool_opts o;
    msyn_trimfill_opts to;
    msyn_trimfill r;
    double fy[13], fv[13];
    msyn_status rc;
    msyn_pool_opts_default(&o);
    o.alloc = a;
    msyn_trimfill_opts_default(&to);
    rc = msyn_bias_trimfill(yi13, vi13, 13, &o, &to, &r, fy, fv);
    if (rc == MSYN_OK) {
        out[(*n)++] = (double)r.k0;
        put_fit(&r.fit, out, n);
    }
    return rc;
}

/* Entry points without an allocator: they must not allocate at all. */
static msyn_status e_no_alloc(const msyn_allocator *a, double *out, size_t *n)
{
    msyn_regtest r;
    msyn_fsn f;
    msyn_fit fit;
    msyn_pool_opts o;
    double w[13];
    msyn_status rc;
    (void)a;
    msyn_pool_opts_default(&o);
    if ((rc = msyn_pool(yi13, vi13, 13, &o, &fit)) != MSYN_OK ||
        (rc = msyn_pool_weights(vi13, 13, &fit, w)) != MSYN_OK ||
        (rc = msyn_bias_regtest_lm(yi13, vi13, NULL, 13, MSYN_BIAS_SEI, 0.95, &r)) != MSYN_OK ||
        (rc = msyn_bias_fsn(yi13, vi13, 13, MSYN_FSN_ROSENTHAL, 0.05, 0.0, 0, &f)) != MSYN_OK)
        return rc;
    out[(*n)++] = fit.estimate;
    out[(*n)++] = r.pval;
    out[(*n)++] = f.fsnum;
    return MSYN_OK;
}

/* ---- the sweep -------------------------------------------------------- */

typedef struct entry {
    const char *name;
    entry_fn fn;
    int allocates; /* 1: the reference call must allocate */
} entry;

static const entry entries[] = {
    {"msyn_pool (a missing study, Q-profile, HKSJ)", e_pool_missing, 1},
    {"msyn_cache_new + msyn_pool with the cache", e_cache, 1},
    {"msyn_pool_tables MH OR", e_mh_or, 1},
    {"msyn_pool_tables MH RR", e_mh_rr, 1},
    {"msyn_pool_tables MH RD", e_mh_rd, 1},
    {"msyn_pool_tables Peto", e_peto, 1},
    {"msyn_pool_tables DL, Q about MH", e_tables_dl, 1},
    {"msyn_reg (own workspace)", e_reg, 1},
    {"msyn_reg_work_new + msyn_reg + msyn_reg_predict", e_reg_work, 1},
    {"msyn_reg_permtest (random)", e_perm, 1},
    {"msyn_reg_permtest (exact)", e_perm_exact, 1},
    {"msyn_influence_leave1out REML", e_loo, 1},
    {"msyn_influence_leave1out EE", e_loo_ee, 1},
    {"msyn_influence_cumul DL", e_cumul, 1},
    {"msyn_influence_diag", e_diag, 1},
    {"msyn_influence_baujat", e_baujat, 1},
    {"msyn_influence_gosh", e_gosh, 1},
    {"msyn_bias_regtest_rma", e_regtest_rma, 1},
    {"msyn_bias_pkendall", e_pkendall, 1},
    {"msyn_bias_ranktest", e_ranktest, 1},
    {"msyn_bias_trimfill", e_trimfill, 1},
    {"msyn_pool, _weights, regtest_lm, fsn (no allocator)", e_no_alloc, 0},
};

static long total_calls, total_enomem;

static void sweep(const entry *e)
{
    counter c = {0, 0, 0, 0};
    msyn_allocator a = {c_alloc, c_free, &c};
    double ref[NOUT], out[NOUT];
    size_t nref = 0;
    long need;
    msyn_status rc = e->fn(&a, ref, &nref);
    if (rc != MSYN_OK || c.live != 0 || (e->allocates && c.calls == 0) || (!e->allocates && c.calls != 0)) {
        print_error("%s: reference call: status %d, %ld allocations, %ld live\n", e->name, (int)rc,
                    c.calls, c.live);
        fail();
    }
    need = c.calls;
    for (int sticky = 0; sticky < 2; sticky++)
        for (long nth = 1; nth <= need + 1; nth++) {
            size_t nout = 0;
            c.calls = c.live = 0;
            c.fail_at = nth;
            c.sticky = sticky;
            rc = e->fn(&a, out, &nout);
            total_calls++;
            if (c.live != 0) {
                print_error("%s: allocation %ld failed%s: %ld blocks not freed (status %d)\n", e->name,
                            nth, sticky ? " (and every later one)" : "", c.live, (int)rc);
                fail();
            }
            if (rc == MSYN_ENOMEM && nth <= need) {
                total_enomem++;
                continue;
            }
            if (rc != MSYN_OK || nout != nref || memcmp(out, ref, nref * sizeof *ref) != 0) {
                print_error("%s: allocation %ld failed%s: status %d (%s), results %s\n", e->name, nth,
                            sticky ? " (and every later one)" : "", (int)rc, msyn_strerror(rc),
                            rc == MSYN_OK ? "differ from the reference" : "-");
                fail();
            }
        }
}

static void test_sweep(void **state)
{
    (void)state;
    bcg_rr(yi13, vi13);
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)
        sweep(&entries[i]);
    /* the count of calls that ended in MSYN_ENOMEM, for docs/robustness.md */
    printf("test_oom: %zu entry points, %ld calls with a failed allocation, %ld returned MSYN_ENOMEM "
           "cleanly, the rest recovered with identical results\n",
           sizeof entries / sizeof entries[0], total_calls, total_enomem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_sweep)};
    RUN_TESTS(tests);
}
