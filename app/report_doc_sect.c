/*
 * report_doc_sect.c - the sections of the report document for pool:
 * settings, warnings, the study table, the pooled result with its
 * heterogeneity and clinical relevance, subgroups and the sensitivity
 * analyses.  Values are those of the text report, formatted by the same
 * helpers (app_fx, app_pq) at --digits.  report_doc_int.h.
 */
#include <stdio.h>
#include <string.h>

#include "report_doc_int.h"

static int common_effect(const app_result *r)
{
    msyn_method m = r->po.method;
    return m == MSYN_METHOD_EE || m == MSYN_METHOD_MH || m == MSYN_METHOD_PETO;
}

/* "est [lb; ub]" on the reading scale (or the analysis scale: back 0). */
static const char *est_ci(const doc *d, const app_result *r, double est, double lb, double ub, int back,
                          char *out, size_t n)
{
    char a[48], b[48], c[48];
    int dg = r->digits;
    snprintf(out, n, "%s [%s; %s]", doc_fx(d, back ? app_back(r, est) : est, dg, a, sizeof a),
             doc_fx(d, back ? app_back(r, lb) : lb, dg, b, sizeof b), doc_fx(d, back ? app_back(r, ub) : ub, dg, c, sizeof c));
    return out;
}

static const char *pct(const doc *d, double x, char *out, size_t n)
{
    char a[48];
    if (isnan(x))
        snprintf(out, n, "%s", "");
    else
        snprintf(out, n, "%s%%", doc_fx(d, x, 1, a, sizeof a));
    return out;
}

void doc_settings(doc *d, const app_result *r)
{
    static const char *const head[2] = {"Setting", "Value"};
    const msyn_pool_opts *po = &r->po;
    const msyn_fit *f = &r->fit;
    int pool = strcmp(r->command, "pool") == 0;
    char v[512], b[64];
    doc_h(d, 2, "Analysis", "analysis");
    doc_table_open(d, 2, "ll", head);
    snprintf(v, sizeof v, "metasyn %s", r->command);
    doc_kv(d, "Command", v);
    snprintf(v, sizeof v, "%s (%zu %s, %s)", r->file, r->data->k, r->data->k == 1 ? "row" : "rows",
             app_input_form_name(r->data->input));
    doc_kv(d, "File", v);
    snprintf(v, sizeof v, "%s, %s", msyn_measure_name(r->measure), msyn_measure_label(r->measure));
    doc_kv(d, "Measure", v);
    if (po->method == MSYN_METHOD_MH || po->method == MSYN_METHOD_PETO)
        snprintf(v, sizeof v, "common effect, %s", msyn_method_label(po->method));
    else if (po->method == MSYN_METHOD_EE)
        snprintf(v, sizeof v, "common effect, inverse variance");
    else
        snprintf(v, sizeof v, "%s", strcmp(r->command, "reg") == 0 ? "mixed effects (meta-regression)" : "random effects");
    doc_kv(d, "Model", v);
    if (!common_effect(r)) {
        msyn_method used = po->method;
        if (pool && r->fitted)
            used = f->method_used;
        else if (strcmp(r->command, "reg") == 0 && r->fitted)
            used = r->reg.fit.method_used;
        if (!isnan(po->tau2_fixed))
            snprintf(v, sizeof v, "fixed at %g", po->tau2_fixed);
        else
            snprintf(v, sizeof v, "%s%s%s", msyn_method_label(used), used != po->method ? " (fallback from " : "",
                     used != po->method ? msyn_method_name(po->method) : "");
        if (used != po->method)
            strncat(v, ")", sizeof v - strlen(v) - 1);
        doc_kv(d, d->m == APP_MARKUP_TEXT ? "tau² estimator" : "τ² estimator", v);
    }
    snprintf(v, sizeof v, "%s", msyn_test_label(pool && r->fitted ? f->test
                                                : strcmp(r->command, "reg") == 0 && r->fitted ? r->reg.fit.test
                                                                                              : po->test));
    doc_kv(d, "Test and CI", v);
    snprintf(v, sizeof v, "%g%%", 100.0 * po->level);
    doc_kv(d, "Confidence level", v);
    if (pool && r->fitted && !common_effect(r)) {
        doc_kv(d, d->m == APP_MARKUP_TEXT ? "tau² CI" : "τ² CI", isnan(f->tau2_ci_lb) ? "none" : "Q-profile");
        doc_kv(d, "Prediction interval", app_pi_name(r, b, sizeof b));
    }
    if (r->sg.by)
        doc_kv(d, "Subgroups by", r->sg.by);
    doc_kv(d, "Preset", msyn_preset_name(r->preset));
    doc_kv(d, "metasyn version", msyn_version());
    doc_table_close(d);
}

void doc_warnings(doc *d, const app_result *r)
{
    doc_h(d, 2, "Data checks and warnings", "warnings");
    if (r->warnings.n == 0) {
        doc_p_open(d, NULL);
        doc_prose(d, "The data checks found nothing to report, and the analysis gave no warnings.");
        doc_p_close(d);
        return;
    }
    doc_list_open(d);
    for (size_t i = 0; i < r->warnings.n; i++)
        doc_li(d, r->warnings.s[i]);
    doc_list_close(d);
}

/* The columns of the study table that show a study's data. */
typedef struct arm_col {
    const char *head;
    int col, col2;           /* the value, or col + col2 when col2 >= 0 */
} arm_col;

static size_t arm_cols(const app_result *r, arm_col *c)
{
    switch (r->data->input) {
    case MSYN_INPUT_TABLE:
        c[0] = (arm_col){"Events 1", COL_AI, -1};
        c[1] = (arm_col){"Total 1", COL_N1I, -1};
        c[2] = (arm_col){"Events 2", COL_CI, -1};
        c[3] = (arm_col){"Total 2", COL_N2I, -1};
        if (!r->data->col[COL_N1I])
            c[1] = (arm_col){"Total 1", COL_AI, COL_BI};
        if (!r->data->col[COL_N2I])
            c[3] = (arm_col){"Total 2", COL_CI, COL_DI};
        return 4;
    case MSYN_INPUT_ARMS:
        c[0] = (arm_col){"Mean 1", COL_M1I, -1};
        c[1] = (arm_col){"SD 1", COL_SD1I, -1};
        c[2] = (arm_col){"N 1", COL_N1I, -1};
        c[3] = (arm_col){"Mean 2", COL_M2I, -1};
        c[4] = (arm_col){"SD 2", COL_SD2I, -1};
        c[5] = (arm_col){"N 2", COL_N2I, -1};
        return 6;
    case MSYN_INPUT_PROPORTION:
        c[0] = (arm_col){"Events", COL_XI, -1};
        c[1] = (arm_col){"Total", COL_NI, -1};
        return 2;
    case MSYN_INPUT_RATE:
        c[0] = (arm_col){"Events", COL_XI, -1};
        c[1] = (arm_col){"Person-time", COL_TI, -1};
        return 2;
    case MSYN_INPUT_RATES:
        c[0] = (arm_col){"Events 1", COL_X1I, -1};
        c[1] = (arm_col){"Time 1", COL_T1I, -1};
        c[2] = (arm_col){"Events 2", COL_X2I, -1};
        c[3] = (arm_col){"Time 2", COL_T2I, -1};
        return 4;
    case MSYN_INPUT_MEAN:
        c[0] = (arm_col){"Mean", COL_MI, -1};
        c[1] = (arm_col){"SD", COL_SDI, -1};
        c[2] = (arm_col){"N", COL_NI, -1};
        return 3;
    case MSYN_INPUT_CORRELATION:
        c[0] = (arm_col){"r", COL_RI, -1};
        c[1] = (arm_col){"N", COL_NI, -1};
        return 2;
    case MSYN_INPUT_PREPOST:
        c[0] = (arm_col){"Mean 1", COL_M1I, -1};
        c[1] = (arm_col){"SD 1", COL_SD1I, -1};
        c[2] = (arm_col){"Mean 2", COL_M2I, -1};
        c[3] = (arm_col){"SD 2", COL_SD2I, -1};
        c[4] = (arm_col){"N", COL_NI, -1};
        return 5;
    case MSYN_INPUT_OE:
        c[0] = (arm_col){"O - E", COL_OEI, -1};
        c[1] = (arm_col){"V", COL_VEI, -1};
        return 2;
    default:
        return 0;
    }
}

static double cell(const app_data *dt, const arm_col *c, size_t i)
{
    double x = dt->col[c->col] ? dt->col[c->col][i] : nan("");
    if (c->col2 >= 0)
        x += dt->col[c->col2] ? dt->col[c->col2][i] : nan("");
    return x;
}

void doc_studies(doc *d, const app_result *r)
{
    arm_col ac[8];
    size_t na = arm_cols(r, ac), nc = 0;
    int weights = r->w && strcmp(r->command, "pool") == 0;
    const char *head[DOC_MAXCOL];
    char hd[3][80], al[DOC_MAXCOL + 1], v[DOC_MAXCOL][96], scale[48];
    const char *row[DOC_MAXCOL];
    doc_h(d, 2, "Studies", "studies");
    head[nc] = "Study";
    al[nc++] = 'l';
    for (size_t j = 0; j < na; j++) {
        head[nc] = ac[j].head;
        al[nc++] = 'r';
    }
    if (r->data->input == MSYN_INPUT_ESTIMATE || na == 0) {
        snprintf(hd[0], sizeof hd[0], "%s", app_analysis_name(r, scale, sizeof scale));
        head[nc] = hd[0];
        al[nc++] = 'r';
        head[nc] = "SE";
        al[nc++] = 'r';
    }
    snprintf(hd[1], sizeof hd[1], "%s [%g%% CI]", app_effect_name(r), 100.0 * r->po.level);
    head[nc] = hd[1];
    al[nc++] = 'r';
    if (weights) {
        head[nc] = "Weight";
        al[nc++] = 'r';
    }
    al[nc] = '\0';
    doc_table_open(d, nc, al, head);
    for (size_t i = 0; i < r->data->k; i++) {
        size_t c = 0;
        row[c++] = r->data->study[i];
        for (size_t j = 0; j < na; j++, c++)
            row[c] = doc_raw_num(d, cell(r->data, &ac[j], i), v[c], sizeof v[c]);
        if (r->data->input == MSYN_INPUT_ESTIMATE || na == 0) {
            row[c] = doc_fx(d, r->yi[i], r->digits, v[c], sizeof v[c]);
            c++;
            row[c] = doc_fx(d, sqrt(r->vi[i]), r->digits, v[c], sizeof v[c]);
            c++;
        }
        if (isnan(r->yi[i]) || isnan(r->vi[i])) {
            char note[128];
            snprintf(v[c], sizeof v[c], "left out: %s", app_es_note(r->esflags[i], &r->eo, note, sizeof note));
            row[c] = v[c];
        } else {
            char a[48], b[48], e[48];
            snprintf(v[c], sizeof v[c], "%s [%s; %s]", doc_fx(d, app_back_study(r, i, r->yi[i]), r->digits, a, sizeof a),
                     doc_fx(d, app_back_study(r, i, app_study_ci(r, i, 0)), r->digits, b, sizeof b),
                     doc_fx(d, app_back_study(r, i, app_study_ci(r, i, 1)), r->digits, e, sizeof e));
            row[c] = v[c];
        }
        c++;
        if (weights) {
            row[c] = isnan(r->w[i]) ? "–" : pct(d, r->w[i], v[c], sizeof v[c]);
            c++;
        }
        doc_tr(d, row);
    }
    doc_table_close(d);
}

static void clinical(doc *d, const app_result *r)
{
    static const char *const head[2] = {"", "Value"};
    const msyn_fit *f = &r->fit;
    double k = isnan(r->reexpress_sd) ? 1.0 : r->reexpress_sd;
    char v[256], a[48], b[48], c[48];
    if (isnan(r->reexpress_sd) && isnan(r->mcid))
        return;
    doc_h(d, 3, "Clinical relevance", "clinical");
    doc_table_open(d, 2, "ll", head);
    if (!isnan(r->reexpress_sd)) {
        snprintf(v, sizeof v, "%s points [%s; %s]", doc_fx(d, k * f->estimate, 1, a, sizeof a),
                 doc_fx(d, k * f->ci_lb, 1, b, sizeof b), doc_fx(d, k * f->ci_ub, 1, c, sizeof c));
        snprintf(a, sizeof a, "On %s (SD %g)", r->scale_name ? r->scale_name : "the instrument", r->reexpress_sd);
        doc_kv(d, a, v);
        if (!isnan(f->pi_lb)) {
            snprintf(v, sizeof v, "[%s; %s] points", doc_fx(d, k * f->pi_lb, 1, b, sizeof b),
                     doc_fx(d, k * f->pi_ub, 1, c, sizeof c));
            doc_kv(d, "Prediction interval", v);
        }
    }
    if (!isnan(r->mcid)) {
        const char *sentence, *verdict = app_mcid_verdict(k * f->estimate, k * f->ci_lb, k * f->ci_ub, r->mcid, &sentence);
        snprintf(a, sizeof a, "MCID %g%s", r->mcid, isnan(r->reexpress_sd) ? "" : " points");
        snprintf(v, sizeof v, "%s: %s", verdict, sentence);
        doc_kv(d, a, v);
    }
    doc_table_close(d);
}

void doc_pooled(doc *d, const app_result *r)
{
    static const char *const head[2] = {"", "Value"};
    const msyn_fit *f = &r->fit;
    int dg = r->digits, transformed = msyn_measure_back_name(r->measure) != NULL;
    char v[256], a[48], b[48], lab[96], scale[48];
    if (!r->fitted)
        return;
    doc_h(d, 2, "Pooled result", "pooled");
    doc_table_open(d, 2, "ll", head);
    snprintf(lab, sizeof lab, "%s [%g%% CI], k = %zu", app_effect_name(r), 100.0 * r->po.level, f->k);
    doc_kv(d, lab, est_ci(d, r, f->estimate, f->ci_lb, f->ci_ub, 1, v, sizeof v));
    if (transformed) {
        snprintf(lab, sizeof lab, "%s [%g%% CI]", app_analysis_name(r, scale, sizeof scale), 100.0 * r->po.level);
        doc_kv(d, lab, est_ci(d, r, f->estimate, f->ci_lb, f->ci_ub, 0, v, sizeof v));
    }
    doc_kv(d, "SE", doc_fx(d, f->se, dg, a, sizeof a));
    if (isnan(f->df))
        snprintf(v, sizeof v, "z = %s, %s", doc_fx(d, f->stat, 2, a, sizeof a), doc_pq(d, f->pval, b, sizeof b));
    else
        snprintf(v, sizeof v, "t(%g) = %s, %s", f->df, doc_fx(d, f->stat, 2, a, sizeof a), doc_pq(d, f->pval, b, sizeof b));
    doc_kv(d, "Test for overall effect", v);
    if (r->measure == MSYN_MEASURE_PFT)
        doc_kv(d, "Back-transformation", "Miller's inverse at the harmonic mean n");
    if (!isnan(f->pi_lb)) {
        snprintf(v, sizeof v, "[%s; %s]", doc_fx(d, app_back(r, f->pi_lb), dg, a, sizeof a),
                 doc_fx(d, app_back(r, f->pi_ub), dg, b, sizeof b));
        snprintf(lab, sizeof lab, "Prediction interval (%s)", app_effect_name(r));
        doc_kv(d, lab, v);
    }
    doc_table_close(d);
    clinical(d, r);
    if (f->k < 2)
        return;
    doc_h(d, 3, "Heterogeneity", "heterogeneity");
    doc_table_open(d, 2, "ll", head);
    if (!isnan(f->tau2) && !common_effect(r)) {
        snprintf(v, sizeof v, "%s", doc_fx(d, f->tau2, dg, a, sizeof a));
        if (!isnan(f->tau2_ci_lb))
            snprintf(v + strlen(v), sizeof v - strlen(v), " [%s; %s]", doc_fx(d, f->tau2_ci_lb, dg, a, sizeof a),
                     doc_fx(d, f->tau2_ci_ub, dg, b, sizeof b));
        doc_kv(d, d->m == APP_MARKUP_TEXT ? "tau²" : "τ²", v);
        snprintf(v, sizeof v, "%s", doc_fx(d, f->tau, dg, a, sizeof a));
        if (!isnan(f->tau_ci_lb))
            snprintf(v + strlen(v), sizeof v - strlen(v), " [%s; %s]", doc_fx(d, f->tau_ci_lb, dg, a, sizeof a),
                     doc_fx(d, f->tau_ci_ub, dg, b, sizeof b));
        doc_kv(d, d->m == APP_MARKUP_TEXT ? "tau" : "τ", v);
    }
    snprintf(v, sizeof v, "%s%%", doc_fx(d, f->I2, 1, a, sizeof a));
    if (!isnan(f->I2_ci_lb))
        snprintf(v + strlen(v), sizeof v - strlen(v), " [%s%%; %s%%]", doc_fx(d, f->I2_ci_lb, 1, a, sizeof a),
                 doc_fx(d, f->I2_ci_ub, 1, b, sizeof b));
    doc_kv(d, "I²", v);
    snprintf(v, sizeof v, "%s", doc_fx(d, f->H2, 2, a, sizeof a));
    if (!isnan(f->H2_ci_lb))
        snprintf(v + strlen(v), sizeof v - strlen(v), " [%s; %s]", doc_fx(d, f->H2_ci_lb, 2, a, sizeof a),
                 doc_fx(d, f->H2_ci_ub, 2, b, sizeof b));
    doc_kv(d, "H²", v);
    snprintf(v, sizeof v, "%s, df = %s, %s", doc_fx(d, f->Q, 2, a, sizeof a), app_fx(f->Q_df, 0, b, sizeof b),
             doc_pq(d, f->Q_pval, lab, sizeof lab));
    doc_kv(d, "Q", v);
    doc_table_close(d);
}

void doc_subgroups(doc *d, const app_result *r)
{
    const app_subgroups *sg = &r->sg;
    const char *head[6] = {"Subgroup", "k", "", "p", "", "I²"};
    char hd[64], v[6][128], a[48], b[48], c[48], p[48];
    const char *row[6];
    if (!sg->by || !r->fitted)
        return;
    snprintf(hd, sizeof hd, "%s [%g%% CI]", app_effect_name(r), 100.0 * r->po.level);
    head[2] = hd;
    head[4] = d->m == APP_MARKUP_TEXT ? "tau²" : "τ²";
    snprintf(v[0], sizeof v[0], "Subgroups by %s", sg->by);
    doc_h(d, 2, v[0], "subgroups");
    doc_p_open(d, NULL);
    if (sg->common)
        doc_prose(d, "One common %s = %s for all subgroups (mixed-effects model).", head[4],
                  doc_fx(d, sg->tau2, r->digits, a, sizeof a));
    else
        doc_prose(d, "Each subgroup pooled with its own %s.", head[4]);
    doc_p_close(d);
    doc_table_open(d, 6, "lrrrrr", head);
    for (size_t g = 0; g < sg->n; g++) {
        const app_subgroup *s = &sg->g[g];
        const msyn_fit *f = &s->fit;
        row[0] = s->name;
        snprintf(v[1], sizeof v[1], "%zu", s->pooled ? f->k : s->k_est);
        row[1] = v[1];
        if (!s->pooled) {
            snprintf(v[2], sizeof v[2], "not pooled (fewer than %d studies)", r->min_k);
            row[2] = v[2];
            row[3] = row[4] = row[5] = "";
        } else {
            row[2] = est_ci(d, r, f->estimate, f->ci_lb, f->ci_ub, 1, v[2], sizeof v[2]);
            row[3] = doc_pcol(d, f->pval, v[3], sizeof v[3]);
            row[4] = sg->common || common_effect(r) || isnan(f->tau2) ? "" : doc_fx(d, f->tau2, r->digits, v[4], sizeof v[4]);
            row[5] = sg->common ? "" : pct(d, f->I2, v[5], sizeof v[5]);
        }
        doc_tr(d, row);
    }
    doc_table_close(d);
    doc_p_open(d, NULL);
    if (!sg->tested)
        doc_prose(d, "Test for subgroup differences: not done (fewer than 2 subgroups pooled).");
    else if (sg->common && !isnan(sg->df2))
        doc_prose(d, "Test for subgroup differences: F(%s, %s) = %s (%s).", app_fx(sg->df, 0, b, sizeof b),
                  app_fx(sg->df2, 0, c, sizeof c), app_fx(sg->Q, 2, a, sizeof a), doc_pq(d, sg->pval, p, sizeof p));
    else if (sg->common)
        doc_prose(d, "Test for subgroup differences: QM = %s, df = %s (%s).", app_fx(sg->Q, 2, a, sizeof a),
                  app_fx(sg->df, 0, b, sizeof b), doc_pq(d, sg->pval, p, sizeof p));
    else
        doc_prose(d, "Test for subgroup differences: %s² = %s, df = %s (%s), I² = %s%%.",
                  d->m == APP_MARKUP_TEXT ? "Chi" : "χ", app_fx(sg->Q, 2, a, sizeof a), app_fx(sg->df, 0, b, sizeof b),
                  doc_pq(d, sg->pval, p, sizeof p), app_fx(sg->I2, 1, c, sizeof c));
    doc_p_close(d);
}
