/*
 * test_reg_ci.c - the Q-profile CI of the residual tau^2 of a
 * meta-regression (msyn_reg with tau2_ci) against metafor's confint().
 *
 * Golden values: tests/golden_reg_ci/ (tools/golden_reg_ci.R; metafor
 * 3.8-1; see its SOURCE.md).  Each row of ci.csv is one model, method,
 * test, level and confint control.  The bounds do not depend on the
 * estimate of tau^2 (only metafor's search does), so every row is
 * compared, iterative estimators included.  Tolerances:
 *
 *   control=tight (uniroot tol 1e-12): every bound (tau^2, tau, I^2, H^2)
 *     to 1e-9 relative to max(|bound|, vt) (tau: max(|bound|, sqrt vt);
 *     I^2: max(|bound|, 1)); zero bounds exactly.
 *   control=default (uniroot tol .Machine$double.eps^0.25 = 1.22e-4):
 *     tau^2 bounds within 1.25e-4 absolute (uniroot's tolerance); the
 *     tau, I^2 and H^2 bounds are metafor's transforms of its own tau^2
 *     bounds, so our transforms (with our vt) applied to metafor's tau^2
 *     bounds must give them to 1e-10 relative: that checks vt and the
 *     formulas without the root-finder's error.
 *   vt itself to 1e-10 relative, test_reg.c's tolerance for closed
 *     forms (measured worst 1.6e-11, for bcg ~ ablat + year, whose design
 *     has condition number about 900; test_reg.c explains why such designs
 *     lose digits in metafor); ci.null equals MSYN_REG_TAU2_CI_NULL.
 * Measured worst: tight 2.3e-11 scaled, default tau^2 2.9e-5 absolute.
 *
 * Plus unit tests of the API: when the CI is NaN (EE, fixed tau^2,
 * tau2_ci = 0), i2def Q, the intercept-only design against msyn_pool()'s
 * Q-profile CI, and the defining equations Q(lb) = chi^2_{1-alpha/2},
 * Q(ub) = chi^2_{alpha/2} checked by refitting at the bounds.
 */
#include <stdlib.h>

#include "app.h"
#include "test.h"

#define GOLD "tests/golden_reg_ci/"
#define MAXP 6

static const char *cell(const app_table *t, size_t r, const char *col)
{
    int j = app_table_col(t, col);
    return j < 0 ? "" : app_table_cell(t, r, (size_t)j);
}

static double num(const app_table *t, size_t r, const char *col)
{
    const char *s = cell(t, r, col);
    if (*s == '\0' || strcmp(s, "NA") == 0)
        return nan("");
    return strtod(s, NULL);
}

static void read_csv(const char *path, app_table *t)
{
    app_err e = {0, ""};
    if (app_table_read(path, t, &e) != 0)
        fail_msg("%s", e.msg);
}

/* yi, vi and the design (row-major) of a model's data file. */
static size_t load_model(const char *model, double *yi, double *vi, double *X, size_t *p)
{
    char path[256];
    app_table t;
    size_t k;
    snprintf(path, sizeof path, GOLD "data/%s.csv", model);
    read_csv(path, &t);
    k = t.nrow;
    *p = t.ncol - 2;
    assert_true(k <= 100 && *p <= MAXP);
    for (size_t i = 0; i < k; i++) {
        yi[i] = strtod(app_table_cell(&t, i, 0), NULL);
        vi[i] = strtod(app_table_cell(&t, i, 1), NULL);
        for (size_t j = 0; j < *p; j++)
            X[i * *p + j] = strtod(app_table_cell(&t, i, j + 2), NULL);
    }
    app_table_free(&t);
    return k;
}

static int nfail, ncomp;
static double worst_tight, worst_default, worst_derived;
static char worst_at[160];

static void cmp(const char *where, const char *what, double got, double exp, double tol,
                double scale, double *worst)
{
    double d = fabs(got - exp) / scale;
    ncomp++;
    if (exp == 0.0 ? got != 0.0 : !(d <= tol)) {
        if (nfail < 30)
            print_error("%s %s: got %.17g, metafor %.17g (scaled diff %.3g > %.3g)\n", where, what,
                        got, exp, d, tol);
        nfail++;
    }
    if (d > *worst || isnan(d)) {
        *worst = d;
        if (worst == &worst_derived)
            snprintf(worst_at, sizeof worst_at, "%s %s", where, what);
    }
}

static void test_golden(void **state)
{
    app_table g;
    double yi[100], vi[100], X[100 * MAXP];
    char model[64] = "";
    size_t k = 0, p = 0;
    (void)state;
    read_csv(GOLD "ci.csv", &g);
    assert_true(g.nrow > 400);
    for (size_t r = 0; r < g.nrow; r++) {
        msyn_pool_opts o;
        msyn_reg_fit f;
        char where[160];
        const char *ctl = cell(&g, r, "control");
        double vt = num(&g, r, "vt"), lb = num(&g, r, "tau2_lb"), ub = num(&g, r, "tau2_ub");
        int tight = strcmp(ctl, "tight") == 0;
        if (strcmp(model, cell(&g, r, "model")) != 0) {
            snprintf(model, sizeof model, "%s", cell(&g, r, "model"));
            k = load_model(model, yi, vi, X, &p);
        }
        snprintf(where, sizeof where, "%s %s %s %s %s", model, cell(&g, r, "method"),
                 cell(&g, r, "test"), cell(&g, r, "level"), ctl);
        msyn_pool_opts_default(&o);
        o.fallback = 0;
        assert_int_equal(msyn_method_parse(cell(&g, r, "method"), &o.method), MSYN_OK);
        assert_int_equal(msyn_test_parse(cell(&g, r, "test"), &o.test), MSYN_OK);
        o.level = num(&g, r, "level") / 100.0;
        memset(&f, 0, sizeof f);
        if (msyn_reg(yi, vi, X, k, p, NULL, &o, NULL, &f) != MSYN_OK) {
            print_error("%s: msyn_reg failed\n", where);
            nfail++;
            continue;
        }
        assert_int_equal(f.k, (size_t)num(&g, r, "k"));
        cmp(where, "vt", f.vt, vt, 1e-10, fabs(vt), &worst_derived);
        if ((num(&g, r, "ci_null") == 1.0) != ((f.flags & MSYN_REG_TAU2_CI_NULL) != 0)) {
            print_error("%s: ci.null %g, flag %u\n", where, num(&g, r, "ci_null"), f.flags);
            nfail++;
        }
        /* metafor ">": its search stopped at tau2.max; none in the set */
        assert_string_equal(cell(&g, r, "lb_sign"), cell(&g, r, "ci_null")[0] == '1' ? "<" : "=");
        if (tight) {
            cmp(where, "tau2_lb", f.tau2_ci_lb, lb, 1e-9, fmax(lb, vt), &worst_tight);
            cmp(where, "tau2_ub", f.tau2_ci_ub, ub, 1e-9, fmax(ub, vt), &worst_tight);
            cmp(where, "tau_lb", f.tau_ci_lb, num(&g, r, "tau_lb"), 1e-9,
                fmax(num(&g, r, "tau_lb"), sqrt(vt)), &worst_tight);
            cmp(where, "tau_ub", f.tau_ci_ub, num(&g, r, "tau_ub"), 1e-9,
                fmax(num(&g, r, "tau_ub"), sqrt(vt)), &worst_tight);
            cmp(where, "I2_lb", f.I2_ci_lb, num(&g, r, "I2_lb"), 1e-9, fmax(num(&g, r, "I2_lb"), 1.0),
                &worst_tight);
            cmp(where, "I2_ub", f.I2_ci_ub, num(&g, r, "I2_ub"), 1e-9, fmax(num(&g, r, "I2_ub"), 1.0),
                &worst_tight);
            cmp(where, "H2_lb", f.H2_ci_lb, num(&g, r, "H2_lb"), 1e-9, num(&g, r, "H2_lb"), &worst_tight);
            cmp(where, "H2_ub", f.H2_ci_ub, num(&g, r, "H2_ub"), 1e-9, num(&g, r, "H2_ub"), &worst_tight);
        } else {
            cmp(where, "tau2_lb", f.tau2_ci_lb, lb, 1.25e-4, 1.0, &worst_default);
            cmp(where, "tau2_ub", f.tau2_ci_ub, ub, 1.25e-4, 1.0, &worst_default);
            cmp(where, "tau_lb(metafor's tau2)", sqrt(lb), num(&g, r, "tau_lb"), 1e-10,
                fmax(num(&g, r, "tau_lb"), 1e-300), &worst_derived);
            cmp(where, "I2_lb(metafor's tau2)", 100.0 * lb / (f.vt + lb), num(&g, r, "I2_lb"), 1e-10,
                fmax(num(&g, r, "I2_lb"), 1e-300), &worst_derived);
            cmp(where, "I2_ub(metafor's tau2)", 100.0 * ub / (f.vt + ub), num(&g, r, "I2_ub"), 1e-10,
                fmax(num(&g, r, "I2_ub"), 1e-300), &worst_derived);
            cmp(where, "H2_lb(metafor's tau2)", lb / f.vt + 1.0, num(&g, r, "H2_lb"), 1e-10,
                num(&g, r, "H2_lb"), &worst_derived);
            cmp(where, "H2_ub(metafor's tau2)", ub / f.vt + 1.0, num(&g, r, "H2_ub"), 1e-10,
                num(&g, r, "H2_ub"), &worst_derived);
        }
    }
    printf("# %d comparisons; worst scaled differences: tight %.3g (tol 1e-9), default tau2 %.3g "
           "(abs, tol 1.25e-4), vt and transforms %.3g (tol 1e-10, at %s)\n",
           ncomp, worst_tight, worst_default, worst_derived, worst_at);
    app_table_free(&g);
    assert_int_equal(nfail, 0);
}

/* BCG log risk ratios with ablat: X = [1, ablat]. */
static const double bcg_ablat[13] = {44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33};

static void bcg_design(double *X)
{
    for (size_t i = 0; i < 13; i++) {
        X[2 * i] = 1.0;
        X[2 * i + 1] = bcg_ablat[i];
    }
}

static void test_not_applicable(void **state)
{
    double yi[13], vi[13], X[26];
    msyn_pool_opts o;
    msyn_reg_fit f;
    (void)state;
    bcg_rr(yi, vi);
    bcg_design(X);
    for (int c = 0; c < 3; c++) {
        msyn_pool_opts_default(&o);
        if (c == 0)
            o.method = MSYN_METHOD_EE;
        else if (c == 1)
            o.tau2_fixed = 0.1;
        else
            o.tau2_ci = 0;
        memset(&f, 0, sizeof f);
        assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, &o, NULL, &f), MSYN_OK);
        assert_true(isnan(f.tau2_ci_lb) && isnan(f.tau2_ci_ub) && isnan(f.tau_ci_lb) &&
                    isnan(f.tau_ci_ub) && isnan(f.I2_ci_lb) && isnan(f.I2_ci_ub) &&
                    isnan(f.H2_ci_lb) && isnan(f.H2_ci_ub));
        assert_false(f.flags & MSYN_REG_TAU2_CI_NULL);
    }
    /* i2def Q: I^2 is (QE - df)/QE, not on the tau^2 scale: no I^2/H^2 CI */
    msyn_pool_opts_default(&o);
    o.i2def = MSYN_I2_Q;
    memset(&f, 0, sizeof f);
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, &o, NULL, &f), MSYN_OK);
    assert_true(f.tau2_ci_lb > 0 && f.tau2_ci_ub > f.tau2_ci_lb);
    assert_true(isnan(f.I2_ci_lb) && isnan(f.I2_ci_ub) && isnan(f.H2_ci_lb) && isnan(f.H2_ci_ub));
}

/* With only an intercept the CI is msyn_pool()'s (het.c's qprofile()). */
static void test_intercept_only_matches_pool(void **state)
{
    double yi[13], vi[13], X[13];
    msyn_pool_opts o;
    msyn_reg_fit f;
    msyn_fit pf;
    (void)state;
    bcg_rr(yi, vi);
    for (size_t i = 0; i < 13; i++)
        X[i] = 1.0;
    for (int lv = 0; lv < 3; lv++) {
        msyn_pool_opts_default(&o);
        o.method = MSYN_METHOD_DL;
        o.level = lv == 0 ? 0.95 : lv == 1 ? 0.8 : 0.999;
        memset(&f, 0, sizeof f);
        assert_int_equal(msyn_reg(yi, vi, X, 13, 1, NULL, &o, NULL, &f), MSYN_OK);
        assert_int_equal(msyn_pool(yi, vi, 13, &o, &pf), MSYN_OK);
        assert_close(f.tau2_ci_lb, pf.tau2_ci_lb, EPS_REL(64));
        assert_close(f.tau2_ci_ub, pf.tau2_ci_ub, EPS_REL(64));
        assert_close(f.I2_ci_lb, pf.I2_ci_lb, EPS_REL(64));
        assert_close(f.I2_ci_ub, pf.I2_ci_ub, EPS_REL(64));
        assert_close(f.H2_ci_ub, pf.H2_ci_ub, EPS_REL(64));
        assert_close(f.tau_ci_lb, pf.tau_ci_lb, EPS_REL(64));
    }
}

/* y'P(t)y at t = a bound, by the generalised Q of an intercept-free refit:
 * with tau2 fixed at t and yi, vi scaled so that the weights 1/(v + t)
 * become 1/v', QE of that refit is Q(t). */
static double q_at(const double *yi, const double *vi, const double *X, size_t k, size_t p,
                   double t)
{
    double v2[100];
    msyn_pool_opts o;
    msyn_reg_fit f;
    for (size_t i = 0; i < k; i++)
        v2[i] = vi[i] + t;
    msyn_pool_opts_default(&o);
    o.method = MSYN_METHOD_EE;
    memset(&f, 0, sizeof f);
    assert_int_equal(msyn_reg(yi, v2, X, k, p, NULL, &o, NULL, &f), MSYN_OK);
    return f.QE;
}

static void test_defining_equations(void **state)
{
    double yi[13], vi[13], X[26];
    msyn_pool_opts o;
    msyn_reg_fit f;
    double lo, hi;
    (void)state;
    bcg_rr(yi, vi);
    bcg_design(X);
    msyn_pool_opts_default(&o);
    o.level = 0.9;
    memset(&f, 0, sizeof f);
    assert_int_equal(msyn_reg(yi, vi, X, 13, 2, NULL, &o, NULL, &f), MSYN_OK);
    /* qchisq(0.95, 11) and qchisq(0.05, 11) from R 4.2.2 */
    hi = 19.675137572682491;
    lo = 4.5748130793222241;
    assert_close(q_at(yi, vi, X, 13, 2, f.tau2_ci_lb), hi, 1e-13);
    assert_close(q_at(yi, vi, X, 13, 2, f.tau2_ci_ub), lo, 1e-13);
    assert_true(f.tau2_ci_lb < f.tau2 && f.tau2 < f.tau2_ci_ub);
    assert_close(f.tau_ci_ub * f.tau_ci_ub, f.tau2_ci_ub, EPS_REL(4));
}

/* Tiny residual heterogeneity: Q(0) below the lower quantile, CI {0}. */
static void test_null_ci(void **state)
{
    double yi[8], vi[8], X[16];
    msyn_pool_opts o;
    msyn_reg_fit f;
    (void)state;
    for (size_t i = 0; i < 8; i++) {
        X[2 * i] = 1.0;
        X[2 * i + 1] = (double)i;
        yi[i] = 0.1 + 0.2 * (double)i + (i % 2 ? 0.001 : -0.001);
        vi[i] = 0.2;
    }
    msyn_pool_opts_default(&o);
    o.method = MSYN_METHOD_DL;
    memset(&f, 0, sizeof f);
    assert_int_equal(msyn_reg(yi, vi, X, 8, 2, NULL, &o, NULL, &f), MSYN_OK);
    assert_true(f.flags & MSYN_REG_TAU2_CI_NULL);
    assert_true(f.tau2_ci_lb == 0.0 && f.tau2_ci_ub == 0.0);
    assert_true(f.I2_ci_lb == 0.0 && f.I2_ci_ub == 0.0 && f.H2_ci_lb == 1.0 && f.H2_ci_ub == 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_not_applicable),
        cmocka_unit_test(test_intercept_only_matches_pool),
        cmocka_unit_test(test_defining_equations),
        cmocka_unit_test(test_null_ci),
    };
    RUN_TESTS(tests);
}
