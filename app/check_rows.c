/*
 * check_rows.c - the rules of `metasyn check` about one study at a time:
 * impossible values (negative or fractional counts, events above the group
 * size, SDs, SEs, variances and person-time that are not positive,
 * correlations outside [-1, 1], quantiles out of order, an estimate
 * outside its own CI, a mean no sample of n could have: GRIM), CIs that are
 * not symmetric on their scale, arms that do not add up to the stated
 * total, and studies that will be left out for a missing value.
 * Thresholds and references: docs/cli/check.md.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"

#define H(j) CK_HAS(c, i, j)
#define X(j) CKV(c, i, j)
#define OK(j) (CK_HAS(c, i, j) && !(CKF(c, i, j) & CKF_ERR))
#define NUM(j, b) ck_num(c, i, j, b, sizeof b)

/* ---- counts and group sizes ---------------------------------------------- */

static const char *counted(int j)
{
    return j == K_BI || j == K_DI                                         ? "non-events"
           : j == K_AI || j == K_CI || j == K_XI || j == K_X1I || j == K_X2I ? "events"
                                                                          : "participants";
}

static void counts(ck *c, size_t i)
{
    static const int cols[] = {K_N1I, K_N2I, K_AI, K_BI, K_CI, K_DI, K_XI,
                               K_NI, K_X1I, K_X2I, K_TOTAL};
    char b[48];
    for (size_t q = 0; q < sizeof cols / sizeof cols[0]; q++) {
        int j = cols[q];
        if (!H(j))
            continue;
        if (X(j) < 0)
            ck_add(c, CHECK_ERROR, "negative-count", i, j,
                   "%s = %s: a number of %s cannot be negative", ck_names[j], NUM(j, b), counted(j));
        else if (X(j) != floor(X(j)))
            ck_add(c, CHECK_ERROR, "non-integer-count", i, j,
                   "%s = %s is not a whole number: numbers of %s are integers (a mean, a percentage or a weighted count in the wrong column?)",
                   ck_names[j], NUM(j, b), counted(j));
    }
}

static void size_min(ck *c, size_t i, int j, double min, const char *why)
{
    char b[48];
    if (OK(j) && X(j) < min)
        ck_add(c, CHECK_ERROR, "n-too-small", i, j, "%s = %s: %s", ck_names[j], NUM(j, b), why);
}

static void sizes(ck *c, size_t i)
{
    const char *two = "a group needs at least 2 participants to have a standard deviation";
    switch (c->fam) {
    case F_CONT2:
        size_min(c, i, K_N1I, 2, two);
        size_min(c, i, K_N2I, 2, two);
        break;
    case F_TABLE:
        size_min(c, i, K_N1I, 1, "the group has no participants");
        size_min(c, i, K_N2I, 1, "the group has no participants");
        break;
    case F_PROP:
        size_min(c, i, K_NI, 1, "the sample has no participants");
        break;
    case F_MEAN1:
    case F_PREPOST:
        size_min(c, i, K_NI, 2, "a sample needs at least 2 participants to have a standard deviation");
        break;
    case F_COR:
        if (c->mname && strcmp(c->mname, "ZCOR") == 0)
            size_min(c, i, K_NI, 4, "the sampling variance of Fisher's z, 1/(ni - 3), needs ni >= 4");
        else
            size_min(c, i, K_NI, 3, "a correlation needs at least 3 pairs to vary; its variance (1 - ri^2)^2/(ni - 1) needs ni > 1");
        break;
    default:
        break;
    }
}

static void events_vs_n(ck *c, size_t i, int ev, int n, int other)
{
    char b1[48], b2[48], why[96] = "";
    if (!OK(ev) || !OK(n) || X(ev) <= X(n))
        return;
    if (other >= 0)
        snprintf(why, sizeof why, " (is %s the number without the event, %s, rather than the group size?)",
                 ck_names[n], ck_names[other]);
    ck_add(c, CHECK_ERROR, "events-exceed-n", i, ev,
           "%s = %s events but %s = %s participants: events cannot exceed the group size%s",
           ck_names[ev], NUM(ev, b1), ck_names[n], NUM(n, b2), why);
}

static void table_sum(ck *c, size_t i, int a, int b, int n)
{
    char s1[48], s2[48], s3[48];
    if (OK(a) && OK(b) && OK(n) && X(a) + X(b) != X(n))
        ck_add(c, CHECK_ERROR, "table-arm-mismatch", i, n,
               "%s + %s = %s + %s = %.0f, but %s = %s: the events and non-events of a group add up to its size; correct one of them, or give only %s or only %s",
               ck_names[a], ck_names[b], NUM(a, s1), NUM(b, s2), X(a) + X(b), ck_names[n],
               NUM(n, s3), ck_names[b], ck_names[n]);
}

/* Arms against a stated total (column total; ni in two-group files). */
static void totals(ck *c, size_t i)
{
    char parts[160], b1[48], b2[48], b3[48], b4[48];
    double sum;
    int keys[2] = {K_TOTAL, K_NI};
    if (c->fam != F_CONT2 && c->fam != F_TABLE && c->fam != F_EST)
        keys[1] = -1;
    if (OK(K_N1I) && OK(K_N2I)) {
        sum = X(K_N1I) + X(K_N2I);
        snprintf(parts, sizeof parts, "n1i + n2i = %s + %s", NUM(K_N1I, b1), NUM(K_N2I, b2));
    } else if (OK(K_AI) && OK(K_BI) && OK(K_CI) && OK(K_DI)) {
        sum = X(K_AI) + X(K_BI) + X(K_CI) + X(K_DI);
        snprintf(parts, sizeof parts, "ai + bi + ci + di = %s + %s + %s + %s", NUM(K_AI, b1),
                 NUM(K_BI, b2), NUM(K_CI, b3), NUM(K_DI, b4));
    } else {
        return;
    }
    for (int q = 0; q < 2; q++) {
        int j = keys[q];
        if (j < 0 || !OK(j) || X(j) == sum)
            continue;
        if (sum > X(j))
            ck_add(c, CHECK_WARNING, "arms-not-total", i, j,
                   "the groups add up to %s = %.0f, more than %s = %s: one of the numbers is probably mistyped; check them against the paper (e.g. its flow diagram)",
                   parts, sum, ck_names[j], NUM(j, b1));
        else
            ck_add(c, CHECK_WARNING, "arms-not-total", i, j,
                   "the groups add up to %s = %.0f, fewer than %s = %s: if the trial had more arms or participants left after randomisation, the difference is real (say so in a note); otherwise one of the numbers is mistyped",
                   parts, sum, ck_names[j], NUM(j, b1));
    }
}

/* ---- values that must be positive or bounded ------------------------------ */

static void positive(ck *c, size_t i, int j, const char *code, const char *what, const char *hint)
{
    char b[48];
    if (OK(j) && X(j) <= 0)
        ck_add(c, CHECK_ERROR, code, i, j, "%s = %s: %s must be > 0%s", ck_names[j], NUM(j, b),
               what, hint);
}

static void bounds(ck *c, size_t i)
{
    static const char sdhint[] = "; if it was not reported, leave the cell empty (the study is then left out)";
    char b[48];
    positive(c, i, K_SD1I, "sd-not-positive", "a standard deviation", sdhint);
    positive(c, i, K_SD2I, "sd-not-positive", "a standard deviation", sdhint);
    positive(c, i, K_SDI, "sd-not-positive", "a standard deviation", sdhint);
    positive(c, i, K_SE1I, "se-not-positive", "a standard error", "");
    positive(c, i, K_SE2I, "se-not-positive", "a standard error", "");
    positive(c, i, K_SEI, "se-not-positive", "a standard error", "");
    positive(c, i, K_VI, "variance-not-positive", "a sampling variance", "");
    positive(c, i, K_VEI, "variance-not-positive", "the variance of O - E", "");
    positive(c, i, K_TI, "person-time-not-positive", "person-time", "");
    positive(c, i, K_T1I, "person-time-not-positive", "person-time", "");
    positive(c, i, K_T2I, "person-time-not-positive", "person-time", "");
    positive(c, i, K_GRAN, "granularity-not-positive", "the granularity of a scale", "");
    if (OK(K_RI) && fabs(X(K_RI)) > 1)
        ck_add(c, CHECK_ERROR, "correlation-out-of-range", i, K_RI,
               "ri = %s: a correlation lies between -1 and 1", NUM(K_RI, b));
    else if (OK(K_RI) && fabs(X(K_RI)) == 1 && c->mname && strcmp(c->mname, "ZCOR") == 0)
        ck_add(c, CHECK_ERROR, "correlation-out-of-range", i, K_RI,
               "ri = %s: Fisher's z of a correlation of 1 or -1 is infinite", NUM(K_RI, b));
    if (OK(K_MDI_P) && (X(K_MDI_P) <= 0 || X(K_MDI_P) > 1))
        ck_add(c, CHECK_ERROR, "p-out-of-range", i, K_MDI_P,
               "mdi_p = %s: a two-sided p-value lies above 0 and at most 1 (for a reported 'p < 0.001' give the CI or the t statistic instead)",
               NUM(K_MDI_P, b));
}

/* ---- confidence intervals --------------------------------------------------- */

static double on(double x, int lg) { return lg ? log(x) : x; }

/* Can y, L, U, each rounded to half-width h*, come from a CI symmetric on
 * the scale (log or linear)? */
static int symmetric(double y, double L, double U, double hy, double hL, double hU, int lg)
{
    double amin, amax, slack;
    if (lg && (L - hL <= 0 || y - hy <= 0))
        return 1; /* rounding could hide any asymmetry */
    amin = on(U - hU, lg) + on(L - hL, lg) - 2 * on(y + hy, lg);
    amax = on(U + hU, lg) + on(L + hL, lg) - 2 * on(y - hy, lg);
    slack = 1e-9 * (fabs(on(U, lg)) + fabs(on(L, lg)) + fabs(on(y, lg))) + 1e-12;
    return amin <= slack && amax >= -slack;
}

static void asym_message(ck *c, size_t i, int est, int lb, int ub, int lg, const char *extra)
{
    char b1[48], b2[48], b3[48], d1[32], d2[32], o1[32], o2[32];
    double y = X(est), L = X(lb), U = X(ub);
    double below = on(y, lg) - on(L, lg), above = on(U, lg) - on(y, lg);
    double ub2 = lg ? exp(2 * log(y) - log(L)) : 2 * y - L;
    double lb2 = lg ? exp(2 * log(y) - log(U)) : 2 * y - U;
    ck_add(c, CHECK_WARNING, "ci-asymmetric", i, est,
           "%s = %s with CI %s to %s is not symmetric%s (%s%s below, %s above), more than rounding explains: around %s the lower limit %s implies an upper one of %s, the upper %s a lower one of %s; check the three numbers against the paper%s",
           ck_names[est], NUM(est, b1), NUM(lb, b2), NUM(ub, b3),
           lg ? " on the log scale" : "", lg ? "log distances " : "", ck_fmt(below, d1, sizeof d1),
           ck_fmt(above, d2, sizeof d2), b1, b2, ck_fmt(ub2, o1, sizeof o1), b3,
           ck_fmt(lb2, o2, sizeof o2), extra);
}

static void ci_natural(ck *c, size_t i, int est, int lb, int ub)
{
    const char *which = c->fam == F_EST && (!c->mname || strcmp(c->mname, "GEN") == 0)
                            ? "if these are ratios (OR, RR, HR), check them with --measure OR (or RR, HR) --scale natural"
                            : "the numbers look like ratios, not log ratios: add --scale natural";
    char b1[48], b2[48], b3[48];
    ck_add(c, CHECK_WARNING, "ci-natural-scale", i, est,
           "%s = %s with CI %s to %s is not symmetric, but it is on the log scale: %s",
           ck_names[est], NUM(est, b1), NUM(lb, b2), NUM(ub, b3), which);
}

/* The SE a reported CI implies, against a reported sei or vi: the CI is
 * estimate +- z SE (z for --ci-level), on the log scale for ratios. */
static void ci_vs_se(ck *c, size_t i, int lg)
{
    char b1[48], b2[48], b3[48], b4[48], d1[32], d2[32];
    double level = c->o->ci_level > 0 ? c->o->ci_level : 0.95, z = msyn_crit(level, nan(""));
    double L = X(K_CI_LB), U = X(K_CI_UB), hL = ck_half_ulp(c, i, K_CI_LB), hU = ck_half_ulp(c, i, K_CI_UB);
    double se, hse, seci, tol;
    int j = OK(K_SEI) ? K_SEI : K_VI;
    if (!OK(j) || X(j) <= 0 || !(z > 0))
        return;
    se = j == K_SEI ? X(j) : sqrt(X(j));
    hse = j == K_SEI ? ck_half_ulp(c, i, j) : ck_half_ulp(c, i, j) / (2 * se);
    seci = (on(U, lg) - on(L, lg)) / (2 * z);
    tol = (lg ? hU / U + hL / L : hU + hL) / (2 * z) + hse + 1e-9 * se;
    if (fabs(seci - se) <= tol)
        return;
    snprintf(b3, sizeof b3, "%.10g%%", 100 * level);
    ck_add(c, CHECK_WARNING, "ci-se-mismatch", i, j,
           "%s = %s gives SE = %s, but the %s CI %s to %s implies SE = %s%s: one of them is mistyped, or the CI has another level (--ci-level) or was not computed as estimate +- z SE",
           ck_names[j], NUM(j, b1), ck_fmt(se, d1, sizeof d1), b3, NUM(K_CI_LB, b2),
           NUM(K_CI_UB, b4), ck_fmt(seci, d2, sizeof d2),
           lg ? " (on the log scale)" : "");
}

static void ci_triple(ck *c, size_t i, int est, int lb, int ub, int lg)
{
    char b1[48], b2[48], b3[48];
    double y, L, U, hy, hL, hU;
    if (!OK(lb) || !OK(ub))
        return;
    L = X(lb), U = X(ub), hL = ck_half_ulp(c, i, lb), hU = ck_half_ulp(c, i, ub);
    if (lg && (L <= 0 || U <= 0 || (OK(est) && X(est) <= 0))) {
        int j = OK(est) && X(est) <= 0 ? est : L <= 0 ? lb : ub;
        ck_add(c, CHECK_ERROR, "ratio-not-positive", i, j,
               "%s = %s: with --scale natural a ratio and its CI limits must be > 0 (log ratios? then leave out --scale natural)",
               ck_names[j], NUM(j, b1));
        return;
    }
    if (L > U) {
        ck_add(c, CHECK_ERROR, "ci-reversed", i, lb, "%s = %s is above %s = %s: the limits are swapped",
               ck_names[lb], NUM(lb, b1), ck_names[ub], NUM(ub, b2));
        return;
    }
    if (!OK(est))
        return;
    y = X(est), hy = ck_half_ulp(c, i, est);
    if (y < L - hL - hy || y > U + hU + hy) {
        ck_add(c, CHECK_ERROR, "estimate-outside-ci", i, est,
               "%s = %s lies outside its own confidence interval %s to %s: one of the three numbers is mistyped, or the interval belongs to another estimate",
               ck_names[est], NUM(est, b1), NUM(lb, b2), NUM(ub, b3));
        return;
    }
    if (est == K_YI)
        ci_vs_se(c, i, lg);
    if (symmetric(y, L, U, hy, hL, hU, lg))
        return;
    if (!lg && est == K_YI && L > 0 && !c->natural && (c->ratio || c->fam == F_EST) &&
        (c->ratio || !c->mname || strcmp(c->mname, "GEN") == 0) && symmetric(y, L, U, hy, hL, hU, 1))
        ci_natural(c, i, est, lb, ub);
    else
        asym_message(c, i, est, lb, ub, lg,
                     est == K_YI ? " (a CI not computed as estimate +- z SE makes the variance taken from it uncertain)" : "");
}

static void cis(ck *c, size_t i)
{
    ci_triple(c, i, K_YI, K_CI_LB, K_CI_UB, c->natural);
    ci_triple(c, i, K_M1I, K_LB1I, K_UB1I, 0);
    ci_triple(c, i, K_M2I, K_LB2I, K_UB2I, 0);
    ci_triple(c, i, K_MDI, K_MDI_LB, K_MDI_UB, 0);
}

/* ---- medians, quartiles, ranges ---------------------------------------------- */

static void quantiles(ck *c, size_t i, int arm)
{
    static const char *const what[] = {"the minimum", "the first quartile", "the median",
                                       "the third quartile", "the maximum"};
    int k[5], m = arm ? K_M2I : K_M1I, sd = arm ? K_SD2I : K_SD1I, n = arm ? K_N2I : K_N1I;
    int prev = -1;
    char b1[48], b2[48], b3[48], b4[48], d[32];
    k[0] = arm ? K_MIN2I : K_MIN1I, k[1] = arm ? K_Q1_2I : K_Q1_1I, k[2] = arm ? K_MED2I : K_MED1I;
    k[3] = arm ? K_Q3_2I : K_Q3_1I, k[4] = arm ? K_MAX2I : K_MAX1I;
    for (int q = 0; q < 5; q++) {
        if (!OK(k[q]))
            continue;
        if (prev >= 0 && X(k[prev]) > X(k[q])) {
            ck_add(c, CHECK_ERROR, "quantiles-out-of-order", i, k[prev],
                   "%s = %s is above %s = %s: %s cannot exceed %s (swapped?)", ck_names[k[prev]],
                   NUM(k[prev], b1), ck_names[k[q]], NUM(k[q], b2), what[prev], what[q]);
            return;
        }
        prev = q;
    }
    if (!OK(k[0]) || !OK(k[4]))
        return;
    if (OK(m) && (X(m) < X(k[0]) || X(m) > X(k[4])))
        ck_add(c, CHECK_ERROR, "mean-outside-range", i, m,
               "%s = %s lies outside the range %s to %s given for the same group", ck_names[m],
               NUM(m, b1), NUM(k[0], b2), NUM(k[4], b3));
    if (OK(sd) && OK(n) && X(n) >= 2) {
        /* largest SD of n values in [min, max]: half the range, n/(n-1) corrected */
        double range = X(k[4]) - X(k[0]) + ck_half_ulp(c, i, k[0]) + ck_half_ulp(c, i, k[4]);
        double most = range / 2 * sqrt(X(n) / (X(n) - 1));
        if (X(sd) - ck_half_ulp(c, i, sd) > most)
            ck_add(c, CHECK_ERROR, "sd-exceeds-range", i, sd,
                   "%s = %s is larger than any SD of %s values between %s and %s can be (at most %s): an SE, a variance or the SD of another variable?",
                   ck_names[sd], NUM(sd, b1), NUM(n, b2), NUM(k[0], b3), NUM(k[4], b4),
                   ck_fmt(most, d, sizeof d));
    }
}

/* ---- GRIM (Brown & Heathers 2017) ------------------------------------------- */

/* 1 if some sum of n scores in steps of g has a mean that rounds to m
 * (given with d decimals). */
static int grim_possible(double m, int d, double n, double g)
{
    double h = 0.5 * pow(10.0, -d), step = g / n, k0 = floor(m / step);
    for (double kk = k0 - 1; kk <= k0 + 2; kk++)
        if (fabs(kk * step - m) <= h * (1 + 1e-9) + 1e-12)
            return 1;
    return 0;
}

static void grim(ck *c, size_t i, int m, int n)
{
    char b1[48], b2[48], lo[32], hi[32], gs[32];
    double g = OK(K_GRAN) && X(K_GRAN) > 0 ? X(K_GRAN) : c->gran, step, k0;
    int d = c->dec[CKAT(c, i, m)];
    if (!(g > 0) || !OK(m) || !OK(n) || X(n) < 1 || d < 0)
        return;
    step = g / X(n);
    if (step <= pow(10.0, -d) || grim_possible(X(m), d, X(n), g))
        return; /* with n >= g 10^d every mean is possible */
    k0 = floor(X(m) / step);
    snprintf(gs, sizeof gs, "%.10g", g);
    ck_add(c, CHECK_WARNING, "grim-inconsistent", i, m,
           "%s = %s is not a possible mean of %s = %s scores in steps of %s (GRIM test): the nearest possible means, %s and %s, do not round to it; check the mean and the group size (e.g. participants lost to follow-up) against the paper",
           ck_names[m], NUM(m, b1), ck_names[n], NUM(n, b2), gs,
           ck_fmt(k0 * step, lo, sizeof lo), ck_fmt((k0 + 1) * step, hi, sizeof hi));
}

static void grims(ck *c, size_t i)
{
    if (c->fam == F_CONT2) {
        grim(c, i, K_M1I, K_N1I);
        grim(c, i, K_M2I, K_N2I);
    } else if (c->fam == F_MEAN1) {
        grim(c, i, K_MI, K_NI);
    } else if (c->fam == F_PREPOST) {
        grim(c, i, K_M1I, K_NI);
        grim(c, i, K_M2I, K_NI);
    }
}

/* ---- an SD that is the other arm's SE ------------------------------------------ */

static void sd_se_within(ck *c, size_t i, int s1, int n1, int s2, int n2)
{
    char b1[48], b2[48], b3[48], d1[32], d2[32];
    int lo, hi, nl;
    double r;
    if (!OK(s1) || !OK(s2) || !OK(n1) || !OK(n2) || X(s1) <= 0 || X(s2) <= 0)
        return;
    lo = X(s1) < X(s2) ? s1 : s2, hi = lo == s1 ? s2 : s1, nl = lo == s1 ? n1 : n2;
    r = X(hi) / X(lo);
    if (r < 3 || fabs(r / sqrt(X(nl)) - 1) > 0.25)
        return;
    CKF_SET(c, i, lo, CKF_SE);
    ck_add(c, CHECK_WARNING, "sd-probably-se", i, lo,
           "%s = %s is about %s = %s / sqrt(%s) = %s: is %s a standard error? If so, SD = SE x sqrt(n) = %s",
           ck_names[lo], NUM(lo, b1), ck_names[hi], NUM(hi, b2), NUM(nl, b3),
           ck_fmt(X(hi) / sqrt(X(nl)), d1, sizeof d1), ck_names[lo],
           ck_fmt(X(lo) * sqrt(X(nl)), d2, sizeof d2));
}

/* ---- missing values ------------------------------------------------------------- */

static void need(ck *c, size_t i, sbuf *b, int *first, int ok, int j, const char *alt)
{
    (void)i;
    if (ok)
        return;
    sb_printf(b, "%s%s%s", b->len ? ", " : "", ck_names[j], alt);
    if (*first < 0 || (c->col[*first] < 0 && c->col[j] >= 0))
        *first = j;
}

static void need_arm(ck *c, size_t i, sbuf *b, int *first, int arm)
{
    int n = arm ? K_N2I : K_N1I, m = arm ? K_M2I : K_M1I, sd = arm ? K_SD2I : K_SD1I;
    int se = arm ? K_SE2I : K_SE1I, lb = arm ? K_LB2I : K_LB1I, ub = arm ? K_UB2I : K_UB1I;
    int med = arm ? K_MED2I : K_MED1I, q1 = arm ? K_Q1_2I : K_Q1_1I, q3 = arm ? K_Q3_2I : K_Q3_1I;
    int mn = arm ? K_MIN2I : K_MIN1I, mx = arm ? K_MAX2I : K_MAX1I;
    int spread = (H(q1) && H(q3)) || (H(mn) && H(mx));
    /* what app/convert.c can fill: an SD from the MD's CI (its centre is
     * the MD), t or p; means from a group's CI or from the MD alone */
    int md_ci = H(K_MDI_LB) && H(K_MDI_UB);
    int mdi = md_ci || (H(K_MDI) && (H(K_MDI_T) || H(K_MDI_P)));
    need(c, i, b, first, H(n), n, "");
    need(c, i, b, first, H(m) || (H(med) && spread) || (H(lb) && H(ub)) || H(K_MDI) || md_ci, m, "");
    need(c, i, b, first, H(sd) || H(se) || (H(lb) && H(ub)) || spread || mdi, sd,
         arm ? " (or se2i, lb2i/ub2i, quartiles or range)" : " (or se1i, lb1i/ub1i, quartiles or range)");
}

static void missing(ck *c, size_t i)
{
    sbuf b;
    int first = -1;
    int est = H(K_YI) && (H(K_VI) || H(K_SEI) || (H(K_CI_LB) && H(K_CI_UB)));
    int fam_cols = c->fam != F_EST && c->fam != F_NONE;
    for (int j = 0; j < K_NCOL; j++)
        if (CKF(c, i, j) & CKF_BAD)
            return; /* the row has an error already */
    if (est)
        return;
    sb_init(&b);
    switch (fam_cols ? c->fam : F_EST) {
    case F_CONT2:
        need_arm(c, i, &b, &first, 0);
        need_arm(c, i, &b, &first, 1);
        break;
    case F_TABLE:
        if (H(K_OEI) && H(K_VEI))
            break;
        need(c, i, &b, &first, H(K_AI), K_AI, "");
        need(c, i, &b, &first, H(K_BI) || H(K_N1I), c->col[K_BI] >= 0 ? K_BI : K_N1I, "");
        need(c, i, &b, &first, H(K_CI), K_CI, "");
        need(c, i, &b, &first, H(K_DI) || H(K_N2I), c->col[K_DI] >= 0 ? K_DI : K_N2I, "");
        break;
    case F_PROP:
    case F_IR:
        need(c, i, &b, &first, H(K_XI), K_XI, "");
        need(c, i, &b, &first, c->fam == F_IR ? H(K_TI) : H(K_NI), c->fam == F_IR ? K_TI : K_NI, "");
        break;
    case F_IR2:
        need(c, i, &b, &first, H(K_X1I), K_X1I, "");
        need(c, i, &b, &first, H(K_T1I), K_T1I, "");
        need(c, i, &b, &first, H(K_X2I), K_X2I, "");
        need(c, i, &b, &first, H(K_T2I), K_T2I, "");
        break;
    case F_MEAN1:
        need(c, i, &b, &first, H(K_MI), K_MI, "");
        need(c, i, &b, &first, H(K_SDI), K_SDI, "");
        need(c, i, &b, &first, H(K_NI), K_NI, "");
        break;
    case F_PREPOST:
        need(c, i, &b, &first, H(K_M1I), K_M1I, "");
        need(c, i, &b, &first, H(K_M2I), K_M2I, "");
        need(c, i, &b, &first, H(K_SD1I), K_SD1I, "");
        need(c, i, &b, &first, H(K_SD2I), K_SD2I, "");
        need(c, i, &b, &first, H(K_NI), K_NI, "");
        need(c, i, &b, &first, H(K_RI) || c->col[K_RI] < 0, K_RI, "");
        break;
    case F_COR:
        need(c, i, &b, &first, H(K_RI), K_RI, "");
        need(c, i, &b, &first, H(K_NI), K_NI, "");
        break;
    default:
        need(c, i, &b, &first, H(K_YI), K_YI, "");
        need(c, i, &b, &first, H(K_VI) || H(K_SEI) || (H(K_CI_LB) && H(K_CI_UB)),
             c->col[K_VI] >= 0 ? K_VI : c->col[K_SEI] >= 0 ? K_SEI : K_CI_LB,
             " (or sei, or ci_lb and ci_ub)");
        break;
    }
    if (b.len)
        ck_add(c, CHECK_HINT, "missing-value", i, first,
               "no value for %s: the study will be left out of the analysis", b.p);
    if (b.oom)
        c->out->oom = 1;
    sb_free(&b);
}

/* ---- score: final values or change from baseline -------------------------------- */

static void score(ck *c, size_t i)
{
    const char *s;
    if (c->score_col < 0)
        return;
    s = app_table_cell(c->t, c->row[i], (size_t)c->score_col);
    s += strspn(s, " \t");
    if (*s && strncasecmp(s, "final", 5) != 0 && strncasecmp(s, "change", 6) != 0)
        ck_add_col(c, CHECK_ERROR, "bad-score", i, c->score_col,
                   "score \"%s\": expected final (values at follow-up) or change (change from baseline)", s);
}

int ck_rows(ck *c)
{
    for (size_t i = 0; i < c->k && !c->out->oom; i++) {
        counts(c, i);
        sizes(c, i);
        events_vs_n(c, i, K_AI, K_N1I, K_BI);
        events_vs_n(c, i, K_CI, K_N2I, K_DI);
        if (c->fam == F_PROP)
            events_vs_n(c, i, K_XI, K_NI, -1);
        table_sum(c, i, K_AI, K_BI, K_N1I);
        table_sum(c, i, K_CI, K_DI, K_N2I);
        totals(c, i);
        bounds(c, i);
        cis(c, i);
        quantiles(c, i, 0);
        quantiles(c, i, 1);
        grims(c, i);
        if (c->fam == F_CONT2)
            sd_se_within(c, i, K_SD1I, K_N1I, K_SD2I, K_N2I);
        else if (c->fam == F_PREPOST)
            sd_se_within(c, i, K_SD1I, K_NI, K_SD2I, K_NI);
        score(c, i);
        missing(c, i);
    }
    return c->out->oom ? -1 : 0;
}
