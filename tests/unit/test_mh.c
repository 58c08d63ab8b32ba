/* test_mh.c - Mantel-Haenszel and Peto pooling (src/mh.c).  BCG values:
 * methods-reference section 10 (metafor 3.8-1 rma.mh/rma.peto). */
#include "test.h"

static msyn_status pool2x2(msyn_measure m, msyn_method meth, msyn_preset p, msyn_fit *f,
                           double *w)
{
    msyn_pool_opts po;
    msyn_es_opts eo;
    msyn_preset_apply(p, m, &meth, &po, &eo);
    return msyn_pool_tables(m, bcg_a, bcg_b, bcg_c, bcg_d, 13, &eo, &po, f, NULL, NULL, w);
}

static void test_bcg_mh(void **state)
{
    msyn_fit f;
    double w[13], s = 0;
    (void)state;
    assert_int_equal(pool2x2(MSYN_MEASURE_OR, MSYN_METHOD_MH, MSYN_PRESET_METAFOR, &f, w), MSYN_OK);
    assert_close(f.estimate, -0.473410988389, 1e-10);
    assert_close(f.se, 0.0410077784042, 1e-10);
    assert_int_equal(f.k, 13);
    assert_true(f.converged);
    for (int i = 0; i < 13; i++)
        s += w[i];
    assert_close(s, 100, EPS_REL(32));
    /* metafor's MH weight of study 1 for OR: b c / N */
    assert_close(w[0] / w[1], (119.0 * 11 / 262) / (300.0 * 29 / 609), 1e-13);
    assert_int_equal(pool2x2(MSYN_MEASURE_RR, MSYN_METHOD_MH, MSYN_PRESET_METAFOR, &f, NULL), MSYN_OK);
    assert_close(f.estimate, -0.453709604684, 1e-10);
    assert_close(f.se, 0.0393373668713, 1e-10);
    assert_int_equal(pool2x2(MSYN_MEASURE_RD, MSYN_METHOD_MH, MSYN_PRESET_METAFOR, &f, NULL), MSYN_OK);
    assert_close(f.estimate, -0.00328818183261, 1e-10);
    assert_close(f.se, 0.000286656748527, 1e-10); /* Sato */
    assert_int_equal(f.test, MSYN_TEST_Z);
}

static void test_bcg_peto(void **state)
{
    msyn_fit f;
    (void)state;
    assert_int_equal(pool2x2(MSYN_MEASURE_OR, MSYN_METHOD_PETO, MSYN_PRESET_METAFOR, &f, NULL), MSYN_OK);
    assert_close(f.estimate, -0.474446310941, 1e-10);
    assert_close(f.se, 0.0406590807446, 1e-10);
    assert_close(f.Q, 167.730167511, 1e-10);
    assert_close(f.Q_df, 12, 0);
}

static void test_not_estimable(void **state)
{
    static const double a[] = {0, 0}, b[] = {10, 12}, c[] = {0, 0}, d[] = {9, 11};
    static const double a2[] = {0, 0}, c2[] = {3, 2};
    msyn_pool_opts po;
    msyn_fit f;
    (void)state;
    msyn_pool_opts_default(&po);
    po.method = MSYN_METHOD_MH;
    assert_int_equal(msyn_pool_tables(MSYN_MEASURE_OR, a, b, c, d, 2, NULL, &po, &f, NULL, NULL, NULL),
                     MSYN_ENOTESTIMABLE);
    assert_int_equal(msyn_pool_tables(MSYN_MEASURE_RR, a2, b, c2, d, 2, NULL, &po, &f, NULL, NULL, NULL),
                     MSYN_ENOTESTIMABLE);
    po.method = MSYN_METHOD_PETO;
    assert_int_equal(msyn_pool_tables(MSYN_MEASURE_OR, a, b, c, d, 2, NULL, &po, &f, NULL, NULL, NULL),
                     MSYN_ENOTESTIMABLE);
    /* measures that do not go with the method */
    po.method = MSYN_METHOD_MH;
    assert_int_equal(msyn_pool_tables(MSYN_MEASURE_PETO, a, b, c2, d, 2, NULL, &po, &f, NULL, NULL, NULL),
                     MSYN_EMEASURE);
    po.method = MSYN_METHOD_PETO;
    assert_int_equal(msyn_pool_tables(MSYN_MEASURE_RR, a, b, c2, d, 2, NULL, &po, &f, NULL, NULL, NULL),
                     MSYN_EMEASURE);
    assert_int_equal(msyn_pool_tables(MSYN_MEASURE_MD, a, b, c2, d, 2, NULL, &po, &f, NULL, NULL, NULL),
                     MSYN_EMEASURE);
}

static void test_iv_on_tables(void **state)
{
    /* any other method: inverse variance on the study estimates, same as
     * msyn_es + msyn_pool */
    double yi[13], vi[13];
    msyn_fit f, g;
    msyn_pool_opts po;
    (void)state;
    bcg_rr(yi, vi);
    msyn_pool_opts_default(&po);
    assert_int_equal(msyn_pool_tables(MSYN_MEASURE_RR, bcg_a, bcg_b, bcg_c, bcg_d, 13, NULL, &po, &f,
                                      NULL, NULL, NULL), MSYN_OK);
    assert_int_equal(msyn_pool(yi, vi, 13, &po, &g), MSYN_OK);
    assert_close(f.estimate, g.estimate, 0);
    assert_close(f.tau2_ci_ub, g.tau2_ci_ub, 0);
}

static void test_revman_re(void **state)
{
    /* RevMan 5: DL with tau2 from Q about the MH estimate; for BCG RR the
     * MH-centred Q is metafor's rma.mh QE. */
    double yi[13], vi[13], sw = 0, sw2 = 0, Q = 0, mh, tau2;
    msyn_fit f, m;
    (void)state;
    bcg_rr(yi, vi);
    assert_int_equal(pool2x2(MSYN_MEASURE_RR, MSYN_METHOD_MH, MSYN_PRESET_REVMAN5, &m, NULL), MSYN_OK);
    mh = m.estimate;
    for (int i = 0; i < 13; i++) {
        sw += 1 / vi[i];
        sw2 += 1 / (vi[i] * vi[i]);
        Q += (yi[i] - mh) * (yi[i] - mh) / vi[i];
    }
    tau2 = (Q - 12) / (sw - sw2 / sw);
    assert_int_equal(pool2x2(MSYN_MEASURE_RR, MSYN_METHOD_DL, MSYN_PRESET_REVMAN5, &f, NULL), MSYN_OK);
    assert_close(f.tau2, tau2, 1e-12);
    assert_close(f.Q, Q, 1e-12);
    assert_close(f.I2, 100 * (Q - 12) / Q, 1e-12);
    assert_true(isnan(f.pi_lb));
    assert_true(isnan(f.tau2_ci_lb));
}

static void test_missing_tables(void **state)
{
    double a[14], b[14], c[14], d[14];
    msyn_pool_opts po;
    msyn_fit f;
    (void)state;
    memcpy(a, bcg_a, sizeof bcg_a);
    memcpy(b, bcg_b, sizeof bcg_b);
    memcpy(c, bcg_c, sizeof bcg_c);
    memcpy(d, bcg_d, sizeof bcg_d);
    a[13] = NAN, b[13] = 4, c[13] = 1, d[13] = 3;
    msyn_pool_opts_default(&po);
    po.method = MSYN_METHOD_MH;
    assert_int_equal(msyn_pool_tables(MSYN_MEASURE_OR, a, b, c, d, 14, NULL, &po, &f, NULL, NULL, NULL), MSYN_OK);
    assert_int_equal(f.k, 13);
    assert_close(f.estimate, -0.473410988389, 1e-10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bcg_mh),       cmocka_unit_test(test_bcg_peto),
        cmocka_unit_test(test_not_estimable), cmocka_unit_test(test_iv_on_tables),
        cmocka_unit_test(test_revman_re),    cmocka_unit_test(test_missing_tables),
    };
    RUN_TESTS(tests);
}
