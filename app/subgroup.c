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
static int on_tables(const app_result *r)
{
    const msyn_pool_opts *po = &r->po;
    return r->data->input == MSYN_INPUT_TABLE &&
           (po->method == MSYN_METHOD_MH || po->method == MSYN_METHOD_PETO ||
            (po->q_from_mh && po->method == MSYN_METHOD_DL));
}

static double cell_or_nan(const double *col, size_t i) { return col ? col[i] : nan(""); }

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
        if (on_tables(r)) {
            double ai = cell_or_nan(d->ai, i), ci = cell_or_nan(d->ci, i);
            double bi = cell_or_nan(d->bi, i), di = cell_or_nan(d->di, i);
            if (isnan(bi))
                bi = cell_or_nan(d->n1i, i) - ai;
            if (isnan(di))
                di = cell_or_nan(d->n2i, i) - ci;
            a[j] = ai, b[j] = bi, c[j] = ci, dd[j] = di;
        }
    }
    if (on_tables(r)) {
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

int app_subgroups_fit(app_result *r, const app_table *t, const char *by, int min_k,
                      app_err *e)
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
    if (split(r, t, col, s) != 0)
        goto oom;
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
