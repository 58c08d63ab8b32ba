/*
 * main.c - the metasyn program: dispatch to a subcommand.
 *
 * Exit codes (docs/cli/README.md): 0 success, 1 findings (check/verify),
 * 2 usage error, 3 invalid input data, 4 input/output error, 5 analysis not
 * possible with these data, 6 out of memory or internal error.
 */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "Usage: metasyn COMMAND [OPTIONS] FILE\n"
    "\n"
    "Meta-analysis of clinical studies, with metafor's numbers.\n"
    "\n"
    "Commands:\n"
    "  pool      pool studies: common/random effects, MH, Peto, heterogeneity\n"
    "  es        effect sizes and sampling variances per study\n"
    "  reg       meta-regression on moderators (numeric or categorical)\n"
    "  bias      small-study effects: Egger, Begg, trim-and-fill, fail-safe N\n"
    "  check     check study data for errors and implausible values\n"
    "  verify    check reported statistics (estimate, CI, p, I2) for consistency\n"
    "  batch     many meta-analyses in one file, one result row each (threads)\n"
    "  simulate  simulation study of estimators and tests (bias, coverage, ...)\n"
    "  import-rm5  RevMan 5 review (.rm5) -> one CSV per analysis\n"
    "  review    the review file: search import, dedup, screening, PRISMA\n"
    "  rob       risk of bias: judgements (RoB 2, RoB 1, ROBINS-I, SIGN 50), figures\n"
    "  sof       GRADE certainty and the summary of findings table\n"
    "  harms     adverse events across studies: reporting and pooled risk ratios\n"
    "  cost      cost-effectiveness results in one currency and year; CE plane\n"
    "  instruments  outcome instruments: range and MCID with their sources\n"
    "\n"
    "Run 'metasyn COMMAND --help' for the options of a command.\n"
    "  --version   print the version\n"
    "  --help      print this help\n";

static void *json_alloc(size_t n) { return app_alloc(n); }

int main(int argc, char **argv)
{
    /* libmetasyn checks every precondition before calling GSL, so GSL's
     * handler could only fire on an internal error; never abort for it. */
    gsl_set_error_handler_off();
    json_set_alloc_funcs(json_alloc, app_free);
    if (argc < 2) {
        fputs(usage, stderr);
        return APP_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return APP_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("metasyn %s\n", msyn_version());
        return APP_EXIT_OK;
    }
    if (strcmp(argv[1], "pool") == 0)
        return cmd_pool(argc - 1, argv + 1);
    if (strcmp(argv[1], "es") == 0)
        return cmd_es(argc - 1, argv + 1);
    if (strcmp(argv[1], "reg") == 0)
        return cmd_reg(argc - 1, argv + 1);
    if (strcmp(argv[1], "bias") == 0)
        return cmd_bias(argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "verify") == 0)
        return cmd_verify(argc - 1, argv + 1);
    if (strcmp(argv[1], "batch") == 0)
        return cmd_batch(argc - 1, argv + 1);
    if (strcmp(argv[1], "simulate") == 0)
        return cmd_simulate(argc - 1, argv + 1);
    if (strcmp(argv[1], "import-rm5") == 0)
        return cmd_import_rm5(argc - 1, argv + 1);
    if (strcmp(argv[1], "review") == 0)
        return cmd_review(argc - 1, argv + 1);
    if (strcmp(argv[1], "rob") == 0)
        return cmd_rob(argc - 1, argv + 1);
    if (strcmp(argv[1], "sof") == 0)
        return cmd_sof(argc - 1, argv + 1);
    if (strcmp(argv[1], "harms") == 0)
        return cmd_harms(argc - 1, argv + 1);
    if (strcmp(argv[1], "cost") == 0)
        return cmd_cost(argc - 1, argv + 1);
    if (strcmp(argv[1], "instruments") == 0)
        return cmd_instruments(argc - 1, argv + 1);
    fprintf(stderr, "metasyn: unknown command '%s'\n\n%s", argv[1], usage);
    return APP_EXIT_USAGE;
}
