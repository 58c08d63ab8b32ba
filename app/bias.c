/*
 * bias.c - `metasyn bias`: the small-study effect and publication bias
 * tests of libmetasyn on a study file (metafor's regtest, ranktest,
 * trimfill, fsn), with Cochrane's caution below 10 studies.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"

void app_bias_free(app_bias *b)
{
    if (!b)
        return;
    app_free(b->fill_yi);
    app_free(b->fill_vi);
    memset(b, 0, sizeof *b);
}

int app_bias_run(app_result *r, app_err *e)
{
    app_bias *b = &r->bias;
    const app_data *d = r->data;
    size_t k = d->k, kest = 0;
    double *ni = NULL;
    msyn_trimfill_opts to;
    static const msyn_fsn_type types[3] = {MSYN_FSN_ROSENTHAL, MSYN_FSN_ORWIN, MSYN_FSN_ROSENBERG};
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < k; i++)
        kest += !isnan(r->yi[i]) && !isnan(r->vi[i]);
    if (kest < 3) {
        app_err_set(e, APP_EXIT_MODEL, "%s: %zu studies with an effect size: the tests of small-study effects need at least 3 (and are unreliable below 10)",
                    r->file, kest);
        return -1;
    }
    if (kest < 10)
        app_strlist_addf(&r->warnings, "only %zu studies: tests for funnel-plot asymmetry should be used only when there are at least 10 studies, because with fewer the power is too low to tell real asymmetry from chance (Cochrane Handbook 13.3.5.4)",
                         kest);
    if (!(ni = app_alloc((k + 1) * sizeof *ni)))
        goto oom;
    for (size_t i = 0; i < k; i++)
        ni[i] = app_study_n(d, i);
    b->egger_rc = msyn_bias_regtest_rma(r->yi, r->vi, ni, k, r->bias_opts.predictor, &r->po, NULL, NULL, &b->egger);
    b->egger_lm_rc = msyn_bias_regtest_lm(r->yi, r->vi, ni, k, r->bias_opts.predictor, r->po.level, &b->egger_lm);
    if (d->input == MSYN_INPUT_TABLE && (r->measure == MSYN_MEASURE_OR || r->measure == MSYN_MEASURE_PETO)) {
        /* Peters et al. 2006: log OR on 1/n, weighted */
        b->peters_rc = msyn_bias_regtest_lm(r->yi, r->vi, ni, k, MSYN_BIAS_NINV, r->po.level, &b->peters);
        b->peters_done = 1;
    }
    app_free(ni);
    ni = NULL;
    b->rank_rc = msyn_bias_ranktest(r->yi, r->vi, k, app_msyn_allocator(), &b->rank);
    msyn_trimfill_opts_default(&to);
    to.estimator = r->bias_opts.tf_estimator;
    to.side = r->bias_opts.tf_side;
    if (!(b->fill_yi = app_alloc((k + 1) * sizeof *b->fill_yi)) ||
        !(b->fill_vi = app_alloc((k + 1) * sizeof *b->fill_vi)))
        goto oom;
    b->tf_rc = msyn_bias_trimfill(r->yi, r->vi, k, &r->po, &to, &b->tf, b->fill_yi, b->fill_vi);
    for (int t = 0; t < 3; t++)
        b->fsn_rc[t] = msyn_bias_fsn(r->yi, r->vi, k, types[t], 0.05, r->bias_opts.orwin_target, 0, &b->fsn[t]);
    if (b->egger_rc == MSYN_ENOMEM || b->rank_rc == MSYN_ENOMEM || b->tf_rc == MSYN_ENOMEM)
        goto oom;
    r->fitted = 1;
    return 0;
oom:
    app_free(ni);
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

static const char *const tf_estimators[3] = {"L0", "R0", "Q0"};

static const char *predictor_label(msyn_bias_predictor p)
{
    switch (p) {
    case MSYN_BIAS_VI: return "the sampling variance";
    case MSYN_BIAS_NI: return "the sample size";
    case MSYN_BIAS_NINV: return "1/n";
    case MSYN_BIAS_SQRTNI: return "sqrt(n)";
    case MSYN_BIAS_SQRTNINV: return "1/sqrt(n)";
    default: return "the standard error";
    }
}

static void regtest_line(sbuf *o, const app_result *r, const char *name, msyn_status rc, const msyn_regtest *t, int d)
{
    char a[48], b[48], c[48], p[48];
    if (rc != MSYN_OK) {
        sb_printf(o, "  %s: not computed (%s)\n", name, msyn_strerror(rc));
        return;
    }
    sb_printf(o, "  %s: %s = %s%s, %s", name, t->test == MSYN_TEST_Z ? "z" : "t", app_fx(t->stat, 3, a, sizeof a),
              isnan(t->df) ? "" : "", app_pq(t->pval, p, sizeof p));
    if (!isnan(t->df))
        sb_printf(o, " (df = %g)", t->df);
    if (!isnan(t->est))
        sb_printf(o, "; limit estimate %s [%s; %s]", app_fx(app_back(r, t->est), d, a, sizeof a),
                  app_fx(app_back(r, t->ci_lb), d, b, sizeof b), app_fx(app_back(r, t->ci_ub), d, c, sizeof c));
    sb_puts(o, "\n");
}

int app_bias_text(const app_result *r, sbuf *o)
{
    const app_bias *b = &r->bias;
    int d = r->digits;
    char a[48], c1[48], c2[48], p[48];
    sb_printf(o, "metasyn %s: small-study effects and publication bias, %zu studies\n", msyn_version(),
              b->rank.k ? b->rank.k : b->egger_lm.k);
    sb_printf(o, "File:      %s\nMeasure:   %s, %s\nModel:     %s, %s\n\n", r->file, msyn_measure_name(r->measure),
              msyn_measure_label(r->measure), msyn_method_label(r->po.method), msyn_test_label(r->po.test));
    sb_puts(o, "Funnel-plot asymmetry\n");
    if (r->bias_opts.predictor == MSYN_BIAS_SEI) {
        regtest_line(o, r, "Egger (meta-regression on the SE, metafor's regtest)", b->egger_rc, &b->egger, d);
        regtest_line(o, r, "Egger (classic weighted regression)", b->egger_lm_rc, &b->egger_lm, d);
    } else {
        char n1[96], n2[96];
        const char *pn = predictor_label(r->bias_opts.predictor);
        snprintf(n1, sizeof n1, "Regression test (meta-regression on %s)", pn);
        snprintf(n2, sizeof n2, "Regression test (weighted regression on %s)", pn);
        regtest_line(o, r, n1, b->egger_rc, &b->egger, d);
        regtest_line(o, r, n2, b->egger_lm_rc, &b->egger_lm, d);
    }
    if (b->peters_done)
        regtest_line(o, r, "Peters (log OR on 1/n)", b->peters_rc, &b->peters, d);
    if (b->rank_rc == MSYN_OK)
        sb_printf(o, "  Begg and Mazumdar rank correlation: Kendall's tau = %s, %s (%s)\n", app_fx(b->rank.tau, 3, a, sizeof a),
                  app_pq(b->rank.pval, p, sizeof p), b->rank.exact ? "exact" : "normal approximation");
    else
        sb_printf(o, "  Begg and Mazumdar rank correlation: not computed (%s)\n", msyn_strerror(b->rank_rc));
    sb_printf(o, "\nTrim-and-fill (%s, side %s)\n", tf_estimators[r->bias_opts.tf_estimator],
              r->bias_opts.tf_side == MSYN_TF_AUTO ? "chosen from the data" : "given");
    if (b->tf_rc == MSYN_OK) {
        const msyn_fit *f = &b->tf.fit;
        sb_printf(o, "  %zu %s filled in on the %s side", b->tf.k0, b->tf.k0 == 1 ? "study" : "studies",
                  b->tf.side == MSYN_TF_LEFT ? "left" : "right");
        if (!isnan(b->tf.k0_se))
            sb_printf(o, " (SE %s)", app_fx(b->tf.k0_se, 2, a, sizeof a));
        if (!isnan(b->tf.k0_pval))
            sb_printf(o, "; test of no missing studies %s", app_pq(b->tf.k0_pval, p, sizeof p));
        sb_printf(o, "\n  adjusted estimate %s [%s; %s]", app_fx(app_back(r, f->estimate), d, a, sizeof a),
                  app_fx(app_back(r, f->ci_lb), d, c1, sizeof c1), app_fx(app_back(r, f->ci_ub), d, c2, sizeof c2));
        if (msyn_measure_back_name(r->measure))
            sb_printf(o, " (%s)", msyn_measure_back_name(r->measure));
        sb_printf(o, ", %s\n", app_pq(f->pval, p, sizeof p));
        for (size_t j = 0; j < b->tf.k0; j++)
            sb_printf(o, "  filled: yi = %s, vi = %s\n", app_fx(b->fill_yi[j], d, a, sizeof a), app_fx(b->fill_vi[j], d, c1, sizeof c1));
    } else {
        sb_printf(o, "  not computed (%s)\n", msyn_strerror(b->tf_rc));
    }
    sb_puts(o, "\nFail-safe N\n");
    {
        static const char *const names[3] = {"Rosenthal", "Orwin", "Rosenberg"};
        for (int t = 0; t < 3; t++) {
            if (b->fsn_rc[t] != MSYN_OK) {
                sb_printf(o, "  %s: not computed (%s)\n", names[t], msyn_strerror(b->fsn_rc[t]));
                continue;
            }
            sb_printf(o, "  %s: %s", names[t], app_fx(b->fsn[t].fsnum, 0, a, sizeof a));
            if (t == 1)
                sb_printf(o, " (target effect %s)", app_fx(b->fsn[t].target, d, c1, sizeof c1));
            sb_puts(o, "\n");
        }
    }
    app_warnings_text(&r->warnings, o);
    return o->oom ? -1 : 0;
}

static json_t *regtest_json(jb *c, msyn_status rc, const msyn_regtest *t)
{
    json_t *o = json_object();
    if (rc != MSYN_OK) {
        jb_put(c, o, "error", json_string(msyn_strerror(rc)));
        return o;
    }
    jb_put(c, o, "k", json_integer((json_int_t)t->k));
    jb_put(c, o, "model", json_string(t->model_rma ? "rma" : "lm"));
    jb_put(c, o, "predictor", json_string(msyn_bias_predictor_name(t->predictor)));
    jb_put(c, o, "stat", jb_num(t->stat));
    jb_put(c, o, "df", jb_num(t->df));
    jb_put(c, o, "pval", jb_num(t->pval));
    jb_put(c, o, "slope", jb_num(t->slope));
    jb_put(c, o, "slope_se", jb_num(t->slope_se));
    jb_put(c, o, "limit_estimate", jb_num(t->est));
    jb_put(c, o, "limit_ci_lb", jb_num(t->ci_lb));
    jb_put(c, o, "limit_ci_ub", jb_num(t->ci_ub));
    jb_put(c, o, "tau2", jb_num(t->tau2));
    return o;
}

int app_bias_json(const app_result *r, sbuf *out)
{
    const app_bias *b = &r->bias;
    jb c = {0};
    json_t *root = json_object(), *tool = json_object(), *rk = json_object(), *tf = json_object(),
           *fs = json_object(), *w = json_array();
    static const char *const names[3] = {"rosenthal", "orwin", "rosenberg"};
    jb_put(&c, tool, "name", json_string("metasyn"));
    jb_put(&c, tool, "version", json_string(msyn_version()));
    jb_put(&c, tool, "command", json_string("bias"));
    jb_put(&c, root, "metasyn", tool);
    jb_put(&c, root, "file", json_string(r->file));
    jb_put(&c, root, "measure", json_string(msyn_measure_name(r->measure)));
    jb_put(&c, root, "method", json_string(msyn_method_name(r->po.method)));
    jb_put(&c, root, "egger", regtest_json(&c, b->egger_rc, &b->egger));
    jb_put(&c, root, "egger_lm", regtest_json(&c, b->egger_lm_rc, &b->egger_lm));
    if (b->peters_done)
        jb_put(&c, root, "peters", regtest_json(&c, b->peters_rc, &b->peters));
    if (b->rank_rc == MSYN_OK) {
        jb_put(&c, rk, "tau", jb_num(b->rank.tau));
        jb_put(&c, rk, "pval", jb_num(b->rank.pval));
        jb_put(&c, rk, "exact", json_boolean(b->rank.exact));
    } else {
        jb_put(&c, rk, "error", json_string(msyn_strerror(b->rank_rc)));
    }
    jb_put(&c, root, "ranktest", rk);
    if (b->tf_rc == MSYN_OK) {
        json_t *fill = json_array();
        jb_put(&c, tf, "estimator", json_string(tf_estimators[r->bias_opts.tf_estimator]));
        jb_put(&c, tf, "side_given", json_boolean(r->bias_opts.tf_side != MSYN_TF_AUTO));
        jb_put(&c, tf, "k0_pval", jb_num(b->tf.k0_pval));
        jb_put(&c, tf, "k0", json_integer((json_int_t)b->tf.k0));
        jb_put(&c, tf, "k0_se", jb_num(b->tf.k0_se));
        jb_put(&c, tf, "side", json_string(b->tf.side == MSYN_TF_LEFT ? "left" : "right"));
        jb_put(&c, tf, "estimate", jb_num(b->tf.fit.estimate));
        jb_put(&c, tf, "se", jb_num(b->tf.fit.se));
        jb_put(&c, tf, "ci_lb", jb_num(b->tf.fit.ci_lb));
        jb_put(&c, tf, "ci_ub", jb_num(b->tf.fit.ci_ub));
        jb_put(&c, tf, "pval", jb_num(b->tf.fit.pval));
        jb_put(&c, tf, "tau2", jb_num(b->tf.fit.tau2));
        for (size_t j = 0; j < b->tf.k0; j++) {
            json_t *o = json_object();
            jb_put(&c, o, "yi", jb_num(b->fill_yi[j]));
            jb_put(&c, o, "vi", jb_num(b->fill_vi[j]));
            jb_append(&c, fill, o);
        }
        jb_put(&c, tf, "filled", fill);
    } else {
        jb_put(&c, tf, "error", json_string(msyn_strerror(b->tf_rc)));
    }
    jb_put(&c, root, "trimfill", tf);
    for (int t = 0; t < 3; t++) {
        json_t *o = json_object();
        if (b->fsn_rc[t] == MSYN_OK) {
            jb_put(&c, o, "fsn", jb_num(b->fsn[t].fsnum));
            jb_put(&c, o, "pval", jb_num(b->fsn[t].pval));
            jb_put(&c, o, "target", jb_num(b->fsn[t].target));
        } else {
            jb_put(&c, o, "error", json_string(msyn_strerror(b->fsn_rc[t])));
        }
        jb_put(&c, fs, names[t], o);
    }
    jb_put(&c, root, "fail_safe_n", fs);
    for (size_t i = 0; i < r->warnings.n; i++)
        jb_append(&c, w, json_string(r->warnings.s[i]));
    jb_put(&c, root, "warnings", w);
    return jb_dump(&c, root, out);
}
