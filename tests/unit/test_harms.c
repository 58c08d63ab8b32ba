/*
 * test_harms.c - the harms file reader, the study classification, the
 * summary counts and the pooled Mantel-Haenszel risk ratio (app/harms.c),
 * against hand-worked values.
 */
#include <stdlib.h>

#include "test.h"
#include "harms.h"

static int load(const char *csv, harms_data *d, app_err *e)
{
    app_table t;
    int rc;
    memset(&t, 0, sizeof t);
    if (app_table_parse("h.csv", csv, strlen(csv), &t, e) != 0)
        return -1;
    rc = harms_load(&t, d, e);
    app_table_free(&t);
    return rc;
}

#define HEAD "study,reported,event,severity,ai,n1i,ci,n2i\n"

static void test_severity(void **state)
{
    harms_sev s;
    (void)state;
    static const char *const minor[] = {"minor", "Mild", " moderate ", "1", "2", "Grade 2"};
    static const char *const serious[] = {"serious", "SEVERE", "life-threatening", "fatal", "3", "4", "5", "grade 5"};
    for (size_t i = 0; i < sizeof minor / sizeof *minor; i++) {
        s = HARMS_SEV_SERIOUS;
        assert_int_equal(harms_sev_parse(minor[i], &s), 0);
        assert_int_equal(s, HARMS_SEV_MINOR);
    }
    for (size_t i = 0; i < sizeof serious / sizeof *serious; i++) {
        s = HARMS_SEV_MINOR;
        assert_int_equal(harms_sev_parse(serious[i], &s), 0);
        assert_int_equal(s, HARMS_SEV_SERIOUS);
    }
    assert_int_equal(harms_sev_parse("6", &s), -1);
    assert_int_equal(harms_sev_parse("grade 0", &s), -1);
    assert_int_equal(harms_sev_parse("", &s), -1);
    assert_int_equal(harms_sev_parse("major", &s), -1);
}

/* Each category, and the worst one winning; zero events is "none". */
static void test_classify(void **state)
{
    harms_data d;
    harms_summary s;
    app_err e = {0, ""};
    (void)state;
    assert_int_equal(load(HEAD "A,yes,wound infection,minor,2,50,1,50\n"
                               "A,yes,reoperation,serious,1,50,0,50\n"
                               "B,yes,wound infection,minor,3,40,0,40\n"
                               "B,yes,reoperation,serious,0,40,0,40\n"
                               "C,none,,,,30,,30\n"
                               "D,no,,,,,,\n"
                               "E,yes,wound infection,minor,0,20,0,20\n"
                               "F,yes,any,grade 3,,,,\n",
                          &d, &e), 0);
    assert_int_equal(d.nstudy, 6);
    assert_int_equal(d.study[0].cat, HARMS_CAT_SERIOUS);
    assert_int_equal(d.study[1].cat, HARMS_CAT_MINOR);
    assert_int_equal(d.study[2].cat, HARMS_CAT_NONE);
    assert_int_equal(d.study[3].cat, HARMS_CAT_NOT_REPORTED);
    assert_int_equal(d.study[4].cat, HARMS_CAT_NONE);
    assert_int_equal(d.study[5].cat, HARMS_CAT_SERIOUS); /* reported without counts */
    assert_int_equal(d.ngroup, 3);
    assert_int_equal(d.group[0].k, 3);
    assert_int_equal(d.group[0].k_zero, 1);
    assert_close(d.group[0].e1, 5, 0);
    assert_close(d.group[0].n2, 110, 0);
    harms_summarise(&d, &s);
    assert_int_equal(s.n[HARMS_CAT_SERIOUS], 2);
    assert_int_equal(s.n[HARMS_CAT_MINOR], 1);
    assert_int_equal(s.n[HARMS_CAT_NONE], 2);
    assert_int_equal(s.n[HARMS_CAT_NOT_REPORTED], 1);
    assert_int_equal(s.k_ser_counts, 1); /* F has no counts */
    assert_close(s.ser1, 1, 0);
    assert_close(s.n1, 50, 0);
    assert_close(s.ser2, 0, 0);
    assert_close(d.study[0].minor1, 2, 0);
    {
        sbuf o;
        sb_init(&o);
        assert_int_equal(harms_sentence(&d, &o), 0);
        assert_string_equal(o.p, "Of 6 studies, 2 reported no adverse events, 1 only minor ones, 2 serious ones, and 1 did not report adverse events. "
                                 "Serious adverse events: 1 in 50 participants (2.0%) in the treatment arms and 0 in 50 (0.0%) in the control arms "
                                 "of the 1 study with serious events that gave counts (of 2).");
        sb_free(&o);
    }
    harms_free(&d);
}

/* An "any" row gives the participants with events; other rows of the
 * same severity are not added to it. */
static void test_any_row(void **state)
{
    harms_data d;
    app_err e = {0, ""};
    (void)state;
    assert_int_equal(load(HEAD "A,yes,bleeding,serious,2,50,1,50\n"
                               "A,yes,any,serious,3,50,1,50\n"
                               "A,yes,reoperation,serious,2,50,0,50\n"
                               "A,yes,nausea,minor,4,50,3,50\n"
                               "A,yes,any,minor,5,50,3,50\n"
                               "B,yes,bleeding,serious,2,40,1,40\n"
                               "B,yes,reoperation,serious,1,40,1,40\n",
                          &d, &e), 0);
    assert_close(d.study[0].ser1, 3, 0);
    assert_close(d.study[0].ser2, 1, 0);
    assert_close(d.study[0].minor1, 5, 0);
    assert_false(d.study[0].ser_summed);
    assert_close(d.study[1].ser1, 3, 0);
    assert_close(d.study[1].ser2, 2, 0);
    assert_true(d.study[1].ser_summed);
    assert_int_equal(d.notes.n, 1);
    harms_free(&d);
}

/* Mantel-Haenszel RR by hand (Greenland & Robins 1985 variance):
 *   A: 4/50 vs 2/50 (N 100), B: 3/30 vs 1/40 (N 70)
 *   RR = (4*50/100 + 3*40/70) / (2*50/100 + 1*30/70) = (26/7)/(10/7) = 2.6
 *   var log RR = [(50*50*6 - 4*2*100)/100^2 + (30*40*4 - 3*1*70)/70^2] / (R S)
 *              = (1.42 + 4590/4900) / (260/49) = 0.444153846153846...
 * C has no events in either arm: left out, with a note; the result is
 * the same as without it (metafor's rma.mh). */
static void test_mh_rr(void **state)
{
    harms_data d;
    app_err e = {0, ""};
    double v = (1.42 + 4590.0 / 4900.0) / (260.0 / 49.0), z = 1.959963984540054;
    (void)state;
    assert_int_equal(load(HEAD "A,yes,bleeding,serious,4,50,2,50\n"
                               "B,yes,bleeding,serious,3,30,1,40\n"
                               "C,yes,bleeding,serious,0,25,0,25\n",
                          &d, &e), 0);
    assert_int_equal(harms_pool(&d, MSYN_METHOD_MH, 2, 0.95, &e), 0);
    assert_true(d.group[0].pooled);
    assert_int_equal(d.group[0].fit.k, 2);
    assert_int_equal(d.group[0].k_zero, 1);
    assert_close(exp(d.group[0].fit.estimate), 2.6, 64 * DBL_EPSILON);
    assert_close(d.group[0].fit.se, sqrt(v), 64 * DBL_EPSILON);
    assert_close(exp(d.group[0].fit.ci_lb), 0.7041921851241553, 1e-12);
    assert_close(exp(d.group[0].fit.ci_ub), 9.59965211600318, 1e-12);
    assert_close(exp(d.group[0].fit.ci_ub), 2.6 * exp(z * sqrt(v)), 1e-12);
    assert_int_equal(d.notes.n, 1);
    assert_non_null(strstr(d.notes.s[0], "1 study with no events in either arm left out"));
    harms_free(&d);

    /* --min-k 3: two studies with events are listed, not pooled */
    assert_int_equal(load(HEAD "A,yes,bleeding,serious,4,50,2,50\n"
                               "B,yes,bleeding,serious,3,30,1,40\n"
                               "C,yes,bleeding,serious,0,25,0,25\n",
                          &d, &e), 0);
    assert_int_equal(harms_pool(&d, MSYN_METHOD_MH, 3, 0.95, &e), 0);
    assert_false(d.group[0].pooled);
    assert_true(d.group[0].short_k);
    harms_free(&d);

    /* no events in the control arms: MH RR not estimable */
    assert_int_equal(load(HEAD "A,yes,bleeding,serious,4,50,0,50\n"
                               "B,yes,bleeding,serious,3,30,0,40\n",
                          &d, &e), 0);
    assert_int_equal(harms_pool(&d, MSYN_METHOD_MH, 2, 0.95, &e), 0);
    assert_false(d.group[0].pooled);
    assert_int_equal(d.group[0].rc, MSYN_ENOTESTIMABLE);
    harms_free(&d);
}

/* Peto's OR by hand: sum(O - E) / sum(V), V = n1 n2 m1 m0 / (N^2 (N - 1)).
 *   A: O = 4, E = 50*6/100 = 3, V = 50*50*6*94/(100^2*99)
 *   B: O = 3, E = 30*4/70, V = 30*40*4*66/(70^2*69) */
static void test_peto(void **state)
{
    harms_data d;
    app_err e = {0, ""};
    double va = 50.0 * 50 * 6 * 94 / (10000.0 * 99), vb = 30.0 * 40 * 4 * 66 / (4900.0 * 69);
    double oe = (4 - 3.0) + (3 - 120.0 / 70);
    (void)state;
    assert_int_equal(load(HEAD "A,yes,bleeding,serious,4,50,2,50\n"
                               "B,yes,bleeding,serious,3,30,1,40\n",
                          &d, &e), 0);
    assert_int_equal(harms_pool(&d, MSYN_METHOD_PETO, 2, 0.95, &e), 0);
    assert_true(d.group[0].pooled);
    assert_close(d.group[0].fit.estimate, oe / (va + vb), 1e-12);
    assert_close(d.group[0].fit.se, 1 / sqrt(va + vb), 1e-12);
    harms_free(&d);
}

/* Golden values from metafor 3.8.1 (R 4.x, Debian r-cran-metafor), for the
 * events of examples/harms-ankle.csv:
 *   rma.mh(ai=c(4,6,5,3,2,3,0), n1i=c(52,120,88,61,45,70,30),
 *          ci=c(0,1,1,0,0,1,0), n2i=c(50,118,90,60,44,72,30), measure="RR")
 *     exp: 7.68410306768287 [2.31084758170675, 25.55142122838034]
 *   d <- data.frame(ai=c(1,0,1), n1i=c(61,45,70), ci=c(5,3,4), n2i=c(60,44,72))
 *   rma.peto(ai=ai, n1i=n1i, ci=ci, n2i=n2i, data=d)
 *     -1.479197661390233 [-2.544558822621125, -0.413836500159341]
 *   rma(measure="RR", ai=ai, n1i=n1i, ci=ci, n2i=n2i, data=d, method="REML")
 *     -1.594530640023859 [-2.940173232916247, -0.248888047131471], tau2 0 */
static void test_metafor(void **state)
{
    harms_data d;
    app_err e = {0, ""};
    const char *wound = HEAD "A,yes,wi,minor,4,52,0,50\nJ,yes,wi,minor,6,120,1,118\nE,yes,wi,minor,5,88,1,90\n"
                             "C,yes,wi,minor,3,61,0,60\nG,yes,wi,minor,2,45,0,44\nL,yes,wi,minor,3,70,1,72\n"
                             "I,yes,wi,minor,0,30,0,30\n";
    const char *skin = HEAD "C,yes,si,minor,1,61,5,60\nG,yes,si,minor,0,45,3,44\nL,yes,si,minor,1,70,4,72\n";
    (void)state;
    assert_int_equal(load(wound, &d, &e), 0);
    assert_int_equal(harms_pool(&d, MSYN_METHOD_MH, 2, 0.95, &e), 0);
    assert_close(exp(d.group[0].fit.estimate), 7.68410306768287, 1e-12);
    assert_close(exp(d.group[0].fit.ci_lb), 2.31084758170675, 1e-12);
    assert_close(exp(d.group[0].fit.ci_ub), 25.55142122838034, 1e-12);
    harms_free(&d);
    assert_int_equal(load(skin, &d, &e), 0);
    assert_int_equal(harms_pool(&d, MSYN_METHOD_PETO, 2, 0.95, &e), 0);
    assert_close(d.group[0].fit.estimate, -1.479197661390233, 1e-12);
    assert_close(d.group[0].fit.ci_lb, -2.544558822621125, 1e-12);
    assert_close(d.group[0].fit.ci_ub, -0.413836500159341, 1e-12);
    harms_free(&d);
    assert_int_equal(load(skin, &d, &e), 0);
    assert_int_equal(harms_pool(&d, MSYN_METHOD_REML, 2, 0.95, &e), 0);
    assert_close(d.group[0].fit.estimate, -1.594530640023859, 1e-9);
    assert_close(d.group[0].fit.ci_lb, -2.940173232916247, 1e-9);
    assert_close(d.group[0].fit.ci_ub, -0.248888047131471, 1e-9);
    assert_close_abs(d.group[0].fit.tau2, 0, 1e-12);
    harms_free(&d);
}

static void bad(const char *csv, const char *want)
{
    harms_data d;
    app_err e = {0, ""};
    assert_int_equal(load(csv, &d, &e), -1);
    assert_int_equal(e.code, APP_EXIT_DATA);
    if (!strstr(e.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, want);
    harms_free(&d);
}

static void test_bad_input(void **state)
{
    (void)state;
    bad(HEAD "A,yes,bleeding,serious,5,4,0,4\n", "h.csv:2:5: ai = 5 is larger than n1i = 4");
    bad(HEAD "A,yes,bleeding,serious,1,4,-1,4\n", "h.csv:2:7: ci is negative");
    bad(HEAD "A,yes,bleeding,major,1,4,1,4\n", "h.csv:2:4: severity is 'major'");
    bad(HEAD "A,none,,,2,4,0,4\n", "h.csv:2:5: reported=none with ai = 2; contradictory");
    bad(HEAD "A,none,,,,4,,4\nA,yes,bleeding,minor,1,4,0,4\n", "h.csv:3:2: study 'A' has reported=none (line 2) and 'bleeding' with events (line 3)");
    bad(HEAD "A,no,,,,,,\nA,yes,bleeding,minor,1,4,0,4\n", "h.csv:3:2: study 'A' has reported=no (line 2)");
    bad(HEAD "A,yes,bleeding,minor,1,4,,4\n", "h.csv:2:7: ci is missing while other counts are given");
    bad(HEAD "A,maybe,bleeding,minor,1,4,0,4\n", "h.csv:2:2: reported is 'maybe'");
    bad(HEAD "A,yes,bleeding,minor,1.5,4,0,4\n", "h.csv:2:5: ai is not a whole number");
    bad(HEAD "A,yes,,minor,1,4,0,4\n", "h.csv:2:3: reported=yes without an event");
    bad(HEAD "A,yes,Bleeding,minor,1,4,0,4\nA,yes,bleeding,mild,0,4,0,4\n", "h.csv:3:3: study 'A' has 'Bleeding' (minor) twice (line 2)");
    bad(HEAD "A,no,,,,4,,\n", "h.csv:2:6: reported=no with n1i given");
    bad("study,event\nA,x\n", "h.csv:1:1: no column 'reported'");
}

/* Markdown/HTML escaping comes from the report writer. */
static void test_doc(void **state)
{
    harms_data d;
    app_err e = {0, ""};
    harms_report_opts ro = {MSYN_METHOD_MH, 2, 0.95, 2};
    sbuf o;
    (void)state;
    assert_int_equal(load(HEAD "<b>A</b>,yes,a|b,minor,1,4,0,4\n", &d, &e), 0);
    assert_int_equal(harms_pool(&d, MSYN_METHOD_MH, 2, 0.95, &e), 0);
    sb_init(&o);
    assert_int_equal(harms_report_doc(&d, &ro, 1, &o), 0);
    assert_non_null(strstr(o.p, "&lt;b&gt;A&lt;/b&gt;"));
    assert_null(strstr(o.p, "<b>"));
    sb_free(&o);
    sb_init(&o);
    assert_int_equal(harms_report_doc(&d, &ro, 0, &o), 0);
    assert_non_null(strstr(o.p, "a\\|b"));
    sb_free(&o);
    harms_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_severity), cmocka_unit_test(test_classify),
        cmocka_unit_test(test_mh_rr),    cmocka_unit_test(test_peto),
        cmocka_unit_test(test_metafor),  cmocka_unit_test(test_any_row),
        cmocka_unit_test(test_bad_input), cmocka_unit_test(test_doc),
    };
    RUN_TESTS(tests);
}
