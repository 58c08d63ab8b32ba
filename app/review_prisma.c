/*
 * review_prisma.c - the PRISMA 2020 counts of a review file, derived from
 * what was done in it.  review_prisma.h; docs/cli/review-prisma.md.
 */
#include <stdlib.h>
#include <string.h>

#include "review_prisma.h"

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

/* The index of id in c->ids, or -1. */
static long canon_index(const rv_canon *c, long long id)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->ids[mid] < id)
            lo = mid + 1;
        else if (c->ids[mid] > id)
            hi = mid;
        else
            return (long)mid;
    }
    return -1;
}

const char *rv_text(sqlite3_stmt *st, int i, int *bad)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    if (s)
        return s;
    if (sqlite3_column_type(st, i) != SQLITE_NULL) {
        *bad = 1;
        return NULL;
    }
    return "";
}

/* The final decisions of one stage: the current resolution of a record
 * when there is one, else the decision all reviewers who decided it agree
 * on.  Reasons: the one reason given, or "reviewers differ: A,B". */
static const char final_sql[] =
    "WITH agreed AS (\n"
    "  SELECT record_id,\n"
    "    CASE WHEN count(DISTINCT decision) = 1 THEN min(decision) END AS decision,\n"
    "    CASE WHEN count(DISTINCT reason) <= 1 THEN max(reason)\n"
    "         ELSE 'reviewers differ: ' || (SELECT group_concat(rs, ' / ') FROM\n"
    "           (SELECT DISTINCT reason AS rs FROM current_screening c\n"
    "             WHERE c.record_id = s.record_id AND c.stage = ?1 AND reason IS NOT NULL\n"
    "             ORDER BY rs)) END AS reason\n"
    "  FROM current_screening s WHERE stage = ?1 GROUP BY record_id)\n"
    "SELECT record_id, decision, reason FROM agreed\n"
    "  WHERE record_id NOT IN (SELECT record_id FROM current_resolutions WHERE stage = ?1)\n"
    "UNION ALL\n"
    "SELECT record_id, decision, reason FROM current_resolutions WHERE stage = ?1\n"
    "ORDER BY 1";

int rv_final_decisions(rv_db *r, const rv_canon *cn, int stage, char *dec, char **reason,
                       app_err *e)
{
    sqlite3_stmt *st;
    char *seen;
    int s, rc = 0;
    memset(dec, 0, cn->n);
    for (size_t j = 0; j < cn->n; j++)
        reason[j] = NULL;
    if (!(seen = app_calloc(cn->n + 1, 1)))
        return oom(e);
    if (rv_prepare(r, final_sql, &st, e)) {
        app_free(seen);
        return -1;
    }
    sqlite3_bind_int(st, 1, stage);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        int bad = 0;
        const char *d = rv_text(st, 1, &bad);
        const char *why = rv_text(st, 2, &bad);
        long j = canon_index(cn, rv_canon_of(cn, id));
        char v = 0;
        if (bad) {
            rc = oom(e);
            break;
        }
        if (j < 0 || seen[j])
            continue; /* a cluster's lowest decided record speaks for it */
        seen[j] = 1;
        if (d && strcmp(d, "include") == 0)
            v = 'i';
        else if (d && strcmp(d, "exclude") == 0)
            v = 'e';
        else if (d && strcmp(d, "not_retrieved") == 0 && stage == 2)
            v = 'n';
        dec[j] = v;
        if (v == 'e' && *why && !(reason[j] = app_strdup(why))) {
            rc = oom(e);
            break;
        }
    }
    if (rc == 0 && s != SQLITE_ROW && s != SQLITE_DONE)
        rc = rv_sqlerr(r, "reading the screening decisions", e);
    sqlite3_finalize(st);
    app_free(seen);
    return rc;
}

static int item_add(rv_count_item **v, size_t *n, const char *name, long long k, app_err *e)
{
    rv_count_item *w;
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].name, name) == 0) {
            (*v)[i].n += k;
            return 0;
        }
    if (!(w = app_realloc(*v, (*n + 1) * sizeof *w)))
        return oom(e);
    *v = w;
    if (!(w[*n].name = app_strdup(name)))
        return oom(e);
    w[*n].n = k;
    (*n)++;
    return 0;
}

static int by_count(const void *a, const void *b)
{
    const rv_count_item *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->name, y->name);
}

void rv_prisma_free(rv_prisma *c)
{
    for (int b = 0; b < 2; b++) {
        for (size_t i = 0; i < c->b[b].nsources; i++)
            app_free(c->b[b].sources[i].name);
        for (size_t i = 0; i < c->b[b].nreasons; i++)
            app_free(c->b[b].reasons[i].name);
        app_free(c->b[b].sources);
        app_free(c->b[b].reasons);
    }
    app_free(c->title);
    memset(c, 0, sizeof *c);
}

/* Records identified per source, in the order sources were first imported. */
static int count_sources(rv_db *r, rv_prisma *c, app_err *e)
{
    sqlite3_stmt *st;
    int s, rc = 0;
    if (rv_prepare(r,
                   "SELECT i.source, i.source_type = 'other', count(r.id) FROM imports i "
                   "LEFT JOIN records r ON r.import_id = i.id "
                   "GROUP BY i.source, i.source_type = 'other' ORDER BY min(i.id)",
                   &st, e))
        return -1;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int bad = 0;
        const char *name = rv_text(st, 0, &bad);
        rv_prisma_branch *b = &c->b[sqlite3_column_int(st, 1) ? 1 : 0];
        long long k = sqlite3_column_int64(st, 2);
        if (bad) {
            rc = oom(e);
            break;
        }
        if (item_add(&b->sources, &b->nsources, name, k, e)) {
            rc = -1;
            break;
        }
        b->identified += k;
    }
    if (rc == 0 && s != SQLITE_ROW && s != SQLITE_DONE)
        rc = rv_sqlerr(r, "reading the imports", e);
    sqlite3_finalize(st);
    return rc;
}

/* Mark in flag[] (by cluster index) the clusters that hold a record the
 * query returns (one column: a record id). */
static int mark_clusters(rv_db *r, const rv_canon *cn, const char *sql, char *flag, app_err *e)
{
    sqlite3_stmt *st;
    int s, rc = 0;
    if (rv_prepare(r, sql, &st, e))
        return -1;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        long j = canon_index(cn, rv_canon_of(cn, sqlite3_column_int64(st, 0)));
        if (j >= 0)
            flag[j] = 1;
    }
    if (s != SQLITE_DONE)
        rc = rv_sqlerr(r, "reading the review file", e);
    sqlite3_finalize(st);
    return rc;
}

int rv_prisma_count(rv_db *r, rv_prisma *c, app_err *e)
{
    rv_canon cn = {0};
    char *isdb = NULL, *has_study = NULL, *d1 = NULL, *d2 = NULL;
    char **why1 = NULL, **why2 = NULL;
    int rc = -1;
    sqlite3_stmt *st = NULL;
    memset(c, 0, sizeof *c);
    if (rv_prepare(r, "SELECT coalesce((SELECT value FROM review_info WHERE key = 'title'), '')",
                   &st, e))
        return -1;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rv_sqlerr(r, "reading the review's title", e);
        sqlite3_finalize(st);
        return -1;
    }
    {
        int bad = 0;
        const char *t = rv_text(st, 0, &bad);
        c->title = bad ? NULL : app_strdup(t);
    }
    sqlite3_finalize(st);
    if (!c->title)
        return oom(e);
    if (count_sources(r, c, e) || rv_canon_load(r, &cn, e))
        goto done;
    isdb = app_calloc(cn.n + 1, 1);
    has_study = app_calloc(cn.n + 1, 1);
    d1 = app_calloc(cn.n + 1, 1);
    d2 = app_calloc(cn.n + 1, 1);
    why1 = app_calloc(cn.n + 1, sizeof *why1);
    why2 = app_calloc(cn.n + 1, sizeof *why2);
    if (!isdb || !has_study || !d1 || !d2 || !why1 || !why2) {
        oom(e);
        goto done;
    }
    if (mark_clusters(r, &cn,
                      "SELECT r.id FROM records r JOIN imports i ON i.id = r.import_id "
                      "WHERE i.source_type <> 'other'",
                      isdb, e) ||
        mark_clusters(r, &cn, "SELECT record_id FROM study_reports", has_study, e) ||
        rv_final_decisions(r, &cn, 1, d1, why1, e) || rv_final_decisions(r, &cn, 2, d2, why2, e))
        goto done;
    for (size_t j = 0; j < cn.n; j++) {
        rv_prisma_branch *b;
        if (cn.canon[j] != cn.ids[j])
            continue;
        b = &c->b[isdb[j] ? 0 : 1];
        b->screened++;
        if (d1[j] == 'e')
            b->excluded1++;
        if (d1[j] != 'i') {
            b->undecided1 += d1[j] != 'e';
            continue;
        }
        b->sought++;
        if (d2[j] == 'n')
            b->not_retrieved++;
        else if (d2[j] == 0)
            b->undecided2++;
        else {
            b->assessed++;
            if (d2[j] == 'e') {
                b->excluded2++;
                if (item_add(&b->reasons, &b->nreasons, why2[j] ? why2[j] : "no reason given",
                             1, e))
                    goto done;
            } else {
                b->included++;
                c->unassigned += !has_study[j];
            }
        }
    }
    for (int k = 0; k < 2; k++) {
        rv_prisma_branch *b = &c->b[k];
        b->duplicates = b->identified - b->screened;
        if (b->nreasons > 1)
            qsort(b->reasons, b->nreasons, sizeof *b->reasons, by_count);
    }
    if ((c->studies = rv_count(r, "SELECT count(*) FROM studies", -1, e)) < 0 ||
        (c->reports = rv_count(r, "SELECT count(*) FROM study_reports", -1, e)) < 0)
        goto done;
    rc = 0;
done:
    for (size_t j = 0; j < cn.n; j++) {
        if (why1)
            app_free(why1[j]);
        if (why2)
            app_free(why2[j]);
    }
    app_free(why1);
    app_free(why2);
    app_free(isdb);
    app_free(has_study);
    app_free(d1);
    app_free(d2);
    rv_canon_free(&cn);
    return rc;
}
