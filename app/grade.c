/*
 * grade.c - GRADE certainty of the evidence for one outcome, from a pooled
 * analysis: the starting level, a suggestion per downgrading domain with
 * its reason in words, overrides, and the absolute effects of a summary of
 * findings table.  grade.h; the rules are documented in docs/cli/sof.md.
 *
 * The thresholds (each named in the docs):
 *   risk of bias   -1 when >= 25% of the weight is from studies at high
 *                  risk, or >= 50% from studies at some concerns or worse;
 *                  -2 when >= 50% is from studies at high risk.
 *   inconsistency  -1 when I2 >= 50% and the prediction interval includes
 *                  no effect or some studies' CIs do not overlap; -2 when
 *                  also I2 >= 75%, the estimates lie on both sides of no
 *                  effect and the prediction interval includes no effect.
 *   imprecision    -1 when the CI includes no effect, or (with an MCID)
 *                  includes both important and unimportant effects, or the
 *                  participants are fewer than the optimal information
 *                  size; -2 when the CI includes appreciable benefit and
 *                  appreciable harm (beyond the MCID on both sides; for
 *                  ratios without one, RR 0.75 and 1.25).
 *   publication    -1 when Egger's test (k >= 10) has p < 0.10.
 *   upgrade        observational evidence with no downgrade: +1 for a
 *                  ratio beyond 2 (or 1/2) whose CI excludes 1, +2 beyond 5.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "grade.h"
#include "rob.h"

#define OIS_RRR 0.25         /* relative risk reduction for the OIS        */
#define OIS_ALPHA_LEVEL 0.95 /* two-sided alpha 0.05                       */
#define OIS_POWER_LEVEL 0.60 /* msyn_crit(0.60) = qnorm(0.80): power 0.80  */
#define OIS_CONTINUOUS 400.0 /* GRADE's rule of thumb (SMD 0.2)            */

const char *grade_word(int c)
{
    static const char *const w[5] = {"", "Very low", "Low", "Moderate", "High"};
    return c >= 1 && c <= 4 ? w[c] : "";
}

const char *grade_symbols(int c)
{
    static const char *const s[5] = {"",
                                     "\xe2\x8a\x95\xe2\x97\xaf\xe2\x97\xaf\xe2\x97\xaf",
                                     "\xe2\x8a\x95\xe2\x8a\x95\xe2\x97\xaf\xe2\x97\xaf",
                                     "\xe2\x8a\x95\xe2\x8a\x95\xe2\x8a\x95\xe2\x97\xaf",
                                     "\xe2\x8a\x95\xe2\x8a\x95\xe2\x8a\x95\xe2\x8a\x95"};
    return c >= 1 && c <= 4 ? s[c] : "";
}

const char *grade_domain_name(grade_domain d)
{
    static const char *const n[GRADE_NDOMAINS] = {"Risk of bias", "Inconsistency", "Indirectness",
                                                  "Imprecision", "Publication bias", "Upgrading"};
    return (unsigned)d < GRADE_NDOMAINS ? n[d] : "";
}

const char *grade_domain_key(grade_domain d)
{
    static const char *const n[GRADE_NDOMAINS] = {"risk_of_bias", "inconsistency", "indirectness",
                                                  "imprecision", "publication_bias", "upgrade"};
    return (unsigned)d < GRADE_NDOMAINS ? n[d] : "";
}

const char *grade_level_word(grade_domain d, int level)
{
    if (d == GRADE_UPGRADE)
        return level == 2 ? "+2" : level == 1 ? "+1" : "none";
    if (d == GRADE_PUBBIAS)
        return level <= -2 ? "very strongly suspected" : level == -1 ? "strongly suspected" : "undetected";
    return level <= -2 ? "very serious" : level == -1 ? "serious" : "not serious";
}

double grade_corresponding_risk(msyn_measure m, double cr, double est)
{
    double r;
    switch (m) {
    case MSYN_MEASURE_RR:
        r = cr * exp(est);
        break;
    case MSYN_MEASURE_OR:
    case MSYN_MEASURE_PETO: {
        double o = exp(est);
        r = cr * o / (1.0 - cr + cr * o);
        break;
    }
    case MSYN_MEASURE_HR:
        r = 1.0 - pow(1.0 - cr, exp(est));
        break;
    case MSYN_MEASURE_RD:
        r = cr + est;
        break;
    default:
        return nan("");
    }
    return r < 0 ? 0 : r > 1 ? 1 : r;
}

static int two_group(msyn_measure m)
{
    return m == MSYN_MEASURE_MD || m == MSYN_MEASURE_SMD || m == MSYN_MEASURE_SMDH || m == MSYN_MEASURE_ROM ||
           m == MSYN_MEASURE_OR || m == MSYN_MEASURE_RR || m == MSYN_MEASURE_RD || m == MSYN_MEASURE_PETO ||
           m == MSYN_MEASURE_AS || m == MSYN_MEASURE_HR || m == MSYN_MEASURE_IRR || m == MSYN_MEASURE_IRD ||
           m == MSYN_MEASURE_GEN;
}

static int binary(msyn_measure m)
{
    return m == MSYN_MEASURE_RR || m == MSYN_MEASURE_OR || m == MSYN_MEASURE_PETO || m == MSYN_MEASURE_RD ||
           m == MSYN_MEASURE_HR;
}

int grade_design_word(const char *s)
{
    char b[64];
    size_t n = 0;
    if (!s)
        return 0;
    while (*s == ' ')
        s++;
    for (; *s && n + 1 < sizeof b; s++)
        b[n++] = (char)tolower((unsigned char)*s);
    while (n && b[n - 1] == ' ')
        n--;
    b[n] = '\0';
    if (n == 0)
        return 0;
    if (strstr(b, "non-random") || strstr(b, "nonrandom") || strstr(b, "non random") || strstr(b, "quasi"))
        return 2;
    if (strstr(b, "random") || strncmp(b, "rct", 3) == 0 || strstr(b, " rct") || strcmp(b, "trial") == 0)
        return 1;
    if (strstr(b, "cohort") || strstr(b, "observ") || strstr(b, "case") || strstr(b, "cross-sect") ||
        strstr(b, "registry") || strstr(b, "before") || strcmp(b, "nrs") == 0 || strstr(b, "series"))
        return 2;
    return -1;
}

static int used(const app_result *r, size_t i)
{
    return !isnan(r->yi[i]) && !isnan(r->vi[i]) && (!r->w || !isnan(r->w[i]));
}

/* Participants of study i: from the data, or for measures that do not read
 * sizes (estimates as reported: GEN, HR) from the columns n1i + n2i or ni. */
static double study_n(const app_result *r, size_t i)
{
    double n = app_study_n(r->data, i), a, b;
    int c1 = app_table_col_nocase(r->table, "n1i"), c2 = app_table_col_nocase(r->table, "n2i");
    int c0 = app_table_col_nocase(r->table, "ni");
    const char *why;
    size_t row = r->data->row[i];
    if (!isnan(n))
        return n;
    if (c1 >= 0 && c2 >= 0 &&
        app_parse_number(app_table_cell(r->table, row, (size_t)c1), r->table->decimal_comma, &a, &why) == NUM_OK &&
        app_parse_number(app_table_cell(r->table, row, (size_t)c2), r->table->decimal_comma, &b, &why) == NUM_OK &&
        a >= 0 && b >= 0)
        return a + b;
    if (c0 >= 0 &&
        app_parse_number(app_table_cell(r->table, row, (size_t)c0), r->table->decimal_comma, &a, &why) == NUM_OK &&
        a >= 0)
        return a;
    return nan("");
}

static int start_level(const app_result *r, const grade_input *in, grade_result *g, app_err *e)
{
    int col = in->design == GRADE_DESIGN_AUTO ? app_table_col_nocase(r->table, "design") : -1;
    for (size_t i = 0; i < r->data->k; i++) {
        int dz;
        if (!used(r, i))
            continue;
        if (in->design != GRADE_DESIGN_AUTO) {
            dz = in->design == GRADE_DESIGN_RANDOMISED ? 1 : 2;
        } else if (col < 0) {
            app_err_set(e, APP_EXIT_USAGE,
                        "%s: the studies' design is needed for GRADE's starting level: add a column design "
                        "(RCT, cohort, case-control, ...) or give design=randomised|observational for the outcome",
                        r->file);
            return -1;
        } else {
            const char *cell = app_table_cell(r->table, r->data->row[i], (size_t)col);
            dz = grade_design_word(cell);
            if (dz <= 0) {
                app_err_set(e, APP_EXIT_DATA,
                            "%s:%ld:%d: design '%s' is %s; expected a randomised design (RCT, randomised, "
                            "cluster RCT) or an observational one (cohort, case-control, cross-sectional, "
                            "non-randomised, before-after, case series)",
                            r->file, r->data->line[i], col + 1, cell ? cell : "", dz == 0 ? "empty" : "not known");
                return -1;
            }
        }
        g->k++;
        if (dz == 1)
            g->k_randomised++;
        else
            g->k_observational++;
    }
    if (g->k_observational == 0) {
        g->start = 4;
        snprintf(g->start_reason, sizeof g->start_reason, "%s randomised: high", g->k == 1 ? "the study is" : "all studies are");
    } else {
        g->start = 2;
        if (g->k_randomised)
            snprintf(g->start_reason, sizeof g->start_reason,
                     "%zu of %zu studies are observational: low (GRADE suggests rating randomised and "
                     "observational evidence separately)",
                     g->k_observational, g->k);
        else
            snprintf(g->start_reason, sizeof g->start_reason, "%s observational: low",
                     g->k == 1 ? "the study is" : "all studies are");
    }
    return 0;
}

static void rob_domain(const app_result *r, grade_judgement *j)
{
    double high = app_rob_weight_share(r, APP_ROB_HIGH), some = app_rob_weight_share(r, APP_ROB_SOME);
    if (isnan(high)) {
        j->assessed = 0;
        snprintf(j->reason, sizeof j->reason,
                 "not assessed: the study file has no overall risk-of-bias judgements (column rob_overall)");
        return;
    }
    j->assessed = 1;
    j->suggested = high >= 0.5 ? -2 : (high >= 0.25 || some >= 0.5) ? -1 : 0;
    snprintf(j->reason, sizeof j->reason,
             "%.0f%% of the weight is from studies at high risk of bias and %.0f%% from studies at some "
             "concerns or worse",
             100.0 * high, 100.0 * some);
}

static void inconsistency_domain(const app_result *r, int diff, grade_judgement *j)
{
    const msyn_fit *f = &r->fit;
    double maxlb = -INFINITY, minub = INFINITY;
    int neg = 0, pos = 0, pi_null, nonoverlap;
    size_t len;
    if (f->k < 2) {
        snprintf(j->reason, sizeof j->reason, "not assessable: one study");
        return;
    }
    j->assessed = 1;
    for (size_t i = 0; i < r->data->k; i++) {
        if (!used(r, i))
            continue;
        maxlb = fmax(maxlb, app_study_ci(r, i, 0));
        minub = fmin(minub, app_study_ci(r, i, 1));
        neg += r->yi[i] < 0;
        pos += r->yi[i] > 0;
    }
    nonoverlap = maxlb > minub;
    pi_null = diff && !isnan(f->pi_lb) && f->pi_lb < 0 && f->pi_ub > 0;
    if (f->I2 >= 75 && diff && neg && pos && (pi_null || isnan(f->pi_lb)))
        j->suggested = -2;
    else if (f->I2 >= 50 && (pi_null || nonoverlap))
        j->suggested = -1;
    len = (size_t)snprintf(j->reason, sizeof j->reason, "I\xc2\xb2 = %.0f%%", f->I2);
    if (!isnan(f->pi_lb) && diff && len < sizeof j->reason)
        len += (size_t)snprintf(j->reason + len, sizeof j->reason - len, "; the prediction interval %s no effect",
                                pi_null ? "includes" : "excludes");
    if (len < sizeof j->reason)
        len += (size_t)snprintf(j->reason + len, sizeof j->reason - len, "; %s",
                                nonoverlap ? "some studies' confidence intervals do not overlap"
                                           : "the studies' confidence intervals overlap");
    if (diff && neg && pos && len < sizeof j->reason)
        snprintf(j->reason + len, sizeof j->reason - len, "; the estimates lie on both sides of no effect");
}

/* The comparator's risk in the data: sum of events / sum of sizes. */
static double data_control_risk(const app_result *r)
{
    const msyn_es_data *es = &r->data->es;
    double ev = 0, n = 0;
    if (!es->ci)
        return nan("");
    for (size_t i = 0; i < r->data->k; i++) {
        double c = es->ci[i], m = es->n2i ? es->n2i[i] : nan("");
        if (isnan(m) && es->di)
            m = c + es->di[i];
        if (!used(r, i) || isnan(c) || isnan(m))
            continue;
        ev += c;
        n += m;
    }
    return n > 0 ? ev / n : nan("");
}

/* Pooled SD of two-group means data (for the OIS of an MD). */
static double pooled_sd(const app_result *r)
{
    const msyn_es_data *es = &r->data->es;
    double ss = 0, df = 0;
    if (!es->sd1i || !es->sd2i || !es->n1i || !es->n2i)
        return nan("");
    for (size_t i = 0; i < r->data->k; i++) {
        double a = es->sd1i[i], b = es->sd2i[i], n1 = es->n1i[i], n2 = es->n2i[i];
        if (!used(r, i) || isnan(a) || isnan(b) || isnan(n1) || isnan(n2))
            continue;
        ss += (n1 - 1) * a * a + (n2 - 1) * b * b;
        df += n1 + n2 - 2;
    }
    return df > 0 ? sqrt(ss / df) : nan("");
}

static void ois(const app_result *r, const grade_input *in, grade_result *g)
{
    double z = msyn_crit(OIS_ALPHA_LEVEL, nan("")) + msyn_crit(OIS_POWER_LEVEL, nan(""));
    msyn_measure m = r->measure;
    g->ois = nan("");
    if (binary(m) && !isnan(g->cr) && g->cr > 0 && g->cr < 1) {
        double p0 = g->cr, p1 = p0 * (1 - OIS_RRR);
        g->ois = 2 * ceil(z * z * (p0 * (1 - p0) + p1 * (1 - p1)) / ((p0 - p1) * (p0 - p1)));
        snprintf(g->ois_basis, sizeof g->ois_basis,
                 "comparator risk %.1f%%, relative risk reduction 25%%, alpha 0.05, power 0.80", 100 * p0);
    } else if (m == MSYN_MEASURE_MD && !isnan(in->mcid) && !isnan(pooled_sd(r))) {
        double sd = pooled_sd(r);
        g->ois = 2 * ceil(2 * z * z * sd * sd / (in->mcid * in->mcid));
        snprintf(g->ois_basis, sizeof g->ois_basis, "MCID %g, pooled SD %.3g, alpha 0.05, power 0.80", in->mcid, sd);
    } else if (app_measure_standardized(m) && !isnan(in->mcid) && !isnan(r->reexpress_sd)) {
        double d = in->mcid / r->reexpress_sd;
        g->ois = 2 * ceil(2 * z * z / (d * d));
        snprintf(g->ois_basis, sizeof g->ois_basis, "MCID %g on an SD of %g (SMD %.3g), alpha 0.05, power 0.80",
                 in->mcid, r->reexpress_sd, d);
    } else if (!binary(m) && two_group(m) && m != MSYN_MEASURE_GEN) {
        g->ois = OIS_CONTINUOUS;
        snprintf(g->ois_basis, sizeof g->ois_basis, "GRADE's rule of thumb for continuous outcomes, an SMD of 0.2");
    }
}

/* 357347 -> "357,347" */
static const char *count_str(double x, char *buf, size_t n)
{
    char t[48];
    size_t len, j = 0;
    snprintf(t, sizeof t, "%.0f", x);
    len = strlen(t);
    for (size_t i = 0; i < len && j + 2 < n; i++) {
        if (i && (len - i) % 3 == 0 && t[0] != '-')
            buf[j++] = ',';
        buf[j++] = t[i];
    }
    buf[j] = '\0';
    return buf;
}

static void imprecision_domain(const app_result *r, const grade_input *in, grade_result *g, grade_judgement *j)
{
    const msyn_fit *f = &r->fit;
    double thr = nan(""), lb = f->ci_lb, ub = f->ci_ub;
    int cross, have_mcid = 0;
    size_t len;
    if (!two_group(r->measure)) {
        snprintf(j->reason, sizeof j->reason, "not assessed: a one-group measure has no effect of zero to compare with");
        return;
    }
    j->assessed = 1;
    if (!isnan(in->mcid)) {
        thr = app_measure_standardized(r->measure) && !isnan(r->reexpress_sd) ? in->mcid / r->reexpress_sd : in->mcid;
        have_mcid = !msyn_measure_is_ratio(r->measure);
        if (msyn_measure_is_ratio(r->measure))
            thr = nan("");
    }
    if (isnan(thr) && msyn_measure_is_ratio(r->measure))
        thr = log(1.25);
    ois(r, in, g);
    cross = lb <= 0 && ub >= 0;
    if (cross && !isnan(thr) && lb < -thr && ub > thr) {
        j->suggested = -2;
        len = (size_t)snprintf(j->reason, sizeof j->reason,
                               "the confidence interval includes no effect and both appreciable benefit and harm (%s)",
                               have_mcid ? "beyond the MCID on both sides" : "RR 0.75 and 1.25");
    } else if (cross) {
        j->suggested = -1;
        len = (size_t)snprintf(j->reason, sizeof j->reason, "the confidence interval includes no effect");
    } else if (have_mcid && fmin(fabs(lb), fabs(ub)) < thr && fmax(fabs(lb), fabs(ub)) >= thr) {
        j->suggested = -1;
        len = (size_t)snprintf(j->reason, sizeof j->reason,
                               "the confidence interval includes both important and unimportant effects (MCID %g%s%s)",
                               in->mcid, r->mcid_cite ? ", " : "", r->mcid_cite ? r->mcid_cite : "");
    } else {
        len = (size_t)snprintf(j->reason, sizeof j->reason, "the confidence interval excludes no effect");
        if (!isnan(g->ois) && !isnan(g->n) && g->n < g->ois)
            j->suggested = -1;
    }
    if (!isnan(g->ois) && !isnan(g->n) && len < sizeof j->reason) {
        char a[48], b[48];
        snprintf(j->reason + len, sizeof j->reason - len, "; %s participants, %s the optimal information size of %s (%s)",
                 count_str(g->n, a, sizeof a), g->n < g->ois ? "fewer than" : "at least",
                 count_str(g->ois, b, sizeof b), g->ois_basis);
    }
}

static int pubbias_domain(app_result *r, grade_judgement *j, app_err *e)
{
    msyn_pool_opts po = r->po;
    msyn_regtest t;
    msyn_status rc;
    double *ni;
    if (r->fit.k < 10) {
        snprintf(j->reason, sizeof j->reason,
                 "not assessed: %zu %s, fewer than the 10 that tests for small-study effects need", r->fit.k,
                 r->fit.k == 1 ? "study" : "studies");
        return 0;
    }
    if (po.method == MSYN_METHOD_MH || po.method == MSYN_METHOD_PETO)
        po.method = MSYN_METHOD_EE;
    if (!(ni = app_alloc((r->data->k + 1) * sizeof *ni))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < r->data->k; i++)
        ni[i] = app_study_n(r->data, i);
    rc = msyn_bias_regtest_rma(r->yi, r->vi, ni, r->data->k, MSYN_BIAS_SEI, &po, NULL, NULL, &t);
    app_free(ni);
    if (rc == MSYN_ENOMEM) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (rc != MSYN_OK) {
        snprintf(j->reason, sizeof j->reason, "not assessed: Egger's test failed: %s", msyn_strerror(rc));
        return 0;
    }
    j->assessed = 1;
    j->suggested = t.pval < 0.10 ? -1 : 0;
    snprintf(j->reason, sizeof j->reason, "Egger's regression test p = %.3g%s", t.pval,
             t.pval < 0.10 ? ", below 0.10: the funnel plot is asymmetric" : "");
    return 0;
}

static void upgrade_domain(const app_result *r, const grade_result *g, grade_judgement *j)
{
    const msyn_fit *f = &r->fit;
    double est, lb, ub, big;
    if (g->start != 2) {
        snprintf(j->reason, sizeof j->reason, "not applicable: randomised evidence is not upgraded");
        return;
    }
    if (g->d[GRADE_ROB].final || g->d[GRADE_INCONSISTENCY].final || g->d[GRADE_IMPRECISION].final ||
        g->d[GRADE_PUBBIAS].final || g->d[GRADE_INDIRECTNESS].final) {
        snprintf(j->reason, sizeof j->reason, "not considered: the evidence was rated down");
        return;
    }
    if (!msyn_measure_is_ratio(r->measure)) {
        snprintf(j->reason, sizeof j->reason, "no suggestion for a difference measure: the reviewers judge it");
        return;
    }
    j->assessed = 1;
    est = exp(f->estimate), lb = exp(f->ci_lb), ub = exp(f->ci_ub);
    big = est >= 1 ? est : 1 / est;
    if ((lb > 1 || ub < 1) && big >= 5)
        j->suggested = 2;
    else if ((lb > 1 || ub < 1) && big >= 2)
        j->suggested = 1;
    snprintf(j->reason, sizeof j->reason, "%s %.2f (%.2f to %.2f)%s", msyn_measure_back_name(r->measure), est, lb, ub,
             j->suggested == 2   ? ": a very large effect (beyond 5 or 1/5)"
             : j->suggested == 1 ? ": a large effect (beyond 2 or 1/2)"
                                 : ": not a large effect");
}

static void settle(const grade_input *in, grade_domain d, grade_judgement *j)
{
    j->final = j->suggested;
    if (in->has_override[d]) {
        j->final = in->override[d];
        j->overridden = in->override[d] != j->suggested || d == GRADE_INDIRECTNESS;
        j->why = in->why[d];
    }
}

int grade_assess(app_result *r, const grade_input *in, grade_result *g, app_err *e)
{
    int diff = two_group(r->measure);
    memset(g, 0, sizeof *g);
    g->n = 0;
    if (start_level(r, in, g, e) != 0)
        return -1;
    for (size_t i = 0; i < r->data->k; i++)
        if (used(r, i))
            g->n += study_n(r, i);
    g->cr = in->control_risk;
    if (binary(r->measure) && isnan(g->cr)) {
        g->cr = data_control_risk(r);
        g->cr_from_data = !isnan(g->cr);
    }
    rob_domain(r, &g->d[GRADE_ROB]);
    settle(in, GRADE_ROB, &g->d[GRADE_ROB]);
    inconsistency_domain(r, diff, &g->d[GRADE_INCONSISTENCY]);
    settle(in, GRADE_INCONSISTENCY, &g->d[GRADE_INCONSISTENCY]);
    snprintf(g->d[GRADE_INDIRECTNESS].reason, sizeof g->d[GRADE_INDIRECTNESS].reason,
             "judged by the reviewers (population, intervention, comparator, outcome)");
    settle(in, GRADE_INDIRECTNESS, &g->d[GRADE_INDIRECTNESS]);
    imprecision_domain(r, in, g, &g->d[GRADE_IMPRECISION]);
    settle(in, GRADE_IMPRECISION, &g->d[GRADE_IMPRECISION]);
    if (pubbias_domain(r, &g->d[GRADE_PUBBIAS], e) != 0)
        return -1;
    settle(in, GRADE_PUBBIAS, &g->d[GRADE_PUBBIAS]);
    upgrade_domain(r, g, &g->d[GRADE_UPGRADE]);
    settle(in, GRADE_UPGRADE, &g->d[GRADE_UPGRADE]);
    g->certainty = g->start;
    for (int d = 0; d < GRADE_NDOMAINS; d++)
        g->certainty += g->d[d].final;
    g->certainty = g->certainty < 1 ? 1 : g->certainty > 4 ? 4 : g->certainty;
    if (binary(r->measure) && !isnan(g->cr)) {
        g->absolute = 1;
        g->ir = grade_corresponding_risk(r->measure, g->cr, r->fit.estimate);
        g->ir_lb = grade_corresponding_risk(r->measure, g->cr, r->fit.ci_lb);
        g->ir_ub = grade_corresponding_risk(r->measure, g->cr, r->fit.ci_ub);
    }
    return 0;
}
