/*
 * plot_funnel.c - the contour-enhanced funnel plot (`pool --funnel`,
 * `bias --funnel`), as metafor's funnel(level = c(90, 95, 99), refline = 0).
 *
 * Effects on x (ratios on a log axis, labelled as ratios), standard
 * errors on y with 0 at the top; the pooled estimate as a vertical line
 * and the pseudo confidence limits estimate +- z SE around it.  Behind
 * them the regions where a study's own test of "no effect" has p > 0.10,
 * 0.10-0.05, 0.05-0.01 and < 0.01 (Peters et al. 2008), so asymmetry
 * that follows significance shows.  One-group measures (proportions,
 * rates, means) have no null effect: they get no contours.  In `metasyn
 * bias` the studies trim-and-fill adds are drawn hollow, its adjusted
 * estimate dashed, and Egger's regression line (the meta-regression of
 * yi on the SE) is drawn as se -> b0 + b1 se.
 */
#include <stdio.h>
#include <string.h>

#include "plot_xy.h"

/* contour regions, from p > 0.10 outwards (metafor's shades, lighter
 * further out so the points stay legible) */
static const uint32_t shade[4] = {0xffffffffu, 0xbdbdbdffu, 0xd6d6d6ffu, 0xecececffu};
static const double shade_level[3] = {0.90, 0.95, 0.99};

static int one_group(msyn_measure m)
{
    return m >= MSYN_MEASURE_PR && m <= MSYN_MEASURE_MNLN;
}

typedef struct funnel {
    double c;              /* the pooled estimate (NaN: none)          */
    double adj;            /* trim-and-fill's estimate (NaN: none)     */
    int contours, egger;
    double b0, b1;         /* Egger's line                             */
    const double *fy, *fv; /* filled studies                           */
    size_t k0;
    double crit, level;
} funnel;

static int pooled(const app_result *r, funnel *fn, app_err *e)
{
    fn->c = NAN;
    if (strcmp(r->command, "bias") != 0) {
        if (r->fitted && isfinite(r->fit.estimate))
            fn->c = r->fit.estimate;
        return 0;
    }
    msyn_fit fit;
    msyn_status rc;
    if (app_pool_fit(r, NULL, r->data->k, &fit, NULL, &rc) != 0) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (rc == MSYN_OK && isfinite(fit.estimate))
        fn->c = fit.estimate;
    return 0;
}

static void setup(const app_result *r, funnel *fn)
{
    const app_bias *b = &r->bias;
    int bias = strcmp(r->command, "bias") == 0;
    fn->level = r->po.level > 0 && r->po.level < 1 ? r->po.level : 0.95;
    fn->crit = msyn_crit(fn->level, NAN);
    fn->contours = !one_group(r->measure);
    fn->adj = NAN;
    fn->k0 = 0;
    fn->egger = 0;
    if (!bias)
        return;
    if (b->tf_rc == MSYN_OK && b->tf.k0 > 0 && b->fill_yi && b->fill_vi) {
        fn->k0 = b->tf.k0;
        fn->fy = b->fill_yi;
        fn->fv = b->fill_vi;
        fn->adj = b->tf.fit.estimate;
    }
    if (b->egger_rc == MSYN_OK && b->egger.predictor == MSYN_BIAS_SEI && isfinite(b->egger.intercept) &&
        isfinite(b->egger.slope)) {
        fn->egger = 1;
        fn->b0 = b->egger.intercept;
        fn->b1 = b->egger.slope;
    }
}

static int usable(double y, double v)
{
    return isfinite(y) && isfinite(v) && v > 0;
}

/* The axes: SE from 0 to a pretty bound; effects over the studies, the
 * pseudo confidence limits and the p = 0.10 contour. */
static void ranges(const app_result *r, const funnel *fn, xy_frame *f)
{
    size_t k = r->data->k;
    double semax = 0, lo = INFINITY, hi = -INFINITY, s0 = 0;
    for (size_t i = 0; i < k; i++)
        if (usable(r->yi[i], r->vi[i])) {
            semax = fmax(semax, sqrt(r->vi[i]));
            lo = fmin(lo, r->yi[i]), hi = fmax(hi, r->yi[i]);
        }
    for (size_t j = 0; j < fn->k0; j++)
        if (usable(fn->fy[j], fn->fv[j])) {
            semax = fmax(semax, sqrt(fn->fv[j]));
            lo = fmin(lo, fn->fy[j]), hi = fmax(hi, fn->fy[j]);
        }
    f->nyt = xy_ticks(&s0, &semax, 0, 1, f->yt, XY_MAXTICK);
    f->sy.d0 = 0, f->sy.d1 = semax, f->sy.log = 0;
    if (isfinite(fn->c)) {
        lo = fmin(lo, fn->c - fn->crit * semax);
        hi = fmax(hi, fn->c + fn->crit * semax);
    }
    if (fn->contours) {
        double z = msyn_crit(shade_level[0], NAN) * semax;
        lo = fmin(lo, -z);
        hi = fmax(hi, z);
    }
    f->sx.log = msyn_measure_is_ratio(r->measure);
    f->nxt = xy_ticks(&lo, &hi, f->sx.log, 0, f->xt, XY_MAXTICK);
    f->sx.d0 = lo, f->sx.d1 = hi;
}

/* The triangle of effects whose test against 0 has |z| < crit. */
static void triangle(plot *p, const xy_frame *f, double crit, uint32_t fill)
{
    plot_style s = {PLOT_NONE, fill, 0, PLOT_SOLID};
    double se = f->sy.d1, xy[6];
    xy[0] = plot_map(&f->sx, 0), xy[1] = plot_map(&f->sy, 0);
    xy[2] = plot_map(&f->sx, -crit * se), xy[3] = plot_map(&f->sy, se);
    xy[4] = plot_map(&f->sx, crit * se), xy[5] = xy[3];
    plot_polygon(p, xy, 3, &s);
}

static void draw_lines(plot *p, const xy_frame *f, const funnel *fn)
{
    plot_style est = {PLOT_BLACK, PLOT_NONE, 0.75, PLOT_SOLID};
    plot_style ci = {PLOT_BLACK, PLOT_NONE, 0.6, PLOT_DOTTED};
    plot_style adj = {XY_DARK, PLOT_NONE, 0.75, PLOT_DASHED};
    plot_style eg = {XY_ACCENT, PLOT_NONE, 1.0, PLOT_DASHED};
    double se = f->sy.d1, top = plot_map(&f->sy, 0), bot = plot_map(&f->sy, se);
    if (isfinite(fn->c)) {
        double x = plot_map(&f->sx, fn->c);
        plot_line(p, x, top, x, bot, &est);
        plot_line(p, x, top, plot_map(&f->sx, fn->c - fn->crit * se), bot, &ci);
        plot_line(p, x, top, plot_map(&f->sx, fn->c + fn->crit * se), bot, &ci);
    }
    if (isfinite(fn->adj)) {
        double x = plot_map(&f->sx, fn->adj);
        plot_line(p, x, top, x, bot, &adj);
    }
    if (fn->egger)
        plot_line(p, plot_map(&f->sx, fn->b0), top, plot_map(&f->sx, fn->b0 + fn->b1 * se), bot, &eg);
}

static void draw_points(plot *p, const app_result *r, const xy_frame *f, const funnel *fn, double rad)
{
    plot_style dot = {PLOT_BLACK, PLOT_BLACK, 0.5, PLOT_SOLID};
    plot_style hollow = {PLOT_BLACK, PLOT_WHITE, 0.75, PLOT_SOLID};
    for (size_t i = 0; i < r->data->k; i++)
        if (usable(r->yi[i], r->vi[i]))
            plot_circle(p, plot_map(&f->sx, r->yi[i]), plot_map(&f->sy, sqrt(r->vi[i])), rad, &dot);
    for (size_t j = 0; j < fn->k0; j++)
        if (usable(fn->fy[j], fn->fv[j]))
            plot_circle(p, plot_map(&f->sx, fn->fy[j]), plot_map(&f->sy, sqrt(fn->fv[j])), rad, &hollow);
}

static size_t keys(const funnel *fn, double rad, xy_key *k, char *cibuf, size_t cin)
{
    static const char *const ptext[4] = {"p > 0.10", "0.05 < p \xe2\x89\xa4 0.10", "0.01 < p \xe2\x89\xa4 0.05",
                                         "p \xe2\x89\xa4 0.01"};
    size_t n = 0;
    xy_key dot = {XY_KEY_POINT, {PLOT_BLACK, PLOT_BLACK, 0.5, PLOT_SOLID}, rad, "Studies"};
    k[n++] = dot;
    if (fn->k0) {
        xy_key h = {XY_KEY_POINT, {PLOT_BLACK, PLOT_WHITE, 0.75, PLOT_SOLID}, rad, "Filled (trim-and-fill)"};
        k[n++] = h;
    }
    if (isfinite(fn->c)) {
        xy_key e = {XY_KEY_LINE, {PLOT_BLACK, PLOT_NONE, 0.75, PLOT_SOLID}, 0, "Pooled estimate"};
        xy_key c = {XY_KEY_LINE, {PLOT_BLACK, PLOT_NONE, 0.6, PLOT_DOTTED}, 0, cibuf};
        snprintf(cibuf, cin, "Pseudo %g%% CI", 100 * fn->level);
        k[n++] = e;
        k[n++] = c;
    }
    if (isfinite(fn->adj)) {
        xy_key a = {XY_KEY_LINE, {XY_DARK, PLOT_NONE, 0.75, PLOT_DASHED}, 0, "Trim-and-fill estimate"};
        k[n++] = a;
    }
    if (fn->egger) {
        xy_key g = {XY_KEY_LINE, {XY_ACCENT, PLOT_NONE, 1.0, PLOT_DASHED}, 0, "Egger's regression"};
        k[n++] = g;
    }
    if (fn->contours)
        for (int j = 0; j < 4; j++) {
            xy_key s = {XY_KEY_FILL, {PLOT_GREY, shade[j], 0.5, PLOT_SOLID}, 0, ptext[j]};
            k[n++] = s;
        }
    return n;
}

int plot_funnel(const app_result *r, plot *p, app_err *e)
{
    funnel fn;
    xy_frame f;
    xy_key key[12];
    char xt[128], cibuf[64], title[256];
    double w = xy_width(r, 6.5), rad;
    size_t m = xy_estimable(r);
    memset(&fn, 0, sizeof fn);
    memset(&f, 0, sizeof f);
    if (m == 0) {
        app_err_set(e, APP_EXIT_MODEL, "--funnel: %s has no study with an effect size and a variance, so there is nothing to draw",
                    r->file);
        return -1;
    }
    if (pooled(r, &fn, e) != 0)
        return -1;
    setup(r, &fn);
    rad = m + fn.k0 > 100 ? 1.8 : 2.4;
    xy_fonts(&f);
    ranges(r, &fn, &f);
    f.xtitle = xy_effect_title(r, xt, sizeof xt);
    f.ytitle = "Standard error";
    f.keys = key;
    f.nkeys = keys(&fn, rad, key, cibuf, sizeof cibuf);
    snprintf(title, sizeof title, "Funnel plot: %s", r->file);
    if (xy_layout(p, &f, w, w * 0.62, r->fig.font, title, 1) != 0)
        return xy_oom(e, APP_FIG_FUNNEL);
    plot_clip(p, f.x0, f.y0, f.x1, f.y1);
    if (fn.contours) {
        plot_style out = {PLOT_NONE, shade[3], 0, PLOT_SOLID};
        plot_rect(p, f.x0, plot_map(&f.sy, 0), f.x1, plot_map(&f.sy, f.sy.d1), &out);
        for (int j = 2; j >= 0; j--)
            triangle(p, &f, msyn_crit(shade_level[j], NAN), shade[j]);
    }
    draw_lines(p, &f, &fn);
    plot_unclip(p);
    draw_points(p, r, &f, &fn, rad);
    xy_decorate(p, &f);
    return 0;
}
