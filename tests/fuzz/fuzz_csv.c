/*
 * fuzz_csv.c - libFuzzer harness: any bytes as a study file.
 *
 * Parses the input as a CSV table, loads it for several measures, computes
 * effect sizes and pools them with several methods.  Then the whole `pool`
 * pipeline: `check`'s rules over the table (text and JSON findings), and
 * for every measure the table loads for, the random-effects fit as
 * app_result with leave-one-out and influence, written as the text, JSON
 * and CSV reports (to memory).  Anything may be rejected with a message;
 * nothing may crash, leak or read out of bounds.
 * `make fuzz` builds it with clang's fuzzer; tests/fuzz/replay.c replays
 * the corpus in `make check`.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "app.h"
#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void pool_all(const app_data *d, msyn_measure m)
{
    static const msyn_method methods[] = {MSYN_METHOD_EE, MSYN_METHOD_DL, MSYN_METHOD_REML,
                                          MSYN_METHOD_PM, MSYN_METHOD_SJ, MSYN_METHOD_MH};
    double *y = app_calloc(d->k + 1, sizeof *y), *v = app_calloc(d->k + 1, sizeof *v);
    double *w = app_calloc(d->k + 1, sizeof *w);
    unsigned *f = app_calloc(d->k + 1, sizeof *f);
    if (y && v && w && f && msyn_es(m, &d->es, d->k, NULL, y, v, f) == MSYN_OK) {
        for (size_t j = 0; j < sizeof methods / sizeof methods[0]; j++) {
            msyn_pool_opts o;
            msyn_fit fit;
            msyn_pool_opts_default(&o);
            o.method = methods[j];
            o.test = j % 2 ? MSYN_TEST_KNHA : MSYN_TEST_Z;
            if (d->input == MSYN_INPUT_TABLE && d->es.bi && d->es.di)
                msyn_pool_tables(m, d->es.ai, d->es.bi, d->es.ci, d->es.di, d->k, NULL, &o, &fit,
                                 NULL, NULL, w);
            else if (methods[j] != MSYN_METHOD_MH && msyn_pool(y, v, d->k, &o, &fit) == MSYN_OK)
                msyn_pool_weights(v, d->k, &fit, w);
        }
    }
    app_free(y);
    app_free(v);
    app_free(w);
    app_free(f);
}

/* check's rules over the table, both reports. */
static void check_all(const app_table *t)
{
    app_check_opts o;
    app_findings f;
    app_err e;
    sbuf b;
    app_check_opts_default(&o);
    memset(&f, 0, sizeof f);
    sb_init(&b);
    if (app_check_table(t, &o, &f, &e) == 0) {
        app_check_text("fuzz.csv", &f, &b);
        app_check_json("fuzz.csv", &f, &b);
    }
    app_findings_free(&f);
    sb_free(&b);
}

/* What `metasyn pool FILE` does after loading (cli/pool_fit.c, without
 * its warnings): effect sizes, the REML fit with the Knapp-Hartung test
 * on study i's measure (MH for 2x2 tables when i is odd), leave-one-out
 * and influence, and the text, JSON and CSV reports into memory. */
static void report_all(const app_table *t, const app_data *d, msyn_measure m,
                       const msyn_es_opts *eo, size_t i)
{
    app_result r;
    msyn_status rc;
    app_err e;
    sbuf b;
    size_t k = d->k, n = 0;
    double s = 0;
    memset(&r, 0, sizeof r);
    r.command = "pool";
    r.file = "fuzz.csv";
    r.measure = m;
    r.data = d;
    r.table = t;
    r.eo = *eo;
    msyn_pool_opts_default(&r.po);
    r.po.alloc = app_msyn_allocator();
    r.po.method = i % 2 && d->input == MSYN_INPUT_TABLE ? MSYN_METHOD_MH : MSYN_METHOD_REML;
    r.po.test = r.po.method == MSYN_METHOD_MH ? MSYN_TEST_Z : MSYN_TEST_KNHA;
    r.digits = 4;
    r.min_k = 2;
    r.reexpress_sd = app_measure_standardized(m) ? 10 : nan("");
    r.mcid = nan("");
    r.want_l1o = r.want_inf = r.po.method != MSYN_METHOD_MH; /* MH: no refits */
    for (size_t j = 0; d->es.ni && j < k; j++)
        if (d->es.ni[j] > 0)
            s += 1.0 / d->es.ni[j], n++;
    r.n_hm = n ? (double)n / s : nan("");
    r.yi = app_alloc((k + 1) * sizeof *r.yi);
    r.vi = app_alloc((k + 1) * sizeof *r.vi);
    r.w = app_alloc((k + 1) * sizeof *r.w);
    r.esflags = app_alloc((k + 1) * sizeof *r.esflags);
    sb_init(&b);
    if (r.yi && r.vi && r.w && r.esflags &&
        msyn_es(m, &d->es, k, &r.eo, r.yi, r.vi, r.esflags) == MSYN_OK &&
        app_pool_fit(&r, NULL, k, &r.fit, r.w, &rc) == 0 && rc == MSYN_OK) {
        r.fitted = 1;
        if (app_sens_fit(&r, &e) == 0) {
            app_report_text(&r, &b);
            app_report_json(&r, &b);
            app_report_csv(&r, &b);
        }
    }
    sb_free(&b);
    app_sens_free(&r.sens);
    app_free(r.yi);
    app_free(r.vi);
    app_free(r.w);
    app_free(r.esflags);
    app_strlist_free(&r.warnings);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const msyn_measure ms[] = {MSYN_MEASURE_GEN,  MSYN_MEASURE_SMD,  MSYN_MEASURE_OR,
                                      MSYN_MEASURE_RD,   MSYN_MEASURE_ROM,  MSYN_MEASURE_PFT,
                                      MSYN_MEASURE_PLO,  MSYN_MEASURE_IRR,  MSYN_MEASURE_ZCOR,
                                      MSYN_MEASURE_SMCC, MSYN_MEASURE_HR,   MSYN_MEASURE_IRLN,
                                      MSYN_MEASURE_MNLN, MSYN_MEASURE_MD};
    app_table t;
    app_err e;
    if (app_table_parse("fuzz.csv", (const char *)data, size, &t, &e) != 0)
        return 0;
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
        app_data d;
        msyn_es_opts eo;
        msyn_es_opts_default(&eo);
        eo.natural_scale = i == 2;
        eo.ri = i == 9 ? 0.5 : eo.ri;
        if (app_data_load(&t, ms[i], NULL, &eo, &d, &e) == 0) {
            pool_all(&d, ms[i]);
            report_all(&t, &d, ms[i], &eo, i);
        }
        app_data_free(&d);
    }
    check_all(&t);
    app_table_free(&t);
    return 0;
}
