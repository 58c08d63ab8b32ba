/*
 * tau2.c - between-study variance estimators for intercept-only models.
 *
 * DL, HE, HS and SJ are closed forms.  ML and REML solve the likelihood
 * equation to full double precision by bracketed Newton steps, starting
 * where metafor's Fisher scoring starts and taking its step wherever Newton
 * is not safe; PM and EB (the same estimating equation, y'Py = k - 1) and
 * the Q-profile bounds solve Q(tau2) = target by bracketed Halley steps on
 * the convex, decreasing generalised Q, with GSL's Brent as the fallback.
 * Everything is O(k) per evaluation and needs no memory beyond the
 * caller's arrays: for an intercept-only model every matrix expression of
 * metafor reduces to a handful of weighted sums (re_sums).
 * docs/METHODS.md section 3.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "internal.h"

/* All sums work with y - y[0]: the weighted mean is then exact when all
 * effects are equal (Q = 0 exactly, as metafor's centring gives), and
 * large effects with small differences keep their digits.
 *
 * Summation: plain sums within blocks of SUM_BLOCK terms, then a sum of the
 * block sums, so the rounding error grows like (SUM_BLOCK + k/SUM_BLOCK)
 * eps rather than k eps.  Every sum here but two has positive terms and so
 * no cancellation; the two signed ones (sum w (y - y0) and sum w^2 e) only
 * move the weighted mean by about eps times the spread of y, or enter the
 * Newton derivative.  Compensated (Neumaier) sums, which cost a branch and
 * four operations per term in these hot loops, would buy nothing more.
 * Weights are kept from the first pass when they fit on the stack. */
#define WBUF 64
#define SUM_BLOCK 256

void msyn__re_sums(const double *y, const double *v, size_t k, double tau2,
                   int want_log, re_sums *s)
{
    double wb[WBUF];
    double sw = 0, sw2 = 0, sw3 = 0, swy = 0, slog = 0, cross = 0;
    double rss = 0, rss2 = 0, rss3 = 0, sw2e = 0;
    double y0 = y[0], d;
    int keep = k <= WBUF;
    for (size_t b = 0; b < k; b += SUM_BLOCK) {
        size_t end = b + SUM_BLOCK < k ? b + SUM_BLOCK : k;
        double a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0;
        for (size_t i = b; i < end; i++) {
            double w = 1.0 / (v[i] + tau2), w2 = w * w;
            if (keep)
                wb[i] = w;
            a6 += w * (sw + a1); /* w_i times the weights before it */
            a1 += w;
            a2 += w2;
            a3 += w2 * w;
            a4 += w * (y[i] - y0);
            if (want_log)
                a5 += log(v[i] + tau2);
        }
        sw += a1, sw2 += a2, sw3 += a3, swy += a4, slog += a5, cross += a6;
    }
    s->sw = sw;
    s->trP = 2.0 * cross / sw;
    s->sw2 = sw2;
    s->sw3 = sw3;
    d = swy / sw;
    s->mu = y0 + d;
    for (size_t b = 0; b < k; b += SUM_BLOCK) {
        size_t end = b + SUM_BLOCK < k ? b + SUM_BLOCK : k;
        double a1 = 0, a2 = 0, a3 = 0, a4 = 0;
        for (size_t i = b; i < end; i++) {
            double w = keep ? wb[i] : 1.0 / (v[i] + tau2), e = (y[i] - y0) - d, we = w * e;
            a1 += we * e;
            a2 += we * we;
            a3 += we * we * w;
            a4 += we * w;
        }
        rss += a1, rss2 += a2, rss3 += a3, sw2e += a4;
    }
    s->rss = rss;
    s->rss2 = rss2;
    s->rss3 = rss3 - sw2e * sw2e / sw;
    s->slog = want_log ? slog : MSYN_NAN;
}

/* Generalised Q at tau2 with its first two derivatives: Q' = -y'PPy,
 * Q'' = 2 y'PPPy (d2 may be NULL). */
static double qgen_d(const double *y, const double *v, size_t k, double tau2,
                     double *d1, double *d2)
{
    re_sums s;
    msyn__re_sums(y, v, k, tau2, 0, &s);
    if (d1)
        *d1 = -s.rss2;
    if (d2)
        *d2 = 2.0 * s.rss3;
    return s.rss;
}

double msyn__qgen(const double *y, const double *v, size_t k, double tau2)
{
    /* Q alone: one pass of sums of positive terms after the mean */
    double wb[WBUF], sw = 0, swy = 0, rss = 0, y0 = y[0], d;
    int keep = k <= WBUF;
    for (size_t b = 0; b < k; b += SUM_BLOCK) {
        size_t end = b + SUM_BLOCK < k ? b + SUM_BLOCK : k;
        double a1 = 0, a2 = 0;
        for (size_t i = b; i < end; i++) {
            double w = 1.0 / (v[i] + tau2);
            if (keep)
                wb[i] = w;
            a1 += w;
            a2 += w * (y[i] - y0);
        }
        sw += a1, swy += a2;
    }
    d = swy / sw;
    for (size_t b = 0; b < k; b += SUM_BLOCK) {
        size_t end = b + SUM_BLOCK < k ? b + SUM_BLOCK : k;
        double a1 = 0;
        for (size_t i = b; i < end; i++) {
            double e = (y[i] - y0) - d;
            a1 += (keep ? wb[i] : 1.0 / (v[i] + tau2)) * e * e;
        }
        rss += a1;
    }
    return rss;
}

static double min_v(const double *v, size_t k)
{
    double m = v[0];
    for (size_t i = 1; i < k; i++)
        if (v[i] < m)
            m = v[i];
    return m;
}

static double mean_v(const double *v, size_t k)
{
    double m = 0;
    for (size_t i = 0; i < k; i++)
        m += v[i];
    return m / (double)k;
}

/* Unweighted mean and sum of squares about it. */
static void mean_ss(const double *y, size_t k, double *mean, double *ss)
{
    ksum s = {0, 0}, q = {0, 0};
    double m;
    for (size_t i = 0; i < k; i++)
        ksum_add(&s, y[i]);
    m = ksum_get(&s) / (double)k;
    for (size_t i = 0; i < k; i++)
        ksum_add(&q, (y[i] - m) * (y[i] - m));
    *mean = m;
    *ss = ksum_get(&q);
}

/* Hedges' estimate before truncation: s_y^2 - mean(v). */
static double he_raw(const double *y, const double *v, size_t k)
{
    double mean, ss;
    mean_ss(y, k, &mean, &ss);
    return ss / (double)(k - 1) - mean_v(v, k);
}

double msyn__qgen_upper(const double *y, const double *v, size_t k,
                        double target)
{
    double mean, ss, vmin = min_v(v, k), t;
    mean_ss(y, k, &mean, &ss);
    /* qgen(t) <= ss/(t + vmin) because the weighted mean minimises the
     * weighted sum of squares; so qgen(t) <= target once t >= ss/target -
     * vmin.  The factor 2 keeps the bound strict under rounding. */
    t = 2.0 * (ss / target - vmin);
    return t > 0 ? t : 0.0;
}

struct qgen_ctx {
    const double *y, *v;
    size_t k;
    double target;
};

static double qgen_f(double tau2, void *p)
{
    const struct qgen_ctx *c = p;
    return msyn__qgen(c->y, c->v, c->k, tau2) - c->target;
}

/* GSL's Brent (Brent 1973, ch. 4) on [lo, hi]: the fallback of the
 * Newton iteration below.  The caller has checked that [lo, hi] brackets
 * the root, so GSL's error handler is never reached except on allocation
 * failure, reported as -1. */
static int qgen_brent(const double *y, const double *v, size_t k, double target,
                      double lo, double hi, double *root)
{
    struct qgen_ctx ctx = {y, v, k, target};
    gsl_function F = {qgen_f, &ctx};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    int iter = 0, status;
    if (!s)
        return -1;
    if (gsl_root_fsolver_set(s, &F, lo, hi) != GSL_SUCCESS) {
        gsl_root_fsolver_free(s);
        return -1;
    }
    do {
        iter++;
        status = gsl_root_fsolver_iterate(s);
        if (status != GSL_SUCCESS)
            break;
        lo = gsl_root_fsolver_x_lower(s);
        hi = gsl_root_fsolver_x_upper(s);
        status = gsl_root_test_interval(lo, hi, 1e-300, 4.0 * DBL_EPSILON);
    } while (status == GSL_CONTINUE && iter < 500);
    *root = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    return status == GSL_SUCCESS ? iter : -1;
}

int msyn__qgen_root(const double *y, const double *v, size_t k, double target,
                    double lo, double hi, double *root)
{
    /* Q(t) = y'P(t)y is decreasing (Q' = -y'PPy) and convex
     * (Q'' = 2 y'PPPy >= 0), with both derivatives from the same pass over
     * the data.  Halley's iteration from the left end, where
     * Q(lo) >= target, converges cubically: about 3-4 passes instead of
     * Brent's 12.  GSL's bracketing solvers take no derivatives, hence this
     * iteration; it keeps the bracket and bisects if an iterate ever
     * leaves it. */
    double t = lo, vmin = min_v(v, k), prev = INFINITY;
    for (int it = 1; it <= 100; it++) {
        double d1, d2, f = qgen_d(y, v, k, t, &d1, &d2) - target, tn, step, den;
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
        /* done when the step is at the rounding level of the weights
         * 1/(v + t), or stops shrinking there */
        if (step <= 4.0 * DBL_EPSILON * (t + vmin) ||
            (step <= 1e-12 * (t + vmin) && step >= prev)) {
            *root = t;
            return it;
        }
        prev = step;
    }
    return qgen_brent(y, v, k, target, lo, hi, root);
}

/* ---- traces of P = W - w w'/sum(w) ---------------------------------- */

/* For weights w_i = 1/(v_i + t) (unit weights when unit is set) and
 * V = diag(v): tr(P), tr(PV), tr(PVPV), tr(PVP) and tr(PP).  With
 * P_ii = w_i R_i / S1 and P_ij = -w_i w_j / S1 (i != j), where S1 = sum w
 * and R_i = sum_{j != i} w_j, every trace is a sum of non-negative terms:
 *   tr(P)    = sum_i w_i R_i / S1
 *   tr(PV)   = sum_i v_i w_i R_i / S1
 *   tr(PP)   = sum_i w_i^2 (R_i^2 + Q_i) / S1^2,     Q_i = sum_{j != i} w_j^2
 *   tr(PVP)  = sum_i v_i w_i^2 (R_i^2 + Q_i) / S1^2
 *   tr(PVPV) = sum_i v_i w_i^2 (v_i R_i^2 + A_i) / S1^2,
 *                                                  A_i = sum_{j != i} v_j w_j^2.
 * The textbook forms (S1 - S2/S1, S2 - 2 S3/S1 + S2^2/S1^2, ...) cancel to
 * noise when one study's weight dominates (tests/stress: vi from 1e-12 to
 * 1e6).  The sums "without i" are formed as total minus term, which is
 * exact to a few ulps for every i except the one whose term is the
 * largest (the total is then at least twice the rest); for that one the
 * sum is taken directly. */
typedef struct p_traces {
    double trP, trPV, trPVPV, trPVP, trPP;
} p_traces;

static void traces(const double *v, size_t k, double t, int unit, p_traces *o)
{
    ksum s1 = {0, 0}, s2 = {0, 0}, sa = {0, 0};
    ksum rm = {0, 0}, qm = {0, 0}, am = {0, 0};
    ksum tp = {0, 0}, tpv = {0, 0}, tpp = {0, 0}, tpvp = {0, 0}, tpvpv = {0, 0};
    size_t m = 0, ma = 0;
    double wb[WBUF], wmax = -1.0, amax = -1.0, S1, S2, SA;
    int keep = !unit && k <= WBUF; /* weights kept from the first pass */
#define TR_W(i) (unit ? 1.0 : keep ? wb[i] : 1.0 / (v[i] + t))
    for (size_t i = 0; i < k; i++) {
        double w = unit ? 1.0 : 1.0 / (v[i] + t), a = v[i] * w * w;
        if (keep)
            wb[i] = w;
        ksum_add(&s1, w);
        ksum_add(&s2, w * w);
        ksum_add(&sa, a);
        if (w > wmax)
            wmax = w, m = i;
        if (a > amax)
            amax = a, ma = i;
    }
    S1 = ksum_get(&s1);
    S2 = ksum_get(&s2);
    SA = ksum_get(&sa);
    for (size_t i = 0; i < k; i++) {
        double w = TR_W(i), w2 = w * w;
        if (i != m) {
            ksum_add(&rm, w);
            ksum_add(&qm, w2);
        }
        if (i != ma)
            ksum_add(&am, v[i] * w2);
    }
    for (size_t i = 0; i < k; i++) {
        double w = TR_W(i), w2 = w * w, vi = v[i];
        double R = i == m ? ksum_get(&rm) : S1 - w;
        double Q = i == m ? ksum_get(&qm) : S2 - w2;
        double A = i == ma ? ksum_get(&am) : SA - vi * w2;
        double RQ = w2 * (R * R + Q);
        ksum_add(&tp, w * R);
        ksum_add(&tpv, vi * w * R);
        ksum_add(&tpp, RQ);
        ksum_add(&tpvp, vi * RQ);
        ksum_add(&tpvpv, vi * w2 * (vi * R * R + A));
    }
    o->trP = ksum_get(&tp) / S1;
    o->trPV = ksum_get(&tpv) / S1;
    o->trPP = ksum_get(&tpp) / (S1 * S1);
    o->trPVP = ksum_get(&tpvp) / (S1 * S1);
    o->trPVPV = ksum_get(&tpvpv) / (S1 * S1);
#undef TR_W
}

static double trunc0(double x) { return x > 0 ? x : 0.0; }

/* ---- closed forms ---------------------------------------------------- */

static void tau2_dl(const double *y, const double *v, size_t k, tau2_result *r)
{
    /* DerSimonian & Laird 1986: (Q - (k-1)) / (sum w - sum w^2/sum w). */
    re_sums s;
    p_traces tr;
    double df = (double)(k - 1);
    msyn__re_sums(y, v, k, 0.0, 0, &s);
    traces(v, k, 0.0, 0, &tr);
    r->raw = (s.rss - df) / tr.trP;
    r->tau2 = trunc0(r->raw);
    r->se = sqrt(2.0 * df + 4.0 * r->tau2 * tr.trP + 2.0 * r->tau2 * r->tau2 * tr.trPP) / tr.trP;
}

static void tau2_he(const double *y, const double *v, size_t k, tau2_result *r)
{
    /* Hedges 1983: s_y^2 - mean(v), the unweighted method of moments. */
    double df = (double)(k - 1);
    p_traces tr;
    traces(v, k, 0.0, 1, &tr);
    r->raw = he_raw(y, v, k);
    r->tau2 = trunc0(r->raw);
    r->se = sqrt(2.0 * tr.trPVPV + 4.0 * r->tau2 * tr.trPV + 2.0 * r->tau2 * r->tau2 * df) / df;
}

static void tau2_hs(const double *y, const double *v, size_t k, tau2_result *r)
{
    /* Hunter & Schmidt 2004: (Q - k) / sum w. */
    re_sums s;
    p_traces tr;
    msyn__re_sums(y, v, k, 0.0, 0, &s);
    traces(v, k, 0.0, 0, &tr);
    r->raw = (s.rss - (double)k) / s.sw;
    r->tau2 = trunc0(r->raw);
    r->se = sqrt(2.0 * (double)(k - 1) + 4.0 * r->tau2 * tr.trP +
                 2.0 * r->tau2 * r->tau2 * tr.trPP) / s.sw;
}

static void tau2_sj(const double *y, const double *v, size_t k, tau2_result *r)
{
    /* Sidik & Jonkman 2005: t0 = sum (y - ybar)^2 / k, then
     * t0 y'P(W0)y / (k - 1) with W0 = diag(1/(v + t0)).  Never negative. */
    double mean, ss, t0, df = (double)(k - 1);
    re_sums s;
    p_traces tr;
    mean_ss(y, k, &mean, &ss);
    t0 = ss / (double)k;
    msyn__re_sums(y, v, k, t0, 0, &s);
    traces(v, k, t0, 0, &tr);
    r->raw = r->tau2 = t0 * s.rss / df;
    r->se = t0 / df * sqrt(2.0 * tr.trPVPV + 4.0 * r->tau2 * tr.trPVP +
                           2.0 * r->tau2 * r->tau2 * tr.trPP);
}

/* ---- iterative ------------------------------------------------------- */

/* Log-likelihood (ML) or restricted log-likelihood (REML) at tau2, as
 * metafor writes it (REMLf = TRUE). */
static double loglik(msyn_method m, const double *y, const double *v, size_t k,
                     double tau2)
{
    re_sums s;
    double kk = (double)k, l2pi = MSYN_LN_2PI;
    msyn__re_sums(y, v, k, tau2, 1, &s);
    if (m == MSYN_METHOD_ML)
        return -0.5 * kk * l2pi - 0.5 * s.slog - 0.5 * s.rss;
    return -0.5 * (kk - 1.0) * l2pi + 0.5 * log(kk) - 0.5 * s.slog -
           0.5 * log(s.sw) - 0.5 * s.rss;
}

/* The (restricted) likelihood equation for ML and REML, solved to full
 * precision.  With s(t) = y'PPy - tr(P) (REML) or y'PPy - sum w (ML),
 * proportional to the score, and s'(t) = -2 y'PPPy + tr(PP) (REML) or
 * -2 y'PPPy + sum w^2 (ML):
 *   - start where metafor does, at max(0, HE);
 *   - remember the largest t seen with s > 0 (lo) and the smallest with
 *     s < 0 (hi): a maximum lies between them;
 *   - take the Newton step where the likelihood is concave (s' < 0) and the
 *     step lands inside (lo, hi); otherwise metafor's Fisher-scoring step
 *     s/I (I = tr(PP) or sum w^2), which always moves uphill without
 *     Newton's overshoot; a step that leaves the bracket bisects it.  So
 *     the iteration cannot oscillate, as plain Fisher scoring does on some
 *     data (metafor then stops without converging), and it ends with
 *     Newton's quadratic convergence;
 *   - a Fisher step below 0 tests t = 0, and s(0) <= 0 there is the
 *     boundary maximum (where metafor's step halving ends).
 * Typically 4-8 passes over the data.  docs/METHODS.md section 3.1. */
void msyn__mlstep_init(msyn__mlstate *s, double vmin)
{
    s->lo = 0.0;
    s->hi = INFINITY;
    s->prev = INFINITY;
    s->vmin = vmin;
    s->have_lo = 0;
}

int msyn__mlstep(msyn__mlstate *s, double *t, double sc, double ds, double info, int *boundary)
{
    double tn = MSYN_NAN, step;
    *boundary = 0;
    if (sc == 0.0)
        return 1;
    if (*t == 0.0 && sc < 0.0) { /* maximum at the boundary */
        *boundary = 1;
        return 1;
    }
    if (sc > 0) {
        s->lo = *t;
        s->have_lo = 1;
    } else {
        s->hi = *t;
    }
    if (ds < 0) {
        double nt = *t - sc / ds;
        if (nt > s->lo && nt < s->hi && (s->have_lo || nt > 0.0))
            tn = nt;
    }
    if (isnan(tn)) {
        double ft = *t + sc / info;
        if (ft < 0.0)
            tn = s->have_lo ? 0.5 * (s->lo + *t) : 0.0;
        else if (ft > s->lo && ft < s->hi)
            tn = ft;
        else if (isinf(s->hi))
            /* no upper bracket yet: widen instead of "bisecting" to
             * infinity (which the test below once took for convergence) */
            tn = 2.0 * fmax(*t, fmax(s->lo, s->vmin));
        else
            tn = 0.5 * (s->lo + s->hi);
    }
    if (!isfinite(tn))
        return -1; /* the caller reports non-convergence (and falls back) */
    step = fabs(tn - *t);
    *t = tn;
    if (step <= 4.0 * DBL_EPSILON * (tn + s->vmin) ||
        (step <= 1e-12 * (tn + s->vmin) && step >= s->prev))
        return 1;
    s->prev = step;
    return 0;
}

static msyn_status tau2_ml_reml(msyn_method m, const double *y, const double *v,
                                size_t k, int max_iter, tau2_result *r)
{
    double t = trunc0(he_raw(y, v, k));
    int it, reml = m == MSYN_METHOD_REML, boundary, step;
    msyn__mlstate st;
    msyn__mlstep_init(&st, min_v(v, k));
    r->converged = 0;
    r->raw = 0.0;
    for (it = 1; it <= max_iter; it++) {
        re_sums s;
        double sc, ds, info;
        msyn__re_sums(y, v, k, t, 0, &s);
        info = reml ? s.sw2 - 2.0 * s.sw3 / s.sw + s.sw2 * s.sw2 / (s.sw * s.sw) : s.sw2;
        sc = reml ? s.rss2 - s.trP : s.rss2 - s.sw;
        ds = -2.0 * s.rss3 + info;
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
    if (!r->converged)
        return MSYN_ENOCONV;
    return MSYN_OK;
}

/* metafor's ll0check: if the likelihood at 0 beats the one at the estimate
 * by more than 2^-13 and tau2 > 1e-5, the algorithm stopped at a local
 * maximum: use 0. */
static void ll0check(msyn_method m, const double *y, const double *v, size_t k,
                     tau2_result *r)
{
    if (r->tau2 > 1e-5 &&
        loglik(m, y, v, k, 0.0) - loglik(m, y, v, k, r->tau2) > 1.220703125e-4) {
        r->tau2 = 0.0;
        r->ll0_reset = 1;
    }
}

static msyn_status tau2_pm(const double *y, const double *v, size_t k,
                           tau2_result *r)
{
    /* Paule & Mandel 1982 (and Morris's EB, whose fixed point is the same
     * equation): the root of y'P(W(tau2))y = k - 1, exact to full
     * precision; 0 if the generalised Q at 0 is already below k - 1. */
    double target = (double)(k - 1), root;
    int it;
    if (msyn__qgen(y, v, k, 0.0) <= target) {
        r->tau2 = 0.0;
        r->raw = msyn__qgen(y, v, k, 0.0) < target ? -1.0 : 0.0;
        r->iterations = 0;
        r->converged = 1;
        return MSYN_OK;
    }
    it = msyn__qgen_root(y, v, k, target, 0.0, msyn__qgen_upper(y, v, k, target), &root);
    if (it < 0) {
        r->converged = 0;
        return MSYN_ENOCONV;
    }
    r->tau2 = r->raw = root;
    r->iterations = it;
    r->converged = 1;
    return MSYN_OK;
}

msyn_status msyn__tau2(msyn_method m, const double *y, const double *v,
                       size_t k, int max_iter, int ll0, tau2_result *r)
{
    msyn_status rc = MSYN_OK;
    r->tau2 = r->raw = r->se = MSYN_NAN;
    r->iterations = 0;
    r->converged = 1;
    r->ll0_reset = 0;
    switch (m) {
    case MSYN_METHOD_EE:
        r->tau2 = r->raw = 0.0;
        return MSYN_OK;
    case MSYN_METHOD_DL: tau2_dl(y, v, k, r); return MSYN_OK;
    case MSYN_METHOD_HE: tau2_he(y, v, k, r); return MSYN_OK;
    case MSYN_METHOD_HS: tau2_hs(y, v, k, r); return MSYN_OK;
    case MSYN_METHOD_SJ: tau2_sj(y, v, k, r); return MSYN_OK;
    case MSYN_METHOD_ML:
    case MSYN_METHOD_REML:
        rc = tau2_ml_reml(m, y, v, k, max_iter, r);
        if (rc == MSYN_OK && ll0)
            ll0check(m, y, v, k, r);
        if (rc == MSYN_OK) {
            /* the inverse Fisher information: 1/(sum w^2 / 2) for ML,
             * 1/(tr(PP) / 2) for REML */
            if (m == MSYN_METHOD_ML) {
                re_sums s;
                msyn__re_sums(y, v, k, r->tau2, 0, &s);
                r->se = sqrt(2.0 / s.sw2);
            } else {
                p_traces tr;
                traces(v, k, r->tau2, 0, &tr);
                r->se = sqrt(2.0 / tr.trPP);
            }
        }
        return rc;
    case MSYN_METHOD_EB:
    case MSYN_METHOD_PM:
        rc = tau2_pm(y, v, k, r);
        if (rc == MSYN_OK) {
            re_sums s;
            double kk = (double)k;
            msyn__re_sums(y, v, k, r->tau2, 0, &s);
            r->se = sqrt(2.0 * kk * kk / (kk - 1.0)) / s.sw;
        }
        return rc;
    default:
        return MSYN_EINVAL;
    }
}
