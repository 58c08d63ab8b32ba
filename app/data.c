/*
 * data.c - from a table to study data: choosing the columns a measure
 * needs, reading them as numbers, and checking every value.
 *
 * The rules themselves (SD > 0, events <= n, ...) are libmetasyn's
 * msyn_es_check(); this file adds where the value came from, so every
 * message reads FILE:LINE:COLUMN: what is wrong and what would be right.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app.h"

const char *const app_col_names[COL_COUNT] = {
    "n1i", "m1i", "sd1i", "n2i", "m2i", "sd2i", "ai", "bi",
    "ci", "di", "yi", "vi", "sei", "ci_lb", "ci_ub"};

/* Column of a metafor name: exact match, else a case-insensitive one. */
static int find_col(const app_table *t, const char *name)
{
    int j = app_table_col(t, name);
    if (j == -1)
        j = app_table_col_nocase(t, name);
    return j;
}

static int dup_error(const app_table *t, const char *name, app_err *e)
{
    app_err_set(e, APP_EXIT_DATA, "%s:1: column '%s' appears more than once in the header; keep one", t->file, name);
    return -1;
}

/* Which metafor columns the table has (index or -1). */
static int locate(const app_table *t, int idx[COL_COUNT], app_err *e)
{
    for (int c = 0; c < COL_COUNT; c++) {
        idx[c] = find_col(t, app_col_names[c]);
        if (idx[c] == -2)
            return dup_error(t, app_col_names[c], e);
    }
    return 0;
}

int app_data_guess_measure(const app_table *t, msyn_measure *m, app_err *e)
{
    int idx[COL_COUNT];
    if (locate(t, idx, e) != 0)
        return -1;
    if (idx[COL_YI] >= 0) {
        *m = MSYN_MEASURE_GEN;
        return 0;
    }
    if (idx[COL_AI] >= 0 && idx[COL_CI] >= 0)
        app_err_set(e, APP_EXIT_USAGE, "%s has 2x2 tables (ai, ci, ...): choose --measure OR, RR, RD or PETO", t->file);
    else if (idx[COL_M1I] >= 0 && idx[COL_SD1I] >= 0)
        app_err_set(e, APP_EXIT_USAGE, "%s has means and SDs per group: choose --measure MD, SMD, SMDH or ROM", t->file);
    else
        app_err_set(e, APP_EXIT_DATA,
                    "%s:1: no study data columns found; the header needs metafor's names: yi with vi or sei (or ci_lb, ci_ub) for estimates, ai bi ci di (or ai n1i ci n2i) for 2x2 tables, or n1i m1i sd1i n2i m2i sd2i for means",
                    t->file);
    return -1;
}

/* The input form for measure m given which columns exist. */
static msyn_input form_of(msyn_measure m, const int idx[COL_COUNT])
{
    static const double dummy = 0;
    const double *p[COL_COUNT];
    msyn_es_data d;
    for (int c = 0; c < COL_COUNT; c++)
        p[c] = idx[c] >= 0 ? &dummy : NULL;
    d.n1i = p[COL_N1I]; d.m1i = p[COL_M1I]; d.sd1i = p[COL_SD1I];
    d.n2i = p[COL_N2I]; d.m2i = p[COL_M2I]; d.sd2i = p[COL_SD2I];
    d.ai = p[COL_AI]; d.bi = p[COL_BI]; d.ci = p[COL_CI]; d.di = p[COL_DI];
    d.yi = p[COL_YI]; d.vi = p[COL_VI]; d.sei = p[COL_SEI];
    d.ci_lb = p[COL_CI_LB]; d.ci_ub = p[COL_CI_UB];
    return msyn_es_input(m, &d);
}

static int missing_columns_error(const app_table *t, msyn_measure m,
                                 const int idx[COL_COUNT], app_err *e)
{
    char need[256] = "";
    const char *mn = msyn_measure_name(m);
    if (m == MSYN_MEASURE_MD || m == MSYN_MEASURE_SMD || m == MSYN_MEASURE_SMDH ||
        m == MSYN_MEASURE_ROM) {
        for (int c = COL_N1I; c <= COL_SD2I; c++)
            if (idx[c] < 0) {
                strcat(need, need[0] ? ", " : "");
                strcat(need, app_col_names[c]);
            }
        app_err_set(e, APP_EXIT_DATA,
                    "%s:1: measure %s needs columns n1i m1i sd1i n2i m2i sd2i (missing: %s), or yi with vi or sei for reported estimates",
                    t->file, mn, need);
    } else if (m == MSYN_MEASURE_OR || m == MSYN_MEASURE_RR || m == MSYN_MEASURE_RD ||
               m == MSYN_MEASURE_PETO) {
        app_err_set(e, APP_EXIT_DATA,
                    "%s:1: measure %s needs 2x2 tables in columns ai bi ci di (or ai n1i ci n2i), or yi with vi or sei for reported estimates",
                    t->file, mn);
    } else {
        app_err_set(e, APP_EXIT_DATA,
                    "%s:1: measure %s needs a column yi and one of vi, sei, or ci_lb and ci_ub",
                    t->file, mn);
    }
    return -1;
}

/* Columns read for each input form. */
static int used_in_form(int c, msyn_input in)
{
    if (in == MSYN_INPUT_ARMS)
        return c <= COL_SD2I;
    if (in == MSYN_INPUT_TABLE)
        return c == COL_AI || c == COL_BI || c == COL_CI || c == COL_DI ||
               c == COL_N1I || c == COL_N2I;
    return c >= COL_YI;
}

static int row_is_blank(const app_table *t, size_t r)
{
    for (size_t j = 0; j < t->ncol; j++) {
        const char *c = app_table_cell(t, r, j);
        if (c[strspn(c, " \t\r")] != '\0')
            return 0;
    }
    return 1;
}

static int alloc_data(app_data *d, size_t rows, app_err *e, const char *file)
{
    d->study = app_calloc(rows + 1, sizeof *d->study);
    d->line = app_calloc(rows + 1, sizeof *d->line);
    if (!d->study || !d->line) {
        app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", file);
        return -1;
    }
    for (int c = 0; c < COL_COUNT; c++) {
        if (d->colidx[c] < 0 || !used_in_form(c, d->input))
            continue;
        if (!(d->col[c] = app_calloc(rows + 1, sizeof(double)))) {
            app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", file);
            return -1;
        }
    }
    return 0;
}

static int read_row(const app_table *t, size_t r, app_data *d, int study_col,
                    app_err *e)
{
    size_t i = d->k;
    char label[64];
    const char *lab;
    for (int c = 0; c < COL_COUNT; c++) {
        const char *why;
        const char *cell;
        if (!d->col[c])
            continue;
        cell = app_table_cell(t, r, (size_t)d->colidx[c]);
        if (app_parse_number(cell, t->decimal_comma, &d->col[c][i], &why) == NUM_BAD) {
            app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: %s: \"%s\" %s", t->file, t->line[r],
                        d->colidx[c] + 1, app_col_names[c], cell, why);
            return -1;
        }
    }
    lab = study_col >= 0 ? app_table_cell(t, r, (size_t)study_col) : "";
    lab += strspn(lab, " \t");
    if (*lab == '\0') {
        snprintf(label, sizeof label, "Study %zu", i + 1);
        lab = label;
    }
    if (!(d->study[i] = app_strdup(lab))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    {
        char *s = d->study[i];
        size_t n = strlen(s);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
            s[--n] = '\0';
    }
    d->line[i] = t->line[r];
    d->k++;
    return 0;
}

static void set_views(app_data *d)
{
    msyn_es_data *s = &d->es;
    s->n1i = d->col[COL_N1I]; s->m1i = d->col[COL_M1I]; s->sd1i = d->col[COL_SD1I];
    s->n2i = d->col[COL_N2I]; s->m2i = d->col[COL_M2I]; s->sd2i = d->col[COL_SD2I];
    s->ai = d->col[COL_AI]; s->bi = d->col[COL_BI]; s->ci = d->col[COL_CI];
    s->di = d->col[COL_DI]; s->yi = d->col[COL_YI]; s->vi = d->col[COL_VI];
    s->sei = d->col[COL_SEI];
    /* a CI needs both limits */
    s->ci_lb = d->col[COL_CI_UB] ? d->col[COL_CI_LB] : NULL;
    s->ci_ub = d->col[COL_CI_LB] ? d->col[COL_CI_UB] : NULL;
}

static int column_of(const char *name)
{
    for (int c = 0; c < COL_COUNT; c++)
        if (name && strcmp(app_col_names[c], name) == 0)
            return c;
    return -1;
}

/* Warn about studies that will be left out for a missing value. */
static void note_missing(app_data *d)
{
    for (size_t i = 0; i < d->k; i++) {
        const char *miss = NULL;
        for (int c = 0; c < COL_COUNT && !miss; c++) {
            if (!d->col[c] || d->col[c][i] == d->col[c][i])
                continue;
            if (d->input == MSYN_INPUT_TABLE &&
                ((c == COL_BI && d->col[COL_N1I] && d->col[COL_N1I][i] == d->col[COL_N1I][i]) ||
                 (c == COL_DI && d->col[COL_N2I] && d->col[COL_N2I][i] == d->col[COL_N2I][i]) ||
                 (c == COL_N1I && d->col[COL_BI] && d->col[COL_BI][i] == d->col[COL_BI][i]) ||
                 (c == COL_N2I && d->col[COL_DI] && d->col[COL_DI][i] == d->col[COL_DI][i])))
                continue;
            if (d->input == MSYN_INPUT_ESTIMATE && c != COL_YI) {
                const msyn_es_data *s = &d->es;
                int has_v = (s->vi && s->vi[i] == s->vi[i]) || (s->sei && s->sei[i] == s->sei[i]) ||
                            (s->ci_lb && s->ci_lb[i] == s->ci_lb[i] && s->ci_ub[i] == s->ci_ub[i]);
                if (has_v || c == COL_CI_LB || c == COL_CI_UB || c == COL_SEI)
                    continue;
                miss = "vi, sei or ci_lb/ci_ub";
                break;
            }
            miss = app_col_names[c];
        }
        if (miss)
            app_strlist_addf(&d->warnings, "%s (line %ld) left out: no value for %s", d->study[i], d->line[i], miss);
    }
}

int app_data_load(const app_table *t, msyn_measure m, const char *study_col,
                  const msyn_es_opts *eo, app_data *d, app_err *e)
{
    int scol;
    msyn_problem prob;
    msyn_status rc;
    memset(d, 0, sizeof *d);
    if (locate(t, d->colidx, e) != 0)
        return -1;
    if ((d->input = form_of(m, d->colidx)) == MSYN_INPUT_NONE)
        return missing_columns_error(t, m, d->colidx, e);
    if (study_col) {
        scol = app_table_col(t, study_col);
        if (scol < 0) {
            app_err_set(e, APP_EXIT_USAGE, "%s: --study %s: no such column", t->file, study_col);
            return -1;
        }
    } else {
        scol = find_col(t, "study");
    }
    if (alloc_data(d, t->nrow, e, t->file) != 0)
        return -1;
    for (size_t r = 0; r < t->nrow; r++)
        if (!row_is_blank(t, r) && read_row(t, r, d, scol, e) != 0)
            return -1;
    set_views(d);
    d->recoded = t->recoded;
    rc = msyn_es_check(m, &d->es, d->k, eo, &prob);
    if (rc == MSYN_EDATA) {
        int c = column_of(prob.column);
        app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: %s", t->file, d->line[prob.study],
                    c >= 0 ? d->colidx[c] + 1 : 0, prob.message);
        return -1;
    }
    if (rc != MSYN_OK) {
        app_err_set(e, APP_EXIT_DATA, "%s: %s", t->file, msyn_strerror(rc));
        return -1;
    }
    if (d->k == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s: the file has a header but no study rows", t->file);
        return -1;
    }
    note_missing(d);
    if (d->warnings.oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", t->file);
        return -1;
    }
    return 0;
}

void app_data_free(app_data *d)
{
    if (!d)
        return;
    if (d->study)
        for (size_t i = 0; i < d->k; i++)
            app_free(d->study[i]);
    app_free(d->study);
    app_free(d->line);
    for (int c = 0; c < COL_COUNT; c++)
        app_free(d->col[c]);
    app_strlist_free(&d->warnings);
    memset(d, 0, sizeof *d);
}

const char *app_es_note(unsigned flags, const msyn_es_opts *eo, char *buf, size_t n)
{
    buf[0] = '\0';
    if (flags & MSYN_ES_MISSING)
        snprintf(buf, n, "missing value: left out");
    else if (flags & MSYN_ES_DROPPED00)
        snprintf(buf, n, "no events (or no non-events) in either group: not estimable");
    else if (flags & MSYN_ES_NA)
        snprintf(buf, n, "effect size undefined for these data: left out");
    else if (flags & MSYN_ES_ADDED)
        snprintf(buf, n, "%g added to each cell (zero cell)", eo ? eo->add : 0.5);
    else if (flags & MSYN_ES_FROM_CI)
        snprintf(buf, n, "variance from the confidence interval");
    else if (flags & MSYN_ES_FROM_SE)
        snprintf(buf, n, "variance from the standard error");
    return buf;
}
