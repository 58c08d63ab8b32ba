/*
 * cmd_batch.c - `metasyn batch`: many meta-analyses in one long file, the
 * rows of each analysis together under one value of an id column, one
 * output row per analysis (CSV or JSON lines).  docs/cli/batch.md.
 *
 * The file is streamed (app/csv_stream.c): the rows of one analysis are
 * collected, handed to the worker threads (batch_run.c) and freed once
 * analysed, so memory is bounded by a few analyses per thread, not by the
 * file.  To catch an id whose rows are not together, 32 bytes per analysis
 * are kept (two 64-bit hashes of the id and its lines).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "csv_stream.h"

static const char usage[] =
    "Usage: metasyn batch --id COLUMN [OPTIONS] FILE.csv   (FILE - reads standard input)\n"
    "\n"
    "Run one meta-analysis per value of COLUMN: the rows of each analysis are\n"
    "together in FILE (a value seen again after other values is an error).  Each\n"
    "analysis is what 'metasyn pool' does with a file of its rows; the output has\n"
    "one row per analysis, in file order: id, then the keys of pool's JSON\n"
    "\"model\" (k estimate se stat pval ci_lb ci_ub df tau2 tau2_se tau2_ci_lb\n"
    "tau2_ci_ub tau tau_ci_lb tau_ci_ub I2 I2_ci_lb I2_ci_ub H2 H2_ci_lb H2_ci_ub\n"
    "Q Q_df Q_pval pi_lb pi_ub pi_df s2w method test converged iterations),\n"
    "warnings and error.  An analysis that fails has its message in error; the\n"
    "run goes on.  The file is streamed: memory is bounded by the largest\n"
    "analysis, not by the file.\n"
    "\n"
    "Batch:\n"
    "      --id COL          column identifying the analysis of each row (required)\n"
    "      --threads N       worker threads (default: all cores); the output is the\n"
    "                        same, byte for byte, for any N\n"
    "      --shard I/N       only the analyses whose ordinal (0-based, file order)\n"
    "                        modulo N is I-1, for N machines (docs/scaling.md)\n"
    "  -f, --format F        csv (default) or jsonl (one JSON object per line)\n"
    "      --no-header       CSV without the header line (always without it for\n"
    "                        --shard I/N with I > 1)\n"
    "  -o, --output FILE     write to FILE, renamed into place when the run is\n"
    "                        complete (no partial file on failure)\n"
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
    "      --delimiter D, --decimal M   force the CSV format, as metasyn pool\n"
    "      --where COL=V     only rows with COL equal to V (or COL!=V); repeatable\n"
    "Model:\n"
    "      --preset P        cochrane2025 (default), metafor, revman5\n"
    "      --method M        EE (FE), DL, HE, HS, SJ, ML, REML, EB, PM, MH, PETO\n"
    "      --test T          z, t, knha (hksj), adhoc\n"
    "      --level L         confidence level, 95 or 0.95 (default 95)\n"
    "      --pi-df D         prediction interval: default, k-1, k-2, none\n"
    "      --i2 D            tau2 (I2 from tau2) or q ((Q - df)/Q)\n"
    "      --no-tau2-ci      skip the Q-profile CI for tau2\n"
    "      --tau2 X          fix tau2 at X instead of estimating it\n"
    "      --min-k N         pool only analyses with >= N studies (default 2)\n"
    "      --mh-add X        increment inside Mantel-Haenszel for zero cells\n"
    "      --rd-variance V   sato or gr (Mantel-Haenszel risk difference)\n"
    "      --tau2-from mh|iv 2x2 tables, DL: Q about the MH (revman5) or IV estimate\n"
    "      --max-iter N      iteration limit for ML/REML (default 1000)\n"
    "      --no-fallback     fail instead of falling back to PM, then DL\n"
    "  -h, --help            show this help\n"
    "\n"
    "A progress line (rate, ETA) goes to standard error when it is a terminal.\n"
    "\n"
    "Rows are written whole.  SIGINT, SIGTERM, SIGHUP: the analyses read are\n"
    "written, to FILE.partial with -o (FILE unchanged).\n"
    "\n"
    "Exit codes: 0 every analysis ran, 1 some analyses failed (their rows say\n"
    "why), 2 usage, 3 invalid file (malformed CSV, an id's rows not together),\n"
    "4 input/output, 6 out of memory, 128+N stopped by signal N.\n";

/* ---- options ------------------------------------------------------------------ */

typedef struct batch_args {
    const char *id;
    int threads;
    unsigned long shard_i, shard_n;
    int format;
    int no_header;
} batch_args;

/* "--name VALUE" or "--name=VALUE" at argv[*i]; 1 if matched. */
static int value_opt(int argc, char **argv, int *i, const char *name, const char **val, int *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        *missing = 1;
        return 1;
    }
    *val = argv[++*i];
    return 1;
}

static int parse_threads(const char *s, int *n)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < 1 || v > 1024)
        return -1;
    *n = (int)v;
    return 0;
}


/* Options of pool that have no place in one row per analysis. */
static const char *const not_here[] = {"--by", "--digits", "--reexpress-sd", "--scale-name", "--mcid", NULL};

/* Take batch's own options out of argv (into a), leave pool's in rest. */
static int split_args(int argc, char **argv, batch_args *a, char **rest, int *nrest)
{
    int n = 0;
    rest[n++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *v = NULL, *s = argv[i];
        int missing = 0;
        if (strcmp(s, "--") == 0) {
            while (i < argc)
                rest[n++] = argv[i++];
            break;
        }
        for (const char *const *p = not_here; *p; p++) {
            size_t l = strlen(*p);
            if (strncmp(s, *p, l) == 0 && (s[l] == '\0' || s[l] == '=')) {
                char msg[200];
                snprintf(msg, sizeof msg, "%s belongs to metasyn pool: batch writes the model's results, one row per analysis", *p);
                return cli_usage_error("batch", msg);
            }
        }
        if (value_opt(argc, argv, &i, "--id", &v, &missing)) {
            if (missing || !*v)
                return cli_usage_error("batch", "--id needs the name of the column that identifies each analysis");
            a->id = v;
        } else if (value_opt(argc, argv, &i, "--threads", &v, &missing)) {
            if (missing || parse_threads(v, &a->threads) != 0)
                return cli_bad("batch", "--threads", missing ? "" : v, "a number of threads from 1 to 1024");
        } else if (value_opt(argc, argv, &i, "--shard", &v, &missing)) {
            if (missing || cli_parse_shard(v, &a->shard_i, &a->shard_n) != 0)
                return cli_bad("batch", "--shard", missing ? "" : v, "I/N with 1 <= I <= N, such as 1/4");
        } else if (value_opt(argc, argv, &i, "--format", &v, &missing) ||
                   value_opt(argc, argv, &i, "-f", &v, &missing) ||
                   (strncmp(s, "-f", 2) == 0 && s[2] && (v = s + 2))) {
            if (missing || (strcasecmp(v, "csv") != 0 && strcasecmp(v, "jsonl") != 0))
                return cli_bad("batch", "--format", missing ? "" : v, "csv or jsonl");
            a->format = strcasecmp(v, "jsonl") == 0 ? BATCH_JSONL : BATCH_CSV;
        } else if (strcmp(s, "--no-header") == 0) {
            a->no_header = 1;
        } else {
            rest[n++] = argv[i];
        }
    }
    *nrest = n;
    rest[n] = NULL;
    return 0;
}

/* ---- the run's settings (cli_load()'s, from the header) ----------------------- */

/* Explicit options win over the preset (common.c overrides()). */
/* Everything that depends only on the header and the options: checked once,
 * before any output. */
static int setup(batch_ctx *c, const batch_args *a, app_err *e)
{
    const app_table *h = c->hdr;
    cli_opts *o = &c->o;
    app_table probe;
    app_data d;
    char expect[1200];
    int col = app_table_col(h, a->id), rc;
    if (col == -2) {
        app_err_set(e, APP_EXIT_DATA, "%s:1: column '%s' appears more than once in the header; keep one", h->file, a->id);
        return -1;
    }
    if (col == -1 && (col = app_table_col_nocase(h, a->id)) < 0) {
        app_err_set(e, APP_EXIT_USAGE, "%s: --id %s: no such column", h->file, a->id);
        return -1;
    }
    c->id_col = col;
    c->format = a->format;
    if (o->tau2_common) {
        app_err_set(e, APP_EXIT_USAGE, "--tau2 common applies to subgroups (pool --by); batch has none");
        return -1;
    }
    /* --where on the header alone: a bad condition or column is a usage
     * error; "no row left" is expected */
    memset(&probe, 0, sizeof probe);
    probe = *h;
    for (int w = 0; w < o->nwhere; w++) {
        app_err we = {0, ""};
        probe.nrow = 0;
        if (app_table_where(&probe, o->where[w], &we) != 0 && we.code != APP_EXIT_DATA) {
            *e = we;
            return -1;
        }
    }
    if (o->measure_set)
        c->measure = o->measure;
    else if (app_data_guess_measure(h, &c->measure, e) != 0)
        return -1;
    if (o->natural && !msyn_measure_is_ratio(c->measure)) {
        app_err_set(e, APP_EXIT_USAGE, "--scale natural applies to ratio measures (OR, RR, HR, IRR, ROM, PETO), not %s",
                    msyn_measure_name(c->measure));
        return -1;
    }
    if (!isnan(o->ri) && c->measure != MSYN_MEASURE_SMCC && c->measure != MSYN_MEASURE_SMCR) {
        app_err_set(e, APP_EXIT_USAGE, "--ri gives the correlation of the two time points of SMCC or SMCR; %s does not use it",
                    msyn_measure_name(c->measure));
        return -1;
    }
    cli_model_opts(o, c->measure, &c->po, &c->eo);
    /* the columns the measure needs, --study: the loader's checks on the
     * header alone, which then has no rows */
    rc = app_data_load_ex(h, c->measure, o->study, &c->eo, &o->conv, &d, e);
    app_data_free(&d);
    snprintf(expect, sizeof expect, "%s: the file has a header but no study rows", h->file);
    if (rc == 0 || strcmp(e->msg, expect) != 0)
        return rc == 0 ? 0 : -1;
    return 0;
}

/* ---- grouping the rows --------------------------------------------------------- */

/* Ids of the analyses already passed (to catch one seen again). */
typedef struct seen_id {
    uint64_t h1, h2;
    long first, last;
} seen_id;

typedef struct id_set {
    seen_id *v;
    size_t n, cap;            /* cap: a power of two                     */
} id_set;

static uint64_t hash(const char *s, uint64_t seed)
{
    uint64_t h = seed ^ 0x9E3779B97F4A7C15ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001B3ull;
        h ^= h >> 29;
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

/* The slot of the id with hashes h1, h2 (an empty one if absent). */
static seen_id *id_slot(id_set *s, uint64_t h1, uint64_t h2)
{
    size_t m = s->cap - 1, i = (size_t)h1 & m;
    while (s->v[i].first && !(s->v[i].h1 == h1 && s->v[i].h2 == h2))
        i = (i + 1) & m;
    return &s->v[i];
}

static int id_add(id_set *s, uint64_t h1, uint64_t h2, long first, long last)
{
    seen_id *p;
    if (2 * (s->n + 1) > s->cap) {
        id_set g = {NULL, 0, s->cap ? 2 * s->cap : 1024};
        if (!(g.v = app_calloc(g.cap, sizeof *g.v)))
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i].first)
                *id_slot(&g, s->v[i].h1, s->v[i].h2) = s->v[i];
        g.n = s->n;
        app_free(s->v);
        *s = g;
    }
    p = id_slot(s, h1, h2);
    p->h1 = h1, p->h2 = h2, p->first = first, p->last = last;
    s->n++;
    return 0;
}

/* The analysis being collected. */
typedef struct group {
    batch_job *j;             /* NULL when this shard skips it            */
    char *id;
    int blank;                /* rows without an id                       */
    long first, last;
    size_t nrow, cap;
} group;

typedef struct reader {
    batch_ctx *c;
    const batch_args *a;
    app_csv_stream *s;
    batch_runner *run;
    id_set seen;
    group g;
    int have;                 /* g holds an analysis                      */
    size_t ordinal;           /* analyses so far                          */
    batch_job *head, *tail;   /* the chunk being filled                   */
    size_t chunk_rows, chunk_jobs;
} reader;

/* A chunk goes to the workers when it has this many rows or analyses: one
 * hand-over per chunk instead of per analysis keeps threads busy on small
 * analyses. */
enum { CHUNK_ROWS = 256, CHUNK_JOBS = 64 };

static int flush_chunk(reader *r, app_err *e)
{
    batch_job *j = r->head;
    r->head = r->tail = NULL;
    r->chunk_rows = r->chunk_jobs = 0;
    return j ? batch_runner_submit(r->run, j, e) : 0;
}

static int add_to_chunk(reader *r, batch_job *j, app_err *e)
{
    if (r->tail)
        r->tail->next = j;
    else
        r->head = j;
    r->tail = j;
    r->chunk_rows += j->t.nrow;
    r->chunk_jobs++;
    if (r->chunk_rows >= CHUNK_ROWS || r->chunk_jobs >= CHUNK_JOBS)
        return flush_chunk(r, e);
    return 0;
}

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

/* A job with an empty table shaped like the header. */
static batch_job *new_job(const app_table *h, app_err *e)
{
    batch_job *j = app_calloc(1, sizeof *j);
    if (!j) {
        oom(e);
        return NULL;
    }
    sb_init(&j->out);
    j->t.ncol = h->ncol;
    j->t.delim = h->delim;
    j->t.decimal_comma = h->decimal_comma;
    if (!(j->t.file = app_strdup(h->file)) || !(j->t.header = app_calloc(h->ncol, sizeof *j->t.header)))
        goto fail;
    for (size_t c = 0; c < h->ncol; c++)
        if (!(j->t.header[c] = app_strdup(h->header[c])))
            goto fail;
    return j;
fail:
    batch_job_free(j);
    oom(e);
    return NULL;
}

/* Append a row (its cells are moved into the table). */
static int add_row(group *g, char **cells, long line, int recoded, app_err *e)
{
    app_table *t = &g->j->t;
    size_t nc = t->ncol;
    if (g->nrow == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16;
        char **nc2 = app_realloc(t->cell, cap * nc * sizeof *nc2);
        long *nl;
        if (!nc2)
            return oom(e);
        t->cell = nc2;
        if (!(nl = app_realloc(t->line, cap * sizeof *nl)))
            return oom(e);
        t->line = nl;
        g->cap = cap;
    }
    memcpy(t->cell + g->nrow * nc, cells, nc * sizeof *cells);
    app_free(cells);
    t->line[g->nrow] = line;
    t->recoded |= recoded;
    t->nrow = ++g->nrow;
    return 0;
}

/* The analysis in r->g is complete: remember its id, hand it over. */
static int finish_group(reader *r, app_err *e)
{
    group *g = &r->g;
    batch_job *j = g->j;
    char *id = g->id;
    int blank = g->blank;
    if (!r->have)
        return 0;
    r->have = 0;
    g->j = NULL;
    g->id = NULL;
    r->ordinal++;
    if (!blank && id_add(&r->seen, hash(id, 1), hash(id, 2), g->first, g->last) != 0) {
        app_free(id);
        batch_job_free(j);
        return oom(e);
    }
    if (!j) { /* another shard's */
        app_free(id);
        return 0;
    }
    j->id = id;
    j->ordinal = r->ordinal - 1;
    if (blank) {
        char buf[600], lines[64];
        if (g->first == g->last)
            snprintf(lines, sizeof lines, "this row");
        else
            snprintf(lines, sizeof lines, "lines %ld-%ld", g->first, g->last);
        snprintf(buf, sizeof buf, "%s:%ld:%d: the id column '%s' is empty (%s); give every row the id of its analysis",
                 j->t.file, g->first, r->c->id_col + 1, r->c->hdr->header[r->c->id_col], lines);
        if (!(j->pre_error = app_strdup(buf))) {
            batch_job_free(j);
            return oom(e);
        }
    }
    return add_to_chunk(r, j, e);
}

/* A row whose id starts a new analysis. */
static int start_group(reader *r, char *id, long line, app_err *e)
{
    group *g = &r->g;
    const batch_args *a = r->a;
    memset(g, 0, sizeof *g);
    g->id = id;
    g->blank = *id == '\0';
    g->first = g->last = line;
    r->have = 1;
    if (!g->blank && r->seen.n) {
        seen_id *p = id_slot(&r->seen, hash(id, 1), hash(id, 2));
        if (p->first) {
            app_err_set(e, APP_EXIT_DATA,
                        "%s:%ld:%d: id '%s' appears again after other analyses (its rows were line%s %ld%s%.0ld); the rows of each analysis must be together: sort the file by the column %s",
                        r->c->hdr->file, line, r->c->id_col + 1, id, p->first == p->last ? "" : "s",
                        p->first, p->first == p->last ? "" : "-", p->first == p->last ? 0L : p->last,
                        r->c->hdr->header[r->c->id_col]);
            return -1;
        }
    }
    if (a->shard_n && r->ordinal % a->shard_n != a->shard_i - 1)
        return 0;
    if (!(g->j = new_job(r->c->hdr, e)))
        return -1;
    return 0;
}

/* The signal (SIGINT, SIGTERM, SIGHUP) that asked the run to stop, or 0. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

/* Read the whole file, analysis by analysis.  2 when a signal stopped it:
 * the analyses read completely are submitted, the one being read is not. */
static int read_all(reader *r, app_err *e)
{
    size_t nc = r->c->hdr->ncol;
    size_t rows = 0;
    for (;;) {
        char **cells, *id;
        long line;
        int recoded, rc;
        if (stop_signal)
            return flush_chunk(r, e) != 0 ? -1 : 2;
        rc = app_csv_stream_next(r->s, &cells, &line, &recoded, e);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        if (app_csv_cells_blank(cells, nc)) {
            app_csv_cells_free(cells, nc);
            continue;
        }
        rows++;
        if (!(id = app_trimmed(cells[r->c->id_col] ? cells[r->c->id_col] : ""))) {
            app_csv_cells_free(cells, nc);
            return oom(e);
        }
        if (!r->have || strcmp(id, r->g.id) != 0) {
            if (finish_group(r, e) != 0) {
                app_free(id);
                app_csv_cells_free(cells, nc);
                return -1;
            }
            if (start_group(r, id, line, e) != 0) {
                app_csv_cells_free(cells, nc);
                return -1;
            }
        } else {
            app_free(id);
        }
        r->g.last = line;
        if (!r->g.j) {
            app_csv_cells_free(cells, nc);
        } else if (add_row(&r->g, cells, line, recoded, e) != 0) {
            app_csv_cells_free(cells, nc);
            return -1;
        }
    }
    if (rows == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s: the file has a header but no rows; nothing to analyse", r->c->hdr->file);
        return -1;
    }
    if (finish_group(r, e) != 0)
        return -1;
    return flush_chunk(r, e);
}

/* ---- writing ------------------------------------------------------------------ */

typedef struct writer {
    const batch_ctx *c;
    batch_sink sink;
    int header;               /* the CSV header is still to be written   */
    int progress;             /* stderr is a terminal                    */
    struct timespec t0, last;
    unsigned long long size;  /* input size (0: unknown)                 */
    const app_csv_stream *s;
    const batch_runner *run;
    size_t written;           /* analyses written                        */
} writer;

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + 1e-9 * (double)(b->tv_nsec - a->tv_nsec);
}

static void progress(writer *w, int final)
{
    struct timespec now;
    const batch_stats *st = batch_runner_stats(w->run);
    double el;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!final && since(&w->last, &now) < 0.25)
        return;
    w->last = now;
    el = since(&w->t0, &now);
    fprintf(stderr, "\rmetasyn batch: %zu analyses (%zu failed), %.0f/s, %.1f s", st->done, st->failed,
            el > 0 ? (double)st->done / el : 0.0, el);
    if (w->size && !final) {
        double f = (double)app_csv_stream_offset(w->s) / (double)w->size;
        if (f > 0.001)
            fprintf(stderr, ", %.0f%%, ETA %.0f s", 100 * f, el / f - el);
    }
    fputs(final ? "\n" : "\033[K", stderr);
}

static int write_header(writer *w, app_err *e)
{
    sbuf h;
    int rc;
    w->header = 0;
    sb_init(&h);
    batch_header_line(w->c, &h);
    if (h.oom) {
        sb_free(&h);
        return oom(e);
    }
    rc = batch_sink_write(&w->sink, h.p, h.len, e);
    sb_free(&h);
    return rc;
}

/* The signals that stop a run cleanly. */
static const int stop_sigs[] = {SIGINT, SIGTERM, SIGHUP};
enum { NSTOP = sizeof stop_sigs / sizeof stop_sigs[0] };

/* Catch the stop signals in this thread only (the workers, started after,
 * block them); a second signal of the same kind acts as usual (ends the
 * run at once). */
static void catch_stop(struct sigaction *old, sigset_t *oldmask)
{
    struct sigaction sa;
    sigset_t set;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sa.sa_flags = (int)(SA_RESTART | SA_RESETHAND);
    sigemptyset(&sa.sa_mask);
    sigemptyset(&set);
    for (size_t i = 0; i < NSTOP; i++) {
        /* a signal ignored by whoever started us (nohup, a background job
         * of a script) stays ignored, as in any well-behaved program */
        sigaction(stop_sigs[i], NULL, &old[i]);
        if (old[i].sa_handler != SIG_IGN)
            sigaction(stop_sigs[i], &sa, NULL);
        sigaddset(&set, stop_sigs[i]);
    }
    pthread_sigmask(SIG_BLOCK, &set, oldmask);
}

static void release_stop(const struct sigaction *old, const sigset_t *oldmask)
{
    for (size_t i = 0; i < NSTOP; i++)
        sigaction(stop_sigs[i], &old[i], NULL);
    pthread_sigmask(SIG_SETMASK, oldmask, NULL);
}

/* After a signal: keep the rows written, say how many, and where. */
static int interrupted(writer *w, app_err *e)
{
    const char *sig = stop_signal == SIGINT ? "SIGINT" : stop_signal == SIGTERM ? "SIGTERM" : "SIGHUP";
    size_t n = w->written;
    if (w->header && write_header(w, e) != 0)
        return -1;
    if (batch_sink_keep_partial(&w->sink, e) != 0)
        return -1;
    if (w->sink.partial)
        app_err_set(e, 128 + stop_signal,
                    "metasyn batch: stopped by %s after %zu analyses: their rows, all complete, are in %s; %s is unchanged",
                    sig, n, w->sink.partial, w->sink.path);
    else
        app_err_set(e, 128 + stop_signal,
                    "metasyn batch: stopped by %s after %zu analyses: their rows, all complete, were written", sig, n);
    return -1;
}

static int write_job(void *ud, batch_job *j, app_err *e)
{
    writer *w = ud;
    if (w->header && write_header(w, e) != 0)
        return -1;
    if (batch_sink_write(&w->sink, j->out.p, j->out.len, e) != 0)
        return -1;
    w->written++;
    if (w->progress)
        progress(w, 0);
    return 0;
}

static int run(batch_ctx *c, const batch_args *a, app_csv_stream *s, app_err *e)
{
    reader r;
    writer w;
    int rc, threads = a->threads;
    struct stat st;
    struct sigaction old[NSTOP];
    sigset_t oldmask;
    memset(&r, 0, sizeof r);
    memset(&w, 0, sizeof w);
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
    }
    w.c = c;
    w.s = s;
    w.header = c->format == BATCH_CSV && !a->no_header && (!a->shard_n || a->shard_i == 1);
    w.progress = isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &w.t0);
    w.last = w.t0;
    if (strcmp(c->o.input, "-") != 0 && stat(c->o.input, &st) == 0 && S_ISREG(st.st_mode))
        w.size = (unsigned long long)st.st_size;
    stop_signal = 0;
    catch_stop(old, &oldmask);
    if (batch_sink_open(&w.sink, c->o.output, e) != 0) {
        release_stop(old, &oldmask);
        return -1;
    }
    r.c = c;
    r.a = a;
    r.s = s;
    /* the workers start with the stop signals blocked: this thread gets them */
    r.run = batch_runner_new(c, threads, write_job, &w, e);
    pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
    if (!r.run) {
        batch_sink_abort(&w.sink);
        release_stop(old, &oldmask);
        return -1;
    }
    w.run = r.run;
    rc = read_all(&r, e);
    if (rc == 2) /* stopped by a signal: write what was read completely */
        rc = batch_runner_finish(r.run, e) != 0 ? -1 : interrupted(&w, e);
    else if (rc == 0)
        rc = batch_runner_finish(r.run, e);
    if (rc == 0 && w.header)
        rc = write_header(&w, e);
    if (rc == 0)
        rc = batch_sink_commit(&w.sink, e);
    else
        batch_sink_abort(&w.sink);
    release_stop(old, &oldmask);
    if (w.progress && rc == 0)
        progress(&w, 1);
    if (rc == 0 && batch_runner_stats(r.run)->failed)
        rc = 1;
    batch_runner_free(r.run);
    app_free(r.g.id);
    batch_job_free(r.g.j);
    while (r.head) {
        batch_job *next = r.head->next;
        batch_job_free(r.head);
        r.head = next;
    }
    app_free(r.seen.v);
    return rc;
}

int cmd_batch(int argc, char **argv)
{
    batch_args a;
    batch_ctx c;
    char **rest;
    int nrest = 0, rc;
    app_err e = {0, ""};
    app_csv_stream *s;
    memset(&a, 0, sizeof a);
    memset(&c, 0, sizeof c);
    if (!(rest = app_calloc((size_t)argc + 1, sizeof *rest))) {
        fputs("out of memory\n", stderr);
        return APP_EXIT_INTERNAL;
    }
    c.o.cmd = "batch";
    rc = split_args(argc, argv, &a, rest, &nrest);
    if (rc == 0)
        rc = cli_parse(nrest, rest, &c.o, usage);
    app_free(rest);
    if (rc != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    if (!a.id) {
        cli_usage_error("batch", "--id COLUMN is required: the column that identifies the analysis of each row");
        return APP_EXIT_USAGE;
    }
    if (!(s = app_csv_stream_open_fmt(c.o.input, &c.o.csv, &e))) {
        fprintf(stderr, "%s\n", e.msg);
        return e.code;
    }
    c.hdr = app_csv_stream_header(s);
    rc = setup(&c, &a, &e);
    if (rc == 0)
        rc = run(&c, &a, s, &e);
    app_csv_stream_close(s);
    if (rc == 0)
        return APP_EXIT_OK;
    if (rc == 1)
        return APP_EXIT_FINDINGS;
    fprintf(stderr, "%s\n", e.msg);
    return e.code ? e.code : APP_EXIT_INTERNAL;
}
