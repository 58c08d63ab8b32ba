/*
 * verify.c - are reported statistics consistent with each other?
 *
 * Given an estimate, its confidence interval, p, Z, Q with its df and I²,
 * as a paper reports them, recompute what follows from what: the SE from
 * the CI (on the log scale for ratio measures), p from the estimate and
 * that SE, I² from Q and df, the P of Q, the P of Z.  Every reported number
 * stands for the interval of values its rounding covers, and a relation is
 * called inconsistent only when no combination of values inside those
 * intervals satisfies it (interval arithmetic over the box of reported
 * intervals).  The quantities derived here are monotone in each argument,
 * so their extremes over a box are found at its corners; each function
 * below says which corner gives which end.  docs/cli/verify.md.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "verify.h"

/* ---- reported numbers ---------------------------------------------------- */

void vf_num_set(vf_num *n, double x, int dec, int rel)
{
    /* Half a unit of the last decimal.  A value exactly on the boundary
     * (0.0035 for "0.004") counts as inside: overlap() compares with a
     * small tolerance, so at ties the report gets the benefit of the doubt. */
    double half = 0.5 * pow(10.0, -dec);
    n->set = 1;
    n->x = x;
    n->dec = dec;
    n->rel = rel;
    switch (rel) {
    case VF_LT:
    case VF_LE:
        n->lo = -INFINITY, n->hi = x;
        break;
    case VF_GT:
    case VF_GE:
        n->lo = x, n->hi = INFINITY;
        break;
    default:
        n->lo = x - half, n->hi = x + half;
        break;
    }
}

void vf_num_clip(vf_num *n, double lo, double hi)
{
    if (n->lo < lo)
        n->lo = lo;
    if (n->hi > hi)
        n->hi = hi;
}

void vf_input_init(vf_input *in)
{
    memset(in, 0, sizeof *in);
    in->level = 0.95;
    in->df = NAN;
}

const char *vf_status_name(vf_status s)
{
    return s == VF_CONSISTENT ? "consistent" : s == VF_INCONSISTENT ? "inconsistent" : "not_checked";
}

/* ---- measures --------------------------------------------------------------- */

static const struct {
    const char *name;
    int scale;
} measures[] = {
    {"OR", VF_SCALE_LOG},     {"RR", VF_SCALE_LOG},      {"HR", VF_SCALE_LOG},
    {"IRR", VF_SCALE_LOG},    {"ROM", VF_SCALE_LOG},     {"PETO", VF_SCALE_LOG},
    {"MD", VF_SCALE_LINEAR},  {"SMD", VF_SCALE_LINEAR},  {"SMDH", VF_SCALE_LINEAR},
    {"RD", VF_SCALE_LINEAR},  {"GEN", VF_SCALE_LINEAR},
};

int vf_measure_scale(const char *name, const char **canon)
{
    for (size_t i = 0; i < sizeof measures / sizeof measures[0]; i++)
        if (strcasecmp(name, measures[i].name) == 0) {
            if (canon)
                *canon = measures[i].name;
            return measures[i].scale;
        }
    return VF_SCALE_UNKNOWN;
}

/* ---- interval helpers ----------------------------------------------------- */

/* Do [a, b] and [c, d] share a point?  A relative slack of 1e-9 absorbs
 * the rounding of the computation itself. */
static int overlap(double a, double b, double c, double d)
{
    double tol = 1e-9 * fmax(1.0, fmax(fabs(isfinite(b) ? b : 0), fabs(isfinite(d) ? d : 0)));
    return a <= d + tol && c <= b + tol;
}

/* log of a ratio, or the value itself; log(0) = -inf is kept (a rounded
 * bound of 0.0 leaves the log scale unbounded below). */
static double g(int scale, double x)
{
    return scale == VF_SCALE_LOG ? (x > 0 ? log(x) : -INFINITY) : x;
}

/* a / b for non-negative a and b, with the bound wanted when the ratio is
 * not defined: 0/0, inf/inf give `undef` (0 for a lower, inf for an upper
 * bound). */
static double qdiv(double a, double b, double undef)
{
    double r = a / b;
    return isnan(r) ? undef : r;
}

static double pval(double z, double df)
{
    if (isinf(z))
        return 0.0;
    return isfinite(df) ? msyn_pval_t(z, df) : msyn_pval_z(z);
}

/* I² from Q and df in percent: 100 max(0, (Q - df)/Q); increasing in Q. */
static double i2_of(double q, double df)
{
    if (!(q > 0))
        return 0.0;
    if (isinf(q))
        return 100.0;
    return 100.0 * fmax(0.0, (q - df) / q);
}

static void nan_range(vf_range *x)
{
    x->x = x->lo = x->hi = NAN;
}

/* A reported number as written: "0.004", "< 0.001". */
static const char *rep(const vf_num *n, char *buf, size_t len)
{
    static const char *const rels[] = {"", "< ", "<= ", "> ", ">= "};
    snprintf(buf, len, "%s%.*f", rels[n->rel], n->dec > 0 ? n->dec : 0, n->x);
    return buf;
}

/* A reported statistic with its relation: "= 0.004", "< 0.001". */
static const char *rel_rep(const vf_num *n, char *buf, size_t len)
{
    static const char *const rels[] = {"=", "<", "<=", ">", ">="};
    snprintf(buf, len, "%s %.*f", rels[n->rel], n->dec > 0 ? n->dec : 0, n->x);
    return buf;
}

/* The interval a reported number stands for, or "" when written exactly. */
static const char *rep_iv(const vf_num *n, char *buf, size_t len)
{
    if (n->rel != VF_EQ)
        snprintf(buf, len, "%s", "");
    else
        snprintf(buf, len, " (%.*f to %.*f as rounded)", n->dec >= 0 ? n->dec + 1 : 0, n->lo,
                 n->dec >= 0 ? n->dec + 1 : 0, n->hi);
    return buf;
}

static vf_check *add(vf_result *r, const char *name, vf_status s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static vf_check *add(vf_result *r, const char *name, vf_status s, const char *fmt, ...)
{
    vf_check *c;
    va_list ap;
    if (r->nchecks >= VF_MAX_CHECKS)
        return NULL;
    c = &r->check[r->nchecks++];
    c->name = name;
    c->status = s;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    if (s == VF_CONSISTENT)
        r->n_consistent++;
    else if (s == VF_INCONSISTENT)
        r->n_inconsistent++;
    return c;
}

static vf_status verdict(int ok)
{
    return ok ? VF_CONSISTENT : VF_INCONSISTENT;
}

/* ---- validation ------------------------------------------------------------- */

static int invalid(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int invalid(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return -1;
}

static int validate(const vf_input *in, char *why, size_t len)
{
    char b1[64], b2[64];
    if (!(in->level > 0 && in->level < 1))
        return invalid(why, len, "the CI level must be between 0 and 100 percent");
    if (!isnan(in->df) && !(in->df > 0))
        return invalid(why, len, "the degrees of freedom of the t distribution must be > 0");
    if (in->lo.set != in->hi.set)
        return invalid(why, len, "a CI needs both bounds");
    if ((in->lo.set && in->lo.rel != VF_EQ) || (in->hi.set && in->hi.rel != VF_EQ) ||
        (in->est.set && in->est.rel != VF_EQ))
        return invalid(why, len, "an estimate and its CI bounds are numbers, without < or >");
    if (in->lo.set && !(in->lo.x < in->hi.x))
        return invalid(why, len, "the lower CI bound %s is not below the upper bound %s",
                       rep(&in->lo, b1, sizeof b1), rep(&in->hi, b2, sizeof b2));
    if (in->scale == VF_SCALE_LOG &&
        ((in->est.set && !(in->est.x > 0)) || (in->lo.set && !(in->lo.x > 0))))
        return invalid(why, len, "%s is a ratio: its estimate and CI bounds must be > 0 "
                       "(give ratios, not logs)", in->measure ? in->measure : "the measure");
    if (in->p.set && !(in->p.x >= 0 && in->p.x <= 1))
        return invalid(why, len, "p = %s is not between 0 and 1", rep(&in->p, b1, sizeof b1));
    if (in->q_p.set && !(in->q_p.x >= 0 && in->q_p.x <= 1))
        return invalid(why, len, "the P of Q = %s is not between 0 and 1", rep(&in->q_p, b1, sizeof b1));
    if (in->i2.set && !(in->i2.x >= 0 && in->i2.x <= 100))
        return invalid(why, len, "I² = %s%% is not between 0 and 100", rep(&in->i2, b1, sizeof b1));
    if (in->q.set && !(in->q.x >= 0))
        return invalid(why, len, "Q = %s is negative", rep(&in->q, b1, sizeof b1));
    if (in->q_df.set && !(in->q_df.x >= 1 && in->q_df.x == floor(in->q_df.x)))
        return invalid(why, len, "the df of Q must be a whole number >= 1 (number of studies - 1)");
    if (in->total.set && !(in->total.x >= 0 && in->total.x == floor(in->total.x)))
        return invalid(why, len, "a total must be a whole number");
    for (size_t i = 0; i < in->nparts; i++)
        if (!(in->part[i].x >= 0 && in->part[i].x == floor(in->part[i].x)))
            return invalid(why, len, "the parts of a total must be whole numbers");
    return 0;
}

/* ---- the checks ---------------------------------------------------------- */

static const char *scale_name(int scale)
{
    return scale == VF_SCALE_LOG ? "log" : "linear";
}

/* Estimate and SE on the analysis scale, then z and p.  Corners: the SE
 * (g(hi) - g(lo))/2c is increasing in hi and decreasing in lo; |z| =
 * |y|/SE is largest at the largest |y| and the smallest SE; p = 2Q(|z|)
 * is decreasing in |z|. */
static void derive(const vf_input *in, int scale, vf_result *r)
{
    double c2 = 2.0 * r->crit, ymin, ymax;
    if (in->lo.set) {
        r->se.x = (g(scale, in->hi.x) - g(scale, in->lo.x)) / c2;
        r->se.lo = fmax(0.0, (g(scale, in->hi.lo) - g(scale, in->lo.hi)) / c2);
        r->se.hi = (g(scale, in->hi.hi) - g(scale, in->lo.lo)) / c2;
    }
    if (in->est.set) {
        r->yi.x = g(scale, in->est.x);
        r->yi.lo = g(scale, in->est.lo);
        r->yi.hi = g(scale, in->est.hi);
    } else if (in->lo.set) {
        r->yi_from_ci = 1;
        r->yi.x = (g(scale, in->lo.x) + g(scale, in->hi.x)) / 2;
        r->yi.lo = (g(scale, in->lo.lo) + g(scale, in->hi.lo)) / 2;
        r->yi.hi = (g(scale, in->lo.hi) + g(scale, in->hi.hi)) / 2;
    }
    if (isnan(r->yi.x) || isnan(r->se.x))
        return;
    ymin = r->yi.lo <= 0 && r->yi.hi >= 0 ? 0.0 : fmin(fabs(r->yi.lo), fabs(r->yi.hi));
    ymax = fmax(fabs(r->yi.lo), fabs(r->yi.hi));
    r->z.x = fabs(r->yi.x) / r->se.x;
    r->z.lo = qdiv(ymin, r->se.hi, 0.0);
    r->z.hi = qdiv(ymax, r->se.lo, INFINITY);
    r->p.x = pval(r->z.x, in->df);
    r->p.lo = pval(r->z.hi, in->df);
    r->p.hi = pval(r->z.lo, in->df);
}

/* 2 g(est) = g(lo) + g(hi) on this scale, for some values in the box?
 * The left side is increasing in est, the right side in lo and hi. */
static int symmetric(const vf_input *in, int scale)
{
    return overlap(2 * g(scale, in->est.lo), 2 * g(scale, in->est.hi),
                   g(scale, in->lo.lo) + g(scale, in->hi.lo), g(scale, in->lo.hi) + g(scale, in->hi.hi));
}

static void check_ci(const vf_input *in, int scale, vf_result *r)
{
    char b1[64], b2[64], b3[64];
    double below, above;
    if (!in->est.set || !in->lo.set)
        return;
    rep(&in->est, b1, sizeof b1), rep(&in->lo, b2, sizeof b2), rep(&in->hi, b3, sizeof b3);
    /* lo <= est <= hi for some values: est's top reaches lo's bottom and
     * est's bottom stays under hi's top */
    if (overlap(in->est.lo, in->est.hi, in->lo.lo, in->hi.hi))
        add(r, "estimate_in_ci", VF_CONSISTENT, "the estimate %s lies inside its CI %s to %s", b1, b2, b3);
    else
        add(r, "estimate_in_ci", VF_INCONSISTENT, "the estimate %s lies outside its CI %s to %s", b1, b2, b3);
    below = g(scale, in->est.x) - g(scale, in->lo.x);
    above = g(scale, in->hi.x) - g(scale, in->est.x);
    if (symmetric(in, scale))
        add(r, "ci_symmetry", VF_CONSISTENT,
            "the CI is symmetric about the estimate on the %s scale (%.4g below, %.4g above)",
            scale_name(scale), below, above);
    else
        add(r, "ci_symmetry", VF_INCONSISTENT,
            "the CI is not symmetric about the estimate on the %s scale (%.4g below, %.4g above), "
            "not even allowing for rounding%s",
            scale_name(scale), below, above,
            scale == VF_SCALE_LINEAR && in->est.x > 0 && in->lo.x > 0 && symmetric(in, VF_SCALE_LOG)
                ? "; it is symmetric on the log scale: a ratio measure?"
                : scale == VF_SCALE_LOG && symmetric(in, VF_SCALE_LINEAR)
                      ? "; it is symmetric on the linear scale: not a ratio measure?"
                      : " (unless the CI is not of the form estimate +- z SE)");
}

static void check_p(const vf_input *in, int scale, vf_result *r)
{
    char b1[64], b2[96], lv[32];
    double alpha = 1 - in->level, null = 0.0;
    (void)scale;
    snprintf(lv, sizeof lv, "%.10g%%", 100 * in->level);
    if (!in->p.set)
        return;
    rel_rep(&in->p, b1, sizeof b1), rep_iv(&in->p, b2, sizeof b2);
    if (!in->lo.set) {
        if (!in->z.set) /* then p is checked against Z */
            add(r, "p_vs_ci", VF_NOT_CHECKED, "p %s: needs the CI to be checked", b1);
        return;
    }
    add(r, "p_vs_ci", verdict(overlap(r->p.lo, r->p.hi, in->p.lo, in->p.hi)),
        "p %s%s; from the %s and the CI: p = %.4g (%.4g to %.4g given the rounding)", b1, b2,
        r->yi_from_ci ? "CI's midpoint as estimate" : "estimate", r->p.x, r->p.lo, r->p.hi);
    /* The CI excludes the null value exactly when p < alpha (Wald and t
     * intervals); only decided when every value in the box agrees. */
    if (g(scale, in->lo.lo) > null || g(scale, in->hi.hi) < null)
        add(r, "p_vs_null", verdict(in->p.lo <= alpha + 1e-12),
            "the %s CI excludes the null value %g, so p should be below %g: p %s", lv,
            scale == VF_SCALE_LOG ? 1.0 : 0.0, alpha, b1);
    else if (g(scale, in->lo.hi) < null && g(scale, in->hi.lo) > null)
        add(r, "p_vs_null", verdict(in->p.hi >= alpha - 1e-12),
            "the %s CI includes the null value %g, so p should be at least %g: p %s", lv,
            scale == VF_SCALE_LOG ? 1.0 : 0.0, alpha, b1);
    else
        add(r, "p_vs_null", VF_CONSISTENT,
            "a CI bound equals the null value %g within rounding: p may be on either side of %g",
            scale == VF_SCALE_LOG ? 1.0 : 0.0, alpha);
}

/* |Z| against P and against estimate/SE.  p is decreasing in |z|. */
static void check_z(const vf_input *in, vf_result *r)
{
    char b1[64], b2[64];
    double zlo, zhi;
    if (!in->z.set)
        return;
    zlo = in->z.lo <= 0 && in->z.hi >= 0 ? 0.0 : fmin(fabs(in->z.lo), fabs(in->z.hi));
    zhi = fmax(fabs(in->z.lo), fabs(in->z.hi));
    rep(&in->z, b1, sizeof b1);
    if (in->p.set) {
        double plo = pval(zhi, in->df), phi = pval(zlo, in->df);
        add(r, "z_vs_p", verdict(overlap(plo, phi, in->p.lo, in->p.hi)),
            "Z = %s gives p = %.4g (%.4g to %.4g given the rounding); reported p %s",
            b1, pval(fabs(in->z.x), in->df), plo, phi, rel_rep(&in->p, b2, sizeof b2));
    }
    if (!isnan(r->z.x))
        add(r, "z_vs_ci", verdict(overlap(zlo, zhi, r->z.lo, r->z.hi)),
            "Z = %s; from the %s and the CI: |Z| = %.4g (%.4g to %.4g given the rounding)", b1,
            r->yi_from_ci ? "CI's midpoint" : "estimate", r->z.x, r->z.lo, r->z.hi);
    else if (!in->p.set)
        add(r, "z_vs_p", VF_NOT_CHECKED, "Z = %s: needs p or the CI to be checked", b1);
}

/* I² = 100 max(0, (Q - df)/Q) and P = Q_chisq(Q, df): I² increasing and P
 * decreasing in Q, so the ends of Q's interval give the ends of both. */
static void check_het(const vf_input *in, vf_result *r)
{
    char b1[64], b2[96], b3[64];
    double df = in->q_df.x;
    if (in->i2.set && !(in->q.set && in->q_df.set))
        add(r, "i2_vs_q", VF_NOT_CHECKED, "I² %s%%: needs Q (Chi²) and its df to be checked",
            rel_rep(&in->i2, b1, sizeof b1));
    if (in->q_p.set && !(in->q.set && in->q_df.set))
        add(r, "q_vs_p", VF_NOT_CHECKED, "P %s of the heterogeneity test: needs Q and its df",
            rel_rep(&in->q_p, b1, sizeof b1));
    if (!in->q.set || !in->q_df.set)
        return;
    rep(&in->q, b3, sizeof b3);
    r->i2.x = i2_of(in->q.x, df);
    r->i2.lo = i2_of(in->q.lo, df);
    r->i2.hi = i2_of(in->q.hi, df);
    r->q_p.x = msyn_pval_chisq(in->q.x, df);
    r->q_p.lo = isinf(in->q.hi) ? 0.0 : msyn_pval_chisq(in->q.hi, df);
    r->q_p.hi = msyn_pval_chisq(fmax(0.0, in->q.lo), df);
    if (in->i2.set)
        add(r, "i2_vs_q", verdict(overlap(r->i2.lo, r->i2.hi, in->i2.lo, in->i2.hi)),
            "I² %s%%%s; from Q = %s and df = %g: I² = 100 max(0, (Q - df)/Q) = %.4g%% "
            "(%.4g%% to %.4g%% given the rounding)", rel_rep(&in->i2, b1, sizeof b1),
            rep_iv(&in->i2, b2, sizeof b2), b3, df, r->i2.x, r->i2.lo, r->i2.hi);
    if (in->q_p.set)
        add(r, "q_vs_p", verdict(overlap(r->q_p.lo, r->q_p.hi, in->q_p.lo, in->q_p.hi)),
            "P %s%s; from Q = %s on %g df: P = %.4g (%.4g to %.4g given the rounding)",
            rel_rep(&in->q_p, b1, sizeof b1), rep_iv(&in->q_p, b2, sizeof b2), b3, df, r->q_p.x,
            r->q_p.lo, r->q_p.hi);
}

static void check_total(const vf_input *in, vf_result *r)
{
    char parts[160];
    size_t o = 0;
    double sum = 0;
    if (!in->total.set || in->nparts < 2)
        return;
    parts[0] = '\0';
    for (size_t i = 0; i < in->nparts; i++) {
        sum += in->part[i].x;
        if (o < sizeof parts)
            o += (size_t)snprintf(parts + o, sizeof parts - o, "%s%.0f", i ? " + " : "",
                                  in->part[i].x);
    }
    r->sum_parts = sum;
    add(r, "total_parts", verdict(sum == in->total.x), "%s = %.0f %s the stated total %.0f", parts,
        sum, sum == in->total.x ? "equals" : "differs from", in->total.x);
    /* "170 (49.9%)": the percentage of the total, rounded as written */
    for (size_t i = 0; i < in->nparts; i++) {
        const vf_num *pc = &in->part_pct[i];
        double pct;
        char b1[64];
        if (!pc->set || !(in->total.x > 0))
            continue;
        pct = 100.0 * in->part[i].x / in->total.x;
        add(r, "part_percent", verdict(overlap(pct, pct, pc->lo, pc->hi)),
            "%.0f of %.0f is %.4g%%; reported %s%%", in->part[i].x, in->total.x, pct,
            rep(pc, b1, sizeof b1));
    }
}

static void check_on(const vf_input *in, int scale, vf_result *r)
{
    memset(r, 0, sizeof *r);
    r->scale = scale;
    r->crit = msyn_crit(in->level, in->df);
    nan_range(&r->yi), nan_range(&r->se), nan_range(&r->z), nan_range(&r->p);
    nan_range(&r->i2), nan_range(&r->q_p);
    r->sum_parts = NAN;
    derive(in, scale, r);
    check_ci(in, scale, r);
    check_p(in, scale, r);
    check_z(in, r);
    check_het(in, r);
    check_total(in, r);
}

/* The measure was not named: try the linear and (for positive values) the
 * log scale, keep the one the CI is symmetric on, and say so. */
static void check_unknown(const vf_input *in, vf_result *r)
{
    vf_result lg;
    int can_log = (in->est.set || in->lo.set) && (!in->est.set || in->est.x > 0) &&
                  (!in->lo.set || in->lo.x > 0);
    int sym_lin, sym_log;
    vf_check *c = NULL;
    check_on(in, VF_SCALE_LINEAR, r);
    r->scale_guessed = 1;
    if (!can_log)
        return;
    check_on(in, VF_SCALE_LOG, &lg);
    lg.scale_guessed = 1;
    if (in->est.set && in->lo.set) {
        sym_lin = symmetric(in, VF_SCALE_LINEAR);
        sym_log = symmetric(in, VF_SCALE_LOG);
        if (sym_log && !sym_lin)
            *r = lg;
        else if (sym_lin == sym_log && lg.n_inconsistent < r->n_inconsistent)
            *r = lg;
        for (size_t i = 0; i < r->nchecks; i++)
            if (strcmp(r->check[i].name, "ci_symmetry") == 0)
                c = &r->check[i];
        if (c && sym_lin && sym_log)
            snprintf(c->msg, sizeof c->msg,
                     "the measure was not named and the CI is symmetric about the estimate on both "
                     "the linear and the log scale; checked on the %s scale", scale_name(r->scale));
        else if (c && sym_log)
            snprintf(c->msg, sizeof c->msg,
                     "the measure was not named; the CI is symmetric about the estimate on the log "
                     "scale, not on the linear scale: a ratio measure? (checked on the log scale)");
        else if (c && sym_lin)
            snprintf(c->msg, sizeof c->msg,
                     "the measure was not named; the CI is symmetric about the estimate on the "
                     "linear scale, not on the log scale: not a ratio measure (checked on the "
                     "linear scale)");
        else if (c)
            snprintf(c->msg, sizeof c->msg,
                     "the CI is symmetric about the estimate neither on the linear nor on the log "
                     "scale, not even allowing for rounding");
    } else if (lg.n_inconsistent < r->n_inconsistent) {
        *r = lg;
    }
}

int vf_verify(const vf_input *in, vf_result *r, char *why, size_t whylen)
{
    if (validate(in, why, whylen) != 0) {
        memset(r, 0, sizeof *r);
        return -1;
    }
    if (in->scale == VF_SCALE_UNKNOWN)
        check_unknown(in, r);
    else
        check_on(in, in->scale, r);
    return 0;
}

vf_status vf_result_status(const vf_result *r)
{
    return r->n_inconsistent ? VF_INCONSISTENT : r->n_consistent ? VF_CONSISTENT : VF_NOT_CHECKED;
}
