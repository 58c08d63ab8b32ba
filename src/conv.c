/*
 * conv.c - conversions of reported statistics into what effect sizes
 * need: SDs from SEs, CIs and p-values; means and SDs from medians;
 * SMD <-> log odds ratio and SMD <-> correlation; and the transformations
 * back from the analysis scale of a measure to its reading scale.
 *
 * Sources: Cochrane Handbook (version 6.5) sections 6.5.2.2-6.5.2.3 and
 * 10.6; Wan et al. 2014 (BMC Med Res Methodol 14:135); Luo et al. 2018
 * (Stat Methods Med Res 27:1785); Shi et al. 2023 (Stat Methods Med Res
 * 32:1338) for the skewness tests; Chinn 2000 (Stat Med 19:3127);
 * Borenstein et al. 2009, ch. 7; Miller 1978 for the Freeman-Tukey
 * inverse.  docs/METHODS.md section "Conversions".
 */
#include "internal.h"

static const double PI = 3.141592653589793238462643383279502884;

/* Normal (df NaN) or t quantile of the upper tail p. */
static double upper_q(double p, double df)
{
    if (!isnan(df))
        return msyn__quantile(NULL, QK_T_UPPER, p, df);
    return msyn__quantile(NULL, QK_NORM_UPPER, p, MSYN_NAN);
}

static int level_ok(double level) { return level > 0.0 && level < 1.0; }

MSYN_API double msyn_sd_from_se(double se, double n)
{
    if (!(se > 0) || !(n >= 2) || !isfinite(se) || !isfinite(n))
        return MSYN_NAN;
    return se * sqrt(n);
}

MSYN_API double msyn_se_from_ci(double lb, double ub, double level, double df)
{
    if (!(ub > lb) || !isfinite(lb) || !isfinite(ub) || !level_ok(level) ||
        (!isnan(df) && !(df > 0)))
        return MSYN_NAN;
    return (ub - lb) / (2.0 * upper_q((1.0 - level) / 2.0, df));
}

MSYN_API double msyn_sd_from_ci(double lb, double ub, double n, double level)
{
    /* Handbook 6.5.2.2: t with n - 1 df for small samples ("less than 60") */
    double se;
    if (!(n >= 2) || !isfinite(n))
        return MSYN_NAN;
    se = msyn_se_from_ci(lb, ub, level, n < 60 ? n - 1.0 : MSYN_NAN);
    return isnan(se) ? se : se * sqrt(n);
}

MSYN_API double msyn_se_from_p(double est, double p, double df)
{
    if (!(p > 0 && p < 1) || !isfinite(est) || est == 0 || (!isnan(df) && !(df > 0)))
        return MSYN_NAN;
    return fabs(est) / upper_q(p / 2.0, df);
}

MSYN_API double msyn_sd_from_md_se(double se, double n1, double n2)
{
    if (!(se > 0) || !(n1 >= 1) || !(n2 >= 1) || !isfinite(se) || !isfinite(n1) || !isfinite(n2))
        return MSYN_NAN;
    return se / sqrt(1.0 / n1 + 1.0 / n2);
}

/* ---- median, quartiles, range ------------------------------------------ */

/* Wan et al.'s xi(n) = 2 Phi^-1((n - 0.375)/(n + 0.25)) and
 * eta(n) = 2 Phi^-1((0.75 n - 0.125)/(n + 0.25)), from the upper tails so
 * no digits are lost to 1 - p. */
static double wan_xi(double n) { return 2.0 * upper_q(0.625 / (n + 0.25), MSYN_NAN); }
static double wan_eta(double n) { return 2.0 * upper_q((0.25 * n + 0.375) / (n + 0.25), MSYN_NAN); }

/* Shi et al. 2023's tests for skewness at the 5% level: the range-based
 * statistic |a + b - 2m|/(b - a) against 1.01/ln(n + 9) + 2.43/(n + 1), the
 * quartile-based |q1 + q3 - 2m|/(q3 - q1) against 2.66/sqrt(n) - 5.92/n^2.
 * (We checked both critical values by simulating normal samples.) */
static int skew_range(double a, double m, double b, double n)
{
    return fabs(a + b - 2.0 * m) / (b - a) > 1.01 / log(n + 9.0) + 2.43 / (n + 1.0);
}

static int skew_quartiles(double q1, double m, double q3, double n)
{
    return fabs(q1 + q3 - 2.0 * m) / (q3 - q1) > 2.66 / sqrt(n) - 5.92 / (n * n);
}

static int ordered(const msyn_fivenum *f, int range, int quart)
{
    double x[5];
    int k = 0;
    if (range)
        x[k++] = f->min;
    if (quart)
        x[k++] = f->q1;
    x[k++] = f->median;
    if (quart)
        x[k++] = f->q3;
    if (range)
        x[k++] = f->max;
    for (int i = 0; i < k; i++)
        if (!isfinite(x[i]))
            return 0;
    for (int i = 1; i < k; i++)
        if (x[i] < x[i - 1])
            return 0;
    return x[k - 1] > x[0]; /* a spread of zero gives no SD */
}

MSYN_API msyn_status msyn_mean_from_median(msyn_median_method method,
                                           const msyn_fivenum *f,
                                           double *mean, double *sd,
                                           unsigned *flags)
{
    int range, quart;
    double n, a, b, q1, q3, m, mu, s;
    unsigned fl = 0;
    if (!f || !mean || !sd || (method != MSYN_MEDIAN_WAN && method != MSYN_MEDIAN_LUO))
        return MSYN_EINVAL;
    *mean = *sd = MSYN_NAN;
    range = !isnan(f->min) && !isnan(f->max);
    quart = !isnan(f->q1) && !isnan(f->q3);
    if (isnan(f->median) || isnan(f->n) || (!range && !quart))
        return MSYN_EINVAL;
    if (!(f->n >= 3) || !isfinite(f->n) || !ordered(f, range, quart))
        return MSYN_EDATA;
    n = f->n, a = f->min, b = f->max, q1 = f->q1, q3 = f->q3, m = f->median;
    if (range && quart) { /* S2 */
        fl = MSYN_MEDIAN_S2;
        if (method == MSYN_MEDIAN_WAN) {
            mu = (a + 2.0 * q1 + 2.0 * m + 2.0 * q3 + b) / 8.0;
        } else {
            double w1 = 2.2 / (2.2 + pow(n, 0.75)), w2 = 0.7 - 0.72 / pow(n, 0.55);
            mu = w1 * (a + b) / 2.0 + w2 * (q1 + q3) / 2.0 + (1.0 - w1 - w2) * m;
        }
        s = (b - a) / (2.0 * wan_xi(n)) + (q3 - q1) / (2.0 * wan_eta(n));
        if (skew_range(a, m, b, n) || skew_quartiles(q1, m, q3, n))
            fl |= MSYN_MEDIAN_SKEWED;
    } else if (range) { /* S1 */
        fl = MSYN_MEDIAN_S1;
        if (method == MSYN_MEDIAN_WAN) {
            mu = (a + 2.0 * m + b) / 4.0;
        } else {
            double w = 4.0 / (4.0 + pow(n, 0.75));
            mu = w * (a + b) / 2.0 + (1.0 - w) * m;
        }
        s = (b - a) / wan_xi(n);
        if (skew_range(a, m, b, n))
            fl |= MSYN_MEDIAN_SKEWED;
    } else { /* S3 */
        fl = MSYN_MEDIAN_S3;
        if (method == MSYN_MEDIAN_WAN) {
            mu = (q1 + m + q3) / 3.0;
        } else {
            double w = 0.7 + 0.39 / n;
            mu = w * (q1 + q3) / 2.0 + (1.0 - w) * m;
        }
        s = (q3 - q1) / wan_eta(n);
        if (skew_quartiles(q1, m, q3, n))
            fl |= MSYN_MEDIAN_SKEWED;
    }
    *mean = mu;
    *sd = s;
    if (flags)
        *flags = fl;
    return MSYN_OK;
}

/* ---- between measures ---------------------------------------------------- */

MSYN_API void msyn_smd_from_logor(double lor, double v, double *d, double *vd)
{
    if (d)
        *d = sqrt(3.0) / PI * lor;
    if (vd)
        *vd = 3.0 / (PI * PI) * v;
}

MSYN_API void msyn_logor_from_smd(double d, double vd, double *lor, double *v)
{
    if (lor)
        *lor = PI / sqrt(3.0) * d;
    if (v)
        *v = PI * PI / 3.0 * vd;
}

MSYN_API void msyn_smd_from_r(double r, double n, double *d, double *vd)
{
    int okr = fabs(r) < 1 && n > 1;
    if (d)
        *d = okr ? 2.0 * r / sqrt(1.0 - r * r) : MSYN_NAN;
    if (vd)
        *vd = okr ? 4.0 / ((n - 1.0) * (1.0 - r * r)) : MSYN_NAN;
}

MSYN_API void msyn_r_from_smd(double d, double vd, double n1, double n2,
                              double *r, double *vr)
{
    double a = (n1 + n2) * (n1 + n2) / (n1 * n2), q = d * d + a;
    int okn = n1 > 0 && n2 > 0;
    if (r)
        *r = okn ? d / sqrt(q) : MSYN_NAN;
    if (vr)
        *vr = okn ? a * a * vd / (q * q * q) : MSYN_NAN;
}

/* ---- back to the reading scale ------------------------------------------- */

/* Miller's (1978) inverse of the Freeman-Tukey transformation with n the
 * harmonic mean of the study sizes, clipped to [0, 1] as metafor's
 * transf.ipft.hm(). */
static double ipft(double x, double n)
{
    double s = sin(2.0 * x), t, z;
    double top = 0.5 * (asin(sqrt(n / (n + 1.0))) + asin(1.0));
    double bottom = 0.5 * asin(sqrt(1.0 / (n + 1.0)));
    if (isnan(x) || !(n > 0))
        return MSYN_NAN;
    if (x > top)
        return 1.0;
    if (x < bottom)
        return 0.0;
    t = s + (s - 1.0 / s) / n;
    z = 0.5 * (1.0 - copysign(1.0, cos(2.0 * x)) * sqrt(1.0 - t * t));
    return z;
}

MSYN_API double msyn_measure_back(msyn_measure m, double x, double n)
{
    switch (m) {
    case MSYN_MEASURE_OR: case MSYN_MEASURE_RR: case MSYN_MEASURE_ROM:
    case MSYN_MEASURE_PETO: case MSYN_MEASURE_HR: case MSYN_MEASURE_IRR:
    case MSYN_MEASURE_IRLN: case MSYN_MEASURE_MNLN:
        return exp(x);
    case MSYN_MEASURE_PLO:
        return 1.0 / (1.0 + exp(-x));
    case MSYN_MEASURE_PAS:
        if (x < 0)
            return 0.0;
        if (x > asin(1.0))
            return 1.0;
        return sin(x) * sin(x);
    case MSYN_MEASURE_PFT:
        return ipft(x, n);
    case MSYN_MEASURE_ZCOR:
        return tanh(x);
    default:
        return x;
    }
}

MSYN_API const char *msyn_measure_back_name(msyn_measure m)
{
    switch (m) {
    case MSYN_MEASURE_OR: case MSYN_MEASURE_PETO: return "OR";
    case MSYN_MEASURE_RR: return "RR";
    case MSYN_MEASURE_ROM: return "ratio of means";
    case MSYN_MEASURE_HR: return "HR";
    case MSYN_MEASURE_IRR: return "IRR";
    case MSYN_MEASURE_IRLN: return "rate";
    case MSYN_MEASURE_MNLN: return "mean";
    case MSYN_MEASURE_PLO: case MSYN_MEASURE_PAS: case MSYN_MEASURE_PFT: return "proportion";
    case MSYN_MEASURE_ZCOR: return "r";
    default: return NULL;
    }
}
