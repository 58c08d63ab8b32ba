/*
 * buf.c - growable string buffers, shortest round-trip numbers, and
 * UTF-8-aware padding for tables.
 *
 * Reports are built in memory and written only when complete, so a failed
 * run never leaves half a file.  An append that cannot grow the buffer
 * marks it (oom) and later appends do nothing; the writer checks once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "app.h"

void sb_init(sbuf *b) { memset(b, 0, sizeof *b); }

void sb_free(sbuf *b)
{
    app_free(b->p);
    if (b->spill)
        fclose(b->spill);
    sb_init(b);
}

void sb_allow_spill(sbuf *b) { b->may_spill = 1; }

/* Bytes a spilling buffer holds before it moves them to its file. */
static size_t spill_at(void)
{
    static size_t at;
    if (!at) {
        const char *s = getenv("METASYN_SPILL_AT");
        long v = s ? strtol(s, NULL, 10) : 0;
        at = v > 0 ? (size_t)v : (size_t)4 << 20;
    }
    return at;
}

/* Move what b holds to its spill file (made on first use). */
static int spill(sbuf *b)
{
    if (!b->spill && !(b->spill = tmpfile())) {
        b->spill_errno = errno ? errno : EIO;
        b->oom = 1;
        return 0;
    }
    if (fwrite(b->p, 1, b->len, b->spill) != b->len) {
        b->spill_errno = errno ? errno : EIO;
        b->oom = 1;
        return 0;
    }
    b->len = 0;
    b->p[0] = '\0';
    return 1;
}

static int grow(sbuf *b, size_t extra)
{
    size_t need, cap;
    char *p;
    if (b->oom)
        return 0;
    if (b->may_spill && b->len > 0 && b->len + extra + 1 > spill_at() && !spill(b))
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

/* FNV-1a: warnings are short sentences. */
static size_t str_hash(const char *s)
{
    size_t h = (size_t)1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
    return h;
}

/* The slot of s in the set: where it is, or the empty slot for it. */
static size_t *find_slot(const app_strlist *l, const char *s)
{
    size_t m = l->nslot - 1, j = str_hash(s) & m;
    while (l->slot[j] && strcmp(l->s[l->slot[j] - 1], s) != 0)
        j = (j + 1) & m;
    return &l->slot[j];
}

/* Keep the set at most half full (linear probing stays short). */
static int grow_set(app_strlist *l)
{
    size_t n = l->nslot ? 2 * l->nslot : 64, *old = l->slot, nold = l->nslot;
    if (!(l->slot = app_calloc(n, sizeof *l->slot))) {
        l->slot = old;
        return -1;
    }
    l->nslot = n;
    for (size_t j = 0; j < nold; j++)
        if (old[j])
            *find_slot(l, l->s[old[j] - 1]) = old[j];
    app_free(old);
    return 0;
}

void app_strlist_addf(app_strlist *l, const char *fmt, ...)
{
    char buf[1024], **ns;
    size_t *slot;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (2 * (l->n + 1) > l->nslot && grow_set(l) != 0) {
        l->oom = 1;
        return;
    }
    if (*(slot = find_slot(l, buf)))
        return; /* said already */
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        if (!(ns = app_realloc(l->s, cap * sizeof *ns))) {
            l->oom = 1;
            return;
        }
        l->s = ns;
        l->cap = cap;
    }
    if ((l->s[l->n] = app_strdup(buf))) {
        *slot = ++l->n;
    } else {
        l->oom = 1;
    }
}

void app_strlist_free(app_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        app_free(l->s[i]);
    app_free(l->s);
    app_free(l->slot);
    memset(l, 0, sizeof *l);
}
