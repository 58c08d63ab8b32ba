/*
 * test_report_doc.c - the --report document (report_doc*.c): the results
 * sentence and methods paragraph word for word, the reference list equal
 * to what is cited, HTML that an XML parser accepts with nothing fetched
 * from outside, inline SVG made safe for a page with several figures, and
 * Markdown with its figures beside it.
 */
#include "test.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "plot.h"
#include "report_doc_int.h"

static const char bcg_csv[] =
    "study,ai,bi,ci,di,alloc\n"
    "Aronson 1948,4,119,11,128,random\n"
    "Ferguson & Simes 1949,6,300,29,274,random\n"
    "Rosenthal et al 1960,3,228,11,209,random\n"
    "Hart & Sutherland 1977,62,13536,248,12619,random\n"
    "Frimodt-Moller et al 1973,33,5036,47,5761,alternate\n"
    "Stein & Aronson 1953,180,1361,372,1079,alternate\n"
    "Vandiviere et al 1973,8,2537,10,619,random\n"
    "TPT Madras 1980,505,87886,499,87892,random\n"
    "Coetzee & Berjak 1968,29,7470,45,7232,random\n"
    "Rosenthal et al 1961,17,1699,65,1600,systematic\n"
    "Comstock et al 1974,186,50448,141,27197,systematic\n"
    "Comstock & Webster 1969,5,2493,3,2338,systematic\n"
    "Comstock et al 1976,27,16886,29,17825,systematic\n";

typedef struct fixture {
    app_table t;
    app_data d;
    app_result r;
} fixture;

/* pool --measure RR on the BCG trials with the cochrane2025 preset and
 * method m, as cmd_pool.c runs it. */
static fixture *bcg_pool(msyn_method m, const char *report)
{
    fixture *x = calloc(1, sizeof *x);
    app_err e = {0, ""};
    app_result *r = &x->r;
    size_t k;
    msyn_status rc;
    assert_non_null(x);
    assert_int_equal(app_table_parse("bcg.csv", bcg_csv, strlen(bcg_csv), &x->t, &e), 0);
    assert_int_equal(msyn_preset_apply(MSYN_PRESET_COCHRANE2025, MSYN_MEASURE_RR, &m, &r->po, &r->eo), MSYN_OK);
    if (m == MSYN_METHOD_EE || m == MSYN_METHOD_MH)
        r->po.test = MSYN_TEST_Z;
    r->po.alloc = app_msyn_allocator();
    assert_int_equal(app_data_load(&x->t, MSYN_MEASURE_RR, NULL, &r->eo, &x->d, &e), 0);
    k = x->d.k;
    r->command = "pool";
    r->file = "bcg.csv";
    r->preset = MSYN_PRESET_COCHRANE2025;
    r->measure = MSYN_MEASURE_RR;
    r->data = &x->d;
    r->digits = 4;
    r->reexpress_sd = r->mcid = r->n_hm = nan("");
    r->min_k = 2;
    r->table = &x->t;
    r->fig.report = report;
    r->yi = app_alloc(k * sizeof *r->yi);
    r->vi = app_alloc(k * sizeof *r->vi);
    r->w = app_alloc(k * sizeof *r->w);
    r->esflags = app_alloc(k * sizeof *r->esflags);
    assert_int_equal(msyn_es(r->measure, &x->d.es, k, &r->eo, r->yi, r->vi, r->esflags), MSYN_OK);
    assert_int_equal(app_pool_fit(r, NULL, k, &r->fit, r->w, &rc), 0);
    assert_int_equal(rc, MSYN_OK);
    r->fitted = 1;
    return x;
}

static void fixture_free(fixture *x)
{
    app_subgroups_free(&x->r.sg);
    app_free(x->r.yi);
    app_free(x->r.vi);
    app_free(x->r.w);
    app_free(x->r.esflags);
    app_strlist_free(&x->r.warnings);
    app_data_free(&x->d);
    app_table_free(&x->t);
    free(x);
}

static char *text_of(int (*fn)(const app_result *, app_markup, sbuf *), const app_result *r, app_markup m)
{
    sbuf b;
    sb_init(&b);
    assert_int_equal(fn(r, m, &b), 0);
    sb_add(&b, "", 0);
    assert_non_null(b.p);
    return b.p;
}

static void sentence_reml_hksj(void **state)
{
    fixture *x = bcg_pool(MSYN_METHOD_REML, "r.html");
    char *s = text_of(app_doc_results, &x->r, APP_MARKUP_TEXT);
    (void)state;
    /* the numbers of the text report (pool-bcg-text) */
    assert_string_equal(s, "A random-effects meta-analysis (REML, Hartung-Knapp-Sidik-Jonkman CI) of 13 studies "
                           "(357,347 participants) found RR 0.4894 (95% CI 0.3301 to 0.7257; p = 0.0019; "
                           "I² = 92.2%; 95% prediction interval 0.1359 to 1.7629).");
    app_free(s);
    s = text_of(app_doc_results, &x->r, APP_MARKUP_HTML);
    assert_non_null(strstr(s, "(REML, Hartung–Knapp–Sidik–Jonkman CI)"));
    app_free(s);
    fixture_free(x);
}

static void sentence_names_the_method_that_ran(void **state)
{
    fixture *x = bcg_pool(MSYN_METHOD_MH, "r.html");
    char *s = text_of(app_doc_results, &x->r, APP_MARKUP_TEXT);
    (void)state;
    assert_non_null(strstr(s, "A common-effect meta-analysis (Mantel-Haenszel) of 13 studies"));
    app_free(s);
    s = text_of(app_doc_results, &x->r, APP_MARKUP_MD);
    assert_non_null(strstr(s, "(Mantel–Haenszel)"));
    app_free(s);
    fixture_free(x);
    x = bcg_pool(MSYN_METHOD_DL, "r.html");
    x->r.po.test = MSYN_TEST_Z;
    s = text_of(app_doc_results, &x->r, APP_MARKUP_TEXT);
    assert_non_null(strstr(s, "(DerSimonian-Laird, Hartung-Knapp-Sidik-Jonkman CI)"));
    app_free(s);
    fixture_free(x);
}

static int popcount(uint64_t v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Every method named is cited, and the list holds exactly the citations. */
static void references_match_citations(void **state)
{
    fixture *x = bcg_pool(MSYN_METHOD_REML, "r.md");
    uint64_t cited = 0;
    sbuf m, refs;
    int lines = 0;
    (void)state;
    sb_init(&m);
    sb_init(&refs);
    assert_int_equal(app_doc_methods(&x->r, APP_MARKUP_TEXT, &cited, &m), 0);
    sb_add(&m, "", 0);
    assert_non_null(strstr(m.p, "restricted maximum likelihood (Viechtbauer 2005)"));
    assert_non_null(strstr(m.p, "Hartung-Knapp-Sidik-Jonkman method (Hartung & Knapp 2001; Sidik & Jonkman 2002)"));
    assert_non_null(strstr(m.p, "Q-profile confidence interval (Viechtbauer 2007)"));
    assert_non_null(strstr(m.p, "t distribution with 12 degrees of freedom (IntHout et al. 2016)"));
    assert_null(strstr(m.p, "DerSimonian"));
    assert_int_equal(popcount(cited), 7);
    assert_int_equal(app_doc_references(cited, APP_MARKUP_MD, &refs), 0);
    sb_add(&refs, "", 0);
    for (const char *p = refs.p; (p = strstr(p, "- ")) != NULL; p += 2)
        lines += p == refs.p || p[-1] == '\n';
    assert_int_equal(lines, 7);
    assert_non_null(strstr(refs.p, "Viechtbauer W (2005)"));
    assert_null(strstr(refs.p, "DerSimonian"));
    assert_null(strstr(refs.p, "http"));
    sb_free(&m);
    sb_free(&refs);
    fixture_free(x);
}

static const char *attr(xmlNode *n, const char *name)
{
    xmlAttr *a = xmlHasProp(n, (const xmlChar *)name);
    return a && a->children ? (const char *)a->children->content : NULL;
}

/* Walk the tree: nothing that would fetch anything; collect h2 titles. */
static void walk(xmlNode *n, char *h2, size_t cap, int *external)
{
    static const char *const fetching[] = {"script", "link", "img", "iframe", "object", "embed", "video",
                                           "audio", "source", "image", "use", "base", NULL};
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (int i = 0; fetching[i]; i++)
            *external += strcmp((const char *)n->name, fetching[i]) == 0;
        if (attr(n, "src"))
            (*external)++;
        if (attr(n, "href") && attr(n, "href")[0] != '#')
            (*external)++;
        if (strcmp((const char *)n->name, "h2") == 0) {
            xmlChar *t = xmlNodeGetContent(n);
            size_t len = strlen(h2);
            snprintf(h2 + len, cap - len, "%s|", (const char *)t);
            xmlFree(t);
        }
        walk(n->children, h2, cap, external);
    }
}

static void html_is_well_formed_and_self_contained(void **state)
{
    fixture *x = bcg_pool(MSYN_METHOD_REML, "out/review.html");
    app_outputs o = {NULL, 0, 0};
    app_err e = {0, ""};
    xmlDoc *xd;
    char h2[1024] = "";
    int external = 0;
    (void)state;
    x->r.by = "alloc";
    assert_int_equal(app_subgroups_fit(&x->r, &x->t, "alloc", 2, 0, &e), 0);
    assert_int_equal(app_report_doc(&x->r, &o, &e), 0);
    assert_int_equal(o.n, 1);
    assert_string_equal(o.v[0].path, "out/review.html");
    xd = xmlReadMemory(o.v[0].data.p, (int)o.v[0].data.len, "review.html", "UTF-8",
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    assert_non_null(xd); /* well-formed */
    walk(xmlDocGetRootElement(xd), h2, sizeof h2, &external);
    assert_int_equal(external, 0);
    assert_string_equal(h2, "Analysis|Data checks and warnings|Studies|Pooled result|Subgroups by alloc|"
                            "Figures|Methods|Results|References|");
    xmlFreeDoc(xd);
    assert_null(strstr(o.v[0].data.p, "http"));
    assert_non_null(strstr(o.v[0].data.p, "@media print"));
    /* typographic minus on the analysis scale, and the subgroup test */
    assert_non_null(strstr(o.v[0].data.p, "<td>−0.7145 [−1.1084; −0.3206]</td>"));
    assert_non_null(strstr(o.v[0].data.p, "Test for subgroup differences: χ² = "));
    assert_non_null(strstr(o.v[0].data.p, "Ferguson &amp; Simes 1949"));
    app_outputs_free(&o);
    fixture_free(x);
}

/* Every figure is there: drawn beside the Markdown, or a note says why. */
static void markdown_figures_beside_or_noted(void **state)
{
    fixture *x = bcg_pool(MSYN_METHOD_REML, "out/review.md");
    app_outputs o = {NULL, 0, 0};
    app_err e = {0, ""};
    static const char *const fig[2][3] = {{"Forest plot", "out/review-forest.svg", "![Forest plot](review-forest.svg)"},
                                          {"Funnel plot", "out/review-funnel.svg", "![Funnel plot](review-funnel.svg)"}};
    (void)state;
    assert_int_equal(app_report_doc(&x->r, &o, &e), 0);
    assert_string_equal(o.v[0].path, "out/review.md");
    sb_add(&o.v[0].data, "", 0);
    for (int f = 0; f < 2; f++) {
        char note[64];
        int beside = 0;
        for (size_t i = 1; i < o.n; i++)
            beside += strcmp(o.v[i].path, fig[f][1]) == 0 && strstr(o.v[i].data.p, "<svg") != NULL;
        snprintf(note, sizeof note, "%s not shown: ", fig[f][0]);
        if (beside)
            assert_non_null(strstr(o.v[0].data.p, fig[f][2]));
        else
            assert_non_null(strstr(o.v[0].data.p, note));
    }
    assert_non_null(strstr(o.v[0].data.p, "| Study | Events 1 | Total 1 | Events 2 | Total 2 | RR [95% CI] | Weight |"));
    assert_non_null(strstr(o.v[0].data.p, "\n## Methods\n"));
    app_outputs_free(&o);
    fixture_free(x);
}

/* An SVG as plot_svg() writes it (a literal: drawing with the real device
 * would load fontconfig, whose caches LeakSanitizer reports as leaks). */
static const char figure_svg[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"200pt\" height=\"100pt\" "
    "viewBox=\"0 0 200 100\" font-family=\"DejaVu Sans, sans-serif\">\n"
    "<title>t</title>\n"
    "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    "<clipPath id=\"clip0\"><rect x=\"10\" y=\"10\" width=\"180\" height=\"80\"/></clipPath>\n"
    "<g clip-path=\"url(#clip0)\">\n"
    "<line x1=\"0\" y1=\"0\" x2=\"200\" y2=\"100\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1\"/>\n"
    "</g>\n"
    "<text class=\"label\" x=\"20\" y=\"50\" font-size=\"10\">url(#clip0) id=&quot;x&quot; &amp; &lt;b&gt;</text>\n"
    "</svg>\n";

static void inline_svg_has_unique_ids(void **state)
{
    sbuf out;
    (void)state;
    sb_init(&out);
    doc_svg_inline(&out, figure_svg, strlen(figure_svg), "fig-forest-");
    sb_add(&out, "", 0);
    assert_null(strstr(out.p, "<?xml"));
    assert_null(strstr(out.p, "xmlns"));
    assert_true(strncmp(out.p, "<svg version=\"1.1\"", 18) == 0);
    assert_non_null(strstr(out.p, "<clipPath id=\"fig-forest-clip0\">"));
    assert_non_null(strstr(out.p, "clip-path=\"url(#fig-forest-clip0)\""));
    /* text content is left alone */
    assert_non_null(strstr(out.p, ">url(#clip0) id=&quot;x&quot; &amp; &lt;b&gt;</text>"));
    assert_non_null(strstr(out.p, "viewBox=\"0 0 200 100\""));
    sb_free(&out);
}

static void escaping(void **state)
{
    doc d;
    sbuf b;
    char buf[48];
    (void)state;
    sb_init(&b);
    memset(&d, 0, sizeof d);
    d.o = &b;
    d.m = APP_MARKUP_MD;
    doc_esc(&d, "-a|b*c_d [x](y) <i> p < 0.05 &amp;");
    sb_add(&b, "", 0);
    assert_string_equal(b.p, "\\-a\\|b\\*c\\_d [x\\](y) \\<i> p < 0.05 \\&amp;");
    assert_string_equal(doc_fx(&d, -0.5, 2, buf, sizeof buf), "−0.50");
    assert_string_equal(doc_fx(&d, -0.0001, 2, buf, sizeof buf), "0.00");
    assert_string_equal(doc_count(1176, buf, sizeof buf), "1,176");
    assert_string_equal(doc_count(357347, buf, sizeof buf), "357,347");
    assert_string_equal(doc_count(999, buf, sizeof buf), "999");
    assert_string_equal(doc_pcol(&d, 0.00001, buf, sizeof buf), "< 0.0001");
    d.m = APP_MARKUP_TEXT;
    assert_string_equal(doc_fx(&d, -0.5, 2, buf, sizeof buf), "-0.50");
    sb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sentence_reml_hksj),
        cmocka_unit_test(sentence_names_the_method_that_ran),
        cmocka_unit_test(references_match_citations),
        cmocka_unit_test(html_is_well_formed_and_self_contained),
        cmocka_unit_test(markdown_figures_beside_or_noted),
        cmocka_unit_test(inline_svg_has_unique_ids),
        cmocka_unit_test(escaping),
    };
    RUN_TESTS(tests);
}
