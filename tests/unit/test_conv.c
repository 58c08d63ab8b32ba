/*
 * test_conv.c - conversions of reported statistics (src/conv.c) and the
 * app's per-study conversions (app/convert.c).
 *
 * Expected values are computed independently in R 4.2.2 from the formulas
 * of the Cochrane Handbook 6.5.2.2-6.5.2.3, Wan et al. 2014, Luo et al.
 * 2018 and metafor 3.8-1's transf.* functions; the R script is in the
 * comment of each test (tools/ has no copy: the calls are short).
 */
#include <stdlib.h>

#include "test.h"
#include "app.h"

/* R: 2.7*sqrt(25); sqrt(25)*(40.4-34.4)/(2*qt(0.975,24));
 *    sqrt(100)*(14-10)/(2*qnorm(0.975)) */
static void test_sd_group(void **state)
{
    (void)state;
    assert_close(msyn_sd_from_se(2.7, 25), 13.5, EPS_REL(2));
    assert_close(msyn_sd_from_ci(34.4, 40.4, 25, 0.95), 7.2677990473368217, 1e-14);
    assert_close(msyn_sd_from_ci(10, 14, 100, 0.95), 10.204269138493082, 1e-14);
    /* n = 59 uses t(58) (R: qt(0.975, 58) = 2.0017174841452356), n = 60 the
     * normal quantile (Handbook: "less than 60") */
    assert_close(msyn_sd_from_ci(10, 14, 59, 0.95), sqrt(59) * 4 / (2 * 2.0017174841452356), 1e-14);
    assert_close(msyn_sd_from_ci(10, 14, 60, 0.95), sqrt(60) * 4 / (2 * 1.959963984540054), 1e-14);
    assert_true(isnan(msyn_sd_from_se(-1, 25)));
    assert_true(isnan(msyn_sd_from_se(1, 1)));
    assert_true(isnan(msyn_sd_from_ci(5, 4, 25, 0.95)));
    assert_true(isnan(msyn_sd_from_ci(4, 5, 25, 1.0)));
}

/* Between groups, Handbook 6.5.2.3: MD 3.8, 95% CI 1.2 to 6.4, n 25 and 22.
 * R: se <- (6.4-1.2)/(2*qt(0.975,45)); se/sqrt(1/25+1/22)
 *    t <- qt(0.008/2, 45, lower.tail=FALSE); 3.8/t/sqrt(1/25+1/22)
 *    3.8/2.9/sqrt(1/25+1/22) */
static void test_sd_between(void **state)
{
    double se;
    (void)state;
    se = msyn_se_from_ci(1.2, 6.4, 0.95, 45);
    assert_close(se, 1.2908969888803532, 1e-14);
    assert_close(msyn_sd_from_md_se(se, 25, 22), 4.4159485372839677, 1e-14);
    se = msyn_se_from_p(3.8, 0.008, 45);
    assert_close(se, 1.3691003007052898, 1e-13);
    assert_close(msyn_sd_from_md_se(se, 25, 22), 4.6834693413750976, 1e-13);
    assert_close(msyn_se_from_p(-3.8, 0.008, 45), 1.3691003007052898, 1e-13); /* sign-free */
    assert_close(msyn_sd_from_md_se(3.8 / 2.9, 25, 22), 4.4824764288401608, 1e-14);
    assert_close(msyn_se_from_ci(-0.47, -0.09, 0.95, NAN), 0.38 / (2 * 1.959963984540054), 1e-14);
    assert_true(isnan(msyn_se_from_p(0, 0.5, NAN)));
    assert_true(isnan(msyn_se_from_p(1, 0, NAN)));
    assert_true(isnan(msyn_se_from_p(1, 1, NAN)));
}

/* min 2, q1 5, median 7, q3 10, max 20, n 40.
 * R: xi <- function(n) 2*qnorm((n-0.375)/(n+0.25))
 *    eta <- function(n) 2*qnorm((0.75*n-0.125)/(n+0.25))
 *    S1 (a+2m+b)/4, (b-a)/xi(n); S2 (a+2q1+2m+2q3+b)/8,
 *    (b-a)/(2 xi(n)) + (q3-q1)/(2 eta(n)); S3 (q1+m+q3)/3, (q3-q1)/eta(n);
 *    Luo: w=4/(4+n^0.75) ...; w1=2.2/(2.2+n^0.75), w2=0.7-0.72/n^0.55;
 *    w=0.7+0.39/n */
static void test_median(void **state)
{
    double mean, sd;
    unsigned fl;
    msyn_fivenum s1 = {2, NAN, 7, NAN, 20, 40}, s2 = {2, 5, 7, 10, 20, 40}, s3 = {NAN, 5, 7, 10, NAN, 40};
    (void)state;
    assert_int_equal(msyn_mean_from_median(MSYN_MEDIAN_WAN, &s1, &mean, &sd, &fl), MSYN_OK);
    assert_close(mean, 9, EPS_REL(2));
    assert_close(sd, 4.1737084370314372, 1e-14);
    assert_int_equal(fl, MSYN_MEDIAN_S1 | MSYN_MEDIAN_SKEWED); /* 0.444 > 0.319 */
    assert_int_equal(msyn_mean_from_median(MSYN_MEDIAN_WAN, &s2, &mean, &sd, &fl), MSYN_OK);
    assert_close(mean, 8.25, EPS_REL(2));
    assert_close(sd, 4.0091789722142712, 1e-14);
    assert_int_equal(fl, MSYN_MEDIAN_S2 | MSYN_MEDIAN_SKEWED);
    assert_int_equal(msyn_mean_from_median(MSYN_MEDIAN_WAN, &s3, &mean, &sd, &fl), MSYN_OK);
    assert_close(mean, 7.333333333333333, EPS_REL(2));
    assert_close(sd, 3.8446495073971056, 1e-14);
    assert_int_equal(fl, MSYN_MEDIAN_S3); /* 0.2 < 0.417: not skewed */
    assert_int_equal(msyn_mean_from_median(MSYN_MEDIAN_LUO, &s1, &mean, &sd, &fl), MSYN_OK);
    assert_close(mean, 7.8038013948134957, 1e-14);
    assert_close(sd, 4.1737084370314372, 1e-14); /* Luo's mean, Wan's SD */
    assert_int_equal(msyn_mean_from_median(MSYN_MEDIAN_LUO, &s2, &mean, &sd, &fl), MSYN_OK);
    assert_close(mean, 7.7887088501331139, 1e-14);
    assert_int_equal(msyn_mean_from_median(MSYN_MEDIAN_LUO, &s3, &mean, &sd, &fl), MSYN_OK);
    assert_close(mean, 7.3548749999999998, 1e-14);
    /* out of order, too small, nothing to use */
    {
        msyn_fivenum bad = {2, 8, 7, 10, 20, 40}, small = {2, 5, 7, 10, 20, 2}, none = {NAN, NAN, 7, NAN, NAN, 40};
        msyn_fivenum flat = {NAN, 7, 7, 7, NAN, 40};
        assert_int_equal(msyn_mean_from_median(MSYN_MEDIAN_WAN, &bad, &mean, &sd, &fl), MSYN_EDATA);
        assert_int_equal(msyn_mean_from_median(MSYN_MEDIAN_WAN, &small, &mean, &sd, &fl), MSYN_EDATA);
        assert_int_equal(msyn_mean_from_median(MSYN_MEDIAN_WAN, &none, &mean, &sd, &fl), MSYN_EINVAL);
        assert_int_equal(msyn_mean_from_median(MSYN_MEDIAN_WAN, &flat, &mean, &sd, &fl), MSYN_EDATA);
        assert_int_equal(msyn_mean_from_median((msyn_median_method)7, &s1, &mean, &sd, &fl), MSYN_EINVAL);
    }
}

/* R: sqrt(3)/pi*0.5, 3/pi^2*0.04; r=0.3,n=50: 2r/sqrt(1-r^2), 4/((n-1)(1-r^2));
 *    d=0.5, vd=0.09, n1=20, n2=30: a=(n1+n2)^2/(n1 n2), d/sqrt(d^2+a),
 *    a^2 vd/(d^2+a)^3 */
static void test_between_measures(void **state)
{
    double y, v, y2, v2;
    (void)state;
    msyn_smd_from_logor(0.5, 0.04, &y, &v);
    assert_close(y, 0.27566444771089604, EPS_REL(4));
    assert_close(v, 0.012158542037080533, EPS_REL(4));
    msyn_logor_from_smd(y, v, &y2, &v2);
    assert_close(y2, 0.5, EPS_REL(4));
    assert_close(v2, 0.04, EPS_REL(4));
    msyn_smd_from_r(0.3, 50, &y, &v);
    assert_close(y, 0.62897090203315098, EPS_REL(4));
    assert_close(v, 0.089706212155191742, EPS_REL(4));
    msyn_r_from_smd(0.5, 0.09, 20, 30, &y, &v);
    assert_close(y, 0.23791547571544322, EPS_REL(4));
    assert_close(v, 0.018135776513497716, EPS_REL(8));
    msyn_smd_from_r(1.0, 50, &y, &v);
    assert_true(isnan(y) && isnan(v));
}

/* R (metafor 3.8-1): transf.ipft.hm(0.3, targs=list(ni=c(10,20,40))),
 * transf.ilogit(-1.2), transf.iarcsin(0.5), transf.ztor(0.4) */
static void test_back(void **state)
{
    double nhm = 3.0 / (1.0 / 10 + 1.0 / 20 + 1.0 / 40);
    (void)state;
    assert_close(msyn_measure_back(MSYN_MEASURE_PFT, 0.3, nhm), 0.065345705019862088, 1e-13);
    assert_close(msyn_measure_back(MSYN_MEASURE_PLO, -1.2, NAN), 0.23147521650098238, EPS_REL(4));
    assert_close(msyn_measure_back(MSYN_MEASURE_PAS, 0.5, NAN), 0.22984884706593015, EPS_REL(4));
    assert_close(msyn_measure_back(MSYN_MEASURE_ZCOR, 0.4, NAN), 0.3799489622552249, EPS_REL(4));
    assert_close(msyn_measure_back(MSYN_MEASURE_RR, 0.0, NAN), 1.0, 0);
    assert_close(msyn_measure_back(MSYN_MEASURE_MD, -3.5, NAN), -3.5, 0);
    assert_close(msyn_measure_back(MSYN_MEASURE_PAS, -0.1, NAN), 0.0, 0);
    assert_close(msyn_measure_back(MSYN_MEASURE_PFT, 2.0, 20), 1.0, 0);
    assert_close(msyn_measure_back(MSYN_MEASURE_PFT, 0.0, 20), 0.0, 0);
    assert_null(msyn_measure_back_name(MSYN_MEASURE_SMD));
    assert_string_equal(msyn_measure_back_name(MSYN_MEASURE_PFT), "proportion");
}

/* ---- the app's per-study conversions ------------------------------------ */

static int load(const char *csv, msyn_measure m, app_table *t, app_data *d, app_err *e)
{
    if (app_table_parse("c.csv", csv, strlen(csv), t, e) != 0)
        return -1;
    return app_data_load(t, m, NULL, NULL, d, e);
}

static void test_app_convert(void **state)
{
    app_table t;
    app_data d;
    app_err e = {0, ""};
    app_conv_item it[8];
    double yi[4], vi[4];
    (void)state;
    assert_int_equal(load("study,n1i,m1i,sd1i,se1i,n2i,m2i,sd2i,lb2i,ub2i,mdi,mdi_lb,mdi_ub\n"
                          "A,25,10,4,,25,8,4.5,,,,,\n"            /* complete: untouched */
                          "B,25,10,,0.8,25,8,,7,9,,,\n"           /* SE and CI of a mean */
                          "C,25,,,,22,,,,,3.8,1.2,6.4\n"          /* only the MD and its CI */
                          "D,25,10,3,0.5,25,8,4,,,,,\n",          /* SD reported: the SE is ignored */
                          MSYN_MEASURE_MD, &t, &d, &e), 0);
    assert_int_equal(d.conv[0], 0);
    assert_int_equal(d.conv[1], CONV_SD1_SE | CONV_SD2_CI);
    assert_close(d.es.sd1i[1], 4.0, EPS_REL(2));
    assert_close(d.es.sd2i[1], 5 * 2 / (2 * 2.0638985616280254), 1e-14); /* qt(0.975, 24) */
    assert_int_equal(d.conv[2], CONV_SD_MD_CI | CONV_M_MD);
    assert_close(d.es.sd1i[2], 4.4159485372839677, 1e-14);
    assert_close(d.es.sd2i[2], 4.4159485372839677, 1e-14);
    assert_close(d.es.m1i[2] - d.es.m2i[2], 3.8, 0);
    assert_int_equal(d.conv[3], 0);
    assert_int_equal(app_conv_items(&d, 1, it), 2);
    assert_string_equal(it[0].value, "sd1i");
    assert_string_equal(it[0].from, "se1i");
    assert_int_equal(msyn_es(MSYN_MEASURE_MD, &d.es, d.k, NULL, yi, vi, NULL), MSYN_OK);
    assert_close(yi[2], 3.8, EPS_REL(2));
    assert_close(vi[2], 1.2908969888803532 * 1.2908969888803532, 1e-13); /* the MD's own SE back */
    app_data_free(&d);
    app_table_free(&t);

    /* medians with quartiles: Luo mean, Wan SD; skewed range flagged */
    assert_int_equal(load("study,n1i,med1i,q1_1i,q3_1i,min1i,max1i,n2i,m2i,sd2i\n"
                          "A,40,7,5,10,2,20,40,8,4\n",
                          MSYN_MEASURE_SMD, &t, &d, &e), 0);
    assert_int_equal(d.conv[0], CONV_M1_MEDIAN | CONV_SD1_MEDIAN | CONV_SKEW1);
    assert_close(d.es.m1i[0], 7.7887088501331139, 1e-14);
    assert_close(d.es.sd1i[0], 4.0091789722142712, 1e-14);
    assert_int_equal(d.warnings.n, 2); /* the summary and the skewness warning */
    app_data_free(&d);
    app_table_free(&t);

    /* a bad kind of score */
    assert_int_equal(load("study,n1i,m1i,sd1i,n2i,m2i,sd2i,score\nA,10,1,1,10,2,1,post\n",
                          MSYN_MEASURE_MD, &t, &d, &e), -1);
    assert_string_equal(e.msg, "c.csv:2:8: score: \"post\" is not a kind of score; write final (values at follow-up) or change (change from baseline)");
    app_data_free(&d);
    app_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sd_group),   cmocka_unit_test(test_sd_between),
        cmocka_unit_test(test_median),     cmocka_unit_test(test_between_measures),
        cmocka_unit_test(test_back),       cmocka_unit_test(test_app_convert),
    };
    RUN_TESTS(tests);
}
