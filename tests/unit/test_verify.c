/*
 * test_verify.c - `metasyn verify`: rounding intervals, the consistency
 * checks, the SE on the log scale, and every text pattern in English and
 * Dutch (app/verify.c, app/verify_text.c, app/verify_tok.c).
 */
#include "test.h"

#include <stdlib.h>

#include "app.h"
#include "verify.h"

static vf_num num(const char *s)
{
    vf_num n;
    const char *why;
    memset(&n, 0, sizeof n);
    if (vf_parse_num(s, &n, &why) != 0)
        fail_msg("vf_parse_num(%s): %s", s, why);
    return n;
}

static const vf_check *find(const vf_result *r, const char *name)
{
    for (size_t i = 0; i < r->nchecks; i++)
        if (strcmp(r->check[i].name, name) == 0)
            return &r->check[i];
    fail_msg("no check %s", name);
    return NULL;
}

static vf_status status(const vf_result *r, const char *name)
{
    return find(r, name)->status;
}

static void run(const vf_input *in, vf_result *r)
{
    char why[300];
    if (vf_verify(in, r, why, sizeof why) != 0)
        fail_msg("vf_verify: %s", why);
}

/* ---- rounding intervals ------------------------------------------------- */

static void test_rounding(void **state)
{
    vf_num n;
    (void)state;
    n = num("0.004");
    assert_close(n.x, 0.004, EPS_REL(1));
    assert_int_equal(n.dec, 3);
    assert_close(n.lo, 0.0035, 1e-8);
    assert_close(n.hi, 0.0045, 1e-8);
    n = num("< .001");
    assert_int_equal(n.rel, VF_LT);
    vf_num_clip(&n, 0, 1);
    assert_true(n.lo == 0 && n.hi == 0.001);
    n = num("0.000");
    vf_num_clip(&n, 0, 1);
    assert_true(n.lo == 0);
    assert_close(n.hi, 0.0005, 1e-8);
    n = num("−0,47"); /* Unicode minus, decimal comma */
    assert_close(n.x, -0.47, EPS_REL(1));
    assert_close(n.lo, -0.475, 1e-8);
    n = num("57%");
    assert_close(n.hi, 57.5, 1e-8);
    n = num("1.2e-5");
    assert_close(n.x, 1.2e-5, EPS_REL(2));
    assert_close(n.hi, 1.25e-5, 1e-8);
    n = num(">=0.05");
    assert_int_equal(n.rel, VF_GE);
    assert_true(isinf(n.hi));
    {
        const char *why;
        assert_int_equal(vf_parse_num("NaN", &n, &why), -1);
        assert_int_equal(vf_parse_num("0.1.2", &n, &why), -1);
        assert_int_equal(vf_parse_num("", &n, &why), -1);
        assert_int_equal(vf_parse_num("1e999", &n, &why), -1);
    }
}

static void test_parse_ci(void **state)
{
    static const char *const forms[] = {"-0.47,-0.09",     "−0.47;−0.09",   "[−0.47; −0.09]",
                                        "(−0.47, −0.09)",  "−0.47 to −0.09", "−0,47 tot −0,09",
                                        "-0,47,-0,09",     "–0.47 – –0.09",  "(−0.47 − −0.09)"};
    vf_num lo, hi;
    const char *why;
    (void)state;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        memset(&lo, 0, sizeof lo), memset(&hi, 0, sizeof hi);
        if (vf_parse_ci(forms[i], &lo, &hi, &why) != 0)
            fail_msg("%s: %s", forms[i], why);
        assert_close(lo.x, -0.47, EPS_REL(1));
        assert_close(hi.x, -0.09, EPS_REL(1));
        assert_int_equal(hi.dec, 2);
    }
    assert_int_equal(vf_parse_ci("1,2", &lo, &hi, &why), 0);
    assert_true(lo.x == 1 && hi.x == 2);
    assert_int_equal(vf_parse_ci("1.10-2.10", &lo, &hi, &why), 0);
    assert_true(lo.x == 1.1 && hi.x == 2.1);
    assert_int_equal(vf_parse_ci("1.1", &lo, &hi, &why), -1);
    assert_int_equal(vf_parse_ci("1 to 2 to 3", &lo, &hi, &why), -1);
    assert_int_equal(vf_parse_ci("a,b", &lo, &hi, &why), -1);
}

/* ---- the checks ------------------------------------------------------------- */

static void smd_example(vf_input *in, const char *p)
{
    vf_input_init(in);
    in->scale = vf_measure_scale("smd", &in->measure);
    in->est = num("-0.28");
    in->lo = num("-0.47");
    in->hi = num("-0.09");
    in->p = num(p);
    vf_num_clip(&in->p, 0, 1);
}

/* The worked example of docs/cli/verify.md. */
static void test_worked_example(void **state)
{
    vf_input in;
    vf_result r;
    (void)state;
    smd_example(&in, "0.004");
    run(&in, &r);
    assert_string_equal(in.measure, "SMD");
    assert_close(r.crit, 1.959963984540054, EPS_REL(4));
    assert_close(r.se.x, 0.38 / (2 * 1.959963984540054), EPS_REL(8));
    assert_close(r.se.x, 0.09694, 1e-4);
    assert_close(r.z.x, 2.888, 1e-3);
    assert_close(r.p.x, 0.00387, 1e-3);
    assert_close(r.p.x, msyn_pval_z(0.28 / r.se.x), EPS_REL(4));
    /* the box: SE from (-0.095 - -0.465) to (-0.085 - -0.475) over 2c */
    assert_close(r.se.lo, 0.370 / (2 * r.crit), 1e-8);
    assert_close(r.se.hi, 0.390 / (2 * r.crit), 1e-8);
    assert_close(r.p.lo, msyn_pval_z(0.285 / r.se.lo), 1e-8);
    assert_close(r.p.hi, msyn_pval_z(0.275 / r.se.hi), 1e-8);
    assert_int_equal(status(&r, "p_vs_ci"), VF_CONSISTENT);
    assert_int_equal(status(&r, "estimate_in_ci"), VF_CONSISTENT);
    assert_int_equal(status(&r, "ci_symmetry"), VF_CONSISTENT);
    assert_int_equal(status(&r, "p_vs_null"), VF_CONSISTENT);
    assert_int_equal(r.n_inconsistent, 0);
    assert_int_equal(vf_result_status(&r), VF_CONSISTENT);
    /* a p far off */
    smd_example(&in, "0.04");
    run(&in, &r);
    assert_int_equal(status(&r, "p_vs_ci"), VF_INCONSISTENT);
    assert_int_equal(vf_result_status(&r), VF_INCONSISTENT);
    /* p < .001 claims more than the CI gives (p >= 0.0025) */
    smd_example(&in, "<.001");
    run(&in, &r);
    assert_int_equal(status(&r, "p_vs_ci"), VF_INCONSISTENT);
    /* p = 0.000 likewise */
    smd_example(&in, "0.000");
    run(&in, &r);
    assert_int_equal(status(&r, "p_vs_ci"), VF_INCONSISTENT);
    /* and p = 0.06 contradicts a CI that excludes 0 */
    smd_example(&in, "0.06");
    run(&in, &r);
    assert_int_equal(status(&r, "p_vs_null"), VF_INCONSISTENT);
}

/* Consistent only because each number was rounded: the p recomputed from
 * the numbers as written lies outside the reported p's interval, but some
 * values inside the rounding intervals reproduce it. */
static void test_rounding_boundary(void **state)
{
    vf_input in;
    vf_result r;
    (void)state;
    vf_input_init(&in);
    in.scale = VF_SCALE_LINEAR;
    in.est = num("0.50"), in.lo = num("0.10"), in.hi = num("0.90");
    in.p = num("0.02");
    run(&in, &r);
    assert_close(r.p.x, 0.01429, 1e-3);
    assert_true(r.p.x < in.p.lo);          /* as written: off */
    assert_true(r.p.hi >= in.p.lo);        /* within rounding: possible */
    assert_int_equal(status(&r, "p_vs_ci"), VF_CONSISTENT);
    in.p = num("0.03");
    run(&in, &r);
    assert_int_equal(status(&r, "p_vs_ci"), VF_INCONSISTENT);
    /* symmetry: 2 x 0.50 against 0.10 + 0.93 is off by 0.03, more than the
     * rounding allows (0.01 on the left, 0.01 on the right) ... */
    in.p.set = 0;
    in.hi = num("0.93");
    run(&in, &r);
    assert_int_equal(status(&r, "ci_symmetry"), VF_INCONSISTENT);
    /* ... while 0.92 is just within it (a tie counts as consistent) */
    in.hi = num("0.92");
    run(&in, &r);
    assert_int_equal(status(&r, "ci_symmetry"), VF_CONSISTENT);
    /* estimate outside its CI */
    in.est = num("0.95");
    run(&in, &r);
    assert_int_equal(status(&r, "estimate_in_ci"), VF_INCONSISTENT);
}

static void test_log_scale(void **state)
{
    vf_input in;
    vf_result r;
    double se = (log(2.10) - log(1.10)) / (2 * 1.959963984540054);
    (void)state;
    vf_input_init(&in);
    in.scale = vf_measure_scale("OR", &in.measure);
    assert_int_equal(in.scale, VF_SCALE_LOG);
    in.est = num("1.52"), in.lo = num("1.10"), in.hi = num("2.10");
    in.p = num("0.01");
    run(&in, &r);
    assert_close(r.se.x, se, EPS_REL(16));
    assert_close(r.se.x, 0.164959, 1e-5);
    assert_close(r.yi.x, log(1.52), EPS_REL(2));
    assert_close(r.p.x, msyn_pval_z(log(1.52) / se), EPS_REL(16));
    assert_close(r.se.lo, (log(2.095) - log(1.105)) / (2 * r.crit), 1e-9);
    assert_close(r.se.hi, (log(2.105) - log(1.095)) / (2 * r.crit), 1e-9);
    assert_int_equal(status(&r, "ci_symmetry"), VF_CONSISTENT);
    assert_int_equal(status(&r, "p_vs_ci"), VF_CONSISTENT);
    /* the same numbers as a mean difference: not symmetric */
    in.scale = VF_SCALE_LINEAR, in.measure = "MD";
    run(&in, &r);
    assert_int_equal(status(&r, "ci_symmetry"), VF_INCONSISTENT);
    assert_non_null(strstr(find(&r, "ci_symmetry")->msg, "log scale: a ratio measure?"));
    /* not named: the log scale is found */
    in.scale = VF_SCALE_UNKNOWN, in.measure = NULL;
    run(&in, &r);
    assert_int_equal(r.scale, VF_SCALE_LOG);
    assert_true(r.scale_guessed);
    assert_int_equal(status(&r, "ci_symmetry"), VF_CONSISTENT);
    assert_non_null(strstr(find(&r, "ci_symmetry")->msg, "a ratio measure?"));
    /* a ratio must be > 0 */
    in.scale = VF_SCALE_LOG, in.est = num("-0.2");
    {
        char why[200];
        assert_int_equal(vf_verify(&in, &r, why, sizeof why), -1);
        assert_non_null(strstr(why, "must be > 0"));
    }
    /* t-based CI (HKSJ, 9 df): wider critical value */
    vf_input_init(&in);
    in.est = num("0.30"), in.lo = num("0.05"), in.hi = num("0.55");
    in.df = 9;
    run(&in, &r);
    assert_close(r.crit, 2.262157162798205, 1e-12);
    assert_close(r.p.x, msyn_pval_t(0.30 / (0.50 / (2 * r.crit)), 9), EPS_REL(16));
}

static void test_het_and_z(void **state)
{
    vf_input in;
    vf_result r;
    (void)state;
    vf_input_init(&in);
    in.q = num("9.30"), in.q_df = num("4"), in.q_p = num("0.05"), in.i2 = num("57");
    in.q_df.lo = in.q_df.hi = 4;
    run(&in, &r);
    assert_close(r.i2.x, 100 * (9.30 - 4) / 9.30, EPS_REL(4));
    assert_close(r.q_p.x, msyn_pval_chisq(9.30, 4), EPS_REL(1));
    assert_int_equal(status(&r, "i2_vs_q"), VF_CONSISTENT);
    assert_int_equal(status(&r, "q_vs_p"), VF_CONSISTENT);
    in.i2 = num("70");
    in.q_p = num("0.01");
    run(&in, &r);
    assert_int_equal(status(&r, "i2_vs_q"), VF_INCONSISTENT);
    assert_int_equal(status(&r, "q_vs_p"), VF_INCONSISTENT);
    /* Q below df: I² is truncated at 0 */
    in.q = num("3.2"), in.i2 = num("0"), in.q_p.set = 0;
    run(&in, &r);
    assert_int_equal(status(&r, "i2_vs_q"), VF_CONSISTENT);
    /* I² without Q: listed, not checked */
    vf_input_init(&in);
    in.i2 = num("57");
    run(&in, &r);
    assert_int_equal(status(&r, "i2_vs_q"), VF_NOT_CHECKED);
    assert_int_equal(vf_result_status(&r), VF_NOT_CHECKED);
    /* RevMan: Z = 2.89 (P = 0.004) */
    vf_input_init(&in);
    in.z = num("2.89"), in.p = num("0.004");
    run(&in, &r);
    assert_int_equal(status(&r, "z_vs_p"), VF_CONSISTENT);
    in.p = num("0.04");
    run(&in, &r);
    assert_int_equal(status(&r, "z_vs_p"), VF_INCONSISTENT);
    /* Z against estimate and CI */
    smd_example(&in, "0.004");
    in.z = num("2.89");
    run(&in, &r);
    assert_int_equal(status(&r, "z_vs_ci"), VF_CONSISTENT);
    in.z = num("3.50");
    run(&in, &r);
    assert_int_equal(status(&r, "z_vs_ci"), VF_INCONSISTENT);
}

static void test_totals_and_validation(void **state)
{
    vf_input in;
    vf_result r;
    char why[300];
    (void)state;
    vf_input_init(&in);
    vf_num_set(&in.total, 341, 0, VF_EQ);
    vf_num_set(&in.part[0], 170, 0, VF_EQ);
    vf_num_set(&in.part[1], 181, 0, VF_EQ);
    in.nparts = 2;
    run(&in, &r);
    assert_int_equal(status(&r, "total_parts"), VF_INCONSISTENT);
    assert_true(r.sum_parts == 351);
    vf_num_set(&in.part[1], 171, 0, VF_EQ);
    in.part_pct[0] = num("49.9");
    run(&in, &r);
    assert_int_equal(status(&r, "total_parts"), VF_CONSISTENT);
    assert_int_equal(status(&r, "part_percent"), VF_CONSISTENT);
    in.part_pct[0] = num("52");
    run(&in, &r);
    assert_int_equal(status(&r, "part_percent"), VF_INCONSISTENT);

    vf_input_init(&in);
    in.lo = num("0.5"), in.hi = num("0.4");
    assert_int_equal(vf_verify(&in, &r, why, sizeof why), -1);
    assert_non_null(strstr(why, "not below"));
    vf_input_init(&in);
    in.p = num("1.5");
    assert_int_equal(vf_verify(&in, &r, why, sizeof why), -1);
    vf_input_init(&in);
    in.i2 = num("120");
    assert_int_equal(vf_verify(&in, &r, why, sizeof why), -1);
    vf_input_init(&in);
    in.lo = num("0.5");
    assert_int_equal(vf_verify(&in, &r, why, sizeof why), -1);
}

/* ---- text --------------------------------------------------------------------- */

static void scan(const char *text, vf_doc *d)
{
    app_err e = {0, ""};
    if (vf_scan_text("t.txt", text, strlen(text), d, &e) != 0)
        fail_msg("vf_scan_text: %s", e.msg);
}

/* One statement of the given kind and status whose quote is want. */
static const vf_statement *one(const char *text, int kind, vf_status s, const char *want)
{
    static vf_doc d;
    vf_doc_free(&d);
    scan(text, &d);
    if (d.n != 1)
        fail_msg("%s: %zu statements, expected 1", text, d.n);
    assert_int_equal(d.st[0].kind, kind);
    assert_string_equal(d.st[0].text, want);
    if (vf_result_status(&d.st[0].res) != s)
        fail_msg("%s: status %s, expected %s", text, vf_status_name(vf_result_status(&d.st[0].res)),
                 vf_status_name(s));
    return &d.st[0];
}

static void test_text_effects(void **state)
{
    const vf_statement *st;
    (void)state;
    st = one("Pain fell (SMD −0.28 (95% CI −0.47 to −0.09; p = 0.004; I² = 57%)).", VF_KIND_EFFECT,
             VF_CONSISTENT, "SMD −0.28 (95% CI −0.47 to −0.09; p = 0.004; I² = 57%)");
    assert_string_equal(st->in.measure, "SMD");
    assert_close(st->in.est.x, -0.28, EPS_REL(1));
    assert_close(st->in.i2.x, 57, EPS_REL(1));
    assert_close(st->res.se.x, 0.0969406, 1e-5);
    assert_int_equal(st->line, 1);
    assert_int_equal(st->col, 12);
    /* Dutch, decimal commas, "van ... tot"; CI without an estimate */
    st = one("het verschil (95% BI van −0,47 tot −0,09)", VF_KIND_EFFECT, VF_NOT_CHECKED,
             "(95% BI van −0,47 tot −0,09)");
    assert_false(st->in.est.set);
    assert_close(st->in.lo.x, -0.47, EPS_REL(1));
    assert_true(st->res.yi_from_ci);
    assert_close(st->res.se.x, 0.0969406, 1e-5);
    st = one("x\nSMD −0.28 [−0.47; −0.09] y", VF_KIND_EFFECT, VF_CONSISTENT, "SMD −0.28 [−0.47; −0.09]");
    assert_int_equal(st->line, 2);
    assert_int_equal(st->col, 1);
    one("MD −0.28 (−0.47, −0.09).", VF_KIND_EFFECT, VF_CONSISTENT, "MD −0.28 (−0.47, −0.09)");
    one("SMD −0.28 (−0.47 − −0.09).", VF_KIND_EFFECT, VF_CONSISTENT, "SMD −0.28 (−0.47 − −0.09)");
    one("SMD –0.28 (–0.47 to –0.09)", VF_KIND_EFFECT, VF_CONSISTENT, "SMD –0.28 (–0.47 to –0.09)");
    st = one("odds ratio 1.52 (95% CI 1.10–2.10, p=0,004)", VF_KIND_EFFECT, VF_INCONSISTENT,
             "odds ratio 1.52 (95% CI 1.10–2.10, p=0,004)");
    assert_string_equal(st->in.measure, "OR");
    assert_int_equal(status(&st->res, "p_vs_ci"), VF_INCONSISTENT);
    st = one("De oddsratio was 1,52 (95%-BI 1,10 tot 2,10; p = 0,01).", VF_KIND_EFFECT, VF_CONSISTENT,
             "oddsratio was 1,52 (95%-BI 1,10 tot 2,10; p = 0,01)");
    assert_int_equal(st->res.scale, VF_SCALE_LOG);
    st = one("relatief risico 0,95 [0,80; 1,13]", VF_KIND_EFFECT, VF_CONSISTENT,
             "relatief risico 0,95 [0,80; 1,13]");
    assert_string_equal(st->in.measure, "RR");
    st = one("hazardratio 0,81 (0,70–0,94); p < .001", VF_KIND_EFFECT, VF_INCONSISTENT,
             "hazardratio 0,81 (0,70–0,94); p < .001");
    assert_int_equal(st->in.p.rel, VF_LT);
    st = one("HR 0.50 (95% CI 0.40 to 0.62, P<0.0001)", VF_KIND_EFFECT, VF_CONSISTENT,
             "HR 0.50 (95% CI 0.40 to 0.62, P<0.0001)");
    assert_true(st->in.p.hi == 0.0001);
    st = one("RR 0.95, 95% CI 0.80 to 1.13, I²= 0%", VF_KIND_EFFECT, VF_CONSISTENT,
             "RR 0.95, 95% CI 0.80 to 1.13, I²= 0%");
    assert_true(st->in.i2.set && st->in.i2.x == 0);
    st = one("MD −5.1 mmHg (95% CI −7.3 to −2.9; I2 = 57 %)", VF_KIND_EFFECT, VF_CONSISTENT,
             "MD −5.1 mmHg (95% CI −7.3 to −2.9; I2 = 57 %)");
    assert_close(st->in.i2.x, 57, EPS_REL(1));
    /* not named, symmetric only on the log scale */
    st = one("the estimate was 1.52 (95% CI 1.10 to 2.10)", VF_KIND_EFFECT, VF_CONSISTENT,
             "1.52 (95% CI 1.10 to 2.10)");
    assert_int_equal(st->res.scale, VF_SCALE_LOG);
    assert_non_null(strstr(find(&st->res, "ci_symmetry")->msg, "a ratio measure?"));
    /* a log hazard ratio labelled HR: the scale is left open, not an error */
    st = one("HR −0.22 (95% CI −0.41 to −0.03)", VF_KIND_EFFECT, VF_CONSISTENT,
             "HR −0.22 (95% CI −0.41 to −0.03)");
    assert_int_equal(st->res.scale, VF_SCALE_LINEAR);
    /* reversed bounds after a CI label */
    one("OR 1.52 (95% CI 2.10 to 1.10)", VF_KIND_EFFECT, VF_INCONSISTENT, "OR 1.52 (95% CI 2.10 to 1.10)");
    /* a 90% CI */
    st = one("MD 2.0 (90% CI 0.4 to 3.6)", VF_KIND_EFFECT, VF_CONSISTENT, "MD 2.0 (90% CI 0.4 to 3.6)");
    assert_close(st->in.level, 0.90, EPS_REL(1));
}

static void test_text_revman(void **state)
{
    const vf_statement *st;
    (void)state;
    st = one("Heterogeneity: Tau² = 0.04; Chi² = 9.30, df = 4 (P = 0.05); I² = 57%\r\n", VF_KIND_HET,
             VF_CONSISTENT, "Tau² = 0.04; Chi² = 9.30, df = 4 (P = 0.05); I² = 57%");
    assert_true(st->in.q_p.set && !st->in.p.set);
    assert_close(st->in.q_df.x, 4, EPS_REL(1));
    one("Heterogeneity: Chi² = 9.30, df = 4 (P = 0.05); I² = 75%", VF_KIND_HET, VF_INCONSISTENT,
        "Chi² = 9.30, df = 4 (P = 0.05); I² = 75%");
    one("Test for overall effect: Z = 2.89 (P = 0.004)", VF_KIND_OVERALL, VF_CONSISTENT,
        "Z = 2.89 (P = 0.004)");
    one("Test for overall effect: Z = 2.89 (P = 0.04)", VF_KIND_OVERALL, VF_INCONSISTENT,
        "Z = 2.89 (P = 0.04)");
    one("Q = 20.5, df = 9, p = 0.015, I2 = 56%", VF_KIND_HET, VF_CONSISTENT,
        "Q = 20.5, df = 9, p = 0.015, I2 = 56%");
    st = one("Total (95% CI)   1245  1230  100.0%  -0.28 [-0.47, -0.09]", VF_KIND_EFFECT,
             VF_CONSISTENT, "-0.28 [-0.47, -0.09]");
    assert_int_equal(st->col, 38);
}

static void test_text_totals(void **state)
{
    const vf_statement *st;
    (void)state;
    st = one("In all, 341 patients: 170 conservative and 181 surgical.", VF_KIND_TOTAL,
             VF_INCONSISTENT, "341 patients: 170 conservative and 181 surgical");
    assert_int_equal(st->in.nparts, 2);
    one("We included 341 patients, of whom 170 had surgery and 171 did not.", VF_KIND_TOTAL,
        VF_CONSISTENT, "341 patients, of whom 170 had surgery and 171 did not");
    one("Er werden 341 patiënten, van wie 170 conservatief en 181 chirurgisch, behandeld.",
        VF_KIND_TOTAL, VF_INCONSISTENT, "341 patiënten, van wie 170 conservatief en 181 chirurgisch");
    one("(n = 120 (60 vs 60))", VF_KIND_TOTAL, VF_CONSISTENT, "n = 120 (60 vs 60)");
    one("n = 120 (60 vs. 61)", VF_KIND_TOTAL, VF_INCONSISTENT, "n = 120 (60 vs. 61)");
    st = one("1,204 participants (598 intervention, 606 control)", VF_KIND_TOTAL, VF_CONSISTENT,
             "1,204 participants (598 intervention, 606 control)");
    assert_true(st->in.total.x == 1204);
    one("1.204 deelnemers (598 interventie, 606 controle)", VF_KIND_TOTAL, VF_CONSISTENT,
        "1.204 deelnemers (598 interventie, 606 controle)");
    st = one("120 participants: 60 (50%) in the exercise group and 60 (50%) in the control group.",
             VF_KIND_TOTAL, VF_CONSISTENT,
             "120 participants: 60 (50%) in the exercise group and 60 (50%) in the control group");
    assert_int_equal(status(&st->res, "part_percent"), VF_CONSISTENT);
}

/* Numbers that are not statistics are never findings. */
static void test_text_no_false_alarms(void **state)
{
    static const char *const texts[] = {
        "Between January 2015 and March 2019, 1,204 adults aged 18–65 years (mean age 47.3, SD 11.2)\n"
        "were enrolled at 12 sites (NCT01234567). Follow-up lasted 24 months (range 12-36).",
        "See Table 2 and references [4, 7–9]. Blood pressure fell from 142/91 to 135/86 mmHg.",
        "The trial was funded by grant 2016-04-123 (ZonMw, The Hague, 2016). Version 2.1 (2019-05-01).",
        "In 2017 (95% CI not reported) recruitment slowed; prevalence was 12% in 2019 (2018, 2020).",
        "We included 341 patients, of whom 170 were women and the mean age was 54 years.",
        "Van 1 januari 2015 tot 31 december 2019 includeerden wij 212 patiënten van 18 tot 80 jaar\n"
        "(gemiddelde leeftijd 61,5 jaar; SD 9,8) in 7 ziekenhuizen. Zie referenties [12–15].",
        "Either 0.5 or 1.2 (range 0.1 to 2.0) mg was given; p. 45-47; P2Y12 (n = 20).",
        "The 95% CI was computed with 1000 bootstrap samples; 95% of patients (n = 341) completed.",
    };
    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        vf_doc d;
        scan(texts[i], &d);
        if (d.n != 0)
            fail_msg("text %zu: unexpected statement '%s'", i, d.st[0].text);
        vf_doc_free(&d);
    }
}

static void test_text_encodings(void **state)
{
    /* Windows-1252: ë = 0xEB, en dash = 0x96; CRLF line ends */
    static const char cp[] = "Intro\r\n\r\n341 pati\xEBnten, van wie 170 en 171.\r\n"
                             "OR 1,52 (95% BI 1,10 \x96 2,10)\r\n";
    vf_doc d;
    app_err e = {0, ""};
    (void)state;
    assert_int_equal(vf_scan_text("cp.txt", cp, sizeof cp - 1, &d, &e), 0);
    assert_true(d.recoded);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.st[0].text, "341 patiënten, van wie 170 en 171");
    assert_int_equal(d.st[0].line, 3);
    assert_string_equal(d.st[1].text, "OR 1,52 (95% BI 1,10 – 2,10)");
    assert_int_equal(d.st[1].line, 4);
    assert_int_equal(vf_doc_inconsistent(&d), 0);
    vf_doc_free(&d);
    /* a UTF-8 byte-order mark does not shift the columns */
    scan("\xEF\xBB\xBFOR 1.52 (95% CI 1.10 to 2.10)", &d);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.st[0].col, 1);
    vf_doc_free(&d);
}

static void test_reports(void **state)
{
    vf_input in;
    vf_result r;
    sbuf b;
    (void)state;
    smd_example(&in, "0.004");
    run(&in, &r);
    sb_init(&b);
    assert_int_equal(vf_report_json(&in, &r, &b), 0);
    assert_non_null(strstr(b.p, "\"se_lb\""));
    assert_non_null(strstr(b.p, "\"consistent\": true"));
    assert_non_null(strstr(b.p, "\"name\": \"p_vs_ci\""));
    sb_free(&b);
    sb_init(&b);
    assert_int_equal(vf_report_text(&in, &r, &b), 0);
    assert_non_null(strstr(b.p, "sei = 0.0969406"));
    sb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rounding),          cmocka_unit_test(test_parse_ci),
        cmocka_unit_test(test_worked_example),    cmocka_unit_test(test_rounding_boundary),
        cmocka_unit_test(test_log_scale),         cmocka_unit_test(test_het_and_z),
        cmocka_unit_test(test_totals_and_validation), cmocka_unit_test(test_text_effects),
        cmocka_unit_test(test_text_revman),       cmocka_unit_test(test_text_totals),
        cmocka_unit_test(test_text_no_false_alarms), cmocka_unit_test(test_text_encodings),
        cmocka_unit_test(test_reports),
    };
    RUN_TESTS(tests);
}
