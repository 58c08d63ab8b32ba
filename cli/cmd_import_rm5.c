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

#include <jansson.h>

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

static int usage_error(const char *fmt, const char *arg)
{
    fputs("metasyn import-rm5: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'metasyn import-rm5 --help'.\n", stderr);
    return -1;
}

/* 0 ok, 1 help printed, -1 usage error (printed). */
static int parse(int argc, char **argv, opts *o)
{
    static const struct option lo[] = {
        {"out", required_argument, NULL, 'O'}, {"force", no_argument, NULL, 'F'},
        {"quiet", no_argument, NULL, 'q'},     {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};
    int c;
    o->format = "text";
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":O:qf:h", lo, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return 1;
        case 'O':
            o->dir = optarg;
            break;
        case 'F':
            o->force = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'f':
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
                return usage_error("--format %s: expected text or json", optarg);
            o->format = optarg;
            break;
        case ':':
            return usage_error("missing value for option '%s'", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("%s", "no input file given (use - for standard input)");
    if (optind != argc - 1)
        return usage_error("%s", "more than one input file given");
    if (!o->dir || !*o->dir)
        return usage_error("%s", "no output folder given: use --out DIR");
    o->input = argv[optind];
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

/* Set o[key] = v; any failure (v NULL included) marks *bad.
 * json_object_set_new() takes v even when it fails. */
static void put(json_t *o, const char *key, json_t *v, int *bad)
{
    if (!o || !v || json_object_set_new(o, key, v) != 0) {
        *bad = 1;
        if (!o)
            json_decref(v);
    }
}

static json_t *str(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *analysis_json(const rm5_analysis *a, const char *dir, int *bad)
{
    json_t *o = json_object();
    sbuf cmd;
    char *path = join(dir, a->file);
    sb_init(&cmd);
    if (path)
        rm5_command(a, path, &cmd);
    if (!path || cmd.oom)
        *bad = 1;
    put(o, "file", str(a->file), bad);
    put(o, "comparison_no", str(a->comp_no), bad);
    put(o, "comparison", str(a->comp_name), bad);
    put(o, "outcome_no", str(a->out_no), bad);
    put(o, "outcome", str(a->out_name), bad);
    put(o, "data_type", str(rm5_type_name(a->type)), bad);
    put(o, "measure", str(a->measure), bad);
    put(o, "method", str(a->method), bad);
    put(o, "model", str(a->random ? "random" : "fixed"), bad);
    put(o, "k", json_integer((json_int_t)a->nrow), bad);
    put(o, "subgroups", json_boolean(a->has_subgroups), bad);
    put(o, "command", str(cmd.p ? cmd.p : ""), bad);
    app_free(path);
    sb_free(&cmd);
    return o;
}

static int summary_json(const rm5_review *r, const char *dir, sbuf *b)
{
    json_t *root = json_object(), *an = json_array(), *w = json_array();
    json_t *meta = json_object(), *in = json_object();
    char *s = NULL;
    int bad = !an || !w;
    for (size_t i = 0; !bad && i < r->n; i++) {
        json_t *o = analysis_json(&r->a[i], dir, &bad);
        if (!o || json_array_append_new(an, o) != 0)
            bad = 1;
    }
    for (size_t i = 0; !bad && i < r->warnings.n; i++)
        bad = json_array_append_new(w, json_string(r->warnings.s[i])) != 0;
    put(meta, "name", str("metasyn"), &bad);
    put(meta, "version", str(MSYN_VERSION_STRING), &bad);
    put(meta, "command", str("import-rm5"), &bad);
    put(in, "file", str(r->file), &bad);
    put(in, "title", str(r->title ? r->title : ""), &bad);
    put(in, "recoded", json_boolean(r->recoded), &bad);
    put(root, "metasyn", meta, &bad);
    put(root, "input", in, &bad);
    put(root, "out", str(dir), &bad);
    put(root, "analyses", an, &bad);
    put(root, "warnings", w, &bad);
    /* json_dumpb() into a buffer of the right size: json_dumps() grows a
     * buffer, and jansson (2.14) ignores a failed growth while writing an
     * object key, which would print a damaged key instead of failing. */
    if (!bad) {
        size_t need = json_dumpb(root, NULL, 0, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (need > 0 && (s = app_alloc(need)) != NULL &&
            json_dumpb(root, s, need, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == need) {
            sb_add(b, s, need);
            sb_puts(b, "\n");
        } else {
            bad = 1;
        }
    }
    app_free(s);
    json_decref(root);
    return bad || b->oom ? -1 : 0;
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
