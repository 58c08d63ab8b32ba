/*
 * verify_lang.h - the phrase table of `metasyn verify`'s text scanner:
 * per language, the words that label a CI, a p-value, I², Q, a stated
 * total and its parts, and the names of effect measures (verify_lang.c).
 */
#ifndef MSYN_VERIFY_LANG_H
#define MSYN_VERIFY_LANG_H

#include <stddef.h>

/* A name of an effect measure and the measure it means ("odds ratio",
 * "OR"); the measure sets the scale (log for ratios). */
typedef struct vf_effect_name {
    const char *phrase;
    const char *measure;
} vf_effect_name;

/* NULL-terminated phrase lists; a NULL list is empty. */
typedef struct vf_lang {
    const char *code;                  /* "en", "nl"; "any": notation    */
    const char *const *ci;             /* after "95%": "ci", "bi"        */
    const char *const *from;           /* before the lower bound: "van"  */
    const char *const *range;          /* between the bounds: "to", "-"  */
    const char *const *p;              /* "p", "p-waarde"                */
    const char *const *i2;             /* "i2"                           */
    const char *const *q;              /* "chi2", "q"                    */
    const char *const *df;             /* "df"                           */
    const char *const *tau2;           /* "tau2"                         */
    const char *const *z;              /* "z"                            */
    const char *const *total;          /* "patients", "patiënten"        */
    const char *const *lead;           /* before the parts: "of whom"    */
    const char *const *join;           /* between parts: "and", "en"     */
    const char *const *n;              /* "n" in "n = 120 (60 vs 60)"    */
    const char *const *units;          /* between estimate and CI        */
    const vf_effect_name *effects;
} vf_lang;

const vf_lang *vf_langs(size_t *n);

#endif /* MSYN_VERIFY_LANG_H */
