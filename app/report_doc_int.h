/*
 * report_doc_int.h - private to report_doc*.c: a small writer that emits
 * the same content as HTML, Markdown or plain text (headings, paragraphs,
 * tables, lists), so each section of the report is written once.
 */
#ifndef MSYN_REPORT_DOC_INT_H
#define MSYN_REPORT_DOC_INT_H

#include "report_doc.h"

#define DOC_MAXCOL 16

typedef struct doc {
    sbuf *o;
    app_markup m;
    uint64_t cited;          /* APP_REF_* bits of the methods paragraph    */
    size_t ncol;             /* columns of the open table                  */
    char align[DOC_MAXCOL];  /* 'l' or 'r' per column                      */
} doc;

/* User text (study names, column names), escaped for the markup. */
void doc_esc(doc *d, const char *s);
/* The package's own prose, printf-style; the result is escaped, and in
 * plain text en dashes become hyphens. */
void doc_prose(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Markup: html in HTML, md in Markdown, text in plain text (raw). */
void doc_raw(doc *d, const char *html, const char *md, const char *text);

/* x with dec decimals as app_fx, with U+2212 for the minus in Markdown and
 * HTML; buf needs 48 bytes. */
const char *doc_fx(const doc *d, double x, int dec, char *buf, size_t n);
/* app_pq (p = 0.0123, p < 0.0001). */
const char *doc_pq(const doc *d, double p, char *buf, size_t n);
/* The same without "p = ", for a column headed p ("0.0123", "< 0.0001"). */
const char *doc_pcol(const doc *d, double p, char *buf, size_t n);
/* A raw input value (count, mean, SD) in its shortest form ("" for NaN). */
const char *doc_raw_num(const doc *d, double x, char *buf, size_t n);
/* An integer with thousands separators ("357,347"). */
const char *doc_count(double x, char *buf, size_t n);

void doc_h(doc *d, int level, const char *title, const char *id);
/* Paragraph: open, then doc_prose/doc_esc, then close. */
void doc_p_open(doc *d, const char *cls);
void doc_p_close(doc *d);
void doc_li(doc *d, const char *s);      /* one list item of user text */
void doc_list_open(doc *d);
void doc_list_close(doc *d);

/* Table with ncol columns; align "lrr..." per column; head: ncol
 * strings (user or prose text, escaped). */
void doc_table_open(doc *d, size_t ncol, const char *align, const char *const *head);
void doc_tr(doc *d, const char *const *cell);
void doc_table_close(doc *d);
/* A table of settings: two columns, name and value. */
void doc_kv(doc *d, const char *name, const char *value);

/* Cite reference ref: "(Author Year)" style text without the
 * parentheses ("DerSimonian & Laird 1986"); marks it cited. */
const char *doc_cite(doc *d, app_ref ref);

/* The HTML page up to <main>: "TITLE: SUBJECT" as its title, the report's
 * style sheet plus more_css (may be NULL). */
void doc_html_head(doc *d, const char *title, const char *subject, const char *more_css);

/* Sections (report_doc_sect.c). */
void doc_settings(doc *d, const app_result *r);
void doc_warnings(doc *d, const app_result *r);
void doc_studies(doc *d, const app_result *r);
void doc_pooled(doc *d, const app_result *r);
void doc_subgroups(doc *d, const app_result *r);
void doc_sens(doc *d, const app_result *r);
void doc_bias(doc *d, const app_result *r);
void doc_reg(doc *d, const app_result *r);

/* The prose (report_doc_text.c) into a doc. */
void doc_results(doc *d, const app_result *r);
void doc_methods(doc *d, const app_result *r);
void doc_references(doc *d);

/* An SVG document made inline in HTML (report_doc.c): without the XML
 * declaration and namespace attribute, ids prefixed by pfx so that several
 * figures in a page do not share ids. */
void doc_svg_inline(sbuf *o, const char *svg, size_t len, const char *pfx);

#endif
