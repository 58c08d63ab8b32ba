/*
 * run_golden.c - compare metasyn with metafor on the golden data sets.
 *
 * Usage: run_golden DIR...   (a data set folder, or a folder of them)
 *
 * Each data set folder holds input.csv, expected.csv (one row per
 * analysis, values from metafor 3.8-1; see its SOURCE.md for the R calls)
 * optionally es.csv (study-level effect sizes) and back.csv (pooled results
 * back-transformed with predict(res, transf=...)).  Folders whose inputs
 * carry an `id` column hold many data sets.  Every expected row is one
 * test.  Tolerances (docs/METHODS.md, "Agreement with metafor"):
 *
 *   closed forms (EE DL HE HS SJ MH PETO), effect sizes: 1e-10 relative.
 *   control=default, ML REML EB: metafor stops Fisher scoring at a step of
 *     1e-5, PM's uniroot at 1.22e-4: tau2 must agree within that, and a
 *     refit with tau2 fixed at metafor's value must then agree to 1e-10 in
 *     every other field.  The unfixed differences are reported.
 *   Q-profile CI bounds under control=default: uniroot tolerance 1.22e-4
 *     (absolute); metafor's I2/H2 bounds must follow from its tau2 bounds
 *     through our typical variance to 1e-10.  Where metafor's search hit its
 *     cap max(100, 10 tau2) it reports the cap and ours must be beyond it.
 *   control=tight (metafor run to threshold 1e-13, tol 1e-15): 1e-9.
 *   back.csv: msyn_measure_back() of our estimate, CI and PI bounds (PFT:
 *     n = harmonic mean of the included studies' ni), with tau2 fixed at
 *     metafor's for ML/REML/EB/PM: 1e-10 relative.
 *
 * Prints each failure, a table of the largest differences found, and
 * "SUMMARY total failed".
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"

enum { F_K, F_EST, F_SE, F_STAT, F_PVAL, F_CILB, F_CIUB, F_DF, F_TAU2, F_T2LB, F_T2UB,
       F_I2, F_I2LB, F_I2UB, F_H2, F_H2LB, F_H2UB, F_Q, F_QDF, F_QP, F_PILB, F_PIUB, NF };

static const char *const fname[NF] = {
    "k", "estimate", "se", "stat", "pval", "ci_lb", "ci_ub", "df", "tau2", "tau2_ci_lb",
    "tau2_ci_ub", "I2", "I2_ci_lb", "I2_ci_ub", "H2", "H2_ci_lb", "H2_ci_ub", "Q", "Q_df",
    "Q_pval", "pi_lb", "pi_ub"};

static int total, failed;

/* Largest scaled differences seen, per comparison class. */
enum { C_CLOSED, C_ITER_TAU2, C_ITER_FIXED, C_ITER_RAW, C_ITER_RAW_TIGHT, C_QP, C_TIGHT, C_ES, C_BACK, NC };
static const char *const cname[NC] = {
    "closed forms (all fields)", "ML/REML/EB/PM tau2 vs metafor default", "ML/REML/EB/PM, tau2 fixed at metafor's",
    "ML/REML/EB/PM est/se/CI unfixed (info)", "the same vs metafor tight (info)",
    "Q-profile bounds vs metafor default",
    "tight control (tau2 abs., others scaled)", "effect sizes (yi, vi)",
    "back-transformed (relative)"};
static double worst[NC];
static char worst_where[NC][512];

static void fit_values(const msyn_fit *f, double v[NF])
{
    v[F_K] = (double)f->k; v[F_EST] = f->estimate; v[F_SE] = f->se; v[F_STAT] = f->stat;
    v[F_PVAL] = f->pval; v[F_CILB] = f->ci_lb; v[F_CIUB] = f->ci_ub; v[F_DF] = f->df;
    v[F_TAU2] = f->tau2; v[F_T2LB] = f->tau2_ci_lb; v[F_T2UB] = f->tau2_ci_ub;
    v[F_I2] = f->I2; v[F_I2LB] = f->I2_ci_lb; v[F_I2UB] = f->I2_ci_ub;
    v[F_H2] = f->H2; v[F_H2LB] = f->H2_ci_lb; v[F_H2UB] = f->H2_ci_ub;
    v[F_Q] = f->Q; v[F_QDF] = f->Q_df; v[F_QP] = f->Q_pval; v[F_PILB] = f->pi_lb; v[F_PIUB] = f->pi_ub;
}

/* The unit a difference in field j is measured in. */
static double scale_of(int j, const double v[NF], const msyn_fit *f)
{
    switch (j) {
    case F_EST: case F_CILB: case F_CIUB: case F_PILB: case F_PIUB:
        return fmax(fabs(v[j]), f->se > 0 ? f->se : 1e-300);
    case F_TAU2: case F_T2LB: case F_T2UB:
        return fmax(fabs(v[j]), isnan(f->vt) ? 1e-300 : f->vt);
    case F_PVAL: case F_QP: /* p moves by about z^2 times a relative change in z */
        return fmax(fabs(v[j]) * fmax(1.0, v[F_STAT] * v[F_STAT]), 1e-300);
    case F_STAT:
        return fmax(fabs(v[j]), 1.0);
    case F_I2: case F_I2LB: case F_I2UB:
        return fmax(fabs(v[j]), 1.0);
    default:
        return fmax(fabs(v[j]), 1e-300);
    }
}

static void note(int cls, double d, const char *where)
{
    if (d > worst[cls]) {
        worst[cls] = d;
        snprintf(worst_where[cls], sizeof worst_where[cls], "%s", where);
    }
}

/* Compare one field: our value a, metafor's b (NaN = NA). Returns 0 if ok. */
static int cmp(int cls, const char *where, int j, double a, double b, double tol, double scale)
{
    double d;
    char w[512];
    if (isnan(b))
        return 0; /* metafor gives no value: nothing to compare */
    if (isnan(a)) {
        printf("FAIL %s: %s = NA, metafor %.17g\n", where, fname[j], b);
        return 1;
    }
    if (isinf(b) && a == b)
        return 0;
    d = fabs(a - b) / scale;
    snprintf(w, sizeof w, "%s %s", where, fname[j]);
    note(cls, d, w);
    if (!(d <= tol)) {
        printf("FAIL %s: %s = %.17g, metafor %.17g (scaled diff %.3g > %.3g)\n", where, fname[j], a, b, d, tol);
        return 1;
    }
    return 0;
}

/* ---- tables ------------------------------------------------------------ */

static int read_table(const char *dir, const char *name, app_table *t, int must)
{
    char path[1024];
    app_err e = {0, ""};
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!must && stat(path, &st) != 0)
        return 1;
    if (app_table_read(path, t, &e) != 0) {
        printf("FAIL %s\n", e.msg);
        return -1;
    }
    return 0;
}

static const char *cell(const app_table *t, size_t r, const char *col)
{
    int j = app_table_col(t, col);
    return j < 0 ? "" : app_table_cell(t, r, (size_t)j);
}

static double num(const app_table *t, size_t r, const char *col)
{
    const char *s = cell(t, r, col);
    if (*s == '\0' || strcmp(s, "NA") == 0)
        return nan("");
    return strtod(s, NULL);
}

/* The rows of t whose id is id (all rows when id is NULL), as a table. */
static int subset(const app_table *t, const char *id, app_table *out)
{
    int ic = app_table_col(t, "id");
    size_t n = 0;
    memset(out, 0, sizeof *out);
    out->file = app_strdup(t->file);
    out->ncol = t->ncol;
    out->delim = t->delim;
    out->header = app_calloc(t->ncol, sizeof *out->header);
    out->cell = app_calloc(t->nrow * t->ncol + 1, sizeof *out->cell);
    out->line = app_calloc(t->nrow + 1, sizeof *out->line);
    if (!out->file || !out->header || !out->cell || !out->line)
        return -1;
    for (size_t j = 0; j < t->ncol; j++)
        out->header[j] = app_strdup(t->header[j]);
    for (size_t r = 0; r < t->nrow; r++) {
        if (id && ic >= 0 && strcmp(app_table_cell(t, r, (size_t)ic), id) != 0)
            continue;
        for (size_t j = 0; j < t->ncol; j++)
            out->cell[n * t->ncol + j] = app_strdup(app_table_cell(t, r, j));
        out->line[n++] = t->line[r];
    }
    out->nrow = n;
    return 0;
}

/* ---- one analysis ------------------------------------------------------ */

typedef struct config {
    msyn_preset preset;
    msyn_measure measure;
    msyn_method method;
    msyn_test test;
    int natural, riley, tight;
} config;

static int parse_config(const app_table *e, size_t r, config *c)
{
    if (msyn_preset_parse(cell(e, r, "preset"), &c->preset) != MSYN_OK ||
        msyn_measure_parse(cell(e, r, "measure"), &c->measure) != MSYN_OK ||
        msyn_method_parse(cell(e, r, "method"), &c->method) != MSYN_OK ||
        msyn_test_parse(cell(e, r, "test"), &c->test) != MSYN_OK)
        return -1;
    c->natural = strcmp(cell(e, r, "scale"), "natural") == 0;
    c->riley = strcmp(cell(e, r, "pi"), "riley") == 0;
    c->tight = strcmp(cell(e, r, "control"), "tight") == 0;
    return 0;
}

/* 1 if msyn_pool_tables() pools this measure (the others go through msyn_es). */
static int pools_tables(msyn_measure m)
{
    return m == MSYN_MEASURE_OR || m == MSYN_MEASURE_RR || m == MSYN_MEASURE_RD || m == MSYN_MEASURE_PETO;
}

/* Fit the data of table t under config c (tau2 fixed if tau2fix >= 0).
 * nhm (may be NULL) receives the harmonic mean of the ni of the studies in
 * the fit, NaN without an ni column. */
static msyn_status fit_config_n(const app_table *t, const config *c, double tau2fix, msyn_fit *f,
                                double *nhm, char *err, size_t errn)
{
    msyn_pool_opts po;
    msyn_es_opts eo;
    app_data d;
    app_err e = {0, ""};
    msyn_status rc;
    double *y = NULL, *v = NULL, *bi = NULL, *di = NULL;
    msyn_preset_apply(c->preset, c->measure, &c->method, &po, &eo);
    po.test = c->test;
    if (c->riley)
        po.pi = MSYN_PI_T_K2;
    po.tau2_fixed = tau2fix;
    eo.natural_scale = c->natural;
    if (app_data_load(t, c->measure, NULL, &eo, &d, &e) != 0) {
        snprintf(err, errn, "%s", e.msg);
        return MSYN_EDATA;
    }
    if (nhm)
        *nhm = nan("");
    if (d.input == MSYN_INPUT_TABLE && pools_tables(c->measure)) {
        bi = app_calloc(d.k + 1, sizeof *bi);
        di = app_calloc(d.k + 1, sizeof *di);
        for (size_t i = 0; i < d.k; i++) {
            bi[i] = d.es.bi ? d.es.bi[i] : d.es.n1i[i] - d.es.ai[i];
            di[i] = d.es.di ? d.es.di[i] : d.es.n2i[i] - d.es.ci[i];
        }
        rc = msyn_pool_tables(c->measure, d.es.ai, bi, d.es.ci, di, d.k, &eo, &po, f, NULL, NULL, NULL);
    } else {
        y = app_calloc(d.k + 1, sizeof *y);
        v = app_calloc(d.k + 1, sizeof *v);
        rc = msyn_es(c->measure, &d.es, d.k, &eo, y, v, NULL);
        if (rc == MSYN_OK)
            rc = msyn_pool(y, v, d.k, &po, f);
        if (rc == MSYN_OK && nhm && d.es.ni) {
            double s = 0;
            size_t n = 0;
            for (size_t i = 0; i < d.k; i++)
                if (!isnan(y[i]) && !isnan(v[i]) && !isnan(d.es.ni[i])) {
                    s += 1.0 / d.es.ni[i];
                    n++;
                }
            *nhm = n ? (double)n / s : nan("");
        }
    }
    if (rc != MSYN_OK)
        snprintf(err, errn, "%s", msyn_strerror(rc));
    app_free(y); app_free(v); app_free(bi); app_free(di);
    app_data_free(&d);
    return rc;
}

static msyn_status fit_config(const app_table *t, const config *c, double tau2fix, msyn_fit *f,
                              char *err, size_t errn)
{
    return fit_config_n(t, c, tau2fix, f, NULL, err, errn);
}

static int is_iterative(msyn_method m)
{
    return m == MSYN_METHOD_ML || m == MSYN_METHOD_REML || m == MSYN_METHOD_EB || m == MSYN_METHOD_PM;
}

static int is_qp(int j) { return j == F_T2LB || j == F_T2UB || j == F_I2LB || j == F_I2UB || j == F_H2LB || j == F_H2UB; }

/* Q-profile bounds against metafor's: within tol (scaled), or, where
 * metafor's search stopped at its cap max(100, 10 tau2), beyond the cap. */
static int check_qprofile(const char *where, int cls, double tol, const double a[NF],
                          const double b[NF], const msyn_fit *f)
{
    int bad = 0;
    double cap = fmax(100.0, 10.0 * b[F_TAU2]);
    for (int j = F_T2LB; j <= F_T2UB; j++) {
        if (isnan(b[j]))
            continue;
        if (b[j] == cap) {
            if (!(a[j] >= cap)) {
                printf("FAIL %s: %s = %.17g below metafor's capped %.17g\n", where, fname[j], a[j], b[j]);
                bad = 1;
            }
            continue;
        }
        bad |= cmp(cls, where, j, a[j], b[j], tol, cls == C_TIGHT ? scale_of(j, b, f) : 1.0);
    }
    /* metafor's I2/H2 bounds follow from its tau2 bounds via vt */
    for (int j = 0; j < 2 && !isnan(f->vt); j++) {
        double t = b[F_T2LB + j];
        if (isnan(t))
            continue;
        bad |= cmp(C_CLOSED, where, F_I2LB + j, 100.0 * t / (f->vt + t), b[F_I2LB + j], 1e-10,
                   fmax(fabs(b[F_I2LB + j]), 1.0));
        bad |= cmp(C_CLOSED, where, F_H2LB + j, t / f->vt + 1.0, b[F_H2LB + j], 1e-10, fabs(b[F_H2LB + j]));
    }
    return bad;
}

static int run_row(const app_table *in, const app_table *ex, size_t r, const char *dsname)
{
    config c;
    msyn_fit f, g;
    double a[NF], b[NF];
    char where[256], err[512];
    const char *id = app_table_col(ex, "id") >= 0 ? cell(ex, r, "id") : NULL;
    app_table sub;
    int bad = 0;
    snprintf(where, sizeof where, "%s%s%s %s %s %s %s pi=%s %s", dsname, id ? "#" : "", id ? id : "",
             cell(ex, r, "preset"), cell(ex, r, "measure"), cell(ex, r, "method"), cell(ex, r, "test"),
             cell(ex, r, "pi"), cell(ex, r, "control"));
    if (parse_config(ex, r, &c) != 0) {
        printf("FAIL %s: cannot read the configuration\n", where);
        return 1;
    }
    if (subset(in, id, &sub) != 0)
        return 1;
    {
        msyn_status rc = fit_config(&sub, &c, nan(""), &f, err, sizeof err);
        /* metafor returns NA where the pooled estimate does not exist; we
         * return MSYN_ENOTESTIMABLE there, and only there */
        int metafor_na = *cell(ex, r, "estimate") == '\0' || strcmp(cell(ex, r, "estimate"), "NA") == 0;
        if (rc == MSYN_ENOTESTIMABLE && metafor_na) {
            app_table_free(&sub);
            return 0;
        }
        if (rc != MSYN_OK) {
            printf("FAIL %s: %s\n", where, err);
            app_table_free(&sub);
            return 1;
        }
    }
    fit_values(&f, a);
    for (int j = 0; j < NF; j++)
        b[j] = num(ex, r, fname[j]);
    if (f.k == 1) /* metafor's "prediction interval" of one study is its CI; ours is NA */
        b[F_PILB] = b[F_PIUB] = nan("");
    if (is_iterative(c.method) && f.k > 1) {
        /* tau2 within metafor's own stopping rule: uniroot's tolerance for
         * PM (1.22e-4, or 1e-15 tight); for Fisher scoring a step of 1e-5
         * (1e-13 tight) leaves up to rho/(1 - rho) times that, rho the
         * contraction rate: allow ten times the step.  Then everything
         * else must follow exactly from metafor's tau2. */
        double tol = c.tight ? 1e-12 : c.method == MSYN_METHOD_PM ? 1.3e-4 : 1e-4;
        int cls = c.tight ? C_TIGHT : C_ITER_TAU2;
        double d = fabs(a[F_TAU2] - b[F_TAU2]) - 1e-9 * fabs(b[F_TAU2]);
        bad |= cmp(cls, where, F_TAU2, b[F_TAU2] + (d > 0 ? d : 0), b[F_TAU2], tol, 1.0);
        for (int j = F_EST; j <= F_CIUB; j++)
            cmp(c.tight ? C_ITER_RAW_TIGHT : C_ITER_RAW, where, j, a[j], b[j], INFINITY, scale_of(j, b, &f));
        if (fit_config(&sub, &c, b[F_TAU2], &g, err, sizeof err) != MSYN_OK) {
            printf("FAIL %s (tau2 fixed): %s\n", where, err);
            bad = 1;
        } else {
            double fixed[NF];
            fit_values(&g, fixed);
            for (int j = 0; j < NF; j++)
                if (j != F_TAU2 && !is_qp(j))
                    bad |= cmp(C_ITER_FIXED, where, j, fixed[j], b[j], 1e-10, scale_of(j, b, &g));
        }
    } else {
        for (int j = 0; j < NF; j++)
            if (!is_qp(j))
                bad |= cmp(c.tight ? C_TIGHT : C_CLOSED, where, j, a[j], b[j], c.tight ? 1e-9 : 1e-10,
                           scale_of(j, b, &f));
    }
    if (c.tight)
        bad |= check_qprofile(where, C_TIGHT, 1e-9, a, b, &f);
    else
        bad |= check_qprofile(where, C_QP, 2.5e-4, a, b, &f);
    app_table_free(&sub);
    return bad;
}

/* ---- effect sizes ------------------------------------------------------ */

static int parse_es_options(const char *opts, msyn_measure m, msyn_es_opts *eo)
{
    char buf[256], *tok, *save;
    msyn_es_opts_default(eo);
    if (strstr(opts, "preset=revman5"))
        msyn_preset_apply(MSYN_PRESET_REVMAN5, m, NULL, NULL, eo);
    snprintf(buf, sizeof buf, "%s", opts);
    for (tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        if (strncmp(tok, "to=", 3) == 0) {
            const char *v = tok + 3;
            eo->to = strcmp(v, "all") == 0 ? MSYN_ADD_ALL : strcmp(v, "if0all") == 0 ? MSYN_ADD_IF0ALL
                   : strcmp(v, "none") == 0 ? MSYN_ADD_NONE : MSYN_ADD_ONLY0;
        } else if (strncmp(tok, "add=", 4) == 0) {
            eo->add = strtod(tok + 4, NULL);
        } else if (strncmp(tok, "drop00=", 7) == 0) {
            eo->drop00 = atoi(tok + 7);
        } else if (strcmp(tok, "preset=revman5") != 0) {
            return -1;
        }
    }
    return 0;
}

/* One group of es.csv rows (same id, measure, options): one test. */
static int run_es_group(const app_table *in, const app_table *es, size_t r0, size_t r1,
                        const char *dsname)
{
    const char *id = app_table_col(es, "id") >= 0 ? cell(es, r0, "id") : NULL;
    msyn_measure m;
    msyn_es_opts eo;
    app_table sub;
    app_data d;
    app_err e = {0, ""};
    char where[256];
    double *y, *v;
    int bad = 0;
    snprintf(where, sizeof where, "%s%s%s es %s [%s]", dsname, id ? "#" : "", id ? id : "",
             cell(es, r0, "measure"), cell(es, r0, "options"));
    if (msyn_measure_parse(cell(es, r0, "measure"), &m) != MSYN_OK ||
        parse_es_options(cell(es, r0, "options"), m, &eo) != 0) {
        printf("FAIL %s: cannot read the options\n", where);
        return 1;
    }
    if (subset(in, id, &sub) != 0 || app_data_load(&sub, m, NULL, &eo, &d, &e) != 0) {
        printf("FAIL %s: %s\n", where, e.msg);
        app_table_free(&sub);
        return 1;
    }
    y = app_calloc(d.k + 1, sizeof *y);
    v = app_calloc(d.k + 1, sizeof *v);
    if (msyn_es(m, &d.es, d.k, &eo, y, v, NULL) != MSYN_OK || d.k != r1 - r0) {
        printf("FAIL %s: %zu studies computed, %zu expected\n", where, d.k, r1 - r0);
        bad = 1;
    }
    for (size_t i = 0; !bad && i < d.k; i++) {
        double ey = num(es, r0 + i, "yi"), ev = num(es, r0 + i, "vi");
        char w[300];
        snprintf(w, sizeof w, "%s study %zu", where, i + 1);
        /* a study without yi or vi is left out of the analysis: both
         * must leave it out (metafor may keep a yi with vi NA) */
        /* deliberate difference (docs/METHODS.md section 8): metafor keeps
         * a study with a zero sampling variance (a correlation of +-1),
         * which no inverse-variance weight can take; metasyn leaves it out */
        if (ev == 0 && isnan(y[i]) && isnan(v[i]))
            continue;
        if ((isnan(ey) || isnan(ev)) != (isnan(y[i]) || isnan(v[i]))) {
            printf("FAIL %s: yi = %.17g, vi = %.17g, metafor yi = %.17g, vi = %.17g (%s)\n", w, y[i], v[i],
                   ey, ev, isnan(ey) || isnan(ev) ? "metafor leaves the study out" : "metafor keeps the study");
            bad = 1;
            continue;
        }
        if (isnan(ey) || isnan(ev))
            continue;
        bad |= cmp(C_ES, w, F_EST, y[i], ey, 1e-10, fmax(fabs(ey), 1e-300));
        bad |= cmp(C_ES, w, F_SE, v[i], ev, 1e-10, fmax(fabs(ev), 1e-300));
    }
    app_free(y);
    app_free(v);
    app_data_free(&d);
    app_table_free(&sub);
    return bad;
}

static int same_group(const app_table *es, size_t a, size_t b)
{
    return strcmp(cell(es, a, "id"), cell(es, b, "id")) == 0 &&
           strcmp(cell(es, a, "measure"), cell(es, b, "measure")) == 0 &&
           strcmp(cell(es, a, "options"), cell(es, b, "options")) == 0;
}

/* ---- back-transformations -------------------------------------------- */

/* One row of back.csv: the pooled estimate, CI and PI of measure/method/test
 * (tau2 fixed at metafor's for iterative methods), mapped by
 * msyn_measure_back(), against predict(res, transf=...). */
static int run_back_row(const app_table *in, const app_table *bk, size_t r, const char *dsname)
{
    static const char *const bf[5] = {"estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub"};
    static const int bj[5] = {F_EST, F_CILB, F_CIUB, F_PILB, F_PIUB};
    const char *id = app_table_col(bk, "id") >= 0 ? cell(bk, r, "id") : NULL;
    config c;
    msyn_fit f;
    app_table sub;
    double nhm, a[NF], tau2;
    char where[200], err[512];
    int bad = 0;
    snprintf(where, sizeof where, "%s%s%s back %s %s %s %s", dsname, id ? "#" : "", id ? id : "",
             cell(bk, r, "measure"), cell(bk, r, "method"), cell(bk, r, "test"), cell(bk, r, "control"));
    memset(&c, 0, sizeof c);
    c.preset = MSYN_PRESET_METAFOR;
    if (msyn_measure_parse(cell(bk, r, "measure"), &c.measure) != MSYN_OK ||
        msyn_method_parse(cell(bk, r, "method"), &c.method) != MSYN_OK ||
        msyn_test_parse(cell(bk, r, "test"), &c.test) != MSYN_OK) {
        printf("FAIL %s: cannot read the configuration\n", where);
        return 1;
    }
    c.tight = strcmp(cell(bk, r, "control"), "tight") == 0;
    tau2 = num(bk, r, "tau2");
    if (subset(in, id, &sub) != 0)
        return 1;
    if (fit_config_n(&sub, &c, is_iterative(c.method) ? tau2 : nan(""), &f, &nhm, err, sizeof err) != MSYN_OK) {
        printf("FAIL %s: %s\n", where, err);
        app_table_free(&sub);
        return 1;
    }
    fit_values(&f, a);
    if (c.measure == MSYN_MEASURE_PFT) {
        double en = num(bk, r, "n_hm");
        bad |= cmp(C_BACK, where, F_K, nhm, en, 1e-12, fmax(fabs(en), 1e-300));
    }
    for (int j = 0; j < 5; j++) {
        double b = num(bk, r, bf[j]);
        double ours = msyn_measure_back(c.measure, a[bj[j]], nhm);
        char w[300];
        if (isnan(b))
            continue;
        snprintf(w, sizeof w, "%s %s", where, bf[j]);
        if (isnan(ours)) {
            printf("FAIL %s = NA, metafor %.17g\n", w, b);
            bad = 1;
            continue;
        }
        note(C_BACK, fabs(ours - b) / fmax(fabs(b), 1e-300), w);
        if (!(fabs(ours - b) <= 1e-10 * fmax(fabs(b), 1e-300))) {
            printf("FAIL %s = %.17g, metafor %.17g (relative diff %.3g > 1e-10)\n", w, ours, b,
                   fabs(ours - b) / fmax(fabs(b), 1e-300));
            bad = 1;
        }
    }
    app_table_free(&sub);
    return bad;
}

static void run_dataset(const char *dir)
{
    app_table in, ex, es, bk;
    const char *name = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    if (read_table(dir, "input.csv", &in, 1) != 0 || read_table(dir, "expected.csv", &ex, 1) != 0) {
        total++, failed++;
        return;
    }
    for (size_t r = 0; r < ex.nrow; r++) {
        total++;
        failed += run_row(&in, &ex, r, name);
    }
    if (read_table(dir, "es.csv", &es, 0) == 0) {
        for (size_t r0 = 0, r1; r0 < es.nrow; r0 = r1) {
            for (r1 = r0 + 1; r1 < es.nrow && same_group(&es, r0, r1); r1++)
                ;
            total++;
            failed += run_es_group(&in, &es, r0, r1, name);
        }
        app_table_free(&es);
    }
    if (read_table(dir, "back.csv", &bk, 0) == 0) {
        for (size_t r = 0; r < bk.nrow; r++) {
            total++;
            failed += run_back_row(&in, &bk, r, name);
        }
        app_table_free(&bk);
    }
    app_table_free(&in);
    app_table_free(&ex);
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path)
{
    char p[1024], *names[512];
    size_t n = 0;
    struct stat st;
    DIR *dh;
    struct dirent *de;
    snprintf(p, sizeof p, "%s/expected.csv", path);
    if (stat(p, &st) == 0) {
        run_dataset(path);
        return;
    }
    if (!(dh = opendir(path))) {
        printf("FAIL %s: not a folder\n", path);
        total++, failed++;
        return;
    }
    while ((de = readdir(dh)) && n < 512)
        if (de->d_name[0] != '.')
            names[n++] = app_strdup(de->d_name);
    closedir(dh);
    qsort(names, n, sizeof *names, cmpstr);
    for (size_t i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/%s", path, names[i]);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            run_path(p);
        app_free(names[i]);
    }
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        run_path(argv[i]);
    printf("\nLargest differences (scaled; see the header of run_golden.c):\n");
    for (int c = 0; c < NC; c++)
        printf("  %-42s %9.2e  %s\n", cname[c], worst[c], worst_where[c]);
    printf("SUMMARY %d %d\n", total, failed);
    return failed ? 1 : 0;
}
