/*
 * cmd_cost.c - `metasyn cost`: the cost-effectiveness results of the
 * studies of a review side by side, converted to one currency and price
 * year with factors the user gives, placed on the cost-effectiveness
 * plane; never pooled.  app/cost.h; docs/cli/cost.md.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "cost.h"
#include "plot.h"

static const char usage[] =
    "Usage: metasyn cost [OPTIONS] FILE.csv      (FILE - reads standard input)\n"
    "\n"
    "Tabulate cost-effectiveness results (one row per study and comparison):\n"
    "incremental cost and effect, ICER, quadrant of the cost-effectiveness\n"
    "plane, with costs converted to one currency and price year.  ICERs are\n"
    "not pooled (docs/cli/cost.md says why).\n"
    "\n"
    "Columns: study, intervention, comparator, delta_cost (intervention minus\n"
    "comparator), delta_effect, effect_unit (default QALY), icer (as reported),\n"
    "currency (ISO 4217), price_year, perspective, time_horizon, country;\n"
    "optional per-arm cost1, cost2, effect1, effect2 (1 = intervention).\n"
    "\n"
    "      --to CUR:YEAR     report costs in currency CUR at YEAR prices\n"
    "      --inflation FILE  price index per currency and year (columns\n"
    "                        currency, year, index; e.g. GDP deflators)\n"
    "      --exchange FILE   rate per currency (columns currency, rate: units\n"
    "                        of CUR per unit in YEAR; e.g. PPP factors)\n"
    "      --wtp X           willingness to pay per unit of effect, in CUR:\n"
    "                        net monetary benefit and cost-effective or not\n"
    "      --wtp-unit U      the effect unit --wtp is per (default QALY)\n"
    "      --plane FILE      draw the cost-effectiveness plane (.svg .pdf .png)\n"
    "      --width IN        figure width in inches (default 6.5)\n"
    "      --dpi N           PNG resolution (default 300)\n"
    "  -f, --format F        text (default), json, csv or md\n"
    "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
    "  -h, --help            show this help\n"
    "\n"
    "Conversion (CCEMG-EPPI-Centre two-stage method): cost x index[YEAR] /\n"
    "index[price_year] in the original currency, then x rate.  Only the\n"
    "factors you give are used; a missing one is an error that names it.\n"
    "\n"
    "Exit codes: 0 ok, 2 usage, 3 invalid input data, 4 input/output,\n"
    "6 out of memory.\n";

enum { OPT_TO = 256, OPT_INFL, OPT_EXCH, OPT_WTP, OPT_WTP_UNIT, OPT_PLANE, OPT_WIDTH, OPT_DPI };

static const struct option long_opts[] = {
    {"to", required_argument, NULL, OPT_TO},
    {"inflation", required_argument, NULL, OPT_INFL},
    {"exchange", required_argument, NULL, OPT_EXCH},
    {"wtp", required_argument, NULL, OPT_WTP},
    {"wtp-unit", required_argument, NULL, OPT_WTP_UNIT},
    {"plane", required_argument, NULL, OPT_PLANE},
    {"width", required_argument, NULL, OPT_WIDTH},
    {"dpi", required_argument, NULL, OPT_DPI},
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

typedef struct cost_cli {
    const char *input, *output, *format, *infl, *exch, *plane, *wtp_unit;
    char to_cur[4];
    int to_year, to_set;
    double wtp, width, dpi;
} cost_cli;

static int bad(const char *opt, const char *val, const char *expect)
{
    return cli_bad("cost", opt, val, expect);
}

static int parse_to(cost_cli *o, const char *arg)
{
    const char *colon = strchr(arg, ':');
    char cur[4];
    double y;
    if (!colon || colon - arg != 3)
        return bad("--to", arg, "CUR:YEAR, an ISO 4217 code and a year, e.g. GBP:2023");
    for (int i = 0; i < 3; i++)
        cur[i] = (char)(arg[i] >= 'a' && arg[i] <= 'z' ? arg[i] - 32 : arg[i]);
    cur[3] = 0;
    if (!cost_currency_known(cur))
        return bad("--to", arg, "CUR:YEAR with CUR an ISO 4217 currency code (GBP, EUR, USD, ...)");
    if (!cli_parse_number(colon + 1, &y) || y != floor(y) || y < 1900 || y > 2100)
        return bad("--to", arg, "CUR:YEAR with YEAR a whole year between 1900 and 2100");
    memcpy(o->to_cur, cur, 4);
    o->to_year = (int)y;
    o->to_set = 1;
    return 0;
}

static int set(void *ctx, int c, const char *arg)
{
    cost_cli *o = ctx;
    switch (c) {
    case OPT_TO:
        return parse_to(o, arg);
    case OPT_INFL:
        o->infl = arg;
        return 0;
    case OPT_EXCH:
        o->exch = arg;
        return 0;
    case OPT_WTP:
        if (!cli_parse_number(arg, &o->wtp) || o->wtp < 0)
            return bad("--wtp", arg, "a willingness to pay per unit of effect, a number >= 0 (e.g. 20000)");
        return 0;
    case OPT_WTP_UNIT:
        o->wtp_unit = strcasecmp(arg, "qaly") == 0 ? "QALY" : strcasecmp(arg, "ly") == 0 ? "LY" : arg;
        if (!*arg)
            return bad("--wtp-unit", arg, "an effect unit (QALY, LY, ...)");
        return 0;
    case OPT_PLANE:
        if (plot_format_of(arg) < 0)
            return bad("--plane", arg, "a file name ending in .svg, .pdf or .png");
        o->plane = arg;
        return 0;
    case OPT_WIDTH:
        if (!cli_parse_number(arg, &o->width) || o->width < 3 || o->width > 20)
            return bad("--width", arg, "a width in inches from 3 to 20");
        return 0;
    case OPT_DPI:
        if (!cli_parse_number(arg, &o->dpi) || o->dpi < 36 || o->dpi > 1200)
            return bad("--dpi", arg, "a resolution from 36 to 1200");
        return 0;
    case 'f':
        if (strcmp(arg, "text") && strcmp(arg, "json") && strcmp(arg, "csv") && strcmp(arg, "md"))
            return bad("--format", arg, "text, json, csv or md");
        o->format = arg;
        return 0;
    case 'o':
        o->output = arg;
        return 0;
    default:
        return -1;
    }
}

static int parse(int argc, char **argv, cost_cli *o)
{
    int rest, rc;
    memset(o, 0, sizeof *o);
    o->format = "text";
    o->wtp = NAN;
    rc = cli_getopt(argc, argv, "cost", "f:o:h", long_opts, usage, set, o, &rest);
    if (rc != 0)
        return rc;
    if (rest != argc - 1)
        return cli_usage_error("cost", rest >= argc ? "no input file; give FILE.csv (or - for standard input)"
                                                    : "give one input file");
    o->input = argv[rest];
    if ((o->infl || o->exch) && !o->to_set)
        return cli_usage_error("cost", "--inflation and --exchange convert to the currency and year of --to CUR:YEAR; give --to");
    if (o->wtp_unit && isnan(o->wtp))
        return cli_usage_error("cost", "--wtp-unit names the unit of --wtp; give --wtp X too");
    return 0;
}

typedef struct state {
    app_table t, ti, te;
    cost_set s;
    cost_factors f;
    sbuf out;
    app_outputs outs;
} state;

static int read_factors(const cost_cli *o, state *x, app_err *e)
{
    if (o->infl && app_table_read(o->infl, &x->ti, e) != 0)
        return -1;
    if (o->exch && app_table_read(o->exch, &x->te, e) != 0)
        return -1;
    return cost_factors_load(o->infl ? &x->ti : NULL, o->exch ? &x->te : NULL, &x->f, e);
}

static int plane(const cost_cli *o, state *x, app_err *e)
{
    plot p;
    app_output *w;
    int fmt = plot_format_of(o->plane), rc;
    memset(&p, 0, sizeof p);
    if (plot_ce(&x->s, &p, o->width * 72, NULL, e) != 0 || p.oom) {
        if (p.oom)
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory while drawing the cost-effectiveness plane");
        plot_free(&p);
        return -1;
    }
    if (getenv("METASYN_CHECK_LAYOUT")) {
        char why[512];
        size_t nbad = plot_check_text(&p, 0.25, why, sizeof why);
        if (nbad) {
            plot_free(&p);
            app_err_set(e, APP_EXIT_INTERNAL, "%s: layout check: %zu problem%s, first: %s", o->plane, nbad, nbad == 1 ? "" : "s", why);
            return -1;
        }
    }
    if (!(w = app_outputs_add(&x->outs, o->plane))) {
        plot_free(&p);
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    rc = fmt == PLOT_SVG ? plot_svg(&p, &w->data) : plot_cairo(&p, (plot_format)fmt, o->dpi > 0 ? o->dpi : 300, &w->data);
    plot_free(&p);
    if (rc != 0 || w->data.oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "%s: could not render the figure (out of memory, or a PNG too large: lower --dpi)", o->plane);
        return -1;
    }
    return 0;
}

static int run(const cost_cli *o, state *x, app_err *e)
{
    int rc;
    if (app_table_read(o->input, &x->t, e) != 0 || cost_load(&x->t, &x->s, e) != 0 || read_factors(o, x, e) != 0)
        return -1;
    if (cost_convert(&x->s, o->to_set ? o->to_cur : NULL, o->to_year, &x->f, e) != 0)
        return -1;
    if ((!isnan(o->wtp) || o->plane) && !x->s.converted && !x->s.implicit_target) {
        app_err_set(e, APP_EXIT_USAGE, "metasyn cost: %s: the costs are in several currencies or price years; %s needs them in one: give --to CUR:YEAR (with --inflation and --exchange)",
                    x->s.file, !isnan(o->wtp) ? "--wtp" : "--plane");
        return -1;
    }
    if (!isnan(o->wtp) && cost_apply_wtp(&x->s, o->wtp, o->wtp_unit, e) != 0)
        return -1;
    sb_init(&x->out);
    rc = strcmp(o->format, "json") == 0  ? cost_report_json(&x->s, &x->out)
         : strcmp(o->format, "csv") == 0 ? cost_report_csv(&x->s, &x->out)
         : strcmp(o->format, "md") == 0  ? cost_report_md(&x->s, &x->out)
                                         : cost_report_text(&x->s, &x->out);
    if (rc != 0 || x->out.oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (o->plane && plane(o, x, e) != 0)
        return -1;
    if (o->output) {
        app_output *w = app_outputs_add(&x->outs, o->output);
        if (!w) {
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            return -1;
        }
        sb_add(&w->data, x->out.p ? x->out.p : "", x->out.len);
        if (w->data.oom) {
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            return -1;
        }
    }
    if (x->outs.n && app_outputs_write(&x->outs, e) != 0)
        return -1;
    if (!o->output && app_write_output(NULL, x->out.p ? x->out.p : "", x->out.len, e) != 0)
        return -1;
    return 0;
}

int cmd_cost(int argc, char **argv)
{
    cost_cli o;
    state x;
    app_err e = {0, ""};
    int rc = parse(argc, argv, &o);
    if (rc != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    memset(&x, 0, sizeof x);
    rc = run(&o, &x, &e) != 0 ? e.code : APP_EXIT_OK;
    if (rc != APP_EXIT_OK)
        fprintf(stderr, "%s\n", e.msg);
    sb_free(&x.out);
    app_outputs_free(&x.outs);
    cost_factors_free(&x.f);
    cost_free(&x.s);
    app_table_free(&x.t);
    app_table_free(&x.ti);
    app_table_free(&x.te);
    return rc;
}
