/*
 * plot_bubble.c - the bubble plot of a meta-regression (`reg --bubble
 * FILE`): each study's effect against a numeric moderator, as a circle
 * whose area is proportional to its weight in the model, 1/(vi + tau²);
 * the fitted line with its confidence band from msyn_reg_predict() over
 * a grid of the moderator (metafor's regplot()).  With several
 * moderators the first numeric one is drawn and every other design column
 * is held at its mean over the studies in the model (a factor's dummies at
 * the proportions of its levels); the caption under the figure says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_rows.h"

#define NGRID 101
#define MARGIN 12.0

static const plot_font f_tick = {8, 0, 0, PLOT_BLACK};
static const plot_font f_note = {8, 0, 0, 0x404040ffu};
static const plot_font f_title = {9, 0, 0, PLOT_BLACK}; /* as plot_rows_axis_y() draws it */

typedef struct bubble {
    double x, y, rad;
} bubble;

static int by_radius(const void *a, const void *b)
{
    const bubble *x = a, *y = b;
    return (x->rad < y->rad) - (x->rad > y->rad); /* largest first */
}

/* Rows of the design the model used (yi, vi and every column known). */
static int used(const app_result *r, size_t i)
{
    const app_reg *g = &r->reg;
    if (isnan(r->yi[i]) || isnan(r->vi[i]))
        return 0;
    for (size_t j = 0; j < g->p; j++)
        if (isnan(g->X[i * g->p + j]))
            return 0;
    return 1;
}

/* The caption: what the circles, the line and the band are, and how the
 * other moderators were held. */
static void caption(const app_result *r, const app_reg_mod *m, const double *mean, sbuf *o)
{
    const app_reg *g = &r->reg;
    int ee = r->po.method == MSYN_METHOD_EE;
    sb_printf(o, "%zu studies. Circle area is proportional to the weight of the study in the model, %s. "
                 "Line: effect predicted by %s, with its %g%% confidence band",
              g->fit.k, ee ? "1/vi" : "1/(vi + \xcf\x84\xc2\xb2)", m->name, 100.0 * r->po.level);
    if (g->nmod > 1) {
        size_t n = 0;
        sb_puts(o, "; other moderators held at their means (");
        for (size_t q = 0; q < g->nmod; q++) {
            const app_reg_mod *o2 = &g->mod[q];
            char b[48];
            if (o2 == m)
                continue;
            if (n++)
                sb_puts(o, ", ");
            if (o2->categorical)
                sb_printf(o, "%s: at the proportions of its levels", o2->name);
            else { /* "year = 1966.2", kept on one line */
                double v = mean[o2->first];
                snprintf(b, sizeof b, fabs(v) >= 1000 ? "%.1f" : "%.4g", v);
                sb_printf(o, "%s\xc2\xa0=\xc2\xa0%s", o2->name, b);
            }
        }
        sb_puts(o, ")");
    }
    sb_puts(o, ".");
}

static int no_numeric(const app_result *r, app_err *e)
{
    const app_reg *g = &r->reg;
    sbuf s;
    sb_init(&s);
    for (size_t q = 0; q < g->nmod; q++)
        sb_printf(&s, "%s%s", q ? ", " : "", g->mod[q].name);
    if (g->nmod == 0)
        app_err_set(e, APP_EXIT_USAGE, "--bubble: the model has no moderator; a bubble plot shows the effect against a numeric moderator: give --mod COLUMN");
    else
        app_err_set(e, APP_EXIT_USAGE, "--bubble: the model has only categorical moderators (%s); a bubble plot shows the effect against a numeric moderator: add one with --mod COLUMN",
                    s.p ? s.p : "");
    sb_free(&s);
    return -1;
}

/* What the figure is drawn from. */
typedef struct bub {
    const app_reg_mod *m;  /* the moderator on the x axis                */
    size_t nb, pc;         /* studies in the model, design columns       */
    bubble *b;             /* their moderator, effect and weight (rad)   */
    double *mean;          /* column means of the design over them       */
    double *gx;            /* NGRID design rows along the moderator      */
    msyn_reg_pred *pred;   /* the model's predictions at gx              */
    double wmax, xlo, xhi, ylo, yhi;
} bub;

/* The studies in the model, the column means and the ranges. */
static void collect(const app_result *r, bub *c)
{
    const app_reg *g = &r->reg;
    size_t pc = c->pc;
    double tau2 = r->po.method == MSYN_METHOD_EE || isnan(g->fit.tau2) ? 0 : g->fit.tau2;
    c->xlo = c->ylo = INFINITY, c->xhi = c->yhi = -INFINITY;
    for (size_t i = 0; i < r->data->k; i++) {
        bubble *b = &c->b[c->nb];
        if (!used(r, i))
            continue;
        for (size_t j = 0; j < pc; j++)
            c->mean[j] += g->X[i * pc + j];
        b->x = g->X[i * pc + c->m->first];
        b->y = r->yi[i];
        b->rad = 1 / (r->vi[i] + tau2);
        c->wmax = fmax(c->wmax, b->rad);
        c->xlo = fmin(c->xlo, b->x), c->xhi = fmax(c->xhi, b->x);
        c->ylo = fmin(c->ylo, b->y), c->yhi = fmax(c->yhi, b->y);
        c->nb++;
    }
    for (size_t j = 0; j < pc; j++)
        c->mean[j] /= (double)(c->nb ? c->nb : 1);
}

/* The fitted line and its band over a grid of the moderator. */
static int predict(const app_result *r, bub *c)
{
    size_t pc = c->pc;
    for (size_t t = 0; t < NGRID; t++) {
        for (size_t j = 0; j < pc; j++)
            c->gx[t * pc + j] = c->mean[j];
        c->gx[t * pc + c->m->first] = c->xlo + (c->xhi - c->xlo) * (double)t / (NGRID - 1);
    }
    if (msyn_reg_predict(&r->reg.fit, c->gx, NGRID, NULL, c->pred) != MSYN_OK)
        return -1;
    for (size_t t = 0; t < NGRID; t++)
        if (isfinite(c->pred[t].ci_lb) && isfinite(c->pred[t].ci_ub))
            c->ylo = fmin(c->ylo, c->pred[t].ci_lb), c->yhi = fmax(c->yhi, c->pred[t].ci_ub);
    return 0;
}

/* The band, the line and the circles (area proportional to the weight,
 * the largest drawn first). */
static void draw_data(plot *p, bub *c, const plot_scale *sx, const plot_scale *sy)
{
    plot_style circ = {PLOT_BLACK, 0xa6a6a6b3u, 0.5, PLOT_SOLID},
               band = {PLOT_NONE, (PLOT_ROWS_ACCENT & ~0xffu) | 0x38u, 0, PLOT_SOLID},
               line = {PLOT_ROWS_ACCENT, PLOT_NONE, 1.25, PLOT_SOLID};
    double xy[4 * NGRID], rmax = fmin(14, fmax(4, 45 / sqrt((double)(c->nb ? c->nb : 1))));
    rmax = fmin(rmax, (sx->p1 - sx->p0) / 25); /* narrow figures: smaller circles */
    for (size_t t = 0; t < NGRID; t++) {
        double x = plot_map(sx, c->gx[t * c->pc + c->m->first]);
        xy[2 * t] = x, xy[2 * t + 1] = plot_map(sy, c->pred[t].ci_ub);
        xy[2 * (2 * NGRID - 1 - t)] = x, xy[2 * (2 * NGRID - 1 - t) + 1] = plot_map(sy, c->pred[t].ci_lb);
    }
    plot_polygon(p, xy, 2 * NGRID, &band);
    for (size_t t = 0; t < NGRID; t++)
        xy[2 * t] = plot_map(sx, c->gx[t * c->pc + c->m->first]), xy[2 * t + 1] = plot_map(sy, c->pred[t].pred);
    plot_polyline(p, xy, NGRID, &line);
    for (size_t i = 0; i < c->nb; i++)
        c->b[i].rad = fmax(1.5, rmax * sqrt(c->b[i].rad / c->wmax));
    qsort(c->b, c->nb, sizeof *c->b, by_radius);
    for (size_t i = 0; i < c->nb; i++)
        plot_circle(p, plot_map(sx, c->b[i].x), plot_map(sy, c->b[i].y), c->b[i].rad, &circ);
}

/* Axes, the frame of the plotting region, the data and the caption. */
static int layout_draw(const app_result *r, plot *p, bub *c, double W)
{
    plot_rows_kind kind = plot_rows_kind_of(r);
    plot_rows_ticks tx, ty;
    plot_scale sx, sy;
    plot_style null = {PLOT_GREY, PLOT_NONE, 0.5, PLOT_DASHED};
    double x0, x1, y0, y1, capw = W - 2 * MARGIN, caph, below = plot_rows_axis_x_height(&f_tick, 1) + 8;
    char ytitle[96];
    sbuf cap;
    plot_rows_ticks_scatter(r, PLOT_ROWS_LINEAR, &c->xlo, &c->xhi, &tx);
    plot_rows_ticks_scatter(r, kind, &c->ylo, &c->yhi, &ty);
    sb_init(&cap);
    caption(r, c->m, c->mean, &cap);
    if (cap.oom) {
        sb_free(&cap);
        return -1;
    }
    caph = plot_rows_wrap(p, 0, 0, capw, cap.p, &f_note, "caption", 0);
    x0 = MARGIN + plot_rows_axis_y_width(p, &ty, &f_tick, 1);
    x1 = W - MARGIN - 6;
    y0 = MARGIN + 4;
    /* tall enough for the turned y title */
    y1 = y0 + fmax((x1 - x0) * 0.62, plot_measure(p, plot_rows_axis_title(r, ytitle, sizeof ytitle), &f_title).width + 12);
    plot_set_height(p, y1 + below + caph + MARGIN);
    sx = (plot_scale){c->xlo, c->xhi, x0, x1, 0};
    sy = (plot_scale){c->ylo, c->yhi, y1, y0, kind == PLOT_ROWS_LOG};
    plot_rows_thin(p, &tx, &sx, &f_tick, 1);
    plot_rows_thin(p, &ty, &sy, &f_tick, 0);
    if (plot_rows_has_null(r) && 0 >= c->ylo && 0 <= c->yhi)
        plot_line(p, x0, plot_map(&sy, 0), x1, plot_map(&sy, 0), &null);
    draw_data(p, c, &sx, &sy);
    plot_rows_axis_x(p, &sx, y1, &tx, &f_tick, c->m->name);
    plot_rows_axis_y(p, &sy, x0, &ty, &f_tick, plot_rows_axis_title(r, ytitle, sizeof ytitle));
    plot_rows_wrap(p, MARGIN, y1 + below + f_note.size, capw, cap.p, &f_note, "caption", 1);
    sb_free(&cap);
    return p->oom ? -1 : 0;
}

int plot_bubble(const app_result *r, plot *p, app_err *e)
{
    const app_reg *g = &r->reg;
    double W = (r->fig.width > 0 ? r->fig.width : 6.0) * 72;
    bub c;
    int rc = -1;
    memset(&c, 0, sizeof c);
    if (!r->fitted || !g->X || !g->fit.b || !g->fit.vb) {
        app_err_set(e, APP_EXIT_MODEL, "--bubble: %s has no fitted meta-regression to draw", r->file);
        return -1;
    }
    for (size_t q = 0; q < g->nmod && !c.m; q++)
        if (!g->mod[q].categorical)
            c.m = &g->mod[q];
    if (!c.m)
        return no_numeric(r, e);
    c.pc = g->p;
    if (plot_init(p, W, W * 0.75, r->fig.font, "Bubble plot") != 0 || !(c.mean = app_calloc(c.pc + 1, sizeof *c.mean)) ||
        !(c.gx = app_alloc(NGRID * c.pc * sizeof *c.gx + 1)) || !(c.pred = app_alloc(NGRID * sizeof *c.pred)) ||
        !(c.b = app_alloc((r->data->k + 1) * sizeof *c.b)))
        goto oom;
    collect(r, &c);
    if (predict(r, &c) != 0) {
        app_err_set(e, APP_EXIT_INTERNAL, "--bubble: the predictions of the model failed");
        goto done;
    }
    if (layout_draw(r, p, &c, W) != 0)
        goto oom;
    rc = 0;
    goto done;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
done:
    app_free(c.mean);
    app_free(c.gx);
    app_free(c.pred);
    app_free(c.b);
    return rc;
}
