/*
 * es.c - effect sizes and sampling variances from study data.
 *
 * Reproduces metafor's escalc() (defaults vtype = "LS", add = 1/2,
 * to = "only0", drop00 = FALSE) for two-group continuous data (MD, SMD,
 * SMDH, ROM), 2x2 tables (OR, RR, RD, PETO) and reported estimates (yi with
 * vi, sei or a CI), plus RevMan 5's SMD and RD conventions.  Validation of
 * every input value lives here too, so the command line and library users
 * get the same rules and the same sentences.  docs/METHODS.md section 1.
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
}

/* Hedges' J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)), evaluated on the
 * log scale as metafor's .cmicalc() does (Hedges 1981). */
MSYN_API double msyn_es_hedges_j(double m)
{
    if (!(m > 1.0))
        return MSYN_NAN;
    return exp(msyn__lgamma(m / 2.0) - log(sqrt(m / 2.0)) - msyn__lgamma((m - 1.0) / 2.0));
}

static int is_arm_measure(msyn_measure m)
{
    return m == MSYN_MEASURE_MD || m == MSYN_MEASURE_SMD ||
           m == MSYN_MEASURE_SMDH || m == MSYN_MEASURE_ROM;
}

static int is_table_measure(msyn_measure m)
{
    return m == MSYN_MEASURE_OR || m == MSYN_MEASURE_RR ||
           m == MSYN_MEASURE_RD || m == MSYN_MEASURE_PETO;
}

static int has_estimate(const msyn_es_data *d)
{
    return d->yi && (d->vi || d->sei || (d->ci_lb && d->ci_ub));
}

MSYN_API msyn_input msyn_es_input(msyn_measure m, const msyn_es_data *d)
{
    if (!d || !msyn_measure_name(m))
        return MSYN_INPUT_NONE;
    if (is_arm_measure(m) && d->n1i && d->m1i && d->sd1i && d->n2i &&
        d->m2i && d->sd2i)
        return MSYN_INPUT_ARMS;
    if (is_table_measure(m) && d->ai && d->ci && (d->bi || d->n1i) &&
        (d->di || d->n2i))
        return MSYN_INPUT_TABLE;
    if (has_estimate(d))
        return MSYN_INPUT_ESTIMATE;
    return MSYN_INPUT_NONE;
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

/* A column value at row i: NaN if the column is absent. */
static double at(const double *col, size_t i) { return col ? col[i] : MSYN_NAN; }

static msyn_status check_finite(const double *col, const char *name, size_t i,
                                msyn_problem *p)
{
    if (col && isinf(col[i]))
        return problem(p, i, name, "%s must be a finite number (got %g)", col[i]);
    return MSYN_OK;
}

static msyn_status check_arms(msyn_measure m, const msyn_es_data *d, size_t i,
                              msyn_problem *p)
{
    const double *cols[6] = {d->n1i, d->m1i, d->sd1i, d->n2i, d->m2i, d->sd2i};
    static const char *names[6] = {"n1i", "m1i", "sd1i", "n2i", "m2i", "sd2i"};
    msyn_status rc;
    for (int j = 0; j < 6; j++)
        if ((rc = check_finite(cols[j], names[j], i, p)) != MSYN_OK)
            return rc;
    if (d->n1i[i] < 2)
        return problem(p, i, "n1i", "%s must be at least 2 (got %g)", d->n1i[i]);
    if (d->n2i[i] < 2)
        return problem(p, i, "n2i", "%s must be at least 2 (got %g)", d->n2i[i]);
    if (!(d->sd1i[i] > 0) && !isnan(d->sd1i[i]))
        return problem(p, i, "sd1i", "%s must be > 0 (got %g)", d->sd1i[i]);
    if (!(d->sd2i[i] > 0) && !isnan(d->sd2i[i]))
        return problem(p, i, "sd2i", "%s must be > 0 (got %g)", d->sd2i[i]);
    if (m == MSYN_MEASURE_ROM && !(d->m1i[i] > 0) && !isnan(d->m1i[i]))
        return problem(p, i, "m1i", "%s must be > 0 for the ratio of means ROM (got %g)", d->m1i[i]);
    if (m == MSYN_MEASURE_ROM && !(d->m2i[i] > 0) && !isnan(d->m2i[i]))
        return problem(p, i, "m2i", "%s must be > 0 for the ratio of means ROM (got %g)", d->m2i[i]);
    return MSYN_OK;
}

static msyn_status check_count(const double *col, const char *name, size_t i,
                               msyn_problem *p)
{
    if (col && col[i] < 0)
        return problem(p, i, name, "%s is a count and must be >= 0 (got %g)", col[i]);
    return check_finite(col, name, i, p);
}

static msyn_status check_group(const double *ev, const double *non,
                               const double *n, const char *evn,
                               const char *nonn, const char *nn, size_t i,
                               msyn_problem *p)
{
    if (p && n && !isnan(n[i]) && !isnan(ev[i]) && ev[i] > n[i]) {
        p->study = i;
        p->column = evn;
        snprintf(p->message, sizeof p->message,
                 "%s (%g events) must not exceed %s (%g participants)", evn,
                 ev[i], nn, n[i]);
        return MSYN_EDATA;
    }
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
    if ((rc = check_count(d->ai, "ai", i, p)) || (rc = check_count(d->bi, "bi", i, p)) ||
        (rc = check_count(d->ci, "ci", i, p)) || (rc = check_count(d->di, "di", i, p)) ||
        (rc = check_count(d->n1i, "n1i", i, p)) || (rc = check_count(d->n2i, "n2i", i, p)))
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

MSYN_API msyn_status msyn_es_check(msyn_measure m, const msyn_es_data *d,
                                   size_t k, const msyn_es_opts *o,
                                   msyn_problem *first)
{
    msyn_es_opts def;
    msyn_input in;
    if (!d || !msyn_measure_name(m))
        return MSYN_EINVAL;
    if (!o) {
        msyn_es_opts_default(&def);
        o = &def;
    }
    in = msyn_es_input(m, d);
    if (in == MSYN_INPUT_NONE) {
        if (first) {
            first->study = (size_t)-1;
            first->column = NULL;
            snprintf(first->message, sizeof first->message,
                     "the data do not have the columns measure %s needs",
                     msyn_measure_name(m));
        }
        return MSYN_EMEASURE;
    }
    for (size_t i = 0; i < k; i++) {
        msyn_status rc = MSYN_OK;
        if (in == MSYN_INPUT_ARMS)
            rc = check_arms(m, d, i, first);
        else if (in == MSYN_INPUT_TABLE)
            rc = check_table(d, i, first);
        else
            rc = check_estimate(m, d, o, i, first);
        if (rc != MSYN_OK)
            return rc;
    }
    return MSYN_OK;
}

/* ---- computation ----------------------------------------------------- */

static void set_flag(unsigned *flags, size_t i, unsigned bit)
{
    if (flags)
        flags[i] |= bit;
}

/* One study of two-group continuous data (metafor escalc, vtype "LS"). */
static void es_arms(msyn_measure m, double n1, double m1, double s1, double n2,
                    double m2, double s2, const msyn_es_opts *o, double *y,
                    double *v)
{
    double N = n1 + n2, df = N - 2.0;
    double s1q = s1 * s1, s2q = s2 * s2;
    switch (m) {
    case MSYN_MEASURE_MD:
        *y = m1 - m2;
        *v = s1q / n1 + s2q / n2;
        return;
    case MSYN_MEASURE_SMD: {
        double sp = sqrt(((n1 - 1.0) * s1q + (n2 - 1.0) * s2q) / df);
        double J = o->smd_j == MSYN_SMD_J_APPROX ? 1.0 - 3.0 / (4.0 * N - 9.0)
                                                 : msyn_es_hedges_j(df);
        double g = J * (m1 - m2) / sp;
        double denom = o->smd_var == MSYN_SMD_VAR_REVMAN5 ? 2.0 * (N - 3.94) : 2.0 * N;
        *y = g;
        *v = 1.0 / n1 + 1.0 / n2 + g * g / denom;
        return;
    }
    case MSYN_MEASURE_SMDH: {
        /* Bonett 2009; metafor >= 4.6 (no J^2 on the variance). */
        double ssum = s1q + s2q;
        double g = msyn_es_hedges_j(df) * (m1 - m2) / sqrt(ssum / 2.0);
        *y = g;
        *v = g * g * (s1q * s1q / (n1 - 1.0) + s2q * s2q / (n2 - 1.0)) / (2.0 * ssum * ssum) +
             (s1q / (n1 - 1.0) + s2q / (n2 - 1.0)) / (ssum / 2.0);
        return;
    }
    case MSYN_MEASURE_ROM:
        *y = log(m1 / m2);
        *v = s1q / (n1 * m1 * m1) + s2q / (n2 * m2 * m2);
        return;
    default:
        *y = *v = MSYN_NAN;
    }
}

/* One 2x2 table with (possibly corrected) cells a, b, c, d; raw holds the
 * raw cells (RevMan computes the study RD from them). */
static void es_table(msyn_measure m, double a, double b, double c, double d,
                     const double raw[4], const msyn_es_opts *o, double *y,
                     double *v)
{
    double n1 = a + b, n2 = c + d;
    double p1 = a / n1, p2 = c / n2;
    switch (m) {
    case MSYN_MEASURE_RR:
        *y = log(p1) - log(p2);
        *v = 1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2;
        return;
    case MSYN_MEASURE_OR:
        *y = log(p1 / (1.0 - p1)) - log(p2 / (1.0 - p2));
        *v = 1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d;
        return;
    case MSYN_MEASURE_RD:
        if (o->rd_add_yi)
            *y = p1 - p2;
        else
            *y = raw[0] / (raw[0] + raw[1]) - raw[2] / (raw[2] + raw[3]);
        *v = p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2;
        return;
    case MSYN_MEASURE_PETO: {
        /* Yusuf et al. 1985: O - E over its hypergeometric variance. */
        double N = n1 + n2, xt = a + c, yt = b + d;
        double E = xt * n1 / N;
        double V = xt * yt * (n1 / N) * (n2 / N) / (N - 1.0);
        *y = (a - E) / V;
        *v = 1.0 / V;
        return;
    }
    default:
        *y = *v = MSYN_NAN;
    }
}

/* Cells of table i, with bi/di derived from n1i/n2i when absent. */
static int table_cells(const msyn_es_data *d, size_t i, double cell[4])
{
    cell[0] = d->ai[i];
    cell[1] = d->bi ? d->bi[i] : MSYN_NAN;
    cell[2] = d->ci[i];
    cell[3] = d->di ? d->di[i] : MSYN_NAN;
    if (isnan(cell[1]) && d->n1i)
        cell[1] = d->n1i[i] - cell[0];
    if (isnan(cell[3]) && d->n2i)
        cell[3] = d->n2i[i] - cell[2];
    return !(isnan(cell[0]) || isnan(cell[1]) || isnan(cell[2]) || isnan(cell[3]));
}

static int double_zero(const double c[4])
{
    return (c[0] == 0 && c[2] == 0) || (c[1] == 0 && c[3] == 0);
}

static int any_zero(const double c[4])
{
    return c[0] == 0 || c[1] == 0 || c[2] == 0 || c[3] == 0;
}

static void es_tables(msyn_measure m, const msyn_es_data *d, size_t k,
                      const msyn_es_opts *o, double *yi, double *vi,
                      unsigned *flags)
{
    int zero_somewhere = 0;
    double cell[4];
    if (o->to == MSYN_ADD_IF0ALL)
        for (size_t i = 0; i < k; i++)
            if (table_cells(d, i, cell) && !(o->drop00 && double_zero(cell)) &&
                any_zero(cell))
                zero_somewhere = 1;
    for (size_t i = 0; i < k; i++) {
        double raw[4], add = 0.0;
        if (!table_cells(d, i, cell)) {
            set_flag(flags, i, MSYN_ES_MISSING);
            continue;
        }
        if (o->drop00 && double_zero(cell)) {
            set_flag(flags, i, MSYN_ES_DROPPED00);
            continue;
        }
        memcpy(raw, cell, sizeof raw);
        if ((o->to == MSYN_ADD_ALL) || (o->to == MSYN_ADD_IF0ALL && zero_somewhere) ||
            (o->to == MSYN_ADD_ONLY0 && any_zero(cell)))
            add = o->add;
        if (add != 0.0) {
            for (int j = 0; j < 4; j++)
                cell[j] += add;
            set_flag(flags, i, MSYN_ES_ADDED);
        }
        es_table(m, cell[0], cell[1], cell[2], cell[3], raw, o, &yi[i], &vi[i]);
    }
}

static void es_estimates(msyn_measure m, const msyn_es_data *d, size_t k,
                         const msyn_es_opts *o, double *yi, double *vi,
                         unsigned *flags)
{
    int natural = o->natural_scale && msyn_measure_is_ratio(m);
    double z = msyn_crit(o->ci_level, MSYN_NAN);
    for (size_t i = 0; i < k; i++) {
        double y = d->yi[i], v = at(d->vi, i);
        unsigned f = 0;
        if (isnan(v) && d->sei && !isnan(d->sei[i])) {
            v = d->sei[i] * d->sei[i];
            f = MSYN_ES_FROM_SE;
        }
        if (isnan(v) && d->ci_lb && d->ci_ub) {
            double lb = d->ci_lb[i], ub = d->ci_ub[i];
            if (natural) {
                lb = log(lb);
                ub = log(ub);
            }
            v = (ub - lb) / (2.0 * z);
            v *= v;
            f = MSYN_ES_FROM_CI;
        }
        if (natural)
            y = log(y);
        if (isnan(y) || isnan(v)) {
            set_flag(flags, i, MSYN_ES_MISSING);
            continue;
        }
        yi[i] = y;
        vi[i] = v;
        set_flag(flags, i, f);
    }
}

static void es_all_arms(msyn_measure m, const msyn_es_data *d, size_t k,
                        const msyn_es_opts *o, double *yi, double *vi,
                        unsigned *flags)
{
    for (size_t i = 0; i < k; i++) {
        double x[6] = {d->n1i[i], d->m1i[i], d->sd1i[i], d->n2i[i], d->m2i[i], d->sd2i[i]};
        int miss = 0;
        for (int j = 0; j < 6; j++)
            miss |= isnan(x[j]);
        if (miss)
            set_flag(flags, i, MSYN_ES_MISSING);
        else
            es_arms(m, x[0], x[1], x[2], x[3], x[4], x[5], o, &yi[i], &vi[i]);
    }
}

MSYN_API msyn_status msyn_es(msyn_measure m, const msyn_es_data *d, size_t k,
                             const msyn_es_opts *o, double *yi, double *vi,
                             unsigned *flags)
{
    msyn_es_opts def;
    msyn_input in;
    msyn_status rc;
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
    in = msyn_es_input(m, d);
    for (size_t i = 0; i < k; i++) {
        yi[i] = vi[i] = MSYN_NAN;
        if (flags)
            flags[i] = 0;
    }
    if (in == MSYN_INPUT_ARMS)
        es_all_arms(m, d, k, o, yi, vi, flags);
    else if (in == MSYN_INPUT_TABLE)
        es_tables(m, d, k, o, yi, vi, flags);
    else
        es_estimates(m, d, k, o, yi, vi, flags);
    /* metafor: any infinite or undefined effect or variance becomes NA. */
    for (size_t i = 0; i < k; i++) {
        if (isnan(yi[i]) && isnan(vi[i]))
            continue;
        if (!isfinite(yi[i]) || !isfinite(vi[i]) || vi[i] < 0) {
            yi[i] = vi[i] = MSYN_NAN;
            set_flag(flags, i, MSYN_ES_NA);
        }
    }
    return MSYN_OK;
}
