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

#include "internal.h"

/* R's log-gamma: glibc's lgamma differs from it in the last bits, which
 * Hedges' J (a difference of two log-gammas near 150) turns into 1e-13. */
double msyn__lgamma(double x) { return lgammafn(x); }

double msyn__qnorm_upper(double p) { return qnorm(p, 0.0, 1.0, 0, 0); }

double msyn__qt_upper(double p, double df) { return qt(p, df, 0, 0); }

double msyn__qchisq(double p, double df, int lower)
{
    return qchisq(p, df, lower, 0);
}

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
    double a;
    if (!(level > 0.0 && level < 1.0))
        return MSYN_NAN;
    a = (1.0 - level) / 2.0;
    if (df > 0 && isfinite(df))
        return qt(a, df, 0, 0);
    return qnorm(a, 0.0, 1.0, 0, 0);
}
