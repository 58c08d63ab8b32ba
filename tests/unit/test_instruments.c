/* test_instruments.c - the shipped instrument table, lookup by key, name
 * and alias, user tables (strict FILE:LINE:COL errors, override) and the
 * suggestions for unknown names (app/instruments.c, instruments_read.c). */
#include "test.h"

#include "instruments.h"

#define HEAD "key,name,aliases,min,max,higher_is,mcid,mcid_type,population,cite,source,note\n"

static void test_lookup(void **state)
{
    static const struct {
        const char *name, *key;
    } cases[] = {
        {"vas-pain-100", "vas-pain-100"}, {"VAS", "vas-pain-100"},     {"vas pain", "vas-pain-100"},
        {"NRS", "nrs-pain-10"},           {"PHQ-9", "phq9"},           {"phq_9", "phq9"},
        {"PHQ 9", "phq9"},                {"Oswestry", "odi"},         {"OSWESTRY DISABILITY INDEX", "odi"},
        {"oxford knee", "oxford-knee"},   {"OKS", "oxford-knee"},      {"OHS", "oxford-hip"},
        {"hads-a", "hads-a"},             {"HADS anxiety", "hads-a"},  {"hadsd", "hads-d"},
        {"Roland Morris", "rmdq"},        {"RDQ", "rmdq"},             {"EQ-5D", "eq5d-index"},
        {"quick dash", "quickdash"},      {"DASH", "dash"},            {"GAD-7", "gad7"},
        {"SGRQ", "sgrq"},                 {"Neck Disability Index", "ndi"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const app_instrument *e = app_instrument_find(cases[i].name);
        assert_non_null(e);
        assert_string_equal(e->key, cases[i].key);
    }
    assert_null(app_instrument_find("oxford"));
    assert_null(app_instrument_find("hads"));
    assert_null(app_instrument_find(""));
    assert_null(app_instrument_find("--"));
    assert_null(app_instrument_find("vas-pain-1000"));
}

/* Every shipped entry passes the checks a user file gets, keys are unique,
 * no name or alias leads to two entries, and the MCID value is quoted in
 * the source text. */
static void test_table(void **state)
{
    size_t n = app_instrument_count();
    (void)state;
    assert_true(n >= 20);
    assert_null(app_instrument_at(n));
    for (size_t i = 0; i < n; i++) {
        const app_instrument *e = app_instrument_at(i);
        sbuf b;
        assert_true(e->min < e->max);
        assert_true(e->mcid > 0 && e->mcid <= e->max - e->min);
        assert_true(isnan(e->mcid_pct) || (e->mcid_pct > 0 && e->mcid_pct < 100));
        assert_true(*e->name && *e->population && *e->cite && *e->source);
        for (const char *p = e->key; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
        assert_ptr_equal(app_instrument_find(e->key), e);
        assert_ptr_equal(app_instrument_find(e->name), e);
        for (size_t j = 0; j < n; j++)
            if (j != i) {
                const app_instrument *o = app_instrument_at(j);
                assert_string_not_equal(e->key, o->key);
                assert_false(app_instrument_matches(o, e->key));
                assert_false(app_instrument_matches(o, e->name));
            }
        sb_init(&b);
        sb_num(&b, e->mcid);
        if (!strstr(e->source, b.p))
            fail_msg("%s: the MCID %s is not quoted in its source", e->key, b.p);
        sb_free(&b);
        /* the citation's year is in the source */
        assert_non_null(strstr(e->source, e->cite + strlen(e->cite) - 4));
    }
}

static void test_user_override(void **state)
{
    static const char csv[] = HEAD
        "odi,Oswestry Disability Index v2.1a,ODI v2,0,100,worse,12.5,points,spine surgery,Doe 2021,"
        "Doe J. 2021 reports 12.5,\n"
        "koos-pain,KOOS pain,KOOS-P|KOOS pain subscale,0,100,better,8,points or 20%,knee injury,"
        "Roe 2003,\"Roe, 2003\",a note\n";
    app_instruments u;
    app_err e = {0, ""};
    const app_instrument *x;
    (void)state;
    assert_int_equal(app_instruments_parse("u.csv", csv, sizeof csv - 1, &u, &e), 0);
    assert_int_equal(u.n, 2);
    assert_int_equal(app_instruments_count(&u), app_instrument_count() + 1);
    assert_int_equal(app_instruments_count(NULL), app_instrument_count());
    /* the user odi replaces the shipped one in place, also when found by a shipped alias */
    x = app_instruments_find(&u, "oswestry");
    assert_non_null(x);
    assert_true(app_instrument_is_user(&u, x));
    assert_true(x->mcid == 12.5);
    assert_ptr_equal(app_instruments_at(&u, 3), x);
    assert_ptr_equal(app_instruments_find(&u, "ODI v2"), x);
    /* new entries after the shipped ones */
    x = app_instruments_at(&u, app_instrument_count());
    assert_string_equal(x->key, "koos-pain");
    assert_true(x->higher_better);
    assert_true(x->mcid_pct == 20);
    assert_string_equal(x->source, "Roe, 2003");
    assert_ptr_equal(app_instruments_find(&u, "koos pain subscale"), x);
    assert_null(app_instruments_at(&u, app_instrument_count() + 1));
    /* shipped entries not replaced stay shipped */
    x = app_instruments_find(&u, "vas");
    assert_false(app_instrument_is_user(&u, x));
    assert_ptr_equal(x, app_instrument_find("vas"));
    app_instruments_free(&u);
    app_instruments_free(&u); /* a second free is harmless */
}

/* A user alias does not hide a shipped key; a user key does. */
static void test_user_alias_vs_key(void **state)
{
    static const char csv[] = HEAD "my-scale,My scale,ndi|mine,0,10,worse,1,points,p,Me 2020,Me 2020 says 1,\n";
    app_instruments u;
    app_err e = {0, ""};
    (void)state;
    assert_int_equal(app_instruments_parse("u.csv", csv, sizeof csv - 1, &u, &e), 0);
    assert_string_equal(app_instruments_find(&u, "ndi")->key, "ndi");
    assert_string_equal(app_instruments_find(&u, "mine")->key, "my-scale");
    assert_string_equal(app_instruments_find(&u, "My-Scale")->key, "my-scale");
    app_instruments_free(&u);
}

static void test_user_errors(void **state)
{
    static const struct {
        const char *csv, *msg;
    } cases[] = {
        {HEAD "x,X,,0,100,worse,0,points,p,c,s,\n", "u.csv:2:7: mcid must be greater than 0"},
        {HEAD "x,X,,0,100,worse,-3,points,p,c,s,\n", "u.csv:2:7: mcid must be greater than 0"},
        {HEAD "x,X,,0,10,worse,11,points,p,c,s,\n", "u.csv:2:7: mcid 11 is larger than the range"},
        {HEAD "x,X,,5,5,worse,1,points,p,c,s,\n", "u.csv:2:5: max 5 must be greater than min 5"},
        {HEAD "x,X,,0,abc,worse,1,points,p,c,s,\n", "u.csv:2:5: max 'abc' is not a number"},
        {HEAD "x,X,,,10,worse,1,points,p,c,s,\n", "u.csv:2:4: min '' is missing"},
        {HEAD "x,X,,0,10,lower,1,points,p,c,s,\n", "u.csv:2:6: higher_is must be 'worse' or 'better'"},
        {HEAD "x,X,,0,10,worse,1,percent,p,c,s,\n", "u.csv:2:8: mcid_type must be"},
        {HEAD "x,X,,0,10,worse,1,points or 0%,p,c,s,\n", "u.csv:2:8: mcid_type must be"},
        {HEAD "x,X,,0,10,worse,1,points or 30,p,c,s,\n", "u.csv:2:8: mcid_type must be"},
        {HEAD "Big Key,X,,0,10,worse,1,points,p,c,s,\n", "u.csv:2:1: key must be lower-case"},
        {HEAD ",X,,0,10,worse,1,points,p,c,s,\n", "u.csv:2:1: key is empty"},
        {HEAD "x,,,0,10,worse,1,points,p,c,s,\n", "u.csv:2:2: name is empty"},
        {HEAD "x,X,,0,10,worse,1,points,,c,s,\n", "u.csv:2:9: population is empty"},
        {HEAD "x,X,,0,10,worse,1,points,p,,s,\n", "u.csv:2:10: cite is empty"},
        {HEAD "x,X,,0,10,worse,1,points,p,c, ,\n", "u.csv:2:11: source is empty"},
        {HEAD "x,X,,0,10,worse,1,points,p,c,s,\ny,Y,,0,10,worse,1,points,p,c,s,\n"
              "x,X,,0,10,worse,1,points,p,c,s,\n",
         "u.csv:4:1: key 'x' is given twice (also on line 2)"},
        {"key,name\nx,X\n", "u.csv:1: missing column 'aliases'"},
        {"key,name,aliases,min,max,higher_is,mcid,mcid_type,population,cite,source,note,doi\n",
         "u.csv:1:13: unknown column 'doi'"},
        {HEAD, "u.csv: no instrument rows"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        app_instruments u;
        app_err e = {0, ""};
        int rc = app_instruments_parse("u.csv", cases[i].csv, strlen(cases[i].csv), &u, &e);
        assert_int_equal(rc, -1);
        assert_int_equal(e.code, APP_EXIT_DATA);
        if (strncmp(e.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
            fail_msg("case %zu: got '%s', expected '%s...'", i, e.msg, cases[i].msg);
        assert_null(u.v);
        assert_int_equal(u.n, 0);
    }
}

static void test_suggest(void **state)
{
    const char *k[4];
    (void)state;
    assert_int_equal(app_instruments_suggest(NULL, "hads", k, 4), 2);
    assert_string_equal(k[0], "hads-a");
    assert_string_equal(k[1], "hads-d");
    assert_int_equal(app_instruments_suggest(NULL, "oxford", k, 4), 2);
    assert_int_equal(app_instruments_suggest(NULL, "oswestri", k, 4), 1);
    assert_string_equal(k[0], "odi");
    assert_int_equal(app_instruments_suggest(NULL, "phq", k, 1), 1);
    assert_string_equal(k[0], "phq9");
    assert_int_equal(app_instruments_suggest(NULL, "zzzzqqqq", k, 4), 0);
    assert_int_equal(app_instruments_suggest(NULL, "", k, 4), 0);
}

static void test_words(void **state)
{
    sbuf b;
    (void)state;
    sb_init(&b);
    app_instrument_mcid_sentence(app_instrument_find("vas"), &b);
    assert_string_equal(b.p, "MCID 15 points (Ostelo et al. 2008)");
    b.len = 0;
    app_instrument_mcid_type(app_instrument_find("vas"), &b);
    assert_string_equal(b.p, "points or 30%");
    b.len = 0;
    app_instrument_mcid_type(app_instrument_find("ndi"), &b);
    assert_string_equal(b.p, "points");
    b.len = 0;
    app_instrument_mcid_sentence(app_instrument_find("ndi"), &b);
    assert_string_equal(b.p, "MCID 7.5 points (Young et al. 2009)");
    sb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),          cmocka_unit_test(test_table),
        cmocka_unit_test(test_user_override),   cmocka_unit_test(test_user_alias_vs_key),
        cmocka_unit_test(test_user_errors),
        cmocka_unit_test(test_suggest),         cmocka_unit_test(test_words),
    };
    RUN_TESTS(tests);
}
