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

typedef struct frame {
    double x0, x1, y0, y1; /* the plotting region on the page */
} frame;

int plot_bubble(const app_result *r, plot *p, app_err *e)
{
    const app_reg *g = &r->reg;
    const app_reg_mod *m = NULL;
    size_t k = r->data->k, pc = g->p, nb = 0;
    double W = (r->fig.width > 0 ? r->fig.width : 6.0) * 72, *mean = NULL, *gx = NULL, xy[4 * NGRID];
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY, wmax = 0, tau2, rmax, capw, caph;
    msyn_reg_pred *pred = NULL;
    bubble *b = NULL;
    plot_rows_ticks tx, ty;
    plot_scale sx, sy;
    plot_rows_kind kind = plot_rows_kind_of(r);
    frame fr;
    sbuf cap;
    char ytitle[96];
    int rc = -1;
    plot_style circ = {PLOT_BLACK, 0xa6a6a6b3u, 0.5, PLOT_SOLID}, band = {PLOT_NONE, (PLOT_ROWS_ACCENT & ~0xffu) | 0x38u, 0, PLOT_SOLID},
               line = {PLOT_ROWS_ACCENT, PLOT_NONE, 1.25, PLOT_SOLID}, null = {PLOT_GREY, PLOT_NONE, 0.5, PLOT_DASHED};
    sb_init(&cap);
    if (!r->fitted || !g->X || !g->fit.b || !g->fit.vb) {
        app_err_set(e, APP_EXIT_MODEL, "--bubble: %s has no fitted meta-regression to draw", r->file);
        return -1;
    }
    for (size_t q = 0; q < g->nmod && !m; q++)
        if (!g->mod[q].categorical)
            m = &g->mod[q];
    if (!m)
        return no_numeric(r, e);
    if (plot_init(p, W, W * 0.75, r->fig.font, "Bubble plot") != 0 || !(mean = app_calloc(pc + 1, sizeof *mean)) ||
        !(gx = app_alloc(NGRID * pc * sizeof *gx + 1)) || !(pred = app_alloc(NGRID * sizeof *pred)) ||
        !(b = app_alloc((k + 1) * sizeof *b)))
        goto oom;

    /* the studies in the model: moderator, effect, weight */
    tau2 = r->po.method == MSYN_METHOD_EE || isnan(g->fit.tau2) ? 0 : g->fit.tau2;
    for (size_t i = 0; i < k; i++) {
        if (!used(r, i))
            continue;
        for (size_t j = 0; j < pc; j++)
            mean[j] += g->X[i * pc + j];
        b[nb].x = g->X[i * pc + m->first];
        b[nb].y = r->yi[i];
        b[nb].rad = 1 / (r->vi[i] + tau2);
        wmax = fmax(wmax, b[nb].rad);
        xlo = fmin(xlo, b[nb].x), xhi = fmax(xhi, b[nb].x);
        ylo = fmin(ylo, b[nb].y), yhi = fmax(yhi, b[nb].y);
        nb++;
    }
    for (size_t j = 0; j < pc; j++)
        mean[j] /= (double)(nb ? nb : 1);

    /* the line and its band over a grid of the moderator */
    for (size_t t = 0; t < NGRID; t++) {
        for (size_t j = 0; j < pc; j++)
            gx[t * pc + j] = mean[j];
        gx[t * pc + m->first] = xlo + (xhi - xlo) * (double)t / (NGRID - 1);
    }
    if (msyn_reg_predict(&g->fit, gx, NGRID, NULL, pred) != MSYN_OK) {
        app_err_set(e, APP_EXIT_INTERNAL, "--bubble: the predictions of the model failed");
        goto done;
    }
    for (size_t t = 0; t < NGRID; t++)
        if (isfinite(pred[t].ci_lb) && isfinite(pred[t].ci_ub))
            ylo = fmin(ylo, pred[t].ci_lb), yhi = fmax(yhi, pred[t].ci_ub);

    plot_rows_ticks_scatter(r, PLOT_ROWS_LINEAR, &xlo, &xhi, &tx);
    plot_rows_ticks_scatter(r, kind, &ylo, &yhi, &ty);
    caption(r, m, mean, &cap);
    if (cap.oom)
        goto oom;
    capw = W - 2 * MARGIN;
    caph = plot_rows_wrap(p, 0, 0, capw, cap.p, &f_note, "caption", 0);
    fr.x0 = MARGIN + plot_rows_axis_y_width(p, &ty, &f_tick, 1);
    fr.x1 = W - MARGIN - 6;
    fr.y0 = MARGIN + 4;
    fr.y1 = fr.y0 + (fr.x1 - fr.x0) * 0.62;
    plot_set_height(p, fr.y1 + plot_rows_axis_x_height(&f_tick, 1) + 8 + caph + MARGIN);
    sx = (plot_scale){xlo, xhi, fr.x0, fr.x1, 0};
    sy = (plot_scale){ylo, yhi, fr.y1, fr.y0, kind == PLOT_ROWS_LOG};
    plot_rows_thin(p, &tx, &sx, &f_tick, 1);
    plot_rows_thin(p, &ty, &sy, &f_tick, 0);

    if (plot_rows_has_null(r) && 0 >= ylo && 0 <= yhi)
        plot_line(p, fr.x0, plot_map(&sy, 0), fr.x1, plot_map(&sy, 0), &null);
    for (size_t t = 0; t < NGRID; t++) {
        double x = plot_map(&sx, gx[t * pc + m->first]);
        xy[2 * t] = x, xy[2 * t + 1] = plot_map(&sy, pred[t].ci_ub);
        xy[2 * (2 * NGRID - 1 - t)] = x, xy[2 * (2 * NGRID - 1 - t) + 1] = plot_map(&sy, pred[t].ci_lb);
    }
    plot_polygon(p, xy, 2 * NGRID, &band);
    for (size_t t = 0; t < NGRID; t++)
        xy[2 * t] = plot_map(&sx, gx[t * pc + m->first]), xy[2 * t + 1] = plot_map(&sy, pred[t].pred);
    plot_polyline(p, xy, NGRID, &line);

    /* circles: area proportional to the weight, the largest drawn first */
    rmax = fmin(14, fmax(4, 45 / sqrt((double)(nb ? nb : 1))));
    for (size_t i = 0; i < nb; i++)
        b[i].rad = fmax(1.5, rmax * sqrt(b[i].rad / wmax));
    qsort(b, nb, sizeof *b, by_radius);
    for (size_t i = 0; i < nb; i++)
        plot_circle(p, plot_map(&sx, b[i].x), plot_map(&sy, b[i].y), b[i].rad, &circ);

    plot_rows_axis_x(p, &sx, fr.y1, &tx, &f_tick, m->name);
    plot_rows_axis_y(p, &sy, fr.x0, &ty, &f_tick, plot_rows_axis_title(r, ytitle, sizeof ytitle));
    plot_rows_wrap(p, MARGIN, fr.y1 + plot_rows_axis_x_height(&f_tick, 1) + 8 + f_note.size, capw, cap.p, &f_note,
                   "caption", 1);
    if (p->oom)
        goto oom;
    rc = 0;
    goto done;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
done:
    sb_free(&cap);
    app_free(mean);
    app_free(gx);
    app_free(pred);
    app_free(b);
    return rc;
}
