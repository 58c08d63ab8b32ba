/* test_bias.c - small-study effects and publication bias (bias.c,
 * bias_rank.c, bias_tf.c in src) against metafor 3.8-1 on R 4.2.2.
 *
 * Expected values: the CSV files of tests/golden_bias from tools/golden_bias.R (see
 * its SOURCE.md for the R calls).  Tolerances:
 *   closed forms (regtest lm; rma form with EE and DL; ranktest; fsn;
 *     trimfill with EE and DL): 1e-10 relative (1e-12 absolute floor for
 *     values that are 0 up to rounding);
 *   REML: metafor stops Fisher scoring at a step of 1e-5.  The rma-form
 *     regression test takes tau^2 from a callback returning metafor's value
 *     (what a meta-regression engine will supply) and must then agree to
 *     1e-10.  Trim-and-fill's k0 and side must agree exactly; its filled
 *     studies (2 beta - yi, beta from REML fits) within 1e-5 absolute;
 *     the augmented fit's tau^2 within 1e-4 absolute, and a refit of the
 *     augmented data with tau^2 fixed at metafor's value to 1e-10 in
 *     every other field;
 *   pkendall: R's exact distribution (counts over n!) to 1e-12 absolute
 *     (R's upper tail is 1 - P, which carries absolute errors near 1e-16
 *     for n < 50).
 * The largest differences seen are printed per class.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "test.h"

/* ---- a minimal CSV table (comma, no quotes, NA) ---------------------- */

#define MAXCOL 32
typedef struct table {
    size_t nrow, ncol;
    char *names[MAXCOL];
    char ***cell; /* cell[row][col] */
} table;

static table *table_read(const char *name)
{
    char path[256], line[4096];
    table *t = calloc(1, sizeof *t);
    FILE *f;
    size_t cap = 0;
    snprintf(path, sizeof path, "tests/golden_bias/%s", name);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        char *tok, *save = NULL, **row = calloc(MAXCOL, sizeof *row);
        size_t c = 0;
        line[strcspn(line, "\r\n")] = 0;
        for (tok = strtok_r(line, ",", &save); tok && c < MAXCOL; tok = strtok_r(NULL, ",", &save))
            row[c++] = strdup(tok);
        if (t->ncol == 0) {
            memcpy(t->names, row, sizeof t->names);
            t->ncol = c;
            free(row);
            continue;
        }
        assert_int_equal(c, t->ncol);
        if (t->nrow == cap) {
            cap = cap ? 2 * cap : 64;
            t->cell = realloc(t->cell, cap * sizeof *t->cell);
        }
        t->cell[t->nrow++] = row;
    }
    fclose(f);
    return t;
}

static void table_free(table *t)
{
    for (size_t r = 0; r < t->nrow; r++) {
        for (size_t c = 0; c < t->ncol; c++)
            free(t->cell[r][c]);
        free(t->cell[r]);
    }
    for (size_t c = 0; c < t->ncol; c++)
        free(t->names[c]);
    free(t->cell);
    free(t);
}

static const char *str(const table *t, size_t r, const char *col)
{
    for (size_t c = 0; c < t->ncol; c++)
        if (!strcmp(t->names[c], col))
            return t->cell[r][c];
    fail_msg("no column %s", col);
    return NULL;
}

static double num(const table *t, size_t r, const char *col)
{
    const char *s = str(t, r, col);
    if (!strcmp(s, "NA"))
        return NAN;
    if (!strcmp(s, "Inf"))
        return INFINITY;
    return strtod(s, NULL);
}

/* ---- the data sets ----------------------------------------------------- */

typedef struct dataset {
    char id[64];
    size_t k;
    double yi[200], vi[200], ni[200];
} dataset;

static dataset sets[40];
static size_t nsets;

static void load_sets(void)
{
    table *t;
    if (nsets)
        return;
    t = table_read("data.csv");
    for (size_t r = 0; r < t->nrow; r++) {
        const char *id = str(t, r, "id");
        dataset *d = nsets ? &sets[nsets - 1] : NULL;
        if (!d || strcmp(d->id, id)) {
            assert_true(nsets < 40);
            d = &sets[nsets++];
            snprintf(d->id, sizeof d->id, "%s", id);
            d->k = 0;
        }
        d->yi[d->k] = num(t, r, "yi");
        d->vi[d->k] = num(t, r, "vi");
        d->ni[d->k++] = num(t, r, "ni");
    }
    table_free(t);
}

static const dataset *find_set(const char *id)
{
    for (size_t i = 0; i < nsets; i++)
        if (!strcmp(sets[i].id, id))
            return &sets[i];
    fail_msg("no data set %s", id);
    return NULL;
}

/* ---- comparison with a record of the largest difference --------------- */

enum { W_REG, W_RANK, W_PK, W_TF, W_TF_REML, W_TF_REML_TAU2, W_FSN, NW };
static const char *const wname[NW] = {"regtest (lm, rma EE/DL, rma REML at metafor's tau2)",
                                      "ranktest", "pkendall (absolute)", "trimfill EE/DL",
                                      "trimfill REML filled yi (absolute)",
                                      "trimfill REML tau2 (absolute)", "fsn"};
static double worst[NW];

static void close_rel(double a, double b, double rel, double floor_, int w, const char *what,
                      const char *where)
{
    double d;
    if (isnan(a) && isnan(b))
        return;
    if (isinf(a) && isinf(b) && (a > 0) == (b > 0))
        return;
    d = rel > 0 ? fabs(a - b) / fmax(fabs(b), floor_ / rel) : fabs(a - b);
    if (d > worst[w])
        worst[w] = d;
    if (!(fabs(a - b) <= rel * fabs(b) + floor_)) {
        print_error("%s: %s = %.17g, metafor %.17g\n", where, what, a, b);
        fail();
    }
}

static msyn_method method_of(const char *s)
{
    msyn_method m;
    assert_int_equal(msyn_method_parse(s, &m), MSYN_OK);
    return m;
}

/* A tau^2 callback returning a fixed value: metafor's, from the golden. */
static msyn_status given_tau2(void *ud, const double *yi, const double *vi, const double *xi,
                              size_t k, const msyn_pool_opts *o, double *tau2)
{
    (void)yi, (void)vi, (void)xi, (void)k, (void)o;
    *tau2 = *(const double *)ud;
    return MSYN_OK;
}

static void test_regtest(void **state)
{
    table *t;
    (void)state;
    load_sets();
    t = table_read("regtest.csv");
    for (size_t r = 0; r < t->nrow; r++) {
        const dataset *d = find_set(str(t, r, "id"));
        msyn_bias_predictor p;
        msyn_regtest g;
        msyn_status rc;
        char where[160];
        int rma = !strcmp(str(t, r, "model"), "rma");
        double tau2 = num(t, r, "tau2");
        snprintf(where, sizeof where, "regtest %s %s %s %s %s", d->id, str(t, r, "model"),
                 str(t, r, "method"), str(t, r, "test"), str(t, r, "predictor"));
        assert_int_equal(msyn_bias_predictor_parse(str(t, r, "predictor"), &p), MSYN_OK);
        if (!rma) {
            rc = msyn_bias_regtest_lm(d->yi, d->vi, d->ni, d->k, p, 0.95, &g);
        } else {
            msyn_pool_opts o;
            msyn_pool_opts_default(&o);
            o.method = method_of(str(t, r, "method"));
            assert_int_equal(msyn_test_parse(str(t, r, "test"), &o.test), MSYN_OK);
            rc = msyn_bias_regtest_rma(d->yi, d->vi, d->ni, d->k, p, &o,
                                       o.method == MSYN_METHOD_REML ? given_tau2 : NULL, &tau2, &g);
            close_rel(g.tau2, tau2, 1e-10, 1e-12, W_REG, "tau2", where);
        }
        if (num(t, r, "ok") == 0) {
            assert_int_not_equal(rc, MSYN_OK);
            continue;
        }
        assert_int_equal(rc, MSYN_OK);
        assert_int_equal(g.k, (size_t)num(t, r, "k"));
        assert_int_equal(!!(g.flags & MSYN_BIAS_FEW_STUDIES), g.k < 10);
        close_rel(g.stat, num(t, r, "zval"), 1e-10, 0, W_REG, "stat", where);
        close_rel(g.pval, num(t, r, "pval"), 1e-10, 0, W_REG, "pval", where);
        close_rel(g.df, num(t, r, "df"), 1e-10, 0, W_REG, "df", where);
        close_rel(g.est, num(t, r, "est"), 1e-10, 1e-12, W_REG, "est", where);
        close_rel(g.ci_lb, num(t, r, "ci_lb"), 1e-10, 1e-12, W_REG, "ci_lb", where);
        close_rel(g.ci_ub, num(t, r, "ci_ub"), 1e-10, 1e-12, W_REG, "ci_ub", where);
        close_rel(g.slope, num(t, r, "slope"), 1e-10, 0, W_REG, "slope", where);
        close_rel(g.slope_se, num(t, r, "slope_se"), 1e-10, 0, W_REG, "slope_se", where);
        close_rel(g.intercept_se, num(t, r, "intercept_se"), 1e-10, 0, W_REG, "intercept_se", where);
    }
    table_free(t);
}

static void test_ranktest(void **state)
{
    table *t;
    (void)state;
    load_sets();
    t = table_read("ranktest.csv");
    for (size_t r = 0; r < t->nrow; r++) {
        const dataset *d = find_set(str(t, r, "id"));
        msyn_ranktest g;
        assert_int_equal(msyn_bias_ranktest(d->yi, d->vi, d->k, NULL, &g), MSYN_OK);
        close_rel(g.tau, num(t, r, "tau"), 1e-10, 1e-14, W_RANK, "tau", d->id);
        close_rel(g.pval, num(t, r, "pval"), 1e-10, 0, W_RANK, "pval", d->id);
        assert_int_equal(g.exact, !(g.flags & MSYN_BIAS_RANK_TIES));
    }
    table_free(t);
}

static void test_pkendall(void **state)
{
    table *t;
    (void)state;
    t = table_read("pkendall.csv");
    for (size_t r = 0; r < t->nrow; r++) {
        double p;
        char where[64];
        size_t n = (size_t)num(t, r, "n");
        snprintf(where, sizeof where, "pkendall n=%zu q=%g", n, num(t, r, "q"));
        assert_int_equal(msyn_bias_pkendall(num(t, r, "q"), n, NULL, &p), MSYN_OK);
        close_rel(p, num(t, r, "p"), 0, 1e-12, W_PK, "p", where);
    }
    table_free(t);
}

static msyn_tf_side side_of(const char *s)
{
    return !strcmp(s, "left") ? MSYN_TF_LEFT : !strcmp(s, "right") ? MSYN_TF_RIGHT : MSYN_TF_AUTO;
}

static msyn_tf_estimator est_of(const char *s)
{
    return !strcmp(s, "L0") ? MSYN_TF_L0 : !strcmp(s, "R0") ? MSYN_TF_R0 : MSYN_TF_Q0;
}

static void compare_fit(const msyn_fit *f, const table *t, size_t r, int w, const char *where)
{
    close_rel(f->estimate, num(t, r, "estimate"), 1e-10, 1e-12, w, "estimate", where);
    close_rel(f->se, num(t, r, "se"), 1e-10, 0, w, "se", where);
    close_rel(f->stat, num(t, r, "zval"), 1e-10, 1e-12, w, "zval", where);
    close_rel(f->pval, num(t, r, "pval"), 1e-10, 0, w, "pval", where);
    close_rel(f->ci_lb, num(t, r, "ci_lb"), 1e-10, 1e-12, w, "ci_lb", where);
    close_rel(f->ci_ub, num(t, r, "ci_ub"), 1e-10, 1e-12, w, "ci_ub", where);
    close_rel(f->Q, num(t, r, "QE"), 1e-10, 1e-12, w, "QE", where);
    close_rel(f->I2, num(t, r, "I2"), 1e-10, 1e-12, w, "I2", where);
}

static void test_trimfill(void **state)
{
    table *t, *fl;
    size_t frow = 0;
    (void)state;
    load_sets();
    t = table_read("trimfill.csv");
    fl = table_read("trimfill_fill.csv");
    for (size_t r = 0; r < t->nrow; r++) {
        const dataset *d = find_set(str(t, r, "id"));
        msyn_pool_opts o;
        msyn_trimfill_opts to;
        msyn_trimfill g;
        msyn_status rc;
        double fy[200], fv[200], side_tau2 = num(t, r, "side_tau2");
        char where[160];
        int reml, w;
        msyn_pool_opts_default(&o);
        msyn_trimfill_opts_default(&to);
        o.method = method_of(str(t, r, "method"));
        reml = o.method == MSYN_METHOD_REML;
        w = reml ? W_TF_REML : W_TF;
        to.estimator = est_of(str(t, r, "estimator"));
        to.side = side_of(str(t, r, "side"));
        if (reml) {
            to.side_fn = given_tau2;
            to.side_ud = &side_tau2;
        }
        snprintf(where, sizeof where, "trimfill %s %s %s %s", d->id, str(t, r, "method"),
                 str(t, r, "estimator"), str(t, r, "side"));
        rc = msyn_bias_trimfill(d->yi, d->vi, d->k, &o, &to, &g, fy, fv);
        if (num(t, r, "ok") == 0) {
            if (rc == MSYN_OK)
                print_error("%s: metafor stopped, we did not\n", where);
            assert_int_not_equal(rc, MSYN_OK);
            continue;
        }
        if (rc != MSYN_OK)
            print_error("%s: %s\n", where, msyn_strerror(rc));
        assert_int_equal(rc, MSYN_OK);
        assert_string_equal(g.side == MSYN_TF_LEFT ? "left" : "right", str(t, r, "side_used"));
        assert_int_equal(g.k0, (size_t)num(t, r, "k0"));
        assert_int_equal(g.fit.k, (size_t)num(t, r, "k"));
        close_rel(g.k0_se, num(t, r, "se_k0"), 1e-10, 1e-12, w, "se_k0", where);
        close_rel(g.k0_pval, num(t, r, "p_k0"), 1e-10, 0, w, "p_k0", where);
        if (to.side == MSYN_TF_AUTO && !reml)
            close_rel(g.side_slope, num(t, r, "side_slope"), 1e-10, 0, w, "side_slope", where);
        if (reml) { /* metafor's augmented data, tau2 fixed at its value */
            double ya[400], va[400];
            size_t n = 0;
            msyn_fit f;
            for (size_t i = 0; i < d->k; i++)
                if (!isnan(d->yi[i]) && !isnan(d->vi[i]))
                    ya[n] = d->yi[i], va[n++] = d->vi[i];
            for (size_t j = 0; j < g.k0; j++, n++) {
                assert_true(frow + j < fl->nrow);
                ya[n] = num(fl, frow + j, "yi");
                va[n] = num(fl, frow + j, "vi");
            }
            close_rel(g.fit.tau2, num(t, r, "tau2"), 0, 1e-4, W_TF_REML_TAU2, "tau2", where);
            o.tau2_fixed = num(t, r, "tau2");
            assert_int_equal(msyn_pool(ya, va, n, &o, &f), MSYN_OK);
            compare_fit(&f, t, r, W_TF, where);
        } else {
            close_rel(g.fit.tau2, num(t, r, "tau2"), 1e-10, 1e-12, w, "tau2", where);
            compare_fit(&g.fit, t, r, W_TF, where);
        }
        for (size_t j = 0; j < g.k0; j++, frow++) {
            assert_true(frow < fl->nrow);
            assert_string_equal(str(fl, frow, "id"), d->id);
            assert_int_equal((size_t)num(fl, frow, "j"), j);
            close_rel(fy[j], num(fl, frow, "yi"), reml ? 0 : 1e-10, reml ? 1e-5 : 1e-12, w, "fill yi", where);
            close_rel(fv[j], num(fl, frow, "vi"), 1e-15, 0, w, "fill vi", where);
        }
    }
    assert_int_equal(frow, fl->nrow);
    table_free(t);
    table_free(fl);
}

static void test_fsn(void **state)
{
    table *t;
    (void)state;
    load_sets();
    t = table_read("fsn.csv");
    for (size_t r = 0; r < t->nrow; r++) {
        const dataset *d = find_set(str(t, r, "id"));
        const char *ty = str(t, r, "type");
        msyn_fsn_type type = !strcmp(ty, "Rosenthal") ? MSYN_FSN_ROSENTHAL
                             : !strcmp(ty, "Orwin")   ? MSYN_FSN_ORWIN
                                                      : MSYN_FSN_ROSENBERG;
        msyn_fsn g;
        char where[160];
        snprintf(where, sizeof where, "fsn %s %s row %zu", d->id, ty, r + 2);
        assert_int_equal(msyn_bias_fsn(d->yi, d->vi, d->k, type, num(t, r, "alpha"),
                                       num(t, r, "target_in"), (int)num(t, r, "weighted"), &g),
                         MSYN_OK);
        close_rel(g.fsnum, num(t, r, "fsnum"), 0, 0, W_FSN, "fsnum", where);
        close_rel(g.pval, num(t, r, "pval"), 1e-10, 0, W_FSN, "pval", where);
        close_rel(g.meanes, num(t, r, "meanes"), 1e-10, 1e-14, W_FSN, "meanes", where);
        close_rel(g.target, num(t, r, "target"), 1e-10, 1e-14, W_FSN, "target", where);
    }
    table_free(t);
}


/* An allocator that fails after a given number of allocations. */
static int alloc_left;
static void *fail_alloc(void *ud, size_t n)
{
    (void)ud;
    if (alloc_left-- <= 0)
        return NULL;
    return malloc(n);
}
static void fail_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void test_errors_and_flags(void **state)
{
    const msyn_allocator fa = {fail_alloc, fail_free, NULL};
    double yi[13], vi[13], ni[13], p, eq[5] = {0.1, 0.1, 0.1, 0.1, 0.1};
    msyn_regtest g;
    msyn_ranktest rk;
    msyn_trimfill tf;
    msyn_trimfill_opts to;
    msyn_pool_opts o;
    msyn_fsn fs;
    msyn_bias_predictor pr;
    (void)state;
    bcg_rr(yi, vi);
    for (int i = 0; i < 13; i++)
        ni[i] = bcg_a[i] + bcg_b[i] + bcg_c[i] + bcg_d[i];
    /* names */
    assert_int_equal(msyn_bias_predictor_parse("SqrtNinv", &pr), MSYN_OK);
    assert_int_equal(pr, MSYN_BIAS_SQRTNINV);
    assert_string_equal(msyn_bias_predictor_name(MSYN_BIAS_NINV), "ninv");
    assert_int_equal(msyn_bias_predictor_parse("sqrt", &pr), MSYN_EINVAL);
    assert_null(msyn_bias_predictor_name((msyn_bias_predictor)6));
    /* regtest: too few, missing ni, constant predictor, bad data */
    assert_int_equal(msyn_bias_regtest_lm(yi, vi, NULL, 2, MSYN_BIAS_SEI, 0.95, &g), MSYN_ETOOFEW);
    assert_int_equal(msyn_bias_regtest_lm(yi, vi, NULL, 13, MSYN_BIAS_NI, 0.95, &g), MSYN_EINVAL);
    assert_int_equal(msyn_bias_regtest_lm(yi, eq, NULL, 5, MSYN_BIAS_SEI, 0.95, &g),
                     MSYN_ENOTESTIMABLE);
    assert_int_equal(msyn_bias_regtest_lm(yi, vi, NULL, 13, MSYN_BIAS_SEI, 1.0, &g), MSYN_EINVAL);
    vi[3] = -1;
    assert_int_equal(msyn_bias_regtest_lm(yi, vi, NULL, 13, MSYN_BIAS_SEI, 0.95, &g), MSYN_EDATA);
    vi[3] = NAN; /* missing: left out */
    assert_int_equal(msyn_bias_regtest_lm(yi, vi, NULL, 13, MSYN_BIAS_SEI, 0.95, &g), MSYN_OK);
    assert_int_equal(g.k, 12);
    bcg_rr(yi, vi);
    assert_int_equal(msyn_bias_regtest_lm(yi, vi, ni, 13, MSYN_BIAS_SQRTNI, 0.95, &g), MSYN_OK);
    assert_true(isnan(g.est) && isnan(g.ci_lb) && !isnan(g.intercept));
    assert_false(g.flags & MSYN_BIAS_FEW_STUDIES); /* k = 13 */
    assert_int_equal(msyn_bias_regtest_lm(yi, vi, ni, 9, MSYN_BIAS_SEI, 0.95, &g), MSYN_OK);
    assert_true(g.flags & MSYN_BIAS_FEW_STUDIES);
    /* rma form with REML through the meta-regression engine; metafor 3.8-1,
     * tight control: regtest(rma(yi, vi, control = list(threshold = 1e-13,
     * tol = 1e-15, maxiter = 10000))) on the BCG log RR gives
     * z = -0.803329193090865, p = 0.421784488855283, tau2 = 0.308249111106848 */
    msyn_pool_opts_default(&o);
    assert_int_equal(msyn_bias_regtest_rma(yi, vi, NULL, 13, MSYN_BIAS_SEI, &o, NULL, NULL, &g),
                     MSYN_OK);
    assert_close(g.stat, -0.803329193090865, 1e-9);
    assert_close(g.pval, 0.421784488855283, 1e-9);
    assert_close(g.tau2, 0.308249111106848, 1e-9);
    o.tau2_fixed = 0.1;
    assert_int_equal(msyn_bias_regtest_rma(yi, vi, NULL, 13, MSYN_BIAS_SEI, &o, NULL, NULL, &g),
                     MSYN_OK);
    assert_close(g.tau2, 0.1, 0);
    o.tau2_fixed = NAN;
    o.method = MSYN_METHOD_EE;
    o.alloc = &fa;
    alloc_left = 0;
    assert_int_equal(msyn_bias_regtest_rma(yi, vi, NULL, 13, MSYN_BIAS_SEI, &o, NULL, NULL, &g),
                     MSYN_ENOMEM);
    alloc_left = 1;
    assert_int_equal(msyn_bias_regtest_rma(yi, vi, NULL, 13, MSYN_BIAS_SEI, &o, NULL, NULL, &g),
                     MSYN_OK);
    assert_close(g.s2w, 1.0, 0);
    assert_true(isnan(g.df));
    /* ranktest */
    assert_int_equal(msyn_bias_ranktest(yi, vi, 1, NULL, &rk), MSYN_ETOOFEW);
    alloc_left = 0;
    assert_int_equal(msyn_bias_ranktest(yi, vi, 13, &fa, &rk), MSYN_ENOMEM);
    assert_int_equal(msyn_bias_ranktest(yi, eq, 5, NULL, &rk), MSYN_OK);
    assert_true(isnan(rk.tau) && isnan(rk.pval)); /* vi constant: R's NA */
    /* pkendall: bounds, symmetry, n = 1 */
    assert_int_equal(msyn_bias_pkendall(0, 0, NULL, &p), MSYN_EINVAL);
    assert_int_equal(msyn_bias_pkendall(0, MSYN_BIAS_KENDALL_MAX + 1, NULL, &p), MSYN_EINVAL);
    assert_int_equal(msyn_bias_pkendall(-1, 5, NULL, &p), MSYN_OK);
    assert_close(p, 0.0, 0);
    assert_int_equal(msyn_bias_pkendall(10, 5, NULL, &p), MSYN_OK);
    assert_close(p, 1.0, 0);
    assert_int_equal(msyn_bias_pkendall(0, 1, NULL, &p), MSYN_OK);
    assert_close(p, 1.0, 0);
    alloc_left = 0;
    assert_int_equal(msyn_bias_pkendall(3, 5, &fa, &p), MSYN_ENOMEM);
    /* trimfill */
    msyn_pool_opts_default(&o);
    msyn_trimfill_opts_default(&to);
    o.method = MSYN_METHOD_DL;
    assert_int_equal(msyn_bias_trimfill(yi, vi, 1, &o, &to, &tf, NULL, NULL), MSYN_ETOOFEW);
    o.method = MSYN_METHOD_REML; /* automatic side through the meta-regression engine:
                                    metafor trimfill(rma(yi, vi)): k0 = 1 on the right */
    assert_int_equal(msyn_bias_trimfill(yi, vi, 13, &o, &to, &tf, NULL, NULL), MSYN_OK);
    assert_int_equal(tf.k0, 1);
    assert_int_equal(tf.side, MSYN_TF_RIGHT);
    to.side = MSYN_TF_LEFT;
    assert_int_equal(msyn_bias_trimfill(yi, vi, 13, &o, &to, &tf, NULL, NULL), MSYN_OK);
    assert_false(tf.flags & (MSYN_BIAS_FEW_STUDIES | MSYN_BIAS_SIDE_AUTO));
    to.max_iter = 0;
    assert_int_equal(msyn_bias_trimfill(yi, vi, 13, &o, &to, &tf, NULL, NULL), MSYN_EINVAL);
    msyn_trimfill_opts_default(&to);
    o.method = MSYN_METHOD_EE;
    o.alloc = &fa;
    for (int n = 0; n < 6; n++) {
        msyn_status rc;
        alloc_left = n;
        rc = msyn_bias_trimfill(yi, vi, 13, &o, &to, &tf, NULL, NULL);
        assert_true(rc == MSYN_ENOMEM || (rc == MSYN_OK && n >= 2));
    }
    /* fsn */
    assert_int_equal(msyn_bias_fsn(yi, NULL, 13, MSYN_FSN_ORWIN, 0.05, 0.0, 0, &fs), MSYN_OK);
    assert_true(isinf(fs.fsnum) && (fs.flags & MSYN_BIAS_FSN_INF));
    assert_int_equal(msyn_bias_fsn(yi, NULL, 13, MSYN_FSN_ROSENTHAL, 0.05, NAN, 0, &fs),
                     MSYN_EINVAL);
    assert_int_equal(msyn_bias_fsn(yi, vi, 13, MSYN_FSN_ROSENTHAL, 1.5, NAN, 0, &fs), MSYN_EINVAL);
    assert_int_equal(msyn_bias_fsn(yi, vi, 0, MSYN_FSN_ROSENBERG, 0.05, NAN, 0, &fs), MSYN_ETOOFEW);
}

/* Beyond R's n = 170 the exact distribution stays defined: P(T <= 7000)
 * for n = 200 is sum of the inversion counts / 200!, computed with exact
 * integers in Python (1.149498036620796e-10); by symmetry
 * P(T <= q) + P(T <= u - q - 1) = 1. */
static void test_kendall_large(void **state)
{
    double a, b;
    (void)state;
    assert_int_equal(msyn_bias_pkendall(7000, 200, NULL, &a), MSYN_OK);
    assert_int_equal(msyn_bias_pkendall(19900 - 7000 - 1, 200, NULL, &b), MSYN_OK);
    assert_close(a + b, 1.0, 1e-13);
    assert_close(a, 1.149498036620796e-10, 1e-13);
}

static void test_print_worst(void **state)
{
    (void)state;
    for (int i = 0; i < NW; i++)
        printf("# largest difference, %s: %.3g\n", wname[i], worst[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regtest),  cmocka_unit_test(test_ranktest),
        cmocka_unit_test(test_pkendall), cmocka_unit_test(test_trimfill),
        cmocka_unit_test(test_fsn),      cmocka_unit_test(test_errors_and_flags),
        cmocka_unit_test(test_kendall_large), cmocka_unit_test(test_print_worst),
    };
    RUN_TESTS(tests);
}
