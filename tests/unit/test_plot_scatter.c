/*
 * test_plot_scatter.c - the scatter figures (plot_funnel.c,
 * plot_radial.c, plot_labbe.c, plot_baujat.c on plot_xy.c): each drawn
 * from a real analysis, rendered as SVG and read back with libxml2 (well
 * formed, one circle per study plus the legend's), the geometry of the
 * points checked against the data, and the text layout checked (inside
 * the canvas, no overlaps) for 2, 13, 60 and 300 studies and on the
 * narrowest canvas --width allows.
 */
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "test.h"
#include "app.h"
#include "plot.h"

typedef struct fixture {
    app_table t;
    app_data d;
    app_result r;
} fixture;

/* Load csv as measure m with the metafor preset and pool it, as `pool`
 * does. */
static void load(fixture *x, const char *csv, msyn_measure m)
{
    app_err e = {0, ""};
    msyn_status rc;
    memset(x, 0, sizeof *x);
    assert_int_equal(app_table_parse("test.csv", csv, strlen(csv), &x->t, &e), 0);
    assert_int_equal(msyn_preset_apply(MSYN_PRESET_METAFOR, m, NULL, &x->r.po, &x->r.eo), MSYN_OK);
    assert_int_equal(app_data_load(&x->t, m, NULL, &x->r.eo, &x->d, &e), 0);
    x->r.command = "pool";
    x->r.file = "test.csv";
    x->r.data = &x->d;
    x->r.measure = m;
    x->r.table = &x->t;
    x->r.digits = 4;
    x->r.yi = calloc(x->d.k + 1, sizeof *x->r.yi);
    x->r.vi = calloc(x->d.k + 1, sizeof *x->r.vi);
    x->r.w = calloc(x->d.k + 1, sizeof *x->r.w);
    assert_int_equal(msyn_es(m, &x->d.es, x->d.k, &x->r.eo, x->r.yi, x->r.vi, NULL), MSYN_OK);
    assert_int_equal(app_pool_fit(&x->r, NULL, x->d.k, &x->r.fit, x->r.w, &rc), 0);
    assert_int_equal(rc, MSYN_OK);
    x->r.fitted = 1;
}

static void unload(fixture *x)
{
    app_sens_free(&x->r.sens);
    app_bias_free(&x->r.bias);
    app_strlist_free(&x->r.warnings);
    free(x->r.yi);
    free(x->r.vi);
    free(x->r.w);
    app_data_free(&x->d);
    app_table_free(&x->t);
}

static char *bcg_csv(void)
{
    sbuf b;
    sb_init(&b);
    sb_puts(&b, "study,ai,bi,ci,di\n");
    for (int i = 0; i < 13; i++)
        sb_printf(&b, "Trial %d,%g,%g,%g,%g\n", i + 1, bcg_a[i], bcg_b[i], bcg_c[i], bcg_d[i]);
    return b.p;
}

/* k generated studies (yi, vi), deterministic, with long names. */
static char *gen_csv(size_t k)
{
    sbuf b;
    sb_init(&b);
    sb_puts(&b, "study,yi,vi\n");
    for (size_t i = 1; i <= k; i++) {
        double v = 0.01 + (double)(i % 17) / 40;
        sb_printf(&b, "Study number %zu with a long descriptive name,%.4f,%.4f\n", i,
                  -0.3 + sqrt(v) * (double)((long)((i * 7919) % 200) - 100) / 60, v);
    }
    return b.p;
}

typedef struct counts {
    size_t circles, hollow, legend, labels, notes, accent_dashed;
} counts;

static void walk(xmlNode *n, counts *c)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            xmlChar *cls = xmlGetProp(n, (const xmlChar *)"class");
            xmlChar *fill = xmlGetProp(n, (const xmlChar *)"fill");
            xmlChar *stroke = xmlGetProp(n, (const xmlChar *)"stroke");
            xmlChar *dash = xmlGetProp(n, (const xmlChar *)"stroke-dasharray");
            if (xmlStrcmp(n->name, (const xmlChar *)"circle") == 0) {
                c->circles++;
                c->hollow += fill && xmlStrcmp(fill, (const xmlChar *)"#ffffff") == 0;
            }
            if (xmlStrcmp(n->name, (const xmlChar *)"line") == 0 && stroke && dash &&
                xmlStrcmp(stroke, (const xmlChar *)"#1f5fa8") == 0)
                c->accent_dashed++;
            if (cls && xmlStrcmp(n->name, (const xmlChar *)"text") == 0) {
                c->legend += xmlStrcmp(cls, (const xmlChar *)"legend") == 0;
                c->labels += xmlStrcmp(cls, (const xmlChar *)"label") == 0;
                c->notes += xmlStrcmp(cls, (const xmlChar *)"note") == 0;
            }
            xmlFree(cls);
            xmlFree(fill);
            xmlFree(stroke);
            xmlFree(dash);
            walk(n->children, c);
        }
    }
}

/* Draw figure f of r, check its text layout, render it as SVG, parse the
 * SVG and count what it holds.  p stays drawn (the caller frees it). */
static counts render(const app_result *r, app_fig f, plot *p)
{
    app_err e = {0, ""};
    char why[512];
    sbuf svg;
    xmlDoc *doc;
    counts c;
    memset(&c, 0, sizeof c);
    if (app_figure_draw(r, f, p, &e) != 0)
        fail_msg("%s", e.msg);
    if (plot_check_text(p, 0.25, why, sizeof why) != 0)
        fail_msg("%s: %s", app_fig_flag(f), why);
    sb_init(&svg);
    assert_int_equal(plot_svg(p, &svg), 0);
    doc = xmlReadMemory(svg.p, (int)svg.len, "figure.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(doc);
    walk(xmlDocGetRootElement(doc), &c);
    xmlFreeDoc(doc);
    sb_free(&svg);
    return c;
}

/* The items of role "label" or all circles of p, in order. */
static size_t circles(const plot *p, const plot_item **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n && n < max; i++)
        if (p->items[i].op == PLOT_OP_CIRCLE)
            out[n++] = &p->items[i];
    return n;
}

static void test_funnel_bcg(void **state)
{
    fixture x;
    plot p;
    counts c;
    const plot_item *pt[32];
    char *csv = bcg_csv();
    (void)state;
    load(&x, csv, MSYN_MEASURE_RR);
    c = render(&x.r, APP_FIG_FUNNEL, &p);
    /* 13 studies and the legend's point; 7 legend entries: studies, the
     * estimate, the pseudo CI and four contour regions */
    assert_int_equal(c.circles, 14);
    assert_int_equal(c.hollow, 0);
    assert_int_equal(c.legend, 7);
    /* a study with a smaller SE sits higher; yi orders x */
    assert_int_equal(circles(&p, pt, 32), 14);
    for (size_t i = 0; i < 13; i++)
        for (size_t j = 0; j < 13; j++) {
            if (x.r.vi[i] < x.r.vi[j])
                assert_true(pt[i]->y0 < pt[j]->y0);
            if (x.r.yi[i] < x.r.yi[j])
                assert_true(pt[i]->x0 < pt[j]->x0);
        }
    plot_free(&p);
    unload(&x);
    free(csv);
}

static void test_funnel_bias(void **state)
{
    fixture x;
    plot p;
    counts c;
    app_err e = {0, ""};
    char *csv = bcg_csv();
    (void)state;
    load(&x, csv, MSYN_MEASURE_RR);
    x.r.command = "bias";
    assert_int_equal(app_bias_run(&x.r, &e), 0);
    assert_int_equal(x.r.bias.tf.k0, 1); /* metafor's trimfill: 1 on the right */
    c = render(&x.r, APP_FIG_FUNNEL, &p);
    /* the filled study hollow, and the legend's two points */
    assert_int_equal(c.circles, 13 + 1 + 2);
    assert_int_equal(c.hollow, 1 + 1);
    /* Egger's line and its legend key, dashed in the accent colour */
    assert_int_equal(c.accent_dashed, 2);
    assert_int_equal(c.legend, 10);
    plot_free(&p);
    unload(&x);
    free(csv);
}

static void test_radial(void **state)
{
    fixture x;
    plot p;
    counts c;
    const plot_item *pt[32], *line = NULL;
    char *csv = bcg_csv();
    (void)state;
    load(&x, csv, MSYN_MEASURE_RR);
    c = render(&x.r, APP_FIG_RADIAL, &p);
    assert_int_equal(c.circles, 14);
    assert_int_equal(c.legend, 3);
    /* the pooled line goes through the origin with slope b: its page
     * slope matches the points' (x, y) scale */
    assert_int_equal(circles(&p, pt, 32), 14);
    for (size_t i = 0; i < p.n; i++)
        if (p.items[i].op == PLOT_OP_LINE && p.items[i].style.lwd == 0.75 && !line &&
            p.items[i].style.dash == PLOT_SOLID && p.items[i].x1 - p.items[i].x0 > 100)
            line = &p.items[i];
    assert_non_null(line);
    {
        /* two studies: their page positions give the scale of both axes */
        double tau2 = x.r.fit.tau2, b = x.r.fit.estimate;
        double xa = 1 / sqrt(x.r.vi[0] + tau2), xb = 1 / sqrt(x.r.vi[3] + tau2);
        double ya = x.r.yi[0] * xa, yb = x.r.yi[3] * xb;
        double sx = (pt[3]->x0 - pt[0]->x0) / (xb - xa), sy = (pt[3]->y0 - pt[0]->y0) / (yb - ya);
        double slope = (line->y1 - line->y0) / (line->x1 - line->x0);
        assert_close(slope, b * sy / sx, 1e-9);
    }
    plot_free(&p);
    unload(&x);
    free(csv);
}

static void test_labbe(void **state)
{
    fixture x;
    plot p;
    counts c;
    const plot_item *pt[32];
    char *csv = bcg_csv();
    (void)state;
    for (int m = 0; m < 3; m++) {
        static const msyn_measure ms[3] = {MSYN_MEASURE_RR, MSYN_MEASURE_OR, MSYN_MEASURE_RD};
        load(&x, csv, ms[m]);
        c = render(&x.r, APP_FIG_LABBE, &p);
        assert_int_equal(c.circles, 14);
        assert_int_equal(c.legend, 3);
        /* drawn largest first: radii never grow, and the area follows the weight */
        assert_int_equal(circles(&p, pt, 32), 14);
        for (size_t i = 1; i < 13; i++)
            assert_true(pt[i]->x1 <= pt[i - 1]->x1);
        plot_free(&p);
        unload(&x);
    }
    free(csv);
}

static void test_labbe_needs_tables(void **state)
{
    fixture x;
    plot p;
    app_err e = {0, ""};
    (void)state;
    load(&x, "study,n1i,m1i,sd1i,n2i,m2i,sd2i\nA,20,5,2,20,6,2\nB,30,4,2,31,6,3\nC,25,5,1,22,5.5,1\n",
         MSYN_MEASURE_MD);
    assert_int_equal(app_figure_draw(&x.r, APP_FIG_LABBE, &p, &e), -1);
    assert_int_equal(e.code, APP_EXIT_USAGE);
    assert_non_null(strstr(e.msg, "2x2 tables"));
    plot_free(&p);
    unload(&x);
}

static void test_baujat(void **state)
{
    fixture x;
    plot p;
    counts c;
    app_err e = {0, ""};
    char *csv = bcg_csv();
    (void)state;
    load(&x, csv, MSYN_MEASURE_RR);
    x.r.want_inf = 1;
    assert_int_equal(app_sens_fit(&x.r, &e), 0);
    c = render(&x.r, APP_FIG_BAUJAT, &p);
    assert_int_equal(c.circles, 13);
    /* every study labelled, or counted in the note */
    assert_true(c.labels <= 13);
    assert_int_equal(c.notes > 0, c.labels < 13);
    for (size_t i = 0; i < p.n; i++)
        if (p.items[i].op == PLOT_OP_TEXT && strcmp(p.items[i].role, "label") == 0)
            assert_int_equal(strncmp(p.items[i].text, "Trial ", 6), 0);
    plot_free(&p);
    unload(&x);
    free(csv);
}

/* 2, 60 and 300 studies, and the narrowest canvas: every figure that
 * applies keeps its text on the canvas without overlaps. */
static void test_sizes(void **state)
{
    static const size_t ks[3] = {2, 60, 300};
    static const app_fig figs[3] = {APP_FIG_FUNNEL, APP_FIG_RADIAL, APP_FIG_BAUJAT};
    (void)state;
    for (int s = 0; s < 3; s++)
        for (int narrow = 0; narrow < 2; narrow++) {
            fixture x;
            app_err e = {0, ""};
            char *csv = gen_csv(ks[s]);
            load(&x, csv, MSYN_MEASURE_GEN);
            x.r.fig.width = narrow ? 2 : 0;
            x.r.want_inf = 1;
            assert_int_equal(app_sens_fit(&x.r, &e), 0);
            for (int f = 0; f < 3; f++) {
                plot p;
                counts c = render(&x.r, figs[f], &p);
                assert_int_equal(c.circles, ks[s] + (figs[f] == APP_FIG_BAUJAT ? 0 : 1));
                plot_free(&p);
            }
            unload(&x);
            free(csv);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_funnel_bcg), cmocka_unit_test(test_funnel_bias),
        cmocka_unit_test(test_radial),     cmocka_unit_test(test_labbe),
        cmocka_unit_test(test_labbe_needs_tables), cmocka_unit_test(test_baujat),
        cmocka_unit_test(test_sizes),
    };
    RUN_TESTS(tests);
}
