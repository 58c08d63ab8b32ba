/*
 * test_subgroup.c - `pool --by`: each subgroup pooled with its own tau^2
 * and RevMan's test for subgroup differences, against metafor 3.8-1 run
 * with tight control (tools/golden_subgroups.R writes
 * tests/golden_subgroups/; the R calls are in that script).  Tolerance
 * 1e-9 relative (1e-12 absolute for tau2 near 0).
 */
#include <stdlib.h>

#include "test.h"
#include "app.h"

static const char *cell(const app_table *t, size_t r, const char *name)
{
    return app_table_cell(t, r, (size_t)app_table_col(t, name));
}

static double num(const app_table *t, size_t r, const char *name)
{
    const char *s = cell(t, r, name);
    return strcmp(s, "NA") == 0 ? NAN : strtod(s, NULL);
}

static void close_to(double got, double want, const char *what, int *bad)
{
    double tol = 1e-9 * fabs(want) + 1e-12;
    if (isnan(want) && isnan(got))
        return;
    if (!(fabs(got - want) <= tol)) {
        print_error("%s: got %.17g, metafor %.17g\n", what, got, want);
        *bad = 1;
    }
}

/* One set x method x test: its subgroup rows and the test row. */
static int check_block(const app_table *ex, size_t r0, size_t n)
{
    const char *set = cell(ex, r0, "set"), *by = strcmp(set, "bcg") == 0 ? "alloc" : "grade";
    char path[256], what[300];
    app_table t;
    app_data d;
    app_result r;
    app_err e = {0, ""};
    msyn_measure m;
    msyn_method meth;
    msyn_test test;
    int bad = 0;
    memset(&r, 0, sizeof r);
    snprintf(path, sizeof path, "tests/golden_subgroups/input_%s.csv",
             strcmp(set, "bcg") == 0 ? "bcg" : "bangertdrowns");
    assert_int_equal(app_table_read(path, &t, &e), 0);
    assert_int_equal(msyn_measure_parse(cell(ex, r0, "measure"), &m), MSYN_OK);
    assert_int_equal(msyn_method_parse(cell(ex, r0, "method"), &meth), MSYN_OK);
    assert_int_equal(msyn_test_parse(cell(ex, r0, "test"), &test), MSYN_OK);
    msyn_preset_apply(MSYN_PRESET_METAFOR, m, &meth, &r.po, &r.eo);
    r.po.test = test;
    assert_int_equal(app_data_load(&t, m, NULL, &r.eo, &d, &e), 0);
    r.data = &d;
    r.measure = m;
    r.file = path;
    r.yi = calloc(d.k + 1, sizeof *r.yi);
    r.vi = calloc(d.k + 1, sizeof *r.vi);
    assert_int_equal(msyn_es(m, &d.es, d.k, &r.eo, r.yi, r.vi, NULL), MSYN_OK);
    assert_int_equal(app_subgroups_fit(&r, &t, by, 1, 0, &e), 0);
    assert_int_equal(r.sg.n + 1, n);
    for (size_t j = 0; j < r.sg.n; j++) {
        const msyn_fit *f = &r.sg.g[j].fit;
        size_t row = r0 + j;
        snprintf(what, sizeof what, "%s %s %s %s", set, cell(ex, row, "method"), cell(ex, row, "test"),
                 cell(ex, row, "group"));
        assert_string_equal(r.sg.g[j].name, cell(ex, row, "group"));
        assert_true(r.sg.g[j].pooled);
        close_to((double)f->k, num(ex, row, "k"), what, &bad);
        close_to(f->estimate, num(ex, row, "estimate"), what, &bad);
        close_to(f->se, num(ex, row, "se"), what, &bad);
        close_to(f->ci_lb, num(ex, row, "ci_lb"), what, &bad);
        close_to(f->ci_ub, num(ex, row, "ci_ub"), what, &bad);
        close_to(f->pval, num(ex, row, "pval"), what, &bad);
        close_to(f->tau2, num(ex, row, "tau2"), what, &bad);
        close_to(f->I2, num(ex, row, "I2"), what, &bad);
        close_to(f->Q, num(ex, row, "Q"), what, &bad);
    }
    snprintf(what, sizeof what, "%s %s %s subgroup test", set, cell(ex, r0, "method"), cell(ex, r0, "test"));
    close_to(r.sg.Q, num(ex, r0 + n - 1, "Q"), what, &bad);
    close_to(r.sg.pval, num(ex, r0 + n - 1, "pval"), what, &bad);
    app_subgroups_free(&r.sg);
    free(r.yi);
    free(r.vi);
    app_data_free(&d);
    app_table_free(&t);
    return bad;
}

static void test_golden(void **state)
{
    app_table ex;
    app_err e = {0, ""};
    int bad = 0;
    size_t blocks = 0;
    (void)state;
    assert_int_equal(app_table_read("tests/golden_subgroups/expected.csv", &ex, &e), 0);
    for (size_t r0 = 0; r0 < ex.nrow;) {
        size_t n = 0;
        while (strcmp(cell(&ex, r0 + n, "group"), "(test)") != 0)
            n++;
        n++; /* the test row */
        bad |= check_block(&ex, r0, n);
        blocks++;
        r0 += n;
    }
    assert_int_equal(blocks, 12);
    app_table_free(&ex);
    assert_false(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_golden)};
    RUN_TESTS(tests);
}
