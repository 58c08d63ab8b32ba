/*
 * cmd_harms.c - `metasyn harms`: adverse events across studies.  Reads a
 * harms file (one row per study and adverse event), classifies each study
 * by the worst it reported, counts them in a sentence, and pools each
 * event type and severity.  docs/cli/harms.md.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "harms.h"

static const char usage[] =
    "Usage: metasyn harms [OPTIONS] FILE.csv      (FILE - reads standard input)\n"
    "\n"
    "Summarise the adverse events of the studies in FILE: which studies reported\n"
    "none, minor or serious events or did not report them, in a sentence and a\n"
    "table, and each adverse event's events per arm with a pooled estimate.\n"
    "\n"
    "FILE has one row per study and adverse event, with columns (metafor's names):\n"
    "  study       the study's label\n"
    "  reported    yes (the row's event was reported), none (the study reported\n"
    "              that no adverse events occurred) or no (it did not report them)\n"
    "  event       the adverse event (\"wound infection\", or \"any\"); reported=yes\n"
    "  severity    minor or serious; mild and moderate count as minor, severe,\n"
    "              life-threatening and fatal as serious, CTCAE grades 1-2 as\n"
    "              minor and 3-5 as serious\n"
    "  ai n1i ci n2i  events and participants, treatment and control (all four,\n"
    "              or none when the study gives no numbers)\n"
    "\n"
    "  --method M         MH (Mantel-Haenszel risk ratio, the default), PETO (Peto\n"
    "                     odds ratio) or REML (random-effects log risk ratio)\n"
    "  --min-k N          pool an event with at least N studies with events (default 2)\n"
    "  --level L          confidence level, 95 or 0.95 (default 95)\n"
    "  --digits N         decimals of the pooled estimates (default 2)\n"
    "  -f, --format F     text (default), json, csv (the event table) or md\n"
    "  -o, --output FILE  write to FILE (atomically) instead of standard output\n"
    "      --report FILE  also write the section for a review: FILE.html or FILE.md\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit codes: 0 success, 2 usage, 3 invalid data (FILE:LINE:COL given),\n"
    "4 input/output, 6 out of memory.  docs/cli/harms.md.\n";

enum { OPT_METHOD = 256, OPT_MINK, OPT_LEVEL, OPT_DIGITS, OPT_REPORT };

static const struct option long_opts[] = {
    {"method", required_argument, NULL, OPT_METHOD}, {"min-k", required_argument, NULL, OPT_MINK},
    {"level", required_argument, NULL, OPT_LEVEL},   {"digits", required_argument, NULL, OPT_DIGITS},
    {"format", required_argument, NULL, 'f'},        {"output", required_argument, NULL, 'o'},
    {"report", required_argument, NULL, OPT_REPORT}, {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

typedef struct hopts {
    harms_report_opts ro;
    const char *format, *output, *report, *input;
    int report_html;
} hopts;

static int bad(const char *opt, const char *val, const char *expect)
{
    return cli_bad("harms", opt, val, expect);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcasecmp(s + n - m, suffix) == 0;
}

static int option(void *ctx, int c, const char *arg)
{
    hopts *o = ctx;
    double x;
    switch (c) {
    case OPT_METHOD:
        if (strcasecmp(arg, "mh") == 0)
            o->ro.method = MSYN_METHOD_MH;
        else if (strcasecmp(arg, "peto") == 0)
            o->ro.method = MSYN_METHOD_PETO;
        else if (strcasecmp(arg, "reml") == 0)
            o->ro.method = MSYN_METHOD_REML;
        else
            return bad("--method", arg, "MH, PETO or REML");
        return 0;
    case OPT_MINK:
        if (!cli_parse_number(arg, &x) || x != floor(x) || x < 1 || x > 1e6)
            return bad("--min-k", arg, "a whole number >= 1, such as 2");
        o->ro.min_k = (int)x;
        return 0;
    case OPT_LEVEL:
        if (!cli_parse_number(arg, &x) || !(x > 0 && x < 100) || (x >= 1 && x < 50))
            return bad("--level", arg, "a confidence level such as 95 or 0.95");
        o->ro.level = x >= 1 ? x / 100 : x;
        return 0;
    case OPT_DIGITS:
        if (!cli_parse_number(arg, &x) || x != floor(x) || x < 0 || x > 10)
            return bad("--digits", arg, "a whole number from 0 to 10");
        o->ro.digits = (int)x;
        return 0;
    case 'f':
        if (strcasecmp(arg, "text") && strcasecmp(arg, "json") && strcasecmp(arg, "csv") && strcasecmp(arg, "md"))
            return bad("--format", arg, "text, json, csv or md");
        o->format = strcasecmp(arg, "json") == 0 ? "json" : strcasecmp(arg, "csv") == 0 ? "csv"
                    : strcasecmp(arg, "md") == 0 ? "md" : "text";
        return 0;
    case 'o':
        o->output = arg;
        return 0;
    case OPT_REPORT:
        if (!ends_with(arg, ".html") && !ends_with(arg, ".htm") && !ends_with(arg, ".md"))
            return bad("--report", arg, "a file name ending in .html or .md");
        o->report = arg;
        o->report_html = !ends_with(arg, ".md");
        return 0;
    default:
        return -1;
    }
}

static int render(const harms_data *d, const hopts *o, sbuf *out, sbuf *rep)
{
    int rc;
    if (strcmp(o->format, "json") == 0)
        rc = harms_report_json(d, &o->ro, out);
    else if (strcmp(o->format, "csv") == 0)
        rc = harms_report_csv(d, &o->ro, out);
    else if (strcmp(o->format, "md") == 0)
        rc = harms_report_doc(d, &o->ro, 0, out);
    else
        rc = harms_report_text(d, &o->ro, out);
    if (rc == 0 && o->report)
        rc = harms_report_doc(d, &o->ro, o->report_html, rep);
    return rc;
}

static int write_all(const hopts *o, const sbuf *out, const sbuf *rep, app_err *e)
{
    const char *paths[2] = {o->report, o->output};
    const char *data[2] = {rep->p ? rep->p : "", out->p ? out->p : ""};
    size_t len[2] = {rep->len, out->len};
    if (!o->report)
        return app_write_output(o->output, data[1], len[1], e);
    if (o->output && strcmp(o->output, "-") != 0)
        return app_write_outputs(paths, data, len, 2, e);
    if (app_write_output(o->report, data[0], len[0], e) != 0)
        return -1;
    return app_write_output(NULL, data[1], len[1], e);
}

static int run(const hopts *o)
{
    app_table t;
    harms_data d;
    app_err e = {0, ""};
    sbuf out, rep;
    int rc = APP_EXIT_OK;
    memset(&t, 0, sizeof t);
    memset(&d, 0, sizeof d);
    sb_init(&out);
    sb_init(&rep);
    if (app_table_read(o->input, &t, &e) != 0 || harms_load(&t, &d, &e) != 0 ||
        harms_pool(&d, o->ro.method, o->ro.min_k, o->ro.level, &e) != 0) {
        rc = e.code;
    } else if (render(&d, o, &out, &rep) != 0) {
        app_err_set(&e, APP_EXIT_INTERNAL, "out of memory while writing the report");
        rc = e.code;
    } else if (write_all(o, &out, &rep, &e) != 0) {
        rc = e.code;
    }
    if (rc != APP_EXIT_OK)
        fprintf(stderr, "metasyn harms: %s\n", e.msg);
    sb_free(&out);
    sb_free(&rep);
    harms_free(&d);
    app_table_free(&t);
    return rc;
}

int cmd_harms(int argc, char **argv)
{
    hopts o;
    int rc, rest;
    memset(&o, 0, sizeof o);
    o.ro.method = MSYN_METHOD_MH;
    o.ro.min_k = 2;
    o.ro.level = 0.95;
    o.ro.digits = 2;
    o.format = "text";
    if ((rc = cli_getopt(argc, argv, "harms", ":f:o:h", long_opts, usage, option, &o, &rest)) != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    if (argc - rest != 1) {
        cli_usage_error("harms", argc == rest ? "no input file given (- reads standard input)"
                                              : "more than one input file given");
        return APP_EXIT_USAGE;
    }
    o.input = argv[rest];
    return run(&o);
}
