/*
 * reg_perm.c - permutation tests of a meta-regression, as metafor's
 * permutest() for models with moderators: the rows of the design are
 * permuted against (yi, vi), the model refitted, and each p-value is the
 * share of permutations whose statistic is at least the observed one
 * (less sqrt(eps), metafor's comptol): QM for the omnibus test, |z| or |t|
 * for each coefficient.  Exact when every distinct permutation of the rows
 * can be enumerated within the budget (rows that are equal are not told
 * apart, as metafor's .genuperms), otherwise `iter` random permutations
 * (the first is the observed data, as in metafor) from the library's
 * seeded generator.  docs/methods/reg.md.
 */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Row classes: cls[i] is the class of row i (equal rows share one). */
static void row_classes(const double *X, size_t k, size_t p, size_t *cls)
{
    for (size_t i = 0; i < k; i++) {
        cls[i] = i;
        for (size_t a = 0; a < i; a++)
            if (cls[a] == a && memcmp(X + a * p, X + i * p, p * sizeof *X) == 0) {
                cls[i] = a;
                break;
            }
    }
}

/* Number of distinct permutations k! / prod(m_c!), as a double (Inf when
 * it overflows). */
static double distinct_perms(const size_t *cls, size_t k)
{
    double lg = msyn__lgamma((double)k + 1.0);
    for (size_t c = 0; c < k; c++) {
        size_t m = 0;
        for (size_t i = 0; i < k; i++)
            m += cls[i] == c;
        if (m > 1)
            lg -= msyn__lgamma((double)m + 1.0);
    }
    return lg > 700 ? INFINITY : floor(exp(lg) + 0.5);
}

/* The next permutation of a multiset in lexicographic order; 0 after the
 * last. */
static int next_perm(size_t *a, size_t n)
{
    size_t i, j, t;
    if (n < 2)
        return 0;
    i = n - 1;
    while (i > 0 && a[i - 1] >= a[i])
        i--;
    if (i == 0)
        return 0;
    j = n - 1;
    while (a[j] <= a[i - 1])
        j--;
    t = a[i - 1], a[i - 1] = a[j], a[j] = t;
    for (j = n - 1; i < j; i++, j--)
        t = a[i], a[i] = a[j], a[j] = t;
    return 1;
}

static int sort_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return (a > b) - (a < b);
}

MSYN_API msyn_status msyn_reg_permtest(const double *yi, const double *vi, const double *X,
                                       size_t k, size_t p, const msyn_reg_opts *ro,
                                       const msyn_pool_opts *o, size_t iter,
                                       unsigned long long seed, int exact,
                                       msyn_reg_perm *out)
{
    const msyn_allocator *al = o ? o->alloc : NULL;
    msyn_reg_opts r0;
    msyn_pool_opts po;
    msyn_reg_fit obs, f;
    msyn_reg_work *w = NULL;
    size_t *cls = NULL, *perm = NULL, *cnt = NULL, done = 0, failed = 0, QMhit = 0;
    double *Xp = NULL, *buf = NULL, total;
    double tol = sqrt(DBL_EPSILON);
    msyn_status rc = MSYN_ENOMEM;
    if (!yi || !vi || !X || !out || !out->pval || p == 0 || k < 2 || iter < 2)
        return MSYN_EINVAL;
    if (ro)
        r0 = *ro;
    else
        msyn_reg_opts_default(&r0);
    r0.r2 = 0;
    /* refits need neither R^2 nor the tau^2 CI */
    if (o)
        po = *o;
    else
        msyn_pool_opts_default(&po);
    po.tau2_ci = 0;
    o = &po;
    cls = msyn__alloc(al, k, sizeof *cls);
    perm = msyn__alloc(al, k, sizeof *perm);
    cnt = msyn__alloc(al, p, sizeof *cnt);
    Xp = msyn__alloc(al, k * p, sizeof *Xp);
    buf = msyn__alloc(al, 4 * p, sizeof *buf);
    w = msyn_reg_work_new(k, p, al);
    if (!cls || !perm || !cnt || !Xp || !buf || !w)
        goto done;
    /* the observed model */
    memset(&obs, 0, sizeof obs);
    obs.stat = buf;
    if ((rc = msyn_reg(yi, vi, X, k, p, &r0, o, w, &obs)) != MSYN_OK)
        goto done;
    /* the classes cost O(k^2): beyond 1000 rows no exact test is feasible
     * unless nearly every row is equal, and then only a few rows differ */
    if (k <= 1000) {
        row_classes(X, k, p, cls);
        total = distinct_perms(cls, k);
    } else {
        for (size_t i = 0; i < k; i++)
            cls[i] = i;
        total = INFINITY;
    }
    out->exact = exact || total <= (double)iter;
    if (out->exact && !(total <= 1e8)) {
        rc = MSYN_EINVAL; /* too many permutations to enumerate */
        goto done;
    }
    memset(cnt, 0, p * sizeof *cnt);
    memcpy(perm, cls, k * sizeof *perm);
    if (out->exact)
        qsort(perm, k, sizeof *perm, sort_size);
    else
        for (size_t i = 0; i < k; i++)
            perm[i] = i;
    {
        msyn__rng g;
        size_t n = out->exact ? (size_t)total : iter;
        msyn__rng_seed(&g, seed);
        for (size_t it = 0; it < n; it++) {
            int same = 0;
            if (out->exact) {
                /* perm lists row classes; the row of class c is row c */
                if (it > 0 && !next_perm(perm, k))
                    break;
            } else if (it == 0) {
                same = 1; /* metafor: the first iteration is the observed data */
            } else {
                for (size_t i = k - 1; i > 0; i--) {
                    size_t j = (size_t)msyn__rng_below(&g, (unsigned long long)i + 1), t = perm[i];
                    perm[i] = perm[j], perm[j] = t;
                }
            }
            if (same) {
                f = obs;
            } else {
                for (size_t i = 0; i < k; i++)
                    memcpy(Xp + i * p, X + perm[i] * p, p * sizeof *Xp);
                memset(&f, 0, sizeof f);
                f.stat = buf + p;
                if (msyn_reg(yi, vi, Xp, k, p, &r0, o, w, &f) != MSYN_OK) {
                    failed++;
                    continue;
                }
            }
            done++;
            if (f.QM >= obs.QM - tol)
                QMhit++;
            for (size_t j = 0; j < p; j++)
                if (fabs(f.stat[j]) >= fabs(obs.stat[j]) - tol)
                    cnt[j]++;
        }
    }
    out->iter = done;
    out->failed = failed;
    out->QM_pval = done ? (double)QMhit / (double)done : MSYN_NAN;
    for (size_t j = 0; j < p; j++)
        out->pval[j] = done ? (double)cnt[j] / (double)done : MSYN_NAN;
    rc = MSYN_OK;
done:
    msyn_reg_work_free(w);
    msyn__free(al, cls);
    msyn__free(al, perm);
    msyn__free(al, cnt);
    msyn__free(al, Xp);
    msyn__free(al, buf);
    return rc;
}
