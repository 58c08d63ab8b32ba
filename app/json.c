/*
 * json.c - the JSON building blocks of every report (json.h).
 */
#include <stdio.h>
#include <string.h>

#include "json.h"

json_t *jb_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *jb_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

void jb_put(jb *c, json_t *o, const char *key, json_t *v)
{
    if (!o || !v || json_object_set_new(o, key, v) != 0) {
        c->oom = 1;
        if (!o)
            json_decref(v);
    }
}

void jb_append(jb *c, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v) != 0) {
        c->oom = 1;
        if (!a)
            json_decref(v);
    }
}

static int to_sbuf(const char *buf, size_t n, void *data)
{
    sbuf *b = data;
    sb_add(b, buf, n);
    return b->oom ? -1 : 0;
}

static json_t *eager(jb *c, size_t n, jb_elem_fn fn, const void *ctx)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n && a; i++)
        jb_append(c, a, fn(c, ctx, i));
    return a;
}

void jb_put_lazy(jb *c, json_t *o, const char *key, size_t n, jb_elem_fn fn, const void *ctx)
{
    char mark[32];
    if (c->nlazy >= JB_MAX_LAZY || !o) {
        jb_put(c, o, key, eager(c, n, fn, ctx));
        return;
    }
    c->lazy[c->nlazy].n = n;
    c->lazy[c->nlazy].fn = fn;
    c->lazy[c->nlazy].ctx = ctx;
    c->lazy[c->nlazy].parent = o;
    c->lazy[c->nlazy].key = key;
    snprintf(mark, sizeof mark, "\001jb-lazy-%zu\001", c->nlazy++);
    jb_put(c, o, key, json_string(mark));
}

static const int dump_flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17);

/* Where the placeholder of lazy array j is in the document d of n bytes,
 * or NULL unless it occurs exactly once (a string in the data with the
 * same control characters). */
static const char *find_mark(const char *d, size_t n, size_t j, size_t *len)
{
    char mark[40];
    const char *at = NULL, *p = d, *end = d + n;
    int m = snprintf(mark, sizeof mark, "\"\\u0001jb-lazy-%zu\\u0001\"", j);
    *len = (size_t)m;
    while ((p = memchr(p, '"', (size_t)(end - p))) != NULL) {
        if ((size_t)(end - p) >= *len && memcmp(p, mark, *len) == 0) {
            if (at)
                return NULL;
            at = p;
        }
        p++;
    }
    return at;
}

/* Lazy array j into out, as jansson prints an array whose member line is
 * indented by ind spaces: "[", each element on its own lines indented by
 * ind + 2 more, "]" at ind; "[]" when empty. */
static int write_lazy(jb *c, size_t j, size_t ind, sbuf *out)
{
    sbuf e;
    int rc = 0;
    if (c->lazy[j].n == 0) {
        sb_puts(out, "[]");
        return out->oom ? -1 : 0;
    }
    sb_init(&e);
    sb_puts(out, "[");
    for (size_t i = 0; i < c->lazy[j].n && rc == 0; i++) {
        json_t *v = c->lazy[j].fn(c, c->lazy[j].ctx, i);
        e.len = 0;
        if (!v || c->oom || json_dump_callback(v, to_sbuf, &e, dump_flags | JSON_ENCODE_ANY) != 0 || e.oom) {
            rc = -1;
        } else {
            const char *s = e.p, *end = e.p + e.len, *nl;
            sb_puts(out, i ? ",\n" : "\n");
            sb_printf(out, "%*s", (int)ind + 2, "");
            while ((nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
                sb_add(out, s, (size_t)(nl - s) + 1);
                sb_printf(out, "%*s", (int)ind + 2, "");
                s = nl + 1;
            }
            sb_add(out, s, (size_t)(end - s));
        }
        json_decref(v);
    }
    sb_free(&e);
    sb_printf(out, "\n%*s]", (int)ind, "");
    return rc == 0 && !out->oom ? 0 : -1;
}

/* The document d (n bytes) into out with each placeholder replaced by its
 * array; 1 when a placeholder is not found exactly once (nothing
 * written). */
static int splice(jb *c, const char *d, size_t n, sbuf *out)
{
    const char *at[JB_MAX_LAZY];
    size_t len[JB_MAX_LAZY], order[JB_MAX_LAZY], done = 0;
    for (size_t j = 0; j < c->nlazy; j++) {
        if (!(at[j] = find_mark(d, n, j, &len[j])))
            return 1;
        order[j] = j;
    }
    for (size_t a = 1; a < c->nlazy; a++) /* in document order */
        for (size_t b = a; b > 0 && at[order[b]] < at[order[b - 1]]; b--) {
            size_t t = order[b];
            order[b] = order[b - 1], order[b - 1] = t;
        }
    for (size_t q = 0; q < c->nlazy; q++) {
        size_t j = order[q], ind = 0;
        const char *ls = at[j];
        while (ls > d && ls[-1] != '\n')
            ls--;
        while (ls[ind] == ' ')
            ind++;
        sb_add(out, d + done, (size_t)(at[j] - d) - done);
        if (write_lazy(c, j, ind, out) != 0)
            return -1;
        done = (size_t)(at[j] - d) + len[j];
    }
    sb_add(out, d + done, n - done);
    return out->oom ? -1 : 0;
}

/* Through a callback into our buffer: jansson 2.14's json_dumps() returns
 * a silently corrupted document when an allocation fails inside its own
 * string buffer (found by tests/cli/cases/out-of-memory). */
int jb_dump(jb *c, json_t *root, sbuf *out)
{
    int rc = -1;
    if (c->nlazy > 0) {
        sbuf d;
        sb_init(&d);
        if (root && !c->oom && json_dump_callback(root, to_sbuf, &d, dump_flags) == 0 && !d.oom)
            rc = splice(c, d.p, d.len, out);
        sb_free(&d);
        if (rc == 1) { /* a placeholder's text is in the data: build them */
            for (size_t j = 0; j < c->nlazy; j++)
                jb_put(c, c->lazy[j].parent, c->lazy[j].key,
                       eager(c, c->lazy[j].n, c->lazy[j].fn, c->lazy[j].ctx));
            c->nlazy = 0;
        }
    }
    if (c->nlazy == 0 && root && !c->oom && json_dump_callback(root, to_sbuf, out, dump_flags) == 0)
        rc = 0;
    json_decref(root);
    sb_puts(out, "\n");
    return rc == 0 && !out->oom ? 0 : -1;
}
