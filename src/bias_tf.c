/*
 * bias_tf.c - Duval and Tweedie's trim-and-fill.
 *
 * Follows metafor 3.8's trimfill.rma.uni() step by step (the same sort,
 * the same ranks with ties broken by position, the same rounding of k0),
 * pooling through msyn_pool().  docs/methods/bias.md, "Trim and fill".
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

MSYN_API void msyn_trimfill_opts_default(msyn_trimfill_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->estimator = MSYN_TF_L0;
    o->side = MSYN_TF_AUTO;
    o->max_iter = 100;
    o->side_fn = NULL;
    o->side_ud = NULL;
}

/* A key with its position, for stable sorts through qsort. */
typedef struct keyed {
    double key;
    size_t pos;
} keyed;

static int cmp_keyed(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* metafor: side = "right" if the slope of yi on sqrt(vi) in
 * rma(yi, vi, mods = sqrt(vi), method) is negative, else "left". */
static msyn_status auto_side(const double *y, const double *v, double *x,
                             size_t n, const msyn_pool_opts *o,
                             const msyn_trimfill_opts *to, double *slope)
{
    msyn_bias_tau2_fn fn = to->side_fn ? to->side_fn : msyn_bias_tau2_builtin;
    ksum sw = {0, 0}, swx = {0, 0}, swy = {0, 0}, sxx = {0, 0}, sxy = {0, 0};
    double tau2, xb, yb;
    msyn_status rc;
    if (n < 3)
        return MSYN_ETOOFEW;
    for (size_t i = 0; i < n; i++)
        x[i] = sqrt(v[i]);
    if ((rc = fn(to->side_ud, y, v, x, n, o, &tau2)) != MSYN_OK)
        return rc;
    if (!(tau2 >= 0.0 && isfinite(tau2)))
        return MSYN_EINVAL;
    for (size_t i = 0; i < n; i++) {
        double w = 1.0 / (v[i] + tau2);
        ksum_add(&sw, w);
        ksum_add(&swx, w * x[i]);
        ksum_add(&swy, w * y[i]);
    }
    xb = ksum_get(&swx) / ksum_get(&sw);
    yb = ksum_get(&swy) / ksum_get(&sw);
    for (size_t i = 0; i < n; i++) {
        double w = 1.0 / (v[i] + tau2);
        ksum_add(&sxx, w * (x[i] - xb) * (x[i] - xb));
        ksum_add(&sxy, w * (x[i] - xb) * (y[i] - yb));
    }
    if (!(ksum_get(&sxx) > 0.0))
        return MSYN_ENOTESTIMABLE; /* all vi equal: metafor fails too */
    *slope = ksum_get(&sxy) / ksum_get(&sxx);
    return MSYN_OK;
}

/* One estimate of k0 from the signed ranks of yc = ys - beta (ys sorted).
 * Returns 0, or -1 when the estimator is undefined. */
static int estimate_k0(msyn_tf_estimator est, const double *yc, size_t n,
                       keyed *kb, double *k0, double *se)
{
    double kk = (double)n, sr = 0.0, maxneg = -1.0, vsr;
    for (size_t i = 0; i < n; i++) {
        kb[i].key = fabs(yc[i]);
        kb[i].pos = i;
    }
    qsort(kb, n, sizeof *kb, cmp_keyed); /* rank(ties.method = "first") */
    for (size_t r = 0; r < n; r++) {
        double s = yc[kb[r].pos];
        if (s > 0)
            sr += (double)(r + 1);
        else if (s < 0 && (double)(r + 1) > maxneg)
            maxneg = (double)(r + 1);
    }
    if (est == MSYN_TF_R0) {
        if (maxneg < 0)
            return -1; /* no study below the centre: metafor's k0 is Inf */
        *k0 = (kk - maxneg) - 1.0;
        *se = sqrt(2.0 * fmax(0.0, *k0) + 2.0);
        return 0;
    }
    if (est == MSYN_TF_L0)
        *k0 = (4.0 * sr - kk * (kk + 1.0)) / (2.0 * kk - 1.0);
    else
        *k0 = kk - 0.5 - sqrt(2.0 * kk * kk - 4.0 * sr + 0.25);
    if (isnan(*k0))
        return -1;
    vsr = 1.0 / 24.0 * (kk * (kk + 1.0) * (2.0 * kk + 1.0) + 10.0 * pow(*k0, 3) +
                        27.0 * *k0 * *k0 + 17.0 * *k0 - 18.0 * kk * *k0 * *k0 -
                        18.0 * kk * *k0 + 6.0 * kk * kk * *k0);
    if (est == MSYN_TF_L0)
        *se = 4.0 * sqrt(vsr) / (2.0 * kk - 1.0);
    else
        *se = 2.0 * sqrt(vsr) /
              sqrt((kk - 0.5) * (kk - 0.5) - *k0 * (2.0 * kk - *k0 - 1.0));
    return 0;
}

/* Scratch: y v (observed, compact), ys vs (sorted), yc, ya va (augmented,
 * 2n), x (n), keys (n). */
typedef struct tf_work {
    double *y, *v, *ys, *vs, *yc, *ya, *va, *x;
    keyed *kb;
} tf_work;

static msyn_status tf_iterate(tf_work *w, size_t n, const msyn_pool_opts *inner,
                              const msyn_trimfill_opts *to, msyn_trimfill *res,
                              double *beta)
{
    long k0 = 0, k0sav = -1;
    while (k0 != k0sav) {
        msyn_fit f;
        double k0d, se;
        msyn_status rc;
        k0sav = k0;
        if (++res->iterations > to->max_iter)
            return MSYN_ENOCONV;
        if ((size_t)k0 >= n)
            return MSYN_ENOTESTIMABLE;
        if ((rc = msyn_pool(w->ys, w->vs, n - (size_t)k0, inner, &f)) != MSYN_OK)
            return rc;
        *beta = f.estimate;
        for (size_t i = 0; i < n; i++)
            w->yc[i] = w->ys[i] - *beta;
        if (estimate_k0(to->estimator, w->yc, n, w->kb, &k0d, &se) != 0)
            return MSYN_ENOTESTIMABLE;
        k0d = nearbyint(k0d); /* R's round(): half to even */
        k0 = k0d > 0 ? (long)k0d : 0;
        res->k0_se = isnan(se) ? se : fmax(0.0, se);
    }
    res->k0 = (size_t)k0;
    return MSYN_OK;
}

static msyn_status tf_run(tf_work *w, size_t n, const msyn_pool_opts *po,
                          const msyn_trimfill_opts *to, msyn_trimfill *res,
                          double *fill_yi, double *fill_vi)
{
    msyn_pool_opts inner = *po;
    double beta = 0.0, flip;
    msyn_status rc;
    size_t k0;
    inner.tau2_ci = 0;
    inner.pi = MSYN_PI_NONE;
    inner.test = MSYN_TEST_Z;
    res->side = to->side;
    if (to->side == MSYN_TF_AUTO) {
        if ((rc = auto_side(w->y, w->v, w->x, n, po, to, &res->side_slope)) != MSYN_OK)
            return rc;
        res->side = res->side_slope < 0 ? MSYN_TF_RIGHT : MSYN_TF_LEFT;
        res->flags |= MSYN_BIAS_SIDE_AUTO;
    }
    flip = res->side == MSYN_TF_RIGHT ? -1.0 : 1.0;
    for (size_t i = 0; i < n; i++) {
        w->kb[i].key = flip * w->y[i];
        w->kb[i].pos = i;
    }
    qsort(w->kb, n, sizeof *w->kb, cmp_keyed); /* stable, as R's radix sort */
    for (size_t i = 0; i < n; i++) {
        w->ys[i] = w->kb[i].key;
        w->vs[i] = w->v[w->kb[i].pos];
    }
    if ((rc = tf_iterate(w, n, &inner, to, res, &beta)) != MSYN_OK)
        return rc;
    k0 = res->k0;
    memcpy(w->ya, w->y, n * sizeof *w->ya);
    memcpy(w->va, w->v, n * sizeof *w->va);
    for (size_t j = 0; j < k0; j++) {
        size_t s = n - k0 + j;
        double t = w->yc[s] - beta; /* mirror image about beta */
        w->ya[n + j] = res->side == MSYN_TF_RIGHT ? t : -t;
        w->va[n + j] = w->vs[s];
        if (fill_yi)
            fill_yi[j] = w->ya[n + j];
        if (fill_vi)
            fill_vi[j] = w->va[n + j];
    }
    if (to->estimator == MSYN_TF_R0) /* 1 - sum_{j=0}^{k0} 2^-(j+1) */
        res->k0_pval = k0 + 1 <= 53 ? ldexp(1.0, -(int)(k0 + 1)) : 0.0;
    return msyn_pool(w->ya, w->va, n + k0, po, &res->fit);
}

MSYN_API msyn_status msyn_bias_trimfill(const double *yi, const double *vi,
                                        size_t k, const msyn_pool_opts *po,
                                        const msyn_trimfill_opts *to,
                                        msyn_trimfill *res, double *fill_yi,
                                        double *fill_vi)
{
    msyn_pool_opts pdef;
    msyn_trimfill_opts tdef;
    const msyn_allocator *a;
    msyn_status rc;
    tf_work w;
    double *buf;
    size_t n = 0;
    if (!res)
        return MSYN_EINVAL;
    memset(res, 0, sizeof *res);
    msyn__fit_clear(&res->fit);
    res->k0_se = res->k0_pval = res->side_slope = MSYN_NAN;
    if (!po) {
        msyn_pool_opts_default(&pdef);
        po = &pdef;
    }
    if (!to) {
        msyn_trimfill_opts_default(&tdef);
        to = &tdef;
    }
    if ((rc = msyn__pool_opts_check(po)) != MSYN_OK)
        return rc;
    if ((k > 0 && (!yi || !vi)) || (unsigned)to->estimator > MSYN_TF_Q0 ||
        (unsigned)to->side > MSYN_TF_RIGHT || to->max_iter < 1)
        return MSYN_EINVAL;
    if (po->method == MSYN_METHOD_MH || po->method == MSYN_METHOD_PETO)
        return MSYN_EMEASURE;
    for (size_t i = 0; i < k; i++) {
        if (isnan(yi[i]) || isnan(vi[i]))
            continue;
        if (isinf(yi[i]) || !(vi[i] > 0.0) || isinf(vi[i]))
            return MSYN_EDATA;
        n++;
    }
    res->k = n;
    if (n < 2)
        return MSYN_ETOOFEW;
    if (n < 10)
        res->flags |= MSYN_BIAS_FEW_STUDIES;
    a = po->alloc;
    buf = msyn__alloc(a, 9 * n, sizeof *buf);
    w.kb = msyn__alloc(a, n, sizeof *w.kb);
    if (!buf || !w.kb) {
        msyn__free(a, buf);
        msyn__free(a, w.kb);
        return MSYN_ENOMEM;
    }
    w.y = buf, w.v = buf + n, w.ys = buf + 2 * n, w.vs = buf + 3 * n;
    w.yc = buf + 4 * n, w.ya = buf + 5 * n, w.va = buf + 7 * n;
    w.x = buf + 4 * n; /* shares yc: used before the iterations only */
    for (size_t i = 0, j = 0; i < k; i++)
        if (!isnan(yi[i]) && !isnan(vi[i]))
            w.y[j] = yi[i], w.v[j++] = vi[i];
    rc = tf_run(&w, n, po, to, res, fill_yi, fill_vi);
    msyn__free(a, buf);
    msyn__free(a, w.kb);
    return rc;
}
