/*
 * test_review_dedup.c - normalisation and similarity of records for
 * duplicate detection (app/review_dedup.c).
 */
#include "test.h"

#include <stdlib.h>

#include "review_dedup.h"

typedef void (*norm_fn)(const char *, sbuf *);

static void check_norm(norm_fn f, const char *in, const char *want)
{
    sbuf b;
    sb_init(&b);
    f(in, &b);
    assert_false(b.oom);
    assert_string_equal(b.p ? b.p : "", want);
    sb_free(&b);
}

static void test_norm_text(void **state)
{
    (void)state;
    check_norm(rd_norm_text, "Effect of <i>Staphylococcus aureus</i> &amp; H<sub>2</sub>O",
               "effect of staphylococcus aureus h2o");
    check_norm(rd_norm_text, "  Müller–Lyer ILLUSION:  Crohn’s   disease?!", "muller lyer illusion crohns disease");
    check_norm(rd_norm_text, "Straße &#233;t&eacute; &#x3B2;-blockers", "strasse ete β blockers");
    check_norm(rd_norm_text, "ﬁbromyalgia", "fibromyalgia");
    check_norm(rd_norm_text, "a < b and c > d", "a b and c d"); /* not tags */
    check_norm(rd_norm_text, "bad \xff byte", "bad byte");
    check_norm(rd_norm_text, NULL, "");
}

static void test_norm_ids(void **state)
{
    (void)state;
    check_norm(rd_norm_doi, "https://doi.org/10.1016/J.JCLINEPI.2020.01.001.", "10.1016/j.jclinepi.2020.01.001");
    check_norm(rd_norm_doi, "doi: 10.1136/bmj.m1 [doi]", "10.1136/bmj.m1");
    check_norm(rd_norm_doi, "no doi here", "");
    check_norm(rd_norm_pmid, "PMID: 31234567", "31234567");
    check_norm(rd_first_page, "e1234-e1240", "e1234");
    check_norm(rd_first_page, "S12–S14", "s12");
}

static void test_first_author(void **state)
{
    (void)state;
    check_norm(rd_first_author, "Smith, John; Jones, Kate", "smith");
    check_norm(rd_first_author, "Smith J, Jones K, Brown A", "smith");
    check_norm(rd_first_author, "Smith JA", "smith");
    check_norm(rd_first_author, "J. Smith; K. Jones", "smith");
    check_norm(rd_first_author, "van der Berg, Anna", "van der berg");
    check_norm(rd_first_author, "Østergaard, Eva", "ostergaard");
    assert_int_equal(rd_author_match("smith", "john smith"), 1);
    assert_int_equal(rd_author_match("mueller", "muller"), 1); /* one edit, long names */
    assert_int_equal(rd_author_match("kim", "lim"), 0);
    assert_int_equal(rd_author_match("", "smith"), -1);
}

static void test_journal(void **state)
{
    sbuf a, b;
    (void)state;
    check_norm(rd_norm_journal, "The Lancet", "lancet");
    check_norm(rd_norm_journal, "medRxiv : the preprint server for health sciences", "");
    assert_true(rd_journal_preprint("bioRxiv"));
    assert_false(rd_journal_preprint("BMJ"));
    sb_init(&a);
    sb_init(&b);
    rd_norm_journal("Journal of Clinical Epidemiology", &a);
    rd_norm_journal("J Clin Epidemiol", &b);
    assert_int_equal(rd_journal_match(a.p, b.p), 1);
    sb_free(&a);
    sb_free(&b);
    assert_int_equal(rd_journal_match("bmj", "british medical journal"), 1);
    assert_int_equal(rd_journal_match("jama", "journal american medical association"), 1);
    assert_int_equal(rd_journal_match("proc natl acad sci u s a",
                                      "proceedings national academy sciences united states america"),
                     1);
    assert_int_equal(rd_journal_match("pain", "spine"), 0);
    assert_int_equal(rd_journal_match("eur spine j", "european heart journal"), 0);
    assert_int_equal(rd_journal_match("", "lancet"), -1);
    assert_true(rd_doi_preprint("10.1101/2020.01.01.123"));
    assert_false(rd_doi_preprint("10.1016/x"));
}

static void test_similarity(void **state)
{
    (void)state;
    assert_close(rd_lev_sim("kitten", "sitting"), 1.0 - 3.0 / 7.0, EPS_REL(4));
    assert_close(rd_lev_sim("", ""), 1.0, 0);
    assert_close(rd_token_sim("a b c", "c b a"), 1.0, 0);
    assert_close(rd_token_sim("a b c d", "a b"), 2.0 * 2 / 6, EPS_REL(4));
    /* a dropped subtitle */
    assert_true(rd_title_sim("yoga for neck pain a randomised controlled trial",
                             "yoga for neck pain", "yoga for neck pain", NULL) > 0.99);
    /* both with subtitles: the full titles count */
    assert_true(rd_title_sim("yoga for neck pain a cohort", "yoga for neck pain",
                             "yoga for neck pain a randomised trial", "yoga for neck pain") < 0.8);
}

static rd_rec rec(const char *title, const char *author, int year, const char *journal,
                  const char *doi)
{
    rd_rec r;
    memset(&r, 0, sizeof r);
    r.title = title;
    r.author = author;
    r.year = year;
    r.journal = journal;
    r.doi = doi;
    r.page = "";
    r.volume = "";
    r.nums = "";
    return r;
}

static void test_score(void **state)
{
    rd_rec a = rec("yoga for chronic neck pain in office workers", "smith", 2019,
                   "j clin epidemiol", "10.1/a");
    rd_rec b = a, c = a, d = a, e = a;
    rd_why w;
    sbuf t;
    (void)state;
    assert_close(rd_score(&a, &b, NULL), 1.0, EPS_REL(4));
    /* a missing DOI costs nothing; a conflicting one costs 30% */
    b.doi = "";
    assert_close(rd_score(&a, &b, NULL), 1.0, EPS_REL(4));
    b.doi = "10.1/b";
    assert_close(rd_score(&a, &b, &w), 0.7, EPS_REL(4));
    assert_true(w.doi_conflict);
    /* a preprint DOI does not conflict, nor does one year for a preprint */
    c.doi = "10.1101/2018.1";
    c.preprint = 1;
    c.year = 2018;
    c.journal = "";
    assert_close(rd_score(&a, &c, NULL), 1.0, EPS_REL(4));
    /* an erratum */
    d.marks = RD_MARK_ERRATUM;
    d.doi = "";
    assert_close(rd_score(&a, &d, NULL), 0.5, EPS_REL(4));
    /* Part 1 and Part 2 */
    a.nums = "1";
    e.nums = "2";
    e.doi = "";
    assert_close(rd_score(&a, &e, &w), 0.6, EPS_REL(4));
    assert_true(rd_score_min(&a, &e, 0.7) < 0);
    a.nums = "";
    /* another author, journal and year: the title alone is not enough */
    e = rec("yoga for chronic neck pain in office workers", "jones", 2015, "pain", "");
    assert_true(rd_score(&a, &e, &w) < 0.7);
    sb_init(&t);
    rd_why_text(&w, &t);
    assert_string_equal(t.p, "title 1.00, first author different, years 4 apart, journal "
                             "different, pages unknown");
    sb_free(&t);
    assert_close(rd_score_min(&a, &b, 0), rd_score(&a, &b, NULL), EPS_REL(4));
}

static void test_marks(void **state)
{
    sbuf n;
    (void)state;
    sb_init(&n);
    assert_int_equal(rd_title_marks("erratum yoga for neck pain part 2", &n), RD_MARK_ERRATUM);
    assert_string_equal(n.p, "2");
    sb_free(&n);
    sb_init(&n);
    assert_int_equal(rd_title_marks("phase iii trial of x 12 month results", &n), 0);
    assert_string_equal(n.p, "iii 12");
    sb_free(&n);
}

static void test_prepare(void **state)
{
    rd_src s = {7, "Yoga for chronic neck pain: a randomised trial (Part 2)", "Müller, Anna; Smith J",
                "J Clin Epidemiol", "12", "e101-e109", "https://doi.org/10.1101/2020.01.01.X", "PMID: 123",
                2020};
    rd_src t = {8, "Neck pain: trial", NULL, NULL, NULL, NULL, NULL, NULL, 0};
    rd_src u = {9, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    rd_rec r;
    char *buf;
    const char *pmid;
    (void)state;
    assert_int_equal(rd_prepare(&s, &r, &buf, &pmid), 0);
    assert_int_equal(r.id, 7);
    assert_int_equal(r.year, 2020);
    assert_string_equal(r.title, "yoga for chronic neck pain a randomised trial part 2");
    assert_non_null(r.main);
    assert_string_equal(r.main, "yoga for chronic neck pain");
    assert_string_equal(r.author, "muller");
    assert_string_equal(r.journal, "j clin epidemiol");
    assert_string_equal(r.doi, "10.1101/2020.01.01.x");
    assert_string_equal(r.page, "e101");
    assert_string_equal(r.volume, "12");
    assert_string_equal(r.nums, "2");
    assert_string_equal(pmid, "123");
    assert_int_equal(r.preprint, 1); /* 10.1101: bioRxiv/medRxiv */
    app_free(buf);
    /* a main title of two words is not one */
    assert_int_equal(rd_prepare(&t, &r, &buf, &pmid), 0);
    assert_null(r.main);
    assert_string_equal(r.author, "");
    assert_int_equal(r.preprint, 0);
    app_free(buf);
    assert_int_equal(rd_prepare(&u, &r, &buf, &pmid), 0);
    assert_string_equal(r.title, "");
    assert_string_equal(pmid, "");
    app_free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_norm_text),  cmocka_unit_test(test_norm_ids),
        cmocka_unit_test(test_first_author), cmocka_unit_test(test_journal),
        cmocka_unit_test(test_similarity), cmocka_unit_test(test_score),
        cmocka_unit_test(test_marks),      cmocka_unit_test(test_prepare),
    };
    RUN_TESTS(tests);
}
