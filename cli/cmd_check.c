/*
 * cmd_check.c - `metasyn check`: data checks on a study file before
 * pooling, every finding in one report (text or JSON) with its severity,
 * line, column, study and a stable code.  The rules are app/check*.c;
 * docs/cli/check.md documents each with its threshold.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "cli.h"
#include "review_refs.h"

static const char usage[] =
    "Usage: metasyn check [OPTIONS] FILE.csv      (FILE - reads standard input)\n"
    "\n"
    "Check the study data of FILE before pooling: impossible values (errors),\n"
    "implausible ones (warnings: an SD that is probably an SE, a shared control\n"
    "group, an asymmetric CI, a study on another scale, ...) and notes (hints:\n"
    "studies left out for missing values, unusually large SMDs).  Every finding\n"
    "is reported, not only the first.\n"
    "\n"
    "  -m, --measure M       MD SMD SMDH ROM OR RR RD AS PETO GEN HR PR PLO PAS PFT\n"
    "                        IR IRLN IRR IRD MN MNLN SMCC SMCR COR ZCOR\n"
    "                        (default: inferred from the columns)\n"
    "      --study COL       column with study labels (default: study)\n"
    "      --by COL          compare studies only within groups of equal COL\n"
    "                        (a file with several outcomes or comparisons)\n"
    "      --granularity G   GRIM test of means: the smallest step of one\n"
    "                        participant's score, e.g. 1 or 1/7 (a 7-item\n"
    "                        scale of whole numbers); default off, or a\n"
    "                        column granularity\n"
    "      --ci-level L      level of reported CIs (default 95)\n"
    "      --scale S         log (default) or natural: ratio estimates and\n"
    "                        their CIs given as ratios\n"
    "      --review FILE     also check the study_id column against the studies\n"
    "                        of a review file (metasyn review studies)\n"
    "      --fail-on S       exit 1 when a finding is at least S: error,\n"
    "                        warning (default) or hint\n"
    CLI_CSV_HELP
    "  -f, --format F        text (default) or json\n"
    "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
    "  -h, --help            show this help\n"
    "\n"
    "Text output: FILE:LINE:COL: severity: message, sorted by line and column,\n"
    "then a summary.  Rules and thresholds: docs/cli/check.md.\n"
    "\n"
    "Exit codes: 0 no finding at the --fail-on level, 1 findings, 2 usage,\n"
    "3 not a readable table, 4 input/output, 6 out of memory.\n";

enum { OPT_STUDY = 256, OPT_BY, OPT_GRAN, OPT_CI_LEVEL, OPT_SCALE, OPT_FAIL_ON, OPT_REVIEW, OPT_DELIMITER,
       OPT_DECIMAL };

static const struct option long_opts[] = {
    {"measure", required_argument, NULL, 'm'},
    {"study", required_argument, NULL, OPT_STUDY},
    {"by", required_argument, NULL, OPT_BY},
    {"granularity", required_argument, NULL, OPT_GRAN},
    {"ci-level", required_argument, NULL, OPT_CI_LEVEL},
    {"scale", required_argument, NULL, OPT_SCALE},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"review", required_argument, NULL, OPT_REVIEW},
    {"delimiter", required_argument, NULL, OPT_DELIMITER},
    {"decimal", required_argument, NULL, OPT_DECIMAL},
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

typedef struct check_cli {
    app_check_opts co;
    const char *input, *output, *review;
    int json;
    check_severity fail_on;
    app_csv_fmt csv;
} check_cli;

static int bad(const char *opt, const char *val, const char *expect)
{
    return cli_bad("check", opt, val, expect);
}

static int parse_pos(const char *s, double *x)
{
    char *end;
    *x = strtod(s, &end);
    return end != s && *end == '\0' && isfinite(*x) && *x > 0;
}

/* G or 1/K (a scale of K items scored in whole numbers, averaged). */
static int parse_granularity(const char *s, double *g)
{
    const char *slash = strchr(s, '/');
    double a, b;
    char num[64];
    if (!slash)
        return parse_pos(s, g);
    if ((size_t)(slash - s) >= sizeof num)
        return 0;
    memcpy(num, s, (size_t)(slash - s));
    num[slash - s] = '\0';
    if (!parse_pos(num, &a) || !parse_pos(slash + 1, &b))
        return 0;
    *g = a / b;
    return 1;
}

static int set_opt(void *ctx, int c, const char *arg)
{
    check_cli *o = ctx;
    static const char *const sevs[] = {"hint", "warning", "error"};
    switch (c) {
    case 'm':
        if (msyn_measure_parse(arg, &o->co.measure) == MSYN_OK)
            o->co.measure_set = 1;
        else if (app_check_measure_known(arg))
            o->co.measure_name = arg;
        else
            return bad("--measure", arg, "one of MD SMD SMDH ROM OR RR RD AS PETO GEN HR PR PLO PAS PFT IR IRLN IRR IRD MN MNLN SMCC SMCR COR ZCOR");
        return 0;
    case OPT_STUDY:
        o->co.study_col = arg;
        return 0;
    case OPT_BY:
        o->co.group_col = arg;
        return 0;
    case OPT_GRAN:
        if (!parse_granularity(arg, &o->co.granularity))
            return bad("--granularity", arg, "a step > 0 such as 1, 0.5 or 1/7");
        return 0;
    case OPT_CI_LEVEL:
        if (parse_pos(arg, &o->co.ci_level) && o->co.ci_level > 1 && o->co.ci_level < 100)
            o->co.ci_level /= 100;
        if (!(o->co.ci_level > 0 && o->co.ci_level < 1))
            return bad("--ci-level", arg, "the level of the reported CIs, such as 95 or 0.95");
        return 0;
    case OPT_SCALE:
        if (strcasecmp(arg, "natural") != 0 && strcasecmp(arg, "log") != 0)
            return bad("--scale", arg, "log or natural");
        o->co.natural = strcasecmp(arg, "natural") == 0;
        return 0;
    case OPT_FAIL_ON:
        for (int s = 0; s < 3; s++)
            if (strcasecmp(arg, sevs[s]) == 0) {
                o->fail_on = (check_severity)s;
                return 0;
            }
        return bad("--fail-on", arg, "error, warning or hint");
    case 'f':
        if (strcasecmp(arg, "text") != 0 && strcasecmp(arg, "json") != 0)
            return bad("--format", arg, "text or json");
        o->json = strcasecmp(arg, "json") == 0;
        return 0;
    case 'o':
        o->output = arg;
        return 0;
    case OPT_REVIEW:
        o->review = arg;
        return 0;
    case OPT_DELIMITER:
        if (app_csv_parse_delim(arg, &o->csv.delim) != 0)
            return bad("--delimiter", arg, CLI_DELIMITER_EXPECT);
        return 0;
    case OPT_DECIMAL:
        if (app_csv_parse_decimal(arg, &o->csv.decimal) != 0)
            return bad("--decimal", arg, CLI_DECIMAL_EXPECT);
        return 0;
    default:
        return -1;
    }
}

/* Returns 0, 1 when help was printed, -1 on a usage error. */
static int parse(int argc, char **argv, check_cli *o)
{
    int rc, rest;
    if ((rc = cli_getopt(argc, argv, "check", ":m:f:o:h", long_opts, usage, set_opt, o, &rest)) != 0)
        return rc;
    if (rest != argc - 1)
        return cli_usage_error("check", rest >= argc ? "no input file given (use - for standard input)"
                                                     : "more than one input file given");
    o->input = argv[rest];
    return 0;
}

static int fails(const app_findings *l, check_severity level)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->f[i].severity >= level)
            return 1;
    return 0;
}

int cmd_check(int argc, char **argv)
{
    check_cli o;
    app_table t;
    app_findings l;
    app_err e = {0, ""};
    sbuf out;
    int rc;
    memset(&o, 0, sizeof o);
    memset(&t, 0, sizeof t);
    memset(&l, 0, sizeof l);
    app_check_opts_default(&o.co);
    o.fail_on = CHECK_WARNING;
    if ((rc = parse(argc, argv, &o)) != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    sb_init(&out);
    rc = app_table_read_fmt(o.input, &o.csv, &t, &e);
    if (rc == 0)
        rc = app_check_table(&t, &o.co, &l, &e);
    if (rc == 0 && o.review) {
        rv_db r;
        if ((rc = rv_open(o.review, &r, &e)) == 0) {
            rc = app_check_review_ids(&t, o.co.study_col, &r, &l, &e);
            rv_close(&r);
        }
    }
    if (rc == 0 && (o.json ? app_check_json(t.file, &l, &out) : app_check_text(t.file, &l, &out)) != 0) {
        app_err_set(&e, APP_EXIT_INTERNAL, "out of memory while writing the output");
        rc = -1;
    }
    if (rc == 0)
        rc = app_write_output(o.output, out.p ? out.p : "", out.len, &e);
    if (rc == 0)
        rc = fails(&l, o.fail_on) ? APP_EXIT_FINDINGS : APP_EXIT_OK;
    else {
        fprintf(stderr, "%s\n", e.msg);
        rc = e.code ? e.code : APP_EXIT_INTERNAL;
    }
    sb_free(&out);
    app_findings_free(&l);
    app_table_free(&t);
    return rc;
}
