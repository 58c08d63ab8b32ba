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

/* A report under construction.  Allocation failures inside jansson are
 * remembered and turn the whole report into an error: a report with a
 * member missing would be silently wrong. */
typedef struct jb {
    int oom;
} jb;

static void put(jb *c, json_t *o, const char *key, json_t *v)
{
    if (!o || !v || json_object_set_new(o, key, v) != 0) {
        c->oom = 1;
        if (!o)
            json_decref(v);
    }
}

static void append(jb *c, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v) != 0) {
        c->oom = 1;
        if (!a)
            json_decref(v);
    }
}

static json_t *settings(jb *c, const app_result *r)
{
    json_t *s = json_object();
    const msyn_pool_opts *po = &r->po;
    const msyn_es_opts *eo = &r->eo;
    msyn_input in = r->data->input;
    int is_mh = po->method == MSYN_METHOD_MH || po->method == MSYN_METHOD_PETO;
    char buf[32];
    put(c, s, "preset", json_string(msyn_preset_name(r->preset)));
    put(c, s, "measure", json_string(msyn_measure_name(r->measure)));
    put(c, s, "measure_label", json_string(msyn_measure_label(r->measure)));
    put(c, s, "input", json_string(app_input_form_name(in)));
    if (strcmp(r->command, "pool") == 0) {
        put(c, s, "method", json_string(msyn_method_name(po->method)));
        if (r->fitted && r->fit.method_used != po->method)
            put(c, s, "method_used", json_string(msyn_method_name(r->fit.method_used)));
        if (!isnan(po->tau2_fixed))
            put(c, s, "tau2_fixed", json_real(po->tau2_fixed));
        put(c, s, "test", json_string(msyn_test_name(r->fitted ? r->fit.test : po->test)));
        put(c, s, "level", json_real(100.0 * po->level));
        put(c, s, "tau2_ci", json_string(po->tau2_ci && !is_mh && po->method != MSYN_METHOD_EE &&
                                              !(po->q_from_mh && in == MSYN_INPUT_TABLE)
                                          ? "Q-profile" : "none"));
        put(c, s, "prediction_interval", json_string(app_pi_name(r, buf, sizeof buf)));
        put(c, s, "i2", json_string(po->i2def == MSYN_I2_Q || is_mh || po->method == MSYN_METHOD_EE
                                     ? "(Q - df)/Q" : "tau2/(tau2 + typical v)"));
    }
    if (in == MSYN_INPUT_TABLE) {
        json_t *z = json_object();
        put(c, z, "add", json_real(eo->add));
        put(c, z, "to", json_string(app_add_to_name(eo->to)));
        put(c, z, "drop00", json_boolean(eo->drop00));
        put(c, s, "zero_cells", z);
        if (r->measure == MSYN_MEASURE_RD)
            put(c, s, "rd_from", json_string(eo->rd_add_yi ? "corrected counts" : "raw counts"));
        if (is_mh || (po->q_from_mh && po->method == MSYN_METHOD_DL)) {
            put(c, s, "mh_add", json_real(po->mh_add));
            if (r->measure == MSYN_MEASURE_RD)
                put(c, s, "rd_variance", json_string(po->rd_var == MSYN_RD_VAR_SATO ? "Sato" : "Greenland-Robins"));
        }
        if (po->q_from_mh && po->method == MSYN_METHOD_DL)
            put(c, s, "tau2_from", json_string("Q about the Mantel-Haenszel estimate"));
    }
    if (in == MSYN_INPUT_ARMS && r->measure == MSYN_MEASURE_SMD) {
        put(c, s, "smd_correction", json_string(eo->smd_j == MSYN_SMD_J_EXACT ? "exact" : "approximate"));
        put(c, s, "smd_variance", json_string(eo->smd_var == MSYN_SMD_VAR_LS ? "LS" : "revman5"));
    }
    if (in == MSYN_INPUT_ESTIMATE) {
        if (r->data->es.ci_lb)
            put(c, s, "ci_level", json_real(100.0 * eo->ci_level));
        if (msyn_measure_is_ratio(r->measure))
            put(c, s, "input_scale", json_string(r->natural_input ? "natural" : "log"));
    }
    return s;
}

static json_t *conv_item(jb *c, const char *value, const char *from, const char *method)
{
    json_t *o = json_object();
    put(c, o, "value", json_string(value));
    put(c, o, "from", json_string(from));
    put(c, o, "method", json_string(method));
    return o;
}

/* How study i's values were obtained: the app's conversions of reported
 * statistics, then the library's conversions between measures. */
static json_t *conversions(jb *c, const app_result *r, size_t i)
{
    json_t *a = json_array();
    app_conv_item it[8];
    size_t n = app_conv_items(r->data, i, it);
    unsigned f = r->esflags[i];
    for (size_t j = 0; j < n; j++)
        append(c, a, conv_item(c, it[j].value, it[j].from, it[j].method));
    if (f & MSYN_ES_FROM_OR)
        append(c, a, conv_item(c, "yi, vi", "ai, bi, ci, di", "SMD = log OR x sqrt(3) / pi, v = v(log OR) x 3 / pi^2 (Chinn 2000; metafor's OR2DL)"));
    if ((f & MSYN_ES_FROM_SMD) && r->measure == MSYN_MEASURE_OR)
        append(c, a, conv_item(c, "yi, vi", "n1i, m1i, sd1i, n2i, m2i, sd2i", "log OR = d x pi / sqrt(3) from Cohen's d (Chinn 2000; metafor's D2ORL)"));
    else if (f & MSYN_ES_FROM_SMD)
        append(c, a, conv_item(c, "yi, vi", "n1i, m1i, sd1i, n2i, m2i, sd2i", "r = d / sqrt(d^2 + a), a = (n1 + n2)^2 / (n1 n2), from Cohen's d (Borenstein et al. 2009, ch. 7)"));
    if (f & MSYN_ES_FROM_R)
        append(c, a, conv_item(c, "yi, vi", "ri, ni", "d = 2r / sqrt(1 - r^2), v = 4 / ((n - 1)(1 - r^2)) (point-biserial r, equal groups)"));
    if (f & MSYN_ES_RI_GIVEN)
        append(c, a, conv_item(c, "ri", "--ri", "correlation of the two time points given on the command line"));
    if (f & MSYN_ES_FROM_CI)
        append(c, a, conv_item(c, "vi", "ci_lb, ci_ub", "v = ((ub - lb) / (2 z))^2 on the analysis scale"));
    if (f & MSYN_ES_FROM_SE)
        append(c, a, conv_item(c, "vi", "sei", "v = SE^2"));
    return a;
}

static json_t *studies(jb *c, const app_result *r)
{
    json_t *a = json_array();
    char note[128];
    for (size_t i = 0; i < r->data->k; i++) {
        json_t *o = json_object();
        int in = !isnan(r->yi[i]) && !isnan(r->vi[i]);
        put(c, o, "study", json_string(r->data->study[i]));
        put(c, o, "line", json_integer(r->data->line[i]));
        put(c, o, "yi", num(r->yi[i]));
        put(c, o, "vi", num(r->vi[i]));
        put(c, o, "sei", num(sqrt(r->vi[i])));
        put(c, o, "ci_lb", num(in ? app_study_ci(r, i, 0) : nan("")));
        put(c, o, "ci_ub", num(in ? app_study_ci(r, i, 1) : nan("")));
        if (r->w)
            put(c, o, "weight", num(r->w[i]));
        put(c, o, "included", json_boolean(in && (!r->w || !isnan(r->w[i]))));
        put(c, o, "input", json_string(app_input_form_key(msyn_es_row_input(r->measure, &r->data->es, &r->eo, i))));
        if (r->data->score)
            put(c, o, "score", r->data->score[i] == SCORE_CHANGE ? json_string("change")
                               : r->data->score[i] == SCORE_FINAL ? json_string("final") : json_null());
        put(c, o, "conversions", conversions(c, r, i));
        app_es_note(r->esflags[i], &r->eo, note, sizeof note);
        put(c, o, "note", note[0] ? json_string(note) : json_null());
        append(c, a, o);
    }
    return a;
}

static json_t *model(jb *c, const msyn_fit *f)
{
    json_t *m = json_object();
    put(c, m, "k", json_integer((json_int_t)f->k));
    put(c, m, "estimate", num(f->estimate));
    put(c, m, "se", num(f->se));
    put(c, m, "stat", num(f->stat));
    put(c, m, "pval", num(f->pval));
    put(c, m, "ci_lb", num(f->ci_lb));
    put(c, m, "ci_ub", num(f->ci_ub));
    put(c, m, "df", num(f->df));
    put(c, m, "tau2", num(f->tau2));
    put(c, m, "tau2_se", num(f->tau2_se));
    put(c, m, "tau2_ci_lb", num(f->tau2_ci_lb));
    put(c, m, "tau2_ci_ub", num(f->tau2_ci_ub));
    put(c, m, "tau", num(f->tau));
    put(c, m, "tau_ci_lb", num(f->tau_ci_lb));
    put(c, m, "tau_ci_ub", num(f->tau_ci_ub));
    put(c, m, "I2", num(f->I2));
    put(c, m, "I2_ci_lb", num(f->I2_ci_lb));
    put(c, m, "I2_ci_ub", num(f->I2_ci_ub));
    put(c, m, "H2", num(f->H2));
    put(c, m, "H2_ci_lb", num(f->H2_ci_lb));
    put(c, m, "H2_ci_ub", num(f->H2_ci_ub));
    put(c, m, "Q", num(f->Q));
    put(c, m, "Q_df", num(f->Q_df));
    put(c, m, "Q_pval", num(f->Q_pval));
    put(c, m, "pi_lb", num(f->pi_lb));
    put(c, m, "pi_ub", num(f->pi_ub));
    put(c, m, "pi_df", num(f->pi_df));
    put(c, m, "s2w", num(f->s2w));
    put(c, m, "method", json_string(msyn_method_name(f->method_used)));
    put(c, m, "test", json_string(msyn_test_name(f->test)));
    put(c, m, "converged", json_boolean(f->converged));
    put(c, m, "iterations", json_integer(f->iterations));
    return m;
}

/* The pooled result on the reading scale of a transformed measure. */
static json_t *back_obj(jb *c, const app_result *r)
{
    json_t *e = json_object();
    const msyn_fit *f = &r->fit;
    put(c, e, "scale", json_string(msyn_measure_back_name(r->measure)));
    put(c, e, "estimate", num(app_back(r, f->estimate)));
    put(c, e, "ci_lb", num(app_back(r, f->ci_lb)));
    put(c, e, "ci_ub", num(app_back(r, f->ci_ub)));
    put(c, e, "pi_lb", num(app_back(r, f->pi_lb)));
    put(c, e, "pi_ub", num(app_back(r, f->pi_ub)));
    if (r->measure == MSYN_MEASURE_PFT)
        put(c, e, "n_harmonic", num(r->n_hm));
    return e;
}

static json_t *reexpressed(jb *c, const app_result *r)
{
    json_t *e = json_object();
    const msyn_fit *f = &r->fit;
    double k = r->reexpress_sd;
    put(c, e, "scale", r->scale_name ? json_string(r->scale_name) : json_null());
    put(c, e, "sd", num(k));
    put(c, e, "estimate", num(k * f->estimate));
    put(c, e, "ci_lb", num(k * f->ci_lb));
    put(c, e, "ci_ub", num(k * f->ci_ub));
    put(c, e, "pi_lb", num(k * f->pi_lb));
    put(c, e, "pi_ub", num(k * f->pi_ub));
    return e;
}

static json_t *mcid(jb *c, const app_result *r)
{
    json_t *e = json_object();
    const msyn_fit *f = &r->fit;
    double k = isnan(r->reexpress_sd) ? 1.0 : r->reexpress_sd;
    const char *sentence, *v = app_mcid_verdict(k * f->estimate, k * f->ci_lb, k * f->ci_ub, r->mcid, &sentence);
    put(c, e, "value", num(r->mcid));
    put(c, e, "scale", json_string(isnan(r->reexpress_sd) ? "analysis" : "reexpressed"));
    put(c, e, "estimate_reaches", json_boolean(fabs(k * f->estimate) >= r->mcid));
    put(c, e, "ci_lb_reaches", json_boolean(fabs(k * f->ci_lb) >= r->mcid));
    put(c, e, "ci_ub_reaches", json_boolean(fabs(k * f->ci_ub) >= r->mcid));
    put(c, e, "verdict", json_string(v));
    put(c, e, "sentence", json_string(sentence));
    return e;
}

static json_t *exp_obj(jb *c, const msyn_fit *f)
{
    json_t *e = json_object();
    put(c, e, "estimate", num(exp(f->estimate)));
    put(c, e, "ci_lb", num(exp(f->ci_lb)));
    put(c, e, "ci_ub", num(exp(f->ci_ub)));
    put(c, e, "pi_lb", num(exp(f->pi_lb)));
    put(c, e, "pi_ub", num(exp(f->pi_ub)));
    return e;
}

static json_t *warnings(jb *c, const app_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->warnings.n; i++)
        append(c, a, json_string(r->warnings.s[i]));
    return a;
}

static int to_sbuf(const char *buf, size_t n, void *data)
{
    sbuf *b = data;
    sb_add(b, buf, n);
    return b->oom ? -1 : 0;
}

/* Dump through a callback into our buffer: jansson 2.14's json_dumps()
 * returns a silently corrupted document when an allocation fails inside
 * its own string buffer (found by tests/cli/cases/out-of-memory). */
static int dump(const jb *c, json_t *root, sbuf *out)
{
    int rc = -1;
    if (root && !c->oom &&
        json_dump_callback(root, to_sbuf, out, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) == 0)
        rc = 0;
    json_decref(root);
    sb_puts(out, "\n");
    return rc == 0 && !out->oom ? 0 : -1;
}

static json_t *header(jb *c, const app_result *r)
{
    json_t *root = json_object(), *tool = json_object();
    put(c, tool, "name", json_string("metasyn"));
    put(c, tool, "version", json_string(msyn_version()));
    put(c, tool, "command", json_string(r->command));
    put(c, root, "metasyn", tool);
    {
        json_t *in = json_object();
        size_t used = 0;
        for (size_t i = 0; i < r->data->k; i++)
            used += !isnan(r->yi[i]) && !isnan(r->vi[i]);
        put(c, in, "file", json_string(r->file));
        put(c, in, "studies", json_integer((json_int_t)r->data->k));
        put(c, in, "estimable", json_integer((json_int_t)used));
        if (r->data->recoded)
            put(c, in, "encoding", json_string("Windows-1252 (converted to UTF-8)"));
        put(c, root, "input", in);
    }
    put(c, root, "settings", settings(c, r));
    put(c, root, "studies", studies(c, r));
    return root;
}

int app_report_json(const app_result *r, sbuf *out)
{
    jb c = {0};
    json_t *root = header(&c, r);
    put(&c, root, "model", model(&c, &r->fit));
    if (msyn_measure_is_ratio(r->measure))
        put(&c, root, "exp", exp_obj(&c, &r->fit));
    if (msyn_measure_back_name(r->measure))
        put(&c, root, "transformed", back_obj(&c, r));
    if (!isnan(r->reexpress_sd))
        put(&c, root, "reexpressed", reexpressed(&c, r));
    if (!isnan(r->mcid))
        put(&c, root, "mcid", mcid(&c, r));
    put(&c, root, "warnings", warnings(&c, r));
    return dump(&c, root, out);
}

int app_es_json(const app_result *r, sbuf *out)
{
    jb c = {0};
    json_t *root = header(&c, r);
    put(&c, root, "warnings", warnings(&c, r));
    return dump(&c, root, out);
}
