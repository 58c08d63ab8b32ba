/*
 * buf.c - growable string buffers, shortest round-trip numbers, and
 * UTF-8-aware padding for tables.
 *
 * Reports are built in memory and written only when complete, so a failed
 * run never leaves half a file.  An append that cannot grow the buffer
 * marks it (oom) and later appends do nothing; the writer checks once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "app.h"

void sb_init(sbuf *b) { memset(b, 0, sizeof *b); }

void sb_free(sbuf *b)
{
    app_free(b->p);
    sb_init(b);
}

static int grow(sbuf *b, size_t extra)
{
    size_t need, cap;
    char *p;
    if (b->oom)
        return 0;
    if (extra > (size_t)-1 / 2 - b->len) {
        b->oom = 1;
        return 0;
    }
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 1;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    if (!(p = app_realloc(b->p, cap))) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void sb_add(sbuf *b, const char *s, size_t n)
{
    if (!grow(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void sb_puts(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

void sb_vprintf(sbuf *b, const char *fmt, va_list ap)
{
    va_list aq;
    int n;
    va_copy(aq, ap);
    n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0 || !grow(b, (size_t)n))
        return;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

void sb_num(sbuf *b, double x)
{
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, x);
        if (strtod(tmp, NULL) == x)
            break;
    }
    sb_puts(b, tmp);
}

size_t app_utf8_width(const char *s)
{
    /* utf8proc knows wide (East Asian) and zero-width (combining) code
     * points; invalid bytes count one column each. */
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t w = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            w++;
            p++;
            continue;
        }
        w += (size_t)utf8proc_charwidth(cp);
        p += n;
    }
    return w;
}

void sb_pad(sbuf *b, const char *s, size_t width, int right_align)
{
    size_t w = app_utf8_width(s);
    if (right_align)
        for (; w < width; w++)
            sb_add(b, " ", 1);
    sb_puts(b, s);
    if (!right_align)
        for (; w < width; w++)
            sb_add(b, " ", 1);
}

void app_err_set(app_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    if (!e)
        return;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

void app_strlist_addf(app_strlist *l, const char *fmt, ...)
{
    char buf[512], **ns;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->s[i], buf) == 0)
            return;
    if (!(ns = app_realloc(l->s, (l->n + 1) * sizeof *ns))) {
        l->oom = 1;
        return;
    }
    l->s = ns;
    if ((l->s[l->n] = app_strdup(buf)))
        l->n++;
    else
        l->oom = 1;
}

void app_strlist_free(app_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        app_free(l->s[i]);
    app_free(l->s);
    memset(l, 0, sizeof *l);
}
