/*
 * plot.c - the drawing device: figures as lists of primitives, and text
 * measured with pango so layout and backends agree.  plot.h.
 *
 * Measuring uses a pango-cairo font map at 72 "dpi" (one unit = one
 * point) with metric hinting off, so a label is as wide in the SVG as in a
 * 600 dpi PNG; plot_cairo.c renders with the same settings.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plot_pango.h"

#define DEFAULT_FAMILY "DejaVu Sans"

typedef struct measure {
    PangoFontMap *fm;
    PangoContext *ctx;
    PangoLayout *layout;
    PangoFontDescription *fd;
} measure;

void plot__font_options(cairo_font_options_t *fo)
{
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
}

PangoFontDescription *plot__font(const char *family, const plot_font *f)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_absolute_size(fd, f->size * PANGO_SCALE);
    pango_font_description_set_weight(fd, f->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, f->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return fd;
}

plot_extent plot__layout_extent(PangoLayout *l)
{
    PangoRectangle ink, logical;
    plot_extent x;
    double base = (double)pango_layout_get_baseline(l) / PANGO_SCALE;
    pango_layout_get_extents(l, &ink, &logical);
    x.width = (double)logical.width / PANGO_SCALE;
    x.ascent = base - (double)logical.y / PANGO_SCALE;
    x.descent = (double)(logical.y + logical.height) / PANGO_SCALE - base;
    return x;
}

static void measure_free(measure *m)
{
    if (!m)
        return;
    if (m->fd)
        pango_font_description_free(m->fd);
    if (m->layout)
        g_object_unref(m->layout);
    if (m->ctx)
        g_object_unref(m->ctx);
    if (m->fm)
        g_object_unref(m->fm);
    app_free(m);
}

static measure *measure_new(void)
{
    measure *m = app_calloc(1, sizeof *m);
    cairo_font_options_t *fo;
    if (!m)
        return NULL;
    m->fm = pango_cairo_font_map_new();
    m->ctx = pango_font_map_create_context(m->fm);
    pango_cairo_context_set_resolution(m->ctx, 72.0);
    fo = cairo_font_options_create();
    plot__font_options(fo);
    pango_cairo_context_set_font_options(m->ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(m->ctx, FALSE);
    m->layout = pango_layout_new(m->ctx);
    return m;
}

int plot_init(plot *p, double width, double height, const char *family, const char *title)
{
    memset(p, 0, sizeof *p);
    p->width = width;
    p->height = height;
    p->family = app_strdup(family && *family ? family : DEFAULT_FAMILY);
    p->title = app_strdup(title ? title : "");
    p->measure = measure_new();
    if (!p->family || !p->title || !p->measure) {
        p->oom = 1;
        return -1;
    }
    return 0;
}

void plot_set_height(plot *p, double height)
{
    p->height = height;
}

void plot_free(plot *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        app_free(p->items[i].xy);
        app_free(p->items[i].text);
    }
    app_free(p->items);
    app_free(p->family);
    app_free(p->title);
    measure_free(p->measure);
    memset(p, 0, sizeof *p);
}

static plot_item *add(plot *p, plot_op op, const plot_style *s)
{
    plot_item *it;
    if (p->oom)
        return NULL;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        plot_item *q = app_realloc(p->items, cap * sizeof *q);
        if (!q) {
            p->oom = 1;
            return NULL;
        }
        p->items = q;
        p->cap = cap;
    }
    it = &p->items[p->n++];
    memset(it, 0, sizeof *it);
    it->op = op;
    if (s)
        it->style = *s;
    return it;
}

void plot_line(plot *p, double x0, double y0, double x1, double y1, const plot_style *s)
{
    plot_item *it = add(p, PLOT_OP_LINE, s);
    if (it) {
        it->x0 = x0, it->y0 = y0, it->x1 = x1, it->y1 = y1;
    }
}

void plot_rect(plot *p, double x0, double y0, double x1, double y1, const plot_style *s)
{
    plot_item *it = add(p, PLOT_OP_RECT, s);
    if (it) {
        it->x0 = fmin(x0, x1), it->y0 = fmin(y0, y1);
        it->x1 = fmax(x0, x1), it->y1 = fmax(y0, y1);
    }
}

static void points(plot *p, plot_op op, const double *xy, size_t n, const plot_style *s)
{
    plot_item *it;
    double *c;
    if (p->oom || n == 0)
        return;
    if (!(c = app_alloc(2 * n * sizeof *c))) {
        p->oom = 1;
        return;
    }
    memcpy(c, xy, 2 * n * sizeof *c);
    if (!(it = add(p, op, s))) {
        app_free(c);
        return;
    }
    it->xy = c;
    it->n = n;
}

void plot_polygon(plot *p, const double *xy, size_t n, const plot_style *s)
{
    points(p, PLOT_OP_POLYGON, xy, n, s);
}

void plot_polyline(plot *p, const double *xy, size_t n, const plot_style *s)
{
    points(p, PLOT_OP_POLYLINE, xy, n, s);
}

void plot_circle(plot *p, double x, double y, double r, const plot_style *s)
{
    plot_item *it = add(p, PLOT_OP_CIRCLE, s);
    if (it) {
        it->x0 = x, it->y0 = y, it->x1 = r;
    }
}

plot_extent plot_measure(plot *p, const char *s, const plot_font *f)
{
    measure *m = p->measure;
    plot_extent x = {0, 0, 0};
    PangoFontDescription *fd;
    if (!m || !s)
        return x;
    fd = plot__font(p->family, f);
    pango_layout_set_font_description(m->layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(m->layout, s, -1);
    return plot__layout_extent(m->layout);
}

plot_extent plot_text(plot *p, double x, double y, const char *s, const plot_font *f,
                      plot_align align, double rot, const char *role)
{
    plot_extent ex = {0, 0, 0};
    plot_item *it;
    char *c;
    double a = align == PLOT_LEFT ? 0.0 : align == PLOT_CENTRE ? 0.5 : 1.0;
    if (p->oom || !s || !*s)
        return ex;
    ex = plot_measure(p, s, f);
    if (!(c = app_strdup(s))) {
        p->oom = 1;
        return ex;
    }
    if (!(it = add(p, PLOT_OP_TEXT, NULL))) {
        app_free(c);
        return ex;
    }
    it->text = c;
    it->x0 = x, it->y0 = y;
    it->font = *f;
    it->align = align;
    it->rot = rot;
    it->role = role ? role : "text";
    if (rot == 0) {
        it->box[0] = x - a * ex.width;
        it->box[2] = it->box[0] + ex.width;
        it->box[1] = y - ex.ascent;
        it->box[3] = y + ex.descent;
    } else { /* reads upwards: along -y, ascent towards -x */
        it->box[0] = x - ex.ascent;
        it->box[2] = x + ex.descent;
        it->box[1] = y - (1.0 - a) * ex.width;
        it->box[3] = y + a * ex.width;
    }
    return ex;
}

char *plot_ellipsize(plot *p, const char *s, const plot_font *f, double width)
{
    size_t n = strlen(s), lo = 0, hi;
    char *buf;
    if (plot_measure(p, s, f).width <= width)
        return app_strdup(s);
    if (!(buf = app_alloc(n + 4)))
        return NULL;
    /* binary search on the number of bytes, kept on character starts */
    hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        while (mid > 0 && ((unsigned char)s[mid] & 0xc0u) == 0x80u)
            mid--;
        if (mid <= lo) {
            hi = lo;
            break;
        }
        memcpy(buf, s, mid);
        memcpy(buf + mid, "\xe2\x80\xa6", 4);
        if (plot_measure(p, buf, f).width <= width)
            lo = mid;
        else
            hi = mid - 1;
    }
    while (lo > 0 && ((unsigned char)s[lo] & 0xc0u) == 0x80u)
        lo--;
    while (lo > 0 && s[lo - 1] == ' ')
        lo--;
    memcpy(buf, s, lo);
    memcpy(buf + lo, "\xe2\x80\xa6", 4);
    return buf;
}

void plot_clip(plot *p, double x0, double y0, double x1, double y1)
{
    plot_item *it = add(p, PLOT_OP_CLIP, NULL);
    if (it) {
        it->x0 = fmin(x0, x1), it->y0 = fmin(y0, y1);
        it->x1 = fmax(x0, x1), it->y1 = fmax(y0, y1);
    }
}

void plot_unclip(plot *p)
{
    add(p, PLOT_OP_UNCLIP, NULL);
}

size_t plot_check_text(const plot *p, double tol, char *why, size_t size)
{
    size_t bad = 0;
    if (size)
        why[0] = '\0';
    for (size_t i = 0; i < p->n; i++) {
        const plot_item *a = &p->items[i];
        if (a->op != PLOT_OP_TEXT)
            continue;
        if (a->box[0] < -tol || a->box[1] < -tol || a->box[2] > p->width + tol || a->box[3] > p->height + tol) {
            if (!bad++ && size)
                snprintf(why, size, "\"%s\" (%s) leaves the %.0f x %.0f canvas: box %.1f,%.1f to %.1f,%.1f",
                         a->text, a->role, p->width, p->height, a->box[0], a->box[1], a->box[2], a->box[3]);
        }
        for (size_t j = i + 1; j < p->n; j++) {
            const plot_item *b = &p->items[j];
            if (b->op != PLOT_OP_TEXT)
                continue;
            if (a->box[0] + tol < b->box[2] && b->box[0] + tol < a->box[2] && a->box[1] + tol < b->box[3] &&
                b->box[1] + tol < a->box[3]) {
                if (!bad++ && size)
                    snprintf(why, size, "\"%s\" (%s) overlaps \"%s\" (%s)", a->text, a->role, b->text, b->role);
            }
        }
    }
    return bad;
}

int plot_format_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot)
        return -1;
    if (strcasecmp(dot, ".svg") == 0)
        return PLOT_SVG;
    if (strcasecmp(dot, ".pdf") == 0)
        return PLOT_PDF;
    if (strcasecmp(dot, ".png") == 0)
        return PLOT_PNG;
    return -1;
}

int plot_write(const plot *p, const char *path, double dpi, app_err *e)
{
    sbuf out;
    int fmt = plot_format_of(path), rc;
    if (p->oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory while drawing %s", path);
        return -1;
    }
    if (fmt < 0) {
        app_err_set(e, APP_EXIT_USAGE, "%s: unknown figure format; name the file .svg, .pdf or .png", path);
        return -1;
    }
    sb_init(&out);
    rc = fmt == PLOT_SVG ? plot_svg(p, &out) : plot_cairo(p, (plot_format)fmt, dpi, &out);
    if (rc != 0 || out.oom) {
        sb_free(&out);
        app_err_set(e, APP_EXIT_INTERNAL, "%s: could not render the figure (out of memory or a cairo error)", path);
        return -1;
    }
    rc = app_write_output(path, out.p, out.len, e);
    sb_free(&out);
    return rc;
}
