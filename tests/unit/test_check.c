/* test_check.c - data checks before pooling (app/check*.c): every rule
 * finds its true case and leaves a clean look-alike alone. */
#include "check.h"
#include "test.h"

/* Run the check on csv; returns the findings (caller frees). */
static void run(const char *csv, const app_check_opts *o, app_findings *l)
{
    app_table t;
    app_err e = {0, ""};
    memset(l, 0, sizeof *l);
    if (app_table_parse("t.csv", csv, strlen(csv), &t, &e) != 0)
        fail_msg("parse: %s", e.msg);
    if (app_check_table(&t, o, l, &e) != 0)
        fail_msg("check: %s", e.msg);
    app_table_free(&t);
}

static app_check_opts opts(const char *measure)
{
    app_check_opts o;
    app_check_opts_default(&o);
    o.measure_name = measure;
    return o;
}

/* Number of findings with code on line (line 0: any line). */
static size_t count(const app_findings *l, const char *code, long line)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += strcmp(l->f[i].code, code) == 0 && (line == 0 || l->f[i].line == line);
    return n;
}

/* The one finding with code; fails unless there is exactly one. */
static const app_finding *only(const app_findings *l, const char *code)
{
    const app_finding *f = NULL;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->f[i].code, code) == 0) {
            if (f)
                fail_msg("more than one %s", code);
            f = &l->f[i];
        }
    if (!f)
        fail_msg("no %s", code);
    return f;
}

/* csv must give exactly `code` on `line` once (when line > 0) and a
 * look-alike nothing at all (no finding of any severity). */
static void pair(const char *measure, const char *bad, const char *code, long line, const char *clean)
{
    app_check_opts o = opts(measure);
    app_findings l;
    run(bad, &o, &l);
    if (count(&l, code, line) != 1) {
        for (size_t i = 0; i < l.n; i++)
            print_error("  %ld %s: %s\n", l.f[i].line, l.f[i].code, l.f[i].message);
        fail_msg("%s on line %ld: found %zu times", code, line, count(&l, code, line));
    }
    app_findings_free(&l);
    run(clean, &o, &l);
    if (l.n != 0)
        fail_msg("clean look-alike of %s: %zu findings, first %s: %s", code, l.n, l.f[0].code, l.f[0].message);
    app_findings_free(&l);
}

#define CONT "study,n1i,m1i,sd1i,n2i,m2i,sd2i\n"
#define TAB "study,ai,bi,ci,di\n"

static void test_counts(void **state)
{
    (void)state;
    pair("OR", "study,ai,n1i,ci,n2i\nA,12,10,1,10\n", "events-exceed-n", 2, "study,ai,n1i,ci,n2i\nA,10,10,1,10\n");
    pair("OR", TAB "A,-1,10,1,10\n", "negative-count", 2, TAB "A,0,10,1,10\n");
    pair("OR", TAB "A,2.5,10,1,10\n", "non-integer-count", 2, TAB "A,2.0,10,1,10\n");
    pair("MD", CONT "A,1,5,1,10,4,1\nB,10,5,1,10,4,1\n", "n-too-small", 2, CONT "A,2,5,1,10,4,1\nB,10,5,1,10,4,1\n");
    pair("OR", "study,ai,bi,ci,di,n1i,n2i\nA,4,119,11,128,125,139\n", "table-arm-mismatch", 2,
         "study,ai,bi,ci,di,n1i,n2i\nA,4,119,11,128,123,139\n");
    pair("PR", "study,xi,ni\nA,45,40\n", "events-exceed-n", 2, "study,xi,ni\nA,40,40\n");
}

static void test_totals(void **state)
{
    const app_finding *f;
    app_check_opts o = opts("OR");
    app_findings l;
    (void)state;
    /* "341 patients: 170 conservative and 181 surgical" */
    pair("OR", "study,ai,n1i,ci,n2i,total\nX 2008,23,170,31,181,341\n", "arms-not-total", 2,
         "study,ai,n1i,ci,n2i,total\nX 2008,23,170,31,171,341\n");
    run("study,ai,n1i,ci,n2i,total\nX 2008,23,170,31,181,341\n", &o, &l);
    f = only(&l, "arms-not-total");
    assert_int_equal(f->severity, CHECK_WARNING);
    assert_string_equal(f->column, "total");
    assert_int_equal(f->column_index, 6);
    assert_string_equal(f->study, "X 2008");
    assert_non_null(strstr(f->message, "170 + 181 = 351, more than total = 341"));
    app_findings_free(&l);
    /* ni in a two-group file is a total, too */
    pair("MD", "study,n1i,m1i,sd1i,n2i,m2i,sd2i,ni\nA,10,5,1,10,4,1,25\n", "arms-not-total", 2,
         "study,n1i,m1i,sd1i,n2i,m2i,sd2i,ni\nA,10,5,1,10,4,1,20\n");
}

static void test_positive(void **state)
{
    (void)state;
    pair("MD", CONT "A,10,5,0,10,4,1\n", "sd-not-positive", 2, CONT "A,10,5,0.1,10,4,1\n");
    pair("MD", CONT "A,10,5,1,10,4,-2.1\n", "sd-not-positive", 2, CONT "A,10,5,1,10,4,2.1\n");
    pair("GEN", "study,yi,sei\nA,0.1,0\n", "se-not-positive", 2, "study,yi,sei\nA,0.1,0.01\n");
    pair("GEN", "study,yi,vi\nA,0.1,-0.02\n", "variance-not-positive", 2, "study,yi,vi\nA,-0.1,0.02\n");
    pair("IRR", "study,x1i,t1i,x2i,t2i\nA,3,0,4,100\n", "person-time-not-positive", 2,
         "study,x1i,t1i,x2i,t2i\nA,3,90.5,4,100\n");
    pair("COR", "study,ri,ni\nA,-1.2,50\n", "correlation-out-of-range", 2, "study,ri,ni\nA,-1,50\n");
    pair("ZCOR", "study,ri,ni\nA,1,50\n", "correlation-out-of-range", 2, "study,ri,ni\nA,0.99,50\n");
    pair("ZCOR", "study,ri,ni\nA,0.3,3\n", "n-too-small", 2, "study,ri,ni\nA,0.3,4\n");
}

static void test_cells(void **state)
{
    const app_finding *f;
    app_check_opts o = opts(NULL);
    app_findings l;
    (void)state;
    pair("GEN", "study,yi,vi\nA,0.1,abc\n", "not-a-number", 2, "study,yi,vi\nA,0.1,0.2\n");
    run("study,yi,vi\nA,0.1,abc\nB,0.2,\n", &o, &l);
    f = only(&l, "not-a-number");
    assert_int_equal(f->severity, CHECK_ERROR);
    assert_string_equal(f->message, "vi: \"abc\" is not a number");
    f = only(&l, "missing-value"); /* B only: A has its error already */
    assert_int_equal(f->line, 3);
    assert_int_equal(f->severity, CHECK_HINT);
    assert_string_equal(f->message, "no value for vi (or sei, or ci_lb and ci_ub): the study will be left out of the analysis");
    assert_string_equal(l.data, "reported estimates");
    assert_null(l.measure);
    assert_int_equal(l.studies, 2);
    app_findings_free(&l);
    /* every finding of the file, not only the first */
    run(TAB "A,-1,10,1,10\nB,2.5,10,1,10\nC,x,1,1,1\n", &o, &l);
    assert_int_equal(app_findings_count(&l, CHECK_ERROR), 3);
    assert_int_equal(l.f[0].line, 2);
    assert_int_equal(l.f[2].line, 4);
    app_findings_free(&l);
}

static void test_cis(void **state)
{
    app_check_opts o = opts("OR");
    app_findings l;
    const app_finding *f;
    (void)state;
    o.natural = 1;
    /* Hackshaw: 1.18 (0.90 to 1.54) is symmetric on the log scale within rounding */
    run("study,yi,ci_lb,ci_ub\nA,1.18,0.90,1.54\nB,1.30,0.95,2.40\nC,0.85,0.90,1.60\nD,1.2,1.5,0.8\nE,-1,0.5,2\n", &o, &l);
    assert_int_equal(count(&l, "ci-asymmetric", 0), 1);
    assert_int_equal(count(&l, "ci-asymmetric", 3), 1);
    assert_int_equal(count(&l, "estimate-outside-ci", 4), 1);
    assert_int_equal(count(&l, "ci-reversed", 5), 1);
    assert_int_equal(count(&l, "ratio-not-positive", 6), 1);
    assert_int_equal(l.n, 4);
    f = only(&l, "ci-asymmetric");
    assert_non_null(strstr(f->message, "not symmetric on the log scale"));
    assert_non_null(strstr(f->message, "implies an upper one of 1.779"));
    app_findings_free(&l);
    /* linear scale for MD; 0.5 (0.1 to 0.9) fine, 0.5 (0.1 to 1.0) not */
    pair("GEN", "study,yi,ci_lb,ci_ub\nA,0.50,0.10,1.00\n", "ci-asymmetric", 2, "study,yi,ci_lb,ci_ub\nA,0.50,0.10,0.90\n");
    /* with one decimal, 0.5 (0.1 to 1.0) may be 0.54 (0.05 to 1.04): rounding */
    pair("GEN", "study,yi,ci_lb,ci_ub\nA,0.5,0.1,1.2\n", "ci-asymmetric", 2, "study,yi,ci_lb,ci_ub\nA,0.5,0.1,1.0\n");
    /* 0.50 (0.14 to 0.87): 0.36 below, 0.37 above, within rounding to 2 decimals */
    pair("GEN", "study,yi,ci_lb,ci_ub\nA,0.50,0.10,0.87\n", "ci-asymmetric", 2, "study,yi,ci_lb,ci_ub\nA,0.50,0.14,0.87\n");
    /* a CI against a reported SE: 0.5 +- 1.96 x 0.2 = 0.108 to 0.892 */
    pair("GEN", "study,yi,sei,ci_lb,ci_ub\nA,0.50,0.25,0.11,0.89\n", "ci-se-mismatch", 2,
         "study,yi,sei,ci_lb,ci_ub\nA,0.50,0.20,0.11,0.89\n");
    o = opts("GEN");
    o.ci_level = 0.90; /* 0.5 +- 1.645 x 0.2 = 0.171 to 0.829 */
    run("study,yi,sei,ci_lb,ci_ub\nA,0.50,0.20,0.17,0.83\n", &o, &l);
    assert_int_equal(l.n, 0);
    app_findings_free(&l);
    o.ci_level = 0;
    run("study,yi,sei,ci_lb,ci_ub\nA,0.50,0.20,0.17,0.83\n", &o, &l);
    assert_int_equal(count(&l, "ci-se-mismatch", 2), 1);
    assert_string_equal(l.f[0].message, "sei = 0.20 gives SE = 0.2000, but the 95% CI 0.17 to 0.83 implies SE = 0.1684: one of them is mistyped, or the CI has another level (--ci-level) or was not computed as estimate +- z SE");
    app_findings_free(&l);
    /* ratios given without --scale natural */
    pair("OR", "study,yi,ci_lb,ci_ub\nA,1.18,0.90,1.54\n", "ci-natural-scale", 2, "study,yi,ci_lb,ci_ub\nA,0.17,-0.11,0.45\n");
    /* group-mean CIs: estimate outside */
    pair("MD", "study,n1i,m1i,lb1i,ub1i,n2i,m2i,sd2i\nA,20,5.0,5.5,6.1,20,4,1\n", "estimate-outside-ci", 2,
         "study,n1i,m1i,lb1i,ub1i,n2i,m2i,sd2i\nA,20,5.8,5.5,6.1,20,4,1\n");
}

static void test_quantiles(void **state)
{
    (void)state;
#define MED "study,n1i,med1i,q1_1i,q3_1i,min1i,max1i,sd1i,n2i,m2i,sd2i\n"
    pair("MD", MED "A,40,12,15,9,1,30,,41,14,5\n", "quantiles-out-of-order", 2, MED "A,40,12,9,15,1,30,,41,14,5\n");
    pair("MD", MED "A,40,12,8,16,13,30,,41,14,5\n", "quantiles-out-of-order", 2, MED "A,40,12,8,16,2,30,,41,14,5\n");
    /* n = 20 values in 0..20 (-0.5..20.5 with rounding): SD at most 10.5 sqrt(20/19) = 10.77 */
    pair("MD", MED "A,20,10,7,14,0,20,11.0,21,14,5\n", "sd-exceeds-range", 2, MED "A,20,10,7,14,0,20,10.7,21,14,5\n");
    pair("MD", "study,n1i,m1i,min1i,max1i,sd1i,n2i,m2i,sd2i\nA,20,31,0,30,5,21,25,5\n", "mean-outside-range", 2,
         "study,n1i,m1i,min1i,max1i,sd1i,n2i,m2i,sd2i\nA,20,29,0,30,5,21,25,5\n");
}

static void test_grim(void **state)
{
    app_check_opts o = opts("MD");
    app_findings l;
    (void)state;
    o.granularity = 1;
    /* 3.48 with n = 17: 59/17 = 3.4706, 60/17 = 3.5294 */
    run(CONT "A,17,3.48,1.1,18,3.11,1.05\nB,17,3.47,1.1,18,3.11,1.05\nC,150,3.48,1.1,148,3.12,1.1\n", &o, &l);
    assert_int_equal(l.n, 1);
    assert_int_equal(count(&l, "grim-inconsistent", 2), 1);
    assert_non_null(strstr(l.f[0].message, "3.471 and 3.529"));
    app_findings_free(&l);
    /* trailing zeros count: 3.50 with n = 17 has 2 decimals (impossible), 3.5 has 1 (possible) */
    run(CONT "A,17,3.50,1.1,18,3.11,1.05\nB,17,3.5,1.2,18,3.11,1.05\n", &o, &l);
    assert_int_equal(count(&l, "grim-inconsistent", 2), 1);
    assert_int_equal(l.n, 1);
    app_findings_free(&l);
    /* a 7-item scale: steps of 1/7; 3.48 = 414/119 rounds right with n = 17 */
    o.granularity = 1.0 / 7;
    run(CONT "A,17,3.48,1.1,18,3.11,1.05\n", &o, &l);
    assert_int_equal(l.n, 0);
    app_findings_free(&l);
    /* off without a granularity; a column granularity counts */
    o.granularity = nan("");
    run(CONT "A,17,3.48,1.1,18,3.11,1.05\n", &o, &l);
    assert_int_equal(l.n, 0);
    app_findings_free(&l);
    run("study,n1i,m1i,sd1i,n2i,m2i,sd2i,granularity\nA,17,3.48,1.1,18,3.11,1.05,1\n", &o, &l);
    assert_int_equal(count(&l, "grim-inconsistent", 2), 1);
    app_findings_free(&l);
}

/* A 6-study VAS pain MD analysis. */
#define VAS CONT "Andersen 2011,45,38.2,21.4,44,47.9,22.8\nBaker 2013,60,41.0,19.7,58,49.5,20.3\n" \
    "Dubois 2015,38,44.3,23.0,40,51.2,24.1\nEvans 2017,120,39.8,18.9,118,46.0,19.5\n"

static void test_sd_se(void **state)
{
    app_check_opts o = opts("MD");
    app_findings l;
    (void)state;
    pair("MD", VAS "Chen 2014,92,35.6,1.2,90,44.1,12.3\n", "sd-probably-se", 6, VAS "Chen 2014,92,35.6,11.2,90,44.1,12.3\n");
    run(VAS "Chen 2014,92,35.6,1.2,90,44.1,1.3\n", &o, &l);
    assert_int_equal(l.n, 2); /* both arms */
    assert_string_equal(l.f[0].message,
                        "sd1i = 1.2 is less than a fifth of the other studies' median SD 20.85: is it a standard error? If so, SD = SE x sqrt(92) = 11.51");
    assert_string_equal(l.f[1].column, "sd2i");
    app_findings_free(&l);
    /* about SD / sqrt(n) of the others */
    run(VAS "Chen 2014,16,35.6,5.3,16,44.1,5.1\n", &o, &l);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.f[0].message,
                        "sd1i = 5.3 is about the other studies' median SD 20.85 / sqrt(16) = 5.213: is it a standard error? If so, SD = SE x sqrt(16) = 21.20");
    app_findings_free(&l);
    /* one arm only, the other a normal SD: not between studies (one arm alone is the within-study rule) */
    run(VAS "Chen 2014,92,35.6,4.0,90,44.1,9.0\n", &o, &l);
    assert_int_equal(l.n, 0);
    app_findings_free(&l);
    /* within a study: sd2i = sd1i / sqrt(n2i) */
    pair("MD", CONT "A,84,22.4,10.2,85,25.9,1.1\n", "sd-probably-se", 2, CONT "A,84,22.4,10.2,85,25.9,6.5\n");
    /* small values throughout (SD relative to the mean as the others'): not an SE */
    o = opts("MD");
    run(VAS "Fischer 2019,52,4.1,2.2,50,5.0,2.3\n", &o, &l);
    assert_int_equal(count(&l, "sd-probably-se", 0), 0);
    assert_int_equal(count(&l, "scale-mismatch", 6), 1);
    app_findings_free(&l);
    /* SMD may mix scales: no between-study rule */
    o = opts("SMD");
    run(VAS "Chen 2014,92,35.6,1.2,90,44.1,1.3\n", &o, &l);
    assert_int_equal(count(&l, "sd-probably-se", 0), 0);
    assert_int_equal(count(&l, "smd-large", 6), 1);
    app_findings_free(&l);
}

static void test_scale(void **state)
{
    app_check_opts o = opts(NULL);
    app_findings l;
    const app_finding *f;
    (void)state;
    pair("MD", VAS "Fischer 2019,52,4.1,2.2,50,5.0,2.3\n", "scale-mismatch", 6, VAS "Fischer 2019,52,41,22,50,50,23\n");
    run(VAS "Fischer 2019,52,4.1,2.2,50,5.0,2.3\n", &o, &l); /* measure not given: a hint */
    f = only(&l, "scale-mismatch");
    assert_int_equal(f->severity, CHECK_HINT);
    assert_non_null(strstr(f->message, "about 10 times smaller"));
    assert_non_null(strstr(f->message, "multiply its means and SDs by 10"));
    app_findings_free(&l);
    /* two studies of six on 0-10 */
    o = opts("MD");
    run(VAS "Fischer 2019,52,4.1,2.2,50,5.0,2.3\nGupta 2020,30,3.9,2.0,30,4.8,2.1\n", &o, &l);
    assert_int_equal(count(&l, "scale-mismatch", 0), 2);
    app_findings_free(&l);
    /* --by: separate outcomes are not compared */
    o.group_col = "outcome";
    run("outcome,study,n1i,m1i,sd1i,n2i,m2i,sd2i\npain,A,45,38.2,21.4,44,47.9,22.8\npain,B,60,41,19.7,58,49.5,20.3\n"
        "pain,C,38,44.3,23,40,51.2,24.1\nfunction,D,52,4.1,2.2,50,5,2.3\nfunction,E,30,3.9,2,30,4.8,2.1\n"
        "function,F,30,4.2,2.1,30,4.9,2.2\n", &o, &l);
    assert_int_equal(l.n, 0);
    app_findings_free(&l);
}

static void test_duplicates(void **state)
{
    (void)state;
    pair("OR", TAB "A 2001,4,119,11,128\nB 2003,6,300,29,274\nB 2003,6,300,29,274\n", "duplicate-study", 4,
         TAB "A 2001,4,119,11,128\nB 2003,6,300,29,274\nC 2005,6,300,29,275\n");
    pair("OR", TAB "A 2001,4,119,11,128\nB 2003,4,119,11,128\n", "duplicate-row", 3,
         TAB "A 2001,4,119,11,128\nB 2003,4,119,12,128\n");
}

static void test_shared_control(void **state)
{
    app_check_opts o = opts("MD");
    app_findings l;
    const app_finding *f;
    (void)state;
    pair("MD", CONT "Garcia 2012a,30,12.1,4.0,31,15.2,4.4\nGarcia 2012b,29,13.5,4.2,31,15.2,4.4\n", "shared-control", 3,
         CONT "Garcia 2012a,30,12.1,4.0,16,15.2,4.4\nGarcia 2012b,29,13.5,4.2,15,15.2,4.4\n");
    /* same control data but different studies: coincidence, not flagged */
    run(CONT "Garcia 2012,30,12.1,4.0,31,15.2,4.4\nHuber 2013,29,13.5,4.2,31,15.2,4.4\n", &o, &l);
    assert_int_equal(l.n, 0);
    app_findings_free(&l);
    /* labels with the arm in words; three comparisons */
    run(CONT "Ito 2016 (low dose),30,12.1,4.0,31,15.2,4.4\nIto 2016 (mid dose),29,13.5,4.2,31,15.2,4.4\n"
             "Ito 2016 (high dose),29,14.5,4.2,31,15.2,4.4\n", &o, &l);
    assert_int_equal(count(&l, "shared-control", 0), 2);
    f = &l.f[1];
    assert_non_null(strstr(f->message, "Ito 2016 (high dose) shares its control group with Ito 2016 (low dose) (line 2)"));
    assert_non_null(strstr(f->message, "counts the control participants 3 times"));
    assert_non_null(strstr(f->message, "Cochrane Handbook 23.3.4"));
    app_findings_free(&l);
    o = opts("RR");
    run("study,ai,n1i,ci,n2i\nLee 2001a,3,40,9,41\nLee 2001b,5,38,9,41\n", &o, &l);
    assert_int_equal(count(&l, "shared-control", 3), 1);
    app_findings_free(&l);
}

static void test_smd_score(void **state)
{
    app_check_opts o = opts("SMD");
    app_findings l;
    (void)state;
    pair("MD", CONT "A,30,30.0,8.0,30,10.0,8.5\n", "smd-large", 2, CONT "A,30,24.0,8.0,30,10.0,7.0\n");
    pair("SMD", "study,yi,vi\nA,-2.4,0.1\n", "smd-large", 2, "study,yi,vi\nA,-1.9,0.1\n");
    run("study,n1i,m1i,sd1i,n2i,m2i,sd2i,score\nA,30,24,8,30,10,7,final\nB,40,-6.2,5.1,40,-1,4.8,change\n", &o, &l);
    assert_int_equal(count(&l, "score-mixed-smd", 3), 1);
    assert_int_equal(l.n, 1);
    app_findings_free(&l);
    o = opts("MD"); /* MD may mix them */
    run("study,n1i,m1i,sd1i,n2i,m2i,sd2i,score\nA,30,24,8,30,10,7,final\nB,40,-6.2,5.1,40,-1,4.8,change\n", &o, &l);
    assert_int_equal(l.n, 0);
    app_findings_free(&l);
    run("study,n1i,m1i,sd1i,n2i,m2i,sd2i,score\nA,30,24,8,30,10,7,baseline\n", &o, &l);
    assert_int_equal(count(&l, "bad-score", 2), 1);
    app_findings_free(&l);
}

static void test_header(void **state)
{
    app_check_opts o = opts(NULL);
    app_findings l;
    app_table t;
    app_err e = {0, ""};
    const char *csv = "id,name\n1,x\n";
    (void)state;
    run("study,yi,vi,vi\nA,0.1,0.02,0.03\n", &o, &l);
    assert_int_equal(count(&l, "duplicate-column", 1), 1);
    app_findings_free(&l);
    run(csv, &o, &l);
    assert_int_equal(count(&l, "no-study-columns", 1), 1);
    assert_null(l.f[0].study);
    assert_int_equal(l.f[0].column_index, 0);
    app_findings_free(&l);
    run("study,yi,vi\n", &o, &l);
    assert_int_equal(count(&l, "no-study-rows", 1), 1);
    app_findings_free(&l);
    o = opts("MD");
    run(TAB "A,1,2,3,4\n", &o, &l);
    assert_int_equal(count(&l, "missing-columns", 1), 1);
    app_findings_free(&l);
    /* a measure libmetasyn knows, by enum */
    app_check_opts_default(&o);
    o.measure_set = 1;
    o.measure = MSYN_MEASURE_RR;
    run(TAB "A,1,2,3,4\n", &o, &l);
    assert_string_equal(l.measure, "RR");
    assert_int_equal(l.n, 0);
    app_findings_free(&l);
    /* --study that names no column: a failure to run */
    o.study_col = "trial";
    assert_int_equal(app_table_parse("t.csv", TAB "A,1,2,3,4\n", strlen(TAB "A,1,2,3,4\n"), &t, &e), 0);
    memset(&l, 0, sizeof l);
    assert_int_equal(app_check_table(&t, &o, &l, &e), -1);
    assert_int_equal(e.code, APP_EXIT_USAGE);
    assert_string_equal(e.msg, "t.csv: --study trial: no such column");
    app_findings_free(&l);
    app_table_free(&t);
    assert_int_equal(app_check_measure_known("irr"), 1);
    assert_int_equal(app_check_measure_known("XYZ"), 0);
}

static void test_reports(void **state)
{
    app_check_opts o = opts("OR");
    app_findings l;
    sbuf b;
    (void)state;
    run(TAB "A,-1,10,1,10\nB,2,10,1,10\nB,2,10,1,10\nC,,1,1,1\n", &o, &l);
    sb_init(&b);
    assert_int_equal(app_check_text("t.csv", &l, &b), 0);
    assert_string_equal(b.p,
                        "t.csv:2:2: error: ai = -1: a number of events cannot be negative\n"
                        "t.csv:4: warning: B appears twice with identical data (lines 3 and 4): remove one, or it counts twice\n"
                        "t.csv:5:2: hint: no value for ai: the study will be left out of the analysis\n"
                        "1 error, 1 warning, 1 hint in 4 studies\n");
    sb_free(&b);
    sb_init(&b);
    assert_int_equal(app_check_json("t.csv", &l, &b), 0);
    assert_non_null(strstr(b.p, "\"code\": \"negative-count\""));
    assert_non_null(strstr(b.p, "\"column\": null,\n      \"column_index\": null"));
    assert_non_null(strstr(b.p, "\"counts\": {\n    \"error\": 1,\n    \"warning\": 1,\n    \"hint\": 1\n  }"));
    sb_free(&b);
    app_findings_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),     cmocka_unit_test(test_totals),
        cmocka_unit_test(test_positive),   cmocka_unit_test(test_cells),
        cmocka_unit_test(test_cis),        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_grim),       cmocka_unit_test(test_sd_se),
        cmocka_unit_test(test_scale),      cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_shared_control), cmocka_unit_test(test_smd_score),
        cmocka_unit_test(test_header),     cmocka_unit_test(test_reports),
    };
    RUN_TESTS(tests);
}
