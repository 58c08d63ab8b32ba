/*
 * figures.c - the figures and the document a command was asked for,
 * rendered in memory (app_outputs) before anything is written.  plot.h.
 */
#include <stdlib.h>
#include <string.h>

#include "plot.h"

static const struct {
    const char *flag;
    plot_draw_fn draw;
} figs[APP_FIG_COUNT] = {
    [APP_FIG_FOREST] = {"--forest", plot_forest},
    [APP_FIG_FUNNEL] = {"--funnel", plot_funnel},
    [APP_FIG_BAUJAT] = {"--baujat", plot_baujat},
    [APP_FIG_LABBE] = {"--labbe", plot_labbe},
    [APP_FIG_RADIAL] = {"--radial", plot_radial},
    [APP_FIG_BUBBLE] = {"--bubble", plot_bubble},
    [APP_FIG_LEAVE1OUT] = {"--leave1out-plot", plot_leave1out},
    [APP_FIG_CUMULATIVE] = {"--cumulative-plot", plot_cumulative},
    [APP_FIG_GOSH] = {"--gosh-plot", plot_gosh},
};

const char *app_fig_flag(app_fig f)
{
    return f < APP_FIG_COUNT ? figs[f].flag : "?";
}

int app_figure_draw(const app_result *r, app_fig f, plot *p, app_err *e)
{
    memset(p, 0, sizeof *p);
    if (f >= APP_FIG_COUNT) {
        app_err_set(e, APP_EXIT_INTERNAL, "no such figure");
        return -1;
    }
    if (figs[f].draw(r, p, e) != 0)
        return -1;
    if (p->oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory while drawing the %s figure", figs[f].flag + 2);
        return -1;
    }
    return 0;
}

app_output *app_outputs_add(app_outputs *o, const char *path)
{
    app_output *x;
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 8;
        app_output *v = app_realloc(o->v, cap * sizeof *v);
        if (!v)
            return NULL;
        o->v = v;
        o->cap = cap;
    }
    x = &o->v[o->n];
    sb_init(&x->data);
    if (!(x->path = app_strdup(path)))
        return NULL;
    o->n++;
    return x;
}

int app_outputs_write(const app_outputs *o, app_err *e)
{
    const char **path = app_calloc(o->n + 1, sizeof *path), **data = app_calloc(o->n + 1, sizeof *data);
    size_t *len = app_calloc(o->n + 1, sizeof *len);
    FILE **pre = app_calloc(o->n + 1, sizeof *pre);
    int rc = -1;
    for (size_t i = 0; i < o->n; i++)
        for (size_t j = i + 1; j < o->n; j++)
            if (strcmp(o->v[i].path, o->v[j].path) == 0) {
                app_err_set(e, APP_EXIT_USAGE, "%s is named for two outputs; give each figure, report and -o its own file",
                            o->v[i].path);
                goto done;
            }
    if (!path || !data || !len || !pre) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    } else {
        for (size_t i = 0; i < o->n; i++) {
            path[i] = o->v[i].path;
            data[i] = o->v[i].data.p;
            len[i] = o->v[i].data.len;
            pre[i] = o->v[i].data.spill;
        }
        rc = app_write_outputs_pre(path, pre, data, len, o->n, e);
    }
done:
    app_free(path);
    app_free(data);
    app_free(len);
    app_free(pre);
    return rc;
}

void app_outputs_free(app_outputs *o)
{
    for (size_t i = 0; i < o->n; i++) {
        app_free(o->v[i].path);
        sb_free(&o->v[i].data);
    }
    app_free(o->v);
    memset(o, 0, sizeof *o);
}

int app_figures_render(const app_result *r, app_outputs *o, app_err *e)
{
    for (int f = 0; f < APP_FIG_COUNT; f++) {
        const char *path = r->fig.path[f];
        app_output *x;
        plot p;
        int fmt, rc;
        if (!path)
            continue;
        if ((fmt = plot_format_of(path)) < 0) {
            app_err_set(e, APP_EXIT_USAGE, "%s %s: name the figure file .svg, .pdf or .png", figs[f].flag, path);
            return -1;
        }
        if (app_figure_draw(r, (app_fig)f, &p, e) != 0) {
            plot_free(&p);
            return -1;
        }
        if (getenv("METASYN_CHECK_LAYOUT")) {
            /* tests: every label inside the canvas, none overlapping */
            char why[512];
            size_t bad = plot_check_text(&p, 0.25, why, sizeof why);
            if (bad) {
                plot_free(&p);
                app_err_set(e, APP_EXIT_INTERNAL, "%s: layout check: %zu problem%s, first: %s", path, bad,
                            bad == 1 ? "" : "s", why);
                return -1;
            }
        }
        if (!(x = app_outputs_add(o, path))) {
            plot_free(&p);
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            return -1;
        }
        rc = fmt == PLOT_SVG ? plot_svg(&p, &x->data) : plot_cairo(&p, (plot_format)fmt, r->fig.dpi, &x->data);
        plot_free(&p);
        if (rc != 0 || x->data.oom) {
            app_err_set(e, APP_EXIT_INTERNAL, "%s: could not render the figure (out of memory, or a PNG too large: lower --dpi)", path);
            return -1;
        }
    }
    if (r->fig.report && app_report_doc(r, o, e) != 0)
        return -1;
    return 0;
}
