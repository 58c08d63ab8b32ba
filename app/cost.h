/*
 * cost.h - cost-effectiveness results of the studies of a review
 * (`metasyn cost`): read and check them, convert costs to one currency
 * and price year with factors the user gives, place each comparison on
 * the cost-effectiveness plane, and report them side by side.
 *
 * Nothing here pools: incremental cost-effectiveness ratios of different
 * studies are tabulated, never combined (docs/cli/cost.md says why).
 * Conversion follows the two-stage method of the CCEMG-EPPI-Centre cost
 * converter (Shemilt, Thomas and Morciano 2010): inflate in the original
 * currency from the price year to the target year with that currency's
 * price index, then convert with a rate for the target year.
 */
#ifndef MSYN_COST_H
#define MSYN_COST_H

#include "app.h"

/* Where a comparison lies on the cost-effectiveness plane (x incremental
 * effect, y incremental cost, intervention minus comparator). */
typedef enum cost_quadrant {
    COST_Q_NO_EFFECT = 0,  /* delta_effect missing: costs only            */
    COST_Q_DOMINANT,       /* more effective, not more costly             */
    COST_Q_DOMINATED,      /* less effective, not less costly             */
    COST_Q_NE,             /* more effective, more costly: ICER           */
    COST_Q_SW,             /* less effective, less costly: ICER = saving
                              per unit of effect lost                      */
    COST_Q_EQUAL_CHEAPER,  /* same effect, less costly                    */
    COST_Q_EQUAL_DEARER,   /* same effect, more costly                    */
    COST_Q_EQUAL_SAME      /* no difference in either                     */
} cost_quadrant;

/* The quadrant of (d_effect, d_cost); NaN effect: COST_Q_NO_EFFECT. */
cost_quadrant cost_classify(double d_effect, double d_cost);
/* Short key for JSON/CSV ("dominant", "NE", ...) and words for people. */
const char *cost_quadrant_key(cost_quadrant q);
const char *cost_quadrant_words(cost_quadrant q);
/* Whether an ICER is meaningful in q (NE and SW only). */
int cost_quadrant_has_icer(cost_quadrant q);

/* Half a unit of the last digit of a number as written ("0.25" -> 0.005,
 * "8350" -> 0.5); with round_zeros, trailing zeros of an integer may be
 * rounding ("20000" -> 5000: 2 x 10^4 to one significant digit).  0 for
 * NULL. */
double cost_half_unit(const char *s, int round_zeros);

/* Whether a reported ICER agrees with d_cost / d_effect given the
 * rounding of all three as written (half units hc, he, hi): the reported
 * value lies within the ratio's range over the rounding box, widened by
 * hi.  1 agrees, 0 disagrees, -1 cannot be checked (the effect's box
 * contains 0). */
int cost_icer_agrees(double icer, double hi, double d_cost, double hc, double d_effect, double he);

/* Whether a code is an ISO 4217 currency code (three capitals, listed). */
int cost_currency_known(const char *code);

/* One row of the input: one comparison of one study. */
typedef struct cost_row {
    long line;
    char *study, *intervention, *comparator;
    char *currency, *perspective, *time_horizon, *country, *effect_unit;
    int price_year;
    double cost1, cost2, effect1, effect2;   /* NaN when not given          */
    double d_cost, d_effect;                 /* given or computed           */
    double icer_reported;                    /* NaN when not given          */
    int icer_check;                          /* 1 agrees, 0 not, -1 cannot,
                                                -2 not reported             */
    /* after conversion */
    double factor;                           /* target units per original  */
    double index_from, index_to, rate;       /* factors used (NaN: none)    */
    double d_cost_t, cost1_t, cost2_t;       /* in the target currency     */
    cost_quadrant q;
    double icer_t;                           /* NaN when not meaningful     */
    double nmb;                              /* NaN without --wtp           */
    int wtp_applies;
} cost_row;

typedef struct cost_set {
    const char *file;
    cost_row *row;
    size_t n;
    int converted;          /* a target currency and year is set          */
    char target_cur[4];
    int target_year;
    int implicit_target;    /* every row already in one currency and year */
    double wtp;             /* NaN without --wtp                          */
    char *wtp_unit;         /* effect unit --wtp applies to               */
    app_strlist warnings;
} cost_set;

/* Read the rows of t (strict: every problem is "FILE:LINE:COL: ...";
 * s is then empty). */
int cost_load(const app_table *t, cost_set *s, app_err *e);
void cost_free(cost_set *s);

/* A price index per currency and year, and exchange rates to the target. */
typedef struct cost_factors {
    const char *infl_file, *exch_file;
    size_t ninfl, nexch;
    char (*infl_cur)[4];
    int *infl_year;
    double *infl_index;
    long *infl_line;
    char (*exch_cur)[4];
    double *exch_rate;
} cost_factors;

/* Read --inflation (currency, year, index) or --exchange (currency,
 * rate) tables; NULL t leaves that part empty.  On error f is empty. */
int cost_factors_load(const app_table *infl, const app_table *exch, cost_factors *f, app_err *e);
void cost_factors_free(cost_factors *f);

/* Convert every row to cur:year (cur NULL: no --to; then rows all in one
 * currency and year are reported in it), classify, and with a finite wtp
 * compute the net monetary benefit of the rows whose effect unit is
 * wtp_unit.  Missing factors are data errors naming what is needed. */
int cost_convert(cost_set *s, const char *cur, int year, const cost_factors *f, app_err *e);
int cost_apply_wtp(cost_set *s, double wtp, const char *wtp_unit, app_err *e);

/* Reports (cost_report.c). */
int cost_report_text(const cost_set *s, sbuf *out);
int cost_report_json(const cost_set *s, sbuf *out);
int cost_report_csv(const cost_set *s, sbuf *out);
int cost_report_md(const cost_set *s, sbuf *out);

/* The cost-effectiveness plane (plot_ce.c); width in points (0: 6.5 in),
 * font family NULL: default. */
struct plot;
int plot_ce(const cost_set *s, struct plot *p, double width, const char *family, app_err *e);

#endif /* MSYN_COST_H */
