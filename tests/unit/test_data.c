/* test_data.c - from table to study data (app/data.c): column choice,
 * FILE:LINE:COL messages, missing values. */
#include "app.h"
#include "test.h"

static int load(const char *csv, msyn_measure m, app_table *t, app_data *d, app_err *e)
{
    if (app_table_parse("s.csv", csv, strlen(csv), t, e) != 0)
        return -1;
    return app_data_load(t, m, NULL, NULL, d, e);
}

static void expect(const char *csv, msyn_measure m, const char *msg)
{
    app_table t;
    app_data d;
    app_err e = {0, ""};
    assert_int_equal(load(csv, m, &t, &d, &e), -1);
    assert_string_equal(e.msg, msg);
    app_data_free(&d);
    app_table_free(&t);
}

static void test_forms(void **state)
{
    app_table t;
    app_data d;
    app_err e = {0, ""};
    (void)state;
    assert_int_equal(load("study,ai,n1i,ci,n2i,yi,vi\nA,1,10,2,10,0.1,0.2\nB,,,,,0.3,0.1\n", MSYN_MEASURE_OR, &t, &d, &e), 0);
    assert_int_equal(d.input, MSYN_INPUT_TABLE); /* tables win over estimates */
    assert_non_null(d.es.n1i);
    assert_non_null(d.es.yi); /* ... per study: B has only an estimate */
    assert_int_equal(msyn_es_row_input(MSYN_MEASURE_OR, &d.es, NULL, 0), MSYN_INPUT_TABLE);
    assert_int_equal(msyn_es_row_input(MSYN_MEASURE_OR, &d.es, NULL, 1), MSYN_INPUT_ESTIMATE);
    assert_int_equal(d.warnings.n, 0);
    app_data_free(&d);
    app_table_free(&t);
    assert_int_equal(load("Study,YI,SEI\nA,0.1,0.2\n,0.3,0.1\n", MSYN_MEASURE_GEN, &t, &d, &e), 0);
    assert_int_equal(d.input, MSYN_INPUT_ESTIMATE);
    assert_string_equal(d.study[0], "A");
    assert_string_equal(d.study[1], "Study 2"); /* empty label */
    assert_close(d.es.sei[1], 0.1, 0);
    app_data_free(&d);
    app_table_free(&t);
}

static void test_guess(void **state)
{
    app_table t;
    app_err e = {0, ""};
    msyn_measure m;
    const char *s = "study,ai,bi,ci,di\nA,1,2,3,4\n";
    (void)state;
    assert_int_equal(app_table_parse("s.csv", s, strlen(s), &t, &e), 0);
    assert_int_equal(app_data_guess_measure(&t, &m, &e), -1);
    assert_int_equal(e.code, APP_EXIT_USAGE);
    assert_string_equal(e.msg, "s.csv has 2x2 tables (ai, ci, ...): choose --measure OR, RR, RD, AS or PETO");
    app_table_free(&t);
}

static void test_messages(void **state)
{
    (void)state;
    expect("study,n1i,m1i,sd1i,n2i,m2i,sd2i\nA,10,5,1,10,4,1\nB,10,5,-2.1,10,4,1\n", MSYN_MEASURE_SMD,
           "s.csv:3:4: sd1i is a standard deviation and must be > 0 (got -2.1)");
    expect("study,n1i,m1i,sd1i,n2i,m2i,sd2i\nA,10,5,1,1,4,1\n", MSYN_MEASURE_MD,
           "s.csv:2:5: n2i must be at least 2 (got 1)");
    expect("study,ai,n1i,ci,n2i\nA,12,10,1,10\n", MSYN_MEASURE_RR,
           "s.csv:2:2: ai (12 events) must not exceed n1i (10 participants)");
    expect("study,yi,vi\nA,0.1,abc\n", MSYN_MEASURE_GEN, "s.csv:2:3: vi: \"abc\" is not a number");
    expect("study,yi,vi\nA,NaN,0.1\n", MSYN_MEASURE_GEN,
           "s.csv:2:2: yi: \"NaN\" is not a finite number (NaN and Inf are not allowed; leave the cell empty or write NA for a missing value)");
    expect("study,yi\nA,0.1\n", MSYN_MEASURE_GEN,
           "s.csv:1: measure GEN needs yi with vi or sei (or ci_lb and ci_ub) for reported estimates");
    expect("study,n1i,m1i,sd1i\nA,1,2,3\n", MSYN_MEASURE_SMD,
           "s.csv:1: measure SMD needs columns n1i m1i sd1i n2i m2i sd2i (missing: n2i, m2i, sd2i), or 2x2 tables in columns ai bi ci di (or ai n1i ci n2i), or columns ri ni, or yi with vi or sei (or ci_lb and ci_ub) for reported estimates");
    expect("study,yi,vi\n", MSYN_MEASURE_GEN, "s.csv: the file has a header but no study rows");
    expect("study,yi,vi,vi\nA,1,1,1\n", MSYN_MEASURE_GEN,
           "s.csv:1: column 'vi' appears more than once in the header; keep one");
}

static void test_missing(void **state)
{
    app_table t;
    app_data d;
    app_err e = {0, ""};
    (void)state;
    assert_int_equal(load("study,yi,vi,sei\nA,0.1,,\nB,0.2,0.1,\n,,,\nC,,0.1,\n", MSYN_MEASURE_GEN, &t, &d, &e), 0);
    assert_int_equal(d.k, 3); /* the all-empty row is ignored */
    assert_int_equal(d.warnings.n, 2);
    assert_string_equal(d.warnings.s[0], "A (line 2) left out: no value for vi, sei or ci_lb/ci_ub");
    assert_string_equal(d.warnings.s[1], "C (line 5) left out: no value for yi");
    app_data_free(&d);
    app_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms), cmocka_unit_test(test_guess),
        cmocka_unit_test(test_messages), cmocka_unit_test(test_missing),
    };
    RUN_TESTS(tests);
}
