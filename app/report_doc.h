/*
 * report_doc.h - the document of --report (HTML or Markdown) and the
 * prose it shares with other reports: the results sentence, the methods
 * paragraph and its reference list.
 *
 * Each builder takes a markup: plain text (for the text report), Markdown
 * or HTML.  The words and numbers are the same in all three; the markups
 * differ only in typography (U+2212 minus and en dashes in Markdown and
 * HTML, ASCII in plain text) and escaping.  Numbers are formatted with the
 * helpers of report.c (app_fx, app_pq) at the report's --digits, so they
 * read as in the text report and agree with the JSON.
 */
#ifndef MSYN_REPORT_DOC_H
#define MSYN_REPORT_DOC_H

#include <stdint.h>

#include "app.h"

typedef enum app_markup {
    APP_MARKUP_TEXT = 0,     /* plain UTF-8, ASCII minus and hyphens      */
    APP_MARKUP_MD = 1,       /* GitHub-flavoured Markdown                 */
    APP_MARKUP_HTML = 2      /* HTML (XHTML-compatible) fragment          */
} app_markup;

/* The results sentence of r ("A random-effects meta-analysis (REML,
 * Hartung-Knapp-Sidik-Jonkman CI) of 13 studies (357,347 participants)
 * found RR 0.4894 (95% CI 0.3301 to 0.7257; ...)"), for pool, reg and bias,
 * appended to o without a trailing newline.  Returns -1 when out of
 * memory. */
int app_doc_results(const app_result *r, app_markup m, sbuf *o);

/* The methods paragraph of r, with author-year citations; each reference
 * cited sets bit (1 << APP_REF_x) in *cited (which the caller zeroes). */
int app_doc_methods(const app_result *r, app_markup m, uint64_t *cited, sbuf *o);

/* The references of the bits set in cited, alphabetically: one paragraph
 * each in HTML (items of <ul class="refs">), "- ..." lines in Markdown and
 * plain text. */
int app_doc_references(uint64_t cited, app_markup m, sbuf *o);

/* The references the methods paragraph can cite. */
typedef enum app_ref {
    APP_REF_BEGG1994, APP_REF_BORENSTEIN2013, APP_REF_COCHRAN1954, APP_REF_DEEKS2010,
    APP_REF_DERSIMONIAN1986, APP_REF_DUVAL2000, APP_REF_EGGER1997, APP_REF_GREENLAND1985,
    APP_REF_HARTUNG2001, APP_REF_HEDGES1981, APP_REF_HEDGES1983, APP_REF_HIGGINS2002,
    APP_REF_HIGGINS2004, APP_REF_HIGGINS2009, APP_REF_HUNTER2004, APP_REF_INTHOUT2016,
    APP_REF_KNAPP2003, APP_REF_MANTEL1959, APP_REF_MILLER1978, APP_REF_MORRIS1983,
    APP_REF_OLKIN2012, APP_REF_ORWIN1983, APP_REF_PAULE1982, APP_REF_PETERS2006,
    APP_REF_RAUDENBUSH2009, APP_REF_ROBINS1986, APP_REF_ROSENBERG2005, APP_REF_ROSENTHAL1979,
    APP_REF_ROVER2015, APP_REF_SATO1989, APP_REF_SCHUNEMANN2024, APP_REF_SIDIK2002,
    APP_REF_SIDIK2005, APP_REF_VIECHTBAUER2005, APP_REF_VIECHTBAUER2007, APP_REF_VIECHTBAUER2010C,
    APP_REF_YUSUF1985, APP_REF_BAUJAT2002, APP_REF_COUNT
} app_ref;

/* The name of the effect on the scale people read ("RR", "SMD",
 * "proportion", "effect" for generic estimates) and of the analysis scale
 * ("log RR"); report_text.c.  (To move into app.h.) */
const char *app_effect_name(const app_result *r);
const char *app_analysis_name(const app_result *r, char *buf, size_t n);

#endif
