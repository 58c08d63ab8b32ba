/*
 * plot_xy.h - the frame shared by the scatter figures (funnel, radial,
 * L'Abbé, Baujat): fonts, axis ranges and ticks, margins that fit the
 * tick labels and axis titles, a legend, and where study labels may go.
 *
 * Internal to app/plot_funnel.c, plot_radial.c, plot_labbe.c and
 * plot_baujat.c; not part of plot.h.
 */
#ifndef MSYN_PLOT_XY_H
#define MSYN_PLOT_XY_H

#include "plot.h"

#define XY_MAXTICK 48

/* An accent colour (one per figure at most), and the greys. */
#define XY_ACCENT 0x1f5fa8ffu
#define XY_DARK 0x404040ffu

typedef enum xy_key_kind { XY_KEY_FILL, XY_KEY_LINE, XY_KEY_POINT } xy_key_kind;

/* One legend entry: a filled swatch, a line or a point, and its text. */
typedef struct xy_key {
    xy_key_kind kind;
    plot_style style;
    double r;            /* XY_KEY_POINT: radius                        */
    const char *text;
} xy_key;

typedef struct xy_frame {
    plot_font tick, title, legend, label, small;
    double x0, y0, x1, y1;          /* the plot area (page coordinates) */
    plot_scale sx, sy;
    double xt[XY_MAXTICK], yt[XY_MAXTICK];
    size_t nxt, nyt;
    const char *xtitle, *ytitle;
    const xy_key *keys;             /* legend (may be 0 entries)        */
    size_t nkeys;
    int legend_below;               /* the legend goes under the axis   */
    double legend_x, legend_y;      /* its top left corner             */
    const char *note;               /* a note under everything (wrapped), or NULL */
    double note_y;
} xy_frame;

/* The figure's width in points: --width, or def inches. */
double xy_width(const app_result *r, double def_in);

/* Fonts of the scatter figures: ticks and legend 8 pt, labels 8.5 pt,
 * axis titles 9 pt. */
void xy_fonts(xy_frame *f);

/* Ticks for data from *lo to *hi: on a linear axis R's pretty() ticks,
 * and the range widened to the outer ticks (cover) or by 4% on each side;
 * on a log axis (logs of ratios) the readable ratios within the range
 * widened by 4%.  Returns the number of ticks. */
size_t xy_ticks(double *lo, double *hi, int log, int cover, double *t, size_t max);

/* Lay the frame out on a width x height canvas (the height grows when
 * the legend or note go under the plot): margins that fit the y tick
 * labels, the x tick labels, both axis titles and the legend; tick
 * labels that would collide are thinned to every other one.  The data
 * ranges and ticks of f->sx, f->sy (d0, d1, log) must be set; this sets
 * their page ranges (sx left to right; sy from d0 at the bottom, or at
 * the top when top_down).  Calls plot_init.  -1 when out of memory. */
int xy_layout(plot *p, xy_frame *f, double width, double height, const char *family, const char *title,
              int top_down);

/* Add a note under a laid-out figure (the canvas grows to hold it);
 * note must live until the figure is decorated. */
void xy_add_note(plot *p, xy_frame *f, const char *note);

/* Set e to "out of memory while drawing" figure f; returns -1. */
int xy_oom(app_err *e, app_fig f);

/* Axes, their titles, the legend and the note of a laid-out frame. */
void xy_decorate(plot *p, const xy_frame *f);

/* Study labels that must not collide: boxes already taken. */
typedef struct xy_boxes {
    double *b;           /* 4 per box: x0 y0 x1 y1                       */
    size_t n, cap;
    int oom;
} xy_boxes;

void xy_boxes_add(xy_boxes *s, double x0, double y0, double x1, double y1);
void xy_boxes_free(xy_boxes *s);
/* Whether the box collides with one taken (closer than gap points). */
int xy_boxes_hit(const xy_boxes *s, double x0, double y0, double x1, double y1, double gap);

/* The label s of a point at (x, y) with radius r: placed to the right,
 * else to the left, else nudged up or down by half-lines, in the plot
 * area of f and clear of the boxes taken (which it then joins); ellipsized
 * to maxw points.  Returns 1 when placed, 0 when no place was free, -1
 * when out of memory. */
int xy_place_label(plot *p, const xy_frame *f, xy_boxes *taken, double x, double y, double r,
                   const char *s, double maxw);

/* "Odds ratio (log scale)", "Standardized mean difference", ... for r's
 * measure, into buf. */
const char *xy_effect_title(const app_result *r, char *buf, size_t n);

/* Studies with a finite yi and vi > 0. */
size_t xy_estimable(const app_result *r);

#endif
