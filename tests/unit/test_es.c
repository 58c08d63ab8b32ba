/* test_es.c - effect sizes (src/es.c) against metafor 3.8-1 escalc().
 * Reference values: R 4.2.2, metafor 3.8-1, printed with %.17g. */
#include "test.h"

static msyn_es_data arms(const double *n1, const double *m1, const double *s1,
                         const double *n2, const double *m2, const double *s2)
{
    msyn_es_data d;
    memset(&d, 0, sizeof d);
    d.n1i = n1; d.m1i = m1; d.sd1i = s1; d.n2i = n2; d.m2i = m2; d.sd2i = s2;
    return d;
}

/* dat.normand1999, study 1 (Edinburgh): 155, 55, 47 vs 156, 75, 64 */
static const double n1[] = {155}, m1[] = {55}, s1[] = {47}, n2[] = {156}, m2[] = {75}, s2[] = {64};

static void test_md_smd_rom(void **state)
{
    double y, v;
    msyn_es_data d = arms(n1, m1, s1, n2, m2, s2);
    (void)state;
    assert_int_equal(msyn_es(MSYN_MEASURE_MD, &d, 1, NULL, &y, &v, NULL), MSYN_OK);
    assert_close(y, -20, EPS_REL(4));
    assert_close(v, 40.50802315963606, EPS_REL(8));
    assert_int_equal(msyn_es(MSYN_MEASURE_SMD, &d, 1, NULL, &y, &v, NULL), MSYN_OK);
    assert_close(y, -0.35516964094010689, 1e-13);
    assert_close(v, 0.013064675541529683, 1e-13);
    assert_int_equal(msyn_es(MSYN_MEASURE_ROM, &d, 1, NULL, &y, &v, NULL), MSYN_OK);
    assert_close(y, -0.31015492830383962, 1e-13);
    assert_close(v, 0.0093790832606081877, 1e-13);
}

static void test_smdh_metafor46(void **state)
{
    /* metafor 3.8 multiplies the SMDH variance by J^2; >= 4.6 (and we)
     * do not: 3.8's value divided by J(n1 + n2 - 2)^2. */
    double y, v, J = msyn_es_hedges_j(309);
    msyn_es_data d = arms(n1, m1, s1, n2, m2, s2);
    (void)state;
    assert_int_equal(msyn_es(MSYN_MEASURE_SMDH, &d, 1, NULL, &y, &v, NULL), MSYN_OK);
    assert_close(y, -0.3553416015782348, 1e-13);
    assert_close(v, 0.013090964481158072 / (J * J), 1e-13);
}

static void test_hedges_j(void **state)
{
    (void)state;
    assert_close(msyn_es_hedges_j(10), 0.92274560805308703, 1e-14);
    assert_true(isnan(msyn_es_hedges_j(1)));
    assert_true(isnan(msyn_es_hedges_j(0.5)));
    /* approaches the approximation 1 - 3/(4m - 1) for large m */
    assert_close(msyn_es_hedges_j(1000), 1 - 3.0 / 3999.0, 1e-6);
}

static void test_smd_revman5(void **state)
{
    /* Hedges' g with J = 1 - 3/(4N - 9) and v = 1/n1 + 1/n2 + g^2/(2(N - 3.94)) */
    double y, v, N = 311, sp, g;
    msyn_es_opts o;
    msyn_es_data d = arms(n1, m1, s1, n2, m2, s2);
    (void)state;
    msyn_es_opts_default(&o);
    o.smd_j = MSYN_SMD_J_APPROX;
    o.smd_var = MSYN_SMD_VAR_REVMAN5;
    assert_int_equal(msyn_es(MSYN_MEASURE_SMD, &d, 1, &o, &y, &v, NULL), MSYN_OK);
    sp = sqrt((154.0 * 47 * 47 + 155.0 * 64 * 64) / 309.0);
    g = (1 - 3.0 / (4 * N - 9)) * (-20.0 / sp);
    assert_close(y, g, EPS_REL(8));
    assert_close(v, 1.0 / 155 + 1.0 / 156 + g * g / (2 * (N - 3.94)), EPS_REL(8));
}

/* Two tables: (0, 10 | 3, 7) with a zero cell, (5, 5 | 2, 8) without. */
static const double ta[] = {0, 5}, tb[] = {10, 5}, tc[] = {3, 2}, td[] = {7, 8};

static msyn_es_data tables(void)
{
    msyn_es_data d;
    memset(&d, 0, sizeof d);
    d.ai = ta; d.bi = tb; d.ci = tc; d.di = td;
    return d;
}

static void check2(msyn_measure m, const msyn_es_opts *o, const double ey[2],
                   const double ev[2], unsigned f0)
{
    double y[2], v[2];
    unsigned f[2];
    msyn_es_data d = tables();
    assert_int_equal(msyn_es(m, &d, 2, o, y, v, f), MSYN_OK);
    for (int i = 0; i < 2; i++) {
        assert_close(y[i], ey[i], 1e-14);
        assert_close(v[i], ev[i], 1e-14);
    }
    assert_int_equal(f[0], f0);
}

static void test_zero_cells(void **state)
{
    msyn_es_opts o;
    (void)state;
    msyn_es_opts_default(&o);
    check2(MSYN_MEASURE_OR, &o, (double[]){-2.2823823856765264, 1.3862943611198906},
           (double[]){2.5142857142857142, 1.0249999999999999}, MSYN_ES_ADDED);
    o.to = MSYN_ADD_ALL;
    check2(MSYN_MEASURE_OR, &o, (double[]){-2.2823823856765264, 1.2237754316221157},
           (double[]){2.5142857142857142, 0.88128342245989311}, MSYN_ES_ADDED);
    o.to = MSYN_ADD_IF0ALL;
    check2(MSYN_MEASURE_OR, &o, (double[]){-2.2823823856765264, 1.2237754316221157},
           (double[]){2.5142857142857142, 0.88128342245989311}, MSYN_ES_ADDED);
    o.to = MSYN_ADD_NONE; /* log(0) -> not estimable */
    check2(MSYN_MEASURE_RR, &o, (double[]){NAN, 0.916290731874155}, (double[]){NAN, 0.5}, MSYN_ES_NA);
    msyn_es_opts_default(&o);
    o.add = 0.25;
    check2(MSYN_MEASURE_RD, &o, (double[]){-0.2857142857142857, 0.29999999999999999},
           (double[]){0.022567757261634815, 0.041000000000000009}, MSYN_ES_ADDED);
    msyn_es_opts_default(&o);
    o.rd_add_yi = 0; /* RevMan: RD from the raw counts */
    check2(MSYN_MEASURE_RD, &o, (double[]){-0.29999999999999999, 0.29999999999999999},
           (double[]){0.023666416228399705, 0.041000000000000009}, MSYN_ES_ADDED);
    msyn_es_opts_default(&o);
    check2(MSYN_MEASURE_PETO, &o, (double[]){-1.75, 1.2527472527472527},
           (double[]){1.1666666666666667, 0.83516483516483508}, MSYN_ES_ADDED);
}

static void test_drop00(void **state)
{
    static const double a[] = {0, 5}, b[] = {10, 5}, c[] = {0, 2}, dd[] = {12, 8};
    double y[2], v[2];
    unsigned f[2];
    msyn_es_opts o;
    msyn_es_data d;
    (void)state;
    memset(&d, 0, sizeof d);
    d.ai = a; d.bi = b; d.ci = c; d.di = dd;
    msyn_es_opts_default(&o);
    assert_int_equal(msyn_es(MSYN_MEASURE_OR, &d, 2, &o, y, v, f), MSYN_OK);
    assert_close(y[0], 0.17435338714477755, 1e-14);
    assert_close(v[0], 4.175238095238095, 1e-14);
    o.drop00 = 1;
    assert_int_equal(msyn_es(MSYN_MEASURE_OR, &d, 2, &o, y, v, f), MSYN_OK);
    assert_true(isnan(y[0]) && isnan(v[0]));
    assert_int_equal(f[0], MSYN_ES_DROPPED00);
    assert_close(y[1], 1.3862943611198906, 1e-14);
}

static void test_table_from_n(void **state)
{
    static const double a[] = {4}, na[] = {123}, c[] = {11}, nc[] = {139};
    double y, v;
    msyn_es_data d;
    (void)state;
    memset(&d, 0, sizeof d);
    d.ai = a; d.n1i = na; d.ci = c; d.n2i = nc;
    assert_int_equal(msyn_es_input(MSYN_MEASURE_RR, &d), MSYN_INPUT_TABLE);
    assert_int_equal(msyn_es(MSYN_MEASURE_RR, &d, 1, NULL, &y, &v, NULL), MSYN_OK);
    assert_close(y, -0.88931133392020545, 1e-14);
    assert_close(v, 0.32558476500396133, 1e-14);
}

static void test_generic(void **state)
{
    static const double yi[] = {0.5, 0.2, NAN}, vi[] = {0.04, NAN, 0.1}, sei[] = {NAN, 0.3, 0.2};
    static const double orr[] = {1.5}, lb[] = {0.8}, ub[] = {2.5};
    double y[3], v[3];
    unsigned f[3];
    msyn_es_data d;
    msyn_es_opts o;
    (void)state;
    memset(&d, 0, sizeof d);
    d.yi = yi; d.vi = vi; d.sei = sei;
    assert_int_equal(msyn_es(MSYN_MEASURE_GEN, &d, 3, NULL, y, v, f), MSYN_OK);
    assert_close(v[0], 0.04, 0);
    assert_close(v[1], 0.09, EPS_REL(2));
    assert_int_equal(f[1], MSYN_ES_FROM_SE);
    assert_true(isnan(y[2]));
    assert_int_equal(f[2], MSYN_ES_MISSING);
    /* OR 1.5 (0.8 to 2.5) on the natural scale: log, SE from the CI */
    memset(&d, 0, sizeof d);
    d.yi = orr; d.ci_lb = lb; d.ci_ub = ub;
    msyn_es_opts_default(&o);
    o.natural_scale = 1;
    assert_int_equal(msyn_es(MSYN_MEASURE_OR, &d, 1, &o, y, v, f), MSYN_OK);
    assert_close(y[0], log(1.5), EPS_REL(2));
    assert_close(v[0], 0.084493323129674183, 1e-14);
    assert_int_equal(f[0], MSYN_ES_FROM_CI);
}

static void expect_problem(msyn_measure m, msyn_es_data *d, const char *col, const char *msg)
{
    msyn_problem p;
    assert_int_equal(msyn_es_check(m, d, 1, NULL, &p), MSYN_EDATA);
    assert_string_equal(p.column, col);
    assert_string_equal(p.message, msg);
    assert_int_equal(p.study, 0);
}

static void test_checks(void **state)
{
    static const double neg[] = {-2.1}, one[] = {1}, big[] = {12}, ten[] = {10}, inf[] = {INFINITY};
    static const double zero[] = {0}, five[] = {5}, n1bad[] = {12};
    msyn_es_data d = arms(n1, m1, neg, n2, m2, s2);
    msyn_problem p;
    (void)state;
    expect_problem(MSYN_MEASURE_SMD, &d, "sd1i", "sd1i is a standard deviation and must be > 0 (got -2.1)");
    d = arms(one, m1, s1, n2, m2, s2);
    expect_problem(MSYN_MEASURE_MD, &d, "n1i", "n1i must be at least 2 (got 1)");
    d = arms(n1, neg, s1, n2, m2, s2);
    expect_problem(MSYN_MEASURE_ROM, &d, "m1i", "m1i must be > 0 for the ratio of means ROM (got -2.1)");
    d = arms(n1, inf, s1, n2, m2, s2);
    expect_problem(MSYN_MEASURE_MD, &d, "m1i", "m1i must be a finite number (got inf)");
    memset(&d, 0, sizeof d);
    d.ai = big; d.n1i = ten; d.ci = one; d.n2i = ten;
    expect_problem(MSYN_MEASURE_OR, &d, "ai", "ai (12 events) must not exceed n1i (10 participants)");
    d.ai = neg;
    expect_problem(MSYN_MEASURE_OR, &d, "ai", "ai is a count and must be >= 0 (got -2.1)");
    d.ai = five; d.bi = five; d.n1i = n1bad;
    expect_problem(MSYN_MEASURE_RR, &d, "n1i", "n1i (12) must equal ai + bi (5 + 5 = 10)");
    memset(&d, 0, sizeof d);
    d.yi = one; d.vi = zero;
    expect_problem(MSYN_MEASURE_GEN, &d, "vi", "vi is a sampling variance and must be > 0 (got 0)");
    d.vi = NULL; d.ci_lb = five; d.ci_ub = one;
    expect_problem(MSYN_MEASURE_GEN, &d, "ci_ub", "ci_ub (1) must be greater than ci_lb (5)");
    /* columns that do not fit the measure */
    memset(&d, 0, sizeof d);
    d.yi = one;
    assert_int_equal(msyn_es_check(MSYN_MEASURE_GEN, &d, 1, NULL, &p), MSYN_EMEASURE);
    assert_int_equal(p.study, (size_t)-1);
}

static void test_invalid_args(void **state)
{
    double y, v;
    msyn_es_opts o;
    msyn_es_data d = arms(n1, m1, s1, n2, m2, s2);
    (void)state;
    assert_int_equal(msyn_es(MSYN_MEASURE_MD, NULL, 1, NULL, &y, &v, NULL), MSYN_EINVAL);
    assert_int_equal(msyn_es(MSYN_MEASURE_MD, &d, 1, NULL, NULL, &v, NULL), MSYN_EINVAL);
    assert_int_equal(msyn_es((msyn_measure)99, &d, 1, NULL, &y, &v, NULL), MSYN_EINVAL);
    msyn_es_opts_default(&o);
    o.ci_level = 1.5;
    assert_int_equal(msyn_es(MSYN_MEASURE_MD, &d, 1, &o, &y, &v, NULL), MSYN_EINVAL);
    msyn_es_opts_default(&o);
    o.add = -1;
    assert_int_equal(msyn_es(MSYN_MEASURE_MD, &d, 1, &o, &y, &v, NULL), MSYN_EINVAL);
    /* RR needs 2x2 tables (OR converts means: metafor's D2ORL) */
    assert_int_equal(msyn_es_input(MSYN_MEASURE_RR, &d), MSYN_INPUT_NONE);
    assert_int_equal(msyn_es(MSYN_MEASURE_RR, &d, 1, NULL, &y, &v, NULL), MSYN_EMEASURE);
    assert_int_equal(msyn_es_input(MSYN_MEASURE_OR, &d), MSYN_INPUT_ARMS);
    /* k = 0 is fine and writes nothing */
    assert_int_equal(msyn_es(MSYN_MEASURE_MD, &d, 0, NULL, NULL, NULL, NULL), MSYN_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md_smd_rom),   cmocka_unit_test(test_smdh_metafor46),
        cmocka_unit_test(test_hedges_j),     cmocka_unit_test(test_smd_revman5),
        cmocka_unit_test(test_zero_cells),   cmocka_unit_test(test_drop00),
        cmocka_unit_test(test_table_from_n), cmocka_unit_test(test_generic),
        cmocka_unit_test(test_checks),       cmocka_unit_test(test_invalid_args),
    };
    RUN_TESTS(tests);
}
