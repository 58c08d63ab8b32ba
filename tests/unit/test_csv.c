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

static app_table parse_fmt(const char *s, char delim, int decimal)
{
    app_table t;
    app_err e = {0, ""};
    app_csv_fmt f = {delim, decimal};
    if (app_table_parse_fmt("t.csv", s, strlen(s), &f, &t, &e) != 0)
        fail_msg("parse failed: %s", e.msg);
    return t;
}

static void test_forced_format(void **state)
{
    /* detected: comma (the most frequent outside quotes), decimal point */
    app_table t = parse_ok("study,yi;x,vi\nA,1,2\n");
    (void)state;
    assert_int_equal(t.delim, ',');
    assert_false(t.decimal_comma);
    app_table_free(&t);
    /* forced semicolon: one field with commas, then the decimal comma */
    t = parse_fmt("study,yi;x,vi\nA,1;2,3\n", ';', APP_DECIMAL_AUTO);
    assert_int_equal(t.delim, ';');
    assert_int_equal(t.ncol, 2);
    assert_true(t.decimal_comma);
    assert_string_equal(app_table_cell(&t, 0, 1), "2,3");
    app_table_free(&t);
    /* forced pipe, which is never detected; decimal point forced */
    t = parse_fmt("study|yi|vi\nA|0.5|0.1\n", '|', APP_DECIMAL_POINT);
    assert_int_equal(t.ncol, 3);
    assert_false(t.decimal_comma);
    app_table_free(&t);
    /* semicolons detected, decimal point forced */
    t = parse_fmt("study;yi\nA;0.5\n", 0, APP_DECIMAL_POINT);
    assert_int_equal(t.delim, ';');
    assert_false(t.decimal_comma);
    app_table_free(&t);
    /* commas with quoted decimal commas */
    t = parse_fmt("study,yi\nA,\"0,5\"\n", 0, APP_DECIMAL_COMMA);
    assert_int_equal(t.delim, ',');
    assert_true(t.decimal_comma);
    assert_string_equal(app_table_cell(&t, 0, 1), "0,5");
    app_table_free(&t);
    /* NULL format: detection, as app_table_parse */
    t = parse_fmt("a\tb\n1\t2\n", 0, APP_DECIMAL_AUTO);
    assert_int_equal(t.delim, '\t');
    assert_true(t.decimal_comma);
    app_table_free(&t);
}

static void test_delim_hint(void **state)
{
    app_table t = parse_fmt("study;yi;vi\nA;1;2\n", '|', APP_DECIMAL_AUTO);
    (void)state;
    assert_int_equal(t.ncol, 1);
    assert_string_equal(app_table_delim_hint(&t),
                        "; the header is a single column whose names are separated by ';': give --delimiter semicolon");
    app_table_free(&t);
    t = parse_ok("study|yi|vi\nA|1|2\n");
    assert_string_equal(app_table_delim_hint(&t),
                        "; the header is a single column whose names are separated by '|': give --delimiter pipe");
    app_table_free(&t);
    t = parse_ok("study,yi\nA,1\n");
    assert_string_equal(app_table_delim_hint(&t), "");
    app_table_free(&t);
    t = parse_ok("study\nA\n");
    assert_string_equal(app_table_delim_hint(&t), "");
    app_table_free(&t);
    /* a forced comma on a semicolon file: the row error names the cause */
    {
        app_err e = {0, ""};
        app_csv_fmt f = {',', APP_DECIMAL_AUTO};
        const char *s = "study;yi;vi\nA;0,1;0,2\n";
        assert_int_equal(app_table_parse_fmt("t.csv", s, strlen(s), &f, &t, &e), -1);
        assert_string_equal(e.msg,
                            "t.csv:2: this row has 3 fields but the header has 1 column; quote values that contain the delimiter (','); the header is a single column whose names are separated by ';': give --delimiter semicolon");
    }
}

static void test_parse_options(void **state)
{
    char d = 0;
    int m = 0;
    (void)state;
    assert_int_equal(app_csv_parse_delim("comma", &d), 0);
    assert_int_equal(d, ',');
    assert_int_equal(app_csv_parse_delim("Semicolon", &d), 0);
    assert_int_equal(d, ';');
    assert_int_equal(app_csv_parse_delim("tab", &d), 0);
    assert_int_equal(d, '\t');
    assert_int_equal(app_csv_parse_delim("\\t", &d), 0);
    assert_int_equal(d, '\t');
    assert_int_equal(app_csv_parse_delim("\t", &d), 0);
    assert_int_equal(d, '\t');
    assert_int_equal(app_csv_parse_delim("pipe", &d), 0);
    assert_int_equal(d, '|');
    assert_int_equal(app_csv_parse_delim(":", &d), 0);
    assert_int_equal(d, ':');
    assert_int_equal(app_csv_parse_delim("", &d), -1);
    assert_int_equal(app_csv_parse_delim("x", &d), -1);
    assert_int_equal(app_csv_parse_delim(".", &d), -1);
    assert_int_equal(app_csv_parse_delim("\"", &d), -1);
    assert_int_equal(app_csv_parse_delim(";;", &d), -1);
    assert_int_equal(app_csv_parse_decimal("point", &m), 0);
    assert_int_equal(m, APP_DECIMAL_POINT);
    assert_int_equal(app_csv_parse_decimal("COMMA", &m), 0);
    assert_int_equal(m, APP_DECIMAL_COMMA);
    assert_int_equal(app_csv_parse_decimal(",", &m), 0);
    assert_int_equal(m, APP_DECIMAL_COMMA);
    assert_int_equal(app_csv_parse_decimal("auto", &m), -1);
    assert_int_equal(app_csv_parse_decimal("", &m), -1);
}

static void test_lines_after_quoted_breaks(void **state)
{
    /* a label with a comma and two line breaks, CRLF: the next rows keep
     * the file's line numbers */
    app_table t = parse_ok("study,yi\r\n\"Smith, J\r\n(2010)\r\nhigh\",1\r\nB,2\r\nC,3\r\n");
    (void)state;
    assert_int_equal(t.nrow, 3);
    assert_string_equal(app_table_cell(&t, 0, 0), "Smith, J\r\n(2010)\r\nhigh");
    assert_int_equal(t.line[0], 2);
    assert_int_equal(t.line[1], 5);
    assert_int_equal(t.line[2], 6);
    app_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic), cmocka_unit_test(test_lines_and_quotes),
        cmocka_unit_test(test_semicolon_decimal_comma), cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_short_rows_and_dups), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_forced_format), cmocka_unit_test(test_delim_hint),
        cmocka_unit_test(test_parse_options), cmocka_unit_test(test_lines_after_quoted_breaks),
    };
    RUN_TESTS(tests);
}
