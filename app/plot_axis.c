/*
 * plot_axis.c - scales, tick positions and axes shared by every figure.
 * plot.h.
 *
 * Ticks follow the rule of R's pretty(): steps of 1, 2 or 5 times a power
 * of ten, about n of them across the range.  Ratio measures are drawn on
 * a log axis whose ticks are the readable ratios 0.01 0.02 0.05 0.1 0.2
 * 0.5 1 2 5 10 ..., thinned when there are too many, always with 1.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot.h"

double plot_map(const plot_scale *s, double v)
{
    double d = s->d1 - s->d0;
    if (d == 0)
        return (s->p0 + s->p1) / 2;
    return s->p0 + (v - s->d0) / d * (s->p1 - s->p0);
}

size_t plot_pretty(double lo, double hi, size_t n, double *ticks, size_t max)
{
    double range, unit, step, base, first;
    size_t m = 0;
    if (!(hi > lo) || n == 0) {
        if (max > 0 && isfinite(lo))
            ticks[m++] = lo;
        return m;
    }
    range = hi - lo;
    unit = pow(10.0, floor(log10(range / (double)n)));
    base = range / (double)n / unit; /* in [1, 10) */
    step = (base < 1.5 ? 1 : base < 3 ? 2 : base < 7 ? 5 : 10) * unit;
    first = ceil(lo / step - 1e-9) * step;
    for (double t = first; t <= hi + step * 1e-9 && m < max; t += step) {
        double v = fabs(t) < step * 1e-9 ? 0.0 : t;
        ticks[m++] = v;
    }
    return m;
}

size_t plot_log_ticks(double lo, double hi, double *ticks, size_t max)
{
    /* candidates m * 10^e, m in {1, 2, 5}; keep fewer when crowded */
    static const double mant[3] = {1, 2, 5};
    size_t m = 0;
    double elo = floor(lo / log(10.0)), ehi = ceil(hi / log(10.0));
    int every = (ehi - elo) > 4 ? 3 : 1; /* > 4 decades: powers of ten only */
    for (double ex = elo; ex <= ehi; ex++)
        for (int j = 0; j < 3; j += every) {
            double v = log(mant[j] * pow(10.0, ex));
            if (v >= lo - 1e-9 && v <= hi + 1e-9 && m < max)
                ticks[m++] = v;
        }
    if (m < 2 && max >= 2) { /* a narrow range: pretty() on the ratio */
        double r[16];
        size_t n = plot_pretty(exp(lo), exp(hi), 4, r, 16);
        m = 0;
        for (size_t i = 0; i < n && m < max; i++)
            if (r[i] > 0)
                ticks[m++] = log(r[i]);
    }
    return m;
}

void plot_tick_label(double v, int log_scale, char *buf, size_t size)
{
    double x = log_scale ? exp(v) : v;
    if (log_scale) {
        /* ratios: as few digits as say the value */
        if (x >= 100)
            snprintf(buf, size, "%.0f", x);
        else
            snprintf(buf, size, "%.3g", x);
    } else {
        snprintf(buf, size, "%.6g", fabs(x) < 1e-12 ? 0.0 : x);
    }
    /* a real minus sign */
    if (buf[0] == '-' && strlen(buf) + 3 < size) {
        memmove(buf + 3, buf + 1, strlen(buf));
        memcpy(buf, "\xe2\x88\x92", 3);
    }
}

void plot_axis_x(plot *p, const plot_scale *s, double y, const double *ticks, size_t n,
                 const plot_font *f, const char *title)
{
    plot_style line = {PLOT_BLACK, PLOT_NONE, 0.75, PLOT_SOLID};
    double tick = f->size * 0.4;
    char b[64];
    plot_line(p, fmin(s->p0, s->p1), y, fmax(s->p0, s->p1), y, &line);
    for (size_t i = 0; i < n; i++) {
        double x = plot_map(s, ticks[i]);
        plot_line(p, x, y, x, y + tick, &line);
        plot_tick_label(ticks[i], s->log, b, sizeof b);
        plot_text(p, x, y + tick + f->size * 1.05, b, f, PLOT_CENTRE, 0, "tick");
    }
    if (title && *title)
        plot_text(p, (s->p0 + s->p1) / 2, y + tick + f->size * 2.5, title, f, PLOT_CENTRE, 0,
                  "axis-title");
}

void plot_axis_y(plot *p, const plot_scale *s, double x, const double *ticks, size_t n,
                 const plot_font *f, const char *title)
{
    plot_style line = {PLOT_BLACK, PLOT_NONE, 0.75, PLOT_SOLID};
    double tick = f->size * 0.4, widest = 0;
    char b[64];
    plot_line(p, x, fmin(s->p0, s->p1), x, fmax(s->p0, s->p1), &line);
    for (size_t i = 0; i < n; i++) {
        double y = plot_map(s, ticks[i]);
        plot_extent ex;
        plot_line(p, x - tick, y, x, y, &line);
        plot_tick_label(ticks[i], s->log, b, sizeof b);
        ex = plot_text(p, x - tick - f->size * 0.3, y + f->size * 0.35, b, f, PLOT_RIGHT, 0, "tick");
        widest = fmax(widest, ex.width);
    }
    if (title && *title)
        plot_text(p, x - tick - f->size * 0.3 - widest - f->size * 0.5, (s->p0 + s->p1) / 2, title, f,
                  PLOT_CENTRE, 90, "axis-title");
}

double plot_axis_y_width(plot *p, const plot_scale *s, const double *ticks, size_t n,
                         const plot_font *f, int titled)
{
    double widest = 0;
    char b[64];
    for (size_t i = 0; i < n; i++) {
        plot_tick_label(ticks[i], s->log, b, sizeof b);
        widest = fmax(widest, plot_measure(p, b, f).width);
    }
    return f->size * 0.7 + widest + (titled ? f->size * 1.8 : 0);
}
