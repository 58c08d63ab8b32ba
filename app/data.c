/*
 * data.c - from a table to study data: choosing the columns a measure
 * can use, reading them as numbers, converting reported statistics
 * (convert.c), and checking every value.
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
    "n1i", "m1i", "sd1i", "n2i", "m2i", "sd2i", "ai", "bi", "ci", "di",
    "yi", "vi", "sei", "ci_lb", "ci_ub",
    "xi", "ni", "ti", "x1i", "t1i", "x2i", "t2i", "mi", "sdi", "ri", "oei", "vei",
    "se1i", "se2i", "lb1i", "ub1i", "lb2i", "ub2i",
    "mdi", "mdi_lb", "mdi_ub", "mdi_t", "mdi_p",
    "med1i", "q1_1i", "q3_1i", "min1i", "max1i",
    "med2i", "q1_2i", "q3_2i", "min2i", "max2i"};

/* The library columns of each input form (msyn_input order), -1 ends. */
static const int form_cols[][7] = {
    [MSYN_INPUT_NONE] = {-1},
    [MSYN_INPUT_ARMS] = {COL_N1I, COL_M1I, COL_SD1I, COL_N2I, COL_M2I, COL_SD2I, -1},
    [MSYN_INPUT_TABLE] = {COL_AI, COL_BI, COL_CI, COL_DI, COL_N1I, COL_N2I, -1},
    [MSYN_INPUT_ESTIMATE] = {COL_YI, COL_VI, COL_SEI, COL_CI_LB, COL_CI_UB, -1},
    [MSYN_INPUT_PROPORTION] = {COL_XI, COL_NI, -1},
    [MSYN_INPUT_RATE] = {COL_XI, COL_TI, -1},
    [MSYN_INPUT_MEAN] = {COL_MI, COL_SDI, COL_NI, -1},
    [MSYN_INPUT_CORRELATION] = {COL_RI, COL_NI, -1},
    [MSYN_INPUT_RATES] = {COL_X1I, COL_T1I, COL_X2I, COL_T2I, -1},
    [MSYN_INPUT_PREPOST] = {COL_M1I, COL_M2I, COL_SD1I, COL_SD2I, COL_NI, COL_RI, -1},
    [MSYN_INPUT_OE] = {COL_OEI, COL_VEI, -1},
};
#define NFORMS ((int)(sizeof form_cols / sizeof form_cols[0]))

/* What each form needs, for messages. */
static const char *const form_need[] = {
    [MSYN_INPUT_NONE] = "",
    [MSYN_INPUT_ARMS] = "columns n1i m1i sd1i n2i m2i sd2i",
    [MSYN_INPUT_TABLE] = "2x2 tables in columns ai bi ci di (or ai n1i ci n2i)",
    [MSYN_INPUT_ESTIMATE] = "yi with vi or sei (or ci_lb and ci_ub) for reported estimates",
    [MSYN_INPUT_PROPORTION] = "columns xi ni (events and participants)",
    [MSYN_INPUT_RATE] = "columns xi ti (events and person-time)",
    [MSYN_INPUT_MEAN] = "columns mi sdi ni",
    [MSYN_INPUT_CORRELATION] = "columns ri ni",
    [MSYN_INPUT_RATES] = "columns x1i t1i x2i t2i (events and person-time per group)",
    [MSYN_INPUT_PREPOST] = "columns m1i m2i sd1i sd2i ni and ri (or --ri)",
    [MSYN_INPUT_OE] = "columns oei vei (O - E and its variance)",
};

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

/* Which known columns the table has (index or -1). */
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
        app_err_set(e, APP_EXIT_USAGE, "%s has 2x2 tables (ai, ci, ...): choose --measure OR, RR, RD, AS or PETO", t->file);
    else if (idx[COL_N1I] >= 0 && idx[COL_N2I] >= 0 && idx[COL_AI] < 0)
        app_err_set(e, APP_EXIT_USAGE, "%s has means and SDs per group: choose --measure MD, SMD, SMDH or ROM", t->file);
    else if (idx[COL_XI] >= 0 && idx[COL_NI] >= 0)
        app_err_set(e, APP_EXIT_USAGE, "%s has events per group (xi, ni): choose --measure PR, PLO, PAS or PFT", t->file);
    else if (idx[COL_XI] >= 0 && idx[COL_TI] >= 0)
        app_err_set(e, APP_EXIT_USAGE, "%s has events and person-time (xi, ti): choose --measure IR or IRLN", t->file);
    else if (idx[COL_X1I] >= 0 && idx[COL_T1I] >= 0)
        app_err_set(e, APP_EXIT_USAGE, "%s has two groups' events and person-time: choose --measure IRR or IRD", t->file);
    else if (idx[COL_M1I] >= 0 && idx[COL_NI] >= 0)
        app_err_set(e, APP_EXIT_USAGE, "%s has one group measured twice (m1i, m2i, ni): choose --measure SMCC or SMCR", t->file);
    else if (idx[COL_RI] >= 0 && idx[COL_NI] >= 0)
        app_err_set(e, APP_EXIT_USAGE, "%s has correlations (ri, ni): choose --measure COR or ZCOR", t->file);
    else if (idx[COL_MI] >= 0 && idx[COL_SDI] >= 0)
        app_err_set(e, APP_EXIT_USAGE, "%s has one group's means (mi, sdi, ni): choose --measure MN or MNLN", t->file);
    else if (idx[COL_OEI] >= 0 && idx[COL_VEI] >= 0)
        app_err_set(e, APP_EXIT_USAGE, "%s has O - E and V (oei, vei): choose --measure PETO or HR", t->file);
    else
        app_err_set(e, APP_EXIT_DATA,
                    "%s:1: no study data columns found; the header needs metafor's names: yi with vi or sei (or ci_lb, ci_ub) for estimates, ai bi ci di (or ai n1i ci n2i) for 2x2 tables, n1i m1i sd1i n2i m2i sd2i for means, or another form in docs/cli/README.md%s",
                    t->file, app_table_delim_hint(t));
    return -1;
}

/* An msyn_es_data with a dummy pointer for each present column. */
static void dummy_view(const int present[COL_COUNT], msyn_es_data *d)
{
    static const double dummy = 0;
    const double *p[COL_ES_COUNT];
    for (int c = 0; c < COL_ES_COUNT; c++)
        p[c] = present[c] ? &dummy : NULL;
    memset(d, 0, sizeof *d);
    d->n1i = p[COL_N1I]; d->m1i = p[COL_M1I]; d->sd1i = p[COL_SD1I];
    d->n2i = p[COL_N2I]; d->m2i = p[COL_M2I]; d->sd2i = p[COL_SD2I];
    d->ai = p[COL_AI]; d->bi = p[COL_BI]; d->ci = p[COL_CI]; d->di = p[COL_DI];
    d->yi = p[COL_YI]; d->vi = p[COL_VI]; d->sei = p[COL_SEI];
    d->ci_lb = p[COL_CI_LB]; d->ci_ub = p[COL_CI_UB];
    d->xi = p[COL_XI]; d->ni = p[COL_NI]; d->ti = p[COL_TI];
    d->x1i = p[COL_X1I]; d->t1i = p[COL_T1I]; d->x2i = p[COL_X2I]; d->t2i = p[COL_T2I];
    d->mi = p[COL_MI]; d->sdi = p[COL_SDI]; d->ri = p[COL_RI];
    d->oei = p[COL_OEI]; d->vei = p[COL_VEI];
}

/* Does measure m accept input form f?  (The form is m's choice when only
 * f's columns are present.) */
static int accepts(msyn_measure m, int f)
{
    int present[COL_COUNT] = {0};
    msyn_es_data d;
    for (const int *c = form_cols[f]; *c >= 0; c++)
        present[*c] = 1;
    dummy_view(present, &d);
    return msyn_es_input(m, &d) == (msyn_input)f;
}

/* The columns measure m can read: those of every form it accepts, plus the
 * reported statistics convert.c turns into means and SDs. */
static void relevant(msyn_measure m, int rel[COL_COUNT])
{
    memset(rel, 0, COL_COUNT * sizeof *rel);
    for (int f = 1; f < NFORMS; f++) {
        if (!accepts(m, f))
            continue;
        for (const int *c = form_cols[f]; *c >= 0; c++)
            rel[*c] = 1;
        if (f == MSYN_INPUT_ARMS)
            for (int c = COL_ES_COUNT; c < COL_COUNT; c++)
                rel[c] = 1;
    }
}

static int missing_columns_error(const app_table *t, msyn_measure m,
                                 const int idx[COL_COUNT], app_err *e)
{
    char need[768] = "";
    size_t len = 0;
    int nf = 0;
    for (int j = 1; j < NFORMS; j++) {
        /* the measure's own forms first, reported estimates last */
        int f = j == NFORMS - 1 ? MSYN_INPUT_ESTIMATE : j >= MSYN_INPUT_ESTIMATE ? j + 1 : j;
        if (!accepts(m, f))
            continue;
        len += (size_t)snprintf(need + len, sizeof need - len, "%s%s", nf ? ", or " : "", form_need[f]);
        if (f == MSYN_INPUT_ARMS) {
            int first = 1;
            len += (size_t)snprintf(need + len, sizeof need - len, " (missing:");
            for (int c = COL_N1I; c <= COL_SD2I; c++)
                if (idx[c] < 0) {
                    len += (size_t)snprintf(need + len, sizeof need - len, "%s %s", first ? "" : ",", app_col_names[c]);
                    first = 0;
                }
            len += (size_t)snprintf(need + len, sizeof need - len, ")");
        }
        nf++;
        if (len >= sizeof need)
            break;
    }
    app_err_set(e, APP_EXIT_DATA, "%s:1: measure %s needs %s%s", t->file, msyn_measure_name(m), need,
                app_table_delim_hint(t));
    return -1;
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

static int oom(app_err *e, const char *file)
{
    app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", file);
    return -1;
}

static int alloc_data(app_data *d, size_t rows, const int rel[COL_COUNT], app_err *e,
                      const char *file)
{
    d->study = app_calloc(rows + 1, sizeof *d->study);
    d->line = app_calloc(rows + 1, sizeof *d->line);
    d->conv = app_calloc(rows + 1, sizeof *d->conv);
    d->row = app_calloc(rows + 1, sizeof *d->row);
    if (!d->study || !d->line || !d->conv || !d->row)
        return oom(e, file);
    if (d->score_col >= 0 && !(d->score = app_calloc(rows + 1, 1)))
        return oom(e, file);
    for (int c = 0; c < COL_COUNT; c++) {
        if (d->colidx[c] < 0 || !rel[c])
            continue;
        if (!(d->col[c] = app_calloc(rows + 1, sizeof(double))))
            return oom(e, file);
    }
    return 0;
}

/* The `score` column: final values or change from baseline. */
static int read_score(const app_table *t, size_t r, app_data *d, app_err *e)
{
    const char *s = app_table_cell(t, r, (size_t)d->score_col);
    size_t n;
    s += strspn(s, " \t");
    n = strcspn(s, " \t\r");
    if (n == 0 || (n == 2 && strncasecmp(s, "NA", 2) == 0))
        d->score[d->k] = SCORE_NONE;
    else if (n == 5 && strncasecmp(s, "final", 5) == 0)
        d->score[d->k] = SCORE_FINAL;
    else if (n == 6 && strncasecmp(s, "change", 6) == 0)
        d->score[d->k] = SCORE_CHANGE;
    else {
        app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: score: \"%s\" is not a kind of score; write final (values at follow-up) or change (change from baseline)",
                    t->file, t->line[r], d->score_col + 1, s);
        return -1;
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
            char more[48];
            app_excerpt_more(cell, more, sizeof more);
            app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: %s: \"%.*s%s %s%s", t->file, t->line[r],
                        d->colidx[c] + 1, app_col_names[c], app_excerpt_len(cell), cell, more, why,
                        !t->decimal_comma && strchr(cell, ',') ? " (or give --decimal comma)" : "");
            return -1;
        }
    }
    if (d->score && read_score(t, r, d, e) != 0)
        return -1;
    lab = study_col >= 0 ? app_table_cell(t, r, (size_t)study_col) : "";
    lab += strspn(lab, " \t");
    if (*lab == '\0') {
        snprintf(label, sizeof label, "Study %zu", i + 1);
        lab = label;
    }
    if (!(d->study[i] = app_strdup(lab)))
        return oom(e, t->file);
    {
        char *s = d->study[i];
        size_t n = strlen(s);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
            s[--n] = '\0';
    }
    d->line[i] = t->line[r];
    d->row[i] = r;
    d->k++;
    return 0;
}

static void set_views(app_data *d)
{
    msyn_es_data *s = &d->es;
    int present[COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++)
        present[c] = d->col[c] != NULL;
    dummy_view(present, s);
    s->n1i = d->col[COL_N1I]; s->m1i = d->col[COL_M1I]; s->sd1i = d->col[COL_SD1I];
    s->n2i = d->col[COL_N2I]; s->m2i = d->col[COL_M2I]; s->sd2i = d->col[COL_SD2I];
    s->ai = d->col[COL_AI]; s->bi = d->col[COL_BI]; s->ci = d->col[COL_CI];
    s->di = d->col[COL_DI]; s->yi = d->col[COL_YI]; s->vi = d->col[COL_VI];
    s->sei = d->col[COL_SEI];
    /* a CI needs both limits */
    s->ci_lb = d->col[COL_CI_UB] ? d->col[COL_CI_LB] : NULL;
    s->ci_ub = d->col[COL_CI_LB] ? d->col[COL_CI_UB] : NULL;
    s->xi = d->col[COL_XI]; s->ni = d->col[COL_NI]; s->ti = d->col[COL_TI];
    s->x1i = d->col[COL_X1I]; s->t1i = d->col[COL_T1I];
    s->x2i = d->col[COL_X2I]; s->t2i = d->col[COL_T2I];
    s->mi = d->col[COL_MI]; s->sdi = d->col[COL_SDI]; s->ri = d->col[COL_RI];
    s->oei = d->col[COL_OEI]; s->vei = d->col[COL_VEI];
}

static int column_of(const char *name)
{
    for (int c = 0; c < COL_COUNT; c++)
        if (name && strcmp(app_col_names[c], name) == 0)
            return c;
    return -1;
}

static int have(const app_data *d, int c, size_t i)
{
    return d->col[c] && d->col[c][i] == d->col[c][i];
}

/* The values study i lacks in form f, as "sd1i, sd2i" ("" if none). */
static void lacking(const app_data *d, msyn_measure m, const msyn_es_opts *eo, int f,
                    size_t i, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
#define LACK(s) (len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s", len ? ", " : "", s))
    if (f == MSYN_INPUT_ESTIMATE) {
        if (!have(d, COL_YI, i))
            LACK("yi");
        if (!have(d, COL_VI, i) && !have(d, COL_SEI, i) &&
            !(have(d, COL_CI_LB, i) && have(d, COL_CI_UB, i) && d->es.ci_lb))
            LACK("vi, sei or ci_lb/ci_ub");
        return;
    }
    if (f == MSYN_INPUT_TABLE) {
        if (!have(d, COL_AI, i))
            LACK("ai");
        if (!have(d, COL_BI, i) && !have(d, COL_N1I, i))
            LACK(d->col[COL_BI] ? "bi" : "n1i");
        if (!have(d, COL_CI, i))
            LACK("ci");
        if (!have(d, COL_DI, i) && !have(d, COL_N2I, i))
            LACK(d->col[COL_DI] ? "di" : "n2i");
        return;
    }
    for (const int *c = form_cols[f]; *c >= 0; c++) {
        if (*c == COL_SD2I && f == MSYN_INPUT_PREPOST && m == MSYN_MEASURE_SMCR)
            continue;
        if (*c == COL_RI && f == MSYN_INPUT_PREPOST && eo && !isnan(eo->ri))
            continue;
        if (!have(d, *c, i))
            LACK(app_col_names[*c]);
    }
#undef LACK
}

/* Warn about studies that will be left out for a missing value. */
static void note_missing(app_data *d, msyn_measure m, const msyn_es_opts *eo)
{
    char miss[160];
    for (size_t i = 0; i < d->k; i++) {
        msyn_input f = msyn_es_row_input(m, &d->es, eo, i);
        lacking(d, m, eo, (int)f, i, miss, sizeof miss);
        if (miss[0])
            app_strlist_addf(&d->warnings, "%s (line %ld) left out: no value for %s", d->study[i], d->line[i], miss);
    }
}

int app_data_load_ex(const app_table *t, msyn_measure m, const char *study_col,
                     const msyn_es_opts *eo, const app_conv_opts *co, app_data *d,
                     app_err *e)
{
    int scol, rel[COL_COUNT], present[COL_COUNT];
    msyn_es_data view;
    msyn_problem prob;
    msyn_status rc;
    memset(d, 0, sizeof *d);
    if (co)
        d->co = *co;
    else
        d->co.median = MSYN_MEDIAN_LUO;
    if (locate(t, d->colidx, e) != 0)
        return -1;
    relevant(m, rel);
    /* the form, counting columns convert.c can fill */
    for (int c = 0; c < COL_COUNT; c++)
        present[c] = d->colidx[c] >= 0 && rel[c];
    if (rel[COL_N1I] && rel[COL_SE1I] && present[COL_N1I] && present[COL_N2I]) {
        present[COL_M1I] |= present[COL_MDI] || present[COL_MED1I] || present[COL_LB1I];
        present[COL_M2I] |= present[COL_MDI] || present[COL_MED2I] || present[COL_LB2I];
        present[COL_SD1I] |= present[COL_SE1I] || present[COL_LB1I] || present[COL_MED1I] ||
                             present[COL_MDI_LB] || present[COL_MDI_T] || present[COL_MDI_P];
        present[COL_SD2I] |= present[COL_SE2I] || present[COL_LB2I] || present[COL_MED2I] ||
                             present[COL_MDI_LB] || present[COL_MDI_T] || present[COL_MDI_P];
    }
    dummy_view(present, &view);
    if (msyn_es_input(m, &view) == MSYN_INPUT_NONE)
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
    d->score_col = find_col(t, "score");
    if (alloc_data(d, t->nrow, rel, e, t->file) != 0)
        return -1;
    for (size_t r = 0; r < t->nrow; r++)
        if (!row_is_blank(t, r) && read_row(t, r, d, scol, e) != 0)
            return -1;
    d->recoded = t->recoded;
    if (d->k == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s: the file has a header but no study rows", t->file);
        return -1;
    }
    if (app_convert(d, m, eo, e) != 0)
        return -1;
    set_views(d);
    d->input = msyn_es_input(m, &d->es);
    rc = msyn_es_check(m, &d->es, d->k, eo, &prob);
    if (rc == MSYN_EDATA) {
        int c = column_of(prob.column);
        app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: %s", t->file, d->line[prob.study],
                    c >= 0 && d->colidx[c] >= 0 ? d->colidx[c] + 1 : 0, prob.message);
        return -1;
    }
    if (rc != MSYN_OK) {
        app_err_set(e, APP_EXIT_DATA, "%s: %s", t->file, msyn_strerror(rc));
        return -1;
    }
    note_missing(d, m, eo);
    if (d->warnings.oom)
        return oom(e, t->file);
    return 0;
}

int app_data_load(const app_table *t, msyn_measure m, const char *study_col,
                  const msyn_es_opts *eo, app_data *d, app_err *e)
{
    return app_data_load_ex(t, m, study_col, eo, NULL, d, e);
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
    app_free(d->conv);
    app_free(d->row);
    app_free(d->score);
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
    else if (flags & MSYN_ES_FROM_OR)
        snprintf(buf, n, "SMD from the log odds ratio (Chinn 2000)");
    else if (flags & MSYN_ES_FROM_SMD)
        snprintf(buf, n, "converted from the standardized mean difference");
    else if (flags & MSYN_ES_FROM_R)
        snprintf(buf, n, "SMD from the correlation r");
    else if (flags & MSYN_ES_RI_GIVEN)
        snprintf(buf, n, "correlation of the time points from --ri");
    else if (flags & MSYN_ES_FROM_CI)
        snprintf(buf, n, "variance from the confidence interval");
    else if (flags & MSYN_ES_FROM_SE)
        snprintf(buf, n, "variance from the standard error");
    return buf;
}
