/*
 * es_calc.c - the effect size and sampling variance of one study, for
 * every measure and input form (metafor's escalc(), vtype "LS").
 *
 * The driver (es.c) has chosen the study's form and checked its values;
 * here are only the formulas, each written as metafor writes it so the
 * results agree to the last bits.  Conversions between measures (SMD from
 * a 2x2 table, log OR or r from means, SMD from r) are flagged per study.
 * docs/METHODS.md section 1.
 */
#include "internal.h"

#define F(x) MSYN_INPUT_##x

static double at(const double *col, size_t i) { return col ? col[i] : MSYN_NAN; }


/* ---- two groups, means ------------------------------------------------- */

/* Pooled SD of two groups (the SMD's denominator). */
static double pooled_sd(double n1, double s1, double n2, double s2)
{
    return sqrt(((n1 - 1.0) * s1 * s1 + (n2 - 1.0) * s2 * s2) / (n1 + n2 - 2.0));
}

static void es_arms(msyn_measure m, const double x[6], const msyn_es_opts *o,
                    double *y, double *v, unsigned *flags)
{
    double n1 = x[0], m1 = x[1], s1 = x[2], n2 = x[3], m2 = x[4], s2 = x[5];
    double N = n1 + n2, df = N - 2.0;
    double s1q = s1 * s1, s2q = s2 * s2;
    switch (m) {
    case MSYN_MEASURE_MD:
        *y = m1 - m2;
        *v = s1q / n1 + s2q / n2;
        return;
    case MSYN_MEASURE_SMD: {
        double sp = pooled_sd(n1, s1, n2, s2);
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
    case MSYN_MEASURE_OR: {
        /* metafor's D2ORL: Cohen's d (no J) times pi/sqrt(3) */
        double d = (m1 - m2) / pooled_sd(n1, s1, n2, s2);
        msyn_logor_from_smd(d, 1.0 / n1 + 1.0 / n2 + d * d / (2.0 * N), y, v);
        *flags |= MSYN_ES_FROM_SMD;
        return;
    }
    case MSYN_MEASURE_COR:
    case MSYN_MEASURE_ZCOR: {
        double d = (m1 - m2) / pooled_sd(n1, s1, n2, s2);
        msyn_r_from_smd(d, 1.0 / n1 + 1.0 / n2 + d * d / (2.0 * N), n1, n2, y, v);
        if (m == MSYN_MEASURE_ZCOR) {
            *y = atanh(*y);
            *v = N > 3 ? 1.0 / (N - 3.0) : MSYN_NAN;
        }
        *flags |= MSYN_ES_FROM_SMD;
        return;
    }
    default:
        *y = *v = MSYN_NAN;
    }
}

/* ---- 2x2 tables ---------------------------------------------------------- */

/* Cells of table i, with bi/di derived from n1i/n2i when absent. */
static void table_cells(const msyn_es_data *d, size_t i, double cell[4])
{
    cell[0] = d->ai[i];
    cell[1] = at(d->bi, i);
    cell[2] = d->ci[i];
    cell[3] = at(d->di, i);
    if (isnan(cell[1]))
        cell[1] = at(d->n1i, i) - cell[0];
    if (isnan(cell[3]))
        cell[3] = at(d->n2i, i) - cell[2];
}

static int double_zero(const double c[4])
{
    return (c[0] == 0 && c[2] == 0) || (c[1] == 0 && c[3] == 0);
}

static int any_zero(const double c[4])
{
    return c[0] == 0 || c[1] == 0 || c[2] == 0 || c[3] == 0;
}

/* One table with (possibly corrected) cells c; raw holds the raw cells
 * (RevMan computes the study RD from them; AS and Chinn's SMD use c). */
static void es_table(msyn_measure m, const double c[4], const double raw[4],
                     const msyn_es_opts *o, double *y, double *v, unsigned *flags)
{
    double a = c[0], b = c[1], cc = c[2], d = c[3];
    double n1 = a + b, n2 = cc + d;
    double p1 = a / n1, p2 = cc / n2;
    switch (m) {
    case MSYN_MEASURE_RR:
        *y = log(p1) - log(p2);
        *v = 1.0 / a - 1.0 / n1 + 1.0 / cc - 1.0 / n2;
        return;
    case MSYN_MEASURE_OR:
    case MSYN_MEASURE_SMD:
        *y = log(p1 / (1.0 - p1)) - log(p2 / (1.0 - p2));
        *v = 1.0 / a + 1.0 / b + 1.0 / cc + 1.0 / d;
        if (m == MSYN_MEASURE_SMD) { /* metafor's OR2DL (Chinn 2000) */
            msyn_smd_from_logor(*y, *v, y, v);
            *flags |= MSYN_ES_FROM_OR;
        }
        return;
    case MSYN_MEASURE_RD:
        if (o->rd_add_yi)
            *y = p1 - p2;
        else
            *y = raw[0] / (raw[0] + raw[1]) - raw[2] / (raw[2] + raw[3]);
        *v = p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2;
        return;
    case MSYN_MEASURE_AS:
        *y = asin(sqrt(p1)) - asin(sqrt(p2));
        *v = 1.0 / (4.0 * n1) + 1.0 / (4.0 * n2);
        return;
    case MSYN_MEASURE_PETO: {
        /* Yusuf et al. 1985: O - E over its hypergeometric variance. */
        double N = n1 + n2, xt = a + cc, yt = b + d;
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

/* The arcsine measures need no correction and metafor adds none. */
static int takes_increment(msyn_measure m)
{
    return m != MSYN_MEASURE_AS && m != MSYN_MEASURE_PAS && m != MSYN_MEASURE_PFT;
}

static int add_here(msyn_measure m, const msyn_es_opts *o, int has_zero, int zero_any)
{
    if (!takes_increment(m) || o->add == 0.0)
        return 0;
    switch (o->to) {
    case MSYN_ADD_ALL: return 1;
    case MSYN_ADD_ONLY0: return has_zero;
    case MSYN_ADD_IF0ALL: return zero_any;
    default: return 0;
    }
}

int msyn__es_has_zero(msyn_input f, const msyn_es_data *d, const msyn_es_opts *o, size_t i)
{
    double c[4];
    switch (f) {
    case F(TABLE):
        table_cells(d, i, c);
        return !(o->drop00 && double_zero(c)) && any_zero(c);
    case F(PROPORTION): return d->xi[i] == 0 || d->xi[i] == d->ni[i];
    case F(RATE): return d->xi[i] == 0;
    case F(RATES):
        return !(o->drop00 && d->x1i[i] == 0 && d->x2i[i] == 0) &&
               (d->x1i[i] == 0 || d->x2i[i] == 0);
    default: return 0;
    }
}

/* ---- one group ------------------------------------------------------------ */

static void es_proportion(msyn_measure m, double x, double n, double add,
                          double *y, double *v)
{
    double nx = n - x, p;
    if (m == MSYN_MEASURE_PAS) {
        *y = asin(sqrt(x / n));
        *v = 1.0 / (4.0 * n);
        return;
    }
    if (m == MSYN_MEASURE_PFT) {
        *y = 0.5 * (asin(sqrt(x / (n + 1.0))) + asin(sqrt((x + 1.0) / (n + 1.0))));
        *v = 1.0 / (4.0 * n + 2.0);
        return;
    }
    x += add;
    nx += add;
    n = x + nx;
    p = x / n;
    if (m == MSYN_MEASURE_PR) {
        *y = p;
        *v = p * (1.0 - p) / n;
    } else { /* PLO */
        *y = log(p / (1.0 - p));
        *v = 1.0 / x + 1.0 / nx;
    }
}

static void es_rate(msyn_measure m, double x, double t, double *y, double *v)
{
    double ir = x / t;
    if (m == MSYN_MEASURE_IR) {
        *y = ir;
        *v = ir / t;
    } else { /* IRLN */
        *y = log(ir);
        *v = 1.0 / x;
    }
}

static void es_correlation(msyn_measure m, double r, double n, double *y, double *v,
                           unsigned *flags)
{
    /* metafor leaves the variance of COR and ZCOR undefined for ni <= 3 */
    if (m == MSYN_MEASURE_COR) {
        *y = r;
        *v = n > 3.0 ? (1.0 - r * r) * (1.0 - r * r) / (n - 1.0) : MSYN_NAN;
        if (*v == 0.0) /* |r| = 1: no sampling variance to weight by */
            *v = MSYN_NAN;
    } else if (m == MSYN_MEASURE_ZCOR) {
        *y = 0.5 * log((1.0 + r) / (1.0 - r));
        *v = n > 3.0 ? 1.0 / (n - 3.0) : MSYN_NAN;
    } else { /* SMD from a point-biserial r */
        msyn_smd_from_r(r, n, y, v);
        *flags |= MSYN_ES_FROM_R;
    }
}

static void es_prepost(msyn_measure m, const msyn_es_data *d, const msyn_es_opts *o,
                       size_t i, double *y, double *v, unsigned *flags)
{
    double n = d->ni[i], m1 = d->m1i[i], m2 = d->m2i[i], s1 = d->sd1i[i];
    double r = at(d->ri, i), J = msyn_es_hedges_j(n - 1.0), dd;
    if (isnan(r)) {
        r = o->ri;
        *flags |= MSYN_ES_RI_GIVEN;
    }
    if (m == MSYN_MEASURE_SMCC) {
        double s2 = d->sd2i[i];
        dd = (m1 - m2) / sqrt(s1 * s1 + s2 * s2 - 2.0 * r * s1 * s2);
        *y = J * dd;
        *v = 1.0 / n + *y * *y / (2.0 * n);
    } else { /* SMCR */
        dd = (m1 - m2) / s1;
        *y = J * dd;
        *v = 2.0 * (1.0 - r) / n + *y * *y / (2.0 * n);
    }
}

/* ---- reported estimates ------------------------------------------------ */

static void es_estimate(msyn_measure m, const msyn_es_data *d, const msyn_es_opts *o,
                        size_t i, double *y, double *v, unsigned *flags)
{
    int natural = o->natural_scale && msyn_measure_is_ratio(m);
    *y = d->yi[i];
    *v = at(d->vi, i);
    if (isnan(*v) && d->sei && !isnan(d->sei[i])) {
        *v = d->sei[i] * d->sei[i];
        *flags |= MSYN_ES_FROM_SE;
    }
    if (isnan(*v)) {
        double lb = d->ci_lb[i], ub = d->ci_ub[i];
        if (natural) {
            lb = log(lb);
            ub = log(ub);
        }
        *v = (ub - lb) / (2.0 * msyn_crit(o->ci_level, MSYN_NAN));
        *v *= *v;
        *flags |= MSYN_ES_FROM_CI;
    }
    if (natural)
        *y = log(*y);
}

/* ---- one study ------------------------------------------------------------ */

void msyn__es_row(msyn_measure m, msyn_input f, const msyn_es_data *d,
                  const msyn_es_opts *o, int zero_any, size_t i, double *y,
                  double *v, unsigned *flags)
{
    switch (f) {
    case F(ARMS): {
        double x[6] = {d->n1i[i], d->m1i[i], d->sd1i[i], d->n2i[i], d->m2i[i], d->sd2i[i]};
        es_arms(m, x, o, y, v, flags);
        return;
    }
    case F(TABLE): {
        double c[4], raw[4];
        table_cells(d, i, c);
        if (o->drop00 && double_zero(c)) {
            *flags |= MSYN_ES_DROPPED00;
            return;
        }
        for (int j = 0; j < 4; j++)
            raw[j] = c[j];
        if (add_here(m, o, any_zero(c), zero_any)) {
            for (int j = 0; j < 4; j++)
                c[j] += o->add;
            *flags |= MSYN_ES_ADDED;
        }
        es_table(m, c, raw, o, y, v, flags);
        return;
    }
    case F(PROPORTION): {
        double x = d->xi[i], n = d->ni[i];
        int add = add_here(m, o, x == 0 || x == n, zero_any);
        es_proportion(m, x, n, add ? o->add : 0.0, y, v);
        if (add)
            *flags |= MSYN_ES_ADDED;
        return;
    }
    case F(RATE): {
        double x = d->xi[i];
        if (add_here(m, o, x == 0, zero_any)) {
            x += o->add;
            *flags |= MSYN_ES_ADDED;
        }
        es_rate(m, x, d->ti[i], y, v);
        return;
    }
    case F(RATES): {
        double x1 = d->x1i[i], x2 = d->x2i[i], t1 = d->t1i[i], t2 = d->t2i[i];
        if (o->drop00 && x1 == 0 && x2 == 0) {
            *flags |= MSYN_ES_DROPPED00;
            return;
        }
        if (add_here(m, o, x1 == 0 || x2 == 0, zero_any)) {
            x1 += o->add;
            x2 += o->add;
            *flags |= MSYN_ES_ADDED;
        }
        if (m == MSYN_MEASURE_IRR) {
            *y = log(x1 / t1) - log(x2 / t2);
            *v = 1.0 / x1 + 1.0 / x2;
        } else { /* IRD */
            *y = x1 / t1 - x2 / t2;
            *v = x1 / t1 / t1 + x2 / t2 / t2;
        }
        return;
    }
    case F(MEAN): {
        double mi = d->mi[i], s = d->sdi[i], n = d->ni[i];
        if (m == MSYN_MEASURE_MN) {
            *y = mi;
            *v = s * s / n;
        } else { /* MNLN */
            *y = log(mi);
            *v = s * s / (n * mi * mi);
        }
        return;
    }
    case F(CORRELATION):
        es_correlation(m, d->ri[i], d->ni[i], y, v, flags);
        return;
    case F(PREPOST):
        es_prepost(m, d, o, i, y, v, flags);
        return;
    case F(OE):
        /* Peto's one-step estimate from O - E and V (log OR or log HR) */
        *y = d->oei[i] / d->vei[i];
        *v = 1.0 / d->vei[i];
        return;
    case F(ESTIMATE):
        es_estimate(m, d, o, i, y, v, flags);
        return;
    default:
        *y = *v = MSYN_NAN;
    }
}
