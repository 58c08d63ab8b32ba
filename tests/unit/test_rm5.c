/*
 * test_rm5.c - the RevMan 5 reader: the model rm5_parse() builds from
 * small reviews held in strings, the repairs of damaged bytes, the errors,
 * and the CSV text and pool commands made from the model.
 */
#include "test.h"

#include "rm5.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<COCHRANE_REVIEW>\n"
#define STUDIES                                                                  \
    "<STUDIES_AND_REFERENCES><STUDIES><INCLUDED_STUDIES>\n"                      \
    "<STUDY ID=\"STD-A\" NAME=\"Able 2001\" YEAR=\"2001\"/>\n"                   \
    "<STUDY ID=\"STD-B\" NAME=\"Baker\" YEAR=\"1999\"/>\n"                       \
    "</INCLUDED_STUDIES></STUDIES></STUDIES_AND_REFERENCES>\n"

static int parse(const char *xml, rm5_review *r, app_err *e)
{
    return rm5_parse("t.rm5", xml, strlen(xml), r, e);
}

static int has_warning(const rm5_review *r, const char *part)
{
    for (size_t i = 0; i < r->warnings.n; i++)
        if (strstr(r->warnings.s[i], part))
            return 1;
    return 0;
}

static void test_dichotomous(void **state)
{
    static const char xml[] =
        HEAD STUDIES "<ANALYSES_AND_DATA>\n<COMPARISON ID=\"CMP-001\" NO=\"3\"><NAME> Drug\n versus <I>placebo</I> </NAME>\n"
        "<DICH_OUTCOME CI_STUDY=\"95\" CI_TOTAL=\"99\" EFFECT_MEASURE=\"RR\" METHOD=\"MH\" NO=\"2\" RANDOM=\"YES\" "
        "EFFECT_SIZE=\"0.75\" TAU2=\"0.01\" SUBGROUPS=\"NO\">\n<NAME>Death</NAME>\n"
        "<GROUP_LABEL_1>Drug</GROUP_LABEL_1><GROUP_LABEL_2>Placebo</GROUP_LABEL_2>\n"
        "<DICH_DATA EVENTS_1=\"4\" EVENTS_2=\"11\" STUDY_ID=\"STD-A\" TOTAL_1=\"123\" TOTAL_2=\"1.39e2\"/>\n"
        "<DICH_DATA EVENTS_1=\"0\" EVENTS_2=\"0\" STUDY_ID=\"STD-B\" TOTAL_1=\"20\" TOTAL_2=\"21\"><FOOTNOTE>x</FOOTNOTE>text</DICH_DATA>\n"
        "</DICH_OUTCOME>\n</COMPARISON>\n</ANALYSES_AND_DATA>\n</COCHRANE_REVIEW>\n";
    rm5_review r;
    app_err e;
    const rm5_analysis *a;
    (void)state;
    assert_int_equal(parse(xml, &r, &e), 0);
    assert_int_equal(r.n, 1);
    a = &r.a[0];
    assert_string_equal(a->comp_no, "3");
    assert_string_equal(a->comp_name, "Drug versus placebo");
    assert_string_equal(a->out_no, "2");
    assert_string_equal(a->file, "3.2.csv");
    assert_int_equal(a->type, RM5_DICH);
    assert_string_equal(a->measure, "RR");
    assert_string_equal(a->method, "MH");
    assert_true(a->random);
    assert_string_equal(a->ci_total, "99");
    assert_string_equal(a->label1, "Drug");
    assert_string_equal(a->pooled[RM5_P_EFFECT], "0.75");
    assert_string_equal(a->pooled[RM5_P_TAU2], "0.01");
    assert_null(a->pooled[RM5_P_I2]);
    assert_int_equal(a->nrow, 2);
    assert_string_equal(a->rows[0].study, "Able 2001");   /* NAME holds the year */
    assert_string_equal(a->rows[1].study, "Baker 1999");  /* YEAR appended */
    assert_string_equal(a->rows[0].val[3], "1.39e2");     /* text kept as written */
    assert_string_equal(a->rows[1].val[0], "0");
    assert_null(a->rows[0].subgroup);
    assert_int_equal(a->rows[0].line, 13);
    assert_int_equal(r.warnings.n, 0);
    rm5_free(&r);
}

static void test_types_and_subgroups(void **state)
{
    static const char xml[] =
        HEAD STUDIES "<ANALYSES_AND_DATA><COMPARISON NO=\"1\"><NAME>C</NAME>\n"
        "<CONT_OUTCOME EFFECT_MEASURE=\"Std. Mean Difference\" STATISTICAL_METHOD=\"IV\" NO=\"1\" RANDOM=\"NO\">"
        "<NAME>Pain</NAME>"
        "<CONT_SUBGROUP NO=\"1\"><NAME>Adults</NAME>"
        "<CONT_DATA MEAN_1=\"1\" SD_1=\"2\" TOTAL_1=\"3\" MEAN_2=\"4\" SD_2=\"5\" TOTAL_2=\"6\" STUDY_ID=\"STD-A\"/></CONT_SUBGROUP>"
        "<CONT_SUBGROUP NO=\"2\"><NAME>Children</NAME>"
        "<CONT_DATA MEAN_1=\"-1.5\" SD_1=\"2\" TOTAL_1=\"3\" MEAN_2=\"4\" SD_2=\"5\" TOTAL_2=\"6\" STUDY_ID=\"STD-B\"/></CONT_SUBGROUP>"
        "</CONT_OUTCOME>\n"
        "<IV_OUTCOME EFFECT_MEASURE=\"RR\" LOG_DATA=\"NO\" METHOD=\"IV\" NO=\"2\" RANDOM=\"YES\"><NAME>R</NAME>"
        "<IV_DATA EFFECT_SIZE=\"0.8\" SE=\"0.2\" STUDY_ID=\"STD-A\"/></IV_OUTCOME>\n"
        "<IPD_OUTCOME EFFECT_MEASURE=\"HR\" NO=\"3\"><NAME>S</NAME>"
        "<IPD_DATA O_E=\"-2.5\" VAR=\"7\" STUDY_ID=\"STD-B\"/></IPD_OUTCOME>\n"
        "<DICH_OUTCOME EFFECT_MEASURE=\"OR\" METHOD=\"PETO\" NO=\"4\" RANDOM=\"NO\"><NAME>P</NAME></DICH_OUTCOME>\n"
        "</COMPARISON></ANALYSES_AND_DATA></COCHRANE_REVIEW>\n";
    rm5_review r;
    app_err e;
    (void)state;
    assert_int_equal(parse(xml, &r, &e), 0);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.a[0].type, RM5_CONT);
    assert_string_equal(r.a[0].measure, "SMD");
    assert_string_equal(r.a[0].method, "IV");
    assert_true(r.a[0].has_subgroups);
    assert_string_equal(r.a[0].rows[1].subgroup, "Children");
    assert_string_equal(r.a[0].rows[1].val[0], "-1.5");
    assert_int_equal(r.a[1].type, RM5_IV);
    assert_string_equal(r.a[1].measure, "RR");
    assert_true(r.a[1].natural_scale);
    assert_int_equal(r.a[2].type, RM5_IPD);
    assert_string_equal(r.a[2].measure, "HR");
    assert_string_equal(r.a[2].method, "PETO");   /* O-E: Peto's method */
    assert_string_equal(r.a[3].measure, "PETO");  /* OR with METHOD PETO */
    assert_int_equal(r.a[3].nrow, 0);
    assert_true(has_warning(&r, "t.rm5:11: outcome 1.4 \"P\" has no study data"));
    rm5_free(&r);
}

static void test_recovery(void **state)
{
    /* Windows-1252 byte in a UTF-8 file, bare & and <, a missing value, a
     * bad number, an undefined study, RevMan's zeros for "no data". */
    static const char xml[] =
        HEAD "<STUDIES_AND_REFERENCES><STUDIES><INCLUDED_STUDIES>\n"
        "<STUDY ID=\"S1\" NAME=\"Smith & Jones \xe9t al\" YEAR=\"\"/>\n"
        "</INCLUDED_STUDIES></STUDIES></STUDIES_AND_REFERENCES>\n"
        "<ANALYSES_AND_DATA><COMPARISON NO=\"1\"><NAME>a < b</NAME>\n"
        "<DICH_OUTCOME EFFECT_MEASURE=\"OR\" METHOD=\"MH\" NO=\"1\"><NAME>N</NAME>\n"
        "<DICH_DATA EVENTS_1=\"3\" TOTAL_1=\"10\" TOTAL_2=\"12\" STUDY_ID=\"S1\"/>\n"
        "<DICH_DATA EVENTS_1=\"x\" EVENTS_2=\"1\" TOTAL_1=\"10\" TOTAL_2=\"12\" STUDY_ID=\"S9\"/>\n"
        "<DICH_DATA EVENTS_1=\"0\" EVENTS_2=\"0\" TOTAL_1=\"0\" TOTAL_2=\"0\" STUDY_ID=\"S1\"/>\n"
        "</DICH_OUTCOME></COMPARISON></ANALYSES_AND_DATA></COCHRANE_REVIEW>\n";
    rm5_review r;
    app_err e;
    const rm5_analysis *a;
    (void)state;
    assert_int_equal(parse(xml, &r, &e), 0);
    a = &r.a[0];
    assert_true(r.recoded);
    assert_string_equal(a->rows[0].study, "Smith & Jones \xc3\xa9t al");
    assert_string_equal(a->comp_name, "a < b");
    assert_false(a->random);
    assert_null(a->rows[0].val[2]);             /* EVENTS_2 missing */
    assert_null(a->rows[1].val[0]);             /* "x" */
    assert_string_equal(a->rows[1].study, "S9"); /* undefined: the ID */
    for (int j = 0; j < 4; j++)
        assert_null(a->rows[2].val[j]);         /* RevMan's empty row */
    assert_true(has_warning(&r, "t.rm5:4: the file is declared UTF-8 but 1 byte"));
    assert_true(has_warning(&r, "t.rm5:4: a bare '&'"));
    assert_true(has_warning(&r, "t.rm5:6: a bare '<'"));
    assert_true(has_warning(&r, "t.rm5:7: DICH_OUTCOME has no RANDOM attribute"));
    assert_true(has_warning(&r, "t.rm5:8: DICH_DATA of study S1 has no EVENTS_2"));
    assert_true(has_warning(&r, "t.rm5:9: study S9 is not defined"));
    assert_true(has_warning(&r, "t.rm5:9: EVENTS_1=\"x\""));
    assert_true(has_warning(&r, "t.rm5:10: study S1 of analysis 1.1 has no data in RevMan"));
    rm5_free(&r);
}

static void test_errors(void **state)
{
    rm5_review r;
    app_err e;
    (void)state;
    assert_int_equal(parse("study,ai\nA,1\n", &r, &e), -1);
    assert_int_equal(e.code, APP_EXIT_DATA);
    assert_string_equal(e.msg, "t.rm5:1:1: Start tag expected, '<' not found; a RevMan 5 "
                               "review (.rm5) is a complete XML file");
    assert_int_equal(parse("<?xml version=\"1.0\"?>\n\n<review/>\n", &r, &e), -1);
    assert_int_equal(e.code, APP_EXIT_DATA);
    assert_string_equal(e.msg, "t.rm5:3: the root element is <review>, not <COCHRANE_REVIEW>: "
                               "not a RevMan 5 review (.rm5)");
    assert_int_equal(parse(HEAD "<ANALYSES_AND_DATA>\n<COMPARISON NO=\"1\">", &r, &e), -1);
    assert_int_equal(e.code, APP_EXIT_DATA);
    assert_non_null(strstr(e.msg, "t.rm5:4:"));
    assert_int_equal(parse("", &r, &e), -1);
    assert_int_equal(e.code, APP_EXIT_DATA);
    assert_int_equal(r.n, 0);
    rm5_free(&r); /* safe after an error */
    /* a review without analyses is fine, with a warning */
    assert_int_equal(parse(HEAD "</COCHRANE_REVIEW>\n", &r, &e), 0);
    assert_int_equal(r.n, 0);
    assert_true(has_warning(&r, "the review has no analyses"));
    rm5_free(&r);
}

static void test_csv_and_command(void **state)
{
    static const char xml[] =
        HEAD "<STUDIES_AND_REFERENCES><STUDIES><INCLUDED_STUDIES>\n"
        "<STUDY ID=\"S1\" NAME=\"Smith, Jones &quot;A&quot;\" YEAR=\"2001\"/>\n"
        "</INCLUDED_STUDIES></STUDIES></STUDIES_AND_REFERENCES>\n"
        "<ANALYSES_AND_DATA><COMPARISON NO=\"1/2\"><NAME>C</NAME>\n"
        "<IV_OUTCOME CI_TOTAL=\"90\" EFFECT_MEASURE=\"OTHER\" METHOD=\"IV\" NO=\"1\" RANDOM=\"YES\"><NAME>N</NAME>\n"
        "<IV_DATA EFFECT_SIZE=\"0.5\" SE=\"0.25\" STUDY_ID=\"S1\"/>\n"
        "</IV_OUTCOME>\n"
        "<IV_OUTCOME EFFECT_MEASURE=\"MD\" METHOD=\"IV\" NO=\"1\" RANDOM=\"NO\"><NAME>M</NAME></IV_OUTCOME>\n"
        "</COMPARISON></ANALYSES_AND_DATA></COCHRANE_REVIEW>\n";
    rm5_review r;
    app_err e;
    sbuf b;
    (void)state;
    assert_int_equal(parse(xml, &r, &e), 0);
    assert_string_equal(r.a[0].file, "1_2.1.csv");   /* '/' is not in a name */
    assert_string_equal(r.a[1].file, "1_2.1-2.csv"); /* a second 1.1 */
    sb_init(&b);
    assert_int_equal(rm5_csv(&r.a[0], &b), 0);
    assert_string_equal(b.p, "study,study_id,yi,sei\n\"Smith, Jones \"\"A\"\" 2001\",S1,0.5,0.25\n");
    sb_free(&b);
    rm5_command(&r.a[0], "my out/1_2.1.csv", &b);
    assert_string_equal(b.p, "metasyn pool --preset revman5 --measure GEN --method DL --level 90 "
                             "'my out/1_2.1.csv'");
    sb_free(&b);
    rm5_command(&r.a[1], "x.csv", &b); /* no rows: no command */
    assert_int_equal(b.len, 0);
    sb_free(&b);
    rm5_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dichotomous), cmocka_unit_test(test_types_and_subgroups),
        cmocka_unit_test(test_recovery),    cmocka_unit_test(test_errors),
        cmocka_unit_test(test_csv_and_command),
    };
    RUN_TESTS(tests);
}
