/*
 * plot.h - figures: a small drawing device, two backends, the figures.
 *
 * A figure is drawn once, into a `plot`: a list of primitives (lines,
 * rectangles, polygons, circles, text, clipping) in points (1/72 inch),
 * origin at the top left, y downwards, as R's graphics devices receive
 * them.  Text is measured with pango (fontconfig fonts) when it is drawn,
 * so the layout knows every label's box and both backends place
 * everything at the same coordinates:
 *   plot_svg()    SVG 1.1 with text kept as <text> (editable, searchable);
 *   plot_cairo()  PDF or PNG through cairo and pango.
 * The primitives are kept after drawing, so tests can check a figure's
 * geometry (labels inside the canvas, no two labels overlapping) without
 * parsing its output.
 *
 * Memory goes through app_alloc; a plot whose allocation failed sets oom
 * and ignores later calls.  pango, fontconfig and cairo allocate through
 * glib, which aborts on failure; that memory is outside the funnel.
 */
#ifndef MSYN_PLOT_H
#define MSYN_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"

/* Colours are 0xRRGGBBAA; alpha 0 means "none" (no stroke or no fill). */
#define PLOT_NONE   0x00000000u
#define PLOT_BLACK  0x000000ffu
#define PLOT_WHITE  0xffffffffu
#define PLOT_GREY   0x808080ffu
#define PLOT_LIGHT  0xd9d9d9ffu

typedef enum plot_dash { PLOT_SOLID = 0, PLOT_DASHED = 1, PLOT_DOTTED = 2 } plot_dash;

typedef struct plot_style {
    uint32_t stroke;       /* line colour (PLOT_NONE: no outline)          */
    uint32_t fill;         /* fill colour (PLOT_NONE: no fill)             */
    double lwd;            /* line width in points                        */
    plot_dash dash;
} plot_style;

typedef enum plot_align { PLOT_LEFT = 0, PLOT_CENTRE = 1, PLOT_RIGHT = 2 } plot_align;

typedef struct plot_font {
    double size;           /* points                                       */
    int bold, italic;
    uint32_t colour;
} plot_font;

/* A text's measured box, relative to its anchor (x at the alignment
 * point, y on the baseline): width, ascent above and descent below the
 * baseline, all >= 0. */
typedef struct plot_extent {
    double width, ascent, descent;
} plot_extent;

typedef enum plot_op {
    PLOT_OP_LINE, PLOT_OP_RECT, PLOT_OP_POLYGON, PLOT_OP_POLYLINE, PLOT_OP_CIRCLE,
    PLOT_OP_TEXT, PLOT_OP_CLIP, PLOT_OP_UNCLIP
} plot_op;

typedef struct plot_item {
    plot_op op;
    plot_style style;
    double x0, y0, x1, y1; /* line: ends; rect and clip: corners; circle:
                              centre (x0, y0) and radius x1; text: anchor */
    double *xy;            /* polygon/polyline: n (x, y) pairs             */
    size_t n;
    char *text;            /* UTF-8                                        */
    plot_font font;
    plot_align align;
    double rot;            /* text: degrees anticlockwise (0 or 90)        */
    double box[4];         /* text: x0, y0, x1, y1 of the measured box     */
    const char *role;      /* what the item is ("label", "axis", ...),
                              for tests and as the SVG class; static      */
} plot_item;

typedef struct plot {
    double width, height;  /* points                                       */
    char *family;          /* font family                                  */
    char *title;           /* SVG <title> and PDF title                    */
    plot_item *items;
    size_t n, cap;
    int oom;
    void *measure;         /* pango state (plot.c)                         */
} plot;

/* Start a figure of width x height points in font family (NULL: the
 * default, DejaVu Sans).  The height may be set later (plot_set_height)
 * when it depends on the rows.  Returns -1 when out of memory. */
int plot_init(plot *p, double width, double height, const char *family, const char *title);
void plot_set_height(plot *p, double height);
void plot_free(plot *p);

void plot_line(plot *p, double x0, double y0, double x1, double y1, const plot_style *s);
void plot_rect(plot *p, double x0, double y0, double x1, double y1, const plot_style *s);
void plot_polygon(plot *p, const double *xy, size_t n, const plot_style *s);
void plot_polyline(plot *p, const double *xy, size_t n, const plot_style *s);
void plot_circle(plot *p, double x, double y, double r, const plot_style *s);
/* Text anchored at (x, y): x is the left end, centre or right end by
 * align; y is the baseline.  rot 90 turns it to read upwards (x, y then
 * name the baseline's anchor in the turned frame).  Returns its extent. */
plot_extent plot_text(plot *p, double x, double y, const char *s, const plot_font *f,
                      plot_align align, double rot, const char *role);
/* Measure without drawing. */
plot_extent plot_measure(plot *p, const char *s, const plot_font *f);
/* The longest prefix of s (whole UTF-8 characters) that fits in width
 * with an ellipsis appended, as a new string (app_free it); s itself when
 * it fits.  NULL when out of memory. */
char *plot_ellipsize(plot *p, const char *s, const plot_font *f, double width);
/* Clip later items to the rectangle, until plot_unclip(). */
void plot_clip(plot *p, double x0, double y0, double x1, double y1);
void plot_unclip(plot *p);

/* Check the figure's text: every label inside the canvas and no two
 * labels' boxes overlapping by more than tol points.  Returns the number
 * of problems; the first is described in why. */
size_t plot_check_text(const plot *p, double tol, char *why, size_t size);

/* ---- scales and axes (plot_axis.c) ---------------------------------- */
/* Data values d0..d1 map linearly to page coordinates p0..p1 (p1 < p0 for
 * a y axis that grows upwards).  log: the data are logs of ratios; ticks
 * are labelled with the ratio. */
typedef struct plot_scale {
    double d0, d1, p0, p1;
    int log;
} plot_scale;

double plot_map(const plot_scale *s, double v);
/* About n "pretty" ticks (1, 2 or 5 x 10^e steps) within [lo, hi] into
 * ticks (at most max); returns how many. */
size_t plot_pretty(double lo, double hi, size_t n, double *ticks, size_t max);
/* Ticks for a log axis over [lo, hi] (logs of ratios): the logs of the
 * readable ratios 0.1 0.2 0.5 1 2 5 10 ... in range. */
size_t plot_log_ticks(double lo, double hi, double *ticks, size_t max);
/* A tick's label: the ratio on a log scale, with a true minus sign. */
void plot_tick_label(double v, int log_scale, char *buf, size_t size);
/* A horizontal axis at page y with ticks below, labels and a title under
 * them (title may be NULL). */
void plot_axis_x(plot *p, const plot_scale *s, double y, const double *ticks, size_t n,
                 const plot_font *f, const char *title);
/* A vertical axis at page x, labels to its left, the title turned. */
void plot_axis_y(plot *p, const plot_scale *s, double x, const double *ticks, size_t n,
                 const plot_font *f, const char *title);
/* The room plot_axis_y() needs left of its line. */
double plot_axis_y_width(plot *p, const plot_scale *s, const double *ticks, size_t n,
                         const plot_font *f, int titled);

/* ---- backends (plot_svg.c, plot_cairo.c) ---------------------------- */
typedef enum plot_format { PLOT_SVG = 0, PLOT_PDF = 1, PLOT_PNG = 2 } plot_format;

/* The format named by a file's extension (.svg, .pdf, .png, any case);
 * -1 for another. */
int plot_format_of(const char *path);
/* Append the figure as a standalone SVG document to out. */
int plot_svg(const plot *p, sbuf *out);
/* Append the figure as PDF or PNG (dpi pixels per inch) to out. */
int plot_cairo(const plot *p, plot_format fmt, double dpi, sbuf *out);
/* Render to path in the format of its extension, atomically (no partial
 * file); errors name the path. */
int plot_write(const plot *p, const char *path, double dpi, app_err *e);

/* ---- the figures (plot_<name>.c) ----------------------------------- */
/* Each draws one figure of an analysis into p, which it initialises
 * (plot_init) with r->fig's width and font; the caller plot_free()s p
 * whatever the result.  -1 with e set when the figure cannot be drawn
 * (the data lack what it shows, or out of memory). */
typedef int (*plot_draw_fn)(const struct app_result *r, plot *p, app_err *e);
int plot_forest(const struct app_result *r, plot *p, app_err *e);
int plot_funnel(const struct app_result *r, plot *p, app_err *e);
int plot_baujat(const struct app_result *r, plot *p, app_err *e);
int plot_labbe(const struct app_result *r, plot *p, app_err *e);
int plot_radial(const struct app_result *r, plot *p, app_err *e);
int plot_bubble(const struct app_result *r, plot *p, app_err *e);
int plot_leave1out(const struct app_result *r, plot *p, app_err *e);
int plot_cumulative(const struct app_result *r, plot *p, app_err *e);
int plot_gosh(const struct app_result *r, plot *p, app_err *e);

/* Draw figure f of r (figures.c). */
int app_figure_draw(const struct app_result *r, app_fig f, plot *p, app_err *e);

/* The document of --report (report_doc.c): HTML (one self-contained
 * page) or Markdown (with the figures as SVG files beside it), chosen by
 * the extension of r->fig.report; entries are added to o. */
int app_report_doc(const struct app_result *r, app_outputs *o, app_err *e);

#endif
