/*
 * review_dedup.c - `metasyn review dedup`: find duplicate records (exact
 * DOI/PMID, then scored title candidates), list the unsure pairs, record a
 * person's merge or distinct decision.  The matching is app/review_dedup*.c;
 * docs/cli/review-dedup.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#include "cli.h"
#include "review_cli.h"
#include "review_dedup.h"

static const char usage[] =
    "Usage: metasyn review dedup [--review FILE] [--auto-threshold X]\n"
    "                            [--review-threshold Y] [--format text|json]\n"
    "       metasyn review dedup --list [--format text|csv|json]\n"
    "       metasyn review dedup --merge A B | --distinct A B\n"
    "\n"
    "Find duplicate records.  Records with the same DOI or PMID are duplicates.\n"
    "Then records whose titles share rare words are scored (0 to 1) on title,\n"
    "first author, year, journal and pages; conflicting DOIs, errata and\n"
    "different numbers in the titles (Part 1/Part 2) lower the score.  Pairs\n"
    "scoring at least X are linked as duplicates; pairs from Y up are listed for\n"
    "a person to decide.  A pair a person has decided is never linked again.\n"
    "Nothing is deleted: a duplicate cluster keeps all its records, and the one\n"
    "with the lowest id stands for it in screening.\n"
    "\n"
    "      --review FILE          the review file (default: the one *.msr here)\n"
    "      --auto-threshold X     link pairs scoring >= X (default 0.90)\n"
    "      --review-threshold Y   list pairs scoring >= Y for review (default 0.70)\n"
    "      --list                 the pairs still to review, both records side by side\n"
    "      --merge A B            records A and B are duplicates (your decision)\n"
    "      --distinct A B         records A and B are different (your decision)\n"
    "  -f, --format F             text (default), json; csv with --list\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Exit codes: 0 done, nothing left to review; 1 pairs to review remain (dedup);\n"
    "2 usage; 3 not a review file, no such record; 4 cannot read or write;\n"
    "6 out of memory.\n";

typedef struct opts {
    const char *review, *format, *merge, *distinct;
    int list;
    double auto_t, review_t;
} opts;

static int set(void *ctx, int c, const char *arg)
{
    opts *o = ctx;
    switch (c) {
    case 'r':
        o->review = arg;
        return 0;
    case 'f':
        if (strcmp(arg, "text") && strcmp(arg, "json") && strcmp(arg, "csv"))
            return cli_bad("review dedup", "--format", arg, "text, csv or json");
        o->format = arg;
        return 0;
    case 'l':
        o->list = 1;
        return 0;
    case 'm':
        o->merge = arg;
        return 0;
    case 'd':
        o->distinct = arg;
        return 0;
    case 'a':
    case 'y':
        if (!cli_parse_number(arg, c == 'a' ? &o->auto_t : &o->review_t) ||
            !((c == 'a' ? o->auto_t : o->review_t) > 0) ||
            (c == 'a' ? o->auto_t : o->review_t) > 1)
            return cli_bad("review dedup", c == 'a' ? "--auto-threshold" : "--review-threshold",
                           arg, "a number above 0 and at most 1");
        return 0;
    default:
        return -1;
    }
}

static int oom_err(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

static int parse_id(const char *s, long long *id)
{
    char *end;
    *id = strtoll(s, &end, 10);
    return end == s || *end || *id < 1 ? -1 : 0;
}

/* ---- a person's decision ---------------------------------------------------- */

static int decide(rv_db *r, long long a, long long b, const char *decision, app_err *e)
{
    sqlite3_stmt *st = NULL;
    long long cur = 0, t;
    char now[32], detail[256];
    const char *curdec = NULL, *curmeth = NULL;
    int rc;
    if (a > b)
        t = a, a = b, b = t;
    for (int k = 0; k < 2; k++) {
        long long id = k ? b : a, n = rv_count(r, "SELECT count(*) FROM records WHERE id = ?", id, e);
        if (n < 0)
            return -1;
        if (n == 0) {
            app_err_set(e, APP_EXIT_DATA, "%s has no record %lld ('metasyn review dedup --list' "
                                          "shows the records of the pairs to review)",
                        r->path, id);
            return -1;
        }
    }
    if (rv_prepare(r, "SELECT id, decision, method FROM current_links WHERE a = ? AND b = ?", &st,
                   e))
        return -1;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        cur = sqlite3_column_int64(st, 0);
        curdec = (const char *)sqlite3_column_text(st, 1);
        curmeth = (const char *)sqlite3_column_text(st, 2);
        if (!curdec || !curmeth) {
            sqlite3_finalize(st);
            return rv_sqlerr(r, "reading the duplicate links", e);
        }
        if (strcmp(curdec, decision) == 0 && strcmp(curmeth, "manual") == 0) {
            sqlite3_finalize(st);
            printf("records %lld and %lld: already decided '%s' (link %lld); nothing changed\n", a,
                   b, decision, cur);
            return 1;
        }
        snprintf(detail, sizeof detail, "records %lld and %lld: %s (replaces link %lld, %s by %s)",
                 a, b, decision, cur, curdec, curmeth);
    } else if (rc == SQLITE_DONE) {
        snprintf(detail, sizeof detail, "records %lld and %lld: %s", a, b, decision);
    } else {
        sqlite3_finalize(st);
        return rv_sqlerr(r, "reading the duplicate links", e);
    }
    sqlite3_finalize(st);
    if (rv_prepare(r,
                   "INSERT INTO dedup_links(a, b, decision, method, score, replaces, decided_by, "
                   "decided_at) VALUES (?, ?, ?, 'manual', "
                   "(SELECT score FROM dedup_candidates WHERE a = ?1 AND b = ?2), ?, ?, ?)",
                   &st, e))
        return -1;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    sqlite3_bind_text(st, 3, decision, -1, SQLITE_STATIC);
    if (cur)
        sqlite3_bind_int64(st, 4, cur);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_text(st, 5, r->who, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, rv_now(now), -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(r, "recording the decision", e);
    if (rv_audit(r, strcmp(decision, "duplicate") == 0 ? "dedup-merge" : "dedup-distinct", detail,
                 e))
        return -1;
    printf("%s\n", detail);
    return 0;
}

static int run_decide(const opts *o, const char *a_s, const char *b_s)
{
    long long a, b;
    rv_db r;
    app_err e = {0};
    int rc;
    const char *dec = o->merge ? "duplicate" : "distinct";
    if (parse_id(a_s, &a) || parse_id(b_s, &b) || a == b) {
        fprintf(stderr,
                "metasyn review dedup: %s %s %s: expected two different record ids "
                "(whole numbers of 1 or more)\nTry 'metasyn review dedup --help'.\n",
                o->merge ? "--merge" : "--distinct", a_s, b_s);
        return APP_EXIT_USAGE;
    }
    if ((rc = review_open("dedup", o->review, &r)) != 0)
        return rc;
    if (rv_begin(&r, &e))
        goto fail;
    rc = decide(&r, a, b, dec, &e);
    if (rc < 0) {
        rv_rollback(&r);
        goto fail;
    }
    if (rc > 0)
        rv_rollback(&r);
    else if (rv_commit(&r, &e))
        goto fail;
    rv_close(&r);
    return 0;
fail:
    rv_close(&r);
    return review_fail("dedup", &e);
}

/* ---- the pairs to review ------------------------------------------------------ */

static const char list_sql[] =
    "SELECT c.a, c.b, c.score, coalesce(c.detail, ''),"
    " coalesce(x.title, ''), coalesce(x.authors, ''), coalesce(x.year, ''),"
    " coalesce(x.journal, ''), coalesce(x.doi, ''),"
    " coalesce(y.title, ''), coalesce(y.authors, ''), coalesce(y.year, ''),"
    " coalesce(y.journal, ''), coalesce(y.doi, '')"
    " FROM dedup_candidates c JOIN records x ON x.id = c.a JOIN records y ON y.id = c.b"
    " WHERE NOT EXISTS (SELECT 1 FROM dedup_links l WHERE l.a = c.a AND l.b = c.b)"
    " ORDER BY c.score DESC, c.a, c.b";

static const char *const side_keys[] = {"title", "first_author", "year", "journal", "doi"};

/* The first author of "Last, First; Last, First" (or the whole field). */
static void first_author(const char *s, sbuf *out)
{
    size_t n = strcspn(s, ";");
    sb_add(out, s, n);
}

static void text_side(sbuf *o, long long id, const char *const *v)
{
    sb_printf(o, "  %-6lld %s\n         ", id, v[0]);
    first_author(v[1], o);
    sb_printf(o, " | %s | %s | %s\n", v[2], v[3], *v[4] ? v[4] : "no DOI");
}

static int list_pairs(rv_db *r, const char *format, sbuf *o, app_err *e)
{
    sqlite3_stmt *st;
    json_t *arr = NULL;
    long long n = 0;
    int json = strcmp(format, "json") == 0, csv = strcmp(format, "csv") == 0;
    if (rv_prepare(r, list_sql, &st, e))
        return -1;
    if (json && !(arr = json_array()))
        goto oom;
    if (csv)
        sb_puts(o, "a,b,score,a_title,a_first_author,a_year,a_journal,a_doi,"
                   "b_title,b_first_author,b_year,b_journal,b_doi,detail\n");
    for (;;) {
        int s = sqlite3_step(st);
        const char *v[10], *detail;
        long long a, b;
        double score;
        sbuf fa[2];
        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_ROW) {
            rv_sqlerr(r, "reading the pairs to review", e);
            goto fail;
        }
        a = sqlite3_column_int64(st, 0);
        b = sqlite3_column_int64(st, 1);
        score = sqlite3_column_double(st, 2);
        detail = (const char *)sqlite3_column_text(st, 3);
        for (int k = 0; k < 10; k++)
            if (!(v[k] = (const char *)sqlite3_column_text(st, 4 + k)))
                goto oom;
        if (!detail)
            goto oom;
        n++;
        if (json) {
            json_t *pair = json_object(), *sides[2];
            if (!pair || json_array_append_new(arr, pair))
                goto oom;
            if (json_object_set_new(pair, "score", json_real(score)) ||
                json_object_set_new(pair, "detail", json_string(detail)))
                goto oom;
            for (int k = 0; k < 2; k++) {
                sb_init(&fa[k]);
                first_author(v[5 * k + 1], &fa[k]);
                sides[k] = json_pack("{s:I,s:s,s:s,s:o,s:s,s:s}", "id",
                                     (json_int_t)(k ? b : a), side_keys[0], v[5 * k],
                                     side_keys[1], fa[k].p ? fa[k].p : "", side_keys[2],
                                     *v[5 * k + 2] ? json_integer(atoll(v[5 * k + 2]))
                                                   : json_null(),
                                     side_keys[3], v[5 * k + 3], side_keys[4], v[5 * k + 4]);
                sb_free(&fa[k]);
                if (!sides[k] || json_object_set_new(pair, k ? "b" : "a", sides[k]))
                    goto oom;
            }
        } else if (csv) {
            sb_printf(o, "%lld,%lld,%.3f", a, b, score);
            for (int k = 0; k < 10; k++) {
                sb_puts(o, ",");
                if (k % 5 == 1) {
                    sb_init(&fa[0]);
                    first_author(v[k], &fa[0]);
                    app_csv_cell(o, fa[0].p ? fa[0].p : "");
                    sb_free(&fa[0]);
                } else {
                    app_csv_cell(o, v[k]);
                }
            }
            sb_puts(o, ",");
            app_csv_cell(o, detail);
            sb_puts(o, "\n");
        } else {
            sb_printf(o, "pair %lld: score %.3f (%s)\n", n, score, detail);
            text_side(o, a, v);
            text_side(o, b, v + 5);
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (json) {
        char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(3));
        if (!s)
            goto oom;
        sb_puts(o, s);
        sb_puts(o, "\n");
        app_free(s);
        json_decref(arr);
    } else if (!csv) {
        if (n)
            sb_printf(o, "%lld pair%s to review: decide each with 'metasyn review dedup --merge "
                         "A B' or '--distinct A B'\n",
                      n, n == 1 ? "" : "s");
        else
            sb_puts(o, "no pairs to review\n");
    }
    if (o->oom)
        return oom_err(e);
    return 0;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
fail:
    sqlite3_finalize(st);
    json_decref(arr);
    return -1;
}

/* ---- the run -------------------------------------------------------------------- */

static int dedup(rv_db *r, const opts *o, sbuf *out, long long *left, app_err *e)
{
    rd_opts ro = {o->auto_t, o->review_t};
    rd_result res;
    rv_canon cn;
    char detail[512];
    if (rd_run(r, &ro, &res, e))
        return -1;
    snprintf(detail, sizeof detail,
             "%lld records: %lld duplicate pairs by DOI, %lld by PMID, %lld by score >= %g; "
             "%lld pairs to review (score >= %g)",
             res.records, res.by_doi, res.by_pmid, res.by_auto, o->auto_t, res.to_review,
             o->review_t);
    if (rv_audit(r, "dedup", detail, e) || rv_canon_load(r, &cn, e))
        return -1;
    *left = res.to_review;
    if (strcmp(o->format, "json") == 0) {
        sb_printf(out,
                  "{\n  \"records\": %lld,\n  \"linked_by_doi\": %lld,\n  \"linked_by_pmid\": "
                  "%lld,\n  \"linked_by_score\": %lld,\n  \"pairs_compared\": %lld,\n  "
                  "\"pairs_to_review\": %lld,\n  \"auto_threshold\": ",
                  res.records, res.by_doi, res.by_pmid, res.by_auto, res.compared,
                  res.to_review);
        sb_num(out, o->auto_t);
        sb_puts(out, ",\n  \"review_threshold\": ");
        sb_num(out, o->review_t);
        sb_printf(out, ",\n  \"duplicates_removed\": %zu,\n  \"unique_records\": %zu\n}\n",
                  cn.n - cn.nclusters, cn.nclusters);
    } else {
        sb_printf(out, "%lld records; title pairs compared: %lld\n", res.records, res.compared);
        sb_printf(out, "  new duplicate links by DOI            %lld\n", res.by_doi);
        sb_printf(out, "  new duplicate links by PMID           %lld\n", res.by_pmid);
        sb_printf(out, "  new duplicate links by score >= %.2f  %lld\n", o->auto_t, res.by_auto);
        sb_printf(out, "  pairs to review (score %.2f to %.2f)  %lld\n", o->review_t, o->auto_t,
                  res.to_review);
        sb_printf(out, "duplicates removed: %zu; unique records: %zu\n", cn.n - cn.nclusters,
                  cn.nclusters);
        if (res.to_review)
            sb_puts(out, "next: metasyn review dedup --list\n");
    }
    rv_canon_free(&cn);
    if (out->oom)
        return oom_err(e);
    return 0;
}

int review_dedup(int argc, char **argv)
{
    static const struct option lo[] = {{"review", required_argument, NULL, 'r'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"list", no_argument, NULL, 'l'},
                                       {"merge", required_argument, NULL, 'm'},
                                       {"distinct", required_argument, NULL, 'd'},
                                       {"auto-threshold", required_argument, NULL, 'a'},
                                       {"review-threshold", required_argument, NULL, 'y'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    opts o = {NULL, "text", NULL, NULL, 0, RD_AUTO_DEFAULT, RD_REVIEW_DEFAULT};
    rv_db r;
    app_err e = {0};
    sbuf out;
    long long left = 0;
    int rc, rest, modes;
    if ((rc = cli_getopt(argc, argv, "review dedup", ":r:f:h", lo, usage, set, &o, &rest)) !=
        0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    modes = o.list + (o.merge != NULL) + (o.distinct != NULL);
    if (modes > 1)
        return cli_usage_error("review dedup", "--list, --merge and --distinct exclude each other"),
               APP_EXIT_USAGE;
    if (o.merge || o.distinct) {
        if (rest != argc - 1)
            return cli_usage_error("review dedup", o.merge ? "--merge takes two record ids: A B"
                                                           : "--distinct takes two record ids: A B"),
                   APP_EXIT_USAGE;
        return run_decide(&o, o.merge ? o.merge : o.distinct, argv[rest]);
    }
    if (rest != argc)
        return cli_usage_error("review dedup", "no operands are taken"), APP_EXIT_USAGE;
    if (!o.list && strcmp(o.format, "csv") == 0)
        return cli_usage_error("review dedup", "--format csv goes with --list"), APP_EXIT_USAGE;
    if (o.review_t > o.auto_t)
        return cli_usage_error("review dedup",
                               "--review-threshold must not be above --auto-threshold"),
               APP_EXIT_USAGE;
    if ((rc = review_open("dedup", o.review, &r)) != 0)
        return rc;
    sb_init(&out);
    if (o.list) {
        if (list_pairs(&r, o.format, &out, &e))
            goto fail;
    } else {
        if (rv_begin(&r, &e))
            goto fail;
        if (dedup(&r, &o, &out, &left, &e)) {
            rv_rollback(&r);
            goto fail;
        }
        if (rv_commit(&r, &e))
            goto fail;
    }
    if (out.p)
        fputs(out.p, stdout);
    sb_free(&out);
    rv_close(&r);
    return left > 0 ? 1 : 0;
fail:
    sb_free(&out);
    rv_close(&r);
    return review_fail("dedup", &e);
}
