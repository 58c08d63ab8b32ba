/*
 * cmd_rob.c - `metasyn rob FILE.csv --tool T`: a risk-of-bias assessment
 * in robvis's CSV layout, checked strictly, reported as a table with the
 * judgements per domain (text, json, csv) and drawn as robvis's
 * traffic-light and summary plots.  Reading: app/rob_read.c; figures:
 * app/plot_rob.c; docs/cli/rob.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "plot_rob.h"

#include "cli.h"
#include "review_cli.h"

static const char usage[] =
    "Usage: metasyn rob FILE.csv|REVIEW.msr --tool T [--format text|json|csv] [-o FILE]\n"
    "                   [--traffic-light FIG] [--summary FIG [--weighted]]\n"
    "                   [--palette cochrane|colourblind] [--dpi D] [--font FAMILY]\n"
    "\n"
    "Reads a risk-of-bias assessment in robvis's layout (Study, one column per\n"
    "domain of the tool, Overall, an optional Weight; optional '<domain> support'\n"
    "columns with the text behind a judgement), checks every cell against the\n"
    "tool's judgements, and reports the judgements and their counts per domain.\n"
    "\n"
    "  -t, --tool T            rob2 (RoB 2, 5 domains), rob1 (Cochrane 2011, 7),\n"
    "                          robins-i (ROBINS-I, 7), sign-rct (SIGN 50 RCT items\n"
    "                          1.1-1.10), sign-cohort (SIGN 50 cohort items\n"
    "                          1.1-1.14), generic (the header names the domains)\n"
    "  -f, --format F          text (default), json, or csv (robvis's layout with\n"
    "                          the tool's words: reads back the same)\n"
    "  -o, --output FILE       write the report to FILE (atomically), not stdout\n"
    "      --traffic-light FIG the traffic-light plot: .svg, .pdf or .png\n"
    "      --summary FIG       the summary plot (100% bar per domain)\n"
    "      --weighted          summary bars by the Weight column, not by studies\n"
    "      --palette P         cochrane (default) or colourblind, as robvis\n"
    "      --dpi D             PNG resolution (default 300)\n"
    "      --font FAMILY       font family of the figures (default DejaVu Sans)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Tools, domains, judgement words and the CSV layout: docs/cli/rob.md.\n"
    "\n"
    "Exit codes: 0; 2 usage; 3 invalid assessment (FILE:LINE:COL given);\n"
    "4 cannot read or write; 6 out of memory.\n";

typedef struct opts {
    const char *format, *output, *traffic, *summary, *font;
    int tool_set, weighted;
    app_rob_tool tool;
    plot_rob_palette pal;
    double dpi;
} opts;

static int set(void *ctx, int c, const char *arg)
{
    opts *o = ctx;
    double x;
    switch (c) {
    case 't':
        if (app_rob_tool_parse(arg, &o->tool) != 0)
            return cli_bad("rob", "--tool", arg, "rob2, rob1, robins-i, sign-rct, sign-cohort or generic");
        o->tool_set = 1;
        return 0;
    case 'f':
        if (strcmp(arg, "text") && strcmp(arg, "json") && strcmp(arg, "csv"))
            return cli_bad("rob", "--format", arg, "text, json or csv");
        o->format = arg;
        return 0;
    case 'o':
        o->output = arg;
        return 0;
    case 'T':
    case 'S':
        if (plot_format_of(arg) < 0)
            return cli_bad("rob", c == 'T' ? "--traffic-light" : "--summary", arg,
                           "a file name ending in .svg, .pdf or .png");
        *(c == 'T' ? &o->traffic : &o->summary) = arg;
        return 0;
    case 'w':
        o->weighted = 1;
        return 0;
    case 'P':
        if (strcmp(arg, "cochrane") == 0)
            o->pal = PLOT_ROB_COCHRANE;
        else if (strcmp(arg, "colourblind") == 0 || strcmp(arg, "colorblind") == 0)
            o->pal = PLOT_ROB_COLOURBLIND;
        else
            return cli_bad("rob", "--palette", arg, "cochrane or colourblind");
        return 0;
    case 'd':
        if (!cli_parse_number(arg, &x) || x < 36 || x > 1200)
            return cli_bad("rob", "--dpi", arg, "a resolution from 36 to 1200");
        o->dpi = x;
        return 0;
    case 'F':
        o->font = arg;
        return 0;
    default:
        return -1;
    }
}

/* The levels reported: the tool's own and any present in the data. */
static unsigned levels(const app_rob_table *rt)
{
    const app_rob_tooldef *d = app_rob_tool_def(rt->tool);
    unsigned u = d->levels | d->overall_levels;
    for (size_t i = 0; i < rt->k; i++)
        for (size_t j = 0; j < rt->ndomain; j++)
            u |= 1u << rt->s[i].d[j];
    return u & ~1u;
}

static void headline(const app_rob_table *rt, sbuf *o)
{
    const app_rob_tooldef *d = app_rob_tool_def(rt->tool);
    double n[APP_ROB_NLEVELS];
    int first = 1;
    app_rob_count(rt, rt->ndomain, 0, n);
    sb_printf(o, "%s, %zu stud%s: overall", d->title, rt->k, rt->k == 1 ? "y" : "ies");
    for (int lv = 1; lv < APP_ROB_NLEVELS; lv++) {
        if (!(d->overall_levels & (1u << lv)) && n[lv] == 0)
            continue;
        sb_printf(o, "%s %.0f ", first ? "" : ",", n[lv]);
        first = 0;
        for (const char *w = app_rob_tool_word(rt->tool, (app_rob_level)lv, 1); *w; w++)
            sb_printf(o, "%c", *w >= 'A' && *w <= 'Z' ? *w - 'A' + 'a' : *w);
    }
    sb_puts(o, "\n");
}

static void text(const app_rob_table *rt, sbuf *o)
{
    size_t sw = 5, *cw = app_calloc(rt->ndomain + 1, sizeof *cw);
    unsigned u = levels(rt);
    if (!cw) {
        o->oom = 1;
        return;
    }
    headline(rt, o);
    for (size_t i = 0; i < rt->k; i++)
        if (app_utf8_width(rt->s[i].label) > sw)
            sw = app_utf8_width(rt->s[i].label);
    for (size_t d = 0; d <= rt->ndomain; d++) {
        cw[d] = app_utf8_width(d < rt->ndomain ? rt->label[d] : "Overall");
        for (size_t i = 0; i < rt->k; i++) {
            const char *w = app_rob_tool_word(rt->tool, d < rt->ndomain ? rt->s[i].d[d] : rt->s[i].overall,
                                              d == rt->ndomain);
            if (app_utf8_width(w) > cw[d])
                cw[d] = app_utf8_width(w);
        }
    }
    sb_puts(o, "\n");
    sb_pad(o, "Study", sw, 0);
    for (size_t d = 0; d <= rt->ndomain; d++) {
        sb_puts(o, "  ");
        sb_pad(o, d < rt->ndomain ? rt->label[d] : "Overall", d == rt->ndomain ? 0 : cw[d], 0);
    }
    sb_puts(o, "\n");
    for (size_t i = 0; i < rt->k; i++) {
        sb_pad(o, rt->s[i].label, sw, 0);
        for (size_t d = 0; d <= rt->ndomain; d++) {
            sb_puts(o, "  ");
            sb_pad(o,
                   app_rob_tool_word(rt->tool, d < rt->ndomain ? rt->s[i].d[d] : rt->s[i].overall,
                                     d == rt->ndomain),
                   d == rt->ndomain ? 0 : cw[d], 0);
        }
        sb_puts(o, "\n");
    }
    sb_puts(o, "\nStudies per judgement:\n");
    sb_pad(o, "", 8, 0);
    for (int lv = 1; lv < APP_ROB_NLEVELS; lv++)
        if (u & (1u << lv)) {
            sb_puts(o, "  ");
            sb_puts(o, app_rob_tool_word(rt->tool, (app_rob_level)lv, 0));
        }
    sb_puts(o, "  Domain\n");
    for (size_t d = 0; d <= rt->ndomain; d++) {
        double n[APP_ROB_NLEVELS];
        char num[32];
        app_rob_count(rt, d, 0, n);
        sb_pad(o, d < rt->ndomain ? rt->label[d] : "Overall", 8, 0);
        for (int lv = 1; lv < APP_ROB_NLEVELS; lv++)
            if (u & (1u << lv)) {
                snprintf(num, sizeof num, "%.0f", n[lv]);
                sb_puts(o, "  ");
                sb_pad(o, num, app_utf8_width(app_rob_tool_word(rt->tool, (app_rob_level)lv, 0)), 1);
            }
        sb_printf(o, "  %s\n", d < rt->ndomain ? rt->name[d] : "Overall risk of bias");
    }
    app_free(cw);
}

static int json(const app_rob_table *rt, sbuf *o)
{
    jb c = {0};
    json_t *root = json_object(), *doms = json_array(), *st = json_array(), *cnt = json_array();
    unsigned u = levels(rt);
    jb_put(&c, root, "tool", jb_str(app_rob_tool_def(rt->tool)->id));
    jb_put(&c, root, "tool_name", jb_str(app_rob_tool_def(rt->tool)->title));
    jb_put(&c, root, "k", json_integer((json_int_t)rt->k));
    for (size_t d = 0; d < rt->ndomain; d++) {
        json_t *x = json_object();
        jb_put(&c, x, "label", jb_str(rt->label[d]));
        jb_put(&c, x, "name", jb_str(rt->name[d]));
        jb_append(&c, doms, x);
    }
    jb_put(&c, root, "domains", doms);
    for (size_t i = 0; i < rt->k; i++) {
        const app_rob_study *s = &rt->s[i];
        json_t *x = json_object(), *j = json_array(), *sup = json_array();
        jb_put(&c, x, "study", jb_str(s->label));
        for (size_t d = 0; d < rt->ndomain; d++) {
            jb_append(&c, j, s->d[d] ? jb_str(app_rob_word(s->d[d])) : json_null());
            jb_append(&c, sup, jb_str(s->support[d]));
        }
        jb_append(&c, sup, jb_str(s->support[rt->ndomain]));
        jb_put(&c, x, "judgements", j);
        jb_put(&c, x, "overall", jb_str(app_rob_word(s->overall)));
        if (rt->has_weight)
            jb_put(&c, x, "weight", jb_num(s->weight));
        if (rt->has_support)
            jb_put(&c, x, "support", sup);
        else
            json_decref(sup);
        jb_append(&c, st, x);
    }
    jb_put(&c, root, "studies", st);
    for (size_t d = 0; d <= rt->ndomain; d++) {
        double n[APP_ROB_NLEVELS];
        json_t *x = json_object();
        app_rob_count(rt, d, 0, n);
        jb_put(&c, x, "domain", jb_str(d < rt->ndomain ? rt->label[d] : "Overall"));
        for (int lv = 1; lv < APP_ROB_NLEVELS; lv++)
            if (u & (1u << lv))
                jb_put(&c, x, app_rob_word((app_rob_level)lv), json_integer((json_int_t)n[lv]));
        jb_append(&c, cnt, x);
    }
    jb_put(&c, root, "counts", cnt);
    return jb_dump(&c, root, o);
}

/* Draw one figure into a new output. */
static int figure(const app_rob_table *rt, const opts *o, int summary, app_outputs *out, app_err *e)
{
    const char *path = summary ? o->summary : o->traffic;
    int fmt = plot_format_of(path), rc;
    app_output *x;
    plot p;
    memset(&p, 0, sizeof p);
    rc = summary ? plot_rob_summary(rt, o->pal, o->weighted, o->font, &p, e)
                 : plot_rob_traffic(rt, o->pal, o->font, &p, e);
    if (rc == 0 && getenv("METASYN_CHECK_LAYOUT")) {
        char why[512];
        size_t bad = plot_check_text(&p, 0.25, why, sizeof why);
        if (bad) {
            app_err_set(e, APP_EXIT_INTERNAL, "%s: layout check: %zu problem%s, first: %s", path, bad,
                        bad == 1 ? "" : "s", why);
            rc = -1;
        }
    }
    if (rc == 0 && !(x = app_outputs_add(out, path))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        rc = -1;
    }
    if (rc == 0) {
        rc = fmt == PLOT_SVG ? plot_svg(&p, &x->data) : plot_cairo(&p, (plot_format)fmt, o->dpi, &x->data);
        if (rc != 0 || x->data.oom) {
            app_err_set(e, APP_EXIT_INTERNAL, "%s: could not render the figure (out of memory, or a PNG too large: "
                        "lower --dpi)", path);
            rc = -1;
        }
    }
    plot_free(&p);
    return rc;
}

static int is_review(const char *file)
{
    size_t n = strlen(file);
    return n > 4 && strcmp(file + n - 4, ".msr") == 0;
}

static int run(const opts *o, const char *file, app_err *e)
{
    app_table t;
    app_rob_table rt;
    app_outputs out = {0};
    sbuf rep;
    int rc = -1;
    memset(&t, 0, sizeof t);
    memset(&rt, 0, sizeof rt);
    sb_init(&rep);
    if (is_review(file)) {
        /* the judgements stored in a review file (metasyn review rob) */
        rv_db r;
        sbuf csv;
        int bad;
        sb_init(&csv);
        if (rv_open(file, &r, e) != 0) {
            sb_free(&csv);
            goto done;
        }
        bad = review_rob_csv(&r, o->tool, &csv, e) != 0 || app_table_parse(file, csv.p, csv.len, &t, e) != 0;
        rv_close(&r);
        sb_free(&csv);
        if (bad)
            goto done;
    } else if (app_table_read(file, &t, e) != 0) {
        goto done;
    }
    if (app_rob_read(&t, o->tool, &rt, e) != 0)
        goto done;
    if (strcmp(o->format, "json") == 0) {
        if (json(&rt, &rep) != 0)
            rep.oom = 1;
    } else if (strcmp(o->format, "csv") == 0)
        app_rob_csv(&rt, &rep);
    else
        text(&rt, &rep);
    if (rep.oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        goto done;
    }
    if ((o->traffic && figure(&rt, o, 0, &out, e) != 0) || (o->summary && figure(&rt, o, 1, &out, e) != 0))
        goto done;
    if (o->output && strcmp(o->output, "-") != 0) {
        app_output *x = app_outputs_add(&out, o->output);
        if (!x) {
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            goto done;
        }
        sb_add(&x->data, rep.p ? rep.p : "", rep.len);
        if (x->data.oom) {
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            goto done;
        }
    }
    if (out.n && app_outputs_write(&out, e) != 0)
        goto done;
    if (!o->output || strcmp(o->output, "-") == 0) {
        fwrite(rep.p ? rep.p : "", 1, rep.len, stdout);
        if (fflush(stdout) != 0) {
            app_err_set(e, APP_EXIT_IO, "cannot write to standard output");
            goto done;
        }
    }
    rc = 0;
done:
    app_outputs_free(&out);
    sb_free(&rep);
    app_rob_free(&rt);
    app_table_free(&t);
    return rc;
}

int cmd_rob(int argc, char **argv)
{
    static const struct option lo[] = {{"tool", required_argument, NULL, 't'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"traffic-light", required_argument, NULL, 'T'},
                                       {"summary", required_argument, NULL, 'S'},
                                       {"weighted", no_argument, NULL, 'w'},
                                       {"palette", required_argument, NULL, 'P'},
                                       {"dpi", required_argument, NULL, 'd'},
                                       {"font", required_argument, NULL, 'F'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    opts o = {"text", NULL, NULL, NULL, NULL, 0, 0, APP_ROB_TOOL_ROB2, PLOT_ROB_COCHRANE, 300};
    app_err e = {0};
    int rc, rest;
    if ((rc = cli_getopt(argc, argv, "rob", ":t:f:o:h", lo, usage, set, &o, &rest)) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (rest != argc - 1)
        return cli_usage_error("rob", rest == argc ? "name the assessment file (FILE.csv, or - for stdin)"
                                                   : "one assessment file only"),
               APP_EXIT_USAGE;
    if (!o.tool_set)
        return cli_usage_error("rob", "name the tool: --tool rob2|rob1|robins-i|sign-rct|sign-cohort|generic"),
               APP_EXIT_USAGE;
    if (o.weighted && !o.summary)
        return cli_usage_error("rob", "--weighted applies to --summary; add --summary FIG"), APP_EXIT_USAGE;
    if (run(&o, argv[rest], &e) == 0)
        return 0;
    fprintf(stderr, "metasyn rob: %s\n", e.msg);
    return e.code ? e.code : APP_EXIT_INTERNAL;
}
