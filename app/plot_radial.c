/*
 * plot_radial.c - the radial (Galbraith) plot of `pool --radial`, as
 * metafor's radial(): each study at x = 1/sqrt(vi + tau2) (its precision
 * in the model) and y = yi/sqrt(vi + tau2) (its standardized effect).
 * The pooled estimate b is the slope of the line through the origin;
 * studies consistent with it lie within the band b x +- z (z the normal
 * quantile of the analysis level, 1.96 at 95%), so outliers stand out
 * and more precise studies sit further right.  The arc axis of metafor's
 * version is not drawn.
 */
#include <stdio.h>
#include <string.h>

#include "plot_xy.h"

#define BAND 0xe6e6e6ffu

static double study_x(const app_result *r, size_t i, double tau2)
{
    return 1.0 / sqrt(r->vi[i] + tau2);
}

static int usable(const app_result *r, size_t i)
{
    return isfinite(r->yi[i]) && isfinite(r->vi[i]) && r->vi[i] > 0;
}

static void ranges(const app_result *r, xy_frame *f, double tau2, double b, double z)
{
    double xmax = 0, lo, hi, x0 = 0;
    for (size_t i = 0; i < r->data->k; i++)
        if (usable(r, i))
            xmax = fmax(xmax, study_x(r, i, tau2));
    f->nxt = xy_ticks(&x0, &xmax, 0, 1, f->xt, XY_MAXTICK);
    f->sx.d0 = 0, f->sx.d1 = xmax, f->sx.log = 0;
    lo = fmin(-z, b * xmax - z);
    hi = fmax(z, b * xmax + z);
    for (size_t i = 0; i < r->data->k; i++)
        if (usable(r, i)) {
            double y = r->yi[i] * study_x(r, i, tau2);
            lo = fmin(lo, y), hi = fmax(hi, y);
        }
    f->nyt = xy_ticks(&lo, &hi, 0, 0, f->yt, XY_MAXTICK);
    f->sy.d0 = lo, f->sy.d1 = hi, f->sy.log = 0;
}

int plot_radial(const app_result *r, plot *p, app_err *e)
{
    xy_frame f;
    xy_key key[3];
    char xt[96], yt[160], est[96], band[64], title[256], a[48];
    double w = xy_width(r, 5.5), tau2, b, z, level, rad, xmax;
    size_t m = xy_estimable(r);
    const char *name = msyn_measure_back_name(r->measure);
    memset(&f, 0, sizeof f);
    if (!r->fitted || !isfinite(r->fit.estimate) || m < 2) {
        app_err_set(e, APP_EXIT_MODEL, "--radial: %s has %zu %s with an effect size and no pooled estimate; the radial plot needs the studies pooled (at least 2)",
                    r->file, m, m == 1 ? "study" : "studies");
        return -1;
    }
    tau2 = isfinite(r->fit.tau2) && r->fit.tau2 > 0 ? r->fit.tau2 : 0;
    b = r->fit.estimate;
    level = r->po.level > 0 && r->po.level < 1 ? r->po.level : 0.95;
    z = msyn_crit(level, NAN);
    rad = m > 100 ? 1.8 : 2.4;
    xy_fonts(&f);
    ranges(r, &f, tau2, b, z);
    xmax = f.sx.d1;
    snprintf(xt, sizeof xt, "Precision, 1/\xe2\x88\x9a%s", tau2 > 0 ? "(v\xe1\xb5\xa2 + \xcf\x84\xc2\xb2)" : "v\xe1\xb5\xa2");
    snprintf(yt, sizeof yt, "Standardized effect, y\xe1\xb5\xa2/\xe2\x88\x9a%s",
             tau2 > 0 ? "(v\xe1\xb5\xa2 + \xcf\x84\xc2\xb2)" : "v\xe1\xb5\xa2");
    f.xtitle = xt;
    f.ytitle = yt;
    snprintf(est, sizeof est, "Pooled estimate (slope): %s %s", name ? name : msyn_measure_name(r->measure),
             app_fx(app_back(r, b), 2, a, sizeof a));
    snprintf(band, sizeof band, "Slope \xc2\xb1 %.2f (%g%%)", z, 100 * level);
    {
        xy_key k0 = {XY_KEY_POINT, {PLOT_BLACK, PLOT_BLACK, 0.5, PLOT_SOLID}, rad, "Studies"};
        xy_key k1 = {XY_KEY_LINE, {PLOT_BLACK, PLOT_NONE, 0.75, PLOT_SOLID}, 0, est};
        xy_key k2 = {XY_KEY_FILL, {PLOT_NONE, BAND, 0, PLOT_SOLID}, 0, band};
        key[0] = k0, key[1] = k1, key[2] = k2;
    }
    f.keys = key;
    f.nkeys = 3;
    snprintf(title, sizeof title, "Radial (Galbraith) plot: %s", r->file);
    if (xy_layout(p, &f, w, w * 0.7, r->fig.font, title, 0) != 0)
        return xy_oom(e, APP_FIG_RADIAL);
    plot_clip(p, f.x0, f.y0, f.x1, f.y1);
    {
        plot_style s = {PLOT_NONE, BAND, 0, PLOT_SOLID}, line = {PLOT_BLACK, PLOT_NONE, 0.75, PLOT_SOLID};
        double xy[8];
        xy[0] = plot_map(&f.sx, 0), xy[1] = plot_map(&f.sy, z);
        xy[2] = plot_map(&f.sx, xmax), xy[3] = plot_map(&f.sy, b * xmax + z);
        xy[4] = xy[2], xy[5] = plot_map(&f.sy, b * xmax - z);
        xy[6] = xy[0], xy[7] = plot_map(&f.sy, -z);
        plot_polygon(p, xy, 4, &s);
        plot_line(p, plot_map(&f.sx, 0), plot_map(&f.sy, 0), plot_map(&f.sx, xmax), plot_map(&f.sy, b * xmax), &line);
    }
    plot_unclip(p);
    {
        plot_style dot = {PLOT_BLACK, PLOT_BLACK, 0.5, PLOT_SOLID};
        for (size_t i = 0; i < r->data->k; i++)
            if (usable(r, i))
                plot_circle(p, plot_map(&f.sx, study_x(r, i, tau2)), plot_map(&f.sy, r->yi[i] * study_x(r, i, tau2)),
                            rad, &dot);
    }
    xy_decorate(p, &f);
    return 0;
}
