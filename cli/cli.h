/*
 * cli.h - what the subcommands of the metasyn program share: option
 * parsing, loading a study file under a preset, and ending a run with the
 * right exit code and no partial output.
 */
#ifndef MSYN_CLI_H
#define MSYN_CLI_H

#include "app.h"
#include "instruments.h"

/* Options common to the subcommands that read study data.  *_set marks
 * options given explicitly, which override the preset. */
typedef struct cli_opts {
    const char *cmd;         /* "pool", "es"                             */
    const char *input;       /* FILE or "-"                              */
    const char *output;      /* -o FILE, NULL = stdout                   */
    const char *format;      /* text, json, csv                          */
    const char *study;       /* --study COL                              */
    int digits;
    app_csv_fmt csv;         /* --delimiter, --decimal (0: detected)     */

    msyn_preset preset;
    int measure_set;
    msyn_measure measure;
    int method_set;
    msyn_method method;
    int test_set;
    msyn_test test;
    int level_set;
    double level;
    int pi_set;
    msyn_pi pi;
    int i2_set;
    msyn_i2def i2;
    int no_tau2_ci;
    double tau2_fixed;       /* --tau2, NaN if not given                 */
    int max_iter;            /* 0 = default                              */
    int no_fallback;

    int add_set, to_set, drop00_set, smdj_set, smdv_set, mhadd_set, rdvar_set, rdfrom_set;
    double add;
    msyn_add_to to;
    int drop00;
    msyn_smd_j smd_j;
    msyn_smd_var smd_var;
    double mh_add;
    msyn_rd_var rd_var;
    int rd_add_yi;
    int natural;             /* --scale natural                          */
    double ci_level;         /* --ci-level (0 = default 0.95)            */
    int tau2from_set, q_from_mh; /* --tau2-from mh|iv                  */
    int median_set;
    app_conv_opts conv;      /* --from-median                            */
    double ri;               /* --ri, NaN if not given                   */
    double reexpress_sd;     /* --reexpress-sd, NaN if not given         */
    const char *scale_name;  /* --scale-name                             */
    double mcid;             /* --mcid, NaN if not given                 */
    const char *instrument;  /* --instrument NAME                        */
    const char *instruments_file; /* --instruments FILE (user table)     */
    app_instruments instr;   /* that table, read by cli_load             */
    const app_instrument *inst; /* the instrument found                  */
    const char *by;          /* --by COL                                 */
    int min_k;               /* --min-k N (0 = default 2)                */
    const char *where[16];   /* --where COL=VALUE, all must hold         */
    int nwhere;
    int tau2_common;         /* --tau2 common (subgroups with one tau2)  */
    const char *mods[16];    /* reg: --mod COL, in order                 */
    size_t nmods;
    const char *factors[16]; /* reg: --factor COL                        */
    size_t nfactors;
    const char *preds[32];   /* reg: --pred COL=V,...                    */
    size_t npreds;
    int no_intercept;        /* reg: --no-intercept                      */
    size_t permutations;     /* reg: --permutations N                    */
    unsigned long long seed; /* reg: --seed S                            */
    int exact;               /* reg: --exact                             */
    int leave1out, influence; /* pool: --leave1out, --influence          */
    const char *cumulative;  /* pool: --cumulative COL                   */
    size_t gosh;             /* pool: --gosh N                           */
    app_fig_opts fig;        /* figures, --report                         */
    char favours_buf[512];   /* --favours, split at its comma            */
    app_bias_opts bias;      /* bias: --tf-estimator, --tf-side, ...      */
    int exclude_rob;         /* pool: --exclude-rob high|some (app_rob_level, 0 none) */
    const char *rob_overall; /* pool: --rob-overall COL                   */
    int stream;              /* pool: --stream 1, --no-stream -1, 0: by size */
} cli_opts;

/* What --delimiter and --decimal accept (usage messages), and their
 * lines in --help. */
#define CLI_DELIMITER_EXPECT "comma, semicolon, tab, pipe or one of , ; | : ^ ~ # ! /"
#define CLI_DECIMAL_EXPECT "point or comma"
#define CLI_CSV_HELP                                                                 \
    "      --delimiter D     field separator: comma, semicolon, tab, pipe, or the\n" \
    "                        character itself (default: detected from the header)\n" \
    "      --decimal M       decimal mark: point or comma (default: comma when the\n" \
    "                        delimiter is not a comma)\n"

/* A command that reads a study file: its steps between loading the data
 * and writing the output, which cli_run() does for all of them. */
typedef struct cli_command {
    const char *name;            /* "pool"                                */
    const char *usage;           /* --help text                           */
    const char *default_format;  /* when --format is not given            */
    int (*compute)(app_result *r, app_err *e);
    int (*report)(const char *format, const app_result *r, sbuf *out);
    const char *usage_more;      /* printed after usage (C99 caps one
                                    string literal at 4095 characters)    */
    /* pool: load and fit a file read in blocks (pool_stream.c), used
     * instead of cli_load() and compute when cli_stream_wanted() says so;
     * NULL for the other commands. */
    int (*stream)(cli_opts *o, app_data *d, app_result *r, app_err *e);
} cli_command;

/* pool_stream.c: whether to read o->input in blocks (1), whole (0), or
 * -1 with e set (--stream with an option that needs every study). */
int cli_stream_wanted(const cli_opts *o, app_err *e);
/* `metasyn pool` on a file read in blocks: fills d (counts only) and r. */
int cli_pool_stream(cli_opts *o, app_data *d, app_result *r, app_err *e);

/* Parse, load, compute, report and write; returns the exit code. */
int cli_run(const cli_command *c, int argc, char **argv);

/* Parse argv into o; handles --help (prints usage, returns 1).
 * Returns 0 on success, 1 when help was printed, -1 on a usage error
 * (message printed). */
int cli_parse(int argc, char **argv, cli_opts *o, const char *usage);

/* Load the input table and its study data under the options: measure
 * (given or guessed), preset, explicit overrides.  Fills r (r->data points
 * at d).  On error, e is set and -1 returned. */
int cli_load(cli_opts *o, app_table *t, app_data *d, app_result *r, app_err *e);
/* The model options of o for measure m: the preset, then o's overrides. */
void cli_model_opts(const cli_opts *o, msyn_measure m, msyn_pool_opts *po, msyn_es_opts *eo);
/* cli_load() after the table was read: load t's study data under measure
 * m into d and fill r (r->po, r->eo and r->file set by the caller), with
 * pool's data checks and warnings. */
int cli_load_data(const cli_opts *o, msyn_measure m, app_table *t, app_data *d, app_result *r,
                  app_err *e);
/* The steps of cli_load() and cli_load_data(), for a file read in blocks
 * (pool_stream.c): the measure (given, or guessed from t's header), the
 * model options, r->file; r's settings from o, with r->data = d; pool's
 * checks of t (rows_only: not the rules that compare studies), the
 * warnings appended to warnings; the counts of final and change scores
 * of d (added to *fin, *chg) and the warning when both occur. */
int cli_load_setup(cli_opts *o, const app_table *t, app_result *r, msyn_measure *m, app_err *e);
void cli_result_setup(const cli_opts *o, msyn_measure m, const app_table *t, app_data *d,
                      app_result *r);
int cli_run_checks(const cli_opts *o, const app_table *t, msyn_measure m, int rows_only,
                   app_strlist *warnings, app_err *e);
void cli_score_counts(const app_data *d, size_t *fin, size_t *chg);
void cli_score_warning(size_t fin, size_t chg, msyn_measure m, app_result *r);
/* pool's analysis of loaded data (pool_fit.c): effect sizes and the fit,
 * or r->pooled_k_short with fewer than --min-k studies; warnings added. */
int cli_pool_fit(app_result *r, app_err *e);
/* The parts of cli_pool_fit() that `pool --stream` (pool_stream.c) shares:
 * the method against the data's form (Peto on O - E and V is pooled as
 * the inverse-variance common effect; MH and Peto need 2x2 tables: usage
 * error); the warning for study i of d with effect-size flags f when it
 * was left out (returns 1 if it was); the zero-cell warning; and the
 * fit's status as an error (exit 5, or 6) or, when MSYN_OK, its warnings
 * (r->fitted set). */
int cli_pool_method(app_result *r, app_err *e);
int cli_study_left_out(const app_result *r, const app_data *d, unsigned f, size_t i, app_strlist *out);
/* MH or Peto: study i of d has no 2x2 table (and is not missing): 1, and
 * the warning added to out (NULL: only counted). */
int cli_study_no_table(const app_result *r, const app_data *d, unsigned f, size_t i, app_strlist *out);
void cli_zero_cells_warning(app_result *r, size_t added);
int cli_pool_fit_status(app_result *r, msyn_status rc, app_err *e);

/* Shared by every subcommand's option parsing.  Usage errors print
 * "metasyn CMD: ..." and "Try 'metasyn CMD --help'." to stderr. */
struct option;
/* "OPT VAL: expected EXPECT"; returns -1. */
int cli_bad(const char *cmd, const char *opt, const char *val, const char *expect);
/* A usage error in a sentence; returns -1. */
int cli_usage_error(const char *cmd, const char *msg);
/* Run getopt_long over argv, calling set(ctx, c, optarg) for each option;
 * --help prints usage to stdout.  Returns 0 with *rest = the index of the
 * first operand, 1 when help was printed, -1 on a usage error (printed). */
int cli_getopt(int argc, char **argv, const char *cmd, const char *shortopts,
               const struct option *lo, const char *usage,
               int (*set)(void *ctx, int c, const char *arg), void *ctx, int *rest);
/* "--shard I/N" (batch, simulate): 1 <= I <= N <= 1000000; 0, or -1. */
int cli_parse_shard(const char *s, unsigned long *i, unsigned long *n);
/* A finite number, the whole string. */
int cli_parse_number(const char *s, double *x);

/* Effect sizes of r's studies into r->yi, r->vi, r->esflags (with r->eo). */
int cli_effect_sizes(app_result *r, app_err *e);

/* Free what a run put in r (not r->data: the caller's app_data). */
void cli_result_free(app_result *r);

/* Map a libmetasyn status from a computation to an app error. */
void cli_status_error(msyn_status rc, const char *what, app_err *e);

int cmd_pool(int argc, char **argv);
int cmd_es(int argc, char **argv);
int cmd_check(int argc, char **argv);      /* cmd_check.c      */
int cmd_verify(int argc, char **argv);     /* cmd_verify.c     */
int cmd_import_rm5(int argc, char **argv); /* cmd_import_rm5.c */
int cmd_reg(int argc, char **argv);        /* cmd_reg.c        */
int cmd_bias(int argc, char **argv);       /* cmd_bias.c       */
int cmd_batch(int argc, char **argv);      /* cmd_batch.c      */
int cmd_simulate(int argc, char **argv);   /* cmd_simulate.c   */
int cmd_review(int argc, char **argv);     /* cmd_review.c     */
int cmd_rob(int argc, char **argv);        /* cmd_rob.c        */
int cmd_sof(int argc, char **argv);        /* cmd_sof.c        */
int cmd_harms(int argc, char **argv);      /* cmd_harms.c      */
int cmd_cost(int argc, char **argv);       /* cmd_cost.c       */
int cmd_instruments(int argc, char **argv); /* cmd_instruments.c */

#endif /* MSYN_CLI_H */
