/*
 * cmd_simulate.c - `metasyn simulate`: a simulation study of meta-analysis
 * methods over a grid of scenarios (k, tau^2, true effect, study sizes,
 * baseline risk).  Options, the grid, and the summary table; the
 * replications themselves are in sim_run.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sim.h"

static const char usage[] =
    "Usage: metasyn simulate [OPTIONS]\n"
    "\n"
    "A simulation study of meta-analysis methods.  For every scenario of a grid,\n"
    "each replication draws k true study effects theta_i ~ N(mu, tau2), simulates\n"
    "two-arm data around them, computes effect sizes as `metasyn es` does, and fits\n"
    "every method; the output has one row per scenario and method.\n"
    "\n"
    "The grid (LIST: comma-separated values; every combination is a scenario):\n"
    "      --k LIST             studies per meta-analysis (default 5,10,20)\n"
    "      --tau2 LIST          between-study variance (default 0,0.05,0.2)\n"
    "      --mu LIST            true mean effect, analysis scale (default 0)\n"
    "      --n LIST             per-arm size: N, or LO:HI for a uniform integer\n"
    "                           size per study (default 20:200)\n"
    "      --baseline-risk LIST binary: control-arm event risk (default 0.1)\n"
    "\n"
    "The data:\n"
    "      --outcome TYPE       continuous (default) or binary\n"
    "      --measure M          continuous: MD (default) or SMD, SD 1 in both arms;\n"
    "                           binary: OR (default, log odds ratio) or RR (log\n"
    "                           risk ratio; treatment risk min(1, p0 exp(theta)))\n"
    "\n"
    "The methods and the run:\n"
    "      --methods LIST       estimator-test pairs (default DL-z,REML-z,REML-knha,\n"
    "                           PM-knha); estimators EE DL HE HS SJ ML REML EB PM,\n"
    "                           tests z t knha (= hksj) adhoc\n"
    "      --level L            confidence level of CIs, PIs and tests (default 95)\n"
    "      --reps N             replications per scenario (default 1000)\n"
    "      --seed S             seed, 0 to 2^64-1 (default 1)\n"
    "      --threads N          worker threads (default: all cores); the output is\n"
    "                           the same for any number\n"
    "      --shard I/N          only the I-th of N contiguous parts of the grid;\n"
    "                           concatenating the outputs of shards 1..N gives the\n"
    "                           output of one run byte for byte (see docs/scaling.md)\n"
    "  -f, --format FMT         csv (default), jsonl or text\n"
    "  -o, --output FILE        write to FILE (default: standard output)\n"
    "  -h, --help               show this help\n"
    "\n"
    "Output, per scenario and method: replications run and used (fits that\n"
    "converged; fallback fits count as used), bias and MSE of the estimate and of\n"
    "tau2, CI coverage and mean width, PI coverage (the exact probability that a new\n"
    "theta ~ N(mu, tau2) falls in the PI, averaged), rejection rate of mu = 0 at\n"
    "1 - level, the share of replications where the requested estimator converged,\n"
    "and Monte Carlo standard errors (*_mcse).  Replication r of scenario s uses\n"
    "random numbers that depend only on (seed, s, r).  A progress line goes to\n"
    "standard error when it is a terminal.\n"
    "\n"
    "Exit status: 0 done, 2 usage error, 4 cannot write, 6 out of memory.\n";

enum { FMT_CSV, FMT_JSONL, FMT_TEXT };
enum { MAX_LIST = 64, MAX_SCENARIOS = 1000000 };

typedef struct sim_cli {
    double k[MAX_LIST], tau2[MAX_LIST], mu[MAX_LIST], p0[MAX_LIST];
    long n_lo[MAX_LIST], n_hi[MAX_LIST];
    size_t nk, ntau2, nmu, nn, np0;
    int p0_set, measure_set;
    const char *output;
    int format;
    unsigned long shard_i, shard_n;
    sim_ctx c;
} sim_cli;

enum {
    OPT_K = 256, OPT_TAU2, OPT_MU, OPT_N, OPT_P0, OPT_OUTCOME, OPT_MEASURE, OPT_METHODS, OPT_LEVEL,
    OPT_REPS, OPT_SEED, OPT_THREADS, OPT_SHARD
};

static const struct option long_opts[] = {
    {"k", required_argument, NULL, OPT_K},
    {"tau2", required_argument, NULL, OPT_TAU2},
    {"mu", required_argument, NULL, OPT_MU},
    {"n", required_argument, NULL, OPT_N},
    {"baseline-risk", required_argument, NULL, OPT_P0},
    {"outcome", required_argument, NULL, OPT_OUTCOME},
    {"measure", required_argument, NULL, OPT_MEASURE},
    {"methods", required_argument, NULL, OPT_METHODS},
    {"level", required_argument, NULL, OPT_LEVEL},
    {"reps", required_argument, NULL, OPT_REPS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int bad(const char *opt, const char *val, const char *expect)
{
    return cli_bad("simulate", opt, val, expect);
}

/* Split s at commas into at most MAX_LIST items; calls item(ctx, piece, i). */
static int each_item(const char *s, int (*item)(void *ctx, const char *piece, size_t i), void *ctx,
                     size_t *n)
{
    char buf[256];
    size_t i = 0;
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0 || len >= sizeof buf || i == MAX_LIST)
            return -1;
        memcpy(buf, p, len);
        buf[len] = '\0';
        if (item(ctx, buf, i) != 0)
            return -1;
        i++;
        if (!comma)
            break;
        p = comma + 1;
    }
    *n = i;
    return 0;
}

typedef struct num_list {
    double *x;
    double lo, hi;            /* allowed range, inclusive                 */
    int integer, open_lo, open_hi;
} num_list;

static int num_item(void *ctx, const char *piece, size_t i)
{
    num_list *l = ctx;
    double x;
    if (!cli_parse_number(piece, &x) || x < l->lo || x > l->hi || (l->open_lo && x <= l->lo) ||
        (l->open_hi && x >= l->hi) || (l->integer && x != floor(x)))
        return -1;
    l->x[i] = x;
    return 0;
}

static int size_item(void *ctx, const char *piece, size_t i)
{
    sim_cli *o = ctx;
    char *colon = strchr(piece, ':');
    double a, b;
    if (colon) {
        *colon = '\0';
        if (!cli_parse_number(piece, &a) || !cli_parse_number(colon + 1, &b))
            return -1;
    } else if (!cli_parse_number(piece, &a)) {
        return -1;
    } else {
        b = a;
    }
    if (a != floor(a) || b != floor(b) || a < 2 || b < a || b > 1e7)
        return -1;
    o->n_lo[i] = (long)a;
    o->n_hi[i] = (long)b;
    return 0;
}

static int method_item(void *ctx, const char *piece, size_t i)
{
    sim_cli *o = ctx;
    char *dash = strchr(piece, '-');
    sim_method *m = &o->c.methods[i];
    if (i >= SIM_MAX_METHODS || !dash)
        return -1;
    *dash = '\0';
    if (msyn_method_parse(piece, &m->method) != MSYN_OK || msyn_test_parse(dash + 1, &m->test) != MSYN_OK ||
        m->method == MSYN_METHOD_MH || m->method == MSYN_METHOD_PETO)
        return -1;
    for (size_t j = 0; j < i; j++)
        if (o->c.methods[j].method == m->method && o->c.methods[j].test == m->test)
            return -1;
    return 0;
}

static int parse_list(const char *opt, const char *arg, double *x, size_t *n, double lo, double hi,
                      int integer, int open_lo, int open_hi, const char *expect)
{
    num_list l = {x, lo, hi, integer, open_lo, open_hi};
    if (each_item(arg, num_item, &l, n) != 0)
        return bad(opt, arg, expect);
    return 0;
}

static int parse_count(const char *s, double lo, double hi, double *x)
{
    return cli_parse_number(s, x) && *x == floor(*x) && *x >= lo && *x <= hi;
}


static int parse_seed(const char *s, uint64_t *seed)
{
    char *end;
    unsigned long long v;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (*end || errno)
        return -1;
    *seed = (uint64_t)v;
    return 0;
}

static int set_opt(void *ctx, int c, const char *arg)
{
    sim_cli *o = ctx;
    double x;
    char buf[512];
    switch (c) {
    case OPT_K:
        return parse_list("--k", arg, o->k, &o->nk, 2, 1e6, 1, 0, 0,
                          "a list of study counts from 2 to 1000000, such as 5,10,20");
    case OPT_TAU2:
        return parse_list("--tau2", arg, o->tau2, &o->ntau2, 0, 1e6, 0, 0, 0,
                          "a list of variances >= 0, such as 0,0.05,0.2");
    case OPT_MU:
        return parse_list("--mu", arg, o->mu, &o->nmu, -1e6, 1e6, 0, 0, 0, "a list of numbers, such as 0,0.2");
    case OPT_P0:
        o->p0_set = 1;
        return parse_list("--baseline-risk", arg, o->p0, &o->np0, 0, 1, 0, 1, 1,
                          "a list of risks between 0 and 1 (exclusive), such as 0.05,0.2");
    case OPT_N:
        snprintf(buf, sizeof buf, "%s", arg);
        if (strlen(arg) >= sizeof buf || each_item(buf, size_item, o, &o->nn) != 0)
            return bad("--n", arg, "a list of per-arm sizes N or ranges LO:HI, 2 <= LO <= HI, such as 20:200,50");
        return 0;
    case OPT_OUTCOME:
        if (strcasecmp(arg, "continuous") == 0)
            o->c.outcome = SIM_CONTINUOUS;
        else if (strcasecmp(arg, "binary") == 0)
            o->c.outcome = SIM_BINARY;
        else
            return bad("--outcome", arg, "continuous or binary");
        return 0;
    case OPT_MEASURE:
        if (msyn_measure_parse(arg, &o->c.measure) != MSYN_OK ||
            (o->c.measure != MSYN_MEASURE_MD && o->c.measure != MSYN_MEASURE_SMD &&
             o->c.measure != MSYN_MEASURE_OR && o->c.measure != MSYN_MEASURE_RR))
            return bad("--measure", arg, "MD or SMD (continuous), OR or RR (binary)");
        o->measure_set = 1;
        return 0;
    case OPT_METHODS:
        snprintf(buf, sizeof buf, "%s", arg);
        if (strlen(arg) >= sizeof buf || each_item(buf, method_item, o, &o->c.nmethods) != 0)
            return bad("--methods", arg,
                       "distinct ESTIMATOR-TEST pairs such as DL-z,REML-knha (estimators EE DL HE HS SJ ML "
                       "REML EB PM; tests z t knha adhoc)");
        return 0;
    case OPT_LEVEL:
        if (!cli_parse_number(arg, &x))
            return bad("--level", arg, "a confidence level such as 95 or 0.95");
        if (x > 1.0 && x < 100.0)
            x /= 100.0;
        if (!(x > 0.0 && x < 1.0))
            return bad("--level", arg, "a confidence level such as 95 or 0.95");
        o->c.level = x;
        return 0;
    case OPT_REPS:
        if (!parse_count(arg, 1, 1e9, &x))
            return bad("--reps", arg, "a number of replications from 1 to 1000000000");
        o->c.reps = (size_t)x;
        return 0;
    case OPT_SEED:
        if (parse_seed(arg, &o->c.seed) != 0)
            return bad("--seed", arg, "a whole number from 0 to 18446744073709551615");
        return 0;
    case OPT_THREADS:
        if (!parse_count(arg, 1, 1024, &x))
            return bad("--threads", arg, "a number of threads from 1 to 1024");
        o->c.threads = (int)x;
        return 0;
    case OPT_SHARD:
        if (cli_parse_shard(arg, &o->shard_i, &o->shard_n) != 0)
            return bad("--shard", arg, "I/N with 1 <= I <= N, such as 1/4");
        return 0;
    case 'f':
        if (strcasecmp(arg, "csv") == 0)
            o->format = FMT_CSV;
        else if (strcasecmp(arg, "jsonl") == 0)
            o->format = FMT_JSONL;
        else if (strcasecmp(arg, "text") == 0)
            o->format = FMT_TEXT;
        else
            return bad("--format", arg, "csv, jsonl or text");
        return 0;
    case 'o':
        o->output = arg;
        return 0;
    default:
        return -1;
    }
}

static void defaults(sim_cli *o)
{
    static const sim_method dm[] = {{MSYN_METHOD_DL, MSYN_TEST_Z},
                                    {MSYN_METHOD_REML, MSYN_TEST_Z},
                                    {MSYN_METHOD_REML, MSYN_TEST_KNHA},
                                    {MSYN_METHOD_PM, MSYN_TEST_KNHA}};
    memset(o, 0, sizeof *o);
    o->k[0] = 5, o->k[1] = 10, o->k[2] = 20, o->nk = 3;
    o->tau2[0] = 0, o->tau2[1] = 0.05, o->tau2[2] = 0.2, o->ntau2 = 3;
    o->mu[0] = 0, o->nmu = 1;
    o->n_lo[0] = 20, o->n_hi[0] = 200, o->nn = 1;
    o->p0[0] = 0.1, o->np0 = 1;
    o->c.outcome = SIM_CONTINUOUS;
    o->c.level = 0.95;
    o->c.reps = 1000;
    o->c.seed = 1;
    memcpy(o->c.methods, dm, sizeof dm);
    o->c.nmethods = sizeof dm / sizeof dm[0];
}

/* Returns 0, 1 when help was printed, -1 on a usage error. */
static int parse(int argc, char **argv, sim_cli *o)
{
    int rc, rest;
    defaults(o);
    if ((rc = cli_getopt(argc, argv, "simulate", ":f:o:h", long_opts, usage, set_opt, o, &rest)) != 0)
        return rc;
    if (rest < argc)
        return cli_usage_error("simulate", "no input file is read: the grid comes from the options");
    if (!o->measure_set)
        o->c.measure = o->c.outcome == SIM_BINARY ? MSYN_MEASURE_OR : MSYN_MEASURE_MD;
    else if ((o->c.outcome == SIM_BINARY) !=
             (o->c.measure == MSYN_MEASURE_OR || o->c.measure == MSYN_MEASURE_RR))
        return cli_usage_error("simulate", o->c.outcome == SIM_BINARY
                                               ? "--outcome binary takes --measure OR or RR"
                                               : "--outcome continuous takes --measure MD or SMD");
    if (o->p0_set && o->c.outcome != SIM_BINARY)
        return cli_usage_error("simulate", "--baseline-risk applies to --outcome binary only");
    if (o->c.outcome != SIM_BINARY)
        o->np0 = 1, o->p0[0] = NAN;
    return 0;
}

/* The scenarios of the grid that belong to this shard (all without one). */
static sim_scenario *grid(const sim_cli *o, size_t *nscen, size_t *total)
{
    size_t n = o->nk * o->ntau2 * o->nmu * o->nn * o->np0, lo = 0, hi = n, idx = 0;
    sim_scenario *s;
    if (o->shard_n) {
        lo = (size_t)((double)(o->shard_i - 1) * (double)n / (double)o->shard_n);
        hi = (size_t)((double)o->shard_i * (double)n / (double)o->shard_n);
    }
    *total = n;
    *nscen = hi - lo;
    if (!(s = app_calloc(hi - lo ? hi - lo : 1, sizeof *s)))
        return NULL;
    for (size_t a = 0; a < o->nk; a++)
        for (size_t b = 0; b < o->ntau2; b++)
            for (size_t c = 0; c < o->nmu; c++)
                for (size_t d = 0; d < o->nn; d++)
                    for (size_t f = 0; f < o->np0; f++, idx++) {
                        sim_scenario *p;
                        if (idx < lo || idx >= hi)
                            continue;
                        p = &s[idx - lo];
                        p->index = idx;
                        p->k = (size_t)o->k[a];
                        p->tau2 = o->tau2[b];
                        p->mu = o->mu[c];
                        p->n_lo = o->n_lo[d];
                        p->n_hi = o->n_hi[d];
                        p->p0 = o->p0[f];
                    }
    return s;
}

/* ---- the summary ----------------------------------------------------------- */

enum { COL_BIAS, COL_BIAS_SE, COL_MSE, COL_MSE_SE, COL_T_BIAS, COL_T_BIAS_SE, COL_T_MSE, COL_T_MSE_SE,
       COL_COV, COL_COV_SE, COL_W, COL_W_SE, COL_PI, COL_PI_SE, COL_REJ, COL_REJ_SE, COL_CONV, NCOL };

static const char *const col_name[NCOL] = {
    "bias", "bias_mcse", "mse", "mse_mcse", "tau2_bias", "tau2_bias_mcse", "tau2_mse", "tau2_mse_mcse",
    "ci_coverage", "ci_coverage_mcse", "ci_width", "ci_width_mcse", "pi_coverage", "pi_coverage_mcse",
    "reject", "reject_mcse", "converged"};

/* Standard error of a mean from the sum s and sum of squares s2 of n values. */
static double se_mean(double s, double s2, double n)
{
    double v;
    if (n < 2)
        return NAN;
    v = (s2 - s * s / n) / (n - 1);
    if (isnan(v))
        return NAN;
    return sqrt(v > 0 ? v : 0) / sqrt(n);
}

static double se_prop(double x, double n)
{
    double p = x / n;
    return n < 2 ? NAN : sqrt(p * (1 - p) / n);
}

static void summarize(const sim_acc *a, double *v)
{
    double n = a->used, nan = NAN;
    v[COL_BIAS] = n > 0 ? a->d / n : nan;
    v[COL_BIAS_SE] = se_mean(a->d, a->d2, n);
    v[COL_MSE] = n > 0 ? a->d2 / n : nan;
    v[COL_MSE_SE] = se_mean(a->d2, a->d4, n);
    v[COL_T_BIAS] = n > 0 ? a->t / n : nan;
    v[COL_T_BIAS_SE] = se_mean(a->t, a->t2, n);
    v[COL_T_MSE] = n > 0 ? a->t2 / n : nan;
    v[COL_T_MSE_SE] = se_mean(a->t2, a->t4, n);
    v[COL_COV] = n > 0 ? a->cover / n : nan;
    v[COL_COV_SE] = se_prop(a->cover, n);
    v[COL_W] = n > 0 ? a->width / n : nan;
    v[COL_W_SE] = se_mean(a->width, a->width2, n);
    v[COL_PI] = n > 0 ? a->pic / n : nan;
    v[COL_PI_SE] = se_mean(a->pic, a->pic2, n);
    v[COL_REJ] = n > 0 ? a->reject / n : nan;
    v[COL_REJ_SE] = se_prop(a->reject, n);
    v[COL_CONV] = a->reps > 0 ? (a->used - a->fallback) / a->reps : nan;
}

static void method_name(const sim_method *m, char *buf, size_t size)
{
    snprintf(buf, size, "%s-%s", msyn_method_name(m->method), msyn_test_name(m->test));
}

static void size_text(const sim_scenario *s, char *buf, size_t size)
{
    if (s->n_lo == s->n_hi)
        snprintf(buf, size, "%ld", s->n_lo);
    else
        snprintf(buf, size, "%ld:%ld", s->n_lo, s->n_hi);
}

static void csv_num(sbuf *b, double x)
{
    if (isfinite(x))
        sb_num(b, x);
}

static void json_num(sbuf *b, double x)
{
    if (isfinite(x))
        sb_num(b, x);
    else
        sb_puts(b, "null");
}

static void row_csv(sbuf *b, const sim_ctx *c, const sim_scenario *s, size_t m, const sim_acc *a)
{
    char name[64], n[64];
    double v[NCOL];
    method_name(&c->methods[m], name, sizeof name);
    size_text(s, n, sizeof n);
    summarize(a, v);
    sb_printf(b, "%zu,%zu,", s->index + 1, s->k);
    sb_num(b, s->tau2);
    sb_puts(b, ",");
    sb_num(b, s->mu);
    sb_printf(b, ",%s,%s,%s,", n, c->outcome == SIM_BINARY ? "binary" : "continuous",
              msyn_measure_name(c->measure));
    csv_num(b, s->p0);
    sb_printf(b, ",%s,%.0f,%.0f,%.0f,%.0f", name, a->reps, a->used, a->reps - a->used, a->fallback);
    for (int i = 0; i < NCOL; i++) {
        sb_puts(b, ",");
        csv_num(b, v[i]);
    }
    sb_puts(b, "\n");
}

static void row_jsonl(sbuf *b, const sim_ctx *c, const sim_scenario *s, size_t m, const sim_acc *a)
{
    char name[64], n[64];
    double v[NCOL];
    method_name(&c->methods[m], name, sizeof name);
    size_text(s, n, sizeof n);
    summarize(a, v);
    sb_printf(b, "{\"scenario\":%zu,\"k\":%zu,\"tau2\":", s->index + 1, s->k);
    sb_num(b, s->tau2);
    sb_puts(b, ",\"mu\":");
    sb_num(b, s->mu);
    sb_printf(b, ",\"n\":\"%s\",\"outcome\":\"%s\",\"measure\":\"%s\",\"baseline_risk\":", n,
              c->outcome == SIM_BINARY ? "binary" : "continuous", msyn_measure_name(c->measure));
    json_num(b, s->p0);
    sb_printf(b, ",\"method\":\"%s\",\"reps\":%.0f,\"used\":%.0f,\"failed\":%.0f,\"fallback\":%.0f", name,
              a->reps, a->used, a->reps - a->used, a->fallback);
    for (int i = 0; i < NCOL; i++) {
        sb_printf(b, ",\"%s\":", col_name[i]);
        json_num(b, v[i]);
    }
    sb_puts(b, "}\n");
}

static void fixed(sbuf *b, double x, int width, int prec)
{
    if (isfinite(x))
        sb_printf(b, " %*.*f", width, prec, x);
    else
        sb_printf(b, " %*s", width, "NA");
}

static void head_text(sbuf *b, const sim_ctx *c)
{
    sb_printf(b, "%4s %5s %6s %6s %9s", "scen", "k", "tau2", "mu", "n");
    if (c->outcome == SIM_BINARY)
        sb_printf(b, " %6s", "p0");
    sb_printf(b, " %-10s %6s %8s %8s %9s %8s %7s %8s %7s %7s %6s\n", "method", "used", "bias", "mse",
              "tau2_bias", "ci_cov", "(mcse)", "ci_width", "pi_cov", "reject", "conv");
}

static void row_text(sbuf *b, const sim_ctx *c, const sim_scenario *s, size_t m, const sim_acc *a)
{
    char name[64], n[64];
    double v[NCOL];
    method_name(&c->methods[m], name, sizeof name);
    size_text(s, n, sizeof n);
    summarize(a, v);
    sb_printf(b, "%4zu %5zu", s->index + 1, s->k);
    fixed(b, s->tau2, 6, 3);
    fixed(b, s->mu, 6, 2);
    sb_printf(b, " %9s", n);
    if (c->outcome == SIM_BINARY)
        fixed(b, s->p0, 6, 3);
    sb_printf(b, " %-10s %6.0f", name, a->used);
    fixed(b, v[COL_BIAS], 8, 4);
    fixed(b, v[COL_MSE], 8, 4);
    fixed(b, v[COL_T_BIAS], 9, 4);
    fixed(b, v[COL_COV], 8, 3);
    fixed(b, v[COL_COV_SE], 7, 3);
    fixed(b, v[COL_W], 8, 3);
    fixed(b, v[COL_PI], 7, 3);
    fixed(b, v[COL_REJ], 7, 3);
    fixed(b, v[COL_CONV], 6, 3);
    sb_puts(b, "\n");
}

static void report(sbuf *b, const sim_cli *o, const sim_acc *acc, int header)
{
    const sim_ctx *c = &o->c;
    if (header && o->format == FMT_CSV) {
        sb_puts(b, "scenario,k,tau2,mu,n,outcome,measure,baseline_risk,method,reps,used,failed,fallback");
        for (int i = 0; i < NCOL; i++)
            sb_printf(b, ",%s", col_name[i]);
        sb_puts(b, "\n");
    } else if (header && o->format == FMT_TEXT) {
        head_text(b, c);
    }
    for (size_t s = 0; s < c->nscen; s++)
        for (size_t m = 0; m < c->nmethods; m++) {
            const sim_acc *a = &acc[s * c->nmethods + m];
            if (o->format == FMT_CSV)
                row_csv(b, c, &c->scen[s], m, a);
            else if (o->format == FMT_JSONL)
                row_jsonl(b, c, &c->scen[s], m, a);
            else
                row_text(b, c, &c->scen[s], m, a);
        }
}

int cmd_simulate(int argc, char **argv)
{
    sim_cli o;
    sim_scenario *scen;
    sim_acc *acc = NULL;
    size_t total;
    app_err e = {0, ""};
    sbuf out;
    int rc = parse(argc, argv, &o);
    if (rc != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    if ((double)o.nk * (double)o.ntau2 * (double)o.nmu * (double)o.nn * (double)o.np0 > MAX_SCENARIOS) {
        cli_usage_error("simulate", "the grid has more than 1000000 scenarios");
        return APP_EXIT_USAGE;
    }
    if (o.c.threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o.c.threads = n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
    }
    o.c.progress = isatty(STDERR_FILENO);
    sb_init(&out);
    if (!(scen = grid(&o, &o.c.nscen, &total)) ||
        !(acc = app_calloc(o.c.nscen * o.c.nmethods + 1, sizeof *acc))) {
        app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
        rc = -1;
    }
    o.c.scen = scen;
    if (rc == 0)
        rc = sim_run(&o.c, acc, &e);
    if (rc == 0) {
        report(&out, &o, acc, !o.shard_n || o.shard_i == 1);
        if (out.oom) {
            app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
            rc = -1;
        }
    }
    if (rc == 0)
        rc = app_write_output(o.output, out.p ? out.p : "", out.len, &e) == 0 ? 0 : -1;
    sb_free(&out);
    app_free(acc);
    app_free(scen);
    if (rc == 0)
        return APP_EXIT_OK;
    fprintf(stderr, "metasyn simulate: %s\n", e.msg);
    return e.code ? e.code : APP_EXIT_INTERNAL;
}
