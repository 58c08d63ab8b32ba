/*
 * test_plot.c - the drawing device and its backends (app/plot*.c):
 * measured text, the layout checker, ticks, SVG that parses and keeps
 * its text, PNG that is the right size and not blank, PDF.
 */
#include "test.h"

#include <cairo.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "plot.h"

static const plot_font f9 = {9, 0, 0, PLOT_BLACK};

static void measured_text(void **state)
{
    plot p;
    plot_extent a, b, c;
    (void)state;
    assert_int_equal(plot_init(&p, 200, 100, NULL, "t"), 0);
    a = plot_measure(&p, "Study", &f9);
    b = plot_measure(&p, "Study Study", &f9);
    c = plot_measure(&p, "Study", &(plot_font){18, 0, 0, PLOT_BLACK});
    assert_true(a.width > 10 && a.width < 40);
    assert_true(b.width > 2 * a.width);          /* plus a space */
    assert_close_abs(c.width, 2 * a.width, 0.01); /* no hinting: scales (to pango units) */
    assert_true(a.ascent > 5 && a.ascent < 10 && a.descent > 1 && a.descent < 4);
    /* UTF-8 names are measured as characters, not bytes */
    assert_true(plot_measure(&p, "\xc3\x85str\xc3\xb6m", &f9).width < plot_measure(&p, "AAstroem", &f9).width);
    plot_free(&p);
}

static void ellipsize(void **state)
{
    plot p;
    char *s, *t;
    (void)state;
    plot_init(&p, 200, 100, NULL, "t");
    s = plot_ellipsize(&p, "Short", &f9, 100);
    assert_string_equal(s, "Short");
    t = plot_ellipsize(&p, "A very long study name with \xc3\x85str\xc3\xb6m in it", &f9, 60);
    assert_non_null(t);
    assert_true(plot_measure(&p, t, &f9).width <= 60);
    assert_true(strlen(t) > 3 && strcmp(t + strlen(t) - 3, "\xe2\x80\xa6") == 0);
    app_free(s);
    app_free(t);
    plot_free(&p);
}

static void layout_check(void **state)
{
    plot p;
    char why[256];
    (void)state;
    plot_init(&p, 200, 100, NULL, "t");
    plot_text(&p, 10, 20, "one", &f9, PLOT_LEFT, 0, "label");
    plot_text(&p, 10, 40, "two", &f9, PLOT_LEFT, 0, "label");
    assert_int_equal(plot_check_text(&p, 0.25, why, sizeof why), 0);
    plot_text(&p, 12, 22, "three", &f9, PLOT_LEFT, 0, "label"); /* on top of "one" */
    assert_int_equal(plot_check_text(&p, 0.25, why, sizeof why), 1);
    assert_non_null(strstr(why, "overlaps"));
    plot_text(&p, 199, 60, "out", &f9, PLOT_LEFT, 0, "label"); /* past the right edge */
    assert_int_equal(plot_check_text(&p, 0.25, why, sizeof why), 2);
    /* a turned label: its box is tall, not wide */
    plot_text(&p, 150, 90, "up", &f9, PLOT_CENTRE, 90, "axis-title");
    assert_true(p.items[p.n - 1].box[3] - p.items[p.n - 1].box[1] > p.items[p.n - 1].box[2] - p.items[p.n - 1].box[0]);
    plot_free(&p);
}

static void ticks(void **state)
{
    double t[32];
    size_t n;
    (void)state;
    n = plot_pretty(-1.3, 2.7, 5, t, 32);
    assert_int_equal(n, 4); /* -1 0 1 2: steps of 1 for a range of 4 */
    assert_close(t[0], -1.0, 1e-12);
    assert_close(t[n - 1], 2.0, 1e-12);
    n = plot_pretty(0, 100, 5, t, 32);
    assert_int_equal(n, 6);
    assert_close(t[5], 100, 1e-12);
    n = plot_log_ticks(log(0.1), log(10), t, 32);
    assert_int_equal(n, 7); /* 0.1 0.2 0.5 1 2 5 10 */
    assert_close(exp(t[3]), 1.0, 1e-12);
    {
        char b[32];
        plot_tick_label(log(0.5), 1, b, sizeof b);
        assert_string_equal(b, "0.5");
        plot_tick_label(-2, 0, b, sizeof b);
        assert_string_equal(b, "\xe2\x88\x92" "2");
    }
}

static plot *sample(plot *p)
{
    plot_style s = {PLOT_BLACK, 0x1f4e9cffu, 0.75, PLOT_SOLID};
    double tri[6] = {10, 10, 30, 10, 20, 25};
    plot_init(p, 144, 72, NULL, "A & B <test>");
    plot_rect(p, 5, 5, 40, 40, &s);
    plot_line(p, 0, 60, 144, 60, &s);
    plot_polygon(p, tri, 3, &s);
    plot_circle(p, 100, 30, 10, &s);
    plot_clip(p, 50, 0, 90, 72);
    plot_text(p, 50, 50, "Favours <A> & \"B\" \xe2\x88\x92 \xc3\x85", &f9, PLOT_LEFT, 0, "label");
    plot_unclip(p);
    plot_text(p, 130, 40, "up", &f9, PLOT_CENTRE, 90, "axis-title");
    return p;
}

static void svg_parses(void **state)
{
    plot p;
    sbuf o;
    xmlDocPtr doc;
    xmlNodePtr root;
    int texts = 0, rects = 0;
    (void)state;
    sb_init(&o);
    assert_int_equal(plot_svg(sample(&p), &o), 0);
    doc = xmlReadMemory(o.p, (int)o.len, "t.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    assert_non_null(doc);
    root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "svg");
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "text") == 0) {
            xmlChar *c = xmlNodeGetContent(n);
            if (texts++ == 0)
                assert_string_equal((const char *)c, "Favours <A> & \"B\" \xe2\x88\x92 \xc3\x85");
            xmlFree(c);
        }
        rects += strcmp((const char *)n->name, "rect") == 0;
        if (strcmp((const char *)n->name, "g") == 0) /* the clipped group */
            for (xmlNodePtr m = n->children; m; m = m->next)
                if (m->type == XML_ELEMENT_NODE && strcmp((const char *)m->name, "text") == 0) {
                    xmlChar *c = xmlNodeGetContent(m);
                    assert_string_equal((const char *)c, "Favours <A> & \"B\" \xe2\x88\x92 \xc3\x85");
                    xmlFree(c);
                    texts++;
                }
    }
    assert_int_equal(texts, 2);
    assert_int_equal(rects, 2); /* background and the rectangle */
    assert_non_null(strstr(o.p, "width=\"144pt\" height=\"72pt\""));
    xmlFreeDoc(doc);
    sb_free(&o);
    plot_free(&p);
}

typedef struct rd {
    const sbuf *b;
    size_t at;
} rd;

static cairo_status_t read_sbuf(void *closure, unsigned char *data, unsigned int len)
{
    rd *r = closure;
    if (r->at + len > r->b->len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->b->p + r->at, len);
    r->at += len;
    return CAIRO_STATUS_SUCCESS;
}

static void png_and_pdf(void **state)
{
    plot p;
    sbuf o, q;
    rd r;
    cairo_surface_t *s;
    size_t dark = 0;
    (void)state;
    sb_init(&o);
    sb_init(&q);
    sample(&p);
    assert_int_equal(plot_cairo(&p, PLOT_PNG, 144, &o), 0);
    assert_memory_equal(o.p, "\x89PNG", 4);
    r.b = &o;
    r.at = 0;
    s = cairo_image_surface_create_from_png_stream(read_sbuf, &r);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), 288); /* 2 in at 144 dpi */
    assert_int_equal(cairo_image_surface_get_height(s), 144);
    {
        unsigned char *px = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        for (int y = 0; y < 144; y++)
            for (int x = 0; x < 288; x++) {
                uint32_t v;
                memcpy(&v, px + y * stride + 4 * x, 4);
                dark += (v & 0xffffffu) != 0xffffffu;
            }
    }
    assert_true(dark > 500 && dark < 288 * 144 / 2); /* drawn, not a blot */
    cairo_surface_destroy(s);
    assert_int_equal(plot_cairo(&p, PLOT_PDF, 0, &q), 0);
    assert_memory_equal(q.p, "%PDF-", 5);
    assert_true(q.len > 1000);
    sb_free(&o);
    sb_free(&q);
    plot_free(&p);
}

static void formats(void **state)
{
    (void)state;
    assert_int_equal(plot_format_of("a/b.SVG"), PLOT_SVG);
    assert_int_equal(plot_format_of("x.pdf"), PLOT_PDF);
    assert_int_equal(plot_format_of("x.png"), PLOT_PNG);
    assert_int_equal(plot_format_of("x.jpg"), -1);
    assert_int_equal(plot_format_of("svg"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(measured_text), cmocka_unit_test(ellipsize), cmocka_unit_test(layout_check),
        cmocka_unit_test(ticks),         cmocka_unit_test(svg_parses), cmocka_unit_test(png_and_pdf),
        cmocka_unit_test(formats),
    };
    RUN_TESTS(tests);
}
