/*
 * report_doc_methods.c - the methods paragraph: what was pooled, how, and
 * with which references, as a review's "Statistical analysis" section
 * states it.  Only what ran is described, and every method named is
 * cited (report_doc_refs.c lists exactly those).  report_doc.h.
 */
#include <stdio.h>
#include <string.h>

#include "report_doc_int.h"

static const char *tau(const doc *d) { return d->m == APP_MARKUP_TEXT ? "tau" : "τ"; }

static void cite1(doc *d, app_ref a)
{
    doc_prose(d, " (%s)", doc_cite(d, a));
}

static void cite2(doc *d, app_ref a, app_ref b)
{
    const char *x = doc_cite(d, a);
    doc_prose(d, " (%s; %s)", x, doc_cite(d, b));
}

/* The estimator of tau² and its reference. */
static const char *estimator(msyn_method m, app_ref *ref)
{
    switch (m) {
    case MSYN_METHOD_DL: *ref = APP_REF_DERSIMONIAN1986; return "the DerSimonian–Laird method of moments";
    case MSYN_METHOD_HE: *ref = APP_REF_HEDGES1983; return "the Hedges (unweighted) method of moments";
    case MSYN_METHOD_HS: *ref = APP_REF_HUNTER2004; return "the Hunter–Schmidt method";
    case MSYN_METHOD_SJ: *ref = APP_REF_SIDIK2005; return "the Sidik–Jonkman method";
    case MSYN_METHOD_ML: *ref = APP_REF_VIECHTBAUER2005; return "maximum likelihood";
    case MSYN_METHOD_EB: *ref = APP_REF_MORRIS1983; return "the empirical Bayes method";
    case MSYN_METHOD_PM: *ref = APP_REF_PAULE1982; return "the Paule–Mandel method";
    default: *ref = APP_REF_VIECHTBAUER2005; return "restricted maximum likelihood";
    }
}

/* Plural noun of a measure, for "Effects were ..." */
static const char *measure_words(msyn_measure m)
{
    switch (m) {
    case MSYN_MEASURE_MD: return "mean differences (MD)";
    case MSYN_MEASURE_SMD: return "standardized mean differences (SMD, Hedges' g)";
    case MSYN_MEASURE_SMDH: return "standardized mean differences with heteroscedastic SDs (SMDH)";
    case MSYN_MEASURE_ROM: return "ratios of means, analysed on the log scale";
    case MSYN_MEASURE_OR: return "odds ratios (OR), analysed on the log scale";
    case MSYN_MEASURE_RR: return "risk ratios (RR), analysed on the log scale";
    case MSYN_MEASURE_RD: return "risk differences (RD)";
    case MSYN_MEASURE_PETO: return "Peto odds ratios (OR), analysed on the log scale";
    case MSYN_MEASURE_AS: return "arcsine square-root risk differences";
    case MSYN_MEASURE_HR: return "hazard ratios (HR), analysed on the log scale";
    case MSYN_MEASURE_PR: return "proportions";
    case MSYN_MEASURE_PLO: return "proportions, analysed on the logit scale";
    case MSYN_MEASURE_PAS: return "proportions, analysed on the arcsine square-root scale";
    case MSYN_MEASURE_PFT: return "proportions, analysed on the Freeman–Tukey double arcsine scale";
    case MSYN_MEASURE_IR: return "incidence rates";
    case MSYN_MEASURE_IRLN: return "incidence rates, analysed on the log scale";
    case MSYN_MEASURE_MN: return "means";
    case MSYN_MEASURE_MNLN: return "means, analysed on the log scale";
    case MSYN_MEASURE_COR: return "correlations";
    case MSYN_MEASURE_ZCOR: return "correlations, analysed as Fisher's z";
    case MSYN_MEASURE_IRR: return "incidence rate ratios (IRR), analysed on the log scale";
    case MSYN_MEASURE_IRD: return "incidence rate differences";
    case MSYN_MEASURE_SMCC: return "standardized mean changes (change-score SD)";
    case MSYN_MEASURE_SMCR: return "standardized mean changes (raw-score SD)";
    default: return "the reported estimates with their standard errors";
    }
}

static void measure_sentence(doc *d, const app_result *r)
{
    size_t added = 0;
    doc_prose(d, "Effects were %s", measure_words(r->measure));
    if (r->measure == MSYN_MEASURE_SMD && r->data->input == MSYN_INPUT_ARMS) {
        doc_prose(d, ", with the %s small-sample correction", r->eo.smd_j == MSYN_SMD_J_EXACT ? "exact" : "approximate");
        cite1(d, APP_REF_HEDGES1981);
    }
    if (r->measure == MSYN_MEASURE_PFT) {
        doc_prose(d, ", back-transformed with Miller's inverse at the harmonic mean sample size");
        cite1(d, APP_REF_MILLER1978);
    }
    doc_prose(d, ".");
    if (r->data->input == MSYN_INPUT_TABLE && r->esflags)
        for (size_t i = 0; i < r->data->k; i++)
            added += (r->esflags[i] & MSYN_ES_ADDED) != 0;
    if (added)
        doc_prose(d, " In %zu %s with a zero cell, %g was added to every cell%s.", added,
                  added == 1 ? "study" : "studies", r->eo.add,
                  r->eo.to == MSYN_ADD_ALL || r->eo.to == MSYN_ADD_IF0ALL ? " of every table" : "");
}

static void model_sentences(doc *d, const app_result *r)
{
    const msyn_fit *f = &r->fit;
    msyn_method m = r->po.method;
    app_ref ref;
    if (m == MSYN_METHOD_MH) {
        doc_prose(d, " Studies were pooled with the Mantel–Haenszel method");
        if (r->measure == MSYN_MEASURE_OR)
            cite2(d, APP_REF_MANTEL1959, APP_REF_ROBINS1986);
        else if (r->measure == MSYN_MEASURE_RD && r->po.rd_var == MSYN_RD_VAR_SATO)
            cite2(d, APP_REF_GREENLAND1985, APP_REF_SATO1989);
        else
            cite2(d, APP_REF_MANTEL1959, APP_REF_GREENLAND1985);
        doc_prose(d, " under a common-effect model.");
        return;
    }
    if (m == MSYN_METHOD_PETO) {
        doc_prose(d, " Studies were pooled with Peto's one-step method");
        cite1(d, APP_REF_YUSUF1985);
        doc_prose(d, " under a common-effect model.");
        return;
    }
    if (m == MSYN_METHOD_EE) {
        doc_prose(d, " Studies were pooled with a common-effect inverse-variance model.");
        return;
    }
    doc_prose(d, " Studies were pooled with a random-effects inverse-variance model.");
    if (f->flags & MSYN_FIT_TAU2_FIXED) {
        doc_prose(d, " The between-study variance %s² was fixed at %g.", tau(d), f->tau2);
    } else if (r->po.q_from_mh && r->data->input == MSYN_INPUT_TABLE) {
        doc_prose(d, " The between-study variance %s² was estimated by the DerSimonian–Laird method from Cochran's Q about the Mantel–Haenszel estimate, as RevMan 5 does", tau(d));
        cite2(d, APP_REF_DERSIMONIAN1986, APP_REF_DEEKS2010);
        doc_prose(d, ".");
    } else {
        doc_prose(d, " The between-study variance %s² was estimated by %s", tau(d), estimator(f->method_used, &ref));
        cite1(d, ref);
        if (f->method_used != m) {
            const char *req = estimator(m, &ref);
            doc_prose(d, ", because %s did not converge", req);
        }
        if (!isnan(f->tau2_ci_lb)) {
            doc_prose(d, ", with a Q-profile confidence interval");
            cite1(d, APP_REF_VIECHTBAUER2007);
        }
        doc_prose(d, ".");
    }
    switch (f->test) {
    case MSYN_TEST_KNHA:
        doc_prose(d, " The confidence interval and test of the pooled effect used the Hartung–Knapp–Sidik–Jonkman method");
        cite2(d, APP_REF_HARTUNG2001, APP_REF_SIDIK2002);
        doc_prose(d, ".");
        break;
    case MSYN_TEST_ADHOC:
        doc_prose(d, " The confidence interval and test of the pooled effect used the Hartung–Knapp–Sidik–Jonkman method");
        cite2(d, APP_REF_HARTUNG2001, APP_REF_SIDIK2002);
        doc_prose(d, ", modified so that it is never narrower than the Wald interval");
        cite1(d, APP_REF_ROVER2015);
        doc_prose(d, ".");
        break;
    case MSYN_TEST_T:
        doc_prose(d, " The confidence interval and test of the pooled effect used a t distribution with k %s 1 degrees of freedom.",
                  d->m == APP_MARKUP_TEXT ? "-" : "−");
        break;
    default:
        doc_prose(d, " The confidence interval and test of the pooled effect used the normal (Wald) approximation.");
    }
}

static void het_sentences(doc *d, const app_result *r)
{
    const msyn_fit *f = &r->fit;
    int re = !(r->po.method == MSYN_METHOD_EE || r->po.method == MSYN_METHOD_MH || r->po.method == MSYN_METHOD_PETO);
    if (f->k < 2)
        return;
    doc_prose(d, " Heterogeneity was assessed with Cochran's Q");
    cite1(d, APP_REF_COCHRAN1954);
    doc_prose(d, " and quantified by I²");
    cite1(d, APP_REF_HIGGINS2002);
    if (re && r->po.i2def == MSYN_I2_TAU2)
        doc_prose(d, ", computed from %s² and the typical within-study variance", tau(d));
    else
        doc_prose(d, ", computed as (Q %s df)/Q", d->m == APP_MARKUP_TEXT ? "-" : "−");
    doc_prose(d, ".");
    if (!isnan(f->pi_lb)) {
        doc_prose(d, " A %g%% prediction interval for the effect in a new study was computed", 100.0 * r->po.level);
        if (isnan(f->pi_df)) {
            doc_prose(d, " from the normal distribution");
            cite1(d, APP_REF_HIGGINS2009);
        } else if (f->pi_df == (double)f->k - 1) {
            doc_prose(d, " from a t distribution with %g degrees of freedom", f->pi_df);
            cite1(d, APP_REF_INTHOUT2016);
        } else {
            doc_prose(d, " from a t distribution with %g degrees of freedom", f->pi_df);
            cite1(d, APP_REF_HIGGINS2009);
        }
        doc_prose(d, ".");
    }
}

static void other_sentences(doc *d, const app_result *r)
{
    const app_sens *s = &r->sens;
    if (r->sg.by) {
        if (r->sg.common)
            doc_prose(d, " Subgroups defined by %s were compared in a mixed-effects model with one common %s², by the test of the subgroup factor",
                      r->sg.by, tau(d));
        else
            doc_prose(d, " Subgroups defined by %s were pooled separately, each with its own %s², and compared with the test for subgroup differences",
                      r->sg.by, tau(d));
        cite1(d, APP_REF_BORENSTEIN2013);
        doc_prose(d, "; subgroups with fewer than %d studies were not pooled.", r->min_k);
    }
    if (s->l1o)
        doc_prose(d, " A leave-one-out analysis refitted the model without each study in turn.");
    if (s->cum)
        doc_prose(d, " A cumulative meta-analysis added the studies in the order of %s.", s->cum_col);
    if (s->inf) {
        doc_prose(d, " Influential studies were identified by case-deletion diagnostics (studentized residuals, DFFITS, Cook's distances, covariance ratios, hat values and DFBETAS)");
        cite1(d, APP_REF_VIECHTBAUER2010C);
        if (r->fig.path[APP_FIG_BAUJAT]) {
            doc_prose(d, " and a Baujat plot");
            cite1(d, APP_REF_BAUJAT2002);
        }
        doc_prose(d, ".");
    }
    if (s->gosh) {
        doc_prose(d, " The model was fitted to %s%zu subsets of the studies (GOSH)", s->gosh_exhaustive ? "all " : "", s->gosh_rows);
        cite1(d, APP_REF_OLKIN2012);
        doc_prose(d, ".");
    }
    if (!isnan(r->reexpress_sd)) {
        doc_prose(d, " The pooled SMD was re-expressed in points of %s by multiplying it by an SD of %g",
                  r->scale_name ? r->scale_name : "the instrument", r->reexpress_sd);
        cite1(d, APP_REF_SCHUNEMANN2024);
        doc_prose(d, ".");
    }
    if (!isnan(r->mcid))
        doc_prose(d, " The result was compared with a minimal clinically important difference of %g%s.", r->mcid,
                  isnan(r->reexpress_sd) ? "" : " points");
}

static void reg_methods(doc *d, const app_result *r)
{
    const app_reg *g = &r->reg;
    const msyn_reg_fit *f = &g->fit;
    app_ref ref;
    doc_prose(d, " The effects were regressed on ");
    for (size_t q = 0; q < g->nmod; q++) {
        doc_prose(d, "%s%s", q == 0 ? "" : q + 1 == g->nmod ? " and " : ", ", g->mod[q].name);
        if (g->mod[q].categorical)
            doc_prose(d, g->mod[q].ref[0] ? " (categorical, against the reference level %s)" : " (categorical, one column per level)",
                      g->mod[q].ref);
    }
    if (!g->nmod)
        doc_prose(d, "no moderator");
    if (r->po.method == MSYN_METHOD_EE) {
        doc_prose(d, " in a fixed-effects meta-regression (inverse-variance weights).");
    } else {
        doc_prose(d, " in a mixed-effects meta-regression; the residual between-study variance %s² was estimated by %s", tau(d),
                  estimator(f->method_used, &ref));
        cite1(d, ref);
        doc_prose(d, ", and the proportion of %s² explained (R²) was computed from the models with and without moderators", tau(d));
        cite1(d, APP_REF_RAUDENBUSH2009);
        doc_prose(d, ".");
    }
    if (f->test == MSYN_TEST_KNHA || f->test == MSYN_TEST_ADHOC) {
        doc_prose(d, " Tests and confidence intervals of the coefficients used the Knapp–Hartung method");
        cite1(d, APP_REF_KNAPP2003);
        doc_prose(d, ".");
    } else {
        doc_prose(d, " Tests and confidence intervals of the coefficients used %s.",
                  f->test == MSYN_TEST_T ? "t distributions" : "the normal (Wald) approximation");
    }
    if (g->permuted) {
        doc_prose(d, " P values were also obtained by a%s permutation test with %zu permutations", g->perm.exact ? "n exact" : "",
                  g->perm.iter);
        cite1(d, APP_REF_HIGGINS2004);
        doc_prose(d, ".");
    }
}

static const char *predictor_words(msyn_bias_predictor p)
{
    switch (p) {
    case MSYN_BIAS_VI: return "sampling variances";
    case MSYN_BIAS_NI: return "sample sizes";
    case MSYN_BIAS_NINV: return "inverse sample sizes";
    case MSYN_BIAS_SQRTNI: return "square roots of the sample sizes";
    case MSYN_BIAS_SQRTNINV: return "inverse square roots of the sample sizes";
    default: return "standard errors";
    }
}

static void bias_methods(doc *d, const app_result *r)
{
    static const char *const est[3] = {"L0", "R0", "Q0"};
    unsigned e = (unsigned)r->bias_opts.tf_estimator;
    app_ref ref;
    doc_prose(d, " Small-study effects were assessed with Egger's regression test, as a meta-regression of the effects on their %s",
              predictor_words(r->bias_opts.predictor));
    if (r->po.method != MSYN_METHOD_EE) {
        doc_prose(d, " with %s² estimated by %s", tau(d), estimator(r->po.method, &ref));
        cite1(d, ref);
    }
    if (r->bias.egger_rc == MSYN_OK && (r->bias.egger.test == MSYN_TEST_KNHA || r->bias.egger.test == MSYN_TEST_ADHOC)) {
        doc_prose(d, " and Knapp–Hartung tests");
        cite1(d, APP_REF_KNAPP2003);
    }
    doc_prose(d, " and as the classic weighted regression");
    cite1(d, APP_REF_EGGER1997);
    if (r->bias.peters_done) {
        doc_prose(d, ", Peters' regression of the log odds ratio on the inverse sample size");
        cite1(d, APP_REF_PETERS2006);
    }
    doc_prose(d, ", Begg and Mazumdar's rank correlation test");
    cite1(d, APP_REF_BEGG1994);
    doc_prose(d, ", the trim-and-fill method with the %s estimator", est[e < 3 ? e : 0]);
    cite1(d, APP_REF_DUVAL2000);
    doc_prose(d, ", and fail-safe numbers by Rosenthal's, Orwin's and Rosenberg's methods (%s; ", doc_cite(d, APP_REF_ROSENTHAL1979));
    doc_prose(d, "%s; ", doc_cite(d, APP_REF_ORWIN1983));
    doc_prose(d, "%s).", doc_cite(d, APP_REF_ROSENBERG2005));
}

void doc_methods(doc *d, const app_result *r)
{
    measure_sentence(d, r);
    if (strcmp(r->command, "reg") == 0)
        reg_methods(d, r);
    else if (strcmp(r->command, "bias") == 0)
        bias_methods(d, r);
    else if (r->fitted) {
        model_sentences(d, r);
        het_sentences(d, r);
        other_sentences(d, r);
    }
    doc_prose(d, " Analyses were run with metasyn %s (preset %s).", msyn_version(), msyn_preset_name(r->preset));
}

int app_doc_methods(const app_result *r, app_markup m, uint64_t *cited, sbuf *o)
{
    doc d;
    memset(&d, 0, sizeof d);
    d.o = o;
    d.m = m;
    doc_methods(&d, r);
    if (cited)
        *cited |= d.cited;
    return o->oom ? -1 : 0;
}
