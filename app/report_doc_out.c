/*
 * report_doc_out.c - the writer behind the report document: escaping,
 * typography and the few block elements the report uses, for HTML,
 * Markdown and plain text.  report_doc_int.h.
 */
#include <stdio.h>
#include <string.h>

#include "report_doc_int.h"

static const char minus[] = "\xe2\x88\x92";   /* U+2212 */
static const char endash[] = "\xe2\x80\x93";  /* U+2013 */

static void esc_html(sbuf *o, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': sb_puts(o, "&amp;"); break;
        case '<': sb_puts(o, "&lt;"); break;
        case '>': sb_puts(o, "&gt;"); break;
        case '"': sb_puts(o, "&quot;"); break;
        default:
            /* control characters (a line break in a CSV cell) read as a space */
            if (c < 0x20 || c == 0x7f)
                sb_puts(o, " ");
            else
                sb_add(o, s, 1);
        }
    }
}

static void esc_md(sbuf *o, const char *s)
{
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f)
            sb_puts(o, " ");
        else if (strchr("\\`*_|$~", c) || (c == ']' && p[1] && strchr("([:", p[1])))
            sb_printf(o, "\\%c", c);
        else if (c == '<' && (p[1] == '/' || p[1] == '!' || p[1] == '?' || ((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z')))
            sb_puts(o, "\\<"); /* would start an HTML tag or autolink */
        else if (c == '>' && p == s)
            sb_puts(o, "\\>"); /* a block quote */
        else if (c == '&' && (p[1] == '#' || (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z')))
            sb_puts(o, "\\&"); /* would start an entity */
        else if ((c == '#' || c == '+' || c == '-' || c == '=') && p == s)
            sb_printf(o, "\\%c", c); /* a heading or list at the start of a line */
        else
            sb_add(o, p, 1);
    }
}

void doc_esc(doc *d, const char *s)
{
    if (!s)
        return;
    if (d->m == APP_MARKUP_HTML)
        esc_html(d->o, s);
    else if (d->m == APP_MARKUP_MD)
        esc_md(d->o, s);
    else
        for (; *s; s++)
            sb_add(d->o, ((unsigned char)*s < 0x20) ? " " : s, 1);
}

void doc_prose(doc *d, const char *fmt, ...)
{
    sbuf b;
    va_list ap;
    sb_init(&b);
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    if (b.oom) {
        d->o->oom = 1;
    } else if (b.p) {
        if (d->m == APP_MARKUP_TEXT) {
            /* plain text: ASCII hyphens for en dashes */
            char *p = b.p, *q;
            while ((q = strstr(p, endash))) {
                sb_add(d->o, p, (size_t)(q - p));
                sb_puts(d->o, "-");
                p = q + strlen(endash);
            }
            sb_puts(d->o, p);
        } else {
            doc_esc(d, b.p);
        }
    }
    sb_free(&b);
}

void doc_raw(doc *d, const char *html, const char *md, const char *text)
{
    const char *s = d->m == APP_MARKUP_HTML ? html : d->m == APP_MARKUP_MD ? md : text;
    if (s)
        sb_puts(d->o, s);
}

const char *doc_fx(const doc *d, double x, int dec, char *buf, size_t n)
{
    app_fx(x, dec, buf, n);
    if (d->m != APP_MARKUP_TEXT && buf[0] == '-' && strlen(buf) + sizeof minus <= n) {
        memmove(buf + sizeof minus - 1, buf + 1, strlen(buf));
        memcpy(buf, minus, sizeof minus - 1);
    }
    return buf;
}

const char *doc_pq(const doc *d, double p, char *buf, size_t n)
{
    (void)d;
    return app_pq(p, buf, n);
}

const char *doc_pcol(const doc *d, double p, char *buf, size_t n)
{
    char q[48];
    (void)d;
    app_pq(p, q, sizeof q);
    /* "p = 0.0123" -> "0.0123", "p < 0.0001" -> "< 0.0001" */
    snprintf(buf, n, "%s", strncmp(q, "p = ", 4) == 0 ? q + 4 : strncmp(q, "p ", 2) == 0 ? q + 2 : q);
    return buf;
}

const char *doc_raw_num(const doc *d, double x, char *buf, size_t n)
{
    if (isnan(x)) {
        snprintf(buf, n, "%s", "");
        return buf;
    }
    snprintf(buf, n, "%.10g", x);
    if (d->m != APP_MARKUP_TEXT && buf[0] == '-' && strlen(buf) + sizeof minus <= n) {
        memmove(buf + sizeof minus - 1, buf + 1, strlen(buf));
        memcpy(buf, minus, sizeof minus - 1);
    }
    return buf;
}

const char *doc_count(double x, char *buf, size_t n)
{
    char digits[48];
    size_t len, j = 0;
    snprintf(digits, sizeof digits, "%.0f", x);
    len = strlen(digits);
    for (size_t i = 0; i < len && j + 2 < n; i++) {
        buf[j++] = digits[i];
        if (digits[0] != '-' && i + 1 < len && (len - i - 1) % 3 == 0)
            buf[j++] = ',';
    }
    buf[j] = '\0';
    return buf;
}

void doc_h(doc *d, int level, const char *title, const char *id)
{
    if (d->m == APP_MARKUP_HTML) {
        sb_printf(d->o, "<h%d", level);
        if (id)
            sb_printf(d->o, " id=\"%s\"", id);
        sb_puts(d->o, ">");
        doc_esc(d, title);
        sb_printf(d->o, "</h%d>\n", level);
    } else if (d->m == APP_MARKUP_MD) {
        for (int i = 0; i < level; i++)
            sb_puts(d->o, "#");
        sb_puts(d->o, " ");
        doc_esc(d, title);
        sb_puts(d->o, "\n\n");
    } else {
        doc_esc(d, title);
        sb_puts(d->o, "\n\n");
    }
}

void doc_p_open(doc *d, const char *cls)
{
    if (d->m == APP_MARKUP_HTML) {
        if (cls)
            sb_printf(d->o, "<p class=\"%s\">", cls);
        else
            sb_puts(d->o, "<p>");
    }
}

void doc_p_close(doc *d)
{
    doc_raw(d, "</p>\n", "\n\n", "\n\n");
}

void doc_list_open(doc *d)
{
    doc_raw(d, "<ul>\n", NULL, NULL);
}

void doc_li(doc *d, const char *s)
{
    doc_raw(d, "<li>", "- ", "  - ");
    doc_esc(d, s);
    doc_raw(d, "</li>\n", "\n", "\n");
}

void doc_list_close(doc *d)
{
    doc_raw(d, "</ul>\n", "\n", "\n");
}

void doc_table_open(doc *d, size_t ncol, const char *align, const char *const *head)
{
    d->ncol = ncol < DOC_MAXCOL ? ncol : DOC_MAXCOL;
    for (size_t j = 0; j < d->ncol; j++)
        d->align[j] = align[j] == 'r' ? 'r' : 'l';
    if (d->m == APP_MARKUP_HTML) {
        sb_puts(d->o, "<table>\n<thead><tr>");
        for (size_t j = 0; j < d->ncol; j++) {
            sb_puts(d->o, d->align[j] == 'r' ? "<th class=\"n\">" : "<th>");
            doc_esc(d, head[j]);
            sb_puts(d->o, "</th>");
        }
        sb_puts(d->o, "</tr></thead>\n<tbody>\n");
        return;
    }
    doc_tr(d, head);
    if (d->m == APP_MARKUP_MD) {
        sb_puts(d->o, "|");
        for (size_t j = 0; j < d->ncol; j++)
            sb_puts(d->o, d->align[j] == 'r' ? " ---: |" : " --- |");
        sb_puts(d->o, "\n");
    }
}

void doc_tr(doc *d, const char *const *cell)
{
    if (d->m == APP_MARKUP_HTML) {
        sb_puts(d->o, "<tr>");
        for (size_t j = 0; j < d->ncol; j++) {
            sb_puts(d->o, d->align[j] == 'r' ? "<td class=\"n\">" : "<td>");
            doc_esc(d, cell[j]);
            sb_puts(d->o, "</td>");
        }
        sb_puts(d->o, "</tr>\n");
    } else if (d->m == APP_MARKUP_MD) {
        sb_puts(d->o, "|");
        for (size_t j = 0; j < d->ncol; j++) {
            sb_puts(d->o, " ");
            doc_esc(d, cell[j]);
            sb_puts(d->o, " |");
        }
        sb_puts(d->o, "\n");
    } else {
        for (size_t j = 0; j < d->ncol; j++) {
            sb_puts(d->o, j ? "  " : "  ");
            doc_esc(d, cell[j]);
        }
        sb_puts(d->o, "\n");
    }
}

void doc_table_close(doc *d)
{
    doc_raw(d, "</tbody>\n</table>\n", "\n", "\n");
    d->ncol = 0;
}

void doc_kv(doc *d, const char *name, const char *value)
{
    const char *cell[2] = {name, value};
    doc_tr(d, cell);
}
