/*
 * plot_forest.c - the forest plot (`pool --forest FILE`).  plot.h.
 *
 * Two layouts.  RevMan's (default): study label, the arm data (events and
 * totals, or mean, SD and total per group), weight, the effect with its
 * CI as text, then the plot, then optional risk-of-bias dots; subgroups
 * with a subtotal diamond and their heterogeneity; the total diamond, the
 * prediction interval as a bar, heterogeneity, the test for the overall
 * effect and for subgroup differences as lines of text; the axis with
 * "Favours" labels.  metafor's compact one: label, plot, effect text, with
 * the statistics under the axis.
 *
 * The figure is laid out in two passes: rows are collected (text measured
 * as they are made), then columns are sized from the widest cell, the
 * plot area gets what --width leaves (or a default), and everything is
 * drawn.  Ratio measures use a log axis with ticks on the ratio scale.
 * Other transformed measures (logit or arcsine proportions, Fisher's z,
 * ...) are drawn on the analysis scale, with their text on the reading
 * scale: docs/figures.md says so.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plot.h"
#include "rob.h"

#define FS 9.0        /* body text, points */
#define FS_TICK 8.0
#define ROW 13.0      /* row pitch */
#define PAD 7.0       /* between columns */
#define MARGIN 10.0
#define MAXCOL 12

typedef enum { R_STUDY, R_GROUP, R_DIAMOND, R_PI, R_NOTE, R_BLANK } row_kind;

typedef struct row {
    row_kind kind;
    char *label;               /* first column (or the note)                */
    int bold;
    int subtotal;              /* R_DIAMOND of a subgroup                    */
    char *cell[MAXCOL];        /* data columns                              */
    char *weight, *effect;
    double est, lb, ub, w;     /* on the analysis scale; w in percent       */
    size_t study;              /* R_STUDY: index into the data              */
} row;

typedef struct forest {
    const app_result *r;
    plot *p;
    row *rows;
    size_t n, cap;
    int oom;
    /* columns */
    int ncell;                 /* data columns                              */
    const char *cellhead[MAXCOL];
    const char *group[2];      /* "Experimental", "Control" over the cells  */
    int group_split;           /* first cell of the second group            */
    int rob_col[16];
    app_rob_scale rob_scale[16]; /* SIGN 50 when the column has "++"    */
    size_t nrob;
} forest;

/* ---- text helpers ---------------------------------------------------- */

/* x with d decimals and a true minus sign. */
static void fnum(double x, int d, char *buf, size_t n)
{
    size_t len;
    app_fx(x, d, buf, n);
    len = strlen(buf);
    if (buf[0] == '-' && len + 3 <= n) { /* a true minus sign */
        memmove(buf + 3, buf + 1, len);
        memcpy(buf, "\xe2\x88\x92", 3);
    }
}

/* RevMan's P: "P = 0.04", "P < 0.00001". */
static void fp(double p, char *buf, size_t n)
{
    if (isnan(p))
        snprintf(buf, n, "P = NA");
    else if (p < 0.00001)
        snprintf(buf, n, "P < 0.00001");
    else if (p < 0.0001)
        snprintf(buf, n, "P = %.5f", p);
    else if (p < 0.001)
        snprintf(buf, n, "P = %.4f", p);
    else if (p < 0.01)
        snprintf(buf, n, "P = %.3f", p);
    else
        snprintf(buf, n, "P = %.2f", p);
}

static char *dup(forest *f, const char *s)
{
    char *c;
    if (!s || f->oom)
        return NULL;
    if (!(c = app_strdup(s)))
        f->oom = 1;
    return c;
}

static row *add_row(forest *f, row_kind kind, const char *label)
{
    row *x;
    if (f->oom)
        return NULL;
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 64;
        row *v = app_realloc(f->rows, cap * sizeof *v);
        if (!v) {
            f->oom = 1;
            return NULL;
        }
        f->rows = v;
        f->cap = cap;
    }
    x = &f->rows[f->n++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->est = x->lb = x->ub = x->w = nan("");
    x->label = dup(f, label);
    return x;
}

static void free_rows(forest *f)
{
    for (size_t i = 0; i < f->n; i++) {
        row *x = &f->rows[i];
        app_free(x->label);
        app_free(x->weight);
        app_free(x->effect);
        for (int j = 0; j < MAXCOL; j++)
            app_free(x->cell[j]);
    }
    app_free(f->rows);
}

/* The effect as RevMan prints it: "0.49 [0.34, 0.70]" on the reading
 * scale. */
static char *effect_text(forest *f, double est, double lb, double ub, size_t study, int is_study)
{
    const app_result *r = f->r;
    char a[64], b[64], c[64], s[224];
    double e = is_study ? app_back_study(r, study, est) : app_back(r, est);
    double l = is_study ? app_back_study(r, study, lb) : app_back(r, lb);
    double u = is_study ? app_back_study(r, study, ub) : app_back(r, ub);
    if (isnan(est))
        return dup(f, "Not estimable");
    fnum(e, 2, a, sizeof a);
    fnum(l, 2, b, sizeof b);
    fnum(u, 2, c, sizeof c);
    snprintf(s, sizeof s, "%s [%s, %s]", a, b, c);
    return dup(f, s);
}

/* ---- what the columns show ------------------------------------------ */

static const char *reading_name(msyn_measure m)
{
    switch (m) {
    case MSYN_MEASURE_OR: return "Odds Ratio";
    case MSYN_MEASURE_PETO: return "Peto Odds Ratio";
    case MSYN_MEASURE_RR: return "Risk Ratio";
    case MSYN_MEASURE_RD: return "Risk Difference";
    case MSYN_MEASURE_AS: return "Arcsine Risk Difference";
    case MSYN_MEASURE_HR: return "Hazard Ratio";
    case MSYN_MEASURE_MD: return "Mean Difference";
    case MSYN_MEASURE_SMD:
    case MSYN_MEASURE_SMDH: return "Std. Mean Difference";
    case MSYN_MEASURE_ROM: return "Ratio of Means";
    case MSYN_MEASURE_PR: case MSYN_MEASURE_PLO: case MSYN_MEASURE_PAS:
    case MSYN_MEASURE_PFT: return "Proportion";
    case MSYN_MEASURE_IR: case MSYN_MEASURE_IRLN: return "Incidence Rate";
    case MSYN_MEASURE_IRR: return "Incidence Rate Ratio";
    case MSYN_MEASURE_IRD: return "Incidence Rate Difference";
    case MSYN_MEASURE_MN: case MSYN_MEASURE_MNLN: return "Mean";
    case MSYN_MEASURE_COR: case MSYN_MEASURE_ZCOR: return "Correlation";
    case MSYN_MEASURE_SMCC: case MSYN_MEASURE_SMCR: return "Std. Mean Change";
    default: return "Effect Size";
    }
}

/* "IV, Random, 95% CI" */
static void method_text(const app_result *r, char *buf, size_t n)
{
    const char *how = r->po.method == MSYN_METHOD_MH ? "M-H" : r->po.method == MSYN_METHOD_PETO ? "Peto" : "IV";
    int fixed = r->po.method == MSYN_METHOD_EE || r->po.method == MSYN_METHOD_MH ||
                r->po.method == MSYN_METHOD_PETO;
    if (r->po.method == MSYN_METHOD_PETO)
        snprintf(buf, n, "%s, Fixed, %g%% CI", how, 100 * r->po.level);
    else
        snprintf(buf, n, "%s, %s, %g%% CI", how, fixed ? "Fixed" : "Random", 100 * r->po.level);
}

static const double *colv(const app_data *d, int c)
{
    return d->col[c];
}

/* Choose the data columns from the form of the file. */
static void choose_cells(forest *f)
{
    const app_data *d = f->r->data;
    f->ncell = 0;
    if (f->r->fig.compact)
        return;
    if (colv(d, COL_M1I) && colv(d, COL_SD1I) && colv(d, COL_N1I) && colv(d, COL_M2I)) {
        static const char *const h[6] = {"Mean", "SD", "Total", "Mean", "SD", "Total"};
        for (int j = 0; j < 6; j++)
            f->cellhead[j] = h[j];
        f->ncell = 6;
        f->group_split = 3;
    } else if (colv(d, COL_AI) && colv(d, COL_CI) && (colv(d, COL_BI) || colv(d, COL_N1I))) {
        static const char *const h[4] = {"Events", "Total", "Events", "Total"};
        for (int j = 0; j < 4; j++)
            f->cellhead[j] = h[j];
        f->ncell = 4;
        f->group_split = 2;
    } else if (colv(d, COL_X1I) && colv(d, COL_T1I)) {
        static const char *const h[4] = {"Events", "Time", "Events", "Time"};
        for (int j = 0; j < 4; j++)
            f->cellhead[j] = h[j];
        f->ncell = 4;
        f->group_split = 2;
    } else if (colv(d, COL_XI) && colv(d, COL_NI)) {
        f->cellhead[0] = "Events";
        f->cellhead[1] = "Total";
        f->ncell = 2;
        f->group_split = 2;
    } else if (colv(d, COL_MI) && colv(d, COL_SDI) && colv(d, COL_NI)) {
        f->cellhead[0] = "Mean";
        f->cellhead[1] = "SD";
        f->cellhead[2] = "Total";
        f->ncell = 3;
        f->group_split = 3;
    }
    f->group[0] = f->group_split < f->ncell ? "Experimental" : NULL;
    f->group[1] = f->group_split < f->ncell ? "Control" : NULL;
}

/* A cell as the user typed it, or a computed value with 2 decimals. */
static char *cell_text(forest *f, size_t i, int c)
{
    const app_data *d = f->r->data;
    const double *v = colv(d, c);
    char b[64];
    if (d->colidx[c] >= 0) {
        const char *s = app_table_cell(f->r->table, d->row[i], (size_t)d->colidx[c]);
        if (s && *s) {
            while (*s == ' ')
                s++;
            if (s[0] == '-') {
                snprintf(b, sizeof b, "\xe2\x88\x92%s", s + 1);
                return dup(f, b);
            }
            return dup(f, s);
        }
    }
    if (!v || isnan(v[i]))
        return NULL;
    /* only the mean difference was reported: the arms' means are not data */
    if ((c == COL_M1I || c == COL_M2I) && d->conv && (d->conv[i] & CONV_M_MD))
        return NULL;
    if (c == COL_N1I || c == COL_N2I || c == COL_NI || c == COL_AI || c == COL_CI || c == COL_XI ||
        c == COL_X1I || c == COL_X2I)
        fnum(v[i], v[i] == floor(v[i]) ? 0 : 2, b, sizeof b);
    else
        fnum(v[i], 2, b, sizeof b); /* computed (from an SE, a CI, a median) */
    return dup(f, b);
}

static void study_cells(forest *f, row *x, size_t i)
{
    const app_data *d = f->r->data;
    int cols[6], n = 0;
    if (f->ncell == 6) {
        int c6[6] = {COL_M1I, COL_SD1I, COL_N1I, COL_M2I, COL_SD2I, COL_N2I};
        memcpy(cols, c6, sizeof c6);
        n = 6;
    } else if (f->ncell == 4 && colv(d, COL_AI)) {
        int c4[4] = {COL_AI, COL_N1I, COL_CI, COL_N2I};
        memcpy(cols, c4, sizeof c4);
        n = 4;
    } else if (f->ncell == 4) {
        int c4[4] = {COL_X1I, COL_T1I, COL_X2I, COL_T2I};
        memcpy(cols, c4, sizeof c4);
        n = 4;
    } else if (f->ncell == 2) {
        cols[0] = COL_XI, cols[1] = COL_NI, n = 2;
    } else if (f->ncell == 3) {
        cols[0] = COL_MI, cols[1] = COL_SDI, cols[2] = COL_NI, n = 3;
    }
    for (int j = 0; j < n; j++) {
        if (n == 4 && colv(d, COL_AI) && (cols[j] == COL_N1I || cols[j] == COL_N2I) &&
            (!colv(d, cols[j]) || isnan(colv(d, cols[j])[i]))) {
            /* a table given as events and non-events: total = a + b */
            const double *e = colv(d, cols[j] == COL_N1I ? COL_AI : COL_CI);
            const double *ne = colv(d, cols[j] == COL_N1I ? COL_BI : COL_DI);
            char b[64];
            if (e && ne && !isnan(e[i] + ne[i])) {
                fnum(e[i] + ne[i], 0, b, sizeof b);
                x->cell[j] = dup(f, b);
            }
            continue;
        }
        x->cell[j] = cell_text(f, i, cols[j]);
    }
}

/* Column sums for a subtotal row (Total columns; events for tables). */
static void subtotal_cells(forest *f, row *x, const size_t *idx, size_t n)
{
    const app_data *d = f->r->data;
    char b[64];
    for (int j = 0; j < f->ncell; j++) {
        int sum = strcmp(f->cellhead[j], "Total") == 0;
        double s = 0;
        if (!sum)
            continue;
        for (size_t t = 0; t < n; t++) {
            size_t i = idx ? idx[t] : t;
            double v;
            if (f->ncell == 6)
                v = colv(d, j < 3 ? COL_N1I : COL_N2I)[i];
            else if (f->ncell == 4) {
                const double *nn = colv(d, j < 2 ? COL_N1I : COL_N2I);
                const double *e = colv(d, j < 2 ? COL_AI : COL_CI), *ne = colv(d, j < 2 ? COL_BI : COL_DI);
                v = nn && !isnan(nn[i]) ? nn[i] : (e && ne ? e[i] + ne[i] : nan(""));
            } else
                v = colv(d, COL_NI)[i];
            if (isnan(f->r->yi[i]) || isnan(v))
                continue;
            s += v;
        }
        fnum(s, 0, b, sizeof b);
        x->cell[j] = dup(f, b);
    }
}

/* "Total events" row for binary data. */
static void events_row(forest *f, const size_t *idx, size_t n)
{
    const app_data *d = f->r->data;
    double s[2] = {0, 0};
    row *x;
    char b[64];
    if (f->ncell != 4 || !colv(d, COL_AI))
        return;
    for (size_t t = 0; t < n; t++) {
        size_t i = idx ? idx[t] : t;
        if (isnan(f->r->yi[i]))
            continue;
        s[0] += colv(d, COL_AI)[i];
        s[1] += colv(d, COL_CI)[i];
    }
    if (!(x = add_row(f, R_NOTE, "Total events")))
        return;
    x->kind = R_STUDY; /* cells shown */
    x->study = (size_t)-1;
    fnum(s[0], 0, b, sizeof b);
    x->cell[0] = dup(f, b);
    fnum(s[1], 0, b, sizeof b);
    x->cell[2] = dup(f, b);
}

/* Heterogeneity and overall-effect lines of a fit. */
static void fit_notes(forest *f, const msyn_fit *fit, int with_overall)
{
    const app_result *r = f->r;
    char s[512], a[64], b[64], p[64];
    size_t m = 0;
    int re = fit->method != MSYN_METHOD_EE && fit->method != MSYN_METHOD_MH && fit->method != MSYN_METHOD_PETO;
    if (fit->k >= 2) {
        m = (size_t)snprintf(s, sizeof s, "Heterogeneity: ");
        if (re) {
            fnum(fit->tau2, fit->tau2 < 0.01 && fit->tau2 > 0 ? 4 : 2, a, sizeof a);
            m += (size_t)snprintf(s + m, sizeof s - m, "Tau\xc2\xb2 = %s; ", a);
        }
        fnum(fit->Q, 2, a, sizeof a);
        fp(fit->Q_pval, p, sizeof p);
        fnum(fit->I2, 0, b, sizeof b);
        snprintf(s + m, sizeof s - m, "Chi\xc2\xb2 = %s, df = %g (%s); I\xc2\xb2 = %s%%", a, fit->Q_df, p, b);
        add_row(f, R_NOTE, s);
    }
    if (with_overall) {
        int t = fit->test != MSYN_TEST_Z && !isnan(fit->df);
        fnum(fabs(fit->stat), 2, a, sizeof a);
        fp(fit->pval, p, sizeof p);
        if (t)
            snprintf(s, sizeof s, "Test for overall effect: t = %s, df = %g (%s)", a, fit->df, p);
        else
            snprintf(s, sizeof s, "Test for overall effect: Z = %s (%s)", a, p);
        add_row(f, R_NOTE, s);
    }
    (void)r;
}

static void diamond_row(forest *f, const char *label, const msyn_fit *fit, double w, const size_t *idx,
                        size_t n)
{
    row *x = add_row(f, R_DIAMOND, label);
    char b[64];
    if (!x)
        return;
    x->bold = 1;
    x->subtotal = idx != NULL;
    x->est = fit->estimate;
    x->lb = fit->ci_lb;
    x->ub = fit->ci_ub;
    x->effect = effect_text(f, fit->estimate, fit->ci_lb, fit->ci_ub, 0, 0);
    if (!isnan(w)) {
        fnum(w, 1, b, sizeof b);
        strcat(b, "%");
        x->weight = dup(f, b);
    }
    subtotal_cells(f, x, idx, n);
    if (!isnan(fit->pi_lb) && !isnan(fit->pi_ub) && fit->k >= 2 && !f->r->sg.by) {
        row *y = add_row(f, R_PI, "Prediction interval");
        if (y) {
            y->est = fit->estimate;
            y->lb = fit->pi_lb;
            y->ub = fit->pi_ub;
            y->effect = effect_text(f, nan(""), fit->pi_lb, fit->pi_ub, 0, 0);
            if (y->effect && !isnan(fit->pi_lb)) {
                char l[64], u[64], s[160];
                fnum(app_back(f->r, fit->pi_lb), 2, l, sizeof l);
                fnum(app_back(f->r, fit->pi_ub), 2, u, sizeof u);
                snprintf(s, sizeof s, "[%s, %s]", l, u);
                app_free(y->effect);
                y->effect = dup(f, s);
            }
        }
    }
}

static void study_row(forest *f, size_t i)
{
    const app_result *r = f->r;
    double z = msyn_crit(r->po.level, nan(""));
    row *x = add_row(f, R_STUDY, r->data->study[i]);
    char b[64];
    if (!x)
        return;
    x->study = i;
    x->est = r->yi[i];
    if (!isnan(r->yi[i]) && !isnan(r->vi[i])) {
        x->lb = r->yi[i] - z * sqrt(r->vi[i]);
        x->ub = r->yi[i] + z * sqrt(r->vi[i]);
    }
    x->w = r->w ? r->w[i] : nan("");
    x->effect = effect_text(f, x->est, x->lb, x->ub, i, 1);
    if (!isnan(x->w)) {
        fnum(x->w, 1, b, sizeof b);
        strcat(b, "%");
        x->weight = dup(f, b);
    }
    study_cells(f, x, i);
}

static void build_rows(forest *f)
{
    const app_result *r = f->r;
    const app_subgroups *sg = &r->sg;
    char s[512], a[64], p[64];
    if (sg->by && sg->n > 0) {
        for (size_t g = 0; g < sg->n; g++) {
            const app_subgroup *x = &sg->g[g];
            double w = 0;
            snprintf(s, sizeof s, "%s", x->name);
            row *h = add_row(f, R_GROUP, s);
            if (h)
                h->bold = 1;
            for (size_t t = 0; t < x->n; t++) {
                study_row(f, x->idx[t]);
                if (r->w && !isnan(r->w[x->idx[t]]))
                    w += r->w[x->idx[t]];
            }
            if (x->pooled) {
                snprintf(s, sizeof s, "Subtotal (%g%% CI)", 100 * r->po.level);
                diamond_row(f, s, &x->fit, r->fitted && !r->pooled_k_short ? w : nan(""), x->idx, x->n);
                events_row(f, x->idx, x->n);
                fit_notes(f, &x->fit, 1);
            } else {
                snprintf(s, sizeof s, "Subtotal: not pooled (%zu estimable %s; --min-k %d)", x->k_est,
                         x->k_est == 1 ? "study" : "studies", r->min_k);
                add_row(f, R_NOTE, s);
            }
            add_row(f, R_BLANK, NULL);
        }
    } else {
        for (size_t i = 0; i < r->data->k; i++)
            study_row(f, i);
    }
    if (r->fitted && !r->pooled_k_short) {
        snprintf(s, sizeof s, "Total (%g%% CI)", 100 * r->po.level);
        diamond_row(f, s, &r->fit, 100.0, NULL, r->data->k);
        events_row(f, NULL, r->data->k);
        fit_notes(f, &r->fit, 1);
    } else {
        snprintf(s, sizeof s, "Total: not pooled (fewer than %d estimable studies; --min-k)", r->min_k);
        add_row(f, R_NOTE, s);
    }
    if (sg->by && sg->tested) {
        fnum(sg->Q, 2, a, sizeof a);
        fp(sg->pval, p, sizeof p);
        if (sg->common)
            snprintf(s, sizeof s, "Test for subgroup differences (common Tau\xc2\xb2): %s = %s, df = %g (%s)",
                     isnan(sg->df2) ? "Chi\xc2\xb2" : "F", a, sg->df, p);
        else {
            char i2[64];
            fnum(sg->I2, 1, i2, sizeof i2);
            snprintf(s, sizeof s, "Test for subgroup differences: Chi\xc2\xb2 = %s, df = %g (%s), I\xc2\xb2 = %s%%", a,
                     sg->df, p, i2);
        }
        add_row(f, R_NOTE, s);
    }
}

/* ---- the axis -------------------------------------------------------- */

static int comparative(msyn_measure m)
{
    switch (m) {
    case MSYN_MEASURE_PR: case MSYN_MEASURE_PLO: case MSYN_MEASURE_PAS: case MSYN_MEASURE_PFT:
    case MSYN_MEASURE_IR: case MSYN_MEASURE_IRLN: case MSYN_MEASURE_MN: case MSYN_MEASURE_MNLN:
    case MSYN_MEASURE_COR: case MSYN_MEASURE_ZCOR:
        return 0;
    default:
        return 1;
    }
}

typedef struct axis {
    double lo, hi;             /* analysis scale                            */
    double ticks[32];
    size_t nt;
    int log, null_line;
} axis;

static void choose_axis(const forest *f, axis *ax)
{
    const app_result *r = f->r;
    double pmin = INFINITY, pmax = -INFINITY, cmin = INFINITY, cmax = -INFINITY;
    ax->log = msyn_measure_is_ratio(r->measure);
    ax->null_line = comparative(r->measure);
    for (size_t i = 0; i < f->n; i++) {
        const row *x = &f->rows[i];
        if (isnan(x->est) && x->kind != R_PI)
            continue;
        if (x->kind == R_STUDY) {
            pmin = fmin(pmin, x->est), pmax = fmax(pmax, x->est);
            cmin = fmin(cmin, x->lb), cmax = fmax(cmax, x->ub);
        } else if (x->kind == R_DIAMOND && x->subtotal) {
            /* a subgroup's diamond: its CI may be clipped, as a study's */
            pmin = fmin(pmin, x->est), pmax = fmax(pmax, x->est);
            cmin = fmin(cmin, x->lb), cmax = fmax(cmax, x->ub);
        } else if (x->kind == R_DIAMOND || x->kind == R_PI) {
            if (!isnan(x->lb))
                pmin = fmin(pmin, x->lb), pmax = fmax(pmax, x->ub);
        }
    }
    if (!isfinite(pmin)) { /* nothing estimable */
        pmin = cmin = -1;
        pmax = cmax = 1;
    }
    if (ax->null_line) {
        double hp = fmax(fabs(pmin), fabs(pmax)), hc = fmax(fabs(cmin), fabs(cmax));
        double h = fmax(hp, fmin(hc, 2 * hp));
        if (!(h > 0))
            h = ax->log ? log(2.0) : 1.0;
        if (ax->log) {
            static const double H[] = {2, 5, 10, 20, 50, 100, 1000, 1e4, 1e5, 1e6};
            static const double T[][7] = {
                {0.5, 0.7, 1, 1.5, 2, 0, 0},   {0.2, 0.5, 1, 2, 5, 0, 0},
                {0.1, 0.2, 0.5, 1, 2, 5, 10},  {0.05, 0.2, 1, 5, 20, 0, 0},
                {0.02, 0.1, 1, 10, 50, 0, 0},  {0.01, 0.1, 1, 10, 100, 0, 0},
                {0.001, 0.1, 1, 10, 1000, 0, 0}, {1e-4, 0.01, 1, 100, 1e4, 0, 0},
                {1e-5, 0.01, 1, 100, 1e5, 0, 0}, {1e-6, 0.001, 1, 1000, 1e6, 0, 0}};
            size_t j = 0;
            while (j + 1 < sizeof H / sizeof H[0] && log(H[j]) < h * 0.98)
                j++;
            ax->hi = log(H[j]);
            ax->lo = -ax->hi;
            ax->nt = 0;
            for (int t = 0; t < 7 && T[j][t] > 0; t++)
                ax->ticks[ax->nt++] = log(T[j][t]);
        } else {
            double e = pow(10.0, floor(log10(h))), m = h / e, nice;
            nice = (m <= 1.0001 ? 1 : m <= 2.0001 ? 2 : m <= 5.0001 ? 5 : 10) * e;
            ax->hi = nice;
            ax->lo = -nice;
            ax->nt = 5;
            for (int t = 0; t < 5; t++)
                ax->ticks[t] = -nice + nice * t / 2.0;
        }
    } else {
        double lo = fmax(cmin, pmin - (pmax - pmin + 1e-9)), hi = fmin(cmax, pmax + (pmax - pmin + 1e-9));
        double t[32], step;
        size_t n;
        lo = fmin(lo, pmin);
        hi = fmax(hi, pmax);
        if (!(hi > lo))
            lo -= 0.5, hi += 0.5;
        n = plot_pretty(lo, hi, 4, t, 32);
        step = n >= 2 ? t[1] - t[0] : (hi - lo) / 2;
        ax->lo = floor(lo / step + 1e-9) * step;
        ax->hi = ceil(hi / step - 1e-9) * step;
        ax->nt = 0;
        for (double v = ax->lo; v <= ax->hi + step * 1e-6 && ax->nt < 32; v += step)
            ax->ticks[ax->nt++] = fabs(v) < step * 1e-9 ? 0 : v;
    }
}

/* ---- layout and drawing ---------------------------------------------- */

typedef struct geom {
    double x_label, w_label;
    double x_cell[MAXCOL], w_cell[MAXCOL];
    double x_weight, w_weight, x_effect, w_effect;
    double x_plot, w_plot, x_rob, w_rob;
    double notes_w;            /* width available to notes in the flow      */
    double width;
    int header_lines;
} geom;

static const plot_font body = {FS, 0, 0, PLOT_BLACK};
static const plot_font bold = {FS, 1, 0, PLOT_BLACK};
static const plot_font tickf = {FS_TICK, 0, 0, PLOT_BLACK};

static double wmax(plot *p, double w, const char *s, const plot_font *f)
{
    return s ? fmax(w, plot_measure(p, s, f).width) : w;
}

static int measure_columns(forest *f, geom *g, app_err *e)
{
    plot *p = f->p;
    const app_result *r = f->r;
    char mt[96];
    double fixed, want_plot = r->fig.compact ? 220 : 170, label_cap = r->fig.compact ? 240 : 200;
    method_text(r, mt, sizeof mt);
    memset(g, 0, sizeof *g);
    g->header_lines = 2;
    g->w_label = plot_measure(p, r->fig.compact ? "Study" : "Study or Subgroup", &bold).width;
    g->w_weight = plot_measure(p, "Weight", &bold).width;
    g->w_effect = fmax(plot_measure(p, reading_name(r->measure), &bold).width, plot_measure(p, mt, &bold).width);
    for (int j = 0; j < f->ncell; j++)
        g->w_cell[j] = plot_measure(p, f->cellhead[j], &bold).width;
    for (size_t i = 0; i < f->n; i++) {
        const row *x = &f->rows[i];
        const plot_font *fo = x->bold ? &bold : &body;
        if (x->kind != R_NOTE && x->kind != R_BLANK)
            g->w_label = wmax(p, g->w_label, x->label, fo);
        for (int j = 0; j < f->ncell; j++)
            g->w_cell[j] = wmax(p, g->w_cell[j], x->cell[j], fo);
        g->w_weight = wmax(p, g->w_weight, x->weight, fo);
        g->w_effect = wmax(p, g->w_effect, x->effect, fo);
    }
    /* group names span their cells */
    for (int grp = 0; grp < 2 && f->group[0]; grp++) {
        int a = grp ? f->group_split : 0, b = grp ? f->ncell : f->group_split;
        double span = 0, need = plot_measure(p, f->group[grp], &bold).width;
        for (int j = a; j < b; j++)
            span += g->w_cell[j] + (j > a ? PAD : 0);
        if (need > span)
            g->w_cell[b - 1] += need - span;
    }
    g->w_label = fmin(g->w_label, label_cap);
    g->w_rob = f->nrob ? fmax(13.0 * (double)f->nrob, plot_measure(p, "Risk of Bias", &bold).width) : 0;
    /* the right margin also holds half the last tick label */
    fixed = MARGIN + g->w_label + PAD + g->w_effect + PAD + MARGIN + 8 + (f->nrob ? PAD + g->w_rob : 0);
    if (!r->fig.compact) {
        for (int j = 0; j < f->ncell; j++)
            fixed += g->w_cell[j] + PAD;
        fixed += g->w_weight + PAD;
    }
    if (r->fig.width > 0) {
        double total = r->fig.width * 72.0;
        g->w_plot = total - fixed;
        if (g->w_plot < 110) { /* give the labels less room first */
            double cut = fmin(110 - g->w_plot, g->w_label - 70);
            if (cut > 0) {
                g->w_label -= cut;
                g->w_plot += cut;
            }
        }
        if (g->w_plot < 110) {
            double need = ceil((fixed + 110) / 7.2) / 10; /* inches, rounded up to 0.1 */
            app_err_set(e, APP_EXIT_USAGE, "--forest: --width %g is too narrow for this forest plot's columns; give at least --width %.1f, or --layout compact",
                        r->fig.width, need);
            return -1;
        }
        g->width = total;
    } else {
        g->w_plot = want_plot;
        g->width = fixed + want_plot;
    }
    /* x positions */
    g->x_label = MARGIN;
    if (r->fig.compact) {
        g->x_plot = g->x_label + g->w_label + PAD;
        g->x_effect = g->x_plot + g->w_plot + PAD;
        g->x_rob = g->x_effect + g->w_effect + PAD;
        g->notes_w = g->w_label;
    } else {
        double x = g->x_label + g->w_label + PAD;
        for (int j = 0; j < f->ncell; j++) {
            g->x_cell[j] = x;
            x += g->w_cell[j] + PAD;
        }
        g->x_weight = x;
        x += g->w_weight + PAD;
        g->x_effect = x;
        x += g->w_effect + PAD;
        g->x_plot = x;
        g->x_rob = g->x_plot + g->w_plot + PAD;
        g->notes_w = g->x_plot - PAD - g->x_label;
    }
    return 0;
}

/* Break a note into lines of at most width: after "; " (kept), else
 * ellipsized.  Lines are written into out (each app_free'd by the
 * caller); returns their number (at most max). */
static size_t wrap(plot *p, const char *s, const plot_font *fo, double width, char **out, size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        const char *end = s + strlen(s), *cut = NULL, *q = s;
        char *line;
        /* the longest prefix ending at "; " that fits */
        while ((q = strstr(q, "; ")) != NULL) {
            char tmp[1024];
            size_t len = (size_t)(q - s) + 1;
            if (len >= sizeof tmp)
                break;
            memcpy(tmp, s, len);
            tmp[len] = '\0';
            if (plot_measure(p, tmp, fo).width > width)
                break;
            cut = q + 1;
            q += 2;
        }
        if (plot_measure(p, s, fo).width <= width || !cut)
            cut = end;
        {
            char *piece = app_strndup(s, (size_t)(cut - s));
            if (!piece) {
                p->oom = 1;
                return n;
            }
            line = plot_ellipsize(p, piece, fo, width);
            app_free(piece);
        }
        if (!line) {
            p->oom = 1;
            return n;
        }
        out[n++] = line;
        s = cut;
        while (*s == ' ')
            s++;
    }
    return n;
}

static void square(plot *p, double cx, double cy, double side)
{
    plot_style st = {PLOT_NONE, 0x1f4e9cffu, 0, PLOT_SOLID};
    plot_rect(p, cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2, &st);
}

static void arrow(plot *p, double x, double cy, int right)
{
    plot_style st = {PLOT_NONE, PLOT_BLACK, 0, PLOT_SOLID};
    double d = right ? 1 : -1, xy[6] = {x, cy, x - d * 4.5, cy - 2.5, x - d * 4.5, cy + 2.5};
    plot_polygon(p, xy, 3, &st);
}

/* A CI from lb to ub at height cy, clipped to the axis with arrows. */
static void ci_line(plot *p, const plot_scale *sc, double lb, double ub, double cy, int bar_ends)
{
    plot_style st = {PLOT_BLACK, PLOT_NONE, 0.75, PLOT_SOLID};
    double a = fmax(lb, sc->d0), b = fmin(ub, sc->d1), xa, xb;
    if (isnan(lb) || isnan(ub) || a > sc->d1 || b < sc->d0)
        return;
    xa = plot_map(sc, a);
    xb = plot_map(sc, b);
    plot_line(p, xa, cy, xb, cy, &st);
    if (lb < sc->d0)
        arrow(p, xa, cy, 0);
    else if (bar_ends)
        plot_line(p, xa, cy - 3, xa, cy + 3, &st);
    if (ub > sc->d1)
        arrow(p, xb, cy, 1);
    else if (bar_ends)
        plot_line(p, xb, cy - 3, xb, cy + 3, &st);
}

static void diamond(plot *p, const plot_scale *sc, double est, double lb, double ub, double cy)
{
    plot_style st = {PLOT_BLACK, PLOT_BLACK, 0.5, PLOT_SOLID};
    double xy[8];
    if (isnan(est))
        return;
    xy[0] = plot_map(sc, fmax(lb, sc->d0)), xy[1] = cy;
    xy[2] = plot_map(sc, fmin(fmax(est, sc->d0), sc->d1)), xy[3] = cy - ROW * 0.36;
    xy[4] = plot_map(sc, fmin(ub, sc->d1)), xy[5] = cy;
    xy[6] = xy[2], xy[7] = cy + ROW * 0.36;
    plot_polygon(p, xy, 4, &st);
}

/* Colour of a risk-of-bias cell (cells were checked by find_rob): 0 none,
 * 1 low, 2 some concerns/unclear, 3 high or critical, 4 no information or
 * not applicable; sym gets the symbol drawn in the dot. */
static int rob_level(const char *s, app_rob_scale scale, char *sym)
{
    app_rob_level lv;
    if (app_rob_parse(s, scale, &lv) != 0 || lv == APP_ROB_UNSET)
        return 0;
    strcpy(sym, lv == APP_ROB_NA ? "" : app_rob_symbol(lv));
    return lv == APP_ROB_LOW ? 1 : lv == APP_ROB_SOME ? 2 : lv <= APP_ROB_CRITICAL ? 3 : 4;
}

static void rob_dots(forest *f, const geom *g, const row *x, double cy)
{
    static const uint32_t fill[5] = {0, 0x2e8b57ffu, 0xe6b800ffu, 0xcc2222ffu, 0x999999ffu};
    plot *p = f->p;
    const plot_font sym = {FS - 1, 1, 0, PLOT_WHITE};
    double step = g->w_rob / (double)f->nrob;
    for (size_t j = 0; j < f->nrob; j++) {
        char s[8];
        const char *cell = app_table_cell(f->r->table, f->r->data->row[x->study], (size_t)f->rob_col[j]);
        int lv = rob_level(cell, f->rob_scale[j], s);
        double cx = g->x_rob + step * ((double)j + 0.5);
        plot_style st = {PLOT_NONE, fill[lv], 0, PLOT_SOLID};
        if (!lv)
            continue;
        plot_circle(p, cx, cy, 5.0, &st);
        plot_text(p, cx, cy + 3.0, s, &sym, PLOT_CENTRE, 0, "rob");
    }
}

static void header(forest *f, const geom *g, double y)
{
    plot *p = f->p;
    const app_result *r = f->r;
    char mt[96];
    double b1 = y + ROW * 0.7, b2 = y + ROW * 1.7; /* baselines of the two lines */
    plot_style rule = {PLOT_BLACK, PLOT_NONE, 0.5, PLOT_SOLID};
    method_text(r, mt, sizeof mt);
    plot_text(p, g->x_label, b2, r->fig.compact ? "Study" : "Study or Subgroup", &bold, PLOT_LEFT, 0, "header");
    if (!r->fig.compact) {
        for (int grp = 0; grp < 2 && f->group[0]; grp++) {
            int a = grp ? f->group_split : 0, b = grp ? f->ncell : f->group_split;
            double x0 = g->x_cell[a], x1 = g->x_cell[b - 1] + g->w_cell[b - 1];
            plot_text(p, (x0 + x1) / 2, b1, f->group[grp], &bold, PLOT_CENTRE, 0, "header");
        }
        for (int j = 0; j < f->ncell; j++)
            plot_text(p, g->x_cell[j] + g->w_cell[j], b2, f->cellhead[j], &bold, PLOT_RIGHT, 0, "header");
        plot_text(p, g->x_weight + g->w_weight, b2, "Weight", &bold, PLOT_RIGHT, 0, "header");
        plot_text(p, g->x_effect + g->w_effect / 2, b1, reading_name(r->measure), &bold, PLOT_CENTRE, 0, "header");
        plot_text(p, g->x_effect + g->w_effect / 2, b2, mt, &bold, PLOT_CENTRE, 0, "header");
        plot_text(p, g->x_plot + g->w_plot / 2, b1, reading_name(r->measure), &bold, PLOT_CENTRE, 0, "header");
        plot_text(p, g->x_plot + g->w_plot / 2, b2, mt, &bold, PLOT_CENTRE, 0, "header");
    } else {
        plot_text(p, g->x_effect + g->w_effect, b1, reading_name(r->measure), &bold, PLOT_RIGHT, 0, "header");
        plot_text(p, g->x_effect + g->w_effect, b2, mt, &bold, PLOT_RIGHT, 0, "header");
    }
    if (f->nrob) {
        double step = g->w_rob / (double)f->nrob;
        plot_text(p, g->x_rob + g->w_rob / 2, b1, "Risk of Bias", &bold, PLOT_CENTRE, 0, "header");
        for (size_t j = 0; j < f->nrob; j++) {
            char s[4] = {(char)('A' + j), 0, 0, 0};
            plot_text(p, g->x_rob + step * ((double)j + 0.5), b2, s, &bold, PLOT_CENTRE, 0, "header");
        }
    }
    plot_line(p, MARGIN, y + ROW * 2.15, g->width - MARGIN, y + ROW * 2.15, &rule);
}

/* Draw (or, with draw 0, only measure) the rows from y; returns the y
 * after them.  Notes wrap to the room they have. */
static double body_rows(forest *f, const geom *g, const plot_scale *sc, double y, int draw, int notes)
{
    plot *p = f->p;
    const app_result *r = f->r;
    double wmx = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->rows[i].kind == R_STUDY && !isnan(f->rows[i].w))
            wmx = fmax(wmx, f->rows[i].w);
    for (size_t i = 0; i < f->n; i++) {
        const row *x = &f->rows[i];
        const plot_font *fo = x->bold ? &bold : &body;
        double cy = y + ROW / 2, base = cy + FS * 0.33;
        if (x->kind == R_NOTE) {
            char *lines[8];
            size_t nl;
            if (notes == 0)
                continue;
            nl = wrap(p, x->label, &body, notes == 2 ? g->width - 2 * MARGIN : g->notes_w, lines, 8);
            for (size_t t = 0; t < nl; t++) {
                if (draw)
                    plot_text(p, g->x_label + (t ? 8 : 0), y + ROW / 2 + FS * 0.33, lines[t], &body, PLOT_LEFT, 0, "note");
                app_free(lines[t]);
                y += ROW;
            }
            continue;
        }
        if (notes == 2)
            continue;
        if (x->kind == R_BLANK) {
            y += ROW * 0.5;
            continue;
        }
        if (draw) {
            char *lab = plot_ellipsize(p, x->label, fo, g->w_label);
            if (lab) {
                plot_text(p, g->x_label, base, lab, fo, PLOT_LEFT, 0, x->kind == R_GROUP ? "group" : "label");
                app_free(lab);
            } else {
                p->oom = 1;
            }
            if (!r->fig.compact) {
                for (int j = 0; j < f->ncell; j++)
                    if (x->cell[j])
                        plot_text(p, g->x_cell[j] + g->w_cell[j], base, x->cell[j], fo, PLOT_RIGHT, 0, "cell");
                if (x->weight)
                    plot_text(p, g->x_weight + g->w_weight, base, x->weight, fo, PLOT_RIGHT, 0, "weight");
                if (x->effect)
                    plot_text(p, g->x_effect + g->w_effect, base, x->effect, fo, PLOT_RIGHT, 0, "effect");
            } else if (x->effect) {
                plot_text(p, g->x_effect + g->w_effect, base, x->effect, fo, PLOT_RIGHT, 0, "effect");
            }
            if (x->kind == R_STUDY && x->study != (size_t)-1) {
                plot_clip(p, g->x_plot, y, g->x_plot + g->w_plot, y + ROW);
                ci_line(p, sc, x->lb, x->ub, cy, 0);
                if (!isnan(x->est) && !isnan(x->w) && x->est >= sc->d0 && x->est <= sc->d1)
                    square(p, plot_map(sc, x->est), cy, fmax(2.5, ROW * 0.75 * sqrt(x->w / wmx)));
                else if (!isnan(x->est) && isnan(x->w) && x->est >= sc->d0 && x->est <= sc->d1)
                    square(p, plot_map(sc, x->est), cy, ROW * 0.4); /* not pooled: no weight */
                plot_unclip(p);
                if (f->nrob)
                    rob_dots(f, g, x, cy);
            } else if (x->kind == R_DIAMOND) {
                diamond(p, sc, x->est, x->lb, x->ub, cy);
            } else if (x->kind == R_PI) {
                ci_line(p, sc, x->lb, x->ub, cy, 1);
            }
        }
        y += ROW;
    }
    return y;
}

static int find_rob(forest *f, app_err *e)
{
    const app_result *r = f->r;
    for (size_t j = 0; j < r->fig.nrob; j++) {
        int c = app_table_col(r->table, r->fig.rob[j]);
        if (c < 0)
            c = app_table_col_nocase(r->table, r->fig.rob[j]);
        if (c < 0) {
            app_err_set(e, APP_EXIT_USAGE, "--rob %s: %s has no such column", r->fig.rob[j], r->file);
            return -1;
        }
        f->rob_col[j] = c;
        f->rob_scale[j] = APP_ROB_SCALE_COCHRANE;
        for (size_t i = 0; i < r->data->k; i++) {
            const char *cell = app_table_cell(r->table, r->data->row[i], (size_t)c);
            if (cell && strstr(cell, "++"))
                f->rob_scale[j] = APP_ROB_SCALE_SIGN;
        }
        for (size_t i = 0; i < r->data->k; i++) {
            const char *cell = app_table_cell(r->table, r->data->row[i], (size_t)c);
            app_rob_level lv;
            if (app_rob_parse(cell, f->rob_scale[j], &lv) != 0) {
                app_err_set(e, APP_EXIT_DATA,
                            "%s:%ld:%d: --rob %s: '%s' is not a risk-of-bias judgement; expected low, some "
                            "concerns (or unclear, moderate), high (or serious), critical, no information, not "
                            "applicable, or the symbols + ? - (SIGN 50: ++ + -)",
                            r->file, r->data->line[i], c + 1, r->fig.rob[j], cell);
                return -1;
            }
        }
    }
    f->nrob = r->fig.nrob;
    return 0;
}

int plot_forest(const app_result *r, plot *p, app_err *e)
{
    forest f;
    geom g;
    axis ax;
    plot_scale sc;
    double y, y_rows, y_axis, top = MARGIN;
    int rc = -1;
    memset(&f, 0, sizeof f);
    f.r = r;
    f.p = p;
    if (plot_init(p, 100, 100, r->fig.font, "Forest plot") != 0) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (!r->yi || r->data->k == 0) {
        app_err_set(e, APP_EXIT_MODEL, "--forest: no study has an effect size to draw");
        return -1;
    }
    if (find_rob(&f, e) != 0)
        return -1;
    choose_cells(&f);
    build_rows(&f);
    if (f.oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        goto done;
    }
    if (measure_columns(&f, &g, e) != 0)
        goto done;
    choose_axis(&f, &ax);
    sc.d0 = ax.lo, sc.d1 = ax.hi, sc.p0 = g.x_plot, sc.p1 = g.x_plot + g.w_plot, sc.log = ax.log;
    if (r->fig.favours[0] && r->fig.width <= 0) {
        /* room for "Favours B" right of the null line: widen the canvas */
        char b[256];
        double x0 = plot_map(&sc, ax.null_line ? 0 : (ax.lo + ax.hi) / 2);
        snprintf(b, sizeof b, "Favours %s", r->fig.favours[1]);
        g.width = fmax(g.width, x0 + 4 + plot_measure(p, b, &body).width + MARGIN);
    }
    p->width = g.width;
    /* pass 1: height */
    y = top + ROW * 2.4;
    y_rows = body_rows(&f, &g, &sc, y, 0, r->fig.compact ? 0 : 1);
    y_axis = y_rows + 4;
    y = y_axis + FS_TICK * 2.2 + (r->fig.favours[0] ? FS * 1.6 : 0);
    if (r->fig.compact)
        y = body_rows(&f, &g, &sc, y + 4, 0, 2);
    if (f.nrob)
        y += ROW * ((double)f.nrob + 1);
    plot_set_height(p, y + MARGIN);
    /* pass 2: draw */
    header(&f, &g, top);
    body_rows(&f, &g, &sc, top + ROW * 2.4, 1, r->fig.compact ? 0 : 1);
    if (ax.null_line) {
        plot_style nl = {PLOT_BLACK, PLOT_NONE, 0.5, PLOT_SOLID};
        double x0 = plot_map(&sc, 0);
        plot_line(p, x0, top + ROW * 2.15, x0, y_axis, &nl);
    }
    plot_axis_x(p, &sc, y_axis, ax.ticks, ax.nt, &tickf, NULL);
    y = y_axis + FS_TICK * 2.2;
    if (r->fig.favours[0]) {
        char a[256], b[256];
        double x0 = plot_map(&sc, ax.null_line ? 0 : (ax.lo + ax.hi) / 2);
        char *la, *lb;
        snprintf(a, sizeof a, "Favours %s", r->fig.favours[0]);
        snprintf(b, sizeof b, "Favours %s", r->fig.favours[1]);
        la = plot_ellipsize(p, a, &body, x0 - 4 - MARGIN);
        lb = plot_ellipsize(p, b, &body, g.width - MARGIN - x0 - 4);
        if (la && lb) {
            plot_text(p, x0 - 4, y + FS * 1.3, la, &body, PLOT_RIGHT, 0, "favours");
            plot_text(p, x0 + 4, y + FS * 1.3, lb, &body, PLOT_LEFT, 0, "favours");
        } else {
            p->oom = 1;
        }
        app_free(la);
        app_free(lb);
        y += FS * 1.6;
    }
    if (r->fig.compact)
        y = body_rows(&f, &g, &sc, y + 4, 1, 2);
    if (f.nrob) {
        char s[320];
        plot_text(p, g.x_label, y + ROW * 0.7, "Risk of bias legend", &bold, PLOT_LEFT, 0, "legend");
        for (size_t j = 0; j < f.nrob; j++) {
            char *t;
            snprintf(s, sizeof s, "(%c) %s", (char)('A' + j), r->table->header[f.rob_col[j]]);
            t = plot_ellipsize(p, s, &body, g.width - 2 * MARGIN);
            if (t)
                plot_text(p, g.x_label, y + ROW * (1.7 + (double)j), t, &body, PLOT_LEFT, 0, "legend");
            else
                p->oom = 1;
            app_free(t);
        }
    }
    rc = p->oom ? -1 : 0;
    if (rc)
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
done:
    free_rows(&f);
    return rc;
}
