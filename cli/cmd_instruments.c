/*
 * cmd_instruments.c - `metasyn instruments`: the outcome instruments with
 * their range and minimal clinically important difference (MCID), each
 * with its published source; the shipped table (app/instruments.c) plus
 * an optional user table.  docs/cli/instruments.md.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "instruments.h"
#include "json.h"

static const char usage[] =
    "Usage: metasyn instruments [NAME] [OPTIONS]\n"
    "\n"
    "List the outcome instruments metasyn knows, with their range, direction and\n"
    "minimal clinically important difference (MCID) and the publication each\n"
    "value comes from; with NAME (a key, name or alias, ignoring case, spaces,\n"
    "hyphens and underscores) show that one in full.\n"
    "\n"
    "  -F, --file FILE       add or replace instruments from a CSV file with the\n"
    "                        columns key, name, aliases, min, max, higher_is, mcid,\n"
    "                        mcid_type, population, cite, source, note (an entry\n"
    "                        with a shipped key replaces it)\n"
    "  -f, --format F        text (default), csv (the same columns, a valid --file),\n"
    "                        json or md (Markdown table and sources)\n"
    "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit codes: 0 ok, 2 usage or unknown NAME (closest keys suggested), 3 bad\n"
    "--file (FILE:LINE:COL given), 4 I/O, 6 out of memory.\n";

typedef struct opts {
    const char *file, *format, *output, *name;
} opts;

static int set_opt(void *ctx, int c, const char *arg)
{
    opts *o = ctx;
    static const char *const formats[] = {"text", "csv", "json", "md"};
    switch (c) {
    case 'F':
        o->file = arg;
        return 0;
    case 'o':
        o->output = arg;
        return 0;
    case 'f':
        for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
            if (strcmp(arg, formats[i]) == 0) {
                o->format = formats[i];
                return 0;
            }
        return cli_bad("instruments", "--format", arg, "text, csv, json or md");
    default:
        return -1;
    }
}

/* ---- text ---------------------------------------------------------------- */

/* t's text ("" when an append failed: the caller's buffer is marked). */
static const char *txt(const sbuf *t)
{
    return t->oom || !t->p ? "" : t->p;
}

static void reset(sbuf *t)
{
    t->len = 0;
    if (t->p)
        t->p[0] = '\0';
}

static void range(sbuf *b, const app_instrument *e)
{
    sb_num(b, e->min);
    sb_puts(b, " to ");
    sb_num(b, e->max);
}

static void mcid(sbuf *b, const app_instrument *e)
{
    sb_num(b, e->mcid);
    sb_puts(b, " ");
    app_instrument_mcid_type(e, b);
}

/* s after a label of width 14, wrapped at 78 columns. */
static void wrapped(sbuf *b, const char *label, const char *s)
{
    size_t col = 16;
    sb_printf(b, "  %-13s ", label);
    while (*s) {
        size_t n = strcspn(s, " ");
        if (col > 16 && col + 1 + n > 78) {
            sb_puts(b, "\n                ");
            col = 16;
        } else if (col > 16) {
            sb_puts(b, " ");
            col++;
        }
        sb_add(b, s, n);
        col += n;
        s += n;
        while (*s == ' ')
            s++;
    }
    sb_puts(b, "\n");
}

static void text_one(sbuf *b, const app_instruments *u, const app_instrument *e, const char *file)
{
    sbuf t;
    sb_init(&t);
    sb_printf(b, "%s: %s\n", e->key, e->name);
    if (*e->aliases) {
        for (const char *p = e->aliases; *p; p++)
            if (*p == '|')
                sb_puts(&t, ", ");
            else
                sb_add(&t, p, 1);
        wrapped(b, "also called", txt(&t));
        reset(&t);
    }
    range(&t, e);
    sb_printf(&t, " (higher is %s)", e->higher_better ? "better" : "worse");
    wrapped(b, "range", txt(&t));
    reset(&t);
    sb_num(&t, e->mcid);
    sb_puts(&t, e->mcid == 1 ? " point" : " points");
    if (isfinite(e->mcid_pct)) {
        sb_puts(&t, ", or ");
        sb_num(&t, e->mcid_pct);
        sb_puts(&t, "% of the baseline score");
    }
    wrapped(b, "MCID", txt(&t));
    wrapped(b, "population", e->population);
    wrapped(b, "source", e->source);
    if (*e->note)
        wrapped(b, "note", e->note);
    wrapped(b, "from", app_instrument_is_user(u, e) ? file : "the table shipped with metasyn");
    reset(&t);
    app_instrument_mcid_sentence(e, &t);
    wrapped(b, "in a report", txt(&t));
    if (t.oom)
        b->oom = 1;
    sb_free(&t);
}

static void text_list(sbuf *b, const app_instruments *u, const char *file)
{
    size_t n = app_instruments_count(u), nuser = 0, w = 15;
    sbuf t;
    sb_init(&t);
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(app_instruments_at(u, i)->key) + 2;
        w = k > w ? k : w;
    }
    sb_pad(b, "key", w, 0);
    sb_puts(b, "range            higher  MCID               source                     instrument\n");
    for (size_t i = 0; i < n; i++) {
        const app_instrument *e = app_instruments_at(u, i);
        int user = app_instrument_is_user(u, e);
        nuser += (size_t)user;
        reset(&t);
        sb_printf(&t, "%s%s", e->key, user ? "*" : "");
        sb_pad(b, txt(&t), w, 0);
        reset(&t);
        range(&t, e);
        sb_pad(b, txt(&t), 17, 0);
        sb_pad(b, e->higher_better ? "better" : "worse", 8, 0);
        reset(&t);
        mcid(&t, e);
        sb_pad(b, txt(&t), 19, 0);
        sb_pad(b, e->cite, 27, 0);
        sb_printf(b, "%s\n", e->name);
    }
    if (t.oom)
        b->oom = 1;
    sb_free(&t);
    sb_printf(b, "\n%zu instruments", n);
    if (nuser)
        sb_printf(b, " (* %zu from %s)", nuser, file);
    sb_puts(b, ".\nMCID in points of the scale, or in % of the baseline score where the source\n"
               "gives one. 'metasyn instruments NAME' shows the source and notes.\n");
}

/* ---- csv, json, md ---------------------------------------------------- */

static void csv_row(sbuf *b, const app_instrument *e)
{
    sbuf t;
    const char *cells[] = {e->key, e->name, e->aliases};
    sb_init(&t);
    for (size_t i = 0; i < 3; i++) {
        app_csv_cell(b, cells[i]);
        sb_puts(b, ",");
    }
    sb_num(b, e->min);
    sb_puts(b, ",");
    sb_num(b, e->max);
    sb_printf(b, ",%s,", e->higher_better ? "better" : "worse");
    sb_num(b, e->mcid);
    sb_puts(b, ",");
    app_instrument_mcid_type(e, &t);
    app_csv_cell(b, txt(&t));
    if (t.oom)
        b->oom = 1;
    sb_free(&t);
    const char *rest[] = {e->population, e->cite, e->source, e->note};
    for (size_t i = 0; i < 4; i++) {
        sb_puts(b, ",");
        app_csv_cell(b, rest[i]);
    }
    sb_puts(b, "\n");
}

static json_t *json_one(jb *c, const app_instruments *u, const app_instrument *e)
{
    json_t *o = json_object(), *al = json_array();
    const char *p = e->aliases;
    while (*p) {
        size_t n = strcspn(p, "|");
        if (n)
            jb_append(c, al, json_stringn(p, n));
        p += n + (p[n] == '|');
    }
    jb_put(c, o, "key", jb_str(e->key));
    jb_put(c, o, "name", jb_str(e->name));
    jb_put(c, o, "aliases", al);
    jb_put(c, o, "min", json_real(e->min));
    jb_put(c, o, "max", json_real(e->max));
    jb_put(c, o, "higher_is", jb_str(e->higher_better ? "better" : "worse"));
    jb_put(c, o, "mcid", json_real(e->mcid));
    jb_put(c, o, "mcid_percent", jb_num(e->mcid_pct));
    jb_put(c, o, "population", jb_str(e->population));
    jb_put(c, o, "cite", jb_str(e->cite));
    jb_put(c, o, "source", jb_str(e->source));
    jb_put(c, o, "note", jb_str(e->note));
    jb_put(c, o, "origin", jb_str(app_instrument_is_user(u, e) ? "user" : "shipped"));
    return o;
}

static void md_cell(sbuf *b, const char *s)
{
    sb_puts(b, " ");
    for (; *s; s++) {
        if (*s == '|')
            sb_puts(b, "\\");
        sb_add(b, s, 1);
    }
    sb_puts(b, " |");
}

static void md(sbuf *b, const app_instrument *const *v, size_t n)
{
    sbuf t;
    sb_init(&t);
    sb_puts(b, "| key | instrument | range | higher is | MCID | population | source |\n"
               "| --- | --- | --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < n; i++) {
        const app_instrument *e = v[i];
        sb_puts(b, "|");
        md_cell(b, e->key);
        md_cell(b, e->name);
        reset(&t);
        range(&t, e);
        md_cell(b, txt(&t));
        md_cell(b, e->higher_better ? "better" : "worse");
        reset(&t);
        mcid(&t, e);
        md_cell(b, txt(&t));
        md_cell(b, e->population);
        md_cell(b, e->cite);
        sb_puts(b, "\n");
    }
    sb_puts(b, "\nSources:\n\n");
    for (size_t i = 0; i < n; i++) {
        sb_printf(b, "- `%s`: %s", v[i]->key, v[i]->source);
        if (*v[i]->note)
            sb_printf(b, " Note: %s", v[i]->note);
        sb_puts(b, "\n");
    }
    if (t.oom)
        b->oom = 1;
    sb_free(&t);
}

static int render(const opts *o, const app_instruments *u, const app_instrument *one, sbuf *b)
{
    size_t n = one ? 1 : app_instruments_count(u);
    const app_instrument **v = app_calloc(n, sizeof *v);
    int rc = 0;
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        v[i] = one ? one : app_instruments_at(u, i);
    if (strcmp(o->format, "text") == 0) {
        if (one)
            text_one(b, u, one, o->file);
        else
            text_list(b, u, o->file);
    } else if (strcmp(o->format, "csv") == 0) {
        sb_puts(b, "key,name,aliases,min,max,higher_is,mcid,mcid_type,population,cite,source,note\n");
        for (size_t i = 0; i < n; i++)
            csv_row(b, v[i]);
    } else if (strcmp(o->format, "md") == 0) {
        md(b, v, n);
    } else {
        jb c = {0};
        json_t *root = json_object(), *a = json_array();
        for (size_t i = 0; i < n; i++)
            jb_append(&c, a, json_one(&c, u, v[i]));
        jb_put(&c, root, "instruments", a);
        rc = jb_dump(&c, root, b);
    }
    app_free(v);
    return rc != 0 || b->oom ? -1 : 0;
}

static int unknown(const app_instruments *u, const char *name)
{
    const char *keys[4];
    size_t k = app_instruments_suggest(u, name, keys, 4);
    fprintf(stderr, "metasyn instruments: unknown instrument '%s'", name);
    for (size_t i = 0; i < k; i++)
        fprintf(stderr, "%s%s", i == 0 ? "; did you mean " : i + 1 == k ? " or " : ", ", keys[i]);
    fputs(k ? "?\n" : "\n", stderr);
    fputs("'metasyn instruments' lists them all (--file adds your own).\n", stderr);
    return APP_EXIT_USAGE;
}

int cmd_instruments(int argc, char **argv)
{
    static const struct option lo[] = {{"file", required_argument, NULL, 'F'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    opts o = {NULL, "text", NULL, NULL};
    app_instruments u = {0};
    app_err e = {0, ""};
    const app_instrument *one = NULL;
    sbuf b;
    int rest, rc;
    if ((rc = cli_getopt(argc, argv, "instruments", ":F:f:o:h", lo, usage, set_opt, &o, &rest)) != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    if (argc - rest > 1) {
        cli_usage_error("instruments", "give at most one NAME");
        return APP_EXIT_USAGE;
    }
    o.name = rest < argc ? argv[rest] : NULL;
    if (o.file && app_instruments_read(o.file, &u, &e) != 0) {
        fprintf(stderr, "metasyn instruments: %s\n", e.msg);
        return e.code;
    }
    if (o.name && !(one = app_instruments_find(&u, o.name))) {
        rc = unknown(&u, o.name);
        app_instruments_free(&u);
        return rc;
    }
    sb_init(&b);
    if (render(&o, &u, one, &b) != 0) {
        app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
        rc = -1;
    } else
        rc = app_write_output(o.output, b.p, b.len, &e);
    sb_free(&b);
    app_instruments_free(&u);
    if (rc != 0) {
        fprintf(stderr, "metasyn instruments: %s\n", e.msg);
        return e.code;
    }
    return APP_EXIT_OK;
}
