/*
 * plot_rob.c - robvis's two risk-of-bias figures (McGuinness & Higgins
 * 2021, Res Synth Methods 12:55-61): the traffic-light plot (studies x
 * domains, a coloured circle with a symbol per judgement) and the summary
 * plot (a 100% stacked bar per domain).  Colours are robvis's "cochrane"
 * and "colourblind" palettes; the symbols are rob.h's.  plot_rob.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_rob.h"

#define FS 10.0      /* label size                                       */
#define KS 9.0       /* key size                                         */
#define MARGIN 12.0
#define CELL 26.0    /* traffic-light cell                               */
#define RADIUS 10.0
#define MAXLAB 220.0 /* study labels are shortened beyond this width     */

uint32_t plot_rob_colour(plot_rob_palette pal, app_rob_level lv)
{
    static const uint32_t cochrane[APP_ROB_NLEVELS] = {PLOT_NONE,   0x02c100ffu, 0xe2df07ffu, 0xbf0000ffu,
                                                       0x820000ffu, 0x4ea1f7ffu, 0xccccccffu};
    static const uint32_t blind[APP_ROB_NLEVELS] = {PLOT_NONE,   0xfed98effu, 0xfe9929ffu, 0xd95f0effu,
                                                    0x993404ffu, 0xffffffffu, 0xccccccffu};
    if ((unsigned)lv >= APP_ROB_NLEVELS)
        return PLOT_NONE;
    return pal == PLOT_ROB_COLOURBLIND ? blind[lv] : cochrane[lv];
}

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory while drawing the risk-of-bias figure");
    return -1;
}

/* The levels the figure's key shows: those the tool accepts anywhere. */
static unsigned key_levels(const app_rob_table *rt)
{
    const app_rob_tooldef *d = app_rob_tool_def(rt->tool);
    unsigned used = 0;
    for (size_t i = 0; i < rt->k; i++) {
        for (size_t j = 0; j < rt->ndomain; j++)
            used |= 1u << rt->s[i].d[j];
        used |= 1u << rt->s[i].overall;
    }
    return (d->levels | d->overall_levels | used) & ~1u;
}

/* The key's word for a level: the tool's domain word, and SIGN's overall
 * rating beside it when the two differ ("Yes / ++"). */
static void key_word(const app_rob_table *rt, app_rob_level lv, char *buf, size_t size)
{
    const char *a = app_rob_tool_word(rt->tool, lv, 0), *b = app_rob_tool_word(rt->tool, lv, 1);
    if (*a && *b && strcmp(a, b) != 0)
        snprintf(buf, size, "%s (items), %s (overall)", a, b);
    else
        snprintf(buf, size, "%s", *a ? a : b);
}

/* The judgement key at y (baseline of its first line); returns the y
 * below it.  measure_only: just the width into *w. */
static double draw_key(plot *p, const app_rob_table *rt, plot_rob_palette pal, double x, double y, double *w,
                       int draw)
{
    plot_font f = {KS, 0, 0, PLOT_BLACK}, fb = {KS, 1, 0, PLOT_BLACK};
    unsigned lv_set = key_levels(rt);
    plot_extent ex = draw ? plot_text(p, x, y, "Judgement", &fb, PLOT_LEFT, 0, "key")
                          : plot_measure(p, "Judgement", &fb);
    *w = ex.width;
    for (int lv = 1; lv < APP_ROB_NLEVELS; lv++) {
        char word[96], line[128];
        plot_style s = {PLOT_GREY, plot_rob_colour(pal, (app_rob_level)lv), 0.5, PLOT_SOLID};
        if (!(lv_set & (1u << lv)))
            continue;
        y += KS * 1.6;
        key_word(rt, (app_rob_level)lv, word, sizeof word);
        snprintf(line, sizeof line, "%s", word);
        if (draw) {
            plot_circle(p, x + 5, y - KS * 0.33, 5, &s);
            plot_text(p, x + 5, y, app_rob_symbol((app_rob_level)lv), &(plot_font){KS - 2, 1, 0, PLOT_BLACK},
                      PLOT_CENTRE, 0, "key-symbol");
            ex = plot_text(p, x + 15, y, line, &f, PLOT_LEFT, 0, "key");
        } else
            ex = plot_measure(p, line, &f);
        if (ex.width + 15 > *w)
            *w = ex.width + 15;
    }
    return y + KS;
}

/* The domain key ("D1: Bias arising from ..."), one line each. */
static double draw_domains(plot *p, const app_rob_table *rt, double x, double y, double *w, int draw)
{
    plot_font f = {KS, 0, 0, PLOT_BLACK}, fb = {KS, 1, 0, PLOT_BLACK};
    plot_extent ex = draw ? plot_text(p, x, y, "Domains", &fb, PLOT_LEFT, 0, "key") : plot_measure(p, "Domains", &fb);
    *w = ex.width;
    for (size_t d = 0; d < rt->ndomain; d++) {
        char line[512];
        y += KS * 1.4;
        snprintf(line, sizeof line, "%s: %s", rt->label[d], rt->name[d]);
        ex = draw ? plot_text(p, x, y, line, &f, PLOT_LEFT, 0, "key") : plot_measure(p, line, &f);
        if (ex.width > *w)
            *w = ex.width;
    }
    return y + KS;
}

static void cell(plot *p, plot_rob_palette pal, app_rob_level lv, double cx, double cy)
{
    plot_style box = {PLOT_LIGHT, PLOT_NONE, 0.6, PLOT_SOLID};
    plot_rect(p, cx - CELL / 2, cy - CELL / 2, cx + CELL / 2, cy + CELL / 2, &box);
    if (lv == APP_ROB_UNSET)
        return;
    plot_style s = {PLOT_GREY, plot_rob_colour(pal, lv), 0.5, PLOT_SOLID};
    plot_circle(p, cx, cy, RADIUS, &s);
    if (*app_rob_symbol(lv))
        plot_text(p, cx, cy + FS * 0.36, app_rob_symbol(lv), &(plot_font){FS + 1, 1, 0, PLOT_BLACK}, PLOT_CENTRE, 0,
                  "symbol");
}

int plot_rob_traffic(const app_rob_table *rt, plot_rob_palette pal, const char *family, plot *p, app_err *e)
{
    plot_font f = {FS, 0, 0, PLOT_BLACK}, fb = {FS, 1, 0, PLOT_BLACK};
    double labw, kw, dw, y, x0, width, top, gap, wo, wl;
    char title[96];
    snprintf(title, sizeof title, "%s traffic-light plot", app_rob_tool_def(rt->tool)->title);
    if (plot_init(p, 400, 100, family, title) != 0)
        return oom(e);
    labw = plot_measure(p, "Study", &fb).width;
    for (size_t i = 0; i < rt->k; i++) {
        double w = plot_measure(p, rt->s[i].label, &f).width;
        if (w > labw)
            labw = w;
    }
    if (labw > MAXLAB)
        labw = MAXLAB;
    /* Overall's label is wider than a cell: a gap keeps it off the last domain's */
    wo = plot_measure(p, "Overall", &fb).width;
    wl = plot_measure(p, rt->label[rt->ndomain - 1], &fb).width;
    gap = (wo + wl) / 2 + 4 - CELL;
    if (gap < 6)
        gap = 6;
    if (wo / 2 > CELL / 2 + gap)
        gap = wo / 2 - CELL / 2;
    draw_key(p, rt, pal, 0, 0, &kw, 0);
    draw_domains(p, rt, 0, 0, &dw, 0);
    x0 = MARGIN + labw + 10;
    width = x0 + (double)(rt->ndomain + 1) * CELL + gap + (wo > CELL ? (wo - CELL) / 2 : 0) + MARGIN;
    if (MARGIN + dw + 20 + kw + MARGIN > width)
        width = MARGIN + dw + 20 + kw + MARGIN;
    p->width = width;
    top = MARGIN + FS + 6;
    /* header row: the domains' short labels and Overall, turned upwards */
    plot_text(p, MARGIN, top + 2, "Study", &fb, PLOT_LEFT, 0, "header");
    for (size_t d = 0; d <= rt->ndomain; d++) {
        double cx = x0 + ((double)d + 0.5) * CELL + (d == rt->ndomain ? gap : 0);
        plot_text(p, cx, top + 2, d < rt->ndomain ? rt->label[d] : "Overall", &fb, PLOT_CENTRE, 0, "header");
    }
    y = top + 8;
    for (size_t i = 0; i < rt->k; i++) {
        const app_rob_study *s = &rt->s[i];
        double cy = y + CELL / 2;
        char *lab = plot_ellipsize(p, s->label, &f, labw);
        if (!lab)
            return oom(e);
        plot_text(p, MARGIN, cy + FS * 0.35, lab, &f, PLOT_LEFT, 0, "label");
        app_free(lab);
        for (size_t d = 0; d < rt->ndomain; d++)
            cell(p, pal, s->d[d], x0 + ((double)d + 0.5) * CELL, cy);
        cell(p, pal, s->overall, x0 + ((double)rt->ndomain + 0.5) * CELL + gap, cy);
        y += CELL;
    }
    y += 18;
    {
        double yd = draw_domains(p, rt, MARGIN, y, &dw, 1);
        double yk = draw_key(p, rt, pal, MARGIN + dw + 20, y, &kw, 1);
        y = yd > yk ? yd : yk;
    }
    plot_set_height(p, y + MARGIN);
    return p->oom ? oom(e) : 0;
}

#define BARW 300.0   /* summary bar length                               */
#define ROW 20.0
#define BARH 13.0

int plot_rob_summary(const app_rob_table *rt, plot_rob_palette pal, int weighted, const char *family, plot *p,
                     app_err *e)
{
    plot_font f = {FS, 0, 0, PLOT_BLACK}, fk = {KS, 0, 0, PLOT_BLACK};
    plot_style axis = {PLOT_BLACK, PLOT_NONE, 0.6, PLOT_SOLID};
    double labw = 0, x0, y, top, kx, ky;
    unsigned lv_set = key_levels(rt);
    char title[96];
    if (weighted && !rt->has_weight) {
        app_err_set(e, APP_EXIT_USAGE, "--weighted needs a Weight column in the file");
        return -1;
    }
    snprintf(title, sizeof title, "%s summary plot", app_rob_tool_def(rt->tool)->title);
    if (plot_init(p, 400, 100, family, title) != 0)
        return oom(e);
    for (size_t d = 0; d <= rt->ndomain; d++) {
        char lab[512];
        snprintf(lab, sizeof lab, "%s", d < rt->ndomain ? rt->name[d] : "Overall risk of bias");
        double w = plot_measure(p, lab, &f).width;
        if (w > labw)
            labw = w;
    }
    if (labw > 360)
        labw = 360;
    x0 = MARGIN + labw + 10;
    p->width = x0 + BARW + MARGIN + 10;
    top = MARGIN;
    y = top;
    for (size_t d = 0; d <= rt->ndomain; d++) {
        double n[APP_ROB_NLEVELS], tot = 0, x = x0;
        char *lab = plot_ellipsize(p, d < rt->ndomain ? rt->name[d] : "Overall risk of bias",
                                   &(plot_font){FS, d == rt->ndomain, 0, PLOT_BLACK}, labw);
        if (!lab)
            return oom(e);
        plot_text(p, x0 - 8, y + ROW / 2 + FS * 0.35, lab, &(plot_font){FS, d == rt->ndomain, 0, PLOT_BLACK},
                  PLOT_RIGHT, 0, "label");
        app_free(lab);
        app_rob_count(rt, d, weighted, n);
        for (int lv = 1; lv < APP_ROB_NLEVELS; lv++)
            tot += n[lv];
        for (int lv = 1; lv < APP_ROB_NLEVELS && tot > 0; lv++) {
            double w = BARW * n[lv] / tot;
            plot_style s = {PLOT_BLACK, plot_rob_colour(pal, (app_rob_level)lv), 0.4, PLOT_SOLID};
            if (n[lv] <= 0)
                continue;
            plot_rect(p, x, y + (ROW - BARH) / 2, x + w, y + (ROW + BARH) / 2, &s);
            x += w;
        }
        y += ROW;
    }
    /* the percentage axis */
    plot_line(p, x0, y + 2, x0 + BARW, y + 2, &axis);
    for (int t = 0; t <= 4; t++) {
        char lab[8];
        double x = x0 + BARW * t / 4;
        snprintf(lab, sizeof lab, "%d%%", 25 * t);
        plot_line(p, x, y + 2, x, y + 6, &axis);
        plot_text(p, x, y + 8 + FS, lab, &fk, PLOT_CENTRE, 0, "axis");
    }
    y += 8 + FS + 8;
    plot_text(p, x0 + BARW / 2, y + KS, weighted ? "Share of the studies' weight" : "Share of studies", &fk,
              PLOT_CENTRE, 0, "axis-title");
    y += KS + 12;
    /* the key, wrapped into lines that fit the canvas */
    kx = MARGIN;
    ky = y + KS;
    for (int lv = 1; lv < APP_ROB_NLEVELS; lv++) {
        char word[96];
        plot_style s = {PLOT_BLACK, plot_rob_colour(pal, (app_rob_level)lv), 0.4, PLOT_SOLID};
        double w;
        if (!(lv_set & (1u << lv)))
            continue;
        key_word(rt, (app_rob_level)lv, word, sizeof word);
        w = 14 + plot_measure(p, word, &fk).width;
        if (kx > MARGIN && kx + w > p->width - MARGIN) {
            kx = MARGIN;
            ky += KS * 1.6;
        }
        plot_rect(p, kx, ky - KS * 0.8, kx + 9, ky + 1, &s);
        plot_text(p, kx + 13, ky, word, &fk, PLOT_LEFT, 0, "key");
        kx += w + 14;
    }
    plot_set_height(p, ky + KS + MARGIN);
    return p->oom ? oom(e) : 0;
}
