/* test_csv.c - reading study tables (app/csv.c). */
#include "app.h"
#include "test.h"

static app_table parse_ok(const char *s)
{
    app_table t;
    app_err e = {0, ""};
    if (app_table_parse("t.csv", s, strlen(s), &t, &e) != 0)
        fail_msg("parse failed: %s", e.msg);
    return t;
}

static void expect_error(const char *s, int code, const char *msg)
{
    app_table t;
    app_err e = {0, ""};
    assert_int_equal(app_table_parse("t.csv", s, strlen(s), &t, &e), -1);
    assert_int_equal(e.code, code);
    assert_string_equal(e.msg, msg);
}

static void test_basic(void **state)
{
    app_table t = parse_ok("study,yi,vi\nA,0.1,0.2\n\"B, et al\",0.3,0.4\n");
    (void)state;
    assert_int_equal(t.ncol, 3);
    assert_int_equal(t.nrow, 2);
    assert_int_equal(app_table_col(&t, "vi"), 2);
    assert_int_equal(app_table_col(&t, "VI"), -1);
    assert_int_equal(app_table_col_nocase(&t, "VI"), 2);
    assert_string_equal(app_table_cell(&t, 1, 0), "B, et al");
    assert_int_equal(t.line[0], 2);
    assert_int_equal(t.line[1], 3);
    app_table_free(&t);
}

static void test_lines_and_quotes(void **state)
{
    /* a quoted label spanning two lines, CRLF endings, blank line, BOM */
    app_table t = parse_ok("\xEF\xBB\xBFstudy,yi\r\n\"two\nlines\",1\r\n\r\nC,\"2\"\r\n");
    (void)state;
    assert_string_equal(t.header[0], "study");
    assert_int_equal(t.nrow, 2);
    assert_int_equal(t.line[0], 2);
    assert_string_equal(app_table_cell(&t, 0, 0), "two\nlines");
    assert_int_equal(t.line[1], 5);
    assert_string_equal(app_table_cell(&t, 1, 1), "2");
    app_table_free(&t);
}

static void test_semicolon_decimal_comma(void **state)
{
    app_table t = parse_ok("study;yi;vi\nA;0,25;0,04\n");
    (void)state;
    assert_int_equal(t.delim, ';');
    assert_true(t.decimal_comma);
    assert_string_equal(app_table_cell(&t, 0, 1), "0,25");
    app_table_free(&t);
    t = parse_ok("study\tyi\tvi\nA\t1\t2\n");
    assert_int_equal(t.delim, '\t');
    app_table_free(&t);
}

static void test_cp1252(void **state)
{
    /* "M\xfcller" in Windows-1252, with a curly quote 0x92 */
    app_table t = parse_ok("study,yi\nM\xfcller\x92s,1\n");
    (void)state;
    assert_true(t.recoded);
    assert_string_equal(app_table_cell(&t, 0, 0), "M\xc3\xbcller\xe2\x80\x99s");
    app_table_free(&t);
}

static void test_short_rows_and_dups(void **state)
{
    app_table t = parse_ok("study,yi,vi,yi\nA,1\n");
    (void)state;
    assert_string_equal(app_table_cell(&t, 0, 2), "");
    assert_int_equal(app_table_col(&t, "yi"), -2); /* duplicate */
    app_table_free(&t);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("", APP_EXIT_DATA,
                 "t.csv: the file is empty; expected a header line with column names such as study,yi,vi");
    expect_error("study,yi\nA,1,2\n", APP_EXIT_DATA,
                 "t.csv:2: this row has 3 fields but the header has 2 columns; quote values that contain the delimiter (',')");
    expect_error("study,yi\n\"A,1\n", APP_EXIT_DATA,
                 "t.csv:2: malformed CSV: a quoted field is never closed (missing \")");
    expect_error("study,yi\nA\"b\",1\n", APP_EXIT_DATA,
                 "t.csv:2: malformed CSV: a quote (\") inside a field that is not quoted; put the whole field in quotes and double the quote (\"\")");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic), cmocka_unit_test(test_lines_and_quotes),
        cmocka_unit_test(test_semicolon_decimal_comma), cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_short_rows_and_dups), cmocka_unit_test(test_errors),
    };
    RUN_TESTS(tests);
}
