/*
 * batch.h - the parts of `metasyn batch` (cmd_batch.c: options, reading
 * and grouping; batch_fit.c: one analysis and its output row;
 * batch_run.c: worker threads and the ordered writer).
 */
#ifndef MSYN_BATCH_H
#define MSYN_BATCH_H

#include <stdio.h>

#include "cli.h"

enum { BATCH_CSV = 0, BATCH_JSONL = 1 };

/* What every analysis of a run shares; read-only once the run starts. */
typedef struct batch_ctx {
    cli_opts o;               /* pool's options, as parsed               */
    const app_table *hdr;     /* the header of the file                   */
    int id_col;               /* column of --id                           */
    msyn_measure measure;
    msyn_pool_opts po;        /* preset, then explicit options            */
    msyn_es_opts eo;
    int format;               /* BATCH_CSV, BATCH_JSONL                   */
} batch_ctx;

/* One analysis: its rows in, its output row out. */
typedef struct batch_job {
    app_table t;              /* the rows of the analysis (owns cells)    */
    char *id;                 /* the value of the id column               */
    size_t ordinal;           /* 0-based, in file order                   */
    char *pre_error;          /* error found while grouping (blank id)    */
    sbuf out;                 /* the output row                           */
    int failed;               /* the row reports an error                 */
    int fatal;                /* stop the run: err (usage, out of memory) */
    app_err err;
    struct batch_job *next;   /* the next job of the same chunk           */
} batch_job;

/* The columns of an output row, after id (pool's JSON "model" keys, then
 * warnings and error). */
void batch_header_line(const batch_ctx *c, sbuf *out);

/* Run the analysis of j and write its output row into j->out (an error
 * row when the analysis fails: j->failed).  cache: the calling thread's.
 * A usage error or running out of memory sets j->fatal and j->err. */
void batch_fit(const batch_ctx *c, batch_job *j, msyn_cache *cache);

void batch_job_free(batch_job *j);

/* The output (batch_sink.c).  Rows are collected into whole-row writes of
 * at most BATCH_SINK_BUF bytes (PIPE_BUF: atomic on a pipe); a row longer
 * than that is written alone.  So every write(2) ends at the end of a row,
 * and what a reader sees, whenever the run stops, is whole rows.
 * With a path, the rows go to a temporary file next to it, renamed to
 * path when the run is complete (batch_sink_commit), or to
 * path.partial when it was interrupted (batch_sink_keep_partial), and
 * removed when it fails (batch_sink_abort); path is written directly when
 * it exists and is not a regular file (/dev/null, a named pipe).
 * Without a path (or "-"): standard output. */
enum { BATCH_SINK_BUF = 4096 };

typedef struct batch_sink {
    int fd;
    const char *path;         /* the target, NULL for standard output    */
    char *tmp;                /* the temporary file, NULL when direct     */
    char *partial;            /* path.partial                             */
    char buf[BATCH_SINK_BUF];
    size_t n;                 /* bytes in buf                             */
    size_t rows;              /* rows handed to batch_sink_write          */
    int failed;
} batch_sink;

int batch_sink_open(batch_sink *s, const char *path, app_err *e);
/* Write one row (or the header): p[0..n) ends with its line break. */
int batch_sink_write(batch_sink *s, const char *p, size_t n, app_err *e);
int batch_sink_commit(batch_sink *s, app_err *e);
/* Write what is buffered and keep the rows so far: path.partial for a
 * file (path itself is untouched).  The name kept is in s->partial. */
int batch_sink_keep_partial(batch_sink *s, app_err *e);
void batch_sink_abort(batch_sink *s);

/* Counts of a run. */
typedef struct batch_stats {
    size_t done, failed;
} batch_stats;

/* Analyses on `threads` worker threads (1: in the calling thread), written
 * in submission order. */
typedef struct batch_runner batch_runner;

/* write(ud, job) writes a finished job's row; it returns -1 with e set to
 * stop the run. */
typedef int (*batch_write_fn)(void *ud, batch_job *j, app_err *e);

batch_runner *batch_runner_new(const batch_ctx *c, int threads, batch_write_fn write, void *ud,
                               app_err *e);
/* Hand over the chunk of jobs j, j->next, ... (owned from now on; a chunk
 * is analysed by one worker, so a chunk of several small analyses costs one
 * hand-over).  Writes the chunks that are finished, in order; blocks while
 * the queue is full.  -1 (e set) when the run must
 * stop: a fatal job or a failed write. */
int batch_runner_submit(batch_runner *r, batch_job *j, app_err *e);
/* Wait for every job and write the rest.  -1 as above. */
int batch_runner_finish(batch_runner *r, app_err *e);
const batch_stats *batch_runner_stats(const batch_runner *r);
/* Stop the workers (after their current job) and free everything. */
void batch_runner_free(batch_runner *r);

#endif /* MSYN_BATCH_H */
