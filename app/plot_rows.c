/*
 * plot_rows.c - the forest of refitted models shared by the leave-one-out
 * and cumulative figures, and the axes and captions shared with the
 * bubble and GOSH figures.  plot_rows.h.
 *
 * Axes of effect sizes read on the reading scale of the measure: ratios on
 * a log axis labelled 0.1 0.2 0.5 1 2 ..., proportions and correlations
 * (PLO, PAS, PFT, ZCOR) on the analysis scale with ticks at round values
 * of the reading scale, found by bisection of msyn_measure_back().
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_rows.h"

/* ---- measures and numbers ------------------------------------------- */

plot_rows_kind plot_rows_kind_of(const app_result *r)
{
    msyn_measure m = r->measure;
    if (msyn_measure_is_ratio(m) || m == MSYN_MEASURE_IRLN || m == MSYN_MEASURE_MNLN)
        return PLOT_ROWS_LOG;
    if (m == MSYN_MEASURE_PLO || m == MSYN_MEASURE_PAS || m == MSYN_MEASURE_PFT || m == MSYN_MEASURE_ZCOR)
        return PLOT_ROWS_BACK;
    return PLOT_ROWS_LINEAR;
}

const char *plot_rows_axis_title(const app_result *r, char *buf, size_t size)
{
    const char *s;
    switch (r->measure) {
    case MSYN_MEASURE_OR: case MSYN_MEASURE_PETO: s = "Odds ratio (log scale)"; break;
    case MSYN_MEASURE_RR: s = "Risk ratio (log scale)"; break;
    case MSYN_MEASURE_HR: s = "Hazard ratio (log scale)"; break;
    case MSYN_MEASURE_ROM: s = "Ratio of means (log scale)"; break;
    case MSYN_MEASURE_IRR: s = "Incidence rate ratio (log scale)"; break;
    case MSYN_MEASURE_IRLN: s = "Incidence rate (log scale)"; break;
    case MSYN_MEASURE_MNLN: s = "Mean (log scale)"; break;
    case MSYN_MEASURE_PLO: s = "Proportion (logit scale)"; break;
    case MSYN_MEASURE_PAS: s = "Proportion (arcsine scale)"; break;
    case MSYN_MEASURE_PFT: s = "Proportion (Freeman-Tukey scale)"; break;
    case MSYN_MEASURE_ZCOR: s = "Correlation (Fisher's z scale)"; break;
    case MSYN_MEASURE_GEN: s = "Effect size"; break;
    default: s = msyn_measure_label(r->measure); break;
    }
    snprintf(buf, size, "%s", s ? s : "Effect size");
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
    return buf;
}

int plot_rows_has_null(const app_result *r)
{
    switch (r->measure) {
    case MSYN_MEASURE_PR: case MSYN_MEASURE_PLO: case MSYN_MEASURE_PAS: case MSYN_MEASURE_PFT:
    case MSYN_MEASURE_IR: case MSYN_MEASURE_IRLN: case MSYN_MEASURE_MN: case MSYN_MEASURE_MNLN:
        return 0;
    default:
        return 1;
    }
}

/* Replace a leading '-' by U+2212 in place (buf has room). */
static void true_minus(char *buf, size_t size)
{
    if (buf[0] == '-' && strlen(buf) + 3 < size) {
        memmove(buf + 3, buf + 1, strlen(buf));
        memcpy(buf, "\xe2\x88\x92", 3);
    }
}

void plot_rows_num(const app_result *r, double x, int d, char *buf, size_t size)
{
    double v = app_back(r, x);
    if (isnan(v)) {
        snprintf(buf, size, "NA");
        return;
    }
    snprintf(buf, size, "%.*f", d, v);
    if (strspn(buf, "-0.") == strlen(buf)) { /* 0.0037, not 0.00; never -0.00 */
        if (v != 0 && isfinite(v))
            snprintf(buf, size, "%.2g", v);
        else
            snprintf(buf, size, "%.*f", d, 0.0);
    }
    true_minus(buf, size);
}

/* ---- ticks ----------------------------------------------------------- */

/* R's pretty() step for about n intervals over range. */
static double pretty_step(double range, double n)
{
    double unit = pow(10.0, floor(log10(range / n))), base = range / n / unit;
    return (base < 1.5 ? 1 : base < 3 ? 2 : base < 7 ? 5 : 10) * unit;
}

static void add_tick(plot_rows_ticks *t, double at, const char *label)
{
    if (t->n < PLOT_ROWS_MAXTICK && isfinite(at)) {
        t->at[t->n] = at;
        snprintf(t->label[t->n], sizeof t->label[0], "%s", label);
        t->n++;
    }
}

static void linear_ticks(double *lo, double *hi, plot_rows_ticks *t)
{
    double step = pretty_step(*hi - *lo, 5), a = floor(*lo / step + 1e-9) * step,
           b = ceil(*hi / step - 1e-9) * step;
    char lab[32];
    for (int i = 0; a + i * step <= b + step * 1e-9 && i < PLOT_ROWS_MAXTICK; i++) {
        double v = a + i * step;
        if (fabs(v) < step * 1e-9)
            v = 0;
        plot_tick_label(v, 0, lab, sizeof lab);
        add_tick(t, v, lab);
    }
    *lo = a, *hi = b;
}

/* Readable ratios m x 10^e (m in mant) as logs: the largest <= x (dir -1)
 * or the smallest >= x (dir 1). */
static double log_candidate(double x, int dir, int coarse)
{
    static const double mant[3] = {1, 2, 5};
    double e = floor(x / log(10.0)), best = dir < 0 ? -INFINITY : INFINITY;
    for (double ex = e - 1; ex <= e + 1; ex++)
        for (int j = 0; j < 3; j += coarse ? 3 : 1) {
            double v = log(mant[j] * pow(10.0, ex));
            if (dir < 0 && v <= x + 1e-9 && v > best)
                best = v;
            if (dir > 0 && v >= x - 1e-9 && v < best)
                best = v;
        }
    return best;
}

static void log_ticks(double *lo, double *hi, plot_rows_ticks *t)
{
    double dec = (*hi - *lo) / log(10.0), a, b, v[PLOT_ROWS_MAXTICK];
    int coarse = dec > 4;
    char lab[32];
    size_t n;
    a = log_candidate(*lo, -1, coarse);
    b = log_candidate(*hi, 1, coarse);
    if (dec < 1 && (b - a) > 2.5 * (*hi - *lo)) {
        /* a narrow range: round ratios, pretty() on the ratio scale */
        double ra = exp(*lo), rb = exp(*hi), step = pretty_step(rb - ra, 4), l, u;
        l = floor(ra / step + 1e-9) * step;
        u = ceil(rb / step - 1e-9) * step;
        if (l <= 0)
            l = ra;
        for (int i = 0; i < PLOT_ROWS_MAXTICK; i++) {
            double x = ceil(l / step - 1e-9) * step + i * step;
            if (x > u + step * 1e-9)
                break;
            plot_tick_label(log(x), 1, lab, sizeof lab);
            add_tick(t, log(x), lab);
        }
        *lo = log(l), *hi = log(u);
        return;
    }
    *lo = a, *hi = b;
    n = plot_log_ticks(a, b, v, PLOT_ROWS_MAXTICK);
    for (size_t i = 0; i < n; i++) {
        plot_tick_label(v[i], 1, lab, sizeof lab);
        add_tick(t, v[i], lab);
    }
}

/* The analysis-scale value whose reading-scale value is y, by bisection
 * in [a, b] (the back-transformation is non-decreasing). */
static double inverse_back(const app_result *r, double y, double a, double b)
{
    for (int i = 0; i < 200 && b - a > 1e-12 * (1 + fabs(a)); i++) {
        double m = (a + b) / 2;
        if (app_back(r, m) < y)
            a = m;
        else
            b = m;
    }
    return (a + b) / 2;
}

static void back_ticks(const app_result *r, double *lo, double *hi, plot_rows_ticks *t)
{
    double pad = (*hi - *lo) * 0.04, a = *lo - pad, b = *hi + pad, ra = app_back(r, a), rb = app_back(r, b), step;
    char lab[32];
    *lo = a, *hi = b;
    if (!(rb > ra) || !isfinite(ra) || !isfinite(rb)) {
        linear_ticks(lo, hi, t);
        return;
    }
    step = pretty_step(rb - ra, 5);
    for (int i = 0; i < PLOT_ROWS_MAXTICK; i++) {
        double y = ceil(ra / step - 1e-9) * step + i * step;
        if (y > rb + step * 1e-9)
            break;
        if (fabs(y) < step * 1e-9)
            y = 0;
        snprintf(lab, sizeof lab, "%.6g", y);
        true_minus(lab, sizeof lab);
        add_tick(t, inverse_back(r, y, a, b), lab);
    }
}

void plot_rows_ticks_for(const app_result *r, plot_rows_kind kind, double *lo, double *hi,
                         plot_rows_ticks *t)
{
    t->n = 0;
    if (!(*hi > *lo)) {
        double d = kind == PLOT_ROWS_LOG ? 0.1 : fabs(*lo) > 0 ? fabs(*lo) * 0.1 : 0.5;
        *lo -= d, *hi += d;
    }
    if (kind == PLOT_ROWS_LOG)
        log_ticks(lo, hi, t);
    else if (kind == PLOT_ROWS_BACK)
        back_ticks(r, lo, hi, t);
    else
        linear_ticks(lo, hi, t);
}

void plot_rows_ticks_scatter(const app_result *r, plot_rows_kind kind, double *lo, double *hi,
                             plot_rows_ticks *t)
{
    double a = *lo, b = *hi, pad;
    if (!(b > a)) {
        double d = kind == PLOT_ROWS_LOG ? 0.1 : fabs(a) > 0 ? fabs(a) * 0.1 : 0.5;
        a -= d, b += d;
    }
    *lo = a, *hi = b;
    plot_rows_ticks_for(r, kind, lo, hi, t);
    if (kind == PLOT_ROWS_BACK)
        return; /* padded already */
    if (*hi - *lo > 1.25 * (b - a)) {
        /* the outer ticks are far: keep the data's range, ticks inside */
        size_t m = 0;
        double eps = (b - a) * 1e-9;
        for (size_t i = 0; i < t->n; i++)
            if (t->at[i] >= a - eps && t->at[i] <= b + eps) {
                t->at[m] = t->at[i];
                memmove(t->label[m], t->label[i], sizeof t->label[0]);
                m++;
            }
        t->n = m;
        *lo = a, *hi = b;
        if (kind == PLOT_ROWS_LOG && m < 3) {
            /* too few readable ratios inside: finer ones (thinned later) */
            static const double mant[7] = {1, 2, 3, 4, 5, 6, 8};
            char lab[32];
            t->n = 0;
            for (double ex = floor(a / log(10.0)); ex <= ceil(b / log(10.0)); ex++)
                for (int j = 0; j < 7; j++) {
                    double v = log(mant[j] * pow(10.0, ex));
                    if (v >= a - eps && v <= b + eps) {
                        plot_tick_label(v, 1, lab, sizeof lab);
                        add_tick(t, v, lab);
                    }
                }
        }
    }
    pad = 0.04 * (*hi - *lo);
    *lo -= pad, *hi += pad;
}

static int crowded(plot *p, const plot_rows_ticks *t, const plot_scale *s, const plot_font *f, int horizontal)
{
    for (size_t i = 0; i + 1 < t->n; i++) {
        double a = plot_map(s, t->at[i]), b = plot_map(s, t->at[i + 1]), need;
        if (horizontal)
            need = (plot_measure(p, t->label[i], f).width + plot_measure(p, t->label[i + 1], f).width) / 2 +
                   f->size * 0.8;
        else
            need = f->size * 1.6;
        if (fabs(b - a) < need)
            return 1;
    }
    return 0;
}

void plot_rows_thin(plot *p, plot_rows_ticks *t, const plot_scale *s, const plot_font *f, int horizontal)
{
    while (t->n > 2 && crowded(p, t, s, f, horizontal)) {
        size_t keep = 0, m = 0;
        /* keep the parity of the tick at 0 (no effect), if any */
        for (size_t i = 0; i < t->n; i++)
            if (fabs(t->at[i]) < 1e-12)
                keep = i % 2;
        for (size_t i = keep; i < t->n; i += 2) {
            t->at[m] = t->at[i];
            memmove(t->label[m], t->label[i], sizeof t->label[0]);
            m++;
        }
        t->n = m;
    }
}

/* ---- axes ------------------------------------------------------------ */

static const plot_style axis_line = {PLOT_BLACK, PLOT_NONE, 0.6, PLOT_SOLID};

double plot_rows_axis_x_height(const plot_font *f, int titled)
{
    double h = f->size * 0.4 + f->size * 1.35;
    return titled ? h + (f->size + 1) * 1.6 : h;
}

double plot_rows_axis_x(plot *p, const plot_scale *s, double y, const plot_rows_ticks *t,
                        const plot_font *f, const char *title)
{
    double tick = f->size * 0.4, base = y + tick + f->size * 1.05;
    plot_font tf = *f;
    tf.size = f->size + 1;
    plot_line(p, fmin(s->p0, s->p1), y, fmax(s->p0, s->p1), y, &axis_line);
    for (size_t i = 0; i < t->n; i++) {
        double x = plot_map(s, t->at[i]);
        plot_line(p, x, y, x, y + tick, &axis_line);
        plot_text(p, x, base, t->label[i], f, PLOT_CENTRE, 0, "tick");
    }
    if (!title || !*title)
        return y + plot_rows_axis_x_height(f, 0);
    plot_text(p, (s->p0 + s->p1) / 2, base + f->size * 0.3 + tf.size * 1.05, title, &tf, PLOT_CENTRE, 0,
              "axis-title");
    return y + plot_rows_axis_x_height(f, 1);
}

static double widest_label(plot *p, const plot_rows_ticks *t, const plot_font *f)
{
    double w = 0;
    for (size_t i = 0; i < t->n; i++)
        w = fmax(w, plot_measure(p, t->label[i], f).width);
    return w;
}

double plot_rows_axis_y_width(plot *p, const plot_rows_ticks *t, const plot_font *f, int titled)
{
    double w = f->size * 0.4 + f->size * 0.3 + widest_label(p, t, f);
    return titled ? w + f->size * 0.6 + (f->size + 1) * 1.25 : w;
}

void plot_rows_axis_y(plot *p, const plot_scale *s, double x, const plot_rows_ticks *t,
                      const plot_font *f, const char *title)
{
    double tick = f->size * 0.4, widest = widest_label(p, t, f);
    plot_font tf = *f;
    tf.size = f->size + 1;
    plot_line(p, x, fmin(s->p0, s->p1), x, fmax(s->p0, s->p1), &axis_line);
    for (size_t i = 0; i < t->n; i++) {
        double y = plot_map(s, t->at[i]);
        plot_line(p, x - tick, y, x, y, &axis_line);
        plot_text(p, x - tick - f->size * 0.3, y + f->size * 0.35, t->label[i], f, PLOT_RIGHT, 0, "tick");
    }
    if (title && *title)
        plot_text(p, x - tick - f->size * 0.3 - widest - f->size * 0.6 - tf.size * 0.25, (s->p0 + s->p1) / 2,
                  title, &tf, PLOT_CENTRE, 90, "axis-title");
}

/* ---- wrapped text ---------------------------------------------------- */

double plot_rows_wrap(plot *p, double x, double y, double width, const char *s, const plot_font *f,
                      const char *role, int draw)
{
    char line[1024];
    double lh = f->size * 1.3, h = 0;
    size_t n = strlen(s), start = 0;
    while (start < n) {
        size_t end = start, fit = 0;
        /* the longest run of words from start that fits */
        while (end < n) {
            size_t next = end + strspn(s + end, " ");
            next += strcspn(s + next, " ");
            if (next - start >= sizeof line)
                break;
            memcpy(line, s + start, next - start);
            line[next - start] = '\0';
            if (fit && plot_measure(p, line, f).width > width)
                break;
            fit = next;
            end = next;
        }
        if (!fit) /* one word longer than the buffer: cut it */
            fit = start + (n - start < sizeof line - 1 ? n - start : sizeof line - 1);
        memcpy(line, s + start, fit - start);
        line[fit - start] = '\0';
        if (draw)
            plot_text(p, x, y + h, line, f, PLOT_LEFT, 0, role);
        h += lh;
        start = fit + strspn(s + fit, " ");
    }
    return h;
}

/* ---- the forest of refitted models ----------------------------------- */

#define ROW_H 14.0    /* points per row                                  */
#define MARGIN 12.0
#define GAP 10.0

static const plot_font f_label = {9, 0, 0, PLOT_BLACK};
static const plot_font f_head = {9, 1, 0, PLOT_BLACK};
static const plot_font f_tick = {8, 0, 0, PLOT_BLACK};
static const plot_font f_na = {9, 0, 1, PLOT_GREY};

/* Decimals for the numbers of the rows: 2, more for small values. */
static int row_digits(const app_result *r, const plot_rows_spec *s)
{
    double m = fabs(app_back(r, s->total_est));
    for (size_t i = 0; i < s->n; i++)
        if (!isnan(s->est[i]))
            m = fmax(m, fabs(app_back(r, s->est[i])));
    if (!(m > 0) || m >= 0.1)
        return 2;
    return (int)fmin(4, 1 - floor(log10(m)));
}

/* The range of the axis: every estimate and the full-data CI, the other
 * CIs as far as one such span beyond (wider ones end in arrows). */
static void rows_range(const plot_rows_spec *s, double *lo, double *hi)
{
    double clo = s->total_lb, chi = s->total_ub, alo = clo, ahi = chi, span;
    for (size_t i = 0; i < s->n; i++) {
        if (isnan(s->est[i]))
            continue;
        clo = fmin(clo, s->est[i]), chi = fmax(chi, s->est[i]);
        if (isfinite(s->lb[i]))
            alo = fmin(alo, s->lb[i]);
        if (isfinite(s->ub[i]))
            ahi = fmax(ahi, s->ub[i]);
    }
    span = fmax(chi - clo, 1e-6);
    *lo = fmax(fmin(alo, clo), clo - span);
    *hi = fmin(fmax(ahi, chi), chi + span);
}

typedef struct cols {
    double lab_w, x_plot0, x_plot1, x_est, x_lb, x_ub; /* right ends of the three numbers */
} cols;

typedef struct row_text {
    char est[32], lb[40], ub[40];
} row_text;

static void fmt_row(const app_result *r, int d, double est, double lb, double ub, row_text *t)
{
    char a[32], b[32];
    plot_rows_num(r, est, d, t->est, sizeof t->est);
    plot_rows_num(r, lb, d, a, sizeof a);
    plot_rows_num(r, ub, d, b, sizeof b);
    snprintf(t->lb, sizeof t->lb, "[%s,", a);
    snprintf(t->ub, sizeof t->ub, "%s]", b);
}

/* Column positions: the numbers at the right, labels at the left, the
 * axis between them taking at least about a third of the width.  -1 when
 * the width leaves less than 40 points for labels and 55 for the axis
 * (*need: the width that would do). */
static int layout(plot *p, const plot_rows_spec *s, const row_text *rt, const row_text *tot, double W,
                  const char *num_head, cols *c, double *need)
{
    double we = 0, wl = 0, wu = 0, sp = plot_measure(p, " ", &f_label).width, wt, lab = 0, avail, min_plot;
    for (size_t i = 0; i <= s->n; i++) {
        const row_text *t = i < s->n ? &rt[i] : tot;
        const plot_font *f = i < s->n ? &f_label : &f_head;
        if (i < s->n && isnan(s->est[i])) {
            we = fmax(we, plot_measure(p, "not estimable", &f_na).width);
            continue;
        }
        we = fmax(we, plot_measure(p, t->est, f).width);
        wl = fmax(wl, plot_measure(p, t->lb, f).width);
        wu = fmax(wu, plot_measure(p, t->ub, f).width);
    }
    wt = fmax(we + wl + wu + 2 * sp, plot_measure(p, num_head, &f_head).width);
    c->x_ub = W - MARGIN;
    c->x_lb = c->x_ub - wu - sp;
    c->x_est = c->x_lb - wl - sp;
    for (size_t i = 0; i < s->n; i++)
        lab = fmax(lab, plot_measure(p, s->label[i], &f_label).width +
                            (s->suffix && s->suffix[i] ? plot_measure(p, s->suffix[i], &f_label).width : 0));
    lab = fmax(lab, plot_measure(p, s->total_label, &f_head).width);
    avail = W - 2 * MARGIN - wt - 2 * GAP;
    min_plot = fmax(0.3 * (W - 2 * MARGIN), 90);
    *need = W - avail + 55 + fmin(lab, 40);
    if (avail - 55 < fmin(lab, 40)) /* no room for labels and an axis */
        return -1;
    c->lab_w = fmax(fmin(lab, avail - min_plot), fmin(lab, 40));
    c->x_plot0 = MARGIN + c->lab_w + GAP;
    c->x_plot1 = W - MARGIN - wt - GAP;
    return 0;
}

/* A label ellipsized to the label column, drawn at baseline y. */
static void draw_label(plot *p, const char *s, const plot_font *f, double y, double width, const char *role)
{
    char *e = plot_ellipsize(p, s, f, width);
    if (!e) {
        p->oom = 1;
        return;
    }
    plot_text(p, MARGIN, y, e, f, PLOT_LEFT, 0, role);
    app_free(e);
}

/* Row label i: the label ellipsized so that its suffix fits whole. */
static void draw_row_label(plot *p, const plot_rows_spec *s, size_t i, double y, double width)
{
    const char *suf = s->suffix && s->suffix[i] ? s->suffix[i] : "";
    double ws = *suf ? plot_measure(p, suf, &f_label).width : 0;
    char *e, *both;
    size_t n;
    if (!*suf || ws > width / 2) {
        draw_label(p, s->label[i], &f_label, y, width, "label");
        return;
    }
    if (!(e = plot_ellipsize(p, s->label[i], &f_label, width - ws))) {
        p->oom = 1;
        return;
    }
    n = strlen(e) + strlen(suf) + 1;
    if (!(both = app_alloc(n))) {
        app_free(e);
        p->oom = 1;
        return;
    }
    snprintf(both, n, "%s%s", e, suf);
    draw_label(p, both, &f_label, y, width, "label");
    app_free(both);
    app_free(e);
}

/* A CI from lb to ub on page row y, clipped to the axis with arrows. */
static void draw_ci(plot *p, const plot_scale *sc, double lb, double ub, double y)
{
    plot_style line = {PLOT_BLACK, PLOT_NONE, 0.75, PLOT_SOLID}, head = {PLOT_NONE, PLOT_BLACK, 0, PLOT_SOLID};
    double a = plot_map(sc, fmax(lb, sc->d0)), b = plot_map(sc, fmin(ub, sc->d1));
    plot_line(p, a, y, b, y, &line);
    if (lb < sc->d0) {
        double xy[6] = {a, y, a + 5, y - 2.5, a + 5, y + 2.5};
        plot_polygon(p, xy, 3, &head);
    }
    if (ub > sc->d1) {
        double xy[6] = {b, y, b - 5, y - 2.5, b - 5, y + 2.5};
        plot_polygon(p, xy, 3, &head);
    }
}

static void draw_numbers(plot *p, const cols *c, const row_text *t, const plot_font *f, double y)
{
    plot_text(p, c->x_est, y, t->est, f, PLOT_RIGHT, 0, "value");
    plot_text(p, c->x_lb, y, t->lb, f, PLOT_RIGHT, 0, "value");
    plot_text(p, c->x_ub, y, t->ub, f, PLOT_RIGHT, 0, "value");
}

static void draw_rows(const app_result *r, const plot_rows_spec *s, plot *p, const cols *c, const row_text *rt,
                      const plot_scale *sc, double y0)
{
    plot_style sq = {PLOT_NONE, PLOT_BLACK, 0, PLOT_SOLID};
    double base = f_label.size * 0.35;
    (void)r;
    for (size_t i = 0; i < s->n && !p->oom; i++) {
        double cy = y0 + ((double)i + 0.5) * ROW_H, x;
        draw_row_label(p, s, i, cy + base, c->lab_w);
        if (isnan(s->est[i]) || isnan(s->lb[i]) || isnan(s->ub[i])) {
            plot_text(p, c->x_ub, cy + base, "not estimable", &f_na, PLOT_RIGHT, 0, "value");
            continue;
        }
        draw_ci(p, sc, s->lb[i], s->ub[i], cy);
        x = plot_map(sc, s->est[i]);
        plot_rect(p, x - 2.6, cy - 2.6, x + 2.6, cy + 2.6, &sq);
        draw_numbers(p, c, &rt[i], &f_label, cy + base);
    }
}

/* The full-data model: a rule above, its label, a diamond, its numbers. */
static void draw_total(plot *p, const plot_rows_spec *s, const cols *c, const row_text *tot, const plot_scale *sc,
                       double yt, double W)
{
    plot_style diamond = {PLOT_ROWS_ACCENT, PLOT_ROWS_ACCENT, 0.5, PLOT_SOLID},
               rule = {PLOT_BLACK, PLOT_NONE, 0.5, PLOT_SOLID};
    double xl = plot_map(sc, s->total_lb), xe = plot_map(sc, s->total_est), xu = plot_map(sc, s->total_ub), dy = 4.5;
    double xy[8] = {xl, yt, xe, yt - dy, xu, yt, xe, yt + dy};
    plot_line(p, MARGIN, yt - ROW_H / 2 - 2, W - MARGIN, yt - ROW_H / 2 - 2, &rule);
    draw_label(p, s->total_label, &f_head, yt + f_label.size * 0.35, c->lab_w, "label");
    plot_polygon(p, xy, 4, &diamond);
    draw_numbers(p, c, tot, &f_head, yt + f_label.size * 0.35);
}

int plot_rows(const app_result *r, const plot_rows_spec *s, const char *fig_title, plot *p, app_err *e)
{
    double W = (r->fig.width > 0 ? r->fig.width : 6.5) * 72, lo, hi, y0, yt, yax, H, need;
    plot_rows_kind kind = plot_rows_kind_of(r);
    plot_rows_ticks ticks;
    plot_scale sc;
    row_text *rt, tot;
    cols c;
    char head[96], title[96];
    const char *bn = msyn_measure_back_name(r->measure);
    plot_style dash = {PLOT_ROWS_ACCENT, PLOT_NONE, 0.75, PLOT_DASHED},
               null = {PLOT_GREY, PLOT_NONE, 0.5, PLOT_SOLID},
               rule = {PLOT_BLACK, PLOT_NONE, 0.5, PLOT_SOLID};
    int d;
    if (plot_init(p, W, 100, r->fig.font, fig_title) != 0 || !(rt = app_calloc(s->n + 1, sizeof *rt))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    d = row_digits(r, s);
    for (size_t i = 0; i < s->n; i++)
        fmt_row(r, d, s->est[i], s->lb[i], s->ub[i], &rt[i]);
    fmt_row(r, d, s->total_est, s->total_lb, s->total_ub, &tot);
    snprintf(head, sizeof head, "%s [%g%% CI]", bn ? bn : r->measure == MSYN_MEASURE_GEN ? "Estimate"
                                                                                           : msyn_measure_name(r->measure),
             100.0 * r->po.level);
    if (layout(p, s, rt, &tot, W, head, &c, &need) != 0) {
        app_free(rt);
        app_err_set(e, APP_EXIT_USAGE, "%s: --width %g leaves no room for the labels, the axis and the numbers of this figure; give --width %.1f or more",
                    s->flag, W / 72, ceil(need / 72 * 10) / 10);
        return -1;
    }

    /* rows from y0, the full-data row, then the axis */
    y0 = MARGIN + ROW_H + 4;
    yt = y0 + (double)s->n * ROW_H + 4 + ROW_H / 2;
    yax = yt + ROW_H / 2 + 4;
    H = yax + plot_rows_axis_x_height(&f_tick, 1) + MARGIN;
    plot_set_height(p, H);

    rows_range(s, &lo, &hi);
    plot_rows_ticks_for(r, kind, &lo, &hi, &ticks);
    sc = (plot_scale){lo, hi, c.x_plot0, c.x_plot1, kind == PLOT_ROWS_LOG};
    plot_rows_thin(p, &ticks, &sc, &f_tick, 1);

    /* headings */
    draw_label(p, s->title, &f_head, MARGIN + 9, c.x_ub - plot_measure(p, head, &f_head).width - GAP - MARGIN,
               "heading");
    plot_text(p, c.x_ub, MARGIN + 9, head, &f_head, PLOT_RIGHT, 0, "heading");
    plot_line(p, MARGIN, y0 - 2, W - MARGIN, y0 - 2, &rule);

    /* reference lines behind the rows */
    if (plot_rows_has_null(r) && 0 >= lo && 0 <= hi)
        plot_line(p, plot_map(&sc, 0), y0, plot_map(&sc, 0), yax, &null);
    plot_line(p, plot_map(&sc, s->total_est), y0, plot_map(&sc, s->total_est), yax, &dash);

    draw_rows(r, s, p, &c, rt, &sc, y0);

    draw_total(p, s, &c, &tot, &sc, yt, W);
    plot_rows_axis_x(p, &sc, yax, &ticks, &f_tick, plot_rows_axis_title(r, title, sizeof title));
    app_free(rt);
    if (p->oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory while drawing the figure");
        return -1;
    }
    return 0;
}
