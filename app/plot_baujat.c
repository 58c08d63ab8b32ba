/*
 * plot_baujat.c - the Baujat plot of `pool --baujat` (Baujat et al.
 * 2002, metafor's baujat()): for each study its contribution to the
 * heterogeneity statistic Q (x) against its influence on the pooled
 * result, the standardized squared change of the estimate when it is
 * left out (y), from libmetasyn's msyn_influence_baujat (r->sens).
 * Studies in the top right both drive heterogeneity and move the result.
 *
 * Every point is labelled with its study where a label fits: to the
 * right, else to the left, else nudged up or down; long names are
 * ellipsized.  The most extreme studies (largest x/xmax + y/ymax) are
 * labelled first; where the plot is too crowded for the rest, their
 * labels are left out and a note under the plot says how many.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_xy.h"

typedef struct bpt {
    double x, y, rank;
    size_t i;
} bpt;

static int by_rank(const void *a, const void *b)
{
    const bpt *p = a, *q = b;
    if (p->rank != q->rank)
        return (p->rank < q->rank) - (p->rank > q->rank);
    return (p->i > q->i) - (p->i < q->i);
}

static size_t collect(const app_result *r, bpt *v, double *xmax, double *ymax)
{
    size_t k = r->data->k, n = 0;
    const double *bx = r->sens.inf + INF_BAUJAT_X * k, *by = r->sens.inf + INF_BAUJAT_Y * k;
    *xmax = 0, *ymax = 0;
    for (size_t i = 0; i < k; i++)
        if (isfinite(bx[i]) && isfinite(by[i])) {
            v[n].x = bx[i], v[n].y = by[i], v[n].i = i;
            *xmax = fmax(*xmax, bx[i]), *ymax = fmax(*ymax, by[i]);
            n++;
        }
    for (size_t j = 0; j < n; j++)
        v[j].rank = (*xmax > 0 ? v[j].x / *xmax : 0) + (*ymax > 0 ? v[j].y / *ymax : 0);
    qsort(v, n, sizeof *v, by_rank);
    return n;
}

/* Label the points, most extreme first; returns how many were left out
 * (or -1 when out of memory). */
static long labels(plot *p, const app_result *r, const xy_frame *f, const bpt *v, size_t n, double rad)
{
    xy_boxes taken = {NULL, 0, 0, 0};
    long left = 0;
    double maxw = fmin(150.0, 0.4 * (f->x1 - f->x0));
    for (size_t j = 0; j < n; j++) {
        double x = plot_map(&f->sx, v[j].x), y = plot_map(&f->sy, v[j].y);
        xy_boxes_add(&taken, x - rad, y - rad, x + rad, y + rad);
    }
    for (size_t j = 0; j < n && left >= 0; j++) {
        int rc = taken.oom ? -1
                           : xy_place_label(p, f, &taken, plot_map(&f->sx, v[j].x), plot_map(&f->sy, v[j].y), rad,
                                            r->data->study[v[j].i], maxw);
        left = rc < 0 ? -1 : left + (rc == 0);
    }
    if (taken.oom)
        left = -1;
    xy_boxes_free(&taken);
    return left;
}

int plot_baujat(const app_result *r, plot *p, app_err *e)
{
    xy_frame f;
    bpt *v;
    size_t n;
    long left;
    double xmax, ymax, lo = 0, w = xy_width(r, 6.5), rad;
    char title[256], note[160];
    memset(&f, 0, sizeof f);
    if (xy_estimable(r) < 2) {
        app_err_set(e, APP_EXIT_MODEL, "--baujat: %s has %zu %s with an effect size; the Baujat plot needs at least 2",
                    r->file, xy_estimable(r), xy_estimable(r) == 1 ? "study" : "studies");
        return -1;
    }
    if (!r->sens.inf) {
        app_err_set(e, APP_EXIT_INTERNAL, "--baujat: the influence diagnostics of %s were not computed", r->file);
        return -1;
    }
    if (!(v = app_alloc((r->data->k + 1) * sizeof *v))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    n = collect(r, v, &xmax, &ymax);
    if (n < 2) {
        app_free(v);
        app_err_set(e, APP_EXIT_MODEL, "--baujat: %s has %zu %s with Baujat coordinates; the plot needs at least 2 studies with an effect size",
                    r->file, n, n == 1 ? "study" : "studies");
        return -1;
    }
    rad = n > 100 ? 1.8 : 2.4;
    xy_fonts(&f);
    f.nxt = xy_ticks(&lo, &xmax, 0, 0, f.xt, XY_MAXTICK);
    f.sx.d0 = lo, f.sx.d1 = xmax;
    lo = 0;
    f.nyt = xy_ticks(&lo, &ymax, 0, 0, f.yt, XY_MAXTICK);
    f.sy.d0 = lo, f.sy.d1 = ymax;
    f.xtitle = "Contribution to overall heterogeneity (Q)";
    f.ytitle = "Influence on overall result";
    snprintf(title, sizeof title, "Baujat plot: %s", r->file);
    if (xy_layout(p, &f, w, w * 0.62, r->fig.font, title, 0) != 0) {
        app_free(v);
        return xy_oom(e, APP_FIG_BAUJAT);
    }
    {
        plot_style dot = {PLOT_BLACK, PLOT_BLACK, 0.5, PLOT_SOLID};
        for (size_t j = 0; j < n; j++)
            plot_circle(p, plot_map(&f.sx, v[j].x), plot_map(&f.sy, v[j].y), rad, &dot);
    }
    left = labels(p, r, &f, v, n, rad);
    app_free(v);
    if (left < 0) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (left > 0) {
        snprintf(note, sizeof note, "%ld of %zu study labels left out where the plot is too crowded for them (the influence table lists every study).",
                 left, n);
        xy_add_note(p, &f, note);
    }
    xy_decorate(p, &f);
    return 0;
}
