/*
 * csv.c - reading a study table from CSV with libcsv.
 *
 * The first record is the header.  Fields may be quoted (RFC 4180); the
 * delimiter is detected from the header line (comma, semicolon or tab, as
 * spreadsheets export them); a UTF-8 byte-order mark is dropped; input that
 * is not valid UTF-8 is read as Windows-1252 and converted (and reported).
 * Every row remembers the line it starts on, so later messages can say
 * FILE:LINE:COLUMN.
 */
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "app.h"
#include "csv_stream.h"

typedef struct reader {
    app_table *t;
    char **fields;        /* fields of the record being read         */
    size_t nf, capf;
    char ***rows;         /* completed records                       */
    size_t *counts;       /* fields in each record                   */
    long *lines;
    size_t nr, capr;
    long line, start;     /* current line, line of the record start  */
    int oom;
} reader;

static void on_field(void *s, size_t len, void *ud)
{
    reader *r = ud;
    char *f;
    if (r->oom)
        return;
    if (r->nf == r->capf) {
        size_t cap = r->capf ? 2 * r->capf : 16;
        char **nf = app_realloc(r->fields, cap * sizeof *nf);
        if (!nf) {
            r->oom = 1;
            return;
        }
        r->fields = nf;
        r->capf = cap;
    }
    if (!(f = app_strndup(s ? (const char *)s : "", s ? len : 0))) {
        r->oom = 1;
        return;
    }
    r->fields[r->nf++] = f;
}

static void on_row(int c, void *ud)
{
    reader *r = ud;
    char **row;
    (void)c;
    if (r->oom)
        return;
    if (r->nr == r->capr) {
        size_t cap = r->capr ? 2 * r->capr : 64;
        char ***nrows = app_realloc(r->rows, cap * sizeof *nrows);
        size_t *nc;
        long *nl;
        if (!nrows) {
            r->oom = 1;
            return;
        }
        r->rows = nrows;
        if (!(nc = app_realloc(r->counts, cap * sizeof *nc))) {
            r->oom = 1;
            return;
        }
        r->counts = nc;
        if (!(nl = app_realloc(r->lines, cap * sizeof *nl))) {
            r->oom = 1;
            return;
        }
        r->lines = nl;
        r->capr = cap;
    }
    if (!(row = app_alloc((r->nf ? r->nf : 1) * sizeof *row))) {
        r->oom = 1;
        return;
    }
    memcpy(row, r->fields, r->nf * sizeof *row);
    r->rows[r->nr] = row;
    r->counts[r->nr] = r->nf;
    r->lines[r->nr++] = r->start;
    r->nf = 0;
}

static void free_reader(reader *r)
{
    for (size_t i = 0; i < r->nf; i++)
        app_free(r->fields[i]);
    app_free(r->fields);
    for (size_t i = 0; i < r->nr; i++) {
        for (size_t j = 0; j < r->counts[i]; j++)
            app_free(r->rows[i][j]); /* NULL where moved into the table */
        app_free(r->rows[i]);
    }
    app_free(r->rows);
    app_free(r->counts);
    app_free(r->lines);
}

/* The delimiter that occurs most often outside quotes in the first line. */
static char detect_delim(const char *s, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    int q = 0;
    for (size_t i = 0; i < len && (q || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"')
            q = !q;
        else if (!q && s[i] == ',')
            comma++;
        else if (!q && s[i] == ';')
            semi++;
        else if (!q && s[i] == '\t')
            tab++;
    }
    if (tab > comma && tab >= semi)
        return '\t';
    if (semi > comma)
        return ';';
    return ',';
}

static void *csv_realloc(void *p, size_t n) { return app_realloc(p, n); }

int app_csv_parser_init(struct csv_parser *p, char delim)
{
    if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return -1;
    csv_set_delim(p, (unsigned char)delim);
    /* libcsv grows its field buffer by this much at a time (default 128
     * bytes): a 10 MB cell took 78,000 reallocations, each a full copy
     * under valgrind and AddressSanitizer (minutes); 64 KB makes it 160 */
    csv_set_blk_size(p, 65536);
    csv_set_realloc_func(p, csv_realloc);
    csv_set_free_func(p, app_free);
    return 0;
}

/* Run libcsv over the data one line at a time, so that each record knows
 * the line it starts on. */
static int feed(reader *r, const char *data, size_t len, char delim,
                const char *file, app_err *e)
{
    struct csv_parser p;
    size_t pos = 0;
    if (app_csv_parser_init(&p, delim) != 0) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    r->line = 1;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t seg = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        if (p.pstate == 0 && r->nf == 0) /* libcsv: ROW_NOT_BEGUN */
            r->start = r->line;
        if (csv_parse(&p, data + pos, seg, on_field, on_row, r) != seg) {
            int err = csv_error(&p);
            csv_free(&p);
            if (err == CSV_EPARSE)
                app_err_set(e, APP_EXIT_DATA,
                            "%s:%ld: malformed CSV: a quote (\") inside a field that is not quoted; put the whole field in quotes and double the quote (\"\")",
                            file, r->line);
            else
                app_err_set(e, APP_EXIT_INTERNAL, "%s: %s", file, csv_strerror(err));
            return -1;
        }
        pos += seg;
        r->line++;
    }
    if (csv_fini(&p, on_field, on_row, r) != 0) {
        csv_free(&p);
        app_err_set(e, APP_EXIT_DATA,
                    "%s:%ld: malformed CSV: a quoted field is never closed (missing \")",
                    file, r->start);
        return -1;
    }
    csv_free(&p);
    if (r->oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", file);
        return -1;
    }
    return 0;
}

static char *trim(char *s)
{
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Move the reader's rows into the table: header first, then data rows. */
static int build(reader *r, app_table *t, app_err *e)
{
    size_t nc;
    if (r->nr == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s: the file is empty; expected a header line with column names such as study,yi,vi", t->file);
        return -1;
    }
    nc = r->counts[0];
    t->ncol = nc;
    t->nrow = r->nr - 1;
    t->header = app_calloc(nc, sizeof *t->header);
    t->cell = app_calloc(t->nrow * nc + 1, sizeof *t->cell);
    t->line = app_calloc(t->nrow + 1, sizeof *t->line);
    if (!t->header || !t->cell || !t->line) {
        app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", t->file);
        return -1;
    }
    for (size_t j = 0; j < nc; j++) {
        char *h = trim(r->rows[0][j]);
        if (!(t->header[j] = app_strdup(h))) {
            app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", t->file);
            return -1;
        }
    }
    for (size_t i = 1; i < r->nr; i++) {
        if (r->counts[i] > nc) {
            app_err_set(e, APP_EXIT_DATA,
                        "%s:%ld: this row has %zu fields but the header has %zu column%s; quote values that contain the delimiter ('%s')%s",
                        t->file, r->lines[i], r->counts[i], nc, nc == 1 ? "" : "s",
                        t->delim == '\t' ? "tab" : (const char[]){t->delim, '\0'},
                        app_table_delim_hint(t));
            return -1;
        }
        for (size_t j = 0; j < r->counts[i]; j++) {
            t->cell[(i - 1) * nc + j] = r->rows[i][j];
            r->rows[i][j] = NULL;
        }
        t->line[i - 1] = r->lines[i];
    }
    return 0;
}

int app_csv_parse_delim(const char *s, char *delim)
{
    static const struct {
        const char *name;
        char c;
    } names[] = {{"comma", ','}, {"semicolon", ';'}, {"tab", '\t'}, {"\\t", '\t'}, {"pipe", '|'}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0) {
            *delim = names[i].c;
            return 0;
        }
    /* one character that cannot be part of a number or a quoted field */
    if (s[0] && !s[1] && strchr(",;\t|:^~#!/", s[0])) {
        *delim = s[0];
        return 0;
    }
    return -1;
}

const char *app_table_delim_hint(const app_table *t)
{
    static const struct {
        char c;
        const char *hint;
    } cands[] = {
        {';', "; the header is a single column whose names are separated by ';': give --delimiter semicolon"},
        {',', "; the header is a single column whose names are separated by ',': give --delimiter comma"},
        {'\t', "; the header is a single column whose names are separated by tabs: give --delimiter tab"},
        {'|', "; the header is a single column whose names are separated by '|': give --delimiter pipe"},
    };
    if (t->ncol != 1 || !t->header || !t->header[0])
        return "";
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++)
        if (cands[i].c != t->delim && strchr(t->header[0], cands[i].c))
            return cands[i].hint;
    return "";
}

int app_csv_parse_decimal(const char *s, int *decimal)
{
    if (strcasecmp(s, "point") == 0 || strcmp(s, ".") == 0 || strcasecmp(s, "dot") == 0)
        *decimal = APP_DECIMAL_POINT;
    else if (strcasecmp(s, "comma") == 0 || strcmp(s, ",") == 0)
        *decimal = APP_DECIMAL_COMMA;
    else
        return -1;
    return 0;
}

int app_table_parse(const char *file, const char *data, size_t len,
                    app_table *t, app_err *e)
{
    return app_table_parse_fmt(file, data, len, NULL, t, e);
}

int app_table_parse_fmt(const char *file, const char *data, size_t len, const app_csv_fmt *fmt,
                        app_table *t, app_err *e)
{
    reader r;
    char *conv = NULL;
    int rc;
    memset(t, 0, sizeof *t);
    memset(&r, 0, sizeof r);
    r.t = t;
    if (!(t->file = app_strdup(file))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (!app_utf8_valid(data, len)) {
        if (!(conv = app_cp1252_to_utf8(data, len, &len))) {
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            return -1;
        }
        data = conv;
        t->recoded = 1;
    }
    t->delim = fmt && fmt->delim ? fmt->delim : detect_delim(data, len);
    t->decimal_comma = fmt && fmt->decimal != APP_DECIMAL_AUTO ? fmt->decimal == APP_DECIMAL_COMMA
                                                               : t->delim != ',';
    rc = feed(&r, data, len, t->delim, t->file, e);
    if (rc == 0)
        rc = build(&r, t, e);
    free_reader(&r);
    app_free(conv);
    if (rc != 0)
        app_table_free(t);
    return rc;
}

int app_table_read(const char *path, app_table *t, app_err *e)
{
    return app_table_read_fmt(path, NULL, t, e);
}

int app_table_read_fmt(const char *path, const app_csv_fmt *fmt, app_table *t, app_err *e)
{
    char *data;
    size_t len;
    int rc;
    memset(t, 0, sizeof *t);
    if (app_read_file(path, &data, &len, e) != 0)
        return -1;
    rc = app_table_parse_fmt(strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, fmt, t, e);
    app_free(data);
    return rc;
}

void app_table_free(app_table *t)
{
    if (!t)
        return;
    if (t->header)
        for (size_t j = 0; j < t->ncol; j++)
            app_free(t->header[j]);
    if (t->cell)
        for (size_t i = 0; i < t->nrow * t->ncol; i++)
            app_free(t->cell[i]);
    app_free(t->header);
    app_free(t->cell);
    app_free(t->line);
    app_free(t->file);
    memset(t, 0, sizeof *t);
}

int app_table_col(const app_table *t, const char *name)
{
    int found = -1;
    for (size_t j = 0; j < t->ncol; j++)
        if (strcmp(t->header[j], name) == 0) {
            if (found >= 0)
                return -2;
            found = (int)j;
        }
    return found;
}

int app_table_col_nocase(const app_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncol; j++)
        if (strcasecmp(t->header[j], name) == 0)
            return (int)j;
    return -1;
}

const char *app_table_cell(const app_table *t, size_t row, size_t col)
{
    const char *c = t->cell[row * t->ncol + col];
    return c ? c : "";
}

int app_table_where(app_table *t, const char *cond, app_err *e)
{
    const char *op = strstr(cond, "!=");
    int negate = op != NULL, col;
    size_t keep = 0, namelen;
    char name[256];
    const char *value;
    if (!op)
        op = strchr(cond, '=');
    if (!op || op == cond) {
        app_err_set(e, APP_EXIT_USAGE, "--where %s: expected COLUMN=VALUE or COLUMN!=VALUE", cond);
        return -1;
    }
    namelen = (size_t)(op - cond);
    while (namelen > 0 && (cond[namelen - 1] == ' ' || cond[namelen - 1] == '\t'))
        namelen--;
    if (namelen >= sizeof name) {
        app_err_set(e, APP_EXIT_USAGE, "--where %s: the column name is too long", cond);
        return -1;
    }
    memcpy(name, cond, namelen);
    name[namelen] = '\0';
    value = op + (negate ? 2 : 1);
    value += strspn(value, " \t");
    if ((col = app_table_col(t, name)) < 0 && (col = app_table_col_nocase(t, name)) < 0) {
        app_err_set(e, APP_EXIT_USAGE, "--where %s: %s has no column '%s'", cond, t->file, name);
        return -1;
    }
    for (size_t r = 0; r < t->nrow; r++) {
        const char *c = app_table_cell(t, r, (size_t)col);
        size_t n;
        int match;
        c += strspn(c, " \t");
        n = strlen(c);
        while (n > 0 && (c[n - 1] == ' ' || c[n - 1] == '\t' || c[n - 1] == '\r'))
            n--;
        match = n == strlen(value) && strncasecmp(c, value, n) == 0;
        if (match != negate) {
            if (keep != r) {
                memcpy(&t->cell[keep * t->ncol], &t->cell[r * t->ncol], t->ncol * sizeof *t->cell);
                t->line[keep] = t->line[r];
            }
            keep++;
        } else {
            for (size_t j = 0; j < t->ncol; j++)
                app_free(t->cell[r * t->ncol + j]);
        }
    }
    t->nrow = keep;
    if (keep == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s: no study row has %s %s '%s'", t->file, name,
                    negate ? "other than" : "equal to", value);
        return -1;
    }
    return 0;
}
