/* test_review_kappa.c - Cohen's kappa of two screeners
 * (app/review_screening.c) against hand-worked tables. */
#include <math.h>

#include "review_screening.h"
#include "test.h"

/* 50 records: both include 20, A include / B exclude 5, A exclude /
 * B include 10, both exclude 15.  By hand: po = 35/50 = 0.7; A includes
 * 25/50 = 0.5, B 30/50 = 0.6; pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5;
 * kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4. */
static void test_worked_example(void **state)
{
    rvs_kappa k;
    (void)state;
    rvs_kappa_2x2(20, 5, 10, 15, &k);
    assert_int_equal(k.n, 50);
    assert_close(k.po, 0.7, 4 * DBL_EPSILON);
    assert_close(k.pe, 0.5, 4 * DBL_EPSILON);
    assert_close(k.kappa, 0.4, 8 * DBL_EPSILON);
}

/* The CLI case review-conflicts-kappa: 5 records, yy 3, yn 0, ny 1, nn 1:
 * po = 0.8; pA = 0.6, pB = 0.8; pe = 0.48 + 0.08 = 0.56;
 * kappa = 0.24 / 0.44 = 6/11. */
static void test_cli_case(void **state)
{
    rvs_kappa k;
    (void)state;
    rvs_kappa_2x2(3, 0, 1, 1, &k);
    assert_close(k.po, 0.8, 4 * DBL_EPSILON);
    assert_close(k.pe, 0.56, 4 * DBL_EPSILON);
    assert_close(k.kappa, 6.0 / 11.0, 8 * DBL_EPSILON);
}

/* Symmetric in the raters; perfect agreement 1; agreement no better than
 * chance 0; complete disagreement on a balanced table -1. */
static void test_properties(void **state)
{
    rvs_kappa a, b;
    (void)state;
    rvs_kappa_2x2(7, 2, 4, 11, &a);
    rvs_kappa_2x2(7, 4, 2, 11, &b);
    assert_close(a.kappa, b.kappa, 4 * DBL_EPSILON);
    rvs_kappa_2x2(6, 0, 0, 4, &a);
    assert_close(a.kappa, 1.0, 4 * DBL_EPSILON);
    rvs_kappa_2x2(25, 25, 25, 25, &a); /* independent raters at 50% */
    assert_close_abs(a.kappa, 0.0, 4 * DBL_EPSILON);
    rvs_kappa_2x2(0, 5, 5, 0, &a);
    assert_close(a.kappa, -1.0, 4 * DBL_EPSILON);
}

/* Undefined: no records, or both raters gave one same answer throughout
 * (pe = 1). */
static void test_undefined(void **state)
{
    rvs_kappa k;
    (void)state;
    rvs_kappa_2x2(0, 0, 0, 0, &k);
    assert_int_equal(k.n, 0);
    assert_true(isnan(k.kappa) && isnan(k.po));
    rvs_kappa_2x2(9, 0, 0, 0, &k);
    assert_close(k.po, 1.0, 0);
    assert_true(isnan(k.kappa));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example), cmocka_unit_test(test_cli_case),
        cmocka_unit_test(test_properties), cmocka_unit_test(test_undefined),
    };
    RUN_TESTS(tests);
}
