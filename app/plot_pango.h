/*
 * plot_pango.h - what plot.c (measuring) and plot_cairo.c (rendering)
 * share so that text is laid out identically in both.  Private to app/.
 */
#ifndef MSYN_PLOT_PANGO_H
#define MSYN_PLOT_PANGO_H

#include <pango/pangocairo.h>

#include "plot.h"

/* Font options for measuring and rendering: no hinting of metrics, so
 * positions do not depend on the output resolution. */
void plot__font_options(cairo_font_options_t *fo);
/* A font description for f in family (pango_font_description_free it). */
PangoFontDescription *plot__font(const char *family, const plot_font *f);
/* Width, ascent and descent of a laid-out line, in points. */
plot_extent plot__layout_extent(PangoLayout *l);

#endif
