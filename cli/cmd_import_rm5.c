/*
 * cmd_import_rm5.c - `metasyn import-rm5`: the analyses of a Cochrane
 * RevMan 5 review as study files for `metasyn pool`.  docs/cli/import-rm5.md.
 *
 * Everything is read and every file's content is built in memory first;
 * only then are files written (each atomically).  When a write fails, the
 * files this run created, and the folders it created, are removed again.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"

#include "cli.h"
#include "rm5.h"

static const char usage[] =
    "Usage: metasyn import-rm5 [OPTIONS] FILE.rm5 --out DIR   (FILE - reads standard input)\n"
    "\n"
    "Write every analysis (comparison x outcome) of a Cochrane RevMan 5 review as a\n"
    "study file DIR/<comparison>.<outcome>.csv in metasyn's column names, and\n"
    "DIR/index.csv: one row per analysis with RevMan's settings (measure, method,\n"
    "model, CI levels), its stored results and the `metasyn pool` command that\n"
    "reruns the analysis under RevMan 5's conventions.\n"
    "\n"
    "  -O, --out DIR         folder for the files (created if missing)\n"
    "      --force           overwrite files that already exist in DIR\n"
    "  -q, --quiet           no summary on standard output (warnings still go to\n"
    "                        standard error)\n"
    "  -f, --format F        summary as text (default) or json\n"
    "  -h, --help            show this help\n"
    "\n"
    "Columns: study, study_id, subgroup (when the outcome has subgroups), then\n"
    "dichotomous ai n1i ci n2i; continuous m1i sd1i n1i m2i sd2i n2i; generic\n"
    "inverse variance yi sei; O-E oei vei (n1i n2i when RevMan has them).\n"
    "Numbers are written exactly as in the review.\n"
    "\n"
    "Exit codes: 0 written; 2 usage; 3 not a RevMan 5 review (FILE:LINE:COL);\n"
    "4 cannot read FILE, or write DIR, or a file exists without --force;\n"
    "6 out of memory.\n";

typedef struct opts {
    const char *input, *dir, *format;
    int force, quiet;
} opts;

static int set_opt(void *ctx, int c, const char *arg)
{
    opts *o = ctx;
    switch (c) {
    case 'O':
        o->dir = arg;
        return 0;
    case 'F':
        o->force = 1;
        return 0;
    case 'q':
        o->quiet = 1;
        return 0;
    case 'f':
        if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
            return cli_bad("import-rm5", "--format", arg, "text or json");
        o->format = arg;
        return 0;
    default:
        return -1;
    }
}

/* 0 ok, 1 help printed, -1 usage error (printed). */
static int parse(int argc, char **argv, opts *o)
{
    static const struct option lo[] = {
        {"out", required_argument, NULL, 'O'}, {"force", no_argument, NULL, 'F'},
        {"quiet", no_argument, NULL, 'q'},     {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};
    int rc, rest;
    o->format = "text";
    if ((rc = cli_getopt(argc, argv, "import-rm5", ":O:qf:h", lo, usage, set_opt, o, &rest)) != 0)
        return rc;
    if (rest >= argc)
        return cli_usage_error("import-rm5", "no input file given (use - for standard input)");
    if (rest != argc - 1)
        return cli_usage_error("import-rm5", "more than one input file given");
    if (!o->dir || !*o->dir)
        return cli_usage_error("import-rm5", "no output folder given: use --out DIR");
    o->input = argv[rest];
    return 0;
}

/* ---- the files to write ------------------------------------------------ */

typedef struct outfile {
    char *path;
    sbuf data;
    int existed, written;
} outfile;

typedef struct plan {
    outfile *f;
    size_t n;
    char *made[64]; /* folders created by this run, outermost first */
    size_t nmade;
} plan;

static void plan_free(plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        app_free(p->f[i].path);
        sb_free(&p->f[i].data);
    }
    app_free(p->f);
    for (size_t i = 0; i < p->nmade; i++)
        app_free(p->made[i]);
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    int slash = dl > 0 && dir[dl - 1] != '/';
    char *s = app_alloc(dl + nl + 2);
    if (s) {
        memcpy(s, dir, dl);
        if (slash)
            s[dl] = '/';
        memcpy(s + dl + (size_t)slash, name, nl + 1);
    }
    return s;
}

static int build(const rm5_review *r, const char *dir, plan *p, app_err *e)
{
    if (!(p->f = app_calloc(r->n + 1, sizeof *p->f)))
        goto oom;
    for (size_t i = 0; i <= r->n; i++) {
        outfile *f = &p->f[i];
        sb_init(&f->data);
        p->n++;
        f->path = join(dir, i < r->n ? r->a[i].file : "index.csv");
        if (!f->path || (i < r->n ? rm5_csv(&r->a[i], &f->data) : rm5_index_csv(r, dir, &f->data)) != 0)
            goto oom;
    }
    return 0;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

/* Create dir and its missing parents, remembering which were made. */
static int make_dir(plan *p, const char *dir, app_err *e)
{
    struct stat st;
    char *tmp = app_strdup(dir);
    size_t len;
    if (!tmp) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    len = strlen(tmp);
    for (size_t i = 1; i <= len; i++) {
        char save = tmp[i];
        if (save != '/' && save != '\0')
            continue;
        tmp[i] = '\0';
        if (stat(tmp, &st) != 0) {
            if (mkdir(tmp, 0777) != 0) {
                app_err_set(e, APP_EXIT_IO, "%s: cannot create the folder: %s", tmp, strerror(errno));
                app_free(tmp);
                return -1;
            }
            if (p->nmade < sizeof p->made / sizeof p->made[0] && (p->made[p->nmade] = app_strdup(tmp)))
                p->nmade++;
        } else if (!S_ISDIR(st.st_mode)) {
            app_err_set(e, APP_EXIT_IO, "%s: exists and is not a folder", tmp);
            app_free(tmp);
            return -1;
        }
        tmp[i] = save;
    }
    app_free(tmp);
    return 0;
}

/* Remove what this run created: files that did not exist, then folders. */
static void undo(plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->f[i].written && !p->f[i].existed)
            unlink(p->f[i].path);
    for (size_t i = p->nmade; i-- > 0;)
        rmdir(p->made[i]);
}

static int write_all(plan *p, const char *dir, int force, app_err *e)
{
    struct stat st;
    for (size_t i = 0; i < p->n; i++) {
        p->f[i].existed = lstat(p->f[i].path, &st) == 0;
        if (p->f[i].existed && !force) {
            app_err_set(e, APP_EXIT_IO, "%s already exists: nothing was written (use --force to "
                        "overwrite, or another --out folder)", p->f[i].path);
            return -1;
        }
    }
    if (make_dir(p, dir, e) != 0) {
        undo(p);
        return -1;
    }
    for (size_t i = 0; i < p->n; i++) {
        outfile *f = &p->f[i];
        if (app_write_output(f->path, f->data.p ? f->data.p : "", f->data.len, e) != 0) {
            undo(p);
            return -1;
        }
        f->written = 1;
    }
    return 0;
}

/* ---- summary ----------------------------------------------------------- */

static void summary_text(const rm5_review *r, const char *dir, sbuf *b)
{
    sb_printf(b, "metasyn %s: %zu analys%s of %s written to %s\n", MSYN_VERSION_STRING, r->n,
              r->n == 1 ? "is" : "es", r->file, dir);
    if (r->n > 0)
        sb_puts(b, "\nFile            Data         Measure  Method  Model    k  Outcome\n");
    for (size_t i = 0; i < r->n; i++) {
        const rm5_analysis *a = &r->a[i];
        sb_pad(b, a->file, 15, 0);
        sb_puts(b, " ");
        sb_pad(b, rm5_type_name(a->type), 12, 0);
        sb_puts(b, " ");
        sb_pad(b, a->measure ? a->measure : "?", 8, 0);
        sb_puts(b, " ");
        sb_pad(b, a->method ? a->method : "?", 7, 0);
        sb_puts(b, " ");
        sb_pad(b, a->random ? "random" : "fixed", 6, 0);
        sb_printf(b, " %3zu  %s: %s\n", a->nrow, a->comp_name ? a->comp_name : "",
                  a->out_name ? a->out_name : "");
    }
    sb_puts(b, "\nIndex (settings, RevMan's results, pool commands): ");
    sb_puts(b, dir);
    if (*dir && dir[strlen(dir) - 1] != '/')
        sb_puts(b, "/");
    sb_puts(b, "index.csv\n");
    if (r->warnings.n > 0) {
        sb_puts(b, "\nWarnings\n");
        for (size_t i = 0; i < r->warnings.n; i++)
            sb_printf(b, "  %s\n", r->warnings.s[i]);
    }
}

static json_t *analysis_json(const rm5_analysis *a, const char *dir, jb *c)
{
    json_t *o = json_object();
    sbuf cmd;
    char *path = join(dir, a->file);
    sb_init(&cmd);
    if (path)
        rm5_command(a, path, &cmd);
    if (!path || cmd.oom)
        c->oom = 1;
    jb_put(c, o, "file", jb_str(a->file));
    jb_put(c, o, "comparison_no", jb_str(a->comp_no));
    jb_put(c, o, "comparison", jb_str(a->comp_name));
    jb_put(c, o, "outcome_no", jb_str(a->out_no));
    jb_put(c, o, "outcome", jb_str(a->out_name));
    jb_put(c, o, "data_type", jb_str(rm5_type_name(a->type)));
    jb_put(c, o, "measure", jb_str(a->measure));
    jb_put(c, o, "method", jb_str(a->method));
    jb_put(c, o, "model", jb_str(a->random ? "random" : "fixed"));
    jb_put(c, o, "k", json_integer((json_int_t)a->nrow));
    jb_put(c, o, "subgroups", json_boolean(a->has_subgroups));
    jb_put(c, o, "command", jb_str(cmd.p ? cmd.p : ""));
    app_free(path);
    sb_free(&cmd);
    return o;
}

static int summary_json(const rm5_review *r, const char *dir, sbuf *b)
{
    jb c = {0};
    json_t *root = json_object(), *an = json_array(), *w = json_array();
    json_t *meta = json_object(), *in = json_object();
    for (size_t i = 0; i < r->n; i++)
        jb_append(&c, an, analysis_json(&r->a[i], dir, &c));
    for (size_t i = 0; i < r->warnings.n; i++)
        jb_append(&c, w, json_string(r->warnings.s[i]));
    jb_put(&c, meta, "name", jb_str("metasyn"));
    jb_put(&c, meta, "version", jb_str(MSYN_VERSION_STRING));
    jb_put(&c, meta, "command", jb_str("import-rm5"));
    jb_put(&c, in, "file", jb_str(r->file));
    jb_put(&c, in, "title", jb_str(r->title ? r->title : ""));
    jb_put(&c, in, "recoded", json_boolean(r->recoded));
    jb_put(&c, root, "metasyn", meta);
    jb_put(&c, root, "input", in);
    jb_put(&c, root, "out", jb_str(dir));
    jb_put(&c, root, "analyses", an);
    jb_put(&c, root, "warnings", w);
    return jb_dump(&c, root, b);
}

int cmd_import_rm5(int argc, char **argv)
{
    opts o;
    rm5_review r;
    plan p;
    app_err e = {0, ""};
    sbuf sum;
    int rc;
    memset(&o, 0, sizeof o);
    memset(&p, 0, sizeof p);
    sb_init(&sum);
    if ((rc = parse(argc, argv, &o)) != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    rc = rm5_read(o.input, &r, &e);
    if (rc == 0)
        rc = build(&r, o.dir, &p, &e);
    if (rc == 0) {
        if (strcmp(o.format, "json") == 0 ? summary_json(&r, o.dir, &sum) != 0
                                          : (summary_text(&r, o.dir, &sum), sum.oom)) {
            app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
            rc = -1;
        }
    }
    if (rc == 0)
        rc = write_all(&p, o.dir, o.force, &e);
    if (rc == 0 && o.quiet)
        for (size_t i = 0; i < r.warnings.n; i++)
            fprintf(stderr, "warning: %s\n", r.warnings.s[i]);
    if (rc == 0 && !o.quiet)
        rc = app_write_output(NULL, sum.p ? sum.p : "", sum.len, &e);
    sb_free(&sum);
    plan_free(&p);
    rm5_free(&r);
    if (rc == 0)
        return APP_EXIT_OK;
    fprintf(stderr, "%s\n", e.msg);
    return e.code ? e.code : APP_EXIT_INTERNAL;
}
