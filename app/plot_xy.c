/*
 * plot_xy.c - the frame of the scatter figures: fonts, ticks, margins
 * measured from the labels they hold, axes with titles, a legend beside
 * (or, on narrow figures, under) the plot, and study labels placed
 * where they collide with nothing.  plot_xy.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_xy.h"

#define PAD 6.0        /* canvas edge to the outermost text            */
#define KEY_W 18.0     /* legend: width of a swatch, line or point      */
#define KEY_GAP 5.0    /* legend: swatch to text                         */

double xy_width(const app_result *r, double def_in)
{
    return 72.0 * (r->fig.width > 0 ? r->fig.width : def_in);
}

void xy_fonts(xy_frame *f)
{
    plot_font tick = {8.0, 0, 0, PLOT_BLACK}, title = {9.0, 0, 0, PLOT_BLACK};
    plot_font label = {8.5, 0, 0, PLOT_BLACK}, note = {7.5, 0, 1, XY_DARK};
    f->tick = tick;
    f->legend = tick;
    f->title = title;
    f->label = label;
    f->small = note;
}

size_t xy_ticks(double *lo, double *hi, int log, int cover, double *t, size_t max)
{
    double a = *lo, b = *hi, pad;
    size_t n;
    if (!(b > a)) { /* one value: a unit around it */
        double h = log ? 0.5 : (a == 0 ? 1 : fabs(a) * 0.5);
        a -= h, b += h;
    }
    pad = 0.04 * (b - a);
    if (log) {
        a -= pad, b += pad;
        n = plot_log_ticks(a, b, t, max);
    } else if (cover) {
        n = plot_pretty(a, b, 5, t, max);
        if (n >= 2) {
            double step = t[1] - t[0];
            double lo2 = floor(a / step + 1e-9) * step, hi2 = ceil(b / step - 1e-9) * step;
            a = lo2, b = hi2;
            n = plot_pretty(a, b, 5, t, max);
            /* pretty() may choose another step on the wider range */
            if (n >= 2) {
                a = fmin(a, t[0]);
                b = fmax(b, t[n - 1]);
            }
        }
    } else {
        a -= pad, b += pad;
        n = plot_pretty(a, b, 5, t, max);
    }
    *lo = a, *hi = b;
    return n;
}

static double legend_width(plot *p, const xy_frame *f)
{
    double w = 0;
    for (size_t i = 0; i < f->nkeys; i++)
        w = fmax(w, plot_measure(p, f->keys[i].text, &f->legend).width);
    return f->nkeys ? KEY_W + KEY_GAP + w : 0;
}

static double row_h(const xy_frame *f)
{
    return f->legend.size * 1.55;
}

/* Whether the tick labels of an axis collide (x: side by side; y:
 * stacked). */
static int crowded(plot *p, const xy_frame *f, const plot_scale *s, const double *t, size_t n, int vertical)
{
    char b[64];
    double prev = NAN, prevw = 0;
    for (size_t i = 0; i < n; i++) {
        double at = plot_map(s, t[i]), w;
        plot_extent ex;
        plot_tick_label(t[i], s->log, b, sizeof b);
        ex = plot_measure(p, b, &f->tick);
        w = vertical ? ex.ascent + ex.descent : ex.width;
        if (!isnan(prev) && fabs(at - prev) < (w + prevw) / 2 + 4)
            return 1;
        prev = at, prevw = w;
    }
    return 0;
}

/* Every other tick, keeping the one at 0 (ratio 1) where there is one. */
static void thin(double *t, size_t *n)
{
    size_t keep = 0, m = 0;
    for (size_t i = 0; i < *n; i++)
        if (fabs(t[i]) < 1e-12)
            keep = i % 2;
    for (size_t i = 0; i < *n; i++)
        if (i % 2 == keep)
            t[m++] = t[i];
    *n = m;
}

static void thin_ticks(plot *p, xy_frame *f)
{
    while (f->nxt > 2 && crowded(p, f, &f->sx, f->xt, f->nxt, 0))
        thin(f->xt, &f->nxt);
    while (f->nyt > 2 && crowded(p, f, &f->sy, f->yt, f->nyt, 1))
        thin(f->yt, &f->nyt);
}

int xy_layout(plot *p, xy_frame *f, double width, double height, const char *family, const char *title,
              int top_down)
{
    plot_extent tx, tt;
    double left, right, bottom, top = 10, lw, widest = 0, xlab_half = 0, ybottom;
    char b[64];
    if (plot_init(p, width, height, family, title) != 0)
        return -1;
    tx = plot_measure(p, "0.9", &f->tick);
    tt = plot_measure(p, "Xg", &f->title);
    for (size_t i = 0; i < f->nyt; i++) {
        plot_tick_label(f->yt[i], f->sy.log, b, sizeof b);
        widest = fmax(widest, plot_measure(p, b, &f->tick).width);
    }
    for (size_t i = 0; i < f->nxt; i++) {
        plot_tick_label(f->xt[i], f->sx.log, b, sizeof b);
        xlab_half = fmax(xlab_half, plot_measure(p, b, &f->tick).width / 2);
    }
    left = PAD + (f->ytitle ? tt.ascent + tt.descent + 4 : 0) + f->tick.size * 0.7 + widest;
    left = fmax(left, PAD + xlab_half);
    /* ticks, tick labels, the title */
    bottom = f->tick.size * 1.45 + tx.descent + (f->xtitle ? 5 + tt.ascent + tt.descent : 0) + PAD;
    lw = legend_width(p, f);
    f->legend_below = lw > 0 && lw + 20 > 0.3 * width;
    right = lw > 0 && !f->legend_below ? 16 + lw + PAD : PAD + xlab_half;
    right = fmax(right, PAD + xlab_half);
    f->x0 = left;
    f->x1 = width - right;
    f->y0 = top;
    f->y1 = height - bottom;
    if (f->ytitle) { /* the turned title fits beside the axis */
        double need = plot_measure(p, f->ytitle, &f->title).width + 4;
        if (f->y1 - f->y0 < need) {
            height += need - (f->y1 - f->y0);
            f->y1 = height - bottom;
        }
    }
    if (f->x1 - f->x0 < 36 || f->y1 - f->y0 < 36) {
        /* too small to draw: keep the plot area at 36 points and grow */
        f->x1 = fmax(f->x1, f->x0 + 36);
        f->y1 = fmax(f->y1, f->y0 + 36);
        p->width = f->x1 + right;
        height = f->y1 + bottom;
    }
    ybottom = height - PAD;
    if (f->legend_below) {
        f->legend_x = fmax(PAD, fmin(f->x0, width - PAD - lw));
        f->legend_y = ybottom + 4;
        ybottom = f->legend_y + (double)f->nkeys * row_h(f);
    } else {
        f->legend_x = f->x1 + 16;
        f->legend_y = f->y0;
    }
    plot_set_height(p, ybottom + PAD);
    f->sx.p0 = f->x0, f->sx.p1 = f->x1;
    if (top_down)
        f->sy.p0 = f->y0, f->sy.p1 = f->y1;
    else
        f->sy.p0 = f->y1, f->sy.p1 = f->y0;
    thin_ticks(p, f);
    return p->oom ? -1 : 0;
}

/* The note, word-wrapped to the canvas: drawn from baseline y when draw
 * is set; returns the number of lines. */
static int note_lines(plot *p, const xy_frame *f, double y, int draw)
{
    char line[512];
    const char *s = f->note;
    double width = p->width - 2 * PAD, lh = f->small.size * 1.3;
    int n = 0;
    while (*s) {
        size_t len = 0, fit = 0;
        while (s[len] && len < sizeof line - 1) {
            size_t next = len;
            while (s[next] == ' ')
                next++;
            while (s[next] && s[next] != ' ')
                next++;
            if (next >= sizeof line)
                break;
            memcpy(line, s, next);
            line[next] = '\0';
            if (fit && plot_measure(p, line, &f->small).width > width)
                break;
            fit = len = next;
        }
        if (!fit) /* one word longer than the line */
            fit = strlen(s) < sizeof line - 1 ? strlen(s) : sizeof line - 1;
        memcpy(line, s, fit);
        line[fit] = '\0';
        if (draw)
            plot_text(p, PAD, y + n * lh, line, &f->small, PLOT_LEFT, 0, "note");
        n++;
        s += fit;
        while (*s == ' ')
            s++;
    }
    return n;
}

void xy_add_note(plot *p, xy_frame *f, const char *note)
{
    plot_extent ne = plot_measure(p, note, &f->small);
    int n;
    f->note = note;
    f->note_y = p->height - PAD + 4 + ne.ascent;
    n = note_lines(p, f, f->note_y, 0);
    plot_set_height(p, f->note_y + (n - 1) * f->small.size * 1.3 + ne.descent + PAD);
}

int xy_oom(app_err *e, app_fig f)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory while drawing the %s figure", app_fig_flag(f) + 2);
    return -1;
}

static void legend(plot *p, const xy_frame *f)
{
    double h = row_h(f), x = f->legend_x;
    plot_extent ex = plot_measure(p, "Xg", &f->legend);
    for (size_t i = 0; i < f->nkeys; i++) {
        const xy_key *k = &f->keys[i];
        double top = f->legend_y + (double)i * h, mid = top + h / 2;
        double base = mid + (ex.ascent - ex.descent) / 2;
        switch (k->kind) {
        case XY_KEY_FILL:
            plot_rect(p, x, mid - 4.5, x + KEY_W, mid + 4.5, &k->style);
            break;
        case XY_KEY_LINE:
            plot_line(p, x, mid, x + KEY_W, mid, &k->style);
            break;
        case XY_KEY_POINT:
            plot_circle(p, x + KEY_W / 2, mid, k->r, &k->style);
            break;
        }
        {
            char *t = plot_ellipsize(p, k->text, &f->legend, p->width - PAD - (x + KEY_W + KEY_GAP));
            if (!t) {
                p->oom = 1;
                return;
            }
            plot_text(p, x + KEY_W + KEY_GAP, base, t, &f->legend, PLOT_LEFT, 0, "legend");
            app_free(t);
        }
    }
}

void xy_decorate(plot *p, const xy_frame *f)
{
    plot_extent tx = plot_measure(p, "0.9", &f->tick), tt = plot_measure(p, "Xg", &f->title);
    plot_axis_x(p, &f->sx, f->y1, f->xt, f->nxt, &f->tick, NULL);
    plot_axis_y(p, &f->sy, f->x0, f->yt, f->nyt, &f->tick, NULL);
    if (f->xtitle) {
        /* centred under the axis, moved (or shortened) to stay on the canvas */
        char *t = plot_ellipsize(p, f->xtitle, &f->title, p->width - 2 * PAD);
        if (t) {
            double w = plot_measure(p, t, &f->title).width, x = (f->x0 + f->x1) / 2 - w / 2;
            x = fmax(PAD, fmin(x, p->width - PAD - w));
            plot_text(p, x, f->y1 + f->tick.size * 1.45 + tx.descent + 5 + tt.ascent, t, &f->title, PLOT_LEFT, 0,
                      "axis-title");
            app_free(t);
        } else {
            p->oom = 1;
        }
    }
    if (f->ytitle) {
        double widest = 0;
        char b[64];
        for (size_t i = 0; i < f->nyt; i++) {
            plot_tick_label(f->yt[i], f->sy.log, b, sizeof b);
            widest = fmax(widest, plot_measure(p, b, &f->tick).width);
        }
        plot_text(p, f->x0 - f->tick.size * 0.7 - widest - 4 - tt.descent, (f->y0 + f->y1) / 2, f->ytitle,
                  &f->title, PLOT_CENTRE, 90, "axis-title");
    }
    legend(p, f);
    if (f->note)
        note_lines(p, f, f->note_y, 1);
}

void xy_boxes_add(xy_boxes *s, double x0, double y0, double x1, double y1)
{
    if (s->oom)
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        double *b = app_realloc(s->b, 4 * cap * sizeof *b);
        if (!b) {
            s->oom = 1;
            return;
        }
        s->b = b;
        s->cap = cap;
    }
    s->b[4 * s->n] = x0, s->b[4 * s->n + 1] = y0, s->b[4 * s->n + 2] = x1, s->b[4 * s->n + 3] = y1;
    s->n++;
}

void xy_boxes_free(xy_boxes *s)
{
    app_free(s->b);
    memset(s, 0, sizeof *s);
}

int xy_boxes_hit(const xy_boxes *s, double x0, double y0, double x1, double y1, double gap)
{
    for (size_t i = 0; i < s->n; i++) {
        const double *b = s->b + 4 * i;
        if (x0 < b[2] + gap && b[0] < x1 + gap && y0 < b[3] + gap && b[1] < y1 + gap)
            return 1;
    }
    return 0;
}

/* Try the label's box with its left end at bx0 and baseline by. */
static int try_at(plot *p, const xy_frame *f, xy_boxes *taken, const char *t, plot_extent ex, double bx0,
                  double by)
{
    double bx1 = bx0 + ex.width, top = by - ex.ascent, bot = by + ex.descent;
    if (bx0 < f->x0 + 1 || bx1 > f->x1 - 1 || top < f->y0 || bot > f->y1 - 1)
        return 0;
    if (xy_boxes_hit(taken, bx0, top, bx1, bot, 0.5))
        return 0;
    plot_text(p, bx0, by, t, &f->label, PLOT_LEFT, 0, "label");
    xy_boxes_add(taken, bx0, top, bx1, bot);
    return 1;
}

int xy_place_label(plot *p, const xy_frame *f, xy_boxes *taken, double x, double y, double r,
                   const char *s, double maxw)
{
    /* right, left, above, below (centred, then from the point on), then half-line nudges up and down on
     * either side */
    static const double dy[] = {-0.55, 0.55, -1.1, 1.1, -1.65, 1.65};
    char *t = plot_ellipsize(p, s, &f->label, maxw);
    plot_extent ex;
    double base, h;
    int done = 0;
    if (!t)
        return -1;
    ex = plot_measure(p, t, &f->label);
    h = ex.ascent + ex.descent;
    base = y + (ex.ascent - ex.descent) / 2;
    done = try_at(p, f, taken, t, ex, x + r + 2, base) || try_at(p, f, taken, t, ex, x - r - 2 - ex.width, base) ||
           try_at(p, f, taken, t, ex, x - ex.width / 2, y - r - 1 - ex.descent) ||
           try_at(p, f, taken, t, ex, x - ex.width / 2, y + r + 1 + ex.ascent) ||
           try_at(p, f, taken, t, ex, x - r, y - r - 1 - ex.descent) ||
           try_at(p, f, taken, t, ex, x - r, y + r + 1 + ex.ascent);
    for (size_t j = 0; j < sizeof dy / sizeof dy[0] && !done; j++)
        done = try_at(p, f, taken, t, ex, x + r + 2, base + dy[j] * h) ||
               try_at(p, f, taken, t, ex, x - r - 2 - ex.width, base + dy[j] * h);
    app_free(t);
    return taken->oom ? -1 : done;
}

const char *xy_effect_title(const app_result *r, char *buf, size_t n)
{
    const char *l = msyn_measure_label(r->measure);
    int ratio = msyn_measure_is_ratio(r->measure);
    if (r->measure == MSYN_MEASURE_GEN || !l)
        l = ratio ? "ratio" : "effect size";
    if (ratio && strncmp(l, "log ", 4) == 0)
        l += 4;
    snprintf(buf, n, "%s%s", l, ratio ? " (log scale)" : "");
    if (buf[0])
        buf[0] = (char)toupper((unsigned char)buf[0]);
    return buf;
}

size_t xy_estimable(const app_result *r)
{
    size_t m = 0;
    for (size_t i = 0; i < r->data->k; i++)
        m += isfinite(r->yi[i]) && isfinite(r->vi[i]) && r->vi[i] > 0;
    return m;
}
