/*
 * report_json.c - the JSON report of `metasyn pool` and `metasyn es`.
 *
 * The keys are a contract (docs/cli/pool.md): settings, studies, model,
 * exp (ratio measures) and warnings.  Model values are on the analysis
 * scale, as metafor's.  Numbers keep 17 significant digits so they read
 * back exactly; values that do not exist (NaN) are null.
 */
#include <string.h>

#include <jansson.h>

#include "app.h"

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* json_object_set_new that tolerates NULL values (allocation failure is
 * caught once, when the document is dumped). */
static void put(json_t *o, const char *key, json_t *v)
{
    if (o && v)
        json_object_set_new(o, key, v);
    else if (v)
        json_decref(v);
}

static json_t *settings(const app_result *r)
{
    json_t *s = json_object();
    const msyn_pool_opts *po = &r->po;
    const msyn_es_opts *eo = &r->eo;
    msyn_input in = r->data->input;
    int is_mh = po->method == MSYN_METHOD_MH || po->method == MSYN_METHOD_PETO;
    char buf[32];
    put(s, "preset", json_string(msyn_preset_name(r->preset)));
    put(s, "measure", json_string(msyn_measure_name(r->measure)));
    put(s, "measure_label", json_string(msyn_measure_label(r->measure)));
    put(s, "input", json_string(app_input_form_name(in)));
    if (strcmp(r->command, "pool") == 0) {
        put(s, "method", json_string(msyn_method_name(po->method)));
        if (r->fitted && r->fit.method_used != po->method)
            put(s, "method_used", json_string(msyn_method_name(r->fit.method_used)));
        if (!isnan(po->tau2_fixed))
            put(s, "tau2_fixed", json_real(po->tau2_fixed));
        put(s, "test", json_string(msyn_test_name(r->fitted ? r->fit.test : po->test)));
        put(s, "level", json_real(100.0 * po->level));
        put(s, "tau2_ci", json_string(po->tau2_ci && !is_mh && po->method != MSYN_METHOD_EE &&
                                              !(po->q_from_mh && in == MSYN_INPUT_TABLE)
                                          ? "Q-profile" : "none"));
        put(s, "prediction_interval", json_string(app_pi_name(r, buf, sizeof buf)));
        put(s, "i2", json_string(po->i2def == MSYN_I2_Q || is_mh || po->method == MSYN_METHOD_EE
                                     ? "(Q - df)/Q" : "tau2/(tau2 + typical v)"));
    }
    if (in == MSYN_INPUT_TABLE) {
        json_t *z = json_object();
        put(z, "add", json_real(eo->add));
        put(z, "to", json_string(app_add_to_name(eo->to)));
        put(z, "drop00", json_boolean(eo->drop00));
        put(s, "zero_cells", z);
        if (r->measure == MSYN_MEASURE_RD)
            put(s, "rd_from", json_string(eo->rd_add_yi ? "corrected counts" : "raw counts"));
        if (is_mh || (po->q_from_mh && po->method == MSYN_METHOD_DL)) {
            put(s, "mh_add", json_real(po->mh_add));
            if (r->measure == MSYN_MEASURE_RD)
                put(s, "rd_variance", json_string(po->rd_var == MSYN_RD_VAR_SATO ? "Sato" : "Greenland-Robins"));
        }
        if (po->q_from_mh && po->method == MSYN_METHOD_DL)
            put(s, "tau2_from", json_string("Q about the Mantel-Haenszel estimate"));
    }
    if (in == MSYN_INPUT_ARMS && r->measure == MSYN_MEASURE_SMD) {
        put(s, "smd_correction", json_string(eo->smd_j == MSYN_SMD_J_EXACT ? "exact" : "approximate"));
        put(s, "smd_variance", json_string(eo->smd_var == MSYN_SMD_VAR_LS ? "LS" : "revman5"));
    }
    if (in == MSYN_INPUT_ESTIMATE) {
        if (r->data->es.ci_lb)
            put(s, "ci_level", json_real(100.0 * eo->ci_level));
        if (msyn_measure_is_ratio(r->measure))
            put(s, "input_scale", json_string(r->natural_input ? "natural" : "log"));
    }
    return s;
}

static json_t *studies(const app_result *r)
{
    json_t *a = json_array();
    char note[128];
    for (size_t i = 0; i < r->data->k; i++) {
        json_t *o = json_object();
        int in = !isnan(r->yi[i]) && !isnan(r->vi[i]);
        put(o, "study", json_string(r->data->study[i]));
        put(o, "line", json_integer(r->data->line[i]));
        put(o, "yi", num(r->yi[i]));
        put(o, "vi", num(r->vi[i]));
        put(o, "sei", num(sqrt(r->vi[i])));
        put(o, "ci_lb", num(in ? app_study_ci(r, i, 0) : nan("")));
        put(o, "ci_ub", num(in ? app_study_ci(r, i, 1) : nan("")));
        if (r->w)
            put(o, "weight", num(r->w[i]));
        put(o, "included", json_boolean(in && (!r->w || !isnan(r->w[i]))));
        app_es_note(r->esflags[i], &r->eo, note, sizeof note);
        put(o, "note", note[0] ? json_string(note) : json_null());
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *model(const msyn_fit *f)
{
    json_t *m = json_object();
    put(m, "k", json_integer((json_int_t)f->k));
    put(m, "estimate", num(f->estimate));
    put(m, "se", num(f->se));
    put(m, "stat", num(f->stat));
    put(m, "pval", num(f->pval));
    put(m, "ci_lb", num(f->ci_lb));
    put(m, "ci_ub", num(f->ci_ub));
    put(m, "df", num(f->df));
    put(m, "tau2", num(f->tau2));
    put(m, "tau2_se", num(f->tau2_se));
    put(m, "tau2_ci_lb", num(f->tau2_ci_lb));
    put(m, "tau2_ci_ub", num(f->tau2_ci_ub));
    put(m, "tau", num(f->tau));
    put(m, "tau_ci_lb", num(f->tau_ci_lb));
    put(m, "tau_ci_ub", num(f->tau_ci_ub));
    put(m, "I2", num(f->I2));
    put(m, "I2_ci_lb", num(f->I2_ci_lb));
    put(m, "I2_ci_ub", num(f->I2_ci_ub));
    put(m, "H2", num(f->H2));
    put(m, "H2_ci_lb", num(f->H2_ci_lb));
    put(m, "H2_ci_ub", num(f->H2_ci_ub));
    put(m, "Q", num(f->Q));
    put(m, "Q_df", num(f->Q_df));
    put(m, "Q_pval", num(f->Q_pval));
    put(m, "pi_lb", num(f->pi_lb));
    put(m, "pi_ub", num(f->pi_ub));
    put(m, "pi_df", num(f->pi_df));
    put(m, "s2w", num(f->s2w));
    put(m, "method", json_string(msyn_method_name(f->method_used)));
    put(m, "test", json_string(msyn_test_name(f->test)));
    put(m, "converged", json_boolean(f->converged));
    put(m, "iterations", json_integer(f->iterations));
    return m;
}

static json_t *exp_obj(const msyn_fit *f)
{
    json_t *e = json_object();
    put(e, "estimate", num(exp(f->estimate)));
    put(e, "ci_lb", num(exp(f->ci_lb)));
    put(e, "ci_ub", num(exp(f->ci_ub)));
    put(e, "pi_lb", num(exp(f->pi_lb)));
    put(e, "pi_ub", num(exp(f->pi_ub)));
    return e;
}

static json_t *warnings(const app_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->nwarn; i++)
        json_array_append_new(a, json_string(r->warnings[i]));
    return a;
}

static int dump(json_t *root, sbuf *out)
{
    char *s = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))
                   : NULL;
    json_decref(root);
    if (!s)
        return -1;
    sb_puts(out, s);
    sb_puts(out, "\n");
    app_free(s);
    return out->oom ? -1 : 0;
}

static json_t *header(const app_result *r)
{
    json_t *root = json_object(), *tool = json_object();
    put(tool, "name", json_string("metasyn"));
    put(tool, "version", json_string(msyn_version()));
    put(tool, "command", json_string(r->command));
    put(root, "metasyn", tool);
    {
        json_t *in = json_object();
        size_t used = 0;
        for (size_t i = 0; i < r->data->k; i++)
            used += !isnan(r->yi[i]) && !isnan(r->vi[i]);
        put(in, "file", json_string(r->file));
        put(in, "studies", json_integer((json_int_t)r->data->k));
        put(in, "estimable", json_integer((json_int_t)used));
        if (r->data->recoded)
            put(in, "encoding", json_string("Windows-1252 (converted to UTF-8)"));
        put(root, "input", in);
    }
    put(root, "settings", settings(r));
    put(root, "studies", studies(r));
    return root;
}

int app_report_json(const app_result *r, sbuf *out)
{
    json_t *root = header(r);
    put(root, "model", model(&r->fit));
    if (msyn_measure_is_ratio(r->measure))
        put(root, "exp", exp_obj(&r->fit));
    put(root, "warnings", warnings(r));
    return dump(root, out);
}

int app_es_json(const app_result *r, sbuf *out)
{
    json_t *root = header(r);
    put(root, "warnings", warnings(r));
    return dump(root, out);
}
