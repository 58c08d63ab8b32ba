/*
 * test_review_db.c - the review file's core (app/review_db.c): creation,
 * refusal to overwrite, append-only tables, imports refused twice,
 * and duplicate clusters through replaced links.  Allocation failures:
 * the CLI case review-init-oom.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

#include "app.h"
#include "review.h"

static char dir[64];

static const char *path_in(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void add_link(rv_db *r, long long a, long long b, const char *decision)
{
    char sql[256];
    app_err e = {0};
    snprintf(sql, sizeof sql,
             "INSERT INTO dedup_links(a, b, decision, method, decided_by, decided_at) "
             "VALUES (%lld, %lld, '%s', 'manual', 'ann', 'now')",
             a, b, decision);
    assert_int_equal(rv_exec(r, sql, &e), 0);
}

static void import_n(rv_db *r, const char *sha, int n, app_err *e, int *rc)
{
    rv_import im = {"PubMed", "database", "2026-11-01", "pubmed.nbib", sha, "medline", n};
    long long id;
    *rc = -1;
    if (rv_begin(r, e))
        return;
    if (rv_add_import(r, &im, &id, e))
        goto fail;
    for (int i = 1; i <= n; i++) {
        rv_record rec = {0};
        char title[64];
        snprintf(title, sizeof title, "Trial %d", i);
        rec.line = i;
        rec.raw = title;
        rec.title = title;
        rec.year = 2000 + i;
        if (rv_add_record(r, id, i, &rec, NULL, e))
            goto fail;
    }
    if (rv_audit(r, "import", "test", e) || rv_commit(r, e))
        goto fail;
    *rc = 0;
    return;
fail:
    rv_rollback(r);
}

static void test_create_open(void **state)
{
    rv_db r;
    app_err e = {0};
    int rc;
    (void)state;
    assert_int_equal(rv_create(path_in("a.msr"), "A title", &e), 0);
    assert_int_equal(rv_create(path_in("a.msr"), "again", &e), -1);
    assert_int_equal(e.code, APP_EXIT_IO);
    assert_int_equal(rv_open(path_in("a.msr"), &r, &e), 0);
    assert_int_equal(rv_count(&r, "PRAGMA user_version", -1, &e), RV_SCHEMA_VERSION);
    assert_int_equal(rv_count(&r, "SELECT count(*) FROM audit", -1, &e), 1);
    assert_true(rv_count(&r, "SELECT count(*) FROM exclusion_reasons WHERE stage = ?", 2, &e) > 3);

    import_n(&r, "abc", 5, &e, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rv_count(&r, "SELECT count(*) FROM records", -1, &e), 5);
    /* the same file again: refused, nothing added */
    import_n(&r, "abc", 5, &e, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(e.code, APP_EXIT_DATA);
    assert_non_null(strstr(e.msg, "imported before"));
    assert_int_equal(rv_count(&r, "SELECT count(*) FROM records", -1, &e), 5);
    assert_int_equal(rv_count(&r, "SELECT count(*) FROM imports", -1, &e), 1);

    /* append-only */
    assert_int_equal(rv_exec(&r, "UPDATE records SET title = 'x' WHERE id = 1", &e), -1);
    assert_non_null(strstr(e.msg, "never changed"));
    assert_int_equal(rv_exec(&r, "DELETE FROM audit", &e), -1);
    assert_non_null(strstr(e.msg, "never deleted"));
    rv_close(&r);

    /* not a review */
    {
        FILE *f = fopen(path_in("junk.msr"), "w");
        assert_non_null(f);
        fputs("hello", f);
        fclose(f);
    }
    assert_int_equal(rv_open(path_in("junk.msr"), &r, &e), -1);
    assert_int_equal(e.code, APP_EXIT_DATA);
    assert_int_equal(rv_open(path_in("none.msr"), &r, &e), -1);
    assert_int_equal(e.code, APP_EXIT_IO);
}

static void test_clusters(void **state)
{
    rv_db r;
    rv_canon c;
    app_err e = {0};
    int rc;
    (void)state;
    assert_int_equal(rv_create(path_in("c.msr"), "", &e), 0);
    assert_int_equal(rv_open(path_in("c.msr"), &r, &e), 0);
    import_n(&r, "f1", 6, &e, &rc);
    assert_int_equal(rc, 0);
    add_link(&r, 2, 5, "duplicate");
    add_link(&r, 4, 5, "duplicate");
    add_link(&r, 1, 6, "duplicate");
    add_link(&r, 1, 6, "distinct"); /* a later decision replaces the first */
    assert_int_equal(rv_canon_load(&r, &c, &e), 0);
    assert_int_equal(c.n, 6);
    assert_int_equal(c.nclusters, 4); /* {1} {2,4,5} {3} {6} */
    assert_int_equal(rv_canon_of(&c, 5), 2);
    assert_int_equal(rv_canon_of(&c, 4), 2);
    assert_int_equal(rv_canon_of(&c, 6), 6);
    assert_int_equal(rv_canon_of(&c, 99), 0);
    rv_canon_free(&c);
    rv_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_open),
        cmocka_unit_test(test_clusters),
    };
    int rc;
    snprintf(dir, sizeof dir, "/tmp/msyn-review-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    rc = _cmocka_run_group_tests("review_db", tests, sizeof tests / sizeof *tests, NULL, NULL);
    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            rc = 1;
    }
    printf("SUMMARY %zu %d\n", sizeof tests / sizeof *tests, rc);
    return rc != 0;
}
