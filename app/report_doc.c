/*
 * report_doc.c - the document of --report: one self-contained HTML page
 * (inline CSS and SVG, no scripts, nothing fetched from anywhere) or a
 * Markdown file with the figures as SVG files beside it.
 *
 * The sections appear only when they apply: the analysis and its
 * settings, data checks and warnings, the studies, the pooled result and
 * heterogeneity, subgroups, sensitivity analyses, small-study effects or
 * meta-regression, the figures, the methods paragraph, the results
 * sentence and the references cited.  A figure that cannot be drawn is
 * replaced by a visible note saying why, never dropped silently.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plot.h"
#include "report_doc_int.h"

static const char css[] =
    "body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,Helvetica,sans-serif;font-size:11pt;"
    "line-height:1.45;color:#111;background:#fff;margin:0}\n"
    "main{max-width:60em;margin:0 auto;padding:1.5em 2em}\n"
    "h1{font-size:1.6em;margin:0 0 .2em}\nh2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:1px solid #bbb}\n"
    "h3{font-size:1.05em;margin:1.2em 0 .4em}\n"
    "p.sub{color:#444;margin:0 0 1em}\n"
    "table{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}\n"
    "th,td{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}\n"
    "thead th{border-bottom:2px solid #555}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "figure{margin:1em 0;break-inside:avoid;page-break-inside:avoid}\n"
    "figure svg{max-width:100%;height:auto;display:block}\n"
    "figcaption{font-size:.9em;color:#333;margin-top:.3em}\n"
    "p.note{border-left:4px solid #c60;background:#fff6ee;padding:.4em .8em}\n"
    "p.results,p.methods{text-align:justify}\n"
    "ul.refs{list-style:none;padding-left:0}\nul.refs li{padding-left:2em;text-indent:-2em;margin:.2em 0}\n"
    "@media print{@page{margin:15mm}body{font-size:10pt}main{max-width:none;padding:0}"
    "h2,h3{break-after:avoid;page-break-after:avoid}"
    "tr,li{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}"
    "figure svg{width:100%}}\n";

static const char *fig_caption(app_fig f)
{
    switch (f) {
    case APP_FIG_FOREST: return "Forest plot";
    case APP_FIG_FUNNEL: return "Funnel plot";
    case APP_FIG_BAUJAT: return "Baujat plot";
    case APP_FIG_LABBE: return "L'Abbé plot";
    case APP_FIG_RADIAL: return "Radial (Galbraith) plot";
    case APP_FIG_BUBBLE: return "Bubble plot";
    case APP_FIG_LEAVE1OUT: return "Leave-one-out forest plot";
    case APP_FIG_CUMULATIVE: return "Cumulative forest plot";
    case APP_FIG_GOSH: return "GOSH plot";
    default: return "Figure";
    }
}

/* "forest", "leave1out", ... (the flag without "--" and "-plot"). */
static void fig_name(app_fig f, char *buf, size_t n)
{
    const char *flag = app_fig_flag(f);
    size_t len;
    snprintf(buf, n, "%s", flag[0] == '-' && flag[1] == '-' ? flag + 2 : flag);
    len = strlen(buf);
    if (len > 5 && strcmp(buf + len - 5, "-plot") == 0)
        buf[len - 5] = '\0';
}

/* The figures of the report: pool: forest, funnel (k >= 3 pooled); reg: bubble;
 * bias: funnel; and every figure asked for with its flag. */
static size_t figures_wanted(const app_result *r, int want[APP_FIG_COUNT])
{
    size_t n = 0;
    for (int f = 0; f < APP_FIG_COUNT; f++)
        want[f] = r->fig.path[f] != NULL;
    if (strcmp(r->command, "reg") == 0) {
        want[APP_FIG_BUBBLE] = 1;
    } else if (strcmp(r->command, "bias") == 0) {
        want[APP_FIG_FUNNEL] = 1;
    } else {
        want[APP_FIG_FOREST] = 1; /* also of studies listed, not pooled */
        if (r->fitted && r->fit.k >= 3)
            want[APP_FIG_FUNNEL] = 1;
    }
    for (int f = 0; f < APP_FIG_COUNT; f++)
        n += want[f] != 0;
    return n;
}

void doc_svg_inline(sbuf *o, const char *svg, size_t len, const char *pfx)
{
    static const char ns[] = " xmlns=\"http://www.w3.org/2000/svg\"";
    const char *p = svg, *end = svg + len;
    int intag = 0;
    if (len >= 5 && strncmp(p, "<?xml", 5) == 0) {
        const char *q = strstr(p, "?>");
        if (q) {
            p = q + 2;
            while (p < end && (*p == '\n' || *p == '\r'))
                p++;
        }
    }
    while (p < end) {
        /* text content has <, > and " escaped (plot_svg.c), so markup
         * found here is markup */
        if (*p == '<')
            intag = 1;
        else if (*p == '>')
            intag = 0;
        if (intag && (size_t)(end - p) >= sizeof ns - 1 && strncmp(p, ns, sizeof ns - 1) == 0) {
            p += sizeof ns - 1;
            continue;
        }
        if (intag && end - p >= 4 && strncmp(p, "id=\"", 4) == 0) {
            sb_printf(o, "id=\"%s", pfx);
            p += 4;
            continue;
        }
        if (intag && end - p >= 5 && strncmp(p, "url(#", 5) == 0) {
            sb_printf(o, "url(#%s", pfx);
            p += 5;
            continue;
        }
        sb_add(o, p, 1);
        p++;
    }
}

/* The path of figure f beside the Markdown file md (review.md ->
 * review-forest.svg), and its name relative to md's folder. */
static int fig_path(const char *md, app_fig f, char **path, const char **rel)
{
    char name[32];
    size_t len = strlen(md), base = len;
    const char *slash;
    fig_name(f, name, sizeof name);
    if (len >= 3 && strcasecmp(md + len - 3, ".md") == 0)
        base = len - 3;
    else if (len >= 9 && strcasecmp(md + len - 9, ".markdown") == 0)
        base = len - 9;
    if (!(*path = app_alloc(base + strlen(name) + 6)))
        return -1;
    memcpy(*path, md, base);
    sprintf(*path + base, "-%s.svg", name);
    slash = strrchr(*path, '/');
    *rel = slash ? slash + 1 : *path;
    return 0;
}

static int has_output(const app_outputs *o, const char *path)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->v[i].path, path) == 0)
            return 1;
    return 0;
}

static void fig_note(doc *d, const char *caption, const char *why)
{
    doc_p_open(d, "note");
    doc_prose(d, "%s not shown: %s.", caption, why);
    doc_p_close(d);
}

/* One figure: drawn, then inline (HTML) or as a file beside (Markdown). */
static int one_figure(doc *d, const app_result *r, app_fig f, const char *mdpath, app_outputs *o, app_err *e)
{
    const char *caption = fig_caption(f);
    plot p;
    app_err fe = {0, ""};
    char pfx[48], name[32];
    int rc = 0;
    if (app_figure_draw(r, f, &p, &fe) != 0) {
        plot_free(&p);
        if (fe.code == APP_EXIT_INTERNAL) {
            *e = fe;
            return -1;
        }
        fig_note(d, caption, fe.msg);
        return 0;
    }
    fig_name(f, name, sizeof name);
    if (d->m == APP_MARKUP_HTML) {
        sbuf svg;
        sb_init(&svg);
        snprintf(pfx, sizeof pfx, "fig-%s-", name);
        if (plot_svg(&p, &svg) == 0 && !svg.oom) {
            sb_printf(d->o, "<figure id=\"fig-%s\">\n", name);
            doc_svg_inline(d->o, svg.p, svg.len, pfx);
            sb_puts(d->o, "<figcaption>");
            doc_esc(d, caption);
            sb_puts(d->o, "</figcaption>\n</figure>\n");
        } else {
            rc = -1;
        }
        sb_free(&svg);
    } else {
        char *path = NULL;
        const char *rel;
        app_output *x = NULL;
        if (fig_path(mdpath, f, &path, &rel) != 0)
            rc = -1;
        else if (!has_output(o, path) && (!(x = app_outputs_add(o, path)) || plot_svg(&p, &x->data) != 0 ||
                                         x->data.oom))
            rc = -1;
        if (rc == 0) {
            int angle = strpbrk(rel, " ()<>") != NULL;
            sb_puts(d->o, "![");
            doc_esc(d, caption);
            sb_printf(d->o, "](%s%s%s)\n\n", angle ? "<" : "", rel, angle ? ">" : "");
        }
        app_free(path);
    }
    plot_free(&p);
    if (rc != 0)
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory while writing the %s of the report", caption);
    return rc;
}

static int figures(doc *d, const app_result *r, app_outputs *o, app_err *e)
{
    int want[APP_FIG_COUNT];
    if (figures_wanted(r, want) == 0)
        return 0;
    doc_h(d, 2, "Figures", "figures");
    for (int f = 0; f < APP_FIG_COUNT; f++)
        if (want[f] && one_figure(d, r, (app_fig)f, r->fig.report, o, e) != 0)
            return -1;
    return 0;
}

static const char *title_of(const app_result *r)
{
    if (strcmp(r->command, "reg") == 0)
        return "Meta-regression";
    if (strcmp(r->command, "bias") == 0)
        return "Small-study effects and publication bias";
    return "Meta-analysis";
}

static int body(doc *d, const app_result *r, app_outputs *o, app_err *e)
{
    int pool = strcmp(r->command, "pool") == 0;
    doc_settings(d, r);
    doc_warnings(d, r);
    doc_studies(d, r);
    if (pool) {
        doc_pooled(d, r);
        doc_subgroups(d, r);
        doc_sens(d, r);
    } else if (strcmp(r->command, "reg") == 0) {
        doc_reg(d, r);
    } else if (strcmp(r->command, "bias") == 0) {
        doc_bias(d, r);
    }
    if (figures(d, r, o, e) != 0)
        return -1;
    doc_h(d, 2, "Methods", "methods");
    doc_p_open(d, "methods");
    doc_methods(d, r);
    doc_p_close(d);
    doc_h(d, 2, "Results", "results");
    doc_p_open(d, "results");
    doc_results(d, r);
    doc_p_close(d);
    if (d->cited) {
        doc_h(d, 2, "References", "references");
        doc_references(d);
    }
    return 0;
}

void doc_html_head(doc *d, const char *title, const char *subject, const char *more_css)
{
    sb_puts(d->o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                  "<meta name=\"generator\" content=\"metasyn ");
    doc_esc(d, msyn_version());
    sb_puts(d->o, "\"/>\n<title>");
    doc_prose(d, "%s: ", title);
    doc_esc(d, subject);
    sb_printf(d->o, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<main>\n", css, more_css ? more_css : "");
}

static void html_head(doc *d, const app_result *r)
{
    doc_html_head(d, title_of(r), r->file, NULL);
}

/* The document in markup m, as the entry of r->fig.report in o (figures
 * of a Markdown document become entries of their own). */
static int document(const app_result *r, app_markup m, app_outputs *o, app_err *e)
{
    app_output *x = app_outputs_add(o, r->fig.report);
    size_t at;
    sbuf b;
    doc d;
    if (!x) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory while writing the report");
        return -1;
    }
    at = o->n - 1; /* adding the figures' entries may move o->v */
    sb_init(&b);
    memset(&d, 0, sizeof d);
    d.o = &b;
    d.m = m;
    if (m == APP_MARKUP_HTML)
        html_head(&d, r);
    doc_h(&d, 1, title_of(r), NULL);
    doc_p_open(&d, "sub");
    doc_prose(&d, "%s, metasyn %s %s", r->file, msyn_version(), r->command);
    doc_p_close(&d);
    if (body(&d, r, o, e) != 0) {
        sb_free(&b);
        return -1;
    }
    doc_raw(&d, "</main>\n</body>\n</html>\n", NULL, NULL);
    o->v[at].data = b;
    if (b.oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory while writing the report");
        return -1;
    }
    return 0;
}

int app_report_doc(const app_result *r, app_outputs *o, app_err *e)
{
    const char *path = r->fig.report, *dot = strrchr(path, '.');
    if (dot && (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0))
        return document(r, APP_MARKUP_HTML, o, e);
    if (dot && (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0))
        return document(r, APP_MARKUP_MD, o, e);
    app_err_set(e, APP_EXIT_USAGE, "--report %s: name the report .html or .md", path);
    return -1;
}
