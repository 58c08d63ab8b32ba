/*
 * het.c - heterogeneity: Cochran's Q, I^2, H^2, and confidence intervals
 * for tau^2 (Q-profile, Viechtbauer 2007) and for I^2/H^2.
 *
 * Q always uses the common-effect weights 1/v.  I^2 follows metafor
 * (100 tau2/(vt + tau2) with the "typical" variance vt) for random-effects
 * models, and Higgins & Thompson's max(0, (Q - df)/Q) for common-effect
 * models or when asked (RevMan 5).  Q-profile bounds are exact roots of the
 * generalised Q, not metafor's 1e-4 uniroot answers.  docs/METHODS.md
 * section 4.
 */
#include "internal.h"

double msyn__typical_v(const double *v, size_t k)
{
    /* (k - 1) sum w / ((sum w)^2 - sum w^2), with the denominator as
     * 2 sum_i w_i (w_1 + ... + w_{i-1}): a sum of positive terms.  The
     * difference of squares cancels catastrophically when one study's
     * weight dominates (vi spanning 1e-12 to 1e6: I^2 came out negative;
     * found by tests/stress). */
    ksum sw = {0, 0}, cross = {0, 0};
    for (size_t i = 0; i < k; i++) {
        double w = 1.0 / v[i];
        ksum_add(&cross, w * ksum_get(&sw));
        ksum_add(&sw, w);
    }
    return (double)(k - 1) * ksum_get(&sw) / (2.0 * ksum_get(&cross));
}

/* Q-profile bounds for tau^2: the values where the generalised Q crosses
 * the chi^2_{k-1} quantiles (Viechtbauer 2007).  Upper bound solves
 * Q(tau2) = chi2_{alpha/2}, lower bound Q(tau2) = chi2_{1-alpha/2}. */
static void qprofile(const double *y, const double *v, size_t k, double level,
                     msyn_cache *c, msyn_fit *fit)
{
    double df = (double)(k - 1), a = (1.0 - level) / 2.0;
    double crit_u = msyn__quantile(c, QK_CHISQ_UPPER, a, df);
    double crit_l = msyn__quantile(c, QK_CHISQ_LOWER, a, df);
    double q0 = msyn__qgen(y, v, k, 0.0), lb = 0.0, ub = 0.0;
    if (q0 < crit_l) {
        fit->flags |= MSYN_FIT_TAU2_CI_NULL;
    } else {
        /* the upper bound lies above any tau2 where Q is still above
         * crit_l, such as (usually) the estimate: start there */
        double start = fit->tau2 > 0 && msyn__qgen(y, v, k, fit->tau2) > crit_l ? fit->tau2 : 0.0;
        if (q0 > crit_l &&
            msyn__qgen_root(y, v, k, crit_l, start, msyn__qgen_upper(y, v, k, crit_l), &ub) < 0)
            ub = MSYN_NAN;
        if (q0 > crit_u &&
            msyn__qgen_root(y, v, k, crit_u, 0.0, msyn__qgen_upper(y, v, k, crit_u), &lb) < 0)
            lb = MSYN_NAN;
    }
    fit->tau2_ci_lb = lb;
    fit->tau2_ci_ub = ub;
    fit->tau_ci_lb = sqrt(lb);
    fit->tau_ci_ub = sqrt(ub);
    fit->I2_ci_lb = 100.0 * lb / (fit->vt + lb);
    fit->I2_ci_ub = 100.0 * ub / (fit->vt + ub);
    fit->H2_ci_lb = lb / fit->vt + 1.0;
    fit->H2_ci_ub = ub / fit->vt + 1.0;
}

/* Test-based CI for H (Higgins & Thompson 2002, as the meta package
 * computes it for RevMan-style I^2): bounds of H floored at 1. */
static void ht_interval(double Q, size_t k, double level, msyn_cache *c, msyn_fit *fit)
{
    double kk = (double)k, se, lnH, z = msyn__crit(c, level, MSYN_NAN), hl, hu;
    if (Q > kk)
        se = 0.5 * (log(Q) - log(kk - 1.0)) / (sqrt(2.0 * Q) - sqrt(2.0 * kk - 3.0));
    else if (k > 2)
        se = sqrt(1.0 / (2.0 * (kk - 2.0)) * (1.0 - 1.0 / (3.0 * (kk - 2.0) * (kk - 2.0))));
    else
        return;
    lnH = 0.5 * log(Q / (kk - 1.0));
    if (!(Q > 0))
        return;
    hl = exp(lnH - z * se);
    hu = exp(lnH + z * se);
    if (hl < 1.0)
        hl = 1.0;
    if (hu < 1.0)
        hu = 1.0;
    fit->H2_ci_lb = hl * hl;
    fit->H2_ci_ub = hu * hu;
    fit->I2_ci_lb = 100.0 * (fit->H2_ci_lb - 1.0) / fit->H2_ci_lb;
    fit->I2_ci_ub = 100.0 * (fit->H2_ci_ub - 1.0) / fit->H2_ci_ub;
}

void msyn__het(const double *y, const double *v, size_t k,
               const msyn_pool_opts *o, int re_model, msyn_fit *fit)
{
    double df = (double)(k - 1);
    double Q = msyn__qgen(y, v, k, 0.0);
    if (Q < 0.0)
        Q = 0.0;
    fit->Q = Q;
    fit->Q_df = df;
    fit->Q_pval = msyn_pval_chisq(Q, df);
    fit->vt = msyn__typical_v(v, k);
    if (!re_model || o->i2def == MSYN_I2_Q) {
        /* Higgins & Thompson; for random-effects models H^2 is floored at
         * 1 with I^2 (as the meta package reports it), for common-effect
         * models it is Q/df as metafor gives it. */
        fit->I2 = Q > 0 && Q > df ? 100.0 * (Q - df) / Q : 0.0;
        fit->H2 = Q / df;
        if (re_model && fit->H2 < 1.0)
            fit->H2 = 1.0;
    } else {
        fit->I2 = fmin(100.0, 100.0 * fit->tau2 / (fit->vt + fit->tau2)); /* 100.00000000000001 */
        fit->H2 = fit->tau2 / fit->vt + 1.0;
    }
    if (re_model && o->tau2_ci)
        qprofile(y, v, k, o->level, o->cache, fit);
    if (re_model && o->i2def == MSYN_I2_Q) {
        fit->I2_ci_lb = fit->I2_ci_ub = fit->H2_ci_lb = fit->H2_ci_ub = MSYN_NAN;
        ht_interval(Q, k, o->level, o->cache, fit);
    }
}
