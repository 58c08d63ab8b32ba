/*
 * stress.c - numerical stress of libmetasyn's pooling: random data sets
 * with extremes, through every tau^2 estimator and test, checking that
 * every fit ends with finite output or a documented status, and that an
 * estimator that did not converge says so (a fallback flag or
 * MSYN_ENOCONV), never silently.  docs/robustness.md.
 *
 *   stress [N [SEED]]        N data sets (default 2000), RNG seed (1)
 *
 * Prints, per estimator, the fits, how many converged without a fallback,
 * fallbacks taken, errors by status, and violations; then one line
 * "SUMMARY sets failed" (data sets with a violation), as test suites do.
 * Exit 0 when there is no violation.
 *
 * The data: k from 1 to 100,000 (most data sets are small; one in 1,100
 * has 10,000 to 100,000 studies),
 * sampling variances from 1e-12 to 1e6, identical effects, identical
 * variances, one huge outlier, tau^2 far above the sampling variances, and
 * 2x2 tables with zero cells and events equal to n (through
 * msyn_pool_tables with MH, Peto and the inverse-variance estimators).
 * GSL's Mersenne Twister makes the sets; the same N and SEED give the same
 * sets.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "metasyn.h"

#define NEST 9
static const msyn_method estimators[NEST] = {MSYN_METHOD_EE, MSYN_METHOD_DL, MSYN_METHOD_HE,
                                             MSYN_METHOD_HS, MSYN_METHOD_SJ, MSYN_METHOD_ML,
                                             MSYN_METHOD_REML, MSYN_METHOD_EB, MSYN_METHOD_PM};

enum { NSTATUS = 8 };

typedef struct tally {
    const char *name;
    long fits, ok, direct, fallback, status[NSTATUS], violations;
} tally;

static tally est_tally[NEST], reg_tally[NEST], mh_tally, peto_tally;
static FILE *dump_sets, *dump_fits; /* STRESS_DUMP: sampled sets for tests/stress/compare.R */
static long violations;
static int verbose;

typedef enum scenario {
    SC_NORMAL, SC_TINY_VI, SC_HUGE_VI, SC_MIXED_VI, SC_SAME_YI, SC_SAME_VI, SC_OUTLIER, SC_TAU2_HUGE,
    SC_K1, SC_LARGE_K, SC_TABLES, SC_COUNT
} scenario;

static const char *const scenario_name[SC_COUNT] = {
    "normal", "vi 1e-12..1e-6", "vi 1e3..1e6", "vi 1e-12..1e6", "identical effects", "identical variances",
    "one huge outlier", "tau2 >> vi", "k = 1", "large k", "2x2 tables with zeros"};

static const double *cur_yi, *cur_vi; /* the data set being fitted (IV) */
static const double *cur_t[4];        /* or its 2x2 tables             */
static const char *cur_measure = "";

static void violation(const char *what, const char *est, scenario sc, long set, size_t k)
{
    violations++;
    if (verbose || violations <= 20) {
        fprintf(stderr, "violation: %s (%s %s, data set %ld, %s, k = %zu)\n", what, est, cur_yi ? "" : cur_measure, set,
                scenario_name[sc], k);
        if (cur_yi && k <= 10)
            for (size_t i = 0; i < k; i++)
                fprintf(stderr, "  yi %.17g vi %.17g\n", cur_yi[i], cur_vi[i]);
        if (!cur_yi && cur_t[0] && k <= 10)
            for (size_t i = 0; i < k; i++)
                fprintf(stderr, "  %g %g %g %g\n", cur_t[0][i], cur_t[1][i], cur_t[2][i], cur_t[3][i]);
    }
}

static int fin(double x) { return isfinite(x); }

/* Everything a successful fit must satisfy. */
static void check_fit(const msyn_fit *f, tally *t, const char *name, scenario sc, long set, size_t k)
{
    int common = f->method == MSYN_METHOD_MH || f->method == MSYN_METHOD_PETO;
    if (!fin(f->estimate) || !fin(f->se) || !(f->se >= 0) || !fin(f->ci_lb) || !fin(f->ci_ub) ||
        !(f->ci_lb <= f->estimate && f->estimate <= f->ci_ub)) {
        violation("estimate, SE or CI not finite or out of order", name, sc, set, k);
        t->violations++;
    }
    if (!(f->pval >= 0 && f->pval <= 1)) {
        violation("p-value outside [0, 1]", name, sc, set, k);
        t->violations++;
    }
    if (!common && (!(f->tau2 >= 0) || !fin(f->tau2))) {
        violation("tau2 negative or not finite", name, sc, set, k);
        t->violations++;
    }
    if (!common && k > 1 && f->method_used != MSYN_METHOD_EE && !(f->flags & MSYN_FIT_TAU2_FIXED) &&
        !(fin(f->tau2_se) && f->tau2_se >= 0)) {
        violation("SE of tau2 not finite or negative", name, sc, set, k);
        t->violations++;
    }
    if (!isnan(f->tau2_ci_lb) && !isnan(f->tau2_ci_ub) &&
        !(f->tau2_ci_lb >= 0 && f->tau2_ci_lb <= f->tau2_ci_ub && fin(f->tau2_ci_ub))) {
        violation("Q-profile CI of tau2 out of order", name, sc, set, k);
        t->violations++;
    }
    if (k > 1 && !(f->flags & MSYN_FIT_NO_HET) && !(f->I2 >= 0 && f->I2 <= 100)) {
        violation("I2 outside [0, 100]", name, sc, set, k);
        t->violations++;
    }
    if (!f->converged) {
        violation("converged = 0 with status OK", name, sc, set, k);
        t->violations++;
    }
    if (f->method_used != f->method && !(f->flags & MSYN_FIT_FALLBACK)) {
        violation("another estimator used without the fallback flag", name, sc, set, k);
        t->violations++;
    }
    t->ok++;
    if (f->flags & MSYN_FIT_FALLBACK)
        t->fallback++;
    else
        t->direct++;
}

/* Every 97th data set of at most 200 studies is written for the metafor
 * comparison when STRESS_DUMP is set. */
static int dump_this(long set, size_t k) { return dump_sets && set % 97 == 0 && k <= 200; }

static void run_iv(const double *yi, const double *vi, size_t k, scenario sc, long set)
{
    int dumping = dump_this(set, k);
    cur_yi = yi, cur_vi = vi;
    if (dumping)
        for (size_t i = 0; i < k; i++)
            fprintf(dump_sets, "%ld,%s,%.17g,%.17g\n", set, scenario_name[sc], yi[i], vi[i]);
    for (int m = 0; m < NEST; m++) {
        for (int knha = 0; knha < 2; knha++) {
            msyn_pool_opts o;
            msyn_fit f;
            msyn_status rc;
            tally *t = &est_tally[m];
            msyn_pool_opts_default(&o);
            o.method = estimators[m];
            o.test = knha ? MSYN_TEST_KNHA : MSYN_TEST_Z;
            o.tau2_ci = k <= 2000; /* the Q-profile CI on every set but the largest */
            rc = msyn_pool(yi, vi, k, &o, &f);
            t->fits++;
            if ((unsigned)rc >= NSTATUS) {
                violation("undocumented status", t->name, sc, set, k);
                t->violations++;
                continue;
            }
            t->status[rc]++;
            if (dumping)
                fprintf(dump_fits, "%ld,%s,%s,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%d,%d\n", set,
                        t->name, knha ? "knha" : "z", (int)rc, f.estimate, f.se, f.tau2, f.tau2_se,
                        f.tau2_ci_lb, f.tau2_ci_ub, f.I2, f.Q, f.converged,
                        rc == MSYN_OK && (f.flags & MSYN_FIT_FALLBACK) ? 1 : 0);
            if (rc == MSYN_OK)
                check_fit(&f, t, t->name, sc, set, k);
            else if (rc != MSYN_ETOOFEW && rc != MSYN_ENOTESTIMABLE && rc != MSYN_EDATA) {
                violation(msyn_strerror(rc), t->name, sc, set, k);
                t->violations++;
            }
        }
    }
}

/* Everything a successful meta-regression must satisfy. */
static void check_reg(const msyn_reg_fit *f, tally *t, scenario sc, long set, size_t k)
{
    int bad = 0;
    for (size_t j = 0; j < f->p; j++) {
        /* with MSYN_FIT_KNHA_ZERO (no residual variation) a coefficient of
         * exactly 0 has SE 0 and so a test statistic 0/0: NaN, flagged, as
         * metafor gives */
        int zero_zero = (f->flags & MSYN_FIT_KNHA_ZERO) && f->b[j] == 0 && f->se[j] == 0;
        if (!fin(f->b[j]) || !(f->se[j] >= 0) || !fin(f->se[j]) || !(f->ci_lb[j] <= f->b[j] && f->b[j] <= f->ci_ub[j]) ||
            (!(f->pval[j] >= 0 && f->pval[j] <= 1) && !zero_zero))
            bad = 1;
    }
    if (bad)
        violation("meta-regression: coefficient, SE, CI or p-value not finite or out of order", t->name, sc, set, k);
    if (!(f->flags & MSYN_REG_QM_NA) && !(f->QM_pval >= 0 && f->QM_pval <= 1))
        violation("meta-regression: QM p-value outside [0, 1]", t->name, sc, set, k), bad = 1;
    if (!(f->tau2 >= 0) || !fin(f->tau2))
        violation("meta-regression: tau2 negative or not finite", t->name, sc, set, k), bad = 1;
    if (f->QE_df > 0 && !(f->I2 >= 0 && f->I2 <= 100))
        violation("meta-regression: I2 outside [0, 100]", t->name, sc, set, k), bad = 1;
    if (f->QE_df > 0 && f->method_used != MSYN_METHOD_EE && !(f->tau2_se >= 0 && fin(f->tau2_se)))
        violation("meta-regression: SE of tau2 not finite or negative", t->name, sc, set, k), bad = 1;
    if (!f->converged)
        violation("meta-regression: converged = 0 with status OK", t->name, sc, set, k), bad = 1;
    if (f->method_used != f->method && !(f->flags & MSYN_FIT_FALLBACK))
        violation("meta-regression: another estimator used without the fallback flag", t->name, sc, set, k), bad = 1;
    t->violations += bad;
    t->ok++;
    if (f->flags & MSYN_FIT_FALLBACK)
        t->fallback++;
    else
        t->direct++;
}

/* A meta-regression on one moderator (continuous, or binary in every
 * third set) through every estimator, z and Knapp-Hartung tests. */
static void run_reg(gsl_rng *r, const double *yi, const double *vi, size_t k, scenario sc, long set,
                    double *X)
{
    double b[2], se[2], st[2], pv[2], lb[2], ub[2], vb[4];
    int binary = set % 3 == 0;
    for (size_t i = 0; i < k; i++) {
        X[2 * i] = 1.0;
        X[2 * i + 1] = binary ? (double)(i % 2) : gsl_ran_gaussian(r, 1.0);
    }
    for (int m = 0; m < NEST; m++)
        for (int knha = 0; knha < 2; knha++) {
            msyn_pool_opts o;
            msyn_reg_fit f;
            msyn_status rc;
            tally *t = &reg_tally[m];
            memset(&f, 0, sizeof f);
            f.b = b, f.se = se, f.stat = st, f.pval = pv, f.ci_lb = lb, f.ci_ub = ub, f.vb = vb;
            msyn_pool_opts_default(&o);
            o.method = estimators[m];
            o.test = knha ? MSYN_TEST_KNHA : MSYN_TEST_Z;
            o.tau2_ci = 0;
            rc = msyn_reg(yi, vi, X, k, 2, NULL, &o, NULL, &f);
            t->fits++;
            if ((unsigned)rc >= NSTATUS) {
                violation("meta-regression: undocumented status", t->name, sc, set, k);
                t->violations++;
                continue;
            }
            t->status[rc]++;
            if (rc == MSYN_OK)
                check_reg(&f, t, sc, set, k);
            else if (rc != MSYN_ETOOFEW && rc != MSYN_ENOTESTIMABLE && rc != MSYN_EDATA) {
                violation(msyn_strerror(rc), t->name, sc, set, k);
                t->violations++;
            }
        }
}

static void run_tables(const double *a, const double *b, const double *c, const double *d, size_t k,
                       long set)
{
    cur_yi = cur_vi = NULL;
    cur_t[0] = a, cur_t[1] = b, cur_t[2] = c, cur_t[3] = d;
    static const msyn_measure ms[3] = {MSYN_MEASURE_OR, MSYN_MEASURE_RR, MSYN_MEASURE_RD};
    msyn_es_opts eo;
    msyn_es_opts_default(&eo);
    for (int mi = 0; mi < 3; mi++)
        for (int which = 0; which < 2; which++) {
            msyn_pool_opts o;
            msyn_fit f;
            msyn_status rc;
            tally *t = which == 0 ? &mh_tally : &peto_tally;
            if (which == 1 && ms[mi] != MSYN_MEASURE_OR)
                continue;
            cur_measure = which ? "PETO" : msyn_measure_name(ms[mi]);
            msyn_pool_opts_default(&o);
            o.method = which == 0 ? MSYN_METHOD_MH : MSYN_METHOD_PETO;
            rc = msyn_pool_tables(which == 0 ? ms[mi] : MSYN_MEASURE_PETO, a, b, c, d, k, &eo, &o, &f, NULL,
                                  NULL, NULL);
            t->fits++;
            if ((unsigned)rc >= NSTATUS) {
                violation("undocumented status", t->name, SC_TABLES, set, k);
                t->violations++;
                continue;
            }
            t->status[rc]++;
            if (rc == MSYN_OK)
                check_fit(&f, t, t->name, SC_TABLES, set, k);
            else if (rc != MSYN_ENOTESTIMABLE && rc != MSYN_ETOOFEW) {
                violation(msyn_strerror(rc), t->name, SC_TABLES, set, k);
                t->violations++;
            }
        }
}

static size_t draw_k(gsl_rng *r, scenario sc, long set)
{
    double u;
    if (sc == SC_K1)
        return 1;
    if (sc == SC_LARGE_K) {
        /* 100 .. 3,000 on a log scale; every 100th of these 10,000 ..
         * 100,000 (a million data sets then hold 909 such) */
        u = gsl_rng_uniform(r);
        return (set / SC_COUNT) % 100 == 99 ? (size_t)pow(10.0, 4.0 + u) : (size_t)pow(10.0, 2.0 + 1.5 * u);
    }
    return 2 + gsl_rng_uniform_int(r, 39);
}

static void one_set(gsl_rng *r, long set, double *yi, double *vi, double *a, double *b, double *c,
                    double *d, double *X)
{
    scenario sc = (scenario)(set % SC_COUNT);
    size_t k = draw_k(r, sc, set);
    double tau2 = sc == SC_TAU2_HUGE ? 100.0 : (double)gsl_rng_uniform_int(r, 3) * 0.25;
    double mu = gsl_ran_gaussian(r, 1.0);
    if (sc == SC_TABLES) {
        for (size_t i = 0; i < k; i++) {
            unsigned n1 = 2 + (unsigned)gsl_rng_uniform_int(r, 200), n2 = 2 + (unsigned)gsl_rng_uniform_int(r, 200);
            double p1 = gsl_rng_uniform(r) < 0.3 ? 0.0 : gsl_rng_uniform(r) * 0.1;
            double p2 = gsl_rng_uniform(r) < 0.1 ? 1.0 : gsl_rng_uniform(r) * 0.2;
            unsigned e1 = gsl_ran_binomial(r, p1, n1), e2 = gsl_ran_binomial(r, p2, n2);
            a[i] = e1, b[i] = n1 - e1, c[i] = e2, d[i] = n2 - e2;
        }
        run_tables(a, b, c, d, k, set);
        /* the same tables' log odds ratios through the IV estimators */
        {
            msyn_es_data es;
            msyn_es_opts eo;
            unsigned *fl = malloc(k * sizeof *fl);
            memset(&es, 0, sizeof es);
            es.ai = a, es.bi = b, es.ci = c, es.di = d;
            msyn_es_opts_default(&eo);
            if (fl && msyn_es(MSYN_MEASURE_OR, &es, k, &eo, yi, vi, fl) == MSYN_OK) {
                size_t m = 0;
                for (size_t i = 0; i < k; i++)
                    if (!isnan(yi[i]) && !isnan(vi[i]))
                        yi[m] = yi[i], vi[m] = vi[i], m++;
                if (m)
                    run_iv(yi, vi, m, sc, set);
            }
            free(fl);
        }
        return;
    }
    for (size_t i = 0; i < k; i++) {
        double v;
        switch (sc) {
        case SC_TINY_VI: v = pow(10.0, -12.0 + 6.0 * gsl_rng_uniform(r)); break;
        case SC_HUGE_VI: v = pow(10.0, 3.0 + 3.0 * gsl_rng_uniform(r)); break;
        case SC_MIXED_VI: v = pow(10.0, -12.0 + 18.0 * gsl_rng_uniform(r)); break;
        case SC_SAME_VI: v = 0.04; break;
        case SC_TAU2_HUGE: v = 0.01 * (0.5 + gsl_rng_uniform(r)); break;
        default: v = 0.005 + gsl_rng_uniform(r); break;
        }
        vi[i] = v;
        yi[i] = sc == SC_SAME_YI ? 0.3 : mu + gsl_ran_gaussian(r, sqrt(v + tau2));
    }
    if (sc == SC_OUTLIER)
        yi[0] = 1e3;
    run_iv(yi, vi, k, sc, set);
    if (k >= 3 && k <= 5000)
        run_reg(r, yi, vi, k, sc, set, X);
}

static void report(const tally *t)
{
    printf("%-6s %9ld %9ld %7.3f%% %8ld", t->name, t->fits, t->ok, t->fits ? 100.0 * (double)t->direct / (double)t->fits : 0.0,
           t->fallback);
    for (int s = 1; s < NSTATUS; s++)
        printf(" %6ld", t->status[s]);
    printf(" %5ld\n", t->violations);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000;
    unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
    size_t cap = 100001;
    double *buf = malloc(6 * cap * sizeof *buf), *X = malloc(2 * 5000 * sizeof *X);
    const char *dump = getenv("STRESS_DUMP");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    long total = 0, bad_sets = 0, stop = getenv("STRESS_STOP") ? atol(getenv("STRESS_STOP")) : n;
    verbose = getenv("STRESS_VERBOSE") != NULL;
    if (dump) {
        char path[4096];
        snprintf(path, sizeof path, "%s.sets.csv", dump);
        dump_sets = fopen(path, "w");
        snprintf(path, sizeof path, "%s.fits.csv", dump);
        dump_fits = fopen(path, "w");
        if (!dump_sets || !dump_fits) {
            fprintf(stderr, "stress: %s: cannot write the dump files\n", dump);
            return 2;
        }
        fprintf(dump_sets, "set,scenario,yi,vi\n");
        fprintf(dump_fits, "set,method,test,status,estimate,se,tau2,tau2_se,tau2_ci_lb,tau2_ci_ub,I2,Q,converged,fallback\n");
    }
    if (!buf || !X || !r || n < 1) {
        fprintf(stderr, "stress: %s\n", n < 1 ? "N must be >= 1" : "out of memory");
        return 2;
    }
    gsl_rng_set(r, seed);
    for (int m = 0; m < NEST; m++) {
        static char names[NEST][16];
        est_tally[m].name = msyn_method_name(estimators[m]);
        snprintf(names[m], sizeof names[m], "R-%s", est_tally[m].name);
        reg_tally[m].name = names[m];
    }
    mh_tally.name = "MH";
    peto_tally.name = "PETO";
    for (long s = 0; s < n && s < stop; s++) {
        long before = violations;
        one_set(r, s, buf, buf + cap, buf + 2 * cap, buf + 3 * cap, buf + 4 * cap, buf + 5 * cap, X);
        bad_sets += violations > before;
    }
    printf("stress: %ld data sets (seed %lu): %s", n, seed, "");
    for (int sc = 0; sc < SC_COUNT; sc++)
        printf("%s%s", sc ? ", " : "", scenario_name[sc]);
    printf("\n\n");
    printf("%-6s %9s %9s %8s %8s %6s %6s %6s %6s %6s %6s %6s %5s\n", "est", "fits", "ok", "direct", "fallback",
           "EINVAL", "ENOMEM", "ETOOFEW", "EDATA", "EMEAS", "ENOCONV", "ENOEST", "viol");
    for (int m = 0; m < NEST; m++) {
        report(&est_tally[m]);
        total += est_tally[m].fits;
    }
    report(&mh_tally);
    report(&peto_tally);
    total += mh_tally.fits + peto_tally.fits;
    for (int m = 0; m < NEST; m++) {
        report(&reg_tally[m]);
        total += reg_tally[m].fits;
    }
    printf("\n%ld fits; %ld violations.\n"
           "direct: converged with the estimator asked for, as a share of all fits;\n"
           "fallback: the estimator failed and the next one (PM, then DL) was used, flagged.\n"
           "R-*: meta-regression on one moderator (continuous, or binary in every third set).\n"
           "SUMMARY counts data sets: a data set fails when any of its fits breaks a rule.\n",
           total, violations);
    printf("SUMMARY %ld %ld\n", n, bad_sets);
    gsl_rng_free(r);
    free(buf);
    free(X);
    if (dump_sets && (fclose(dump_sets) | fclose(dump_fits)))
        fprintf(stderr, "stress: %s: write error\n", dump);
    return violations ? 1 : 0;
}
