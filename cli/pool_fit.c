/*
 * pool_fit.c - the analysis of `metasyn pool` on loaded data: effect sizes,
 * the fit (inverse variance, Mantel-Haenszel or Peto), and the warnings
 * about left-out studies and the fit.  Shared by pool and batch (one
 * analysis per id).
 */
#include <string.h>

#include "cli.h"

int cli_study_left_out(const app_result *r, const app_data *d, unsigned f, size_t i, app_strlist *out)
{
    char note[128];
    if (f & MSYN_ES_DROPPED00)
        app_strlist_addf(out, "%s (line %ld) left out: %s", d->study[i], d->line[i],
                         app_es_note(f, &r->eo, note, sizeof note));
    else if (f & MSYN_ES_NA)
        app_strlist_addf(out, "%s (line %ld) left out: its effect size or sampling variance is undefined for these data%s",
                         d->study[i], d->line[i],
                         (r->measure == MSYN_MEASURE_COR || r->measure == MSYN_MEASURE_ZCOR) && d->es.ni &&
                                 d->es.ni[i] <= 3
                             ? " (ni <= 3)"
                             : "");
    else
        return 0;
    return 1;
}

int cli_study_no_table(const app_result *r, const app_data *d, unsigned f, size_t i, app_strlist *out)
{
    if ((r->po.method != MSYN_METHOD_MH && r->po.method != MSYN_METHOD_PETO) ||
        msyn_es_row_input(r->measure, &d->es, &r->eo, i) == MSYN_INPUT_TABLE || (f & MSYN_ES_MISSING))
        return 0;
    if (out)
        app_strlist_addf(out, "%s (line %ld) left out: %s pools 2x2 tables and this study has none",
                         d->study[i], d->line[i], msyn_method_label(r->po.method));
    return 1;
}

void cli_zero_cells_warning(app_result *r, size_t added)
{
    if (added)
        app_strlist_addf(&r->warnings, "%zu %s with zero cells: %g added to each cell of %s", added,
                         added == 1 ? "study" : "studies", r->eo.add, added == 1 ? "its table" : "their tables");
}

static void study_warnings(app_result *r)
{
    size_t added = 0;
    for (size_t i = 0; i < r->data->k; i++) {
        cli_study_left_out(r, r->data, r->esflags[i], i, &r->warnings);
        added += (r->esflags[i] & MSYN_ES_ADDED) != 0;
    }
    cli_zero_cells_warning(r, added);
}

static void fit_warnings(app_result *r)
{
    const char *s;
    for (unsigned n = 0; (s = msyn_fit_flag_text(r->fit.flags, n)); n++)
        app_strlist_addf(&r->warnings, "%s", s);
}

int cli_pool_method(app_result *r, app_err *e)
{
    const app_data *d = r->data;
    if (r->po.method == MSYN_METHOD_PETO && d->input == MSYN_INPUT_OE) {
        /* Peto's one-step estimate from O - E and V is sum(O - E)/sum(V),
         * the inverse-variance common effect of (O - E)/V with v = 1/V. */
        r->po.method = MSYN_METHOD_EE;
        r->po.test = MSYN_TEST_Z;
        app_strlist_addf(&r->warnings, "Peto's method on O - E and V: pooled as sum(O - E) / sum(V) with variance 1 / sum(V), the inverse-variance common effect of (O - E)/V");
    }
    if ((r->po.method == MSYN_METHOD_MH || r->po.method == MSYN_METHOD_PETO) && d->input != MSYN_INPUT_TABLE) {
        app_err_set(e, APP_EXIT_USAGE, "--method %s pools 2x2 tables (columns ai, bi, ci, di or ai, n1i, ci, n2i); %s gives %s",
                    msyn_method_name(r->po.method), r->file, app_input_form_name(d->input));
        return -1;
    }
    return 0;
}

int cli_pool_fit(app_result *r, app_err *e)
{
    const app_data *d = r->data;
    size_t k = d->k;
    int is_mh;
    msyn_status rc;
    r->yi = app_alloc((k + 1) * sizeof *r->yi);
    r->vi = app_alloc((k + 1) * sizeof *r->vi);
    r->w = app_alloc((k + 1) * sizeof *r->w);
    r->esflags = app_alloc((k + 1) * sizeof *r->esflags);
    if (!r->yi || !r->vi || !r->w || !r->esflags) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (cli_pool_method(r, e) != 0)
        return -1;
    is_mh = r->po.method == MSYN_METHOD_MH || r->po.method == MSYN_METHOD_PETO;
    rc = msyn_es(r->po.method == MSYN_METHOD_PETO ? MSYN_MEASURE_PETO : r->measure, &d->es, k,
                 &r->eo, r->yi, r->vi, r->esflags);
    if (rc == MSYN_OK) {
        size_t kest = 0;
        for (size_t i = 0; i < k; i++)
            kest += !isnan(r->yi[i]) && !isnan(r->vi[i]);
        if (kest > 0 && (int)kest < r->min_k) {
            /* listed, not pooled: "pool only when at least N studies" */
            study_warnings(r);
            r->pooled_k_short = 1;
            app_strlist_addf(&r->warnings, "not pooled: %zu %s an effect size, fewer than --min-k %d",
                             kest, kest == 1 ? "study has" : "studies have", r->min_k);
            for (size_t i = 0; i < k; i++)
                r->w[i] = nan("");
            return 0;
        }
        for (size_t i = 0; is_mh && i < k; i++)
            cli_study_no_table(r, d, r->esflags[i], i, &r->warnings);
        if (app_pool_fit(r, NULL, k, &r->fit, r->w, &rc) != 0) {
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            return -1;
        }
    }
    study_warnings(r);
    return cli_pool_fit_status(r, rc, e);
}

int cli_pool_fit_status(app_result *r, msyn_status rc, app_err *e)
{
    if (rc == MSYN_ETOOFEW) {
        app_err_set(e, APP_EXIT_MODEL, "%s: no study has an estimable effect size (%zu rows, all left out); nothing to pool",
                    r->file, r->data->k);
        return -1;
    }
    if (rc == MSYN_ENOTESTIMABLE) {
        app_err_set(e, APP_EXIT_MODEL, "%s: the %s %s cannot be estimated: %s", r->file,
                    msyn_method_label(r->po.method), msyn_measure_name(r->measure),
                    r->po.method == MSYN_METHOD_PETO ? "no table has both events and non-events"
                    : r->measure == MSYN_MEASURE_RD && r->po.method == MSYN_METHOD_MH
                        ? "its variance is zero (every table has events in all of one group and none of the other)"
                        : "there are no events in one of the groups across all tables");
        return -1;
    }
    if (rc == MSYN_ENOCONV) {
        app_err_set(e, APP_EXIT_MODEL, "%s: the %s estimator of tau² did not converge in %d iterations (fallback disabled); try --max-iter, another --method, or drop --no-fallback",
                    r->file, msyn_method_name(r->po.method), r->po.max_iter);
        return -1;
    }
    if (rc != MSYN_OK) {
        cli_status_error(rc, r->file, e);
        return -1;
    }
    r->fitted = 1;
    fit_warnings(r);
    return 0;
}

