/* test_names.c - names, parsers, status strings, presets and the
 * distribution wrappers (src/names.c, src/preset.c, src/dist.c).
 * Distribution values: R 4.2.2, printed with %.17g. */
#include "test.h"

static void test_roundtrip(void **state)
{
    static const msyn_measure ms[] = {MSYN_MEASURE_GEN, MSYN_MEASURE_MD, MSYN_MEASURE_SMD,
                                      MSYN_MEASURE_SMDH, MSYN_MEASURE_ROM, MSYN_MEASURE_OR,
                                      MSYN_MEASURE_RR, MSYN_MEASURE_RD, MSYN_MEASURE_PETO,
                                      MSYN_MEASURE_HR};
    static const msyn_method mm[] = {MSYN_METHOD_EE, MSYN_METHOD_DL, MSYN_METHOD_HE, MSYN_METHOD_HS,
                                     MSYN_METHOD_SJ, MSYN_METHOD_ML, MSYN_METHOD_REML, MSYN_METHOD_EB,
                                     MSYN_METHOD_PM, MSYN_METHOD_MH, MSYN_METHOD_PETO};
    (void)state;
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
        msyn_measure m;
        assert_int_equal(msyn_measure_parse(msyn_measure_name(ms[i]), &m), MSYN_OK);
        assert_int_equal(m, ms[i]);
        assert_non_null(msyn_measure_label(ms[i]));
    }
    for (size_t i = 0; i < sizeof mm / sizeof mm[0]; i++) {
        msyn_method m;
        assert_int_equal(msyn_method_parse(msyn_method_name(mm[i]), &m), MSYN_OK);
        assert_int_equal(m, mm[i]);
        assert_non_null(msyn_method_label(mm[i]));
    }
    {
        msyn_method m;
        msyn_test t;
        msyn_measure me;
        msyn_preset p;
        assert_int_equal(msyn_method_parse("fe", &m), MSYN_OK);
        assert_int_equal(m, MSYN_METHOD_EE);
        assert_int_equal(msyn_method_parse("CE", &m), MSYN_OK);
        assert_int_equal(msyn_test_parse("HKSJ", &t), MSYN_OK);
        assert_int_equal(t, MSYN_TEST_KNHA);
        assert_int_equal(msyn_measure_parse("smd", &me), MSYN_OK);
        assert_int_equal(msyn_measure_parse("XYZ", &me), MSYN_EINVAL);
        assert_int_equal(msyn_method_parse(NULL, &m), MSYN_EINVAL);
        assert_int_equal(msyn_preset_parse("RevMan5", &p), MSYN_OK);
        assert_int_equal(p, MSYN_PRESET_REVMAN5);
        assert_null(msyn_measure_name((msyn_measure)77));
    }
    assert_true(msyn_measure_is_ratio(MSYN_MEASURE_OR));
    assert_false(msyn_measure_is_ratio(MSYN_MEASURE_RD));
    assert_string_equal(msyn_version(), MSYN_VERSION_STRING);
}

static void test_strerror(void **state)
{
    (void)state;
    for (int rc = 0; rc <= 7; rc++)
        assert_string_not_equal(msyn_strerror((msyn_status)rc), "unknown status");
    assert_string_equal(msyn_strerror((msyn_status)99), "unknown status");
}

static void test_presets(void **state)
{
    msyn_pool_opts po;
    msyn_es_opts eo;
    msyn_method mh = MSYN_METHOD_MH;
    (void)state;
    assert_int_equal(msyn_preset_apply(MSYN_PRESET_COCHRANE2025, MSYN_MEASURE_SMD, NULL, &po, &eo), MSYN_OK);
    assert_int_equal(po.method, MSYN_METHOD_REML);
    assert_int_equal(po.test, MSYN_TEST_KNHA);
    assert_int_equal(po.pi, MSYN_PI_T_K1);
    assert_int_equal(eo.smd_j, MSYN_SMD_J_EXACT);
    assert_int_equal(msyn_preset_apply(MSYN_PRESET_METAFOR, MSYN_MEASURE_OR, &mh, &po, &eo), MSYN_OK);
    assert_int_equal(po.method, MSYN_METHOD_MH);
    assert_int_equal(po.test, MSYN_TEST_Z);
    assert_int_equal(eo.drop00, 1);
    assert_close(po.mh_add, 0, 0);
    assert_int_equal(msyn_preset_apply(MSYN_PRESET_METAFOR, MSYN_MEASURE_OR, NULL, &po, &eo), MSYN_OK);
    assert_int_equal(eo.drop00, 0);
    assert_int_equal(msyn_preset_apply(MSYN_PRESET_REVMAN5, MSYN_MEASURE_RD, NULL, &po, &eo), MSYN_OK);
    assert_int_equal(po.method, MSYN_METHOD_DL);
    assert_int_equal(po.i2def, MSYN_I2_Q);
    assert_int_equal(po.pi, MSYN_PI_NONE);
    assert_int_equal(po.rd_var, MSYN_RD_VAR_GR);
    assert_close(po.mh_add, 0.5, 0);
    assert_int_equal(eo.rd_add_yi, 0);
    assert_int_equal(eo.drop00, 0);
    assert_int_equal(msyn_preset_apply(MSYN_PRESET_REVMAN5, MSYN_MEASURE_SMD, NULL, &po, &eo), MSYN_OK);
    assert_int_equal(eo.smd_j, MSYN_SMD_J_APPROX);
    assert_int_equal(eo.smd_var, MSYN_SMD_VAR_REVMAN5);
    assert_int_equal(msyn_preset_apply((msyn_preset)9, MSYN_MEASURE_SMD, NULL, &po, &eo), MSYN_EINVAL);
    assert_int_equal(msyn_preset_apply(MSYN_PRESET_METAFOR, MSYN_MEASURE_SMD, NULL, NULL, NULL), MSYN_OK);
}

static void test_dist(void **state)
{
    (void)state;
    assert_close(msyn_crit(0.95, NAN), 1.9599639845400536, 0);
    assert_close(msyn_crit(0.95, 12), 2.1788128296672284, EPS_REL(2));
    /* as metafor: qt((1 - 0.90)/2, 1, lower.tail = FALSE) */
    assert_close(msyn_crit(0.90, 1), 6.3137515146750447, EPS_REL(2));
    assert_close(msyn_pval_chisq(152.233008082, 12), 1.9967645911945127e-26, 1e-13);
    assert_close(msyn_pval_t(3.95, 12), 0.0019277907609823648, 1e-14);
    assert_close(msyn_pval_t(-3.95, 12), 0.0019277907609823648, 1e-14);
    assert_close(msyn_pval_z(11.54), 8.2925221905809847e-31, 1e-13);
    assert_true(isnan(msyn_crit(1.0, NAN)));
    assert_true(isnan(msyn_pval_t(1, 0)));
    assert_true(isnan(msyn_pval_z(NAN)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip), cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_presets), cmocka_unit_test(test_dist),
    };
    RUN_TESTS(tests);
}
