/*
 * plot_gosh.c - the GOSH plot (`pool --gosh N --gosh-plot FILE`): the
 * heterogeneity (I², x) against the pooled estimate (y) of every fitted
 * subset of the studies (Olkin, Dahabreh and Trikalinos 2012; metafor's
 * plot.gosh.rma() without its marginal histograms).  Up to 5000 subsets
 * are small translucent points; more are binned into a 2-D histogram of
 * 60 x 45 cells shaded by count, which keeps the SVG small whatever N.
 * The full-data model is marked with an open circle.
 */
#include <stdio.h>
#include <string.h>

#include "plot_rows.h"

#define MARGIN 12.0
#define MAX_POINTS 5000
#define NX 60
#define NY 45

static const plot_font f_tick = {8, 0, 0, PLOT_BLACK};
static const plot_font f_note = {8, 0, 0, 0x404040ffu};
static const plot_font f_title = {9, 0, 0, PLOT_BLACK}; /* as plot_rows_axis_y() draws it */

/* The subsets as cells of a 2-D histogram, each a rectangle shaded by its
 * count (log scale, so single subsets stay visible). */
static int histogram(plot *p, const app_sens *s, const plot_scale *sx, const plot_scale *sy, size_t *max_out)
{
    size_t n = s->gosh_rows, *cnt = app_calloc(NX * NY, sizeof *cnt), max = 0;
    const double *est = s->gosh + n, *i2 = s->gosh + 3 * n;
    double dx = (sx->d1 - sx->d0) / NX, dy = (sy->d1 - sy->d0) / NY;
    if (!cnt)
        return -1;
    for (size_t j = 0; j < n; j++) {
        long a, b;
        if (isnan(est[j]) || isnan(i2[j]))
            continue;
        a = (long)floor((i2[j] - sx->d0) / dx);
        b = (long)floor((est[j] - sy->d0) / dy);
        a = a < 0 ? 0 : a >= NX ? NX - 1 : a;
        b = b < 0 ? 0 : b >= NY ? NY - 1 : b;
        cnt[(size_t)b * NX + (size_t)a]++;
    }
    for (size_t c = 0; c < NX * NY; c++)
        max = cnt[c] > max ? cnt[c] : max;
    for (size_t b = 0; b < NY; b++)
        for (size_t a = 0; a < NX; a++) {
            size_t c = cnt[b * NX + a];
            double shade;
            plot_style st = {PLOT_NONE, 0, 0, PLOT_SOLID};
            if (!c)
                continue;
            shade = 0.15 + 0.85 * log1p((double)c) / log1p((double)max);
            st.fill = (PLOT_ROWS_ACCENT & ~0xffu) | (uint32_t)lround(255 * shade);
            plot_rect(p, plot_map(sx, sx->d0 + (double)a * dx), plot_map(sy, sy->d0 + (double)b * dy),
                      plot_map(sx, sx->d0 + (double)(a + 1) * dx), plot_map(sy, sy->d0 + (double)(b + 1) * dy), &st);
        }
    app_free(cnt);
    *max_out = max;
    return 0;
}

static void caption(const app_result *r, size_t fitted, int binned, size_t max, sbuf *o)
{
    const app_sens *s = &r->sens;
    size_t kk = 0;
    for (size_t i = 0; i < r->data->k; i++)
        kk += !isnan(r->yi[i]) && !isnan(r->vi[i]);
    if (s->gosh_exhaustive)
        sb_printf(o, "All %zu subsets of the %zu studies", s->gosh_rows, kk);
    else
        sb_printf(o, "%zu random subsets of the %zu studies", s->gosh_rows, kk);
    if (fitted < s->gosh_rows)
        sb_printf(o, " (%zu could not be fitted and are not shown)", s->gosh_rows - fitted);
    sb_puts(o, ", each pooled with the model of the analysis: its I\xc2\xb2 against its estimate. ");
    if (binned)
        sb_printf(o, "The subsets are counted in a %d\xc2\xa0\xc3\x97\xc2\xa0%d grid; darker cells hold more (log scale; the darkest %zu). ",
                  NX, NY, max);
    sb_puts(o, "Open circle: all studies.");
}

/* The ranges of I² and the estimate over the fitted subsets and the
 * full-data model; returns the number of fitted subsets. */
static size_t ranges(const app_result *r, double *xlo, double *xhi, double *ylo, double *yhi)
{
    const app_sens *s = &r->sens;
    size_t n = s->gosh_rows, fitted = 0;
    const double *est = s->gosh + n, *i2 = s->gosh + 3 * n;
    *xlo = *ylo = INFINITY, *xhi = *yhi = -INFINITY;
    for (size_t j = 0; j < n; j++) {
        if (isnan(est[j]) || isnan(i2[j]))
            continue;
        fitted++;
        *xlo = fmin(*xlo, i2[j]), *xhi = fmax(*xhi, i2[j]);
        *ylo = fmin(*ylo, est[j]), *yhi = fmax(*yhi, est[j]);
    }
    if (!isnan(r->fit.I2))
        *xlo = fmin(*xlo, r->fit.I2), *xhi = fmax(*xhi, r->fit.I2);
    if (!isnan(r->fit.estimate))
        *ylo = fmin(*ylo, r->fit.estimate), *yhi = fmax(*yhi, r->fit.estimate);
    return fitted;
}

int plot_gosh(const app_result *r, plot *p, app_err *e)
{
    const app_sens *s = &r->sens;
    size_t n = s->gosh_rows, fitted = 0, max = 0;
    const double *est = s->gosh ? s->gosh + n : NULL, *i2 = s->gosh ? s->gosh + 3 * n : NULL;
    double W = (r->fig.width > 0 ? r->fig.width : 6.0) * 72, xlo, xhi, ylo, yhi, capw, caph, x0, x1, y0, y1;
    plot_rows_kind kind = plot_rows_kind_of(r);
    plot_rows_ticks tx, ty;
    plot_scale sx, sy;
    plot_style dot = {PLOT_NONE, (PLOT_ROWS_ACCENT & ~0xffu) | 0x59u, 0, PLOT_SOLID},
               full = {PLOT_BLACK, PLOT_WHITE, 1.0, PLOT_SOLID};
    sbuf cap;
    char ytitle[96];
    int binned = n > MAX_POINTS, rc = -1;
    if (!s->gosh || !r->fitted) {
        app_err_set(e, APP_EXIT_MODEL, "--gosh-plot: %s has no GOSH fits to draw (the studies were not pooled)", r->file);
        return -1;
    }
    fitted = ranges(r, &xlo, &xhi, &ylo, &yhi);
    if (!fitted) {
        app_err_set(e, APP_EXIT_MODEL, "--gosh-plot: none of the %zu subsets of %s could be fitted", n, r->file);
        return -1;
    }
    sb_init(&cap);
    if (plot_init(p, W, W, r->fig.font, "GOSH plot") != 0)
        goto oom;
    plot_rows_ticks_scatter(r, PLOT_ROWS_LINEAR, &xlo, &xhi, &tx);
    plot_rows_ticks_scatter(r, kind, &ylo, &yhi, &ty);

    capw = W - 2 * MARGIN;
    x0 = MARGIN + plot_rows_axis_y_width(p, &ty, &f_tick, 1);
    x1 = W - MARGIN - 6;
    y0 = MARGIN + 4;
    /* tall enough for the turned y title */
    y1 = y0 + fmax((x1 - x0) * 0.75, plot_measure(p, plot_rows_axis_title(r, ytitle, sizeof ytitle), &f_title).width + 12);
    sx = (plot_scale){xlo, xhi, x0, x1, 0};
    sy = (plot_scale){ylo, yhi, y1, y0, kind == PLOT_ROWS_LOG};
    plot_rows_thin(p, &tx, &sx, &f_tick, 1);
    plot_rows_thin(p, &ty, &sy, &f_tick, 0);

    if (binned) {
        if (histogram(p, s, &sx, &sy, &max) != 0)
            goto oom;
    } else {
        for (size_t j = 0; j < n; j++)
            if (!isnan(est[j]) && !isnan(i2[j]))
                plot_circle(p, plot_map(&sx, i2[j]), plot_map(&sy, est[j]), 1.4, &dot);
    }
    if (!isnan(r->fit.I2) && !isnan(r->fit.estimate))
        plot_circle(p, plot_map(&sx, r->fit.I2), plot_map(&sy, r->fit.estimate), 3.5, &full);

    caption(r, fitted, binned, max, &cap);
    if (cap.oom)
        goto oom;
    caph = plot_rows_wrap(p, 0, 0, capw, cap.p, &f_note, "caption", 0);
    plot_set_height(p, y1 + plot_rows_axis_x_height(&f_tick, 1) + 8 + caph + MARGIN);
    plot_rows_axis_x(p, &sx, y1, &tx, &f_tick, "I\xc2\xb2 (%)");
    plot_rows_axis_y(p, &sy, x0, &ty, &f_tick, plot_rows_axis_title(r, ytitle, sizeof ytitle));
    plot_rows_wrap(p, MARGIN, y1 + plot_rows_axis_x_height(&f_tick, 1) + 8 + f_note.size, capw, cap.p, &f_note,
                   "caption", 1);
    if (p->oom)
        goto oom;
    rc = 0;
    goto done;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
done:
    sb_free(&cap);
    return rc;
}
