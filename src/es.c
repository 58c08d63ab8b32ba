/*
 * es.c - effect sizes from study data: which form each study's data take,
 * the checks of every value, and the driver of msyn_es().
 *
 * Reproduces metafor's escalc() (defaults vtype = "LS", add = 1/2,
 * to = "only0", drop00 = FALSE) for every measure of msyn_measure, plus
 * RevMan 5's SMD and RD conventions.  Unlike escalc(), which takes one form
 * of data for all studies, the form is chosen per study: a review whose
 * trials report means and SDs but one of which reports only an estimate
 * with its CI is pooled as it is, with the conversions flagged.
 * Validation lives here too, so the command line and library users get the
 * same rules and the same sentences.  docs/METHODS.md section 1.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

MSYN_API void msyn_es_opts_default(msyn_es_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->add = 0.5;
    o->to = MSYN_ADD_ONLY0;
    o->drop00 = 0;
    o->rd_add_yi = 1;
    o->smd_j = MSYN_SMD_J_EXACT;
    o->smd_var = MSYN_SMD_VAR_LS;
    o->natural_scale = 0;
    o->ci_level = 0.95;
    o->ri = MSYN_NAN;
}

/* Hedges' J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)), evaluated on the
 * log scale as metafor's .cmicalc() does (Hedges 1981). */
MSYN_API double msyn_es_hedges_j(double m)
{
    if (!(m > 1.0))
        return MSYN_NAN;
    return exp(msyn__lgamma(m / 2.0) - log(sqrt(m / 2.0)) - msyn__lgamma((m - 1.0) / 2.0));
}

/* ---- input forms ------------------------------------------------------ */

#define F(x) MSYN_INPUT_##x

/* The forms a measure accepts, in order of preference, ending in NONE.
 * Forms after the measure's own are conversions (flagged per study). */
static const msyn_input *forms_of(msyn_measure m)
{
    static const msyn_input arms[] = {F(ARMS), F(ESTIMATE), F(NONE)};
    static const msyn_input smd[] = {F(ARMS), F(TABLE), F(CORRELATION), F(ESTIMATE), F(NONE)};
    static const msyn_input odds[] = {F(TABLE), F(ARMS), F(ESTIMATE), F(NONE)};
    static const msyn_input table[] = {F(TABLE), F(ESTIMATE), F(NONE)};
    static const msyn_input peto[] = {F(TABLE), F(OE), F(ESTIMATE), F(NONE)};
    static const msyn_input hr[] = {F(OE), F(ESTIMATE), F(NONE)};
    static const msyn_input prop[] = {F(PROPORTION), F(ESTIMATE), F(NONE)};
    static const msyn_input rate[] = {F(RATE), F(ESTIMATE), F(NONE)};
    static const msyn_input mean[] = {F(MEAN), F(ESTIMATE), F(NONE)};
    static const msyn_input cor[] = {F(CORRELATION), F(ARMS), F(ESTIMATE), F(NONE)};
    static const msyn_input rates[] = {F(RATES), F(ESTIMATE), F(NONE)};
    static const msyn_input prepost[] = {F(PREPOST), F(ESTIMATE), F(NONE)};
    static const msyn_input est[] = {F(ESTIMATE), F(NONE)};
    switch (m) {
    case MSYN_MEASURE_MD: case MSYN_MEASURE_SMDH: case MSYN_MEASURE_ROM: return arms;
    case MSYN_MEASURE_SMD: return smd;
    case MSYN_MEASURE_OR: return odds;
    case MSYN_MEASURE_RR: case MSYN_MEASURE_RD: case MSYN_MEASURE_AS: return table;
    case MSYN_MEASURE_PETO: return peto;
    case MSYN_MEASURE_HR: return hr;
    case MSYN_MEASURE_PR: case MSYN_MEASURE_PLO: case MSYN_MEASURE_PAS:
    case MSYN_MEASURE_PFT: return prop;
    case MSYN_MEASURE_IR: case MSYN_MEASURE_IRLN: return rate;
    case MSYN_MEASURE_MN: case MSYN_MEASURE_MNLN: return mean;
    case MSYN_MEASURE_COR: case MSYN_MEASURE_ZCOR: return cor;
    case MSYN_MEASURE_IRR: case MSYN_MEASURE_IRD: return rates;
    case MSYN_MEASURE_SMCC: case MSYN_MEASURE_SMCR: return prepost;
    default: return est;
    }
}

/* Are the columns of form f present?  (ri of PREPOST may come from the
 * options, so it is not required here.) */
static int form_has_columns(msyn_input f, msyn_measure m, const msyn_es_data *d)
{
    switch (f) {
    case F(ARMS): return d->n1i && d->m1i && d->sd1i && d->n2i && d->m2i && d->sd2i;
    case F(TABLE): return d->ai && d->ci && (d->bi || d->n1i) && (d->di || d->n2i);
    case F(ESTIMATE): return d->yi && (d->vi || d->sei || (d->ci_lb && d->ci_ub));
    case F(PROPORTION): return d->xi && d->ni;
    case F(RATE): return d->xi && d->ti;
    case F(MEAN): return d->mi && d->sdi && d->ni;
    case F(CORRELATION): return d->ri && d->ni;
    case F(RATES): return d->x1i && d->t1i && d->x2i && d->t2i;
    case F(PREPOST):
        return d->m1i && d->m2i && d->sd1i && d->ni && (m == MSYN_MEASURE_SMCR || d->sd2i);
    case F(OE): return d->oei && d->vei;
    default: return 0;
    }
}

static int ok(const double *col, size_t i) { return col && !isnan(col[i]); }

/* Are all values form f needs present in row i? */
static int form_complete(msyn_input f, msyn_measure m, const msyn_es_data *d,
                         const msyn_es_opts *o, size_t i)
{
    switch (f) {
    case F(ARMS):
        return ok(d->n1i, i) && ok(d->m1i, i) && ok(d->sd1i, i) && ok(d->n2i, i) &&
               ok(d->m2i, i) && ok(d->sd2i, i);
    case F(TABLE):
        return ok(d->ai, i) && ok(d->ci, i) && (ok(d->bi, i) || ok(d->n1i, i)) &&
               (ok(d->di, i) || ok(d->n2i, i));
    case F(ESTIMATE):
        return ok(d->yi, i) && (ok(d->vi, i) || ok(d->sei, i) || (ok(d->ci_lb, i) && ok(d->ci_ub, i)));
    case F(PROPORTION): return ok(d->xi, i) && ok(d->ni, i);
    case F(RATE): return ok(d->xi, i) && ok(d->ti, i);
    case F(MEAN): return ok(d->mi, i) && ok(d->sdi, i) && ok(d->ni, i);
    case F(CORRELATION): return ok(d->ri, i) && ok(d->ni, i);
    case F(RATES): return ok(d->x1i, i) && ok(d->t1i, i) && ok(d->x2i, i) && ok(d->t2i, i);
    case F(PREPOST):
        return ok(d->m1i, i) && ok(d->m2i, i) && ok(d->sd1i, i) && ok(d->ni, i) &&
               (m == MSYN_MEASURE_SMCR || ok(d->sd2i, i)) && (ok(d->ri, i) || !isnan(o->ri));
    case F(OE): return ok(d->oei, i) && ok(d->vei, i);
    default: return 0;
    }
}

MSYN_API msyn_input msyn_es_input(msyn_measure m, const msyn_es_data *d)
{
    if (!d || !msyn_measure_name(m))
        return MSYN_INPUT_NONE;
    for (const msyn_input *f = forms_of(m); *f != F(NONE); f++)
        if (form_has_columns(*f, m, d))
            return *f;
    return MSYN_INPUT_NONE;
}

static msyn_input row_form(msyn_measure m, const msyn_es_data *d,
                           const msyn_es_opts *o, size_t i)
{
    msyn_input first = F(NONE);
    for (const msyn_input *f = forms_of(m); *f != F(NONE); f++) {
        if (!form_has_columns(*f, m, d))
            continue;
        if (first == F(NONE))
            first = *f;
        if (form_complete(*f, m, d, o, i))
            return *f;
    }
    return first;
}

MSYN_API msyn_input msyn_es_row_input(msyn_measure m, const msyn_es_data *d,
                                      const msyn_es_opts *o, size_t i)
{
    msyn_es_opts def;
    if (!d || !msyn_measure_name(m))
        return MSYN_INPUT_NONE;
    if (!o) {
        msyn_es_opts_default(&def);
        o = &def;
    }
    return row_form(m, d, o, i);
}

/* ---- validation ------------------------------------------------------ */

static msyn_status problem(msyn_problem *p, size_t i, const char *col,
                           const char *fmt, double x)
{
    if (p) {
        p->study = i;
        p->column = col;
        snprintf(p->message, sizeof p->message, fmt, col, x);
    }
    return MSYN_EDATA;
}

/* Each rule names its column once; a NULL column or a NaN value passes
 * (missing values make a study missing, not invalid). */
static msyn_status check_finite(const double *col, const char *name, size_t i, msyn_problem *p)
{
    if (col && isinf(col[i]))
        return problem(p, i, name, "%s must be a finite number (got %g)", col[i]);
    return MSYN_OK;
}

static msyn_status positive(const double *col, const char *name, const char *what,
                            size_t i, msyn_problem *p)
{
    msyn_status rc = check_finite(col, name, i, p);
    if (rc == MSYN_OK && col && !(col[i] > 0) && !isnan(col[i])) {
        if (p) {
            p->study = i;
            p->column = name;
            snprintf(p->message, sizeof p->message, "%s %s and must be > 0 (got %g)", name, what, col[i]);
        }
        return MSYN_EDATA;
    }
    return rc;
}

static msyn_status at_least(const double *col, const char *name, double lo,
                            size_t i, msyn_problem *p)
{
    msyn_status rc = check_finite(col, name, i, p);
    if (rc == MSYN_OK && col && col[i] < lo) {
        if (p) {
            p->study = i;
            p->column = name;
            snprintf(p->message, sizeof p->message, "%s must be at least %g (got %g)", name, lo, col[i]);
        }
        return MSYN_EDATA;
    }
    return rc;
}

static msyn_status count(const double *col, const char *name, size_t i, msyn_problem *p)
{
    if (col && col[i] < 0)
        return problem(p, i, name, "%s is a count and must be >= 0 (got %g)", col[i]);
    return check_finite(col, name, i, p);
}

static msyn_status not_above(const double *x, const char *xn, const double *n,
                             const char *nn, const char *what, size_t i, msyn_problem *p)
{
    if (x && n && !isnan(x[i]) && !isnan(n[i]) && x[i] > n[i]) {
        if (p) {
            p->study = i;
            p->column = xn;
            snprintf(p->message, sizeof p->message, "%s (%g %s) must not exceed %s (%g participants)",
                     xn, x[i], what, nn, n[i]);
        }
        return MSYN_EDATA;
    }
    return MSYN_OK;
}

static msyn_status correlation(const double *col, const char *name, size_t i, msyn_problem *p)
{
    msyn_status rc = check_finite(col, name, i, p);
    if (rc == MSYN_OK && col && fabs(col[i]) > 1)
        return problem(p, i, name, "%s is a correlation and must be between -1 and 1 (got %g)", col[i]);
    return rc;
}

static msyn_status check_arms(msyn_measure m, const msyn_es_data *d, size_t i,
                              msyn_problem *p)
{
    msyn_status rc;
    if ((rc = check_finite(d->m1i, "m1i", i, p)) || (rc = check_finite(d->m2i, "m2i", i, p)) ||
        (rc = at_least(d->n1i, "n1i", 2, i, p)) || (rc = at_least(d->n2i, "n2i", 2, i, p)) ||
        (rc = positive(d->sd1i, "sd1i", "is a standard deviation", i, p)) ||
        (rc = positive(d->sd2i, "sd2i", "is a standard deviation", i, p)))
        return rc;
    if (m == MSYN_MEASURE_ROM && !(d->m1i[i] > 0) && !isnan(d->m1i[i]))
        return problem(p, i, "m1i", "%s must be > 0 for the ratio of means ROM (got %g)", d->m1i[i]);
    if (m == MSYN_MEASURE_ROM && !(d->m2i[i] > 0) && !isnan(d->m2i[i]))
        return problem(p, i, "m2i", "%s must be > 0 for the ratio of means ROM (got %g)", d->m2i[i]);
    return MSYN_OK;
}

static msyn_status check_group(const double *ev, const double *non,
                               const double *n, const char *evn,
                               const char *nonn, const char *nn, size_t i,
                               msyn_problem *p)
{
    msyn_status rc = not_above(ev, evn, n, nn, "events", i, p);
    if (rc != MSYN_OK)
        return rc;
    if (n && !(n[i] >= 1) && !isnan(n[i]))
        return problem(p, i, nn, "%s must be at least 1 (got %g)", n[i]);
    if (non && n && !isnan(non[i]) && !isnan(n[i]) && !isnan(ev[i]) &&
        n[i] != ev[i] + non[i]) {
        if (p) {
            p->study = i;
            p->column = nn;
            snprintf(p->message, sizeof p->message,
                     "%s (%g) must equal %s + %s (%g + %g = %g)", nn, n[i], evn,
                     nonn, ev[i], non[i], ev[i] + non[i]);
        }
        return MSYN_EDATA;
    }
    if (non && !n && !isnan(non[i]) && !isnan(ev[i]) && ev[i] + non[i] < 1)
        return problem(p, i, nonn, "%s leaves an empty group (%g participants)", ev[i] + non[i]);
    return MSYN_OK;
}

static msyn_status check_table(const msyn_es_data *d, size_t i, msyn_problem *p)
{
    msyn_status rc;
    if ((rc = count(d->ai, "ai", i, p)) || (rc = count(d->bi, "bi", i, p)) ||
        (rc = count(d->ci, "ci", i, p)) || (rc = count(d->di, "di", i, p)) ||
        (rc = count(d->n1i, "n1i", i, p)) || (rc = count(d->n2i, "n2i", i, p)))
        return rc;
    if ((rc = check_group(d->ai, d->bi, d->n1i, "ai", "bi", "n1i", i, p)))
        return rc;
    return check_group(d->ci, d->di, d->n2i, "ci", "di", "n2i", i, p);
}

static msyn_status check_estimate(msyn_measure m, const msyn_es_data *d,
                                  const msyn_es_opts *o, size_t i,
                                  msyn_problem *p)
{
    msyn_status rc;
    int natural = o->natural_scale && msyn_measure_is_ratio(m);
    if ((rc = check_finite(d->yi, "yi", i, p)) || (rc = check_finite(d->vi, "vi", i, p)) ||
        (rc = check_finite(d->sei, "sei", i, p)) || (rc = check_finite(d->ci_lb, "ci_lb", i, p)) ||
        (rc = check_finite(d->ci_ub, "ci_ub", i, p)))
        return rc;
    if (d->vi && !(d->vi[i] > 0) && !isnan(d->vi[i]))
        return problem(p, i, "vi", "%s is a sampling variance and must be > 0 (got %g)", d->vi[i]);
    if (d->sei && !(d->sei[i] > 0) && !isnan(d->sei[i]))
        return problem(p, i, "sei", "%s is a standard error and must be > 0 (got %g)", d->sei[i]);
    if (natural && !(d->yi[i] > 0) && !isnan(d->yi[i]))
        return problem(p, i, "yi", "%s must be > 0: a ratio on the natural scale (got %g)", d->yi[i]);
    if (natural && d->ci_lb && !(d->ci_lb[i] > 0) && !isnan(d->ci_lb[i]))
        return problem(p, i, "ci_lb", "%s must be > 0: a ratio on the natural scale (got %g)", d->ci_lb[i]);
    if (d->ci_lb && d->ci_ub && d->ci_lb[i] >= d->ci_ub[i]) {
        if (p) {
            p->study = i;
            p->column = "ci_ub";
            snprintf(p->message, sizeof p->message,
                     "ci_ub (%g) must be greater than ci_lb (%g)", d->ci_ub[i],
                     d->ci_lb[i]);
        }
        return MSYN_EDATA;
    }
    return MSYN_OK;
}

static msyn_status check_one_group(msyn_input f, msyn_measure m, const msyn_es_data *d,
                                   size_t i, msyn_problem *p)
{
    msyn_status rc = MSYN_OK;
    switch (f) {
    case F(PROPORTION):
        if ((rc = count(d->xi, "xi", i, p)) || (rc = at_least(d->ni, "ni", 1, i, p)))
            return rc;
        return not_above(d->xi, "xi", d->ni, "ni", "events", i, p);
    case F(RATE):
        if ((rc = count(d->xi, "xi", i, p)))
            return rc;
        return positive(d->ti, "ti", "is person-time", i, p);
    case F(MEAN):
        if ((rc = check_finite(d->mi, "mi", i, p)) || (rc = at_least(d->ni, "ni", 2, i, p)) ||
            (rc = positive(d->sdi, "sdi", "is a standard deviation", i, p)))
            return rc;
        /* a mean of 0 has no log: the study is left out (metafor: NA) */
        if (m == MSYN_MEASURE_MNLN && d->mi[i] < 0)
            return problem(p, i, "mi", "%s is logged for MNLN and must be >= 0 (got %g)", d->mi[i]);
        return MSYN_OK;
    case F(CORRELATION):
        if ((rc = correlation(d->ri, "ri", i, p)))
            return rc;
        return at_least(d->ni, "ni", 2, i, p);
    case F(RATES):
        if ((rc = count(d->x1i, "x1i", i, p)) || (rc = count(d->x2i, "x2i", i, p)) ||
            (rc = positive(d->t1i, "t1i", "is person-time", i, p)))
            return rc;
        return positive(d->t2i, "t2i", "is person-time", i, p);
    case F(PREPOST):
        if ((rc = check_finite(d->m1i, "m1i", i, p)) || (rc = check_finite(d->m2i, "m2i", i, p)) ||
            (rc = at_least(d->ni, "ni", 2, i, p)) ||
            (rc = positive(d->sd1i, "sd1i", "is a standard deviation", i, p)) ||
            (rc = correlation(d->ri, "ri", i, p)))
            return rc;
        if (m == MSYN_MEASURE_SMCC)
            return positive(d->sd2i, "sd2i", "is a standard deviation", i, p);
        return MSYN_OK;
    case F(OE):
        if ((rc = check_finite(d->oei, "oei", i, p)))
            return rc;
        return positive(d->vei, "vei", "is the variance of O - E", i, p);
    default:
        return MSYN_OK;
    }
}

MSYN_API msyn_status msyn_es_check(msyn_measure m, const msyn_es_data *d,
                                   size_t k, const msyn_es_opts *o,
                                   msyn_problem *first)
{
    msyn_es_opts def;
    if (!d || !msyn_measure_name(m))
        return MSYN_EINVAL;
    if (!o) {
        msyn_es_opts_default(&def);
        o = &def;
    }
    if (msyn_es_input(m, d) == MSYN_INPUT_NONE) {
        if (first) {
            first->study = (size_t)-1;
            first->column = NULL;
            snprintf(first->message, sizeof first->message,
                     "the data do not have the columns measure %s needs",
                     msyn_measure_name(m));
        }
        return MSYN_EMEASURE;
    }
    if (!isnan(o->ri) && !(fabs(o->ri) <= 1))
        return MSYN_EINVAL;
    for (size_t i = 0; i < k; i++) {
        msyn_status rc;
        msyn_input f = row_form(m, d, o, i);
        if (f == F(ARMS))
            rc = check_arms(m, d, i, first);
        else if (f == F(TABLE))
            rc = check_table(d, i, first);
        else if (f == F(ESTIMATE))
            rc = check_estimate(m, d, o, i, first);
        else
            rc = check_one_group(f, m, d, i, first);
        if (rc != MSYN_OK)
            return rc;
    }
    return MSYN_OK;
}

/* ---- driver ------------------------------------------------------------ */

MSYN_API msyn_status msyn_es(msyn_measure m, const msyn_es_data *d, size_t k,
                             const msyn_es_opts *o, double *yi, double *vi,
                             unsigned *flags)
{
    msyn_es_opts def;
    msyn_status rc;
    es_zero zero[ES_NFORMS];
    if (!d || (k > 0 && (!yi || !vi)))
        return MSYN_EINVAL;
    if (!o) {
        msyn_es_opts_default(&def);
        o = &def;
    }
    if (!(o->ci_level > 0 && o->ci_level < 1) || !(o->add >= 0) || !isfinite(o->add) ||
        (unsigned)o->to > MSYN_ADD_NONE)
        return MSYN_EINVAL;
    if ((rc = msyn_es_check(m, d, k, o, NULL)) != MSYN_OK)
        return rc;
    for (size_t i = 0; i < k; i++) {
        yi[i] = vi[i] = MSYN_NAN;
        if (flags)
            flags[i] = 0;
    }
    /* to = "if0all" looks at every study of the same form first */
    memset(zero, 0, sizeof zero);
    if (o->to == MSYN_ADD_IF0ALL)
        for (size_t i = 0; i < k; i++) {
            msyn_input f = row_form(m, d, o, i);
            if (form_complete(f, m, d, o, i) && msyn__es_has_zero(f, d, o, i))
                zero[f].any = 1;
        }
    for (size_t i = 0; i < k; i++) {
        unsigned fl = 0;
        msyn_input f = row_form(m, d, o, i);
        if (!form_complete(f, m, d, o, i))
            fl = MSYN_ES_MISSING;
        else
            msyn__es_row(m, f, d, o, zero[f].any, i, &yi[i], &vi[i], &fl);
        /* metafor: any infinite or undefined effect or variance is NA */
        if (!(fl & (MSYN_ES_MISSING | MSYN_ES_DROPPED00)) &&
            (!isfinite(yi[i]) || !isfinite(vi[i]) || vi[i] < 0)) {
            yi[i] = vi[i] = MSYN_NAN;
            fl |= MSYN_ES_NA;
        }
        if (flags)
            flags[i] = fl;
    }
    return MSYN_OK;
}
