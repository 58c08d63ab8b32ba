/*
 * verify_tok.h - the tokenizer of `metasyn verify` (verify_tok.c): text
 * as numbers, words and signs, each with its place in the text.
 */
#ifndef MSYN_VERIFY_TOK_H
#define MSYN_VERIFY_TOK_H

#include <stddef.h>

#include "app.h"

enum { TK_NUM = 1, TK_WORD = 2, TK_SYM = 3, TK_PARA = 4 };

typedef struct tok {
    int kind;        /* TK_*; TK_PARA: a blank line                     */
    char sym;        /* TK_SYM: ( ) [ ] ; : , = < > % / . ^ + ' x ?,
                        '-' for every dash, 'L' for ≤, 'G' for ≥        */
    int neg;         /* TK_NUM: written with a minus sign               */
    int dec;         /* TK_NUM: decimals (less the exponent)            */
    int sep3;        /* TK_NUM: "1,234" / "1.234" (also a whole number) */
    double x;        /* TK_NUM: value with the separator as decimal     */
    double x3;       /* TK_NUM: value as a whole number when sep3       */
    size_t b, e;     /* bytes [b, e) of the text                         */
    long line;       /* 1-based line of b                               */
    char w[40];      /* TK_WORD: lower case, "²" as "2"                 */
} tok;

typedef struct toks {
    tok *t;
    size_t n, cap;
    int fixed;       /* t is the caller's array of cap tokens           */
    int oom;         /* a token could not be stored                     */
    const char *s;   /* the text                                        */
    size_t len;
} toks;

/* Append the tokens of s[0, len) (UTF-8) to tk.  Returns 0, or -1 when a
 * token could not be stored (out of memory, or a fixed array is full). */
int vf_tokenize(const char *s, size_t len, toks *tk);
void vf_toks_free(toks *tk);

/* Tokens matched by a phrase of the table at token i (0: no match).
 * Words compare folded to lower case, or exactly when the phrase has an
 * upper-case letter; other characters compare as symbols; digits as whole
 * numbers. */
size_t vf_phrase_at(const toks *tk, size_t i, const char *ph);
/* The longest match of any phrase of a NULL-terminated list (may be NULL). */
size_t vf_list_at(const toks *tk, size_t i, const char *const *list);

#endif /* MSYN_VERIFY_TOK_H */
