/*
 * pool.c - inverse-variance pooling: common effect and random effects.
 *
 * msyn_pool() estimates tau^2 (tau2.c), pools with weights 1/(v + tau2),
 * tests with z, t, Hartung-Knapp-Sidik-Jonkman or its ad hoc variant,
 * and adds heterogeneity statistics (het.c) and the prediction interval.
 * Intercept-only throughout: O(k) time, no allocation.  Follows metafor's
 * rma.uni() and predict.rma(); docs/METHODS.md sections 2-4.
 */
#include <string.h>

#include "internal.h"

MSYN_API void msyn_pool_opts_default(msyn_pool_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->method = MSYN_METHOD_REML;
    o->test = MSYN_TEST_Z;
    o->level = 0.95;
    o->i2def = MSYN_I2_TAU2;
    o->pi = MSYN_PI_DEFAULT;
    o->tau2_ci = 1;
    o->fallback = 1;
    o->max_iter = 1000;
    o->ll0check = 1;
    o->mh_add = 0.0;
    o->rd_var = MSYN_RD_VAR_SATO;
    o->q_from_mh = 0;
    o->tau2_fixed = MSYN_NAN;
    o->alloc = NULL;
    o->cache = NULL;
}

msyn_status msyn__pool_opts_check(const msyn_pool_opts *o)
{
    if (!msyn_method_name(o->method) || !msyn_test_name(o->test) ||
        !(o->level > 0.0 && o->level < 1.0) || (unsigned)o->i2def > MSYN_I2_Q ||
        (unsigned)o->pi > MSYN_PI_NONE || o->max_iter < 1 ||
        !(o->mh_add >= 0.0) || !isfinite(o->mh_add) ||
        (unsigned)o->rd_var > MSYN_RD_VAR_GR ||
        (!isnan(o->tau2_fixed) && !(o->tau2_fixed >= 0.0 && isfinite(o->tau2_fixed))))
        return MSYN_EINVAL;
    return MSYN_OK;
}

void msyn__fit_clear(msyn_fit *fit)
{
    double nan_ = MSYN_NAN;
    memset(fit, 0, sizeof *fit);
    fit->level = fit->estimate = fit->se = fit->stat = fit->pval = nan_;
    fit->ci_lb = fit->ci_ub = fit->df = fit->s2w = nan_;
    fit->tau2 = fit->tau2_se = fit->tau2_ci_lb = fit->tau2_ci_ub = nan_;
    fit->tau = fit->tau_ci_lb = fit->tau_ci_ub = nan_;
    fit->I2 = fit->I2_ci_lb = fit->I2_ci_ub = nan_;
    fit->H2 = fit->H2_ci_lb = fit->H2_ci_ub = nan_;
    fit->Q = fit->Q_df = fit->Q_pval = fit->vt = nan_;
    fit->pi_lb = fit->pi_ub = fit->pi_df = nan_;
}

double msyn__fit_ztest(msyn_fit *fit, double est, double se, double level,
                       msyn_cache *c)
{
    double crit = msyn__crit(c, level, MSYN_NAN);
    fit->estimate = est;
    fit->se = se;
    fit->stat = est / se;
    fit->pval = msyn_pval_z(fit->stat);
    fit->ci_lb = est - crit * se;
    fit->ci_ub = est + crit * se;
    fit->df = MSYN_NAN;
    fit->s2w = 1.0;
    return crit;
}

static int is_re(msyn_method m)
{
    return m != MSYN_METHOD_EE && m != MSYN_METHOD_MH && m != MSYN_METHOD_PETO;
}

/* tau^2 by the requested estimator, falling back REML/ML/EB -> PM -> DL
 * when allowed (metafor's method = c("REML", "DL") idea, made default). */
static msyn_status estimate_tau2(const double *y, const double *v, size_t k,
                                 const msyn_pool_opts *o, msyn_fit *fit,
                                 tau2_result *r)
{
    static const msyn_method chain[] = {MSYN_METHOD_PM, MSYN_METHOD_DL};
    msyn_status rc = msyn__tau2(o->method, y, v, k, o->max_iter, o->ll0check, r);
    fit->method_used = o->method;
    for (size_t i = 0; rc == MSYN_ENOCONV && o->fallback && i < 2; i++) {
        if (chain[i] == o->method)
            continue;
        rc = msyn__tau2(chain[i], y, v, k, o->max_iter, o->ll0check, r);
        fit->method_used = chain[i];
        fit->flags |= MSYN_FIT_FALLBACK;
    }
    if (rc != MSYN_OK) {
        fit->converged = 0;
        fit->iterations = r->iterations;
        return rc;
    }
    if (r->raw < 0.0)
        fit->flags |= MSYN_FIT_TAU2_TRUNCATED;
    if (r->ll0_reset)
        fit->flags |= MSYN_FIT_LL0_RESET;
    fit->iterations = r->iterations;
    return MSYN_OK;
}

/* The pooled estimate at tau2 with the requested test; returns the
 * critical value used, for reuse by the prediction interval. */
static double pooled(const double *y, const double *v, size_t k,
                     const msyn_pool_opts *o, msyn_fit *fit)
{
    re_sums s;
    double var, crit;
    msyn__re_sums(y, v, k, fit->tau2, 0, &s);
    var = 1.0 / s.sw;
    fit->test = o->test;
    if (o->test == MSYN_TEST_Z) {
        return msyn__fit_ztest(fit, s.mu, sqrt(var), o->level, o->cache);
    }
    fit->df = (double)(k - 1);
    fit->s2w = 1.0;
    if (o->test == MSYN_TEST_KNHA || o->test == MSYN_TEST_ADHOC) {
        /* Hartung & Knapp 2001, Sidik & Jonkman 2002: scale the variance
         * by the weighted residual mean square (metafor: 0 if the residual
         * sum is below machine epsilon; adhoc: at least 1). */
        fit->s2w = s.rss <= DBL_EPSILON ? 0.0 : s.rss / fit->df;
        if (o->test == MSYN_TEST_ADHOC && fit->s2w < 1.0)
            fit->s2w = 1.0;
        if (fit->s2w == 0.0)
            fit->flags |= MSYN_FIT_KNHA_ZERO;
        if (o->method == MSYN_METHOD_EE)
            fit->flags |= MSYN_FIT_KNHA_EE;
    }
    crit = msyn__crit(o->cache, o->level, fit->df);
    fit->estimate = s.mu;
    fit->se = sqrt(fit->s2w * var);
    fit->stat = s.mu / fit->se;
    fit->pval = msyn_pval_t(fit->stat, fit->df);
    fit->ci_lb = s.mu - crit * fit->se;
    fit->ci_ub = s.mu + crit * fit->se;
    return crit;
}

/* Prediction interval (metafor predict.rma; Higgins, Thompson &
 * Spiegelhalter 2009 for k - 2 df). */
static void prediction(size_t k, const msyn_pool_opts *o, double ci_crit,
                       msyn_fit *fit)
{
    double df = MSYN_NAN, sd, crit;
    if (o->pi == MSYN_PI_NONE || !is_re(o->method))
        return;
    if (o->pi == MSYN_PI_T_K1 || (o->pi == MSYN_PI_DEFAULT && o->test != MSYN_TEST_Z))
        df = (double)(k - 1);
    if (o->pi == MSYN_PI_T_K2) {
        df = (double)k - 2.0;
        if (df < 1.0) {
            df = 1.0;
            fit->flags |= MSYN_FIT_PI_DF_FLOOR;
        }
    }
    sd = sqrt(fit->se * fit->se + fit->tau2);
    /* the same quantile as the CI's when the df agree (quantiles cost
     * more than the whole fit) */
    if ((isnan(df) && isnan(fit->df)) || df == fit->df)
        crit = ci_crit;
    else
        crit = msyn__crit(o->cache, o->level, df);
    fit->pi_df = df;
    fit->pi_lb = fit->estimate - crit * sd;
    fit->pi_ub = fit->estimate + crit * sd;
}

/* Infinite values and non-positive variances are errors; NaN (missing)
 * studies are counted in *missing. */
static msyn_status check_inputs(const double *yi, const double *vi, size_t k,
                                size_t *missing)
{
    *missing = 0;
    for (size_t i = 0; i < k; i++) {
        if (isnan(yi[i]) || isnan(vi[i]))
            (*missing)++;
        else if (!isfinite(yi[i]) || !isfinite(vi[i]) || !(vi[i] > 0.0))
            return MSYN_EDATA;
    }
    return MSYN_OK;
}

static void data_flags(const double *yi, const double *vi, size_t k,
                       msyn_fit *fit)
{
    double vmin = vi[0], vmax = vi[0];
    int equal = 1;
    for (size_t i = 1; i < k; i++) {
        if (vi[i] < vmin)
            vmin = vi[i];
        if (vi[i] > vmax)
            vmax = vi[i];
        if (yi[i] != yi[0])
            equal = 0;
    }
    if (vmax / vmin >= 1e7)
        fit->flags |= MSYN_FIT_VI_RATIO;
    if (equal && k > 1)
        fit->flags |= MSYN_FIT_EQUAL_EFFECTS;
}

/* One study: metafor sets tau2 = 0, forces the z test and reports Q = 0,
 * p = 1, I2 = 0, H2 = 1. */
static void single_study(const double *yi, const double *vi,
                         const msyn_pool_opts *o, msyn_fit *fit)
{
    fit->flags |= MSYN_FIT_K1;
    fit->method_used = o->method;
    fit->tau2 = 0.0;
    fit->tau = 0.0;
    fit->test = MSYN_TEST_Z;
    msyn__fit_ztest(fit, yi[0], sqrt(vi[0]), o->level, o->cache);
    fit->Q = 0.0;
    fit->Q_df = 0.0;
    fit->Q_pval = 1.0;
    fit->I2 = 0.0;
    fit->H2 = 1.0;
    fit->converged = 1;
}

void msyn__pool_given_tau2(const double *y, const double *v, size_t k,
                           const msyn_pool_opts *o, msyn_fit *fit)
{
    double crit;
    fit->tau = sqrt(fit->tau2);
    crit = pooled(y, v, k, o, fit);
    msyn__het(y, v, k, o, is_re(o->method), fit);
    prediction(k, o, crit, fit);
    fit->converged = 1;
}

/* Fit on complete data. */
static msyn_status pool_complete(const double *yi, const double *vi, size_t k,
                                 const msyn_pool_opts *o, msyn_fit *fit)
{
    tau2_result r;
    msyn_status rc;
    fit->k = k;
    data_flags(yi, vi, k, fit);
    if (k == 1) {
        single_study(yi, vi, o, fit);
        return MSYN_OK;
    }
    if (!isnan(o->tau2_fixed) && is_re(o->method)) {
        fit->tau2 = o->tau2_fixed; /* given, not estimated: no SE */
        fit->flags |= MSYN_FIT_TAU2_FIXED;
        msyn__pool_given_tau2(yi, vi, k, o, fit);
        return MSYN_OK;
    }
    if ((rc = estimate_tau2(yi, vi, k, o, fit, &r)) != MSYN_OK)
        return rc;
    fit->tau2 = r.tau2;
    fit->tau2_se = is_re(o->method) ? r.se : MSYN_NAN;
    msyn__pool_given_tau2(yi, vi, k, o, fit);
    return MSYN_OK;
}

MSYN_API msyn_status msyn_pool(const double *yi, const double *vi, size_t k,
                               const msyn_pool_opts *o, msyn_fit *fit)
{
    msyn_pool_opts def;
    msyn_status rc;
    size_t missing, n = 0;
    double *buf;
    if (!fit)
        return MSYN_EINVAL;
    msyn__fit_clear(fit);
    if ((k > 0 && (!yi || !vi)))
        return MSYN_EINVAL;
    if (!o) {
        msyn_pool_opts_default(&def);
        o = &def;
    }
    if ((rc = msyn__pool_opts_check(o)) != MSYN_OK)
        return rc;
    if (o->method == MSYN_METHOD_MH || o->method == MSYN_METHOD_PETO)
        return MSYN_EMEASURE;
    fit->method = fit->method_used = o->method;
    fit->test = o->test;
    fit->level = o->level;
    if ((rc = check_inputs(yi, vi, k, &missing)) != MSYN_OK)
        return rc;
    if (k - missing == 0)
        return MSYN_ETOOFEW;
    if (missing == 0)
        return pool_complete(yi, vi, k, o, fit);
    if (!(buf = msyn__alloc(o->alloc, 2 * (k - missing), sizeof *buf)))
        return MSYN_ENOMEM;
    for (size_t i = 0; i < k; i++)
        if (!isnan(yi[i]) && !isnan(vi[i])) {
            buf[n] = yi[i];
            buf[k - missing + n++] = vi[i];
        }
    rc = pool_complete(buf, buf + n, n, o, fit);
    msyn__free(o->alloc, buf);
    return rc;
}

MSYN_API msyn_status msyn_pool_weights(const double *vi, size_t k,
                                       const msyn_fit *fit, double *w_pct)
{
    ksum s = {0, 0};
    double t;
    if (!vi || !fit || !w_pct)
        return MSYN_EINVAL;
    t = isnan(fit->tau2) ? 0.0 : fit->tau2;
    for (size_t i = 0; i < k; i++) {
        if (isnan(vi[i]))
            continue;
        if (!(vi[i] + t > 0.0))
            return MSYN_EDATA;
        ksum_add(&s, 1.0 / (vi[i] + t));
    }
    for (size_t i = 0; i < k; i++)
        w_pct[i] = isnan(vi[i]) ? MSYN_NAN : 100.0 / (vi[i] + t) / ksum_get(&s);
    return MSYN_OK;
}
