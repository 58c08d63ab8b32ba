/* test_extreme.c - data sets found by tests/stress that once gave silent
 * non-finite results or an I^2 below zero: sampling variances 1e-12 beside
 * 1e5, where sums like (sum w)^2 - sum w^2 cancel.  Exact values are from
 * rational arithmetic (Python fractions) on the same doubles. */
#include <math.h>

#include "metasyn.h"
#include "test.h"

static msyn_fit fit(const double *y, const double *v, size_t k, msyn_method m)
{
    msyn_pool_opts o;
    msyn_fit f;
    msyn_pool_opts_default(&o);
    o.method = m;
    assert_int_equal(msyn_pool(y, v, k, &o, &f), MSYN_OK);
    assert_true(isfinite(f.estimate) && isfinite(f.se) && isfinite(f.ci_lb) && isfinite(f.ci_ub));
    assert_true(f.tau2 >= 0 && isfinite(f.tau2));
    assert_true(f.I2 >= 0 && f.I2 <= 100);
    return f;
}

/* REML once "converged" to tau2 = Inf (an unbounded bracket bisected to
 * infinity); metafor 3.8-1 gives tau2 = 0 and estimate 2.2231903431051823. */
static void test_reml_k2(void **state)
{
    static const double y[2] = {2.2231903431051823, 60.158485308506897};
    static const double v[2] = {2.025052106443538e-12, 245466.53177353719};
    msyn_fit f;
    (void)state;
    f = fit(y, v, 2, MSYN_METHOD_REML);
    assert_true(f.tau2 == 0.0);
    assert_close(f.estimate, 2.2231903431051823, 1e-12);
    assert_false(f.flags & MSYN_FIT_FALLBACK);
}

/* SJ's I^2 came out as -2.83%: exact vt = 12336.982829310746, so
 * I^2 = 100 tau2 / (vt + tau2) = 2.243304386448993 (metafor's own
 * cancellation gives 4.40). */
static void test_sj_i2(void **state)
{
    static const double y[2] = {0.60799108479671649, -74.069008319855286};
    static const double v[2] = {1.4501354803060215e-12, 24673.965658621491};
    msyn_fit f;
    (void)state;
    f = fit(y, v, 2, MSYN_METHOD_SJ);
    assert_close(f.vt, 12336.982829310746, 1e-12);
    assert_close(f.I2, 2.243304386448993, 1e-10);
}

/* DL once divided by a tr(P) that cancelled to zero (NaN everywhere). */
static void test_dl_k3(void **state)
{
    static const double y[3] = {0.20803549522254583, -777.65308474545191, -862.66144231457679};
    static const double v[3] = {3.4541315941178949e-12, 108116.2050072088, 179786.14377655144};
    (void)state;
    for (int m = 0; m < 9; m++) {
        static const msyn_method ms[9] = {MSYN_METHOD_EE, MSYN_METHOD_DL, MSYN_METHOD_HE,
                                          MSYN_METHOD_HS, MSYN_METHOD_SJ, MSYN_METHOD_ML,
                                          MSYN_METHOD_REML, MSYN_METHOD_EB, MSYN_METHOD_PM};
        fit(y, v, 3, ms[m]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reml_k2),
        cmocka_unit_test(test_sj_i2),
        cmocka_unit_test(test_dl_k3),
    };
    RUN_TESTS(tests);
}
