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

typedef struct jb {
    int oom;  /* an allocation failed somewhere in the tree */
} jb;

/* A number, or null for NaN and infinities. */
json_t *jb_num(double x);
/* A string, or null for NULL. */
json_t *jb_str(const char *s);
/* o[key] = v (v is consumed, also on failure). */
void jb_put(jb *c, json_t *o, const char *key, json_t *v);
/* Append v to the array a (v is consumed). */
void jb_append(jb *c, json_t *a, json_t *v);
/* Write root (consumed), indented, 17 significant digits, and a newline
 * to out.  Returns 0, or -1 when anything failed (out of memory). */
int jb_dump(jb *c, json_t *root, sbuf *out);

#endif /* MSYN_JSON_H */
