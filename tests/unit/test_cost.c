/*
 * test_cost.c - app/cost.c, cost_convert.c and plot_ce.c: quadrants, the
 * rounding-aware ICER check, the two-stage conversion and the net
 * monetary benefit against numbers worked by hand, strict reading, and
 * the cost-effectiveness plane (SVG read back with libxml2, layout
 * checked for many comparisons).
 */
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "test.h"
#include "app.h"
#include "cost.h"
#include "plot.h"

static void test_quadrants(void **state)
{
    (void)state;
    assert_int_equal(cost_classify(0.1, 100), COST_Q_NE);
    assert_int_equal(cost_classify(0.1, -100), COST_Q_DOMINANT);
    assert_int_equal(cost_classify(0.1, 0), COST_Q_DOMINANT);
    assert_int_equal(cost_classify(-0.1, 100), COST_Q_DOMINATED);
    assert_int_equal(cost_classify(-0.1, 0), COST_Q_DOMINATED);
    assert_int_equal(cost_classify(-0.1, -100), COST_Q_SW);
    assert_int_equal(cost_classify(0, -1), COST_Q_EQUAL_CHEAPER);
    assert_int_equal(cost_classify(0, 1), COST_Q_EQUAL_DEARER);
    assert_int_equal(cost_classify(0, 0), COST_Q_EQUAL_SAME);
    assert_int_equal(cost_classify(NAN, 5), COST_Q_NO_EFFECT);
    assert_true(cost_quadrant_has_icer(COST_Q_SW));
    assert_false(cost_quadrant_has_icer(COST_Q_DOMINANT));
    assert_string_equal(cost_quadrant_key(COST_Q_NE), "NE");
}

static void test_half_unit(void **state)
{
    (void)state;
    assert_close(cost_half_unit("0.25", 0), 0.005, 1e-12);
    assert_close(cost_half_unit("8350", 0), 0.5, 1e-12);
    assert_close(cost_half_unit("20000", 1), 5000, 1e-12);
    assert_close(cost_half_unit("18152", 1), 0.5, 1e-12);
    assert_close(cost_half_unit("-3.1", 0), 0.05, 1e-12);
    assert_close(cost_half_unit("0", 1), 0.5, 1e-12);
    assert_true(cost_half_unit(NULL, 0) == 0);
}

static void test_icer_check(void **state)
{
    (void)state;
    /* 8350 / 0.46 = 18152.17; 0.46 means [0.455, 0.465]: ratios from
     * 8349.5/0.465 = 17955.9 to 8350.5/0.455 = 18352.7 */
    assert_int_equal(cost_icer_agrees(18152, 0.5, 8350, 0.5, 0.46, 0.005), 1);
    assert_int_equal(cost_icer_agrees(17960, 0.5, 8350, 0.5, 0.46, 0.005), 1);
    assert_int_equal(cost_icer_agrees(17950, 0.5, 8350, 0.5, 0.46, 0.005), 0);
    assert_int_equal(cost_icer_agrees(18512, 0.5, 8350, 0.5, 0.46, 0.005), 0);
    assert_int_equal(cost_icer_agrees(18350, 0.5, 8350, 0.5, 0.46, 0.005), 1);
    assert_int_equal(cost_icer_agrees(18360, 0.5, 8350, 0.5, 0.46, 0.005), 0);
    /* SW: -64500 / -0.31 = 208064.5 */
    assert_int_equal(cost_icer_agrees(208065, 0.5, -64500, 0.5, -0.31, 0.005), 1);
    /* an effect of 0.0 (as written: [-0.05, 0.05]) cannot be checked */
    assert_int_equal(cost_icer_agrees(1000, 0.5, 100, 0.5, 0.0, 0.05), -1);
}

static void test_currency(void **state)
{
    (void)state;
    assert_true(cost_currency_known("GBP"));
    assert_true(cost_currency_known("AED"));
    assert_true(cost_currency_known("ZWL"));
    assert_false(cost_currency_known("XYZ"));
    assert_false(cost_currency_known("gbp"));
    assert_false(cost_currency_known("GB"));
    assert_false(cost_currency_known("GBPX"));
}

static const char rows_csv[] =
    "study,intervention,comparator,delta_cost,delta_effect,icer,currency,price_year,perspective,cost1,cost2,effect1,effect2\n"
    "A,x,y,1000,0.05,20000,USD,2015,payer,,,,\n"
    "B,x,y,,,,EUR,2020,societal,5000,5600,2.5,2.4\n"
    "C,x,y,-200,-0.02,,GBP,2023,healthcare,,,,\n"
    "D,x,y,300,,,GBP,2020,,,,,\n";
static const char infl_csv[] = "currency,year,index\nUSD,2015,80\nUSD,2023,100\nEUR,2020,95\nEUR,2023,114\nGBP,2020,90\nGBP,2023,108\n";
static const char exch_csv[] = "currency,rate\nUSD,0.8\nEUR,0.9\n";

typedef struct fx {
    app_table t, ti, te;
    cost_set s;
    cost_factors f;
} fx;

static void load(fx *x, const char *csv)
{
    app_err e = {0, ""};
    memset(x, 0, sizeof *x);
    assert_int_equal(app_table_parse("c.csv", csv, strlen(csv), &x->t, &e), 0);
    assert_int_equal(cost_load(&x->t, &x->s, &e), 0);
    assert_int_equal(app_table_parse("i.csv", infl_csv, strlen(infl_csv), &x->ti, &e), 0);
    assert_int_equal(app_table_parse("r.csv", exch_csv, strlen(exch_csv), &x->te, &e), 0);
    assert_int_equal(cost_factors_load(&x->ti, &x->te, &x->f, &e), 0);
}

static void unload(fx *x)
{
    cost_free(&x->s);
    cost_factors_free(&x->f);
    app_table_free(&x->t);
    app_table_free(&x->ti);
    app_table_free(&x->te);
}

static void test_convert(void **state)
{
    fx x;
    app_err e = {0, ""};
    (void)state;
    load(&x, rows_csv);
    assert_int_equal(cost_convert(&x.s, "GBP", 2023, &x.f, &e), 0);
    /* A: 1000 USD 2015 -> x 100/80 x 0.8 = 1000 GBP 2023; ICER 1000/0.05 = 20000 */
    assert_close(x.s.row[0].factor, 1.0, EPS_REL(4));
    assert_close(x.s.row[0].d_cost_t, 1000, EPS_REL(4));
    assert_close(x.s.row[0].icer_t, 20000, EPS_REL(8));
    assert_int_equal(x.s.row[0].icer_check, 1);
    /* B: arms 5000 - 5600 = -600 EUR 2020, effect 0.1: x 114/95 x 0.9 = 1.08 -> -648, dominant */
    assert_close(x.s.row[1].d_cost, -600, EPS_REL(4));
    assert_close(x.s.row[1].d_effect, 0.1, EPS_REL(16));
    assert_close(x.s.row[1].factor, 1.08, EPS_REL(8));
    assert_close(x.s.row[1].d_cost_t, -648, EPS_REL(8));
    assert_close(x.s.row[1].cost1_t, 5400, EPS_REL(8));
    assert_int_equal(x.s.row[1].q, COST_Q_DOMINANT);
    assert_true(isnan(x.s.row[1].icer_t));
    /* C: already GBP 2023: factor 1; SW, ICER -200/-0.02 = 10000 */
    assert_close(x.s.row[2].factor, 1, 0);
    assert_int_equal(x.s.row[2].q, COST_Q_SW);
    assert_close(x.s.row[2].icer_t, 10000, EPS_REL(8));
    /* D: GBP 2020 -> x 108/90 = 1.2: 360; no effect */
    assert_close(x.s.row[3].d_cost_t, 360, EPS_REL(8));
    assert_true(isnan(x.s.row[3].rate));
    assert_int_equal(x.s.row[3].q, COST_Q_NO_EFFECT);
    /* NMB at 20000 per QALY: A 20000 x 0.05 - 1000 = 0 (threshold);
     * B 2000 + 648 = 2648; C -400 + 200 = -200; D none */
    assert_int_equal(cost_apply_wtp(&x.s, 20000, NULL, &e), 0);
    assert_close_abs(x.s.row[0].nmb, 0, 1e-9);
    assert_close(x.s.row[1].nmb, 2648, EPS_REL(16));
    assert_close(x.s.row[2].nmb, -200, EPS_REL(16));
    assert_true(isnan(x.s.row[3].nmb));
    unload(&x);
}

static void test_missing_factor(void **state)
{
    fx x;
    app_err e = {0, ""};
    (void)state;
    load(&x, rows_csv);
    assert_int_equal(cost_convert(&x.s, "GBP", 2024, &x.f, &e), -1);
    assert_int_equal(e.code, APP_EXIT_DATA);
    assert_non_null(strstr(e.msg, "c.csv:2: A's costs are in USD 2015: i.csv has no price index for USD 2024"));
    /* the rates are per unit of the target: with JPY the file has none for GBP (row C) */
    assert_int_equal(cost_convert(&x.s, "JPY", 2023, &x.f, &e), -1);
    assert_non_null(strstr(e.msg, "c.csv:4: C's costs are in GBP: r.csv has no rate for GBP"));
    unload(&x);
}

static void bad(const char *csv, const char *want)
{
    app_table t;
    cost_set s;
    app_err e = {0, ""};
    assert_int_equal(app_table_parse("c.csv", csv, strlen(csv), &t, &e), 0);
    assert_int_equal(cost_load(&t, &s, &e), -1);
    assert_int_equal(e.code, APP_EXIT_DATA);
    if (!strstr(e.msg, want))
        fail_msg("got \"%s\", want \"%s\"", e.msg, want);
    cost_free(&s);
    app_table_free(&t);
}

static void test_strict(void **state)
{
    static const char h[] = "study,intervention,comparator,delta_cost,delta_effect,currency,price_year,cost1,cost2\n";
    char buf[512];
    (void)state;
    snprintf(buf, sizeof buf, "%sA,x,y,10,0.1,EURO,2020,,\n", h);
    bad(buf, "c.csv:2:6: currency");
    snprintf(buf, sizeof buf, "%sA,x,y,10,0.1,EUR,1850,,\n", h);
    bad(buf, "c.csv:2:7: price_year");
    snprintf(buf, sizeof buf, "%sA,x,y,10,abc,EUR,2020,,\n", h);
    bad(buf, "c.csv:2:5: delta_effect");
    snprintf(buf, sizeof buf, "%sA,x,y,10,0.1,EUR,2020,100,80\n", h);
    bad(buf, "c.csv:2:4: delta_cost 10 disagrees with cost1 - cost2 = 20");
    snprintf(buf, sizeof buf, "%sA,,y,10,0.1,EUR,2020,,\n", h);
    bad(buf, "c.csv:2:2: intervention is empty");
    snprintf(buf, sizeof buf, "%sA,x,y,,0.1,EUR,2020,,\n", h);
    bad(buf, "c.csv:2:4: delta_cost is empty");
}

/* The plane as SVG: one circle per drawable comparison plus the legend's,
 * and with 40 comparisons still no text off the canvas or overlapping. */
static size_t count(xmlNode *n, const char *name)
{
    size_t c = 0;
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            c++;
        c += count(n->children, name);
    }
    return c;
}

static void test_plane(void **state)
{
    fx x;
    app_err e = {0, ""};
    plot p;
    sbuf svg;
    xmlDoc *doc;
    char why[256];
    (void)state;
    load(&x, rows_csv);
    assert_int_equal(cost_convert(&x.s, "GBP", 2023, &x.f, &e), 0);
    assert_int_equal(cost_apply_wtp(&x.s, 20000, NULL, &e), 0);
    memset(&p, 0, sizeof p);
    assert_int_equal(plot_ce(&x.s, &p, 0, NULL, &e), 0);
    assert_int_equal(plot_check_text(&p, 0.25, why, sizeof why), 0);
    sb_init(&svg);
    assert_int_equal(plot_svg(&p, &svg), 0);
    doc = xmlReadMemory(svg.p, (int)svg.len, "p.svg", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    assert_int_equal(count(xmlDocGetRootElement(doc), "circle"), 3 + 1);
    xmlFreeDoc(doc);
    sb_free(&svg);
    plot_free(&p);
    unload(&x);
}

static void test_plane_many(void **state)
{
    sbuf csv;
    fx x;
    app_err e = {0, ""};
    plot p;
    char why[256];
    (void)state;
    sb_init(&csv);
    sb_puts(&csv, "study,intervention,comparator,delta_cost,delta_effect,currency,price_year\n");
    for (int i = 0; i < 40; i++)
        sb_printf(&csv, "Study number %d,treatment %d,usual care,%d,%g,GBP,2023\n", i + 1, i % 3,
                  (i * 7919) % 20000 - 6000, ((i * 37) % 100 - 30) / 100.0);
    load(&x, csv.p);
    assert_int_equal(cost_convert(&x.s, NULL, 0, NULL, &e), 0);
    assert_true(x.s.implicit_target);
    for (int narrow = 0; narrow < 2; narrow++) {
        memset(&p, 0, sizeof p);
        assert_int_equal(plot_ce(&x.s, &p, narrow ? 3 * 72 : 0, NULL, &e), 0);
        if (plot_check_text(&p, 0.25, why, sizeof why))
            fail_msg("layout: %s", why);
        plot_free(&p);
    }
    unload(&x);
    sb_free(&csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quadrants), cmocka_unit_test(test_half_unit),
        cmocka_unit_test(test_icer_check), cmocka_unit_test(test_currency),
        cmocka_unit_test(test_convert), cmocka_unit_test(test_missing_factor),
        cmocka_unit_test(test_strict), cmocka_unit_test(test_plane),
        cmocka_unit_test(test_plane_many),
    };
    RUN_TESTS(tests);
}
