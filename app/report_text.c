/*
 * report_text.c - the printout of `metasyn pool`, in the spirit of
 * RevMan's and metafor's: settings, a study table (effect, CI, weight),
 * the pooled result, heterogeneity and every warning.
 *
 * Ratio measures show the log-scale effect with its SE and the ratio with
 * its CI, since reviewers read ratios but check against logs.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "rob.h"
#include "report_doc.h"

/* "p = 0.012" with d decimals, or "p < 0.001" below 10^-d. */
static const char *pfmt(double p, int d, char *buf, size_t n)
{
    double lim = pow(10.0, -d);
    if (isnan(p))
        snprintf(buf, n, "p = NA");
    else if (p < lim)
        snprintf(buf, n, "p < %.*f", d, lim);
    else
        snprintf(buf, n, "p = %.*f", d, p);
    return buf;
}

/* Is the measure read on another scale than it is analysed on? */
static int transformed(const app_result *r) { return msyn_measure_back_name(r->measure) != NULL; }

/* Name of the effect on the scale reviewers read ("RR", "SMD", ...). */
const char *app_effect_name(const app_result *r)
{
    if (transformed(r))
        return msyn_measure_back_name(r->measure);
    if (r->measure == MSYN_MEASURE_GEN)
        return "effect";
    return msyn_measure_name(r->measure);
}

/* Name of the analysis scale ("log RR", "PFT", ...). */
const char *app_analysis_name(const app_result *r, char *buf, size_t n)
{
    if (msyn_measure_is_ratio(r->measure))
        snprintf(buf, n, "log %s", app_effect_name(r));
    else
        snprintf(buf, n, "%s", r->measure == MSYN_MEASURE_GEN ? "effect" : msyn_measure_name(r->measure));
    return buf;
}

static void settings_block(const app_result *r, sbuf *o)
{
    const msyn_pool_opts *po = &r->po;
    const msyn_fit *f = &r->fit;
    int is_mh = po->method == MSYN_METHOD_MH || po->method == MSYN_METHOD_PETO;
    char b[64];
    sb_printf(o, "File:      %s (%zu %s, %s%s)\n", r->file, r->data->k,
              r->data->k == 1 ? "row" : "rows", app_input_form_name(r->data->input),
              r->streamed ? "; read as a stream" : "");
    sb_printf(o, "Measure:   %s, %s\n", msyn_measure_name(r->measure),
              msyn_measure_label(r->measure));
    sb_printf(o, "Preset:    %s\n", msyn_preset_name(r->preset));
    if (is_mh) {
        sb_printf(o, "Model:     common effect, %s", msyn_method_label(po->method));
    } else if (po->method == MSYN_METHOD_EE) {
        sb_printf(o, "Model:     common effect, inverse variance");
    } else if (f->flags & MSYN_FIT_TAU2_FIXED) {
        sb_printf(o, "Model:     random effects, tau² fixed at %g", f->tau2);
    } else if (!r->fitted) {
        sb_printf(o, "Model:     random effects, tau² by %s", msyn_method_label(po->method));
    } else {
        sb_printf(o, "Model:     random effects, tau² by %s", msyn_method_label(f->method_used));
        if (f->method_used != po->method)
            sb_printf(o, " (fallback from %s)", msyn_method_name(po->method));
        if (po->q_from_mh && r->data->input == MSYN_INPUT_TABLE)
            sb_puts(o, " from Q about the Mantel-Haenszel estimate");
    }
    sb_printf(o, "\nTest:      %s, %g%% confidence intervals\n",
              msyn_test_label(r->fitted ? f->test : po->test), 100.0 * po->level);
    if (!is_mh && po->method != MSYN_METHOD_EE && r->fitted)
        sb_printf(o, "Intervals: tau² %s; prediction interval %s\n",
                  isnan(f->tau2_ci_lb) ? "no CI" : "Q-profile CI", app_pi_name(r, b, sizeof b));
    if (r->data->input == MSYN_INPUT_TABLE) {
        size_t added = r->zero_added, dropped = r->zero_dropped;
        for (size_t i = 0; !r->streamed && i < r->data->k; i++) {
            added += (r->esflags[i] & MSYN_ES_ADDED) != 0;
            dropped += (r->esflags[i] & MSYN_ES_DROPPED00) != 0;
        }
        if (added || dropped)
            sb_printf(o, "Zero cells: %g added to every cell of %zu table%s (%s); %zu table%s without events (or non-events) in both groups left out\n",
                      r->eo.add, added, added == 1 ? "" : "s", app_add_to_name(r->eo.to), dropped,
                      dropped == 1 ? "" : "s");
    }
}

/* "effect [lower; upper]" of study i on the reader's scale. */
static void study_ci(const app_result *r, size_t i, char *out, size_t n)
{
    char a[48], b[48], c[48];
    int d = r->digits;
    if (!transformed(r))
        snprintf(out, n, "[%s; %s]", app_fx(app_study_ci(r, i, 0), d, b, sizeof b),
                 app_fx(app_study_ci(r, i, 1), d, c, sizeof c));
    else
        snprintf(out, n, "%s [%s; %s]", app_fx(app_back_study(r, i, r->yi[i]), d, a, sizeof a),
                 app_fx(app_back_study(r, i, app_study_ci(r, i, 0)), d, b, sizeof b),
                 app_fx(app_back_study(r, i, app_study_ci(r, i, 1)), d, c, sizeof c));
}

/* A label cut to width display columns, ending in an ellipsis. */
static void fit_label(const char *s, size_t width, char *out, size_t n)
{
    size_t len;
    snprintf(out, n, "%s", s);
    if (app_utf8_width(out) <= width)
        return;
    len = strlen(out);
    while (len > 0 && app_utf8_width(out) > width - 1) {
        do
            len--;
        while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80);
        out[len] = '\0';
    }
    strcat(out, "…");
}

static void study_table(const app_result *r, sbuf *o)
{
    int d = r->digits, ratio = transformed(r);
    size_t wlab = strlen("Study"), wci = 0, k = r->data->k;
    char a[48], e[48], ci[160], head[64];
    for (size_t i = 0; i < k; i++) {
        size_t w = app_utf8_width(r->data->study[i]);
        if (w > wlab)
            wlab = w;
        if (!isnan(r->yi[i])) {
            study_ci(r, i, ci, sizeof ci);
            if (strlen(ci) > wci)
                wci = strlen(ci);
        }
    }
    if (wlab > 40)
        wlab = 40;
    if (ratio)
        snprintf(head, sizeof head, "%s [%g%% CI]", app_effect_name(r), 100 * r->po.level);
    else
        snprintf(head, sizeof head, "%g%% CI", 100 * r->po.level);
    if (strlen(head) > wci)
        wci = strlen(head);
    sb_pad(o, "Study", wlab, 0);
    app_analysis_name(r, a, sizeof a);
    sb_printf(o, "  %*s  %*s  %-*s  %7s\n", d + 4, a, d + 3, "SE", (int)wci, head, "Weight");
    for (size_t i = 0; i < k; i++) {
        char lab[160];
        fit_label(r->data->study[i], wlab, lab, sizeof lab);
        sb_pad(o, lab, wlab, 0);
        if (isnan(r->yi[i])) {
            char note[128];
            sb_printf(o, "  %s\n", app_es_note(r->esflags[i], &r->eo, note, sizeof note));
            continue;
        }
        study_ci(r, i, ci, sizeof ci);
        sb_printf(o, "  %*s  %*s  %-*s  ", d + 4, app_fx(r->yi[i], d, a, sizeof a), d + 3,
                  app_fx(sqrt(r->vi[i]), d, e, sizeof e), (int)wci, ci);
        if (r->w && !isnan(r->w[i]))
            sb_printf(o, "%6.1f%%\n", r->w[i]);
        else
            sb_puts(o, "      -\n");
    }
}

static void pooled_block(const app_result *r, sbuf *o)
{
    const msyn_fit *f = &r->fit;
    int d = r->digits, ratio = transformed(r), w;
    char a[48], b[48], c[48], s[48], p[48], se[48], lab[32], lvl[16];
    snprintf(lvl, sizeof lvl, "%g%%", 100.0 * r->po.level);
    sb_printf(o, "\nPooled estimate (k = %zu)\n", f->k);
    if (isnan(f->df))
        snprintf(s, sizeof s, "z = %s", app_fx(f->stat, 2, a, sizeof a));
    else
        snprintf(s, sizeof s, "t(%g) = %s", f->df, app_fx(f->stat, 2, a, sizeof a));
    app_analysis_name(r, lab, sizeof lab);
    w = strlen(lab) > 8 ? (int)strlen(lab) : 8;
    if (ratio && (int)strlen(app_effect_name(r)) > w)
        w = (int)strlen(app_effect_name(r));
    sb_printf(o, "  %-*s %*s  %s CI [%s; %s]  SE %s  %s, %s\n", w, lab, d + 4,
              app_fx(f->estimate, d, a, sizeof a), lvl, app_fx(f->ci_lb, d, b, sizeof b),
              app_fx(f->ci_ub, d, c, sizeof c), app_fx(f->se, d, se, sizeof se), s,
              pfmt(f->pval, 4, p, sizeof p));
    if (ratio)
        sb_printf(o, "  %-*s %*s  %s CI [%s; %s]\n", w, app_effect_name(r), d + 4,
                  app_fx(app_back(r, f->estimate), d, a, sizeof a), lvl, app_fx(app_back(r, f->ci_lb), d, b, sizeof b),
                  app_fx(app_back(r, f->ci_ub), d, c, sizeof c));
    if (r->measure == MSYN_MEASURE_PFT)
        sb_printf(o, "  (back-transformed with Miller's inverse at the harmonic mean n = %s)\n",
                  app_fx(r->n_hm, 1, a, sizeof a));
    if (!isnan(f->pi_lb))
        sb_printf(o, "  Prediction interval: %s [%s; %s]\n", app_effect_name(r),
                  app_fx(app_back(r, f->pi_lb), d, b, sizeof b), app_fx(app_back(r, f->pi_ub), d, c, sizeof c));
}

/* SMD in points of an instrument, and the MCID. */
static void clinical_block(const app_result *r, sbuf *o)
{
    const msyn_fit *f = &r->fit;
    double k = isnan(r->reexpress_sd) ? 1.0 : r->reexpress_sd;
    char a[48], b[48], c[48], lvl[16];
    const char *sentence, *unit = isnan(r->reexpress_sd) && !r->instrument ? "" : " points";
    if (isnan(r->reexpress_sd) && isnan(r->mcid))
        return;
    snprintf(lvl, sizeof lvl, "%g%%", 100.0 * r->po.level);
    sb_puts(o, "\nClinical relevance\n");
    if (!isnan(r->reexpress_sd)) {
        sb_printf(o, "  On %s (SD %g): %s points, %s CI [%s; %s]", r->scale_name ? r->scale_name : "the instrument",
                  r->reexpress_sd, app_fx(k * f->estimate, 1, a, sizeof a), lvl,
                  app_fx(k * f->ci_lb, 1, b, sizeof b), app_fx(k * f->ci_ub, 1, c, sizeof c));
        if (!isnan(f->pi_lb))
            sb_printf(o, "; prediction interval [%s; %s]", app_fx(k * f->pi_lb, 1, b, sizeof b),
                      app_fx(k * f->pi_ub, 1, c, sizeof c));
        sb_printf(o, "\n  (SMD x SD; Cochrane Handbook ch. 15: the SD should be a typical\n  between-person SD of the instrument in the studies' population)\n");
    }
    if (!isnan(r->mcid)) {
        const char *v = app_mcid_verdict(k * f->estimate, k * f->ci_lb, k * f->ci_ub, r->mcid, &sentence);
        sb_printf(o, "  MCID %g%s%s%s%s%s%s: estimate %s, lower bound %s, upper bound %s it\n", r->mcid, unit,
                  r->instrument ? " on " : "", r->instrument ? r->instrument : "", r->mcid_cite ? " (" : "",
                  r->mcid_cite ? r->mcid_cite : "", r->mcid_cite ? ")" : "",
                  fabs(k * f->estimate) >= r->mcid ? "reaches" : "is below",
                  fabs(k * f->ci_lb) >= r->mcid ? "reaches" : "is below",
                  fabs(k * f->ci_ub) >= r->mcid ? "reaches" : "is below");
        sb_printf(o, "  %s: %s\n", v, sentence);
    }
}

/* Values that were converted or derived, study by study. */
static void conversions_block(const app_result *r, sbuf *o)
{
    const app_data *d = r->data;
    int head = 0;
    for (size_t i = 0; i < d->k; i++) {
        app_conv_item it[8];
        size_t n = app_conv_items(d, i, it);
        if (n == 0)
            continue;
        if (!head)
            sb_puts(o, "\nConverted values\n");
        head = 1;
        sb_printf(o, "  %s (line %ld):", d->study[i], d->line[i]);
        for (size_t j = 0; j < n; j++)
            sb_printf(o, "%s %s from %s", j ? ";" : "", it[j].value, it[j].from);
        sb_puts(o, "\n");
    }
}

static void het_block(const app_result *r, sbuf *o)
{
    const msyn_fit *f = &r->fit;
    int d = r->digits;
    char a[48], b[48], c[48], p[48];
    sb_puts(o, "\nHeterogeneity\n");
    if (!isnan(f->tau2) && r->po.method != MSYN_METHOD_MH && r->po.method != MSYN_METHOD_PETO &&
        r->po.method != MSYN_METHOD_EE) {
        sb_printf(o, "  tau² = %s", app_fx(f->tau2, d, a, sizeof a));
        if (!isnan(f->tau2_ci_lb))
            sb_printf(o, " [%s; %s]", app_fx(f->tau2_ci_lb, d, b, sizeof b), app_fx(f->tau2_ci_ub, d, c, sizeof c));
        sb_printf(o, ", tau = %s", app_fx(f->tau, d, a, sizeof a));
        if (!isnan(f->tau_ci_lb))
            sb_printf(o, " [%s; %s]", app_fx(f->tau_ci_lb, d, b, sizeof b), app_fx(f->tau_ci_ub, d, c, sizeof c));
        sb_puts(o, "\n");
    }
    sb_printf(o, "  I² = %s%%", app_fx(f->I2, 1, a, sizeof a));
    if (!isnan(f->I2_ci_lb))
        sb_printf(o, " [%s%%; %s%%]", app_fx(f->I2_ci_lb, 1, b, sizeof b), app_fx(f->I2_ci_ub, 1, c, sizeof c));
    sb_printf(o, ", H² = %s", app_fx(f->H2, 2, a, sizeof a));
    if (!isnan(f->H2_ci_lb))
        sb_printf(o, " [%s; %s]", app_fx(f->H2_ci_lb, 2, b, sizeof b), app_fx(f->H2_ci_ub, 2, c, sizeof c));
    sb_printf(o, "\n  Q = %s, df = %s, %s\n", app_fx(f->Q, 2, a, sizeof a), app_fx(f->Q_df, 0, b, sizeof b),
              pfmt(f->Q_pval, 4, p, sizeof p));
}

/* One line per subgroup, then the test for subgroup differences. */
static void subgroup_block(const app_result *r, sbuf *o)
{
    const app_subgroups *sg = &r->sg;
    int d = r->digits;
    size_t wn;
    char a[48], b[48], c[48], p[48], lvl[16];
    if (!sg->by)
        return;
    wn = strlen(sg->by);
    snprintf(lvl, sizeof lvl, "%g%%", 100.0 * r->po.level);
    for (size_t g = 0; g < sg->n; g++)
        if (app_utf8_width(sg->g[g].name) > wn)
            wn = app_utf8_width(sg->g[g].name);
    if (wn > 30)
        wn = 30;
    if (sg->common)
        sb_printf(o, "\nSubgroups by %s (one common tau² = %s, mixed-effects model)\n", sg->by,
                  app_fx(sg->tau2, d, a, sizeof a));
    else
        sb_printf(o, "\nSubgroups by %s (each with its own tau²)\n", sg->by);
    for (size_t g = 0; g < sg->n; g++) {
        const app_subgroup *s = &sg->g[g];
        const msyn_fit *f = &s->fit;
        char lab[160];
        sb_puts(o, "  ");
        snprintf(lab, sizeof lab, "%s", s->name);
        sb_pad(o, lab, wn, 0);
        if (!s->pooled) {
            sb_printf(o, "  k = %zu: not pooled (fewer than --min-k %d studies with an effect size)\n", s->k_est,
                      r->min_k);
            continue;
        }
        sb_printf(o, "  k = %-3zu %s %s CI [%s; %s]", f->k, app_fx(app_back(r, f->estimate), d, a, sizeof a), lvl,
                  app_fx(app_back(r, f->ci_lb), d, b, sizeof b), app_fx(app_back(r, f->ci_ub), d, c, sizeof c));
        sb_printf(o, ", %s", pfmt(f->pval, 4, p, sizeof p));
        if (sg->common) {
            sb_puts(o, "\n");
            continue;
        }
        if (!isnan(f->tau2) && r->po.method != MSYN_METHOD_EE && r->po.method != MSYN_METHOD_MH &&
            r->po.method != MSYN_METHOD_PETO)
            sb_printf(o, ", tau² = %s", app_fx(f->tau2, d, a, sizeof a));
        sb_printf(o, ", I² = %s%%\n", app_fx(f->I2, 1, a, sizeof a));
    }
    if (sg->tested && sg->common && !isnan(sg->df2))
        sb_printf(o, "  Test for subgroup differences: F(%s, %s) = %s (%s)\n", app_fx(sg->df, 0, b, sizeof b),
                  app_fx(sg->df2, 0, c, sizeof c), app_fx(sg->Q, 2, a, sizeof a), pfmt(sg->pval, 4, p, sizeof p));
    else if (sg->tested && sg->common)
        sb_printf(o, "  Test for subgroup differences: QM = %s, df = %s (%s)\n", app_fx(sg->Q, 2, a, sizeof a),
                  app_fx(sg->df, 0, b, sizeof b), pfmt(sg->pval, 4, p, sizeof p));
    else if (sg->tested)
        sb_printf(o, "  Test for subgroup differences: Chi² = %s, df = %s (%s), I² = %s%%\n",
                  app_fx(sg->Q, 2, a, sizeof a), app_fx(sg->df, 0, b, sizeof b), pfmt(sg->pval, 4, p, sizeof p),
                  app_fx(sg->I2, 1, c, sizeof c));
    else
        sb_puts(o, "  Test for subgroup differences: not done (fewer than 2 subgroups pooled)\n");
}

/* pool --exclude-rob: the analysis without studies at high risk of bias. */
static void robsens_block(const app_result *r, sbuf *o)
{
    const app_robsens *s = &r->rs;
    const msyn_fit *f = &s->fit;
    int d = r->digits;
    char a[48], b[48], c[48], p[48], lvl[16];
    size_t n = 0, col;
    if (!s->asked || !s->level)
        return;
    snprintf(lvl, sizeof lvl, "%g%%", 100.0 * r->po.level);
    sb_printf(o, "\nSensitivity: without studies at %s risk of bias (column %s)\n",
              s->threshold == APP_ROB_SOME ? "some-concerns-or-higher" : "high or critical", s->col_name);
    if (s->nexcl == 0) {
        sb_puts(o, "  no study is at that risk: the analysis is the main one\n");
        return;
    }
    sb_printf(o, "  left out %zu of %zu studies:", s->nexcl, r->data->k);
    col = 29;
    for (size_t i = 0; i < r->data->k; i++)
        if (s->level[i] >= s->threshold && s->level[i] <= APP_ROB_CRITICAL) {
            const char *w = app_rob_word((app_rob_level)s->level[i]);
            size_t len = app_utf8_width(r->data->study[i]) + strlen(w) + 5;
            if (n++) {
                sb_puts(o, ",");
                if (col + len > 78) {
                    sb_puts(o, "\n   ");
                    col = 3;
                }
            }
            sb_printf(o, " %s (%s)", r->data->study[i], w);
            col += len;
        }
    sb_puts(o, "\n");
    if (s->nunset)
        sb_printf(o, "  kept %zu %s without a judgement (or with no information)\n", s->nunset,
                  s->nunset == 1 ? "study" : "studies");
    if (!s->fitted) {
        sb_printf(o, "  not pooled: %s\n", s->rc == MSYN_ETOOFEW ? "no study with an effect size is left" : msyn_strerror(s->rc));
        return;
    }
    sb_printf(o, "  k = %zu: %s %s %s CI [%s; %s], %s", f->k, app_effect_name(r),
              app_fx(app_back(r, f->estimate), d, a, sizeof a), lvl, app_fx(app_back(r, f->ci_lb), d, b, sizeof b),
              app_fx(app_back(r, f->ci_ub), d, c, sizeof c), pfmt(f->pval, 4, p, sizeof p));
    sb_printf(o, ", I² = %s%%\n", app_fx(f->I2, 1, a, sizeof a));
    sb_printf(o, "  all %zu: %s %s %s CI [%s; %s]\n", r->fit.k, app_effect_name(r),
              app_fx(app_back(r, r->fit.estimate), d, a, sizeof a), lvl,
              app_fx(app_back(r, r->fit.ci_lb), d, b, sizeof b), app_fx(app_back(r, r->fit.ci_ub), d, c, sizeof c));
}

/* The results sentence of the HTML report, wrapped at 78 columns. */
static void sentence_block(const app_result *r, sbuf *o)
{
    sbuf t;
    size_t col = 2;
    char *p, *word;
    sb_init(&t);
    if (app_doc_results(r, APP_MARKUP_TEXT, &t) != 0 || !t.p) {
        o->oom |= t.oom;
        sb_free(&t);
        return;
    }
    /* "p = 0.01", "p < 0.0001" and "I² = 57%" stay on one line: their blanks are
     * marked (\x01) before splitting into words */
    for (p = t.p; (p = strstr(p, " = ")) != NULL; p += 3)
        p[0] = p[2] = '\x01';
    for (p = t.p; (p = strstr(p, " < ")) != NULL; p += 3)
        p[0] = p[2] = '\x01';
    sb_puts(o, "\nIn words\n ");
    for (p = t.p; (word = strtok(p, " ")) != NULL; p = NULL) {
        size_t w = app_utf8_width(word);
        if (col + 1 + w > 78 && col > 2) {
            sb_puts(o, "\n ");
            col = 2;
        }
        sb_puts(o, " ");
        for (char *q = word; *q; q++)
            if (*q == '\x01')
                *q = ' ';
        sb_puts(o, word);
        col += 1 + w;
    }
    sb_puts(o, "\n");
    sb_free(&t);
}

int app_report_text(const app_result *r, sbuf *o)
{
    const msyn_method m = r->po.method;
    if (!r->fitted) {
        size_t kest = 0;
        for (size_t i = 0; i < r->data->k; i++)
            kest += !isnan(r->yi[i]) && !isnan(r->vi[i]);
        sb_printf(o, "metasyn %s: %zu %s with an effect size, not pooled (--min-k %d)\n", msyn_version(),
                  kest, kest == 1 ? "study" : "studies", r->min_k);
    } else {
        sb_printf(o, "metasyn %s: %s meta-analysis of %zu %s\n", msyn_version(),
                  m == MSYN_METHOD_EE || m == MSYN_METHOD_MH || m == MSYN_METHOD_PETO ? "common-effect"
                                                                                    : "random-effects",
                  r->fit.k, r->fit.k == 1 ? "study" : "studies");
    }
    settings_block(r, o);
    sb_puts(o, "\n");
    if (r->streamed) {
        size_t kest = 0;
        for (size_t i = 0; i < r->data->k; i++)
            kest += !isnan(r->yi[i]) && !isnan(r->vi[i]);
        sb_printf(o, "Studies:   %zu with an effect size, %zu left out (not listed one by one: the file was read as a stream)\n",
                  kest, r->data->k - kest);
    } else {
        study_table(r, o);
        conversions_block(r, o);
    }
    if (r->fitted) {
        pooled_block(r, o);
        clinical_block(r, o);
        het_block(r, o);
        subgroup_block(r, o);
        robsens_block(r, o);
        app_sens_text(r, o);
        sentence_block(r, o);
    }
    app_warnings_text(&r->warnings, o);
    return o->oom ? -1 : 0;
}
