/*
 * cmd_sof.c - `metasyn sof`: GRADE certainty of the evidence and the
 * summary of findings table, from an outcomes file that names, for each
 * outcome, its study file and how to pool it, and holds the reviewers'
 * judgements and overrides: the options here, the outcomes file in
 * app/sof_read.c, the analyses in sof_run.c.  docs/cli/sof.md.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sof_run.h"

static const char usage[] =
    "Usage: metasyn sof [OPTIONS] OUTCOMES.csv\n"
    "\n"
    "GRADE certainty of the evidence and the summary of findings table.  Each row\n"
    "of OUTCOMES.csv is an outcome: its study file is pooled as `metasyn pool`\n"
    "would, each GRADE domain gets a suggestion computed from the analysis with\n"
    "its reason in words, and the reviewers' overrides (with their justification)\n"
    "and indirectness judgement are applied.\n"
    "\n"
    "Columns of OUTCOMES.csv (docs/cli/sof.md):\n"
    "  outcome, file             required: the outcome's name and its study file\n"
    "                            (relative to OUTCOMES.csv's folder)\n"
    "  measure, method, where, study   as pool's --measure, --method, --where, --study\n"
    "  design                    randomised or observational (default: the study\n"
    "                            file's design column)\n"
    "  follow_up, importance, comments   shown in the table\n"
    "  control_risk              assumed comparator risk (0.12, 12%, 120/1000;\n"
    "                            default: the studies' comparator groups)\n"
    "  mcid, reexpress_sd, scale_name, instrument   clinical relevance (as pool's\n"
    "                            options; instrument: the MCID from its table)\n"
    "  rob_column                overall risk-of-bias judgements (default rob_overall)\n"
    "  indirectness              0, -1 or -2, the reviewers' judgement\n"
    "  risk_of_bias, inconsistency, imprecision, publication_bias (0, -1, -2),\n"
    "  upgrade (0, 1, 2)         overrides of metasyn's suggestion; each needs\n"
    "                            its justification in <column>_reason\n"
    "\n"
    "Options:\n"
    "  -f, --format F        text (default), md, html, csv, json (default from\n"
    "                        -o's extension .html, .md, .csv, .json)\n"
    "  -o, --output FILE     write to FILE (atomically)\n"
    "      --question TEXT   the table's title (default: INTERVENTION compared\n"
    "                        with COMPARATOR for POPULATION)\n"
    "      --population TEXT, --setting TEXT, --intervention TEXT, --comparator TEXT\n"
    "      --digits N        decimals of relative effects and differences (2)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit codes: 0 success, 2 usage, 3 invalid data (FILE:LINE:COL), 4\n"
    "input/output, 5 an analysis not possible, 6 out of memory.\n";

enum { OPT_QUESTION = 256, OPT_POPULATION, OPT_SETTING, OPT_INTERVENTION, OPT_COMPARATOR, OPT_DIGITS };

typedef struct sof_opts {
    const char *format, *output;
    sof_table tab;
} sof_opts;

static int set(void *ctx, int c, const char *arg)
{
    sof_opts *o = ctx;
    double x;
    switch (c) {
    case 'f':
        if (strcmp(arg, "text") && strcmp(arg, "md") && strcmp(arg, "html") && strcmp(arg, "csv") &&
            strcmp(arg, "json"))
            return cli_bad("sof", "--format", arg, "text, md, html, csv or json");
        o->format = arg;
        return 0;
    case 'o':
        o->output = arg;
        return 0;
    case OPT_QUESTION:
        o->tab.question = arg;
        return 0;
    case OPT_POPULATION:
        o->tab.population = arg;
        return 0;
    case OPT_SETTING:
        o->tab.setting = arg;
        return 0;
    case OPT_INTERVENTION:
        o->tab.intervention = arg;
        return 0;
    case OPT_COMPARATOR:
        o->tab.comparator = arg;
        return 0;
    default: /* OPT_DIGITS */
        if (cli_parse_number(arg, &x) != 0 || x < 0 || x > 6 || x != floor(x))
            return cli_bad("sof", "--digits", arg, "a whole number from 0 to 6");
        o->tab.digits = (int)x;
        return 0;
    }
}

static const char *format_of(const sof_opts *o)
{
    const char *dot;
    if (o->format)
        return o->format;
    dot = o->output ? strrchr(o->output, '.') : NULL;
    if (dot && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0))
        return "html";
    if (dot && strcmp(dot, ".md") == 0)
        return "md";
    if (dot && strcmp(dot, ".csv") == 0)
        return "csv";
    if (dot && strcmp(dot, ".json") == 0)
        return "json";
    return "text";
}

int cmd_sof(int argc, char **argv)
{
    static const struct option lo[] = {{"format", required_argument, NULL, 'f'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"question", required_argument, NULL, OPT_QUESTION},
                                       {"population", required_argument, NULL, OPT_POPULATION},
                                       {"setting", required_argument, NULL, OPT_SETTING},
                                       {"intervention", required_argument, NULL, OPT_INTERVENTION},
                                       {"comparator", required_argument, NULL, OPT_COMPARATOR},
                                       {"digits", required_argument, NULL, OPT_DIGITS},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    sof_opts o;
    sof_spec s;
    sof_run u;
    app_err e = {0, ""};
    sbuf out;
    int rc, rest;
    memset(&o, 0, sizeof o);
    memset(&s, 0, sizeof s);
    memset(&u, 0, sizeof u);
    o.tab.digits = 2;
    if ((rc = cli_getopt(argc, argv, "sof", ":f:o:h", lo, usage, set, &o, &rest)) != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    if (rest != argc - 1)
        return cli_usage_error("sof", rest >= argc ? "no outcomes file given" : "more than one outcomes file given"),
               APP_EXIT_USAGE;
    sb_init(&out);
    rc = -1;
    if (sof_spec_read(argv[rest], &s, &e) != 0 || sof_run_all(&s, argv[rest], &u, &e) != 0)
        goto done;
    o.tab.source = s.t.file;
    o.tab.o = u.rows;
    o.tab.n = u.n;
    if (app_sof_render(&o.tab, format_of(&o), &out) != 0) {
        app_err_set(&e, APP_EXIT_INTERNAL, "out of memory while writing the table");
        goto done;
    }
    rc = app_write_output(o.output, out.p ? out.p : "", out.len, &e);
done:
    sb_free(&out);
    sof_run_free(&u);
    sof_spec_free(&s);
    if (rc == 0)
        return APP_EXIT_OK;
    fprintf(stderr, "metasyn sof: %s\n", e.msg);
    return e.code ? e.code : APP_EXIT_INTERNAL;
}
