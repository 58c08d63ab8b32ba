/*
 * cmd_reg.c - `metasyn reg`: mixed-effects meta-regression of the studies
 * of a file on one or more moderators, with the data options, presets and
 * methods of `pool`.  docs/cli/reg.md.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: metasyn reg --mod COL [--mod COL ...] [OPTIONS] FILE.csv\n"
    "\n"
    "Meta-regression: how the effect depends on study-level moderators.\n"
    "\n"
    "Moderators:\n"
    "      --mod COL         a moderator column (numeric, or categorical when its\n"
    "                        cells are not numbers); repeat for several\n"
    "      --factor COL      treat COL as categorical (dummy coding against its\n"
    "                        first level in sorted order, as R's factor())\n"
    "      --no-intercept    fit without an intercept\n"
    "      --pred COL=V,...  predicted effect at these moderator values; repeatable\n"
    "      --permutations N  permutation test of QM and each coefficient (exact when\n"
    "                        the distinct permutations are at most N)\n"
    "      --seed S          seed of the random permutations (default 0)\n"
    "      --exact           enumerate every distinct permutation\n"
    "Data and model: as metasyn pool (--measure, --study, --preset, --method,\n"
    "      --test, --level, --where, --scale, --add, ...; see metasyn pool --help)\n"
    "Output:\n"
    "  -f, --format F        text (default), json, csv (the coefficients)\n"
    CLI_CSV_HELP
    "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
    "      --digits N        decimals in the text report (default 4)\n"
    "      --bubble FILE     bubble plot against the first numeric --mod\n"
    "                        (.svg, .pdf or .png; --width, --dpi, --font)\n"
    "      --report FILE     the analysis as HTML (.html) or Markdown (.md)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit codes as for metasyn pool.  Methods: docs/methods/reg.md.\n";

static int compute(app_result *r, app_err *e)
{
    if (r->nmods == 0 && !r->no_intercept) {
        app_err_set(e, APP_EXIT_USAGE, "metasyn reg needs at least one --mod COLUMN");
        return -1;
    }
    if (r->po.method == MSYN_METHOD_MH || r->po.method == MSYN_METHOD_PETO) {
        app_err_set(e, APP_EXIT_USAGE, "--method %s pools 2x2 tables without moderators; meta-regression takes EE, DL, HE, HS, SJ, ML, REML, EB or PM",
                    msyn_method_name(r->po.method));
        return -1;
    }
    if (cli_effect_sizes(r, e) != 0)
        return -1;
    return app_reg_fit(r, e);
}

static int report(const char *format, const app_result *r, sbuf *out)
{
    if (strcmp(format, "json") == 0)
        return app_reg_json(r, out);
    if (strcmp(format, "csv") == 0)
        return app_reg_csv(r, out);
    return app_reg_text(r, out);
}

int cmd_reg(int argc, char **argv)
{
    static const cli_command cmd = {"reg", usage, "text", compute, report, NULL, NULL};
    return cli_run(&cmd, argc, argv);
}
