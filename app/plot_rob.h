/*
 * plot_rob.h - the risk-of-bias figures of `metasyn rob` (plot_rob.c):
 * robvis's traffic-light plot and summary plot.  docs/cli/rob.md.
 */
#ifndef MSYN_PLOT_ROB_H
#define MSYN_PLOT_ROB_H

#include "plot.h"
#include "rob.h"

/* robvis's palettes: "cochrane" (green, yellow, red, dark red, blue) and
 * "colourblind" (a yellow-to-brown ramp). */
typedef enum plot_rob_palette { PLOT_ROB_COCHRANE = 0, PLOT_ROB_COLOURBLIND = 1 } plot_rob_palette;

/* The fill of a judgement under a palette (0xRRGGBBAA). */
uint32_t plot_rob_colour(plot_rob_palette pal, app_rob_level lv);

/* Draw into p (initialised here; the caller plot_free()s it whatever the
 * result) the traffic-light plot of rt: one row per study, one column
 * per domain and Overall, a coloured circle with the judgement's symbol
 * in each cell, the domains' names and the judgements' key below.
 * family NULL: the default font.  -1 with e set when out of memory. */
int plot_rob_traffic(const app_rob_table *rt, plot_rob_palette pal, const char *family, plot *p, app_err *e);
/* The summary plot: one horizontal 100% bar per domain and Overall, the
 * share of studies (or, weighted, of their summed Weight) at each
 * judgement.  -1 with e set when weighted without weights or out of
 * memory. */
int plot_rob_summary(const app_rob_table *rt, plot_rob_palette pal, int weighted, const char *family, plot *p,
                     app_err *e);

#endif
