/* test_csv_stream.c - reading a CSV file record by record (app/csv_stream.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "app.h"
#include "csv_stream.h"
#include "test.h"

/* A stream over the bytes s (n of them). */
static app_csv_stream *open_mem(const char *s, size_t n, FILE **f, app_err *e)
{
    *f = fmemopen((void *)s, n, "rb");
    assert_non_null(*f);
    return app_csv_stream_open_file(*f, "t.csv", e);
}

static void close_mem(app_csv_stream *s, FILE *f)
{
    app_csv_stream_close(s);
    fclose(f);
}

/* Next record: expect ncells values (NULL = short) at line. */
static void expect_record(app_csv_stream *s, long line, int recoded, const char *const *want, size_t n)
{
    char **cells;
    long l;
    int rec;
    app_err e = {0, ""};
    if (app_csv_stream_next(s, &cells, &l, &rec, &e) != 1)
        fail_msg("no record: %s", e.msg);
    assert_int_equal(l, line);
    assert_int_equal(rec, recoded);
    for (size_t j = 0; j < n; j++) {
        if (!want[j])
            assert_null(cells[j]);
        else
            assert_string_equal(cells[j], want[j]);
        app_free(cells[j]);
    }
    app_free(cells);
}

static void expect_end(app_csv_stream *s)
{
    char **cells;
    long l;
    int rec;
    app_err e = {0, ""};
    assert_int_equal(app_csv_stream_next(s, &cells, &l, &rec, &e), 0);
    assert_int_equal(app_csv_stream_next(s, &cells, &l, &rec, &e), 0);
}

static void test_records_and_lines(void **state)
{
    /* BOM, CRLF, a quoted field over two lines, a blank line, a short row */
    static const char in[] = "\xEF\xBB\xBF id ,yi,vi\r\nA,\"two\nlines\",1\r\n\r\nB,2\r\nC,\"3\",4";
    FILE *f;
    app_err e = {0, ""};
    app_csv_stream *s = open_mem(in, sizeof in - 1, &f, &e);
    const app_table *h;
    (void)state;
    assert_non_null(s);
    h = app_csv_stream_header(s);
    assert_int_equal(h->ncol, 3);
    assert_string_equal(h->header[0], "id");
    assert_int_equal(h->delim, ',');
    assert_false(h->decimal_comma);
    expect_record(s, 2, 0, (const char *const[]){"A", "two\nlines", "1"}, 3);
    expect_record(s, 5, 0, (const char *const[]){"B", "2", NULL}, 3);
    expect_record(s, 6, 0, (const char *const[]){"C", "3", "4"}, 3);
    expect_end(s);
    close_mem(s, f);
}

static void test_semicolon_and_cp1252(void **state)
{
    /* the second record's line is Windows-1252 ("M\xfcller"); the others UTF-8 */
    static const char in[] = "study;yi\nR\xc3\xa9my;0,5\nM\xfcller;1,5\n";
    FILE *f;
    app_err e = {0, ""};
    app_csv_stream *s = open_mem(in, sizeof in - 1, &f, &e);
    (void)state;
    assert_non_null(s);
    assert_int_equal(app_csv_stream_header(s)->delim, ';');
    assert_true(app_csv_stream_header(s)->decimal_comma);
    expect_record(s, 2, 0, (const char *const[]){"R\xc3\xa9my", "0,5"}, 2);
    expect_record(s, 3, 1, (const char *const[]){"M\xc3\xbcller", "1,5"}, 2);
    expect_end(s);
    assert_int_equal(app_csv_stream_offset(s), sizeof in - 1);
    close_mem(s, f);
}

/* Lines longer than the 64 KiB read buffer, many records. */
static void test_long_lines(void **state)
{
    size_t n = 200000, len = 0;
    char *in = malloc(3 * n + 4096), *want = malloc(n + 1);
    FILE *f;
    app_err e = {0, ""};
    app_csv_stream *s;
    (void)state;
    assert_non_null(in);
    assert_non_null(want);
    memset(want, 'x', n);
    want[n] = '\0';
    len += (size_t)sprintf(in, "id,label\n");
    for (int r = 0; r < 3; r++) {
        len += (size_t)sprintf(in + len, "%d,", r);
        memcpy(in + len, want, n - 1000 * (size_t)r);
        len += n - 1000 * (size_t)r;
        in[len++] = '\n';
    }
    s = open_mem(in, len, &f, &e);
    assert_non_null(s);
    for (int r = 0; r < 3; r++) {
        char id[4];
        snprintf(id, sizeof id, "%d", r);
        want[n - 1000 * (size_t)r] = '\0';
        expect_record(s, 2 + r, 0, (const char *const[]){id, want}, 2);
    }
    expect_end(s);
    close_mem(s, f);
    free(in);
    free(want);
}

static void expect_error(const char *in, int at_open, int code, const char *msg)
{
    FILE *f;
    app_err e = {0, ""};
    app_csv_stream *s = open_mem(in, strlen(in), &f, &e);
    char **cells;
    long l;
    int rec, rc = 0;
    if (at_open) {
        assert_null(s);
    } else {
        assert_non_null(s);
        while ((rc = app_csv_stream_next(s, &cells, &l, &rec, &e)) == 1) {
            for (size_t j = 0; j < app_csv_stream_header(s)->ncol; j++)
                app_free(cells[j]);
            app_free(cells);
        }
        assert_int_equal(rc, -1);
        assert_int_equal(app_csv_stream_next(s, &cells, &l, &rec, &e), 0);
    }
    assert_int_equal(e.code, code);
    assert_string_equal(e.msg, msg);
    app_csv_stream_close(s);
    fclose(f);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("", 1, APP_EXIT_DATA,
                 "t.csv: the file is empty; expected a header line with column names such as study,yi,vi");
    expect_error("id,yi\nA,1\nB,1,2\n", 0, APP_EXIT_DATA,
                 "t.csv:3: this row has 3 fields but the header has 2 columns; quote values that contain the delimiter (',')");
    expect_error("id,yi\nA,1\n\"B,1\n", 0, APP_EXIT_DATA,
                 "t.csv:3: malformed CSV: a quoted field is never closed (missing \")");
    expect_error("id,yi\nA,1\nB\"b\",1\n", 0, APP_EXIT_DATA,
                 "t.csv:3: malformed CSV: a quote (\") inside a field that is not quoted; put the whole field in quotes and double the quote (\"\")");
}

static void test_missing_file(void **state)
{
    app_err e = {0, ""};
    (void)state;
    assert_null(app_csv_stream_open("/nonexistent/x.csv", &e));
    assert_int_equal(e.code, APP_EXIT_IO);
    assert_string_equal(e.msg, "/nonexistent/x.csv: cannot open: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_and_lines), cmocka_unit_test(test_semicolon_and_cp1252),
        cmocka_unit_test(test_long_lines), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_missing_file),
    };
    RUN_TESTS(tests);
}
