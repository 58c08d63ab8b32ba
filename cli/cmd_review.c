/*
 * cmd_review.c - `metasyn review`: the review workbench.  Dispatches to the
 * subcommands (cli/review.h) and holds the small ones: init, status, log.
 * docs/cli/review.md; the file's layout: docs/review-file.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#include "cli.h"
#include "review_cli.h"

static const char usage[] =
    "Usage: metasyn review COMMAND [OPTIONS]\n"
    "\n"
    "A systematic review from database searches to included studies, kept in one\n"
    "SQLite file (*.msr).  Every change is a transaction and is logged with who and\n"
    "when; nothing is deleted, only superseded.\n"
    "\n"
    "Commands:\n"
    "  init FILE.msr    create a review file\n"
    "  import FILE      add search results (RIS, PubMed/MEDLINE, CSV) from a source\n"
    "  dedup            find and merge duplicate records; review the unsure pairs\n"
    "  screen           screen records one at a time (title/abstract, full text)\n"
    "  conflicts        disagreements between reviewers, their resolution, kappa\n"
    "  decisions        screening decisions to and from CSV\n"
    "  unblind          let reviewers see each other's decisions for a stage\n"
    "  reasons          the exclusion reasons offered when screening\n"
    "  prisma           the PRISMA 2020 flow diagram and its counts\n"
    "  studies          study IDs of the included records\n"
    "  export           included studies as RIS/CSV, data-extraction template\n"
    "  rob              risk-of-bias judgements of the studies (robvis CSV)\n"
    "  status           where the review stands\n"
    "  log              the audit trail\n"
    "\n"
    "Every command but init takes --review FILE; without it, the one *.msr file\n"
    "in the current directory is used.  The user recorded with each change is\n"
    "$METASYN_USER, else $USER.\n"
    "Run 'metasyn review COMMAND --help' for a command's options.\n"
    "\n"
    "Exit codes: 0 done; 1 findings (conflicts open, pairs to review); 2 usage;\n"
    "3 invalid input or not a review file; 4 cannot read or write; 6 out of memory.\n";

int review_fail(const char *cmd, const app_err *e)
{
    fprintf(stderr, "metasyn review %s: %s\n", cmd, e->msg);
    return e->code ? e->code : APP_EXIT_INTERNAL;
}

int review_open(const char *cmd, const char *given, rv_db *r)
{
    app_err e = {0};
    char *path = NULL;
    int rc;
    if (rv_find(given, &path, &e))
        return review_fail(cmd, &e);
    rc = rv_open(path, r, &e);
    app_free(path);
    return rc ? review_fail(cmd, &e) : 0;
}

/* ---- init ------------------------------------------------------------------- */

static const char init_usage[] =
    "Usage: metasyn review init FILE.msr [--title TEXT]\n"
    "\n"
    "Create a new review file (never overwrites one).  It starts with the\n"
    "default exclusion reasons of each stage ('metasyn review reasons' lists and\n"
    "adds them).\n"
    "\n"
    "      --title TEXT     the review's title (shown in reports)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit codes: 0 created; 2 usage; 4 FILE exists or cannot be written;\n"
    "6 out of memory.\n";

static int init_set(void *ctx, int c, const char *arg)
{
    const char **title = ctx;
    if (c == 't') {
        *title = arg;
        return 0;
    }
    return -1;
}

int review_init(int argc, char **argv)
{
    static const struct option lo[] = {{"title", required_argument, NULL, 't'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    const char *title = "";
    app_err e = {0};
    int rc, rest;
    if ((rc = cli_getopt(argc, argv, "review init", ":t:h", lo, init_usage, init_set, &title,
                         &rest)) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (rest != argc - 1)
        return cli_usage_error("review init", rest >= argc ? "no review file named"
                                                           : "more than one file named"),
               APP_EXIT_USAGE;
    if (strlen(argv[rest]) <= strlen(RV_SUFFIX) ||
        strcmp(argv[rest] + strlen(argv[rest]) - strlen(RV_SUFFIX), RV_SUFFIX) != 0)
        return cli_usage_error("review init", "the review file's name must end in " RV_SUFFIX),
               APP_EXIT_USAGE;
    if (rv_create(argv[rest], title, &e))
        return review_fail("init", &e);
    printf("created %s\n", argv[rest]);
    return 0;
}

/* ---- status ----------------------------------------------------------------- */

static const char status_usage[] =
    "Usage: metasyn review status [--review FILE] [--format text|json]\n"
    "\n"
    "Where the review stands: searches imported per source, records, duplicates,\n"
    "unsure pairs left, screening progress per stage and reviewer, open\n"
    "conflicts, included studies.\n"
    "\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "  -f, --format F       text (default) or json\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit codes: 0; 2 usage; 3 not a review file; 4 cannot read; 6 out of memory.\n";

typedef struct common_opts {
    const char *review, *format;
    long limit;
} common_opts;

static int common_set(void *ctx, int c, const char *arg)
{
    common_opts *o = ctx;
    char *end;
    switch (c) {
    case 'r':
        o->review = arg;
        return 0;
    case 'f':
        if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
            return cli_bad(o->limit ? "review log" : "review status", "--format", arg,
                           "text or json");
        o->format = arg;
        return 0;
    case 'n':
        o->limit = strtol(arg, &end, 10);
        if (end == arg || *end || o->limit < 1)
            return cli_bad("review log", "--last", arg, "a whole number of 1 or more");
        return 0;
    default:
        return -1;
    }
}

typedef struct status_row {
    const char *key, *label, *sql;
} status_row;

static const status_row status_rows[] = {
    {"imports", "searches imported", "SELECT count(*) FROM imports"},
    {"records", "records", "SELECT count(*) FROM records"},
    {"pairs_to_review", "unsure duplicate pairs to review",
     "SELECT count(*) FROM dedup_candidates c WHERE NOT EXISTS "
     "(SELECT 1 FROM dedup_links l WHERE l.a = c.a AND l.b = c.b)"},
    {"screening_decisions", "screening decisions (current)",
     "SELECT count(*) FROM current_screening"},
    {"resolutions", "conflicts resolved", "SELECT count(*) FROM current_resolutions"},
    {"studies", "included studies with an ID", "SELECT count(*) FROM studies"},
    {"audit", "changes logged", "SELECT count(*) FROM audit"},
};

int review_status(int argc, char **argv)
{
    static const struct option lo[] = {{"review", required_argument, NULL, 'r'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    common_opts o = {NULL, "text", 0};
    rv_db r;
    rv_canon cn;
    app_err e = {0};
    long long v[sizeof status_rows / sizeof *status_rows];
    int rc, rest, json = 0;
    json_t *root = NULL;
    if ((rc = cli_getopt(argc, argv, "review status", ":r:f:h", lo, status_usage, common_set, &o,
                         &rest)) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (rest != argc)
        return cli_usage_error("review status", "no operands are taken"), APP_EXIT_USAGE;
    json = strcmp(o.format, "json") == 0;
    if ((rc = review_open("status", o.review, &r)) != 0)
        return rc;
    for (size_t i = 0; i < sizeof status_rows / sizeof *status_rows; i++)
        if ((v[i] = rv_count(&r, status_rows[i].sql, -1, &e)) < 0)
            goto fail;
    if (rv_canon_load(&r, &cn, &e))
        goto fail;
    if (json) {
        jb c = {0};
        sbuf out;
        if (!(root = json_object())) {
            rv_canon_free(&cn);
            goto oom;
        }
        jb_put(&c, root, "file", jb_str(r.path));
        for (size_t i = 0; i < sizeof status_rows / sizeof *status_rows; i++)
            jb_put(&c, root, status_rows[i].key, json_integer(v[i]));
        jb_put(&c, root, "unique_records", json_integer((json_int_t)cn.nclusters));
        jb_put(&c, root, "duplicates_removed", json_integer((json_int_t)(cn.n - cn.nclusters)));
        sb_init(&out);
        rc = jb_dump(&c, root, &out); /* consumes root */
        root = NULL;
        if (rc == 0)
            fputs(out.p, stdout);
        sb_free(&out);
        if (rc != 0) {
            rv_canon_free(&cn);
            goto oom;
        }
    } else {
        printf("review file: %s\n", r.path);
        for (size_t i = 0; i < sizeof status_rows / sizeof *status_rows; i++) {
            printf("  %-36s %lld\n", status_rows[i].label, v[i]);
            if (i == 1) {
                printf("  %-36s %zu\n", "duplicates removed", cn.n - cn.nclusters);
                printf("  %-36s %zu\n", "unique records", cn.nclusters);
            }
        }
    }
    rv_canon_free(&cn);
    rv_close(&r);
    return 0;
oom:
    json_decref(root);
    app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
fail:
    rv_close(&r);
    return review_fail("status", &e);
}

/* ---- log ---------------------------------------------------------------------- */

static const char log_usage[] =
    "Usage: metasyn review log [--review FILE] [--last N] [--format text|json]\n"
    "\n"
    "The audit trail: every change to the review, oldest first, with when, who,\n"
    "what and details.\n"
    "\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "  -n, --last N         only the last N entries\n"
    "  -f, --format F       text (default) or json\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit codes: 0; 2 usage; 3 not a review file; 4 cannot read; 6 out of memory.\n";

int review_log(int argc, char **argv)
{
    static const struct option lo[] = {{"review", required_argument, NULL, 'r'},
                                       {"last", required_argument, NULL, 'n'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    common_opts o = {NULL, "text", 0};
    rv_db r;
    app_err e = {0};
    sqlite3_stmt *st = NULL;
    json_t *arr = NULL;
    jb c = {0};
    int rc, rest, json;
    if ((rc = cli_getopt(argc, argv, "review log", ":r:n:f:h", lo, log_usage, common_set, &o,
                         &rest)) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (rest != argc)
        return cli_usage_error("review log", "no operands are taken"), APP_EXIT_USAGE;
    json = strcmp(o.format, "json") == 0;
    if ((rc = review_open("log", o.review, &r)) != 0)
        return rc;
    if (rv_prepare(&r,
                   "SELECT id, at, who, action, coalesce(detail, '') FROM audit WHERE id > "
                   "(SELECT max(id) FROM audit) - ? ORDER BY id",
                   &st, &e))
        goto fail;
    sqlite3_bind_int64(st, 1, o.limit > 0 ? o.limit : (long long)1 << 62);
    if (json && !(arr = json_array()))
        goto oom;
    for (;;) {
        int s = sqlite3_step(st);
        const char *at, *who, *act, *det;
        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_ROW) {
            rv_sqlerr(&r, "reading the audit trail", &e);
            goto fail;
        }
        at = (const char *)sqlite3_column_text(st, 1);
        who = (const char *)sqlite3_column_text(st, 2);
        act = (const char *)sqlite3_column_text(st, 3);
        det = (const char *)sqlite3_column_text(st, 4);
        if (!at || !who || !act || !det)
            goto oom;
        if (json) {
            json_t *row = json_object();
            jb_put(&c, row, "id", json_integer((json_int_t)sqlite3_column_int64(st, 0)));
            jb_put(&c, row, "at", jb_str(at));
            jb_put(&c, row, "who", jb_str(who));
            jb_put(&c, row, "action", jb_str(act));
            jb_put(&c, row, "detail", jb_str(det));
            jb_append(&c, arr, row);
            if (c.oom)
                goto oom;
        } else {
            printf("%s  %-12s %-14s %s\n", at, who, act, det);
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (json) {
        sbuf out;
        sb_init(&out);
        rc = jb_dump(&c, arr, &out); /* consumes arr */
        arr = NULL;
        if (rc == 0)
            fputs(out.p, stdout);
        sb_free(&out);
        if (rc != 0)
            goto oom;
    }
    rv_close(&r);
    return 0;
oom:
    app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
fail:
    sqlite3_finalize(st);
    json_decref(arr);
    rv_close(&r);
    return review_fail("log", &e);
}

/* ---- dispatch ------------------------------------------------------------------ */

typedef struct sub {
    const char *name;
    int (*run)(int argc, char **argv);
} sub;

static const sub subs[] = {
    {"init", review_init},         {"import", review_import},
    {"dedup", review_dedup},       {"screen", review_screen},
    {"conflicts", review_conflicts}, {"decisions", review_decisions},
    {"unblind", review_unblind},   {"reasons", review_reasons},
    {"prisma", review_prisma},     {"studies", review_studies},
    {"export", review_export},     {"status", review_status},
    {"log", review_log},           {"rob", review_rob},
};

int cmd_review(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return APP_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc - 1, argv + 1);
    fprintf(stderr, "metasyn review: unknown command '%s'\nTry 'metasyn review --help'.\n",
            argv[1]);
    return APP_EXIT_USAGE;
}
