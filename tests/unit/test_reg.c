/*
 * test_reg.c - meta-regression (msyn_reg, msyn_reg_predict) against metafor.
 *
 * Golden values: tests/golden_reg/ (tools/golden_reg.R; metafor 3.8-1; see
 * its SOURCE.md).  Every row of fits.csv is one model fitted with one
 * method, test and control; coef.csv, vcov.csv and pred.csv hold its
 * coefficients, variance-covariance matrix and predictions.  Tolerances
 * (as tests/golden/run_golden.c explains for the intercept-only engine):
 *
 *   closed forms (EE DL HE HS SJ): every value to 1e-10, relative to the
 *     scale of the quantity (coefficients, CI and predictions: max(|x|, SE);
 *     tau2: max(tau2, vt); statistics: max(|x|, 1); p-values: relative,
 *     times max(1, stat^2) or max(1, QM)).
 *   iterative (ML REML EB PM), control=default: metafor stops Fisher
 *     scoring at a step of 1e-5 and PM's uniroot at 1.22e-4, so tau2 must
 *     agree within 1e-4 (PM 1.3e-4) absolute; then a refit with tau2 fixed
 *     at metafor's value must agree to 1e-10 in every value that follows
 *     from tau2 (all but tau2_se, R2 and tau2_0, whose agreement is
 *     printed for information).
 *   iterative, control=tight (threshold 1e-13, tol 1e-15): tau2 to 1e-12
 *     absolute (+1e-9 relative), everything else, unfixed, to 1e-9.
 *   Ill-conditioned designs: every tolerance but tau2's is multiplied by
 *     max(1, kappa/10), kappa the condition number of X with unit-length
 *     columns (models.csv; 375-980 for bcg ~ year, bcg ~ ablat + year and
 *     the collinear set, below 8 for the others).  metafor's own rounding
 *     grows with kappa: for the collinear set its prediction at the far
 *     point differs by 1.3e-10 (relative) from metafor's own fit of the
 *     same model with centred moderators, where ours agrees with that
 *     better-conditioned fit to 1e-13 (docs/methods/reg.md).
 *
 * Plus unit tests of the API: errors, missing rows, rank deficiency,
 * workspace reuse, allocation failure, predictions, equivalence with
 * msyn_pool() for the intercept-only model.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "test.h"

#define MAXP 6
#define GOLD "tests/golden_reg/"

/* ---- CSV reading (numbers or NA; the first nkey fields are text) ------- */

typedef struct table {
    size_t n, ncol;
    char **key;     /* n rows: the first nkey fields joined by ',' */
    double *x;      /* n x ncol numbers after the key fields */
} table;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    long n;
    char *s;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = 0;
    fclose(f);
    return s;
}

static double field_num(const char *s)
{
    return strncmp(s, "NA", 2) == 0 ? nan("") : strtod(s, NULL);
}

static int read_table(const char *path, size_t nkey, table *t)
{
    char *s = slurp(path), *line, *save = NULL;
    size_t cap = 0;
    memset(t, 0, sizeof *t);
    if (!s)
        return -1;
    line = strtok_r(s, "\n", &save);
    for (const char *c = line; *c; c++)
        t->ncol += *c == ',';
    t->ncol = t->ncol + 1 - nkey;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *p = line, keybuf[256] = "";
        size_t kl = 0;
        if (t->n == cap) {
            cap = cap ? 2 * cap : 256;
            t->key = realloc(t->key, cap * sizeof *t->key);
            t->x = realloc(t->x, cap * t->ncol * sizeof *t->x);
        }
        for (size_t j = 0; j < nkey; j++) {
            char *e = strchr(p, ',');
            size_t len = (size_t)(e - p);
            memcpy(keybuf + kl, p, len);
            kl += len;
            keybuf[kl++] = j + 1 < nkey ? ',' : 0;
            p = e + 1;
        }
        t->key[t->n] = strdup(keybuf);
        for (size_t j = 0; j < t->ncol; j++) {
            t->x[t->n * t->ncol + j] = field_num(p);
            p = strchr(p, ',');
            p = p ? p + 1 : p;
        }
        t->n++;
    }
    free(s);
    return 0;
}

static void free_table(table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->key[i]);
    free(t->key);
    free(t->x);
}

/* ---- comparison bookkeeping ------------------------------------------ */

enum { C_CLOSED, C_TAU2, C_FIXED, C_TIGHT, C_INFO_SE, C_INFO_R2, NC };
static const char *const cname[NC] = {
    "closed forms (scaled)", "ML/REML/EB/PM tau2 vs metafor default (abs)",
    "ML/REML/EB/PM with tau2 fixed at metafor's (scaled)", "tight control (scaled)",
    "tau2_se default control (relative, info)", "R2 default control (abs. percent, info)"};
static double worst[NC], worst_wc[NC]; /* all models; kappa <= 10 only */
static double cur_kf = 1.0;
static char worst_where[NC][160];
static int nfail, ncomp;

static void cmp(int cls, const char *where, const char *what, double got, double exp,
                double tol, double scale)
{
    double d;
    ncomp++;
    if (isnan(exp) && isnan(got))
        return;
    d = fabs(got - exp) / scale;
    if (!(d <= tol)) {
        if (nfail < 30)
            print_error("%s %s: got %.17g, metafor %.17g (scaled diff %.3g > %.3g)\n", where, what,
                        got, exp, d, tol);
        nfail++;
    }
    if (cur_kf == 1.0 && (d > worst_wc[cls] || isnan(d)))
        worst_wc[cls] = d;
    if (d > worst[cls] || isnan(d)) {
        worst[cls] = d;
        snprintf(worst_where[cls], sizeof worst_where[cls], "%s %s", where, what);
    }
}

static double sc(double x, double floor_) { return fmax(fabs(x), floor_ > 0 ? floor_ : 1e-300); }

/* ---- parsing a configuration ------------------------------------------ */

static int parse_row(const char *key, char *model, msyn_pool_opts *o, int *tight)
{
    char buf[256], *save = NULL, *m, *me, *te, *ct;
    snprintf(buf, sizeof buf, "%s", key);
    m = strtok_r(buf, ",", &save);
    me = strtok_r(NULL, ",", &save);
    te = strtok_r(NULL, ",", &save);
    ct = strtok_r(NULL, ",", &save);
    strcpy(model, m);
    msyn_pool_opts_default(o);
    o->fallback = 0;
    if (msyn_method_parse(me, &o->method) != MSYN_OK || msyn_test_parse(te, &o->test) != MSYN_OK)
        return -1;
    *tight = strcmp(ct, "tight") == 0;
    return 0;
}

static int is_iter(msyn_method m)
{
    return m == MSYN_METHOD_ML || m == MSYN_METHOD_REML || m == MSYN_METHOD_EB ||
           m == MSYN_METHOD_PM;
}

typedef struct golden {
    table fits, coef, vcov, pred;
} golden;

/* Tolerance multiplier of a model: max(1, kappa / 10). */
static double kappa_factor(const table *models, const char *model)
{
    for (size_t i = 0; i < models->n; i++)
        if (strcmp(models->key[i], model) == 0)
            return fmax(1.0, models->x[i] / 10.0);
    fail_msg("model %s not in models.csv", model);
    return 1.0;
}

static void load_data(const char *model, table *d)
{
    char path[256];
    snprintf(path, sizeof path, GOLD "data/%s.csv", model);
    if (read_table(path, 0, d) != 0)
        fail_msg("cannot read %s", path);
}

enum { FK, FP, FM, FTAU2, FTAU2SE, FQM, FQMDF1, FQMDF2, FQMP, FQE, FQEDF, FQEP, FI2, FH2, FR2,
       FTAU20, FVT, FS2W, FLLML, FLLREML, NFF };
static const char *const ffname[NFF] = {
    "k", "p", "m", "tau2", "tau2_se", "QM", "QM_df1", "QM_df2", "QM_pval", "QE", "QE_df",
    "QE_pval", "I2", "H2", "R2", "tau2_0", "vt", "s2w", "ll_ml", "ll_reml"};

static void fit_fields(const msyn_reg_fit *f, double v[NFF])
{
    v[FK] = (double)f->k; v[FP] = (double)f->p; v[FM] = (double)f->m; v[FTAU2] = f->tau2;
    v[FTAU2SE] = f->tau2_se; v[FQM] = f->QM; v[FQMDF1] = f->QM_df1; v[FQMDF2] = f->QM_df2;
    v[FQMP] = f->QM_pval; v[FQE] = f->QE; v[FQEDF] = f->QE_df; v[FQEP] = f->QE_pval;
    v[FI2] = f->I2; v[FH2] = f->H2; v[FR2] = f->R2; v[FTAU20] = f->tau2_0; v[FVT] = f->vt;
    v[FS2W] = f->s2w; v[FLLML] = f->ll_ml; v[FLLREML] = f->ll_reml;
}

static double fscale(int j, const double *e, double vt)
{
    switch (j) {
    case FTAU2: case FTAU20: return sc(e[j], vt);
    case FQMP: return sc(e[j] * fmax(1.0, e[FQM]), 1e-300);
    case FQEP: return sc(e[j] * fmax(1.0, e[FQE]), 1e-300);
    case FI2: case FR2: return sc(e[j], 1.0);
    case FQM: return sc(e[j], 1e-12);
    default: return sc(e[j], 1e-300);
    }
}

typedef struct outbuf {
    double b[MAXP], se[MAXP], stat[MAXP], pval[MAXP], lb[MAXP], ub[MAXP], vb[MAXP * MAXP];
} outbuf;

static void wire(msyn_reg_fit *f, outbuf *ob)
{
    memset(f, 0, sizeof *f);
    f->b = ob->b, f->se = ob->se, f->stat = ob->stat, f->pval = ob->pval;
    f->ci_lb = ob->lb, f->ci_ub = ob->ub, f->vb = ob->vb;
}

/* Compare the coefficients, vcov and predictions of a fit with the golden
 * rows of key. */
static void cmp_detail(int cls, double tol, const char *key, const golden *g,
                       const msyn_reg_fit *f)
{
    size_t p = f->p;
    for (size_t i = 0; i < g->coef.n; i++) {
        const double *e = g->coef.x + i * g->coef.ncol;
        size_t j;
        if (strcmp(g->coef.key[i], key) != 0)
            continue;
        j = (size_t)e[0];
        cmp(cls, key, "b", f->b[j], e[1], tol, sc(e[1], e[2]));
        cmp(cls, key, "se", f->se[j], e[2], tol, sc(e[2], 0));
        cmp(cls, key, "stat", f->stat[j], e[3], tol, sc(e[3], 1.0));
        cmp(cls, key, "pval", f->pval[j], e[4], tol, sc(e[4] * fmax(1.0, e[3] * e[3]), 0));
        cmp(cls, key, "ci_lb", f->ci_lb[j], e[5], tol, sc(e[5], e[2]));
        cmp(cls, key, "ci_ub", f->ci_ub[j], e[6], tol, sc(e[6], e[2]));
    }
    for (size_t i = 0; i < g->vcov.n; i++) {
        const double *e = g->vcov.x + i * g->vcov.ncol;
        size_t j, l;
        if (strcmp(g->vcov.key[i], key) != 0)
            continue;
        j = (size_t)e[0], l = (size_t)e[1];
        cmp(cls, key, "vcov", f->vb[j * p + l], e[2], tol,
            sc(e[2], sqrt(f->vb[j * p + j] * f->vb[l * p + l])));
    }
    for (size_t i = 0; i < g->pred.n; i++) {
        const double *e = g->pred.x + i * g->pred.ncol;
        msyn_reg_pred pr;
        double x[MAXP];
        if (strcmp(g->pred.key[i], key) != 0)
            continue;
        for (size_t j = 0; j < p; j++)
            x[j] = e[1 + j];
        assert_int_equal(msyn_reg_predict(f, x, 1, NULL, &pr), MSYN_OK);
        cmp(cls, key, "pred", pr.pred, e[7], tol, sc(e[7], e[8]));
        cmp(cls, key, "pred_se", pr.se, e[8], tol, sc(e[8], 0));
        cmp(cls, key, "pred_ci_lb", pr.ci_lb, e[9], tol, sc(e[9], e[8]));
        cmp(cls, key, "pred_ci_ub", pr.ci_ub, e[10], tol, sc(e[10], e[8]));
        cmp(cls, key, "pi_lb", pr.pi_lb, e[11], tol, sc(e[11], e[8]));
        cmp(cls, key, "pi_ub", pr.pi_ub, e[12], tol, sc(e[12], e[8]));
    }
}

static msyn_status run_fit(const table *d, const msyn_pool_opts *o, msyn_reg_fit *f, outbuf *ob)
{
    size_t k = d->n, p = d->ncol - 2;
    double *yi = malloc(k * sizeof *yi), *vi = malloc(k * sizeof *vi), *X = malloc(k * p * sizeof *X);
    msyn_status rc;
    for (size_t i = 0; i < k; i++) {
        yi[i] = d->x[i * d->ncol];
        vi[i] = d->x[i * d->ncol + 1];
        for (size_t j = 0; j < p; j++)
            X[i * p + j] = d->x[i * d->ncol + 2 + j];
    }
    wire(f, ob);
    rc = msyn_reg(yi, vi, X, k, p, NULL, o, NULL, f);
    free(yi);
    free(vi);
    free(X);
    return rc;
}

static void test_golden(void **state)
{
    golden g;
    char model[128] = "", cur[128] = "";
    table d, models;
    int rows = 0;
    double kf = 1.0;
    (void)state;
    memset(&d, 0, sizeof d);
    if (read_table(GOLD "fits.csv", 4, &g.fits) || read_table(GOLD "coef.csv", 4, &g.coef) ||
        read_table(GOLD "vcov.csv", 4, &g.vcov) || read_table(GOLD "pred.csv", 4, &g.pred) ||
        read_table(GOLD "models.csv", 1, &models))
        fail_msg("cannot read " GOLD "*.csv");
    for (size_t r = 0; r < g.fits.n; r++) {
        const char *key = g.fits.key[r];
        const double *e = g.fits.x + r * g.fits.ncol;
        msyn_pool_opts o;
        msyn_reg_fit f;
        outbuf ob;
        double a[NFF];
        int tight = 0;
        assert_int_equal(parse_row(key, model, &o, &tight), 0);
        if (strcmp(model, cur) != 0) {
            if (cur[0])
                free_table(&d);
            load_data(model, &d);
            strcpy(cur, model);
            kf = cur_kf = kappa_factor(&models, model);
        }
        rows++;
        if (run_fit(&d, &o, &f, &ob) != MSYN_OK) {
            print_error("%s: msyn_reg failed\n", key);
            nfail++;
            continue;
        }
        fit_fields(&f, a);
        if (is_iter(o.method) && !tight) {
            double tol = o.method == MSYN_METHOD_PM ? 1.3e-4 : 1e-4;
            double dd = fabs(a[FTAU2] - e[FTAU2]) - 1e-9 * fabs(e[FTAU2]);
            msyn_reg_fit g2;
            outbuf ob2;
            cmp(C_TAU2, key, "tau2", e[FTAU2] + (dd > 0 ? dd : 0), e[FTAU2], tol, 1.0);
            cmp(C_TAU2, key, "tau2_0", a[FTAU20], e[FTAU20], tol, 1.0);
            cmp(C_INFO_SE, key, "tau2_se", a[FTAU2SE], e[FTAU2SE], INFINITY, sc(e[FTAU2SE], 0));
            cmp(C_INFO_R2, key, "R2", a[FR2], e[FR2], INFINITY, 1.0);
            o.tau2_fixed = e[FTAU2];
            if (run_fit(&d, &o, &g2, &ob2) != MSYN_OK) {
                print_error("%s: msyn_reg with tau2 fixed failed\n", key);
                nfail++;
                continue;
            }
            fit_fields(&g2, a);
            for (int j = 0; j < NFF; j++)
                if (j != FTAU2SE && j != FR2 && j != FTAU20)
                    cmp(C_FIXED, key, ffname[j], a[j], e[j], 1e-10 * kf, fscale(j, e, e[FVT]));
            cmp_detail(C_FIXED, 1e-10 * kf, key, &g, &g2);
        } else {
            int cls = tight ? C_TIGHT : C_CLOSED;
            double tol = (tight ? 1e-9 : 1e-10) * kf;
            for (int j = 0; j < NFF; j++) {
                if (j == FTAU2 && tight) {
                    double dd = fabs(a[j] - e[j]) - 1e-9 * fabs(e[j]);
                    cmp(cls, key, "tau2 (abs)", e[j] + (dd > 0 ? dd : 0), e[j], 1e-12, 1.0);
                } else {
                    cmp(cls, key, ffname[j], a[j], e[j], tol, fscale(j, e, e[FVT]));
                }
            }
            cmp_detail(cls, tol, key, &g, &f);
        }
    }
    free_table(&d);
    printf("golden_reg: %d fits, %d comparisons, %d failed; largest differences:\n", rows, ncomp,
           nfail);
    for (int c = 0; c < NC; c++)
        printf("  %-55s %.3g  (%s); kappa <= 10: %.3g\n", cname[c], worst[c], worst_where[c],
               worst_wc[c]);
    free_table(&g.fits);
    free_table(&g.coef);
    free_table(&g.vcov);
    free_table(&g.pred);
    free_table(&models);
    assert_int_equal(nfail, 0);
}

/* ---- API ---------------------------------------------------------------- */

/* BCG log RR with absolute latitude. */
static const double bcg_ablat[13] = {44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33};

static void bcg_design(double *X)
{
    for (size_t i = 0; i < 13; i++) {
        X[2 * i] = 1.0;
        X[2 * i + 1] = bcg_ablat[i];
    }
}

static void test_intercept_only_matches_pool(void **state)
{
    /* p = 1 with an intercept is msyn_pool()'s model: every estimator and
     * test must give the same estimate, SE, tau2, QE (= Q) and I2 */
    static const msyn_method ms[] = {MSYN_METHOD_EE, MSYN_METHOD_DL, MSYN_METHOD_HE,
                                     MSYN_METHOD_HS, MSYN_METHOD_SJ, MSYN_METHOD_ML,
                                     MSYN_METHOD_REML, MSYN_METHOD_EB, MSYN_METHOD_PM};
    double yi[13], vi[13], X[13], b, se, vb;
    (void)state;
    bcg_rr(yi, vi);
    for (size_t i = 0; i < 13; i++)
        X[i] = 1.0;
    for (size_t m = 0; m < sizeof ms / sizeof ms[0]; m++)
        for (int t = 0; t <= MSYN_TEST_ADHOC; t++) {
            msyn_pool_opts o;
            msyn_fit pf;
            msyn_reg_fit rf;
            msyn_pool_opts_default(&o);
            o.method = ms[m];
            o.test = (msyn_test)t;
            memset(&rf, 0, sizeof rf);
            rf.b = &b, rf.se = &se, rf.vb = &vb;
            assert_int_equal(msyn_pool(yi, vi, 13, &o, &pf), MSYN_OK);
            assert_int_equal(msyn_reg(yi, vi, X, 13, 1, NULL, &o, NULL, &rf), MSYN_OK);
            assert_close(rf.tau2 + 1.0, pf.tau2 + 1.0, 1e-12);
            assert_close(b, pf.estimate, 1e-12);
            assert_close(se, pf.se, 1e-12);
            assert_close(rf.QE, pf.Q, 1e-12);
            assert_close(rf.I2 + 1.0, pf.I2 + 1.0, 1e-12);
            if (ms[m] != MSYN_METHOD_EE)
                assert_close(rf.tau2_se, pf.tau2_se, 1e-9);
            assert_int_equal(rf.m, 1);   /* no intercept-only QM exclusion */
            assert_true(isnan(rf.R2));   /* no R2 for the intercept-only model */
        }
}

static void test_errors(void **state)
{
    double yi[13], vi[13], X[26], b[2];
    msyn_reg_fit f;
    msyn_pool_opts o;
    msyn_reg_opts ro;
    size_t btt_bad[1] = {2}, btt_dup[2] = {1, 1};
    (void)state;
    bcg_rr(yi, vi);
    bcg_design(X);
    memset(&f, 0, sizeof f);
    f.b = b;
    msyn_pool_opts_default(&o);
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, &o, NULL, NULL), MSYN_EINVAL);
    assert_int_equal(msyn_reg(yi, vi, NULL, 13, 2, NULL, &o, NULL, &f), MSYN_EINVAL);
    assert_ptr_equal(f.b, b); /* the caller's pointers survive */
    assert_int_equal(msyn_reg(yi, vi, X, 13, 0, NULL, &o, NULL, &f), MSYN_EINVAL);
    msyn_reg_opts_default(&ro);
    ro.btt = btt_bad, ro.m = 1;
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, &ro, &o, NULL, &f), MSYN_EINVAL);
    ro.btt = btt_dup, ro.m = 2;
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, &ro, &o, NULL, &f), MSYN_EINVAL);
    o.method = MSYN_METHOD_MH;
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, &o, NULL, &f), MSYN_EINVAL);
    msyn_pool_opts_default(&o);
    /* too few studies: REML needs k >= p + 1, EE k >= p */
    assert_int_equal(msyn_reg(yi, vi, X, 2, 2, NULL, &o, NULL, &f), MSYN_ETOOFEW);
    o.method = MSYN_METHOD_EE;
    assert_int_equal(msyn_reg(yi, vi, X, 2, 2, NULL, &o, NULL, &f), MSYN_OK);
    assert_close(f.QE, 0.0, 0.0);
    msyn_pool_opts_default(&o);
    vi[3] = 0.0;
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, &o, NULL, &f), MSYN_EDATA);
    vi[3] = INFINITY;
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, &o, NULL, &f), MSYN_EDATA);
    bcg_rr(yi, vi);
    X[5] = -INFINITY;
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, &o, NULL, &f), MSYN_EDATA);
}

static void test_missing_rows(void **state)
{
    /* a NaN in yi, vi or X leaves the row out: the same fit as without it */
    double yi[13], vi[13], X[26], b1[2], b2[2], vb1[4], vb2[4];
    msyn_reg_fit f1, f2;
    (void)state;
    bcg_rr(yi, vi);
    bcg_design(X);
    memset(&f1, 0, sizeof f1);
    memset(&f2, 0, sizeof f2);
    f1.b = b1, f1.vb = vb1, f2.b = b2, f2.vb = vb2;
    assert_int_equal(msyn_reg(yi, vi, X, 12, 2, NULL, NULL, NULL, &f1), MSYN_OK);
    yi[12] = nan(""); /* row 12 out by a missing effect */
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, NULL, NULL, &f2), MSYN_OK);
    assert_close(b2[1], b1[1], 1e-14);
    yi[12] = 0.1; /* ... and by a missing moderator */
    X[25] = nan("");
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, NULL, NULL, &f2), MSYN_OK);
    assert_true(f2.flags & MSYN_REG_MISSING);
    assert_false(f1.flags & MSYN_REG_MISSING);
    assert_int_equal(f2.k, 12);
    assert_close(b2[1], b1[1], 1e-14);
    assert_close(vb2[3], vb1[3], 1e-14);
    assert_close(f2.tau2, f1.tau2, 1e-14);
}

static void test_rank(void **state)
{
    /* a column that is a combination of earlier ones: ENOTESTIMABLE,
     * naming it; nearly so (below lm's 1e-7): the same */
    double yi[13], vi[13], X[39];
    msyn_reg_fit f;
    (void)state;
    bcg_rr(yi, vi);
    for (size_t i = 0; i < 13; i++) {
        X[3 * i] = 1.0;
        X[3 * i + 1] = bcg_ablat[i];
        X[3 * i + 2] = 2.0 * bcg_ablat[i] - 3.0;
    }
    memset(&f, 0, sizeof f);
    assert_int_equal(msyn_reg(yi, vi, X, 13, 3, NULL, NULL, NULL, &f), MSYN_ENOTESTIMABLE);
    assert_true(f.flags & MSYN_REG_RANK);
    assert_int_equal(f.rank_col, 2);
    X[3 * 4 + 2] += 1e-9;
    assert_int_equal(msyn_reg(yi, vi, X, 13, 3, NULL, NULL, NULL, &f), MSYN_ENOTESTIMABLE);
    X[3 * 4 + 2] += 1e-3;
    assert_int_equal(msyn_reg(yi, vi, X, 13, 3, NULL, NULL, NULL, &f), MSYN_OK);
    for (size_t i = 0; i < 13; i++)
        X[3 * i + 1] = 0.0; /* an all-zero column */
    assert_int_equal(msyn_reg(yi, vi, X, 13, 3, NULL, NULL, NULL, &f), MSYN_ENOTESTIMABLE);
    assert_int_equal(f.rank_col, 1);
}

static void test_workspace_reuse(void **state)
{
    /* refits on one workspace (a permutation test) equal fresh fits, and a
     * workspace too small is refused */
    double yi[13], vi[13], X[26], yp[13], b1[2], b2[2];
    msyn_reg_work *w = msyn_reg_work_new(13, 2, NULL);
    msyn_reg_opts ro;
    (void)state;
    assert_non_null(w);
    bcg_rr(yi, vi);
    bcg_design(X);
    msyn_reg_opts_default(&ro);
    ro.r2 = 0;
    for (size_t r = 0; r < 13; r++) {
        msyn_reg_fit f1, f2;
        for (size_t i = 0; i < 13; i++)
            yp[i] = yi[(i + r) % 13];
        memset(&f1, 0, sizeof f1);
        memset(&f2, 0, sizeof f2);
        f1.b = b1, f2.b = b2;
        assert_int_equal(msyn_reg(yp, vi, X, 13, 2, &ro, NULL, w, &f1), MSYN_OK);
        assert_int_equal(msyn_reg(yp, vi, X, 13, 2, NULL, NULL, NULL, &f2), MSYN_OK);
        assert_true(b1[1] == b2[1] && f1.QM == f2.QM && f1.tau2 == f2.tau2);
        assert_true(isnan(f1.R2));
    }
    {
        msyn_reg_fit f;
        memset(&f, 0, sizeof f);
        assert_int_equal(msyn_reg(yi, vi, X, 13, 3, NULL, NULL, w, &f), MSYN_EINVAL);
    }
    msyn_reg_work_free(w);
    msyn_reg_work_free(NULL);
    assert_null(msyn_reg_work_new(0, 2, NULL));
}

static int fail_at, n_alloc;
static void *counting_alloc(void *ud, size_t n)
{
    (void)ud;
    return ++n_alloc == fail_at ? NULL : malloc(n);
}
static void counting_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void test_alloc_failure(void **state)
{
    double yi[13], vi[13], X[26];
    msyn_allocator a = {counting_alloc, counting_free, NULL};
    msyn_pool_opts o;
    (void)state;
    bcg_rr(yi, vi);
    bcg_design(X);
    msyn_pool_opts_default(&o);
    o.alloc = &a;
    for (fail_at = 1; fail_at <= 3; fail_at++) {
        msyn_reg_fit f;
        n_alloc = 0;
        memset(&f, 0, sizeof f);
        assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, &o, NULL, &f), MSYN_ENOMEM);
    }
    fail_at = 0;
    {
        msyn_reg_fit f;
        memset(&f, 0, sizeof f);
        assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, &o, NULL, &f), MSYN_OK);
    }
}

static void test_predict(void **state)
{
    /* metafor: rma(yi, vi, mods = ~ ablat, data = dat) (REML), then
     * predict(res, newmods = c(10, 50)) */
    double yi[13], vi[13], X[26], b[2], vb[4], x[4] = {1, 10, 1, 50};
    msyn_reg_fit f;
    msyn_reg_pred pr[2];
    (void)state;
    bcg_rr(yi, vi);
    bcg_design(X);
    memset(&f, 0, sizeof f);
    f.b = b;
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, NULL, NULL, &f), MSYN_OK);
    assert_int_equal(msyn_reg_predict(&f, x, 2, NULL, pr), MSYN_EINVAL); /* no vcov */
    f.vb = vb;
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, NULL, NULL, &f), MSYN_OK);
    assert_int_equal(msyn_reg_predict(&f, x, 2, NULL, pr), MSYN_OK);
    /* pred = b0 + b1 x, se^2 = x' vb x */
    assert_close(pr[1].pred, b[0] + 50 * b[1], 1e-14);
    assert_close(pr[1].se * pr[1].se, vb[0] + 100 * vb[1] + 2500 * vb[3], 1e-12);
    assert_true(isnan(pr[0].df) && isnan(pr[0].pi_df));
    assert_true(pr[0].pi_lb < pr[0].ci_lb && pr[0].pi_ub > pr[0].ci_ub);
    x[1] = nan("");
    assert_int_equal(msyn_reg_predict(&f, x, 2, NULL, pr), MSYN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),          cmocka_unit_test(test_intercept_only_matches_pool),
        cmocka_unit_test(test_errors),          cmocka_unit_test(test_missing_rows),
        cmocka_unit_test(test_rank),            cmocka_unit_test(test_workspace_reuse),
        cmocka_unit_test(test_alloc_failure),   cmocka_unit_test(test_predict),
    };
    RUN_TESTS(tests);
}
