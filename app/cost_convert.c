/*
 * cost_convert.c - costs in one currency and price year, with factors the
 * user gives (no built-in rates, no network): the two-stage method of the
 * CCEMG-EPPI-Centre cost converter (Shemilt, Thomas and Morciano 2010).
 *
 *   cost_target = cost * index[cur][target_year] / index[cur][price_year]
 *                      * rate[cur]
 *
 * Stage 1 inflates in the original currency with that currency's price
 * index (e.g. GDP deflator); stage 2 converts with a rate for the target
 * year (units of the target currency per unit, e.g. a PPP conversion
 * factor).  Then the quadrant, the ICER and, with --wtp, the net monetary
 * benefit.  cost.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cost.h"

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

static int cell_currency(const app_table *t, size_t r, int c, char out[4], app_err *e)
{
    const char *s = app_table_cell(t, r, (size_t)c);
    size_t i;
    char buf[8];
    while (s && (*s == ' ' || *s == '\t'))
        s++;
    for (i = 0; s && s[i] && s[i] != ' ' && i < 7; i++)
        buf[i] = (char)toupper((unsigned char)s[i]);
    buf[i] = 0;
    if (!s || (s[i] && s[i] != ' ') || !cost_currency_known(buf)) {
        app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: currency: \"%s\" is not an ISO 4217 currency code; write the three-letter code (GBP, EUR, USD, ...)",
                    t->file, t->line[r], c + 1, s ? s : "");
        return -1;
    }
    memcpy(out, buf, 4);
    return 0;
}

static int cell_num(const app_table *t, size_t r, int c, const char *name, int positive, double *v, app_err *e)
{
    const char *s = app_table_cell(t, r, (size_t)c), *why = NULL;
    int rc = app_parse_number(s ? s : "", t->decimal_comma, v, &why);
    if (rc == NUM_OK && (!positive || *v > 0))
        return 0;
    app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: %s: \"%s\" %s", t->file, t->line[r], c + 1, name, s ? s : "",
                rc == NUM_MISSING ? "is empty; every row needs a value"
                : rc == NUM_BAD && why ? why : "must be greater than 0");
    return -1;
}

static int need_cols(const app_table *t, const char *const *names, int *col, size_t n, const char *what, app_err *e)
{
    for (size_t i = 0; i < n; i++)
        if ((col[i] = app_table_col(t, names[i])) < 0) {
            app_err_set(e, APP_EXIT_DATA, "%s:1:1: no %s column; %s", t->file, names[i], what);
            return -1;
        }
    if (t->nrow == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s: no rows; %s", t->file, what);
        return -1;
    }
    return 0;
}

static int load_infl(const app_table *t, cost_factors *f, app_err *e)
{
    static const char *const names[3] = {"currency", "year", "index"};
    int col[3];
    if (need_cols(t, names, col, 3, "a price index file has the columns currency, year, index (one row per currency and year)", e) != 0)
        return -1;
    f->infl_file = t->file;
    if (!(f->infl_cur = app_calloc(t->nrow, sizeof *f->infl_cur)) || !(f->infl_year = app_calloc(t->nrow, sizeof *f->infl_year)) ||
        !(f->infl_index = app_calloc(t->nrow, sizeof *f->infl_index)) || !(f->infl_line = app_calloc(t->nrow, sizeof *f->infl_line)))
        return oom(e);
    for (size_t r = 0; r < t->nrow; r++) {
        double y;
        if (cell_currency(t, r, col[0], f->infl_cur[r], e) != 0 || cell_num(t, r, col[1], "year", 1, &y, e) != 0 ||
            cell_num(t, r, col[2], "index", 1, &f->infl_index[r], e) != 0)
            return -1;
        if (y != floor(y) || y < 1900 || y > 2100) {
            app_err_set(e, APP_EXIT_DATA, "%s:%ld:%d: year: %.10g is not a year; write a whole year between 1900 and 2100", t->file, t->line[r], col[1] + 1, y);
            return -1;
        }
        f->infl_year[r] = (int)y;
        f->infl_line[r] = t->line[r];
        for (size_t j = 0; j < r; j++)
            if (f->infl_year[j] == f->infl_year[r] && strcmp(f->infl_cur[j], f->infl_cur[r]) == 0) {
                app_err_set(e, APP_EXIT_DATA, "%s:%ld:1: a second index for %s %d (the first is on line %ld); give one per currency and year",
                            t->file, t->line[r], f->infl_cur[r], f->infl_year[r], f->infl_line[j]);
                return -1;
            }
        f->ninfl++;
    }
    return 0;
}

static int load_exch(const app_table *t, cost_factors *f, app_err *e)
{
    static const char *const names[2] = {"currency", "rate"};
    int col[2];
    if (need_cols(t, names, col, 2, "an exchange-rate file has the columns currency, rate (units of the target currency per unit)", e) != 0)
        return -1;
    f->exch_file = t->file;
    if (!(f->exch_cur = app_calloc(t->nrow, sizeof *f->exch_cur)) || !(f->exch_rate = app_calloc(t->nrow, sizeof *f->exch_rate)))
        return oom(e);
    for (size_t r = 0; r < t->nrow; r++) {
        if (cell_currency(t, r, col[0], f->exch_cur[r], e) != 0 || cell_num(t, r, col[1], "rate", 1, &f->exch_rate[r], e) != 0)
            return -1;
        for (size_t j = 0; j < r; j++)
            if (strcmp(f->exch_cur[j], f->exch_cur[r]) == 0) {
                app_err_set(e, APP_EXIT_DATA, "%s:%ld:1: a second rate for %s; give one per currency", t->file, t->line[r], f->exch_cur[r]);
                return -1;
            }
        f->nexch++;
    }
    return 0;
}

int cost_factors_load(const app_table *infl, const app_table *exch, cost_factors *f, app_err *e)
{
    memset(f, 0, sizeof *f);
    if ((infl && load_infl(infl, f, e) != 0) || (exch && load_exch(exch, f, e) != 0)) {
        /* a bad file leaves f empty: what was read before the bad cell is
         * freed here (it leaked when the caller did not free f after an
         * error; found by fuzz_tables) */
        cost_factors_free(f);
        return -1;
    }
    return 0;
}

void cost_factors_free(cost_factors *f)
{
    app_free(f->infl_cur);
    app_free(f->infl_year);
    app_free(f->infl_index);
    app_free(f->infl_line);
    app_free(f->exch_cur);
    app_free(f->exch_rate);
    memset(f, 0, sizeof *f);
}

static double index_of(const cost_factors *f, const char *cur, int year)
{
    for (size_t i = 0; i < f->ninfl; i++)
        if (f->infl_year[i] == year && strcmp(f->infl_cur[i], cur) == 0)
            return f->infl_index[i];
    return NAN;
}

static double rate_of(const cost_factors *f, const char *cur)
{
    for (size_t i = 0; i < f->nexch; i++)
        if (strcmp(f->exch_cur[i], cur) == 0)
            return f->exch_rate[i];
    return NAN;
}

static int missing_index(const cost_set *s, const cost_row *w, const cost_factors *f, int year, int target_year, app_err *e)
{
    if (!f->infl_file)
        app_err_set(e, APP_EXIT_DATA, "%s:%ld: %s's costs are in %s %d, so converting them to %d needs price indices: give --inflation FILE with rows for %s %d and %s %d",
                    s->file, w->line, w->study, w->currency, w->price_year, target_year, w->currency, w->price_year, w->currency, target_year);
    else
        app_err_set(e, APP_EXIT_DATA, "%s:%ld: %s's costs are in %s %d: %s has no price index for %s %d; add a row %s,%d,INDEX",
                    s->file, w->line, w->study, w->currency, w->price_year, f->infl_file, w->currency, year, w->currency, year);
    return -1;
}

static int convert_row(const cost_set *s, cost_row *w, const cost_factors *f, app_err *e)
{
    w->index_from = w->index_to = w->rate = NAN;
    w->factor = 1;
    if (w->price_year != s->target_year) {
        if (isnan(w->index_from = index_of(f, w->currency, w->price_year)))
            return missing_index(s, w, f, w->price_year, s->target_year, e);
        if (isnan(w->index_to = index_of(f, w->currency, s->target_year)))
            return missing_index(s, w, f, s->target_year, s->target_year, e);
        w->factor = w->index_to / w->index_from;
    }
    if (strcmp(w->currency, s->target_cur) != 0) {
        if (isnan(w->rate = rate_of(f, w->currency))) {
            if (!f->exch_file)
                app_err_set(e, APP_EXIT_DATA, "%s:%ld: %s's costs are in %s, so converting them to %s needs a rate: give --exchange FILE with a row %s,RATE (%s per %s in %d)",
                            s->file, w->line, w->study, w->currency, s->target_cur, w->currency, s->target_cur, w->currency, s->target_year);
            else
                app_err_set(e, APP_EXIT_DATA, "%s:%ld: %s's costs are in %s: %s has no rate for %s; add a row %s,RATE (%s per %s in %d)",
                            s->file, w->line, w->study, w->currency, f->exch_file, w->currency, w->currency, s->target_cur, w->currency, s->target_year);
            return -1;
        }
        w->factor *= w->rate;
    }
    return 0;
}

/* The ICER and quadrant of a converted row. */
static void classify(cost_row *w)
{
    w->q = cost_classify(w->d_effect, w->d_cost_t);
    w->icer_t = cost_quadrant_has_icer(w->q) ? w->d_cost_t / w->d_effect : NAN;
}

int cost_convert(cost_set *s, const char *cur, int year, const cost_factors *f, app_err *e)
{
    static const cost_factors none;
    if (!f)
        f = &none;
    s->converted = 0;
    s->implicit_target = 0;
    if (cur) {
        snprintf(s->target_cur, sizeof s->target_cur, "%s", cur);
        s->target_year = year;
        s->converted = 1;
    } else if (s->n > 0) {
        int same = 1;
        for (size_t i = 1; i < s->n; i++)
            same &= strcmp(s->row[i].currency, s->row[0].currency) == 0 && s->row[i].price_year == s->row[0].price_year;
        if (same) {
            snprintf(s->target_cur, sizeof s->target_cur, "%s", s->row[0].currency);
            s->target_year = s->row[0].price_year;
            s->implicit_target = 1;
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        cost_row *w = &s->row[i];
        if (s->converted) {
            if (convert_row(s, w, f, e) != 0)
                return -1;
        } else {
            w->factor = s->implicit_target ? 1 : NAN;
        }
        if (s->converted || s->implicit_target) {
            w->d_cost_t = w->d_cost * w->factor;
            w->cost1_t = w->cost1 * w->factor;
            w->cost2_t = w->cost2 * w->factor;
        } else {
            /* no common currency: quadrant from the original costs */
            w->d_cost_t = NAN;
        }
        classify(w);
        if (!s->converted && !s->implicit_target) {
            w->q = cost_classify(w->d_effect, w->d_cost);
            w->icer_t = NAN;
        }
        if (w->icer_check == 0)
            app_strlist_addf(&s->warnings, "%s (line %ld): the reported ICER %.10g does not agree with delta_cost / delta_effect = %.10g / %.10g = %.6g, beyond the rounding of the reported digits",
                             w->study, w->line, w->icer_reported, w->d_cost, w->d_effect, w->d_cost / w->d_effect);
    }
    if (s->warnings.oom)
        return oom(e);
    return 0;
}

int cost_apply_wtp(cost_set *s, double wtp, const char *wtp_unit, app_err *e)
{
    s->wtp = wtp;
    app_free(s->wtp_unit);
    if (!(s->wtp_unit = app_strdup(wtp_unit ? wtp_unit : "QALY")))
        return oom(e);
    for (size_t i = 0; i < s->n; i++) {
        cost_row *w = &s->row[i];
        w->wtp_applies = strcasecmp(w->effect_unit, s->wtp_unit) == 0;
        w->nmb = w->wtp_applies && !isnan(w->d_effect) ? wtp * w->d_effect - w->d_cost_t : NAN;
        if (!w->wtp_applies)
            app_strlist_addf(&s->warnings, "%s (line %ld): effects in %s, not %s: the willingness to pay (per %s) does not apply",
                             w->study, w->line, w->effect_unit, s->wtp_unit, s->wtp_unit);
        else if (isnan(w->d_effect))
            app_strlist_addf(&s->warnings, "%s (line %ld): no incremental effect, so no net monetary benefit", w->study, w->line);
    }
    if (s->warnings.oom)
        return oom(e);
    return 0;
}
