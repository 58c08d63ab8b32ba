/*
 * plot_svg.c - a figure as an SVG 1.1 document.  Text stays text (<text>
 * elements with the measured font), so the figure can be edited in
 * Inkscape or Illustrator and searched; sizes are in points, so the
 * figure prints at its intended size.  plot.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot.h"

/* A coordinate with at most two decimals, no trailing zeros. */
static void num(sbuf *o, double x)
{
    char b[48];
    int n;
    if (fabs(x) < 0.005)
        x = 0;
    n = snprintf(b, sizeof b, "%.2f", x);
    while (n > 0 && b[n - 1] == '0')
        b[--n] = '\0';
    if (n > 0 && b[n - 1] == '.')
        b[--n] = '\0';
    sb_add(o, b, (size_t)n);
}

static void colour(sbuf *o, const char *attr, uint32_t c)
{
    unsigned a = c & 0xffu;
    if (a == 0) {
        sb_printf(o, " %s=\"none\"", attr);
        return;
    }
    sb_printf(o, " %s=\"#%06x\"", attr, (unsigned)(c >> 8));
    if (a != 0xffu)
        sb_printf(o, " %s-opacity=\"%.3g\"", attr, a / 255.0);
}

static void style(sbuf *o, const plot_style *s, int fillable)
{
    colour(o, "fill", fillable ? s->fill : PLOT_NONE);
    colour(o, "stroke", s->stroke);
    if ((s->stroke & 0xffu) != 0) {
        sb_puts(o, " stroke-width=\"");
        num(o, s->lwd > 0 ? s->lwd : 1.0);
        sb_puts(o, "\"");
        if (s->dash == PLOT_DASHED)
            sb_puts(o, " stroke-dasharray=\"4,3\"");
        else if (s->dash == PLOT_DOTTED)
            sb_puts(o, " stroke-dasharray=\"1,2\"");
    }
}

static void escaped(sbuf *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_puts(o, "&amp;"); break;
        case '<': sb_puts(o, "&lt;"); break;
        case '>': sb_puts(o, "&gt;"); break;
        case '"': sb_puts(o, "&quot;"); break;
        default:
            /* XML 1.0 forbids most control characters */
            if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
                sb_add(o, s, 1);
        }
    }
}

static void text(sbuf *o, const plot_item *it)
{
    static const char *const anchor[3] = {"start", "middle", "end"};
    sb_printf(o, "<text class=\"%s\" x=\"", it->role);
    num(o, it->x0);
    sb_puts(o, "\" y=\"");
    num(o, it->y0);
    sb_puts(o, "\" font-size=\"");
    num(o, it->font.size);
    sb_puts(o, "\"");
    if (it->align != PLOT_LEFT)
        sb_printf(o, " text-anchor=\"%s\"", anchor[it->align]);
    if (it->font.bold)
        sb_puts(o, " font-weight=\"bold\"");
    if (it->font.italic)
        sb_puts(o, " font-style=\"italic\"");
    if (it->font.colour != PLOT_BLACK && it->font.colour != 0)
        colour(o, "fill", it->font.colour);
    if (it->rot != 0) {
        sb_puts(o, " transform=\"rotate(");
        num(o, -it->rot);
        sb_puts(o, " ");
        num(o, it->x0);
        sb_puts(o, " ");
        num(o, it->y0);
        sb_puts(o, ")\"");
    }
    sb_puts(o, ">");
    escaped(o, it->text);
    sb_puts(o, "</text>\n");
}

static void item(sbuf *o, const plot_item *it, int *clips, int *open)
{
    switch (it->op) {
    case PLOT_OP_LINE:
        sb_puts(o, "<line x1=\"");
        num(o, it->x0);
        sb_puts(o, "\" y1=\"");
        num(o, it->y0);
        sb_puts(o, "\" x2=\"");
        num(o, it->x1);
        sb_puts(o, "\" y2=\"");
        num(o, it->y1);
        sb_puts(o, "\"");
        style(o, &it->style, 0);
        sb_puts(o, "/>\n");
        break;
    case PLOT_OP_RECT:
        sb_puts(o, "<rect x=\"");
        num(o, it->x0);
        sb_puts(o, "\" y=\"");
        num(o, it->y0);
        sb_puts(o, "\" width=\"");
        num(o, it->x1 - it->x0);
        sb_puts(o, "\" height=\"");
        num(o, it->y1 - it->y0);
        sb_puts(o, "\"");
        style(o, &it->style, 1);
        sb_puts(o, "/>\n");
        break;
    case PLOT_OP_POLYGON:
    case PLOT_OP_POLYLINE:
        sb_puts(o, it->op == PLOT_OP_POLYGON ? "<polygon points=\"" : "<polyline points=\"");
        for (size_t j = 0; j < it->n; j++) {
            if (j)
                sb_puts(o, " ");
            num(o, it->xy[2 * j]);
            sb_puts(o, ",");
            num(o, it->xy[2 * j + 1]);
        }
        sb_puts(o, "\"");
        style(o, &it->style, it->op == PLOT_OP_POLYGON);
        sb_puts(o, "/>\n");
        break;
    case PLOT_OP_CIRCLE:
        sb_puts(o, "<circle cx=\"");
        num(o, it->x0);
        sb_puts(o, "\" cy=\"");
        num(o, it->y0);
        sb_puts(o, "\" r=\"");
        num(o, it->x1);
        sb_puts(o, "\"");
        style(o, &it->style, 1);
        sb_puts(o, "/>\n");
        break;
    case PLOT_OP_TEXT:
        text(o, it);
        break;
    case PLOT_OP_CLIP:
        if (*open)
            sb_puts(o, "</g>\n");
        sb_printf(o, "<clipPath id=\"clip%d\"><rect x=\"", *clips);
        num(o, it->x0);
        sb_puts(o, "\" y=\"");
        num(o, it->y0);
        sb_puts(o, "\" width=\"");
        num(o, it->x1 - it->x0);
        sb_puts(o, "\" height=\"");
        num(o, it->y1 - it->y0);
        sb_printf(o, "\"/></clipPath>\n<g clip-path=\"url(#clip%d)\">\n", *clips);
        ++*clips;
        *open = 1;
        break;
    case PLOT_OP_UNCLIP:
        if (*open)
            sb_puts(o, "</g>\n");
        *open = 0;
        break;
    }
}

int plot_svg(const plot *p, sbuf *o)
{
    int clips = 0, open = 0;
    if (p->oom)
        return -1;
    sb_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    num(o, p->width);
    sb_puts(o, "pt\" height=\"");
    num(o, p->height);
    sb_puts(o, "pt\" viewBox=\"0 0 ");
    num(o, p->width);
    sb_puts(o, " ");
    num(o, p->height);
    sb_puts(o, "\" font-family=\"");
    escaped(o, p->family);
    sb_puts(o, ", sans-serif\">\n");
    if (p->title && *p->title) {
        sb_puts(o, "<title>");
        escaped(o, p->title);
        sb_puts(o, "</title>\n");
    }
    sb_puts(o, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    for (size_t i = 0; i < p->n; i++)
        item(o, &p->items[i], &clips, &open);
    if (open)
        sb_puts(o, "</g>\n");
    sb_puts(o, "</svg>\n");
    return o->oom ? -1 : 0;
}
