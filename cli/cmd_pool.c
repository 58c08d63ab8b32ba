/*
 * cmd_pool.c - `metasyn pool`: effect sizes from a study file, pooled by
 * a common-effect or random-effects model, Mantel-Haenszel or Peto, with
 * heterogeneity, as text, JSON or CSV.  docs/cli/pool.md.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: metasyn pool [OPTIONS] FILE.csv      (FILE - reads standard input)\n"
    "\n"
    "Pool the studies of FILE: the pooled effect, its CI, heterogeneity and the\n"
    "prediction interval.\n"
    "\n"
    "Data (columns use metafor's names; see docs/cli/README.md):\n"
    "  -m, --measure M       two groups: MD SMD SMDH ROM OR RR RD AS PETO HR IRR IRD;\n"
    "                        one group: PR PLO PAS PFT IR IRLN MN MNLN COR ZCOR SMCC SMCR;\n"
    "                        GEN: yi as given (the default when the file has yi)\n"
    "      --study COL       column with study labels (default: study)\n"
    "      --scale S         log (default) or natural: ratio estimates given as ratios\n"
    "      --ci-level L      level of reported ci_lb/ci_ub (default 95)\n"
    "      --add X           zero-cell increment (default 0.5)\n"
    "      --to T            only0 (default), all, if0all, none\n"
    "      --drop00 yes|no   leave out tables without events in both groups\n"
    "      --smd-correction exact|approx    Hedges' J (approx: RevMan 5)\n"
    "      --smd-variance ls|revman5        SMD sampling variance\n"
    "      --rd-from raw|corrected          counts the study RD is computed from\n"
    "      --from-median luo|wan|none       means and SDs from medians (default luo)\n"
    "      --ri R            SMCC/SMCR: correlation of the time points if no ri column\n"
    "Model:\n"
    "      --preset P        cochrane2025 (default), metafor, revman5\n"
    "      --method M        EE (FE), DL, HE, HS, SJ, ML, REML, EB, PM, MH, PETO\n"
    "      --test T          z, t, knha (hksj), adhoc\n"
    "      --level L         confidence level, 95 or 0.95 (default 95)\n"
    "      --pi-df D         prediction interval: default, k-1, k-2, none\n"
    "      --i2 D            tau2 (I2 from tau2) or q ((Q - df)/Q)\n"
    "      --no-tau2-ci      skip the Q-profile CI for tau2\n"
    "      --tau2 X          fix tau2 at X instead of estimating it\n"
    "Sensitivity:\n"
    "      --leave1out       the analysis without each study in turn\n"
    "      --cumulative COL  cumulative meta-analysis in the order of COL (year)\n"
    "      --influence       influence diagnostics, as metafor's influence()\n"
    "      --gosh N          all subsets (or N random, --seed S) for a GOSH plot\n"
    "Subgroups and selection:\n"
    "      --by COL          pool each subgroup of COL, and test their differences\n"
    "      --tau2 separate   each subgroup its own tau2 (RevMan; the default)\n"
    "      --tau2 common     one tau2 for all (mixed-effects model, QM test)\n"
    "      --min-k N         pool only analyses/subgroups with >= N studies (default 2)\n"
    "      --where COL=V     only rows with COL equal to V (or COL!=V); repeatable\n"
    "      --exclude-rob L   also pool without studies at risk of bias L=high or\n"
    "                        L=some (or worse); --rob-overall COL: the judgements\n"
    "      --mh-add X        increment inside Mantel-Haenszel for zero cells\n"
    "      --rd-variance V   sato or gr (Mantel-Haenszel risk difference)\n"
    "      --tau2-from mh|iv 2x2 tables, DL: Q about the MH (revman5) or IV estimate\n"
    "      --max-iter N      iteration limit for ML/REML (default 1000)\n"
    "      --no-fallback     fail instead of falling back to PM, then DL\n"
    "Output:\n"
    "  -f, --format F        text (default), json, csv\n"
    "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
    "      --digits N        decimals of the text report (default 4)\n";

/* The rest of --help (one string literal may hold 4095 characters). */
static const char usage_more[] =
    "Input:\n"
    CLI_CSV_HELP
    "Figures (FILE.svg, .pdf or .png; docs/figures.md) and report:\n"
    "      --forest FILE     forest plot: --layout revman|compact, --favours A,B,\n"
    "                        --rob COL (risk-of-bias column, repeatable)\n"
    "      --funnel, --radial, --labbe, --baujat, --leave1out-plot,\n"
    "      --cumulative-plot, --gosh-plot FILE   the other figures\n"
    "      --width IN, --dpi N (PNG, default 300), --font FAMILY\n"
    "      --report FILE     the analysis as HTML (.html) or Markdown (.md)\n"
    "Clinical relevance:\n"
    "      --reexpress-sd SD SMD in points of an instrument of this SD\n"
    "      --scale-name NAME its name, e.g. \"0-100 VAS\"\n"
    "      --mcid X          minimal clinically important difference: verdict\n"
    "      --instrument NAME its MCID from 'metasyn instruments'\n"
    "Large files (docs/cli/pool.md):\n"
    "      --stream          read FILE in blocks and keep only each study's effect\n"
    "                        size: the pooled result, no per-study rows (the\n"
    "                        default for files of 256 MB or more)\n"
    "      --no-stream       read FILE whole, whatever its size\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit codes: 0 success, 2 usage, 3 invalid data, 4 input/output, 5 analysis\n"
    "not possible, 6 out of memory.  Presets and formulas: docs/METHODS.md.\n";

static int compute(app_result *r, app_err *e)
{
    if (cli_pool_fit(r, e) != 0 || r->pooled_k_short)
        return r->pooled_k_short ? 0 : -1;
    if (r->by && app_subgroups_fit(r, r->table, r->by, r->min_k, r->tau2_common, e) != 0)
        return -1;
    if (r->rs.asked && app_rob_sens_fit(r, r->rs.col_opt, e) != 0)
        return -1;
    return app_sens_fit(r, e);
}

static int report(const char *format, const app_result *r, sbuf *out)
{
    if (strcmp(format, "json") == 0)
        return app_report_json(r, out);
    if (strcmp(format, "csv") == 0)
        return app_report_csv(r, out);
    return app_report_text(r, out);
}

int cmd_pool(int argc, char **argv)
{
    static const cli_command cmd = {"pool", usage, "text", compute, report, usage_more, cli_pool_stream};
    return cli_run(&cmd, argc, argv);
}
