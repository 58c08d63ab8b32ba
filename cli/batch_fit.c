/*
 * batch_fit.c - one analysis of `metasyn batch`: the rows of one id, run
 * through exactly what `metasyn pool` does with a whole file (load and
 * convert the data, pool's data checks, effect sizes, the fit and its
 * warnings), and its output row (CSV or a JSON line).
 *
 * The steps mirror cli_load() (common.c) after the file has been read and
 * compute() of cmd_pool.c without subgroups and sensitivity analyses; the
 * CLI tests batch-vs-pool compare the results with pool's.
 */
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "batch.h"
#include "check.h"

/* ---- loading: cli_load() without reading the file ----------------------- */

/* Findings pool leaves to its own loader, and errors of check that are only
 * warnings for pool: common.c's lists. */
static const char *const said_elsewhere[] = {"missing-columns", "duplicate-column", "no-study-rows",
                                             "not-a-number", "score-mixed-smd", "n-too-small", NULL};
static const char *const not_fatal[] = {"non-integer-count", NULL};

static int code_in(const char *code, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(code, *list) == 0)
            return 1;
    return 0;
}

/* pool's data checks (common.c run_checks): impossible values stop the
 * analysis, implausible ones are warnings. */
static int run_checks(const batch_ctx *c, const app_table *t, app_result *r, app_err *e)
{
    app_check_opts co;
    app_findings cf;
    size_t nerr = 0, first = 0;
    memset(&cf, 0, sizeof cf);
    app_check_opts_default(&co);
    co.measure_set = 1;
    co.measure = c->measure;
    co.study_col = c->o.study;
    co.natural = c->o.natural;
    co.ci_level = c->o.ci_level > 0 ? c->o.ci_level : 0.95;
    if (app_check_table(t, &co, &cf, e) != 0) {
        app_findings_free(&cf);
        return -1;
    }
    for (size_t i = 0; i < cf.n; i++) {
        const app_finding *f = &cf.f[i];
        int fatal = f->severity == CHECK_ERROR && !code_in(f->code, not_fatal);
        if (code_in(f->code, said_elsewhere))
            continue;
        if (fatal && nerr++ == 0)
            first = i;
        else if (!fatal && f->severity >= CHECK_WARNING)
            app_strlist_addf(&r->warnings, "%s (line %ld): %s", f->study ? f->study : t->file, f->line,
                             f->message);
    }
    if (nerr) {
        sbuf b;
        sb_init(&b);
        app_finding_format(t->file, &cf.f[first], &b);
        if (nerr > 1)
            sb_printf(&b, " (and %zu more errors: 'metasyn check' on this analysis's rows lists them all)",
                      nerr - 1);
        app_err_set(e, b.oom ? APP_EXIT_INTERNAL : APP_EXIT_DATA, "%s", b.oom ? "out of memory" : b.p);
        sb_free(&b);
        app_findings_free(&cf);
        return -1;
    }
    app_findings_free(&cf);
    return 0;
}

/* Final values and change scores in one analysis (common.c). */
static void score_warnings(const app_data *d, msyn_measure m, app_result *r)
{
    size_t fin = 0, chg = 0;
    if (!d->score)
        return;
    for (size_t i = 0; i < d->k; i++) {
        fin += d->score[i] != SCORE_CHANGE;
        chg += d->score[i] == SCORE_CHANGE;
    }
    if (!fin || !chg)
        return;
    if (m == MSYN_MEASURE_MD)
        app_strlist_addf(&r->warnings, "%zu %s change from baseline and %zu final values: allowed for MD (Cochrane Handbook 10.5.2), but check that the change scores' SDs were reported, not imputed",
                         chg, chg == 1 ? "study reports" : "studies report", fin);
    else
        app_strlist_addf(&r->warnings, "%zu %s change from baseline and %zu final values: %s should not mix them, because the SDs of change scores and of final values differ (Cochrane Handbook 10.5.2); pool them separately or use MD",
                         chg, chg == 1 ? "study reports" : "studies report", fin, msyn_measure_name(m));
}

static double harmonic_mean_ni(const app_data *d)
{
    double s = 0;
    size_t n = 0;
    if (!d->es.ni)
        return nan("");
    for (size_t i = 0; i < d->k; i++)
        if (d->es.ni[i] > 0) {
            s += 1.0 / d->es.ni[i];
            n++;
        }
    return n ? (double)n / s : nan("");
}

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
    if (app_data_load_ex(t, c->measure, o->study, &r->eo, &o->conv, d, e) != 0)
        return -1;
    r->min_k = o->min_k ? o->min_k : 2;
    r->table = t;
    r->command = "pool";
    r->file = t->file;
    r->preset = o->preset;
    r->measure = c->measure;
    r->data = d;
    r->digits = o->digits;
    r->natural_input = o->natural;
    r->reexpress_sd = r->mcid = nan("");
    for (size_t i = 0; i < d->warnings.n; i++)
        app_strlist_addf(&r->warnings, "%s", d->warnings.s[i]);
    if (run_checks(c, t, r, e) != 0)
        return -1;
    score_warnings(d, c->measure, r);
    r->n_hm = harmonic_mean_ni(d);
    if (t->recoded)
        app_strlist_addf(&r->warnings, "some lines of %s of this analysis are not valid UTF-8; they were read as Windows-1252",
                         r->file);
    return 0;
}

/* ---- the fit: cmd_pool.c's compute() without --by and sensitivity -------- */

static void study_warnings(app_result *r)
{
    size_t added = 0;
    for (size_t i = 0; i < r->data->k; i++) {
        unsigned f = r->esflags[i];
        char note[128];
        if (f & MSYN_ES_DROPPED00)
            app_strlist_addf(&r->warnings, "%s (line %ld) left out: %s", r->data->study[i], r->data->line[i],
                             app_es_note(f, &r->eo, note, sizeof note));
        else if (f & MSYN_ES_NA)
            app_strlist_addf(&r->warnings, "%s (line %ld) left out: its effect size or sampling variance is undefined for these data%s",
                             r->data->study[i], r->data->line[i],
                             (r->measure == MSYN_MEASURE_COR || r->measure == MSYN_MEASURE_ZCOR) && r->data->es.ni &&
                                     r->data->es.ni[i] <= 3
                                 ? " (ni <= 3)"
                                 : "");
        added += (f & MSYN_ES_ADDED) != 0;
    }
    if (added)
        app_strlist_addf(&r->warnings, "%zu %s with zero cells: %g added to each cell of %s", added,
                         added == 1 ? "study" : "studies", r->eo.add, added == 1 ? "its table" : "their tables");
}

static void fit_warnings(app_result *r)
{
    const char *s;
    for (unsigned n = 0; (s = msyn_fit_flag_text(r->fit.flags, n)); n++)
        app_strlist_addf(&r->warnings, "%s", s);
}

static int fit_error(app_result *r, msyn_status rc, size_t k, app_err *e)
{
    if (rc == MSYN_ETOOFEW)
        app_err_set(e, APP_EXIT_MODEL, "%s: no study has an estimable effect size (%zu rows, all left out); nothing to pool",
                    r->file, k);
    else if (rc == MSYN_ENOTESTIMABLE)
        app_err_set(e, APP_EXIT_MODEL, "%s: the %s %s cannot be estimated: %s", r->file,
                    msyn_method_label(r->po.method), msyn_measure_name(r->measure),
                    r->po.method == MSYN_METHOD_PETO ? "no table has both events and non-events"
                                                     : "there are no events in one of the groups across all tables");
    else if (rc == MSYN_ENOCONV)
        app_err_set(e, APP_EXIT_MODEL, "%s: the %s estimator of tau² did not converge in %d iterations (fallback disabled); try --max-iter, another --method, or drop --no-fallback",
                    r->file, msyn_method_name(r->po.method), r->po.max_iter);
    else
        cli_status_error(rc, r->file, e);
    return -1;
}

/* Pools r's studies unless fewer than --min-k have an effect size
 * (r->pooled_k_short).  0, or -1 with e set. */
static int compute(app_result *r, app_err *e)
{
    const app_data *d = r->data;
    size_t k = d->k, kest = 0;
    int is_mh = r->po.method == MSYN_METHOD_MH || r->po.method == MSYN_METHOD_PETO;
    msyn_status rc;
    r->yi = app_alloc((k + 1) * sizeof *r->yi);
    r->vi = app_alloc((k + 1) * sizeof *r->vi);
    r->esflags = app_alloc((k + 1) * sizeof *r->esflags);
    if (!r->yi || !r->vi || !r->esflags) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (r->po.method == MSYN_METHOD_PETO && d->input == MSYN_INPUT_OE) {
        r->po.method = MSYN_METHOD_EE;
        r->po.test = MSYN_TEST_Z;
        is_mh = 0;
        app_strlist_addf(&r->warnings, "Peto's method on O - E and V: pooled as sum(O - E) / sum(V) with variance 1 / sum(V), the inverse-variance common effect of (O - E)/V");
    }
    if (is_mh && d->input != MSYN_INPUT_TABLE) {
        app_err_set(e, APP_EXIT_USAGE, "--method %s pools 2x2 tables (columns ai, bi, ci, di or ai, n1i, ci, n2i); %s gives %s",
                    msyn_method_name(r->po.method), r->file, app_input_form_name(d->input));
        return -1;
    }
    rc = msyn_es(r->po.method == MSYN_METHOD_PETO ? MSYN_MEASURE_PETO : r->measure, &d->es, k,
                 &r->eo, r->yi, r->vi, r->esflags);
    if (rc == MSYN_OK) {
        for (size_t i = 0; i < k; i++)
            kest += !isnan(r->yi[i]) && !isnan(r->vi[i]);
        if (kest > 0 && (int)kest < r->min_k) {
            study_warnings(r);
            r->pooled_k_short = 1;
            app_strlist_addf(&r->warnings, "not pooled: %zu %s an effect size, fewer than --min-k %d",
                             kest, kest == 1 ? "study has" : "studies have", r->min_k);
            return 0;
        }
        if (is_mh)
            for (size_t i = 0; i < k; i++)
                if (msyn_es_row_input(r->measure, &d->es, &r->eo, i) != MSYN_INPUT_TABLE &&
                    !(r->esflags[i] & MSYN_ES_MISSING))
                    app_strlist_addf(&r->warnings, "%s (line %ld) left out: %s pools 2x2 tables and this study has none",
                                     d->study[i], d->line[i], msyn_method_label(r->po.method));
        if (app_pool_fit(r, NULL, k, &r->fit, NULL, &rc) != 0) {
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            return -1;
        }
    }
    study_warnings(r);
    if (rc != MSYN_OK)
        return fit_error(r, rc, k, e);
    r->fitted = 1;
    fit_warnings(r);
    return 0;
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

/* A CSV field, quoted by libcsv when it needs to be. */
static void csv_text(sbuf *o, const char *s)
{
    size_t n = strlen(s);
    char *q;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        sb_add(o, s, n);
        return;
    }
    if (!(q = app_alloc(2 * n + 3))) {
        o->oom = 1;
        return;
    }
    sb_add(o, q, csv_write(q, 2 * n + 3, s, n));
    app_free(q);
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
    csv_text(o, id);
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
        csv_text(o, w.p ? w.p : "");
        if (w.oom)
            o->oom = 1;
        sb_free(&w);
    }
    sb_puts(o, ",");
    csv_text(o, error ? error : "");
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
            rc = compute(&r, &e);
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
