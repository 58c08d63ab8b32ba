/*
 * report_json.c - the JSON report of `metasyn pool` and `metasyn es`.
 *
 * The keys are a contract (docs/cli/pool.md): settings, studies, model,
 * exp (ratio measures) and warnings.  Model values are on the analysis
 * scale, as metafor's.  Numbers keep 17 significant digits so they read
 * back exactly; values that do not exist (NaN) are null.
 */
#include <string.h>

#include "json.h"
#include "rob.h"

static json_t *settings(jb *c, const app_result *r)
{
    json_t *s = json_object();
    const msyn_pool_opts *po = &r->po;
    const msyn_es_opts *eo = &r->eo;
    msyn_input in = r->data->input;
    int is_mh = po->method == MSYN_METHOD_MH || po->method == MSYN_METHOD_PETO;
    char buf[32];
    jb_put(c, s, "preset", json_string(msyn_preset_name(r->preset)));
    jb_put(c, s, "measure", json_string(msyn_measure_name(r->measure)));
    jb_put(c, s, "measure_label", json_string(msyn_measure_label(r->measure)));
    jb_put(c, s, "input", json_string(app_input_form_name(in)));
    if (strcmp(r->command, "pool") == 0) {
        jb_put(c, s, "method", json_string(msyn_method_name(po->method)));
        if (r->fitted && r->fit.method_used != po->method)
            jb_put(c, s, "method_used", json_string(msyn_method_name(r->fit.method_used)));
        if (!isnan(po->tau2_fixed))
            jb_put(c, s, "tau2_fixed", json_real(po->tau2_fixed));
        jb_put(c, s, "test", json_string(msyn_test_name(r->fitted ? r->fit.test : po->test)));
        jb_put(c, s, "level", json_real(100.0 * po->level));
        jb_put(c, s, "tau2_ci", json_string(po->tau2_ci && !is_mh && po->method != MSYN_METHOD_EE &&
                                              !(po->q_from_mh && in == MSYN_INPUT_TABLE)
                                          ? "Q-profile" : "none"));
        jb_put(c, s, "prediction_interval", json_string(app_pi_name(r, buf, sizeof buf)));
        jb_put(c, s, "i2", json_string(po->i2def == MSYN_I2_Q || is_mh || po->method == MSYN_METHOD_EE
                                     ? "(Q - df)/Q" : "tau2/(tau2 + typical v)"));
    }
    if (in == MSYN_INPUT_TABLE) {
        json_t *z = json_object();
        jb_put(c, z, "add", json_real(eo->add));
        jb_put(c, z, "to", json_string(app_add_to_name(eo->to)));
        jb_put(c, z, "drop00", json_boolean(eo->drop00));
        jb_put(c, s, "zero_cells", z);
        if (r->measure == MSYN_MEASURE_RD)
            jb_put(c, s, "rd_from", json_string(eo->rd_add_yi ? "corrected counts" : "raw counts"));
        if (is_mh || (po->q_from_mh && po->method == MSYN_METHOD_DL)) {
            jb_put(c, s, "mh_add", json_real(po->mh_add));
            if (r->measure == MSYN_MEASURE_RD)
                jb_put(c, s, "rd_variance", json_string(po->rd_var == MSYN_RD_VAR_SATO ? "Sato" : "Greenland-Robins"));
        }
        if (po->q_from_mh && po->method == MSYN_METHOD_DL)
            jb_put(c, s, "tau2_from", json_string("Q about the Mantel-Haenszel estimate"));
    }
    if (in == MSYN_INPUT_ARMS && r->measure == MSYN_MEASURE_SMD) {
        jb_put(c, s, "smd_correction", json_string(eo->smd_j == MSYN_SMD_J_EXACT ? "exact" : "approximate"));
        jb_put(c, s, "smd_variance", json_string(eo->smd_var == MSYN_SMD_VAR_LS ? "LS" : "revman5"));
    }
    if (in == MSYN_INPUT_ESTIMATE) {
        if (r->data->es.ci_lb || (r->streamed && r->data->colidx[COL_CI_LB] >= 0 && r->data->colidx[COL_CI_UB] >= 0))
            jb_put(c, s, "ci_level", json_real(100.0 * eo->ci_level));
        if (msyn_measure_is_ratio(r->measure))
            jb_put(c, s, "input_scale", json_string(r->natural_input ? "natural" : "log"));
    }
    return s;
}

static json_t *conv_item(jb *c, const char *value, const char *from, const char *method)
{
    json_t *o = json_object();
    jb_put(c, o, "value", json_string(value));
    jb_put(c, o, "from", json_string(from));
    jb_put(c, o, "method", json_string(method));
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
        jb_append(c, a, conv_item(c, it[j].value, it[j].from, it[j].method));
    if (f & MSYN_ES_FROM_OR)
        jb_append(c, a, conv_item(c, "yi, vi", "ai, bi, ci, di", "SMD = log OR x sqrt(3) / pi, v = v(log OR) x 3 / pi^2 (Chinn 2000; metafor's OR2DL)"));
    if ((f & MSYN_ES_FROM_SMD) && r->measure == MSYN_MEASURE_OR)
        jb_append(c, a, conv_item(c, "yi, vi", "n1i, m1i, sd1i, n2i, m2i, sd2i", "log OR = d x pi / sqrt(3) from Cohen's d (Chinn 2000; metafor's D2ORL)"));
    else if (f & MSYN_ES_FROM_SMD)
        jb_append(c, a, conv_item(c, "yi, vi", "n1i, m1i, sd1i, n2i, m2i, sd2i", "r = d / sqrt(d^2 + a), a = (n1 + n2)^2 / (n1 n2), from Cohen's d (Borenstein et al. 2009, ch. 7)"));
    if (f & MSYN_ES_FROM_R)
        jb_append(c, a, conv_item(c, "yi, vi", "ri, ni", "d = 2r / sqrt(1 - r^2), v = 4 / ((n - 1)(1 - r^2)) (point-biserial r, equal groups)"));
    if (f & MSYN_ES_RI_GIVEN)
        jb_append(c, a, conv_item(c, "ri", "--ri", "correlation of the two time points given on the command line"));
    if (f & MSYN_ES_FROM_CI)
        jb_append(c, a, conv_item(c, "vi", "ci_lb, ci_ub", "v = ((ub - lb) / (2 z))^2 on the analysis scale"));
    if (f & MSYN_ES_FROM_SE)
        jb_append(c, a, conv_item(c, "vi", "sei", "v = SE^2"));
    return a;
}

static json_t *study(jb *c, const void *ctx, size_t i)
{
    const app_result *r = ctx;
    json_t *o = json_object();
    char note[128];
    int in = !isnan(r->yi[i]) && !isnan(r->vi[i]);
    jb_put(c, o, "study", json_string(r->data->study[i]));
    jb_put(c, o, "line", json_integer(r->data->line[i]));
    jb_put(c, o, "yi", jb_num(r->yi[i]));
    jb_put(c, o, "vi", jb_num(r->vi[i]));
    jb_put(c, o, "sei", jb_num(sqrt(r->vi[i])));
    jb_put(c, o, "ci_lb", jb_num(in ? app_study_ci(r, i, 0) : nan("")));
    jb_put(c, o, "ci_ub", jb_num(in ? app_study_ci(r, i, 1) : nan("")));
    if (r->w)
        jb_put(c, o, "weight", jb_num(r->w[i]));
    jb_put(c, o, "included", json_boolean(in && (!r->w || !isnan(r->w[i]))));
    jb_put(c, o, "input", json_string(app_input_form_key(msyn_es_row_input(r->measure, &r->data->es, &r->eo, i))));
    if (r->data->score)
        jb_put(c, o, "score", r->data->score[i] == SCORE_CHANGE ? json_string("change")
                           : r->data->score[i] == SCORE_FINAL ? json_string("final") : json_null());
    jb_put(c, o, "conversions", conversions(c, r, i));
    app_es_note(r->esflags[i], &r->eo, note, sizeof note);
    jb_put(c, o, "note", note[0] ? json_string(note) : json_null());
    return o;
}

static json_t *model(jb *c, const msyn_fit *f)
{
    json_t *m = json_object();
    jb_put(c, m, "k", json_integer((json_int_t)f->k));
    jb_put(c, m, "estimate", jb_num(f->estimate));
    jb_put(c, m, "se", jb_num(f->se));
    jb_put(c, m, "stat", jb_num(f->stat));
    jb_put(c, m, "pval", jb_num(f->pval));
    jb_put(c, m, "ci_lb", jb_num(f->ci_lb));
    jb_put(c, m, "ci_ub", jb_num(f->ci_ub));
    jb_put(c, m, "df", jb_num(f->df));
    jb_put(c, m, "tau2", jb_num(f->tau2));
    jb_put(c, m, "tau2_se", jb_num(f->tau2_se));
    jb_put(c, m, "tau2_ci_lb", jb_num(f->tau2_ci_lb));
    jb_put(c, m, "tau2_ci_ub", jb_num(f->tau2_ci_ub));
    jb_put(c, m, "tau", jb_num(f->tau));
    jb_put(c, m, "tau_ci_lb", jb_num(f->tau_ci_lb));
    jb_put(c, m, "tau_ci_ub", jb_num(f->tau_ci_ub));
    jb_put(c, m, "I2", jb_num(f->I2));
    jb_put(c, m, "I2_ci_lb", jb_num(f->I2_ci_lb));
    jb_put(c, m, "I2_ci_ub", jb_num(f->I2_ci_ub));
    jb_put(c, m, "H2", jb_num(f->H2));
    jb_put(c, m, "H2_ci_lb", jb_num(f->H2_ci_lb));
    jb_put(c, m, "H2_ci_ub", jb_num(f->H2_ci_ub));
    jb_put(c, m, "Q", jb_num(f->Q));
    jb_put(c, m, "Q_df", jb_num(f->Q_df));
    jb_put(c, m, "Q_pval", jb_num(f->Q_pval));
    jb_put(c, m, "pi_lb", jb_num(f->pi_lb));
    jb_put(c, m, "pi_ub", jb_num(f->pi_ub));
    jb_put(c, m, "pi_df", jb_num(f->pi_df));
    jb_put(c, m, "s2w", jb_num(f->s2w));
    jb_put(c, m, "method", json_string(msyn_method_name(f->method_used)));
    jb_put(c, m, "test", json_string(msyn_test_name(f->test)));
    jb_put(c, m, "converged", json_boolean(f->converged));
    jb_put(c, m, "iterations", json_integer(f->iterations));
    return m;
}

/* The pooled result on the reading scale of a transformed measure. */
static json_t *back_obj(jb *c, const app_result *r)
{
    json_t *e = json_object();
    const msyn_fit *f = &r->fit;
    jb_put(c, e, "scale", json_string(msyn_measure_back_name(r->measure)));
    jb_put(c, e, "estimate", jb_num(app_back(r, f->estimate)));
    jb_put(c, e, "ci_lb", jb_num(app_back(r, f->ci_lb)));
    jb_put(c, e, "ci_ub", jb_num(app_back(r, f->ci_ub)));
    jb_put(c, e, "pi_lb", jb_num(app_back(r, f->pi_lb)));
    jb_put(c, e, "pi_ub", jb_num(app_back(r, f->pi_ub)));
    if (r->measure == MSYN_MEASURE_PFT)
        jb_put(c, e, "n_harmonic", jb_num(r->n_hm));
    return e;
}

static json_t *reexpressed(jb *c, const app_result *r)
{
    json_t *e = json_object();
    const msyn_fit *f = &r->fit;
    double k = r->reexpress_sd;
    jb_put(c, e, "scale", r->scale_name ? json_string(r->scale_name) : json_null());
    jb_put(c, e, "sd", jb_num(k));
    jb_put(c, e, "estimate", jb_num(k * f->estimate));
    jb_put(c, e, "ci_lb", jb_num(k * f->ci_lb));
    jb_put(c, e, "ci_ub", jb_num(k * f->ci_ub));
    jb_put(c, e, "pi_lb", jb_num(k * f->pi_lb));
    jb_put(c, e, "pi_ub", jb_num(k * f->pi_ub));
    return e;
}

static json_t *mcid(jb *c, const app_result *r)
{
    json_t *e = json_object();
    const msyn_fit *f = &r->fit;
    double k = isnan(r->reexpress_sd) ? 1.0 : r->reexpress_sd;
    const char *sentence, *v = app_mcid_verdict(k * f->estimate, k * f->ci_lb, k * f->ci_ub, r->mcid, &sentence);
    jb_put(c, e, "value", jb_num(r->mcid));
    jb_put(c, e, "scale", json_string(isnan(r->reexpress_sd) ? "analysis" : "reexpressed"));
    jb_put(c, e, "estimate_reaches", json_boolean(fabs(k * f->estimate) >= r->mcid));
    jb_put(c, e, "ci_lb_reaches", json_boolean(fabs(k * f->ci_lb) >= r->mcid));
    jb_put(c, e, "ci_ub_reaches", json_boolean(fabs(k * f->ci_ub) >= r->mcid));
    jb_put(c, e, "verdict", json_string(v));
    jb_put(c, e, "sentence", json_string(sentence));
    jb_put(c, e, "instrument", jb_str(r->instrument));
    jb_put(c, e, "source", jb_str(r->mcid_cite));
    return e;
}

static json_t *exp_obj(jb *c, const msyn_fit *f)
{
    json_t *e = json_object();
    jb_put(c, e, "estimate", jb_num(exp(f->estimate)));
    jb_put(c, e, "ci_lb", jb_num(exp(f->ci_lb)));
    jb_put(c, e, "ci_ub", jb_num(exp(f->ci_ub)));
    jb_put(c, e, "pi_lb", jb_num(exp(f->pi_lb)));
    jb_put(c, e, "pi_ub", jb_num(exp(f->pi_ub)));
    return e;
}

static json_t *warnings(jb *c, const app_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->warnings.n; i++)
        jb_append(c, a, json_string(r->warnings.s[i]));
    return a;
}

static json_t *header(jb *c, const app_result *r)
{
    json_t *root = json_object(), *tool = json_object();
    jb_put(c, tool, "name", json_string("metasyn"));
    jb_put(c, tool, "version", json_string(msyn_version()));
    jb_put(c, tool, "command", json_string(r->command));
    jb_put(c, root, "metasyn", tool);
    {
        json_t *in = json_object();
        size_t used = 0;
        for (size_t i = 0; i < r->data->k; i++)
            used += !isnan(r->yi[i]) && !isnan(r->vi[i]);
        jb_put(c, in, "file", json_string(r->file));
        jb_put(c, in, "studies", json_integer((json_int_t)r->data->k));
        jb_put(c, in, "estimable", json_integer((json_int_t)used));
        if (r->data->recoded)
            jb_put(c, in, "encoding", json_string("Windows-1252 (converted to UTF-8)"));
        if (r->streamed)
            jb_put(c, in, "streamed", json_true());
        jb_put(c, root, "input", in);
    }
    jb_put(c, root, "settings", settings(c, r));
    /* made one study at a time while the document is written; a file read
     * as a stream kept no labels: no "studies" */
    if (!r->streamed)
        jb_put_lazy(c, root, "studies", r->data->k, study, r);
    return root;
}

static json_t *fit_row(jb *c, const app_result *r, const double *b, size_t j, size_t i)
{
    static const char *const keys[SENS_NCOL] = {"estimate", "se", "stat", "pval", "ci_lb", "ci_ub",
                                                "Q", "Q_pval", "tau2", "I2", "H2"};
    size_t k = r->data->k;
    json_t *o = json_object();
    jb_put(c, o, "study", json_string(r->data->study[i]));
    for (size_t q = 0; q < SENS_NCOL; q++)
        jb_put(c, o, keys[q], jb_num(b[q * k + j]));
    return o;
}

static json_t *l1o_row(jb *c, const void *ctx, size_t i)
{
    const app_result *r = ctx;
    return fit_row(c, r, r->sens.l1o, i, i);
}

static json_t *cum_row(jb *c, const void *ctx, size_t j)
{
    const app_result *r = ctx;
    return fit_row(c, r, r->sens.cum, j, r->sens.order[j]);
}

static json_t *inf_row(jb *c, const void *ctx, size_t i)
{
    static const char *const keys[INF_NCOL] = {"rstudent", "dffits", "cook_d", "cov_r", "tau2_del",
                                               "QE_del", "hat", "weight", "dfbetas", "baujat_x",
                                               "baujat_y"};
    const app_result *r = ctx;
    size_t k = r->data->k;
    json_t *o = json_object();
    jb_put(c, o, "study", json_string(r->data->study[i]));
    for (size_t q = 0; q < INF_NCOL; q++)
        jb_put(c, o, keys[q], jb_num(r->sens.inf[q * k + i]));
    jb_put(c, o, "influential", json_boolean(r->sens.flag[i]));
    return o;
}

/* The per-study arrays are made one row at a time as they are written. */
static void sens_json(jb *c, const app_result *r, json_t *root)
{
    const app_sens *s = &r->sens;
    size_t k = r->data->k;
    if (s->l1o)
        jb_put_lazy(c, root, "leave1out", k, l1o_row, r);
    if (s->cum) {
        json_t *o = json_object();
        jb_put(c, o, "order_by", json_string(s->cum_col));
        jb_put_lazy(c, o, "steps", k, cum_row, r);
        jb_put(c, root, "cumulative", o);
    }
    if (s->gosh) {
        static const char *const keys[6] = {"k", "estimate", "Q", "I2", "H2", "tau2"};
        json_t *o = json_object(), *cols = json_object(), *incl = json_array();
        size_t n = s->gosh_rows;
        jb_put(c, o, "subsets", json_integer((json_int_t)n));
        jb_put(c, o, "exhaustive", json_boolean(s->gosh_exhaustive));
        for (size_t q = 0; q < 6; q++) {
            json_t *a = json_array();
            for (size_t j = 0; j < n; j++)
                jb_append(c, a, jb_num(s->gosh[q * n + j]));
            jb_put(c, cols, keys[q], a);
        }
        jb_put(c, o, "fits", cols);
        for (size_t j = 0; j < n; j++) {
            json_t *row = json_array();
            for (size_t i = 0; i < k; i++)
                if (s->gosh_incl[j * k + i])
                    jb_append(c, row, json_integer((json_int_t)i + 1));
            jb_append(c, incl, row);
        }
        jb_put(c, o, "studies", incl);
        jb_put(c, root, "gosh", o);
    }
    if (s->inf)
        jb_put_lazy(c, root, "influence", k, inf_row, r);
}

/* pool --exclude-rob */
static json_t *robsens(jb *c, const app_result *r)
{
    const app_robsens *s = &r->rs;
    json_t *o = s->fitted ? model(c, &s->fit) : json_object();
    json_t *x = json_array();
    jb_put(c, o, "column", json_string(s->col_name));
    jb_put(c, o, "exclude", json_string(s->threshold == APP_ROB_SOME ? "some" : "high"));
    for (size_t i = 0; i < r->data->k; i++)
        if (s->level[i] >= s->threshold && s->level[i] <= APP_ROB_CRITICAL) {
            json_t *e = json_object();
            jb_put(c, e, "study", json_string(r->data->study[i]));
            jb_put(c, e, "judgement", json_string(app_rob_word((app_rob_level)s->level[i])));
            jb_append(c, x, e);
        }
    jb_put(c, o, "excluded", x);
    jb_put(c, o, "kept_without_judgement", json_integer((json_int_t)s->nunset));
    jb_put(c, o, "pooled", json_boolean(s->fitted));
    if (s->fitted && msyn_measure_back_name(r->measure)) {
        json_t *b = json_object();
        jb_put(c, b, "scale", json_string(msyn_measure_back_name(r->measure)));
        jb_put(c, b, "estimate", jb_num(app_back(r, s->fit.estimate)));
        jb_put(c, b, "ci_lb", jb_num(app_back(r, s->fit.ci_lb)));
        jb_put(c, b, "ci_ub", jb_num(app_back(r, s->fit.ci_ub)));
        jb_put(c, o, "transformed", b);
    }
    if (!s->fitted)
        jb_put(c, o, "reason", json_string(msyn_strerror(s->rc)));
    return o;
}

int app_report_json(const app_result *r, sbuf *out)
{
    jb c = {0};
    json_t *root = header(&c, r);
    if (!r->fitted) {
        /* listed, not pooled (--min-k): the reason is in warnings */
        jb_put(&c, root, "model", json_null());
        jb_put(&c, root, "not_pooled", json_string("fewer studies with an effect size than --min-k"));
        jb_put(&c, root, "warnings", warnings(&c, r));
        return jb_dump(&c, root, out);
    }
    jb_put(&c, root, "model", model(&c, &r->fit));
    if (msyn_measure_is_ratio(r->measure))
        jb_put(&c, root, "exp", exp_obj(&c, &r->fit));
    if (msyn_measure_back_name(r->measure))
        jb_put(&c, root, "transformed", back_obj(&c, r));
    if (!isnan(r->reexpress_sd))
        jb_put(&c, root, "reexpressed", reexpressed(&c, r));
    if (!isnan(r->mcid))
        jb_put(&c, root, "mcid", mcid(&c, r));
    if (r->sens.l1o || r->sens.cum || r->sens.inf || r->sens.gosh)
        sens_json(&c, r, root);
    if (r->rs.asked && r->rs.level)
        jb_put(&c, root, "rob_sensitivity", robsens(&c, r));
    if (r->sg.by) {
        json_t *a = json_array(), *t = json_object();
        for (size_t g = 0; g < r->sg.n; g++) {
            const app_subgroup *sg = &r->sg.g[g];
            json_t *o = sg->pooled ? model(&c, &sg->fit) : json_object();
            jb_put(&c, o, "name", json_string(sg->name));
            jb_put(&c, o, "studies", json_integer((json_int_t)sg->n));
            jb_put(&c, o, "pooled", json_boolean(sg->pooled));
            if (sg->pooled && msyn_measure_back_name(r->measure)) {
                json_t *b = json_object();
                jb_put(&c, b, "scale", json_string(msyn_measure_back_name(r->measure)));
                jb_put(&c, b, "estimate", jb_num(app_back(r, sg->fit.estimate)));
                jb_put(&c, b, "ci_lb", jb_num(app_back(r, sg->fit.ci_lb)));
                jb_put(&c, b, "ci_ub", jb_num(app_back(r, sg->fit.ci_ub)));
                jb_put(&c, o, "transformed", b);
            }
            jb_append(&c, a, o);
        }
        jb_put(&c, root, "subgroups", a);
        jb_put(&c, t, "by", json_string(r->sg.by));
        jb_put(&c, t, "method", json_string(r->sg.common ? "common tau2 (mixed-effects model): QM test of the subgroup factor"
                                                       : "separate tau2 (RevMan): Q between the subgroup estimates"));
        if (r->sg.common) {
            jb_put(&c, t, "df2", jb_num(r->sg.df2));
            jb_put(&c, t, "tau2", jb_num(r->sg.tau2));
        }
        jb_put(&c, t, "Q", jb_num(r->sg.Q));
        jb_put(&c, t, "df", jb_num(r->sg.df));
        jb_put(&c, t, "pval", jb_num(r->sg.pval));
        jb_put(&c, t, "I2", jb_num(r->sg.I2));
        jb_put(&c, root, "subgroup_test", t);
    }
    jb_put(&c, root, "warnings", warnings(&c, r));
    return jb_dump(&c, root, out);
}

int app_es_json(const app_result *r, sbuf *out)
{
    jb c = {0};
    json_t *root = header(&c, r);
    jb_put(&c, root, "warnings", warnings(&c, r));
    return jb_dump(&c, root, out);
}
