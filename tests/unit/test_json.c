/* test_json.c - lazy arrays in JSON reports (app/json.c, jb_put_lazy): the
 * document must be byte for byte what jansson prints for the same tree
 * built at once, wherever the array sits, empty or not, nested, and when
 * the placeholder's text occurs in the data. */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "test.h"

/* Element i: an object with a nested array and an object, or a number
 * (ctx "num"). */
static json_t *elem(jb *c, const void *ctx, size_t i)
{
    json_t *o, *a;
    if (strcmp(ctx, "num") == 0)
        return json_real(0.5 + (double)i);
    o = json_object();
    a = json_array();
    jb_put(c, o, "i", json_integer((json_int_t)i));
    jb_put(c, o, "name", json_string(ctx));
    for (size_t j = 0; j < i; j++)
        jb_append(c, a, json_integer((json_int_t)j));
    jb_put(c, o, "list", a);
    jb_put(c, o, "empty", json_object());
    return o;
}

/* o[key]: n elements, lazy or built at once. */
static void put(jb *c, int lazy, json_t *o, const char *key, size_t n, const char *ctx)
{
    json_t *a;
    if (lazy) {
        jb_put_lazy(c, o, key, n, elem, ctx);
        return;
    }
    a = json_array();
    for (size_t i = 0; i < n; i++)
        jb_append(c, a, elem(c, ctx, i));
    jb_put(c, o, key, a);
}

/* The same document twice, lazy and built at once; the strings equal. */
static void build(int lazy, const char *label, size_t n1, size_t n2, size_t n3, sbuf *out)
{
    jb c = {0};
    json_t *root = json_object(), *inner = json_object();
    jb_put(&c, root, "file", json_string(label));
    put(&c, lazy, root, "studies", n1, "s");
    jb_put(&c, root, "middle", json_integer(7));
    put(&c, lazy, inner, "steps", n2, "num");
    jb_put(&c, root, "nested", inner);
    put(&c, lazy, root, "last", n3, "t");
    sb_init(out);
    assert_int_equal(jb_dump(&c, root, out), 0);
}

static void same(const char *label, size_t n1, size_t n2, size_t n3)
{
    sbuf a, b;
    build(1, label, n1, n2, n3, &a);
    build(0, label, n1, n2, n3, &b);
    assert_string_equal(a.p, b.p);
    sb_free(&a);
    sb_free(&b);
}

static void test_lazy_equals_eager(void **state)
{
    (void)state;
    same("f.csv", 3, 4, 2);
    same("f.csv", 0, 0, 0);
    same("f.csv", 1, 0, 5);
    same("f.csv", 50, 1, 0);
}

/* A string in the data with the placeholder's text: the arrays are built
 * at once, the document is the same. */
static void test_placeholder_in_data(void **state)
{
    (void)state;
    same("\001jb-lazy-0\001", 3, 2, 1);
    same("\001jb-lazy-2\001", 3, 2, 1);
    same("x\001jb-lazy-1\001", 3, 2, 1);
}

/* More lazy arrays than JB_MAX_LAZY: the rest are built at once. */
static void test_many(void **state)
{
    jb c = {0};
    json_t *root = json_object();
    sbuf out;
    char key[16];
    (void)state;
    for (int j = 0; j < JB_MAX_LAZY + 3; j++) {
        snprintf(key, sizeof key, "a%d", j);
        jb_put_lazy(&c, root, key, 2, elem, "num");
    }
    sb_init(&out);
    assert_int_equal(jb_dump(&c, root, &out), 0);
    assert_non_null(strstr(out.p, "\"a0\": [\n    0.5,\n    1.5\n  ],\n"));
    assert_non_null(strstr(out.p, "\"a10\": [\n    0.5,\n    1.5\n  ]\n}\n"));
    sb_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lazy_equals_eager),
        cmocka_unit_test(test_placeholder_in_data),
        cmocka_unit_test(test_many),
    };
    RUN_TESTS(tests);
}
