/* test_grade.c - the absolute effects of the summary of findings table
 * (app/grade.c) against hand-worked values, and the words of the scale. */
#include <math.h>
#include <string.h>

#include "grade.h"
#include "test.h"

/* Comparator risk 90 per 1,000:
 *   RR 0.5  -> 45 per 1,000 (0.09 x 0.5)
 *   OR 0.5  -> odds 0.09/0.91 = 0.098901 x 0.5 = 0.049451; risk
 *              0.049451 / 1.049451 = 0.047120 -> 47 per 1,000
 *   HR 0.5  -> 1 - 0.91^0.5 = 1 - 0.953939 = 0.046061 -> 46 per 1,000
 *   RD -0.03 -> 60 per 1,000 */
static void test_corresponding_risk(void **state)
{
    (void)state;
    assert_close(grade_corresponding_risk(MSYN_MEASURE_RR, 0.09, log(0.5)), 0.045, 1e-15);
    assert_close(grade_corresponding_risk(MSYN_MEASURE_OR, 0.09, log(0.5)), 0.0471204188481675, 1e-14);
    assert_close(grade_corresponding_risk(MSYN_MEASURE_PETO, 0.09, log(0.5)), 0.0471204188481675, 1e-14);
    assert_close(grade_corresponding_risk(MSYN_MEASURE_HR, 0.09, log(0.5)), 1 - sqrt(0.91), 1e-15);
    assert_close(grade_corresponding_risk(MSYN_MEASURE_RD, 0.09, -0.03), 0.06, 1e-15);
    /* bounded to [0, 1]: RR 20 on 9%, RD below zero */
    assert_close(grade_corresponding_risk(MSYN_MEASURE_RR, 0.09, log(20.0)), 1.0, 0);
    assert_close(grade_corresponding_risk(MSYN_MEASURE_RD, 0.02, -0.05), 0.0, 0);
    /* no absolute effect for a continuous measure */
    assert_true(isnan(grade_corresponding_risk(MSYN_MEASURE_MD, 0.09, 1.0)));
    /* OR 1 and RR 1 leave the risk unchanged */
    assert_close(grade_corresponding_risk(MSYN_MEASURE_OR, 0.3, 0.0), 0.3, 1e-15);
    assert_close(grade_corresponding_risk(MSYN_MEASURE_HR, 0.3, 0.0), 0.3, 1e-15);
}

static void test_words(void **state)
{
    (void)state;
    assert_string_equal(grade_word(4), "High");
    assert_string_equal(grade_word(1), "Very low");
    assert_string_equal(grade_word(0), "");
    assert_string_equal(grade_symbols(3), "\xe2\x8a\x95\xe2\x8a\x95\xe2\x8a\x95\xe2\x97\xaf");
    assert_string_equal(grade_level_word(GRADE_IMPRECISION, -2), "very serious");
    assert_string_equal(grade_level_word(GRADE_PUBBIAS, -1), "strongly suspected");
    assert_string_equal(grade_level_word(GRADE_UPGRADE, 1), "+1");
    assert_string_equal(grade_domain_key(GRADE_PUBBIAS), "publication_bias");
}

static void test_designs(void **state)
{
    static const char *const rct[] = {"RCT", "randomised", "Randomized controlled trial", "cluster RCT",
                                      "crossover RCT"};
    static const char *const obs[] = {"cohort", "Prospective cohort", "case-control", "cross-sectional",
                                      "non-randomised", "quasi-randomised", "controlled before-after",
                                      "case series", "NRS"};
    (void)state;
    for (size_t i = 0; i < sizeof rct / sizeof *rct; i++)
        assert_int_equal(grade_design_word(rct[i]), 1);
    for (size_t i = 0; i < sizeof obs / sizeof *obs; i++)
        assert_int_equal(grade_design_word(obs[i]), 2);
    assert_int_equal(grade_design_word(""), 0);
    assert_int_equal(grade_design_word("  "), 0);
    assert_int_equal(grade_design_word("survey"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corresponding_risk),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_designs),
    };
    RUN_TESTS(tests);
}
