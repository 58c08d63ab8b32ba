/*
 * bias_rank.c - Begg and Mazumdar's rank correlation test.
 *
 * Kendall's tau between standardized deviates and sampling variances, as
 * metafor's ranktest(), with R's cor.test(method = "kendall") p-values.
 * R's exact distribution of Kendall's statistic (ckendall in R's stats
 * package, src/library/stats/src/kendall.c) is not part of R's standalone
 * math library (Debian's r-mathlib ships nmath only), so it is here:
 * a dynamic programme over the number of pairs, on probabilities rather
 * than R's counts (R's counts overflow at n = 171, where cor.test returns
 * NaN), and the upper tail taken by symmetry rather than as 1 - P (which
 * leaves R's exact p-values with an absolute error near 1e-13 at n = 170).
 * docs/methods/bias.md, "Rank correlation test".
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* P(T <= q) for the number T of inversions of a random permutation of n
 * (equivalently of concordant pairs): with p_n(j) = P(T_n = j),
 *   p_n(j) = (1/n) sum_{i=0}^{n-1} p_{n-1}(j - i),
 * summed as a sliding window.  Only j <= q is ever needed, so memory and
 * time are O(q) and O(n q).  Requires q <= n(n-1)/4 (the lower half), where
 * every term is increasing and the window sum loses at most about q
 * roundings. */
static msyn_status lower_cdf(size_t q, size_t n, const msyn_allocator *a,
                             double *p)
{
    double *cur = msyn__alloc(a, 2 * (q + 1), sizeof *cur), *prev, *t;
    ksum tot = {0, 0};
    if (!cur)
        return MSYN_ENOMEM;
    prev = cur + q + 1;
    memset(prev, 0, (q + 1) * sizeof *prev);
    prev[0] = 1.0; /* n = 1 */
    for (size_t m = 2; m <= n; m++) {
        double win = 0.0, inv = 1.0 / (double)m;
        for (size_t j = 0; j <= q; j++) {
            win += prev[j];
            if (j >= m)
                win -= prev[j - m];
            cur[j] = win * inv;
        }
        t = prev, prev = cur, cur = t;
    }
    for (size_t j = 0; j <= q; j++)
        ksum_add(&tot, prev[j]);
    *p = ksum_get(&tot);
    msyn__free(a, cur < prev ? cur : prev);
    return MSYN_OK;
}

MSYN_API msyn_status msyn_bias_pkendall(double q, size_t n,
                                        const msyn_allocator *a, double *p)
{
    double u, fq, lo;
    msyn_status rc;
    if (!p || n < 1 || n > MSYN_BIAS_KENDALL_MAX || isnan(q))
        return MSYN_EINVAL;
    u = (double)n * (double)(n - 1) / 2.0;
    fq = floor(q + 1e-7); /* as R */
    if (fq < 0) {
        *p = 0.0;
        return MSYN_OK;
    }
    if (fq >= u) {
        *p = 1.0;
        return MSYN_OK;
    }
    if (fq <= u / 2.0)
        return lower_cdf((size_t)fq, n, a, p);
    /* P(T <= q) = 1 - P(T <= u - q - 1) by symmetry */
    rc = lower_cdf((size_t)(u - fq - 1.0), n, a, &lo);
    if (rc == MSYN_OK)
        *p = 1.0 - lo;
    return rc;
}

/* Two-sided exact p-value of c concordant pairs among n (R's cor.test),
 * each tail summed directly: P(T >= c) = P(T <= u - c). */
static msyn_status exact_p(double c, size_t n, const msyn_allocator *a,
                           double *p)
{
    double u = (double)n * (double)(n - 1) / 2.0, tail;
    msyn_status rc;
    if (c > u / 2.0)
        rc = lower_cdf((size_t)(u - c), n, a, &tail);
    else
        rc = lower_cdf((size_t)c, n, a, &tail);
    if (rc == MSYN_OK)
        *p = fmin(2.0 * tail, 1.0);
    return rc;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Tie sums of R's cor.test over groups of t equal values:
 * s[0] = sum t(t-1), s[1] = sum t(t-1)(2t+5), s[2] = sum t(t-1)(t-2).
 * Sorts x in place. */
static void tie_sums(double *x, size_t n, double s[3])
{
    s[0] = s[1] = s[2] = 0.0;
    qsort(x, n, sizeof *x, cmp_double);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        double t;
        while (j < n && x[j] == x[i])
            j++;
        t = (double)(j - i);
        s[0] += t * (t - 1.0);
        s[1] += t * (t - 1.0) * (2.0 * t + 5.0);
        s[2] += t * (t - 1.0) * (t - 2.0);
        i = j;
    }
}

static double sign3(double d) { return (d > 0) - (d < 0); }

MSYN_API msyn_status msyn_bias_ranktest(const double *yi, const double *vi,
                                        size_t k, const msyn_allocator *a,
                                        msyn_ranktest *r)
{
    ksum sw = {0, 0}, swy = {0, 0};
    double *ys, *vs, theta, vb, S = 0, nx = 0, ny = 0, n, tx[3], ty[3];
    size_t m = 0;
    msyn_status rc = MSYN_OK;
    if (!r)
        return MSYN_EINVAL;
    memset(r, 0, sizeof *r);
    r->tau = r->S = r->stat = r->pval = MSYN_NAN;
    if (k > 0 && (!yi || !vi))
        return MSYN_EINVAL;
    for (size_t i = 0; i < k; i++) {
        if (isnan(yi[i]) || isnan(vi[i]))
            continue;
        if (isinf(yi[i]) || !(vi[i] > 0.0) || isinf(vi[i]))
            return MSYN_EDATA;
        ksum_add(&sw, 1.0 / vi[i]);
        ksum_add(&swy, yi[i] / vi[i]);
        m++;
    }
    r->k = m;
    if (m < 2)
        return MSYN_ETOOFEW;
    if (!(ys = msyn__alloc(a, 2 * m, sizeof *ys)))
        return MSYN_ENOMEM;
    vs = ys + m;
    theta = ksum_get(&swy) / ksum_get(&sw);
    vb = 1.0 / ksum_get(&sw);
    m = 0;
    for (size_t i = 0; i < k; i++) {
        if (isnan(yi[i]) || isnan(vi[i]))
            continue;
        /* vi - vb > 0 unless one study holds (nearly) all the weight */
        ys[m] = (yi[i] - theta) / sqrt(vi[i] - vb);
        vs[m++] = vi[i];
    }
    for (size_t i = 0; i < m; i++)
        if (isnan(ys[i])) { /* vi - vb <= 0 by rounding: R gets NaN too */
            msyn__free(a, ys);
            return MSYN_ENOTESTIMABLE;
        }
    /* Kendall's S and the untied pair counts (R's cor(method = "kendall")
     * is S / (sqrt(nx) sqrt(ny)), tau-b). */
    for (size_t i = 1; i < m; i++)
        for (size_t j = 0; j < i; j++) {
            double dx = sign3(ys[i] - ys[j]), dy = sign3(vs[i] - vs[j]);
            S += dx * dy;
            nx += dx * dx;
            ny += dy * dy;
        }
    n = (double)m;
    r->S = S;
    if (m < 10)
        r->flags |= MSYN_BIAS_FEW_STUDIES;
    if (nx == 0.0 || ny == 0.0) { /* a constant variable: R gives NA */
        msyn__free(a, ys);
        return MSYN_OK;
    }
    r->tau = S / (sqrt(nx) * sqrt(ny));
    if (nx == n * (n - 1) / 2 && ny == nx && m <= MSYN_BIAS_KENDALL_MAX) {
        r->exact = 1;
        r->stat = (S + nx) / 2.0; /* concordant pairs, R's T */
        rc = exact_p(r->stat, m, a, &r->pval);
    } else {
        /* normal approximation with the tie-corrected variance of S */
        double v0 = n * (n - 1) * (2 * n + 5), var;
        if (nx != n * (n - 1) / 2 || ny != n * (n - 1) / 2)
            r->flags |= MSYN_BIAS_RANK_TIES;
        else
            r->flags |= MSYN_BIAS_RANK_NORMAL;
        tie_sums(ys, m, tx);
        tie_sums(vs, m, ty);
        var = (v0 - tx[1] - ty[1]) / 18 + tx[0] * ty[0] / (2 * n * (n - 1)) +
              tx[2] * ty[2] / (9 * n * (n - 1) * (n - 2));
        r->stat = S / sqrt(var);
        r->pval = msyn_pval_z(r->stat);
    }
    msyn__free(a, ys);
    return rc;
}
