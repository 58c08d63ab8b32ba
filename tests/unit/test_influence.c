/* test_influence.c - leave-one-out, cumulative, influence diagnostics,
 * Baujat and GOSH (src/influence.c, src/influence_gosh.c).
 *
 * Golden values: tests/golden_influence/<set>/ from metafor 3.8-1 (R 4.2.2;
 * tools/golden_influence.R, SOURCE.md there).  Tolerances, as differences
 * scaled by the unit each value is measured in (see scale_of()):
 *   EE, DL (closed forms): 1e-10 for every column.
 *   REML, control = tight (metafor run to a step of 1e-13): tau2 within
 *     1e-12 absolute (+ 1e-9 relative), everything else 1e-9.
 *   REML, control = default (metafor stops at a step of 1e-5): tau2 within
 *     1e-4 absolute (as tests/golden/run_golden.c); for leave1out and
 *     cumul each row is then refitted with tau^2 fixed at metafor's value
 *     and must agree to 1e-10; the other columns of influence, Baujat and
 *     GOSH follow from metafor's imprecise tau2 and are only reported.
 * Differences of the estimates (dffits, dfbetas, Cook's distance, Baujat's
 * y) lose digits to cancellation when a study barely moves the estimate;
 * they are scaled by max(|value|, 1) (dffits, dfbetas) or compared through
 * their square roots (Cook, Baujat y), i.e. as the difference of the
 * estimates in standard errors.
 * The worst scaled difference per file and class is printed. */
#include <stdlib.h>

#include "app.h"
#include "test.h"

#define GDIR "tests/golden_influence"

static const char *const SETS[] = {
    "bcg", "hackshaw1998", "bangertdrowns2004", "raudenbush1985", "normand1999",
    "random_k03", "random_k04", "random_k05", "random_k06", "random_k08", "random_k10",
    "random_k15", "random_k25", "random_k40"};
#define NSETS (sizeof SETS / sizeof SETS[0])

/* ---- golden tables ---------------------------------------------------------- */

typedef struct gset {
    size_t k;
    double *yi, *vi, *ord, vbar;
    size_t *perm;
} gset;

static double cellnum(const app_table *t, size_t r, const char *col)
{
    int j = app_table_col(t, col);
    const char *s;
    if (j < 0)
        fail_msg("%s: no column %s", t->file, col);
    s = app_table_cell(t, r, (size_t)j);
    if (!s || !*s || strcmp(s, "NA") == 0)
        return NAN;
    return strtod(s, NULL);
}

static const char *cellstr(const app_table *t, size_t r, const char *col)
{
    int j = app_table_col(t, col);
    return j < 0 ? "" : app_table_cell(t, r, (size_t)j);
}

static void read_tab(const char *set, const char *name, app_table *t)
{
    char path[512];
    app_err e = {0, ""};
    snprintf(path, sizeof path, GDIR "/%s/%s", set, name);
    if (app_table_read(path, t, &e) != 0)
        fail_msg("%s", e.msg);
}

static void gset_read(const char *name, gset *g)
{
    app_table t;
    read_tab(name, "input.csv", &t);
    g->k = t.nrow;
    g->yi = calloc(g->k, sizeof *g->yi);
    g->vi = calloc(g->k, sizeof *g->vi);
    g->ord = calloc(g->k, sizeof *g->ord);
    g->perm = calloc(g->k, sizeof *g->perm);
    assert_non_null(g->perm);
    g->vbar = 0;
    for (size_t i = 0; i < g->k; i++) {
        g->yi[i] = cellnum(&t, i, "yi");
        g->vi[i] = cellnum(&t, i, "vi");
        g->ord[i] = cellnum(&t, i, "ord");
        g->vbar += g->vi[i] / (double)g->k;
    }
    app_table_free(&t);
    /* R's order(): stable */
    for (size_t i = 0; i < g->k; i++)
        g->perm[i] = i;
    for (size_t i = 1; i < g->k; i++)
        for (size_t j = i; j > 0 && g->ord[g->perm[j - 1]] > g->ord[g->perm[j]]; j--) {
            size_t x = g->perm[j];
            g->perm[j] = g->perm[j - 1];
            g->perm[j - 1] = x;
        }
}

static void gset_free(gset *g)
{
    free(g->yi);
    free(g->vi);
    free(g->ord);
    free(g->perm);
}

typedef struct config {
    msyn_pool_opts o;
    int tight, iterative;
    char name[64];
} config;

static void config_of(const app_table *t, size_t r, config *c)
{
    msyn_pool_opts_default(&c->o);
    assert_int_equal(msyn_method_parse(cellstr(t, r, "method"), &c->o.method), MSYN_OK);
    if (app_table_col(t, "test") >= 0)
        assert_int_equal(msyn_test_parse(cellstr(t, r, "test"), &c->o.test), MSYN_OK);
    c->tight = strcmp(cellstr(t, r, "control"), "tight") == 0;
    c->iterative = c->o.method == MSYN_METHOD_REML;
    snprintf(c->name, sizeof c->name, "%s/%s/%s", cellstr(t, r, "method"),
             app_table_col(t, "test") >= 0 ? cellstr(t, r, "test") : "-",
             cellstr(t, r, "control"));
}

/* ---- comparison ------------------------------------------------------------- */

enum { K_CLOSED, K_TIGHT, K_TAU2_DEFAULT, K_FIXED, K_INFO, NK };
static const char *const kname[NK] = {"EE/DL", "REML tight", "REML default: tau2",
                                      "REML default: tau2 fixed at metafor's",
                                      "REML default: unfixed (info)"};
static double worst[NK];
static long ncmp[NK];
static char worst_at[NK][160];
static int nfail;

static void cmp(int cls, double tol, const char *where, const char *col, size_t row,
                double a, double b, double scale)
{
    double d;
    if (isnan(a) && isnan(b))
        return;
    ncmp[cls]++;
    d = fabs(a - b) / scale;
    if (isnan(d))
        d = INFINITY;
    if (d > worst[cls]) {
        worst[cls] = d;
        snprintf(worst_at[cls], sizeof worst_at[cls], "%s %s row %zu", where, col, row + 1);
    }
    if (!(d <= tol)) {
        print_error("%s %s row %zu: ours %.17g, metafor %.17g (scaled diff %.3g > %.3g)\n",
                    where, col, row + 1, a, b, d, tol);
        nfail++;
    }
}

/* Tolerance and class for a column of a config. */
static void tol_of(const config *c, int is_tau2, int *cls, double *tol)
{
    if (!c->iterative) {
        *cls = K_CLOSED, *tol = 1e-10;
    } else if (c->tight) {
        *cls = K_TIGHT, *tol = is_tau2 ? 1e-12 : 1e-9;
    } else if (is_tau2) {
        *cls = K_TAU2_DEFAULT, *tol = 1e-4;
    } else {
        *cls = K_INFO, *tol = INFINITY;
    }
}

/* Compare tau2 values: absolute tolerance after a relative 1e-9. */
static void cmp_tau2(const config *c, const char *where, const char *col, size_t row,
                     double a, double b)
{
    int cls;
    double tol, d;
    tol_of(c, 1, &cls, &tol);
    if (!c->iterative) {
        cmp(cls, tol, where, col, row, a, b, fmax(fabs(b), 1e-3));
        return;
    }
    d = fabs(a - b) - 1e-9 * fabs(b);
    cmp(cls, tol, where, col, row, b + (d > 0 ? d : 0), b, 1.0);
}

/* ---- leave1out and cumul ---------------------------------------------------- */

static const char *const FITCOLS[] = {"estimate", "se", "stat", "pval", "ci_lb", "ci_ub",
                                      "Q", "Qp", "I2", "H2"};
#define NFITCOLS (sizeof FITCOLS / sizeof FITCOLS[0])

static double scale_fit(int j, const double *b)
{
    switch (j) {
    case 0: case 4: case 5: return fmax(fabs(b[j]), b[1]);        /* by se    */
    case 2: case 6: case 8: case 9: return fmax(fabs(b[j]), 1.0);
    case 3: return fmax(fabs(b[3]) * fmax(1.0, b[2] * b[2]), 1e-300);
    case 7: return fmax(fabs(b[7]) * fmax(1.0, b[6]), 1e-300);
    default: return fmax(fabs(b[j]), 1e-300);
    }
}

static void fit_vals(const msyn_fit *f, double *a)
{
    a[0] = f->estimate, a[1] = f->se, a[2] = f->stat, a[3] = f->pval, a[4] = f->ci_lb;
    a[5] = f->ci_ub, a[6] = f->Q, a[7] = f->Q_pval, a[8] = f->I2, a[9] = f->H2;
}

/* The studies of row r: all but r (leave1out) or perm[0..r] (cumul). */
static size_t row_data(const gset *g, int cumul, size_t r, double *y, double *v)
{
    size_t m = 0;
    for (size_t i = 0; i < g->k; i++) {
        size_t j = cumul ? g->perm[i] : i;
        if (cumul ? i > r : i == r)
            continue;
        y[m] = g->yi[j];
        v[m++] = g->vi[j];
    }
    return m;
}

static void check_seq(const char *set, const gset *g, int cumul)
{
    app_table t;
    size_t k = g->k;
    double *cols = calloc(12 * k, sizeof *cols), *y = calloc(k, sizeof *y), *v = calloc(k, sizeof *v);
    msyn_fit_cols out;
    assert_non_null(cols);
    assert_non_null(v);
    memset(&out, 0, sizeof out);
    out.estimate = cols, out.se = cols + k, out.stat = cols + 2 * k, out.pval = cols + 3 * k;
    out.ci_lb = cols + 4 * k, out.ci_ub = cols + 5 * k, out.Q = cols + 6 * k;
    out.Q_pval = cols + 7 * k, out.I2 = cols + 8 * k, out.H2 = cols + 9 * k;
    out.tau2 = cols + 10 * k;
    read_tab(set, cumul ? "cumul.csv" : "leave1out.csv", &t);
    for (size_t r0 = 0; r0 < t.nrow; r0 += k) {
        config c;
        char where[160];
        config_of(&t, r0, &c);
        snprintf(where, sizeof where, "%s %s %s", set, cumul ? "cumul" : "leave1out", c.name);
        if (cumul)
            assert_int_equal(msyn_influence_cumul(g->yi, g->vi, k, g->perm, &c.o, &out), MSYN_OK);
        else
            assert_int_equal(msyn_influence_leave1out(g->yi, g->vi, k, &c.o, &out), MSYN_OK);
        for (size_t r = 0; r < k; r++) {
            double a[NFITCOLS], b[NFITCOLS];
            for (size_t j = 0; j < NFITCOLS; j++) {
                a[j] = cols[j * k + r];
                b[j] = cellnum(&t, r0 + r, FITCOLS[j]);
            }
            cmp_tau2(&c, where, "tau2", r, out.tau2[r], cellnum(&t, r0 + r, "tau2"));
            if (c.iterative && !c.tight) {
                /* refit with metafor's tau2 (one study: nothing to fix) */
                msyn_pool_opts fo = c.o;
                msyn_fit f;
                size_t m = row_data(g, cumul, r, y, v);
                if (m > 1)
                    fo.tau2_fixed = cellnum(&t, r0 + r, "tau2");
                assert_int_equal(msyn_pool(y, v, m, &fo, &f), MSYN_OK);
                fit_vals(&f, a);
                for (size_t j = 0; j < NFITCOLS; j++)
                    cmp(K_FIXED, 1e-10, where, FITCOLS[j], r, a[j], b[j], scale_fit((int)j, b));
                for (size_t j = 0; j < NFITCOLS; j++)
                    cmp(K_INFO, INFINITY, where, FITCOLS[j], r, cols[j * k + r], b[j],
                        scale_fit((int)j, b));
            } else {
                int cls;
                double tol;
                tol_of(&c, 0, &cls, &tol);
                for (size_t j = 0; j < NFITCOLS; j++)
                    cmp(cls, tol, where, FITCOLS[j], r, a[j], b[j], scale_fit((int)j, b));
            }
        }
    }
    app_table_free(&t);
    free(cols);
    free(y);
    free(v);
}

/* ---- influence and baujat ---------------------------------------------------- */

static void check_influence(const char *set, const gset *g)
{
    static const char *const names[] = {"rstudent", "dffits", "cook_d", "cov_r", "QE_del",
                                        "hat", "weight", "dfbetas", "resid", "resid_se"};
    enum { NC = 10 };
    app_table t, tb;
    size_t k = g->k;
    double *cols = calloc((NC + 3) * k, sizeof *cols);
    unsigned char *inf = calloc(k, 1);
    msyn_influence_cols out;
    msyn_fit full;
    assert_non_null(cols);
    assert_non_null(inf);
    memset(&out, 0, sizeof out);
    out.rstudent = cols, out.dffits = cols + k, out.cook_d = cols + 2 * k;
    out.cov_r = cols + 3 * k, out.QE_del = cols + 4 * k, out.hat = cols + 5 * k;
    out.weight = cols + 6 * k, out.dfbetas = cols + 7 * k, out.resid = cols + 8 * k;
    out.resid_se = cols + 9 * k, out.tau2_del = cols + 10 * k, out.inf = inf;
    read_tab(set, "influence.csv", &t);
    read_tab(set, "baujat.csv", &tb);
    for (size_t r0 = 0; r0 < t.nrow; r0 += k) {
        config c;
        char where[160];
        int cls;
        double tol, *bx = cols + 11 * k, *by = cols + 12 * k;
        config_of(&t, r0, &c);
        tol_of(&c, 0, &cls, &tol);
        snprintf(where, sizeof where, "%s influence %s", set, c.name);
        assert_int_equal(msyn_influence_diag(g->yi, g->vi, k, &c.o, &out, &full), MSYN_OK);
        for (size_t r = 0; r < k; r++) {
            for (size_t j = 0; j < NC; j++) {
                double b = cellnum(&t, r0 + r, names[j]), a = cols[j * k + r], sc;
                switch (j) {
                case 0: case 1: case 4: case 7: sc = fmax(fabs(b), 1.0); break;
                case 2: a = sqrt(a), b = sqrt(b), sc = 1.0; break;
                case 8: sc = fmax(fabs(b), cellnum(&t, r0 + r, "resid_se")); break;
                default: sc = fmax(fabs(b), 1e-300);
                }
                cmp(cls, tol, where, names[j], r, a, b, sc);
            }
            cmp_tau2(&c, where, "tau2_del", r, out.tau2_del[r], cellnum(&t, r0 + r, "tau2_del"));
            if (c.iterative && !c.tight)
                continue; /* the flag follows from the info-only columns */
            if (inf[r] != (int)cellnum(&t, r0 + r, "is_infl")) {
                print_error("%s inf row %zu: ours %d, metafor %g\n", where, r + 1, inf[r],
                            cellnum(&t, r0 + r, "is_infl"));
                nfail++;
            }
        }
        snprintf(where, sizeof where, "%s baujat %s", set, c.name);
        assert_int_equal(msyn_influence_baujat(g->yi, g->vi, k, &c.o, bx, by), MSYN_OK);
        for (size_t r = 0; r < k; r++) {
            assert_string_equal(cellstr(&tb, r0 + r, "method"), cellstr(&t, r0 + r, "method"));
            cmp(cls, tol, where, "x", r, bx[r], cellnum(&tb, r0 + r, "x"),
                fmax(cellnum(&tb, r0 + r, "x"), 1.0));
            cmp(cls, tol, where, "sqrt(y)", r, sqrt(by[r]), sqrt(cellnum(&tb, r0 + r, "y")), 1.0);
        }
    }
    app_table_free(&t);
    app_table_free(&tb);
    free(cols);
    free(inf);
}

/* ---- gosh ------------------------------------------------------------------- */

static void check_gosh(const char *set, const gset *g)
{
    static const char *const names[] = {"estimate", "QE", "I2", "H2"};
    app_table t;
    size_t k = g->k, rows, n;
    double *cols;
    unsigned char *incl;
    msyn_gosh_cols out;
    int ex;
    char path[256];
    FILE *fp;
    snprintf(path, sizeof path, GDIR "/%s/gosh.csv", set);
    if (!(fp = fopen(path, "r")))
        return; /* k > 10: no GOSH goldens */
    fclose(fp);
    assert_int_equal(msyn_influence_gosh_rows(k, 1000000, &rows, &ex), MSYN_OK);
    assert_int_equal(ex, 1);
    assert_int_equal(rows, (1u << k) - 1);
    cols = calloc(6 * rows, sizeof *cols);
    incl = calloc(rows * k, 1);
    assert_non_null(cols);
    assert_non_null(incl);
    memset(&out, 0, sizeof out);
    out.k = cols, out.estimate = cols + rows, out.Q = cols + 2 * rows, out.I2 = cols + 3 * rows;
    out.H2 = cols + 4 * rows, out.tau2 = cols + 5 * rows, out.incl = incl;
    read_tab(set, "gosh.csv", &t);
    for (size_t r0 = 0; r0 < t.nrow; r0 += rows) {
        config c;
        char where[160];
        int cls;
        double tol;
        config_of(&t, r0, &c);
        tol_of(&c, 0, &cls, &tol);
        snprintf(where, sizeof where, "%s gosh %s", set, c.name);
        assert_int_equal(msyn_influence_gosh(g->yi, g->vi, k, &c.o, 1000000, 1, &out, &n), MSYN_OK);
        assert_int_equal(n, rows);
        for (size_t r = 0; r < rows; r++) {
            double mask = 0;
            for (size_t j = 0; j < k; j++)
                mask += incl[r * k + j] ? (double)(1u << j) : 0.0;
            if (mask != cellnum(&t, r0 + r, "mask") || out.k[r] != cellnum(&t, r0 + r, "k")) {
                print_error("%s row %zu: subset %g (k %g), metafor %g (k %g)\n", where, r + 1, mask,
                            out.k[r], cellnum(&t, r0 + r, "mask"), cellnum(&t, r0 + r, "k"));
                nfail++;
                break;
            }
            for (size_t j = 0; j < 4; j++) {
                double b = cellnum(&t, r0 + r, names[j]);
                double sc = j == 0 ? fmax(fabs(b), 0.01 * sqrt(g->vbar)) : fmax(fabs(b), 1.0);
                cmp(cls, tol, where, names[j], r, cols[(j + 1) * rows + r], b, sc);
            }
            cmp_tau2(&c, where, "tau2", r, out.tau2[r], cellnum(&t, r0 + r, "tau2"));
        }
    }
    app_table_free(&t);
    free(cols);
    free(incl);
}

static void test_golden(void **state)
{
    (void)state;
    nfail = 0;
    for (size_t s = 0; s < NSETS; s++) {
        gset g;
        gset_read(SETS[s], &g);
        check_seq(SETS[s], &g, 0);
        check_seq(SETS[s], &g, 1);
        check_influence(SETS[s], &g);
        check_gosh(SETS[s], &g);
        gset_free(&g);
    }
    printf("# worst scaled differences against metafor:\n");
    for (int c = 0; c < NK; c++)
        printf("#   %-40s %8ld values, worst %.3g (%s)\n", kname[c], ncmp[c], worst[c],
               worst_at[c]);
    assert_int_equal(nfail, 0);
}

/* ---- the O(1) updates against refits ----------------------------------------- */

static double urand(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

static void random_data(size_t k, unsigned long long seed, double *y, double *v)
{
    for (size_t i = 0; i < k; i++) {
        v[i] = 0.005 + 0.2 * urand(&seed);
        y[i] = 0.4 + (urand(&seed) - 0.5) * 1.2;
    }
    y[k / 3] += 3.0; /* an outlier */
}

/* Scaled agreement of two fits (fast update vs msyn_pool refit). */
static void same_fit(const msyn_fit_cols *c, size_t r, const msyn_fit *f, double tol)
{
    assert_close(c->estimate[r], f->estimate, tol * fmax(1.0, f->se / fabs(f->estimate)));
    assert_close(c->se[r], f->se, tol);
    assert_close(c->stat[r], f->stat, tol * fmax(1.0, 1.0 / fabs(f->stat)));
    assert_close(c->pval[r], f->pval, tol * fmax(1.0, f->stat * f->stat));
    assert_close(c->ci_lb[r], f->ci_lb, tol * fmax(1.0, f->se / fabs(f->ci_lb)));
    assert_close(c->ci_ub[r], f->ci_ub, tol * fmax(1.0, f->se / fabs(f->ci_ub)));
    assert_close(c->Q[r], f->Q, tol);
    assert_close(c->Q_pval[r], f->Q_pval, tol * fmax(1.0, f->Q));
    assert_close(c->tau2[r], f->tau2, tol);
    assert_close(c->I2[r], f->I2, tol);
    assert_close(c->H2[r], f->H2, tol);
    assert_close(c->k[r], (double)f->k, 0);
    assert_int_equal(c->flags[r], f->flags & (MSYN_FIT_TAU2_TRUNCATED | MSYN_FIT_FALLBACK |
                                              MSYN_FIT_LL0_RESET | MSYN_FIT_K1 |
                                              MSYN_FIT_KNHA_ZERO | MSYN_FIT_TAU2_FIXED));
}

typedef struct colbuf {
    double d[12][400];
    unsigned flags[400];
} colbuf;

static void cols_bind(colbuf *b, msyn_fit_cols *c)
{
    memset(c, 0, sizeof *c);
    c->estimate = b->d[0], c->se = b->d[1], c->stat = b->d[2], c->pval = b->d[3];
    c->ci_lb = b->d[4], c->ci_ub = b->d[5], c->Q = b->d[6], c->Q_pval = b->d[7];
    c->tau2 = b->d[8], c->I2 = b->d[9], c->H2 = b->d[10], c->k = b->d[11], c->flags = b->flags;
}

static void test_fast_paths(void **state)
{
    enum { K = 300 };
    static colbuf b1, b2;
    double y[K], v[K], ys[K], vs[K];
    size_t order[K];
    msyn_fit_cols c1, c2;
    (void)state;
    random_data(K, 7, y, v);
    y[10] = NAN; /* a missing study */
    for (size_t i = 0; i < K; i++)
        order[i] = (i * 7) % K; /* 7 and 300 are coprime */
    cols_bind(&b1, &c1);
    cols_bind(&b2, &c2);
    for (int m = 0; m < 2; m++)
        for (int t = 0; t < 4; t++)
            for (int q = 0; q < 2; q++) {
                msyn_pool_opts o;
                msyn_pool_opts_default(&o);
                o.method = m ? MSYN_METHOD_DL : MSYN_METHOD_EE;
                if (m)
                    o.tau2_fixed = 0.07;
                o.test = (msyn_test)t;
                o.i2def = (msyn_i2def)q;
                assert_int_equal(msyn_influence_leave1out(y, v, K, &o, &c1), MSYN_OK);
                assert_int_equal(msyn_influence_cumul(y, v, K, order, &o, &c2), MSYN_OK);
                assert_true(isnan(c1.estimate[10]) && isnan(c1.I2[10]) && c1.flags[10] == 0);
                for (size_t r = 0; r < K; r++) {
                    msyn_fit f;
                    size_t n = 0;
                    if (r != 10) {
                        for (size_t i = 0; i < K; i++)
                            if (i != r && i != 10)
                                ys[n] = y[i], vs[n++] = v[i];
                        assert_int_equal(msyn_pool(ys, vs, n, &o, &f), MSYN_OK);
                        same_fit(&c1, r, &f, 1e-12);
                    }
                    n = 0;
                    for (size_t s = 0; s <= r; s++)
                        if (order[s] != 10)
                            ys[n] = y[order[s]], vs[n++] = v[order[s]];
                    if (order[r] == 10) {
                        assert_true(isnan(c2.estimate[r]));
                        continue;
                    }
                    assert_int_equal(msyn_pool(ys, vs, n, &o, &f), MSYN_OK);
                    same_fit(&c2, r, &f, 1e-12);
                }
            }
}

/* A missing study changes nothing but its own row; ML refits agree with
 * msyn_pool() on the reduced data exactly. */
static void test_missing_refit(void **state)
{
    enum { K = 12 };
    double y[K], v[K], y2[K - 1], v2[K - 1];
    double e1[K], e2[K - 1], s1[K], s2[K - 1], r1[K], r2[K - 1];
    msyn_fit_cols c1, c2;
    msyn_influence_cols i1, i2;
    msyn_pool_opts o;
    (void)state;
    random_data(K, 11, y, v);
    v[4] = NAN;
    for (size_t i = 0, n = 0; i < K; i++)
        if (i != 4)
            y2[n] = y[i], v2[n++] = v[i];
    msyn_pool_opts_default(&o);
    o.method = MSYN_METHOD_ML;
    o.test = MSYN_TEST_KNHA;
    memset(&c1, 0, sizeof c1);
    memset(&c2, 0, sizeof c2);
    c1.estimate = e1, c1.se = s1, c2.estimate = e2, c2.se = s2;
    assert_int_equal(msyn_influence_leave1out(y, v, K, &o, &c1), MSYN_OK);
    assert_int_equal(msyn_influence_leave1out(y2, v2, K - 1, &o, &c2), MSYN_OK);
    memset(&i1, 0, sizeof i1);
    memset(&i2, 0, sizeof i2);
    i1.rstudent = r1, i2.rstudent = r2;
    assert_int_equal(msyn_influence_diag(y, v, K, &o, &i1, NULL), MSYN_OK);
    assert_int_equal(msyn_influence_diag(y2, v2, K - 1, &o, &i2, NULL), MSYN_OK);
    assert_true(isnan(e1[4]) && isnan(s1[4]) && isnan(r1[4]));
    for (size_t i = 0, n = 0; i < K; i++)
        if (i != 4) {
            assert_true(e1[i] == e2[n] && s1[i] == s2[n] && r1[i] == r2[n]);
            n++;
        }
}

/* GOSH random subsets: reproducible, sorted by size, inclusion matching k,
 * and every fit equal to msyn_pool()'s of its subset. */
static void test_gosh_random(void **state)
{
    enum { K = 20, N = 2000 };
    static double cols[2][6][N];
    static unsigned char incl[2][N * K];
    double y[K], v[K], ys[K], vs[K], mean_k = 0;
    msyn_gosh_cols g[2];
    msyn_pool_opts o;
    size_t rows;
    int ex;
    (void)state;
    random_data(K, 5, y, v);
    msyn_pool_opts_default(&o);
    assert_int_equal(msyn_influence_gosh_rows(K, N, &rows, &ex), MSYN_OK);
    assert_int_equal(rows, N);
    assert_int_equal(ex, 0);
    for (int r = 0; r < 2; r++) {
        g[r].k = cols[r][0], g[r].estimate = cols[r][1], g[r].Q = cols[r][2];
        g[r].I2 = cols[r][3], g[r].H2 = cols[r][4], g[r].tau2 = cols[r][5], g[r].incl = incl[r];
        assert_int_equal(msyn_influence_gosh(y, v, K, &o, N, 42, &g[r], &rows), MSYN_OK);
        assert_int_equal(rows, N);
    }
    assert_memory_equal(cols[0], cols[1], sizeof cols[0]);
    assert_memory_equal(incl[0], incl[1], sizeof incl[0]);
    for (size_t r = 0; r < N; r++) {
        size_t m = 0;
        msyn_fit f;
        for (size_t j = 0; j < K; j++)
            if (incl[0][r * K + j])
                ys[m] = y[j], vs[m++] = v[j];
        assert_true(m >= 1);
        assert_close(cols[0][0][r], (double)m, 0);
        if (r > 0)
            assert_true(cols[0][0][r] >= cols[0][0][r - 1]);
        mean_k += (double)m / N;
        if (r % 50 == 0) {
            assert_int_equal(msyn_pool(ys, vs, m, &o, &f), MSYN_OK);
            assert_close(cols[0][1][r], f.estimate, 1e-12);
            assert_close(cols[0][5][r], f.tau2, 1e-12);
        }
    }
    /* binomial(20, 1/2): mean 10, sd of the mean of 2000 draws 0.05 */
    assert_true(fabs(mean_k - 10.0) < 0.3);
    /* another seed, other subsets */
    g[1].incl = incl[1];
    assert_int_equal(msyn_influence_gosh(y, v, K, &o, N, 43, &g[1], &rows), MSYN_OK);
    assert_true(memcmp(incl[0], incl[1], sizeof incl[0]) != 0);
}

static int allocs, fail_after;
static void *fail_alloc(void *ud, size_t n)
{
    (void)ud;
    return ++allocs >= fail_after ? NULL : malloc(n);
}
static void plain_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void test_errors_and_memory(void **state)
{
    enum { K = 6 };
    double y[K], v[K], e[K], x[K], yy[K], hat[K], ge[64];
    size_t order[K] = {5, 4, 3, 2, 1, 0}, bad[K] = {0, 1, 2, 3, 4, 4}, rows;
    msyn_allocator a = {fail_alloc, plain_free, NULL};
    msyn_fit_cols c;
    msyn_influence_cols ic;
    msyn_gosh_cols gc;
    msyn_pool_opts o;
    (void)state;
    random_data(K, 3, y, v);
    memset(&c, 0, sizeof c);
    memset(&ic, 0, sizeof ic);
    memset(&gc, 0, sizeof gc);
    c.estimate = e;
    ic.hat = hat;
    gc.estimate = ge;
    msyn_pool_opts_default(&o);
    assert_int_equal(msyn_influence_leave1out(y, v, 1, &o, &c), MSYN_ETOOFEW);
    assert_int_equal(msyn_influence_leave1out(y, v, K, &o, NULL), MSYN_EINVAL);
    assert_int_equal(msyn_influence_cumul(y, v, K, bad, &o, &c), MSYN_EINVAL);
    assert_int_equal(msyn_influence_cumul(y, v, K, NULL, &o, &c), MSYN_EINVAL);
    assert_int_equal(msyn_influence_diag(y, v, 1, &o, &ic, NULL), MSYN_ETOOFEW);
    assert_int_equal(msyn_influence_gosh(y, v, K, &o, 1, 1, &gc, &rows), MSYN_EINVAL);
    assert_int_equal(msyn_influence_gosh_rows(1, 10, &rows, NULL), MSYN_ETOOFEW);
    v[2] = -1;
    assert_int_equal(msyn_influence_leave1out(y, v, K, &o, &c), MSYN_EDATA);
    v[2] = 0.1;
    o.method = MSYN_METHOD_MH;
    assert_int_equal(msyn_influence_baujat(y, v, K, &o, x, yy), MSYN_EMEASURE);
    o.method = MSYN_METHOD_REML;
    o.level = 2;
    assert_int_equal(msyn_influence_leave1out(y, v, K, &o, &c), MSYN_EINVAL);
    o.level = 0.95;
    o.alloc = &a;
    /* fail each allocation in turn until a run needs no more */
    for (int m = 0; m < 2; m++) {
        o.method = m ? MSYN_METHOD_EE : MSYN_METHOD_REML;
        for (fail_after = 1;; fail_after++) {
            msyn_status r1, r2, r3, r4, r5;
            allocs = 0, r1 = msyn_influence_leave1out(y, v, K, &o, &c);
            allocs = 0, r2 = msyn_influence_cumul(y, v, K, order, &o, &c);
            allocs = 0, r3 = msyn_influence_diag(y, v, K, &o, &ic, NULL);
            allocs = 0, r4 = msyn_influence_baujat(y, v, K, &o, x, yy);
            allocs = 0, r5 = msyn_influence_gosh(y, v, K, &o, 100, 1, &gc, &rows);
            assert_true(r1 == MSYN_OK || r1 == MSYN_ENOMEM);
            assert_true(r2 == MSYN_OK || r2 == MSYN_ENOMEM);
            assert_true(r3 == MSYN_OK || r3 == MSYN_ENOMEM);
            assert_true(r4 == MSYN_OK || r4 == MSYN_ENOMEM);
            assert_true(r5 == MSYN_OK || r5 == MSYN_ENOMEM);
            if (r1 == MSYN_OK && r2 == MSYN_OK && r3 == MSYN_OK && r4 == MSYN_OK && r5 == MSYN_OK)
                break;
            assert_true(fail_after < 20);
        }
    }
}

/* k = 100,000 with a common-effect model: O(k) in all. */
static void test_large_ee(void **state)
{
    enum { K = 100000 };
    double *y = malloc(K * sizeof *y), *v = malloc(K * sizeof *v), *e = malloc(K * sizeof *e);
    double *q = malloc(K * sizeof *q), ys[3], vs[3];
    msyn_fit_cols c;
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    assert_non_null(y);
    assert_non_null(v);
    assert_non_null(e);
    assert_non_null(q);
    random_data(K, 9, y, v);
    msyn_pool_opts_default(&o);
    o.method = MSYN_METHOD_EE;
    memset(&c, 0, sizeof c);
    c.estimate = e, c.Q = q;
    assert_int_equal(msyn_influence_leave1out(y, v, K, &o, &c), MSYN_OK);
    /* removing study j from all: compare with a direct fit for a few */
    for (size_t j = 0; j < K; j += K / 4) {
        double *y2 = malloc((K - 1) * sizeof *y2), *v2 = malloc((K - 1) * sizeof *v2);
        assert_non_null(y2);
        assert_non_null(v2);
        for (size_t i = 0, n = 0; i < K; i++)
            if (i != j)
                y2[n] = y[i], v2[n++] = v[i];
        assert_int_equal(msyn_pool(y2, v2, K - 1, &o, &f), MSYN_OK);
        assert_close(e[j], f.estimate, 1e-11);
        assert_close(q[j], f.Q, 1e-11);
        free(y2);
        free(v2);
    }
    (void)ys, (void)vs;
    free(y);
    free(v);
    free(e);
    free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),         cmocka_unit_test(test_fast_paths),
        cmocka_unit_test(test_missing_refit),  cmocka_unit_test(test_gosh_random),
        cmocka_unit_test(test_errors_and_memory), cmocka_unit_test(test_large_ee),
    };
    RUN_TESTS(tests);
}
