/*
 * report_csv.c - CSV outputs: the per-study effect sizes of `metasyn es`
 * and the one-row model summary of `metasyn pool --format csv` (the same
 * keys as the JSON "model" object, so batch outputs can stack).
 */
#include <string.h>

#include <csv.h>

#include "app.h"

static void cell_num(sbuf *o, double x)
{
    if (!isnan(x) && isfinite(x))
        sb_num(o, x);
    else if (isinf(x))
        sb_puts(o, x > 0 ? "Inf" : "-Inf");
}

void app_csv_cell(sbuf *o, const char *s) { app_csv_cell_quote(o, s, ","); }

void app_csv_cell_quote(sbuf *o, const char *s, const char *also)
{
    size_t n = strlen(s);
    char *q;
    if (strpbrk(s, "\"\r\n") == NULL && strpbrk(s, also) == NULL) {
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

int app_es_csv(const app_result *r, sbuf *o)
{
    char note[128];
    sb_puts(o, "study,yi,vi,sei,ci_lb,ci_ub,note,input,converted\n");
    for (size_t i = 0; i < r->data->k; i++) {
        int in = !isnan(r->yi[i]);
        app_csv_cell(o, r->data->study[i]);
        sb_puts(o, ",");
        cell_num(o, r->yi[i]);
        sb_puts(o, ",");
        cell_num(o, r->vi[i]);
        sb_puts(o, ",");
        cell_num(o, sqrt(r->vi[i]));
        sb_puts(o, ",");
        cell_num(o, in ? app_study_ci(r, i, 0) : nan(""));
        sb_puts(o, ",");
        cell_num(o, in ? app_study_ci(r, i, 1) : nan(""));
        sb_puts(o, ",");
        app_csv_cell(o, app_es_note(r->esflags[i], &r->eo, note, sizeof note));
        sb_printf(o, ",%s,", app_input_form_key(msyn_es_row_input(r->measure, &r->data->es, &r->eo, i)));
        {
            app_conv_item it[8];
            size_t n = app_conv_items(r->data, i, it);
            sbuf w;
            sb_init(&w);
            for (size_t j = 0; j < n; j++)
                sb_printf(&w, "%s%s from %s", j ? "; " : "", it[j].value, it[j].from);
            app_csv_cell(o, w.p ? w.p : "");
            if (w.oom)
                o->oom = 1;
            sb_free(&w);
        }
        sb_puts(o, "\n");
    }
    return o->oom ? -1 : 0;
}

int app_report_csv(const app_result *r, sbuf *o)
{
    const msyn_fit *f = &r->fit;
    const double v[] = {f->estimate, f->se, f->stat, f->pval, f->ci_lb, f->ci_ub, f->df,
                        f->tau2, f->tau2_ci_lb, f->tau2_ci_ub, f->tau, f->I2, f->I2_ci_lb,
                        f->I2_ci_ub, f->H2, f->Q, f->Q_df, f->Q_pval, f->pi_lb, f->pi_ub};
    sb_puts(o, "preset,measure,method,test,level,k,estimate,se,stat,pval,ci_lb,ci_ub,df,tau2,tau2_ci_lb,"
               "tau2_ci_ub,tau,I2,I2_ci_lb,I2_ci_ub,H2,Q,Q_df,Q_pval,pi_lb,pi_ub,converged,"
               "iterations,warnings\n");
    sb_printf(o, "%s,%s,%s,%s,", msyn_preset_name(r->preset), msyn_measure_name(r->measure),
              msyn_method_name(f->method_used), msyn_test_name(f->test));
    sb_num(o, 100.0 * r->po.level);
    sb_printf(o, ",%zu", f->k);
    for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
        sb_puts(o, ",");
        cell_num(o, v[j]);
    }
    sb_printf(o, ",%s,%d,", f->converged ? "true" : "false", f->iterations);
    {
        sbuf w;
        sb_init(&w);
        for (size_t i = 0; i < r->warnings.n; i++) {
            if (i)
                sb_puts(&w, "; ");
            sb_puts(&w, r->warnings.s[i]);
        }
        app_csv_cell(o, w.p ? w.p : "");
        if (w.oom)
            o->oom = 1;
        sb_free(&w);
    }
    sb_puts(o, "\n");
    return o->oom ? -1 : 0;
}
