/* test_rob_level.c - the risk-of-bias judgement scale (app/rob_level.c):
 * every accepted spelling, the two readings of "+", and refusals. */
#include "rob.h"
#include "test.h"

static app_rob_level parse(const char *s, app_rob_scale sc)
{
    app_rob_level lv = APP_ROB_NLEVELS;
    assert_int_equal(app_rob_parse(s, sc, &lv), 0);
    return lv;
}

static void test_words(void **state)
{
    (void)state;
    assert_int_equal(parse("Low", APP_ROB_SCALE_COCHRANE), APP_ROB_LOW);
    assert_int_equal(parse("  low risk of bias ", APP_ROB_SCALE_COCHRANE), APP_ROB_LOW);
    assert_int_equal(parse("Some concerns", APP_ROB_SCALE_COCHRANE), APP_ROB_SOME);
    assert_int_equal(parse("UNCLEAR", APP_ROB_SCALE_COCHRANE), APP_ROB_SOME);
    assert_int_equal(parse("Moderate", APP_ROB_SCALE_COCHRANE), APP_ROB_SOME);
    assert_int_equal(parse("High risk", APP_ROB_SCALE_COCHRANE), APP_ROB_HIGH);
    assert_int_equal(parse("Serious", APP_ROB_SCALE_COCHRANE), APP_ROB_HIGH);
    assert_int_equal(parse("Critical", APP_ROB_SCALE_COCHRANE), APP_ROB_CRITICAL);
    assert_int_equal(parse("No information", APP_ROB_SCALE_COCHRANE), APP_ROB_NOINFO);
    assert_int_equal(parse("n/a", APP_ROB_SCALE_COCHRANE), APP_ROB_NA);
    assert_int_equal(parse("", APP_ROB_SCALE_COCHRANE), APP_ROB_UNSET);
    assert_int_equal(parse("   ", APP_ROB_SCALE_SIGN), APP_ROB_UNSET);
    assert_int_equal(parse("high\r", APP_ROB_SCALE_COCHRANE), APP_ROB_HIGH);
}

/* RevMan/robvis: + low, ? unclear, - high.  SIGN 50: ++ high quality (low
 * risk), + acceptable (some concerns), - unacceptable (high). */
static void test_symbols(void **state)
{
    (void)state;
    assert_int_equal(parse("+", APP_ROB_SCALE_COCHRANE), APP_ROB_LOW);
    assert_int_equal(parse("?", APP_ROB_SCALE_COCHRANE), APP_ROB_SOME);
    assert_int_equal(parse("-", APP_ROB_SCALE_COCHRANE), APP_ROB_HIGH);
    assert_int_equal(parse("\xe2\x88\x92", APP_ROB_SCALE_COCHRANE), APP_ROB_HIGH);
    assert_int_equal(parse("++", APP_ROB_SCALE_SIGN), APP_ROB_LOW);
    assert_int_equal(parse("+", APP_ROB_SCALE_SIGN), APP_ROB_SOME);
    assert_int_equal(parse("-", APP_ROB_SCALE_SIGN), APP_ROB_HIGH);
    assert_int_equal(parse("low", APP_ROB_SCALE_SIGN), APP_ROB_LOW);
}

static void test_refused(void **state)
{
    app_rob_level lv = APP_ROB_LOW;
    static const char *const bad[] = {"lo", "highish", "++", "+++", "?", "probably low", "0", "1"};
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        app_rob_scale sc = i == 4 ? APP_ROB_SCALE_SIGN : APP_ROB_SCALE_COCHRANE;
        if (i == 2)
            sc = APP_ROB_SCALE_COCHRANE; /* "++" is SIGN only */
        assert_int_equal(app_rob_parse(bad[i], sc, &lv), -1);
    }
    assert_int_equal(app_rob_parse(NULL, APP_ROB_SCALE_COCHRANE, &lv), 0);
    assert_int_equal(lv, APP_ROB_UNSET);
}

static void test_words_out(void **state)
{
    app_rob_level lv;
    (void)state;
    for (int i = 0; i < APP_ROB_NLEVELS; i++) {
        /* every word reads back as its level */
        assert_int_equal(app_rob_parse(app_rob_word((app_rob_level)i), APP_ROB_SCALE_COCHRANE, &lv), 0);
        assert_int_equal(lv, i);
    }
    assert_string_equal(app_rob_word(APP_ROB_NLEVELS), "");
    assert_string_equal(app_rob_symbol(APP_ROB_HIGH), "\xe2\x88\x92");
    assert_int_equal(app_rob_parse_threshold("high", &lv), 0);
    assert_int_equal(lv, APP_ROB_HIGH);
    assert_int_equal(app_rob_parse_threshold("some", &lv), 0);
    assert_int_equal(lv, APP_ROB_SOME);
    assert_int_equal(app_rob_parse_threshold("low", &lv), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words), cmocka_unit_test(test_symbols), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_words_out),
    };
    RUN_TESTS(tests);
}
