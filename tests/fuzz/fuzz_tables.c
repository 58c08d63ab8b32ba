/*
 * fuzz_tables.c - libFuzzer harness: any bytes as one of the other table
 * files metasyn reads.
 *
 * The first byte selects the reader, the rest is the file:
 *   0-5  risk of bias (`metasyn rob`): app_rob_read for tool byte (RoB 2,
 *        RoB 1, ROBINS-I, SIGN RCT, SIGN cohort, generic), then the CSV
 *        export, the counts and both figures drawn and written as SVG;
 *   6    harms (`metasyn harms`): harms_load, pooled with MH, Peto and
 *        REML, the summary and every report;
 *   7    cost studies (`metasyn cost`): cost_load, converted to USD 2023
 *        with the example factors (examples/cost-deflators.csv,
 *        cost-ppp.csv), --wtp 20000, every report; and reported as read;
 *   8    a price-index table (--inflation) and 9 an exchange-rate table
 *        (--exchange): cost_factors_load, then examples/cost-sij.csv
 *        converted with it;
 *   10   user instruments (--instruments): app_instruments_parse, and a
 *        lookup of each entry by its key.
 * Other first bytes are taken modulo 11.  The summary-of-findings reader
 * has a harness of its own, fuzz_sof.c.
 * Anything may be rejected with a message; nothing may crash, leak or read
 * out of bounds.  tests/fuzz/replay.c replays tests/fuzz/corpus-tables.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "app.h"
#include "cost.h"
#include "harms.h"
#include "instruments.h"
#include "plot.h"
#include "plot_rob.h"
#include "rob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char cost_sij[] =
    "study,intervention,comparator,delta_cost,delta_effect,effect_unit,icer,currency,price_year,"
    "perspective,time_horizon,country,cost1,cost2,effect1,effect2\n"
    "Study A 2014,MISJF,non-surgical care,12950,0.74,QALY,17500,USD,2012,payer,5 years,United "
    "States,,,,\n"
    "Study B 2018,MISJF,non-surgical care,8350,0.46,QALY,18512,GBP,2017,healthcare,5 years,United "
    "Kingdom,,,,\n"
    "Study C 2020,MISJF,non-surgical care,,,QALY,,EUR,2019,societal,lifetime,Germany,24800,26900,"
    "3.41,2.89\n";
static const char deflators[] = "currency,year,index\nUSD,2012,88.4\nUSD,2023,118.0\n"
                                "GBP,2017,90.1\nGBP,2023,114.6\nEUR,2018,98.2\nEUR,2019,100.0\n"
                                "EUR,2023,116.7\nSEK,2020,100.0\nSEK,2023,114.2\n";
static const char ppp[] = "currency,rate\nUSD,0.676\nEUR,0.921\nSEK,0.0772\n";

static void rob(app_rob_tool tool, const app_table *t)
{
    app_rob_table rt;
    app_err e;
    sbuf b;
    double n[APP_ROB_NLEVELS + 1];
    if (app_rob_read(t, tool, &rt, &e) != 0)
        return;
    sb_init(&b);
    app_rob_csv(&rt, &b);
    for (size_t d = 0; d <= rt.ndomain; d++) {
        app_rob_count(&rt, d, 0, n);
        app_rob_count(&rt, d, 1, n);
    }
    for (int summary = 0; summary < 2; summary++) {
        plot p;
        int rc = summary ? plot_rob_summary(&rt, PLOT_ROB_COLOURBLIND, rt.has_weight, NULL, &p, &e)
                         : plot_rob_traffic(&rt, PLOT_ROB_COCHRANE, NULL, &p, &e);
        if (rc == 0) {
            b.len = 0;
            plot_svg(&p, &b);
        }
        plot_free(&p);
    }
    for (size_t i = 0; i < rt.k; i++)
        (void)app_rob_find(&rt, rt.s[i].label);
    sb_free(&b);
    app_rob_free(&rt);
}

static void harms(const app_table *t)
{
    static const msyn_method methods[] = {MSYN_METHOD_MH, MSYN_METHOD_PETO, MSYN_METHOD_REML};
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        harms_data d;
        harms_summary s;
        harms_report_opts ro = {methods[m], m == 2 ? 3 : 2, m == 1 ? 0.9 : 0.95, 2 + (int)m};
        app_err e;
        sbuf b;
        if (harms_load(t, &d, &e) != 0)
            return; /* the same table fails the same way for every method */
        sb_init(&b);
        if (harms_pool(&d, ro.method, ro.min_k, ro.level, &e) == 0) {
            harms_summarise(&d, &s);
            harms_sentence(&d, &b);
            harms_report_text(&d, &ro, &b);
            harms_report_json(&d, &ro, &b);
            harms_report_csv(&d, &ro, &b);
            harms_report_doc(&d, &ro, (int)(m & 1), &b);
        }
        sb_free(&b);
        harms_free(&d);
    }
}

static void cost_reports(const cost_set *s)
{
    sbuf b;
    sb_init(&b);
    cost_report_text(s, &b);
    cost_report_json(s, &b);
    cost_report_csv(s, &b);
    cost_report_md(s, &b);
    sb_free(&b);
}

/* The cost table c converted with the factor tables ti, te (NULL: none). */
static void cost_run(const app_table *c, const app_table *ti, const app_table *te)
{
    cost_set s;
    cost_factors f;
    app_err e;
    memset(&f, 0, sizeof f);
    if (cost_load(c, &s, &e) != 0)
        return;
    if (cost_factors_load(ti, te, &f, &e) == 0) {
        if (cost_convert(&s, ti || te ? "USD" : NULL, ti || te ? 2023 : 0, &f, &e) == 0 &&
            (s.converted || s.implicit_target) && cost_apply_wtp(&s, 20000, "QALY", &e) == 0)
            cost_reports(&s);
        cost_factors_free(&f);
    }
    cost_free(&s);
}

static int parse(const char *file, const char *p, size_t n, app_table *t)
{
    app_err e;
    return app_table_parse(file, p, n, t, &e);
}

static void cost(int which, const app_table *t)
{
    app_table a, b;
    if (parse("deflators.csv", deflators, sizeof deflators - 1, &a) != 0)
        return;
    if (parse("ppp.csv", ppp, sizeof ppp - 1, &b) != 0) {
        app_table_free(&a);
        return;
    }
    if (which == 7) {
        cost_set s;
        app_err e;
        cost_run(t, &a, &b);
        cost_run(t, NULL, NULL);
        if (cost_load(t, &s, &e) == 0) { /* reported as read, unconverted */
            cost_reports(&s);
            cost_free(&s);
        }
    } else {
        app_table c;
        if (parse("cost-sij.csv", cost_sij, sizeof cost_sij - 1, &c) == 0) {
            cost_run(&c, which == 8 ? t : &a, which == 9 ? t : &b);
            app_table_free(&c);
        }
    }
    app_table_free(&a);
    app_table_free(&b);
}

static void instruments(const char *p, size_t n)
{
    app_instruments u;
    app_err e;
    sbuf b;
    if (app_instruments_parse("instruments.csv", p, n, &u, &e) != 0)
        return;
    sb_init(&b);
    for (size_t i = 0; i < u.n; i++) {
        const app_instrument *x = app_instruments_find(&u, u.v[i].key);
        if (!x || !app_instrument_is_user(&u, x))
            __builtin_trap(); /* a user entry must be found by its key */
        app_instrument_mcid_type(x, &b);
        app_instrument_mcid_sentence(x, &b);
    }
    sb_free(&b);
    app_instruments_free(&u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int which;
    const char *p = (const char *)data + 1;
    app_table t;
    if (size < 1)
        return 0;
    which = data[0] % 11;
    if (which == 10) {
        instruments(p, size - 1);
        return 0;
    }
    if (parse("fuzz.csv", p, size - 1, &t) != 0)
        return 0;
    if (which < APP_ROB_NTOOLS)
        rob((app_rob_tool)which, &t);
    else if (which == 6)
        harms(&t);
    else
        cost(which, &t);
    app_table_free(&t);
    return 0;
}
