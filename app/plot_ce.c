/*
 * plot_ce.c - the cost-effectiveness plane of `metasyn cost --plane`:
 * incremental effect (x) against incremental cost in the target currency
 * (y), axes through the origin, the four quadrants named, the
 * willingness-to-pay line y = wtp x when --wtp is given, and one labelled
 * point per comparison ("study; intervention vs comparator").  Labels
 * that find no free place are listed in a note under the figure.
 * Comparisons without an incremental effect cannot be placed and are
 * counted in the note.  cost.h; plot_xy.h for the frame.
 */
#include <stdio.h>
#include <string.h>

#include "cost.h"
#include "plot_xy.h"

static int drawable(const cost_row *w)
{
    return isfinite(w->d_effect) && isfinite(w->d_cost_t);
}

static void ranges(const cost_set *s, double *x0, double *x1, double *y0, double *y1)
{
    *x0 = *x1 = *y0 = *y1 = 0;
    for (size_t i = 0; i < s->n; i++)
        if (drawable(&s->row[i])) {
            *x0 = fmin(*x0, s->row[i].d_effect), *x1 = fmax(*x1, s->row[i].d_effect);
            *y0 = fmin(*y0, s->row[i].d_cost_t), *y1 = fmax(*y1, s->row[i].d_cost_t);
        }
    /* both signs shown, with room for the quadrant names in the corners */
    {
        double dx = fmax(*x1 - *x0, 1e-3), dy = fmax(*y1 - *y0, 1);
        if (*x0 > -0.25 * dx) *x0 = -0.25 * dx;
        if (*x1 < 0.25 * dx) *x1 = 0.25 * dx;
        if (*y0 > -0.25 * dy) *y0 = -0.25 * dy;
        if (*y1 < 0.25 * dy) *y1 = 0.25 * dy;
        dx = *x1 - *x0, dy = *y1 - *y0;
        *x0 -= 0.12 * dx, *x1 += 0.12 * dx, *y0 -= 0.12 * dy, *y1 += 0.12 * dy;
    }
}

/* The quadrant names in the corners of the plot area (boxes taken). */
static void quadrant_names(plot *p, const xy_frame *f, xy_boxes *taken)
{
    static const char *const lng[4] = {"NW: dominated", "NE: more effective, more costly",
                                       "SW: less effective, less costly", "SE: dominant"};
    static const char *const sht[4] = {"NW: dominated", "NE", "SW", "SE: dominant"};
    plot_font ft = f->small;
    double pad = 4;
    int shortn;
    ft.colour = XY_DARK;
    shortn = plot_measure(p, lng[1], &ft).width + plot_measure(p, lng[0], &ft).width + 3 * pad > f->x1 - f->x0;
    for (int q = 0; q < 4; q++) {
        const char *s = shortn ? sht[q] : lng[q];
        plot_extent ex = plot_measure(p, s, &ft);
        int right = q & 1, bottom = q >> 1;
        double x = right ? f->x1 - pad : f->x0 + pad;
        double y = bottom ? f->y1 - pad - ex.descent : f->y0 + pad + ex.ascent;
        plot_text(p, x, y, s, &ft, right ? PLOT_RIGHT : PLOT_LEFT, 0, "quadrant");
        xy_boxes_add(taken, right ? x - ex.width : x, y - ex.ascent, right ? x : x + ex.width, y + ex.descent);
    }
}

static void axes_and_wtp(plot *p, const xy_frame *f, const cost_set *s)
{
    plot_style ax = {PLOT_GREY, PLOT_NONE, 0.8, PLOT_SOLID};
    plot_style wl = {XY_ACCENT, PLOT_NONE, 1.0, PLOT_DASHED};
    double ox = plot_map(&f->sx, 0), oy = plot_map(&f->sy, 0);
    plot_clip(p, f->x0, f->y0, f->x1, f->y1);
    plot_line(p, f->x0, oy, f->x1, oy, &ax);
    plot_line(p, ox, f->y0, ox, f->y1, &ax);
    if (isfinite(s->wtp))
        plot_line(p, f->x0, plot_map(&f->sy, s->wtp * f->sx.d0), f->x1, plot_map(&f->sy, s->wtp * f->sx.d1), &wl);
    plot_unclip(p);
}

static int points(plot *p, const xy_frame *f, const cost_set *s, xy_boxes *taken, sbuf *missed, size_t *nmissed)
{
    plot_style pt = {PLOT_BLACK, XY_ACCENT, 0.5, PLOT_SOLID};
    double rad = 3.2;
    for (size_t i = 0; i < s->n; i++)
        if (drawable(&s->row[i])) {
            double x = plot_map(&f->sx, s->row[i].d_effect), y = plot_map(&f->sy, s->row[i].d_cost_t);
            plot_circle(p, x, y, rad, &pt);
            xy_boxes_add(taken, x - rad, y - rad, x + rad, y + rad);
        }
    for (size_t i = 0; i < s->n; i++) {
        const cost_row *w = &s->row[i];
        char lab[512];
        int rc;
        if (!drawable(w))
            continue;
        snprintf(lab, sizeof lab, "%s; %s vs %s", w->study, w->intervention, w->comparator);
        rc = xy_place_label(p, f, taken, plot_map(&f->sx, w->d_effect), plot_map(&f->sy, w->d_cost_t), rad, lab,
                            0.45 * (f->x1 - f->x0));
        if (rc < 0)
            return -1;
        if (rc == 0) {
            sb_printf(missed, "%s%s", (*nmissed)++ ? ", " : "", w->study);
        }
    }
    return missed->oom || taken->oom ? -1 : 0;
}

int plot_ce(const cost_set *s, plot *p, double width, const char *family, app_err *e)
{
    xy_frame f;
    xy_boxes taken = {NULL, 0, 0, 0};
    xy_key key[2];
    sbuf missed, note;
    size_t nmissed = 0, nskip = 0;
    double x0, x1, y0, y1;
    char ytitle[128], xtitle[160], wtpk[160], title[256], b[64];
    int rc = -1;
    memset(&f, 0, sizeof f);
    sb_init(&missed);
    sb_init(&note);
    for (size_t i = 0; i < s->n; i++)
        nskip += !drawable(&s->row[i]);
    if (nskip == s->n) {
        app_err_set(e, APP_EXIT_MODEL, "--plane: no comparison of %s has both an incremental effect and a cost in one currency to draw", s->file);
        return -1;
    }
    ranges(s, &x0, &x1, &y0, &y1);
    f.nxt = xy_ticks(&x0, &x1, 0, 0, f.xt, XY_MAXTICK);
    f.nyt = xy_ticks(&y0, &y1, 0, 0, f.yt, XY_MAXTICK);
    f.sx.d0 = x0, f.sx.d1 = x1, f.sy.d0 = y0, f.sy.d1 = y1;
    xy_fonts(&f);
    {
        const char *unit = s->row[0].effect_unit;
        int one = 1;
        for (size_t i = 1; i < s->n; i++)
            one &= strcmp(s->row[i].effect_unit, unit) == 0;
        snprintf(xtitle, sizeof xtitle, "Incremental effect (%s)", one ? unit : "units as reported");
    }
    snprintf(ytitle, sizeof ytitle, "Incremental cost (%s, %d prices)", s->target_cur, s->target_year);
    f.xtitle = xtitle, f.ytitle = ytitle;
    {
        xy_key k0 = {XY_KEY_POINT, {PLOT_BLACK, XY_ACCENT, 0.5, PLOT_SOLID}, 3.2, "Comparison (intervention minus comparator)"};
        key[0] = k0;
        f.nkeys = 1;
        if (isfinite(s->wtp)) {
            xy_key k1 = {XY_KEY_LINE, {XY_ACCENT, PLOT_NONE, 1.0, PLOT_DASHED}, 0, wtpk};
            snprintf(wtpk, sizeof wtpk, "Willingness to pay %s %s per %s", app_fx(s->wtp, 0, b, sizeof b), s->target_cur,
                     s->wtp_unit ? s->wtp_unit : "QALY");
            key[1] = k1;
            f.nkeys = 2;
        }
    }
    f.keys = key;
    snprintf(title, sizeof title, "Cost-effectiveness plane: %s", s->file);
    if (xy_layout(p, &f, width > 0 ? width : 6.5 * 72, (width > 0 ? width : 6.5 * 72) * 0.75, family, title, 0) != 0)
        goto oom;
    quadrant_names(p, &f, &taken);
    axes_and_wtp(p, &f, s);
    if (points(p, &f, s, &taken, &missed, &nmissed) != 0)
        goto oom;
    if (nskip)
        sb_printf(&note, "%zu comparison%s without an incremental effect not drawn. ", nskip, nskip == 1 ? "" : "s");
    if (nmissed)
        sb_printf(&note, "No room for the label%s of: %s.", nmissed == 1 ? "" : "s", missed.p);
    if (note.oom)
        goto oom;
    if (note.len)
        xy_add_note(p, &f, note.p);
    xy_decorate(p, &f);
    rc = p->oom ? -1 : 0;
    if (rc != 0)
        goto oom;
    goto done;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory while drawing the cost-effectiveness plane");
    rc = -1;
done:
    xy_boxes_free(&taken);
    sb_free(&missed);
    sb_free(&note);
    return rc;
}
