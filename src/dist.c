/*
 * dist.c - p-values and critical values from R's own math library.
 *
 * Every quantile and tail probability of libmetasyn goes through here, and
 * here through Debian's r-mathlib (R's nmath built standalone), so that
 * p-values and interval bounds agree with R to the last bit.  Two-sided
 * p-values are 2 Q(|x|) from the upper tail, never 1 - P (which loses all
 * digits below 1e-16).  docs/METHODS.md section "Distributions".
 */
#define MATHLIB_STANDALONE 1
#include <Rmath.h>
#include <string.h>

#include "internal.h"

/* ---- the quantile memo (msyn_cache) --------------------------------- */

#define CACHE_SLOTS 8

struct msyn_cache {
    const msyn_allocator *alloc;
    struct {
        int kind;        /* 0 empty, QK_* otherwise */
        double p, df, value;
    } slot[CACHE_SLOTS];
    unsigned next;       /* round-robin replacement */
};

MSYN_API msyn_cache *msyn_cache_new(const msyn_allocator *a)
{
    msyn_cache *c = msyn__alloc(a, 1, sizeof *c);
    if (c) {
        memset(c, 0, sizeof *c);
        c->alloc = a;
    }
    return c;
}

MSYN_API void msyn_cache_free(msyn_cache *c)
{
    if (c)
        msyn__free(c->alloc, c);
}

double msyn__quantile(msyn_cache *c, int kind, double p, double df)
{
    double x;
    if (c)
        for (unsigned i = 0; i < CACHE_SLOTS; i++)
            if (c->slot[i].kind == kind && c->slot[i].p == p &&
                (c->slot[i].df == df || (isnan(df) && isnan(c->slot[i].df))))
                return c->slot[i].value;
    switch (kind) {
    case QK_NORM_UPPER: x = qnorm(p, 0.0, 1.0, 0, 0); break;
    case QK_T_UPPER: x = qt(p, df, 0, 0); break;
    case QK_CHISQ_UPPER: x = qchisq(p, df, 0, 0); break;
    case QK_CHISQ_LOWER: x = qchisq(p, df, 1, 0); break;
    default: return MSYN_NAN;
    }
    if (c) {
        unsigned i = c->next++ % CACHE_SLOTS;
        c->slot[i].kind = kind;
        c->slot[i].p = p;
        c->slot[i].df = df;
        c->slot[i].value = x;
    }
    return x;
}

double msyn__crit(msyn_cache *c, double level, double df)
{
    double a;
    if (!(level > 0.0 && level < 1.0))
        return MSYN_NAN;
    a = (1.0 - level) / 2.0;
    if (df > 0 && isfinite(df))
        return msyn__quantile(c, QK_T_UPPER, a, df);
    return msyn__quantile(c, QK_NORM_UPPER, a, MSYN_NAN);
}

/* R's log-gamma: glibc's lgamma differs from it in the last bits, which
 * Hedges' J (a difference of two log-gammas near 150) turns into 1e-13. */
double msyn__lgamma(double x) { return lgammafn(x); }


MSYN_API double msyn_pval_z(double z)
{
    if (isnan(z))
        return MSYN_NAN;
    return 2.0 * pnorm(fabs(z), 0.0, 1.0, 0, 0);
}

MSYN_API double msyn_pval_t(double t, double df)
{
    if (isnan(t) || !(df > 0))
        return MSYN_NAN;
    return 2.0 * pt(fabs(t), df, 0, 0);
}

MSYN_API double msyn_pval_chisq(double q, double df)
{
    if (isnan(q) || !(df > 0))
        return MSYN_NAN;
    return pchisq(q, df, 0, 0);
}

MSYN_API double msyn_crit(double level, double df)
{
    return msyn__crit(NULL, level, df);
}
