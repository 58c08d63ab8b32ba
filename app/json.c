/*
 * json.c - the JSON building blocks of every report (json.h).
 */
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

/* Through a callback into our buffer: jansson 2.14's json_dumps() returns
 * a silently corrupted document when an allocation fails inside its own
 * string buffer (found by tests/cli/cases/out-of-memory). */
int jb_dump(jb *c, json_t *root, sbuf *out)
{
    int rc = -1;
    if (root && !c->oom &&
        json_dump_callback(root, to_sbuf, out,
                           JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) == 0)
        rc = 0;
    json_decref(root);
    sb_puts(out, "\n");
    return rc == 0 && !out->oom ? 0 : -1;
}
