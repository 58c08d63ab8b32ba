/*
 * plot_leave1out.c - the leave-one-out forest (`pool --leave1out-plot
 * FILE`): one row per omitted study with the estimate and CI of the model
 * fitted without it, and the full-data model as a diamond and a dashed
 * line (metafor's forest() of a leave1out() result).  The drawing is
 * plot_rows() of plot_rows.c, shared with the cumulative forest.
 */
#include <stdio.h>
#include <string.h>

#include "plot_rows.h"

int plot_leave1out(const app_result *r, plot *p, app_err *e)
{
    const app_sens *s = &r->sens;
    size_t k = r->data->k;
    char **lab, total[96];
    plot_rows_spec spec;
    int rc = -1;
    if (!r->fitted || !s->l1o) {
        app_err_set(e, APP_EXIT_MODEL, "--leave1out-plot: %s has no pooled model to leave studies out of (fewer than --min-k estimable studies); the figure needs at least 2",
                    r->file);
        return -1;
    }
    if (!(lab = app_calloc(k + 1, sizeof *lab)))
        goto oom;
    for (size_t i = 0; i < k; i++) {
        size_t n = strlen(r->data->study[i]) + 16;
        if (!(lab[i] = app_alloc(n)))
            goto oom;
        snprintf(lab[i], n, "Omitting %s", r->data->study[i]);
    }
    snprintf(total, sizeof total, "All studies (k = %zu)", r->fit.k);
    memset(&spec, 0, sizeof spec);
    spec.flag = "--leave1out-plot";
    spec.title = "Leave-one-out analysis";
    spec.n = k;
    spec.label = (const char *const *)lab;
    spec.est = s->l1o + SENS_EST * k;
    spec.lb = s->l1o + SENS_CILB * k;
    spec.ub = s->l1o + SENS_CIUB * k;
    spec.total_label = total;
    spec.total_est = r->fit.estimate;
    spec.total_lb = r->fit.ci_lb;
    spec.total_ub = r->fit.ci_ub;
    rc = plot_rows(r, &spec, "Leave-one-out analysis", p, e);
    goto done;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
done:
    if (lab)
        for (size_t i = 0; i < k; i++)
            app_free(lab[i]);
    app_free(lab);
    return rc;
}
