/*
 * cmd_es.c - `metasyn es`: effect sizes and sampling variances per study,
 * as metafor's escalc() computes them, written as CSV (or JSON) for other
 * tools or for `metasyn pool`.  docs/cli/es.md.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: metasyn es [OPTIONS] FILE.csv      (FILE - reads standard input)\n"
    "\n"
    "Compute the effect size yi, its sampling variance vi, standard error and\n"
    "confidence interval for every study of FILE.\n"
    "\n"
    "  -m, --measure M       two groups: MD SMD SMDH ROM OR RR RD AS PETO HR IRR IRD;\n"
    "                        one group: PR PLO PAS PFT IR IRLN MN MNLN COR ZCOR SMCC SMCR;\n"
    "                        GEN: yi as given (the default when the file has yi)\n"
    "      --study COL       column with study labels (default: study)\n"
    "      --preset P        cochrane2025 (default), metafor, revman5\n"
    "      --level L         level of the study CIs (default 95)\n"
    "      --scale S         log (default) or natural: ratio estimates given as ratios\n"
    "      --ci-level L      level of reported ci_lb/ci_ub (default 95)\n"
    "      --add X           zero-cell increment (default 0.5)\n"
    "      --to T            only0 (default), all, if0all, none\n"
    "      --drop00 yes|no   tables without events in both groups: not estimable\n"
    "      --smd-correction exact|approx    Hedges' J (approx: RevMan 5)\n"
    "      --smd-variance ls|revman5        SMD sampling variance\n"
    "      --rd-from raw|corrected          counts the study RD is computed from\n"
    "      --from-median luo|wan|none       means and SDs from medians (default luo)\n"
    "      --ri R            SMCC/SMCR: correlation of the time points if no ri column\n"
    "  -f, --format F        csv (default) or json\n"
    CLI_CSV_HELP
    "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
    "  -h, --help            show this help\n"
    "\n"
    "Output columns: study, yi, vi, sei, ci_lb, ci_ub, note.  Ratio measures are\n"
    "on the log scale.  Exit codes as for metasyn pool.\n";

static int compute(app_result *r, app_err *e)
{
    if (cli_effect_sizes(r, e) != 0)
        return -1;
    return 0;
}

static int report(const char *format, const app_result *r, sbuf *out)
{
    /* the study table is CSV (or JSON); "text" means the default */
    return strcmp(format, "json") == 0 ? app_es_json(r, out) : app_es_csv(r, out);
}

int cmd_es(int argc, char **argv)
{
    static const cli_command cmd = {"es", usage, "csv", compute, report, NULL, NULL};
    return cli_run(&cmd, argc, argv);
}
