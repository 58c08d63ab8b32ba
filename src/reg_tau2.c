/*
 * reg_tau2.c - between-study variance estimators for meta-regression.
 *
 * The estimators of tau2.c generalised to a design X with p columns, as
 * metafor's rma.uni() computes them with mods: every sum of the
 * intercept-only case becomes a quadratic form or trace of
 *   P = W - W X (X'WX)^-1 X'W,  W = diag(1/(v + tau2)),
 * evaluated without any k x k matrix: with diag(sqrt w) X = Q R (thin Q,
 * k x p), P = S (I - QQ') S (S = diag(sqrt w)), so y'Py is the residual
 * sum of squares of a weighted least-squares fit, Py the scaled residual,
 * tr(P) = sum w (1 - h) with the leverages h, and every trace of a product
 * of two P-type matrices is sum_ij a_i b_j (I - QQ')_ij^2, which is
 * sum a b (1 - 2h) + tr(S_a S_b) with the p x p matrices S_a = Q'diag(a)Q.
 * O(k p^2) per evaluation.
 *
 * As metafor, tau^2 is estimated on the centred effects y - mean(y)
 * (identical results whenever the columns of X span the constant, i.e.
 * with an intercept or a full set of dummies).  ML and REML solve the
 * (restricted) likelihood equation to full precision by bracketed Newton
 * steps with metafor's Fisher-scoring step as the safe step (tau2.c's
 * approach); PM and EB solve y'Py = k - p by bracketed Halley steps.
 * docs/methods/reg.md.
 */
#include "internal.h"

static double trunc0(double x) { return x > 0 ? x : 0.0; }

/* Quantities of the model at tau2 on the centred y. */
typedef struct reg_eval {
    double rss;    /* y'Py                                              */
    double yPPy;   /* y'PPy                                             */
    double yPPPy;  /* y'PPPy                                            */
    double trP, trPP, sw, sw2;
} reg_eval;

/* Evaluate at t for the effects y (w->yc for the estimators, w->y for
 * the Q-profile CI, as metafor's confint); traces only when want_tr.  -1
 * on a singular decomposition. */
static int eval_y(msyn_reg_work *w, const double *y, double t, int want_tr, reg_eval *e)
{
    size_t k = w->k;
    double yPPy = 0, sw = 0, sw2 = 0;
    for (size_t i = 0; i < k; i++)
        w->w[i] = 1.0 / (w->v[i] + t);
    if (msyn__reg_qr(w, w->w, want_tr) < 0)
        return -1;
    for (size_t i = 0; i < k; i++)
        w->z[i] = w->s[i] * y[i];
    e->rss = msyn__reg_wls(w, w->z, w->r);
    /* Py = S r; y'PPy = |S r|^2; y'PPPy = |M W r|^2 (M = I - QQ') */
    for (size_t i = 0; i < k; i++) {
        double u = w->s[i] * w->r[i];
        yPPy += u * u;
        w->g[i] = w->w[i] * w->r[i];
        sw += w->w[i];
        sw2 += w->w[i] * w->w[i];
    }
    e->yPPy = yPPy;
    e->yPPPy = msyn__reg_wls(w, w->g, w->t1);
    e->sw = sw;
    e->sw2 = sw2;
    e->trP = e->trPP = MSYN_NAN;
    if (want_tr) {
        double trP = 0;
        for (size_t i = 0; i < k; i++)
            trP += w->w[i] * w->mh[i];
        e->trP = trP;
        e->trPP = msyn__reg_pairsum(w, w->w, w->w);
    }
    return 0;
}

static int eval_at(msyn_reg_work *w, double t, int want_tr, reg_eval *e)
{
    return eval_y(w, w->yc, t, want_tr, e);
}

static double min_v(const msyn_reg_work *w)
{
    double m = w->v[0];
    for (size_t i = 1; i < w->k; i++)
        if (w->v[i] < m)
            m = w->v[i];
    return m;
}

/* ---- closed forms ---------------------------------------------------- */

static msyn_status reg_dl_hs(msyn_method m, msyn_reg_work *w, tau2_result *r)
{
    /* DL: (QE - (k - p)) / tr(P); HS: (QE - k) / sum w; weights 1/v. */
    reg_eval e;
    double df = (double)(w->k - w->p), t, den;
    if (eval_at(w, 0.0, 1, &e) < 0)
        return MSYN_ENOTESTIMABLE;
    den = m == MSYN_METHOD_DL ? e.trP : e.sw;
    r->raw = (e.rss - (m == MSYN_METHOD_DL ? df : (double)w->k)) / den;
    r->tau2 = t = trunc0(r->raw);
    r->se = sqrt(2.0 * df + 4.0 * t * e.trP + 2.0 * t * t * e.trPP) / den;
    return MSYN_OK;
}

/* Hedges' estimate with mods before truncation: (y'My - tr(MV))/(k - p)
 * with the ordinary least-squares residual maker M; also its trace terms
 * (for the SE) and the OLS residual sum of squares. */
static int he_parts(msyn_reg_work *w, double *raw, double *trPV, double *trPVPV,
                    double *rss)
{
    double tr = 0;
    if (msyn__reg_qr(w, NULL, 1) < 0)
        return -1;
    *rss = msyn__reg_wls(w, w->yc, w->r);
    for (size_t i = 0; i < w->k; i++)
        tr += w->v[i] * w->mh[i];
    *trPV = tr;
    if (trPVPV)
        *trPVPV = msyn__reg_pairsum(w, w->v, w->v);
    *raw = (*rss - tr) / (double)(w->k - w->p);
    return 0;
}

static msyn_status reg_he(msyn_reg_work *w, tau2_result *r)
{
    double trPV, trPVPV, rss, df = (double)(w->k - w->p), t;
    if (he_parts(w, &r->raw, &trPV, &trPVPV, &rss) < 0)
        return MSYN_ENOTESTIMABLE;
    r->tau2 = t = trunc0(r->raw);
    r->se = sqrt(2.0 * trPVPV + 4.0 * t * trPV + 2.0 * t * t * df) / df;
    return MSYN_OK;
}

static msyn_status reg_sj(msyn_reg_work *w, tau2_result *r)
{
    /* Sidik & Jonkman 2005: t0 = sum (y - ybar)^2 / k (the intercept-only
     * variance, as metafor), then t0 y'P(t0)y / (k - p). */
    size_t k = w->k;
    double t0 = 0, df = (double)(k - w->p), t, trPVPV, trPVP;
    reg_eval e;
    for (size_t i = 0; i < k; i++)
        t0 += w->yc[i] * w->yc[i];
    t0 /= (double)k;
    if (eval_at(w, t0, 1, &e) < 0)
        return MSYN_ENOTESTIMABLE;
    r->raw = r->tau2 = t = t0 * e.rss / df;
    for (size_t i = 0; i < k; i++)
        w->t2[i] = w->w[i] * w->v[i];
    trPVPV = msyn__reg_pairsum(w, w->t2, w->t2);
    trPVP = msyn__reg_pairsum(w, w->w, w->t2);
    r->se = t0 / df * sqrt(2.0 * trPVPV + 4.0 * t * trPVP + 2.0 * t * t * e.trPP);
    return MSYN_OK;
}

/* ---- iterative ------------------------------------------------------- */

/* Log-likelihood (ML) or restricted log-likelihood (REML, without the
 * constant log det X'X, as metafor's ll0check) at t, on the centred y. */
static int loglik(msyn_method m, msyn_reg_work *w, double t, double *ll)
{
    size_t k = w->k, p = w->p;
    double slog = 0, rss, logdet = 0;
    for (size_t i = 0; i < k; i++) {
        w->w[i] = 1.0 / (w->v[i] + t);
        slog += log(w->v[i] + t);
    }
    if (msyn__reg_qr(w, w->w, 0) < 0)
        return -1;
    for (size_t i = 0; i < k; i++)
        w->z[i] = w->s[i] * w->yc[i];
    rss = msyn__reg_wls(w, w->z, w->r);
    for (size_t j = 0; j < p; j++)
        logdet += 2.0 * log(fabs(w->A[j * p + j]));
    if (m == MSYN_METHOD_ML)
        *ll = -0.5 * (double)k * MSYN_LN_2PI - 0.5 * slog - 0.5 * rss;
    else
        *ll = -0.5 * (double)(k - p) * MSYN_LN_2PI - 0.5 * slog - 0.5 * logdet - 0.5 * rss;
    return 0;
}

/* The (restricted) likelihood equation, as tau2.c's tau2_ml_reml(): score
 * s = y'PPy - tr(P) (REML) or y'PPy - sum w (ML), s' = -2 y'PPPy + tr(PP)
 * or + sum w^2; Newton inside the bracket where the likelihood is concave,
 * metafor's Fisher step s/I otherwise, bisection when a step leaves the
 * bracket; start at max(0, HE) as metafor. */
static msyn_status reg_ml_reml(msyn_method m, msyn_reg_work *w, int max_iter,
                               tau2_result *r)
{
    double t, trPV, rss, raw;
    int it, reml = m == MSYN_METHOD_REML, boundary, step;
    msyn__mlstate st;
    if (he_parts(w, &raw, &trPV, NULL, &rss) < 0)
        return MSYN_ENOTESTIMABLE;
    t = trunc0(raw);
    msyn__mlstep_init(&st, min_v(w));
    r->converged = 0;
    r->raw = 0.0;
    for (it = 1; it <= max_iter; it++) {
        reg_eval e;
        double sc, ds, info;
        if (eval_at(w, t, 1, &e) < 0)
            return MSYN_ENOTESTIMABLE;
        info = reml ? e.trPP : e.sw2;
        sc = reml ? e.yPPy - e.trP : e.yPPy - e.sw;
        ds = -2.0 * e.yPPPy + info;
        if (!isfinite(sc) || !isfinite(ds))
            break;
        step = msyn__mlstep(&st, &t, sc, ds, info, &boundary);
        if (step < 0)
            break;
        if (step) {
            if (boundary)
                r->raw = -1.0;
            r->converged = 1;
            break;
        }
    }
    r->iterations = it > max_iter ? max_iter : it;
    r->tau2 = t;
    return r->converged ? MSYN_OK : MSYN_ENOCONV;
}

/* metafor's ll0check (tol 2^-13 on the log-likelihood, threshold 1e-5 on
 * tau2). */
static int ll0check(msyn_method m, msyn_reg_work *w, tau2_result *r)
{
    double l0, l1;
    if (!(r->tau2 > 1e-5))
        return 0;
    if (loglik(m, w, 0.0, &l0) < 0 || loglik(m, w, r->tau2, &l1) < 0)
        return -1;
    if (l0 - l1 > 1.220703125e-4) {
        r->tau2 = 0.0;
        r->ll0_reset = 1;
    }
    return 0;
}

/* Root of y'P(t)y = target on [lo, hi] (Q(lo) >= target >= Q(hi)): Q is
 * decreasing and convex (Q' = -y'PPy, Q'' = 2 y'PPPy), so Halley's steps
 * from the left converge fast; a step out of the bracket bisects.
 * Returns the iterations, or -1 (singular decomposition, no convergence). */
static int qe_root(msyn_reg_work *w, const double *y, double target, double lo,
                   double hi, double *root)
{
    double t = lo, vmin = min_v(w), prev = INFINITY;
    for (int it = 1; it <= 200; it++) {
        reg_eval e;
        double f, d1, d2, den, tn, step;
        if (eval_y(w, y, t, 0, &e) < 0)
            return -1;
        f = e.rss - target;
        d1 = -e.yPPy;
        d2 = 2.0 * e.yPPPy;
        if (f == 0.0) {
            *root = t;
            return it;
        }
        if (f > 0)
            lo = t;
        else
            hi = t;
        den = 2.0 * d1 * d1 - f * d2;
        tn = d1 < 0 && den > 0 ? t - 2.0 * f * d1 / den : 0.5 * (lo + hi);
        if (!(tn > lo && tn < hi))
            tn = 0.5 * (lo + hi);
        step = fabs(tn - t);
        t = tn;
        if (step <= 4.0 * DBL_EPSILON * (t + vmin) ||
            (step <= 1e-12 * (t + vmin) && step >= prev)) {
            *root = t;
            return it;
        }
        prev = step;
    }
    return -1;
}

/* A tau2 where y'P(t)y <= target (> 0), in *hi: Q(t) <= RSS_ols / (t +
 * min v), RSS_ols the ordinary least-squares residual sum of squares of
 * y, so twice RSS_ols/target - min v is one; doubled while rounding says
 * otherwise.  -1 on a singular decomposition, 1 if none was found. */
static int qe_upper(msyn_reg_work *w, const double *y, double target, double *hi)
{
    reg_eval e;
    double rss;
    if (msyn__reg_qr(w, NULL, 0) < 0)
        return -1;
    rss = msyn__reg_wls(w, y, w->r);
    *hi = trunc0(2.0 * (rss / target - min_v(w)));
    for (int i = 0; i < 60; i++) {
        if (eval_y(w, y, *hi, 0, &e) < 0)
            return -1;
        if (e.rss <= target)
            return 0;
        *hi = 2.0 * *hi + 1.0;
    }
    return 1;
}

static msyn_status reg_pm(msyn_reg_work *w, tau2_result *r)
{
    /* Paule-Mandel and Morris's EB: y'P(tau2)y = k - p; 0 when Q(0) is
     * already at or below k - p. */
    double target = (double)(w->k - w->p), hi, root = 0;
    reg_eval e;
    int it, up;
    if (eval_at(w, 0.0, 0, &e) < 0)
        return MSYN_ENOTESTIMABLE;
    r->iterations = 0;
    if (e.rss <= target) {
        r->tau2 = 0.0;
        r->raw = e.rss < target ? -1.0 : 0.0;
        return MSYN_OK;
    }
    if ((up = qe_upper(w, w->yc, target, &hi)) < 0)
        return MSYN_ENOTESTIMABLE;
    if (up > 0 || (it = qe_root(w, w->yc, target, 0.0, hi, &root)) < 0) {
        r->converged = 0;
        return MSYN_ENOCONV;
    }
    r->tau2 = r->raw = root;
    r->iterations = it;
    return MSYN_OK;
}

msyn_status msyn__reg_tau2(msyn_method m, msyn_reg_work *w, int max_iter,
                           int ll0, tau2_result *r)
{
    msyn_status rc;
    reg_eval e;
    double k = (double)w->k, df = (double)(w->k - w->p);
    r->tau2 = r->raw = r->se = MSYN_NAN;
    r->iterations = 0;
    r->converged = 1;
    r->ll0_reset = 0;
    switch (m) {
    case MSYN_METHOD_EE:
        r->tau2 = r->raw = 0.0;
        return MSYN_OK;
    case MSYN_METHOD_DL:
    case MSYN_METHOD_HS: return reg_dl_hs(m, w, r);
    case MSYN_METHOD_HE: return reg_he(w, r);
    case MSYN_METHOD_SJ: return reg_sj(w, r);
    case MSYN_METHOD_ML:
    case MSYN_METHOD_REML:
        if ((rc = reg_ml_reml(m, w, max_iter, r)) != MSYN_OK)
            return rc;
        if (ll0 && ll0check(m, w, r) < 0)
            return MSYN_ENOTESTIMABLE;
        if (eval_at(w, r->tau2, 1, &e) < 0)
            return MSYN_ENOTESTIMABLE;
        r->se = m == MSYN_METHOD_ML ? sqrt(2.0 / e.sw2) : sqrt(2.0 / e.trPP);
        return MSYN_OK;
    case MSYN_METHOD_EB:
    case MSYN_METHOD_PM:
        if ((rc = reg_pm(w, r)) != MSYN_OK)
            return rc;
        if (eval_at(w, r->tau2, 0, &e) < 0)
            return MSYN_ENOTESTIMABLE;
        r->se = sqrt(2.0 * k * k / df) / e.sw;
        return MSYN_OK;
    default:
        return MSYN_EINVAL;
    }
}

/* Q-profile CI of the residual tau^2 (Viechtbauer 2007, as metafor's
 * confint.rma.uni type "QP"): the tau2 where Q(tau2) = y'P(tau2)y, on the
 * uncentred y as metafor, crosses chi^2_{k-p} quantiles; the upper bound
 * solves Q = chi^2_{alpha/2}, the lower Q = chi^2_{1-alpha/2}; a bound is
 * 0 when Q(0) is already below its quantile.  Exact roots (no upper limit
 * of the search as metafor's tau2.max).  het.c's qprofile() for models
 * without moderators. */
int msyn__reg_qprofile(msyn_reg_work *w, double level, msyn_cache *c, double tau2,
                       double *lb, double *ub)
{
    double df = (double)(w->k - w->p), a = (1.0 - level) / 2.0, hi;
    double crit_u = msyn__quantile(c, QK_CHISQ_UPPER, a, df);
    double crit_l = msyn__quantile(c, QK_CHISQ_LOWER, a, df);
    reg_eval e;
    double q0;
    int up;
    *lb = *ub = 0.0;
    if (eval_y(w, w->y, 0.0, 0, &e) < 0)
        return -1;
    q0 = e.rss;
    if (q0 < crit_l)
        return 1;
    if (q0 > crit_l) {
        /* the upper bound lies above any tau2 where Q is still above
         * crit_l, such as (usually) the estimate: start there */
        double start = 0.0;
        if (tau2 > 0) {
            if (eval_y(w, w->y, tau2, 0, &e) < 0)
                return -1;
            if (e.rss > crit_l)
                start = tau2;
        }
        if ((up = qe_upper(w, w->y, crit_l, &hi)) < 0)
            return -1;
        if (up > 0 || qe_root(w, w->y, crit_l, start, hi, ub) < 0)
            *ub = MSYN_NAN;
    }
    if (q0 > crit_u) {
        /* Q(ub) = crit_l < crit_u: the upper bound brackets the lower */
        if (isnan(*ub)) {
            if ((up = qe_upper(w, w->y, crit_u, &hi)) < 0)
                return -1;
        } else {
            up = 0;
            hi = *ub;
        }
        if (up > 0 || qe_root(w, w->y, crit_u, 0.0, hi, lb) < 0)
            *lb = MSYN_NAN;
    }
    return 0;
}
