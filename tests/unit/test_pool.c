/* test_pool.c - inverse-variance pooling (src/pool.c, src/tau2.c,
 * src/het.c).  BCG values: methods-reference section 10 (metafor 3.8-1,
 * R 4.2.2); other values from R as noted. */
#include <stdlib.h>

#include "test.h"

typedef struct { msyn_method m; double tau2, mu, se, i2; double rel; } bcg_row;

/* metafor's REML/ML/EB stop at a step of 1e-5 and PM's uniroot at 1.2e-4,
 * so those rows agree to what metafor resolves; closed forms to 1e-10. */
static const bcg_row bcg[] = {
    {MSYN_METHOD_EE, 0, -0.430285163654, 0.0404987517109, 92.1173468546, 1e-10},
    {MSYN_METHOD_DL, 0.308760262862, -0.714117222073, 0.178742089535, 92.1173468546, 1e-10},
    {MSYN_METHOD_HE, 0.328563857996, -0.715878588759, 0.183279985989, 92.5570974066, 1e-10},
    {MSYN_METHOD_HS, 0.228362863677, -0.704535373916, 0.158652093057, 89.6299666641, 1e-10},
    {MSYN_METHOD_SJ, 0.345515701599, -0.717248592558, 0.187059458416, 92.8963240955, 1e-10},
    {MSYN_METHOD_ML, 0.28002817105, -0.71119913919, 0.171896817023, 91.3782847398, 1e-6},
    {MSYN_METHOD_REML, 0.313243325981, -0.714532348365, 0.17978153178, 92.221386075, 1e-6},
    {MSYN_METHOD_EB, 0.318068515771, -0.714968159161, 0.180892206115, 92.3303393694, 1e-6},
    {MSYN_METHOD_PM, 0.318093711863, -0.714970405632, 0.180897984126, 92.3309002899, 1e-4},
};

static void test_bcg_methods(void **state)
{
    double yi[13], vi[13];
    (void)state;
    bcg_rr(yi, vi);
    for (size_t i = 0; i < sizeof bcg / sizeof bcg[0]; i++) {
        msyn_pool_opts o;
        msyn_fit f;
        msyn_pool_opts_default(&o);
        o.method = bcg[i].m;
        assert_int_equal(msyn_pool(yi, vi, 13, &o, &f), MSYN_OK);
        assert_int_equal(f.k, 13);
        assert_close(f.tau2, bcg[i].tau2, bcg[i].rel);
        assert_close(f.estimate, bcg[i].mu, bcg[i].rel);
        assert_close(f.se, bcg[i].se, bcg[i].rel);
        assert_close(f.I2, bcg[i].i2, bcg[i].rel);
        assert_close(f.Q, 152.233008082, 1e-10);
        assert_true(f.converged);
    }
}

static void test_bcg_reml_extras(void **state)
{
    double yi[13], vi[13];
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    bcg_rr(yi, vi);
    msyn_pool_opts_default(&o);
    assert_int_equal(msyn_pool(yi, vi, 13, &o, &f), MSYN_OK);
    /* Q-profile: metafor's uniroot is good to ~1e-4 */
    assert_close_abs(f.tau2_ci_lb, 0.119695312817, 1.3e-4);
    assert_close_abs(f.tau2_ci_ub, 1.11148626222, 1.3e-4);
    assert_close_abs(f.I2_ci_lb, 81.9177227215, 1e-2);
    assert_close_abs(f.I2_ci_ub, 97.6780896051, 1e-2);
    assert_close(f.pi_lb, -1.86669234661, 1e-6);
    assert_close(f.pi_ub, 0.437627649877, 1e-6);
    assert_true(isnan(f.df));
    o.test = MSYN_TEST_KNHA;
    assert_int_equal(msyn_pool(yi, vi, 13, &o, &f), MSYN_OK);
    assert_close(f.se, 0.180791745519, 1e-6);
    assert_close(f.ci_lb, -1.108443723, 1e-6);
    assert_close(f.ci_ub, -0.32062097373, 1e-6);
    assert_close(f.df, 12, 0);
}

/* Our roots are exact: the estimating equations vanish at the answers. */
static void test_roots_exact(void **state)
{
    double yi[13], vi[13];
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    bcg_rr(yi, vi);
    msyn_pool_opts_default(&o);
    o.method = MSYN_METHOD_PM;
    assert_int_equal(msyn_pool(yi, vi, 13, &o, &f), MSYN_OK);
    {   /* generalised Q at PM's tau2 equals k - 1 */
        double sw = 0, swy = 0, q = 0, mu;
        for (int i = 0; i < 13; i++) {
            sw += 1 / (vi[i] + f.tau2);
            swy += yi[i] / (vi[i] + f.tau2);
        }
        mu = swy / sw;
        for (int i = 0; i < 13; i++)
            q += (yi[i] - mu) * (yi[i] - mu) / (vi[i] + f.tau2);
        assert_close(q, 12.0, 1e-12);
        /* Q-profile bounds: Q(tau2) equals the chi-squared quantiles */
    }
    o.method = MSYN_METHOD_REML;
    assert_int_equal(msyn_pool(yi, vi, 13, &o, &f), MSYN_OK);
    {   /* REML score: y'PPy - tr(P) = 0 */
        double sw = 0, sw2 = 0, swy = 0, rss2 = 0, mu;
        for (int i = 0; i < 13; i++) {
            double w = 1 / (vi[i] + f.tau2);
            sw += w;
            sw2 += w * w;
            swy += w * yi[i];
        }
        mu = swy / sw;
        for (int i = 0; i < 13; i++) {
            double w = 1 / (vi[i] + f.tau2);
            rss2 += w * w * (yi[i] - mu) * (yi[i] - mu);
        }
        assert_close(rss2, sw - sw2 / sw, 1e-12);
    }
    {   /* lower Q-profile bound: Q(lb) = qchisq(0.975, 12) = 23.336664158645334 */
        double sw = 0, swy = 0, q = 0, mu, t = f.tau2_ci_lb;
        for (int i = 0; i < 13; i++) {
            sw += 1 / (vi[i] + t);
            swy += yi[i] / (vi[i] + t);
        }
        mu = swy / sw;
        for (int i = 0; i < 13; i++)
            q += (yi[i] - mu) * (yi[i] - mu) / (vi[i] + t);
        assert_close(q, 23.336664158645334, 1e-12);
    }
}

static void test_equal_variances(void **state)
{
    /* all vi equal: DL = HE = REML = max(0, s2y - v); R: 0.0766666... */
    static const double y[] = {0.1, 0.5, 0.3, 0.9}, v[] = {0.04, 0.04, 0.04, 0.04};
    static const msyn_method same[] = {MSYN_METHOD_DL, MSYN_METHOD_HE, MSYN_METHOD_REML, MSYN_METHOD_PM};
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    msyn_pool_opts_default(&o);
    for (int i = 0; i < 4; i++) {
        o.method = same[i];
        assert_int_equal(msyn_pool(y, v, 4, &o, &f), MSYN_OK);
        assert_close(f.tau2, 0.076666666666666661, 1e-13);
        assert_close(f.estimate, 0.45, 1e-14);
    }
    o.method = MSYN_METHOD_ML; /* (k-1)/k s2y - v */
    assert_int_equal(msyn_pool(y, v, 4, &o, &f), MSYN_OK);
    assert_close(f.tau2, 0.047499999999999987, 1e-12);
    /* HKSJ factor is exactly 1 when tau2 > 0 and variances are equal */
    o.method = MSYN_METHOD_REML;
    o.test = MSYN_TEST_KNHA;
    assert_int_equal(msyn_pool(y, v, 4, &o, &f), MSYN_OK);
    assert_close(f.s2w, 1.0, 1e-13);
}

static void test_equal_effects(void **state)
{
    /* R: rma(c(.2,.2,.2), c(.1,.2,.3), test="knha"): tau2 0, se 0 */
    static const double y[] = {0.2, 0.2, 0.2}, v[] = {0.1, 0.2, 0.3};
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    msyn_pool_opts_default(&o);
    o.test = MSYN_TEST_KNHA;
    assert_int_equal(msyn_pool(y, v, 3, &o, &f), MSYN_OK);
    assert_close(f.tau2, 0, 0);
    assert_close(f.se, 0, 0);
    assert_close(f.estimate, 0.2, 1e-15);
    assert_true(f.flags & MSYN_FIT_KNHA_ZERO);
    assert_true(f.flags & MSYN_FIT_EQUAL_EFFECTS);
    assert_true(f.flags & MSYN_FIT_TAU2_TRUNCATED);
    assert_true(f.flags & MSYN_FIT_TAU2_CI_NULL);
    assert_close(f.tau2_ci_lb, 0, 0);
    assert_close(f.tau2_ci_ub, 0, 0);
    assert_close(f.Q, 0, 0);
    /* adhoc never narrower than z */
    o.test = MSYN_TEST_ADHOC;
    assert_int_equal(msyn_pool(y, v, 3, &o, &f), MSYN_OK);
    assert_close(f.s2w, 1, 0);
    assert_true(f.se > 0);
}

static void test_k1_k2(void **state)
{
    static const double y1[] = {0.3}, v1[] = {0.02};
    static const double y2[] = {0.1, 0.6}, v2[] = {0.05, 0.08};
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    msyn_pool_opts_default(&o);
    o.test = MSYN_TEST_KNHA;
    assert_int_equal(msyn_pool(y1, v1, 1, &o, &f), MSYN_OK);
    assert_true(f.flags & MSYN_FIT_K1);
    assert_int_equal(f.test, MSYN_TEST_Z); /* forced, as metafor */
    assert_close(f.ci_lb, 0.022819235130064452, 1e-14);
    assert_close(f.pval, 0.033894853524689295, 1e-13);
    assert_close(f.Q, 0, 0);
    assert_close(f.I2, 0, 0);
    assert_true(isnan(f.pi_lb) && isnan(f.tau2_ci_lb));
    /* k = 2, REML, knha: R tau2 0.06, CI [-2.8335970811014288, 3.4735970811014285] */
    assert_int_equal(msyn_pool(y2, v2, 2, &o, &f), MSYN_OK);
    assert_close(f.tau2, 0.05999999999999997, 1e-9);
    assert_close(f.ci_lb, -2.8335970811014288, 1e-9);
    assert_close(f.ci_ub, 3.4735970811014285, 1e-9);
    /* metafor stops its search at tau2.max = 100 (">100"); we solve */
    assert_true(f.tau2_ci_ub > 100);
    o.pi = MSYN_PI_T_K2; /* k - 2 = 0: floored to 1 */
    assert_int_equal(msyn_pool(y2, v2, 2, &o, &f), MSYN_OK);
    assert_close(f.pi_df, 1, 0);
    assert_true(f.flags & MSYN_FIT_PI_DF_FLOOR);
}

static void test_missing_and_errors(void **state)
{
    double y[] = {0.1, NAN, 0.5, 0.3}, v[] = {0.04, 0.05, NAN, 0.02};
    double yy[] = {0.1, 0.3}, vv[] = {0.04, 0.02};
    msyn_fit f, g;
    (void)state;
    assert_int_equal(msyn_pool(y, v, 4, NULL, &f), MSYN_OK);
    assert_int_equal(f.k, 2);
    assert_int_equal(msyn_pool(yy, vv, 2, NULL, &g), MSYN_OK);
    assert_close(f.estimate, g.estimate, 0);
    v[0] = 0; /* non-positive variance */
    assert_int_equal(msyn_pool(y, v, 4, NULL, &f), MSYN_EDATA);
    v[0] = INFINITY;
    assert_int_equal(msyn_pool(y, v, 4, NULL, &f), MSYN_EDATA);
    y[0] = y[3] = NAN;
    assert_int_equal(msyn_pool(y, v, 4, NULL, &f), MSYN_ETOOFEW);
    assert_int_equal(msyn_pool(yy, vv, 0, NULL, &f), MSYN_ETOOFEW);
    assert_int_equal(msyn_pool(yy, vv, 2, NULL, NULL), MSYN_EINVAL);
    {
        msyn_pool_opts o;
        msyn_pool_opts_default(&o);
        o.level = 95; /* must be a fraction */
        assert_int_equal(msyn_pool(yy, vv, 2, &o, &f), MSYN_EINVAL);
        msyn_pool_opts_default(&o);
        o.method = MSYN_METHOD_MH;
        assert_int_equal(msyn_pool(yy, vv, 2, &o, &f), MSYN_EMEASURE);
    }
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

static void test_alloc_failure(void **state)
{
    static const double y[] = {0.1, NAN, 0.5}, v[] = {0.04, 0.05, 0.02};
    msyn_allocator a = {fail_alloc, plain_free, NULL};
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    msyn_pool_opts_default(&o);
    o.alloc = &a;
    allocs = 0;
    fail_after = 1;
    assert_int_equal(msyn_pool(y, v, 3, &o, &f), MSYN_ENOMEM);
    allocs = 0;
    fail_after = 100;
    assert_int_equal(msyn_pool(y, v, 3, &o, &f), MSYN_OK);
    assert_int_equal(allocs, 1);
}

static void test_fallback(void **state)
{
    double yi[13], vi[13];
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    bcg_rr(yi, vi);
    msyn_pool_opts_default(&o);
    o.max_iter = 1; /* REML cannot converge in one step */
    assert_int_equal(msyn_pool(yi, vi, 13, &o, &f), MSYN_OK);
    assert_int_equal(f.method_used, MSYN_METHOD_PM);
    assert_true(f.flags & MSYN_FIT_FALLBACK);
    assert_close(f.tau2, 0.318068452205, 1e-10);
    o.fallback = 0;
    assert_int_equal(msyn_pool(yi, vi, 13, &o, &f), MSYN_ENOCONV);
    assert_false(f.converged);
}

static void test_weights_and_i2q(void **state)
{
    double yi[13], vi[13], w[13], s = 0;
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    bcg_rr(yi, vi);
    msyn_pool_opts_default(&o);
    o.method = MSYN_METHOD_DL;
    o.i2def = MSYN_I2_Q;
    assert_int_equal(msyn_pool(yi, vi, 13, &o, &f), MSYN_OK);
    assert_int_equal(msyn_pool_weights(vi, 13, &f, w), MSYN_OK);
    for (int i = 0; i < 13; i++)
        s += w[i];
    assert_close(s, 100, EPS_REL(32));
    /* Higgins-Thompson I2 equals metafor's for DL */
    assert_close(f.I2, 92.1173468546, 1e-10);
    /* test-based CI for H (Higgins & Thompson 2002) */
    {
        double Q = f.Q, k = 13, se = 0.5 * (log(Q) - log(k - 1)) / (sqrt(2 * Q) - sqrt(2 * k - 3));
        double h = sqrt(Q / (k - 1)), z = 1.9599639845400536, hl = h * exp(-z * se);
        assert_close(f.H2_ci_lb, hl * hl, 1e-13);
        assert_close(f.I2_ci_lb, 100 * (hl * hl - 1) / (hl * hl), 1e-13);
    }
}

/* Data where metafor's default Fisher scoring oscillates and stops with
 * "did not converge" (bench data sets 86 and 744, k = 10).  Reference:
 * metafor 3.8-1, rma(yi, vi, method=, control = list(stepadj = 0.5,
 * threshold = 1e-13, maxiter = 1e5)), which R's optimize() on the
 * restricted likelihood confirms.  We must reach the maximum without a
 * fallback. */
static void test_reml_hard(void **state)
{
    static const double y86[] = {-0.509597, -0.568207, -0.147608, -0.276337, -0.551585,
                                 -0.450749, -0.492793, 0.269809, -0.308670, 0.027953};
    static const double v86[] = {0.159181, 0.121096, 0.198202, 0.192273, 0.052550,
                                 0.092101, 0.188416, 0.025561, 0.117395, 0.177145};
    static const double y744[] = {-0.162493, -0.329629, -0.188740, 0.026115, -0.495836,
                                  -0.473390, -0.263993, -0.491442, -0.150001, -0.488867};
    static const double v744[] = {0.059791, 0.096304, 0.131809, 0.109861, 0.010151,
                                  0.167911, 0.178456, 0.150308, 0.096843, 0.159578};
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    msyn_pool_opts_default(&o);
    o.fallback = 0;
    assert_int_equal(msyn_pool(y86, v86, 10, &o, &f), MSYN_OK);
    assert_close(f.tau2, 0.062132314844309325, 1e-12);
    assert_true(f.iterations < 20);
    assert_int_equal(f.method_used, MSYN_METHOD_REML);
    assert_int_equal(msyn_pool(y744, v744, 10, &o, &f), MSYN_OK);
    /* the reference is good to its 1e-13 step: 2e-11 relative here */
    assert_close_abs(f.tau2, 0.0048328696349238896, 1e-13);
    o.method = MSYN_METHOD_ML;
    assert_int_equal(msyn_pool(y86, v86, 10, &o, &f), MSYN_OK);
    assert_close(f.tau2, 0.053062118297246948, 1e-12);
    assert_int_equal(msyn_pool(y744, v744, 10, &o, &f), MSYN_OK);
    assert_close(f.tau2, 0, 0);
    assert_true(f.flags & MSYN_FIT_TAU2_TRUNCATED);
}

static void test_tau2_fixed(void **state)
{
    /* metafor: rma(yi, vi, tau2 = 0.3): everything follows from tau2 */
    double yi[13], vi[13];
    msyn_pool_opts o;
    msyn_fit f;
    (void)state;
    bcg_rr(yi, vi);
    msyn_pool_opts_default(&o);
    o.tau2_fixed = 0.308760262862; /* DL's estimate */
    assert_int_equal(msyn_pool(yi, vi, 13, &o, &f), MSYN_OK);
    assert_true(f.flags & MSYN_FIT_TAU2_FIXED);
    assert_close(f.estimate, -0.714117222073, 1e-10);
    assert_close(f.se, 0.178742089535, 1e-10);
    assert_true(isnan(f.tau2_se));
    o.tau2_fixed = -1;
    assert_int_equal(msyn_pool(yi, vi, 13, &o, &f), MSYN_EINVAL);
}

static void test_flag_texts(void **state)
{
    unsigned all = 0x1FFFu, n = 0;
    (void)state;
    while (msyn_fit_flag_text(all, n))
        n++;
    assert_int_equal(n, 13);
    assert_null(msyn_fit_flag_text(0, 0));
    assert_string_equal(msyn_fit_flag_text(MSYN_FIT_K1 | MSYN_FIT_FALLBACK, 1),
                        "only one study: tau^2 is 0, heterogeneity cannot be assessed and the z test is used");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bcg_methods),      cmocka_unit_test(test_bcg_reml_extras),
        cmocka_unit_test(test_roots_exact),      cmocka_unit_test(test_equal_variances),
        cmocka_unit_test(test_equal_effects),    cmocka_unit_test(test_k1_k2),
        cmocka_unit_test(test_missing_and_errors), cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_fallback),         cmocka_unit_test(test_weights_and_i2q),
        cmocka_unit_test(test_reml_hard),
        cmocka_unit_test(test_tau2_fixed),       cmocka_unit_test(test_flag_texts),
    };
    RUN_TESTS(tests);
}
