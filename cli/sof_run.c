/*
 * sof_run.c - each outcome of `metasyn sof` pooled as `metasyn pool`
 * would and assessed with GRADE.  sof_run.h; docs/cli/sof.md.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sof_run.h"

static int analyse(const sof_spec *s, size_t row, sof_analysis *x, const char *outcomes, app_err *e)
{
    cli_opts *o = &x->o;
    const char *v;
    int rc;
    o->cmd = "pool";
    o->preset = MSYN_PRESET_COCHRANE2025;
    o->digits = 4;
    o->tau2_fixed = o->ri = o->mcid = o->bias.orwin_target = nan("");
    o->conv.median = MSYN_MEDIAN_LUO;
    o->format = "text";
    o->min_k = 1;
    if (!(x->path = sof_study_path(outcomes, sof_cell(s, row, SOF_C_FILE)))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    o->input = x->path;
    o->study = sof_cell(s, row, SOF_C_STUDY);
    o->scale_name = sof_cell(s, row, SOF_C_SCALE_NAME);
    if ((v = sof_cell(s, row, SOF_C_WHERE)))
        o->where[o->nwhere++] = v;
    if ((v = sof_cell(s, row, SOF_C_MEASURE))) {
        if (msyn_measure_parse(v, &o->measure) != MSYN_OK)
            return sof_bad_cell(s, row, SOF_C_MEASURE, e,
                                "measure is not one of pool's measures (MD, SMD, RR, OR, RD, HR, ...)");
        o->measure_set = 1;
    }
    if ((v = sof_cell(s, row, SOF_C_METHOD))) {
        if (msyn_method_parse(v, &o->method) != MSYN_OK)
            return sof_bad_cell(s, row, SOF_C_METHOD, e,
                                "method is not one of EE, DL, HE, HS, SJ, ML, REML, EB, PM, MH, PETO");
        o->method_set = 1;
    }
    if (o->scale_name && isnan(o->reexpress_sd))
        return sof_bad_cell(s, row, SOF_C_SCALE_NAME, e,
                            "scale_name names the instrument of reexpress_sd; give reexpress_sd too");
    o->instrument = sof_cell(s, row, SOF_C_INSTRUMENT);
    if (cli_load(o, &x->t, &x->d, &x->r, e) != 0 || cli_pool_fit(&x->r, e) != 0)
        return -1;
    if (isnan(x->in.mcid) && o->inst)
        x->in.mcid = o->inst->mcid;
    if (x->r.pooled_k_short) {
        app_err_set(e, APP_EXIT_MODEL, "%s: no study has an effect size", x->r.file);
        return -1;
    }
    if (!isnan(x->in.mcid) && msyn_measure_is_ratio(x->r.measure)) {
        app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: mcid is a difference in the outcome's units; %s is a ratio "
                                      "(imprecision then uses RR 0.75 and 1.25)",
                    s->t.file, s->t.line[row], s->col[SOF_C_MCID] + 1, msyn_measure_name(x->r.measure));
        return -1;
    }
    if (app_measure_standardized(x->r.measure) && !isnan(x->in.mcid) && isnan(x->r.reexpress_sd))
        return sof_bad_cell(s, row, SOF_C_MCID, e, "an MCID for a standardized mean difference needs reexpress_sd "
                                                   "(the instrument's SD) to put the SMD in its points");
    rc = app_rob_levels(&x->r, sof_cell(s, row, SOF_C_ROB_COLUMN), e);
    if (rc < 0)
        return -1;
    return grade_assess(&x->r, &x->in, &x->g, e);
}

int sof_run_all(const sof_spec *s, const char *outcomes, sof_run *u, app_err *e)
{
    memset(u, 0, sizeof *u);
    if (!(u->a = app_calloc(s->t.nrow, sizeof *u->a)) || !(u->rows = app_calloc(s->t.nrow, sizeof *u->rows))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->t.nrow; i++) {
        sof_analysis *x = &u->a[i];
        x->o.reexpress_sd = nan("");
        u->n = i + 1;
        if (sof_row_input(s, i, &x->in, &x->o.reexpress_sd, e) != 0)
            return -1;
        if (analyse(s, i, x, outcomes, e) != 0) {
            if (e->code != APP_EXIT_INTERNAL && strncmp(e->msg, s->t.file, strlen(s->t.file)) != 0) {
                char msg[sizeof e->msg];
                snprintf(msg, sizeof msg, "%s", e->msg);
                app_err_set(e, e->code, "%s:%ld: outcome '%s': %s", s->t.file, s->t.line[i],
                            sof_cell(s, i, SOF_C_OUTCOME), msg);
            }
            return -1;
        }
        u->rows[i].name = sof_cell(s, i, SOF_C_OUTCOME);
        u->rows[i].follow_up = sof_cell(s, i, SOF_C_FOLLOW_UP);
        u->rows[i].importance = sof_cell(s, i, SOF_C_IMPORTANCE);
        u->rows[i].comments = sof_cell(s, i, SOF_C_COMMENTS);
        u->rows[i].file = sof_cell(s, i, SOF_C_FILE);
        u->rows[i].r = &x->r;
        u->rows[i].g = &x->g;
    }
    return 0;
}

void sof_run_free(sof_run *u)
{
    for (size_t i = 0; i < u->n; i++) {
        sof_analysis *x = &u->a[i];
        cli_result_free(&x->r);
        app_data_free(&x->d);
        app_table_free(&x->t);
        app_free(x->path);
    }
    app_free(u->a);
    app_free(u->rows);
    memset(u, 0, sizeof *u);
}
