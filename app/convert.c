/*
 * convert.c - means and SDs of two-group data from what trials report
 * instead: standard errors, confidence intervals of a group mean, the mean
 * difference with its CI, t or p, and medians with quartiles and/or range
 * (Cochrane Handbook 6.5.2, Wan et al. 2014, Luo et al. 2018).
 *
 * Only missing values are filled: a reported SD always wins over one
 * derived from an SE.  Every filled value is marked in d->conv, described
 * by app_conv_items() for the reports, and counted in a warning.  The
 * arithmetic is libmetasyn's (msyn_sd_from_se and friends).
 */
#include <stdio.h>
#include <string.h>

#include "app.h"

static double val(const app_data *d, int c, size_t i)
{
    return d->col[c] ? d->col[c][i] : nan("");
}

static int have(const app_data *d, int c, size_t i) { return !isnan(val(d, c, i)); }

/* Make sure column c exists (all NaN when new). */
static int ensure(app_data *d, int c)
{
    if (d->col[c])
        return 0;
    if (!(d->col[c] = app_alloc((d->k + 1) * sizeof(double))))
        return -1;
    for (size_t i = 0; i <= d->k; i++)
        d->col[c][i] = nan("");
    return 0;
}

typedef struct arm_cols {
    int n, m, sd, se, lb, ub, med, q1, q3, mn, mx;
    unsigned m_med, sd_med, sd_se, sd_ci, m_ci, skew;
} arm_cols;

static const arm_cols arms[2] = {
    {COL_N1I, COL_M1I, COL_SD1I, COL_SE1I, COL_LB1I, COL_UB1I, COL_MED1I, COL_Q1_1I, COL_Q3_1I,
     COL_MIN1I, COL_MAX1I, CONV_M1_MEDIAN, CONV_SD1_MEDIAN, CONV_SD1_SE, CONV_SD1_CI, CONV_M1_CI,
     CONV_SKEW1},
    {COL_N2I, COL_M2I, COL_SD2I, COL_SE2I, COL_LB2I, COL_UB2I, COL_MED2I, COL_Q1_2I, COL_Q3_2I,
     COL_MIN2I, COL_MAX2I, CONV_M2_MEDIAN, CONV_SD2_MEDIAN, CONV_SD2_SE, CONV_SD2_CI, CONV_M2_CI,
     CONV_SKEW2}};

static void set(app_data *d, int c, size_t i, double x, unsigned bit)
{
    if (!isnan(x)) {
        d->col[c][i] = x;
        d->conv[i] |= bit;
    }
}

/* One arm of study i: median first (it gives a mean and an SD), then the
 * SE, then a CI of the mean. */
static void convert_arm(app_data *d, const arm_cols *a, const msyn_es_opts *eo, size_t i)
{
    double n = val(d, a->n, i);
    if (isnan(n))
        return;
    if ((!have(d, a->m, i) || !have(d, a->sd, i)) && have(d, a->med, i) && !d->co.median_off) {
        msyn_fivenum f = {val(d, a->mn, i), val(d, a->q1, i), val(d, a->med, i),
                          val(d, a->q3, i), val(d, a->mx, i), n};
        double mean, sd;
        unsigned fl = 0;
        if (msyn_mean_from_median(d->co.median, &f, &mean, &sd, &fl) == MSYN_OK) {
            if (!have(d, a->m, i))
                set(d, a->m, i, mean, a->m_med);
            if (!have(d, a->sd, i))
                set(d, a->sd, i, sd, a->sd_med);
            if (fl & MSYN_MEDIAN_SKEWED)
                d->conv[i] |= a->skew;
        }
    }
    if (!have(d, a->sd, i) && have(d, a->se, i))
        set(d, a->sd, i, msyn_sd_from_se(val(d, a->se, i), n), a->sd_se);
    if (have(d, a->lb, i) && have(d, a->ub, i)) {
        double lb = val(d, a->lb, i), ub = val(d, a->ub, i);
        if (!have(d, a->sd, i))
            set(d, a->sd, i, msyn_sd_from_ci(lb, ub, n, eo ? eo->ci_level : 0.95), a->sd_ci);
        if (!have(d, a->m, i) && ub > lb)
            set(d, a->m, i, (lb + ub) / 2.0, a->m_ci);
    }
}

/* One SD for both arms from the mean difference's CI, t or p. */
static void convert_md(app_data *d, msyn_measure m, const msyn_es_opts *eo, size_t i)
{
    double n1 = val(d, COL_N1I, i), n2 = val(d, COL_N2I, i), md = val(d, COL_MDI, i);
    double se = nan(""), df = n1 + n2 - 2.0;
    unsigned how = 0;
    if (isnan(n1) || isnan(n2) || (have(d, COL_SD1I, i) && have(d, COL_SD2I, i)))
        goto means;
    if (have(d, COL_MDI_LB, i) && have(d, COL_MDI_UB, i)) {
        /* Handbook 6.5.2.3: t with n1 + n2 - 2 df for small groups */
        se = msyn_se_from_ci(val(d, COL_MDI_LB, i), val(d, COL_MDI_UB, i), eo ? eo->ci_level : 0.95,
                             n1 < 60 || n2 < 60 ? df : nan(""));
        how = CONV_SD_MD_CI;
        if (isnan(md))
            md = (val(d, COL_MDI_LB, i) + val(d, COL_MDI_UB, i)) / 2.0;
    } else if (have(d, COL_MDI_T, i) && !isnan(md) && val(d, COL_MDI_T, i) != 0) {
        se = fabs(md / val(d, COL_MDI_T, i));
        how = CONV_SD_MD_T;
    } else if (have(d, COL_MDI_P, i) && !isnan(md)) {
        se = msyn_se_from_p(md, val(d, COL_MDI_P, i), df);
        how = CONV_SD_MD_P;
    }
    if (!isnan(se) && df > 0) {
        double sd = msyn_sd_from_md_se(se, n1, n2);
        if (!have(d, COL_SD1I, i))
            set(d, COL_SD1I, i, sd, how);
        if (!have(d, COL_SD2I, i))
            set(d, COL_SD2I, i, sd, how);
    }
means:
    /* Only the difference matters for MD and the SMDs: m1i = MD, m2i = 0. */
    if (!isnan(md) && !have(d, COL_M1I, i) && !have(d, COL_M2I, i) &&
        (m == MSYN_MEASURE_MD || m == MSYN_MEASURE_SMD || m == MSYN_MEASURE_SMDH ||
         m == MSYN_MEASURE_OR || m == MSYN_MEASURE_COR || m == MSYN_MEASURE_ZCOR)) {
        d->col[COL_M1I][i] = md;
        d->col[COL_M2I][i] = 0.0;
        d->conv[i] |= CONV_M_MD;
    }
}

static const unsigned conv_bits[APP_CONV_KINDS] = {
    CONV_M1_MEDIAN | CONV_M2_MEDIAN | CONV_SD1_MEDIAN | CONV_SD2_MEDIAN,
    CONV_SD1_SE | CONV_SD2_SE,
    CONV_SD1_CI | CONV_SD2_CI,
    CONV_SD_MD_CI | CONV_SD_MD_T | CONV_SD_MD_P,
    CONV_M_MD};

void app_conv_count(const app_data *d, size_t n[APP_CONV_KINDS])
{
    if (!d->conv)
        return;
    for (size_t i = 0; i < d->k; i++)
        for (int j = 0; j < APP_CONV_KINDS; j++)
            n[j] += (d->conv[i] & conv_bits[j]) != 0;
}

void app_conv_summary(const size_t n[APP_CONV_KINDS], const app_conv_opts *co, app_strlist *w)
{
    const char *what[APP_CONV_KINDS] = {
        co->median == MSYN_MEDIAN_WAN ? "mean and SD estimated from the median with quartiles and/or range (Wan et al. 2014)"
                                      : "mean and SD estimated from the median with quartiles and/or range (Luo et al. 2018 mean, Wan et al. 2014 SD)",
        "SD from the standard error of the mean (SD = SE x sqrt(n))",
        "SD from the confidence interval of the group mean (t-based when n < 60)",
        "one SD for both groups from the mean difference's CI, t or p (Handbook 6.5.2.3): the groups' own SDs are unknown",
        "only the mean difference was reported (m1i = MD, m2i = 0)"};
    for (int j = 0; j < APP_CONV_KINDS; j++)
        if (n[j])
            app_strlist_addf(w, "%zu %s: %s", n[j], n[j] == 1 ? "study" : "studies", what[j]);
}

static int has_any(const app_data *d, int from, int to)
{
    for (int c = from; c <= to; c++)
        if (d->col[c])
            return 1;
    return 0;
}

int app_convert(app_data *d, msyn_measure m, const msyn_es_opts *eo, app_err *e)
{
    const char *med = d->co.median == MSYN_MEDIAN_WAN ? "Wan et al. 2014" : "Luo et al. 2018 (mean), Wan et al. 2014 (SD)";
    if (!d->col[COL_N1I] || !d->col[COL_N2I] || !has_any(d, COL_SE1I, COL_MAX2I))
        return 0; /* nothing to convert, or not two-group data */
    if (ensure(d, COL_M1I) || ensure(d, COL_SD1I) || ensure(d, COL_M2I) || ensure(d, COL_SD2I)) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < d->k; i++) {
        convert_arm(d, &arms[0], eo, i);
        convert_arm(d, &arms[1], eo, i);
        convert_md(d, m, eo, i);
    }
    if (!d->co.counts_only) {
        size_t n[APP_CONV_KINDS] = {0};
        app_conv_count(d, n);
        app_conv_summary(n, &d->co, &d->warnings);
    }
    for (size_t i = 0; i < d->k; i++)
        for (int g = 0; g < 2; g++)
            if (d->conv[i] & arms[g].skew)
                app_strlist_addf(&d->warnings,
                                 "%s (line %ld): the median of group %d lies far from the centre of its quartiles or range (skewness test of Shi et al. 2023, 5%% level): the data look skewed and the mean and SD estimated from them (%s) may mislead; consider a sensitivity analysis without this study",
                                 d->study[i], d->line[i], g + 1, med);
    return d->warnings.oom ? (app_err_set(e, APP_EXIT_INTERNAL, "out of memory"), -1) : 0;
}

/* The columns a median conversion of group g (0, 1) of study i used. */
static const char *median_from(const app_data *d, size_t i, int g, int sd)
{
    static const char *const from[2][2][3] = {
        {{"med1i, min1i, max1i", "med1i, q1_1i, q3_1i", "med1i, q1_1i, q3_1i, min1i, max1i"},
         {"min1i, max1i", "q1_1i, q3_1i", "q1_1i, q3_1i, min1i, max1i"}},
        {{"med2i, min2i, max2i", "med2i, q1_2i, q3_2i", "med2i, q1_2i, q3_2i, min2i, max2i"},
         {"min2i, max2i", "q1_2i, q3_2i", "q1_2i, q3_2i, min2i, max2i"}}};
    const arm_cols *a = &arms[g];
    int range = have(d, a->mn, i) && have(d, a->mx, i);
    int quart = have(d, a->q1, i) && have(d, a->q3, i);
    return from[g][sd][range && quart ? 2 : quart ? 1 : 0];
}

size_t app_conv_items(const app_data *d, size_t i, app_conv_item out[8])
{
    static const struct {
        unsigned bit;
        app_conv_item item;
    } table[] = {
        {CONV_M1_MEDIAN, {"m1i", "", ""}},
        {CONV_SD1_MEDIAN, {"sd1i", "", "SD from the quartiles and/or range (Wan et al. 2014)"}},
        {CONV_M2_MEDIAN, {"m2i", "", ""}},
        {CONV_SD2_MEDIAN, {"sd2i", "", "SD from the quartiles and/or range (Wan et al. 2014)"}},
        {CONV_SD1_SE, {"sd1i", "se1i", "SD = SE x sqrt(n) (Cochrane Handbook 6.5.2.2)"}},
        {CONV_SD2_SE, {"sd2i", "se2i", "SD = SE x sqrt(n) (Cochrane Handbook 6.5.2.2)"}},
        {CONV_SD1_CI, {"sd1i", "lb1i, ub1i", "SD = sqrt(n) (ub - lb) / (2 q), q from t(n - 1) when n < 60 (Cochrane Handbook 6.5.2.2)"}},
        {CONV_SD2_CI, {"sd2i", "lb2i, ub2i", "SD = sqrt(n) (ub - lb) / (2 q), q from t(n - 1) when n < 60 (Cochrane Handbook 6.5.2.2)"}},
        {CONV_M1_CI, {"m1i", "lb1i, ub1i", "mean = centre of its confidence interval"}},
        {CONV_M2_CI, {"m2i", "lb2i, ub2i", "mean = centre of its confidence interval"}},
        {CONV_SD_MD_CI, {"sd1i, sd2i", "mdi_lb, mdi_ub", "one SD for both groups: SE of the MD from its CI, SD = SE / sqrt(1/n1 + 1/n2) (Cochrane Handbook 6.5.2.3)"}},
        {CONV_SD_MD_T, {"sd1i, sd2i", "mdi, mdi_t", "one SD for both groups: SE = MD / t, SD = SE / sqrt(1/n1 + 1/n2) (Cochrane Handbook 6.5.2.3)"}},
        {CONV_SD_MD_P, {"sd1i, sd2i", "mdi, mdi_p", "one SD for both groups: t from p with n1 + n2 - 2 df, SE = MD / t, SD = SE / sqrt(1/n1 + 1/n2) (Cochrane Handbook 6.5.2.3)"}},
        {CONV_M_MD, {"m1i, m2i", "mdi", "only the difference was reported: m1i = MD, m2i = 0"}},
    };
    size_t n = 0;
    for (size_t j = 0; j < sizeof table / sizeof table[0] && n < 8; j++) {
        unsigned bit = table[j].bit;
        if (!d->conv || !(d->conv[i] & bit))
            continue;
        out[n] = table[j].item;
        if (bit & (CONV_M1_MEDIAN | CONV_M2_MEDIAN)) {
            out[n].from = median_from(d, i, bit == CONV_M2_MEDIAN, 0);
            out[n].method = d->co.median == MSYN_MEDIAN_WAN ? "mean from the median (Wan et al. 2014)"
                                                            : "mean from the median (Luo et al. 2018)";
        } else if (bit & (CONV_SD1_MEDIAN | CONV_SD2_MEDIAN)) {
            out[n].from = median_from(d, i, bit == CONV_SD2_MEDIAN, 1);
        }
        n++;
    }
    return n;
}
