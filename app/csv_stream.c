/*
 * csv_stream.c - a CSV file record by record (csv_stream.h).
 *
 * The header line goes through app_table_parse(), so the byte-order mark,
 * the delimiter detection, the decimal comma, the trimming of column names
 * and the messages are those of every other command.  The rest of the file
 * is fed to libcsv's incremental parser one physical line at a time (as
 * csv.c does, so each record knows the line it starts on); completed
 * records wait in a small queue until app_csv_stream_next() takes them.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>

#include <csv.h>

#include "csv_stream.h"

typedef struct record {
    char **cells;
    long line;
    int recoded;
} record;

struct app_csv_stream {
    FILE *f;
    int own;                  /* opened here: close it                   */
    char *name;               /* the file in messages                    */
    app_table hdr;
    char *buf;                /* input bytes; [pos, len) not yet used    */
    size_t cap, len, pos;
    int eof, done;
    unsigned long long offset;
    struct csv_parser p;
    int p_init;
    long line;                /* line being fed                          */
    long start;               /* line where the current record starts    */
    int recoded;              /* current record has a recoded line       */
    char **fields;            /* fields of the current record            */
    size_t nf, capf;
    record *q;                /* completed records, [qhead, qn)          */
    size_t qhead, qn, qcap;
    int oom;
    long bad_line;            /* a record with too many fields           */
    size_t bad_nf;
};

static void on_field(void *data, size_t len, void *ud)
{
    app_csv_stream *s = ud;
    char *f;
    if (s->oom || s->bad_line)
        return;
    if (s->nf == s->capf) {
        size_t cap = s->capf ? 2 * s->capf : 16;
        char **nf = app_realloc(s->fields, cap * sizeof *nf);
        if (!nf) {
            s->oom = 1;
            return;
        }
        s->fields = nf;
        s->capf = cap;
    }
    if (!(f = app_strndup(data ? (const char *)data : "", data ? len : 0))) {
        s->oom = 1;
        return;
    }
    s->fields[s->nf++] = f;
}

static void drop_fields(app_csv_stream *s)
{
    for (size_t i = 0; i < s->nf; i++)
        app_free(s->fields[i]);
    s->nf = 0;
}

static void on_row(int c, void *ud)
{
    app_csv_stream *s = ud;
    size_t nc = s->hdr.ncol;
    char **cells;
    (void)c;
    if (s->oom || s->bad_line) {
        drop_fields(s);
        return;
    }
    if (s->nf > nc) {
        s->bad_line = s->start;
        s->bad_nf = s->nf;
        drop_fields(s);
        return;
    }
    if (s->qn == s->qcap) {
        size_t cap = s->qcap ? 2 * s->qcap : 8;
        record *nq = app_realloc(s->q, cap * sizeof *nq);
        if (!nq) {
            s->oom = 1;
            drop_fields(s);
            return;
        }
        s->q = nq;
        s->qcap = cap;
    }
    if (!(cells = app_calloc(nc, sizeof *cells))) {
        s->oom = 1;
        drop_fields(s);
        return;
    }
    memcpy(cells, s->fields, s->nf * sizeof *cells);
    s->nf = 0;
    s->q[s->qn].cells = cells;
    s->q[s->qn].line = s->start;
    s->q[s->qn].recoded = s->recoded;
    s->qn++;
}

/* Make [pos, len) hold a whole line (up to and including '\n') or the rest
 * of the input.  Returns 0, or -1 with e set. */
static int fill_line(app_csv_stream *s, size_t *linelen, app_err *e)
{
    size_t scanned = 0;
    for (;;) {
        size_t left = s->len - s->pos - scanned, got;
        const char *nl = left ? memchr(s->buf + s->pos + scanned, '\n', left) : NULL;
        if (nl) {
            *linelen = (size_t)(nl - (s->buf + s->pos)) + 1;
            return 0;
        }
        scanned = s->len - s->pos;
        if (s->eof) {
            *linelen = scanned;
            return 0;
        }
        if (s->pos > 0) { /* keep the unused bytes at the start */
            memmove(s->buf, s->buf + s->pos, s->len - s->pos);
            s->len -= s->pos;
            s->pos = 0;
        }
        if (s->len == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 65536;
            char *nb = app_realloc(s->buf, cap);
            if (!nb) {
                app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", s->name);
                return -1;
            }
            s->buf = nb;
            s->cap = cap;
        }
        got = fread(s->buf + s->len, 1, s->cap - s->len, s->f);
        s->len += got;
        if (got == 0) {
            if (ferror(s->f)) {
                app_err_set(e, APP_EXIT_IO, "%s: read error: %s", s->name, strerror(errno));
                return -1;
            }
            s->eof = 1;
        }
    }
}


/* The header: the first line up to its end (a header line cannot hold a
 * quoted line break). */
static int read_header(app_csv_stream *s, const char *name, const app_csv_fmt *fmt, app_err *e)
{
    size_t n, hl, skip = 0;
    app_err he = {0, ""};
    if (fill_line(s, &n, e) != 0)
        return -1;
    if (n >= 3 && memcmp(s->buf, "\xEF\xBB\xBF", 3) == 0)
        skip = 3;
    for (hl = skip; hl < n && s->buf[hl] != '\r' && s->buf[hl] != '\n'; hl++)
        ;
    if (app_table_parse_fmt(name, s->buf + skip, hl - skip, fmt, &s->hdr, &he) != 0) {
        *e = he;
        return -1;
    }
    if (s->hdr.nrow > 0) { /* a quoted field broke the line: cannot happen without '\n' */
        app_err_set(e, APP_EXIT_DATA, "%s:1: the header line must end before the first record", name);
        return -1;
    }
    /* the line's end ("\r\n") is fed to the parser, which skips it */
    s->pos = hl;
    s->offset = hl;
    s->line = 1;
    return 0;
}

static app_csv_stream *open_stream(FILE *f, int own, const char *name, const app_csv_fmt *fmt,
                                   app_err *e)
{
    app_csv_stream *s = app_calloc(1, sizeof *s);
    if (!s) {
        if (own)
            fclose(f);
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    s->f = f;
    s->own = own;
    if (!(s->name = app_strdup(name))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        app_csv_stream_close(s);
        return NULL;
    }
    if (read_header(s, name, fmt, e) != 0) {
        app_csv_stream_close(s);
        return NULL;
    }
    if (app_csv_parser_init(&s->p, s->hdr.delim) != 0) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        app_csv_stream_close(s);
        return NULL;
    }
    s->p_init = 1;
    return s;
}

app_csv_stream *app_csv_stream_open_file(FILE *f, const char *name, app_err *e)
{
    return open_stream(f, 0, name, NULL, e);
}

app_csv_stream *app_csv_stream_open(const char *path, app_err *e)
{
    return app_csv_stream_open_fmt(path, NULL, e);
}

app_csv_stream *app_csv_stream_open_fmt(const char *path, const app_csv_fmt *fmt, app_err *e)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        app_err_set(e, APP_EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    return open_stream(f, !is_stdin, is_stdin ? "<stdin>" : path, fmt, e);
}

const app_table *app_csv_stream_header(const app_csv_stream *s) { return &s->hdr; }

unsigned long long app_csv_stream_offset(const app_csv_stream *s) { return s->offset; }

static int parse_error(app_csv_stream *s, app_err *e)
{
    const char *file = s->hdr.file;
    if (s->oom)
        app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", file);
    else if (s->bad_line)
        app_err_set(e, APP_EXIT_DATA,
                    "%s:%ld: this row has %zu fields but the header has %zu column%s; quote values that contain the delimiter ('%s')%s",
                    file, s->bad_line, s->bad_nf, s->hdr.ncol, s->hdr.ncol == 1 ? "" : "s",
                    s->hdr.delim == '\t' ? "tab" : (const char[]){s->hdr.delim, '\0'},
                    app_table_delim_hint(&s->hdr));
    else if (csv_error(&s->p) == CSV_EPARSE)
        app_err_set(e, APP_EXIT_DATA,
                    "%s:%ld: malformed CSV: a quote (\") inside a field that is not quoted; put the whole field in quotes and double the quote (\"\")",
                    file, s->line);
    else
        app_err_set(e, APP_EXIT_INTERNAL, "%s: %s", file, csv_strerror(csv_error(&s->p)));
    s->done = 1;
    return -1;
}

/* Feed one line to the parser. */
static int feed_line(app_csv_stream *s, const char *line, size_t n, app_err *e)
{
    char *conv = NULL;
    int rc = 0;
    if (s->p.pstate == 0 && s->nf == 0) { /* libcsv: ROW_NOT_BEGUN */
        s->start = s->line;
        s->recoded = 0;
    }
    if (!app_utf8_valid(line, n)) {
        if (!(conv = app_cp1252_to_utf8(line, n, &n))) {
            app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", s->hdr.file);
            s->done = 1;
            return -1;
        }
        line = conv;
        s->recoded = 1;
    }
    if (csv_parse(&s->p, line, n, on_field, on_row, s) != n || s->oom || s->bad_line)
        rc = parse_error(s, e);
    app_free(conv);
    return rc;
}

int app_csv_stream_next(app_csv_stream *s, char ***cells, long *line, int *recoded, app_err *e)
{
    while (s->qhead == s->qn) {
        size_t n;
        s->qhead = s->qn = 0;
        if (s->done)
            return 0;
        if (fill_line(s, &n, e) != 0) {
            s->done = 1;
            return -1;
        }
        if (n == 0) { /* end of input */
            s->done = 1;
            if (csv_fini(&s->p, on_field, on_row, s) != 0) {
                app_err_set(e, APP_EXIT_DATA,
                            "%s:%ld: malformed CSV: a quoted field is never closed (missing \")",
                            s->hdr.file, s->start);
                return -1;
            }
            if (s->oom || s->bad_line)
                return parse_error(s, e);
            continue;
        }
        if (feed_line(s, s->buf + s->pos, n, e) != 0)
            return -1;
        s->pos += n;
        s->offset += n;
        if (s->buf[s->pos - 1] == '\n')
            s->line++;
    }
    *cells = s->q[s->qhead].cells;
    *line = s->q[s->qhead].line;
    *recoded = s->q[s->qhead].recoded;
    s->qhead++;
    return 1;
}

void app_csv_stream_close(app_csv_stream *s)
{
    if (!s)
        return;
    drop_fields(s);
    app_free(s->fields);
    for (size_t i = s->qhead; i < s->qn; i++) {
        for (size_t j = 0; j < s->hdr.ncol; j++)
            app_free(s->q[i].cells[j]);
        app_free(s->q[i].cells);
    }
    app_free(s->q);
    if (s->p_init)
        csv_free(&s->p);
    app_free(s->buf);
    app_table_free(&s->hdr);
    app_free(s->name);
    if (s->own)
        fclose(s->f);
    app_free(s);
}

void app_csv_cells_free(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        app_free(cells[i]);
    app_free(cells);
}

int app_csv_cells_blank(char *const *cells, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (cells[j] && cells[j][strspn(cells[j], " \t\r")] != '\0')
            return 0;
    return 1;
}
