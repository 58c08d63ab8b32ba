/*
 * batch_fit.c - one analysis of `metasyn batch`: the rows of one id, run
 * through exactly what `metasyn pool` does with a whole file (load and
 * convert the data, pool's data checks, effect sizes, the fit and its
 * warnings), and its output row (CSV or a JSON line).
 *
 * The steps are pool's: cli_load_data() (common.c) once the rows are read,
 * and cli_pool_fit() (pool_fit.c), without subgroups and sensitivity
 * analyses; the CLI tests batch-vs-pool compare the results with pool's.
 */
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "batch.h"
#include "check.h"

/* ---- loading: cli_load() without reading the file ----------------------- */

static int load(const batch_ctx *c, app_table *t, app_data *d, app_result *r, msyn_cache *cache,
                app_err *e)
{
    const cli_opts *o = &c->o;
    for (int w = 0; w < o->nwhere; w++)
        if (app_table_where(t, o->where[w], e) != 0)
            return -1;
    r->po = c->po;
    r->eo = c->eo;
    r->po.alloc = app_msyn_allocator();
    r->po.cache = cache;
    r->file = t->file;
    return cli_load_data(o, c->measure, t, d, r, e);
}

/* ---- output rows ---------------------------------------------------------- */

static const char *const num_keys[] = {
    "estimate", "se", "stat", "pval", "ci_lb", "ci_ub", "df", "tau2", "tau2_se", "tau2_ci_lb",
    "tau2_ci_ub", "tau", "tau_ci_lb", "tau_ci_ub", "I2", "I2_ci_lb", "I2_ci_ub", "H2", "H2_ci_lb",
    "H2_ci_ub", "Q", "Q_df", "Q_pval", "pi_lb", "pi_ub", "pi_df", "s2w"};
#define NNUM (sizeof num_keys / sizeof num_keys[0])

static void fit_values(const msyn_fit *f, double v[NNUM])
{
    const double x[] = {f->estimate, f->se, f->stat, f->pval, f->ci_lb, f->ci_ub, f->df,
                        f->tau2, f->tau2_se, f->tau2_ci_lb, f->tau2_ci_ub, f->tau, f->tau_ci_lb,
                        f->tau_ci_ub, f->I2, f->I2_ci_lb, f->I2_ci_ub, f->H2, f->H2_ci_lb,
                        f->H2_ci_ub, f->Q, f->Q_df, f->Q_pval, f->pi_lb, f->pi_ub, f->pi_df, f->s2w};
    memcpy(v, x, sizeof x);
}

void batch_header_line(const batch_ctx *c, sbuf *out)
{
    (void)c;
    sb_puts(out, "id,k");
    for (size_t q = 0; q < NNUM; q++)
        sb_printf(out, ",%s", num_keys[q]);
    sb_puts(out, ",method,test,converged,iterations,warnings,error\n");
}

static void csv_num(sbuf *o, double x)
{
    if (isfinite(x))
        sb_num(o, x);
    else if (isinf(x))
        sb_puts(o, x > 0 ? "Inf" : "-Inf");
}

/* A JSON string (UTF-8 kept; quotes, backslashes and control characters
 * escaped). */
static void json_text(sbuf *o, const char *s)
{
    sb_puts(o, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_printf(o, "\\%c", *p);
        else if (*p == '\n')
            sb_puts(o, "\\n");
        else if (*p == '\t')
            sb_puts(o, "\\t");
        else if (*p == '\r')
            sb_puts(o, "\\r");
        else if (*p < 0x20)
            sb_printf(o, "\\u%04x", *p);
        else
            sb_add(o, (const char *)p, 1);
    }
    sb_puts(o, "\"");
}

static void json_num(sbuf *o, double x)
{
    if (isfinite(x))
        sb_num(o, x);
    else
        sb_puts(o, "null");
}

static void row_csv(const app_result *r, const char *id, const char *error, sbuf *o)
{
    const msyn_fit *f = r ? &r->fit : NULL;
    double v[NNUM];
    int fitted = r && r->fitted;
    app_csv_cell(o, id);
    if (fitted) {
        fit_values(f, v);
        sb_printf(o, ",%zu", f->k);
        for (size_t q = 0; q < NNUM; q++) {
            sb_puts(o, ",");
            csv_num(o, v[q]);
        }
        sb_printf(o, ",%s,%s,%s,%d,", msyn_method_name(f->method_used), msyn_test_name(f->test),
                  f->converged ? "true" : "false", f->iterations);
    } else {
        for (size_t q = 0; q < NNUM + 5; q++)
            sb_puts(o, ",");
        sb_puts(o, ",");
    }
    {
        sbuf w;
        sb_init(&w);
        for (size_t i = 0; r && i < r->warnings.n; i++)
            sb_printf(&w, "%s%s", i ? "; " : "", r->warnings.s[i]);
        app_csv_cell(o, w.p ? w.p : "");
        if (w.oom)
            o->oom = 1;
        sb_free(&w);
    }
    sb_puts(o, ",");
    app_csv_cell(o, error ? error : "");
    sb_puts(o, "\n");
}

static void row_json(const app_result *r, const char *id, const char *error, sbuf *o)
{
    const msyn_fit *f = r ? &r->fit : NULL;
    double v[NNUM];
    int fitted = r && r->fitted;
    sb_puts(o, "{\"id\":");
    json_text(o, id);
    if (fitted)
        sb_printf(o, ",\"k\":%zu", f->k);
    else
        sb_puts(o, ",\"k\":null");
    if (fitted)
        fit_values(f, v);
    for (size_t q = 0; q < NNUM; q++) {
        sb_printf(o, ",\"%s\":", num_keys[q]);
        json_num(o, fitted ? v[q] : nan(""));
    }
    if (fitted)
        sb_printf(o, ",\"method\":\"%s\",\"test\":\"%s\",\"converged\":%s,\"iterations\":%d",
                  msyn_method_name(f->method_used), msyn_test_name(f->test),
                  f->converged ? "true" : "false", f->iterations);
    else
        sb_puts(o, ",\"method\":null,\"test\":null,\"converged\":null,\"iterations\":null");
    sb_puts(o, ",\"warnings\":[");
    for (size_t i = 0; r && i < r->warnings.n; i++) {
        if (i)
            sb_puts(o, ",");
        json_text(o, r->warnings.s[i]);
    }
    sb_puts(o, "],\"error\":");
    if (error)
        json_text(o, error);
    else
        sb_puts(o, "null");
    sb_puts(o, "}\n");
}

static void write_row(const batch_ctx *c, const app_result *r, const char *id, const char *error,
                      sbuf *o)
{
    if (c->format == BATCH_JSONL)
        row_json(r, id, error, o);
    else
        row_csv(r, id, error, o);
}

static void result_free(app_result *r)
{
    app_free(r->yi);
    app_free(r->vi);
    app_free(r->w);
    app_free(r->esflags);
    app_strlist_free(&r->warnings);
}

void batch_fit(const batch_ctx *c, batch_job *j, msyn_cache *cache)
{
    app_data d;
    app_result r;
    app_err e = {0, ""};
    int rc;
    memset(&d, 0, sizeof d);
    memset(&r, 0, sizeof r);
    if (j->pre_error) {
        rc = -1;
        app_err_set(&e, APP_EXIT_DATA, "%s", j->pre_error);
    } else {
        rc = load(c, &j->t, &d, &r, cache, &e);
        if (rc == 0)
            rc = cli_pool_fit(&r, &e);
        if (rc == 0 && r.warnings.oom) {
            app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
            rc = -1;
        }
    }
    if (rc != 0 && (e.code == APP_EXIT_INTERNAL || e.code == APP_EXIT_USAGE || e.code == 0)) {
        j->fatal = 1;
        j->err = e;
        if (!j->err.code)
            j->err.code = APP_EXIT_INTERNAL;
    } else {
        j->failed = rc != 0;
        write_row(c, rc == 0 ? &r : NULL, j->id, rc == 0 ? NULL : e.msg, &j->out);
        if (j->out.oom) {
            j->fatal = 1;
            app_err_set(&j->err, APP_EXIT_INTERNAL, "out of memory while writing the output");
        }
    }
    result_free(&r);
    app_data_free(&d);
    /* the rows are no longer needed: free them now, not when written */
    app_table_free(&j->t);
}

void batch_job_free(batch_job *j)
{
    if (!j)
        return;
    app_table_free(&j->t);
    app_free(j->id);
    app_free(j->pre_error);
    sb_free(&j->out);
    app_free(j);
}
