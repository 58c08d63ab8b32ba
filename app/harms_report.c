/*
 * harms_report.c - the reports of `metasyn harms`: the sentence, the
 * study table and the event table as text, JSON, CSV, and as a Markdown
 * or HTML section written with the report's document writer
 * (report_doc_int.h), so escaping and table markup are the report's own.
 */
#include <string.h>

#include "harms.h"
#include "json.h"
#include "report_doc_int.h"

static const char *sev_word(harms_sev s)
{
    return s == HARMS_SEV_SERIOUS ? "serious" : "minor";
}

static const char *est_name(msyn_method m)
{
    return m == MSYN_METHOD_PETO ? "OR" : "RR";
}

static const char *method_words(msyn_method m)
{
    return m == MSYN_METHOD_PETO ? "Peto odds ratio"
           : m == MSYN_METHOD_MH ? "Mantel-Haenszel risk ratio"
                                 : "random-effects (REML) risk ratio";
}

static const char *method_key(msyn_method m)
{
    return m == MSYN_METHOD_PETO ? "PETO" : m == MSYN_METHOD_MH ? "MH" : "REML";
}

/* "12.3%" of e/n with one decimal. */
static const char *pct(double e, double n, char *buf, size_t len)
{
    snprintf(buf, len, "%.1f%%", 100 * e / n);
    return buf;
}

int harms_sentence(const harms_data *d, sbuf *o)
{
    harms_summary s;
    char p1[32], p2[32];
    harms_summarise(d, &s);
    sb_printf(o, "Of %zu %s, %zu reported no adverse events, %zu only minor ones, %zu serious ones, and %zu did not report adverse events.",
              d->nstudy, d->nstudy == 1 ? "study" : "studies", s.n[HARMS_CAT_NONE], s.n[HARMS_CAT_MINOR],
              s.n[HARMS_CAT_SERIOUS], s.n[HARMS_CAT_NOT_REPORTED]);
    if (s.k_ser_counts > 0 && s.n1 > 0 && s.n2 > 0) {
        sb_printf(o, " Serious adverse events: %g in %g participants (%s) in the treatment arms and %g in %g (%s) in the control arms of the %zu %s",
                  s.ser1, s.n1, pct(s.ser1, s.n1, p1, sizeof p1), s.ser2, s.n2, pct(s.ser2, s.n2, p2, sizeof p2),
                  s.k_ser_counts, s.k_ser_counts == 1 ? "study" : "studies");
        if (s.k_ser_counts < s.n[HARMS_CAT_SERIOUS])
            sb_printf(o, " with serious events that gave counts (of %zu).", s.n[HARMS_CAT_SERIOUS]);
        else
            sb_puts(o, " with serious events.");
    }
    return o->oom ? -1 : 0;
}

/* ---- cells shared by the tables --------------------------------------- */

/* "e/n" or "" when n is unknown. */
static const char *frac(double e, double n, char *buf, size_t len)
{
    if (isnan(e) || isnan(n))
        snprintf(buf, len, "%s", isnan(e) ? "" : "?");
    else
        snprintf(buf, len, "%g/%g", e, n);
    if (!isnan(e) && isnan(n))
        snprintf(buf, len, "%g", e);
    return buf;
}

/* The pooled estimate with its CI, or why there is none. */
static const char *estimate(const harms_group *g, const harms_report_opts *ro, char *buf, size_t len)
{
    char a[48], b[48], c[48];
    if (g->pooled)
        snprintf(buf, len, "%s [%s, %s]", app_fx(exp(g->fit.estimate), ro->digits, a, sizeof a),
                 app_fx(exp(g->fit.ci_lb), ro->digits, b, sizeof b),
                 app_fx(exp(g->fit.ci_ub), ro->digits, c, sizeof c));
    else if (g->short_k)
        snprintf(buf, len, "not pooled (%zu with events)", g->k_counts - g->k_zero);
    else if (g->e1 == 0 || g->e2 == 0)
        snprintf(buf, len, "not estimable (no events in the %s arms)", g->e1 == 0 ? "treatment" : "control");
    else
        snprintf(buf, len, "not estimable");
    return buf;
}

static const char *why_not(const harms_group *g, const harms_report_opts *ro, char *buf, size_t len)
{
    if (g->pooled)
        return NULL;
    if (g->short_k)
        snprintf(buf, len, "fewer than --min-k %d studies with events", ro->min_k);
    else if (g->e1 == 0 || g->e2 == 0)
        snprintf(buf, len, "no events in the %s arms", g->e1 == 0 ? "treatment" : "control");
    else
        snprintf(buf, len, "%s", msyn_strerror(g->rc));
    return buf;
}

/* ---- text ------------------------------------------------------------- */

/* End a table row without the padding of its empty last cells. */
static void endline(sbuf *o)
{
    while (o->p && o->len > 0 && o->p[o->len - 1] == ' ')
        o->p[--o->len] = '\0';
    sb_puts(o, "\n");
}

static size_t width_of(const harms_data *d, int events, const char *head)
{
    size_t w = app_utf8_width(head);
    if (events)
        for (size_t i = 0; i < d->ngroup; i++)
            w = app_utf8_width(d->group[i].event) > w ? app_utf8_width(d->group[i].event) : w;
    else
        for (size_t i = 0; i < d->nstudy; i++)
            w = app_utf8_width(d->study[i].name) > w ? app_utf8_width(d->study[i].name) : w;
    return w;
}

static void study_cells(const harms_study *s, char c[6][48])
{
    snprintf(c[0], 48, "%s", harms_cat_words(s->cat));
    frac(s->n1, nan(""), c[1], 48);
    frac(s->n2, nan(""), c[2], 48);
    if (!isnan(s->minor1)) {
        snprintf(c[3], 48, "%g", s->minor1);
        snprintf(c[4], 48, "%g", s->minor2);
    } else if (s->cat == HARMS_CAT_NONE || s->cat == HARMS_CAT_SERIOUS) {
        snprintf(c[3], 48, "0");
        snprintf(c[4], 48, "0");
    } else if (s->cat == HARMS_CAT_MINOR) {
        snprintf(c[3], 48, "no counts");
        c[4][0] = '\0';
    } else {
        c[3][0] = c[4][0] = '\0';
    }
    if (!isnan(s->ser1))
        snprintf(c[5], 48, "%g / %g%s", s->ser1, s->ser2, s->ser_summed ? " *" : "");
    else
        snprintf(c[5], 48, "%s", s->cat == HARMS_CAT_NONE || s->cat == HARMS_CAT_MINOR ? "0 / 0"
                                 : s->cat == HARMS_CAT_SERIOUS ? "no counts" : "");
}

int harms_report_text(const harms_data *d, const harms_report_opts *ro, sbuf *o)
{
    size_t ws = width_of(d, 0, "Study"), we = width_of(d, 1, "Event");
    char c[6][48], buf[160], b1[48], b2[48];
    sb_printf(o, "Harms: %s (%zu %s, %zu adverse %s)\n\n", d->file, d->nstudy,
              d->nstudy == 1 ? "study" : "studies", d->ngroup, d->ngroup == 1 ? "event" : "events");
    if (harms_sentence(d, o) != 0)
        return -1;
    sb_puts(o, "\n\nStudies (events per arm: treatment / control)\n");
    sb_pad(o, "Study", ws, 0);
    sb_puts(o, "  Category        n1i   n2i  Minor events  Serious events\n");
    for (size_t i = 0; i < d->nstudy; i++) {
        study_cells(&d->study[i], c);
        sb_pad(o, d->study[i].name, ws, 0);
        sb_puts(o, "  ");
        sb_pad(o, c[0], 14, 0);
        sb_pad(o, c[1], 5, 1);
        sb_pad(o, c[2], 6, 1);
        snprintf(buf, sizeof buf, "%s%s%s", c[3], c[4][0] ? " / " : "", c[4]);
        sb_pad(o, buf, 14, 1);
        sb_pad(o, c[5], 16, 1);
        endline(o);
    }
    sb_printf(o, "\nAdverse events (%s, %g%% CI; pooled with >= %d studies with events)\n",
              method_words(ro->method), 100 * ro->level, ro->min_k);
    sb_pad(o, "Event", we, 0);
    sb_printf(o, "  Severity  Studies  Counts  Zero  Treatment    Control  %s [CI]\n", est_name(ro->method));
    for (size_t i = 0; i < d->ngroup; i++) {
        const harms_group *g = &d->group[i];
        sb_pad(o, g->event, we, 0);
        sb_puts(o, "  ");
        sb_pad(o, sev_word(g->sev), 8, 0);
        snprintf(buf, sizeof buf, "%zu", g->k);
        sb_pad(o, buf, 9, 1);
        snprintf(buf, sizeof buf, "%zu", g->k_counts);
        sb_pad(o, buf, 8, 1);
        snprintf(buf, sizeof buf, "%zu", g->k_zero);
        sb_pad(o, buf, 6, 1);
        sb_pad(o, g->k_counts ? frac(g->e1, g->n1, b1, sizeof b1) : "-", 11, 1);
        sb_pad(o, g->k_counts ? frac(g->e2, g->n2, b2, sizeof b2) : "-", 11, 1);
        sb_puts(o, "  ");
        sb_puts(o, estimate(g, ro, buf, sizeof buf));
        sb_puts(o, "\n");
    }
    sb_puts(o, "\nStudies: studies reporting the event; Counts: of those, with events and\n"
               "participants per arm; Zero: of those, with no events in either arm;\n"
               "Treatment, Control: events/participants in the studies with counts.\n");
    for (size_t i = 0; i < d->nstudy; i++)
        if (d->study[i].ser_summed) {
            sb_puts(o, "* Serious events added up over several event rows (see Notes).\n");
            break;
        }
    if (d->notes.n) {
        sb_puts(o, "\nNotes\n");
        for (size_t i = 0; i < d->notes.n; i++)
            sb_printf(o, "  - %s\n", d->notes.s[i]);
    }
    return o->oom ? -1 : 0;
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *json_group(jb *c, const harms_group *g, const harms_report_opts *ro)
{
    json_t *v = json_object();
    char buf[160];
    jb_put(c, v, "event", jb_str(g->event));
    jb_put(c, v, "severity", jb_str(sev_word(g->sev)));
    jb_put(c, v, "k", json_integer((json_int_t)g->k));
    jb_put(c, v, "k_counts", json_integer((json_int_t)g->k_counts));
    jb_put(c, v, "k_zero", json_integer((json_int_t)g->k_zero));
    jb_put(c, v, "events1", jb_num(g->k_counts ? g->e1 : nan("")));
    jb_put(c, v, "n1", jb_num(g->k_counts ? g->n1 : nan("")));
    jb_put(c, v, "events2", jb_num(g->k_counts ? g->e2 : nan("")));
    jb_put(c, v, "n2", jb_num(g->k_counts ? g->n2 : nan("")));
    jb_put(c, v, "pooled", json_boolean(g->pooled));
    jb_put(c, v, "k_pooled", json_integer((json_int_t)(g->pooled ? g->fit.k : 0)));
    jb_put(c, v, "estimate", jb_num(g->pooled ? exp(g->fit.estimate) : nan("")));
    jb_put(c, v, "ci_lb", jb_num(g->pooled ? exp(g->fit.ci_lb) : nan("")));
    jb_put(c, v, "ci_ub", jb_num(g->pooled ? exp(g->fit.ci_ub) : nan("")));
    jb_put(c, v, "log_estimate", jb_num(g->pooled ? g->fit.estimate : nan("")));
    jb_put(c, v, "se", jb_num(g->pooled ? g->fit.se : nan("")));
    jb_put(c, v, "pval", jb_num(g->pooled ? g->fit.pval : nan("")));
    jb_put(c, v, "I2", jb_num(g->pooled ? g->fit.I2 : nan("")));
    jb_put(c, v, "tau2", jb_num(g->pooled ? g->fit.tau2 : nan("")));
    jb_put(c, v, "not_pooled", jb_str(why_not(g, ro, buf, sizeof buf)));
    return v;
}

static json_t *json_study(jb *c, const harms_study *s)
{
    json_t *v = json_object();
    int rep = s->cat >= HARMS_CAT_NONE;
    jb_put(c, v, "study", jb_str(s->name));
    jb_put(c, v, "line", json_integer(s->line));
    jb_put(c, v, "category", jb_str(harms_cat_key(s->cat)));
    jb_put(c, v, "n1i", jb_num(s->n1));
    jb_put(c, v, "n2i", jb_num(s->n2));
    jb_put(c, v, "minor_events1", jb_num(!isnan(s->minor1) ? s->minor1 : s->cat == HARMS_CAT_MINOR || !rep ? nan("") : 0));
    jb_put(c, v, "minor_events2", jb_num(!isnan(s->minor2) ? s->minor2 : s->cat == HARMS_CAT_MINOR || !rep ? nan("") : 0));
    jb_put(c, v, "serious_events1", jb_num(!isnan(s->ser1) ? s->ser1 : s->cat == HARMS_CAT_SERIOUS || !rep ? nan("") : 0));
    jb_put(c, v, "serious_events2", jb_num(!isnan(s->ser2) ? s->ser2 : s->cat == HARMS_CAT_SERIOUS || !rep ? nan("") : 0));
    jb_put(c, v, "serious_summed", json_boolean(s->ser_summed));
    return v;
}

int harms_report_json(const harms_data *d, const harms_report_opts *ro, sbuf *o)
{
    jb c = {0};
    harms_summary s;
    sbuf sent;
    json_t *root = json_object(), *sum = json_object(), *ser = json_object(), *st = json_array(),
           *ev = json_array(), *notes = json_array();
    harms_summarise(d, &s);
    sb_init(&sent);
    if (harms_sentence(d, &sent) != 0)
        c.oom = 1;
    jb_put(&c, root, "file", jb_str(d->file));
    jb_put(&c, root, "method", jb_str(method_key(ro->method)));
    jb_put(&c, root, "measure", jb_str(est_name(ro->method)));
    jb_put(&c, root, "level", jb_num(ro->level));
    jb_put(&c, root, "min_k", json_integer(ro->min_k));
    jb_put(&c, sum, "studies", json_integer((json_int_t)d->nstudy));
    for (int k = 0; k < 4; k++)
        jb_put(&c, sum, harms_cat_key((harms_cat)k), json_integer((json_int_t)s.n[k]));
    jb_put(&c, ser, "k", json_integer((json_int_t)s.k_ser_counts));
    jb_put(&c, ser, "events1", jb_num(s.ser1));
    jb_put(&c, ser, "n1", jb_num(s.n1));
    jb_put(&c, ser, "events2", jb_num(s.ser2));
    jb_put(&c, ser, "n2", jb_num(s.n2));
    jb_put(&c, sum, "serious_events", ser);
    jb_put(&c, root, "summary", sum);
    jb_put(&c, root, "sentence", jb_str(sent.p ? sent.p : ""));
    for (size_t i = 0; i < d->nstudy; i++)
        jb_append(&c, st, json_study(&c, &d->study[i]));
    jb_put(&c, root, "studies", st);
    for (size_t i = 0; i < d->ngroup; i++)
        jb_append(&c, ev, json_group(&c, &d->group[i], ro));
    jb_put(&c, root, "events", ev);
    for (size_t i = 0; i < d->notes.n; i++)
        jb_append(&c, notes, jb_str(d->notes.s[i]));
    jb_put(&c, root, "notes", notes);
    sb_free(&sent);
    return jb_dump(&c, root, o);
}

/* ---- CSV -------------------------------------------------------------- */

static void csv_num(sbuf *o, double x)
{
    sb_puts(o, ",");
    if (!isnan(x))
        sb_num(o, x);
}

int harms_report_csv(const harms_data *d, const harms_report_opts *ro, sbuf *o)
{
    sb_puts(o, "event,severity,k,k_counts,k_zero,events1,n1,events2,n2,measure,estimate,ci_lb,ci_ub,pval,note\n");
    for (size_t i = 0; i < d->ngroup; i++) {
        const harms_group *g = &d->group[i];
        char buf[160];
        double nan_ = nan("");
        app_csv_cell(o, g->event);
        sb_printf(o, ",%s,%zu,%zu,%zu", sev_word(g->sev), g->k, g->k_counts, g->k_zero);
        csv_num(o, g->k_counts ? g->e1 : nan_);
        csv_num(o, g->k_counts ? g->n1 : nan_);
        csv_num(o, g->k_counts ? g->e2 : nan_);
        csv_num(o, g->k_counts ? g->n2 : nan_);
        sb_printf(o, ",%s", est_name(ro->method));
        csv_num(o, g->pooled ? exp(g->fit.estimate) : nan_);
        csv_num(o, g->pooled ? exp(g->fit.ci_lb) : nan_);
        csv_num(o, g->pooled ? exp(g->fit.ci_ub) : nan_);
        csv_num(o, g->pooled ? g->fit.pval : nan_);
        sb_puts(o, ",");
        if (!g->pooled)
            app_csv_cell(o, why_not(g, ro, buf, sizeof buf));
        sb_puts(o, "\n");
    }
    return o->oom ? -1 : 0;
}

/* ---- Markdown and HTML ------------------------------------------------ */

int harms_report_doc(const harms_data *d, const harms_report_opts *ro, int html, sbuf *o)
{
    static const char *const sh[] = {"Study", "Category", "n1i", "n2i", "Minor events (T / C)", "Serious events (T / C)"};
    char eh3[48], c[6][48], buf[160], b1[48], b2[48], k[24], kc[24], z[24];
    const char *eh[] = {"Adverse event", "Severity", "Studies", "With counts", "Zero events", "Treatment", "Control", eh3};
    doc dd;
    sbuf sent;
    memset(&dd, 0, sizeof dd);
    dd.o = o;
    dd.m = html ? APP_MARKUP_HTML : APP_MARKUP_MD;
    snprintf(eh3, sizeof eh3, "%s (%g%% CI)", est_name(ro->method), 100 * ro->level);
    doc_raw(&dd, "<section class=\"harms\">\n", NULL, NULL);
    doc_h(&dd, 2, "Harms", "harms");
    sb_init(&sent);
    if (harms_sentence(d, &sent) != 0)
        o->oom = 1;
    doc_p_open(&dd, NULL);
    doc_esc(&dd, sent.p ? sent.p : "");
    doc_p_close(&dd);
    sb_free(&sent);
    doc_h(&dd, 3, "Adverse events by study", NULL);
    doc_table_open(&dd, 6, "llrrrr", sh);
    for (size_t i = 0; i < d->nstudy; i++) {
        const harms_study *s = &d->study[i];
        const char *row[6];
        study_cells(s, c);
        snprintf(buf, sizeof buf, "%s%s%s", c[3], c[4][0] ? " / " : "", c[4]);
        row[0] = s->name, row[1] = c[0], row[2] = c[1], row[3] = c[2], row[4] = buf, row[5] = c[5];
        doc_tr(&dd, row);
    }
    doc_table_close(&dd);
    doc_h(&dd, 3, "Adverse events by type", NULL);
    doc_p_open(&dd, NULL);
    doc_prose(&dd, "Pooled %s with a %g%% confidence interval where at least %d studies had events; studies with no events in either arm are left out of the pooled estimate.",
              method_words(ro->method), 100 * ro->level, ro->min_k);
    doc_p_close(&dd);
    doc_table_open(&dd, 8, "llrrrrrl", eh);
    for (size_t i = 0; i < d->ngroup; i++) {
        const harms_group *g = &d->group[i];
        const char *row[8];
        snprintf(k, sizeof k, "%zu", g->k);
        snprintf(kc, sizeof kc, "%zu", g->k_counts);
        snprintf(z, sizeof z, "%zu", g->k_zero);
        row[0] = g->event, row[1] = sev_word(g->sev), row[2] = k, row[3] = kc, row[4] = z;
        row[5] = g->k_counts ? frac(g->e1, g->n1, b1, sizeof b1) : "";
        row[6] = g->k_counts ? frac(g->e2, g->n2, b2, sizeof b2) : "";
        row[7] = estimate(g, ro, buf, sizeof buf);
        doc_tr(&dd, row);
    }
    doc_table_close(&dd);
    if (d->notes.n) {
        doc_list_open(&dd);
        for (size_t i = 0; i < d->notes.n; i++)
            doc_li(&dd, d->notes.s[i]);
        doc_list_close(&dd);
    }
    doc_raw(&dd, "</section>\n", NULL, NULL);
    return o->oom ? -1 : 0;
}
