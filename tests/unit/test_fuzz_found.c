/*
 * test_fuzz_found.c - regressions for bugs the fuzz harnesses found
 * (tests/fuzz/, docs/robustness.md "Fuzzing").  Each test names the
 * harness and what went wrong; the crashing inputs themselves are in the
 * corpora, replayed by `make check`.
 */
#include "test.h"

#include "app.h"
#include "review_dedup.h"

/* fuzz_review: rd_title_marks() read the title from the sbuf it appends
 * the numbers to (review_dedup_run.c keeps all of a record's strings in
 * one buffer); when appending moved the buffer, the next number was
 * copied from freed memory.  Under the sanitizers this was a
 * heap-use-after-free; here the numbers must come out right even though
 * the buffer has to grow many times. */
static void test_title_marks_in_own_buffer(void **state)
{
    sbuf b;
    size_t t0;
    unsigned m;
    (void)state;
    sb_init(&b);
    sb_puts(&b, "x");
    t0 = b.len;
    /* 90 numbers of 8 digits (rd_title_marks reads up to 96 words): the
     * buffer grows while they are appended */
    for (int i = 0; i < 90; i++)
        sb_printf(&b, "%s%d", i ? " " : "", 10000000 + i);
    sb_add(&b, "", 1);
    assert_false(b.oom);
    m = rd_title_marks(b.p + t0, &b);
    assert_int_equal(m, 0);
    assert_false(b.oom);
    {
        /* the numbers follow the title's NUL, in order */
        const char *title = b.p + t0, *nums = title + strlen(title) + 1;
        assert_int_equal(strlen(nums), strlen(title));
        assert_string_equal(nums, title);
    }
    sb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_title_marks_in_own_buffer),
    };
    RUN_TESTS(tests);
}
