/*
 * cmd_sof.c - `metasyn sof`: GRADE certainty of the evidence and the
 * summary of findings table, from an outcomes file that names, for each
 * outcome, its study file and how to pool it, and holds the reviewers'
 * judgements and overrides.  docs/cli/sof.md.
 */
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "sof.h"

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

/* The columns of the outcomes file. */
enum {
    C_OUTCOME, C_FILE, C_MEASURE, C_METHOD, C_WHERE, C_STUDY, C_DESIGN, C_FOLLOW_UP, C_IMPORTANCE, C_COMMENTS,
    C_CONTROL_RISK, C_MCID, C_REEXPRESS_SD, C_SCALE_NAME, C_ROB_COLUMN, C_INDIRECTNESS, C_INDIRECTNESS_REASON,
    C_ROB, C_ROB_REASON, C_INCONSISTENCY, C_INCONSISTENCY_REASON, C_IMPRECISION, C_IMPRECISION_REASON,
    C_PUBBIAS, C_PUBBIAS_REASON, C_UPGRADE, C_UPGRADE_REASON, C_INSTRUMENT, C_COUNT
};

static const char *const colname[C_COUNT] = {
    "outcome", "file", "measure", "method", "where", "study", "design", "follow_up", "importance", "comments",
    "control_risk", "mcid", "reexpress_sd", "scale_name", "rob_column", "indirectness", "indirectness_reason",
    "risk_of_bias", "risk_of_bias_reason", "inconsistency", "inconsistency_reason", "imprecision",
    "imprecision_reason", "publication_bias", "publication_bias_reason", "upgrade", "upgrade_reason",
    "instrument"};

/* The override column and its reason column of each domain. */
static const int domain_col[GRADE_NDOMAINS][2] = {
    {C_ROB, C_ROB_REASON},         {C_INCONSISTENCY, C_INCONSISTENCY_REASON},
    {C_INDIRECTNESS, C_INDIRECTNESS_REASON}, {C_IMPRECISION, C_IMPRECISION_REASON},
    {C_PUBBIAS, C_PUBBIAS_REASON}, {C_UPGRADE, C_UPGRADE_REASON}};

typedef struct outcome {
    char *path;
    cli_opts o;
    app_table t;
    app_data d;
    app_result r;
    grade_input in;
    grade_result g;
} outcome;

typedef struct spec {
    app_table t;
    int col[C_COUNT];
    outcome *out;
    size_t n;
} spec;

static const char *cell(const spec *s, size_t row, int c)
{
    const char *v = s->col[c] >= 0 ? app_table_cell(&s->t, row, (size_t)s->col[c]) : NULL;
    return v && *v ? v : NULL;
}

static int bad_cell(const spec *s, size_t row, int c, app_err *e, const char *what)
{
    app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: %s", s->t.file, s->t.line[row], s->col[c] + 1, what);
    return -1;
}

static int columns(spec *s, app_err *e)
{
    for (int c = 0; c < C_COUNT; c++)
        s->col[c] = app_table_col(&s->t, colname[c]);
    for (size_t j = 0; j < s->t.ncol; j++) {
        int known = 0;
        for (int c = 0; c < C_COUNT; c++)
            known |= strcmp(s->t.header[j], colname[c]) == 0;
        if (!known) {
            /* a misspelt override would be lost silently: refuse */
            app_err_set(e, APP_EXIT_DATA,
                        "%s:1:%zu: unknown column '%s'; the columns are outcome, file, measure, method, where, "
                        "study, design, follow_up, importance, comments, control_risk, mcid, reexpress_sd, "
                        "scale_name, instrument, rob_column, indirectness, risk_of_bias, inconsistency, imprecision, "
                        "publication_bias, upgrade and <domain>_reason (docs/cli/sof.md)",
                        s->t.file, j + 1, s->t.header[j]);
            return -1;
        }
    }
    if (s->col[C_OUTCOME] < 0 || s->col[C_FILE] < 0) {
        app_err_set(e, APP_EXIT_DATA, "%s:1: the columns outcome and file are required", s->t.file);
        return -1;
    }
    if (s->t.nrow == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s: no outcomes (a header line only)", s->t.file);
        return -1;
    }
    if (s->t.nrow > 64) {
        app_err_set(e, APP_EXIT_DATA, "%s: %zu outcomes; a summary of findings table holds at most 64 (GRADE "
                                      "suggests up to seven)", s->t.file, s->t.nrow);
        return -1;
    }
    return 0;
}

static int parse_num(const spec *s, size_t row, int c, double lo, double hi, double *x, app_err *e,
                     const char *expect)
{
    const char *v = cell(s, row, c), *why;
    char msg[300];
    *x = nan("");
    if (!v)
        return 0;
    if (app_parse_number(v, 0, x, &why) != NUM_OK || *x < lo || *x > hi) {
        snprintf(msg, sizeof msg, "%s '%s' is not %s", colname[c], v, expect);
        return bad_cell(s, row, c, e, msg);
    }
    return 0;
}

static int parse_risk(const spec *s, size_t row, double *x, app_err *e)
{
    const char *v = cell(s, row, C_CONTROL_RISK);
    char buf[64], *p;
    double scale = 1, y;
    const char *why;
    *x = nan("");
    if (!v)
        return 0;
    snprintf(buf, sizeof buf, "%s", v);
    if ((p = strchr(buf, '%')) && p[1] == '\0') {
        *p = '\0';
        scale = 100;
    } else if ((p = strstr(buf, "/1000")) || (p = strstr(buf, " per 1000")) || (p = strstr(buf, " per 1,000"))) {
        *p = '\0';
        scale = 1000;
    }
    if (app_parse_number(buf, 0, &y, &why) != NUM_OK || y / scale <= 0 || y / scale >= 1)
        return bad_cell(s, row, C_CONTROL_RISK, e,
                        "control_risk is not a risk between 0 and 1 (exclusive); write 0.12, 12% or 120/1000");
    *x = y / scale;
    return 0;
}

static int parse_level(const spec *s, size_t row, grade_domain d, grade_input *in, app_err *e)
{
    const char *v = cell(s, row, domain_col[d][0]), *why = cell(s, row, domain_col[d][1]);
    char msg[400];
    int x;
    if (!v) {
        if (why && d != GRADE_INDIRECTNESS) {
            snprintf(msg, sizeof msg, "%s is given without a rating in %s", colname[domain_col[d][1]],
                     colname[domain_col[d][0]]);
            return bad_cell(s, row, domain_col[d][1], e, msg);
        }
        in->why[d] = why;
        return 0;
    }
    if (d == GRADE_UPGRADE ? (strcmp(v, "0") == 0 ? (x = 0, 1)
                              : strcmp(v, "1") == 0 || strcmp(v, "+1") == 0 ? (x = 1, 1)
                              : strcmp(v, "2") == 0 || strcmp(v, "+2") == 0 ? (x = 2, 1)
                                                                              : 0)
                           : (strcmp(v, "0") == 0 ? (x = 0, 1)
                              : strcmp(v, "-1") == 0 ? (x = -1, 1)
                              : strcmp(v, "-2") == 0 ? (x = -2, 1)
                                                     : 0)) {
        in->has_override[d] = 1;
        in->override[d] = x;
        in->why[d] = why;
    } else {
        snprintf(msg, sizeof msg, "%s '%s' is not a rating; expected %s", colname[domain_col[d][0]], v,
                 d == GRADE_UPGRADE ? "0, 1 or 2 (levels up)" : "0, -1 or -2 (levels down)");
        return bad_cell(s, row, domain_col[d][0], e, msg);
    }
    if (!why && (d != GRADE_INDIRECTNESS || x != 0)) {
        snprintf(msg, sizeof msg, "%s %s needs its justification in the column %s", colname[domain_col[d][0]],
                 v, colname[domain_col[d][1]]);
        return bad_cell(s, row, domain_col[d][0], e, msg);
    }
    return 0;
}

static int outcome_input(const spec *s, size_t row, outcome *x, app_err *e)
{
    const char *v;
    if (!cell(s, row, C_OUTCOME))
        return bad_cell(s, row, C_OUTCOME, e, "the outcome has no name");
    if (!cell(s, row, C_FILE))
        return bad_cell(s, row, C_FILE, e, "the outcome has no study file");
    x->in.design = GRADE_DESIGN_AUTO;
    if ((v = cell(s, row, C_DESIGN))) {
        int dz = grade_design_word(v);
        if (dz <= 0)
            return bad_cell(s, row, C_DESIGN, e,
                            "design is not known; expected randomised (RCT, cluster RCT) or observational (cohort, "
                            "case-control, cross-sectional, non-randomised, before-after, case series)");
        x->in.design = dz == 1 ? GRADE_DESIGN_RANDOMISED : GRADE_DESIGN_OBSERVATIONAL;
    }
    if (parse_risk(s, row, &x->in.control_risk, e) != 0 ||
        parse_num(s, row, C_MCID, 1e-300, 1e300, &x->in.mcid, e, "a positive number") != 0 ||
        parse_num(s, row, C_REEXPRESS_SD, 1e-300, 1e300, &x->o.reexpress_sd, e, "a positive SD") != 0)
        return -1;
    for (int d = 0; d < GRADE_NDOMAINS; d++)
        if (parse_level(s, row, (grade_domain)d, &x->in, e) != 0)
            return -1;
    return 0;
}

/* The study file's path: relative to the outcomes file's folder. */
static char *resolve(const char *outcomes, const char *file)
{
    char *dup, *dir, *p;
    size_t n;
    if (file[0] == '/' || strcmp(outcomes, "-") == 0)
        return app_strdup(file);
    if (!(dup = app_strdup(outcomes)))
        return NULL;
    dir = dirname(dup);
    if (strcmp(dir, ".") == 0) {
        app_free(dup);
        return app_strdup(file);
    }
    n = strlen(dir) + strlen(file) + 2;
    if ((p = app_alloc(n)))
        snprintf(p, n, "%s/%s", dir, file);
    app_free(dup);
    return p;
}

static int analyse(const spec *s, size_t row, outcome *x, const char *outcomes, app_err *e)
{
    cli_opts *o = &x->o;
    const char *v;
    int rc;
    o->cmd = "pool";
    o->preset = MSYN_PRESET_COCHRANE2025;
    o->digits = 4;
    o->tau2_fixed = o->ri = o->mcid = o->bias.orwin_target = nan("");
    o->conv.median = MSYN_MEDIAN_LUO;
    o->format = "text";
    o->min_k = 1;
    if (!(x->path = resolve(outcomes, cell(s, row, C_FILE)))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    o->input = x->path;
    o->study = cell(s, row, C_STUDY);
    o->scale_name = cell(s, row, C_SCALE_NAME);
    if ((v = cell(s, row, C_WHERE)))
        o->where[o->nwhere++] = v;
    if ((v = cell(s, row, C_MEASURE))) {
        if (msyn_measure_parse(v, &o->measure) != MSYN_OK)
            return bad_cell(s, row, C_MEASURE, e, "measure is not one of pool's measures (MD, SMD, RR, OR, RD, HR, ...)");
        o->measure_set = 1;
    }
    if ((v = cell(s, row, C_METHOD))) {
        if (msyn_method_parse(v, &o->method) != MSYN_OK)
            return bad_cell(s, row, C_METHOD, e, "method is not one of EE, DL, HE, HS, SJ, ML, REML, EB, PM, MH, PETO");
        o->method_set = 1;
    }
    if (o->scale_name && isnan(o->reexpress_sd))
        return bad_cell(s, row, C_SCALE_NAME, e, "scale_name names the instrument of reexpress_sd; give reexpress_sd too");
    o->instrument = cell(s, row, C_INSTRUMENT);
    if (cli_load(o, &x->t, &x->d, &x->r, e) != 0 || cli_pool_fit(&x->r, e) != 0)
        return -1;
    if (isnan(x->in.mcid) && o->inst)
        x->in.mcid = o->inst->mcid;
    if (x->r.pooled_k_short) {
        app_err_set(e, APP_EXIT_MODEL, "%s: no study has an effect size", x->r.file);
        return -1;
    }
    if (!isnan(x->in.mcid) && msyn_measure_is_ratio(x->r.measure)) {
        app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: mcid is a difference in the outcome's units; %s is a ratio "
                                      "(imprecision then uses RR 0.75 and 1.25)",
                    s->t.file, s->t.line[row], s->col[C_MCID] + 1, msyn_measure_name(x->r.measure));
        return -1;
    }
    if (app_measure_standardized(x->r.measure) && !isnan(x->in.mcid) && isnan(x->r.reexpress_sd))
        return bad_cell(s, row, C_MCID, e, "an MCID for a standardized mean difference needs reexpress_sd (the "
                                           "instrument's SD) to put the SMD in its points");
    rc = app_rob_levels(&x->r, cell(s, row, C_ROB_COLUMN), e);
    if (rc < 0)
        return -1;
    return grade_assess(&x->r, &x->in, &x->g, e);
}

static void spec_free(spec *s)
{
    for (size_t i = 0; i < s->n; i++) {
        outcome *x = &s->out[i];
        cli_result_free(&x->r);
        app_data_free(&x->d);
        app_table_free(&x->t);
        app_free(x->path);
    }
    app_free(s->out);
    app_table_free(&s->t);
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
    spec s;
    sof_outcome *rows = NULL;
    app_err e = {0, ""};
    sbuf out;
    int rc, rest;
    memset(&o, 0, sizeof o);
    memset(&s, 0, sizeof s);
    o.tab.digits = 2;
    if ((rc = cli_getopt(argc, argv, "sof", ":f:o:h", lo, usage, set, &o, &rest)) != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    if (rest != argc - 1)
        return cli_usage_error("sof", rest >= argc ? "no outcomes file given" : "more than one outcomes file given"),
               APP_EXIT_USAGE;
    sb_init(&out);
    rc = -1;
    if (app_table_read(argv[rest], &s.t, &e) != 0 || columns(&s, &e) != 0)
        goto done;
    if (!(s.out = app_calloc(s.t.nrow, sizeof *s.out)) || !(rows = app_calloc(s.t.nrow, sizeof *rows))) {
        app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < s.t.nrow; i++) {
        outcome *x = &s.out[i];
        x->o.reexpress_sd = nan("");
        s.n = i + 1;
        if (outcome_input(&s, i, x, &e) != 0)
            goto done;
        x->o.reexpress_sd = isnan(x->o.reexpress_sd) ? nan("") : x->o.reexpress_sd;
        if (analyse(&s, i, x, argv[rest], &e) != 0) {
            if (e.code != APP_EXIT_INTERNAL && strncmp(e.msg, s.t.file, strlen(s.t.file)) != 0) {
                char msg[sizeof e.msg];
                snprintf(msg, sizeof msg, "%s", e.msg);
                app_err_set(&e, e.code, "%s:%ld: outcome '%s': %s", s.t.file, s.t.line[i],
                            cell(&s, i, C_OUTCOME), msg);
            }
            goto done;
        }
        rows[i].name = cell(&s, i, C_OUTCOME);
        rows[i].follow_up = cell(&s, i, C_FOLLOW_UP);
        rows[i].importance = cell(&s, i, C_IMPORTANCE);
        rows[i].comments = cell(&s, i, C_COMMENTS);
        rows[i].file = cell(&s, i, C_FILE);
        rows[i].r = &x->r;
        rows[i].g = &x->g;
    }
    o.tab.source = s.t.file;
    o.tab.o = rows;
    o.tab.n = s.n;
    if (app_sof_render(&o.tab, format_of(&o), &out) != 0) {
        app_err_set(&e, APP_EXIT_INTERNAL, "out of memory while writing the table");
        goto done;
    }
    rc = app_write_output(o.output, out.p ? out.p : "", out.len, &e);
done:
    sb_free(&out);
    app_free(rows);
    spec_free(&s);
    if (rc == 0)
        return APP_EXIT_OK;
    fprintf(stderr, "metasyn sof: %s\n", e.msg);
    return e.code ? e.code : APP_EXIT_INTERNAL;
}
