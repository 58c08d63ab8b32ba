/*
 * test_plot_sens.c - the figures of sensitivity analyses and
 * meta-regression: leave-one-out and cumulative forests, bubble and GOSH
 * plots (app/plot_rows.c, plot_leave1out.c, plot_cumulative.c,
 * plot_bubble.c, plot_gosh.c).
 *
 * Each figure is drawn for 2, 3, 13, 60 and 300 studies; the test checks
 * that every label lies inside the canvas and none overlaps another
 * (plot_check_text), that every drawn item lies inside the canvas, that
 * the SVG parses as XML (libxml2), and counts its elements: one label per
 * row, one point per estimable row, one circle per study in the bubble
 * plot, one point per subset in the GOSH plot (or binned cells beyond
 * 5000).  Then the ticks of transformed and narrow log axes, and the
 * errors of figures without their data.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "test.h"
#include "plot_rows.h"

/* Sanitizer builds: fontconfig keeps its configuration and caches,
 * allocated while pango measures text, until the process ends. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* A study file of k studies, deterministic: log RRs with variances, a
 * numeric moderator x, a year and a two-level factor g; every seventh
 * study has a long name (ellipsized in the forests). */
static char *study_csv(size_t k)
{
    sbuf b;
    sb_init(&b);
    sb_puts(&b, "study,yi,vi,x,year,g\n");
    for (size_t i = 1; i <= k; i++) {
        double x = 10 + (double)((i * 37) % 50);
        sb_printf(&b, "%s %zu%s,%.4f,%.4f,%g,%zu,%s\n", i % 7 ? "Study" : "Ünïcode study", i,
                  i % 7 ? "" : " with a very long name that cannot fit in the label column of a figure",
                  -0.4 + 0.3 * sin((double)i * 1.7) + 0.004 * x, 0.02 + 0.05 * (double)((i * 7) % 11) / 11, x,
                  1970 + (i * 13) % 40, i % 2 ? "a" : "b");
    }
    return b.p;
}

typedef struct fixture {
    app_table t;
    app_data d;
    app_result r;
    char *csv;
} fixture;

static const char *const mods[2] = {"x", "g"};

/* Load k studies, pool them (REML, HKSJ: Cochrane 2025), run the
 * sensitivity analyses with gosh subsets and the regression on x and g. */
static void setup(fixture *f, size_t k, size_t gosh, size_t nmods)
{
    app_err e = {0, ""};
    msyn_status rc;
    memset(f, 0, sizeof *f);
    f->csv = study_csv(k);
    assert_int_equal(app_table_parse("test.csv", f->csv, strlen(f->csv), &f->t, &e), 0);
    assert_int_equal(app_data_load(&f->t, MSYN_MEASURE_RR, NULL, NULL, &f->d, &e), 0);
    f->r.file = "test.csv";
    f->r.command = "pool";
    f->r.measure = MSYN_MEASURE_RR;
    f->r.data = &f->d;
    f->r.table = &f->t;
    assert_int_equal(msyn_preset_apply(MSYN_PRESET_COCHRANE2025, MSYN_MEASURE_RR, NULL, &f->r.po, &f->r.eo), MSYN_OK);
    f->r.yi = calloc(k + 1, sizeof(double));
    f->r.vi = calloc(k + 1, sizeof(double));
    f->r.w = calloc(k + 1, sizeof(double));
    assert_int_equal(msyn_es(MSYN_MEASURE_RR, &f->d.es, k, &f->r.eo, f->r.yi, f->r.vi, NULL), MSYN_OK);
    assert_int_equal(app_pool_fit(&f->r, NULL, k, &f->r.fit, f->r.w, &rc), 0);
    assert_int_equal(rc, MSYN_OK);
    f->r.fitted = 1;
    f->r.want_l1o = 1;
    f->r.want_cum = "year";
    f->r.want_gosh = gosh;
    assert_int_equal(app_sens_fit(&f->r, &e), 0);
    f->r.mods = mods;
    f->r.nmods = nmods;
    if (nmods)
        assert_int_equal(app_reg_fit(&f->r, &e), 0);
}

static void teardown(fixture *f)
{
    app_sens_free(&f->r.sens);
    app_reg_free(&f->r.reg);
    app_strlist_free(&f->r.warnings);
    free(f->r.yi);
    free(f->r.vi);
    free(f->r.w);
    app_data_free(&f->d);
    app_table_free(&f->t);
    free(f->csv);
}

typedef struct counts {
    size_t circle, rect, polygon, label, value, text;
} counts;

static void count(xmlNode *n, counts *c)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            const char *name = (const char *)n->name;
            if (strcmp(name, "circle") == 0)
                c->circle++;
            else if (strcmp(name, "rect") == 0)
                c->rect++;
            else if (strcmp(name, "polygon") == 0)
                c->polygon++;
            else if (strcmp(name, "text") == 0) {
                xmlChar *cls = xmlGetProp(n, (const xmlChar *)"class");
                c->text++;
                if (cls && strcmp((const char *)cls, "label") == 0)
                    c->label++;
                if (cls && strcmp((const char *)cls, "value") == 0)
                    c->value++;
                xmlFree(cls);
            }
        }
        count(n->children, c);
    }
}

/* Every item inside the canvas (circles and polygons by their extent). */
static void assert_inside(const plot *p)
{
    for (size_t i = 0; i < p->n; i++) {
        const plot_item *it = &p->items[i];
        double x0 = it->x0, y0 = it->y0, x1 = it->x1, y1 = it->y1;
        if (it->op == PLOT_OP_CIRCLE)
            x0 = it->x0 - it->x1, x1 = it->x0 + it->x1, y0 = it->y0 - it->x1, y1 = it->y0 + it->x1;
        if (it->op == PLOT_OP_POLYGON || it->op == PLOT_OP_POLYLINE) {
            x0 = y0 = INFINITY, x1 = y1 = -INFINITY;
            for (size_t j = 0; j < it->n; j++) {
                x0 = fmin(x0, it->xy[2 * j]), x1 = fmax(x1, it->xy[2 * j]);
                y0 = fmin(y0, it->xy[2 * j + 1]), y1 = fmax(y1, it->xy[2 * j + 1]);
            }
        }
        if (it->op == PLOT_OP_TEXT)
            x0 = it->box[0], y0 = it->box[1], x1 = it->box[2], y1 = it->box[3];
        if (it->op == PLOT_OP_UNCLIP)
            continue;
        if (!(fmin(x0, x1) >= -0.01 && fmin(y0, y1) >= -0.01 && fmax(x0, x1) <= p->width + 0.01 &&
              fmax(y0, y1) <= p->height + 0.01))
            fail_msg("item %zu (op %d) leaves the %.0f x %.0f canvas: %.1f,%.1f to %.1f,%.1f", i, (int)it->op,
                     p->width, p->height, x0, y0, x1, y1);
    }
}

/* Draw figure fig of f, check its layout, parse its SVG and count. */
static void draw(const fixture *f, app_fig fig, counts *c, double *height)
{
    plot p;
    app_err e = {0, ""};
    char why[512];
    sbuf svg;
    xmlDoc *doc;
    int rc = app_figure_draw(&f->r, fig, &p, &e);
    if (rc != 0)
        fail_msg("%s: %s", app_fig_flag(fig), e.msg);
    if (plot_check_text(&p, 0.25, why, sizeof why) != 0)
        fail_msg("%s: %s", app_fig_flag(fig), why);
    assert_inside(&p);
    *height = p.height;
    sb_init(&svg);
    assert_int_equal(plot_svg(&p, &svg), 0);
    assert_false(svg.oom);
    doc = xmlReadMemory(svg.p, (int)svg.len, "figure.svg", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(doc);
    memset(c, 0, sizeof *c);
    count(xmlDocGetRootElement(doc), c);
    xmlFreeDoc(doc);
    sb_free(&svg);
    plot_free(&p);
}

static size_t estimable(const double *v, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            m++;
    return m;
}

static void test_sizes(void **state)
{
    static const size_t ks[5] = {2, 3, 13, 60, 300};
    double last_h = 0;
    (void)state;
    for (size_t z = 0; z < 5; z++) {
        size_t k = ks[z];
        fixture f;
        counts c;
        double h;
        setup(&f, k, k < 60 ? 200 : 1000, k > 3 ? 2 : k - 2); /* x needs 3 studies */

        draw(&f, APP_FIG_LEAVE1OUT, &c, &h);
        assert_int_equal(c.label, k + 1);                      /* rows, total */
        assert_int_equal(c.rect, estimable(f.r.sens.l1o, k) + 1); /* a point per fit, background */
        assert_int_equal(c.value, 3 * estimable(f.r.sens.l1o, k) + 3);
        assert_true(h > last_h);                          /* grows with k */
        assert_true(fabs(h - (double)k * 14) < 120);      /* 14 pt a row */
        last_h = h;

        draw(&f, APP_FIG_CUMULATIVE, &c, &h);
        assert_int_equal(c.label, k + 1);
        assert_int_equal(c.rect, estimable(f.r.sens.cum, k) + 1);

        if (k > 2) {
            draw(&f, APP_FIG_BUBBLE, &c, &h);
            assert_int_equal(c.circle, f.r.reg.fit.k); /* one per study */
        }

        draw(&f, APP_FIG_GOSH, &c, &h);
        assert_int_equal(c.circle, estimable(f.r.sens.gosh + f.r.sens.gosh_rows, f.r.sens.gosh_rows) + 1);
        teardown(&f);
    }
}

static void test_gosh_binned(void **state)
{
    fixture f;
    counts c;
    double h;
    (void)state;
    setup(&f, 13, 8191, 0);
    assert_true(f.r.sens.gosh_rows > 5000);
    draw(&f, APP_FIG_GOSH, &c, &h);
    assert_int_equal(c.circle, 1); /* only the full-data model */
    assert_true(c.rect > 20 && c.rect <= 60 * 45);
    teardown(&f);
}

static void test_bubble_errors(void **state)
{
    fixture f;
    plot p;
    app_err e = {0, ""};
    static const char *const only_g[1] = {"g"};
    (void)state;
    setup(&f, 13, 0, 0);
    f.r.mods = only_g;
    f.r.nmods = 1;
    assert_int_equal(app_reg_fit(&f.r, &e), 0);
    assert_int_equal(app_figure_draw(&f.r, APP_FIG_BUBBLE, &p, &e), -1);
    plot_free(&p);
    assert_int_equal(e.code, APP_EXIT_USAGE);
    assert_non_null(strstr(e.msg, "only categorical moderators (g)"));
    /* a GOSH plot without GOSH fits, a forest without leave-one-out */
    app_sens_free(&f.r.sens);
    assert_int_equal(app_figure_draw(&f.r, APP_FIG_GOSH, &p, &e), -1);
    plot_free(&p);
    assert_int_equal(e.code, APP_EXIT_MODEL);
    assert_int_equal(app_figure_draw(&f.r, APP_FIG_LEAVE1OUT, &p, &e), -1);
    plot_free(&p);
    assert_int_equal(app_figure_draw(&f.r, APP_FIG_CUMULATIVE, &p, &e), -1);
    plot_free(&p);
    teardown(&f);
}

static void test_ticks(void **state)
{
    app_result r;
    plot_rows_ticks t;
    double lo, hi;
    (void)state;
    memset(&r, 0, sizeof r);
    /* correlations on Fisher's z: ticks at round r, placed at atanh(r) */
    r.measure = MSYN_MEASURE_ZCOR;
    lo = atanh(0.12), hi = atanh(0.71);
    plot_rows_ticks_for(&r, plot_rows_kind_of(&r), &lo, &hi, &t);
    assert_true(t.n >= 3);
    for (size_t i = 0; i < t.n; i++) {
        double v = strtod(t.label[i], NULL);
        assert_close_abs(t.at[i], atanh(v), 1e-9);
        assert_true(t.at[i] >= lo && t.at[i] <= hi);
    }
    /* a ratio axis over a narrow range: round ratios, not one decade */
    r.measure = MSYN_MEASURE_OR;
    lo = log(1.12), hi = log(1.31);
    plot_rows_ticks_for(&r, plot_rows_kind_of(&r), &lo, &hi, &t);
    assert_true(t.n >= 3);
    assert_true(exp(hi) - exp(lo) < 0.5);
    assert_string_equal(t.label[0], "1.1");
    /* wide: readable ratios, the range widened to them */
    lo = log(0.23), hi = log(3.1);
    plot_rows_ticks_for(&r, plot_rows_kind_of(&r), &lo, &hi, &t);
    assert_close(exp(lo), 0.2, 1e-12);
    assert_close(exp(hi), 5, 1e-12);
    assert_string_equal(t.label[0], "0.2");
    assert_string_equal(t.label[t.n - 1], "5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_gosh_binned),
        cmocka_unit_test(test_bubble_errors),
        cmocka_unit_test(test_ticks),
    };
    RUN_TESTS(tests);
}
