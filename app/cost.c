/*
 * cost.c - reading and checking cost-effectiveness rows, the quadrant of
 * the cost-effectiveness plane, the check of reported ICERs, and the
 * two-stage conversion to one currency and price year.  cost.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cost.h"

/* ---- classification ------------------------------------------------------ */

cost_quadrant cost_classify(double d_effect, double d_cost)
{
    if (isnan(d_effect) || isnan(d_cost))
        return COST_Q_NO_EFFECT;
    if (d_effect > 0)
        return d_cost > 0 ? COST_Q_NE : COST_Q_DOMINANT;
    if (d_effect < 0)
        return d_cost < 0 ? COST_Q_SW : COST_Q_DOMINATED;
    return d_cost < 0 ? COST_Q_EQUAL_CHEAPER : d_cost > 0 ? COST_Q_EQUAL_DEARER : COST_Q_EQUAL_SAME;
}

static const char *const qkey[] = {"no_effect", "dominant", "dominated", "NE", "SW",
                                   "equal_effect_cheaper", "equal_effect_dearer", "no_difference"};
static const char *const qwords[] = {
    "effect not reported", "dominant", "dominated", "more effective, more costly",
    "less effective, less costly", "same effect, less costly", "same effect, more costly",
    "no difference"};

const char *cost_quadrant_key(cost_quadrant q)
{
    return (unsigned)q < sizeof qkey / sizeof *qkey ? qkey[q] : "?";
}

const char *cost_quadrant_words(cost_quadrant q)
{
    return (unsigned)q < sizeof qwords / sizeof *qwords ? qwords[q] : "?";
}

int cost_quadrant_has_icer(cost_quadrant q)
{
    return q == COST_Q_NE || q == COST_Q_SW;
}

/* ---- rounding of reported numbers ---------------------------------------- */

double cost_half_unit(const char *s, int round_zeros)
{
    const char *p, *dot = NULL, *end;
    int dec = 0, zeros = 0;
    if (!s)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    for (p = s; p < end; p++)
        if (*p == '.' || *p == ',')
            dot = p;
        else if ((*p == 'e' || *p == 'E'))
            return 0; /* exponent notation: treat as exact */
    if (dot) {
        for (p = dot + 1; p < end && isdigit((unsigned char)*p); p++)
            dec++;
        return 0.5 * pow(10, -dec);
    }
    /* an integer: trailing zeros may be rounding ("20000" to thousands) */
    for (p = end; p > s && p[-1] == '0'; p--)
        zeros++;
    if (p == s || !round_zeros) /* "0" */
        zeros = 0;
    return 0.5 * pow(10, zeros);
}

int cost_icer_agrees(double icer, double hi, double d_cost, double hc, double d_effect, double he)
{
    double lo = INFINITY, up = -INFINITY;
    if (d_effect - he <= 0 && d_effect + he >= 0)
        return -1;
    for (int a = -1; a <= 1; a += 2)
        for (int b = -1; b <= 1; b += 2) {
            double v = (d_cost + a * hc) / (d_effect + b * he);
            lo = fmin(lo, v), up = fmax(up, v);
        }
    /* a relative slack of 1e-9 for binary rounding of the inputs */
    lo -= hi + 1e-9 * fabs(lo);
    up += hi + 1e-9 * fabs(up);
    return icer >= lo && icer <= up;
}

/* ---- currencies ------------------------------------------------------------ */

/* ISO 4217 codes in use (list one, 2024), sorted. */
static const char iso4217[] =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP "
    "ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK "
    "JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK "
    "MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN "
    "PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB "
    "TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG "
    "XAU XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL";

int cost_currency_known(const char *code)
{
    if (strlen(code) != 3)
        return 0;
    for (int i = 0; i < 3; i++)
        if (code[i] < 'A' || code[i] > 'Z')
            return 0;
    for (const char *p = iso4217; *p; p += p[3] ? 4 : 3)
        if (memcmp(p, code, 3) == 0)
            return 1;
    return 0;
}

/* ---- reading the rows ----------------------------------------------------- */

enum { C_STUDY, C_INTERV, C_COMPAR, C_DCOST, C_DEFF, C_UNIT, C_ICER, C_CUR, C_YEAR, C_PERSP,
       C_HORIZON, C_COUNTRY, C_COST1, C_COST2, C_EFF1, C_EFF2, C_N };

static const char *const colname[C_N] = {
    "study", "intervention", "comparator", "delta_cost", "delta_effect", "effect_unit", "icer",
    "currency", "price_year", "perspective", "time_horizon", "country", "cost1", "cost2",
    "effect1", "effect2"};

static const char *const perspectives[] = {"healthcare", "payer", "societal", "provider",
                                           "patient", "government", "other", NULL};

typedef struct rd {
    const app_table *t;
    int col[C_N];
    size_t r;
    app_err *e;
} rd;

static const char *cellv(const rd *x, int c)
{
    const char *s;
    if (x->col[c] < 0)
        return NULL;
    s = app_table_cell(x->t, x->r, (size_t)x->col[c]);
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t')
        s++;
    return *s ? s : NULL;
}

static int fail(const rd *x, int c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(const rd *x, int c, const char *fmt, ...)
{
    char msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    app_err_set(x->e, APP_EXIT_DATA, "%s:%ld:%d: %s", x->t->file, x->t->line[x->r], x->col[c] + 1, msg);
    return -1;
}

/* A number cell: NaN when empty; -1 when bad. */
static int num(const rd *x, int c, double *v)
{
    const char *s = cellv(x, c), *why;
    *v = NAN;
    if (!s)
        return 0;
    switch (app_parse_number(s, x->t->decimal_comma, v, &why)) {
    case NUM_OK:
        return 0;
    case NUM_MISSING:
        *v = NAN;
        return 0;
    default:
        return fail(x, c, "%s: \"%s\" %s", colname[c], s, why ? why : "is not a number");
    }
}

static char *dup_cell(const rd *x, int c, const char *def, int *oom)
{
    const char *s = cellv(x, c);
    char *d, *t;
    if (!s && !def)
        return NULL;
    if (!(d = app_trimmed(s ? s : def)))
        *oom = 1;
    t = d;
    return t;
}

/* Rounding half units of the cells of a row (for the ICER and per-arm
 * checks). */
static double half(const rd *x, int c)
{
    return cost_half_unit(cellv(x, c), c == C_ICER);
}

static int check_arms(const rd *x, int ca, int cb, int cd, double a, double b, double *d)
{
    double diff, tol;
    if (isnan(a) != isnan(b))
        return fail(x, isnan(a) ? ca : cb, "%s is given but %s is not; give both arms (%s for the intervention, %s for the comparator) or neither",
                    colname[isnan(a) ? cb : ca], colname[isnan(a) ? ca : cb], colname[ca], colname[cb]);
    if (isnan(a))
        return 0;
    diff = a - b;
    if (isnan(*d)) {
        *d = diff;
        return 0;
    }
    tol = half(x, ca) + half(x, cb) + half(x, cd) + 1e-9 * fabs(diff);
    if (fabs(diff - *d) > tol)
        return fail(x, cd, "%s %.10g disagrees with %s - %s = %.10g beyond the rounding of the reported digits; correct one of them (%s is intervention minus comparator)",
                    colname[cd], *d, colname[ca], colname[cb], diff, colname[cd]);
    return 0;
}

static int text_fields(const rd *x, cost_row *w)
{
    int oom = 0;
    const char *s;
    char rowname[32];
    snprintf(rowname, sizeof rowname, "row %zu", x->r + 1);
    w->study = dup_cell(x, C_STUDY, rowname, &oom);
    w->intervention = dup_cell(x, C_INTERV, NULL, &oom);
    w->comparator = dup_cell(x, C_COMPAR, NULL, &oom);
    w->time_horizon = dup_cell(x, C_HORIZON, NULL, &oom);
    w->country = dup_cell(x, C_COUNTRY, NULL, &oom);
    s = cellv(x, C_UNIT);
    if (s && strcasecmp(s, "qaly") == 0)
        s = "QALY";
    else if (s && (strcasecmp(s, "ly") == 0 || strcasecmp(s, "lyg") == 0))
        s = "LY";
    else if (s && strcasecmp(s, "daly") == 0)
        s = "DALY averted";
    w->effect_unit = dup_cell(x, C_UNIT, s ? s : "QALY", &oom);
    if (s && w->effect_unit && strcmp(w->effect_unit, s) != 0) {
        app_free(w->effect_unit);
        if (!(w->effect_unit = app_strdup(s)))
            oom = 1;
    }
    if (oom) {
        app_err_set(x->e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (!w->intervention)
        return fail(x, C_INTERV, "intervention is empty; name the intervention of this comparison");
    if (!w->comparator)
        return fail(x, C_COMPAR, "comparator is empty; name the comparator (e.g. usual care)");
    return 0;
}

static int currency_year(const rd *x, cost_row *w)
{
    const char *s = cellv(x, C_CUR);
    double y;
    char buf[8];
    size_t i;
    if (!s)
        return fail(x, C_CUR, "currency is empty; give the ISO 4217 code of the costs (e.g. GBP, EUR, USD)");
    for (i = 0; s[i] && s[i] != ' ' && i < 7; i++)
        buf[i] = (char)toupper((unsigned char)s[i]);
    buf[i] = 0;
    if (s[i] && s[i] != ' ')
        buf[0] = 0;
    if (!cost_currency_known(buf))
        return fail(x, C_CUR, "currency: \"%s\" is not an ISO 4217 currency code; write the three-letter code (GBP, EUR, USD, ...)", s);
    if (!(w->currency = app_strdup(buf))) {
        app_err_set(x->e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    if (num(x, C_YEAR, &y) != 0)
        return -1;
    if (isnan(y))
        return fail(x, C_YEAR, "price_year is empty; give the year the costs are valued in (e.g. 2019)");
    if (y != floor(y) || y < 1900 || y > 2100)
        return fail(x, C_YEAR, "price_year: %s is not a year; write a whole year between 1900 and 2100", cellv(x, C_YEAR));
    w->price_year = (int)y;
    return 0;
}

static int perspective(const rd *x, cost_row *w)
{
    const char *s = cellv(x, C_PERSP);
    if (!s)
        return 0;
    for (size_t i = 0; perspectives[i]; i++)
        if (strcasecmp(s, perspectives[i]) == 0 || (i == 0 && strcasecmp(s, "health care") == 0) ||
            (i == 0 && strcasecmp(s, "health system") == 0)) {
            if (!(w->perspective = app_strdup(perspectives[i]))) {
                app_err_set(x->e, APP_EXIT_INTERNAL, "out of memory");
                return -1;
            }
            return 0;
        }
    return fail(x, C_PERSP, "perspective: \"%s\" is not a perspective metasyn knows; write healthcare, payer, societal, provider, patient, government or other", s);
}

static int icer_check(const rd *x, cost_row *w)
{
    if (num(x, C_ICER, &w->icer_reported) != 0)
        return -1;
    w->icer_check = -2;
    if (isnan(w->icer_reported))
        return 0;
    if (isnan(w->d_effect)) {
        w->icer_check = -1;
        return 0;
    }
    w->icer_check = cost_icer_agrees(w->icer_reported, half(x, C_ICER), w->d_cost,
                                     isnan(w->cost1) ? half(x, C_DCOST) : half(x, C_COST1) + half(x, C_COST2),
                                     w->d_effect,
                                     isnan(w->effect1) ? half(x, C_DEFF) : half(x, C_EFF1) + half(x, C_EFF2));
    return 0;
}

static int load_row(const rd *x, cost_row *w)
{
    w->line = x->t->line[x->r];
    w->icer_t = w->nmb = w->factor = w->index_from = w->index_to = w->rate = NAN;
    w->d_cost_t = w->cost1_t = w->cost2_t = NAN;
    if (text_fields(x, w) != 0 || currency_year(x, w) != 0 || perspective(x, w) != 0)
        return -1;
    if (num(x, C_DCOST, &w->d_cost) != 0 || num(x, C_DEFF, &w->d_effect) != 0 ||
        num(x, C_COST1, &w->cost1) != 0 || num(x, C_COST2, &w->cost2) != 0 ||
        num(x, C_EFF1, &w->effect1) != 0 || num(x, C_EFF2, &w->effect2) != 0)
        return -1;
    if (x->col[C_COST1] >= 0 && x->col[C_COST2] < 0)
        return fail(x, C_COST1, "the file has cost1 but no cost2 column; give both arms' costs or neither");
    if (check_arms(x, C_COST1, C_COST2, C_DCOST, w->cost1, w->cost2, &w->d_cost) != 0 ||
        check_arms(x, C_EFF1, C_EFF2, C_DEFF, w->effect1, w->effect2, &w->d_effect) != 0)
        return -1;
    if (isnan(w->d_cost))
        return fail(x, x->col[C_DCOST] >= 0 ? C_DCOST : C_COST1, "delta_cost is empty; give the incremental cost (intervention minus comparator) or both arms' costs (cost1, cost2)");
    return icer_check(x, w);
}

static int find_columns(const app_table *t, int col[C_N], app_err *e)
{
    for (int c = 0; c < C_N; c++)
        col[c] = app_table_col(t, colname[c]);
    for (int c = 0; c < C_N; c++) {
        if (col[c] >= 0 || app_table_col_nocase(t, colname[c]) < 0)
            continue;
        app_err_set(e, APP_EXIT_DATA, "%s:1:%d: column \"%s\": write it as %s (lower case)", t->file,
                    app_table_col_nocase(t, colname[c]) + 1, t->header[app_table_col_nocase(t, colname[c])], colname[c]);
        return -1;
    }
    if (col[C_DCOST] < 0 && col[C_COST1] < 0) {
        app_err_set(e, APP_EXIT_DATA, "%s:1:1: no delta_cost column; expected delta_cost (intervention minus comparator) or the arms' costs cost1 and cost2", t->file);
        return -1;
    }
    if ((col[C_COST1] < 0) != (col[C_COST2] < 0) || (col[C_EFF1] < 0) != (col[C_EFF2] < 0)) {
        const char *miss = col[C_COST1] >= 0 && col[C_COST2] < 0 ? "cost2" : col[C_COST2] >= 0 && col[C_COST1] < 0 ? "cost1"
                           : col[C_EFF1] >= 0 && col[C_EFF2] < 0 ? "effect2" : "effect1";
        app_err_set(e, APP_EXIT_DATA, "%s:1:1: no %s column; per-arm values come in pairs (cost1 and cost2, effect1 and effect2)", t->file, miss);
        return -1;
    }
    for (int c = C_STUDY; c <= C_YEAR; c++) {
        if (c == C_DCOST || c == C_DEFF || c == C_UNIT || c == C_ICER || col[c] >= 0)
            continue;
        app_err_set(e, APP_EXIT_DATA, "%s:1:1: no %s column; expected the columns study, intervention, comparator, delta_cost, delta_effect, currency, price_year (docs/cli/cost.md)", t->file, colname[c]);
        return -1;
    }
    return 0;
}

int cost_load(const app_table *t, cost_set *s, app_err *e)
{
    rd x;
    memset(s, 0, sizeof *s);
    s->file = t->file;
    s->wtp = NAN;
    x.t = t;
    x.e = e;
    if (find_columns(t, x.col, e) != 0)
        return -1;
    if (t->nrow == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s: no rows; expected one row per study and comparison", t->file);
        return -1;
    }
    if (!(s->row = app_calloc(t->nrow, sizeof *s->row))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    for (x.r = 0; x.r < t->nrow; x.r++) {
        s->n++;
        if (load_row(&x, &s->row[x.r]) != 0) {
            /* on error s is empty: the rows read so far are freed here
             * (they leaked when the caller did not free s after an
             * error; found by fuzz_tables) */
            cost_free(s);
            return -1;
        }
    }
    return 0;
}

static void row_free(cost_row *w)
{
    app_free(w->study);
    app_free(w->intervention);
    app_free(w->comparator);
    app_free(w->currency);
    app_free(w->perspective);
    app_free(w->time_horizon);
    app_free(w->country);
    app_free(w->effect_unit);
}

void cost_free(cost_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        row_free(&s->row[i]);
    app_free(s->row);
    app_free(s->wtp_unit);
    app_strlist_free(&s->warnings);
    memset(s, 0, sizeof *s);
}
