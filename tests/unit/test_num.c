/* test_num.c - numbers in cells (app/num.c). */
#include "app.h"
#include "test.h"

static void ok(const char *s, int dc, double want)
{
    double x;
    const char *why;
    assert_int_equal(app_parse_number(s, dc, &x, &why), NUM_OK);
    assert_close(x, want, 0);
}

static void bad(const char *s, int dc, const char *reason)
{
    double x;
    const char *why;
    assert_int_equal(app_parse_number(s, dc, &x, &why), NUM_BAD);
    assert_string_equal(why, reason);
}

static void test_numbers(void **state)
{
    double x;
    const char *why;
    (void)state;
    ok("1.5", 0, 1.5);
    ok("  -2e-3 ", 0, -0.002);
    ok("+7", 0, 7);
    ok("\xe2\x88\x92" "0.28", 0, -0.28); /* U+2212 minus */
    ok("0,47", 1, 0.47);
    assert_int_equal(app_parse_number("", 0, &x, &why), NUM_MISSING);
    assert_int_equal(app_parse_number(" NA ", 0, &x, &why), NUM_MISSING);
    assert_int_equal(app_parse_number("na", 0, &x, &why), NUM_MISSING);
    assert_true(isnan(x));
}

static void test_rejects(void **state)
{
    (void)state;
    bad("NaN", 0, "is not a finite number (NaN and Inf are not allowed; leave the cell empty or write NA for a missing value)");
    bad("inf", 0, "is not a finite number (NaN and Inf are not allowed; leave the cell empty or write NA for a missing value)");
    bad("-Infinity", 0, "is not a finite number (NaN and Inf are not allowed; leave the cell empty or write NA for a missing value)");
    bad("0x1p3", 0, "is not a decimal number");
    bad("1,234", 0, "contains a comma; write decimals with a point and no thousands separators");
    bad("1.234,5", 1, "has more than one decimal separator");
    bad("12.5%", 0, "is a percentage; give the number itself");
    bad("<0.001", 0, "is not a number");
    bad("abc", 0, "is not a number");
    bad("1 2", 0, "is not a single number");
    bad("1e999", 0, "is too large");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_numbers), cmocka_unit_test(test_rejects)};
    RUN_TESTS(tests);
}
