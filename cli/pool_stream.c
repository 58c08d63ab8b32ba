/*
 * pool_stream.c - `metasyn pool` on a file too large to hold in memory:
 * one analysis of millions of studies (--stream, or a file of 256 MB or
 * more; docs/cli/pool.md "Large files").
 *
 * The file is read with batch's reader (csv_stream.c), BLOCK_ROWS rows at
 * a time.  Each block is a small table that goes through exactly what a
 * whole file goes through: --where, app_data_load_ex() (columns, numbers,
 * conversions), pool's checks of each row (cli_run_checks), and msyn_es().
 * The rules of check that compare studies with each other (check_between.c:
 * duplicates, scales, an SD that is an SE) are not run, and a warning says
 * so.  Of each row only yi and vi are kept (16 bytes; 48 when the fit pools
 * 2x2 tables, which needs the four cells); labels, lines and conversions
 * are dropped with the block, so the report gives the pooled result and
 * counts, not a row per study, and options that need every study's row
 * (subgroups, sensitivity analyses, figures) are refused.  Warnings about
 * single studies are listed up to LISTED_MAX, then counted.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "csv_stream.h"

enum { BLOCK_ROWS_DEFAULT = 32768, LISTED_MAX = 100 };

/* Rows in a block: METASYN_STREAM_BLOCK overrides it for tests (blocks of
 * one or two rows put every boundary case of a small file at a block
 * boundary). */
static size_t BLOCK_ROWS = BLOCK_ROWS_DEFAULT;

static void block_rows_init(void)
{
    const char *s = getenv("METASYN_STREAM_BLOCK");
    char *end;
    unsigned long n;
    if (!s || !*s)
        return;
    n = strtoul(s, &end, 10);
    if (*end == '\0' && n >= 1 && n <= 1000000)
        BLOCK_ROWS = n;
}

/* Files of this size or more are read as a stream (METASYN_STREAM_AT,
 * bytes, overrides it for tests). */
#define STREAM_AT_DEFAULT (256ull << 20)

static const char *const fig_opt[APP_FIG_COUNT] = {
    "--forest", "--funnel", "--baujat", "--labbe", "--radial", "--bubble",
    "--leave1out-plot", "--cumulative-plot", "--gosh-plot"};

/* The first option that needs every study's row, or NULL. */
static const char *needs_rows(const cli_opts *o)
{
    if (o->by)
        return "--by";
    if (o->leave1out)
        return "--leave1out";
    if (o->influence)
        return "--influence";
    if (o->cumulative)
        return "--cumulative";
    if (o->gosh)
        return "--gosh";
    if (o->exclude_rob)
        return "--exclude-rob";
    for (int f = 0; f < APP_FIG_COUNT; f++)
        if (o->fig.path[f])
            return fig_opt[f];
    if (o->fig.report)
        return "--report";
    return NULL;
}

static unsigned long long stream_at(void)
{
    const char *s = getenv("METASYN_STREAM_AT");
    char *end;
    unsigned long long n;
    if (!s || !*s)
        return STREAM_AT_DEFAULT;
    n = strtoull(s, &end, 10);
    return *end == '\0' ? n : STREAM_AT_DEFAULT;
}

int cli_stream_wanted(const cli_opts *o, app_err *e)
{
    const char *opt = needs_rows(o);
    struct stat st;
    if (o->stream < 0)
        return 0;
    if (o->stream > 0) {
        if (opt) {
            app_err_set(e, APP_EXIT_USAGE,
                        "metasyn pool: --stream keeps only each study's effect size, and %s needs every study's row: leave out one of them",
                        opt);
            return -1;
        }
        return 1;
    }
    /* by size: a regular file this large would not fit in memory whole
     * (about 380 bytes a study); with an option that needs every row it
     * is read whole all the same */
    if (opt || strcmp(o->input, "-") == 0 || stat(o->input, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    return (unsigned long long)st.st_size >= stream_at();
}

/* ---- what is kept of every row -------------------------------------------- */

typedef struct keep {
    double *y, *v;            /* yi, vi of every row                      */
    double *t[4];             /* ai, bi, ci, di (tables only)             */
    int tables;
    size_t k, cap;
    size_t listed;            /* warnings on single studies listed        */
    size_t fin, chg;          /* final and change scores                  */
    double inv_ni;            /* sum of 1/ni over ni > 0, and their count */
    size_t n_ni;
    int decided;              /* the data's form is known (a block had rows) */
    /* warnings on single studies, in the order a whole file gives them:
     * loading and conversions, checks, left out by the fit */
    app_strlist w_data, w_check, w_left;
    size_t conv[APP_CONV_KINDS]; /* conversions, summed over the blocks  */
    char where_msg[sizeof ((app_err *)0)->msg]; /* --where matched no row of a block */
} keep;

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

static int grow(keep *kp, size_t n, app_err *e)
{
    size_t cap = kp->cap ? kp->cap : (BLOCK_ROWS < 4 ? 4 : BLOCK_ROWS);
    double **arr[6] = {&kp->y, &kp->v, &kp->t[0], &kp->t[1], &kp->t[2], &kp->t[3]};
    int narr = kp->tables ? 6 : 2;
    if (kp->k + n <= kp->cap)
        return 0;
    while (cap < kp->k + n)
        cap = cap / 2 * 3; /* 1.5 times: large blocks realloc in place (mremap) */
    for (int a = 0; a < narr; a++) {
        double *p = app_realloc(*arr[a], cap * sizeof *p);
        if (!p)
            return oom(e);
        *arr[a] = p;
    }
    kp->cap = cap;
    return 0;
}

static void keep_free(keep *kp)
{
    app_free(kp->y);
    app_free(kp->v);
    for (int a = 0; a < 4; a++)
        app_free(kp->t[a]);
    app_strlist_free(&kp->w_data);
    app_strlist_free(&kp->w_check);
    app_strlist_free(&kp->w_left);
}

/* A warning about one study, into to: listed while fewer than LISTED_MAX
 * were, then counted. */
static void note(keep *kp, app_result *r, app_strlist *to, const char *s)
{
    if (kp->listed < LISTED_MAX) {
        kp->listed++;
        app_strlist_addf(to, "%s", s);
    } else {
        r->unlisted++;
    }
}

static void notes(keep *kp, app_result *r, app_strlist *to, const app_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        note(kp, r, to, l->s[i]);
    if (l->oom)
        to->oom = 1;
}

static void append(app_strlist *to, const app_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        app_strlist_addf(to, "%s", l->s[i]);
    if (l->oom)
        to->oom = 1;
}

/* ---- one block -------------------------------------------------------------- */

static void block_clear(app_table *b)
{
    for (size_t i = 0; i < b->nrow * b->ncol; i++)
        app_free(b->cell[i]);
    b->nrow = 0;
    b->recoded = 0;
}

/* The table of one block: the header's columns, room for BLOCK_ROWS. */
static int block_init(app_table *b, const app_table *h, app_err *e)
{
    memset(b, 0, sizeof *b);
    b->ncol = h->ncol;
    b->delim = h->delim;
    b->decimal_comma = h->decimal_comma;
    if (!(b->file = app_strdup(h->file)) || !(b->header = app_calloc(h->ncol, sizeof *b->header)) ||
        !(b->cell = app_calloc(BLOCK_ROWS * h->ncol, sizeof *b->cell)) ||
        !(b->line = app_calloc(BLOCK_ROWS, sizeof *b->line)))
        return oom(e);
    for (size_t c = 0; c < h->ncol; c++)
        if (!(b->header[c] = app_strdup(h->header[c])))
            return oom(e);
    return 0;
}

/* Read up to BLOCK_ROWS rows that are not blank; 0 at the end of the file. */
static int block_read(app_csv_stream *s, app_table *b, app_err *e)
{
    while (b->nrow < BLOCK_ROWS) {
        char **cells;
        long line;
        int recoded, rc = app_csv_stream_next(s, &cells, &line, &recoded, e);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        if (app_csv_cells_blank(cells, b->ncol)) {
            app_csv_cells_free(cells, b->ncol);
            continue;
        }
        memcpy(b->cell + b->nrow * b->ncol, cells, b->ncol * sizeof *cells);
        app_free(cells);
        b->line[b->nrow++] = line;
        b->recoded |= recoded;
    }
    return 0;
}

/* Load, check and convert block b; append its effect sizes to kp. */
static int block_fit(cli_opts *o, msyn_measure m, app_table *b, app_data *d, app_result *r, keep *kp,
                     app_err *e)
{
    app_data bd;
    app_conv_opts co;
    app_strlist w;
    unsigned *flags = NULL;
    msyn_status st;
    int rc = -1;
    memset(&bd, 0, sizeof bd);
    memset(&w, 0, sizeof w);
    for (int i = 0; i < o->nwhere; i++)
        if (app_table_where(b, o->where[i], e) != 0) {
            if (e->code != APP_EXIT_DATA || b->nrow != 0)
                return -1;
            snprintf(kp->where_msg, sizeof kp->where_msg, "%s", e->msg); /* none in this block */
            return 0;
        }
    co = o->conv;
    co.counts_only = 1; /* summed over the blocks */
    if (app_data_load_ex(b, m, o->study, &r->eo, &co, &bd, e) != 0)
        goto done; /* bd may be half made: freed below */
    if (!kp->decided) {
        /* the form of the data is the same in every block (its columns) */
        kp->decided = 1;
        d->input = bd.input;
        memcpy(d->colidx, bd.colidx, sizeof d->colidx);
        r->data = &bd;
        if (cli_pool_method(r, e) != 0) {
            r->data = d;
            goto done;
        }
        r->data = d;
        kp->tables = app_pool_on_tables(r);
    }
    if (cli_run_checks(o, b, m, 1, &w, e) != 0)
        goto done;
    notes(kp, r, &kp->w_data, &bd.warnings);
    notes(kp, r, &kp->w_check, &w);
    app_conv_count(&bd, kp->conv);
    cli_score_counts(&bd, &kp->fin, &kp->chg);
    if (bd.es.ni)
        for (size_t i = 0; i < bd.k; i++)
            if (bd.es.ni[i] > 0) {
                kp->inv_ni += 1.0 / bd.es.ni[i];
                kp->n_ni++;
            }
    d->recoded |= bd.recoded;
    if (grow(kp, bd.k, e) != 0 || !(flags = app_alloc((bd.k + 1) * sizeof *flags))) {
        oom(e);
        goto done;
    }
    st = msyn_es(r->po.method == MSYN_METHOD_PETO ? MSYN_MEASURE_PETO : m, &bd.es, bd.k, &r->eo,
                 kp->y + kp->k, kp->v + kp->k, flags);
    if (st != MSYN_OK) {
        cli_status_error(st, r->file, e);
        goto done;
    }
    for (size_t i = 0; i < bd.k; i++) {
        r->zero_added += (flags[i] & MSYN_ES_ADDED) != 0;
        r->zero_dropped += (flags[i] & MSYN_ES_DROPPED00) != 0;
        if (kp->listed < LISTED_MAX) {
            /* its warnings (note() counts those past the cap) */
            app_strlist one;
            memset(&one, 0, sizeof one);
            cli_study_left_out(r, &bd, flags[i], i, &one);
            cli_study_no_table(r, &bd, flags[i], i, &one);
            notes(kp, r, &kp->w_left, &one);
            app_strlist_free(&one);
        } else {
            r->unlisted += (flags[i] & (MSYN_ES_DROPPED00 | MSYN_ES_NA)) != 0;
            r->unlisted += (size_t)cli_study_no_table(r, &bd, flags[i], i, NULL);
        }
        if (kp->tables)
            app_table_cells(&bd.es, i, &kp->t[0][kp->k + i], &kp->t[1][kp->k + i], &kp->t[2][kp->k + i],
                            &kp->t[3][kp->k + i]);
    }
    kp->k += bd.k;
    rc = 0;
done:
    app_free(flags);
    app_strlist_free(&w);
    app_data_free(&bd);
    return rc;
}

/* ---- the analysis ------------------------------------------------------------ */

static int fit(app_result *r, keep *kp, app_err *e)
{
    size_t kest = 0;
    msyn_status st;
    for (size_t i = 0; i < kp->k; i++)
        kest += !isnan(kp->y[i]) && !isnan(kp->v[i]);
    if (kest > 0 && (int)kest < r->min_k) {
        /* reported, not pooled, as cli_pool_fit() does */
        r->pooled_k_short = 1;
        app_strlist_addf(&r->warnings, "not pooled: %zu %s an effect size, fewer than --min-k %d",
                         kest, kest == 1 ? "study has" : "studies have", r->min_k);
        return 0;
    }
    if (kp->tables)
        st = msyn_pool_tables(r->measure, kp->t[0], kp->t[1], kp->t[2], kp->t[3], kp->k, &r->eo, &r->po,
                              &r->fit, NULL, NULL, NULL);
    else
        st = msyn_pool(kp->y, kp->v, kp->k, &r->po, &r->fit);
    return cli_pool_fit_status(r, st, e);
}

/* Why the file was streamed, for the warning. */
static const char *why(const cli_opts *o, char *buf, size_t n)
{
    struct stat st;
    unsigned long long at = stream_at();
    if (o->stream > 0 || stat(o->input, &st) != 0)
        return "--stream";
    if (at >= (1ull << 20))
        snprintf(buf, n, "it has %llu MB, and files of %llu MB or more are; --no-stream reads it whole",
                 (unsigned long long)st.st_size >> 20, at >> 20);
    else
        snprintf(buf, n, "it has %llu bytes, and files of %llu bytes or more are; --no-stream reads it whole",
                 (unsigned long long)st.st_size, at);
    return buf;
}

int cli_pool_stream(cli_opts *o, app_data *d, app_result *r, app_err *e)
{
    char whybuf[160];
    app_csv_stream *s;
    app_table b;
    keep kp;
    msyn_measure m;
    int rc = -1;
    memset(&kp, 0, sizeof kp);
    memset(&b, 0, sizeof b);
    memset(d, 0, sizeof *d);
    block_rows_init();
    if (!(s = app_csv_stream_open_fmt(o->input, &o->csv, e)))
        return -1;
    if (cli_load_setup(o, app_csv_stream_header(s), r, &m, e) != 0 ||
        block_init(&b, app_csv_stream_header(s), e) != 0)
        goto done;
    cli_result_setup(o, m, &b, d, r);
    r->table = NULL; /* the rows are gone once read */
    r->streamed = 1;
    for (;;) {
        block_clear(&b);
        if (block_read(s, &b, e) != 0)
            goto done;
        if (b.nrow == 0)
            break;
        if (block_fit(o, m, &b, d, r, &kp, e) != 0)
            goto done;
    }
    if (kp.k == 0) {
        if (kp.where_msg[0])
            app_err_set(e, APP_EXIT_DATA, "%s", kp.where_msg);
        else
            app_err_set(e, APP_EXIT_DATA, "%s: the file has a header but no study rows", r->file);
        goto done;
    }
    d->k = kp.k;
    r->n_hm = kp.n_ni ? (double)kp.n_ni / kp.inv_ni : nan("");
    {
        /* the warnings in the order of a whole file (cli_load_data, then
         * cli_pool_fit); r->warnings has the method's note so far */
        app_strlist early = r->warnings;
        memset(&r->warnings, 0, sizeof r->warnings);
        append(&r->warnings, &kp.w_data);
        app_conv_summary(kp.conv, &o->conv, &r->warnings);
        append(&r->warnings, &kp.w_check);
        cli_score_warning(kp.fin, kp.chg, m, r);
        if (d->recoded)
            app_strlist_addf(&r->warnings, "%s is not valid UTF-8; it was read as Windows-1252", r->file);
        append(&r->warnings, &early);
        app_strlist_free(&early);
        append(&r->warnings, &kp.w_left);
        cli_zero_cells_warning(r, r->zero_added);
    }
    rc = fit(r, &kp, e);
    r->yi = kp.y; /* kept for the report's counts */
    r->vi = kp.v;
    kp.y = kp.v = NULL;
    if (r->unlisted)
        app_strlist_addf(&r->warnings, "%zu more %s about single studies %s not listed (the file was read as a stream)",
                         r->unlisted, r->unlisted == 1 ? "warning" : "warnings", r->unlisted == 1 ? "is" : "are");
    app_strlist_addf(&r->warnings, "the file was read as a stream (%s): each row was checked on its own, but the checks that compare studies (duplicated rows, a shared control group, another scale, an SD that is an SE, unusually large SMDs) were not run; studies are not listed one by one",
                     why(o, whybuf, sizeof whybuf));
done:
    keep_free(&kp);
    app_table_free(&b);
    app_csv_stream_close(s);
    return rc;
}
