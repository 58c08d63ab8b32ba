/*
 * influence.c - leave-one-out, cumulative meta-analysis, case-deletion
 * diagnostics and Baujat coordinates for intercept-only models.
 *
 * Every fit is msyn_pool()'s fit of the studies concerned, so every
 * estimator, test and option of the engine applies, with two savings: the
 * quantiles repeat from fit to fit and go through one msyn_cache, and when
 * the weights do not depend on the studies in the fit (common effect, or
 * tau^2 given) the fits are not redone at all: leave-one-out combines
 * weighted prefix and suffix moments (Chan, Golub & LeVeque's pairwise
 * update, all terms positive, no cancellation) and the cumulative analysis
 * adds one study at a time (West's weighted Welford update), O(1) per fit.
 * With tau^2 estimated each fit is a refit, O(k) each, O(k^2) in all.
 * Follows metafor 3.8's leave1out.rma.uni, cumul.rma.uni,
 * influence.rma.uni and baujat.rma; docs/methods/influence.md.
 */
#include <string.h>

#include "internal.h"
#include "influence_internal.h"

/* ---- data: the non-missing studies ------------------------------------ */

void infl__data_free(infl_data *d)
{
    msyn__free(d->alloc, d->y);
    msyn__free(d->alloc, d->idx);
    if (d->own_cache)
        msyn_cache_free(d->ro.cache);
    memset(d, 0, sizeof *d);
}

/* Check the inputs as msyn_pool() does, keep the non-missing studies
 * (y, v, and their positions idx), and set up the refit options: those of
 * the caller without the tau^2 CI and the prediction interval (no row
 * reports them) and with a quantile cache. */
msyn_status infl__data_init(const double *yi, const double *vi, size_t k,
                            const msyn_pool_opts *o, infl_data *d)
{
    msyn_status rc;
    size_t n = 0;
    memset(d, 0, sizeof *d);
    if (k > 0 && (!yi || !vi))
        return MSYN_EINVAL;
    if (o)
        d->ro = *o;
    else
        msyn_pool_opts_default(&d->ro);
    if ((rc = msyn__pool_opts_check(&d->ro)) != MSYN_OK)
        return rc;
    if (d->ro.method == MSYN_METHOD_MH || d->ro.method == MSYN_METHOD_PETO)
        return MSYN_EMEASURE;
    d->alloc = d->ro.alloc;
    for (size_t i = 0; i < k; i++) {
        if (isnan(yi[i]) || isnan(vi[i]))
            continue;
        if (!isfinite(yi[i]) || !isfinite(vi[i]) || !(vi[i] > 0.0))
            return MSYN_EDATA;
        n++;
    }
    d->k = k;
    d->n = n;
    if (n == 0)
        return MSYN_ETOOFEW;
    d->y = msyn__alloc(d->alloc, 2 * n, sizeof *d->y);
    d->idx = msyn__alloc(d->alloc, n, sizeof *d->idx);
    if (!d->y || !d->idx) {
        infl__data_free(d);
        return MSYN_ENOMEM;
    }
    d->v = d->y + n;
    n = 0;
    for (size_t i = 0; i < k; i++)
        if (!isnan(yi[i]) && !isnan(vi[i])) {
            d->y[n] = yi[i];
            d->v[n] = vi[i];
            d->idx[n++] = i;
        }
    d->ro.tau2_ci = 0;
    d->ro.pi = MSYN_PI_NONE;
    if (!d->ro.cache) {
        if (!(d->ro.cache = msyn_cache_new(d->alloc))) {
            infl__data_free(d);
            return MSYN_ENOMEM;
        }
        d->own_cache = 1;
    }
    d->fixed_w = d->ro.method == MSYN_METHOD_EE || !isnan(d->ro.tau2_fixed);
    d->tw = d->ro.method == MSYN_METHOD_EE ? 0.0 : d->ro.tau2_fixed;
    return MSYN_OK;
}

/* ---- weighted moments ------------------------------------------------- */

/* Sum of weights W, weighted mean m and weighted sum of squares about it
 * M2 of a set of studies. */
typedef struct mom {
    double W, m, M2;
} mom;

static void mom_add(mom *a, double x, double w)
{
    double W = a->W + w, d = x - a->m;
    a->m += d * (w / W);
    a->M2 += w * d * (x - a->m);
    a->W = W;
}

static mom mom_join(const mom *a, const mom *b)
{
    mom r;
    double d;
    if (a->W == 0.0)
        return *b;
    if (b->W == 0.0)
        return *a;
    r.W = a->W + b->W;
    d = b->m - a->m;
    r.m = a->W >= b->W ? a->m + d * (b->W / r.W) : b->m - d * (a->W / r.W);
    r.M2 = a->M2 + b->M2 + d * d * (a->W / r.W) * b->W;
    return r;
}

/* The moments of a fit with fixed weights: with weights 1/(v + tw)
 * (pooling), with weights 1/v (Q), and cross = sum_{i<j} w_i w_j with
 * w = 1/v, so that (sum w)^2 - sum w^2 = 2 cross, the denominator of the
 * typical variance, is a sum of positive terms (the difference of squares
 * cancels when one weight dominates; msyn__typical_v() does the same). */
typedef struct fmom {
    mom p, q;
    double cross;
} fmom;

static void fmom_add(fmom *a, double y, double v, double tw)
{
    double w0 = 1.0 / v;
    a->cross += w0 * a->q.W;
    mom_add(&a->p, y, 1.0 / (v + tw));
    mom_add(&a->q, y, w0);
}

static fmom fmom_join(const fmom *a, const fmom *b)
{
    fmom r;
    r.p = mom_join(&a->p, &b->p);
    r.q = mom_join(&a->q, &b->q);
    r.cross = a->cross + b->cross + a->q.W * b->q.W;
    return r;
}

/* A fit of n >= 2 studies from its moments, as msyn_pool() makes it with
 * the options o (common effect or tau^2 given). */
static void fit_from_moments(const fmom *s, size_t n, const infl_data *d, msyn_fit *f)
{
    const msyn_pool_opts *o = &d->ro;
    int re = o->method != MSYN_METHOD_EE;
    double var = 1.0 / s->p.W, df = (double)(n - 1), Q, crit;
    msyn__fit_clear(f);
    f->k = n;
    f->method = f->method_used = o->method;
    f->level = o->level;
    f->converged = 1;
    f->tau2 = d->tw;
    f->tau = sqrt(f->tau2);
    if (re)
        f->flags |= MSYN_FIT_TAU2_FIXED;
    f->test = o->test;
    if (o->test == MSYN_TEST_Z) {
        msyn__fit_ztest(f, s->p.m, sqrt(var), o->level, o->cache);
    } else {
        f->df = df;
        f->s2w = 1.0;
        if (o->test == MSYN_TEST_KNHA || o->test == MSYN_TEST_ADHOC) {
            double rss = s->p.M2;
            f->s2w = rss <= DBL_EPSILON ? 0.0 : rss / df;
            if (o->test == MSYN_TEST_ADHOC && f->s2w < 1.0)
                f->s2w = 1.0;
            if (f->s2w == 0.0)
                f->flags |= MSYN_FIT_KNHA_ZERO;
            if (!re)
                f->flags |= MSYN_FIT_KNHA_EE;
        }
        crit = msyn__crit(o->cache, o->level, df);
        f->estimate = s->p.m;
        f->se = sqrt(f->s2w * var);
        f->stat = f->estimate / f->se;
        f->pval = msyn_pval_t(f->stat, df);
        f->ci_lb = f->estimate - crit * f->se;
        f->ci_ub = f->estimate + crit * f->se;
    }
    /* heterogeneity as msyn__het() without the intervals */
    Q = s->q.M2 < 0.0 ? 0.0 : s->q.M2;
    f->Q = Q;
    f->Q_df = df;
    f->Q_pval = msyn_pval_chisq(Q, df);
    f->vt = df * s->q.W / (2.0 * s->cross);
    if (!re || o->i2def == MSYN_I2_Q) {
        f->I2 = Q > 0 && Q > df ? 100.0 * (Q - df) / Q : 0.0;
        f->H2 = Q / df;
        if (re && f->H2 < 1.0)
            f->H2 = 1.0;
    } else {
        f->I2 = 100.0 * f->tau2 / (f->vt + f->tau2);
        f->H2 = f->tau2 / f->vt + 1.0;
    }
}

/* ---- the sequences of fits --------------------------------------------- */

/* Leave-one-out with fixed weights: prefix moments stored, suffix moments
 * carried from the end. */
static msyn_status loo_fixed(const infl_data *d, infl_row_fn fn, void *ctx)
{
    size_t n = d->n;
    fmom *pre = msyn__alloc(d->alloc, n, sizeof *pre), suf, cur;
    msyn_fit f;
    if (!pre)
        return MSYN_ENOMEM;
    memset(&cur, 0, sizeof cur);
    for (size_t i = 0; i < n; i++) {
        pre[i] = cur;
        fmom_add(&cur, d->y[i], d->v[i], d->tw);
    }
    memset(&suf, 0, sizeof suf);
    for (size_t i = n; i-- > 0;) {
        cur = fmom_join(&pre[i], &suf);
        fit_from_moments(&cur, n - 1, d, &f);
        fn(ctx, i, MSYN_OK, &f);
        fmom_add(&suf, d->y[i], d->v[i], d->tw);
    }
    msyn__free(d->alloc, pre);
    return MSYN_OK;
}

msyn_status infl__loo(const infl_data *d, infl_row_fn fn, void *ctx)
{
    size_t n = d->n;
    double *ys, *vs;
    msyn_fit f;
    if (n < 2)
        return MSYN_ETOOFEW;
    if (d->fixed_w && n > 2)
        return loo_fixed(d, fn, ctx);
    if (!(ys = msyn__alloc(d->alloc, 2 * (n - 1), sizeof *ys)))
        return MSYN_ENOMEM;
    vs = ys + (n - 1);
    /* ys holds the studies but i: y[0..i-1] then y[i+1..n-1] */
    memcpy(ys, d->y + 1, (n - 1) * sizeof *ys);
    memcpy(vs, d->v + 1, (n - 1) * sizeof *vs);
    for (size_t i = 0; i < n; i++) {
        msyn_status rc;
        if (i > 0) {
            ys[i - 1] = d->y[i - 1];
            vs[i - 1] = d->v[i - 1];
        }
        rc = msyn_pool(ys, vs, n - 1, &d->ro, &f);
        if (rc == MSYN_ENOMEM) {
            msyn__free(d->alloc, ys);
            return rc;
        }
        fn(ctx, i, rc, &f);
    }
    msyn__free(d->alloc, ys);
    return MSYN_OK;
}

/* ---- output rows -------------------------------------------------------- */

#define ROW_FLAGS (MSYN_FIT_TAU2_TRUNCATED | MSYN_FIT_FALLBACK | MSYN_FIT_LL0_RESET | \
                   MSYN_FIT_K1 | MSYN_FIT_KNHA_ZERO | MSYN_FIT_TAU2_FIXED)

static void put(double *col, size_t i, double x)
{
    if (col)
        col[i] = x;
}

static void cols_row(msyn_fit_cols *c, size_t i, msyn_status rc, const msyn_fit *f)
{
    int ok = rc == MSYN_OK;
    double nan_ = MSYN_NAN;
    put(c->estimate, i, ok ? f->estimate : nan_);
    put(c->se, i, ok ? f->se : nan_);
    put(c->stat, i, ok ? f->stat : nan_);
    put(c->pval, i, ok ? f->pval : nan_);
    put(c->ci_lb, i, ok ? f->ci_lb : nan_);
    put(c->ci_ub, i, ok ? f->ci_ub : nan_);
    put(c->Q, i, ok ? f->Q : nan_);
    put(c->Q_pval, i, ok ? f->Q_pval : nan_);
    put(c->tau2, i, ok ? f->tau2 : nan_);
    put(c->I2, i, ok ? f->I2 : nan_);
    put(c->H2, i, ok ? f->H2 : nan_);
    put(c->k, i, ok ? (double)f->k : nan_);
    if (c->flags)
        c->flags[i] = ok ? (f->flags & ROW_FLAGS) : (f->flags & ROW_FLAGS) | MSYN_INFL_FAILED;
}

/* Every row NaN with no flags (missing studies, before the fits). */
static void cols_clear(msyn_fit_cols *c, size_t k)
{
    msyn_fit f;
    msyn__fit_clear(&f);
    for (size_t i = 0; i < k; i++) {
        cols_row(c, i, MSYN_OK, &f);
        if (c->flags)
            c->flags[i] = 0;
    }
}

typedef struct loo_ctx {
    const infl_data *d;
    msyn_fit_cols *out;
} loo_ctx;

static void loo_row(void *ctx, size_t i, msyn_status rc, const msyn_fit *f)
{
    loo_ctx *c = ctx;
    cols_row(c->out, c->d->idx[i], rc, f);
}

MSYN_API msyn_status msyn_influence_leave1out(const double *yi, const double *vi,
                                              size_t k, const msyn_pool_opts *o,
                                              msyn_fit_cols *out)
{
    infl_data d;
    loo_ctx c;
    msyn_status rc;
    if (!out)
        return MSYN_EINVAL;
    if ((rc = infl__data_init(yi, vi, k, o, &d)) != MSYN_OK)
        return rc;
    cols_clear(out, k);
    c.d = &d;
    c.out = out;
    rc = infl__loo(&d, loo_row, &c);
    infl__data_free(&d);
    return rc;
}

/* Is order a permutation of 0..k-1?  Uses seen (k bytes, zeroed). */
static int is_permutation(const size_t *order, size_t k, unsigned char *seen)
{
    for (size_t s = 0; s < k; s++) {
        if (order[s] >= k || seen[order[s]])
            return 0;
        seen[order[s]] = 1;
    }
    return 1;
}

MSYN_API msyn_status msyn_influence_cumul(const double *yi, const double *vi,
                                          size_t k, const size_t *order,
                                          const msyn_pool_opts *o,
                                          msyn_fit_cols *out)
{
    infl_data d;
    msyn_status rc;
    double *ys;
    unsigned char *seen;
    size_t m = 0;
    fmom cur;
    msyn_fit f;
    if (!out || (k > 0 && !order))
        return MSYN_EINVAL;
    if ((rc = infl__data_init(yi, vi, k, o, &d)) != MSYN_OK)
        return rc;
    ys = msyn__alloc(d.alloc, 2 * k, sizeof *ys);
    seen = msyn__alloc(d.alloc, k, 1);
    if (!ys || !seen) {
        rc = MSYN_ENOMEM;
        goto done;
    }
    memset(seen, 0, k);
    if (!is_permutation(order, k, seen)) {
        rc = MSYN_EINVAL;
        goto done;
    }
    cols_clear(out, k);
    memset(&cur, 0, sizeof cur);
    for (size_t s = 0; s < k; s++) {
        size_t j = order[s];
        if (isnan(yi[j]) || isnan(vi[j]))
            continue;
        ys[m] = yi[j];
        ys[k + m] = vi[j];
        m++;
        if (d.fixed_w) {
            fmom_add(&cur, yi[j], vi[j], d.tw);
            if (m >= 2) {
                fit_from_moments(&cur, m, &d, &f);
                cols_row(out, s, MSYN_OK, &f);
                continue;
            }
        }
        rc = msyn_pool(ys, ys + k, m, &d.ro, &f);
        if (rc == MSYN_ENOMEM)
            goto done;
        cols_row(out, s, rc, &f);
    }
    rc = MSYN_OK;
done:
    msyn__free(d.alloc, ys);
    msyn__free(d.alloc, seen);
    infl__data_free(&d);
    return rc;
}

/* ---- case-deletion diagnostics ------------------------------------------ */

typedef struct diag_ctx {
    const infl_data *d;
    const msyn_fit *full;
    msyn_influence_cols *out;
    double *bx, *by;   /* Baujat coordinates, or NULL */
    double sw;         /* sum of the full model's weights */
    double last_t, last_sw; /* memo of sum 1/(v + tau2_(-i)) */
} diag_ctx;

static double sum_w(diag_ctx *c, double t)
{
    if (!(t == c->last_t)) {
        ksum s = {0, 0};
        for (size_t j = 0; j < c->d->n; j++)
            ksum_add(&s, 1.0 / (c->d->v[j] + t));
        c->last_t = t;
        c->last_sw = ksum_get(&s);
    }
    return c->last_sw;
}

static void diag_row(void *ctx, size_t i, msyn_status rc, const msyn_fit *f)
{
    diag_ctx *c = ctx;
    msyn_influence_cols *o = c->out;
    const msyn_fit *F = c->full;
    size_t r = c->d->idx[i];
    double yi = c->d->y[i], vi = c->d->v[i], n = (double)c->d->n;
    double w = 1.0 / (vi + F->tau2), hat = w / c->sw, vb = F->se * F->se;
    double dfb, vbd, resid, rse, dffits, dfbetas, cook;
    if (hat > 1.0 - 10.0 * DBL_EPSILON)
        hat = 1.0;
    if (o) {
        put(o->hat, r, hat);
        put(o->weight, r, w / c->sw * 100.0);
    }
    if (c->bx) {
        resid = yi - F->estimate;
        if (fabs(resid) < 100.0 * DBL_EPSILON)
            resid = 0.0;
        c->bx[r] = resid * resid / (F->tau2 + vi);
    }
    if (rc != MSYN_OK) {
        /* the rest stays NaN; metafor's rule still sees the hat value */
        if (o && o->inf)
            o->inf[r] = hat > 3.0 / n;
        return;
    }
    dfb = F->estimate - f->estimate;
    vbd = f->se * f->se;
    if (c->by)
        c->by[r] = dfb * dfb / vbd;
    if (!o)
        return;
    resid = yi - f->estimate;
    if (fabs(resid) < 100.0 * DBL_EPSILON)
        resid = 0.0;
    rse = sqrt(vi * f->s2w + vbd + f->tau2 * f->s2w);
    dffits = dfb / sqrt(f->s2w * hat * (f->tau2 + vi));
    dfbetas = dfb / sqrt(f->s2w / sum_w(c, f->tau2));
    cook = dfb * dfb / vb;
    put(o->resid, r, resid);
    put(o->resid_se, r, rse);
    put(o->rstudent, r, resid / rse);
    put(o->dffits, r, dffits);
    put(o->dfbetas, r, dfbetas);
    put(o->cook_d, r, cook);
    put(o->cov_r, r, vbd / vb);
    put(o->tau2_del, r, f->tau2);
    put(o->QE_del, r, f->Q);
    if (o->inf)
        /* pchisq(cook, 1) > 0.5 as the upper tail below 0.5 */
        o->inf[r] = fabs(dffits) > 3.0 * sqrt(1.0 / (n - 1.0)) ||
                    msyn_pval_chisq(cook, 1.0) < 0.5 || hat > 3.0 / n || fabs(dfbetas) > 1.0;
}

static void diag_clear(msyn_influence_cols *o, size_t k)
{
    double nan_ = MSYN_NAN;
    for (size_t i = 0; i < k; i++) {
        put(o->rstudent, i, nan_);
        put(o->dffits, i, nan_);
        put(o->cook_d, i, nan_);
        put(o->cov_r, i, nan_);
        put(o->tau2_del, i, nan_);
        put(o->QE_del, i, nan_);
        put(o->hat, i, nan_);
        put(o->weight, i, nan_);
        put(o->dfbetas, i, nan_);
        put(o->resid, i, nan_);
        put(o->resid_se, i, nan_);
        if (o->inf)
            o->inf[i] = 0;
    }
}

/* The full fit, then the leave-one-out fits through diag_row. */
static msyn_status diag_run(const double *yi, const double *vi, size_t k,
                            const msyn_pool_opts *o, msyn_influence_cols *out,
                            double *bx, double *by, msyn_fit *full)
{
    infl_data d;
    diag_ctx c;
    msyn_fit F;
    msyn_status rc;
    ksum s = {0, 0};
    if ((rc = infl__data_init(yi, vi, k, o, &d)) != MSYN_OK)
        return rc;
    if (d.n < 2) {
        infl__data_free(&d);
        return MSYN_ETOOFEW;
    }
    if (out)
        diag_clear(out, k);
    for (size_t i = 0; i < k; i++) {
        put(bx, i, MSYN_NAN);
        put(by, i, MSYN_NAN);
    }
    {
        msyn_pool_opts fo = d.ro; /* the caller's options, with the cache */
        if (o) {
            fo.tau2_ci = o->tau2_ci;
            fo.pi = o->pi;
        } else {
            msyn_pool_opts def;
            msyn_pool_opts_default(&def);
            fo.tau2_ci = def.tau2_ci;
            fo.pi = def.pi;
        }
        rc = msyn_pool(d.y, d.v, d.n, &fo, &F);
    }
    if (full)
        *full = F;
    if (rc != MSYN_OK) {
        infl__data_free(&d);
        return rc;
    }
    for (size_t i = 0; i < d.n; i++)
        ksum_add(&s, 1.0 / (d.v[i] + F.tau2));
    c.d = &d;
    c.full = &F;
    c.out = out;
    c.bx = bx;
    c.by = by;
    c.sw = ksum_get(&s);
    c.last_t = c.last_sw = MSYN_NAN;
    rc = infl__loo(&d, diag_row, &c);
    infl__data_free(&d);
    return rc;
}

MSYN_API msyn_status msyn_influence_diag(const double *yi, const double *vi,
                                         size_t k, const msyn_pool_opts *o,
                                         msyn_influence_cols *out,
                                         msyn_fit *full)
{
    if (!out)
        return MSYN_EINVAL;
    return diag_run(yi, vi, k, o, out, NULL, NULL, full);
}

MSYN_API msyn_status msyn_influence_baujat(const double *yi, const double *vi,
                                           size_t k, const msyn_pool_opts *o,
                                           double *x, double *y)
{
    return diag_run(yi, vi, k, o, NULL, x, y, NULL);
}
