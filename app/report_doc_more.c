/*
 * report_doc_more.c - the sections of the report document for the
 * sensitivity analyses of pool (leave-one-out, cumulative, influence,
 * GOSH), for metasyn bias and for metasyn reg, with the numbers of their
 * text reports (sens.c, bias.c, reg.c).  report_doc_int.h.
 */
#include <stdio.h>
#include <string.h>

#include "report_doc_int.h"

/* Leave-one-out or cumulative fits: one row per study. */
static void fit_table(doc *d, const app_result *r, const double *b, const size_t *order, const char *title,
                      const char *id)
{
    size_t k = r->data->k;
    const char *head[6] = {order ? "Study added" : "Study left out", "", "p", "", "I²", "Q"};
    char hd[64], v[6][128], a[48], lo[48], hi[48];
    const char *row[6];
    snprintf(hd, sizeof hd, "%s [%g%% CI]", app_effect_name(r), 100.0 * r->po.level);
    head[1] = hd;
    head[3] = d->m == APP_MARKUP_TEXT ? "tau²" : "τ²";
    doc_h(d, 3, title, id);
    doc_table_open(d, 6, "lrrrrr", head);
    for (size_t j = 0; j < k; j++) {
        size_t i = order ? order[j] : j;
        double est = b[SENS_EST * k + j];
        row[0] = r->data->study[i];
        if (isnan(est)) {
            row[1] = "–";
            row[2] = row[3] = row[4] = row[5] = "";
        } else {
            snprintf(v[1], sizeof v[1], "%s [%s; %s]", doc_fx(d, app_back(r, est), r->digits, a, sizeof a),
                     doc_fx(d, app_back(r, b[SENS_CILB * k + j]), r->digits, lo, sizeof lo),
                     doc_fx(d, app_back(r, b[SENS_CIUB * k + j]), r->digits, hi, sizeof hi));
            row[1] = v[1];
            row[2] = doc_fx(d, b[SENS_PVAL * k + j], 4, v[2], sizeof v[2]);
            row[3] = doc_fx(d, b[SENS_TAU2 * k + j], r->digits, v[3], sizeof v[3]);
            snprintf(v[4], sizeof v[4], "%s%%", doc_fx(d, b[SENS_I2 * k + j], 1, a, sizeof a));
            row[4] = v[4];
            row[5] = doc_fx(d, b[SENS_Q * k + j], 2, v[5], sizeof v[5]);
        }
        doc_tr(d, row);
    }
    doc_table_close(d);
}

static void influence_table(doc *d, const app_result *r)
{
    static const char *const head[10] = {"Study", "rstudent", "dffits", "cook.d", "cov.r", "tau2.del",
                                         "QE.del", "hat", "weight", "influential"};
    const app_sens *s = &r->sens;
    size_t k = r->data->k;
    char v[10][64];
    const char *row[10];
    doc_h(d, 3, "Influence diagnostics", "influence");
    doc_table_open(d, 10, "lrrrrrrrrl", head);
    for (size_t i = 0; i < k; i++) {
        row[0] = r->data->study[i];
        for (int c = 0; c < 8; c++) {
            double x = s->inf[(size_t)c * k + i];
            if (isnan(s->inf[INF_HAT * k + i]))
                row[c + 1] = "";
            else if (c == INF_WEIGHT)
                snprintf(v[c + 1], sizeof v[c + 1], "%s%%", doc_fx(d, x, 1, v[0], sizeof v[0])), row[c + 1] = v[c + 1];
            else
                row[c + 1] = doc_fx(d, x, 4, v[c + 1], sizeof v[c + 1]);
        }
        row[9] = s->flag[i] ? "yes" : "";
        doc_tr(d, row);
    }
    doc_table_close(d);
}

void doc_sens(doc *d, const app_result *r)
{
    const app_sens *s = &r->sens;
    char title[160];
    if (!r->fitted || !(s->l1o || s->cum || s->inf || s->gosh))
        return;
    doc_h(d, 2, "Sensitivity and influence", "sensitivity");
    if (s->l1o)
        fit_table(d, r, s->l1o, NULL, "Leave-one-out", "leave1out");
    if (s->cum) {
        snprintf(title, sizeof title, "Cumulative meta-analysis in the order of %s", s->cum_col);
        fit_table(d, r, s->cum, s->order, title, "cumulative");
    }
    if (s->inf)
        influence_table(d, r);
    if (s->gosh) {
        double lo = INFINITY, hi = -INFINITY;
        char a[48], b[48];
        for (size_t j = 0; j < s->gosh_rows; j++)
            if (!isnan(s->gosh[s->gosh_rows + j])) {
                lo = fmin(lo, s->gosh[s->gosh_rows + j]);
                hi = fmax(hi, s->gosh[s->gosh_rows + j]);
            }
        doc_h(d, 3, "GOSH", "gosh");
        doc_p_open(d, NULL);
        doc_prose(d, "%zu %s subsets fitted; pooled estimates from %s to %s.", s->gosh_rows,
                  s->gosh_exhaustive ? "(all)" : "random", doc_fx(d, app_back(r, lo), r->digits, a, sizeof a),
                  doc_fx(d, app_back(r, hi), r->digits, b, sizeof b));
        doc_p_close(d);
    }
}

/* ---- metasyn bias ---------------------------------------------------------- */

static void regtest_row(doc *d, const char *name, msyn_status rc, const msyn_regtest *t, int dg)
{
    char v[5][160], a[48], b[48], c[48];
    const char *row[5];
    row[0] = name;
    if (rc != MSYN_OK) {
        snprintf(v[1], sizeof v[1], "not computed (%s)", msyn_strerror(rc));
        row[1] = v[1];
        row[2] = row[3] = row[4] = "";
        doc_tr(d, row);
        return;
    }
    snprintf(v[1], sizeof v[1], "%s = %s", t->test == MSYN_TEST_Z ? "z" : "t", doc_fx(d, t->stat, 3, a, sizeof a));
    row[1] = v[1];
    if (isnan(t->df))
        row[2] = "";
    else
        snprintf(v[2], sizeof v[2], "%g", t->df), row[2] = v[2];
    row[3] = doc_pcol(d, t->pval, v[3], sizeof v[3]);
    if (isnan(t->est))
        row[4] = "";
    else
        snprintf(v[4], sizeof v[4], "%s [%s; %s]", doc_fx(d, t->est, dg, a, sizeof a), doc_fx(d, t->ci_lb, dg, b, sizeof b),
                 doc_fx(d, t->ci_ub, dg, c, sizeof c)), row[4] = v[4];
    doc_tr(d, row);
}

void doc_bias(doc *d, const app_result *r)
{
    static const char *const head[5] = {"Test", "Statistic", "df", "p", "Limit estimate [CI]"};
    static const char *const fhead[3] = {"Method", "Fail-safe N", "Note"};
    static const char *const names[3] = {"Rosenthal", "Orwin", "Rosenberg"};
    static const char *const est[3] = {"L0", "R0", "Q0"};
    const app_bias *b = &r->bias;
    int dg = r->digits;
    char v[3][160], a[48], c1[48], c2[48], title[64];
    const char *row[5];
    unsigned e = (unsigned)r->bias_opts.tf_estimator;
    doc_h(d, 2, "Small-study effects", "bias");
    doc_h(d, 3, "Funnel-plot asymmetry", "asymmetry");
    doc_table_open(d, 5, "lrrrr", head);
    regtest_row(d, "Egger (meta-regression)", b->egger_rc, &b->egger, dg);
    regtest_row(d, "Egger (classic weighted regression)", b->egger_lm_rc, &b->egger_lm, dg);
    if (b->peters_done)
        regtest_row(d, "Peters (log OR on 1/n)", b->peters_rc, &b->peters, dg);
    row[0] = "Begg and Mazumdar rank correlation";
    if (b->rank_rc == MSYN_OK) {
        snprintf(v[0], sizeof v[0], "Kendall's %s = %s", d->m == APP_MARKUP_TEXT ? "tau" : "τ", doc_fx(d, b->rank.tau, 3, a, sizeof a));
        row[1] = v[0];
        row[2] = "";
        row[3] = doc_pcol(d, b->rank.pval, v[1], sizeof v[1]);
        row[4] = b->rank.exact ? "(exact p)" : "(normal approximation)";
    } else {
        snprintf(v[0], sizeof v[0], "not computed (%s)", msyn_strerror(b->rank_rc));
        row[1] = v[0];
        row[2] = row[3] = row[4] = "";
    }
    doc_tr(d, row);
    doc_table_close(d);
    snprintf(title, sizeof title, "Trim-and-fill (%s)", est[e < 3 ? e : 0]);
    doc_h(d, 3, title, "trimfill");
    doc_p_open(d, NULL);
    if (b->tf_rc == MSYN_OK) {
        const msyn_fit *f = &b->tf.fit;
        doc_prose(d, "%zu %s filled in on the %s side", b->tf.k0, b->tf.k0 == 1 ? "study" : "studies",
                  b->tf.side == MSYN_TF_LEFT ? "left" : "right");
        if (!isnan(b->tf.k0_se))
            doc_prose(d, " (SE %s)", app_fx(b->tf.k0_se, 2, a, sizeof a));
        doc_prose(d, "; adjusted %s %s [%s; %s], %s.", app_effect_name(r), doc_fx(d, app_back(r, f->estimate), dg, a, sizeof a),
                  doc_fx(d, app_back(r, f->ci_lb), dg, c1, sizeof c1), doc_fx(d, app_back(r, f->ci_ub), dg, c2, sizeof c2),
                  doc_pq(d, f->pval, v[0], sizeof v[0]));
    } else {
        doc_prose(d, "Not computed (%s).", msyn_strerror(b->tf_rc));
    }
    doc_p_close(d);
    doc_h(d, 3, "Fail-safe N", "failsafe");
    doc_table_open(d, 3, "lrl", fhead);
    for (int t = 0; t < 3; t++) {
        row[0] = names[t];
        if (b->fsn_rc[t] != MSYN_OK) {
            snprintf(v[0], sizeof v[0], "not computed (%s)", msyn_strerror(b->fsn_rc[t]));
            row[1] = v[0];
            row[2] = "";
        } else {
            row[1] = doc_fx(d, b->fsn[t].fsnum, 0, v[0], sizeof v[0]);
            if (t == 1)
                snprintf(v[1], sizeof v[1], "target effect %s", doc_fx(d, b->fsn[t].target, dg, a, sizeof a)), row[2] = v[1];
            else
                row[2] = "";
        }
        doc_tr(d, row);
    }
    doc_table_close(d);
}

/* ---- metasyn reg ----------------------------------------------------------- */

void doc_reg(doc *d, const app_result *r)
{
    static const char *const khead[2] = {"", "Value"};
    const app_reg *g = &r->reg;
    const msyn_reg_fit *f = &g->fit;
    int dg = r->digits;
    const char *head[6] = {"Coefficient", "Estimate", "SE", "", "p", ""};
    char v[6][160], a[48], b[48], hd[32];
    const char *row[6];
    head[3] = isnan(f->df) ? "z" : "t";
    snprintf(hd, sizeof hd, "%g%% CI", 100.0 * r->po.level);
    head[5] = hd;
    doc_h(d, 2, "Meta-regression", "regression");
    doc_table_open(d, 6, "lrrrrr", head);
    for (size_t j = 0; j < g->p; j++) {
        row[0] = g->name[j];
        row[1] = doc_fx(d, f->b[j], dg, v[1], sizeof v[1]);
        row[2] = doc_fx(d, f->se[j], dg, v[2], sizeof v[2]);
        row[3] = doc_fx(d, f->stat[j], 2, v[3], sizeof v[3]);
        row[4] = doc_pcol(d, f->pval[j], v[4], sizeof v[4]);
        snprintf(v[5], sizeof v[5], "[%s; %s]", doc_fx(d, f->ci_lb[j], dg, a, sizeof a), doc_fx(d, f->ci_ub[j], dg, b, sizeof b));
        row[5] = v[5];
        doc_tr(d, row);
    }
    doc_table_close(d);
    doc_table_open(d, 2, "ll", khead);
    if (isnan(f->QM_df2))
        snprintf(v[0], sizeof v[0], "QM(%g) = %s, %s", f->QM_df1, app_fx(f->QM, 2, a, sizeof a), doc_pq(d, f->QM_pval, b, sizeof b));
    else
        snprintf(v[0], sizeof v[0], "F(%g, %g) = %s, %s", f->QM_df1, f->QM_df2, app_fx(f->QM, 2, a, sizeof a),
                 doc_pq(d, f->QM_pval, b, sizeof b));
    doc_kv(d, "Test of moderators", v[0]);
    snprintf(v[0], sizeof v[0], "QE(%g) = %s, %s", f->QE_df, app_fx(f->QE, 2, a, sizeof a), doc_pq(d, f->QE_pval, b, sizeof b));
    doc_kv(d, "Residual heterogeneity", v[0]);
    if (r->po.method != MSYN_METHOD_EE) {
        snprintf(v[0], sizeof v[0], "%s (SE %s)", doc_fx(d, f->tau2, dg, a, sizeof a), doc_fx(d, f->tau2_se, dg, b, sizeof b));
        doc_kv(d, d->m == APP_MARKUP_TEXT ? "Residual tau²" : "Residual τ²", v[0]);
        snprintf(v[0], sizeof v[0], "%s%%", doc_fx(d, f->I2, 1, a, sizeof a));
        doc_kv(d, "Residual I²", v[0]);
        if (!isnan(f->R2)) {
            snprintf(v[0], sizeof v[0], "%s%% (%s² without moderators %s)", doc_fx(d, f->R2, 1, a, sizeof a),
                     d->m == APP_MARKUP_TEXT ? "tau" : "τ", doc_fx(d, f->tau2_0, dg, b, sizeof b));
            doc_kv(d, "R²", v[0]);
        }
    }
    if (g->permuted) {
        snprintf(v[0], sizeof v[0], "%s, %zu permutations%s", doc_pq(d, g->perm.QM_pval, a, sizeof a), g->perm.iter,
                 g->perm.exact ? " (exact)" : "");
        doc_kv(d, "Permutation test of moderators", v[0]);
        for (size_t j = 0; j < g->p; j++) {
            snprintf(v[1], sizeof v[1], "Permutation p, %s", g->name[j]);
            doc_kv(d, v[1], doc_pq(d, g->perm.pval[j], v[2], sizeof v[2]));
        }
    }
    doc_table_close(d);
    if (g->npred) {
        const char *phead[3] = {"At", "", "Prediction interval"};
        char ph[64];
        snprintf(ph, sizeof ph, "Predicted %s [%g%% CI]", app_effect_name(r), 100.0 * r->po.level);
        phead[1] = ph;
        doc_h(d, 3, "Predictions", "predictions");
        doc_table_open(d, 3, "lrr", phead);
        for (size_t q = 0; q < g->npred; q++) {
            const msyn_reg_pred *pr = &g->pred[q];
            row[0] = r->preds[q];
            snprintf(v[1], sizeof v[1], "%s [%s; %s]", doc_fx(d, app_back(r, pr->pred), dg, a, sizeof a),
                     doc_fx(d, app_back(r, pr->ci_lb), dg, b, sizeof b), doc_fx(d, app_back(r, pr->ci_ub), dg, v[3], sizeof v[3]));
            row[1] = v[1];
            if (isnan(pr->pi_lb))
                row[2] = "";
            else
                snprintf(v[2], sizeof v[2], "[%s; %s]", doc_fx(d, app_back(r, pr->pi_lb), dg, a, sizeof a),
                         doc_fx(d, app_back(r, pr->pi_ub), dg, b, sizeof b)), row[2] = v[2];
            doc_tr(d, row);
        }
        doc_table_close(d);
    }
}
