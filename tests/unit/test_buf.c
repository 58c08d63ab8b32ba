#define _POSIX_C_SOURCE 200809L
/* test_buf.c - string buffers, shortest numbers, UTF-8 widths (app/buf.c)
 * and atomic output (app/io.c). */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "test.h"

static void test_numbers(void **state)
{
    sbuf b;
    (void)state;
    sb_init(&b);
    sb_num(&b, 0.1);
    sb_puts(&b, " ");
    sb_num(&b, -0.71453234215799997);
    sb_puts(&b, " ");
    sb_num(&b, 1e-300);
    assert_string_equal(b.p, "0.1 -0.714532342158 1e-300");
    sb_free(&b);
}

static void test_widths(void **state)
{
    sbuf b;
    (void)state;
    assert_int_equal(app_utf8_width("Müller"), 6);
    assert_int_equal(app_utf8_width("τ²"), 2);
    assert_int_equal(app_utf8_width("e\xcc\x81"), 1); /* e + combining acute */
    assert_int_equal(app_utf8_width("\xe7\xa0\x94\xe7\xa9\xb6"), 4); /* two wide CJK */
    sb_init(&b);
    sb_pad(&b, "Müller", 8, 0);
    sb_puts(&b, "|");
    sb_pad(&b, "τ²", 4, 1);
    assert_string_equal(b.p, "Müller  |  τ²");
    sb_free(&b);
}

static void test_atomic_write(void **state)
{
    char dir[] = "/tmp/msyn-io-XXXXXX", path[64], buf[16];
    app_err e = {0, ""};
    FILE *f;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.txt", dir);
    assert_int_equal(app_write_output(path, "hello\n", 6, &e), 0);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "hello\n");
    /* a folder that does not exist: an error, and nothing created */
    snprintf(path, sizeof path, "%s/no/out.txt", dir);
    assert_int_equal(app_write_output(path, "x", 1, &e), -1);
    assert_int_equal(e.code, APP_EXIT_IO);
    snprintf(path, sizeof path, "%s/out.txt", dir);
    unlink(path);
    rmdir(dir);
}

/* A spilling buffer (METASYN_SPILL_AT=64, set in main) written whole: the
 * file holds every byte in order, the buffer only the tail. */
static void test_spill(void **state)
{
    char dir[] = "/tmp/msyn-spill-XXXXXX", path[64], got[4096];
    app_err e = {0, ""};
    sbuf b, ref;
    FILE *f;
    size_t n;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.txt", dir);
    sb_init(&b);
    sb_init(&ref);
    sb_allow_spill(&b);
    for (int i = 0; i < 200; i++) {
        sb_printf(&b, "line %d\n", i);
        sb_printf(&ref, "line %d\n", i);
    }
    sb_puts(&b, "a piece longer than the threshold, appended whole: 0123456789012345678901234567890123456789\n");
    sb_puts(&ref, "a piece longer than the threshold, appended whole: 0123456789012345678901234567890123456789\n");
    assert_false(b.oom);
    assert_non_null(b.spill);
    assert_true(b.len < ref.len);
    assert_int_equal(app_write_sbuf(path, &b, &e), 0);
    f = fopen(path, "rb");
    assert_non_null(f);
    n = fread(got, 1, sizeof got, f);
    fclose(f);
    assert_int_equal(n, ref.len);
    assert_memory_equal(got, ref.p, ref.len);
    sb_free(&b);
    sb_free(&ref);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers), cmocka_unit_test(test_widths),
        cmocka_unit_test(test_atomic_write), cmocka_unit_test(test_spill),
    };
    setenv("METASYN_SPILL_AT", "64", 1);
    RUN_TESTS(tests);
}
