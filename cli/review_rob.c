/*
 * review_rob.c - `metasyn review rob`: risk-of-bias judgements of the
 * review's studies, kept in the review file (table rob, view current_rob;
 * docs/review-file.md) and read and written as CSV in robvis's layout
 * (docs/cli/rob.md).  A changed judgement is a new row that replaces the
 * old one, with who and when; nothing is deleted.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "review_cli.h"
#include "rob.h"

static const char usage[] =
    "Usage: metasyn review rob --tool T [--import FILE.csv | --export | --list |\n"
    "                          --set STUDY DOMAIN JUDGEMENT] [OPTIONS]\n"
    "\n"
    "Risk-of-bias judgements of the review's studies (their study IDs: metasyn\n"
    "review studies), per tool and domain, with the support for each.\n"
    "\n"
    "  -t, --tool T         rob2, rob1, robins-i, sign-rct, sign-cohort, generic\n"
    "  -i, --import FILE    judgements in robvis's CSV layout (metasyn rob): Study,\n"
    "                       one column per domain, Overall, optional Weight and\n"
    "                       '<domain> support' columns; all or nothing; a\n"
    "                       judgement that did not change is not stored again\n"
    "  -e, --export         the current judgements in that layout (to -o or stdout);\n"
    "                       'metasyn rob' draws them\n"
    "  -l, --list           the current judgements as a table (the default)\n"
    "      --set STUDY DOMAIN JUDGEMENT   one judgement (DOMAIN: D1.., 1.1..,\n"
    "                       the generic label, or Overall)\n"
    "      --support TEXT   with --set: the support for the judgement\n"
    "  -o, --out FILE       --export: write to FILE atomically\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit codes: 0; 2 usage; 3 invalid input (FILE:LINE:COL) or not a review\n"
    "file; 4 cannot read or write; 6 out of memory.\n";

enum { OPT_SET = 256, OPT_SUPPORT, OPT_REVIEW };

typedef struct ropts {
    const char *review, *tool_name, *import, *out, *support;
    int export_, list, set;
    app_rob_tool tool;
} ropts;

static int set_opt(void *ctx, int c, const char *arg)
{
    ropts *o = ctx;
    switch (c) {
    case 't':
        if (app_rob_tool_parse(arg, &o->tool) != 0)
            return cli_bad("review rob", "--tool", arg, "rob2, rob1, robins-i, sign-rct, sign-cohort or generic");
        o->tool_name = arg;
        return 0;
    case 'i':
        o->import = arg;
        return 0;
    case 'e':
        o->export_ = 1;
        return 0;
    case 'l':
        o->list = 1;
        return 0;
    case 'o':
        o->out = arg;
        return 0;
    case OPT_SET:
        o->set = 1;
        return 0;
    case OPT_SUPPORT:
        o->support = arg;
        return 0;
    default: /* OPT_REVIEW */
        o->review = arg;
        return 0;
    }
}

/* The review's study id of a label; 0 when it has none, -1 on error. */
static long long study_id(rv_db *r, const char *label, app_err *e)
{
    sqlite3_stmt *st;
    long long id = 0;
    int rc;
    if (rv_prepare(r, "SELECT id FROM studies WHERE study_id = ?", &st, e))
        return -1;
    sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        id = rv_sqlerr(r, "reading the studies", e);
    sqlite3_finalize(st);
    return id;
}

/* The two statements of put(), prepared once per change. */
typedef struct putst {
    sqlite3_stmt *sel, *ins;
} putst;

static int put_prepare(rv_db *r, putst *p, app_err *e)
{
    p->sel = p->ins = NULL;
    if (rv_prepare(r, "SELECT id, judgement, support FROM current_rob WHERE study = ? AND tool = ? AND domain = ?",
                   &p->sel, e) ||
        rv_prepare(r,
                   "INSERT INTO rob(study, tool, domain, position, domain_name, judgement, support, reviewer, at, "
                   "replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   &p->ins, e)) {
        sqlite3_finalize(p->sel);
        p->sel = NULL;
        return -1;
    }
    return 0;
}

static void put_finalize(putst *p)
{
    sqlite3_finalize(p->sel);
    sqlite3_finalize(p->ins);
    p->sel = p->ins = NULL;
}

/* Store one judgement unless the current one is the same; *added += 1. */
static int put(rv_db *r, putst *p, long long study, const char *tool, const char *domain, size_t pos,
               const char *name, const char *judgement, const char *support, size_t *added, app_err *e)
{
    sqlite3_stmt *st = p->sel;
    long long cur = 0;
    int same = 0, rc;
    char now[32];
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, study);
    sqlite3_bind_text(st, 2, tool, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, domain, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *j = (const char *)sqlite3_column_text(st, 1), *s = (const char *)sqlite3_column_text(st, 2);
        cur = sqlite3_column_int64(st, 0);
        same = j && strcmp(j, judgement) == 0 &&
               ((!s && (!support || !*support)) || (s && support && strcmp(s, support) == 0));
    } else if (rc != SQLITE_DONE) {
        return rv_sqlerr(r, "reading the judgements", e);
    }
    sqlite3_reset(st);
    if (same)
        return 0;
    st = p->ins;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, study);
    sqlite3_bind_text(st, 2, tool, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, domain, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)pos);
    sqlite3_bind_text(st, 5, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, judgement, -1, SQLITE_STATIC);
    if (support && *support)
        sqlite3_bind_text(st, 7, support, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 7);
    sqlite3_bind_text(st, 8, r->who, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, rv_now(now), -1, SQLITE_TRANSIENT);
    if (cur)
        sqlite3_bind_int64(st, 10, cur);
    else
        sqlite3_bind_null(st, 10);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(r, "storing a judgement", e);
    (*added)++;
    return 0;
}

static int import(rv_db *r, const ropts *o, app_err *e)
{
    app_table t;
    app_rob_table rt;
    putst ps = {NULL, NULL};
    size_t added = 0;
    char detail[512];
    int rc = -1;
    memset(&t, 0, sizeof t);
    memset(&rt, 0, sizeof rt);
    if (app_table_read(o->import, &t, e) != 0 || app_rob_read(&t, o->tool, &rt, e) != 0)
        goto done;
    if (rv_begin(r, e))
        goto done;
    if (put_prepare(r, &ps, e))
        goto rollback;
    for (size_t i = 0; i < rt.k; i++) {
        const app_rob_study *s = &rt.s[i];
        long long id = study_id(r, s->label, e);
        if (id < 0)
            goto rollback;
        if (id == 0) {
            app_err_set(e, APP_EXIT_DATA,
                        "%s:%ld:1: '%s' is not a study of the review (metasyn review studies --list shows "
                        "their IDs; --assign gives the included records IDs)",
                        t.file, s->line, s->label);
            goto rollback;
        }
        for (size_t d = 0; d <= rt.ndomain; d++) {
            app_rob_level lv = d < rt.ndomain ? s->d[d] : s->overall;
            const char *support = s->support ? s->support[d] : NULL;
            if (put(r, &ps, id, app_rob_tool_def(o->tool)->id, d < rt.ndomain ? rt.label[d] : "Overall", d,
                    d < rt.ndomain ? rt.name[d] : "Overall", app_rob_word(lv), support, &added, e))
                goto rollback;
        }
    }
    put_finalize(&ps);
    snprintf(detail, sizeof detail, "%s judgements of %zu studies from %s: %zu stored, the others unchanged",
             app_rob_tool_def(o->tool)->title, rt.k, t.file, added);
    if (rv_audit(r, "rob import", detail, e) || rv_commit(r, e))
        goto rollback;
    printf("%s\n", detail);
    rc = 0;
    goto done;
rollback:
    put_finalize(&ps);
    rv_rollback(r);
done:
    app_rob_free(&rt);
    app_table_free(&t);
    return rc;
}

/* The current judgements of the tool in robvis's layout. */
static int export_csv(rv_db *r, const ropts *o, sbuf *out, app_err *e)
{
    return review_rob_csv(r, o->tool, out, e);
}

int review_rob_csv(rv_db *r, app_rob_tool tool_id, sbuf *out, app_err *e)
{
    sqlite3_stmt *st;
    const char *tool = app_rob_tool_def(tool_id)->id;
    long long last = -1;
    int rc, any_support = 0, first = 1;
    size_t ncol = 0;
    /* the header: the domains of the tool in this file, by position */
    if (rv_prepare(r, "SELECT DISTINCT position, domain FROM current_rob WHERE tool = ? ORDER BY position", &st, e))
        return -1;
    sqlite3_bind_text(st, 1, tool, -1, SQLITE_STATIC);
    sb_puts(out, "Study");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sb_puts(out, ",");
        app_csv_cell(out, (const char *)sqlite3_column_text(st, 1));
        ncol++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(r, "reading the judgements", e);
    if (ncol == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s has no %s judgements (metasyn review rob --import adds them)", r->path,
                    app_rob_tool_def(tool_id)->title);
        return -1;
    }
    if (rv_count(r, "SELECT count(*) FROM current_rob WHERE support IS NOT NULL", -1, e) > 0) {
        any_support = 1;
        if (rv_prepare(r, "SELECT DISTINCT position, domain FROM current_rob WHERE tool = ? ORDER BY position", &st,
                       e))
            return -1;
        sqlite3_bind_text(st, 1, tool, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            sb_puts(out, ",");
            sb_printf(out, "%s support", (const char *)sqlite3_column_text(st, 1));
        }
        sqlite3_finalize(st);
    }
    sb_puts(out, "\n");
    if (rv_prepare(r,
                   "SELECT s.id, s.study_id, c.judgement, c.support FROM studies s JOIN current_rob c "
                   "ON c.study = s.id WHERE c.tool = ? ORDER BY s.study_id, c.position",
                   &st, e))
        return -1;
    sqlite3_bind_text(st, 1, tool, -1, SQLITE_STATIC);
    {
        sbuf sup;
        sb_init(&sup);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            long long id = sqlite3_column_int64(st, 0);
            const char *j = (const char *)sqlite3_column_text(st, 2);
            const char *s = (const char *)sqlite3_column_text(st, 3);
            app_rob_level lv = APP_ROB_UNSET;
            if (id != last) {
                if (!first) {
                    if (any_support)
                        sb_printf(out, "%s", sup.p ? sup.p : "");
                    sb_puts(out, "\n");
                }
                sup.len = 0;
                if (sup.p)
                    sup.p[0] = '\0';
                first = 0;
                last = id;
                app_csv_cell(out, (const char *)sqlite3_column_text(st, 1));
            }
            app_rob_parse(j, APP_ROB_SCALE_COCHRANE, &lv);
            sb_puts(out, ",");
            app_csv_cell(out, lv == APP_ROB_UNSET ? "" : app_rob_tool_word(tool_id, lv, 0));
            sb_puts(&sup, ",");
            app_csv_cell(&sup, s ? s : "");
        }
        if (!first) {
            if (any_support)
                sb_printf(out, "%s", sup.p ? sup.p : "");
            sb_puts(out, "\n");
        }
        out->oom |= sup.oom;
        sb_free(&sup);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(r, "reading the judgements", e);
    if (out->oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    return 0;
}

static int set_one(rv_db *r, const ropts *o, const char *study, const char *domain, const char *word, app_err *e)
{
    const app_rob_tooldef *def = app_rob_tool_def(o->tool);
    int overall = strcmp(domain, "Overall") == 0 || strcmp(domain, "overall") == 0;
    size_t pos = 0, added = 0;
    const char *name = "Overall";
    app_rob_level lv;
    long long id;
    putst ps;
    int bad;
    char accepted[256], detail[600];
    if (!overall) {
        if (def->ndomain == 0) {
            app_err_set(e, APP_EXIT_USAGE, "--set: with --tool generic, the domains are those of the imported file; "
                                           "import it first, or name Overall");
            return -1;
        }
        for (pos = 0; pos < def->ndomain && strcmp(def->label[pos], domain) != 0; pos++)
            ;
        if (pos == def->ndomain) {
            app_err_set(e, APP_EXIT_USAGE, "--set: %s has no domain %s (%s ... %s, or Overall)", def->title, domain,
                        def->label[0], def->label[def->ndomain - 1]);
            return -1;
        }
        name = def->name[pos];
    } else {
        pos = def->ndomain;
    }
    if (app_rob_tool_parse_cell(o->tool, overall, word, &lv) != 0) {
        app_rob_tool_accepted(o->tool, overall, accepted, sizeof accepted);
        app_err_set(e, APP_EXIT_DATA, "--set: '%s' is not a %s judgement here; expected %s", word, def->title, accepted);
        return -1;
    }
    if (rv_begin(r, e))
        return -1;
    if ((id = study_id(r, study, e)) < 0)
        goto rollback;
    if (id == 0) {
        app_err_set(e, APP_EXIT_DATA, "--set: '%s' is not a study of the review (metasyn review studies --list)", study);
        goto rollback;
    }
    if (put_prepare(r, &ps, e))
        goto rollback;
    bad = put(r, &ps, id, def->id, overall ? "Overall" : domain, pos, name, app_rob_word(lv), o->support, &added, e);
    put_finalize(&ps);
    if (bad)
        goto rollback;
    snprintf(detail, sizeof detail, "%s %s %s: %s%s", def->title, study, overall ? "Overall" : domain,
             app_rob_word(lv), added ? "" : " (unchanged)");
    if (rv_audit(r, "rob set", detail, e) || rv_commit(r, e))
        goto rollback;
    printf("%s\n", detail);
    return 0;
rollback:
    rv_rollback(r);
    return -1;
}

static int list(rv_db *r, const ropts *o, app_err *e)
{
    sbuf csv;
    app_table t;
    app_rob_table rt;
    int rc = -1;
    sb_init(&csv);
    memset(&t, 0, sizeof t);
    memset(&rt, 0, sizeof rt);
    if (export_csv(r, o, &csv, e) == 0 && app_table_parse(r->path, csv.p, csv.len, &t, e) == 0 &&
        app_rob_read(&t, o->tool, &rt, e) == 0) {
        printf("%s, %zu %s in %s\n", app_rob_tool_def(o->tool)->title, rt.k, rt.k == 1 ? "study" : "studies",
               r->path);
        printf("%-28s", "Study");
        for (size_t d = 0; d < rt.ndomain; d++)
            printf(" %-14s", rt.label[d]);
        printf(" %s\n", "Overall");
        for (size_t i = 0; i < rt.k; i++) {
            printf("%-28s", rt.s[i].label);
            for (size_t d = 0; d < rt.ndomain; d++)
                printf(" %-14s", app_rob_word(rt.s[i].d[d]));
            printf(" %s\n", app_rob_word(rt.s[i].overall));
        }
        rc = 0;
    }
    app_rob_free(&rt);
    app_table_free(&t);
    sb_free(&csv);
    return rc;
}

int review_rob(int argc, char **argv)
{
    static const struct option lo[] = {{"tool", required_argument, NULL, 't'},
                                       {"import", required_argument, NULL, 'i'},
                                       {"export", no_argument, NULL, 'e'},
                                       {"list", no_argument, NULL, 'l'},
                                       {"set", no_argument, NULL, OPT_SET},
                                       {"support", required_argument, NULL, OPT_SUPPORT},
                                       {"out", required_argument, NULL, 'o'},
                                       {"review", required_argument, NULL, OPT_REVIEW},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    ropts o;
    rv_db r;
    app_err e = {0, ""};
    int rc, rest, modes;
    memset(&o, 0, sizeof o);
    if ((rc = cli_getopt(argc, argv, "review rob", ":t:i:elo:h", lo, usage, set_opt, &o, &rest)) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    modes = (o.import != NULL) + o.export_ + o.list + o.set;
    if (!o.tool_name)
        return cli_usage_error("review rob", "--tool T is needed: rob2, rob1, robins-i, sign-rct, sign-cohort or generic"),
               APP_EXIT_USAGE;
    if (modes > 1)
        return cli_usage_error("review rob", "--import, --export, --list and --set are separate: give one"),
               APP_EXIT_USAGE;
    if (o.set ? rest != argc - 3 : rest != argc)
        return cli_usage_error("review rob", o.set ? "--set takes STUDY DOMAIN JUDGEMENT" : "no operands are taken"),
               APP_EXIT_USAGE;
    if (o.support && !o.set)
        return cli_usage_error("review rob", "--support goes with --set"), APP_EXIT_USAGE;
    if (o.out && !o.export_)
        return cli_usage_error("review rob", "--out goes with --export"), APP_EXIT_USAGE;
    if ((rc = review_open("rob", o.review, &r)) != 0)
        return rc;
    if (o.import)
        rc = import(&r, &o, &e);
    else if (o.set)
        rc = set_one(&r, &o, argv[rest], argv[rest + 1], argv[rest + 2], &e);
    else if (o.export_) {
        sbuf out;
        sb_init(&out);
        rc = export_csv(&r, &o, &out, &e);
        if (rc == 0)
            rc = app_write_output(o.out, out.p ? out.p : "", out.len, &e);
        sb_free(&out);
    } else
        rc = list(&r, &o, &e);
    rv_close(&r);
    return rc ? review_fail("rob", &e) : 0;
}
