/*
 * plot_rows.h - what the figures of sensitivity analyses and
 * meta-regression share (plot_rows.c): the forest of refitted models
 * (leave-one-out, cumulative), axes whose ticks read on the measure's
 * reading scale, and wrapped caption text.
 *
 * Values are on the analysis scale (logs for ratios); ticks and numbers
 * are labelled on the reading scale (ratios, proportions, r).
 */
#ifndef MSYN_PLOT_ROWS_H
#define MSYN_PLOT_ROWS_H

#include "plot.h"

/* The one accent colour of these figures (the full-data model, the
 * regression line, the GOSH points). */
#define PLOT_ROWS_ACCENT 0x1f5a96ffu

/* How an axis of the measure's values is labelled. */
typedef enum plot_rows_kind {
    PLOT_ROWS_LINEAR = 0, /* the values themselves                        */
    PLOT_ROWS_LOG = 1,    /* logs: labelled with exp(value), log spacing  */
    PLOT_ROWS_BACK = 2    /* transformed (PLO, PAS, PFT, ZCOR): labelled
                             with app_back(value)                        */
} plot_rows_kind;

/* Ticks of one axis: positions (data values) and their labels. */
#define PLOT_ROWS_MAXTICK 32
typedef struct plot_rows_ticks {
    size_t n;
    double at[PLOT_ROWS_MAXTICK];
    char label[PLOT_ROWS_MAXTICK][32];
} plot_rows_ticks;

/* The kind of axis for r's measure. */
plot_rows_kind plot_rows_kind_of(const app_result *r);
/* The axis title for r's measure ("Risk ratio (log scale)"), into buf. */
const char *plot_rows_axis_title(const app_result *r, char *buf, size_t size);
/* Whether 0 on the analysis scale is "no effect" (comparative measures
 * and correlations): the figures draw a reference line there. */
int plot_rows_has_null(const app_result *r);
/* Ticks for data in [*lo, *hi]; linear and log axes widen the range to
 * the outer ticks, transformed axes pad it slightly.  The range must be
 * finite (lo == hi is widened). */
void plot_rows_ticks_for(const app_result *r, plot_rows_kind kind, double *lo, double *hi,
                         plot_rows_ticks *t);
/* Ticks for a scatter plot of data in [*lo, *hi]: the range widened to
 * the outer ticks when that adds little, else kept with the ticks inside
 * it; then padded by 4% on each side (R's default). */
void plot_rows_ticks_scatter(const app_result *r, plot_rows_kind kind, double *lo, double *hi,
                             plot_rows_ticks *t);
/* Drop every other tick until no two labels (font f) come closer than a
 * few points on an axis of page length len for the range [lo, hi];
 * horizontal: labels side by side, else stacked (their heights count). */
void plot_rows_thin(plot *p, plot_rows_ticks *t, const plot_scale *s, const plot_font *f, int horizontal);
/* A horizontal axis at page y over scale s with ticks t and a title
 * below; returns the page y of the bottom of the title (or of the tick
 * labels without a title). */
double plot_rows_axis_x(plot *p, const plot_scale *s, double y, const plot_rows_ticks *t,
                        const plot_font *f, const char *title);
/* The height plot_rows_axis_x() takes below y. */
double plot_rows_axis_x_height(const plot_font *f, int titled);
/* A vertical axis at page x, labels to the left, the title turned. */
void plot_rows_axis_y(plot *p, const plot_scale *s, double x, const plot_rows_ticks *t,
                      const plot_font *f, const char *title);
/* The room plot_rows_axis_y() needs left of x. */
double plot_rows_axis_y_width(plot *p, const plot_rows_ticks *t, const plot_font *f, int titled);
/* A value on r's reading scale with d decimals and a true minus sign. */
void plot_rows_num(const app_result *r, double x, int d, char *buf, size_t size);
/* Text s broken into lines of at most width points, drawn from baseline y
 * (left-aligned at x) when draw is set; returns the height it takes. */
double plot_rows_wrap(plot *p, double x, double y, double width, const char *s, const plot_font *f,
                      const char *role, int draw);

/* One row per refitted model, as a forest: a label, the estimate as a
 * point with its CI as a line (an arrow where the CI leaves the axis), and
 * "est [lb, ub]" on the reading scale; then the full-data model as a
 * diamond, with a dashed line at its estimate through the rows. */
typedef struct plot_rows_spec {
    const char *flag;          /* the figure's option, for messages       */
    const char *title;         /* heading of the label column            */
    size_t n;                  /* rows                                    */
    const char *const *label;  /* n labels (UTF-8, ellipsized to fit)     */
    const char *const *suffix; /* NULL, or n texts kept whole after the
                                  label (" (1980)"); NULL or "" for none */
    const double *est, *lb, *ub; /* n values each (NaN: no fit)          */
    const char *total_label;   /* "All studies (k = 13)"                  */
    double total_est, total_lb, total_ub;
} plot_rows_spec;

/* Draw the forest of s into p (initialised here with r->fig's width and
 * font); -1 with e set when out of memory. */
int plot_rows(const app_result *r, const plot_rows_spec *s, const char *fig_title, plot *p, app_err *e);

#endif
