/*
 * review_import.c - `metasyn review import`: add the records of one search
 * export (RIS, PubMed MEDLINE, CSV) to the review file, all or nothing.
 * The file is parsed whole first (app/review_parse.c); then one
 * transaction adds the import, every record and an audit row.
 * docs/cli/review-import.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "review_cli.h"
#include "review_parse.h"

static const char usage[] =
    "Usage: metasyn review import FILE --source NAME [OPTIONS]\n"
    "\n"
    "Add the records of one search export to the review file, all or nothing:\n"
    "the whole file is read first, and any broken record refuses it (FILE:LINE:COL\n"
    "says what is wrong).  The same file (same bytes) is never imported twice.\n"
    "Each record keeps its raw text and normalised fields: title, authors, year,\n"
    "journal, volume, issue, pages, DOI, PMID, abstract, keywords.\n"
    "\n"
    "Formats, recognised from the content (not the file name):\n"
    "  RIS        Embase, Ovid, Scopus, Web of Science, EBSCO/CINAHL, EndNote,\n"
    "             Zotero ('TY  - JOUR' ... 'ER  - ')\n"
    "  MEDLINE    PubMed's 'PubMed' format, .nbib ('PMID- 12345678' ...)\n"
    "  CSV        a header row with at least a title column (PubMed, Scopus,\n"
    "             Web of Science tab-delimited, Covidence ...)\n"
    "UTF-8 (with or without BOM), Windows-1252 and Latin-1; CRLF or LF.\n"
    "\n"
    "      --source NAME    the database or source searched (required), e.g. Embase\n"
    "      --source-type T  database (default), register or other (PRISMA 2020\n"
    "                       counts registers and other sources apart)\n"
    "      --date DATE      the date of the search, YYYY-MM-DD\n"
    "      --format F       auto (default), ris, medline or csv\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Prints how many records were imported, how many have each field, and\n"
    "warnings (records without a title, values that are not a DOI ...).\n"
    "\n"
    "Exit codes: 0 imported; 2 usage; 3 a broken record, no records, the file was\n"
    "imported before, or not a review file; 4 cannot read the file or write the\n"
    "review; 6 out of memory.\n";

typedef struct opts {
    const char *review, *source, *type, *date;
    rp_format fmt;
} opts;

/* YYYY-MM-DD, a real calendar date. */
static int valid_date(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    if (s[10] != '\0')
        return 0;
    y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    return !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

static int set(void *ctx, int c, const char *arg)
{
    opts *o = ctx;
    switch (c) {
    case 'r':
        o->review = arg;
        return 0;
    case 's':
        if (!*arg || strspn(arg, " \t") == strlen(arg))
            return cli_bad("review import", "--source", "''", "the name of the source searched");
        o->source = arg;
        return 0;
    case 't':
        if (strcmp(arg, "database") && strcmp(arg, "register") && strcmp(arg, "other"))
            return cli_bad("review import", "--source-type", arg, "database, register or other");
        o->type = arg;
        return 0;
    case 'd':
        if (!valid_date(arg))
            return cli_bad("review import", "--date", arg, "a date as YYYY-MM-DD");
        o->date = arg;
        return 0;
    case 'f':
        if (strcmp(arg, "auto") == 0)
            o->fmt = RP_AUTO;
        else if (strcmp(arg, "ris") == 0)
            o->fmt = RP_RIS;
        else if (strcmp(arg, "medline") == 0 || strcmp(arg, "nbib") == 0)
            o->fmt = RP_MEDLINE;
        else if (strcmp(arg, "csv") == 0)
            o->fmt = RP_CSV;
        else
            return cli_bad("review import", "--format", arg, "auto, ris, medline or csv");
        return 0;
    default:
        return -1;
    }
}

/* Store the parsed records: one transaction. */
static int store(rv_db *r, const opts *o, const char *file, const char *sha, const rp_set *s,
                 long long *import_id, app_err *e)
{
    rv_import im = {o->source, o->type, o->date, file, sha, rp_format_name(s->format),
                    (long long)s->n};
    char detail[1024];
    if (rv_begin(r, e))
        return -1;
    if (rv_add_import(r, &im, import_id, e))
        goto fail;
    for (size_t i = 0; i < s->n; i++) {
        const rp_rec *p = &s->rec[i];
        rv_record rec = {p->line,    p->raw,    p->type,  p->title, p->authors,
                         p->journal, p->volume, p->issue, p->pages, p->doi,
                         p->pmid,    p->abstract, p->keywords, p->year};
        if (rv_add_record(r, *import_id, (long long)i + 1, &rec, NULL, e))
            goto fail;
    }
    snprintf(detail, sizeof detail,
             "import %lld: %zu record%s from %.300s (%s), source %.200s (%s)%s%s, sha256 %s",
             *import_id, s->n, s->n == 1 ? "" : "s", file, im.format, o->source, o->type, o->date ? ", searched " : "",
             o->date ? o->date : "", sha);
    if (rv_audit(r, "import", detail, e) || rv_commit(r, e))
        goto fail;
    return 0;
fail:
    rv_rollback(r);
    return -1;
}

static void summary(const opts *o, const char *file, long long id, const rp_set *s)
{
    size_t c[12] = {0}, shown = 0;
    static const char *const names[] = {"title",  "authors", "year", "journal",
                                        "volume", "issue",   "pages", "DOI",
                                        "PMID",   "abstract", "keywords", "type"};
    for (size_t i = 0; i < s->n; i++) {
        const rp_rec *p = &s->rec[i];
        const void *v[] = {p->title, p->authors, p->year ? p : NULL, p->journal, p->volume,
                           p->issue, p->pages, p->doi, p->pmid, p->abstract, p->keywords, p->type};
        for (size_t k = 0; k < 12; k++)
            c[k] += v[k] != NULL;
    }
    printf("imported %zu record%s from %s (%s) as import %lld: source %s (%s)", s->n,
           s->n == 1 ? "" : "s", file,
           s->format == RP_RIS ? "RIS" : s->format == RP_MEDLINE ? "MEDLINE" : "CSV", id,
           o->source, o->type);
    if (o->date)
        printf(", searched %s", o->date);
    printf("\nrecords with\n");
    for (size_t k = 0; k < 12; k++)
        printf("  %-10s %8zu  %5.1f%%\n", names[k], c[k], 100.0 * (double)c[k] / (double)s->n);
    if (s->recoded_lines)
        printf("note: %ld line%s not UTF-8: read as Windows-1252 (Latin-1)\n", s->recoded_lines,
               s->recoded_lines == 1 ? " was" : "s were");
    if (s->warnings.n)
        printf("warnings (%zu):\n", s->warnings.n);
    for (size_t i = 0; i < s->warnings.n && shown < 20; i++, shown++)
        printf("  %s\n", s->warnings.s[i]);
    if (s->warnings.n > shown)
        printf("  ... and %zu more\n", s->warnings.n - shown);
}

int review_import(int argc, char **argv)
{
    static const struct option lo[] = {{"review", required_argument, NULL, 'r'},
                                       {"source", required_argument, NULL, 's'},
                                       {"source-type", required_argument, NULL, 't'},
                                       {"date", required_argument, NULL, 'd'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    opts o = {NULL, NULL, "database", NULL, RP_AUTO};
    rv_db r;
    app_err e = {0};
    rp_set s;
    char *data = NULL, sha[65];
    const char *file;
    size_t len;
    long long id = 0;
    int rc, rest;
    if ((rc = cli_getopt(argc, argv, "review import", ":r:s:t:d:f:h", lo, usage, set, &o,
                         &rest)) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (rest != argc - 1)
        return cli_usage_error("review import", rest >= argc ? "no export file named"
                                                             : "one export file at a time"),
               APP_EXIT_USAGE;
    if (!o.source)
        return cli_usage_error("review import",
                               "--source NAME is required: the database or source searched"),
               APP_EXIT_USAGE;
    file = strcmp(argv[rest], "-") == 0 ? "<stdin>" : argv[rest];
    if ((rc = review_open("import", o.review, &r)) != 0)
        return rc;
    if (app_read_file(argv[rest], &data, &len, &e))
        goto fail;
    rp_sha256(data, len, sha);
    if (rp_parse(file, data, len, o.fmt, &s, &e))
        goto fail;
    app_free(data);
    data = NULL;
    if (store(&r, &o, file, sha, &s, &id, &e)) {
        rp_set_free(&s);
        goto fail;
    }
    rv_close(&r);
    summary(&o, file, id, &s);
    rp_set_free(&s);
    return 0;
fail:
    app_free(data);
    rv_close(&r);
    return review_fail("import", &e);
}
