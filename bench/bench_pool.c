/*
 * bench_pool.c - the C side of metasyn's benchmark (driven by bench/run).
 *
 *   bench_pool version
 *       Print the version of the linked library.
 *   bench_pool gen OUT.csv N K SEED
 *       Write N simulated random-effects datasets of K studies each to
 *       OUT.csv (columns id,yi,vi; yi and vi rounded to 6 decimals so that
 *       R, Python and C read exactly the same doubles) and the true
 *       parameters to OUT_truth.csv (id,tau2,mu).
 *   bench_pool time DATA.csv OUT.csv METHOD [MIN_SECONDS]
 *       Fit every dataset with msyn_pool(METHOD, HKSJ test, Q-profile CI for
 *       tau^2, prediction interval) and write the estimates to OUT.csv; then
 *       refit all datasets over and over, single thread, until at least
 *       MIN_SECONDS (default 1) of process CPU time have been spent, and
 *       report CPU microseconds per fit: the median over passes (robust to
 *       a noisy neighbour on a shared machine), the mean and the best pass.
 *       The last line is machine-readable: "us_per_fit <median>".
 *   bench_pool breakdown DATA.csv [MIN_SECONDS]
 *       The same timing for a ladder of option sets (estimator alone, then
 *       adding HKSJ, the prediction interval and the Q-profile CI), to show
 *       where the time of a full fit goes.
 *   bench_pool large K SEED
 *       One REML + HKSJ + Q-profile + PI fit of K simulated studies: CPU and
 *       wall time, and the process's peak resident set size (getrusage).
 *   bench_pool perm K ITER SEED DATA.csv
 *       Permutation test (msyn_reg_permtest) of a meta-regression
 *       yi ~ 1 + x of K simulated studies with ITER random permutations,
 *       REML: CPU and wall time; the data go to DATA.csv (x,yi,vi) for
 *       bench/permutest.R.  Last line: "perm_seconds <cpu>".
 *   bench_pool compare A.csv B.csv COL[,COL...]
 *       Join two estimate files on id and print, per column, the maximum
 *       absolute difference (and the id where it occurs), the median
 *       absolute difference and the number of ids compared.
 *
 * Random numbers: SplitMix64 (Steele, Lea & Flood 2014; the generator that
 * seeds xoshiro), 53-bit uniforms, normals by the Box-Muller transform.  The
 * whole data file is a function of N, K and SEED only.
 *
 * Build: cc -O2 -std=c11 -Iinclude bench/bench_pool.c libmetasyn.a
 *           -lRmath -lgsl -lgslcblas -lm
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "metasyn.h"

/* ---- PRNG ------------------------------------------------------------ */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t splitmix64(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform on [0, 1): the top 53 bits. */
static double unif(rng *r) { return (double)(splitmix64(r) >> 11) * 0x1.0p-53; }

/* Standard normal, Box-Muller (one of the pair; 1 - u is in (0, 1]). */
static double norm01(rng *r)
{
    double u1 = 1.0 - unif(r), u2 = unif(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static const double TAU2_SET[4] = {0.0, 0.05, 0.2, 0.5};

/* One dataset: true tau2 from TAU2_SET, mu ~ U(-1, 1), vi ~ U(0.01, 0.2),
 * yi ~ N(mu, vi + tau2). */
static void simulate_given(rng *r, size_t k, double *yi, double *vi,
                           double tau2, double mu)
{
    for (size_t i = 0; i < k; i++) {
        vi[i] = 0.01 + 0.19 * unif(r);
        yi[i] = mu + sqrt(vi[i] + tau2) * norm01(r);
    }
}

static void simulate(rng *r, size_t k, double *yi, double *vi, double *tau2,
                     double *mu)
{
    *tau2 = TAU2_SET[splitmix64(r) >> 62];
    *mu = -1.0 + 2.0 * unif(r);
    simulate_given(r, k, yi, vi, *tau2, *mu);
}

/* ---- clocks ---------------------------------------------------------- */

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux: kilobytes */
}

static void die(const char *what)
{
    fprintf(stderr, "bench_pool: %s\n", what);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* ---- gen ------------------------------------------------------------- */

static int cmd_gen(const char *path, long n, long k, uint64_t seed)
{
    rng r = {seed};
    double *yi, *vi, tau2, mu;
    char tpath[4096];
    FILE *f, *t;
    size_t len = strlen(path);
    if (n < 1 || k < 1)
        die("gen: N and K must be positive");
    if (len > 4 && strcmp(path + len - 4, ".csv") == 0)
        snprintf(tpath, sizeof tpath, "%.*s_truth.csv", (int)(len - 4), path);
    else
        snprintf(tpath, sizeof tpath, "%s_truth.csv", path);
    if (!(f = fopen(path, "w")) || !(t = fopen(tpath, "w")))
        die("gen: cannot write the data file");
    yi = xmalloc((size_t)k * sizeof *yi);
    vi = xmalloc((size_t)k * sizeof *vi);
    fputs("id,yi,vi\n", f);
    fputs("id,tau2,mu\n", t);
    for (long d = 1; d <= n; d++) {
        simulate(&r, (size_t)k, yi, vi, &tau2, &mu);
        for (long i = 0; i < k; i++)
            fprintf(f, "%ld,%.6f,%.6f\n", d, yi[i], vi[i]);
        fprintf(t, "%ld,%g,%.6f\n", d, tau2, mu);
    }
    free(yi);
    free(vi);
    if (fclose(f) || fclose(t))
        die("gen: write error");
    return 0;
}

/* ---- data files ------------------------------------------------------ */

typedef struct dataset {
    long id;
    size_t k;
    double *yi, *vi;
} dataset;

typedef struct datafile {
    size_t n;         /* datasets */
    dataset *d;
    double *yi, *vi;  /* storage, all studies back to back */
} datafile;

/* Read id,yi,vi (rows of one id consecutive). */
static void read_data(const char *path, datafile *df)
{
    FILE *f = fopen(path, "r");
    char line[256];
    size_t cap = 1024, rows = 0, ncap = 64;
    long *ids;
    if (!f)
        die("cannot open the data file");
    ids = xmalloc(cap * sizeof *ids);
    df->yi = xmalloc(cap * sizeof *df->yi);
    df->vi = xmalloc(cap * sizeof *df->vi);
    if (!fgets(line, sizeof line, f) || strncmp(line, "id,yi,vi", 8) != 0)
        die("data file: header must be id,yi,vi");
    while (fgets(line, sizeof line, f)) {
        char *p = line, *e;
        if (rows == cap) {
            cap *= 2;
            if (!(ids = realloc(ids, cap * sizeof *ids)) ||
                !(df->yi = realloc(df->yi, cap * sizeof *df->yi)) ||
                !(df->vi = realloc(df->vi, cap * sizeof *df->vi)))
                die("out of memory");
        }
        ids[rows] = strtol(p, &e, 10);
        if (*e != ',')
            die("data file: bad id");
        df->yi[rows] = strtod(e + 1, &e);
        if (*e != ',')
            die("data file: bad yi");
        df->vi[rows] = strtod(e + 1, &e);
        rows++;
    }
    fclose(f);
    df->n = 0;
    df->d = xmalloc(ncap * sizeof *df->d);
    for (size_t i = 0; i < rows; i++) {
        if (i == 0 || ids[i] != ids[i - 1]) {
            if (df->n == ncap) {
                ncap *= 2;
                if (!(df->d = realloc(df->d, ncap * sizeof *df->d)))
                    die("out of memory");
            }
            df->d[df->n].id = ids[i];
            df->d[df->n].k = 0;
            df->d[df->n].yi = df->yi + i;
            df->d[df->n].vi = df->vi + i;
            df->n++;
        }
        df->d[df->n - 1].k++;
    }
    free(ids);
    if (df->n == 0)
        die("data file: no rows");
}

/* ---- time ------------------------------------------------------------ */

static void opts_full(msyn_pool_opts *o, msyn_method m)
{
    msyn_pool_opts_default(o);
    o->method = m;
    o->test = MSYN_TEST_KNHA;
    o->tau2_ci = 1;
    o->pi = MSYN_PI_DEFAULT;
}

static void put(FILE *f, double x, int last)
{
    if (isnan(x))
        fputs("NA", f);
    else
        fprintf(f, "%.17g", x);
    fputc(last ? '\n' : ',', f);
}

/* Fit every dataset once; failures counted. */
static size_t one_pass(const datafile *df, const msyn_pool_opts *o,
                       double *sink)
{
    size_t fails = 0;
    msyn_fit fit;
    for (size_t j = 0; j < df->n; j++) {
        if (msyn_pool(df->d[j].yi, df->d[j].vi, df->d[j].k, o, &fit) != MSYN_OK)
            fails++;
        *sink += fit.estimate;
    }
    return fails;
}

typedef struct timing {
    double us_mean, us_best, us_median, cpu_total;
    size_t fits, passes, fails;
} timing;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Repeat whole passes until min_s CPU seconds (and at least 3 passes). */
static void time_opts(const datafile *df, const msyn_pool_opts *o,
                      double min_s, timing *t)
{
    size_t cap = 64;
    double *pass = xmalloc(cap * sizeof *pass), sink = 0.0, start, t0;
    memset(t, 0, sizeof *t);
    one_pass(df, o, &sink); /* warm caches and branch predictors */
    start = cpu_seconds();
    do {
        t0 = cpu_seconds();
        t->fails += one_pass(df, o, &sink);
        if (t->passes == cap && !(pass = realloc(pass, (cap *= 2) * sizeof *pass)))
            die("out of memory");
        pass[t->passes++] = cpu_seconds() - t0;
    } while (cpu_seconds() - start < min_s || t->passes < 3);
    t->cpu_total = cpu_seconds() - start;
    t->fits = t->passes * df->n;
    t->us_mean = 1e6 * t->cpu_total / (double)t->fits;
    qsort(pass, t->passes, sizeof *pass, cmp_double);
    t->us_best = 1e6 * pass[0] / (double)df->n;
    t->us_median = 1e6 * pass[t->passes / 2] / (double)df->n;
    if (sink == 12345.678)
        puts(""); /* keep the results alive */
    free(pass);
}

static int cmd_time(const char *data, const char *out, const char *method,
                    double min_s)
{
    datafile df;
    msyn_pool_opts o;
    msyn_method m;
    msyn_fit fit;
    timing t;
    FILE *f;
    size_t fails = 0, iters = 0, n_trunc = 0, n_ll0 = 0, n_fb = 0;
    int max_it = 0;
    char fb_ids[256] = "";
    if (msyn_method_parse(method, &m) != MSYN_OK)
        die("time: unknown method");
    read_data(data, &df);
    opts_full(&o, m);
    if (!(f = fopen(out, "w")))
        die("time: cannot write the estimates");
    fputs("id,tau2,estimate,se,ci_lb,ci_ub,tau2_ci_lb,tau2_ci_ub,pi_lb,pi_ub\n", f);
    for (size_t j = 0; j < df.n; j++) {
        msyn_status rc = msyn_pool(df.d[j].yi, df.d[j].vi, df.d[j].k, &o, &fit);
        if (rc != MSYN_OK) {
            fprintf(stderr, "bench_pool: dataset %ld: %s\n", df.d[j].id, msyn_strerror(rc));
            fails++;
        }
        iters += (size_t)fit.iterations;
        if (fit.iterations > max_it)
            max_it = fit.iterations;
        n_trunc += (fit.flags & MSYN_FIT_TAU2_TRUNCATED) != 0;
        n_ll0 += (fit.flags & MSYN_FIT_LL0_RESET) != 0;
        if (fit.flags & MSYN_FIT_FALLBACK) {
            size_t l = strlen(fb_ids);
            if (n_fb < 12)
                snprintf(fb_ids + l, sizeof fb_ids - l, " %ld", df.d[j].id);
            else if (n_fb == 12)
                snprintf(fb_ids + l, sizeof fb_ids - l, " ...");
            n_fb++;
        }
        fprintf(f, "%ld,", df.d[j].id);
        put(f, fit.tau2, 0);
        put(f, fit.estimate, 0);
        put(f, fit.se, 0);
        put(f, fit.ci_lb, 0);
        put(f, fit.ci_ub, 0);
        put(f, fit.tau2_ci_lb, 0);
        put(f, fit.tau2_ci_ub, 0);
        put(f, fit.pi_lb, 0);
        put(f, fit.pi_ub, 1);
    }
    if (fclose(f))
        die("time: write error");
    time_opts(&df, &o, min_s, &t);
    {
        /* the same fits with a quantile memo, as a batch would run them */
        timing tc;
        msyn_pool_opts oc = o;
        oc.cache = msyn_cache_new(NULL);
        if (!oc.cache)
            die("out of memory");
        time_opts(&df, &oc, min_s, &tc);
        msyn_cache_free(oc.cache);
        printf("  with an msyn_cache (quantiles memoised across fits, as in a batch): "
               "median pass %.3f us/fit\n", tc.us_median);
        printf("us_per_fit_cached %.6f\n", tc.us_median);
    }
    printf("  metasyn %s + knha + Q-profile + PI: %zu datasets (k = %zu), %zu failed; "
           "estimator iterations: mean %.2f, max %d\n",
           msyn_method_name(m), df.n, df.d[0].k, fails, (double)iters / (double)df.n, max_it);
    printf("  flags: tau2 truncated at 0 in %zu, ll0check reset in %zu, fallback to another "
           "estimator in %zu%s%s%s\n",
           n_trunc, n_ll0, n_fb, n_fb ? " (ids" : "", fb_ids, n_fb ? ")" : "");
    printf("  %zu fits in %zu passes of %zu, %.2f s CPU: median pass %.3f us/fit "
           "(mean %.3f, best pass %.3f)\n",
           t.fits, t.passes, df.n, t.cpu_total, t.us_median, t.us_mean, t.us_best);
    printf("us_per_fit %.6f\n", t.us_median);
    return fails ? 1 : 0;
}

/* ---- breakdown ------------------------------------------------------- */

static int cmd_breakdown(const char *data, double min_s)
{
    static const struct {
        const char *label;
        msyn_method m;
        msyn_test test;
        msyn_pi pi;
        int ci;
    } v[] = {
        {"DL, z test, no tau2 CI, no PI", MSYN_METHOD_DL, MSYN_TEST_Z, MSYN_PI_NONE, 0},
        {"REML, z test, no tau2 CI, no PI", MSYN_METHOD_REML, MSYN_TEST_Z, MSYN_PI_NONE, 0},
        {"REML + knha", MSYN_METHOD_REML, MSYN_TEST_KNHA, MSYN_PI_NONE, 0},
        {"REML + knha + PI", MSYN_METHOD_REML, MSYN_TEST_KNHA, MSYN_PI_DEFAULT, 0},
        {"REML + knha + PI + Q-profile (full)", MSYN_METHOD_REML, MSYN_TEST_KNHA, MSYN_PI_DEFAULT, 1},
        {"PM + knha + PI + Q-profile", MSYN_METHOD_PM, MSYN_TEST_KNHA, MSYN_PI_DEFAULT, 1},
    };
    datafile df;
    read_data(data, &df);
    printf("  %-38s %10s   (%zu datasets, k = %zu)\n", "options", "us/fit", df.n, df.d[0].k);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        msyn_pool_opts o;
        timing t;
        msyn_pool_opts_default(&o);
        o.method = v[i].m;
        o.test = v[i].test;
        o.pi = v[i].pi;
        o.tau2_ci = v[i].ci;
        time_opts(&df, &o, min_s, &t);
        printf("  %-38s %10.3f\n", v[i].label, t.us_median);
    }
    return 0;
}

/* ---- large ----------------------------------------------------------- */

static int cmd_large(long k, uint64_t seed)
{
    rng r = {seed};
    double *yi, *vi, c0, w0;
    double rss_before;
    msyn_pool_opts o;
    msyn_fit fit;
    msyn_status rc;
    if (k < 2)
        die("large: K must be at least 2");
    yi = xmalloc((size_t)k * sizeof *yi);
    vi = xmalloc((size_t)k * sizeof *vi);
    /* One big dataset: tau2 = 0.05, mu = 0.3. */
    simulate_given(&r, (size_t)k, yi, vi, 0.05, 0.3);
    rss_before = peak_rss_mb();
    /* REML alone (z test, no tau2 CI, no PI): the target. */
    msyn_pool_opts_default(&o);
    o.method = MSYN_METHOD_REML;
    o.tau2_ci = 0;
    o.pi = MSYN_PI_NONE;
    c0 = cpu_seconds();
    rc = msyn_pool(yi, vi, (size_t)k, &o, &fit);
    c0 = cpu_seconds() - c0;
    printf("  k = %-8ld REML, z test, no CIs:    %8.2f ms CPU, %3d iterations%s\n", k, 1e3 * c0,
           fit.iterations, rc == MSYN_OK ? "" : " FAILED");
    opts_full(&o, MSYN_METHOD_REML);
    c0 = cpu_seconds();
    w0 = wall_seconds();
    rc = msyn_pool(yi, vi, (size_t)k, &o, &fit);
    c0 = cpu_seconds() - c0;
    w0 = wall_seconds() - w0;
    printf("  k = %-8ld REML+knha+Q-profile+PI: %8.2f ms CPU, %8.2f ms wall, %3d iterations; "
           "peak RSS %.1f MB (%.1f MB before the fit, data %.1f MB); "
           "tau2 = %.5f [%.5f, %.5f] (true 0.05)%s\n",
           k, 1e3 * c0, 1e3 * w0, fit.iterations, peak_rss_mb(), rss_before,
           2.0 * (double)k * sizeof(double) / 1048576.0, fit.tau2, fit.tau2_ci_lb,
           fit.tau2_ci_ub, rc == MSYN_OK ? "" : " FAILED");
    free(yi);
    free(vi);
    return rc == MSYN_OK ? 0 : 1;
}

/* ---- perm ------------------------------------------------------------ */

/* A permutation test of a meta-regression yi ~ 1 + x (metafor's
 * permutest()): k studies, x ~ U(0, 1), true slope 0.3, tau2 = 0.05.  The
 * data go to DATA.csv (k, x, yi, vi) so that metafor can test the same. */
static int cmd_perm(long k, long iter, uint64_t seed, const char *path)
{
    rng r = {seed};
    double *yi, *vi, *X, *pv, c0, w0;
    msyn_reg_opts ro;
    msyn_pool_opts o;
    msyn_reg_perm pr;
    msyn_status rc;
    FILE *f;
    if (k < 4 || iter < 1)
        die("perm: K must be at least 4 and ITER at least 1");
    yi = xmalloc((size_t)k * sizeof *yi);
    vi = xmalloc((size_t)k * sizeof *vi);
    X = xmalloc((size_t)k * 2 * sizeof *X);
    pv = xmalloc(2 * sizeof *pv);
    for (long i = 0; i < k; i++) {
        double x = unif(&r);
        vi[i] = 0.01 + 0.19 * unif(&r);
        yi[i] = 0.1 + 0.3 * x + sqrt(vi[i] + 0.05) * norm01(&r);
        X[2 * i] = 1.0;
        X[2 * i + 1] = x;
    }
    f = fopen(path, "w");
    if (!f)
        die("perm: cannot write DATA.csv");
    fputs("x,yi,vi\n", f);
    for (long i = 0; i < k; i++)
        fprintf(f, "%.17g,%.17g,%.17g\n", X[2 * i + 1], yi[i], vi[i]);
    if (fclose(f) != 0)
        die("perm: cannot write DATA.csv");
    msyn_reg_opts_default(&ro);
    msyn_pool_opts_default(&o);
    o.method = MSYN_METHOD_REML;
    memset(&pr, 0, sizeof pr);
    pr.pval = pv;
    c0 = cpu_seconds();
    w0 = wall_seconds();
    rc = msyn_reg_permtest(yi, vi, X, (size_t)k, 2, &ro, &o, (size_t)iter, seed, 0, &pr);
    c0 = cpu_seconds() - c0;
    w0 = wall_seconds() - w0;
    printf("  k = %ld, yi ~ 1 + x, REML, %zu permutations: %.3f s CPU, %.3f s wall "
           "(%.1f us per refit); %zu failed; p(QM) = %.4f, p(x) = %.4f%s\n",
           k, pr.iter, c0, w0, 1e6 * c0 / (double)(pr.iter ? pr.iter : 1), pr.failed,
           pr.QM_pval, pv[1], rc == MSYN_OK ? "" : " FAILED");
    printf("perm_seconds %.6f\n", c0);
    free(yi);
    free(vi);
    free(X);
    free(pv);
    return rc == MSYN_OK ? 0 : 1;
}

/* ---- compare --------------------------------------------------------- */

#define MAXCOL 32

typedef struct table {
    size_t n, ncol;
    char *name[MAXCOL];
    long *id;
    double *x; /* n * ncol, NaN for NA */
} table;

static void read_table(const char *path, table *t)
{
    FILE *f = fopen(path, "r");
    char line[4096], *tok, *save;
    size_t cap = 256;
    if (!f) {
        fprintf(stderr, "bench_pool: cannot open %s\n", path);
        exit(1);
    }
    memset(t, 0, sizeof *t);
    if (!fgets(line, sizeof line, f))
        die("compare: empty file");
    line[strcspn(line, "\r\n")] = 0;
    for (tok = strtok_r(line, ",", &save); tok && t->ncol < MAXCOL;
         tok = strtok_r(NULL, ",", &save)) {
        size_t l = strlen(tok);
        if (l >= 2 && tok[0] == '"' && tok[l - 1] == '"') {
            tok[l - 1] = 0;
            tok++;
        }
        t->name[t->ncol++] = strdup(tok);
    }
    if (t->ncol == 0 || strcmp(t->name[0], "id") != 0)
        die("compare: first column must be id");
    t->id = xmalloc(cap * sizeof *t->id);
    t->x = xmalloc(cap * t->ncol * sizeof *t->x);
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        if (t->n == cap) {
            cap *= 2;
            if (!(t->id = realloc(t->id, cap * sizeof *t->id)) ||
                !(t->x = realloc(t->x, cap * t->ncol * sizeof *t->x)))
                die("out of memory");
        }
        t->id[t->n] = strtol(p, &p, 10);
        for (size_t c = 1; c < t->ncol; c++) {
            char *e;
            double v;
            if (*p == ',')
                p++;
            v = strtod(p, &e);
            if (e == p) { /* NA, NaN, empty */
                v = NAN;
                e = p + strcspn(p, ",\r\n");
            }
            t->x[t->n * t->ncol + c] = v;
            p = e;
        }
        t->n++;
    }
    fclose(f);
}

static long col_of(const table *t, const char *name)
{
    for (size_t c = 1; c < t->ncol; c++)
        if (strcmp(t->name[c], name) == 0)
            return (long)c;
    return -1;
}

static long row_of(const table *t, long id)
{
    /* ids are sorted ascending in every file of the benchmark; fall back to
     * a scan otherwise */
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < t->n && t->id[lo] == id)
        return (long)lo;
    for (size_t i = 0; i < t->n; i++)
        if (t->id[i] == id)
            return (long)i;
    return -1;
}

static int cmd_compare(const char *pa, const char *pb, const char *cols)
{
    table a, b;
    char *list = strdup(cols), *save, *name;
    double *d;
    read_table(pa, &a);
    read_table(pb, &b);
    d = xmalloc((a.n ? a.n : 1) * sizeof *d);
    printf("  %-12s %12s %8s %12s %6s %s\n", "column", "max |diff|", "at id",
           "median", "n", "NA mismatches");
    for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        long ca = col_of(&a, name), cb = col_of(&b, name), at = -1;
        size_t n = 0, na = 0;
        double mx = 0.0;
        if (ca < 0 || cb < 0) {
            printf("  %-12s (not in both files)\n", name);
            continue;
        }
        for (size_t i = 0; i < a.n; i++) {
            long j = row_of(&b, a.id[i]);
            double x, y;
            if (j < 0)
                continue;
            x = a.x[i * a.ncol + (size_t)ca];
            y = b.x[(size_t)j * b.ncol + (size_t)cb];
            if (isnan(x) || isnan(y)) {
                na += isnan(x) != isnan(y);
                continue;
            }
            d[n] = fabs(x - y);
            if (d[n] > mx || at < 0) {
                mx = d[n];
                at = a.id[i];
            }
            n++;
        }
        if (n == 0) {
            printf("  %-12s %12s %8s %12s %6zu %zu\n", name, "-", "-", "-", n, na);
            continue;
        }
        qsort(d, n, sizeof *d, cmp_double);
        printf("  %-12s %12.3g %8ld %12.3g %6zu %zu\n", name, mx, at, d[n / 2], n, na);
    }
    free(list);
    free(d);
    return 0;
}

/* ---- main ------------------------------------------------------------ */

static void usage(void)
{
    fputs("usage: bench_pool gen OUT.csv N K SEED\n"
          "       bench_pool time DATA.csv OUT.csv METHOD [MIN_SECONDS]\n"
          "       bench_pool breakdown DATA.csv [MIN_SECONDS]\n"
          "       bench_pool large K SEED\n"
          "       bench_pool perm K ITER SEED DATA.csv\n"
          "       bench_pool compare A.csv B.csv COL[,COL...]\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    if (strcmp(argv[1], "version") == 0) {
        puts(msyn_version());
        return 0;
    }
    if (strcmp(argv[1], "gen") == 0 && argc == 6)
        return cmd_gen(argv[2], atol(argv[3]), atol(argv[4]),
                       (uint64_t)strtoull(argv[5], NULL, 10));
    if (strcmp(argv[1], "time") == 0 && (argc == 5 || argc == 6))
        return cmd_time(argv[2], argv[3], argv[4], argc == 6 ? atof(argv[5]) : 1.0);
    if (strcmp(argv[1], "breakdown") == 0 && (argc == 3 || argc == 4))
        return cmd_breakdown(argv[2], argc == 4 ? atof(argv[3]) : 0.3);
    if (strcmp(argv[1], "large") == 0 && argc == 4)
        return cmd_large(atol(argv[2]), (uint64_t)strtoull(argv[3], NULL, 10));
    if (strcmp(argv[1], "perm") == 0 && argc == 6)
        return cmd_perm(atol(argv[2]), atol(argv[3]), (uint64_t)strtoull(argv[4], NULL, 10),
                        argv[5]);
    if (strcmp(argv[1], "compare") == 0 && argc == 5)
        return cmd_compare(argv[2], argv[3], argv[4]);
    usage();
    return 2;
}
