/*
 * review_screening.c - screening decisions, stage-1 inclusion, blinding and
 * Cohen's kappa.  review_screening.h; docs/cli/review-screen.md.
 */
#include <math.h>
#include <string.h>

#include "review_screening.h"

const char rvs_included_sql[] =
    "WITH agg AS (SELECT record_id, count(*) AS n, sum(decision = 'include') AS ninc"
    "  FROM current_screening WHERE stage = 1 GROUP BY record_id),"
    " res AS (SELECT record_id, decision FROM current_resolutions WHERE stage = 1)"
    " SELECT record_id FROM res WHERE decision = 'include'"
    " UNION"
    " SELECT a.record_id FROM agg a WHERE a.n = a.ninc"
    "  AND NOT EXISTS (SELECT 1 FROM res WHERE res.record_id = a.record_id)"
    " ORDER BY 1";

int rvs_unblinded(rv_db *r, int stage, app_err *e)
{
    long long n = rv_count(r, "SELECT count(*) FROM unblinding WHERE stage = ?", stage, e);
    return n < 0 ? -1 : n > 0;
}

int rvs_reason_ok(rv_db *r, int stage, const char *reason, app_err *e)
{
    sqlite3_stmt *st;
    int rc;
    if (rv_prepare(r, "SELECT 1 FROM exclusion_reasons WHERE stage = ? AND reason = ?", &st, e))
        return -1;
    sqlite3_bind_int(st, 1, stage);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return rv_sqlerr(r, "reading the exclusion reasons", e);
}

char *rvs_reason_list(rv_db *r, int stage, app_err *e)
{
    sqlite3_stmt *st;
    sbuf b;
    int rc;
    if (rv_prepare(r, "SELECT reason FROM exclusion_reasons WHERE stage = ? ORDER BY id", &st, e))
        return NULL;
    sqlite3_bind_int(st, 1, stage);
    sb_init(&b);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (!s) {
            rc = SQLITE_NOMEM;
            break;
        }
        sb_printf(&b, "%s'%s'", b.len ? ", " : "", s);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sb_free(&b);
        rv_sqlerr(r, "reading the exclusion reasons", e);
        return NULL;
    }
    if (!b.len)
        sb_puts(&b, "(none: add one with 'metasyn review reasons --add TEXT --stage N')");
    if (b.oom || !b.p) {
        sb_free(&b);
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    return b.p;
}

int rvs_decide(rv_db *r, long long record, int stage, const char *reviewer,
               const char *decision, const char *reason, const char *note, const char *via,
               app_err *e)
{
    sqlite3_stmt *st;
    char now[32];
    int rc;
    if (rv_prepare(r,
                   "INSERT INTO screening(record_id, stage, reviewer, decision, reason, note, via,"
                   " replaces, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                   " (SELECT max(id) FROM screening WHERE record_id = ?1 AND stage = ?2"
                   "  AND reviewer = ?3), ?8)",
                   &st, e))
        return -1;
    sqlite3_bind_int64(st, 1, record);
    sqlite3_bind_int(st, 2, stage);
    sqlite3_bind_text(st, 3, reviewer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, decision, -1, SQLITE_STATIC);
    if (reason && *reason)
        sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
    if (note && *note)
        sqlite3_bind_text(st, 6, note, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, via, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, rv_now(now), -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(r, "recording a screening decision", e);
    return 0;
}

void rvs_kappa_2x2(long long yy, long long yn, long long ny, long long nn, rvs_kappa *k)
{
    double n = (double)(yy + yn + ny + nn), p1, p2;
    k->n = yy + yn + ny + nn;
    if (k->n <= 0) {
        k->po = k->pe = k->kappa = NAN;
        return;
    }
    k->po = (double)(yy + nn) / n;
    p1 = (double)(yy + yn) / n; /* first rater's share of yes  */
    p2 = (double)(yy + ny) / n; /* second rater's share of yes */
    k->pe = p1 * p2 + (1 - p1) * (1 - p2);
    k->kappa = k->pe >= 1 ? NAN : (k->po - k->pe) / (1 - k->pe);
}
