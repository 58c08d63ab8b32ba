/* test_review_parse.c - search exports into records (app/review_parse.c)
 * and their normalisation and file fingerprint (app/review_text.c). */
#include <stdlib.h>

#include "app.h"
#include "review_parse.h"
#include "test.h"

static void sha(const char *s, size_t n, const char *want)
{
    char hex[65];
    rp_sha256(s, n, hex);
    assert_string_equal(hex, want);
}

/* FIPS 180-4 / NIST CSRC example vectors; lengths 55, 56 and 64 cross the
 * padding boundaries (values from sha256sum). */
static void test_sha256(void **state)
{
    char *a = malloc(1000000);
    (void)state;
    sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    sha("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopq"
        "rlmnopqrsmnopqrstnopqrstu",
        112, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    assert_non_null(a);
    memset(a, 'a', 1000000);
    sha(a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    sha(a, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    sha(a, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
    free(a);
}

static void doi(const char *in, int rc, const char *want)
{
    char *o;
    assert_int_equal(rp_doi(in, &o), rc);
    if (want)
        assert_string_equal(o, want);
    else
        assert_null(o);
    app_free(o);
}

static void test_doi(void **state)
{
    (void)state;
    doi("10.1056/NEJMoa064039", 1, "10.1056/nejmoa064039");
    doi("https://doi.org/10.1001/JAMA.2019.13620", 1, "10.1001/jama.2019.13620");
    doi("http://dx.doi.org/10.1093/pm/pny123", 1, "10.1093/pm/pny123");
    doi("doi: 10.1097/BRS.0b013e3181cc3f56.", 1, "10.1097/brs.0b013e3181cc3f56");
    doi("DOI:10.1/x", 1, "10.1/x");
    doi("10.1001/jama.2019.13620 [doi]", 1, "10.1001/jama.2019.13620");
    doi("https://doi.org/10.1007%2F978-3-319-00000-0", 1, "10.1007/978-3-319-00000-0");
    doi("S0000-0000(20)30001-1", 0, NULL);
    doi("", 0, NULL);
    doi("10.1056", 0, NULL);
}

static void test_year(void **state)
{
    (void)state;
    assert_int_equal(rp_year("2019 Oct 1"), 2019);
    assert_int_equal(rp_year("2020//"), 2020);
    assert_int_equal(rp_year("05/12/2019"), 2019);
    assert_int_equal(rp_year("Spring 1998-1999"), 1998);
    assert_int_equal(rp_year("20190512"), 0); /* not a 4-digit run */
    assert_int_equal(rp_year("n.d."), 0);
    assert_int_equal(rp_year("0999"), 0);
}

static void clean(const char *in, int html, const char *want)
{
    char *o;
    assert_int_equal(rp_clean(in, strlen(in), html, &o), 0);
    if (want)
        assert_string_equal(o, want);
    else
        assert_null(o);
    app_free(o);
}

static void test_clean(void **state)
{
    (void)state;
    clean("Effect of <i>M. vaccae</i> on IL-6 &amp; TNF-&#945;", 1,
          "Effect of M. vaccae on IL-6 & TNF-α");
    clean("<sup>18</sup>F-FDG&nbsp;PET<br/>study", 1, "18F-FDG PET study");
    clean("IL-6 <5 pg/mL and a<b, c>d", 1, "IL-6 <5 pg/mL and a<b, c>d");
    clean("&lt;65 years &#x3B2;-blocker &unknown; &#0; &#xD800;", 1,
          "<65 years β-blocker &unknown; &#0; &#xD800;");
    clean("<mml:math><mml:mi>x</mml:mi></mml:math> <span class=\"x\">y</span>", 1, "x y");
    clean("  two\t\tblanks \r\n and\xc2\xa0nbsp  ", 0, "two blanks and nbsp");
    clean("<i>kept</i> &amp;", 0, "<i>kept</i> &amp;");
    clean("   ", 1, NULL);
}

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(rp_detect("\xEF\xBB\xBF\r\nTY  - JOUR\r\n", 16), RP_RIS);
    assert_int_equal(rp_detect("\n\nPMID- 1\n", 10), RP_MEDLINE);
    assert_int_equal(rp_detect("Title,Year\n", 11), RP_CSV);
    assert_int_equal(rp_detect(" \n\n", 3), RP_AUTO);
}

static void parse_ok(const char *txt, rp_set *s)
{
    app_err e = {0, ""};
    int rc = rp_parse("x", txt, strlen(txt), RP_AUTO, s, &e);
    if (rc)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, 0);
}

static void parse_bad_n(const char *txt, size_t n, const char *msg)
{
    app_err e = {0, ""};
    rp_set s;
    assert_int_equal(rp_parse("x", txt, n, RP_AUTO, &s, &e), -1);
    assert_int_equal(e.code, APP_EXIT_DATA);
    assert_int_equal(strncmp(e.msg, msg, strlen(msg)), 0);
    assert_int_equal(s.n, 0);
}

static void parse_bad(const char *txt, const char *msg) { parse_bad_n(txt, strlen(txt), msg); }

static void test_ris(void **state)
{
    rp_set s;
    (void)state;
    /* BOM, CRLF, Windows-1252 line, ER inside the abstract, "ER  -" with
     * trailing blanks, no blank line between records, SP/EP joined */
    parse_ok("\xEF\xBB\xBFTY  - JOUR\r\nT1  - Caf\xe9 <i>and</i> sciatica\r\nA1  - Smith, J\r\n"
             "A1  - Doe, A\r\nY1  - 2019///\r\nAB  - ER stress rises.\r\nER\r\nER  - x\r\n"
             "SP  - 123\r\nEP  - 9\r\nAN  - 31234567\r\nDO  - https://doi.org/10.1/AB\r\n"
             "ER  -   \r\nTY  - CHAP\r\nTI  - Second\r\nSP  - 5-9\r\nEP  - 9\r\nAN  - 2003456789\r\n"
             "ER  - \r\n",
             &s);
    assert_int_equal(s.format, RP_RIS);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.recoded_lines, 1);
    assert_string_equal(s.rec[0].title, "Café and sciatica");
    assert_string_equal(s.rec[0].authors, "Smith, J; Doe, A");
    assert_int_equal(s.rec[0].year, 2019);
    assert_string_equal(s.rec[0].abstract, "ER stress rises. ER ER - x");
    assert_string_equal(s.rec[0].pages, "123-9");
    assert_string_equal(s.rec[0].pmid, "31234567");
    assert_string_equal(s.rec[0].doi, "10.1/ab");
    assert_string_equal(s.rec[0].type, "JOUR");
    assert_int_equal(s.rec[0].line, 1);
    assert_non_null(strstr(s.rec[0].raw, "T1  - Caf\xc3\xa9 <i>and</i> sciatica\nA1"));
    assert_string_equal(s.rec[1].pages, "5-9");
    assert_null(s.rec[1].pmid); /* 10 digits: an Embase accession number */
    assert_int_equal(s.rec[1].line, 14);
    assert_string_equal(s.rec[1].raw, "TY  - CHAP\nTI  - Second\nSP  - 5-9\nEP  - 9\n"
                                      "AN  - 2003456789\nER  - ");
    rp_set_free(&s);
}

static void test_ris_errors(void **state)
{
    (void)state;
    parse_bad("TY  - JOUR\nTI  - a\n\nTY  - JOUR\nER  - \n",
              "x:4:1: a new record (TY) starts before the record of line 1 ended");
    parse_bad("TY  - JOUR\nTI  - a\n", "x:2:1: the file ends inside the record that starts on "
                                       "line 1");
    parse_bad("TY  - JOUR\nER  - \nnotes\n", "x:3:1: text outside a record");
    parse_bad("TY  - JOUR\nER  - \nTI  - b\n", "x:3:1: field TI outside a record");
    parse_bad_n("TY  - JOUR\nTI  - a\0b\nER  - \n", 25, "x:2:8: a NUL byte");
    parse_bad("\n\n", "x:1:1: the file is empty");
}

static void test_medline(void **state)
{
    rp_set s;
    (void)state;
    parse_ok("PMID- 1\nTI  - A title that\n      wraps.\nAU  - Peul WC\nAU  - van den Hout "
             "W-B\nDP  - 2007 May 31\nPG  - 2245-56\nAID - S01 [pii]\nAID - 10.1/X [doi]\n"
             "MH  - Humans\nOT  - sciatica\nJT  - N Engl J Med\nTA  - NEJM\n\n\nPMID- 2\n"
             "FAU - Smith, John\nAU  - Smith J\nCN  - The Group\nLID - 10.2/y [doi]\n",
             &s);
    assert_int_equal(s.format, RP_MEDLINE);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.rec[0].title, "A title that wraps.");
    assert_string_equal(s.rec[0].authors, "Peul, WC; van den Hout, W-B");
    assert_int_equal(s.rec[0].year, 2007);
    assert_string_equal(s.rec[0].pages, "2245-56");
    assert_string_equal(s.rec[0].doi, "10.1/x");
    assert_string_equal(s.rec[0].keywords, "Humans; sciatica");
    assert_string_equal(s.rec[0].journal, "N Engl J Med");
    assert_string_equal(s.rec[0].pmid, "1");
    assert_string_equal(s.rec[1].authors, "Smith, John");
    assert_string_equal(s.rec[1].doi, "10.2/y");
    assert_int_equal(s.rec[1].line, 16);
    assert_string_equal(s.rec[1].raw, "PMID- 2\nFAU - Smith, John\nAU  - Smith J\nCN  - The Group\n"
                                      "LID - 10.2/y [doi]");
    assert_int_equal(s.warnings.n, 1); /* record 2 has no title */
    rp_set_free(&s);
    parse_bad("PMID- 1\nTI  - a\nb\n", "x:3:1: neither a field nor a continuation");
    parse_bad("TI  - a\n", "x:1:1: field TI outside a record");
}

static void test_csv(void **state)
{
    rp_set s;
    (void)state;
    parse_ok("PMID,Title,Authors,Journal/Book,Publication Year,DOI\n"
             "17538084,Surgery &amp; sciatica.,\"Peul WC, van Houwelingen HC\",N Engl J Med,2007,"
             "https://doi.org/10.1056/NEJMoa064039\n"
             "1,,\"Smith, John; Doe, Ann\",J,n.d.,x\n",
             &s);
    assert_int_equal(s.format, RP_CSV);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.rec[0].title, "Surgery & sciatica.");
    assert_string_equal(s.rec[0].authors, "Peul, WC; van Houwelingen, HC");
    assert_int_equal(s.rec[0].year, 2007);
    assert_string_equal(s.rec[0].doi, "10.1056/nejmoa064039");
    assert_string_equal(s.rec[0].pmid, "17538084");
    assert_string_equal(s.rec[0].journal, "N Engl J Med");
    assert_null(s.rec[1].title);
    assert_string_equal(s.rec[1].authors, "Smith, John; Doe, Ann");
    assert_int_equal(s.rec[1].year, 0);
    assert_null(s.rec[1].doi);
    assert_int_equal(s.rec[1].line, 3);
    assert_string_equal(s.rec[1].raw, "1,,\"Smith, John; Doe, Ann\",J,n.d.,x");
    assert_int_equal(s.warnings.n, 3); /* no title, no year, not a DOI */
    rp_set_free(&s);
    parse_bad("Name,Value\nx,1\n", "x:1:1: no title column");
    parse_bad("Title,Year\n", "x: no records in this CSV file");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256), cmocka_unit_test(test_doi),
        cmocka_unit_test(test_year),   cmocka_unit_test(test_clean),
        cmocka_unit_test(test_detect), cmocka_unit_test(test_ris),
        cmocka_unit_test(test_ris_errors), cmocka_unit_test(test_medline),
        cmocka_unit_test(test_csv),
    };
    RUN_TESTS(tests);
}
