/*
 * review_decide.c - `metasyn review conflicts`, `decisions`, `unblind` and
 * `reasons`: the screening decisions outside the interactive screener.
 * docs/cli/review-screen.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#include "cli.h"
#include "review_cli.h"
#include "review_screening.h"

typedef struct dopts {
    const char *cmd;
    const char *review, *reviewer, *format, *decision, *reason, *note;
    const char *export_file, *import_file, *add, *kw_inc, *kw_exc;
    long long resolve;
    int stage;
} dopts;

static int dset(void *ctx, int c, const char *arg)
{
    dopts *o = ctx;
    char *end;
    switch (c) {
    case 'r': o->review = arg; return 0;
    case 'w':
        if (!*arg)
            return cli_bad(o->cmd, "--reviewer", arg, "a name");
        o->reviewer = arg;
        return 0;
    case 's':
        if (strcmp(arg, "1") != 0 && strcmp(arg, "2") != 0)
            return cli_bad(o->cmd, "--stage", arg, "1 or 2");
        o->stage = arg[0] - '0';
        return 0;
    case 'f':
        if (strcmp(arg, "text") && strcmp(arg, "csv") && strcmp(arg, "json"))
            return cli_bad(o->cmd, "--format", arg, "text, csv or json");
        o->format = arg;
        return 0;
    case 'R':
        o->resolve = strtoll(arg, &end, 10);
        if (end == arg || *end || o->resolve < 1)
            return cli_bad(o->cmd, "--resolve", arg, "a record ID (a whole number)");
        return 0;
    case 'd':
        if (strcmp(arg, "include") && strcmp(arg, "exclude") && strcmp(arg, "not_retrieved"))
            return cli_bad(o->cmd, "--decision", arg, "include, exclude or not_retrieved");
        o->decision = arg;
        return 0;
    case 'y': o->reason = arg; return 0;
    case 'n': o->note = arg; return 0;
    case 'E': o->export_file = arg; return 0;
    case 'I': o->import_file = arg; return 0;
    case 'a':
        if (!*arg)
            return cli_bad(o->cmd, "--add", arg, "the text of a reason");
        o->add = arg;
        return 0;
    case 'K':
        if (!*arg)
            return cli_bad(o->cmd, "--keyword-include", arg, "a word");
        o->kw_inc = arg;
        return 0;
    case 'X':
        if (!*arg)
            return cli_bad(o->cmd, "--keyword-exclude", arg, "a word");
        o->kw_exc = arg;
        return 0;
    default: return -1;
    }
}

static int getopts(int argc, char **argv, dopts *o, const char *name, const char *usage,
                   const struct option *lo, const char *shortopts)
{
    int rc, rest;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "review %s", name);
    o->cmd = cmd;
    rc = cli_getopt(argc, argv, cmd, shortopts, lo, usage, dset, o, &rest);
    o->cmd = NULL;
    if (rc)
        return rc > 0 ? 1 : -1;
    if (rest != argc) {
        char full[64];
        snprintf(full, sizeof full, "review %s", name);
        cli_usage_error(full, "no operands are taken");
        return -1;
    }
    return 0;
}

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

/* Write s to a file or stdout ("-" or NULL) in one piece. */
static int emit(const char *path, sbuf *b, app_err *e)
{
    if (b->oom)
        return oom(e);
    if (!path || strcmp(path, "-") == 0) {
        fwrite(b->p ? b->p : "", 1, b->len, stdout);
        return 0;
    }
    return app_write_output(path, b->p ? b->p : "", b->len, e);
}

/* A CSV field, quoted when it needs to be, and when it holds a semicolon:
 * decision files go to spreadsheets that split on semicolons in many
 * locales. */
static void csv_field(sbuf *b, const char *s, int last)
{
    app_csv_cell_quote(b, s ? s : "", ",;");
    sb_puts(b, last ? "\n" : ",");
}

static const char *ctext(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

/* ---- conflicts ------------------------------------------------------------------ */

static const char conflicts_usage[] =
    "Usage: metasyn review conflicts [--stage N] [--format text|csv|json] [--review FILE]\n"
    "       metasyn review conflicts --stage N --resolve ID --decision D [--reason R]\n"
    "                                [--note TEXT] [--review FILE]\n"
    "\n"
    "The records on which reviewers' current decisions disagree (a 'maybe' always\n"
    "needs a resolution), whether each is resolved, and Cohen's kappa for every\n"
    "pair of reviewers per stage (on the records both decided; include against\n"
    "exclude, 'maybe' counted as include, 'not_retrieved' left out).  Only for a\n"
    "stage that is unblinded ('metasyn review unblind --stage N'); without\n"
    "--stage, every unblinded stage.\n"
    "\n"
    "With --resolve, record the team's decision on a conflicting record (a new\n"
    "resolution replaces an earlier one).\n"
    "\n"
    "  -s, --stage N        1 (title/abstract) or 2 (full text)\n"
    "      --resolve ID     the record to resolve (its ID as listed)\n"
    "      --decision D     include, exclude or not_retrieved (stage 2)\n"
    "      --reason R       the exclusion reason (one of the stage's reasons)\n"
    "      --note TEXT      a note kept with the resolution\n"
    "  -f, --format F       text (default), csv (the conflicts) or json\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit codes: 0 no open conflicts, or resolved; 1 open conflicts remain;\n"
    "2 usage, or the stage is still blind; 3 not a review file, no such conflict\n"
    "or an unknown reason; 4 cannot read or write; 6 out of memory.\n";

static const char conflict_sql[] =
    "SELECT s.record_id,"
    " group_concat(s.reviewer || ' ' || s.decision || coalesce(' (' || s.reason || ')', ''), '; '),"
    " (SELECT decision || coalesce(' (' || reason || ')', '') FROM current_resolutions r"
    "   WHERE r.record_id = s.record_id AND r.stage = ?1),"
    " coalesce((SELECT title FROM records WHERE id = s.record_id), '')"
    " FROM (SELECT * FROM current_screening WHERE stage = ?1 ORDER BY record_id, reviewer) s"
    " WHERE ?2 = 0 OR s.record_id = ?2"
    " GROUP BY s.record_id"
    " HAVING count(DISTINCT s.decision) > 1 OR sum(s.decision = 'maybe') > 0"
    " ORDER BY s.record_id";

static const char kappa_sql[] =
    "WITH a AS (SELECT record_id, decision IN ('include', 'maybe') AS y FROM current_screening"
    "  WHERE stage = ?1 AND reviewer = ?2 AND decision <> 'not_retrieved'),"
    " b AS (SELECT record_id, decision IN ('include', 'maybe') AS y FROM current_screening"
    "  WHERE stage = ?1 AND reviewer = ?3 AND decision <> 'not_retrieved')"
    " SELECT coalesce(sum(a.y AND b.y), 0), coalesce(sum(a.y AND NOT b.y), 0),"
    "  coalesce(sum(NOT a.y AND b.y), 0), coalesce(sum(NOT a.y AND NOT b.y), 0)"
    " FROM a JOIN b USING (record_id)";

static int kappa_stage(rv_db *r, int stage, int fmt, sbuf *out, json_t *arr, app_err *e)
{
    sqlite3_stmt *rs = NULL, *ks = NULL;
    char **who = NULL;
    size_t n = 0;
    int rc = SQLITE_DONE, ret = -1;
    long long nr = rv_count(r, "SELECT count(DISTINCT reviewer) FROM current_screening WHERE stage = ?",
                            stage, e);
    if (nr < 0)
        return -1;
    if (!(who = app_calloc((size_t)nr + 1, sizeof *who)))
        return oom(e);
    if (rv_prepare(r, "SELECT DISTINCT reviewer FROM current_screening WHERE stage = ? ORDER BY 1",
                   &rs, e))
        goto done;
    sqlite3_bind_int(rs, 1, stage);
    while (n < (size_t)nr && (rc = sqlite3_step(rs)) == SQLITE_ROW)
        if (!(who[n++] = app_strdup(ctext(rs, 0)))) {
            oom(e);
            goto done;
        }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rv_sqlerr(r, "reading the reviewers", e);
        goto done;
    }
    if (fmt == 't')
        sb_printf(out,
                  "Cohen's kappa, stage %d (include vs exclude, maybe counted as include, on the "
                  "records both decided):\n",
                  stage);
    if (fmt == 't' && n < 2)
        sb_puts(out, "  (fewer than two reviewers)\n");
    if (rv_prepare(r, kappa_sql, &ks, e))
        goto done;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            rvs_kappa k;
            sqlite3_reset(ks);
            sqlite3_bind_int(ks, 1, stage);
            sqlite3_bind_text(ks, 2, who[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(ks, 3, who[j], -1, SQLITE_STATIC);
            if (sqlite3_step(ks) != SQLITE_ROW) {
                rv_sqlerr(r, "computing kappa", e);
                goto done;
            }
            rvs_kappa_2x2(sqlite3_column_int64(ks, 0), sqlite3_column_int64(ks, 1),
                          sqlite3_column_int64(ks, 2), sqlite3_column_int64(ks, 3), &k);
            if (fmt == 't') {
                sb_printf(out, "  %s / %s: ", who[i], who[j]);
                if (k.n == 0)
                    sb_puts(out, "no records decided by both\n");
                else if (isnan(k.kappa))
                    sb_printf(out,
                              "kappa undefined (both gave one same answer throughout), "
                              "observed agreement %.3f, n = %lld\n",
                              k.po, k.n);
                else
                    sb_printf(out, "kappa %.3f, observed agreement %.3f, n = %lld\n", k.kappa,
                              k.po, k.n);
            } else if (arr) {
                json_t *o = json_pack("{s:i,s:s,s:s,s:I,s:o,s:o,s:o}", "stage", stage, "a", who[i],
                                      "b", who[j], "n", (json_int_t)k.n, "observed_agreement",
                                      isnan(k.po) ? json_null() : json_real(k.po),
                                      "expected_agreement",
                                      isnan(k.pe) ? json_null() : json_real(k.pe), "kappa",
                                      isnan(k.kappa) ? json_null() : json_real(k.kappa));
                if (!o || json_array_append_new(arr, o)) {
                    oom(e);
                    goto done;
                }
            }
        }
    ret = 0;
done:
    sqlite3_finalize(rs);
    sqlite3_finalize(ks);
    for (size_t i = 0; i < n; i++)
        app_free(who[i]);
    app_free(who);
    return ret;
}

/* List the conflicts of a stage; *open gets the unresolved count. */
static int list_stage(rv_db *r, int stage, int fmt, sbuf *out, json_t *arr, long long *open,
                      app_err *e)
{
    sqlite3_stmt *st;
    int rc;
    long long n = 0, nres = 0;
    sbuf body;
    if (rv_prepare(r, conflict_sql, &st, e))
        return -1;
    sqlite3_bind_int(st, 1, stage);
    sqlite3_bind_int64(st, 2, 0);
    sb_init(&body);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        int resolved = sqlite3_column_type(st, 2) != SQLITE_NULL;
        n++;
        nres += resolved;
        if (fmt == 't') {
            sb_printf(&body, "  record %lld: %s -> %s%s\n", id, ctext(st, 1),
                      resolved ? "resolved: " : "open", ctext(st, 2));
            if (*ctext(st, 3))
                sb_printf(&body, "    %s\n", ctext(st, 3));
        } else if (fmt == 'c') {
            char num[32];
            snprintf(num, sizeof num, "%d", stage);
            csv_field(&body, num, 0);
            snprintf(num, sizeof num, "%lld", id);
            csv_field(&body, num, 0);
            csv_field(&body, ctext(st, 1), 0);
            csv_field(&body, resolved ? ctext(st, 2) : "", 0);
            csv_field(&body, ctext(st, 3), 1);
        } else {
            json_t *o = json_pack("{s:i,s:I,s:s,s:o,s:s}", "stage", stage, "record_id",
                                  (json_int_t)id, "decisions", ctext(st, 1), "resolution",
                                  resolved ? json_string(ctext(st, 2)) : json_null(), "title",
                                  ctext(st, 3));
            if (!o || json_array_append_new(arr, o)) {
                sqlite3_finalize(st);
                sb_free(&body);
                return oom(e);
            }
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sb_free(&body);
        return rv_sqlerr(r, "listing the conflicts", e);
    }
    if (fmt == 't')
        sb_printf(out, "stage %d: %lld record%s with conflicting decisions, %lld resolved, %lld open\n",
                  stage, n, n == 1 ? "" : "s", nres, n - nres);
    if (body.p)
        sb_puts(out, body.p);
    if (body.oom)
        out->oom = 1;
    sb_free(&body);
    *open += n - nres;
    return 0;
}

static int resolve(rv_db *r, const dopts *o, app_err *e)
{
    sqlite3_stmt *st;
    int rc, ok;
    char now[32];
    sbuf d;
    if (!o->stage || !o->decision)
        return app_err_set(e, APP_EXIT_USAGE, "--resolve needs --stage N and --decision D"), -1;
    if (strcmp(o->decision, "not_retrieved") == 0 && o->stage != 2)
        return app_err_set(e, APP_EXIT_USAGE, "--decision not_retrieved is for stage 2"), -1;
    if (o->reason && strcmp(o->decision, "exclude") != 0)
        return app_err_set(e, APP_EXIT_USAGE, "--reason goes with --decision exclude"), -1;
    if (o->reason && (ok = rvs_reason_ok(r, o->stage, o->reason, e)) != 1) {
        char *l;
        if (ok < 0 || !(l = rvs_reason_list(r, o->stage, e)))
            return -1;
        app_err_set(e, APP_EXIT_DATA, "--reason '%s' is not an exclusion reason of stage %d: use one of %s",
                    o->reason, o->stage, l);
        app_free(l);
        return -1;
    }
    if (rv_prepare(r, conflict_sql, &st, e))
        return -1;
    sqlite3_bind_int(st, 1, o->stage);
    sqlite3_bind_int64(st, 2, o->resolve);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return app_err_set(e, APP_EXIT_DATA,
                           "record %lld has no conflict at stage %d (see 'metasyn review "
                           "conflicts --stage %d')",
                           o->resolve, o->stage, o->stage),
               -1;
    if (rc != SQLITE_ROW)
        return rv_sqlerr(r, "finding the conflict", e);
    sb_init(&d);
    sb_printf(&d, "stage %d, record %lld resolved: %s", o->stage, o->resolve, o->decision);
    if (o->reason)
        sb_printf(&d, " (%s)", o->reason);
    if (o->note)
        sb_printf(&d, "; note: %s", o->note);
    if (d.oom)
        return sb_free(&d), oom(e);
    if (rv_begin(r, e))
        return sb_free(&d), -1;
    if (rv_prepare(r,
                   "INSERT INTO resolutions(record_id, stage, decision, reason, note, replaces,"
                   " resolved_by, resolved_at) VALUES (?1, ?2, ?3, ?4, ?5,"
                   " (SELECT max(id) FROM resolutions WHERE record_id = ?1 AND stage = ?2), ?6, ?7)",
                   &st, e))
        goto fail;
    sqlite3_bind_int64(st, 1, o->resolve);
    sqlite3_bind_int(st, 2, o->stage);
    sqlite3_bind_text(st, 3, o->decision, -1, SQLITE_STATIC);
    if (o->reason)
        sqlite3_bind_text(st, 4, o->reason, -1, SQLITE_STATIC);
    if (o->note)
        sqlite3_bind_text(st, 5, o->note, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->who, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, rv_now(now), -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rv_sqlerr(r, "recording the resolution", e);
        goto fail;
    }
    if (rv_audit(r, "resolve", d.p, e) || rv_commit(r, e))
        goto fail;
    printf("%s\n", d.p);
    sb_free(&d);
    return 0;
fail:
    rv_rollback(r);
    sb_free(&d);
    return -1;
}

int review_conflicts(int argc, char **argv)
{
    static const struct option lo[] = {
        {"review", required_argument, NULL, 'r'},   {"stage", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},   {"resolve", required_argument, NULL, 'R'},
        {"decision", required_argument, NULL, 'd'}, {"reason", required_argument, NULL, 'y'},
        {"note", required_argument, NULL, 'n'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    dopts o = {0};
    rv_db r;
    app_err e = {0};
    sbuf out;
    json_t *root = NULL, *carr = NULL, *karr = NULL;
    long long open = 0;
    int rc, fmt, nstages = 0;
    o.format = "text";
    if ((rc = getopts(argc, argv, &o, "conflicts", conflicts_usage, lo, ":r:s:f:h")) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (!o.resolve && (o.decision || o.reason || o.note))
        return cli_usage_error("review conflicts", "--decision, --reason and --note go with --resolve ID"),
               APP_EXIT_USAGE;
    fmt = o.format[0] == 't' ? 't' : o.format[0] == 'c' ? 'c' : 'j';
    if ((rc = review_open("conflicts", o.review, &r)) != 0)
        return rc;
    sb_init(&out);
    for (int stage = 1; stage <= 2; stage++) {
        int u;
        if (o.stage && o.stage != stage)
            continue;
        if ((u = rvs_unblinded(&r, stage, &e)) < 0)
            goto fail;
        if (!u && o.stage) {
            app_err_set(&e, APP_EXIT_USAGE,
                        "stage %d is still blind: reviewers' decisions are compared only after "
                        "'metasyn review unblind --stage %d'",
                        stage, stage);
            goto fail;
        }
        if (!u)
            continue;
        nstages++;
        if (o.resolve) {
            if (resolve(&r, &o, &e))
                goto fail;
            sb_free(&out);
            rv_close(&r);
            return 0;
        }
        /* each array goes into root as soon as it exists (json_object_set_new
         * takes it also when it fails), so a failure leaks nothing */
        if (fmt == 'j' && !carr &&
            (!(root = json_object()) ||
             json_object_set_new(root, "conflicts", carr = json_array()) || !carr ||
             json_object_set_new(root, "kappa", karr = json_array()) || !karr)) {
            oom(&e);
            goto fail;
        }
        if (fmt == 'c' && out.len == 0)
            sb_puts(&out, "stage,record_id,decisions,resolution,title\n");
        if (fmt == 't' && out.len)
            sb_puts(&out, "\n");
        if (list_stage(&r, stage, fmt, &out, carr, &open, &e) ||
            (fmt != 'c' && kappa_stage(&r, stage, fmt, &out, karr, &e)))
            goto fail;
    }
    if (!nstages) {
        app_err_set(&e, APP_EXIT_USAGE,
                    "no stage is unblinded: reviewers' decisions are compared only after "
                    "'metasyn review unblind --stage N'");
        goto fail;
    }
    if (fmt == 'j') {
        /* jb_dump, not json_dumps: jansson's own buffer can fail silently */
        jb c = {0};
        json_t *t = root;
        root = NULL;
        if (json_object_set_new(t, "open", json_integer(open))) {
            json_decref(t);
            oom(&e);
            goto fail;
        }
        if (jb_dump(&c, t, &out)) { /* consumes t */
            oom(&e);
            goto fail;
        }
    }
    if (emit(NULL, &out, &e))
        goto fail;
    json_decref(root);
    sb_free(&out);
    rv_close(&r);
    return open > 0 ? APP_EXIT_FINDINGS : 0;
fail:
    json_decref(root);
    sb_free(&out);
    rv_close(&r);
    return review_fail("conflicts", &e);
}

/* ---- decisions ----------------------------------------------------------------- */

static const char decisions_usage[] =
    "Usage: metasyn review decisions --export FILE.csv [--stage N] [--reviewer NAME]\n"
    "       metasyn review decisions --import FILE.csv --reviewer NAME --stage N\n"
    "\n"
    "Screening decisions to and from CSV, for teams that screen elsewhere.\n"
    "\n"
    "--export writes the current decisions (FILE - for standard output), columns\n"
    "record_id, stage, reviewer, decision, reason, note, via, decided_at, title.\n"
    "Without --reviewer it writes every reviewer's decisions, only for stages\n"
    "that are unblinded.\n"
    "\n"
    "--import reads columns record_id and decision (required), reason and note\n"
    "(optional); columns stage and reviewer, when present, must match --stage\n"
    "and --reviewer; other columns are ignored (so an export reads back).\n"
    "decision is include, exclude, maybe or (stage 2) not_retrieved; reason is\n"
    "one of the stage's exclusion reasons, only with exclude, and required for\n"
    "exclude at stage 2.  A record of a duplicate cluster stands for its\n"
    "cluster; at stage 2 it must have been included at stage 1.  All or\n"
    "nothing: any error is reported as FILE:LINE:COL and nothing is saved.\n"
    "A row equal to the reviewer's current decision is left as it is.\n"
    "\n"
    "      --export FILE    write decisions\n"
    "      --import FILE    read decisions\n"
    "  -s, --stage N        1 or 2\n"
    "      --reviewer NAME  whose decisions\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit codes: 0 done; 2 usage, or a blind stage asked for without --reviewer;\n"
    "3 invalid CSV (nothing saved) or not a review file; 4 cannot read or write;\n"
    "6 out of memory.\n";

static int do_export(rv_db *r, const dopts *o, app_err *e)
{
    sqlite3_stmt *st;
    sbuf out;
    int rc, blind[3] = {0, 0, 0};
    for (int s = 1; s <= 2; s++) {
        int u = rvs_unblinded(r, s, e);
        if (u < 0)
            return -1;
        blind[s] = !u && !o->reviewer;
        if (blind[s] && o->stage == s)
            return app_err_set(e, APP_EXIT_USAGE,
                               "stage %d is still blind: export one reviewer's decisions "
                               "(--reviewer NAME), or unblind the stage first",
                               s),
                   -1;
    }
    if (rv_prepare(r,
                   "SELECT s.record_id, s.stage, s.reviewer, s.decision, coalesce(s.reason, ''),"
                   " coalesce(s.note, ''), s.via, s.decided_at, coalesce(c.title, '')"
                   " FROM current_screening s LEFT JOIN records c ON c.id = s.record_id"
                   " WHERE (?1 = 0 OR s.stage = ?1) AND (?2 IS NULL OR s.reviewer = ?2)"
                   " AND NOT (s.stage = 1 AND ?3) AND NOT (s.stage = 2 AND ?4)"
                   " ORDER BY s.stage, s.reviewer, s.record_id",
                   &st, e))
        return -1;
    sqlite3_bind_int(st, 1, o->stage);
    if (o->reviewer)
        sqlite3_bind_text(st, 2, o->reviewer, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, blind[1]);
    sqlite3_bind_int(st, 4, blind[2]);
    sb_init(&out);
    sb_puts(&out, "record_id,stage,reviewer,decision,reason,note,via,decided_at,title\n");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        for (int i = 0; i < 9; i++)
            csv_field(&out, ctext(st, i), i == 8);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sb_free(&out);
        return rv_sqlerr(r, "reading the decisions", e);
    }
    if ((blind[1] && o->stage != 2) || (blind[2] && o->stage != 1))
        fprintf(stderr,
                "metasyn review decisions: stage%s%s%s still blind: left out (give --reviewer "
                "NAME for one reviewer's decisions)\n",
                blind[1] && o->stage != 2 ? " 1" : "",
                blind[1] && blind[2] && !o->stage ? " and" : "",
                blind[2] && o->stage != 1 ? " 2" : "");
    rc = emit(o->export_file, &out, e);
    sb_free(&out);
    return rc;
}

typedef struct row {
    long long rec;
    const char *decision, *reason, *note;
    int skip;
} row;

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static int do_import(rv_db *r, const dopts *o, app_err *e)
{
    app_table t = {0};
    rv_canon cn = {0};
    row *rows = NULL;
    long long *incl = NULL;
    size_t nincl = 0, capincl = 0;
    app_strlist errs = {0};
    int crec, cdec, crea, cnote, cstage, crev, ret = -1;
    long long added = 0, same = 0;
    sbuf d;
    sb_init(&d);
    if (app_table_read(o->import_file, &t, e))
        return -1;
    crec = app_table_col(&t, "record_id");
    cdec = app_table_col(&t, "decision");
    crea = app_table_col(&t, "reason");
    cnote = app_table_col(&t, "note");
    cstage = app_table_col(&t, "stage");
    crev = app_table_col(&t, "reviewer");
    if (crec < 0 || cdec < 0) {
        app_err_set(e, APP_EXIT_DATA,
                    "%s:1:1: no column '%s': the columns are record_id and decision (needed), "
                    "reason and note",
                    t.file, crec < 0 ? "record_id" : "decision");
        goto done;
    }
    if (rv_canon_load(r, &cn, e))
        goto done;
    if (o->stage == 2) {
        sqlite3_stmt *st;
        int rc;
        if (rv_prepare(r, rvs_included_sql, &st, e))
            goto done;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (nincl == capincl) {
                size_t nc = capincl ? 2 * capincl : 64;
                long long *q = app_realloc(incl, nc * sizeof *q);
                if (!q) {
                    sqlite3_finalize(st);
                    oom(e);
                    goto done;
                }
                incl = q;
                capincl = nc;
            }
            incl[nincl++] = rv_canon_of(&cn, sqlite3_column_int64(st, 0));
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            rv_sqlerr(r, "finding the records included at stage 1", e);
            goto done;
        }
        if (nincl)
            qsort(incl, nincl, sizeof *incl, cmp_ll);
    }
    if (!(rows = app_calloc(t.nrow + 1, sizeof *rows))) {
        oom(e);
        goto done;
    }
    for (size_t i = 0; i < t.nrow && errs.n < 20; i++) {
        const char *id = app_table_cell(&t, i, (size_t)crec);
        const char *dec = app_table_cell(&t, i, (size_t)cdec);
        const char *rea = crea >= 0 ? app_table_cell(&t, i, (size_t)crea) : NULL;
        long ln = t.line[i];
        char *end;
        long long v;
        if (cstage >= 0) {
            const char *sv = app_table_cell(&t, i, (size_t)cstage);
            if (sv && *sv && (strlen(sv) != 1 || sv[0] - '0' != o->stage))
                app_strlist_addf(&errs, "%s:%ld:%d: stage '%s' but --stage %d was given", t.file,
                                 ln, cstage + 1, sv, o->stage);
        }
        if (crev >= 0) {
            const char *sv = app_table_cell(&t, i, (size_t)crev);
            if (sv && *sv && strcmp(sv, o->reviewer) != 0)
                app_strlist_addf(&errs, "%s:%ld:%d: reviewer '%s' but --reviewer %s was given",
                                 t.file, ln, crev + 1, sv, o->reviewer);
        }
        v = id ? strtoll(id, &end, 10) : 0;
        if (!id || !*id || *end || v < 1) {
            app_strlist_addf(&errs, "%s:%ld:%d: record_id '%s' is not a record ID (a whole number)",
                             t.file, ln, crec + 1, id ? id : "");
            continue;
        }
        if (!(rows[i].rec = rv_canon_of(&cn, v))) {
            app_strlist_addf(&errs, "%s:%ld:%d: no record %lld in the review", t.file, ln,
                             crec + 1, v);
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (rows[j].rec == rows[i].rec) {
                app_strlist_addf(&errs,
                                 "%s:%ld:%d: record %lld is decided already on line %ld%s", t.file,
                                 ln, crec + 1, v, t.line[j],
                                 rows[i].rec != v ? " (the same duplicate cluster)" : "");
                break;
            }
        if (o->stage == 2 && (nincl == 0 || !bsearch(&rows[i].rec, incl, nincl, sizeof *incl, cmp_ll)))
            app_strlist_addf(&errs,
                             "%s:%ld:%d: record %lld was not included at stage 1, so it is not "
                             "screened at stage 2",
                             t.file, ln, crec + 1, v);
        if (!dec || (strcmp(dec, "include") && strcmp(dec, "exclude") && strcmp(dec, "maybe") &&
                     (strcmp(dec, "not_retrieved") || o->stage != 2))) {
            app_strlist_addf(&errs, "%s:%ld:%d: decision '%s': expected include, exclude%s",
                             t.file, ln, cdec + 1, dec ? dec : "",
                             o->stage == 2 ? ", maybe or not_retrieved" : " or maybe");
            continue;
        }
        rows[i].decision = dec;
        rows[i].note = cnote >= 0 ? app_table_cell(&t, i, (size_t)cnote) : NULL;
        if (rea && *rea) {
            int ok;
            if (strcmp(dec, "exclude") != 0) {
                app_strlist_addf(&errs, "%s:%ld:%d: a reason goes with exclude, not with %s",
                                 t.file, ln, crea + 1, dec);
                continue;
            }
            if ((ok = rvs_reason_ok(r, o->stage, rea, e)) < 0)
                goto done;
            if (!ok) {
                char *l = rvs_reason_list(r, o->stage, e);
                if (!l)
                    goto done;
                app_strlist_addf(&errs, "%s:%ld:%d: reason '%s' is not an exclusion reason of "
                                        "stage %d: use one of %s",
                                 t.file, ln, crea + 1, rea, o->stage, l);
                app_free(l);
                continue;
            }
            rows[i].reason = rea;
        } else if (strcmp(dec, "exclude") == 0 && o->stage == 2) {
            app_strlist_addf(&errs, "%s:%ld:%d: exclude at stage 2 needs a reason (column reason)",
                             t.file, ln, crea >= 0 ? crea + 1 : (int)t.ncol + 1);
        }
    }
    if (errs.oom) {
        oom(e);
        goto done;
    }
    if (errs.n) {
        /* every problem on its own line (up to 20), then the verdict */
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "%s\n", errs.s[i]);
        app_err_set(e, APP_EXIT_DATA, "%s: %zu problem%s%s; nothing was saved", t.file, errs.n,
                    errs.n == 1 ? "" : "s", errs.n >= 20 ? " (stopped at 20)" : "");
        goto done;
    }
    if (rv_begin(r, e))
        goto done;
    for (size_t i = 0; i < t.nrow; i++) {
        sqlite3_stmt *st;
        int rc;
        const char *note = rows[i].note && *rows[i].note ? rows[i].note : NULL;
        if (rv_prepare(r,
                       "SELECT 1 FROM current_screening WHERE record_id = ? AND stage = ? AND "
                       "reviewer = ? AND decision = ? AND reason IS ? AND note IS ?",
                       &st, e))
            goto rollback;
        sqlite3_bind_int64(st, 1, rows[i].rec);
        sqlite3_bind_int(st, 2, o->stage);
        sqlite3_bind_text(st, 3, o->reviewer, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, rows[i].decision, -1, SQLITE_STATIC);
        if (rows[i].reason)
            sqlite3_bind_text(st, 5, rows[i].reason, -1, SQLITE_STATIC);
        if (note)
            sqlite3_bind_text(st, 6, note, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            rv_sqlerr(r, "reading the decisions", e);
            goto rollback;
        }
        if (rc == SQLITE_ROW) {
            same++;
            continue;
        }
        if (rvs_decide(r, rows[i].rec, o->stage, o->reviewer, rows[i].decision, rows[i].reason,
                       note, "csv", e))
            goto rollback;
        added++;
    }
    sb_printf(&d, "%s, stage %d: %lld decisions from %s (%lld unchanged)", o->reviewer, o->stage,
              added, o->import_file, same);
    if (d.oom) {
        oom(e);
        goto rollback;
    }
    if (rv_audit(r, "decisions-import", d.p, e) || rv_commit(r, e))
        goto rollback;
    printf("%s\n", d.p);
    ret = 0;
    goto done;
rollback:
    rv_rollback(r);
done:
    sb_free(&d);
    app_strlist_free(&errs);
    app_free(rows);
    app_free(incl);
    rv_canon_free(&cn);
    app_table_free(&t);
    return ret;
}

int review_decisions(int argc, char **argv)
{
    static const struct option lo[] = {
        {"review", required_argument, NULL, 'r'}, {"stage", required_argument, NULL, 's'},
        {"reviewer", required_argument, NULL, 'w'}, {"export", required_argument, NULL, 'E'},
        {"import", required_argument, NULL, 'I'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    dopts o = {0};
    rv_db r;
    app_err e = {0};
    int rc;
    if ((rc = getopts(argc, argv, &o, "decisions", decisions_usage, lo, ":r:s:h")) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (!o.export_file == !o.import_file)
        return cli_usage_error("review decisions", "give either --export FILE or --import FILE"),
               APP_EXIT_USAGE;
    if (o.import_file && (!o.reviewer || !o.stage))
        return cli_usage_error("review decisions",
                               "--import needs --reviewer NAME and --stage N (whose decisions, "
                               "at which stage)"),
               APP_EXIT_USAGE;
    if ((rc = review_open("decisions", o.review, &r)) != 0)
        return rc;
    rc = o.export_file ? do_export(&r, &o, &e) : do_import(&r, &o, &e);
    rv_close(&r);
    return rc ? review_fail("decisions", &e) : 0;
}

/* ---- unblind --------------------------------------------------------------------- */

static const char unblind_usage[] =
    "Usage: metasyn review unblind --stage N [--review FILE]\n"
    "\n"
    "Let reviewers see each other's decisions for a stage: in the screener,\n"
    "in 'metasyn review conflicts' and in 'metasyn review decisions --export'.\n"
    "Recorded with who and when; it cannot be undone.\n"
    "\n"
    "  -s, --stage N        1 (title/abstract) or 2 (full text)\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit codes: 0 unblinded (or already); 2 usage; 3 not a review file;\n"
    "4 cannot write; 6 out of memory.\n";

int review_unblind(int argc, char **argv)
{
    static const struct option lo[] = {{"review", required_argument, NULL, 'r'},
                                       {"stage", required_argument, NULL, 's'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    dopts o = {0};
    rv_db r;
    app_err e = {0};
    sqlite3_stmt *st;
    char now[32], det[64];
    int rc, u;
    if ((rc = getopts(argc, argv, &o, "unblind", unblind_usage, lo, ":r:s:h")) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (!o.stage)
        return cli_usage_error("review unblind", "--stage N is required (1 or 2)"), APP_EXIT_USAGE;
    if ((rc = review_open("unblind", o.review, &r)) != 0)
        return rc;
    if ((u = rvs_unblinded(&r, o.stage, &e)) < 0)
        goto fail;
    if (u) {
        printf("stage %d is unblinded already\n", o.stage);
        rv_close(&r);
        return 0;
    }
    if (rv_begin(&r, &e))
        goto fail;
    if (rv_prepare(&r, "INSERT INTO unblinding(stage, by, at) VALUES (?, ?, ?)", &st, &e))
        goto rollback;
    sqlite3_bind_int(st, 1, o.stage);
    sqlite3_bind_text(st, 2, r.who, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, rv_now(now), -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rv_sqlerr(&r, "unblinding", &e);
        goto rollback;
    }
    snprintf(det, sizeof det, "stage %d unblinded", o.stage);
    if (rv_audit(&r, "unblind", det, &e) || rv_commit(&r, &e))
        goto rollback;
    printf("%s\n", det);
    rv_close(&r);
    return 0;
rollback:
    rv_rollback(&r);
fail:
    rv_close(&r);
    return review_fail("unblind", &e);
}

/* ---- reasons and keywords ---------------------------------------------------------- */

static const char reasons_usage[] =
    "Usage: metasyn review reasons [--stage N] [--review FILE]\n"
    "       metasyn review reasons --add TEXT --stage N\n"
    "       metasyn review reasons --keyword-include WORD | --keyword-exclude WORD\n"
    "\n"
    "List the exclusion reasons of each stage (numbered as the screener offers\n"
    "them) and the highlighted keywords, or add a reason or a keyword.\n"
    "Keywords are highlighted in the screener where a word starts with them,\n"
    "ignoring case: include keywords in bold green, exclude keywords in bold\n"
    "red.  Reasons and keywords cannot be removed.\n"
    "\n"
    "  -s, --stage N              1 (title/abstract) or 2 (full text)\n"
    "      --add TEXT             add an exclusion reason to stage N\n"
    "      --keyword-include WORD add an include keyword\n"
    "      --keyword-exclude WORD add an exclude keyword\n"
    "      --review FILE          the review file (default: the one *.msr here)\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Exit codes: 0; 2 usage; 3 the reason or keyword exists already, or not a\n"
    "review file; 4 cannot write; 6 out of memory.\n";

static int add_row(rv_db *r, const char *sql, int stage, const char *text, const char *what,
                   app_err *e)
{
    sqlite3_stmt *st;
    int rc;
    char *det;
    if (rv_begin(r, e))
        return -1;
    if (rv_prepare(r, sql, &st, e))
        goto rollback;
    if (stage)
        sqlite3_bind_int(st, 1, stage);
    else
        sqlite3_bind_text(st, 1, what + 8, -1, SQLITE_STATIC); /* "keyword include" */
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        app_err_set(e, APP_EXIT_DATA, "%s '%s' is there already", what, text);
        goto rollback;
    }
    if (rc != SQLITE_DONE) {
        rv_sqlerr(r, "adding", e);
        goto rollback;
    }
    if (!(det = sqlite3_mprintf("%s%s%s added: %s", what, stage ? " of stage " : "",
                                stage ? (stage == 1 ? "1" : "2") : "", text))) {
        oom(e);
        goto rollback;
    }
    rc = rv_audit(r, stage ? "reason-add" : "keyword-add", det, e) || rv_commit(r, e);
    if (!rc)
        printf("%s\n", det);
    sqlite3_free(det);
    if (rc)
        goto rollback;
    return 0;
rollback:
    rv_rollback(r);
    return -1;
}

int review_reasons(int argc, char **argv)
{
    static const struct option lo[] = {{"review", required_argument, NULL, 'r'},
                                       {"stage", required_argument, NULL, 's'},
                                       {"add", required_argument, NULL, 'a'},
                                       {"keyword-include", required_argument, NULL, 'K'},
                                       {"keyword-exclude", required_argument, NULL, 'X'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    dopts o = {0};
    rv_db r;
    app_err e = {0};
    sqlite3_stmt *st = NULL;
    sbuf out;
    int rc, nchg;
    if ((rc = getopts(argc, argv, &o, "reasons", reasons_usage, lo, ":r:s:h")) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    nchg = !!o.add + !!o.kw_inc + !!o.kw_exc;
    if (nchg > 1)
        return cli_usage_error("review reasons",
                               "one change at a time: --add, --keyword-include or --keyword-exclude"),
               APP_EXIT_USAGE;
    if (o.add && !o.stage)
        return cli_usage_error("review reasons", "--add TEXT needs --stage N (1 or 2)"),
               APP_EXIT_USAGE;
    if ((rc = review_open("reasons", o.review, &r)) != 0)
        return rc;
    if (o.add) {
        rc = add_row(&r, "INSERT INTO exclusion_reasons(stage, reason) VALUES (?, ?)", o.stage,
                     o.add, "exclusion reason", &e);
    } else if (o.kw_inc || o.kw_exc) {
        rc = add_row(&r, "INSERT INTO keywords(kind, word) VALUES (?, ?)", 0,
                     o.kw_inc ? o.kw_inc : o.kw_exc,
                     o.kw_inc ? "keyword include" : "keyword exclude", &e);
    } else {
        int cur = 0, k = 0;
        sb_init(&out);
        if (rv_prepare(&r,
                       "SELECT stage, reason FROM exclusion_reasons WHERE ?1 = 0 OR stage = ?1"
                       " ORDER BY stage, id",
                       &st, &e)) {
            sb_free(&out);
            goto fail;
        }
        sqlite3_bind_int(st, 1, o.stage);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int s = sqlite3_column_int(st, 0);
            if (s != cur) {
                sb_printf(&out, "%sstage %d (%s) exclusion reasons:\n", cur ? "\n" : "", s,
                          s == 1 ? "title/abstract" : "full text");
                cur = s;
                k = 0;
            }
            sb_printf(&out, "  %2d  %s\n", ++k, ctext(st, 1));
        }
        sqlite3_finalize(st);
        st = NULL;
        if (rc != SQLITE_DONE) {
            sb_free(&out);
            rv_sqlerr(&r, "reading the exclusion reasons", &e);
            goto fail;
        }
        if (rv_prepare(&r, "SELECT kind, word FROM keywords ORDER BY kind DESC, id", &st, &e)) {
            sb_free(&out);
            goto fail;
        }
        sb_puts(&out, "\nkeywords:");
        k = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            sb_printf(&out, "\n  %-8s %s", ctext(st, 0), ctext(st, 1));
            k++;
        }
        sb_puts(&out, k ? "\n" : " (none)\n");
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            sb_free(&out);
            rv_sqlerr(&r, "reading the keywords", &e);
            goto fail;
        }
        rc = emit(NULL, &out, &e);
        sb_free(&out);
    }
    if (rc)
        goto fail;
    rv_close(&r);
    return 0;
fail:
    rv_close(&r);
    return review_fail("reasons", &e);
}
