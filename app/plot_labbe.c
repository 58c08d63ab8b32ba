/*
 * plot_labbe.c - the L'Abbé plot of `pool --labbe` (2x2 tables; measures
 * OR, PETO, RR and RD), after metafor's labbe(): each study's outcome in
 * the control group (ci, di: x) against the experimental group (ai, bi:
 * y), as a circle whose area is proportional to its weight in the
 * analysis.  The diagonal is "no effect"; the pooled effect is the line
 * y = x + b (RD), y = exp(b) x (RR) or, on the log-odds scale drawn for
 * OR and PETO, y = x + b.  Risks are drawn from 0 to the largest one
 * (both axes over the same range, so the diagonal is at 45 degrees); log
 * odds use the
 * continuity correction of the analysis (--add, --to) for tables with a
 * zero cell, as metafor's escalc(), or 1/2 where the analysis uses none
 * (Peto), so that every table of the analysis is drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_xy.h"

#define FILL 0x8c8c8c73u /* translucent grey: overlapping circles stay visible */

static double cell(const double *v, size_t i)
{
    return v ? v[i] : NAN;
}

static int log_odds_scale(msyn_measure m)
{
    return m == MSYN_MEASURE_OR || m == MSYN_MEASURE_PETO;
}

/* The four cells of study i (NaN when a cell is missing). */
static void cells(const app_result *r, size_t i, double c[4])
{
    const msyn_es_data *d = &r->data->es;
    c[0] = cell(d->ai, i), c[1] = cell(d->bi, i), c[2] = cell(d->ci, i), c[3] = cell(d->di, i);
    if (isnan(c[1]))
        c[1] = cell(d->n1i, i) - c[0];
    if (isnan(c[3]))
        c[3] = cell(d->n2i, i) - c[2];
}

static int has_zero(const double c[4])
{
    return c[0] == 0 || c[1] == 0 || c[2] == 0 || c[3] == 0;
}

/* Outcomes of study i's arms: x control, y experimental; 0 when the
 * study is not drawn. */
static int outcomes(const app_result *r, size_t i, int any_zero, double *x, double *y)
{
    double c[4];
    cells(r, i, c);
    if (!isfinite(r->yi[i]) || !r->w || !isfinite(r->w[i]))
        return 0;
    for (int j = 0; j < 4; j++)
        if (!isfinite(c[j]) || c[j] < 0)
            return 0;
    if (c[0] + c[1] <= 0 || c[2] + c[3] <= 0)
        return 0;
    if (!log_odds_scale(r->measure)) {
        *y = c[0] / (c[0] + c[1]);
        *x = c[2] / (c[2] + c[3]);
        return 1;
    }
    if (r->eo.add > 0 && (r->eo.to == MSYN_ADD_ALL || (r->eo.to == MSYN_ADD_ONLY0 && has_zero(c)) ||
                          (r->eo.to == MSYN_ADD_IF0ALL && any_zero)))
        for (int j = 0; j < 4; j++)
            c[j] += r->eo.add;
    else if (has_zero(c)) /* no correction in the analysis (Peto): 1/2 for the plot, as metafor's labbe() */
        for (int j = 0; j < 4; j++)
            c[j] += 0.5;
    *y = log(c[0] / c[1]);
    *x = log(c[2] / c[3]);
    return 1;
}

static int check(const app_result *r, app_err *e)
{
    msyn_measure m = r->measure;
    if (r->data->input != MSYN_INPUT_TABLE) {
        app_err_set(e, APP_EXIT_USAGE, "--labbe: the L'Abb\xc3\xa9 plot compares the event risks of two groups, so it needs 2x2 tables (columns ai, bi, ci, di, or ai, n1i, ci, n2i); %s has %s instead (--funnel and --radial work with any data)",
                    r->file, app_input_form_name(r->data->input));
        return -1;
    }
    if (m != MSYN_MEASURE_OR && m != MSYN_MEASURE_PETO && m != MSYN_MEASURE_RR && m != MSYN_MEASURE_RD) {
        app_err_set(e, APP_EXIT_USAGE, "--labbe: the L'Abb\xc3\xa9 plot draws the measures OR, PETO, RR and RD, not %s; use --measure OR, RR or RD",
                    msyn_measure_name(m));
        return -1;
    }
    if (!r->fitted || !isfinite(r->fit.estimate)) {
        app_err_set(e, APP_EXIT_MODEL, "--labbe: the studies of %s were not pooled, so there is no pooled effect to draw",
                    r->file);
        return -1;
    }
    return 0;
}

typedef struct pt {
    double x, y, w;
} pt;

static int by_weight(const void *a, const void *b)
{
    const pt *p = a, *q = b;
    return (p->w < q->w) - (p->w > q->w); /* largest first */
}

/* The pooled line y = f(x) at x. */
static double pooled_y(const app_result *r, double x)
{
    double b = r->fit.estimate;
    return r->measure == MSYN_MEASURE_RR ? exp(b) * x : x + b;
}

static void lines(plot *p, const app_result *r, const xy_frame *f)
{
    plot_style diag = {PLOT_GREY, PLOT_NONE, 0.6, PLOT_DASHED};
    plot_style eff = {XY_ACCENT, PLOT_NONE, 1.0, PLOT_SOLID};
    double lo = f->sx.d0, hi = f->sx.d1;
    plot_line(p, plot_map(&f->sx, lo), plot_map(&f->sy, lo), plot_map(&f->sx, hi), plot_map(&f->sy, hi), &diag);
    plot_line(p, plot_map(&f->sx, lo), plot_map(&f->sy, pooled_y(r, lo)), plot_map(&f->sx, hi),
              plot_map(&f->sy, pooled_y(r, hi)), &eff);
}

static size_t collect(const app_result *r, pt *v, double *lo, double *hi)
{
    size_t n = 0, k = r->data->k;
    int any_zero = 0;
    for (size_t i = 0; i < k; i++) {
        double c[4];
        cells(r, i, c);
        any_zero |= has_zero(c);
    }
    *lo = INFINITY, *hi = -INFINITY;
    for (size_t i = 0; i < k; i++)
        if (outcomes(r, i, any_zero, &v[n].x, &v[n].y)) {
            v[n].w = r->w[i];
            *lo = fmin(*lo, fmin(v[n].x, v[n].y));
            *hi = fmax(*hi, fmax(v[n].x, v[n].y));
            n++;
        }
    return n;
}

static int layout(plot *p, const app_result *r, xy_frame *f, double w, const char *title)
{
    double h = w * 0.72;
    if (xy_layout(p, f, w, h, r->fig.font, title, 0) != 0)
        return -1;
    /* a square plot area: the diagonal at 45 degrees */
    h += (f->x1 - f->x0) - (f->y1 - f->y0);
    plot_free(p);
    return xy_layout(p, f, w, h, r->fig.font, title, 0);
}

int plot_labbe(const app_result *r, plot *p, app_err *e)
{
    xy_frame f;
    xy_key key[3];
    pt *v;
    size_t n;
    int lo_scale = log_odds_scale(r->measure);
    double lo, hi, rmax, wmax = 0, w = xy_width(r, 5.5);
    char est[96], title[256], a[48];
    const char *name = msyn_measure_name(r->measure);
    memset(&f, 0, sizeof f);
    if (check(r, e) != 0)
        return -1;
    if (!(v = app_alloc((r->data->k + 1) * sizeof *v))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    n = collect(r, v, &lo, &hi);
    if (n == 0) {
        app_free(v);
        app_err_set(e, APP_EXIT_MODEL, "--labbe: no study of %s has a table and a weight to draw", r->file);
        return -1;
    }
    if (!lo_scale)
        lo = 0, hi = fmin(fmax(hi, 0.01), 1);
    else if (!(hi > lo))
        lo -= 0.5, hi += 0.5;
    /* ticks within the data, and room around them for the circles */
    f.nxt = plot_pretty(lo, hi, 5, f.xt, XY_MAXTICK);
    {
        double pad = 0.07 * (hi - lo);
        lo -= pad, hi += pad;
    }
    memcpy(f.yt, f.xt, sizeof f.xt);
    f.nyt = f.nxt;
    f.sx.d0 = f.sy.d0 = lo;
    f.sx.d1 = f.sy.d1 = hi;
    xy_fonts(&f);
    f.xtitle = lo_scale ? "Log odds of an event, control group (ci, di)" : "Event risk, control group (ci, di)";
    f.ytitle = lo_scale ? "Log odds of an event, experimental group (ai, bi)" : "Event risk, experimental group (ai, bi)";
    snprintf(est, sizeof est, "Pooled %s %s", name, app_fx(app_back(r, r->fit.estimate), 2, a, sizeof a));
    {
        xy_key k0 = {XY_KEY_POINT, {PLOT_BLACK, FILL, 0.5, PLOT_SOLID}, 4, "Studies (area \xe2\x88\x9d weight)"};
        xy_key k1 = {XY_KEY_LINE, {PLOT_GREY, PLOT_NONE, 0.6, PLOT_DASHED}, 0, "No effect"};
        xy_key k2 = {XY_KEY_LINE, {XY_ACCENT, PLOT_NONE, 1.0, PLOT_SOLID}, 0, est};
        key[0] = k0, key[1] = k1, key[2] = k2;
    }
    f.keys = key;
    f.nkeys = 3;
    snprintf(title, sizeof title, "L'Abb\xc3\xa9 plot: %s", r->file);
    if (layout(p, r, &f, w, title) != 0) {
        app_free(v);
        return xy_oom(e, APP_FIG_LABBE);
    }
    plot_clip(p, f.x0, f.y0, f.x1, f.y1);
    lines(p, r, &f);
    plot_unclip(p);
    qsort(v, n, sizeof *v, by_weight);
    for (size_t i = 0; i < n; i++)
        wmax = fmax(wmax, v[i].w);
    rmax = fmin(16.0, 0.07 * (f.x1 - f.x0));
    {
        plot_style s = {PLOT_BLACK, FILL, 0.5, PLOT_SOLID};
        for (size_t i = 0; i < n; i++) {
            double rad = wmax > 0 ? rmax * sqrt(fmax(v[i].w, 0) / wmax) : 3;
            plot_circle(p, plot_map(&f.sx, v[i].x), plot_map(&f.sy, v[i].y), fmax(rad, 1.5), &s);
        }
    }
    app_free(v);
    xy_decorate(p, &f);
    return 0;
}
