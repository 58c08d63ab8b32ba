/*
 * test_rob.c - app/rob.c, app/rob_read.c and app/plot_rob.c: tools,
 * robvis's CSV layout (reading, errors, writing back) and the figures'
 * geometry.
 */
#include <string.h>

#include "test.h"

#include "plot_rob.h"

static int load(const char *csv, app_rob_tool tool, app_table *t, app_rob_table *rt, app_err *e)
{
    memset(t, 0, sizeof *t);
    if (app_table_parse("x.csv", csv, strlen(csv), t, e) != 0)
        return -1;
    return app_rob_read(t, tool, rt, e);
}

static void test_tools(void **state)
{
    app_rob_tool t;
    app_rob_level lv;
    (void)state;
    assert_int_equal(app_rob_tool_parse("ROBINS-I", &t), 0);
    assert_int_equal(t, APP_ROB_TOOL_ROBINS_I);
    assert_int_equal(app_rob_tool_parse("rob3", &t), -1);
    assert_int_equal(app_rob_tool_def(APP_ROB_TOOL_ROB2)->ndomain, 5);
    assert_int_equal(app_rob_tool_def(APP_ROB_TOOL_ROB1)->ndomain, 7);
    assert_int_equal(app_rob_tool_def(APP_ROB_TOOL_SIGN_COHORT)->ndomain, 14);
    assert_string_equal(app_rob_tool_word(APP_ROB_TOOL_ROBINS_I, APP_ROB_HIGH, 0), "Serious");
    assert_string_equal(app_rob_tool_word(APP_ROB_TOOL_ROB1, APP_ROB_SOME, 1), "Unclear");
    assert_string_equal(app_rob_tool_word(APP_ROB_TOOL_SIGN_RCT, APP_ROB_LOW, 1), "++");
    /* RoB 1 has no "critical"; ROBINS-I does */
    assert_int_equal(app_rob_tool_parse_cell(APP_ROB_TOOL_ROB1, 0, "critical", &lv), -1);
    assert_int_equal(app_rob_tool_parse_cell(APP_ROB_TOOL_ROBINS_I, 0, " Critical ", &lv), 0);
    assert_int_equal(lv, APP_ROB_CRITICAL);
    /* SIGN: items are answers, the overall is ++ + - */
    assert_int_equal(app_rob_tool_parse_cell(APP_ROB_TOOL_SIGN_RCT, 0, "can't say", &lv), 0);
    assert_int_equal(lv, APP_ROB_SOME);
    assert_int_equal(app_rob_tool_parse_cell(APP_ROB_TOOL_SIGN_RCT, 0, "Does not apply", &lv), 0);
    assert_int_equal(lv, APP_ROB_NA);
    assert_int_equal(app_rob_tool_parse_cell(APP_ROB_TOOL_SIGN_RCT, 0, "++", &lv), -1);
    assert_int_equal(app_rob_tool_parse_cell(APP_ROB_TOOL_SIGN_RCT, 1, "+", &lv), 0);
    assert_int_equal(lv, APP_ROB_SOME);
    assert_int_equal(app_rob_tool_parse_cell(APP_ROB_TOOL_SIGN_RCT, 1, "Yes", &lv), -1);
}

static void test_read_find_write(void **state)
{
    const char *csv = "Study,R,Dev,Miss,Meas,Sel,Overall,Weight,Overall support\n"
                      "A 2001,Low,Low,Low,Low,Low,Low,10,fine\n"
                      " B 2002 ,+,?,-,Low,,High,30,\"open, label\"\n";
    app_table t, t2;
    app_rob_table rt, rt2;
    app_err e = {0};
    const app_rob_study *s;
    sbuf out;
    double n[APP_ROB_NLEVELS];
    (void)state;
    assert_int_equal(load(csv, APP_ROB_TOOL_ROB2, &t, &rt, &e), 0);
    assert_int_equal(rt.k, 2);
    assert_int_equal(rt.ndomain, 5);
    assert_string_equal(rt.label[0], "D1");
    s = app_rob_find(&rt, "B 2002");
    assert_non_null(s);
    assert_int_equal(s->overall, APP_ROB_HIGH);
    assert_int_equal(s->d[1], APP_ROB_SOME);
    assert_int_equal(s->d[4], APP_ROB_UNSET);
    assert_string_equal(s->support[5], "open, label");
    assert_null(app_rob_find(&rt, "C"));
    app_rob_count(&rt, 5, 1, n);
    assert_close(n[APP_ROB_HIGH], 30, 0);
    assert_close(n[APP_ROB_LOW], 10, 0);
    sb_init(&out);
    app_rob_csv(&rt, &out);
    assert_false(out.oom);
    assert_int_equal(load(out.p, APP_ROB_TOOL_ROB2, &t2, &rt2, &e), 0);
    assert_int_equal(rt2.k, 2);
    assert_int_equal(rt2.s[1].d[2], APP_ROB_HIGH);
    assert_string_equal(rt2.s[1].support[5], "open, label");
    sb_free(&out);
    app_rob_free(&rt2);
    app_table_free(&t2);
    app_rob_free(&rt);
    app_table_free(&t);
}

static void test_errors(void **state)
{
    static const struct {
        const char *csv, *msg;
    } cases[] = {
        {"Study,D1,D2,D3,D4,Overall\nA,Low,Low,Low,Low,Low\n", "x.csv:1:6: RoB 2 has 5 domains"},
        {"Study,D1,D2,D3,D4,D5,Overall\nA,Low,Low,Hihg,Low,Low,Low\n", "x.csv:2:4: 'Hihg' is not a RoB 2"},
        {"Study,D1,D2,D3,D4,D5,Overall\nA,Low,Low,Low,Low,Low,Low\nA,Low,Low,Low,Low,Low,Low\n",
         "x.csv:3:1: study 'A' appears twice (also line 2)"},
        {"Study,D1,D2,D3,D4,D5,Overall,Weight\nA,Low,Low,Low,Low,Low,Low,-1\n", "x.csv:2:8: weight '-1'"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        app_table t;
        app_rob_table rt;
        app_err e = {0};
        assert_int_equal(load(cases[i].csv, APP_ROB_TOOL_ROB2, &t, &rt, &e), -1);
        assert_int_equal(e.code, APP_EXIT_DATA);
        assert_non_null(strstr(e.msg, cases[i].msg));
        assert_int_equal(rt.k, 0);
        app_table_free(&t);
    }
}

static void test_figures(void **state)
{
    const char *csv = "Study,D1,D2,D3,D4,D5,D6,D7,Overall,Weight\n"
                      "A,Low,Moderate,Serious,Critical,No information,Low,Low,Critical,5\n"
                      "B,Low,Low,Low,Low,Low,Low,Low,Low,15\n";
    app_table t;
    app_rob_table rt;
    app_err e = {0};
    plot p;
    char why[256];
    size_t circles = 0;
    (void)state;
    assert_int_equal(load(csv, APP_ROB_TOOL_ROBINS_I, &t, &rt, &e), 0);
    assert_int_equal(plot_rob_traffic(&rt, PLOT_ROB_COCHRANE, NULL, &p, &e), 0);
    assert_int_equal(plot_check_text(&p, 0.25, why, sizeof why), 0);
    for (size_t i = 0; i < p.n; i++)
        if (p.items[i].op == PLOT_OP_CIRCLE && strcmp(p.items[i].role ? p.items[i].role : "", "") == 0)
            circles++;
    /* 2 studies x 8 cells + 5 key circles (low, moderate, serious, critical, no information) */
    assert_int_equal(circles, 2 * 8 + 5);
    plot_free(&p);
    assert_int_equal(plot_rob_summary(&rt, PLOT_ROB_COLOURBLIND, 1, NULL, &p, &e), 0);
    assert_int_equal(plot_check_text(&p, 0.25, why, sizeof why), 0);
    plot_free(&p);
    assert_int_equal(plot_rob_colour(PLOT_ROB_COCHRANE, APP_ROB_LOW), 0x02c100ffu);
    assert_int_equal(plot_rob_colour(PLOT_ROB_COLOURBLIND, APP_ROB_HIGH), 0xd95f0effu);
    app_rob_free(&rt);
    app_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tools),
        cmocka_unit_test(test_read_find_write),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_figures),
    };
    RUN_TESTS(tests);
}
