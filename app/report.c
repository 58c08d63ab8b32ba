/*
 * report.c - what the text, JSON and CSV reports share: warnings, study
 * intervals and the names of settings, written once so that every format
 * says the same thing.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"

double app_study_ci(const app_result *r, size_t i, int upper)
{
    /* metafor's forest plots and summaries use normal-based study CIs
     * whatever the test of the pooled estimate. */
    double z = msyn_crit(r->po.level, nan(""));
    double se = sqrt(r->vi[i]);
    return upper ? r->yi[i] + z * se : r->yi[i] - z * se;
}

const char *app_input_form_name(msyn_input in)
{
    switch (in) {
    case MSYN_INPUT_ARMS: return "means, SDs and sizes of two groups";
    case MSYN_INPUT_TABLE: return "2x2 tables";
    case MSYN_INPUT_ESTIMATE: return "reported estimates";
    default: return "none";
    }
}

const char *app_add_to_name(msyn_add_to to)
{
    switch (to) {
    case MSYN_ADD_ONLY0: return "only0";
    case MSYN_ADD_ALL: return "all";
    case MSYN_ADD_IF0ALL: return "if0all";
    default: return "none";
    }
}

const char *app_pi_name(const app_result *r, char *buf, size_t n)
{
    const msyn_fit *f = &r->fit;
    if (!r->fitted || isnan(f->pi_lb))
        snprintf(buf, n, "none");
    else if (isnan(f->pi_df))
        snprintf(buf, n, "normal");
    else
        snprintf(buf, n, "t(%g)", f->pi_df);
    return buf;
}
