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
    case MSYN_INPUT_PROPORTION: return "events and sizes of one group";
    case MSYN_INPUT_RATE: return "events and person-time of one group";
    case MSYN_INPUT_MEAN: return "mean, SD and size of one group";
    case MSYN_INPUT_CORRELATION: return "correlations and sample sizes";
    case MSYN_INPUT_RATES: return "events and person-time of two groups";
    case MSYN_INPUT_PREPOST: return "one group at two time points";
    case MSYN_INPUT_OE: return "O - E and its variance";
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

static double col(const double *v, size_t i)
{
    return v ? v[i] : nan("");
}

double app_study_n(const app_data *d, size_t i)
{
    const msyn_es_data *es = &d->es;
    double n1 = col(es->n1i, i), n2 = col(es->n2i, i), n;
    if (isnan(n1))
        n1 = col(es->ai, i) + col(es->bi, i);
    if (isnan(n2))
        n2 = col(es->ci, i) + col(es->di, i);
    n = n1 + n2;
    if (isnan(n))
        n = col(es->ni, i);
    return n;
}

double app_back(const app_result *r, double x)
{
    return msyn_measure_back(r->measure, x, r->n_hm);
}

double app_back_study(const app_result *r, size_t i, double x)
{
    double n = r->data->es.ni ? r->data->es.ni[i] : r->n_hm;
    return msyn_measure_back(r->measure, x, n);
}

const char *app_input_form_key(msyn_input in)
{
    switch (in) {
    case MSYN_INPUT_ARMS: return "arms";
    case MSYN_INPUT_TABLE: return "table";
    case MSYN_INPUT_ESTIMATE: return "estimate";
    case MSYN_INPUT_PROPORTION: return "proportion";
    case MSYN_INPUT_RATE: return "rate";
    case MSYN_INPUT_MEAN: return "mean";
    case MSYN_INPUT_CORRELATION: return "correlation";
    case MSYN_INPUT_RATES: return "rates";
    case MSYN_INPUT_PREPOST: return "prepost";
    case MSYN_INPUT_OE: return "oe";
    default: return "none";
    }
}

int app_measure_standardized(msyn_measure m)
{
    return m == MSYN_MEASURE_SMD || m == MSYN_MEASURE_SMDH || m == MSYN_MEASURE_SMCC ||
           m == MSYN_MEASURE_SMCR;
}

const char *app_mcid_verdict(double est, double lb, double ub, double mcid,
                             const char **sentence)
{
    if (lb >= mcid || ub <= -mcid) {
        *sentence = "the whole confidence interval lies beyond the MCID: a clinically relevant difference";
        return "relevant";
    }
    if (lb > -mcid && ub < mcid) {
        *sentence = "the whole confidence interval lies within the MCID: a clinically relevant difference is unlikely";
        return "not relevant";
    }
    if (fabs(est) >= mcid) {
        *sentence = "the estimate reaches the MCID but the confidence interval includes smaller differences: relevance uncertain";
        return "uncertain";
    }
    *sentence = "the estimate is below the MCID but the confidence interval includes relevant differences: relevance uncertain";
    return "uncertain";
}

const char *app_fx(double x, int d, char *buf, size_t n)
{
    if (isnan(x))
        snprintf(buf, n, "NA");
    else if (isinf(x))
        snprintf(buf, n, x > 0 ? "Inf" : "-Inf");
    else
        snprintf(buf, n, "%.*f", d, x);
    /* no "-0.000" */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
    return buf;
}

const char *app_pq(double p, char *buf, size_t n)
{
    if (isnan(p))
        snprintf(buf, n, "p = NA");
    else if (p < 1e-4)
        snprintf(buf, n, "p < 0.0001");
    else
        snprintf(buf, n, "p = %.4f", p);
    return buf;
}

void app_warnings_text(const app_strlist *w, sbuf *o)
{
    if (!w->n)
        return;
    sb_puts(o, "\nWarnings\n");
    for (size_t i = 0; i < w->n; i++)
        sb_printf(o, "  - %s\n", w->s[i]);
}
