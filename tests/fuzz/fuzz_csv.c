/*
 * fuzz_csv.c - libFuzzer harness: any bytes as a study file.
 *
 * Parses the input as a CSV table, loads it for several measures, computes
 * effect sizes and pools them with several methods.  Anything may be
 * rejected with a message; nothing may crash, leak or read out of bounds.
 * `make fuzz` builds it with clang's fuzzer; tests/fuzz/replay.c replays
 * the corpus in `make check`.
 */
#include <stdint.h>
#include <string.h>

#include "app.h"

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
        if (app_data_load(&t, ms[i], NULL, &eo, &d, &e) == 0)
            pool_all(&d, ms[i]);
        app_data_free(&d);
    }
    app_table_free(&t);
    return 0;
}
