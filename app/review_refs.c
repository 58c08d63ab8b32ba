/*
 * review_refs.c - `metasyn check --review FILE`: the study_id column of an
 * analysis file against the studies of a review file (docs/cli/check.md,
 * "Study IDs of a review").
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "review.h"
#include "review_refs.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        app_free(ids[i]);
    app_free(ids);
}

int app_check_review_ids(const app_table *t, const char *study_col, rv_db *r, app_findings *l,
                         app_err *e)
{
    sqlite3_stmt *st = NULL;
    char **ids = NULL;
    unsigned char *seen = NULL;
    size_t n = 0;
    long long total;
    int col = app_table_col(t, "study_id"), scol;
    if (col < 0)
        col = app_table_col_nocase(t, "study_id");
    scol = app_table_col(t, study_col ? study_col : "study");
    if (col < 0) {
        if (app_findings_add(l, CHECK_WARNING, "review-no-study-id", 1, -1, NULL, NULL,
                             "no study_id column: the rows cannot be tied to the studies of %s "
                             "(add a study_id column with their IDs: 'metasyn review studies "
                             "--list')",
                             r->path))
            goto oom;
        return 0;
    }
    if ((total = rv_count(r, "SELECT count(*) FROM studies", -1, e)) < 0)
        return -1;
    if (!(ids = app_calloc((size_t)total + 1, sizeof *ids)) ||
        !(seen = app_calloc((size_t)total + 1, 1)))
        goto oom;
    if (rv_prepare(r, "SELECT study_id FROM studies ORDER BY study_id", &st, e))
        goto fail;
    while (n < (size_t)total && sqlite3_step(st) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (!s || !(ids[n] = app_strdup(s)))
            goto oom;
        n++;
    }
    sqlite3_finalize(st);
    st = NULL;
    qsort(ids, n, sizeof *ids, cmp_str);
    for (size_t i = 0; i < t->nrow; i++) {
        const char *v = t->cell[i * t->ncol + (size_t)col];
        const char *label = scol >= 0 ? t->cell[i * t->ncol + (size_t)scol] : NULL;
        char **hit;
        if (!v || !*v) {
            if (app_findings_add(l, CHECK_HINT, "review-study-id-missing", t->line[i], col,
                                 t->header[col], label,
                                 "no study_id: this row is not tied to a study of %s", r->path))
                goto oom;
            continue;
        }
        hit = bsearch(&v, ids, n, sizeof *ids, cmp_str);
        if (hit) {
            seen[hit - ids] = 1;
            continue;
        }
        if (app_findings_add(l, CHECK_ERROR, "review-study-id-unknown", t->line[i], col,
                             t->header[col], label,
                             "study_id '%s' is not a study of %s (it has %zu: 'metasyn review "
                             "studies --list' shows them)",
                             v, r->path, n))
            goto oom;
    }
    for (size_t k = 0; k < n; k++)
        if (!seen[k] &&
            app_findings_add(l, CHECK_HINT, "review-study-no-rows", 1, col, t->header[col], NULL,
                             "study %s of %s has no row in this file", ids[k], r->path))
            goto oom;
    free_ids(ids, n);
    app_free(seen);
    app_findings_sort(l);
    return 0;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
fail:
    sqlite3_finalize(st);
    free_ids(ids, n);
    app_free(seen);
    return -1;
}
