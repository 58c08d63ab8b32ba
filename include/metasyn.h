/*
 * metasyn.h - the public interface of libmetasyn.
 *
 * libmetasyn computes effect sizes and pools them in common-effect and
 * random-effects meta-analyses with the conventions of R's metafor package
 * (and, under the revman5 preset, of Cochrane's RevMan 5).  It is pure
 * computation: no file I/O, no printing, no global mutable state, no exit()
 * or abort().  Every function may be called from several threads at once on
 * different data.
 *
 * Conventions used throughout:
 *   - k is the number of studies; yi/vi are effect sizes and their sampling
 *     variances; ratio measures (OR, RR, ROM, HR, PETO) live on the log scale.
 *   - Fallible functions return msyn_status and write results through
 *     out-parameters.  Non-fatal conditions (tau^2 truncated at zero, a
 *     continuity correction, a fallback estimator) are flags in the result,
 *     never silent and never an error.
 *   - A missing study value is NaN.  Studies with a missing value are left
 *     out of the analysis and flagged; infinite values are errors.
 *   - Callers allocate: results are plain structs, per-study outputs go into
 *     caller arrays of length k.  The library keeps no pointer to caller data.
 *
 * The formulas behind every function are in docs/METHODS.md.
 *
 * GSL: libmetasyn calls GSL in the fallback of its root finder and for the
 * QR decomposition of meta-regression designs, with arguments it has
 * checked, so GSL's error handler can fire only if GSL runs out of memory.  GSL's default handler then aborts; programs
 * that must never abort call gsl_set_error_handler_off() once at start-up
 * (the metasyn program does).
 *
 * Copyright (C) 2026 the metasyn authors.  GPL-3.0-or-later.
 */
#ifndef METASYN_H
#define METASYN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(MSYN_BUILDING) && defined(__GNUC__)
#define MSYN_API __attribute__((visibility("default")))
#else
#define MSYN_API
#endif

/* ==================================================================== */
/* Version                                                              */
/* ==================================================================== */

#define MSYN_VERSION_MAJOR 0
#define MSYN_VERSION_MINOR 1
#define MSYN_VERSION_PATCH 0
#define MSYN_VERSION_STRING "0.1.0"

/* The version of the library actually linked, e.g. "0.1.0". */
MSYN_API const char *msyn_version(void);

/* ==================================================================== */
/* Status codes                                                         */
/* ==================================================================== */

/* Values are fixed and never reused. */
typedef enum msyn_status {
    MSYN_OK = 0,
    MSYN_EINVAL = 1,        /* invalid argument: NULL pointer, unknown enum
                               value, level outside (0, 1), ...            */
    MSYN_ENOMEM = 2,        /* out of memory                                */
    MSYN_ETOOFEW = 3,       /* too few studies for the requested analysis   */
    MSYN_EDATA = 4,         /* study data outside its domain (negative SD,
                               events > n, infinite value, vi <= 0, ...)   */
    MSYN_EMEASURE = 5,      /* measure and method/input do not go together  */
    MSYN_ENOCONV = 6,       /* an iterative estimator did not converge and
                               no fallback was allowed                      */
    MSYN_ENOTESTIMABLE = 7  /* the estimate is undefined for these data (no
                               events at all for Mantel-Haenszel, zero total
                               variance for Peto, ...)                      */
} msyn_status;

/* A short English sentence for a status code; never NULL. */
MSYN_API const char *msyn_strerror(msyn_status rc);

/* ==================================================================== */
/* Effect-size measures                                                 */
/* ==================================================================== */

typedef enum msyn_measure {
    MSYN_MEASURE_GEN = 0,   /* generic: yi with vi, sei or a CI          */
    MSYN_MEASURE_MD = 1,    /* mean difference                           */
    MSYN_MEASURE_SMD = 2,   /* standardized mean difference (Hedges' g)  */
    MSYN_MEASURE_SMDH = 3,  /* SMD with heteroscedastic SDs (Bonett)     */
    MSYN_MEASURE_ROM = 4,   /* log ratio of means                        */
    MSYN_MEASURE_OR = 10,   /* log odds ratio                            */
    MSYN_MEASURE_RR = 11,   /* log risk ratio                            */
    MSYN_MEASURE_RD = 12,   /* risk difference                           */
    MSYN_MEASURE_PETO = 13, /* Peto's log odds ratio (one-step)          */
    MSYN_MEASURE_AS = 14,   /* arcsine square-root risk difference       */
    MSYN_MEASURE_HR = 20,   /* log hazard ratio (estimates, or O-E and V) */
    /* one group */
    MSYN_MEASURE_PR = 30,   /* raw proportion                            */
    MSYN_MEASURE_PLO = 31,  /* logit of a proportion                     */
    MSYN_MEASURE_PAS = 32,  /* arcsine square-root proportion            */
    MSYN_MEASURE_PFT = 33,  /* Freeman-Tukey double arcsine proportion   */
    MSYN_MEASURE_IR = 34,   /* incidence rate                            */
    MSYN_MEASURE_IRLN = 35, /* log incidence rate                        */
    MSYN_MEASURE_MN = 36,   /* raw mean                                  */
    MSYN_MEASURE_MNLN = 37, /* log mean                                  */
    MSYN_MEASURE_COR = 40,  /* raw correlation                           */
    MSYN_MEASURE_ZCOR = 41, /* Fisher's z-transformed correlation        */
    /* two groups, person-time */
    MSYN_MEASURE_IRR = 50,  /* log incidence rate ratio                  */
    MSYN_MEASURE_IRD = 51,  /* incidence rate difference                 */
    /* one group, two time points */
    MSYN_MEASURE_SMCC = 60, /* standardized mean change, change-score SD */
    MSYN_MEASURE_SMCR = 61  /* standardized mean change, raw-score SD    */
} msyn_measure;

/* Upper-case name ("SMD", "OR", ...); NULL for an unknown value. */
MSYN_API const char *msyn_measure_name(msyn_measure m);
/* What the analysis scale is, e.g. "log odds ratio"; NULL if unknown. */
MSYN_API const char *msyn_measure_label(msyn_measure m);
/* Parse a name, case-insensitively.  MSYN_EINVAL if unknown. */
MSYN_API msyn_status msyn_measure_parse(const char *name, msyn_measure *m);
/* 1 if the measure is a ratio analysed on the log scale (OR, RR, ROM,
 * PETO, HR, IRR). */
MSYN_API int msyn_measure_is_ratio(msyn_measure m);

/* Results of some measures are analysed on a transformed scale and read on
 * another: ratios (exp), PLO (inverse logit), PAS (sin^2), PFT (Miller's
 * inverse with the harmonic mean of the study sizes), IRLN and MNLN (exp),
 * ZCOR (tanh).  msyn_measure_back() maps a value (an estimate or a CI or
 * prediction bound) to the reading scale; n is the harmonic mean of the
 * studies' ni, used by PFT only (Miller 1978, as metafor's transf.ipft.hm).
 * For measures read on their analysis scale it returns x unchanged. */
MSYN_API double msyn_measure_back(msyn_measure m, double x, double n);
/* Short name of the reading scale ("RR", "proportion", "r", ...), or NULL
 * when the measure is read on its analysis scale. */
MSYN_API const char *msyn_measure_back_name(msyn_measure m);

/* How the studies' data were given. */
typedef enum msyn_input {
    MSYN_INPUT_NONE = 0,
    MSYN_INPUT_ARMS = 1,      /* n1i m1i sd1i n2i m2i sd2i            */
    MSYN_INPUT_TABLE = 2,     /* ai bi ci di (bi, di may come from n) */
    MSYN_INPUT_ESTIMATE = 3,  /* yi with vi, sei or ci_lb/ci_ub       */
    MSYN_INPUT_PROPORTION = 4,/* xi ni: events in one group           */
    MSYN_INPUT_RATE = 5,      /* xi ti: events and person-time        */
    MSYN_INPUT_MEAN = 6,      /* mi sdi ni: one group's mean          */
    MSYN_INPUT_CORRELATION = 7, /* ri ni                              */
    MSYN_INPUT_RATES = 8,     /* x1i t1i x2i t2i: two groups' rates   */
    MSYN_INPUT_PREPOST = 9,   /* m1i m2i sd1i sd2i ni ri: one group at
                                 two time points                      */
    MSYN_INPUT_OE = 10        /* oei vei: O - E and its variance V     */
} msyn_input;

/* Study-level data as columns.  Every pointer is NULL when the column is
 * absent, otherwise it points at k values (NaN = missing).  For a 2x2 table
 * give ai, ci and either bi, di or n1i, n2i (or both, then they must agree:
 * n1i = ai + bi).  For estimates give yi and one of vi, sei or ci_lb+ci_ub. */
typedef struct msyn_es_data {
    const double *n1i, *m1i, *sd1i;
    const double *n2i, *m2i, *sd2i;
    const double *ai, *bi, *ci, *di;
    const double *yi, *vi, *sei, *ci_lb, *ci_ub;
    const double *xi, *ni, *ti;          /* one group: events, size, time */
    const double *x1i, *t1i, *x2i, *t2i; /* two groups' events and time   */
    const double *mi, *sdi;              /* one group's mean and SD       */
    const double *ri;                    /* correlation (COR, SMCC, ...)  */
    const double *oei, *vei;             /* O - E and its variance V      */
} msyn_es_data;

/* Where the zero-cell increment goes (metafor's `to`). */
typedef enum msyn_add_to {
    MSYN_ADD_ONLY0 = 0,  /* to every cell of tables that have a zero cell */
    MSYN_ADD_ALL = 1,    /* to every cell of every table                   */
    MSYN_ADD_IF0ALL = 2, /* to every table if any table has a zero cell    */
    MSYN_ADD_NONE = 3
} msyn_add_to;

/* Hedges' small-sample correction J for SMD. */
typedef enum msyn_smd_j {
    MSYN_SMD_J_EXACT = 0,   /* Gamma-function form (metafor)              */
    MSYN_SMD_J_APPROX = 1   /* 1 - 3/(4N - 9) (Hedges 1981; RevMan 5)      */
} msyn_smd_j;

/* Sampling variance of SMD. */
typedef enum msyn_smd_var {
    MSYN_SMD_VAR_LS = 0,     /* 1/n1 + 1/n2 + g^2/(2N) (metafor default)   */
    MSYN_SMD_VAR_REVMAN5 = 1 /* 1/n1 + 1/n2 + g^2/(2(N - 3.94))            */
} msyn_smd_var;

/* Options of the effect-size computation; msyn_es_opts_default() gives
 * metafor's escalc() defaults. */
typedef struct msyn_es_opts {
    double add;            /* zero-cell increment, default 0.5              */
    msyn_add_to to;        /* default MSYN_ADD_ONLY0                        */
    int drop00;            /* 1: tables with no events (or no non-events) in
                              both groups are not estimable; default 0     */
    int rd_add_yi;         /* 1 (metafor): RD from the corrected counts;
                              0 (RevMan 5): RD from the raw counts, only its
                              variance uses the correction                 */
    msyn_smd_j smd_j;      /* default MSYN_SMD_J_EXACT                      */
    msyn_smd_var smd_var;  /* default MSYN_SMD_VAR_LS                       */
    int natural_scale;     /* estimates of a ratio measure given as ratios
                              (yi, ci_lb, ci_ub > 0): take logs first       */
    double ci_level;       /* level of given ci_lb/ci_ub, default 0.95      */
    double ri;             /* SMCC/SMCR: correlation of the two time points
                              where the ri column is absent or missing;
                              NaN (default): none                         */
} msyn_es_opts;

MSYN_API void msyn_es_opts_default(msyn_es_opts *o);

/* Per-study flags written by msyn_es(). */
#define MSYN_ES_MISSING   0x01u /* a needed value is missing: left out      */
#define MSYN_ES_ADDED     0x02u /* zero-cell increment added to this table  */
#define MSYN_ES_DROPPED00 0x04u /* double-zero table, not estimable         */
#define MSYN_ES_NA        0x08u /* effect or variance undefined (e.g. SMD
                                   with n1 + n2 <= 3): left out             */
#define MSYN_ES_FROM_SE   0x10u /* variance from a standard error           */
#define MSYN_ES_FROM_CI   0x20u /* variance from a confidence interval      */
#define MSYN_ES_FROM_OR   0x40u /* SMD from a 2x2 table's log odds ratio
                                   (Chinn 2000; metafor's OR2DL)           */
#define MSYN_ES_FROM_SMD  0x80u /* log OR (metafor's D2ORL) or r from the
                                   standardized difference of two means    */
#define MSYN_ES_FROM_R    0x100u /* SMD from a point-biserial correlation  */
#define MSYN_ES_RI_GIVEN  0x200u /* SMCC/SMCR: correlation from opts->ri   */

/* A problem with one value of the input, for messages. */
typedef struct msyn_problem {
    size_t study;          /* 0-based index of the study                   */
    const char *column;    /* metafor column name, e.g. "sd1i"             */
    char message[160];     /* e.g. "sd1i must be > 0 (got -2.1)"           */
} msyn_problem;

/* The input form msyn_es() would use for this measure and these columns,
 * or MSYN_INPUT_NONE: the first form, in the measure's order of
 * preference, whose columns are all present.  Study data win over
 * estimates; the order is in docs/METHODS.md ("Input forms"). */
MSYN_API msyn_input msyn_es_input(msyn_measure m, const msyn_es_data *d);

/* The form msyn_es() uses for study i: rows are taken one at a time, so a
 * study with complete arm data uses them while the next, with only a
 * reported estimate, uses that.  The first form whose values are all
 * present wins; a study with no complete form gets the first form whose
 * columns exist (and is then missing).  o may be NULL (defaults). */
MSYN_API msyn_input msyn_es_row_input(msyn_measure m, const msyn_es_data *d,
                                      const msyn_es_opts *o, size_t i);

/* Check every value msyn_es() would use.  Returns MSYN_OK, or MSYN_EDATA
 * (first problem in *first, if first is not NULL) or MSYN_EMEASURE when the
 * columns do not fit the measure (first->study is then (size_t)-1). */
MSYN_API msyn_status msyn_es_check(msyn_measure m, const msyn_es_data *d,
                                   size_t k, const msyn_es_opts *o,
                                   msyn_problem *first);

/* Effect sizes and sampling variances of k studies, as metafor's escalc()
 * computes them.  yi and vi receive k values each; flags (may be NULL) gets
 * MSYN_ES_* bits per study.  Studies that cannot be estimated get NaN in yi
 * and vi and a flag.  Runs msyn_es_check() first. */
MSYN_API msyn_status msyn_es(msyn_measure m, const msyn_es_data *d, size_t k,
                             const msyn_es_opts *o, double *yi, double *vi,
                             unsigned *flags);

/* Hedges' correction factor J(m) = Gamma(m/2)/(sqrt(m/2) Gamma((m-1)/2));
 * NaN if m <= 1. */
MSYN_API double msyn_es_hedges_j(double m);

/* ==================================================================== */
/* Conversions of reported statistics (Cochrane Handbook, chapter 6)   */
/* ==================================================================== */

/* Each returns NaN when its arguments are outside their domain (n < 2,
 * lb >= ub, p outside (0, 1), ...).  level is a fraction, e.g. 0.95. */

/* SD of a group from the standard error of its mean: SE sqrt(n). */
MSYN_API double msyn_sd_from_se(double se, double n);
/* SD of a group from a confidence interval of its mean:
 * sqrt(n) (ub - lb) / (2 q), q the t quantile with n - 1 df when n < 60,
 * else the normal one (Handbook 6.5.2.2). */
MSYN_API double msyn_sd_from_ci(double lb, double ub, double n, double level);
/* Standard error of a difference from its confidence interval,
 * (ub - lb) / (2 q): q normal when df is NaN, else t with df. */
MSYN_API double msyn_se_from_ci(double lb, double ub, double level, double df);
/* Standard error of an estimate from its two-sided p-value: |est| / q,
 * q = the normal (df NaN) or t quantile of 1 - p/2.  NaN when est = 0. */
MSYN_API double msyn_se_from_p(double est, double p, double df);
/* One SD for both groups from the standard error of their mean
 * difference: SE / sqrt(1/n1 + 1/n2) (Handbook 6.5.2.3). */
MSYN_API double msyn_sd_from_md_se(double se, double n1, double n2);

/* Estimators of a mean and SD from a median with quartiles and/or range. */
typedef enum msyn_median_method {
    MSYN_MEDIAN_WAN = 0,   /* Wan et al. 2014, mean and SD              */
    MSYN_MEDIAN_LUO = 1    /* Luo et al. 2018 mean, Wan et al. 2014 SD  */
} msyn_median_method;

/* A five-number summary; NaN for what was not reported.  Needs the median
 * and n, with min and max (scenario S1), q1 and q3 (S3), or all (S2). */
typedef struct msyn_fivenum {
    double min, q1, median, q3, max, n;
} msyn_fivenum;

/* Flags of msyn_mean_from_median(). */
#define MSYN_MEDIAN_S1     0x1u /* from min, median, max                   */
#define MSYN_MEDIAN_S2     0x2u /* from min, q1, median, q3, max           */
#define MSYN_MEDIAN_S3     0x4u /* from q1, median, q3                     */
#define MSYN_MEDIAN_SKEWED 0x8u /* the summary suggests a skewed
                                   distribution (the median is far from the
                                   centre of its quartiles or range): the
                                   normal-based estimates may be poor      */

/* Mean and SD from a five-number summary.  MSYN_EDATA if the values are
 * out of order (min <= q1 <= median <= q3 <= max) or n < 3, MSYN_EINVAL if
 * no scenario's values are all present. */
MSYN_API msyn_status msyn_mean_from_median(msyn_median_method method,
                                           const msyn_fivenum *f,
                                           double *mean, double *sd,
                                           unsigned *flags);

/* SMD and log odds ratio (Chinn 2000: log OR = pi / sqrt(3) SMD), each
 * with its sampling variance. */
MSYN_API void msyn_smd_from_logor(double lor, double v, double *d, double *vd);
MSYN_API void msyn_logor_from_smd(double d, double vd, double *lor, double *v);
/* Cohen's d from a point-biserial correlation r in a sample of n
 * (equal groups): d = 2r / sqrt(1 - r^2), v = 4 / ((n - 1)(1 - r^2))
 * (the delta method on r's variance (1 - r^2)^2 / (n - 1)). */
MSYN_API void msyn_smd_from_r(double r, double n, double *d, double *vd);
/* Correlation from d of two groups of n1 and n2 (Borenstein et al. 2009,
 * ch. 7): r = d / sqrt(d^2 + a), a = (n1 + n2)^2 / (n1 n2),
 * v_r = a^2 v_d / (d^2 + a)^3. */
MSYN_API void msyn_r_from_smd(double d, double vd, double n1, double n2,
                              double *r, double *vr);

/* ==================================================================== */
/* Pooling                                                              */
/* ==================================================================== */

typedef enum msyn_method {
    MSYN_METHOD_EE = 0,    /* common (fixed) effect, inverse variance      */
    MSYN_METHOD_DL = 1,    /* DerSimonian-Laird                            */
    MSYN_METHOD_HE = 2,    /* Hedges                                       */
    MSYN_METHOD_HS = 3,    /* Hunter-Schmidt                               */
    MSYN_METHOD_SJ = 4,    /* Sidik-Jonkman                                */
    MSYN_METHOD_ML = 5,    /* maximum likelihood                           */
    MSYN_METHOD_REML = 6,  /* restricted maximum likelihood                */
    MSYN_METHOD_EB = 7,    /* empirical Bayes (Morris)                     */
    MSYN_METHOD_PM = 8,    /* Paule-Mandel                                 */
    MSYN_METHOD_MH = 20,   /* Mantel-Haenszel (2x2 tables, common effect)  */
    MSYN_METHOD_PETO = 21  /* Peto's one-step odds ratio (common effect)   */
} msyn_method;

MSYN_API const char *msyn_method_name(msyn_method m);   /* "REML", ...   */
MSYN_API const char *msyn_method_label(msyn_method m);  /* long name     */
/* Accepts the names above and the aliases FE, CE (= EE). */
MSYN_API msyn_status msyn_method_parse(const char *name, msyn_method *m);

typedef enum msyn_test {
    MSYN_TEST_Z = 0,       /* Wald z                                       */
    MSYN_TEST_T = 1,       /* t with k - 1 df, no rescaling                */
    MSYN_TEST_KNHA = 2,    /* Hartung-Knapp-Sidik-Jonkman                  */
    MSYN_TEST_ADHOC = 3    /* HKSJ, never narrower than z (s2w >= 1)       */
} msyn_test;

MSYN_API const char *msyn_test_name(msyn_test t);       /* "knha", ...   */
MSYN_API const char *msyn_test_label(msyn_test t);
/* Accepts z, t, knha, hksj (= knha), adhoc. */
MSYN_API msyn_status msyn_test_parse(const char *name, msyn_test *t);

/* Definition of I^2 (and H^2). */
typedef enum msyn_i2def {
    MSYN_I2_TAU2 = 0,      /* 100 tau2/(vt + tau2), typical within-study
                              variance vt (metafor, RevMan Web)            */
    MSYN_I2_Q = 1          /* 100 max(0, (Q - df)/Q) (Higgins-Thompson;
                              RevMan 5)                                    */
} msyn_i2def;

/* Prediction interval. */
typedef enum msyn_pi {
    MSYN_PI_DEFAULT = 0,   /* metafor: z under the z test, t(k-1) otherwise */
    MSYN_PI_T_K1 = 1,      /* t with k - 1 df                              */
    MSYN_PI_T_K2 = 2,      /* t with k - 2 df, at least 1 (Higgins et al.
                              2009; metafor predtype="riley")              */
    MSYN_PI_NONE = 3       /* do not compute                               */
} msyn_pi;

/* Variance of the Mantel-Haenszel risk difference. */
typedef enum msyn_rd_var {
    MSYN_RD_VAR_SATO = 0,  /* Sato, Greenland & Robins 1989 (metafor)      */
    MSYN_RD_VAR_GR = 1     /* Greenland & Robins 1985 (RevMan 5)           */
} msyn_rd_var;


/* Memory for the few functions that need scratch space (msyn_pool with
 * missing studies, msyn_pool_tables).  alloc returns NULL on failure; free
 * accepts NULL.  ud is passed through.  NULL in the options: malloc/free. */
typedef struct msyn_allocator {
    void *(*alloc)(void *ud, size_t size);
    void (*free)(void *ud, void *ptr);
    void *ud;
} msyn_allocator;

/* A memo of the quantiles (critical values) fits need.  They depend only on
 * the level and the degrees of freedom, cost more than the rest of a fit,
 * and repeat across the fits of a batch or a simulation; a cache makes the
 * repeats free.  Results are bit-identical with and without one.  A cache
 * belongs to one thread at a time. */
typedef struct msyn_cache msyn_cache;

/* A new cache (memory from a, NULL for malloc), or NULL when out of memory. */
MSYN_API msyn_cache *msyn_cache_new(const msyn_allocator *a);
/* Free a cache; NULL is a no-op. */
MSYN_API void msyn_cache_free(msyn_cache *c);

typedef struct msyn_pool_opts {
    msyn_method method;    /* default MSYN_METHOD_REML                      */
    msyn_test test;        /* default MSYN_TEST_Z                           */
    double level;          /* confidence level in (0, 1), default 0.95      */
    msyn_i2def i2def;      /* default MSYN_I2_TAU2                          */
    msyn_pi pi;            /* default MSYN_PI_DEFAULT                       */
    int tau2_ci;           /* 1: Q-profile CI for tau^2 (default 1)         */
    int fallback;          /* 1: if an iterative estimator fails, fall back
                              REML/ML/EB -> PM -> DL and flag it (default 1) */
    int max_iter;          /* Fisher-scoring iteration limit, default 1000  */
    int ll0check;          /* 1: metafor's check that ML/REML did not stop
                              below the likelihood at tau^2 = 0 (default 1) */
    /* 2x2 tables only (MH, Peto, and revman5's random effects): */
    double mh_add;         /* increment added inside the MH/Peto estimate to
                              tables with a zero cell: 0 (metafor) or 0.5
                              (RevMan 5)                                     */
    msyn_rd_var rd_var;    /* default MSYN_RD_VAR_SATO                      */
    int q_from_mh;         /* 1 (RevMan 5): DerSimonian-Laird on 2x2 data
                              takes tau^2 and Q from Q about the MH
                              estimate                                     */
    double tau2_fixed;     /* >= 0: use this tau^2 instead of estimating it
                              (metafor's rma(tau2 = )); NaN (default):
                              estimate                                      */
    const msyn_allocator *alloc; /* NULL: malloc/free                       */
    msyn_cache *cache;     /* NULL: no memo of quantiles                   */
} msyn_pool_opts;

/* metafor's rma() defaults: REML, z test, 95%, I^2 from tau^2, Q-profile,
 * metafor's default prediction interval. */
MSYN_API void msyn_pool_opts_default(msyn_pool_opts *o);

/* Flags in msyn_fit.flags. */
#define MSYN_FIT_TAU2_TRUNCATED 0x0001u /* estimator gave tau^2 < 0; set to 0 */
#define MSYN_FIT_FALLBACK       0x0002u /* requested estimator failed; see
                                           method_used                        */
#define MSYN_FIT_LL0_RESET      0x0004u /* ML/REML stopped below ll(0): tau^2
                                           reset to 0 (metafor's ll0check)    */
#define MSYN_FIT_K1             0x0008u /* one study: no heterogeneity, z test */
#define MSYN_FIT_TAU2_CI_NULL   0x0010u /* Q-profile CI for tau^2 is {0}      */
#define MSYN_FIT_KNHA_ZERO      0x0020u /* HKSJ factor is 0 (all residuals 0):
                                           zero-width CI                      */
#define MSYN_FIT_KNHA_EE        0x0040u /* HKSJ used with a common-effect model */
#define MSYN_FIT_TEST_IGNORED   0x0080u /* MH/Peto: the test option does not
                                           apply (z is used)                  */
#define MSYN_FIT_VI_RATIO       0x0100u /* max(vi)/min(vi) >= 1e7: results may
                                           be unstable                        */
#define MSYN_FIT_NO_HET         0x0200u /* Q, I^2, H^2 not computable (k = 1
                                           or no estimable study-level data) */
#define MSYN_FIT_EQUAL_EFFECTS  0x0400u /* all effects identical: Q = 0       */
#define MSYN_FIT_PI_DF_FLOOR    0x0800u /* prediction-interval df raised to 1 */
#define MSYN_FIT_TAU2_FIXED     0x1000u /* tau^2 given (tau2_fixed), not estimated */

/* A fitted model.  Values are on the analysis scale (log for ratio
 * measures).  Quantities that do not apply are NaN (for example the tau^2
 * CI of a common-effect model, df under the z test). */
typedef struct msyn_fit {
    size_t k;              /* studies in the model                          */
    msyn_method method;    /* estimator requested                           */
    msyn_method method_used; /* estimator that produced tau^2 (fallback)    */
    msyn_test test;        /* test used (z when k = 1 or MH/Peto)           */
    double level;

    double estimate, se, stat, pval, ci_lb, ci_ub;
    double df;             /* t/knha/adhoc: k - 1; z: NaN                   */
    double s2w;            /* HKSJ variance factor (1 unless knha/adhoc)    */

    double tau2, tau2_se, tau2_ci_lb, tau2_ci_ub;
    double tau, tau_ci_lb, tau_ci_ub;
    double I2, I2_ci_lb, I2_ci_ub;   /* percent                             */
    double H2, H2_ci_lb, H2_ci_ub;
    double Q, Q_df, Q_pval;
    double vt;             /* typical within-study variance                 */

    double pi_lb, pi_ub, pi_df;      /* pi_df NaN for a normal-based PI    */

    int converged;         /* 1 unless an estimator failed without fallback */
    int iterations;        /* Fisher-scoring or root-finder iterations      */
    unsigned flags;        /* MSYN_FIT_*                                    */
} msyn_fit;

/* Pool k effect sizes yi with sampling variances vi (inverse-variance
 * common or random effects; method must not be MH or PETO).  A study whose
 * yi or vi is NaN is missing and left out (as msyn_es() marks studies that
 * cannot be estimated); fit->k counts the studies used, and at least one is
 * needed.  Infinite values and vi <= 0 are MSYN_EDATA. */
MSYN_API msyn_status msyn_pool(const double *yi, const double *vi, size_t k,
                               const msyn_pool_opts *o, msyn_fit *fit);

/* Study weights of a fit, in percent (sum 100): 1/(vi + tau2) normalised;
 * NaN for missing studies. */
MSYN_API msyn_status msyn_pool_weights(const double *vi, size_t k,
                                       const msyn_fit *fit, double *w_pct);

/* Pool k 2x2 tables (ai = events and bi = non-events in group 1, ci and
 * di the same in group 2; NaN in any cell = missing table, left out).
 *   - method MSYN_METHOD_MH: Mantel-Haenszel for measure OR, RR or RD;
 *   - method MSYN_METHOD_PETO: Peto's one-step OR (measure OR or PETO);
 *   - any other method: inverse-variance pooling of the study-level
 *     estimates, as msyn_pool(); with o->q_from_mh and method DL, tau^2 and
 *     Q come from Q about the MH estimate (RevMan 5).
 * Study-level estimates (for Q, display and inverse-variance pooling) use
 * es, NULL meaning msyn_es_opts_default() (metafor's rma.mh and rma.peto
 * also set drop00 = 1; msyn_preset_apply() does that).  Optional outputs
 * (NULL to skip), k values each: yi, vi (NaN where not estimable) and
 * w_pct, the study weights in percent (MH or Peto weights for MH/PETO). */
MSYN_API msyn_status msyn_pool_tables(msyn_measure measure,
                                      const double *ai, const double *bi,
                                      const double *ci, const double *di,
                                      size_t k, const msyn_es_opts *es,
                                      const msyn_pool_opts *o, msyn_fit *fit,
                                      double *yi, double *vi, double *w_pct);

/* One sentence per set flag of a fit, in bit order: returns the sentence
 * for the n-th set flag (0-based), or NULL when there are no more. */
MSYN_API const char *msyn_fit_flag_text(unsigned flags, unsigned n);

/* ==================================================================== */
/* Presets                                                              */
/* ==================================================================== */

typedef enum msyn_preset {
    MSYN_PRESET_COCHRANE2025 = 0, /* REML, HKSJ, Q-profile, PI t(k-1)      */
    MSYN_PRESET_METAFOR = 1,      /* metafor 3.8 rma(): REML, z             */
    MSYN_PRESET_REVMAN5 = 2       /* DL, z, I^2 from Q, approximate J, ...  */
} msyn_preset;

MSYN_API const char *msyn_preset_name(msyn_preset p);
MSYN_API msyn_status msyn_preset_parse(const char *name, msyn_preset *p);
/* Overwrite both option sets with the preset's settings for this measure
 * (either pointer may be NULL).  method is the pooling method the caller
 * will use, or NULL for the preset's default (written to po->method);
 * some settings depend on it (metafor's rma.mh/rma.peto drop double-zero
 * tables from the study-level estimates, rma() does not).  Set explicit
 * user choices after this call. */
MSYN_API msyn_status msyn_preset_apply(msyn_preset p, msyn_measure measure,
                                       const msyn_method *method,
                                       msyn_pool_opts *po, msyn_es_opts *eo);

/* ==================================================================== */
/* Meta-regression                                                      */
/* ==================================================================== */

/* Mixed-effects meta-regression y = X b + u + e, u ~ N(0, tau^2),
 * e ~ N(0, vi), as metafor's rma(yi, vi, mods = ..., method = ...) fits it
 * (docs/methods/reg.md).  The design X (k rows, p columns, row-major) is
 * given whole: an intercept is a column of ones, and it must be column 0
 * (metafor moves it there); a factor is its dummy columns.  Every estimator
 * of msyn_pool() but MH/PETO is available (tau^2 truncated at 0), with the
 * z, t, knha (Hartung-Knapp: vcov scaled by s2w, F test for QM with
 * k - p denominator df) and adhoc tests.
 *
 * Time O(k p^2) per evaluation of the model at a tau^2; no k x k matrix is
 * ever formed.  A workspace (msyn_reg_work) holds all scratch memory, so a
 * caller fitting many models of the same size (a permutation test) can
 * refit without allocating.  GSL is called for the Householder QR
 * (gsl_linalg_QR_decomp, _lssolve, _Qvec) on workspace views whose sizes
 * are checked, so its error handler cannot fire. */

/* Scratch memory for fits of up to k_max studies and p_max coefficients.
 * NULL when out of memory (or p_max = 0).  One workspace belongs to one
 * thread at a time. */
typedef struct msyn_reg_work msyn_reg_work;
MSYN_API msyn_reg_work *msyn_reg_work_new(size_t k_max, size_t p_max,
                                          const msyn_allocator *a);
/* Free a workspace; NULL is a no-op. */
MSYN_API void msyn_reg_work_free(msyn_reg_work *w);

/* Options specific to meta-regression; msyn_reg_opts_default() gives
 * metafor's defaults. */
typedef struct msyn_reg_opts {
    const size_t *btt;     /* 0-based indices of the coefficients the
                              omnibus test QM tests (metafor's btt, less
                              one); NULL (default): all but the intercept
                              when column 0 is one, else all             */
    size_t m;              /* number of entries of btt                      */
    int r2;                /* 1 (default): pseudo-R^2, which fits the
                              intercept-only model too; 0 skips it (R2 is
                              NaN), e.g. for permutation refits           */
} msyn_reg_opts;

MSYN_API void msyn_reg_opts_default(msyn_reg_opts *ro);

/* Flags in msyn_reg_fit.flags: the MSYN_FIT_* bits that apply
 * (TAU2_TRUNCATED, FALLBACK, LL0_RESET, KNHA_ZERO, KNHA_EE, VI_RATIO,
 * TAU2_FIXED) and these: */
#define MSYN_REG_MISSING      0x10000u /* rows with a missing yi, vi or
                                          moderator were left out       */
#define MSYN_REG_RANK         0x20000u /* X is not of full column rank:
                                          rank_col names a redundant
                                          column (MSYN_ENOTESTIMABLE)    */
#define MSYN_REG_QM_NA        0x40000u /* the tested block of vcov is not
                                          positive definite: QM is NaN  */
#define MSYN_REG_NO_INTERCEPT 0x80000u /* column 0 is not an intercept:
                                          no R^2 (metafor gives none)   */
#define MSYN_REG_TAU2_CI_NULL 0x100000u /* the Q-profile CI of the
                                          residual tau^2 is {0}          */

/* A fitted meta-regression.  Before the call, point b ... ci_ub at caller
 * arrays of p doubles and vb at p*p doubles (row-major), or leave them
 * NULL for what is not wanted; msyn_reg() keeps these pointers and fills
 * the arrays.  msyn_reg_predict() needs b and vb.  Everything else is
 * written by msyn_reg(); NaN marks what does not apply. */
typedef struct msyn_reg_fit {
    double *b, *se, *stat, *pval, *ci_lb, *ci_ub; /* coefficients, tests   */
    double *vb;            /* variance-covariance of b (s2w included)      */

    size_t k, p;           /* studies used, coefficients                   */
    msyn_method method, method_used;
    msyn_test test;
    msyn_pi pi;            /* prediction-interval rule, for predict        */
    double level;
    double df;             /* t/knha/adhoc: k - p; z: NaN                  */
    double s2w;            /* knha/adhoc variance factor, else 1           */

    size_t m;              /* coefficients tested by QM                    */
    double QM, QM_df1, QM_df2, QM_pval; /* chi^2 (df2 NaN) under z, else
                              F = Wald/m with (m, k - p) df                */
    double QE, QE_df, QE_pval; /* residual heterogeneity, weights 1/vi    */
    double tau2, tau2_se, tau;
    double I2, H2;         /* I2 in percent, from the typical variance vt  */
    double vt;             /* (k - p) / tr(P), P at weights 1/vi           */
    double R2;             /* percent: max(0, (tau2_0 - tau2)/tau2_0),
                              tau2_0 of the intercept-only model           */
    double tau2_0;         /* that intercept-only tau^2                    */
    double ll_ml, ll_reml; /* log-likelihoods (metafor's, REMLf = TRUE)    */

    size_t rank_col;       /* with MSYN_REG_RANK: a redundant column       */
    int converged, iterations;
    unsigned flags;
    /* Q-profile CI of the residual tau^2 (metafor's confint(fit)): the tau2
     * where y'P(tau2)y crosses the chi^2_{k-p} quantiles, exact roots,
     * bounds 0 when Q(0) is below the quantile (both:
     * MSYN_REG_TAU2_CI_NULL); I^2/H^2 bounds from them with vt (NaN with
     * MSYN_I2_Q).  NaN unless o->tau2_ci is set and tau^2 is estimated
     * (not EE, not tau2_fixed); a bound NaN if its root was not found
     * (never seen in the tests; the fit itself still succeeds). */
    double tau2_ci_lb, tau2_ci_ub, tau_ci_lb, tau_ci_ub;
    double I2_ci_lb, I2_ci_ub, H2_ci_lb, H2_ci_ub;
} msyn_reg_fit;

/* Fit the model to k studies (yi, vi) with moderators X (k x p, row-major).
 * Rows with NaN in yi, vi or X are left out (MSYN_REG_MISSING); infinite
 * values and vi <= 0 are MSYN_EDATA.  Needs k >= p + 1 studies (k >= p for
 * EE or a fixed tau^2), else MSYN_ETOOFEW.  A design that is not of full
 * column rank is MSYN_ENOTESTIMABLE with MSYN_REG_RANK and rank_col set
 * (metafor drops such columns with a warning; drop rank_col and refit to do
 * the same).  ro and w may be NULL (defaults; a workspace allocated for
 * this call).  Options of o that apply: method (not MH/PETO), test, level,
 * i2def, pi, tau2_ci, fallback, max_iter, ll0check, tau2_fixed, alloc,
 * cache. */
MSYN_API msyn_status msyn_reg(const double *yi, const double *vi,
                              const double *X, size_t k, size_t p,
                              const msyn_reg_opts *ro, const msyn_pool_opts *o,
                              msyn_reg_work *w, msyn_reg_fit *fit);

/* A prediction at moderator values x (p values, the same columns as X,
 * intercept included), as metafor's predict(fit, newmods = ...). */
typedef struct msyn_reg_pred {
    double pred, se, ci_lb, ci_ub;
    double pi_lb, pi_ub;   /* NaN for a common-effect model                */
    double df, pi_df;      /* NaN when normal-based                        */
} msyn_reg_pred;

/* Predictions at n points (x: n x p, row-major) from a fit made with b and
 * vb.  MSYN_EINVAL if the fit lacks them or x has a non-finite value. */
MSYN_API msyn_status msyn_reg_predict(const msyn_reg_fit *fit, const double *x,
                                      size_t n, msyn_cache *c,
                                      msyn_reg_pred *out);

/* A permutation test of a meta-regression (metafor's permutest()). */
typedef struct msyn_reg_perm {
    size_t iter;           /* permutations evaluated (the observed data
                              included)                                     */
    size_t failed;         /* refits that failed (left out, as metafor)    */
    int exact;             /* 1: every distinct permutation of the rows     */
    double QM_pval;        /* share with QM >= the observed QM             */
    double *pval;          /* caller array of p: share with |stat| >= the
                              observed |stat| of each coefficient           */
} msyn_reg_perm;

/* Permute the rows of X (k x p) against yi and vi, refit, and count.
 * Exact (every distinct permutation, equal rows not told apart) when
 * exact is 1 or when their number is at most iter; else iter random
 * permutations from the library's generator seeded with seed, the first
 * being the observed data.  Comparisons allow sqrt(DBL_EPSILON), as
 * metafor.  MSYN_EINVAL also when an exact test would need more than 1e8
 * fits.  Time O(iterations k p^2). */
MSYN_API msyn_status msyn_reg_permtest(const double *yi, const double *vi,
                                       const double *X, size_t k, size_t p,
                                       const msyn_reg_opts *ro,
                                       const msyn_pool_opts *o, size_t iter,
                                       unsigned long long seed, int exact,
                                       msyn_reg_perm *out);
/* Sensitivity and influence (intercept-only models; metafor 3.8's      */
/* leave1out, cumul, influence, rstudent, baujat, gosh)                 */
/* ==================================================================== */

/* Results of a sequence of fits (leave-one-out, cumulative), one row per
 * study, as columns: each pointer is the caller's array of k values, or
 * NULL to skip that column.  A row that does not apply (a missing study,
 * a refit that failed) is NaN, with MSYN_INFL_FAILED in flags when the
 * fit failed.  stat is z or t as the test says (metafor's zval/tval); Q is
 * Cochran's Q of the fit and Q_pval its p-value (metafor's Q, Qp); tau2 is
 * 0 for common-effect fits. */
typedef struct msyn_fit_cols {
    double *estimate, *se, *stat, *pval, *ci_lb, *ci_ub;
    double *Q, *Q_pval, *tau2, *I2, *H2;
    double *k;             /* studies in the fit                            */
    unsigned *flags;       /* MSYN_FIT_TAU2_TRUNCATED, MSYN_FIT_FALLBACK,
                              MSYN_FIT_LL0_RESET, MSYN_FIT_K1,
                              MSYN_FIT_KNHA_ZERO, MSYN_FIT_TAU2_FIXED and
                              MSYN_INFL_FAILED of each fit                   */
} msyn_fit_cols;

#define MSYN_INFL_FAILED 0x80000000u /* this row's fit failed (estimator did
                                        not converge and no fallback)     */

/* Leave-one-out (metafor leave1out()): row i is the fit of the k studies
 * without study i, with the options o (NULL: defaults) of the full
 * model.  Missing studies (yi or vi NaN) are left out of every fit and get
 * NaN rows.  A common-effect model or a given tau^2 costs O(k) in all
 * (each row is updated from sums, not refitted); an estimated tau^2 needs
 * a refit per row, O(k^2).  Needs at least two non-missing studies.
 * Scratch memory from o->alloc. */
MSYN_API msyn_status msyn_influence_leave1out(const double *yi, const double *vi,
                                              size_t k, const msyn_pool_opts *o,
                                              msyn_fit_cols *out);

/* Cumulative meta-analysis (metafor cumul()): order is a permutation of
 * 0..k-1; row s (0-based) is the fit of studies order[0..s], and is
 * written at position s of the output (metafor's rows, in the cumulative
 * order).  A missing study adds nothing: its row is NaN and the next row
 * fits the same studies plus the next one.  A first step of one study is
 * the z test of that study (as rma() with k = 1).  O(k) in all for a
 * common-effect model or a given tau^2, O(k^2) otherwise. */
MSYN_API msyn_status msyn_influence_cumul(const double *yi, const double *vi,
                                          size_t k, const size_t *order,
                                          const msyn_pool_opts *o,
                                          msyn_fit_cols *out);

/* Case-deletion diagnostics (metafor influence() for rma.uni without
 * moderators; rstudent()), one value per study in caller arrays of k
 * (NULL to skip); with fit_i the model without study i, w = 1/(v + tau2)
 * and vb the variance of the estimate (times the HKSJ factor s2w for
 * knha/adhoc):
 *   resid    = y_i - est_(-i) (0 when below 100 eps), resid_se =
 *              sqrt(s2w_(-i) (v_i + tau2_(-i)) + vb_(-i)),
 *   rstudent = resid / resid_se,
 *   dffits   = (est - est_(-i)) / sqrt(s2w_(-i) hat_i (tau2_(-i) + v_i)),
 *   dfbetas  = (est - est_(-i)) / sqrt(s2w_(-i) / sum_j 1/(v_j + tau2_(-i))),
 *   cook_d   = (est - est_(-i))^2 / vb,   cov_r = vb_(-i) / vb,
 *   tau2_del = tau2_(-i),  QE_del = Q_(-i),
 *   hat      = w_i / sum w,  weight = 100 hat,
 *   inf      = 1 if |dffits| > 3 sqrt(1/(k-1)) or pchisq(cook_d, 1) > 0.5 or
 *              hat > 3/k or |dfbetas| > 1 (metafor's "*"), else 0.
 * Missing studies get NaN (inf 0).  full (optional) receives the fit of
 * all studies.  Cost as msyn_influence_leave1out. */
typedef struct msyn_influence_cols {
    double *rstudent, *dffits, *cook_d, *cov_r, *tau2_del, *QE_del;
    double *hat, *weight, *dfbetas, *resid, *resid_se;
    unsigned char *inf;
} msyn_influence_cols;

MSYN_API msyn_status msyn_influence_diag(const double *yi, const double *vi,
                                         size_t k, const msyn_pool_opts *o,
                                         msyn_influence_cols *out,
                                         msyn_fit *full);

/* Baujat plot coordinates (metafor baujat()): x_i = (y_i - est)^2 /
 * (v_i + tau2) (the study's contribution to Q for a common-effect model,
 * its squared Pearson residual otherwise), y_i = (est_(-i) - est)^2 /
 * vb_(-i) (influence on the overall result).  x, y: k values each (either
 * may be NULL); NaN for missing studies. */
MSYN_API msyn_status msyn_influence_baujat(const double *yi, const double *vi,
                                           size_t k, const msyn_pool_opts *o,
                                           double *x, double *y);

/* GOSH (metafor gosh(res, subsets = N)): fits of subsets of the kk
 * non-missing studies.  When 2^kk - 1 <= subsets, all subsets (exhaustive)
 * in metafor's order: by size, and within a size by the binary number
 * whose bit j is study j (the j-th non-missing study).  Otherwise
 * `subsets` random subsets, drawn as metafor draws them (size from the
 * binomial(kk, 1/2) distribution without 0, then a uniform subset of that
 * size), sorted by size, from xoshiro256** seeded with splitmix64(seed):
 * reproducible for a seed, but not R's random numbers.  Per subset
 * (arrays of msyn_influence_gosh_rows() values, NULL to skip): k,
 * estimate, Q, I2, H2, tau2; for EE and DL metafor's closed forms
 * (I2 = max(0, 100 (Q - df)/Q), H2 = Q/df; DL's tau2), for other
 * estimators the fit by msyn_pool() (NaN where it fails).  incl (optional)
 * gets rows x k bytes, 1 where study j (of the k given, missing never) is
 * in the subset. */
typedef struct msyn_gosh_cols {
    double *k, *estimate, *Q, *I2, *H2, *tau2;
    unsigned char *incl;
} msyn_gosh_cols;

/* Rows of msyn_influence_gosh() for kk non-missing studies and a subset
 * budget: 2^kk - 1 when that is <= subsets (exhaustive = 1), else subsets.
 * MSYN_EINVAL when subsets < 2 or kk < 2. */
MSYN_API msyn_status msyn_influence_gosh_rows(size_t kk, size_t subsets,
                                              size_t *rows, int *exhaustive);

MSYN_API msyn_status msyn_influence_gosh(const double *yi, const double *vi,
                                         size_t k, const msyn_pool_opts *o,
                                         size_t subsets, unsigned long long seed,
                                         msyn_gosh_cols *out, size_t *rows);
/* Small-study effects and publication bias (metafor 3.8's regtest,    */
/* ranktest, trimfill, fsn)                                             */
/* ==================================================================== */

/* Flags in the results of this section. */
#define MSYN_BIAS_FEW_STUDIES  0x01u /* k < 10: too few studies for tests of
                                        funnel-plot asymmetry to tell real
                                        asymmetry from chance (Cochrane
                                        Handbook 13.3.5.4); computed anyway */
#define MSYN_BIAS_RANK_TIES    0x02u /* ranktest: ties, so the p-value is the
                                        normal approximation with the
                                        tie-corrected variance of S (as R)  */
#define MSYN_BIAS_RANK_NORMAL  0x04u /* ranktest: k > MSYN_BIAS_KENDALL_MAX:
                                        normal approximation instead of the
                                        exact distribution                  */
#define MSYN_BIAS_TAU2_TRUNCATED 0x08u /* regtest rma form: the estimator gave
                                        tau^2 < 0, set to 0                 */
#define MSYN_BIAS_SIDE_AUTO    0x10u /* trimfill: side chosen from the sign
                                        of the Egger-type slope             */
#define MSYN_BIAS_FSN_INF      0x20u /* fsn Orwin: target 0, N infinite     */

/* Egger-type regression tests: which study-level predictor. */
typedef enum msyn_bias_predictor {
    MSYN_BIAS_SEI = 0,     /* standard error (Egger's test; default)      */
    MSYN_BIAS_VI = 1,      /* sampling variance                           */
    MSYN_BIAS_NI = 2,      /* sample size                                 */
    MSYN_BIAS_NINV = 3,    /* 1/ni (with model lm and log OR: Peters)     */
    MSYN_BIAS_SQRTNI = 4,  /* sqrt(ni)                                    */
    MSYN_BIAS_SQRTNINV = 5 /* 1/sqrt(ni)                                  */
} msyn_bias_predictor;

/* metafor's names: "sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv". */
MSYN_API const char *msyn_bias_predictor_name(msyn_bias_predictor p);
MSYN_API msyn_status msyn_bias_predictor_parse(const char *name,
                                               msyn_bias_predictor *p);

/* Result of a regression test: the model yi = b0 + b1 x_i + e_i. */
typedef struct msyn_regtest {
    size_t k;              /* studies used                                  */
    msyn_bias_predictor predictor;
    int model_rma;         /* 0: weighted least squares (metafor model="lm");
                              1: meta-regression (model="rma")             */
    msyn_test test;        /* rma form: the test used; lm form: t           */
    double slope, slope_se;/* b1 and its standard error                     */
    double stat, pval, df; /* test of b1 = 0: t (lm; df = k - 2), z or t   */
    double intercept, intercept_se; /* b0                                   */
    double est, ci_lb, ci_ub; /* limit estimate b0 (effect at x = 0) and its
                              CI; NaN for predictors ni and sqrtni, where
                              x = 0 is no study at all (as metafor)        */
    double sigma2;         /* lm: the multiplicative dispersion (residual
                              mean square); rma: NaN                       */
    double tau2;           /* rma: residual heterogeneity; lm: NaN          */
    double s2w;            /* rma with knha/adhoc: variance factor; else 1  */
    double level;
    unsigned flags;        /* MSYN_BIAS_*                                  */
} msyn_regtest;

/* Egger's regression test in its classic form (Egger et al. 1997;
 * metafor's regtest(model = "lm")): weighted least squares of yi on the
 * predictor with weights 1/vi and an estimated multiplicative dispersion;
 * t test of the slope with k - 2 df; the intercept with a t-based CI at
 * level is the limit estimate.  ni (k values) is needed for the predictors
 * ni, ninv, sqrtni, sqrtninv and may be NULL otherwise.  Studies with a NaN
 * in a value used are left out.  MSYN_ETOOFEW below 3 studies;
 * MSYN_ENOTESTIMABLE when the predictor is (nearly) constant, so the model
 * is not of full rank (metafor stops there too); MSYN_EDATA for infinite
 * values, vi <= 0 or ni <= 0. */
MSYN_API msyn_status msyn_bias_regtest_lm(const double *yi, const double *vi,
                                          const double *ni, size_t k,
                                          msyn_bias_predictor predictor,
                                          double level, msyn_regtest *r);

/* Residual heterogeneity tau^2 of the meta-regression yi = b0 + b1 xi
 * (k complete studies) under o->method, for the rma-form regression test
 * and trim-and-fill's choice of side.  Write tau^2 (already truncated at 0)
 * to *tau2 and return MSYN_OK, or a status.  ud is passed through. */
typedef msyn_status (*msyn_bias_tau2_fn)(void *ud, const double *yi,
                                         const double *vi, const double *xi,
                                         size_t k, const msyn_pool_opts *o,
                                         double *tau2);

/* tau^2 of yi = b0 + b1 xi for the methods this section can do alone:
 * EE (0), DL (metafor's method-of-moments for meta-regression,
 * (Q_E - (k - 2)) / tr(P), truncated at 0) and a given o->tau2_fixed.
 * Other methods return MSYN_EMEASURE: they need a meta-regression engine
 * supplied as a msyn_bias_tau2_fn.  Usable as such a function (ud unused). */
MSYN_API msyn_status msyn_bias_tau2_builtin(void *ud, const double *yi,
                                            const double *vi, const double *xi,
                                            size_t k, const msyn_pool_opts *o,
                                            double *tau2);

/* Egger's test in metafor's default form, regtest(model = "rma"): the
 * mixed-effects meta-regression yi = b0 + b1 x_i + u_i + e_i, with tau^2
 * from fn (NULL: msyn_bias_tau2_builtin) under o->method, then weighted
 * least squares with weights 1/(vi + tau^2) and o->test (z; t, knha and
 * adhoc with k - 2 df) at o->level (o NULL: msyn_pool_opts_default()).
 * Inputs and errors as msyn_bias_regtest_lm(); fn's status is passed on. */
MSYN_API msyn_status msyn_bias_regtest_rma(const double *yi, const double *vi,
                                           const double *ni, size_t k,
                                           msyn_bias_predictor predictor,
                                           const msyn_pool_opts *o,
                                           msyn_bias_tau2_fn fn, void *ud,
                                           msyn_regtest *r);

/* Largest k for which msyn_bias_ranktest() uses the exact distribution of
 * Kendall's statistic (O(k^3) time, O(k^2) memory). */
#define MSYN_BIAS_KENDALL_MAX 1000

/* P(T <= q) for T the number of concordant pairs among n untied pairs
 * under independence (the distribution R's cor.test uses for its exact
 * Kendall test, there limited to n <= 170).  n from 1 to
 * MSYN_BIAS_KENDALL_MAX; memory from a (NULL: malloc). */
MSYN_API msyn_status msyn_bias_pkendall(double q, size_t n,
                                        const msyn_allocator *a, double *p);

/* Result of the rank correlation test. */
typedef struct msyn_ranktest {
    size_t k;
    double tau;            /* Kendall's tau (tau-b when there are ties)     */
    double S;              /* concordant minus discordant pairs             */
    double stat;           /* exact: concordant pairs (R's T); else z       */
    double pval;           /* two-sided                                     */
    int exact;             /* 1: exact distribution; 0: normal approx.      */
    unsigned flags;
} msyn_ranktest;

/* Begg and Mazumdar's rank correlation test (1994; metafor's ranktest()):
 * Kendall's tau between the standardized deviates (yi - b_EE) /
 * sqrt(vi - 1/sum(1/vi)) and vi.  The p-value is exact when there are no
 * ties (metafor passes exact = TRUE to cor.test), otherwise R's normal
 * approximation with the tie-corrected variance.  Studies with NaN are
 * left out; MSYN_ETOOFEW below 2 studies.  tau and pval are NaN when every
 * deviate or every vi is the same.  a: scratch memory (NULL: malloc). */
MSYN_API msyn_status msyn_bias_ranktest(const double *yi, const double *vi,
                                        size_t k, const msyn_allocator *a,
                                        msyn_ranktest *r);

typedef enum msyn_tf_estimator {
    MSYN_TF_L0 = 0,        /* Duval & Tweedie's L0 (metafor's default)     */
    MSYN_TF_R0 = 1,        /* R0: the rightmost run of ranks               */
    MSYN_TF_Q0 = 2         /* Q0                                           */
} msyn_tf_estimator;

typedef enum msyn_tf_side {
    MSYN_TF_AUTO = 0,      /* from the sign of the slope of yi on sqrt(vi)
                              in a meta-regression with the fit's method:
                              negative -> right, else left (metafor)       */
    MSYN_TF_LEFT = 1,      /* studies are missing on the left              */
    MSYN_TF_RIGHT = 2
} msyn_tf_side;

typedef struct msyn_trimfill_opts {
    msyn_tf_estimator estimator; /* default MSYN_TF_L0                     */
    msyn_tf_side side;     /* default MSYN_TF_AUTO                          */
    int max_iter;          /* default 100 (metafor's maxiter)               */
    msyn_bias_tau2_fn side_fn; /* tau^2 for the automatic side (NULL:
                              msyn_bias_tau2_builtin)                      */
    void *side_ud;
} msyn_trimfill_opts;

MSYN_API void msyn_trimfill_opts_default(msyn_trimfill_opts *o);

typedef struct msyn_trimfill {
    size_t k;              /* observed studies used                         */
    size_t k0;             /* studies filled in                             */
    double k0_se;          /* metafor's SE of the estimator (before rounding) */
    double k0_pval;        /* R0: P(R0 >= k0) under no asymmetry; else NaN  */
    msyn_tf_side side;     /* side used (LEFT or RIGHT)                     */
    double side_slope;     /* AUTO: the slope whose sign chose it; else NaN */
    int iterations;
    msyn_fit fit;          /* fit of the k + k0 studies (the observed ones
                              when k0 = 0) with the caller's options        */
    unsigned flags;
} msyn_trimfill;

/* Duval & Tweedie's trim-and-fill (2000), as metafor's trimfill(): the
 * k0 most extreme studies on the side opposite the missing ones are
 * trimmed, the centre re-estimated (msyn_pool with po->method), until k0
 * stops changing; then k0 mirror images 2 centre - yi with the same vi are
 * added and the k + k0 studies pooled with po.  The filled studies are
 * written to fill_yi and fill_vi (each k values; NULL to skip), in
 * metafor's order.  Studies with NaN are left out.  MSYN_ETOOFEW below 2
 * studies; MSYN_ENOCONV when k0 has not settled after max_iter rounds;
 * MSYN_ENOTESTIMABLE when R0 finds no study on the far side (metafor
 * fails there too).  Scratch memory from po->alloc. */
MSYN_API msyn_status msyn_bias_trimfill(const double *yi, const double *vi,
                                        size_t k, const msyn_pool_opts *po,
                                        const msyn_trimfill_opts *to,
                                        msyn_trimfill *res, double *fill_yi,
                                        double *fill_vi);

typedef enum msyn_fsn_type {
    MSYN_FSN_ROSENTHAL = 0, /* Rosenthal 1979: Stouffer's combined z       */
    MSYN_FSN_ORWIN = 1,     /* Orwin 1983: down to a target effect         */
    MSYN_FSN_ROSENBERG = 2  /* Rosenberg 2005: common-effect z             */
} msyn_fsn_type;

typedef struct msyn_fsn {
    msyn_fsn_type type;
    size_t k;
    double fsnum;          /* the fail-safe N (integer, Inf possible)       */
    double alpha;
    double pval;           /* Rosenthal: one-sided Stouffer p; Rosenberg:
                              two-sided common-effect p; Orwin: NaN        */
    double meanes;         /* Orwin: (weighted) mean; Rosenberg: common-
                              effect estimate; Rosenthal: NaN              */
    double target;         /* Orwin only                                    */
    unsigned flags;
} msyn_fsn;

/* Fail-safe N, as metafor's fsn().  alpha: significance level (metafor's
 * default 0.05; one-sided for Rosenthal, two-sided for Rosenberg).
 * target (Orwin): the effect to reach, NaN = half the mean effect; its
 * sign is made that of the mean.  weighted (Orwin): the mean weighted by
 * 1/vi.  vi may be NULL for unweighted Orwin.  Studies with NaN are left
 * out; MSYN_ETOOFEW if none remains. */
MSYN_API msyn_status msyn_bias_fsn(const double *yi, const double *vi,
                                   size_t k, msyn_fsn_type type, double alpha,
                                   double target, int weighted, msyn_fsn *r);

/* ==================================================================== */
/* Distributions (R's nmath, so results match R to the last bit)        */
/* ==================================================================== */

/* Two-sided p-value of a z statistic: 2 Q(|z|). */
MSYN_API double msyn_pval_z(double z);
/* Two-sided p-value of a t statistic with df degrees of freedom. */
MSYN_API double msyn_pval_t(double t, double df);
/* Upper-tail p-value of a chi-squared statistic. */
MSYN_API double msyn_pval_chisq(double q, double df);
/* Critical value of a two-sided interval: z_{1-(1-level)/2}, or the t
 * quantile when df is finite and positive (df = NaN or Inf: normal). */
MSYN_API double msyn_crit(double level, double df);

#ifdef __cplusplus
}
#endif

#endif /* METASYN_H */
