/*
 * names.c - names, labels and parsers of the public enums, status strings
 * and the sentences behind fit flags.
 *
 * One table per enum, so the name printed in JSON, the name accepted on the
 * command line and the label in a report can never drift apart.
 */
#include <string.h>
#include <strings.h>

#include "internal.h"

MSYN_API const char *msyn_version(void) { return MSYN_VERSION_STRING; }

MSYN_API const char *msyn_strerror(msyn_status rc)
{
    switch (rc) {
    case MSYN_OK: return "success";
    case MSYN_EINVAL: return "invalid argument";
    case MSYN_ENOMEM: return "out of memory";
    case MSYN_ETOOFEW: return "too few studies for this analysis";
    case MSYN_EDATA: return "study data outside their valid range";
    case MSYN_EMEASURE: return "measure does not fit the data or the method";
    case MSYN_ENOCONV: return "the estimator did not converge";
    case MSYN_ENOTESTIMABLE: return "the pooled estimate is not estimable from these data";
    }
    return "unknown status";
}

struct name_entry {
    int value;
    const char *name;
    const char *label;
};

static const struct name_entry measures[] = {
    {MSYN_MEASURE_GEN, "GEN", "generic effect size"},
    {MSYN_MEASURE_MD, "MD", "mean difference"},
    {MSYN_MEASURE_SMD, "SMD", "standardized mean difference"},
    {MSYN_MEASURE_SMDH, "SMDH", "standardized mean difference (heteroscedastic)"},
    {MSYN_MEASURE_ROM, "ROM", "log ratio of means"},
    {MSYN_MEASURE_OR, "OR", "log odds ratio"},
    {MSYN_MEASURE_RR, "RR", "log risk ratio"},
    {MSYN_MEASURE_RD, "RD", "risk difference"},
    {MSYN_MEASURE_PETO, "PETO", "log odds ratio (Peto)"},
    {MSYN_MEASURE_AS, "AS", "arcsine square-root risk difference"},
    {MSYN_MEASURE_HR, "HR", "log hazard ratio"},
    {MSYN_MEASURE_PR, "PR", "proportion"},
    {MSYN_MEASURE_PLO, "PLO", "logit proportion"},
    {MSYN_MEASURE_PAS, "PAS", "arcsine square-root proportion"},
    {MSYN_MEASURE_PFT, "PFT", "Freeman-Tukey double arcsine proportion"},
    {MSYN_MEASURE_IR, "IR", "incidence rate"},
    {MSYN_MEASURE_IRLN, "IRLN", "log incidence rate"},
    {MSYN_MEASURE_MN, "MN", "mean"},
    {MSYN_MEASURE_MNLN, "MNLN", "log mean"},
    {MSYN_MEASURE_COR, "COR", "correlation"},
    {MSYN_MEASURE_ZCOR, "ZCOR", "Fisher's z of a correlation"},
    {MSYN_MEASURE_IRR, "IRR", "log incidence rate ratio"},
    {MSYN_MEASURE_IRD, "IRD", "incidence rate difference"},
    {MSYN_MEASURE_SMCC, "SMCC", "standardized mean change (change-score SD)"},
    {MSYN_MEASURE_SMCR, "SMCR", "standardized mean change (raw-score SD)"},
};

static const struct name_entry methods[] = {
    {MSYN_METHOD_EE, "EE", "common effect (inverse variance)"},
    {MSYN_METHOD_DL, "DL", "DerSimonian-Laird"},
    {MSYN_METHOD_HE, "HE", "Hedges"},
    {MSYN_METHOD_HS, "HS", "Hunter-Schmidt"},
    {MSYN_METHOD_SJ, "SJ", "Sidik-Jonkman"},
    {MSYN_METHOD_ML, "ML", "maximum likelihood"},
    {MSYN_METHOD_REML, "REML", "restricted maximum likelihood"},
    {MSYN_METHOD_EB, "EB", "empirical Bayes"},
    {MSYN_METHOD_PM, "PM", "Paule-Mandel"},
    {MSYN_METHOD_MH, "MH", "Mantel-Haenszel"},
    {MSYN_METHOD_PETO, "PETO", "Peto"},
};

static const struct name_entry tests[] = {
    {MSYN_TEST_Z, "z", "Wald z"},
    {MSYN_TEST_T, "t", "t distribution"},
    {MSYN_TEST_KNHA, "knha", "Hartung-Knapp-Sidik-Jonkman"},
    {MSYN_TEST_ADHOC, "adhoc", "Hartung-Knapp-Sidik-Jonkman (ad hoc, never narrower than z)"},
};

static const struct name_entry presets[] = {
    {MSYN_PRESET_COCHRANE2025, "cochrane2025", "Cochrane 2025 (RevMan Web)"},
    {MSYN_PRESET_METAFOR, "metafor", "metafor 3.8 defaults"},
    {MSYN_PRESET_REVMAN5, "revman5", "RevMan 5"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct name_entry *find_value(const struct name_entry *t,
                                           size_t n, int value)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].value == value)
            return &t[i];
    return NULL;
}

static int find_name(const struct name_entry *t, size_t n, const char *name,
                     int *value)
{
    if (!name)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(t[i].name, name) == 0) {
            *value = t[i].value;
            return 1;
        }
    return 0;
}

#define NAME_FUNCS(TYPE, PREFIX, TABLE)                                      \
    MSYN_API const char *PREFIX##_name(TYPE v)                               \
    {                                                                        \
        const struct name_entry *e = find_value(TABLE, NELEM(TABLE), (int)v); \
        return e ? e->name : NULL;                                           \
    }

NAME_FUNCS(msyn_measure, msyn_measure, measures)
NAME_FUNCS(msyn_method, msyn_method, methods)
NAME_FUNCS(msyn_test, msyn_test, tests)
NAME_FUNCS(msyn_preset, msyn_preset, presets)

MSYN_API const char *msyn_measure_label(msyn_measure m)
{
    const struct name_entry *e = find_value(measures, NELEM(measures), (int)m);
    return e ? e->label : NULL;
}

MSYN_API const char *msyn_method_label(msyn_method m)
{
    const struct name_entry *e = find_value(methods, NELEM(methods), (int)m);
    return e ? e->label : NULL;
}

MSYN_API const char *msyn_test_label(msyn_test t)
{
    const struct name_entry *e = find_value(tests, NELEM(tests), (int)t);
    return e ? e->label : NULL;
}

MSYN_API msyn_status msyn_measure_parse(const char *name, msyn_measure *m)
{
    int v;
    if (!m || !find_name(measures, NELEM(measures), name, &v))
        return MSYN_EINVAL;
    *m = (msyn_measure)v;
    return MSYN_OK;
}

MSYN_API msyn_status msyn_method_parse(const char *name, msyn_method *m)
{
    int v;
    if (!m || !name)
        return MSYN_EINVAL;
    if (strcasecmp(name, "FE") == 0 || strcasecmp(name, "CE") == 0) {
        *m = MSYN_METHOD_EE;
        return MSYN_OK;
    }
    if (!find_name(methods, NELEM(methods), name, &v))
        return MSYN_EINVAL;
    *m = (msyn_method)v;
    return MSYN_OK;
}

MSYN_API msyn_status msyn_test_parse(const char *name, msyn_test *t)
{
    int v;
    if (!t || !name)
        return MSYN_EINVAL;
    if (strcasecmp(name, "hksj") == 0) {
        *t = MSYN_TEST_KNHA;
        return MSYN_OK;
    }
    if (!find_name(tests, NELEM(tests), name, &v))
        return MSYN_EINVAL;
    *t = (msyn_test)v;
    return MSYN_OK;
}

MSYN_API msyn_status msyn_preset_parse(const char *name, msyn_preset *p)
{
    int v;
    if (!p || !find_name(presets, NELEM(presets), name, &v))
        return MSYN_EINVAL;
    *p = (msyn_preset)v;
    return MSYN_OK;
}

MSYN_API int msyn_measure_is_ratio(msyn_measure m)
{
    return m == MSYN_MEASURE_OR || m == MSYN_MEASURE_RR ||
           m == MSYN_MEASURE_ROM || m == MSYN_MEASURE_PETO ||
           m == MSYN_MEASURE_HR || m == MSYN_MEASURE_IRR;
}

/* Sentences for MSYN_FIT_* bits, in bit order. */
static const struct {
    unsigned bit;
    const char *text;
} flag_texts[] = {
    {MSYN_FIT_TAU2_TRUNCATED, "the tau^2 estimate was negative and has been set to 0"},
    {MSYN_FIT_FALLBACK, "the requested tau^2 estimator failed; a fallback estimator was used"},
    {MSYN_FIT_LL0_RESET, "the likelihood at tau^2 = 0 exceeded the likelihood at the estimate (a local maximum); tau^2 was set to 0"},
    {MSYN_FIT_K1, "only one study: tau^2 is 0, heterogeneity cannot be assessed and the z test is used"},
    {MSYN_FIT_TAU2_CI_NULL, "the Q-profile confidence interval for tau^2 is the null set {0}: the data show less variation than expected from sampling error alone"},
    {MSYN_FIT_KNHA_ZERO, "all studies lie exactly on the pooled estimate, so the Hartung-Knapp-Sidik-Jonkman variance is 0 and the CI has zero width; consider --test adhoc"},
    {MSYN_FIT_KNHA_EE, "the Hartung-Knapp-Sidik-Jonkman adjustment is not meant for common-effect models"},
    {MSYN_FIT_TEST_IGNORED, "the test option does not apply to Mantel-Haenszel or Peto pooling; the z test is used"},
    {MSYN_FIT_VI_RATIO, "the largest sampling variance is more than 1e7 times the smallest; results may be numerically unstable"},
    {MSYN_FIT_NO_HET, "heterogeneity statistics cannot be computed (fewer than two estimable studies)"},
    {MSYN_FIT_EQUAL_EFFECTS, "all studies have the same effect size"},
    {MSYN_FIT_PI_DF_FLOOR, "the prediction interval needs k - 2 >= 1 degrees of freedom; 1 was used"},
    {MSYN_FIT_TAU2_FIXED, "tau^2 was fixed at the given value, not estimated"},
};

MSYN_API const char *msyn_fit_flag_text(unsigned flags, unsigned n)
{
    unsigned seen = 0;
    for (size_t i = 0; i < NELEM(flag_texts); i++) {
        if (flags & flag_texts[i].bit) {
            if (seen == n)
                return flag_texts[i].text;
            seen++;
        }
    }
    return NULL;
}
