/*
 * report_doc_sof.c - the summary of findings table of `metasyn sof` as
 * text, Markdown, HTML (through the report's doc writer), CSV and JSON.
 * sof.h; docs/cli/sof.md.
 *
 * Absolute effects follow GRADEpro's conventions: risks per 1,000 rounded
 * to whole numbers, the corresponding risk computed from the assumed
 * comparator risk and the pooled relative effect with its CI (RR: risk x
 * RR; OR: the odds converted back; HR: 1 - (1 - risk)^HR; RD: risk + RD).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "report_doc_int.h"
#include "sof.h"

#define MAXNOTE 12

/* Footnotes of every outcome: the shared list, and each outcome's letters. */
typedef struct notes {
    app_strlist text;
    size_t idx[64][MAXNOTE];
    size_t n[64];
} notes;

static const char *letter(size_t i)
{
    /* superscript a..z (U+1D43 ...); q has none, so it is skipped */
    static const char *const sup[] = {"\xe1\xb5\x83", "\xe1\xb5\x87", "\xe1\xb6\x9c", "\xe1\xb5\x88", "\xe1\xb5\x89",
                                      "\xe1\xb6\xa0", "\xe1\xb5\x8d", "\xca\xb0",     "\xe2\x81\xb1", "\xca\xb2",
                                      "\xe1\xb5\x8f", "\xcb\xa1",     "\xe1\xb5\x90", "\xe2\x81\xbf", "\xe1\xb5\x92",
                                      "\xe1\xb5\x96", "\xca\xb3",     "\xcb\xa2",     "\xe1\xb5\x97", "\xe1\xb5\x98",
                                      "\xe1\xb5\x9b", "\xca\xb7",     "\xcb\xa3",     "\xca\xb8",     "\xe1\xb6\xbb"};
    return i < sizeof sup / sizeof *sup ? sup[i] : "*";
}

static const char *plain_letter(size_t i)
{
    static const char *const a[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
                                    "n", "o", "p", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
    return i < sizeof a / sizeof *a ? a[i] : "*";
}

static const char *levels(int n)
{
    n = n < 0 ? -n : n;
    return n >= 2 ? "two levels" : "one level";
}

static const char *lower_name(grade_domain d)
{
    static const char *const n[GRADE_NDOMAINS] = {"risk of bias", "inconsistency", "indirectness",
                                                  "imprecision", "publication bias", "a large effect"};
    return n[d];
}

static void add_note(notes *nt, size_t o, const char *s)
{
    size_t at;
    if (o >= 64 || nt->n[o] >= MAXNOTE)
        return;
    app_strlist_addf(&nt->text, "%s", s);
    for (at = 0; at < nt->text.n; at++)
        if (strcmp(nt->text.s[at], s) == 0)
            break;
    if (at < nt->text.n)
        nt->idx[o][nt->n[o]++] = at;
}

static void outcome_notes(const sof_outcome *x, size_t o, notes *nt)
{
    const grade_result *g = x->g;
    char b[1200];
    if (g->k_randomised && g->k_observational)
        add_note(nt, o, g->start_reason[0] ? g->start_reason : "");
    for (int d = 0; d < GRADE_NDOMAINS; d++) {
        const grade_judgement *j = &g->d[d];
        const char *what = d == GRADE_UPGRADE ? "Upgraded" : "Downgraded";
        if (d == GRADE_INDIRECTNESS) {
            if (j->final)
                snprintf(b, sizeof b, "Downgraded %s for indirectness: %s.", levels(j->final),
                         j->why && *j->why ? j->why : "the reviewers' judgement");
            else if (j->why && *j->why)
                snprintf(b, sizeof b, "Not downgraded for indirectness: %s.", j->why);
            else
                continue;
        } else if (j->overridden) {
            if (j->final)
                snprintf(b, sizeof b, "%s %s for %s (the reviewers' judgement: %s); metasyn suggested %s: %s.",
                         what, levels(j->final), lower_name((grade_domain)d), j->why,
                         j->suggested ? levels(j->suggested) : "none", j->reason);
            else
                snprintf(b, sizeof b, "Not %s for %s (the reviewers' judgement: %s); metasyn suggested %s: %s.",
                         d == GRADE_UPGRADE ? "upgraded" : "downgraded", lower_name((grade_domain)d), j->why,
                         levels(j->suggested), j->reason);
        } else if (j->final) {
            snprintf(b, sizeof b, "%s %s for %s: %s.", what, levels(j->final), lower_name((grade_domain)d), j->reason);
        } else if (d == GRADE_ROB && !j->assessed) {
            snprintf(b, sizeof b, "Risk of bias %s; not downgraded.", j->reason);
        } else {
            continue;
        }
        add_note(nt, o, b);
    }
    if (g->absolute && g->cr_from_data) {
        snprintf(b, sizeof b,
                 "Comparator risk: the risk in the studies' comparator groups (events / participants), %.1f%%.",
                 100.0 * g->cr);
        add_note(nt, o, b);
    }
}

static void marks(const notes *nt, size_t o, int plain, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < nt->n[o] && len < n; j++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", plain && j ? "," : "",
                                plain ? plain_letter(nt->idx[o][j]) : letter(nt->idx[o][j]));
}

/* "5.2 lower" / "0.3 higher" / "0" */
static void signed_words(double x, int dig, int text, char *buf, size_t n)
{
    char a[48];
    double r = fabs(x);
    snprintf(a, sizeof a, "%.*f", dig, r);
    if (strtod(a, NULL) == 0)
        snprintf(buf, n, "%s", a);
    else
        snprintf(buf, n, "%s %s", a, x < 0 ? "lower" : "higher");
    (void)text;
}

static void per1000_words(double d, char *buf, size_t n)
{
    long v = lround(1000.0 * d);
    if (v == 0)
        snprintf(buf, n, "0");
    else
        snprintf(buf, n, "%ld %s", labs(v), v < 0 ? "fewer" : "more");
}

/* The cells of one outcome. */
typedef struct cells {
    char relative[96], comparator[64], intervention[96], difference[400], participants[96], certainty[200],
        plain_certainty[200];
} cells;

static void outcome_cells(const sof_table *s, const sof_outcome *x, size_t o, const notes *nt, cells *c)
{
    const app_result *r = x->r;
    const grade_result *g = x->g;
    const msyn_fit *f = &r->fit;
    int dig = s->digits;
    char a[64], b[64], m[96], cnt[48];
    const char *back = msyn_measure_back_name(r->measure);
    memset(c, 0, sizeof *c);
    if (msyn_measure_is_ratio(r->measure) && back)
        snprintf(c->relative, sizeof c->relative, "%s %.*f (%.*f to %.*f)", back, dig, exp(f->estimate), dig,
                 exp(f->ci_lb), dig, exp(f->ci_ub));
    else if (r->measure == MSYN_MEASURE_RD)
        snprintf(c->relative, sizeof c->relative, "RD %.*f (%.*f to %.*f)", 3, f->estimate, 3, f->ci_lb, 3, f->ci_ub);
    if (g->absolute) {
        snprintf(c->comparator, sizeof c->comparator, "%ld per 1,000", lround(1000.0 * g->cr));
        snprintf(c->intervention, sizeof c->intervention, "%ld per 1,000 (%ld to %ld)", lround(1000.0 * g->ir),
                 lround(1000.0 * g->ir_lb), lround(1000.0 * g->ir_ub));
        per1000_words(g->ir - g->cr, a, sizeof a);
        per1000_words(g->ir_lb - g->cr, b, sizeof b);
        per1000_words(g->ir_ub - g->cr, m, sizeof m);
        snprintf(c->difference, sizeof c->difference, "%s per 1,000 (%s to %s)", a, b, m);
    } else if (!msyn_measure_is_ratio(r->measure)) {
        const char *name = app_measure_standardized(r->measure) ? "SMD"
                           : r->measure == MSYN_MEASURE_GEN      ? "estimate"
                                                                 : msyn_measure_name(r->measure);
        char lb[64], ub[64];
        signed_words(f->estimate, dig, 0, a, sizeof a);
        signed_words(f->ci_lb, dig, 0, lb, sizeof lb);
        signed_words(f->ci_ub, dig, 0, ub, sizeof ub);
        snprintf(c->difference, sizeof c->difference, "%s %s (%s to %s)", name, a, lb, ub);
        if (!isnan(r->reexpress_sd)) {
            size_t len = strlen(c->difference);
            double k = r->reexpress_sd;
            signed_words(k * f->estimate, 1, 0, a, sizeof a);
            signed_words(k * f->ci_lb, 1, 0, lb, sizeof lb);
            signed_words(k * f->ci_ub, 1, 0, ub, sizeof ub);
            snprintf(c->difference + len, sizeof c->difference - len, "; about %s points on %s (%s to %s)", a,
                     r->scale_name ? r->scale_name : "the instrument", lb, ub);
        }
    }
    if (!isnan(g->n) && g->n > 0)
        snprintf(c->participants, sizeof c->participants, "%s ", doc_count(g->n, cnt, sizeof cnt));
    {
        size_t len = strlen(c->participants);
        if (g->k_randomised && g->k_observational)
            snprintf(c->participants + len, sizeof c->participants - len, "(%zu RCT%s, %zu observational)",
                     g->k_randomised, g->k_randomised == 1 ? "" : "s", g->k_observational);
        else if (g->k_randomised)
            snprintf(c->participants + len, sizeof c->participants - len, "(%zu RCT%s)", g->k_randomised,
                     g->k_randomised == 1 ? "" : "s");
        else
            snprintf(c->participants + len, sizeof c->participants - len, "(%zu observational stud%s)",
                     g->k_observational, g->k_observational == 1 ? "y" : "ies");
    }
    marks(nt, o, 0, m, sizeof m);
    snprintf(c->certainty, sizeof c->certainty, "%s %s%s%s", grade_symbols(g->certainty), grade_word(g->certainty),
             m[0] ? " " : "", m);
    marks(nt, o, 1, m, sizeof m);
    snprintf(c->plain_certainty, sizeof c->plain_certainty, "%s%s%s%s", grade_word(g->certainty), m[0] ? " (" : "",
             m, m[0] ? ")" : "");
}

static void outcome_label(const sof_outcome *x, char *buf, size_t n)
{
    size_t len = (size_t)snprintf(buf, n, "%s", x->name);
    if (x->follow_up && *x->follow_up && len < n)
        len += (size_t)snprintf(buf + len, n - len, " (follow-up: %s)", x->follow_up);
    if (x->importance && *x->importance && len < n)
        snprintf(buf + len, n - len, " [%s]", x->importance);
}

static void question(const sof_table *s, char *buf, size_t n)
{
    if (s->question) {
        snprintf(buf, n, "%s", s->question);
        return;
    }
    snprintf(buf, n, "%s compared with %s%s%s", s->intervention ? s->intervention : "Intervention",
             s->comparator ? s->comparator : "comparator", s->population ? " for " : "",
             s->population ? s->population : "");
}

/* ---- HTML, Markdown and text through the doc writer --------------------- */
static const char sof_css[] = "td.cert{white-space:nowrap}\nol.notes{list-style:lower-alpha;font-size:.9em}\n"
                              "table.profile td{font-size:.92em}\n";

static void doc_render(const sof_table *s, const notes *nt, app_markup mk, sbuf *out)
{
    doc d;
    char q[600];
    static const char *const head[7] = {"Outcome",
                                        "Risk with comparator",
                                        "Risk or difference with intervention (95% CI)",
                                        "Relative effect (95% CI)",
                                        "Participants (studies)",
                                        "Certainty of the evidence (GRADE)",
                                        "Comments"};
    memset(&d, 0, sizeof d);
    d.o = out;
    d.m = mk;
    question(s, q, sizeof q);
    if (mk == APP_MARKUP_HTML)
        doc_html_head(&d, "Summary of findings", q, sof_css);
    doc_h(&d, 1, "Summary of findings", NULL);
    doc_p_open(&d, "sub");
    doc_esc(&d, q);
    doc_p_close(&d);
    if (s->population || s->setting || s->intervention || s->comparator) {
        doc_table_open(&d, 2, "ll", (const char *const[]){"", ""});
        if (s->population)
            doc_kv(&d, "Patient or population", s->population);
        if (s->setting)
            doc_kv(&d, "Setting", s->setting);
        if (s->intervention)
            doc_kv(&d, "Intervention", s->intervention);
        if (s->comparator)
            doc_kv(&d, "Comparison", s->comparator);
        doc_table_close(&d);
    }
    doc_table_open(&d, 7, "lllllll", head);
    for (size_t o = 0; o < s->n; o++) {
        cells c;
        char lab[400], both[600];
        const char *row[7];
        outcome_cells(s, &s->o[o], o, nt, &c);
        outcome_label(&s->o[o], lab, sizeof lab);
        row[0] = lab;
        row[1] = c.comparator[0] ? c.comparator : "-";
        row[2] = c.difference[0] && c.intervention[0] ? c.intervention : c.difference;
        row[3] = c.relative[0] ? c.relative : "-";
        row[4] = c.participants;
        row[5] = mk == APP_MARKUP_TEXT ? c.plain_certainty : c.certainty;
        row[6] = s->o[o].comments ? s->o[o].comments : "";
        if (c.difference[0] && c.intervention[0]) {
            /* binary: the risk with the intervention, then the difference */
            snprintf(both, sizeof both, "%s; %s", c.intervention, c.difference);
            row[2] = both;
        }
        doc_tr(&d, row);
    }
    doc_table_close(&d);
    doc_p_open(&d, "note");
    doc_prose(&d, "The risk with the intervention (and its 95%% CI) is based on the assumed risk in the comparison "
                  "group and the relative effect of the intervention (and its 95%% CI). CI: confidence interval; "
                  "RR: risk ratio; OR: odds ratio; MD: mean difference; SMD: standardised mean difference.");
    doc_p_close(&d);
    doc_p_open(&d, NULL);
    doc_prose(&d, "GRADE certainty: High: we are very confident that the true effect lies close to the estimate. "
                  "Moderate: the true effect is likely to be close to the estimate, but may be substantially "
                  "different. Low: the true effect may be substantially different. Very low: the true effect is "
                  "likely to be substantially different from the estimate.");
    doc_p_close(&d);
    if (nt->text.n) {
        doc_h(&d, 2, "Footnotes", "notes");
        for (size_t i = 0; i < nt->text.n; i++) {
            doc_p_open(&d, NULL);
            doc_prose(&d, "%s. ", plain_letter(i));
            doc_esc(&d, nt->text.s[i]);
            doc_p_close(&d);
        }
    }
    doc_h(&d, 2, "Evidence profile", "profile");
    for (size_t o = 0; o < s->n; o++) {
        const grade_result *g = s->o[o].g;
        char lab[400], fin[64], sug[64];
        outcome_label(&s->o[o], lab, sizeof lab);
        doc_h(&d, 3, lab, NULL);
        doc_p_open(&d, NULL);
        doc_prose(&d, "%s; study file ", g->start == 4 ? "Starts high" : "Starts low");
        doc_esc(&d, s->o[o].file);
        doc_prose(&d, " (%s).", g->start_reason);
        doc_p_close(&d);
        doc_table_open(&d, 4, "llll", (const char *const[]){"Domain", "Rating", "metasyn's suggestion", "Reason"});
        for (int dm = 0; dm < GRADE_NDOMAINS; dm++) {
            const grade_judgement *j = &g->d[dm];
            const char *row[4];
            char reason[1000];
            if (j->final)
                snprintf(fin, sizeof fin, "%s (%+d)", grade_level_word((grade_domain)dm, j->final), j->final);
            else
                snprintf(fin, sizeof fin, "%s", grade_level_word((grade_domain)dm, j->final));
            if (dm == GRADE_INDIRECTNESS)
                snprintf(sug, sizeof sug, "none (the reviewers judge)");
            else
                snprintf(sug, sizeof sug, "%s",
                         j->assessed ? grade_level_word((grade_domain)dm, j->suggested) : "not assessed");
            if (j->overridden && j->why)
                snprintf(reason, sizeof reason, "%s. Reviewers: %s", j->reason, j->why);
            else
                snprintf(reason, sizeof reason, "%s", j->reason);
            row[0] = grade_domain_name((grade_domain)dm);
            row[1] = fin;
            row[2] = sug;
            row[3] = reason;
            doc_tr(&d, row);
        }
        doc_table_close(&d);
        doc_p_open(&d, NULL);
        doc_prose(&d, "Certainty: %s %s.", grade_symbols(g->certainty), grade_word(g->certainty));
        doc_p_close(&d);
    }
    doc_p_open(&d, "sub");
    doc_prose(&d, "metasyn %s sof, from ", msyn_version());
    doc_esc(&d, s->source);
    doc_prose(&d, ". The suggestions follow the rules in docs/cli/sof.md; the certainty is the reviewers' "
                  "judgement.");
    doc_p_close(&d);
    doc_raw(&d, "</main>\n</body>\n</html>\n", NULL, NULL);
}

static const char *signed_level(int v)
{
    return v == 0 ? "0" : v == 1 ? "+1" : v == 2 ? "+2" : v == -1 ? "-1" : "-2";
}

/* ---- plain text: one block per outcome ---------------------------------- */
static void text_render(const sof_table *s, const notes *nt, sbuf *o)
{
    char q[600];
    question(s, q, sizeof q);
    sb_printf(o, "Summary of findings: %s\n", q);
    if (s->setting)
        sb_printf(o, "Setting: %s\n", s->setting);
    for (size_t i = 0; i < s->n; i++) {
        const sof_outcome *x = &s->o[i];
        const grade_result *g = x->g;
        cells c;
        char lab[400];
        outcome_cells(s, x, i, nt, &c);
        outcome_label(x, lab, sizeof lab);
        sb_printf(o, "\n%s\n", lab);
        sb_printf(o, "  Participants (studies): %s\n", c.participants);
        if (c.relative[0])
            sb_printf(o, "  Relative effect:        %s\n", c.relative);
        if (c.comparator[0]) {
            sb_printf(o, "  Risk with comparator:   %s\n", c.comparator);
            sb_printf(o, "  Risk with intervention: %s\n", c.intervention);
        }
        if (c.difference[0])
            sb_printf(o, "  Difference:             %s\n", c.difference);
        sb_printf(o, "  Certainty:              %s %s\n", grade_symbols(g->certainty), c.plain_certainty);
        sb_printf(o, "    start %s: %s\n", g->start == 4 ? "high" : "low", g->start_reason);
        for (int d = 0; d < GRADE_NDOMAINS; d++) {
            const grade_judgement *j = &g->d[d];
            sb_printf(o, "    %-17s %2s  %s", grade_domain_name((grade_domain)d), signed_level(j->final), j->reason);
            if (j->overridden && j->why && d == GRADE_INDIRECTNESS)
                sb_printf(o, " [reviewers: %s]", j->why);
            else if (j->overridden && j->why)
                sb_printf(o, " [reviewers: %s; suggested %s]", j->why, signed_level(j->suggested));
            sb_puts(o, "\n");
        }
        if (x->comments && *x->comments)
            sb_printf(o, "  Comments: %s\n", x->comments);
    }
    if (nt->text.n) {
        sb_puts(o, "\nFootnotes\n");
        for (size_t i = 0; i < nt->text.n; i++)
            sb_printf(o, "  %s. %s\n", plain_letter(i), nt->text.s[i]);
    }
}

/* ---- CSV ------------------------------------------------------------------ */
static void csv_num(sbuf *o, double x)
{
    sb_puts(o, ",");
    if (!isnan(x))
        sb_num(o, x);
}

static void csv_render(const sof_table *s, const notes *nt, sbuf *o)
{
    sb_puts(o, "outcome,follow_up,importance,studies,randomised,observational,participants,measure,estimate,"
               "ci_lb,ci_ub,comparator_per_1000,intervention_per_1000,intervention_lb_per_1000,"
               "intervention_ub_per_1000,difference,start,risk_of_bias,inconsistency,indirectness,imprecision,"
               "publication_bias,upgrade,certainty,footnotes\n");
    for (size_t i = 0; i < s->n; i++) {
        const sof_outcome *x = &s->o[i];
        const app_result *r = x->r;
        const grade_result *g = x->g;
        int ratio = msyn_measure_is_ratio(r->measure);
        cells c;
        char m[96];
        outcome_cells(s, x, i, nt, &c);
        app_csv_cell(o, x->name);
        sb_puts(o, ",");
        app_csv_cell(o, x->follow_up ? x->follow_up : "");
        sb_puts(o, ",");
        app_csv_cell(o, x->importance ? x->importance : "");
        sb_printf(o, ",%zu,%zu,%zu", g->k, g->k_randomised, g->k_observational);
        csv_num(o, g->n);
        sb_printf(o, ",%s", ratio && msyn_measure_back_name(r->measure) ? msyn_measure_back_name(r->measure)
                                                                       : msyn_measure_name(r->measure));
        csv_num(o, ratio ? exp(r->fit.estimate) : r->fit.estimate);
        csv_num(o, ratio ? exp(r->fit.ci_lb) : r->fit.ci_lb);
        csv_num(o, ratio ? exp(r->fit.ci_ub) : r->fit.ci_ub);
        csv_num(o, g->absolute ? (double)lround(1000 * g->cr) : nan(""));
        csv_num(o, g->absolute ? (double)lround(1000 * g->ir) : nan(""));
        csv_num(o, g->absolute ? (double)lround(1000 * g->ir_lb) : nan(""));
        csv_num(o, g->absolute ? (double)lround(1000 * g->ir_ub) : nan(""));
        sb_puts(o, ",");
        app_csv_cell(o, c.difference);
        sb_printf(o, ",%s", g->start == 4 ? "high" : "low");
        for (int d = 0; d < GRADE_NDOMAINS; d++)
            sb_printf(o, ",%d", g->d[d].final);
        sb_printf(o, ",%s,", grade_word(g->certainty));
        marks(nt, i, 1, m, sizeof m);
        app_csv_cell(o, m);
        sb_puts(o, "\n");
    }
}

/* ---- JSON ----------------------------------------------------------------- */
static int json_render(const sof_table *s, const notes *nt, sbuf *out)
{
    jb c = {0};
    json_t *root = json_object(), *arr = json_array(), *fn = json_object();
    char q[600];
    question(s, q, sizeof q);
    jb_put(&c, root, "question", jb_str(q));
    jb_put(&c, root, "population", jb_str(s->population));
    jb_put(&c, root, "setting", jb_str(s->setting));
    jb_put(&c, root, "intervention", jb_str(s->intervention));
    jb_put(&c, root, "comparator", jb_str(s->comparator));
    for (size_t i = 0; i < s->n; i++) {
        const sof_outcome *x = &s->o[i];
        const app_result *r = x->r;
        const grade_result *g = x->g;
        json_t *o = json_object(), *dm = json_object(), *notes_of = json_array();
        cells cl;
        outcome_cells(s, x, i, nt, &cl);
        jb_put(&c, o, "outcome", jb_str(x->name));
        jb_put(&c, o, "follow_up", jb_str(x->follow_up));
        jb_put(&c, o, "importance", jb_str(x->importance));
        jb_put(&c, o, "file", jb_str(x->file));
        jb_put(&c, o, "measure", jb_str(msyn_measure_name(r->measure)));
        jb_put(&c, o, "studies", json_integer((json_int_t)g->k));
        jb_put(&c, o, "randomised", json_integer((json_int_t)g->k_randomised));
        jb_put(&c, o, "observational", json_integer((json_int_t)g->k_observational));
        jb_put(&c, o, "participants", jb_num(g->n));
        {
            json_t *e = json_object();
            int ratio = msyn_measure_is_ratio(r->measure);
            jb_put(&c, e, "scale", jb_str(ratio ? msyn_measure_back_name(r->measure) : msyn_measure_name(r->measure)));
            jb_put(&c, e, "estimate", jb_num(ratio ? exp(r->fit.estimate) : r->fit.estimate));
            jb_put(&c, e, "ci_lb", jb_num(ratio ? exp(r->fit.ci_lb) : r->fit.ci_lb));
            jb_put(&c, e, "ci_ub", jb_num(ratio ? exp(r->fit.ci_ub) : r->fit.ci_ub));
            jb_put(&c, e, "pval", jb_num(r->fit.pval));
            jb_put(&c, e, "I2", jb_num(r->fit.I2));
            jb_put(&c, e, "method", jb_str(msyn_method_name(r->fit.method_used)));
            jb_put(&c, o, "effect", e);
        }
        if (g->absolute) {
            json_t *a = json_object();
            jb_put(&c, a, "comparator_risk", jb_num(g->cr));
            jb_put(&c, a, "comparator_risk_from", jb_str(g->cr_from_data ? "data" : "given"));
            jb_put(&c, a, "intervention_risk", jb_num(g->ir));
            jb_put(&c, a, "intervention_risk_lb", jb_num(g->ir_lb));
            jb_put(&c, a, "intervention_risk_ub", jb_num(g->ir_ub));
            jb_put(&c, a, "difference_per_1000", json_integer((json_int_t)lround(1000 * (g->ir - g->cr))));
            jb_put(&c, a, "difference_per_1000_lb", json_integer((json_int_t)lround(1000 * (g->ir_lb - g->cr))));
            jb_put(&c, a, "difference_per_1000_ub", json_integer((json_int_t)lround(1000 * (g->ir_ub - g->cr))));
            jb_put(&c, o, "absolute", a);
        }
        jb_put(&c, o, "difference_text", jb_str(cl.difference));
        jb_put(&c, o, "start", jb_str(g->start == 4 ? "high" : "low"));
        jb_put(&c, o, "start_reason", jb_str(g->start_reason));
        for (int d = 0; d < GRADE_NDOMAINS; d++) {
            const grade_judgement *j = &g->d[d];
            json_t *v = json_object();
            jb_put(&c, v, "final", json_integer(j->final));
            jb_put(&c, v, "suggested", json_integer(j->suggested));
            jb_put(&c, v, "assessed", json_boolean(j->assessed));
            jb_put(&c, v, "reason", jb_str(j->reason));
            jb_put(&c, v, "overridden", json_boolean(j->overridden));
            jb_put(&c, v, "justification", jb_str(j->why && *j->why ? j->why : NULL));
            jb_put(&c, dm, grade_domain_key((grade_domain)d), v);
        }
        jb_put(&c, o, "domains", dm);
        if (!isnan(g->ois)) {
            json_t *v = json_object();
            jb_put(&c, v, "participants", jb_num(g->ois));
            jb_put(&c, v, "basis", jb_str(g->ois_basis));
            jb_put(&c, o, "optimal_information_size", v);
        }
        jb_put(&c, o, "certainty", json_integer(g->certainty));
        jb_put(&c, o, "certainty_word", jb_str(grade_word(g->certainty)));
        for (size_t j = 0; j < nt->n[i]; j++)
            jb_append(&c, notes_of, jb_str(plain_letter(nt->idx[i][j])));
        jb_put(&c, o, "footnotes", notes_of);
        jb_put(&c, o, "comments", jb_str(x->comments));
        jb_append(&c, arr, o);
    }
    jb_put(&c, root, "outcomes", arr);
    for (size_t i = 0; i < nt->text.n; i++)
        jb_put(&c, fn, plain_letter(i), jb_str(nt->text.s[i]));
    jb_put(&c, root, "footnotes", fn);
    return jb_dump(&c, root, out);
}

int app_sof_render(const sof_table *s, const char *format, sbuf *out)
{
    notes *nt = app_calloc(1, sizeof *nt);
    int rc = 0;
    if (!nt)
        return -1;
    for (size_t o = 0; o < s->n && o < 64; o++)
        outcome_notes(&s->o[o], o, nt);
    if (nt->text.oom) {
        app_strlist_free(&nt->text);
        app_free(nt);
        return -1;
    }
    if (strcmp(format, "json") == 0)
        rc = json_render(s, nt, out);
    else if (strcmp(format, "csv") == 0)
        csv_render(s, nt, out);
    else if (strcmp(format, "text") == 0)
        text_render(s, nt, out);
    else
        doc_render(s, nt, strcmp(format, "html") == 0 ? APP_MARKUP_HTML : APP_MARKUP_MD, out);
    app_strlist_free(&nt->text);
    app_free(nt);
    return rc != 0 || out->oom ? -1 : 0;
}
