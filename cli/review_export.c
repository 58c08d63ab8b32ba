/*
 * review_export.c - `metasyn review studies` (study IDs for the included
 * records) and `metasyn review export` (the included studies as RIS or
 * CSV, and a data-extraction template that `metasyn pool` reads).
 * docs/cli/review-export.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "review_cli.h"
#include "review_prisma.h"

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

/* Column i as text ("" for NULL); col_oom is set when SQLite ran out of
 * memory converting it (checked after each loop over rows). */
static int col_oom;
static const char *col(sqlite3_stmt *st, int i)
{
    const char *s = rv_text(st, i, &col_oom);
    return s ? s : "";
}

/* ---- which clusters are included and which have a study ------------------- */

typedef struct incl {
    rv_canon cn;
    char *d2;      /* final stage 2 decision per cluster index       */
    char **why;
    char *has;     /* the cluster has a record in study_reports      */
} incl;

static void incl_free(incl *in)
{
    for (size_t j = 0; in->why && j < in->cn.n; j++)
        app_free(in->why[j]);
    app_free(in->why);
    app_free(in->d2);
    app_free(in->has);
    rv_canon_free(&in->cn);
}

static long cidx(const rv_canon *c, long long id)
{
    long long k = rv_canon_of(c, id);
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (c->ids[m] < k)
            lo = m + 1;
        else if (c->ids[m] > k)
            hi = m;
        else
            return (long)m;
    }
    return -1;
}

static int incl_load(rv_db *r, incl *in, app_err *e)
{
    sqlite3_stmt *st;
    int s, rc = 0;
    memset(in, 0, sizeof *in);
    if (rv_canon_load(r, &in->cn, e))
        return -1;
    in->d2 = app_calloc(in->cn.n + 1, 1);
    in->has = app_calloc(in->cn.n + 1, 1);
    in->why = app_calloc(in->cn.n + 1, sizeof *in->why);
    if (!in->d2 || !in->has || !in->why)
        return oom(e);
    if (rv_final_decisions(r, &in->cn, 2, in->d2, in->why, e))
        return -1;
    if (rv_prepare(r, "SELECT record_id FROM study_reports", &st, e))
        return -1;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        long j = cidx(&in->cn, sqlite3_column_int64(st, 0));
        if (j >= 0)
            in->has[j] = 1;
    }
    if (s != SQLITE_DONE)
        rc = rv_sqlerr(r, "reading the studies", e);
    sqlite3_finalize(st);
    return rc;
}

/* ---- studies ------------------------------------------------------------------- */

static const char studies_usage[] =
    "Usage: metasyn review studies [--review FILE] [--assign] [--list]\n"
    "                              [--link RECORD STUDY_ID]\n"
    "\n"
    "Study IDs for the included records (final decision include at full text).\n"
    "\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "      --assign         give every included record that is in no study yet\n"
    "                       a new study \"FirstAuthorSurname Year\"; IDs that\n"
    "                       clash get a, b, ... (\"Smith 2019a\", \"Smith 2019b\");\n"
    "                       existing IDs are never changed\n"
    "      --link RECORD STUDY_ID\n"
    "                       add included record RECORD as another report of the\n"
    "                       existing study STUDY_ID\n"
    "      --list           list the studies: study_id, records, title (the\n"
    "                       default when nothing else is asked)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Changes are one transaction each and are logged (metasyn review log).\n"
    "\n"
    "Exit codes: 0; 2 usage; 3 not a review file, unknown study, record not\n"
    "included or already in a study; 4 cannot read or write; 6 out of memory.\n";

typedef struct sopts {
    const char *review, *link;
    int assign, list;
} sopts;

static int sset(void *ctx, int c, const char *arg)
{
    sopts *o = ctx;
    switch (c) {
    case 'r':
        o->review = arg;
        return 0;
    case 'a':
        o->assign = 1;
        return 0;
    case 'l':
        o->list = 1;
        return 0;
    case 'k': {
        char *end;
        long long v = strtoll(arg, &end, 10);
        if (end == arg || *end || v < 1)
            return cli_bad("review studies", "--link", arg, "a record number");
        o->link = arg;
        return 0;
    }
    default:
        return -1;
    }
}

/* "Smith, John; Doe, A" 2019 -> "Smith 2019" (into b). */
static void base_id(const char *authors, int year, long long rec, sbuf *b)
{
    size_t n;
    while (*authors == ' ')
        authors++;
    n = strcspn(authors, ",;");
    while (n > 0 && authors[n - 1] == ' ')
        n--;
    if (n == 0)
        sb_printf(b, "Record %lld", rec);
    else
        sb_add(b, authors, n);
    if (year > 0)
        sb_printf(b, " %d", year);
    else
        sb_puts(b, " n.d.");
}

/* letters for the k-th clash (0 -> a, 25 -> z, 26 -> aa) */
static void suffix(size_t k, char *buf)
{
    char t[16];
    int n = 0;
    do {
        t[n++] = (char)('a' + k % 26);
        k = k / 26;
    } while (k-- > 0 && n < 15);
    for (int i = 0; i < n; i++)
        buf[i] = t[n - 1 - i];
    buf[n] = '\0';
}

typedef struct newid {
    long long rec;
    char *base, *id;
} newid;

static int id_taken(rv_db *r, const char *id, const newid *v, size_t n, app_err *e)
{
    sqlite3_stmt *st;
    int s;
    for (size_t i = 0; i < n; i++)
        if (v[i].id && strcmp(v[i].id, id) == 0)
            return 1;
    if (rv_prepare(r, "SELECT 1 FROM studies WHERE study_id = ?", &st, e))
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return rv_sqlerr(r, "reading the studies", e);
    return s == SQLITE_ROW;
}

static int add_study(rv_db *r, const char *id, long long rec, app_err *e)
{
    sqlite3_stmt *st;
    char now[32];
    int s;
    if (rv_prepare(r, "INSERT INTO studies(study_id, created_by, created_at) VALUES (?, ?, ?)", &st, e))
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->who, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, rv_now(now), -1, SQLITE_STATIC);
    s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return rv_sqlerr(r, "adding a study", e);
    if (rv_prepare(r, "INSERT INTO study_reports(study, record_id) VALUES (last_insert_rowid(), ?)", &st,
                   e))
        return -1;
    sqlite3_bind_int64(st, 1, rec);
    s = sqlite3_step(st);
    sqlite3_finalize(st);
    return s == SQLITE_DONE ? 0 : rv_sqlerr(r, "adding a study's report", e);
}

static int assign(rv_db *r, app_err *e)
{
    incl in;
    newid *v = NULL;
    size_t n = 0;
    sbuf audit;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    sb_init(&audit);
    if (incl_load(r, &in, e))
        goto done;
    if (!(v = app_calloc(in.cn.n + 1, sizeof *v))) {
        oom(e);
        goto done;
    }
    if (rv_prepare(r, "SELECT coalesce(authors, ''), coalesce(year, 0) FROM records WHERE id = ?", &st, e))
        goto done;
    for (size_t j = 0; j < in.cn.n; j++) {
        sbuf b;
        if (in.cn.canon[j] != in.cn.ids[j] || in.d2[j] != 'i' || in.has[j])
            continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, in.cn.ids[j]);
        if (sqlite3_step(st) != SQLITE_ROW) {
            rv_sqlerr(r, "reading a record", e);
            goto done;
        }
        sb_init(&b);
        col_oom = 0;
        base_id(col(st, 0), sqlite3_column_int(st, 1), in.cn.ids[j], &b);
        if (b.oom || col_oom) {
            sb_free(&b);
            oom(e);
            goto done;
        }
        v[n].rec = in.cn.ids[j];
        v[n++].base = b.p;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (n == 0) {
        printf("every included record has a study ID\n");
        rc = 0;
        goto done;
    }
    /* IDs: the base when it is unique, else base + a, b, ... in record order */
    for (size_t i = 0; i < n; i++) {
        size_t same = 0, k = 0;
        int t;
        for (size_t j = 0; j < n; j++)
            same += strcmp(v[j].base, v[i].base) == 0;
        if ((t = id_taken(r, v[i].base, v, n, e)) < 0)
            goto done;
        if (same == 1 && !t) {
            sbuf x;
            char suf[16];
            suffix(0, suf);
            sb_init(&x);
            sb_printf(&x, "%s%s", v[i].base, suf);
            if (x.oom) {
                oom(e);
                goto done;
            }
            t = id_taken(r, x.p, v, n, e);
            sb_free(&x);
            if (t < 0)
                goto done;
            if (!t) {
                if (!(v[i].id = app_strdup(v[i].base))) {
                    oom(e);
                    goto done;
                }
                continue;
            }
        }
        for (;; k++) {
            sbuf x;
            char suf[16];
            suffix(k, suf);
            sb_init(&x);
            sb_printf(&x, "%s%s", v[i].base, suf);
            if (x.oom) {
                oom(e);
                goto done;
            }
            if ((t = id_taken(r, x.p, v, n, e)) < 0) {
                sb_free(&x);
                goto done;
            }
            if (!t) {
                v[i].id = x.p;
                break;
            }
            sb_free(&x);
        }
    }
    if (rv_begin(r, e))
        goto done;
    sb_printf(&audit, "%zu new stud%s:", n, n == 1 ? "y" : "ies");
    for (size_t i = 0; i < n; i++) {
        if (add_study(r, v[i].id, v[i].rec, e)) {
            rv_rollback(r);
            goto done;
        }
        sb_printf(&audit, "%s %s (record %lld)", i ? "," : "", v[i].id, v[i].rec);
    }
    if (audit.oom) {
        rv_rollback(r);
        oom(e);
        goto done;
    }
    if (rv_audit(r, "studies-assign", audit.p, e)) {
        rv_rollback(r);
        goto done;
    }
    if (rv_commit(r, e))
        goto done;
    for (size_t i = 0; i < n; i++)
        printf("%s\trecord %lld\n", v[i].id, v[i].rec);
    rc = 0;
done:
    sqlite3_finalize(st);
    for (size_t i = 0; v && i < n; i++) {
        app_free(v[i].base);
        app_free(v[i].id);
    }
    app_free(v);
    sb_free(&audit);
    incl_free(&in);
    return rc;
}

static int link_report(rv_db *r, const char *recs, const char *study, app_err *e)
{
    incl in;
    char *end;
    long long rec = strtoll(recs, &end, 10), sid;
    long j;
    sqlite3_stmt *st;
    int s, rc = -1;
    sbuf audit;
    sb_init(&audit);
    memset(&in, 0, sizeof in);
    if (end == recs || *end || rec < 1) {
        app_err_set(e, APP_EXIT_USAGE, "--link %s: expected a record number", recs);
        return -1;
    }
    if (rv_prepare(r, "SELECT id FROM studies WHERE study_id = ?", &st, e))
        return -1;
    sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
    s = sqlite3_step(st);
    sid = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return rv_sqlerr(r, "reading the studies", e);
    if (!sid) {
        app_err_set(e, APP_EXIT_DATA, "no study \"%s\" (metasyn review studies --list shows them)", study);
        return -1;
    }
    if (incl_load(r, &in, e))
        goto done;
    if ((j = cidx(&in.cn, rec)) < 0) {
        app_err_set(e, APP_EXIT_DATA, "no record %lld in %s", rec, r->path);
        goto done;
    }
    if (in.d2[j] != 'i') {
        app_err_set(e, APP_EXIT_DATA, "record %lld is not included at full text (%s); only included reports belong to studies",
                    rec, in.d2[j] == 'e' ? "its final stage 2 decision is exclude"
                         : in.d2[j] == 'n' ? "its full text was not retrieved"
                                           : "it has no final stage 2 decision yet");
        goto done;
    }
    if (in.has[j]) {
        app_err_set(e, APP_EXIT_DATA, "record %lld%s is already a report of a study (metasyn review studies --list)",
                    rec, in.cn.canon[j] != rec ? " or a duplicate of it" : "");
        goto done;
    }
    if (rv_begin(r, e))
        goto done;
    sb_printf(&audit, "record %lld added to study %s", rec, study);
    if (audit.oom) {
        rv_rollback(r);
        oom(e);
        goto done;
    }
    if (rv_prepare(r, "INSERT INTO study_reports(study, record_id) VALUES (?, ?)", &st, e)) {
        rv_rollback(r);
        goto done;
    }
    sqlite3_bind_int64(st, 1, sid);
    sqlite3_bind_int64(st, 2, rec);
    s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) {
        rv_sqlerr(r, "adding the report", e);
        rv_rollback(r);
        goto done;
    }
    if (rv_audit(r, "studies-link", audit.p, e)) {
        rv_rollback(r);
        goto done;
    }
    if (rv_commit(r, e))
        goto done;
    printf("%s\n", audit.p);
    rc = 0;
done:
    sb_free(&audit);
    incl_free(&in);
    return rc;
}

static int list(rv_db *r, app_err *e)
{
    sqlite3_stmt *st;
    int s;
    sbuf o;
    sb_init(&o);
    if (rv_prepare(r,
                   "SELECT s.study_id, (SELECT group_concat(record_id, ' ') FROM "
                   "(SELECT record_id FROM study_reports WHERE study = s.id ORDER BY record_id)), "
                   "(SELECT coalesce(title, '') FROM records WHERE id = "
                   "(SELECT min(record_id) FROM study_reports WHERE study = s.id)) "
                   "FROM studies s ORDER BY s.study_id",
                   &st, e))
        return -1;
    sb_puts(&o, "study_id\trecords\ttitle\n");
    col_oom = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        sb_printf(&o, "%s\t%s\t%s\n", col(st, 0), col(st, 1), col(st, 2));
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) {
        sb_free(&o);
        return rv_sqlerr(r, "reading the studies", e);
    }
    if (o.oom || col_oom) {
        sb_free(&o);
        return oom(e);
    }
    fwrite(o.p, 1, o.len, stdout);
    sb_free(&o);
    return 0;
}

int review_studies(int argc, char **argv)
{
    static const struct option lo[] = {{"review", required_argument, NULL, 'r'},
                                       {"assign", no_argument, NULL, 'a'},
                                       {"list", no_argument, NULL, 'l'},
                                       {"link", required_argument, NULL, 'k'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    sopts o = {NULL, NULL, 0, 0};
    rv_db r;
    app_err e = {0};
    int rc, rest;
    if ((rc = cli_getopt(argc, argv, "review studies", ":r:h", lo, studies_usage, sset, &o, &rest)) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (o.link && rest != argc - 1)
        return cli_usage_error("review studies", "--link RECORD STUDY_ID: name one record and one study ID"),
               APP_EXIT_USAGE;
    if (!o.link && rest != argc)
        return cli_usage_error("review studies", "no operands are taken"), APP_EXIT_USAGE;
    if (o.link && o.assign)
        return cli_usage_error("review studies", "--assign and --link are separate changes: run one, then the other"),
               APP_EXIT_USAGE;
    if ((rc = review_open("studies", o.review, &r)) != 0)
        return rc;
    if ((o.assign && assign(&r, &e)) || (o.link && link_report(&r, o.link, argv[rest], &e)) ||
        ((o.list || (!o.assign && !o.link)) && list(&r, &e))) {
        rv_close(&r);
        return review_fail("studies", &e);
    }
    rv_close(&r);
    return 0;
}

/* ---- export ------------------------------------------------------------------ */

static const char export_usage[] =
    "Usage: metasyn review export --what WHAT [--out FILE] [--review FILE]\n"
    "\n"
    "The included studies (those with a study ID: metasyn review studies).\n"
    "\n"
    "  -w, --what WHAT      included-ris         every report of every included\n"
    "                                            study as RIS (N1 names the study)\n"
    "                       included-csv         the same as CSV: study_id,\n"
    "                                            record_id, title, authors, year,\n"
    "                                            journal, doi, pmid\n"
    "                       extraction-template  one row per study with the columns\n"
    "                                            metasyn pool reads, to fill in\n"
    "  -o, --out FILE       write to FILE atomically (default: standard output)\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "  -h, --help           show this help\n"
    "\n"
    "The template's study_id column ties each analysis row to the review.\n"
    "\n"
    "Exit codes: 0; 2 usage; 3 not a review file; 4 cannot read or write;\n"
    "6 out of memory.\n";

typedef struct eopts {
    const char *review, *out, *what;
} eopts;

static int eset(void *ctx, int c, const char *arg)
{
    eopts *o = ctx;
    switch (c) {
    case 'r':
        o->review = arg;
        return 0;
    case 'o':
        o->out = arg;
        return 0;
    case 'w':
        if (strcmp(arg, "included-ris") && strcmp(arg, "included-csv") && strcmp(arg, "extraction-template"))
            return cli_bad("review export", "--what", arg, "included-ris, included-csv or extraction-template");
        o->what = arg;
        return 0;
    default:
        return -1;
    }
}

static void csv_field(sbuf *o, const char *s, int last)
{
    app_csv_cell(o, s);
    sb_puts(o, last ? "\n" : ",");
}

/* "TAG  - value" with line breaks in value turned into spaces. */
static void ris_line(sbuf *o, const char *tag, const char *v, size_t n)
{
    sb_printf(o, "%s  - ", tag);
    for (size_t i = 0; i < n; i++)
        sb_add(o, v[i] == '\n' || v[i] == '\r' ? " " : v + i, 1);
    sb_puts(o, "\n");
}

static int ris_type_ok(const char *t)
{
    size_t n = strlen(t);
    if (n < 2 || n > 5)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] < 'A' || t[i] > 'Z')
            return 0;
    return 1;
}

static void ris_record(sbuf *o, sqlite3_stmt *st)
{
    const char *authors = col(st, 4), *pages = col(st, 9);
    static const struct {
        const char *tag;
        int c;
    } simple[] = {{"TI", 3}, {"JO", 6}, {"VL", 7}, {"IS", 8}, {"DO", 10}, {"AN", 11}, {"AB", 12}};
    const char *ty = ris_type_ok(col(st, 2)) ? col(st, 2) : "JOUR";
    ris_line(o, "TY", ty, strlen(ty));
    if (*col(st, 3))
        ris_line(o, "TI", col(st, 3), strlen(col(st, 3)));
    while (*authors) {
        size_t n = strcspn(authors, ";");
        const char *a = authors;
        size_t m = n;
        while (m > 0 && *a == ' ')
            a++, m--;
        while (m > 0 && a[m - 1] == ' ')
            m--;
        if (m)
            ris_line(o, "AU", a, m);
        authors += n + (authors[n] == ';');
    }
    if (sqlite3_column_int(st, 5) > 0)
        sb_printf(o, "PY  - %d\n", sqlite3_column_int(st, 5));
    for (size_t i = 1; i < sizeof simple / sizeof *simple; i++)
        if (*col(st, simple[i].c))
            ris_line(o, simple[i].tag, col(st, simple[i].c), strlen(col(st, simple[i].c)));
    if (*pages) {
        size_t n = strcspn(pages, "-\xe2");
        ris_line(o, "SP", pages, n);
        if (pages[n] == '-' && pages[n + 1])
            ris_line(o, "EP", pages + n + 1, strlen(pages + n + 1));
        else if (pages[n] && strncmp(pages + n, "\xe2\x80\x93", 3) == 0 && pages[n + 3])
            ris_line(o, "EP", pages + n + 3, strlen(pages + n + 3));
    }
    sb_printf(o, "N1  - metasyn study: %s; record %lld\n", col(st, 0), (long long)sqlite3_column_int64(st, 1));
    sb_puts(o, "ER  - \n\n");
}

static int export_build(rv_db *r, const char *what, sbuf *o, app_err *e)
{
    sqlite3_stmt *st;
    int s, tmpl = strcmp(what, "extraction-template") == 0, ris = strcmp(what, "included-ris") == 0;
    if (rv_prepare(r,
                   tmpl ? "SELECT study_id FROM studies ORDER BY study_id"
                        : "SELECT s.study_id, r.id, coalesce(r.type, ''), r.title, r.authors, r.year, r.journal, "
                          "r.volume, r.issue, r.pages, r.doi, r.pmid, r.abstract "
                          "FROM study_reports sr JOIN studies s ON s.id = sr.study "
                          "JOIN records r ON r.id = sr.record_id ORDER BY s.study_id, r.id",
                   &st, e))
        return -1;
    col_oom = 0;
    if (tmpl)
        sb_puts(o, "study,study_id,ai,n1i,ci,n2i,m1i,sd1i,m2i,sd2i,yi,sei,ci_lb,ci_ub\n");
    else if (!ris)
        sb_puts(o, "study_id,record_id,title,authors,year,journal,doi,pmid\n");
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (tmpl) {
            csv_field(o, col(st, 0), 0);
            csv_field(o, col(st, 0), 0);
            sb_puts(o, ",,,,,,,,,,,\n");
        } else if (ris)
            ris_record(o, st);
        else {
            csv_field(o, col(st, 0), 0);
            sb_printf(o, "%lld,", (long long)sqlite3_column_int64(st, 1));
            csv_field(o, col(st, 3), 0);
            csv_field(o, col(st, 4), 0);
            if (sqlite3_column_int(st, 5) > 0)
                sb_printf(o, "%d", sqlite3_column_int(st, 5));
            sb_puts(o, ",");
            csv_field(o, col(st, 6), 0);
            csv_field(o, col(st, 10), 0);
            csv_field(o, col(st, 11), 1);
        }
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return rv_sqlerr(r, "reading the included studies", e);
    return o->oom || col_oom ? oom(e) : 0;
}

int review_export(int argc, char **argv)
{
    static const struct option lo[] = {{"review", required_argument, NULL, 'r'},
                                       {"out", required_argument, NULL, 'o'},
                                       {"what", required_argument, NULL, 'w'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    eopts o = {NULL, NULL, NULL};
    rv_db r;
    app_err e = {0};
    sbuf out;
    long long unassigned;
    int rc, rest;
    if ((rc = cli_getopt(argc, argv, "review export", ":r:o:w:h", lo, export_usage, eset, &o, &rest)) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (rest != argc)
        return cli_usage_error("review export", "no operands are taken"), APP_EXIT_USAGE;
    if (!o.what)
        return cli_usage_error("review export",
                               "--what is needed: included-ris, included-csv or extraction-template"),
               APP_EXIT_USAGE;
    if ((rc = review_open("export", o.review, &r)) != 0)
        return rc;
    sb_init(&out);
    if (export_build(&r, o.what, &out, &e)) {
        rc = review_fail("export", &e);
        goto done;
    }
    {
        rv_prisma c;
        if (rv_prisma_count(&r, &c, &e)) {
            rv_prisma_free(&c);
            rc = review_fail("export", &e);
            goto done;
        }
        unassigned = c.unassigned;
        rv_prisma_free(&c);
    }
    if (app_write_output(o.out, out.p ? out.p : "", out.len, &e)) {
        rc = review_fail("export", &e);
        goto done;
    }
    if (unassigned)
        fprintf(stderr,
                "metasyn review export: warning: %lld included record%s no study ID yet and %s not "
                "exported; run 'metasyn review studies --assign'\n",
                unassigned, unassigned == 1 ? " has" : "s have", unassigned == 1 ? "is" : "are");
    rc = 0;
done:
    sb_free(&out);
    rv_close(&r);
    return rc;
}
