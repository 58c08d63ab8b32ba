/*
 * subgroup.c - pooling a subset of the studies, and subgroup analyses
 * (`pool --by COLUMN`).
 *
 * Each subgroup is pooled on its own, with its own tau^2, exactly as the
 * whole analysis is (same method, test and intervals).  The test for
 * subgroup differences is RevMan's: Q between the subgroup estimates, each
 * weighted by its inverse squared SE, with (groups - 1) df, and
 * I^2 = (Q - df)/Q.  docs/METHODS.md section "Subgroups".
 */
#include <stdio.h>
#include <string.h>

#include "app.h"

/* Mantel-Haenszel, Peto and RevMan's DerSimonian-Laird from the MH Q work
 * on the 2x2 tables themselves; everything else on yi and vi. */
int app_pool_on_tables(const app_result *r)
{
    const msyn_pool_opts *po = &r->po;
    return r->data->input == MSYN_INPUT_TABLE &&
           (po->method == MSYN_METHOD_MH || po->method == MSYN_METHOD_PETO ||
            (po->q_from_mh && po->method == MSYN_METHOD_DL));
}

static double cell_or_nan(const double *col, size_t i) { return col ? col[i] : nan(""); }

void app_table_cells(const msyn_es_data *d, size_t i, double *a, double *b, double *c, double *dd)
{
    *a = cell_or_nan(d->ai, i);
    *c = cell_or_nan(d->ci, i);
    *b = cell_or_nan(d->bi, i);
    *dd = cell_or_nan(d->di, i);
    if (isnan(*b))
        *b = cell_or_nan(d->n1i, i) - *a;
    if (isnan(*dd))
        *dd = cell_or_nan(d->n2i, i) - *c;
}

int app_pool_fit(const app_result *r, const size_t *idx, size_t n, msyn_fit *fit, double *w,
                 msyn_status *rc)
{
    const msyn_es_data *d = &r->data->es;
    double *buf = app_alloc((6 * n + 1) * sizeof *buf);
    double *y = buf, *v = buf + n, *a = buf + 2 * n, *b = buf + 3 * n, *c = buf + 4 * n,
           *dd = buf + 5 * n;
    if (!buf)
        return -1;
    for (size_t j = 0; j < n; j++) {
        size_t i = idx ? idx[j] : j;
        y[j] = r->yi[i];
        v[j] = r->vi[i];
        if (app_pool_on_tables(r))
            app_table_cells(d, i, &a[j], &b[j], &c[j], &dd[j]);
    }
    if (app_pool_on_tables(r)) {
        *rc = msyn_pool_tables(r->measure, a, b, c, dd, n, &r->eo, &r->po, fit, NULL, NULL, w);
    } else {
        *rc = msyn_pool(y, v, n, &r->po, fit);
        if (*rc == MSYN_OK && w)
            *rc = msyn_pool_weights(v, n, fit, w);
    }
    app_free(buf);
    return 0;
}

/* Studies with an effect size (what a fit counts). */
static size_t estimable(const app_result *r, const size_t *idx, size_t n)
{
    size_t m = 0;
    for (size_t j = 0; j < n; j++)
        m += !isnan(r->yi[idx[j]]) && !isnan(r->vi[idx[j]]);
    return m;
}

static void free_groups(app_subgroups *s)
{
    for (size_t g = 0; g < s->n; g++) {
        app_free(s->g[g].name);
        app_free(s->g[g].idx);
    }
    app_free(s->g);
    memset(s, 0, sizeof *s);
}

void app_subgroups_free(app_subgroups *s)
{
    if (s)
        free_groups(s);
}

/* The groups in order of first appearance; empty cells form a group of
 * their own, named "(none)". */
static int split(const app_result *r, const app_table *t, int col, app_subgroups *s)
{
    const app_data *d = r->data;
    for (size_t i = 0; i < d->k; i++) {
        const char *v = app_table_cell(t, d->row[i], (size_t)col);
        size_t n, g;
        char name[256];
        v += strspn(v, " \t");
        n = strlen(v);
        while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r'))
            n--;
        snprintf(name, sizeof name, "%.*s", (int)(n < 255 ? n : 255), n ? v : "(none)");
        for (g = 0; g < s->n && strcmp(s->g[g].name, name) != 0; g++)
            ;
        if (g == s->n) {
            app_subgroup *ng = app_realloc(s->g, (s->n + 1) * sizeof *ng);
            if (!ng)
                return -1;
            s->g = ng;
            memset(&s->g[g], 0, sizeof s->g[g]);
            s->n++;
            if (!(s->g[g].name = app_strdup(name)) ||
                !(s->g[g].idx = app_alloc((d->k + 1) * sizeof *s->g[g].idx)))
                return -1;
        }
        s->g[g].idx[s->g[g].n++] = i;
    }
    return 0;
}

/* One tau2 for all subgroups: the mixed-effects model with the subgroup
 * as a factor (metafor's rma(yi, vi, mods = ~ factor(g))).  The test for
 * subgroup differences is its QM (chi^2, or F under knha/t); each
 * subgroup's estimate comes from the same model without an intercept. */
static int common_fit(app_result *r, app_subgroups *s, app_err *e)
{
    size_t k = r->data->k, G = 0, col;
    double *X = NULL, *coef = NULL;
    msyn_reg_fit A, B;
    msyn_status rc;
    int ret = -1;
    for (size_t g = 0; g < s->n; g++)
        G += s->g[g].pooled ? 1u : 0u;
    s->Q = s->df = s->pval = s->I2 = s->df2 = s->tau2 = nan("");
    if (G < 2)
        return 0;
    if (!(X = app_calloc(k * G + 1, sizeof *X)) || !(coef = app_alloc((6 * G + 1) * sizeof *coef)))
        goto oom;
    /* without intercept: one column per pooled subgroup; rows of other
     * subgroups are missing */
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < G; j++)
            X[i * G + j] = nan("");
    col = 0;
    for (size_t g = 0; g < s->n; g++) {
        if (!s->g[g].pooled)
            continue;
        for (size_t q = 0; q < s->g[g].n; q++) {
            size_t i = s->g[g].idx[q];
            for (size_t j = 0; j < G; j++)
                X[i * G + j] = j == col;
        }
        col++;
    }
    memset(&B, 0, sizeof B);
    B.b = coef, B.se = coef + G, B.stat = coef + 2 * G, B.pval = coef + 3 * G, B.ci_lb = coef + 4 * G,
    B.ci_ub = coef + 5 * G;
    rc = msyn_reg(r->yi, r->vi, X, k, G, NULL, &r->po, NULL, &B);
    if (rc == MSYN_ENOMEM)
        goto oom;
    if (rc != MSYN_OK) {
        app_strlist_addf(&r->warnings, "subgroups with a common tau²: not fitted: %s", msyn_strerror(rc));
        ret = 0;
        goto out;
    }
    col = 0;
    for (size_t g = 0; g < s->n; g++) {
        msyn_fit *f = &s->g[g].fit;
        if (!s->g[g].pooled)
            continue;
        f->estimate = B.b[col];
        f->se = B.se[col];
        f->stat = B.stat[col];
        f->pval = B.pval[col];
        f->ci_lb = B.ci_lb[col];
        f->ci_ub = B.ci_ub[col];
        f->tau2 = B.tau2;
        f->df = B.df;
        f->I2 = f->H2 = f->Q = f->Q_df = f->Q_pval = f->pi_lb = f->pi_ub = nan("");
        col++;
    }
    /* with intercept: the QM test of the G - 1 dummies */
    for (size_t i = 0; i < k; i++)
        if (!isnan(X[i * G]))
            X[i * G] = 1.0; /* column 0 becomes the intercept */
    memset(&A, 0, sizeof A);
    rc = msyn_reg(r->yi, r->vi, X, k, G, NULL, &r->po, NULL, &A);
    if (rc == MSYN_ENOMEM)
        goto oom;
    if (rc == MSYN_OK) {
        s->Q = A.QM;
        s->df = A.QM_df1;
        s->df2 = A.QM_df2;
        s->pval = A.QM_pval;
        s->tau2 = A.tau2;
        s->tested = 1;
    }
    ret = 0;
    goto out;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
out:
    app_free(X);
    app_free(coef);
    return ret;
}

int app_subgroups_fit(app_result *r, const app_table *t, const char *by, int min_k,
                      int common, app_err *e)
{
    app_subgroups *s = &r->sg;
    int col = app_table_col(t, by);
    size_t pooled = 0;
    double *est, *var;
    if (col < 0 && (col = app_table_col_nocase(t, by)) < 0) {
        app_err_set(e, APP_EXIT_USAGE, "--by %s: %s has no such column", by, r->file);
        return -1;
    }
    s->by = by;
    s->common = common;
    if (split(r, t, col, s) != 0)
        goto oom;
    if (common) {
        for (size_t g = 0; g < s->n; g++) {
            s->g[g].k_est = estimable(r, s->g[g].idx, s->g[g].n);
            s->g[g].pooled = (int)s->g[g].k_est >= min_k;
            s->g[g].fit.k = s->g[g].k_est;
        }
        return common_fit(r, s, e);
    }
    for (size_t g = 0; g < s->n; g++) {
        app_subgroup *sg = &s->g[g];
        msyn_status rc;
        sg->k_est = estimable(r, sg->idx, sg->n);
        if ((int)sg->k_est < min_k)
            continue;
        if (app_pool_fit(r, sg->idx, sg->n, &sg->fit, NULL, &rc) != 0)
            goto oom;
        if (rc == MSYN_ENOMEM)
            goto oom;
        if (rc != MSYN_OK) {
            app_strlist_addf(&r->warnings, "subgroup %s: not pooled: %s", sg->name, msyn_strerror(rc));
            continue;
        }
        sg->pooled = 1;
        pooled++;
    }
    s->Q = s->df = s->pval = s->I2 = nan("");
    if (pooled < 2)
        return 0;
    est = app_alloc(2 * pooled * sizeof *est);
    if (!est)
        goto oom;
    var = est + pooled;
    pooled = 0;
    for (size_t g = 0; g < s->n; g++)
        if (s->g[g].pooled) {
            est[pooled] = s->g[g].fit.estimate;
            var[pooled++] = s->g[g].fit.se * s->g[g].fit.se;
        }
    {
        /* Q between subgroups = the common-effect Q of their estimates */
        msyn_pool_opts po;
        msyn_fit f;
        msyn_pool_opts_default(&po);
        po.method = MSYN_METHOD_EE;
        po.alloc = app_msyn_allocator();
        if (msyn_pool(est, var, pooled, &po, &f) == MSYN_OK) {
            s->Q = f.Q;
            s->df = f.Q_df;
            s->pval = f.Q_pval;
            s->I2 = s->Q > 0 ? 100.0 * fmax(0.0, (s->Q - s->df) / s->Q) : 0.0;
            s->tested = 1;
        }
    }
    app_free(est);
    return 0;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}
