/*
 * cmd_bias.c - `metasyn bias`: small-study effects and publication bias
 * (Egger's tests, Peters' test for binary data, Begg and Mazumdar's rank
 * correlation, trim-and-fill, fail-safe N).  docs/cli/bias.md.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: metasyn bias [OPTIONS] FILE.csv\n"
    "\n"
    "Tests for small-study effects and publication bias, as metafor's regtest,\n"
    "ranktest, trimfill and fsn: Egger's regression test (meta-regression on the\n"
    "SE, and the classic weighted regression), Peters' test (binary data),\n"
    "Begg and Mazumdar's rank correlation, trim-and-fill and fail-safe N\n"
    "(Rosenthal, Orwin, Rosenberg).  With fewer than 10 studies they are run\n"
    "but flagged as unreliable (Cochrane Handbook 13.3.5.4).\n"
    "\n"
    "Options:\n"
    "  --predictor P        regression tests on P instead of the SE: sei (Egger,\n"
    "                       default), vi, ni, ninv, sqrtni, sqrtninv (n = study size)\n"
    "  --tf-estimator E     trim-and-fill estimator: L0 (default), R0 or Q0\n"
    "  --tf-side S          side of the missing studies: auto (default: from the\n"
    "                       sign of Egger's slope, as metafor), left or right\n"
    "  --orwin-target X     Orwin's fail-safe N down to effect X (analysis scale,\n"
    "                       e.g. log OR); default half the mean effect\n"
    "  --funnel FILE        funnel plot with the filled studies and Egger's line\n"
    "                       (.svg, .pdf or .png; --width, --dpi, --font)\n"
    "  --report FILE        the analysis as an HTML page or Markdown (.html, .md)\n"
    "\n"
    "Data and model options as metasyn pool (--measure, --preset, --method,\n"
    "--test, --level, --where, --delimiter, --decimal, ...).\n"
    "Output: -f text (default) or json, -o FILE.\n"
    "Exit codes as for metasyn pool.  Methods: docs/methods/bias.md.\n";

static int compute(app_result *r, app_err *e)
{
    if (r->po.method == MSYN_METHOD_MH || r->po.method == MSYN_METHOD_PETO)
        r->po.method = MSYN_METHOD_EE; /* the tests work on yi and vi */
    if (cli_effect_sizes(r, e) != 0)
        return -1;
    return app_bias_run(r, e);
}

static int report(const char *format, const app_result *r, sbuf *out)
{
    return strcmp(format, "json") == 0 ? app_bias_json(r, out) : app_bias_text(r, out);
}

int cmd_bias(int argc, char **argv)
{
    static const cli_command cmd = {"bias", usage, "text", compute, report, NULL, NULL};
    return cli_run(&cmd, argc, argv);
}
