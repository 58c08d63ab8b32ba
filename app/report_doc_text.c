/*
 * report_doc_text.c - the results sentence and the methods paragraph, in
 * the style reviews print them, for pool, reg and bias.  They name the
 * methods as the analysis really ran (the estimator used after a
 * fallback, HKSJ/t/z, Mantel-Haenszel, Peto, common effect) and cite
 * them.  Numbers come from app_fx/app_pq at --digits, as in the text
 * report.  report_doc.h.
 */
#include <stdio.h>
#include <string.h>

#include "report_doc_int.h"
#include "rob.h"

static int common_effect(const app_result *r)
{
    msyn_method m = r->po.method;
    return m == MSYN_METHOD_EE || m == MSYN_METHOD_MH || m == MSYN_METHOD_PETO;
}

static int from_mh_q(const app_result *r)
{
    return r->po.q_from_mh && r->po.method == MSYN_METHOD_DL && r->data->input == MSYN_INPUT_TABLE;
}

static const char *tau(const doc *d) { return d->m == APP_MARKUP_TEXT ? "tau" : "τ"; }
static const char *chi(const doc *d) { return d->m == APP_MARKUP_TEXT ? "Chi" : "χ"; }

/* Short name of a tau² estimator, for the sentence. */
static const char *est_short(msyn_method m)
{
    switch (m) {
    case MSYN_METHOD_DL: return "DerSimonian–Laird";
    case MSYN_METHOD_HE: return "Hedges";
    case MSYN_METHOD_HS: return "Hunter–Schmidt";
    case MSYN_METHOD_SJ: return "Sidik–Jonkman";
    case MSYN_METHOD_ML: return "ML";
    case MSYN_METHOD_REML: return "REML";
    case MSYN_METHOD_EB: return "empirical Bayes";
    case MSYN_METHOD_PM: return "Paule–Mandel";
    default: return msyn_method_name(m);
    }
}

/* How the CI of the pooled effect was made, for the sentence. */
static const char *ci_short(msyn_test t)
{
    switch (t) {
    case MSYN_TEST_KNHA: return "Hartung–Knapp–Sidik–Jonkman CI";
    case MSYN_TEST_ADHOC: return "modified Hartung–Knapp–Sidik–Jonkman CI";
    case MSYN_TEST_T: return "t-based CI";
    default: return "Wald-type CI";
    }
}

/* Participants in the studies used ("" when some study does not say). */
static const char *participants(const app_result *r, size_t kused, char *buf, size_t n)
{
    double sum = 0;
    size_t used = 0;
    for (size_t i = 0; i < r->data->k; i++) {
        int in = !isnan(r->yi[i]) && !isnan(r->vi[i]);
        if (in && r->w && strcmp(r->command, "pool") == 0)
            in = !isnan(r->w[i]);
        if (!in)
            continue;
        used++;
        sum += app_study_n(r->data, i);
    }
    buf[0] = '\0';
    if (used == kused && !isnan(sum) && sum > 0) {
        char c[48];
        snprintf(buf, n, " (%s participants)", doc_count(sum, c, sizeof c));
    }
    return buf;
}

/* "RR 0.4894" or "a pooled proportion of 0.2314". */
static void effect_phrase(doc *d, const app_result *r, double est)
{
    const char *name = app_effect_name(r);
    char a[48];
    doc_fx(d, app_back(r, est), r->digits, a, sizeof a);
    if (name[0] >= 'A' && name[0] <= 'Z')
        doc_prose(d, "%s %s", name, a);
    else
        doc_prose(d, "a pooled %s of %s", name, a);
}

static void ci_phrase(doc *d, const app_result *r, double lb, double ub, int back)
{
    char a[48], b[48];
    doc_prose(d, "%g%% CI %s to %s", 100.0 * r->po.level,
              doc_fx(d, back ? app_back(r, lb) : lb, r->digits, a, sizeof a),
              doc_fx(d, back ? app_back(r, ub) : ub, r->digits, b, sizeof b));
}

static void clinical_sentence(doc *d, const app_result *r)
{
    const msyn_fit *f = &r->fit;
    double k = isnan(r->reexpress_sd) ? 1.0 : r->reexpress_sd;
    char a[48], b[48], c[48];
    if (!isnan(r->reexpress_sd)) {
        doc_prose(d, " On %s (SD %g) this is %s points (%g%% CI %s to %s).",
                  r->scale_name ? r->scale_name : "the instrument", r->reexpress_sd,
                  doc_fx(d, k * f->estimate, 1, a, sizeof a), 100.0 * r->po.level,
                  doc_fx(d, k * f->ci_lb, 1, b, sizeof b), doc_fx(d, k * f->ci_ub, 1, c, sizeof c));
    }
    if (!isnan(r->mcid)) {
        const char *sentence;
        app_mcid_verdict(k * f->estimate, k * f->ci_lb, k * f->ci_ub, r->mcid, &sentence);
        doc_prose(d, " Against a minimal clinically important difference of %g%s", r->mcid,
                  isnan(r->reexpress_sd) && !r->instrument ? "" : " points");
        if (r->instrument) {
            doc_prose(d, " on ");
            doc_esc(d, r->instrument);
        }
        if (r->mcid_cite) {
            doc_prose(d, " (");
            doc_esc(d, r->mcid_cite);
            doc_prose(d, ")");
        }
        doc_prose(d, ", %s.", sentence);
    }
}

static void subgroup_sentence(doc *d, const app_result *r)
{
    const app_subgroups *sg = &r->sg;
    char a[48], b[48], c[48], p[48];
    if (!sg->by)
        return;
    if (!sg->tested) {
        doc_prose(d, " Subgroups by %s were not compared (fewer than 2 subgroups could be pooled).", sg->by);
        return;
    }
    doc_prose(d, " The test for subgroup differences by %s gave ", sg->by);
    if (sg->common && !isnan(sg->df2))
        doc_prose(d, "F(%s, %s) = %s (%s).", app_fx(sg->df, 0, b, sizeof b), app_fx(sg->df2, 0, c, sizeof c),
                  app_fx(sg->Q, 2, a, sizeof a), doc_pq(d, sg->pval, p, sizeof p));
    else if (sg->common)
        doc_prose(d, "QM = %s, df = %s (%s).", app_fx(sg->Q, 2, a, sizeof a), app_fx(sg->df, 0, b, sizeof b),
                  doc_pq(d, sg->pval, p, sizeof p));
    else
        doc_prose(d, "%s² = %s, df = %s (%s; I² = %s%%).", chi(d), app_fx(sg->Q, 2, a, sizeof a),
                  app_fx(sg->df, 0, b, sizeof b), doc_pq(d, sg->pval, p, sizeof p), app_fx(sg->I2, 1, c, sizeof c));
}

/* A single group's proportion, rate or mean: its test against 0 says
 * nothing a review reports, so the sentence gives no p value. */
static int one_group(msyn_measure m)
{
    switch (m) {
    case MSYN_MEASURE_PR: case MSYN_MEASURE_PLO: case MSYN_MEASURE_PAS: case MSYN_MEASURE_PFT:
    case MSYN_MEASURE_IR: case MSYN_MEASURE_IRLN: case MSYN_MEASURE_MN: case MSYN_MEASURE_MNLN:
        return 1;
    default:
        return 0;
    }
}

/* pool --exclude-rob, in one sentence. */
static void robsens_sentence(doc *d, const app_result *r)
{
    const app_robsens *s = &r->rs;
    const msyn_fit *f = &s->fit;
    const char *which = s->threshold == APP_ROB_SOME ? "at some concerns or high" : "at high";
    if (!s->asked || !s->level)
        return;
    if (s->nexcl == 0) {
        doc_prose(d, " No study was judged %s risk of bias overall.", which);
        return;
    }
    doc_prose(d, " Without the %zu %s %s risk of bias", s->nexcl, s->nexcl == 1 ? "study" : "studies", which);
    if (!s->fitted) {
        doc_prose(d, ", no study with an effect size was left to pool.");
        return;
    }
    doc_prose(d, " (%zu %s left), ", f->k, f->k == 1 ? "study" : "studies");
    effect_phrase(d, r, f->estimate);
    doc_prose(d, " (");
    ci_phrase(d, r, f->ci_lb, f->ci_ub, 1);
    doc_prose(d, ").");
}

static void pool_sentence(doc *d, const app_result *r)
{
    const msyn_fit *f = &r->fit;
    msyn_method m = r->po.method;
    char a[48], b[48], p[48], n[96];
    if (!r->fitted) {
        size_t kest = 0;
        for (size_t i = 0; i < r->data->k; i++)
            kest += !isnan(r->yi[i]) && !isnan(r->vi[i]);
        doc_prose(d, "%zu %s an effect size, fewer than the %d needed for pooling (--min-k); the studies are listed, not pooled.",
                  kest, kest == 1 ? "study had" : "studies had", r->min_k);
        return;
    }
    doc_prose(d, "A %s meta-analysis (", common_effect(r) ? "common-effect" : "random-effects");
    if (m == MSYN_METHOD_MH)
        doc_prose(d, "Mantel–Haenszel");
    else if (m == MSYN_METHOD_PETO)
        doc_prose(d, "Peto's method");
    else if (m == MSYN_METHOD_EE)
        doc_prose(d, "inverse variance");
    else if (f->flags & MSYN_FIT_TAU2_FIXED)
        doc_prose(d, "%s² fixed at %g", tau(d), f->tau2);
    else if (from_mh_q(r))
        doc_prose(d, "DerSimonian–Laird from the Mantel–Haenszel Q");
    else if (f->method_used != m)
        doc_prose(d, "%s after %s failed", est_short(f->method_used), est_short(m));
    else
        doc_prose(d, "%s", est_short(f->method_used));
    if (!(m == MSYN_METHOD_MH || m == MSYN_METHOD_PETO) && !(m == MSYN_METHOD_EE && f->test == MSYN_TEST_Z))
        doc_prose(d, ", %s", ci_short(f->test));
    doc_prose(d, ") of %zu %s%s found ", f->k, f->k == 1 ? "study" : "studies", participants(r, f->k, n, sizeof n));
    effect_phrase(d, r, f->estimate);
    doc_prose(d, " (");
    ci_phrase(d, r, f->ci_lb, f->ci_ub, 1);
    if (!one_group(r->measure))
        doc_prose(d, "; %s", doc_pq(d, f->pval, p, sizeof p));
    if (!isnan(f->I2) && f->k > 1)
        doc_prose(d, "; I² = %s%%", app_fx(f->I2, 1, a, sizeof a));
    if (!isnan(f->pi_lb))
        doc_prose(d, "; %g%% prediction interval %s to %s", 100.0 * r->po.level,
                  doc_fx(d, app_back(r, f->pi_lb), r->digits, a, sizeof a),
                  doc_fx(d, app_back(r, f->pi_ub), r->digits, b, sizeof b));
    doc_prose(d, ").");
    clinical_sentence(d, r);
    subgroup_sentence(d, r);
    robsens_sentence(d, r);
}

static const char *reg_test_short(msyn_test t)
{
    switch (t) {
    case MSYN_TEST_KNHA: return "Knapp–Hartung tests";
    case MSYN_TEST_ADHOC: return "modified Knapp–Hartung tests";
    case MSYN_TEST_T: return "t tests";
    default: return "z tests";
    }
}

static void reg_sentence(doc *d, const app_result *r)
{
    const app_reg *g = &r->reg;
    const msyn_reg_fit *f = &g->fit;
    char a[48], b[48], c[48], p[48], n[96], scale[64];
    size_t listed = 0;
    doc_prose(d, "A %s meta-regression (%s, %s) of %zu %s%s on ",
              r->po.method == MSYN_METHOD_EE ? "fixed-effects" : "mixed-effects",
              r->po.method == MSYN_METHOD_EE ? "inverse variance" : est_short(f->method_used),
              reg_test_short(f->test), f->k, f->k == 1 ? "study" : "studies", participants(r, f->k, n, sizeof n));
    for (size_t q = 0; q < g->nmod; q++)
        doc_prose(d, "%s%s", q == 0 ? "" : q + 1 == g->nmod ? " and " : ", ", g->mod[q].name);
    doc_prose(d, " gave ");
    for (size_t j = 0; j < g->p; j++) {
        if (g->intercept && j == 0)
            continue;
        doc_prose(d, "%s%s %s (", listed ? "; " : (g->p - (size_t)g->intercept > 1 ? "the coefficients " : "the coefficient "),
                  g->name[j], doc_fx(d, f->b[j], r->digits, a, sizeof a));
        doc_prose(d, "%g%% CI %s to %s; %s)", 100.0 * r->po.level, doc_fx(d, f->ci_lb[j], r->digits, b, sizeof b),
                  doc_fx(d, f->ci_ub[j], r->digits, c, sizeof c), doc_pq(d, f->pval[j], p, sizeof p));
        listed++;
    }
    if (!listed)
        doc_prose(d, "no coefficient besides the intercept");
    doc_prose(d, " on the %s scale", app_analysis_name(r, scale, sizeof scale));
    if (isnan(f->QM_df2))
        doc_prose(d, " (test of moderators QM(%g) = %s, %s", f->QM_df1, app_fx(f->QM, 2, a, sizeof a),
                  doc_pq(d, f->QM_pval, p, sizeof p));
    else
        doc_prose(d, " (test of moderators F(%g, %g) = %s, %s", f->QM_df1, f->QM_df2, app_fx(f->QM, 2, a, sizeof a),
                  doc_pq(d, f->QM_pval, p, sizeof p));
    if (r->po.method != MSYN_METHOD_EE)
        doc_prose(d, "; residual I² = %s%%", app_fx(f->I2, 1, a, sizeof a));
    if (!isnan(f->R2))
        doc_prose(d, "; R² = %s%% of %s² explained", app_fx(f->R2, 1, a, sizeof a), tau(d));
    doc_prose(d, ").");
}

static void bias_sentence(doc *d, const app_result *r)
{
    const app_bias *b = &r->bias;
    char a[48], c1[48], c2[48], p[48];
    size_t k = b->rank.k ? b->rank.k : b->egger_lm.k;
    doc_prose(d, "In %zu %s, ", k, k == 1 ? "study" : "studies");
    if (b->egger_rc == MSYN_OK) {
        doc_prose(d, "Egger's regression test gave %s = %s", b->egger.test == MSYN_TEST_Z ? "z" : "t",
                  doc_fx(d, b->egger.stat, 3, a, sizeof a));
        if (!isnan(b->egger.df))
            doc_prose(d, " (df = %g; %s)", b->egger.df, doc_pq(d, b->egger.pval, p, sizeof p));
        else
            doc_prose(d, " (%s)", doc_pq(d, b->egger.pval, p, sizeof p));
    } else {
        doc_prose(d, "Egger's regression test could not be computed (%s)", msyn_strerror(b->egger_rc));
    }
    if (b->peters_done && b->peters_rc == MSYN_OK)
        doc_prose(d, ", Peters' test t = %s (df = %g; %s)", doc_fx(d, b->peters.stat, 3, a, sizeof a), b->peters.df,
                  doc_pq(d, b->peters.pval, p, sizeof p));
    if (b->rank_rc == MSYN_OK)
        doc_prose(d, " and Begg and Mazumdar's rank correlation Kendall's %s = %s (%s)", tau(d),
                  doc_fx(d, b->rank.tau, 3, a, sizeof a), doc_pq(d, b->rank.pval, p, sizeof p));
    doc_prose(d, ".");
    if (b->tf_rc == MSYN_OK) {
        const msyn_fit *f = &b->tf.fit;
        static const char *const est[3] = {"L0", "R0", "Q0"};
        unsigned e = (unsigned)r->bias_opts.tf_estimator;
        doc_prose(d, " Trim-and-fill (%s) imputed %zu %s on the %s side; the adjusted estimate was ", est[e < 3 ? e : 0],
                  b->tf.k0, b->tf.k0 == 1 ? "study" : "studies", b->tf.side == MSYN_TF_LEFT ? "left" : "right");
        if (app_effect_name(r)[0] >= 'A' && app_effect_name(r)[0] <= 'Z')
            doc_prose(d, "%s ", app_effect_name(r));
        doc_prose(d, "%s (%g%% CI %s to %s).", doc_fx(d, app_back(r, f->estimate), r->digits, a, sizeof a),
                  100.0 * r->po.level, doc_fx(d, app_back(r, f->ci_lb), r->digits, c1, sizeof c1),
                  doc_fx(d, app_back(r, f->ci_ub), r->digits, c2, sizeof c2));
    }
    if (k < 10)
        doc_prose(d, " With fewer than 10 studies these tests have too little power to tell asymmetry from chance.");
}

void doc_results(doc *d, const app_result *r)
{
    if (strcmp(r->command, "reg") == 0)
        reg_sentence(d, r);
    else if (strcmp(r->command, "bias") == 0)
        bias_sentence(d, r);
    else
        pool_sentence(d, r);
}

int app_doc_results(const app_result *r, app_markup m, sbuf *o)
{
    doc d;
    memset(&d, 0, sizeof d);
    d.o = o;
    d.m = m;
    doc_results(&d, r);
    return o->oom ? -1 : 0;
}
