/*
 * sof_read.c - the outcomes file of `metasyn sof`: its columns, each
 * row's GRADE input (design, control risk, MCID, the reviewers' overrides
 * and their justifications) and the study files it names.  sof.h;
 * docs/cli/sof.md.
 */
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sof.h"

static const char *const colname[SOF_C_COUNT] = {
    "outcome", "file", "measure", "method", "where", "study", "design", "follow_up", "importance", "comments",
    "control_risk", "mcid", "reexpress_sd", "scale_name", "rob_column", "indirectness", "indirectness_reason",
    "risk_of_bias", "risk_of_bias_reason", "inconsistency", "inconsistency_reason", "imprecision",
    "imprecision_reason", "publication_bias", "publication_bias_reason", "upgrade", "upgrade_reason",
    "instrument"};

/* The override column and its reason column of each domain. */
static const int domain_col[GRADE_NDOMAINS][2] = {
    {SOF_C_ROB, SOF_C_ROB_REASON},
    {SOF_C_INCONSISTENCY, SOF_C_INCONSISTENCY_REASON},
    {SOF_C_INDIRECTNESS, SOF_C_INDIRECTNESS_REASON},
    {SOF_C_IMPRECISION, SOF_C_IMPRECISION_REASON},
    {SOF_C_PUBBIAS, SOF_C_PUBBIAS_REASON},
    {SOF_C_UPGRADE, SOF_C_UPGRADE_REASON}};

const char *sof_cell(const sof_spec *s, size_t row, int c)
{
    const char *v = s->col[c] >= 0 ? app_table_cell(&s->t, row, (size_t)s->col[c]) : NULL;
    return v && *v ? v : NULL;
}

int sof_bad_cell(const sof_spec *s, size_t row, int c, app_err *e, const char *what)
{
    app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: %s", s->t.file, s->t.line[row], s->col[c] + 1, what);
    return -1;
}

static int columns(sof_spec *s, app_err *e)
{
    for (int c = 0; c < SOF_C_COUNT; c++)
        s->col[c] = app_table_col(&s->t, colname[c]);
    for (size_t j = 0; j < s->t.ncol; j++) {
        int known = 0;
        for (int c = 0; c < SOF_C_COUNT; c++)
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
    if (s->col[SOF_C_OUTCOME] < 0 || s->col[SOF_C_FILE] < 0) {
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

int sof_spec_read(const char *path, sof_spec *s, app_err *e)
{
    memset(s, 0, sizeof *s);
    if (app_table_read(path, &s->t, e) != 0)
        return -1;
    if (columns(s, e) != 0) {
        sof_spec_free(s);
        return -1;
    }
    return 0;
}

int sof_spec_parse(const char *name, const char *data, size_t len, sof_spec *s, app_err *e)
{
    memset(s, 0, sizeof *s);
    if (app_table_parse(name, data, len, &s->t, e) != 0)
        return -1;
    if (columns(s, e) != 0) {
        sof_spec_free(s);
        return -1;
    }
    return 0;
}

void sof_spec_free(sof_spec *s)
{
    app_table_free(&s->t);
    memset(s, 0, sizeof *s);
}

static int parse_num(const sof_spec *s, size_t row, int c, double lo, double hi, double *x, app_err *e,
                     const char *expect)
{
    const char *v = sof_cell(s, row, c), *why;
    char msg[300];
    *x = nan("");
    if (!v)
        return 0;
    if (app_parse_number(v, 0, x, &why) != NUM_OK || *x < lo || *x > hi) {
        snprintf(msg, sizeof msg, "%s '%s' is not %s", colname[c], v, expect);
        return sof_bad_cell(s, row, c, e, msg);
    }
    return 0;
}

static int parse_risk(const sof_spec *s, size_t row, double *x, app_err *e)
{
    const char *v = sof_cell(s, row, SOF_C_CONTROL_RISK);
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
        return sof_bad_cell(s, row, SOF_C_CONTROL_RISK, e,
                            "control_risk is not a risk between 0 and 1 (exclusive); write 0.12, 12% or 120/1000");
    *x = y / scale;
    return 0;
}

static int parse_level(const sof_spec *s, size_t row, grade_domain d, grade_input *in, app_err *e)
{
    const char *v = sof_cell(s, row, domain_col[d][0]), *why = sof_cell(s, row, domain_col[d][1]);
    char msg[400];
    int x;
    if (!v) {
        if (why && d != GRADE_INDIRECTNESS) {
            snprintf(msg, sizeof msg, "%s is given without a rating in %s", colname[domain_col[d][1]],
                     colname[domain_col[d][0]]);
            return sof_bad_cell(s, row, domain_col[d][1], e, msg);
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
        return sof_bad_cell(s, row, domain_col[d][0], e, msg);
    }
    if (!why && (d != GRADE_INDIRECTNESS || x != 0)) {
        snprintf(msg, sizeof msg, "%s %s needs its justification in the column %s", colname[domain_col[d][0]],
                 v, colname[domain_col[d][1]]);
        return sof_bad_cell(s, row, domain_col[d][0], e, msg);
    }
    return 0;
}

int sof_row_input(const sof_spec *s, size_t row, grade_input *in, double *reexpress_sd, app_err *e)
{
    const char *v;
    *reexpress_sd = nan("");
    if (!sof_cell(s, row, SOF_C_OUTCOME))
        return sof_bad_cell(s, row, SOF_C_OUTCOME, e, "the outcome has no name");
    if (!sof_cell(s, row, SOF_C_FILE))
        return sof_bad_cell(s, row, SOF_C_FILE, e, "the outcome has no study file");
    in->design = GRADE_DESIGN_AUTO;
    if ((v = sof_cell(s, row, SOF_C_DESIGN))) {
        int dz = grade_design_word(v);
        if (dz <= 0)
            return sof_bad_cell(s, row, SOF_C_DESIGN, e,
                                "design is not known; expected randomised (RCT, cluster RCT) or observational "
                                "(cohort, case-control, cross-sectional, non-randomised, before-after, case series)");
        in->design = dz == 1 ? GRADE_DESIGN_RANDOMISED : GRADE_DESIGN_OBSERVATIONAL;
    }
    if (parse_risk(s, row, &in->control_risk, e) != 0 ||
        parse_num(s, row, SOF_C_MCID, 1e-300, 1e300, &in->mcid, e, "a positive number") != 0 ||
        parse_num(s, row, SOF_C_REEXPRESS_SD, 1e-300, 1e300, reexpress_sd, e, "a positive SD") != 0)
        return -1;
    for (int d = 0; d < GRADE_NDOMAINS; d++)
        if (parse_level(s, row, (grade_domain)d, in, e) != 0)
            return -1;
    return 0;
}

char *sof_study_path(const char *outcomes, const char *file)
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
