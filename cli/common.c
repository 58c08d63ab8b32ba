/*
 * common.c - option parsing and data loading shared by `pool` and `es`.
 *
 * Options are parsed once into cli_opts, remembering which were given
 * explicitly; the preset then supplies every setting the user did not
 * choose (docs/cli/pool.md, "Presets").
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "cli.h"
#include "plot.h"
#include "rob.h"

enum {
    OPT_METHOD = 256, OPT_TEST, OPT_LEVEL, OPT_PRESET, OPT_PI_DF, OPT_I2, OPT_NO_TAU2_CI,
    OPT_STUDY, OPT_ADD, OPT_TO, OPT_DROP00, OPT_SMD_J, OPT_SMD_VAR, OPT_MH_ADD,
    OPT_RD_VAR, OPT_RD_FROM, OPT_SCALE, OPT_CI_LEVEL, OPT_DIGITS, OPT_MAX_ITER,
    OPT_NO_FALLBACK, OPT_TAU2, OPT_FROM_MEDIAN, OPT_RI, OPT_REEXPRESS_SD, OPT_SCALE_NAME,
    OPT_MCID, OPT_TAU2_FROM, OPT_BY, OPT_MIN_K, OPT_WHERE, OPT_MOD, OPT_FACTOR, OPT_PRED,
    OPT_NO_INTERCEPT, OPT_LEAVE1OUT, OPT_INFLUENCE, OPT_CUMULATIVE, OPT_PERMUTATIONS,
    OPT_SEED, OPT_EXACT, OPT_GOSH, OPT_FIG_FIRST,
    OPT_FIG_LAST = OPT_FIG_FIRST + APP_FIG_COUNT - 1, OPT_REPORT, OPT_WIDTH, OPT_DPI, OPT_FONT,
    OPT_LAYOUT, OPT_FAVOURS, OPT_ROB, OPT_TF_ESTIMATOR, OPT_TF_SIDE, OPT_PREDICTOR,
    OPT_ORWIN_TARGET, OPT_EXCLUDE_ROB, OPT_ROB_OVERALL, OPT_INSTRUMENT, OPT_INSTRUMENTS,
    OPT_DELIMITER, OPT_DECIMAL, OPT_STREAM, OPT_NO_STREAM
};

static const struct option long_opts[] = {
    {"measure", required_argument, NULL, 'm'},
    {"method", required_argument, NULL, OPT_METHOD},
    {"test", required_argument, NULL, OPT_TEST},
    {"level", required_argument, NULL, OPT_LEVEL},
    {"preset", required_argument, NULL, OPT_PRESET},
    {"pi-df", required_argument, NULL, OPT_PI_DF},
    {"i2", required_argument, NULL, OPT_I2},
    {"no-tau2-ci", no_argument, NULL, OPT_NO_TAU2_CI},
    {"stream", no_argument, NULL, OPT_STREAM},
    {"no-stream", no_argument, NULL, OPT_NO_STREAM},
    {"study", required_argument, NULL, OPT_STUDY},
    {"add", required_argument, NULL, OPT_ADD},
    {"to", required_argument, NULL, OPT_TO},
    {"drop00", required_argument, NULL, OPT_DROP00},
    {"smd-correction", required_argument, NULL, OPT_SMD_J},
    {"smd-variance", required_argument, NULL, OPT_SMD_VAR},
    {"mh-add", required_argument, NULL, OPT_MH_ADD},
    {"rd-variance", required_argument, NULL, OPT_RD_VAR},
    {"rd-from", required_argument, NULL, OPT_RD_FROM},
    {"scale", required_argument, NULL, OPT_SCALE},
    {"ci-level", required_argument, NULL, OPT_CI_LEVEL},
    {"digits", required_argument, NULL, OPT_DIGITS},
    {"max-iter", required_argument, NULL, OPT_MAX_ITER},
    {"no-fallback", no_argument, NULL, OPT_NO_FALLBACK},
    {"tau2", required_argument, NULL, OPT_TAU2},
    {"from-median", required_argument, NULL, OPT_FROM_MEDIAN},
    {"ri", required_argument, NULL, OPT_RI},
    {"reexpress-sd", required_argument, NULL, OPT_REEXPRESS_SD},
    {"scale-name", required_argument, NULL, OPT_SCALE_NAME},
    {"mcid", required_argument, NULL, OPT_MCID},
    {"instrument", required_argument, NULL, OPT_INSTRUMENT},
    {"instruments", required_argument, NULL, OPT_INSTRUMENTS},
    {"tau2-from", required_argument, NULL, OPT_TAU2_FROM},
    {"by", required_argument, NULL, OPT_BY},
    {"min-k", required_argument, NULL, OPT_MIN_K},
    {"where", required_argument, NULL, OPT_WHERE},
    {"mod", required_argument, NULL, OPT_MOD},
    {"factor", required_argument, NULL, OPT_FACTOR},
    {"pred", required_argument, NULL, OPT_PRED},
    {"no-intercept", no_argument, NULL, OPT_NO_INTERCEPT},
    {"leave1out", no_argument, NULL, OPT_LEAVE1OUT},
    {"influence", no_argument, NULL, OPT_INFLUENCE},
    {"cumulative", required_argument, NULL, OPT_CUMULATIVE},
    {"permutations", required_argument, NULL, OPT_PERMUTATIONS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"exact", no_argument, NULL, OPT_EXACT},
    {"gosh", required_argument, NULL, OPT_GOSH},
    {"forest", required_argument, NULL, OPT_FIG_FIRST + APP_FIG_FOREST},
    {"funnel", required_argument, NULL, OPT_FIG_FIRST + APP_FIG_FUNNEL},
    {"baujat", required_argument, NULL, OPT_FIG_FIRST + APP_FIG_BAUJAT},
    {"labbe", required_argument, NULL, OPT_FIG_FIRST + APP_FIG_LABBE},
    {"radial", required_argument, NULL, OPT_FIG_FIRST + APP_FIG_RADIAL},
    {"bubble", required_argument, NULL, OPT_FIG_FIRST + APP_FIG_BUBBLE},
    {"leave1out-plot", required_argument, NULL, OPT_FIG_FIRST + APP_FIG_LEAVE1OUT},
    {"cumulative-plot", required_argument, NULL, OPT_FIG_FIRST + APP_FIG_CUMULATIVE},
    {"gosh-plot", required_argument, NULL, OPT_FIG_FIRST + APP_FIG_GOSH},
    {"report", required_argument, NULL, OPT_REPORT},
    {"width", required_argument, NULL, OPT_WIDTH},
    {"dpi", required_argument, NULL, OPT_DPI},
    {"font", required_argument, NULL, OPT_FONT},
    {"layout", required_argument, NULL, OPT_LAYOUT},
    {"favours", required_argument, NULL, OPT_FAVOURS},
    {"favors", required_argument, NULL, OPT_FAVOURS},
    {"rob", required_argument, NULL, OPT_ROB},
    {"exclude-rob", required_argument, NULL, OPT_EXCLUDE_ROB},
    {"rob-overall", required_argument, NULL, OPT_ROB_OVERALL},
    {"tf-estimator", required_argument, NULL, OPT_TF_ESTIMATOR},
    {"tf-side", required_argument, NULL, OPT_TF_SIDE},
    {"predictor", required_argument, NULL, OPT_PREDICTOR},
    {"orwin-target", required_argument, NULL, OPT_ORWIN_TARGET},
    {"delimiter", required_argument, NULL, OPT_DELIMITER},
    {"decimal", required_argument, NULL, OPT_DECIMAL},
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

int cli_bad(const char *cmd, const char *opt, const char *val, const char *expect)
{
    fprintf(stderr, "metasyn %s: %s %s: expected %s\n", cmd, opt, val, expect);
    fprintf(stderr, "Try 'metasyn %s --help'.\n", cmd);
    return -1;
}

int cli_parse_shard(const char *s, unsigned long *i, unsigned long *n)
{
    char *end, *end2;
    unsigned long a, b;
    if (*s < '0' || *s > '9')
        return -1;
    a = strtoul(s, &end, 10);
    if (*end != '/' || end[1] < '0' || end[1] > '9')
        return -1;
    b = strtoul(end + 1, &end2, 10);
    if (*end2 || a < 1 || b < 1 || a > b || b > 1000000)
        return -1;
    *i = a;
    *n = b;
    return 0;
}

int cli_usage_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "metasyn %s: %s\nTry 'metasyn %s --help'.\n", cmd, msg, cmd);
    return -1;
}

int cli_getopt(int argc, char **argv, const char *cmd, const char *shortopts,
               const struct option *lo, const char *usage,
               int (*set)(void *ctx, int c, const char *arg), void *ctx, int *rest)
{
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, lo, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return 1;
        }
        if (c == '?' || c == ':') {
            fprintf(stderr, "metasyn %s: %s '%s'\nTry 'metasyn %s --help'.\n", cmd,
                    c == ':' ? "missing value for option" : "unknown option", argv[optind - 1], cmd);
            return -1;
        }
        if (set(ctx, c, optarg) != 0)
            return -1;
    }
    *rest = optind;
    return 0;
}

int cli_parse_number(const char *s, double *x)
{
    char *end;
    *x = strtod(s, &end);
    return end != s && *end == '\0' && isfinite(*x);
}

static int bad(const cli_opts *o, const char *opt, const char *val, const char *expect)
{
    return cli_bad(o->cmd, opt, val, expect);
}

#define parse_double cli_parse_number

/* A confidence level given as 95 or 0.95. */
static int parse_level(const char *s, double *x)
{
    if (!parse_double(s, x))
        return 0;
    if (*x > 1.0 && *x < 100.0)
        *x /= 100.0;
    return *x > 0.0 && *x < 1.0;
}

static int pick(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(s, names[i]) == 0)
            return i;
    return -1;
}

static int set_choice(cli_opts *o, int c, const char *arg)
{
    static const char *const pis[] = {"default", "k-1", "k-2", "none"};
    static const char *const i2s[] = {"tau2", "q"};
    static const char *const tos[] = {"only0", "all", "if0all", "none"};
    static const char *const yn[] = {"no", "yes"};
    static const char *const js[] = {"exact", "approx"};
    static const char *const vs[] = {"ls", "revman5"};
    static const char *const rvs[] = {"sato", "gr"};
    static const char *const rfs[] = {"raw", "corrected"};
    static const char *const scs[] = {"log", "natural"};
    static const char *const meds[] = {"wan", "luo", "none"};
    int i;
    switch (c) {
    case OPT_TAU2_FROM:
        if ((i = pick(arg, (const char *const[]){"iv", "mh"}, 2)) < 0)
            return bad(o, "--tau2-from", arg, "iv or mh");
        o->q_from_mh = i, o->tau2from_set = 1;
        return 0;
    case OPT_FROM_MEDIAN:
        if ((i = pick(arg, meds, 3)) < 0)
            return bad(o, "--from-median", arg, "wan, luo or none");
        o->conv.median_off = i == 2;
        o->conv.median = i == 0 ? MSYN_MEDIAN_WAN : MSYN_MEDIAN_LUO;
        o->median_set = 1;
        return 0;
    case OPT_PI_DF:
        if ((i = pick(arg, pis, 4)) < 0)
            return bad(o, "--pi-df", arg, "default, k-1, k-2 or none");
        o->pi = (msyn_pi)i, o->pi_set = 1;
        return 0;
    case OPT_I2:
        if ((i = pick(arg, i2s, 2)) < 0)
            return bad(o, "--i2", arg, "tau2 or q");
        o->i2 = i ? MSYN_I2_Q : MSYN_I2_TAU2, o->i2_set = 1;
        return 0;
    case OPT_TO:
        if ((i = pick(arg, tos, 4)) < 0)
            return bad(o, "--to", arg, "only0, all, if0all or none");
        o->to = (msyn_add_to)i, o->to_set = 1;
        return 0;
    case OPT_DROP00:
        if ((i = pick(arg, yn, 2)) < 0)
            return bad(o, "--drop00", arg, "yes or no");
        o->drop00 = i, o->drop00_set = 1;
        return 0;
    case OPT_SMD_J:
        if ((i = pick(arg, js, 2)) < 0)
            return bad(o, "--smd-correction", arg, "exact or approx");
        o->smd_j = (msyn_smd_j)i, o->smdj_set = 1;
        return 0;
    case OPT_SMD_VAR:
        if ((i = pick(arg, vs, 2)) < 0)
            return bad(o, "--smd-variance", arg, "ls or revman5");
        o->smd_var = (msyn_smd_var)i, o->smdv_set = 1;
        return 0;
    case OPT_RD_VAR:
        if ((i = pick(arg, rvs, 2)) < 0)
            return bad(o, "--rd-variance", arg, "sato or gr");
        o->rd_var = (msyn_rd_var)i, o->rdvar_set = 1;
        return 0;
    case OPT_RD_FROM:
        if ((i = pick(arg, rfs, 2)) < 0)
            return bad(o, "--rd-from", arg, "raw or corrected");
        o->rd_add_yi = i, o->rdfrom_set = 1;
        return 0;
    case OPT_SCALE:
        if ((i = pick(arg, scs, 2)) < 0)
            return bad(o, "--scale", arg, "log or natural");
        o->natural = i;
        return 0;
    default:
        return -1;
    }
}

/* Which command draws which figure. */
static const char *fig_command(app_fig f, const char *cmd)
{
    if (f == APP_FIG_BUBBLE)
        return "reg";
    if (f == APP_FIG_FUNNEL && strcmp(cmd, "bias") == 0)
        return "bias";
    return "pool";
}

static int set_figure(cli_opts *o, int c, const char *arg)
{
    char msg[160];
    if (c == OPT_REPORT) {
        const char *dot = strrchr(arg, '.');
        if (strcmp(o->cmd, "pool") != 0 && strcmp(o->cmd, "reg") != 0 && strcmp(o->cmd, "bias") != 0)
            return cli_usage_error(o->cmd, "--report belongs to metasyn pool, reg and bias");
        if (!dot || (strcasecmp(dot, ".html") != 0 && strcasecmp(dot, ".htm") != 0 && strcasecmp(dot, ".md") != 0))
            return bad(o, "--report", arg, "a file name ending in .html or .md");
        if (o->fig.report)
            return cli_usage_error(o->cmd, "--report is given twice");
        o->fig.report = arg;
        return 0;
    }
    app_fig f = (app_fig)(c - OPT_FIG_FIRST);
    const char *want = fig_command(f, o->cmd);
    if (o->fig.path[f]) {
        snprintf(msg, sizeof msg, "%s is given twice; each figure goes to one file", app_fig_flag(f));
        return cli_usage_error(o->cmd, msg);
    }
    if (strcmp(o->cmd, want) != 0) {
        snprintf(msg, sizeof msg, "%s belongs to metasyn %s%s", app_fig_flag(f), want,
                 f == APP_FIG_FUNNEL ? " and metasyn bias" : "");
        return cli_usage_error(o->cmd, msg);
    }
    if (plot_format_of(arg) < 0)
        return bad(o, app_fig_flag(f), arg, "a file name ending in .svg, .pdf or .png");
    o->fig.path[f] = arg;
    return 0;
}

static int set_figure_style(cli_opts *o, int c, const char *arg)
{
    double x;
    static const char *const layouts[] = {"revman", "compact"};
    switch (c) {
    case OPT_WIDTH:
        if (!parse_double(arg, &x) || x < 2 || x > 40)
            return bad(o, "--width", arg, "a width in inches from 2 to 40, such as 8");
        o->fig.width = x;
        return 0;
    case OPT_DPI:
        if (!parse_double(arg, &x) || x < 36 || x > 2400)
            return bad(o, "--dpi", arg, "a resolution from 36 to 2400 pixels per inch, such as 300");
        o->fig.dpi = x;
        return 0;
    case OPT_FONT:
        if (!*arg)
            return bad(o, "--font", arg, "a font family, such as \"DejaVu Sans\" or \"Liberation Sans\"");
        o->fig.font = arg;
        return 0;
    case OPT_LAYOUT: {
        int i = pick(arg, layouts, 2);
        if (i < 0)
            return bad(o, "--layout", arg, "revman or compact");
        o->fig.compact = i == 1;
        return 0;
    }
    case OPT_FAVOURS: {
        char *comma;
        if (strlen(arg) >= sizeof o->favours_buf || !(comma = strchr(strcpy(o->favours_buf, arg), ',')) ||
            comma == o->favours_buf || !comma[1] || strchr(comma + 1, ','))
            return bad(o, "--favours", arg, "two labels separated by one comma, such as \"Surgery,Conservative care\"");
        *comma = '\0';
        o->fig.favours[0] = o->favours_buf;
        o->fig.favours[1] = comma + 1;
        return 0;
    }
    default: /* OPT_ROB */
        if (o->fig.nrob == sizeof o->fig.rob / sizeof o->fig.rob[0])
            return bad(o, "--rob", arg, "at most 16 risk-of-bias columns");
        o->fig.rob[o->fig.nrob++] = arg;
        return 0;
    }
}

static int set_bias(cli_opts *o, int c, const char *arg)
{
    double x;
    static const char *const est[] = {"L0", "R0", "Q0"}, *const side[] = {"auto", "left", "right"};
    int i;
    if (strcmp(o->cmd, "bias") != 0)
        return cli_usage_error(o->cmd, "--tf-estimator, --tf-side, --predictor and --orwin-target belong to metasyn bias");
    switch (c) {
    case OPT_TF_ESTIMATOR:
        if ((i = pick(arg, est, 3)) < 0)
            return bad(o, "--tf-estimator", arg, "L0, R0 or Q0");
        o->bias.tf_estimator = (msyn_tf_estimator)i;
        return 0;
    case OPT_TF_SIDE:
        if ((i = pick(arg, side, 3)) < 0)
            return bad(o, "--tf-side", arg, "auto, left or right");
        o->bias.tf_side = (msyn_tf_side)i;
        return 0;
    case OPT_PREDICTOR:
        if (msyn_bias_predictor_parse(arg, &o->bias.predictor) != MSYN_OK)
            return bad(o, "--predictor", arg, "sei, vi, ni, ninv, sqrtni or sqrtninv");
        return 0;
    default: /* OPT_ORWIN_TARGET */
        if (!parse_double(arg, &x))
            return bad(o, "--orwin-target", arg, "an effect size on the analysis scale, such as 0.1");
        o->bias.orwin_target = x;
        return 0;
    }
}

static int set_named(cli_opts *o, int c, const char *arg)
{
    double x;
    switch (c) {
    case 'm':
        if (msyn_measure_parse(arg, &o->measure) != MSYN_OK)
            return bad(o, "--measure", arg, "one of GEN MD SMD SMDH ROM OR RR RD AS PETO HR PR PLO PAS PFT IR IRLN MN MNLN COR ZCOR IRR IRD SMCC SMCR");
        o->measure_set = 1;
        return 0;
    case OPT_METHOD:
        if (msyn_method_parse(arg, &o->method) != MSYN_OK)
            return bad(o, "--method", arg, "EE (or FE), DL, HE, HS, SJ, ML, REML, EB, PM, MH or PETO");
        o->method_set = 1;
        return 0;
    case OPT_TEST:
        if (msyn_test_parse(arg, &o->test) != MSYN_OK)
            return bad(o, "--test", arg, "z, t, knha (or hksj) or adhoc");
        o->test_set = 1;
        return 0;
    case OPT_PRESET:
        if (msyn_preset_parse(arg, &o->preset) != MSYN_OK)
            return bad(o, "--preset", arg, "cochrane2025, metafor or revman5");
        return 0;
    case OPT_LEVEL:
        if (!parse_level(arg, &o->level))
            return bad(o, "--level", arg, "a confidence level such as 95 or 0.95");
        o->level_set = 1;
        return 0;
    case OPT_CI_LEVEL:
        if (!parse_level(arg, &o->ci_level))
            return bad(o, "--ci-level", arg, "the level of the reported CIs, such as 95");
        return 0;
    case OPT_ADD:
        if (!parse_double(arg, &o->add) || o->add < 0)
            return bad(o, "--add", arg, "a number >= 0, such as 0.5");
        o->add_set = 1;
        return 0;
    case OPT_TAU2:
        if (strcasecmp(arg, "separate") == 0 || strcasecmp(arg, "common") == 0) {
            o->tau2_common = strcasecmp(arg, "common") == 0;
            return 0;
        }
        if (!parse_double(arg, &o->tau2_fixed) || o->tau2_fixed < 0)
            return bad(o, "--tau2", arg, "separate or common (subgroups), or a between-study variance >= 0 to fix it");
        return 0;
    case OPT_MIN_K:
        if (!parse_double(arg, &x) || x < 1 || x > 1e6 || x != (int)x)
            return bad(o, "--min-k", arg, "a whole number of studies >= 1, such as 3");
        o->min_k = (int)x;
        return 0;
    case OPT_RI:
        if (!parse_double(arg, &o->ri) || !(fabs(o->ri) <= 1))
            return bad(o, "--ri", arg, "a correlation between -1 and 1, such as 0.5");
        return 0;
    case OPT_REEXPRESS_SD:
        if (!parse_double(arg, &o->reexpress_sd) || !(o->reexpress_sd > 0))
            return bad(o, "--reexpress-sd", arg, "the SD of the instrument in its points, > 0 (such as 36)");
        return 0;
    case OPT_MCID:
        if (!parse_double(arg, &o->mcid) || !(o->mcid > 0))
            return bad(o, "--mcid", arg, "the minimal clinically important difference, > 0, in the units of the result");
        return 0;
    case OPT_MH_ADD:
        if (!parse_double(arg, &o->mh_add) || o->mh_add < 0)
            return bad(o, "--mh-add", arg, "a number >= 0, such as 0 or 0.5");
        o->mhadd_set = 1;
        return 0;
    default:
        return set_choice(o, c, arg);
    }
}

static int set_misc(cli_opts *o, int c, const char *arg)
{
    static const char *const fmts[] = {"text", "json", "csv"};
    double x;
    switch (c) {
    case 'f':
        if (pick(arg, fmts, 3) < 0)
            return bad(o, "--format", arg, "text, json or csv");
        o->format = arg;
        return 0;
    case 'o':
        o->output = arg;
        return 0;
    case OPT_STUDY:
        o->study = arg;
        return 0;
    case OPT_SCALE_NAME:
        o->scale_name = arg;
        return 0;
    case OPT_BY:
        o->by = arg;
        return 0;
    case OPT_MOD:
    case OPT_FACTOR:
    case OPT_PRED: {
        const char **list = c == OPT_MOD ? o->mods : c == OPT_FACTOR ? o->factors : o->preds;
        size_t *n = c == OPT_MOD ? &o->nmods : c == OPT_FACTOR ? &o->nfactors : &o->npreds;
        size_t cap = c == OPT_PRED ? 32 : 16;
        if (strcmp(o->cmd, "reg") != 0)
            return cli_usage_error(o->cmd, "--mod, --factor and --pred belong to metasyn reg");
        if (*n == cap)
            return bad(o, c == OPT_MOD ? "--mod" : c == OPT_FACTOR ? "--factor" : "--pred", arg, "fewer of them");
        list[(*n)++] = arg;
        if (c == OPT_FACTOR) { /* a factor is a moderator too */
            int known = 0;
            for (size_t j = 0; j < o->nmods; j++)
                known |= strcasecmp(o->mods[j], arg) == 0;
            if (!known && o->nmods < 16)
                o->mods[o->nmods++] = arg;
        }
        return 0;
    }
    case OPT_LEAVE1OUT:
    case OPT_INFLUENCE:
    case OPT_CUMULATIVE:
        if (strcmp(o->cmd, "pool") != 0)
            return cli_usage_error(o->cmd, "--leave1out, --influence and --cumulative belong to metasyn pool");
        if (c == OPT_LEAVE1OUT)
            o->leave1out = 1;
        else if (c == OPT_INFLUENCE)
            o->influence = 1;
        else
            o->cumulative = arg;
        return 0;
    case OPT_GOSH: {
        double v = 0;
        if (strcmp(o->cmd, "pool") != 0)
            return cli_usage_error(o->cmd, "--gosh belongs to metasyn pool");
        if (!parse_double(arg, &v) || v < 2 || v > 1e7 || v != floor(v))
            return bad(o, "--gosh", arg, "a number of subsets from 2 to 10000000, such as 100000");
        o->gosh = (size_t)v;
        return 0;
    }
    case OPT_PERMUTATIONS:
    case OPT_SEED:
    case OPT_EXACT: {
        double v = 0;
        if (c == OPT_SEED && strcmp(o->cmd, "pool") == 0) {
            if (!parse_double(arg, &v) || v < 0 || v > 1e18 || v != floor(v))
                return bad(o, "--seed", arg, "a whole number >= 0");
            o->seed = (unsigned long long)v;
            return 0;
        }
        if (strcmp(o->cmd, "reg") != 0)
            return cli_usage_error(o->cmd, "--permutations, --seed and --exact belong to metasyn reg");
        if (c == OPT_EXACT) {
            o->exact = 1;
            return 0;
        }
        if (!parse_double(arg, &v) || v < (c == OPT_SEED ? 0 : 2) || v > 1e9 || v != floor(v))
            return bad(o, c == OPT_SEED ? "--seed" : "--permutations", arg,
                       c == OPT_SEED ? "a whole number >= 0" : "a whole number of permutations >= 2, such as 1000");
        if (c == OPT_SEED)
            o->seed = (unsigned long long)v;
        else
            o->permutations = (size_t)v;
        return 0;
    }
    case OPT_NO_INTERCEPT:
        if (strcmp(o->cmd, "reg") != 0)
            return cli_usage_error(o->cmd, "--no-intercept belongs to metasyn reg");
        o->no_intercept = 1;
        return 0;
    case OPT_WHERE:
        if (o->nwhere == (int)(sizeof o->where / sizeof o->where[0]))
            return bad(o, "--where", arg, "at most 16 conditions");
        o->where[o->nwhere++] = arg;
        return 0;
    case OPT_NO_TAU2_CI:
        o->no_tau2_ci = 1;
        return 0;
    case OPT_EXCLUDE_ROB: {
        app_rob_level lv;
        if (strcmp(o->cmd, "pool") != 0)
            return cli_usage_error(o->cmd, "--exclude-rob belongs to metasyn pool");
        if (app_rob_parse_threshold(arg, &lv) != 0)
            return bad(o, "--exclude-rob", arg, "high (leave out studies at high or critical risk of bias) or some (keep only studies at low risk)");
        o->exclude_rob = (int)lv;
        return 0;
    }
    case OPT_INSTRUMENT:
        o->instrument = arg;
        return 0;
    case OPT_INSTRUMENTS:
        o->instruments_file = arg;
        return 0;
    case OPT_ROB_OVERALL:
        if (strcmp(o->cmd, "pool") != 0)
            return cli_usage_error(o->cmd, "--rob-overall belongs to metasyn pool");
        o->rob_overall = arg;
        return 0;
    case OPT_NO_FALLBACK:
        o->no_fallback = 1;
        return 0;
    case OPT_STREAM:
    case OPT_NO_STREAM:
        if (strcmp(o->cmd, "pool") != 0)
            return cli_usage_error(o->cmd, "--stream and --no-stream belong to metasyn pool");
        o->stream = c == OPT_STREAM ? 1 : -1;
        return 0;
    case OPT_DELIMITER:
        if (app_csv_parse_delim(arg, &o->csv.delim) != 0)
            return bad(o, "--delimiter", arg, CLI_DELIMITER_EXPECT);
        return 0;
    case OPT_DECIMAL:
        if (app_csv_parse_decimal(arg, &o->csv.decimal) != 0)
            return bad(o, "--decimal", arg, CLI_DECIMAL_EXPECT);
        return 0;
    case OPT_DIGITS:
        if (!parse_double(arg, &x) || x < 0 || x > 12 || x != (int)x)
            return bad(o, "--digits", arg, "a whole number from 0 to 12");
        o->digits = (int)x;
        return 0;
    case OPT_MAX_ITER:
        if (!parse_double(arg, &x) || x < 1 || x > 1e7 || x != (int)x)
            return bad(o, "--max-iter", arg, "a whole number from 1 to 10000000");
        o->max_iter = (int)x;
        return 0;
    default:
        if (c >= OPT_FIG_FIRST && c <= OPT_REPORT)
            return set_figure(o, c, arg);
        if (c >= OPT_WIDTH && c <= OPT_ROB)
            return set_figure_style(o, c, arg);
        if (c >= OPT_TF_ESTIMATOR && c <= OPT_ORWIN_TARGET)
            return set_bias(o, c, arg);
        return set_named(o, c, arg);
    }
}

static int set_opt(void *ctx, int c, const char *arg)
{
    return set_misc(ctx, c, arg);
}

int cli_parse(int argc, char **argv, cli_opts *o, const char *usage)
{
    int rc, rest;
    o->preset = MSYN_PRESET_COCHRANE2025;
    o->digits = 4;
    o->tau2_fixed = nan("");
    o->ri = o->reexpress_sd = o->mcid = o->bias.orwin_target = nan("");
    o->conv.median = MSYN_MEDIAN_LUO;
    o->format = "text";
    if ((rc = cli_getopt(argc, argv, o->cmd, ":m:f:o:h", long_opts, usage, set_opt, o, &rest)) != 0)
        return rc;
    if (rest != argc - 1)
        return cli_usage_error(o->cmd, rest >= argc ? "no input file given (use - for standard input)"
                                                    : "more than one input file given");
    o->input = argv[rest];
    if (o->fig.path[APP_FIG_CUMULATIVE] && !o->cumulative)
        return cli_usage_error(o->cmd, "--cumulative-plot needs --cumulative COLUMN (the order of the studies)");
    if (o->fig.path[APP_FIG_GOSH] && !o->gosh)
        return cli_usage_error(o->cmd, "--gosh-plot needs --gosh N (the number of subsets to fit)");
    if ((o->fig.favours[0] || o->fig.nrob || o->fig.compact) && !o->fig.path[APP_FIG_FOREST] && !o->fig.report)
        return cli_usage_error(o->cmd, "--favours, --rob and --layout shape the forest plot: give --forest FILE or --report FILE");
    return 0;
}

/* Explicit options win over the preset. */
static void overrides(const cli_opts *o, msyn_pool_opts *po, msyn_es_opts *eo)
{
    if (o->test_set)
        po->test = o->test;
    else if (po->method == MSYN_METHOD_EE || po->method == MSYN_METHOD_MH ||
             po->method == MSYN_METHOD_PETO)
        po->test = MSYN_TEST_Z; /* HKSJ belongs to random effects */
    if (o->level_set)
        po->level = o->level;
    if (o->pi_set)
        po->pi = o->pi;
    if (o->i2_set)
        po->i2def = o->i2;
    if (o->no_tau2_ci)
        po->tau2_ci = 0;
    po->tau2_fixed = o->tau2_fixed;
    if (o->max_iter)
        po->max_iter = o->max_iter;
    if (o->no_fallback)
        po->fallback = 0;
    if (o->mhadd_set)
        po->mh_add = o->mh_add;
    if (o->rdvar_set)
        po->rd_var = o->rd_var;
    if (o->tau2from_set)
        po->q_from_mh = o->q_from_mh;
    if (o->add_set)
        eo->add = o->add;
    if (o->to_set)
        eo->to = o->to;
    if (o->drop00_set)
        eo->drop00 = o->drop00;
    if (o->smdj_set)
        eo->smd_j = o->smd_j;
    if (o->smdv_set)
        eo->smd_var = o->smd_var;
    if (o->rdfrom_set)
        eo->rd_add_yi = o->rd_add_yi;
    eo->natural_scale = o->natural;
    if (o->ci_level > 0)
        eo->ci_level = o->ci_level;
    eo->ri = o->ri;
}

/* --instrument NAME (and --instruments FILE): the MCID and the scale's name
 * from the instrument table, unless given explicitly. */
static int resolve_instrument(cli_opts *o, msyn_measure m, app_err *e)
{
    const char *keys[3];
    size_t n;
    if (o->instruments_file && !o->instrument) {
        app_err_set(e, APP_EXIT_USAGE, "--instruments FILE adds instruments to look up: give --instrument NAME too");
        return -1;
    }
    if (!o->instrument)
        return 0;
    if (o->instruments_file && app_instruments_read(o->instruments_file, &o->instr, e) != 0)
        return -1;
    o->inst = app_instruments_find(o->instruments_file ? &o->instr : NULL, o->instrument);
    if (!o->inst) {
        n = app_instruments_suggest(o->instruments_file ? &o->instr : NULL, o->instrument, keys, 3);
        app_err_set(e, APP_EXIT_USAGE, "--instrument %s: no such instrument%s%s%s%s%s%s (metasyn instruments lists them)",
                    o->instrument, n ? "; did you mean " : "", n ? keys[0] : "", n > 1 ? (n > 2 ? ", " : " or ") : "",
                    n > 1 ? keys[1] : "", n > 2 ? " or " : "", n > 2 ? keys[2] : "");
        return -1;
    }
    if (msyn_measure_back_name(m) || (app_measure_standardized(m) && isnan(o->reexpress_sd))) {
        app_err_set(e, APP_EXIT_USAGE, "--instrument gives the MCID in points of %s: use it with MD, or with %s together with --reexpress-sd (the instrument's SD)",
                    o->inst->name, app_measure_standardized(m) ? msyn_measure_name(m) : "SMD");
        return -1;
    }
    if (isnan(o->mcid))
        o->mcid = o->inst->mcid;
    if (!o->scale_name && !isnan(o->reexpress_sd))
        o->scale_name = o->inst->name;
    return 0;
}

/* --reexpress-sd and --mcid fit some measures only. */
static int check_clinical(const cli_opts *o, msyn_measure m, app_err *e)
{
    const char *mn = msyn_measure_name(m);
    if (!isnan(o->reexpress_sd) && !app_measure_standardized(m)) {
        app_err_set(e, APP_EXIT_USAGE, "--reexpress-sd re-expresses a standardized mean difference (SMD, SMDH, SMCC, SMCR) in points of an instrument; %s is not one", mn);
        return -1;
    }
    if (o->scale_name && isnan(o->reexpress_sd)) {
        app_err_set(e, APP_EXIT_USAGE, "--scale-name names the instrument of --reexpress-sd; give --reexpress-sd too");
        return -1;
    }
    if (!isnan(o->mcid) && (msyn_measure_back_name(m) ||
                            (app_measure_standardized(m) && isnan(o->reexpress_sd)))) {
        app_err_set(e, APP_EXIT_USAGE, "--mcid compares a difference in the units of the outcome with the minimal clinically important difference: use it with MD (or another difference measure), or with %s together with --reexpress-sd",
                    app_measure_standardized(m) ? mn : "SMD");
        return -1;
    }
    if (!isnan(o->ri) && m != MSYN_MEASURE_SMCC && m != MSYN_MEASURE_SMCR) {
        app_err_set(e, APP_EXIT_USAGE, "--ri gives the correlation of the two time points of SMCC or SMCR; %s does not use it", mn);
        return -1;
    }
    return 0;
}

/* Final values and change scores in one analysis (Handbook 10.5.2). */
void cli_score_counts(const app_data *d, size_t *fin, size_t *chg)
{
    if (!d->score)
        return;
    for (size_t i = 0; i < d->k; i++) {
        *fin += d->score[i] != SCORE_CHANGE;
        *chg += d->score[i] == SCORE_CHANGE;
    }
}

void cli_score_warning(size_t fin, size_t chg, msyn_measure m, app_result *r)
{
    if (!fin || !chg)
        return;
    if (m == MSYN_MEASURE_MD)
        app_strlist_addf(&r->warnings, "%zu %s change from baseline and %zu final values: allowed for MD (Cochrane Handbook 10.5.2), but check that the change scores' SDs were reported, not imputed",
                         chg, chg == 1 ? "study reports" : "studies report", fin);
    else
        app_strlist_addf(&r->warnings, "%zu %s change from baseline and %zu final values: %s should not mix them, because the SDs of change scores and of final values differ (Cochrane Handbook 10.5.2); pool them separately or use MD",
                         chg, chg == 1 ? "study reports" : "studies report", fin, msyn_measure_name(m));
}

static double harmonic_mean_ni(const app_data *d)
{
    double s = 0;
    size_t n = 0;
    if (!d->es.ni)
        return nan("");
    for (size_t i = 0; i < d->k; i++)
        if (d->es.ni[i] > 0) {
            s += 1.0 / d->es.ni[i];
            n++;
        }
    return n ? (double)n / s : nan("");
}

/* pool runs `metasyn check`'s rules: impossible values stop it (all of
 * them are named, the first in full), implausible ones become warnings.
 * Non-integer counts are only a warning here: metafor accepts them (they
 * arise from imputation and continuity corrections). */
/* Findings pool leaves to its own loader: which columns a measure reads
 * and whether cells are numbers is app_data_load()'s call, made already;
 * small n is libmetasyn's (a ZCOR study with ni <= 3 is left out, as
 * metafor does) and said by the "left out" warning; mixed scores by
 * score_warnings(). */
static const char *const said_elsewhere[] = {"missing-columns", "duplicate-column", "no-study-rows",
                                             "not-a-number", "score-mixed-smd", "n-too-small", NULL};
/* Errors of check that are only warnings for pool. */
static const char *const not_fatal[] = {"non-integer-count", NULL};

static int code_in(const char *code, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(code, *list) == 0)
            return 1;
    return 0;
}

int cli_run_checks(const cli_opts *o, const app_table *t, msyn_measure m, int rows_only,
                   app_strlist *warnings, app_err *e)
{
    app_check_opts co;
    app_findings cf;
    size_t nerr = 0, first = 0;
    memset(&cf, 0, sizeof cf);
    app_check_opts_default(&co);
    co.measure_set = 1;
    co.measure = m;
    co.study_col = o->study;
    co.natural = o->natural;
    co.ci_level = o->ci_level > 0 ? o->ci_level : 0.95;
    co.rows_only = rows_only;
    if (app_check_table(t, &co, &cf, e) != 0) {
        app_findings_free(&cf);
        return -1;
    }
    for (size_t i = 0; i < cf.n; i++) {
        const app_finding *f = &cf.f[i];
        int fatal = f->severity == CHECK_ERROR && !code_in(f->code, not_fatal);
        if (code_in(f->code, said_elsewhere))
            continue;
        if (fatal && nerr++ == 0)
            first = i;
        else if (!fatal && f->severity >= CHECK_WARNING)
            app_strlist_addf(warnings, "%s (line %ld): %s", f->study ? f->study : t->file, f->line,
                             f->message);
    }
    if (nerr) {
        sbuf b;
        sb_init(&b);
        app_finding_format(t->file, &cf.f[first], &b);
        if (nerr > 1)
            sb_printf(&b, " (and %zu more errors: 'metasyn check %s' lists them all)", nerr - 1, t->file);
        app_err_set(e, b.oom ? APP_EXIT_INTERNAL : APP_EXIT_DATA, "%s", b.oom ? "out of memory" : b.p);
        sb_free(&b);
        app_findings_free(&cf);
        return -1;
    }
    app_findings_free(&cf);
    return 0;
}

void cli_model_opts(const cli_opts *o, msyn_measure m, msyn_pool_opts *po, msyn_es_opts *eo)
{
    msyn_preset_apply(o->preset, m, o->method_set ? &o->method : NULL, po, eo);
    overrides(o, po, eo);
}

int cli_load_setup(cli_opts *o, const app_table *t, app_result *r, msyn_measure *mp, app_err *e)
{
    msyn_measure m;
    if (o->tau2_common && !o->by) {
        app_err_set(e, APP_EXIT_USAGE, "--tau2 common applies to subgroups: give --by COLUMN");
        return -1;
    }
    if (o->measure_set)
        m = o->measure;
    else if (app_data_guess_measure(t, &m, e) != 0)
        return -1;
    if (o->natural && !msyn_measure_is_ratio(m)) {
        app_err_set(e, APP_EXIT_USAGE, "--scale natural applies to ratio measures (OR, RR, HR, IRR, ROM, PETO), not %s",
                    msyn_measure_name(m));
        return -1;
    }
    if (resolve_instrument(o, m, e) != 0 || check_clinical(o, m, e) != 0)
        return -1;
    cli_model_opts(o, m, &r->po, &r->eo);
    r->po.alloc = app_msyn_allocator();
    r->file = strcmp(o->input, "-") == 0 ? "<stdin>" : o->input;
    *mp = m;
    return 0;
}

int cli_load(cli_opts *o, app_table *t, app_data *d, app_result *r, app_err *e)
{
    msyn_measure m;
    memset(r, 0, sizeof *r);
    if (app_table_read_fmt(o->input, &o->csv, t, e) != 0)
        return -1;
    for (int w = 0; w < o->nwhere; w++)
        if (app_table_where(t, o->where[w], e) != 0)
            return -1;
    if (cli_load_setup(o, t, r, &m, e) != 0)
        return -1;
    return cli_load_data(o, m, t, d, r, e);
}

void cli_result_setup(const cli_opts *o, msyn_measure m, const app_table *t, app_data *d, app_result *r)
{
    r->min_k = o->min_k ? o->min_k : 2;
    r->table = t;
    r->by = o->by;
    r->tau2_common = o->tau2_common;
    r->mods = o->mods;
    r->nmods = o->nmods;
    r->factors = o->factors;
    r->nfactors = o->nfactors;
    r->preds = o->preds;
    r->npreds = o->npreds;
    r->no_intercept = o->no_intercept;
    r->permutations = o->permutations ? o->permutations : (o->exact ? 1000 : 0);
    r->seed = o->seed;
    r->exact = o->exact;
    r->want_l1o = o->leave1out;
    r->want_inf = o->influence;
    r->want_cum = o->cumulative;
    r->want_gosh = o->gosh;
    r->fig = o->fig;
    r->bias_opts = o->bias;
    if (o->fig.path[APP_FIG_LEAVE1OUT])
        r->want_l1o = 1;
    if (o->fig.path[APP_FIG_BAUJAT])
        r->want_inf = 1;
    r->reexpress_sd = o->reexpress_sd;
    r->scale_name = o->scale_name;
    r->mcid = o->mcid;
    if (o->inst) {
        r->instrument = o->inst->name;
        r->mcid_cite = o->mcid == o->inst->mcid ? o->inst->cite : NULL;
    }
    r->rs.asked = o->exclude_rob != 0;
    r->rs.threshold = o->exclude_rob;
    r->rs.col_opt = o->rob_overall;
    r->command = o->cmd;
    r->preset = o->preset;
    r->measure = m;
    r->data = d;
    r->digits = o->digits;
    r->natural_input = o->natural;
}

int cli_load_data(const cli_opts *o, msyn_measure m, app_table *t, app_data *d, app_result *r, app_err *e)
{
    if (app_data_load_ex(t, m, o->study, &r->eo, &o->conv, d, e) != 0)
        return -1;
    cli_result_setup(o, m, t, d, r);
    for (size_t i = 0; i < d->warnings.n; i++)
        app_strlist_addf(&r->warnings, "%s", d->warnings.s[i]);
    if ((strcmp(o->cmd, "pool") == 0 || strcmp(o->cmd, "batch") == 0) && cli_run_checks(o, t, m, 0, &r->warnings, e) != 0)
        return -1;
    {
        size_t fin = 0, chg = 0;
        cli_score_counts(d, &fin, &chg);
        cli_score_warning(fin, chg, m, r);
    }
    r->n_hm = harmonic_mean_ni(d);
    if (t->recoded)
        app_strlist_addf(&r->warnings, "%s is not valid UTF-8; it was read as Windows-1252", r->file);
    return 0;
}


int cli_effect_sizes(app_result *r, app_err *e)
{
    size_t k = r->data->k;
    msyn_status st;
    r->yi = app_alloc((k + 1) * sizeof *r->yi);
    r->vi = app_alloc((k + 1) * sizeof *r->vi);
    r->esflags = app_alloc((k + 1) * sizeof *r->esflags);
    if (!r->yi || !r->vi || !r->esflags) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    st = msyn_es(r->measure, &r->data->es, k, &r->eo, r->yi, r->vi, r->esflags);
    if (st != MSYN_OK) {
        cli_status_error(st, r->file, e);
        return -1;
    }
    return 0;
}

void cli_status_error(msyn_status rc, const char *what, app_err *e)
{
    int code = rc == MSYN_ENOMEM ? APP_EXIT_INTERNAL
               : rc == MSYN_EDATA  ? APP_EXIT_DATA
               : rc == MSYN_EINVAL ? APP_EXIT_INTERNAL
                                   : APP_EXIT_MODEL;
    app_err_set(e, code, "%s: %s", what, msyn_strerror(rc));
}

void cli_result_free(app_result *r)
{
    app_subgroups_free(&r->sg);
    app_reg_free(&r->reg);
    app_sens_free(&r->sens);
    app_robsens_free(&r->rs);
    app_bias_free(&r->bias);
    app_free(r->yi);
    app_free(r->vi);
    app_free(r->w);
    app_free(r->esflags);
    app_strlist_free(&r->warnings);
}

int cli_run(const cli_command *c, int argc, char **argv)
{
    cli_opts o;
    app_table t;
    app_data d;
    app_result r;
    app_err e = {0, ""};
    sbuf out;
    app_outputs files = {NULL, 0, 0};
    int rc;
    memset(&o, 0, sizeof o);
    memset(&t, 0, sizeof t);
    memset(&d, 0, sizeof d);
    memset(&r, 0, sizeof r);
    sb_init(&out);
    o.cmd = c->name;
    if ((rc = cli_parse(argc, argv, &o, c->usage)) != 0) {
        if (rc > 0 && c->usage_more)
            fputs(c->usage_more, stdout);
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    }
    if (!o.format)
        o.format = c->default_format;
    if (c->stream && (rc = cli_stream_wanted(&o, &e)) != 0) {
        /* a file too large to hold: read in blocks, fitted as it is read */
        memset(&r, 0, sizeof r);
        rc = rc < 0 ? -1 : c->stream(&o, &d, &r, &e);
    } else {
        rc = cli_load(&o, &t, &d, &r, &e);
        if (rc == 0)
            rc = c->compute(&r, &e);
    }
    if (rc == 0 && r.warnings.oom) {
        app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
        rc = -1;
    }
    sb_allow_spill(&out); /* a report of a million studies is not held whole */
    if (rc == 0 && c->report(o.format, &r, &out) != 0) {
        if (out.spill_errno)
            app_err_set(&e, APP_EXIT_IO, "cannot write the output to a temporary file: %s",
                        strerror(out.spill_errno));
        else
            app_err_set(&e, APP_EXIT_INTERNAL, "out of memory while writing the output");
        rc = -1;
    }
    if (rc == 0 && o.output && strcmp(o.output, "-") != 0) {
        /* the report to a file: written together with the figures */
        app_output *x = app_outputs_add(&files, o.output);
        if (!x) {
            app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
            rc = -1;
        } else {
            x->data = out;
            sb_init(&out);
        }
    }
    if (rc == 0)
        rc = app_figures_render(&r, &files, &e);
    if (rc == 0)
        rc = app_outputs_write(&files, &e);
    if (rc == 0 && (!o.output || strcmp(o.output, "-") == 0))
        rc = app_write_sbuf(NULL, &out, &e);
    app_outputs_free(&files);
    sb_free(&out);
    cli_result_free(&r);
    app_instruments_free(&o.instr);
    app_data_free(&d);
    app_table_free(&t);
    if (rc == 0)
        return APP_EXIT_OK;
    fprintf(stderr, "%s\n", e.msg);
    return e.code ? e.code : APP_EXIT_INTERNAL;
}
