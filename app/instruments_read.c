/*
 * instruments_read.c - user instrument tables (CSV), the merged view of
 * shipped and user entries, suggestions for unknown names and the
 * report sentence (instruments.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instruments.h"

static const char *const columns[] = {"key", "name", "aliases", "min", "max", "higher_is", "mcid",
                                      "mcid_type", "population", "cite", "source", "note"};
enum { C_KEY, C_NAME, C_ALIASES, C_MIN, C_MAX, C_HIGHER, C_MCID, C_TYPE, C_POP, C_CITE, C_SOURCE,
       C_NOTE, NCOL };

void app_instruments_free(app_instruments *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->nstrings; i++)
        app_free(u->strings[i]);
    app_free(u->strings);
    app_free(u->v);
    memset(u, 0, sizeof *u);
}

typedef struct reader {
    const app_table *t;
    int col[NCOL];
    app_instruments *u;
    app_err *e;
} reader;

/* "FILE:LINE:COL: " for row r, column c (1-based field number). */
static int bad(reader *r, size_t row, int c, const char *what)
{
    app_err_set(r->e, APP_EXIT_DATA, "%s:%ld:%d: %s", r->t->file, r->t->line[row], r->col[c] + 1,
                what);
    return -1;
}

static const char *cell(const reader *r, size_t row, int c)
{
    const char *s = app_table_cell(r->t, row, (size_t)r->col[c]);
    return s ? s : "";
}

static int keep(reader *r, const char *s, const char **out)
{
    char *copy = app_trimmed(s);
    if (!copy) {
        app_err_set(r->e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    r->u->strings[r->u->nstrings++] = copy;
    *out = copy;
    return 0;
}

static int blank(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

static int number(reader *r, size_t row, int c, double *x)
{
    const char *why = NULL;
    int rc = app_parse_number(cell(r, row, c), r->t->decimal_comma, x, &why);
    if (rc == NUM_OK)
        return 0;
    app_err_set(r->e, APP_EXIT_DATA, "%s:%ld:%d: %s '%s' %s; expected a number", r->t->file,
                r->t->line[row], r->col[c] + 1, columns[c], cell(r, row, c),
                rc == NUM_MISSING ? "is missing" : (why ? why : "is not a number"));
    return -1;
}

/* "points" or "points or P%" with 0 < P < 100. */
static int mcid_type(reader *r, size_t row, double *pct)
{
    char buf[64];
    const char *s = cell(r, row, C_TYPE);
    size_t n;
    char *end;
    while (*s == ' ')
        s++;
    n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    *pct = NAN;
    if (n == 6 && strncmp(s, "points", 6) == 0)
        return 0;
    if (n > 10 && n < sizeof buf && strncmp(s, "points or ", 10) == 0 && s[n - 1] == '%') {
        memcpy(buf, s + 10, n - 11);
        buf[n - 11] = '\0';
        *pct = strtod(buf, &end);
        if (end != buf && *end == '\0' && *pct > 0 && *pct < 100)
            return 0;
    }
    return bad(r, row, C_TYPE, "mcid_type must be 'points' or 'points or P%' with P between 0 and 100 "
                               "(a relative MCID, e.g. 'points or 30%')");
}

static int key_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
            return 0;
    return 1;
}

static int row_read(reader *r, size_t row, app_instrument *x)
{
    char msg[512];
    static const int text[] = {C_KEY, C_NAME, C_ALIASES, C_POP, C_CITE, C_SOURCE, C_NOTE};
    static const int needed[] = {1, 1, 0, 1, 1, 1, 0};
    const char **dst[] = {&x->key, &x->name, &x->aliases, &x->population, &x->cite, &x->source, &x->note};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        if (needed[i] && blank(cell(r, row, text[i]))) {
            snprintf(msg, sizeof msg, "%s is empty; every instrument needs a %s", columns[text[i]],
                     columns[text[i]]);
            return bad(r, row, text[i], msg);
        }
        if (keep(r, cell(r, row, text[i]), dst[i]) != 0)
            return -1;
    }
    if (!key_ok(x->key))
        return bad(r, row, C_KEY, "key must be lower-case letters, digits and hyphens (e.g. vas-pain-100)");
    if (number(r, row, C_MIN, &x->min) != 0 || number(r, row, C_MAX, &x->max) != 0)
        return -1;
    if (!(x->min < x->max)) {
        snprintf(msg, sizeof msg, "max %g must be greater than min %g", x->max, x->min);
        return bad(r, row, C_MAX, msg);
    }
    {
        char *h = app_trimmed(cell(r, row, C_HIGHER));
        int ok = h && (strcmp(h, "worse") == 0 || strcmp(h, "better") == 0);
        x->higher_better = h && strcmp(h, "better") == 0;
        app_free(h);
        if (!h) {
            app_err_set(r->e, APP_EXIT_INTERNAL, "out of memory");
            return -1;
        }
        if (!ok)
            return bad(r, row, C_HIGHER, "higher_is must be 'worse' or 'better' (what a higher score means)");
    }
    if (number(r, row, C_MCID, &x->mcid) != 0)
        return -1;
    if (!(x->mcid > 0))
        return bad(r, row, C_MCID, "mcid must be greater than 0 (in points of the scale)");
    if (x->mcid > x->max - x->min) {
        snprintf(msg, sizeof msg, "mcid %g is larger than the range of the scale (%g to %g); expected "
                 "at most %g", x->mcid, x->min, x->max, x->max - x->min);
        return bad(r, row, C_MCID, msg);
    }
    return mcid_type(r, row, &x->mcid_pct);
}

static int header(reader *r)
{
    const app_table *t = r->t;
    for (int c = 0; c < NCOL; c++) {
        r->col[c] = app_table_col(t, columns[c]);
        if (r->col[c] < 0) {
            app_err_set(r->e, APP_EXIT_DATA, "%s:1: missing column '%s'; expected the columns key, name, "
                        "aliases, min, max, higher_is, mcid, mcid_type, population, cite, source, note",
                        t->file, columns[c]);
            return -1;
        }
    }
    for (size_t c = 0; c < t->ncol; c++) {
        int known = 0;
        for (int k = 0; k < NCOL; k++)
            known |= strcmp(t->header[c], columns[k]) == 0;
        if (!known) {
            app_err_set(r->e, APP_EXIT_DATA, "%s:1:%zu: unknown column '%s'; expected only key, name, "
                        "aliases, min, max, higher_is, mcid, mcid_type, population, cite, source, note",
                        t->file, c + 1, t->header[c]);
            return -1;
        }
    }
    if (t->nrow == 0) {
        app_err_set(r->e, APP_EXIT_DATA, "%s: no instrument rows; expected one row per instrument after the header",
                    t->file);
        return -1;
    }
    return 0;
}

static int table_read(const app_table *t, app_instruments *out, app_err *e)
{
    reader r = {t, {0}, out, e};
    if (header(&r) != 0)
        return -1;
    out->v = app_calloc(t->nrow, sizeof *out->v);
    out->strings = app_calloc(t->nrow * 7, sizeof *out->strings);
    if (!out->v || !out->strings) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < t->nrow; i++) {
        if (row_read(&r, i, &out->v[i]) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(out->v[j].key, out->v[i].key) == 0) {
                char msg[300];
                snprintf(msg, sizeof msg, "key '%s' is given twice (also on line %ld); each key once",
                         out->v[i].key, t->line[j]);
                return bad(&r, i, C_KEY, msg);
            }
        out->n++;
    }
    return 0;
}

int app_instruments_parse(const char *file, const char *data, size_t len, app_instruments *out,
                          app_err *e)
{
    app_table t;
    int rc;
    memset(out, 0, sizeof *out);
    memset(&t, 0, sizeof t);
    if (app_table_parse(file, data, len, &t, e) != 0) {
        app_table_free(&t);
        return -1;
    }
    rc = table_read(&t, out, e);
    app_table_free(&t);
    if (rc != 0)
        app_instruments_free(out);
    return rc;
}

int app_instruments_read(const char *path, app_instruments *out, app_err *e)
{
    char *data = NULL;
    size_t len = 0;
    int rc;
    memset(out, 0, sizeof *out);
    if (app_read_file(path, &data, &len, e) != 0)
        return -1;
    rc = app_instruments_parse(strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, out, e);
    app_free(data);
    return rc;
}

/* ---- the merged table -------------------------------------------------- */

static const app_instrument *user_key(const app_instruments *u, const char *key)
{
    for (size_t i = 0; u && i < u->n; i++)
        if (strcmp(u->v[i].key, key) == 0)
            return &u->v[i];
    return NULL;
}

static int shipped_key(const char *key)
{
    for (size_t i = 0; i < app_instrument_count(); i++)
        if (strcmp(app_instrument_at(i)->key, key) == 0)
            return 1;
    return 0;
}

size_t app_instruments_count(const app_instruments *user)
{
    size_t n = app_instrument_count();
    for (size_t i = 0; user && i < user->n; i++)
        n += !shipped_key(user->v[i].key);
    return n;
}

const app_instrument *app_instruments_at(const app_instruments *user, size_t i)
{
    size_t ns = app_instrument_count();
    if (i < ns) {
        const app_instrument *s = app_instrument_at(i), *o = user_key(user, s->key);
        return o ? o : s;
    }
    i -= ns;
    for (size_t j = 0; user && j < user->n; j++)
        if (!shipped_key(user->v[j].key) && i-- == 0)
            return &user->v[j];
    return NULL;
}

/* 1 if name is e's key (normalised). */
static int key_is(const app_instrument *e, const char *name)
{
    app_instrument k = {.key = e->key, .name = "", .aliases = ""};
    return app_instrument_matches(&k, name);
}

/* Keys before names and aliases, user entries before shipped ones at each
 * level: a user's alias never hides a shipped key. */
const app_instrument *app_instruments_find(const app_instruments *user, const char *name)
{
    size_t ns = app_instrument_count();
    for (size_t i = 0; user && i < user->n; i++)
        if (key_is(&user->v[i], name))
            return &user->v[i];
    for (size_t i = 0; i < ns; i++)
        if (key_is(app_instrument_at(i), name))
            return app_instruments_at(user, i);
    for (size_t i = 0; user && i < user->n; i++)
        if (app_instrument_matches(&user->v[i], name))
            return &user->v[i];
    for (size_t i = 0; i < ns; i++)
        if (app_instrument_matches(app_instrument_at(i), name))
            return app_instruments_at(user, i);
    return NULL;
}

int app_instrument_is_user(const app_instruments *user, const app_instrument *e)
{
    return user && user->n && e >= user->v && e < user->v + user->n;
}

/* ---- suggestions --------------------------------------------------------- */

/* s lower-cased without ' ', '-', '_' into out (at most cap - 1 bytes). */
static size_t norm(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && s[i] && k + 1 < cap; i++)
        if (s[i] != ' ' && s[i] != '-' && s[i] != '_')
            out[k++] = (char)tolower((unsigned char)s[i]);
    out[k] = '\0';
    return k;
}

static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[65];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[nb];
}

/* The smallest distance between name and e's key or aliases (0 when one
 * contains the other and both have at least 3 characters). */
static size_t closeness(const app_instrument *e, const char *q, size_t nq)
{
    char c[65];
    size_t best = (size_t)-1;
    const char *p = e->key;
    int in_aliases = 0;
    while (p) {
        const char *bar = in_aliases ? strchr(p, '|') : NULL;
        size_t n = bar ? (size_t)(bar - p) : strlen(p), nc = norm(p, n, c, sizeof c), d;
        if (nc) {
            d = distance(q, nq, c, nc);
            if (nq >= 3 && nc >= 3 && (strstr(c, q) || strstr(q, c)))
                d = 0;
            if (d < best)
                best = d;
        }
        if (bar)
            p = bar + 1;
        else if (!in_aliases && e->aliases && *e->aliases) {
            p = e->aliases;
            in_aliases = 1;
        } else
            p = NULL;
    }
    return best;
}

size_t app_instruments_suggest(const app_instruments *user, const char *name, const char **keys,
                               size_t max)
{
    char q[65];
    size_t nq = norm(name, strlen(name), q, sizeof q), n = app_instruments_count(user), k = 0;
    size_t limit = nq / 3 > 2 ? nq / 3 : 2;
    if (!nq)
        return 0;
    /* the closest level that has any: "hads" gives hads-a and hads-d only */
    for (size_t d = 0; d <= limit && k == 0; d++)
        for (size_t i = 0; i < n && k < max; i++) {
            const app_instrument *e = app_instruments_at(user, i);
            if (closeness(e, q, nq) == d)
                keys[k++] = e->key;
        }
    return k;
}

/* ---- words ------------------------------------------------------------------ */

void app_instrument_mcid_type(const app_instrument *e, sbuf *out)
{
    sb_puts(out, "points");
    if (isfinite(e->mcid_pct)) {
        sb_puts(out, " or ");
        sb_num(out, e->mcid_pct);
        sb_puts(out, "%");
    }
}

void app_instrument_mcid_sentence(const app_instrument *e, sbuf *out)
{
    sb_puts(out, "MCID ");
    sb_num(out, e->mcid);
    sb_printf(out, " %s (%s)", e->mcid == 1 ? "point" : "points", e->cite);
}
