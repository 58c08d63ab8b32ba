/*
 * bias.c - regression tests for small-study effects and fail-safe N.
 *
 * Egger-type regression tests (metafor's regtest(), both its classic
 * weighted-least-squares form model = "lm" and its default meta-regression
 * form model = "rma") and the three fail-safe numbers of metafor's fsn().
 * A regression here has one predictor, so every fit is in closed form
 * about the weighted means (no matrix algebra).  The rank correlation test
 * is in bias_rank.c, trim-and-fill in bias_tf.c.  Formulas:
 * docs/methods/bias.md.
 */
#include <string.h>

#include "internal.h"

static const char *const pred_names[] = {"sei", "vi", "ni", "ninv", "sqrtni",
                                         "sqrtninv"};

MSYN_API const char *msyn_bias_predictor_name(msyn_bias_predictor p)
{
    if ((unsigned)p > MSYN_BIAS_SQRTNINV)
        return NULL;
    return pred_names[p];
}

MSYN_API msyn_status msyn_bias_predictor_parse(const char *name,
                                               msyn_bias_predictor *p)
{
    if (!name || !p)
        return MSYN_EINVAL;
    for (unsigned i = 0; i <= MSYN_BIAS_SQRTNINV; i++) {
        const char *a = pred_names[i], *b = name;
        while (*a && (*a == *b || *a == (*b | 0x20)))
            a++, b++;
        if (!*a && !*b) {
            *p = (msyn_bias_predictor)i;
            return MSYN_OK;
        }
    }
    return MSYN_EINVAL;
}

static int uses_ni(msyn_bias_predictor p)
{
    return p == MSYN_BIAS_NI || p == MSYN_BIAS_NINV || p == MSYN_BIAS_SQRTNI ||
           p == MSYN_BIAS_SQRTNINV;
}

/* metafor gives the limit estimate for sei, vi, ninv and sqrtninv only. */
static int has_limit(msyn_bias_predictor p)
{
    return p == MSYN_BIAS_SEI || p == MSYN_BIAS_VI || p == MSYN_BIAS_NINV ||
           p == MSYN_BIAS_SQRTNINV;
}

static double predictor_value(msyn_bias_predictor p, double v, double n)
{
    switch (p) {
    case MSYN_BIAS_SEI: return sqrt(v);
    case MSYN_BIAS_VI: return v;
    case MSYN_BIAS_NI: return n;
    case MSYN_BIAS_NINV: return 1.0 / n;
    case MSYN_BIAS_SQRTNI: return sqrt(n);
    default: return 1.0 / sqrt(n);
    }
}

/* Row i is used when its yi, vi (and ni, if the predictor needs it) are
 * not NaN. */
static int row_used(const double *yi, const double *vi, const double *ni,
                    msyn_bias_predictor p, size_t i)
{
    return !isnan(yi[i]) && !isnan(vi[i]) && !(uses_ni(p) && isnan(ni[i]));
}

/* Check the inputs; count the rows used. */
static msyn_status check_rows(const double *yi, const double *vi,
                              const double *ni, size_t k,
                              msyn_bias_predictor p, size_t *used)
{
    size_t n = 0;
    if ((unsigned)p > MSYN_BIAS_SQRTNINV || (k > 0 && (!yi || !vi)) ||
        (uses_ni(p) && k > 0 && !ni))
        return MSYN_EINVAL;
    for (size_t i = 0; i < k; i++) {
        if (!row_used(yi, vi, ni, p, i))
            continue;
        if (isinf(yi[i]) || !(vi[i] > 0.0) || isinf(vi[i]) ||
            (uses_ni(p) && !(ni[i] > 0.0 && isfinite(ni[i]))))
            return MSYN_EDATA;
        n++;
    }
    *used = n;
    return n < 3 ? MSYN_ETOOFEW : MSYN_OK;
}

/* Weighted least squares of y on (1, x), weights 1/(v + tau2), over the
 * used rows. */
typedef struct wls {
    double sw, xb, sxx, b0, b1, rss;
} wls;

static msyn_status wls_fit(const double *yi, const double *vi, const double *ni,
                           size_t k, msyn_bias_predictor p, double tau2, wls *f)
{
    ksum sw = {0, 0}, swx = {0, 0}, swy = {0, 0}, sxx = {0, 0}, sxy = {0, 0};
    ksum rss = {0, 0}, ux = {0, 0}, uxx = {0, 0}, ucc = {0, 0};
    double yb, ubar;
    size_t n = 0;
    for (size_t i = 0; i < k; i++) {
        double w, x;
        if (!row_used(yi, vi, ni, p, i))
            continue;
        w = 1.0 / (vi[i] + tau2);
        x = predictor_value(p, vi[i], ni ? ni[i] : MSYN_NAN);
        ksum_add(&sw, w);
        ksum_add(&swx, w * x);
        ksum_add(&swy, w * yi[i]);
        ksum_add(&ux, x);
        ksum_add(&uxx, x * x);
        n++;
    }
    f->sw = ksum_get(&sw);
    f->xb = ksum_get(&swx) / f->sw;
    yb = ksum_get(&swy) / f->sw;
    ubar = ksum_get(&ux) / (double)n;
    for (size_t i = 0; i < k; i++) {
        double w, x;
        if (!row_used(yi, vi, ni, p, i))
            continue;
        w = 1.0 / (vi[i] + tau2);
        x = predictor_value(p, vi[i], ni ? ni[i] : MSYN_NAN);
        ksum_add(&sxx, w * (x - f->xb) * (x - f->xb));
        ksum_add(&sxy, w * (x - f->xb) * (yi[i] - yb));
        ksum_add(&ucc, (x - ubar) * (x - ubar));
    }
    /* R's lm() (regtest's first, unweighted check) drops a column whose
     * norm after removing the intercept is below 1e-7 of its own norm. */
    if (!(sqrt(ksum_get(&ucc)) >= 1e-7 * sqrt(ksum_get(&uxx))) ||
        !(ksum_get(&sxx) > 0.0))
        return MSYN_ENOTESTIMABLE;
    f->sxx = ksum_get(&sxx);
    f->b1 = ksum_get(&sxy) / f->sxx;
    f->b0 = yb - f->b1 * f->xb;
    for (size_t i = 0; i < k; i++) {
        double w, x, e;
        if (!row_used(yi, vi, ni, p, i))
            continue;
        w = 1.0 / (vi[i] + tau2);
        x = predictor_value(p, vi[i], ni ? ni[i] : MSYN_NAN);
        e = yi[i] - f->b0 - f->b1 * x;
        ksum_add(&rss, w * e * e);
    }
    f->rss = ksum_get(&rss);
    return MSYN_OK;
}

static void regtest_clear(msyn_regtest *r, msyn_bias_predictor p)
{
    double nan_ = MSYN_NAN;
    memset(r, 0, sizeof *r);
    r->predictor = p;
    r->slope = r->slope_se = r->stat = r->pval = r->df = nan_;
    r->intercept = r->intercept_se = r->est = r->ci_lb = r->ci_ub = nan_;
    r->sigma2 = r->tau2 = r->s2w = r->level = nan_;
}

/* Fill the result from a fit, a variance factor s2 and df (NaN: z). */
static void regtest_finish(msyn_regtest *r, const wls *f, double s2,
                           double df, double level, msyn_cache *c)
{
    double crit = msyn__crit(c, level, df);
    r->slope = f->b1;
    r->slope_se = sqrt(s2 / f->sxx);
    r->intercept = f->b0;
    r->intercept_se = sqrt(s2 * (1.0 / f->sw + f->xb * f->xb / f->sxx));
    r->stat = r->slope / r->slope_se;
    r->df = df;
    r->pval = isnan(df) ? msyn_pval_z(r->stat) : msyn_pval_t(r->stat, df);
    r->level = level;
    if (has_limit(r->predictor)) {
        r->est = r->intercept;
        r->ci_lb = r->est - crit * r->intercept_se;
        r->ci_ub = r->est + crit * r->intercept_se;
    }
    if (r->k < 10)
        r->flags |= MSYN_BIAS_FEW_STUDIES;
}

MSYN_API msyn_status msyn_bias_regtest_lm(const double *yi, const double *vi,
                                          const double *ni, size_t k,
                                          msyn_bias_predictor predictor,
                                          double level, msyn_regtest *r)
{
    msyn_status rc;
    wls f;
    if (!r)
        return MSYN_EINVAL;
    regtest_clear(r, predictor);
    if (!(level > 0.0 && level < 1.0))
        return MSYN_EINVAL;
    if ((rc = check_rows(yi, vi, ni, k, predictor, &r->k)) != MSYN_OK)
        return rc;
    if ((rc = wls_fit(yi, vi, ni, k, predictor, 0.0, &f)) != MSYN_OK)
        return rc;
    r->model_rma = 0;
    r->test = MSYN_TEST_T;
    r->sigma2 = f.rss / (double)(r->k - 2);
    regtest_finish(r, &f, r->sigma2, (double)(r->k - 2), level, NULL);
    return MSYN_OK;
}

MSYN_API msyn_status msyn_bias_tau2_builtin(void *ud, const double *yi,
                                            const double *vi, const double *xi,
                                            size_t k, const msyn_pool_opts *o,
                                            double *tau2)
{
    msyn_reg_opts ro;
    msyn_reg_fit f;
    msyn_pool_opts po;
    msyn_status rc;
    double *X;
    (void)ud;
    if (!yi || !vi || !xi || !o || !tau2 || k < 3)
        return MSYN_EINVAL;
    if (!isnan(o->tau2_fixed)) {
        *tau2 = o->method == MSYN_METHOD_EE ? 0.0 : o->tau2_fixed;
        return MSYN_OK;
    }
    if (o->method == MSYN_METHOD_EE) {
        *tau2 = 0.0;
        return MSYN_OK;
    }
    /* The residual tau^2 of yi ~ 1 + xi from the meta-regression engine,
     * for DerSimonian-Laird too: its tr(P) = sum w (1 - h) there does not
     * cancel when one study's leverage is near 1, as the closed form
     * sum w - sum w^2/sum w - sum w^2 (x - xbar)^2 / Sxx did. */
    X = msyn__alloc(o->alloc, 2 * k, sizeof *X);
    if (!X)
        return MSYN_ENOMEM;
    for (size_t i = 0; i < k; i++) {
        X[2 * i] = 1.0;
        X[2 * i + 1] = xi[i];
    }
    msyn_reg_opts_default(&ro);
    ro.r2 = 0;
    po = *o;
    po.tau2_ci = 0; /* only tau^2 is wanted: no Q-profile CI */
    memset(&f, 0, sizeof f);
    rc = msyn_reg(yi, vi, X, k, 2, &ro, &po, NULL, &f);
    msyn__free(o->alloc, X);
    if (rc == MSYN_OK)
        *tau2 = f.tau2;
    return rc;
}

/* The used rows, compacted, with the predictor: for the tau^2 callback. */
static msyn_status callback_tau2(const double *yi, const double *vi,
                                 const double *ni, size_t k,
                                 msyn_bias_predictor p, size_t n,
                                 const msyn_pool_opts *o, msyn_bias_tau2_fn fn,
                                 void *ud, double *tau2)
{
    double *buf = msyn__alloc(o->alloc, 3 * n, sizeof *buf);
    size_t j = 0;
    msyn_status rc;
    if (!buf)
        return MSYN_ENOMEM;
    for (size_t i = 0; i < k; i++) {
        if (!row_used(yi, vi, ni, p, i))
            continue;
        buf[j] = yi[i];
        buf[n + j] = vi[i];
        buf[2 * n + j] = predictor_value(p, vi[i], ni ? ni[i] : MSYN_NAN);
        j++;
    }
    rc = fn(ud, buf, buf + n, buf + 2 * n, n, o, tau2);
    msyn__free(o->alloc, buf);
    if (rc == MSYN_OK && !(*tau2 >= 0.0 && isfinite(*tau2)))
        rc = MSYN_EINVAL;
    return rc;
}

MSYN_API msyn_status msyn_bias_regtest_rma(const double *yi, const double *vi,
                                           const double *ni, size_t k,
                                           msyn_bias_predictor predictor,
                                           const msyn_pool_opts *o,
                                           msyn_bias_tau2_fn fn, void *ud,
                                           msyn_regtest *r)
{
    msyn_pool_opts def;
    msyn_status rc;
    double tau2, df = MSYN_NAN, s2 = 1.0;
    wls f;
    if (!r)
        return MSYN_EINVAL;
    regtest_clear(r, predictor);
    if (!o) {
        msyn_pool_opts_default(&def);
        o = &def;
    }
    if ((rc = msyn__pool_opts_check(o)) != MSYN_OK)
        return rc;
    if (o->method == MSYN_METHOD_MH || o->method == MSYN_METHOD_PETO)
        return MSYN_EMEASURE;
    if ((rc = check_rows(yi, vi, ni, k, predictor, &r->k)) != MSYN_OK)
        return rc;
    /* metafor checks the rank before fitting: so do we. */
    if ((rc = wls_fit(yi, vi, ni, k, predictor, 0.0, &f)) != MSYN_OK)
        return rc;
    rc = callback_tau2(yi, vi, ni, k, predictor, r->k, o,
                       fn ? fn : msyn_bias_tau2_builtin, ud, &tau2);
    if (rc != MSYN_OK)
        return rc;
    if ((rc = wls_fit(yi, vi, ni, k, predictor, tau2, &f)) != MSYN_OK)
        return rc;
    r->model_rma = 1;
    r->test = o->test;
    r->tau2 = tau2;
    if (o->test != MSYN_TEST_Z) {
        df = (double)(r->k - 2);
        if (o->test == MSYN_TEST_KNHA || o->test == MSYN_TEST_ADHOC) {
            s2 = f.rss <= DBL_EPSILON ? 0.0 : f.rss / df;
            if (o->test == MSYN_TEST_ADHOC && s2 < 1.0)
                s2 = 1.0;
        }
    }
    r->s2w = s2;
    regtest_finish(r, &f, s2, df, o->level, o->cache);
    return MSYN_OK;
}

/* ---- fail-safe N ----------------------------------------------------- */

/* metafor: a value within sqrt(eps) of an integer is rounded, any other
 * is rounded up. */
static double fsn_round(double x)
{
    if (!isinf(x) && fabs(x - nearbyint(x)) >= sqrt(DBL_EPSILON))
        return ceil(x);
    return nearbyint(x);
}

static double sgn(double x) { return (x > 0) - (x < 0); }

MSYN_API msyn_status msyn_bias_fsn(const double *yi, const double *vi,
                                   size_t k, msyn_fsn_type type, double alpha,
                                   double target, int weighted, msyn_fsn *r)
{
    int need_v = type != MSYN_FSN_ORWIN || weighted;
    ksum sz = {0, 0}, sw = {0, 0}, swy = {0, 0}, sy = {0, 0};
    double n = 0, nan_ = MSYN_NAN;
    if (!r)
        return MSYN_EINVAL;
    memset(r, 0, sizeof *r);
    r->type = type;
    r->alpha = alpha;
    r->fsnum = r->pval = r->meanes = r->target = nan_;
    if ((unsigned)type > MSYN_FSN_ROSENBERG || !(alpha > 0.0 && alpha < 1.0) ||
        (k > 0 && (!yi || (need_v && !vi))) || isinf(target))
        return MSYN_EINVAL;
    for (size_t i = 0; i < k; i++) {
        double w;
        if (isnan(yi[i]) || (need_v && isnan(vi[i])))
            continue;
        if (isinf(yi[i]) || (need_v && !(vi[i] > 0.0 && isfinite(vi[i]))))
            return MSYN_EDATA;
        w = need_v ? 1.0 / vi[i] : 1.0;
        if (need_v)
            ksum_add(&sz, yi[i] / sqrt(vi[i]));
        ksum_add(&sw, w);
        ksum_add(&swy, w * yi[i]);
        ksum_add(&sy, yi[i]);
        n++;
    }
    r->k = (size_t)n;
    if (n < 1)
        return MSYN_ETOOFEW;
    if (type == MSYN_FSN_ROSENTHAL) {
        /* Rosenthal 1979: N = k (z_avg / z_alpha)^2 - k, z_avg = |sum z|/sqrt k */
        double zavg = fabs(ksum_get(&sz) / sqrt(n));
        double za = msyn__quantile(NULL, QK_NORM_UPPER, alpha, nan_);
        r->pval = msyn_pval_z(zavg) / 2.0;
        r->fsnum = fmax(0.0, n * (zavg / za) * (zavg / za) - n);
    } else if (type == MSYN_FSN_ORWIN) {
        /* Orwin 1983: N = k (mean - target) / target */
        r->meanes = weighted ? ksum_get(&swy) / ksum_get(&sw) : ksum_get(&sy) / n;
        r->target = isnan(target) ? r->meanes / 2.0 : target;
        if (r->target == 0.0) {
            r->fsnum = INFINITY;
            r->flags |= MSYN_BIAS_FSN_INF;
        } else {
            if (sgn(r->target) != sgn(r->meanes))
                r->target = -r->target;
            r->fsnum = fmax(0.0, n * (r->meanes - r->target) / r->target);
        }
    } else {
        /* Rosenberg 2005: N = k ((sum w y / z_{alpha/2})^2 - sum w) / sum w */
        double s = ksum_get(&sw), z2 = msyn__quantile(NULL, QK_NORM_UPPER, alpha / 2.0, nan_);
        double wp = (ksum_get(&swy) / z2) * (ksum_get(&swy) / z2) - s;
        r->meanes = ksum_get(&swy) / s;
        r->pval = msyn_pval_z(r->meanes / sqrt(1.0 / s));
        r->fsnum = fmax(0.0, n * wp / s);
    }
    r->fsnum = fsn_round(r->fsnum);
    if (r->k < 10)
        r->flags |= MSYN_BIAS_FEW_STUDIES;
    return MSYN_OK;
}
