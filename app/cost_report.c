/*
 * cost_report.c - `metasyn cost` reports: a text table for people, JSON
 * with stable keys, CSV (one row per comparison) and a Markdown table.
 * Every number shown in the target currency is also given as reported.
 * cost.h.
 */
#include <stdio.h>
#include <string.h>

#include "cost.h"
#include "json.h"

#define CELL 96

/* Costs: whole units from 100 on, else two decimals; "" for NaN. */
static const char *money(double x, char *b)
{
    if (isnan(x))
        return "";
    return app_fx(x, fabs(x) >= 100 ? 0 : 2, b, CELL);
}

static const char *effect(double x, char *b)
{
    if (isnan(x))
        return "";
    return app_fx(x, fabs(x) >= 10 ? 2 : 3, b, CELL);
}

static int common(const cost_set *s)
{
    return s->converted || s->implicit_target;
}

static const char *verdict(const cost_set *s, const cost_row *w)
{
    if (isnan(s->wtp) || !w->wtp_applies || isnan(w->nmb))
        return "not assessed";
    return w->nmb > 0 ? "cost-effective" : w->nmb < 0 ? "not cost-effective" : "at the threshold";
}

static const char *verdict_key(const cost_set *s, const cost_row *w)
{
    if (isnan(s->wtp) || !w->wtp_applies || isnan(w->nmb))
        return NULL;
    return w->nmb > 0 ? "yes" : w->nmb < 0 ? "no" : "threshold";
}

static const char *icer_words(const cost_row *w, char *b)
{
    if (cost_quadrant_has_icer(w->q))
        return money(w->icer_t, b);
    return cost_quadrant_words(w->q);
}

/* ---- a padded text table ---------------------------------------------------- */

typedef struct tbl {
    size_t ncol, nrow;
    char (*c)[CELL];       /* (nrow + 1) * ncol, row 0 the header */
    int *right;
} tbl;

static int tbl_init(tbl *t, size_t ncol, size_t nrow)
{
    t->ncol = ncol, t->nrow = nrow;
    t->c = app_calloc((nrow + 1) * ncol, sizeof *t->c);
    t->right = app_calloc(ncol, sizeof *t->right);
    return t->c && t->right ? 0 : -1;
}

static void tbl_set(tbl *t, size_t r, size_t c, const char *s)
{
    snprintf(t->c[r * t->ncol + c], CELL, "%s", s ? s : "");
}

static void tbl_out(const tbl *t, sbuf *o)
{
    size_t w[16] = {0};
    for (size_t r = 0; r <= t->nrow; r++)
        for (size_t c = 0; c < t->ncol; c++) {
            size_t x = app_utf8_width(t->c[r * t->ncol + c]);
            if (x > w[c])
                w[c] = x;
        }
    for (size_t r = 0; r <= t->nrow; r++) {
        sbuf line;
        sb_init(&line);
        for (size_t c = 0; c < t->ncol; c++) {
            if (c)
                sb_puts(&line, "  ");
            sb_pad(&line, t->c[r * t->ncol + c], w[c], t->right[c]);
        }
        while (line.len && line.p[line.len - 1] == ' ')
            line.len--;
        sb_add(o, line.p ? line.p : "", line.len);
        sb_puts(o, "\n");
        if (line.oom)
            o->oom = 1;
        sb_free(&line);
    }
}

static void tbl_free(tbl *t)
{
    app_free(t->c);
    app_free(t->right);
}

static void comparison(const cost_row *w, char *b)
{
    snprintf(b, CELL, "%s vs %s", w->intervention, w->comparator);
}

static int numbers_table(const cost_set *s, sbuf *o)
{
    tbl t;
    char b[CELL], h[CELL];
    int wtp = !isnan(s->wtp), com = common(s);
    size_t nc = 8 + (size_t)(com && s->converted) + (size_t)(wtp ? 2 : 0), c;
    if (tbl_init(&t, nc, s->n) != 0) {
        tbl_free(&t);
        return -1;
    }
    c = 0;
    tbl_set(&t, 0, c++, "Study");
    tbl_set(&t, 0, c++, "Comparison");
    tbl_set(&t, 0, c++, "Prices");
    tbl_set(&t, 0, c, "dCost");
    t.right[c++] = 1;
    if (com && s->converted) {
        snprintf(h, sizeof h, "dCost %s %d", s->target_cur, s->target_year);
        tbl_set(&t, 0, c, h);
        t.right[c++] = 1;
    }
    tbl_set(&t, 0, c, "dEffect");
    t.right[c++] = 1;
    tbl_set(&t, 0, c++, "Unit");
    if (com)
        snprintf(h, sizeof h, "ICER %s %d", s->target_cur, s->target_year);
    else
        snprintf(h, sizeof h, "ICER");
    tbl_set(&t, 0, c++, h);
    tbl_set(&t, 0, c++, "Quadrant");
    if (wtp) {
        tbl_set(&t, 0, c, "NMB");
        t.right[c++] = 1;
        snprintf(h, sizeof h, "At %s/%s", money(s->wtp, b), s->wtp_unit);
        tbl_set(&t, 0, c++, h);
    }
    for (size_t i = 0; i < s->n; i++) {
        const cost_row *w = &s->row[i];
        size_t r = i + 1;
        c = 0;
        tbl_set(&t, r, c++, w->study);
        comparison(w, b);
        tbl_set(&t, r, c++, b);
        snprintf(b, sizeof b, "%s %d", w->currency, w->price_year);
        tbl_set(&t, r, c++, b);
        tbl_set(&t, r, c++, money(w->d_cost, b));
        if (com && s->converted)
            tbl_set(&t, r, c++, money(w->d_cost_t, b));
        tbl_set(&t, r, c++, isnan(w->d_effect) ? "NR" : effect(w->d_effect, b));
        tbl_set(&t, r, c++, w->effect_unit);
        if (com)
            tbl_set(&t, r, c++, icer_words(w, b));
        else
            tbl_set(&t, r, c++, cost_quadrant_has_icer(w->q) ? "(no common currency)" : cost_quadrant_words(w->q));
        tbl_set(&t, r, c++, w->q == COST_Q_NE ? "NE" : w->q == COST_Q_SW ? "SW" : cost_quadrant_words(w->q));
        if (wtp) {
            tbl_set(&t, r, c++, money(w->nmb, b));
            tbl_set(&t, r, c++, verdict(s, w));
        }
    }
    tbl_out(&t, o);
    tbl_free(&t);
    return 0;
}

static const char *check_words(int c)
{
    return c == 1 ? "agrees" : c == 0 ? "DISAGREES" : c == -1 ? "cannot be checked" : "";
}

static int context_table(const cost_set *s, sbuf *o)
{
    tbl t;
    char b[CELL];
    if (tbl_init(&t, 6, s->n) != 0) {
        tbl_free(&t);
        return -1;
    }
    tbl_set(&t, 0, 0, "Study");
    tbl_set(&t, 0, 1, "Perspective");
    tbl_set(&t, 0, 2, "Time horizon");
    tbl_set(&t, 0, 3, "Country");
    tbl_set(&t, 0, 4, "Reported ICER");
    tbl_set(&t, 0, 5, "Check");
    t.right[4] = 1;
    for (size_t i = 0; i < s->n; i++) {
        const cost_row *w = &s->row[i];
        tbl_set(&t, i + 1, 0, w->study);
        tbl_set(&t, i + 1, 1, w->perspective ? w->perspective : "NR");
        tbl_set(&t, i + 1, 2, w->time_horizon ? w->time_horizon : "NR");
        tbl_set(&t, i + 1, 3, w->country ? w->country : "NR");
        tbl_set(&t, i + 1, 4, isnan(w->icer_reported) ? "NR" : money(w->icer_reported, b));
        tbl_set(&t, i + 1, 5, check_words(w->icer_check));
    }
    tbl_out(&t, o);
    tbl_free(&t);
    return 0;
}

int cost_report_text(const cost_set *s, sbuf *o)
{
    char b[CELL];
    sb_printf(o, "Cost-effectiveness: %s (%zu comparison%s)\n", s->file, s->n, s->n == 1 ? "" : "s");
    if (s->converted)
        sb_printf(o, "Costs converted to %s at %d prices: inflated with each currency's price index, then\nconverted with the exchange rate (two-stage method of the CCEMG-EPPI-Centre converter).\n",
                  s->target_cur, s->target_year);
    else if (s->implicit_target)
        sb_printf(o, "All costs in %s at %d prices, as reported.\n", s->target_cur, s->target_year);
    else
        sb_puts(o, "Costs in several currencies or price years, as reported: give --to CUR:YEAR with\n--inflation and --exchange to compare them and to compute ICERs.\n");
    if (!isnan(s->wtp))
        sb_printf(o, "Willingness to pay: %s %s per %s; NMB = WTP x dEffect - dCost.\n", money(s->wtp, b), s->target_cur, s->wtp_unit);
    sb_puts(o, "dCost and dEffect: intervention minus comparator.\n\n");
    if (numbers_table(s, o) != 0)
        return -1;
    sb_puts(o, "\n");
    if (context_table(s, o) != 0)
        return -1;
    sb_puts(o, "\nICERs are tabulated, not pooled (docs/cli/cost.md).  NR: not reported.\n");
    app_warnings_text(&s->warnings, o);
    return o->oom ? -1 : 0;
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *row_json(jb *c, const cost_set *s, const cost_row *w)
{
    json_t *o = json_object();
    if (!o) {
        c->oom = 1;
        return NULL;
    }
    jb_put(c, o, "study", jb_str(w->study));
    jb_put(c, o, "line", json_integer(w->line));
    jb_put(c, o, "intervention", jb_str(w->intervention));
    jb_put(c, o, "comparator", jb_str(w->comparator));
    jb_put(c, o, "currency", jb_str(w->currency));
    jb_put(c, o, "price_year", json_integer(w->price_year));
    jb_put(c, o, "perspective", jb_str(w->perspective));
    jb_put(c, o, "time_horizon", jb_str(w->time_horizon));
    jb_put(c, o, "country", jb_str(w->country));
    jb_put(c, o, "effect_unit", jb_str(w->effect_unit));
    jb_put(c, o, "cost1", jb_num(w->cost1));
    jb_put(c, o, "cost2", jb_num(w->cost2));
    jb_put(c, o, "effect1", jb_num(w->effect1));
    jb_put(c, o, "effect2", jb_num(w->effect2));
    jb_put(c, o, "delta_cost", jb_num(w->d_cost));
    jb_put(c, o, "delta_effect", jb_num(w->d_effect));
    jb_put(c, o, "icer_reported", jb_num(w->icer_reported));
    jb_put(c, o, "icer_check", w->icer_check == -2 ? json_null() : jb_str(w->icer_check == 1 ? "agrees" : w->icer_check == 0 ? "disagrees" : "not_checkable"));
    jb_put(c, o, "index_from", jb_num(w->index_from));
    jb_put(c, o, "index_to", jb_num(w->index_to));
    jb_put(c, o, "rate", jb_num(w->rate));
    jb_put(c, o, "factor", jb_num(w->factor));
    jb_put(c, o, "delta_cost_target", jb_num(w->d_cost_t));
    jb_put(c, o, "cost1_target", jb_num(w->cost1_t));
    jb_put(c, o, "cost2_target", jb_num(w->cost2_t));
    jb_put(c, o, "quadrant", jb_str(cost_quadrant_key(w->q)));
    jb_put(c, o, "icer_target", jb_num(w->icer_t));
    jb_put(c, o, "nmb", jb_num(w->nmb));
    jb_put(c, o, "cost_effective", jb_str(verdict_key(s, w)));
    return o;
}

int cost_report_json(const cost_set *s, sbuf *out)
{
    jb c = {0};
    json_t *root = json_object(), *rows = json_array(), *warn = json_array(), *target = NULL;
    if (!root || !rows || !warn) {
        json_decref(root), json_decref(rows), json_decref(warn);
        return -1;
    }
    jb_put(&c, root, "command", jb_str("cost"));
    jb_put(&c, root, "file", jb_str(s->file));
    if (common(s)) {
        if (!(target = json_object()))
            c.oom = 1;
        else {
            jb_put(&c, target, "currency", jb_str(s->target_cur));
            jb_put(&c, target, "year", json_integer(s->target_year));
            jb_put(&c, target, "converted", json_boolean(s->converted));
        }
    }
    jb_put(&c, root, "target", target ? target : json_null());
    jb_put(&c, root, "wtp", jb_num(s->wtp));
    jb_put(&c, root, "wtp_unit", jb_str(isnan(s->wtp) ? NULL : s->wtp_unit));
    for (size_t i = 0; i < s->n; i++)
        jb_append(&c, rows, row_json(&c, s, &s->row[i]));
    jb_put(&c, root, "rows", rows);
    for (size_t i = 0; i < s->warnings.n; i++)
        jb_append(&c, warn, jb_str(s->warnings.s[i]));
    jb_put(&c, root, "warnings", warn);
    return jb_dump(&c, root, out);
}

/* ---- CSV and Markdown ---------------------------------------------------------- */

static void csv_num(sbuf *o, double x)
{
    sb_puts(o, ",");
    if (!isnan(x))
        sb_num(o, x);
}

static void csv_str(sbuf *o, const char *s)
{
    sb_puts(o, ",");
    if (s)
        app_csv_cell(o, s);
}

int cost_report_csv(const cost_set *s, sbuf *o)
{
    sb_puts(o, "study,intervention,comparator,currency,price_year,perspective,time_horizon,country,effect_unit,"
               "delta_cost,delta_effect,icer_reported,icer_check,target_currency,target_year,factor,"
               "delta_cost_target,quadrant,icer_target,nmb,cost_effective\n");
    for (size_t i = 0; i < s->n; i++) {
        const cost_row *w = &s->row[i];
        app_csv_cell(o, w->study);
        csv_str(o, w->intervention);
        csv_str(o, w->comparator);
        csv_str(o, w->currency);
        sb_printf(o, ",%d", w->price_year);
        csv_str(o, w->perspective);
        csv_str(o, w->time_horizon);
        csv_str(o, w->country);
        csv_str(o, w->effect_unit);
        csv_num(o, w->d_cost);
        csv_num(o, w->d_effect);
        csv_num(o, w->icer_reported);
        csv_str(o, w->icer_check == -2 ? NULL : w->icer_check == 1 ? "agrees" : w->icer_check == 0 ? "disagrees" : "not_checkable");
        csv_str(o, common(s) ? s->target_cur : NULL);
        if (common(s))
            sb_printf(o, ",%d", s->target_year);
        else
            sb_puts(o, ",");
        csv_num(o, w->factor);
        csv_num(o, w->d_cost_t);
        csv_str(o, cost_quadrant_key(w->q));
        csv_num(o, w->icer_t);
        csv_num(o, w->nmb);
        csv_str(o, verdict_key(s, w));
        sb_puts(o, "\n");
    }
    return o->oom ? -1 : 0;
}

/* A Markdown cell: pipes escaped. */
static void md(sbuf *o, const char *s)
{
    sb_puts(o, " ");
    for (; s && *s; s++)
        if (*s == '|')
            sb_puts(o, "\\|");
        else
            sb_add(o, s, 1);
    sb_puts(o, " |");
}

int cost_report_md(const cost_set *s, sbuf *o)
{
    char b[CELL], h[CELL];
    int com = common(s), wtp = !isnan(s->wtp);
    if (com)
        sb_printf(o, "Costs in %s at %d prices%s.\n\n", s->target_cur, s->target_year,
                  s->converted ? " (converted: price index, then exchange rate)" : "");
    sb_puts(o, "| Study | Comparison | Perspective | Time horizon | Prices | Incremental cost |");
    if (com && s->converted)
        sb_printf(o, " Incremental cost (%s %d) |", s->target_cur, s->target_year);
    sb_puts(o, " Incremental effect | ICER | Quadrant |");
    if (wtp)
        sb_printf(o, " NMB at %s/%s |", money(s->wtp, h), s->wtp_unit);
    sb_puts(o, "\n|---|---|---|---|---|--:|");
    if (com && s->converted)
        sb_puts(o, "--:|");
    sb_puts(o, "--:|--:|---|");
    if (wtp)
        sb_puts(o, "--:|");
    sb_puts(o, "\n");
    for (size_t i = 0; i < s->n; i++) {
        const cost_row *w = &s->row[i];
        sb_puts(o, "|");
        md(o, w->study);
        comparison(w, b);
        md(o, b);
        md(o, w->perspective ? w->perspective : "NR");
        md(o, w->time_horizon ? w->time_horizon : "NR");
        snprintf(b, sizeof b, "%s %d", w->currency, w->price_year);
        md(o, b);
        md(o, money(w->d_cost, b));
        if (com && s->converted)
            md(o, money(w->d_cost_t, b));
        snprintf(h, sizeof h, "%s %s", effect(w->d_effect, b), w->effect_unit);
        md(o, isnan(w->d_effect) ? "NR" : h);
        md(o, com ? icer_words(w, b) : cost_quadrant_has_icer(w->q) ? "" : cost_quadrant_words(w->q));
        md(o, cost_quadrant_words(w->q));
        if (wtp) {
            snprintf(h, sizeof h, "%s (%s)", money(w->nmb, b), verdict(s, w));
            md(o, isnan(w->nmb) ? verdict(s, w) : h);
        }
        sb_puts(o, "\n");
    }
    for (size_t i = 0; i < s->warnings.n; i++)
        sb_printf(o, "%s- Warning: %s\n", i ? "" : "\n", s->warnings.s[i]);
    return o->oom ? -1 : 0;
}
