/*
 * plot_cumulative.c - the cumulative forest (`pool --cumulative COL
 * --cumulative-plot FILE`): row s is the model of the first s studies in
 * the order of COL, labelled "+ study (value of COL)", and the full-data
 * model as a diamond and a dashed line (metafor's forest() of a cumul()
 * result).  The drawing is plot_rows() of plot_rows.c.
 */
#include <stdio.h>
#include <string.h>

#include "plot_rows.h"

/* The table column of the cumulative order (as sens.c found it). */
static int order_column(const app_result *r)
{
    int col = app_table_col(r->table, r->sens.cum_col);
    return col >= 0 ? col : app_table_col_nocase(r->table, r->sens.cum_col);
}

int plot_cumulative(const app_result *r, plot *p, app_err *e)
{
    const app_sens *s = &r->sens;
    size_t k = r->data->k;
    char **lab = NULL, **suf = NULL, total[96], title[160];
    plot_rows_spec spec;
    int rc = -1, col;
    if (!r->fitted || !s->cum || !s->order || !r->table) {
        app_err_set(e, APP_EXIT_MODEL, "--cumulative-plot: %s has no pooled model to accumulate (fewer than --min-k estimable studies); the figure needs at least 2",
                    r->file);
        return -1;
    }
    col = order_column(r);
    if (!(lab = app_calloc(k + 1, sizeof *lab)) || !(suf = app_calloc(k + 1, sizeof *suf)))
        goto oom;
    for (size_t j = 0; j < k; j++) {
        size_t i = s->order[j];
        const char *v = col >= 0 ? app_table_cell(r->table, r->data->row[i], (size_t)col) : "";
        size_t n, vn;
        v += strspn(v, " \t");
        vn = strlen(v);
        while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t' || v[vn - 1] == '\r'))
            vn--;
        n = strlen(r->data->study[i]) + 4;
        if (!(lab[j] = app_alloc(n)) || !(suf[j] = app_alloc(vn + 4)))
            goto oom;
        snprintf(lab[j], n, "+ %s", r->data->study[i]);
        if (vn)
            snprintf(suf[j], vn + 4, " (%.*s)", (int)vn, v);
        else
            suf[j][0] = '\0';
    }
    snprintf(total, sizeof total, "All studies (k = %zu)", r->fit.k);
    snprintf(title, sizeof title, "Cumulative analysis (in the order of %s)", s->cum_col);
    memset(&spec, 0, sizeof spec);
    spec.flag = "--cumulative-plot";
    spec.title = title;
    spec.n = k;
    spec.label = (const char *const *)lab;
    spec.suffix = (const char *const *)suf;
    spec.est = s->cum + SENS_EST * k;
    spec.lb = s->cum + SENS_CILB * k;
    spec.ub = s->cum + SENS_CIUB * k;
    spec.total_label = total;
    spec.total_est = r->fit.estimate;
    spec.total_lb = r->fit.ci_lb;
    spec.total_ub = r->fit.ci_ub;
    rc = plot_rows(r, &spec, "Cumulative meta-analysis", p, e);
    goto done;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
done:
    for (size_t i = 0; i < k; i++) {
        if (lab)
            app_free(lab[i]);
        if (suf)
            app_free(suf[i]);
    }
    app_free(lab);
    app_free(suf);
    return rc;
}
