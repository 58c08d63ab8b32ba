/*
 * plot_prisma.c - the PRISMA 2020 flow diagram (Page et al. 2021, the
 * template for new systematic reviews which included searches of
 * databases, registers and other sources) of `metasyn review prisma`.
 *
 * Rows Identification / Screening / Included, named in bands on the left;
 * one column pair (main box, side box with what left the flow) per
 * branch: databases and registers, and other methods when the review has
 * imports of source type 'other' (else the template for databases and
 * registers only).  Every box's text is wrapped to the box's width with
 * pango's measurements, and the boxes of a row share its height.  Work
 * still to do (records awaiting screening, reports awaiting assessment,
 * included reports without a study ID) is written into the boxes, so the
 * diagram never hides it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "review_prisma.h"

#define FS 9.0        /* box text size                          */
#define PAD 5.0       /* inside a box                           */
#define INDENT 10.0   /* per-source and per-reason lines        */
#define MARGIN 10.0
#define BAND 20.0     /* the row bands on the left              */
#define ARROW 22.0    /* between a main and its side box        */
#define BGAP 18.0     /* between the branches                   */
#define VGAP 20.0     /* between rows                           */
#define NROW 5        /* identification, 3 screening, included  */

static const uint32_t band_fill = 0xa9c4ebffu, head_fill[2] = {0xffe699ffu, 0xd9d9d9ffu};

typedef struct pline {
    char *s;
    int indent, italic, bold;
} pline;

typedef struct pbox {
    pline *l;
    size_t n;
    double x, y, w, h;
    int used;
} pbox;

/* 1234567 -> "1,234,567" */
static const char *thousands(long long v, char *buf)
{
    char t[32];
    int len = snprintf(t, sizeof t, "%lld", v < 0 ? -v : v), o = 0;
    if (v < 0)
        buf[o++] = '-';
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = t[i];
    }
    buf[o] = '\0';
    return buf;
}

static int push(plot *p, pbox *b, const char *s, size_t n, int indent, int italic, int bold)
{
    pline *v = app_realloc(b->l, (b->n + 1) * sizeof *v);
    char *c;
    if (!v) {
        p->oom = 1;
        return -1;
    }
    b->l = v;
    if (!(c = app_alloc(n + 1))) {
        p->oom = 1;
        return -1;
    }
    memcpy(c, s, n);
    c[n] = '\0';
    v[b->n].s = c, v[b->n].indent = indent, v[b->n].italic = italic, v[b->n].bold = bold;
    b->n++;
    return 0;
}

static plot_font font_of(int italic, int bold)
{
    plot_font f = {FS, bold, italic, PLOT_BLACK};
    return f;
}

/* Add text to box b, wrapped at spaces to the box's width (continuation
 * lines of an indented line are indented once more).  A word longer than
 * the width is ellipsized. */
static void add(plot *p, pbox *b, const char *text, int indent, int italic, int bold)
{
    plot_font f = font_of(italic, bold);
    const char *s = text;
    int first = 1;
    b->used = 1;
    while (*s && !p->oom) {
        int ind = indent + !first;
        double room = b->w - 2 * PAD - ind * INDENT;
        size_t best = 0, i;
        char *buf = app_strdup(s);
        if (!buf) {
            p->oom = 1;
            return;
        }
        /* the longest prefix ending before a space that fits */
        for (i = 0; ; i++) {
            if (s[i] == ' ' || s[i] == '\0') {
                buf[i] = '\0';
                if (plot_measure(p, buf, &f).width <= room)
                    best = i;
                else if (best)
                    break;
                if (s[i] == '\0')
                    break;
                buf[i] = ' ';
            }
        }
        app_free(buf);
        if (best == 0) { /* one word wider than the box */
            size_t w = strcspn(s, " ");
            char *word = app_alloc(w + 1), *fit;
            if (!word) {
                p->oom = 1;
                return;
            }
            memcpy(word, s, w);
            word[w] = '\0';
            fit = plot_ellipsize(p, word, &f, room);
            if (!fit)
                p->oom = 1;
            else
                push(p, b, fit, strlen(fit), ind, italic, bold);
            if (fit && fit != word)
                app_free(fit);
            app_free(word);
            best = w;
        } else if (push(p, b, s, best, ind, italic, bold))
            return;
        s += best;
        while (*s == ' ')
            s++;
        first = 0;
    }
}

static void addf(plot *p, pbox *b, int indent, int italic, const char *label, long long n, int colon)
{
    char num[40], line[1024];
    /* no-break spaces keep "(n = 1,234)" on one line */
    snprintf(line, sizeof line, "%s (n\xc2\xa0=\xc2\xa0%s)%s", label, thousands(n, num), colon ? ":" : "");
    add(p, b, line, indent, italic, 0);
}

static double line_height(plot *p)
{
    plot_font f = font_of(0, 0);
    plot_extent x = plot_measure(p, "Ág", &f);
    return x.ascent + x.descent + 1.0;
}

static double box_height(const pbox *b, double lh)
{
    return b->used ? 2 * PAD + (double)b->n * lh : 0;
}

static void draw_box(plot *p, const pbox *b, double lh, uint32_t fill, int centre)
{
    plot_style s = {PLOT_BLACK, fill, 0.75, PLOT_SOLID};
    plot_font f0 = font_of(0, 0);
    double asc = plot_measure(p, "Ág", &f0).ascent;
    if (!b->used)
        return;
    plot_rect(p, b->x, b->y, b->x + b->w, b->y + b->h, &s);
    for (size_t i = 0; i < b->n; i++) {
        plot_font f = font_of(b->l[i].italic, b->l[i].bold);
        double y = b->y + PAD + (double)i * lh + asc + 0.5;
        if (centre)
            plot_text(p, b->x + b->w / 2, y, b->l[i].s, &f, PLOT_CENTRE, 0, "box");
        else
            plot_text(p, b->x + PAD + b->l[i].indent * INDENT, y, b->l[i].s, &f, PLOT_LEFT, 0, "box");
    }
}

/* An arrow from (x0, y0) to (x1, y1): a line and a filled head. */
static void arrow(plot *p, double x0, double y0, double x1, double y1)
{
    plot_style s = {PLOT_BLACK, PLOT_NONE, 0.75, PLOT_SOLID}, h = {PLOT_NONE, PLOT_BLACK, 0, PLOT_SOLID};
    double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy), ux, uy, xy[6];
    if (len <= 0)
        return;
    ux = dx / len, uy = dy / len;
    plot_line(p, x0, y0, x1 - 5 * ux, y1 - 5 * uy, &s);
    xy[0] = x1, xy[1] = y1;
    xy[2] = x1 - 6 * ux - 3 * uy, xy[3] = y1 - 6 * uy + 3 * ux;
    xy[4] = x1 - 6 * ux + 3 * uy, xy[5] = y1 - 6 * uy - 3 * ux;
    plot_polygon(p, xy, 3, &h);
}

/* The boxes' text of branch k: main[row], side[row]. */
static void fill_branch(plot *p, const rv_prisma *c, int k, pbox *main, pbox *side)
{
    const rv_prisma_branch *b = &c->b[k];
    addf(p, &main[0], 0, 0,
         k == 0 ? "Records identified from databases and registers"
                : "Records identified from other methods",
         b->identified, 0);
    for (size_t i = 0; i < b->nsources; i++)
        addf(p, &main[0], 1, 0, b->sources[i].name, b->sources[i].n, 0);
    add(p, &side[0], "Records removed before screening:", 0, 0, 0);
    addf(p, &side[0], 1, 0, "Duplicate records removed", b->duplicates, 0);
    addf(p, &main[1], 0, 0, "Records screened", b->screened, 0);
    if (b->undecided1)
        addf(p, &main[1], 1, 1, "awaiting screening or a resolution", b->undecided1, 0);
    addf(p, &side[1], 0, 0, "Records excluded", b->excluded1, 0);
    addf(p, &main[2], 0, 0, "Reports sought for retrieval", b->sought, 0);
    addf(p, &side[2], 0, 0, "Reports not retrieved", b->not_retrieved, 0);
    addf(p, &main[3], 0, 0, "Reports assessed for eligibility", b->assessed, 0);
    if (b->undecided2)
        addf(p, &main[3], 1, 1, "awaiting full-text assessment", b->undecided2, 0);
    addf(p, &side[3], 0, 0, "Reports excluded", b->excluded2, b->nreasons > 0);
    for (size_t i = 0; i < b->nreasons; i++)
        addf(p, &side[3], 1, 0, b->reasons[i].name, b->reasons[i].n, 0);
}

static void free_boxes(pbox *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < v[i].n; j++)
            app_free(v[i].l[j].s);
        app_free(v[i].l);
    }
}

int plot_prisma(const rv_prisma *c, plot *p, double width, const char *family, app_err *e)
{
    /* boxes: [branch][row] main and side; headers; included */
    pbox mainb[2][NROW], sideb[2][NROW], head[2], inc;
    int nb = c->b[1].identified > 0 || c->b[1].nsources > 0 ? 2 : 1;
    double x0 = MARGIN + BAND + 8, bw, cw, sw, lh, y, rowy[NROW], rowh[NROW], headh = 0;
    static const char *const bands[3] = {"Identification", "Screening", "Included"};
    plot_font bf = {10, 1, 0, PLOT_BLACK};
    plot_style band = {PLOT_NONE, band_fill, 0, PLOT_SOLID};
    int rc = -1;
    if (width <= 0)
        width = nb == 2 ? 800 : 500;
    memset(mainb, 0, sizeof mainb);
    memset(sideb, 0, sizeof sideb);
    memset(head, 0, sizeof head);
    memset(&inc, 0, sizeof inc);
    if (plot_init(p, width, 100, family, "PRISMA 2020 flow diagram") != 0)
        goto done;
    bw = (width - x0 - MARGIN - (nb - 1) * BGAP) / nb;
    cw = (bw - ARROW) * 0.56; /* main boxes hold more than side boxes */
    sw = bw - ARROW - cw;
    if (sw < 80) {
        app_err_set(e, APP_EXIT_USAGE, "--width %g is too narrow for the diagram: give at least %g points",
                    width, ceil(x0 + MARGIN + (nb - 1) * BGAP + nb * (182 + ARROW)));
        return -1;
    }
    lh = line_height(p);
    for (int k = 0; k < nb; k++) {
        double bx = x0 + k * (bw + BGAP);
        head[k].x = bx, head[k].w = bw;
        add(p, &head[k], k == 0 ? "Identification of studies via databases and registers"
                                : "Identification of studies via other methods",
            0, 0, 1);
        headh = fmax(headh, box_height(&head[k], lh));
        for (int r = 0; r < NROW; r++) {
            mainb[k][r].x = bx, mainb[k][r].w = cw;
            sideb[k][r].x = bx + cw + ARROW, sideb[k][r].w = sw;
        }
        fill_branch(p, c, k, mainb[k], sideb[k]);
    }
    inc.x = x0, inc.w = cw;
    addf(p, &inc, 0, 0, "Studies included in review", c->studies, 0);
    addf(p, &inc, 0, 0, "Reports of included studies", c->reports, 0);
    if (c->unassigned)
        addf(p, &inc, 1, 1, "included reports without a study ID yet", c->unassigned, 0);
    if (p->oom)
        goto done;
    /* rows share their height */
    y = MARGIN + headh + VGAP * 0.75;
    for (int r = 0; r < NROW; r++) {
        double h = 0;
        for (int k = 0; k < nb; k++)
            h = fmax(h, fmax(box_height(&mainb[k][r], lh), box_height(&sideb[k][r], lh)));
        if (r == NROW - 1)
            h = box_height(&inc, lh);
        /* the band's turned label must fit beside a one-row band */
        if (r == 0 || r == NROW - 1)
            h = fmax(h, plot_measure(p, bands[r == 0 ? 0 : 2], &bf).width + 8);
        rowy[r] = y, rowh[r] = h;
        y += h + VGAP;
    }
    plot_set_height(p, y - VGAP + MARGIN);
    /* the bands */
    for (int i = 0; i < 3; i++) {
        int r0 = i == 0 ? 0 : i == 1 ? 1 : 4, r1 = i == 0 ? 0 : i == 1 ? 3 : 4;
        double top = rowy[r0], bot = rowy[r1] + rowh[r1], mid = (top + bot) / 2;
        plot_extent ex = plot_measure(p, bands[i], &bf);
        plot_rect(p, MARGIN, top, MARGIN + BAND, bot, &band);
        plot_text(p, MARGIN + BAND / 2 + (ex.ascent - ex.descent) / 2, mid, bands[i], &bf,
                      PLOT_CENTRE, 90, "band");
    }
    for (int k = 0; k < nb; k++) {
        head[k].y = MARGIN, head[k].h = headh;
        draw_box(p, &head[k], lh, head_fill[k], 1);
        for (int r = 0; r < NROW - 1; r++) {
            pbox *m = &mainb[k][r], *s = &sideb[k][r];
            m->y = s->y = rowy[r];
            m->h = s->h = rowh[r];
            draw_box(p, m, lh, PLOT_WHITE, 0);
            draw_box(p, s, lh, PLOT_WHITE, 0);
            arrow(p, m->x + m->w, m->y + m->h / 2, s->x, s->y + s->h / 2);
            if (r < NROW - 2)
                arrow(p, m->x + m->w / 2, m->y + m->h, m->x + m->w / 2, rowy[r + 1]);
        }
    }
    inc.y = rowy[NROW - 1], inc.h = rowh[NROW - 1];
    draw_box(p, &inc, lh, PLOT_WHITE, 0);
    arrow(p, inc.x + inc.w / 2, rowy[3] + rowh[3], inc.x + inc.w / 2, inc.y);
    if (nb == 2) {
        /* from the other branch's assessed reports: down, then left */
        plot_style s = {PLOT_BLACK, PLOT_NONE, 0.75, PLOT_SOLID};
        const pbox *m = &mainb[1][3];
        double xm = m->x + m->w / 2, ym = inc.y + inc.h / 2;
        plot_line(p, xm, m->y + m->h, xm, ym, &s);
        arrow(p, xm, ym, inc.x + inc.w, ym);
    }
    rc = 0;
done:
    if (p->oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory while drawing the PRISMA diagram");
        rc = -1;
    }
    for (int k = 0; k < 2; k++) {
        free_boxes(mainb[k], NROW);
        free_boxes(sideb[k], NROW);
    }
    free_boxes(head, 2);
    free_boxes(&inc, 1);
    return rc;
}
