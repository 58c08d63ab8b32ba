/*
 * plot_cairo.c - a figure as PDF (vector, fonts embedded) or PNG, through
 * cairo, with text laid out by pango exactly as plot.c measured it.
 * plot.h.
 */
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>

#include "plot_pango.h"

#define PI 3.14159265358979323846

static cairo_status_t to_sbuf(void *closure, const unsigned char *data, unsigned int len)
{
    sbuf *o = closure;
    sb_add(o, (const char *)data, len);
    return o->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static void rgba(cairo_t *cr, uint32_t c)
{
    cairo_set_source_rgba(cr, (double)(c >> 24) / 255.0, (double)((c >> 16) & 0xffu) / 255.0,
                          (double)((c >> 8) & 0xffu) / 255.0, (double)(c & 0xffu) / 255.0);
}

/* Fill and/or stroke the current path with s. */
static void paint(cairo_t *cr, const plot_style *s, int fillable)
{
    if (fillable && (s->fill & 0xffu) != 0) {
        rgba(cr, s->fill);
        if ((s->stroke & 0xffu) != 0)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if ((s->stroke & 0xffu) != 0) {
        double w = s->lwd > 0 ? s->lwd : 1.0;
        static const double dashed[2] = {4, 3}, dotted[2] = {1, 2};
        rgba(cr, s->stroke);
        cairo_set_line_width(cr, w);
        if (s->dash == PLOT_DASHED)
            cairo_set_dash(cr, dashed, 2, 0);
        else if (s->dash == PLOT_DOTTED)
            cairo_set_dash(cr, dotted, 2, 0);
        else
            cairo_set_dash(cr, NULL, 0, 0);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
}

static void text(cairo_t *cr, PangoLayout *l, const char *family, const plot_item *it)
{
    PangoFontDescription *fd = plot__font(family, &it->font);
    plot_extent ex;
    double a = it->align == PLOT_LEFT ? 0.0 : it->align == PLOT_CENTRE ? 0.5 : 1.0;
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, it->text, -1);
    ex = plot__layout_extent(l);
    cairo_save(cr);
    cairo_translate(cr, it->x0, it->y0);
    if (it->rot != 0)
        cairo_rotate(cr, -it->rot * PI / 180.0);
    rgba(cr, it->font.colour ? it->font.colour : PLOT_BLACK);
    cairo_move_to(cr, -a * ex.width, -(double)pango_layout_get_baseline(l) / PANGO_SCALE);
    pango_cairo_show_layout(cr, l);
    cairo_restore(cr);
}

static void draw(cairo_t *cr, const plot *p)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoContext *ctx = pango_layout_get_context(l);
    cairo_font_options_t *fo = cairo_font_options_create();
    int clipped = 0;
    plot__font_options(fo);
    pango_cairo_context_set_resolution(ctx, 72.0);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_layout_context_changed(l);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    rgba(cr, PLOT_WHITE);
    cairo_paint(cr);
    for (size_t i = 0; i < p->n; i++) {
        const plot_item *it = &p->items[i];
        switch (it->op) {
        case PLOT_OP_LINE:
            cairo_move_to(cr, it->x0, it->y0);
            cairo_line_to(cr, it->x1, it->y1);
            paint(cr, &it->style, 0);
            break;
        case PLOT_OP_RECT:
            cairo_rectangle(cr, it->x0, it->y0, it->x1 - it->x0, it->y1 - it->y0);
            paint(cr, &it->style, 1);
            break;
        case PLOT_OP_POLYGON:
        case PLOT_OP_POLYLINE:
            cairo_move_to(cr, it->xy[0], it->xy[1]);
            for (size_t j = 1; j < it->n; j++)
                cairo_line_to(cr, it->xy[2 * j], it->xy[2 * j + 1]);
            if (it->op == PLOT_OP_POLYGON)
                cairo_close_path(cr);
            paint(cr, &it->style, it->op == PLOT_OP_POLYGON);
            break;
        case PLOT_OP_CIRCLE:
            cairo_new_sub_path(cr);
            cairo_arc(cr, it->x0, it->y0, it->x1, 0, 2 * PI);
            paint(cr, &it->style, 1);
            break;
        case PLOT_OP_TEXT:
            text(cr, l, p->family, it);
            break;
        case PLOT_OP_CLIP:
            if (clipped)
                cairo_restore(cr);
            cairo_save(cr);
            cairo_rectangle(cr, it->x0, it->y0, it->x1 - it->x0, it->y1 - it->y0);
            cairo_clip(cr);
            clipped = 1;
            break;
        case PLOT_OP_UNCLIP:
            if (clipped)
                cairo_restore(cr);
            clipped = 0;
            break;
        }
    }
    if (clipped)
        cairo_restore(cr);
    g_object_unref(l);
}

int plot_cairo(const plot *p, plot_format fmt, double dpi, sbuf *out)
{
    cairo_surface_t *s;
    cairo_t *cr;
    cairo_status_t st;
    if (p->oom)
        return -1;
    if (dpi <= 0)
        dpi = 300;
    if (fmt == PLOT_PDF) {
        s = cairo_pdf_surface_create_for_stream(to_sbuf, out, p->width, p->height);
        if (p->title && *p->title)
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, p->title);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "metasyn");
    } else {
        double wpx = ceil(p->width * dpi / 72.0), hpx = ceil(p->height * dpi / 72.0);
        if (wpx < 1 || hpx < 1 || wpx > 32767 || hpx > 32767)
            return -1; /* cairo's limit for image surfaces */
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)wpx, (int)hpx);
    }
    cr = cairo_create(s);
    if (fmt == PLOT_PNG)
        cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    draw(cr, p);
    st = cairo_status(cr);
    cairo_destroy(cr);
    if (fmt == PLOT_PNG && st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_write_to_png_stream(s, to_sbuf, out);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    return st == CAIRO_STATUS_SUCCESS && !out->oom ? 0 : -1;
}
