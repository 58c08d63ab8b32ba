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
    "  -m, --measure M       GEN MD SMD SMDH ROM OR RR RD PETO HR (GEN if the file has yi)\n"
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
    "  -f, --format F        csv (default) or json\n"
    "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
    "  -h, --help            show this help\n"
    "\n"
    "Output columns: study, yi, vi, sei, ci_lb, ci_ub, note.  Ratio measures are\n"
    "on the log scale.  Exit codes as for metasyn pool.\n";

int cmd_es(int argc, char **argv)
{
    cli_opts o;
    app_table t;
    app_data d;
    app_result r;
    app_err e = {0, ""};
    sbuf out;
    int rc;
    memset(&o, 0, sizeof o);
    memset(&t, 0, sizeof t);
    memset(&d, 0, sizeof d);
    memset(&r, 0, sizeof r);
    sb_init(&out);
    o.cmd = "es";
    if ((rc = cli_parse(argc, argv, &o, usage)) != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    if (strcmp(o.format, "text") == 0)
        o.format = "csv";
    rc = cli_load(&o, &t, &d, &r, &e);
    if (rc == 0) {
        size_t k = d.k;
        r.yi = app_alloc((k + 1) * sizeof *r.yi);
        r.vi = app_alloc((k + 1) * sizeof *r.vi);
        r.esflags = app_alloc((k + 1) * sizeof *r.esflags);
        if (!r.yi || !r.vi || !r.esflags) {
            app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
            rc = -1;
        } else {
            msyn_status st = msyn_es(r.measure, &d.es, k, &r.eo, r.yi, r.vi, r.esflags);
            if (st != MSYN_OK) {
                cli_status_error(st, r.file, &e);
                rc = -1;
            }
        }
    }
    if (rc == 0 && r.oom) {
        app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
        rc = -1;
    }
    if (rc == 0) {
        rc = strcmp(o.format, "json") == 0 ? app_es_json(&r, &out) : app_es_csv(&r, &out);
        if (rc != 0)
            app_err_set(&e, APP_EXIT_INTERNAL, "out of memory while writing the output");
    }
    if (rc == 0)
        rc = app_write_output(o.output, out.p ? out.p : "", out.len, &e);
    sb_free(&out);
    cli_result_free(&r);
    app_data_free(&d);
    app_table_free(&t);
    return rc == 0 ? APP_EXIT_OK : cli_fail(&e);
}
