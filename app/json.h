/*
 * json.h - building JSON reports with jansson without ever writing a
 * silently incomplete one.
 *
 * Every report (pool, es, check, verify, import-rm5) builds a tree through
 * jb_put/jb_append, which remember any allocation failure inside jansson,
 * and writes it with jb_dump, which then fails instead of printing a
 * document with a member missing.
 */
#ifndef MSYN_JSON_H
#define MSYN_JSON_H

#include <jansson.h>

#include "app.h"

typedef struct jb jb;

/* Element i of a lazy array (see jb_put_lazy), a new reference or NULL
 * when out of memory. */
typedef json_t *(*jb_elem_fn)(jb *c, const void *ctx, size_t i);

#define JB_MAX_LAZY 8

struct jb {
    int oom;  /* an allocation failed somewhere in the tree */
    size_t nlazy;
    struct {
        size_t n;
        jb_elem_fn fn;
        const void *ctx;
        json_t *parent;  /* borrowed: the object holding the placeholder */
        const char *key;
    } lazy[JB_MAX_LAZY];
};

/* A number, or null for NaN and infinities. */
json_t *jb_num(double x);
/* A string, or null for NULL. */
json_t *jb_str(const char *s);
/* o[key] = v (v is consumed, also on failure). */
void jb_put(jb *c, json_t *o, const char *key, json_t *v);
/* Append v to the array a (v is consumed). */
void jb_append(jb *c, json_t *a, json_t *v);
/* o[key] = an array of n elements that are made one at a time by
 * fn(c, ctx, i) while jb_dump writes the document, each freed once
 * written: a report of a million studies never holds a million objects.
 * The tree holds a placeholder string that jb_dump replaces by the array,
 * printed exactly as jansson prints it; should the placeholder's text
 * occur in the data too, jb_dump builds the arrays first instead (the same
 * output).  o, key and ctx must live until jb_dump; beyond JB_MAX_LAZY per
 * document the array is built at once. */
void jb_put_lazy(jb *c, json_t *o, const char *key, size_t n, jb_elem_fn fn, const void *ctx);
/* Write root (consumed), indented, 17 significant digits, and a newline
 * to out.  Returns 0, or -1 when anything failed (out of memory). */
int jb_dump(jb *c, json_t *root, sbuf *out);

#endif /* MSYN_JSON_H */
