/*
 * verify.h - consistency checks of reported statistics (`metasyn verify`).
 *
 * A reported number stands for the interval its rounding covers: "0.004"
 * for [0.0035, 0.0045], "p < 0.001" for (0, 0.001].  The engine (verify.c)
 * recomputes what can be recomputed from an estimate, its confidence
 * interval, p, Z, Q, df and I², and calls a relation inconsistent only if
 * no combination of values inside those intervals satisfies it.  The text
 * scanner (verify_text.c) finds reported results in free text, English and
 * Dutch, through a table of phrases per language; verify_report.c writes
 * the verdicts as text or JSON.  docs/cli/verify.md.
 */
#ifndef MSYN_VERIFY_H
#define MSYN_VERIFY_H

#include <stddef.h>

#include "app.h"

/* ---- reported numbers -------------------------------------------------- */
enum { VF_EQ = 0, VF_LT, VF_LE, VF_GT, VF_GE };

typedef struct vf_num {
    int set;         /* the number was reported                          */
    double x;        /* the value as written                             */
    double lo, hi;   /* the interval the rounding (or <, >) stands for   */
    int rel;         /* VF_EQ, VF_LT, ...: "p < 0.001" has VF_LT         */
    int dec;         /* decimals written                                 */
} vf_num;

/* Set n to the value x written with dec decimals after relation rel:
 * VF_EQ gives x +- half a unit of the last decimal, VF_LT/VF_LE (-inf, x],
 * VF_GT/VF_GE [x, inf).  Callers clip to the quantity's range. */
void vf_num_set(vf_num *n, double x, int dec, int rel);

/* Clip n's interval to [lo, hi] (p to [0, 1], I² to [0, 100]). */
void vf_num_clip(vf_num *n, double lo, double hi);

/* Parse one reported number: an optional relation (= < > <= >= ≤ ≥), then
 * a number with a decimal point or comma, ASCII or Unicode minus; ".001"
 * is allowed.  Returns 0, or -1 with *why saying what is wrong. */
int vf_parse_num(const char *s, vf_num *n, const char **why);

/* Parse a confidence interval: "LO,HI", "LO;HI", "LO to HI", "LO tot HI",
 * "[LO; HI]", "(LO, HI)", "LO – HI".  Returns 0 or -1 with *why. */
int vf_parse_ci(const char *s, vf_num *lo, vf_num *hi, const char **why);

/* ---- measures ---------------------------------------------------------- */
enum { VF_SCALE_UNKNOWN = 0, VF_SCALE_LINEAR = 1, VF_SCALE_LOG = 2 };

/* The scale of a measure name (OR RR HR IRR ROM PETO: log; MD SMD SMDH
 * RD GEN: linear), or VF_SCALE_UNKNOWN for a name that is not one.  The
 * canonical spelling is written to *canon. */
int vf_measure_scale(const char *name, const char **canon);

/* ---- one reported result ------------------------------------------------ */
#define VF_MAX_PARTS 8

typedef struct vf_input {
    const char *measure;  /* canonical name ("SMD") or NULL              */
    int scale;            /* VF_SCALE_*: from the measure, or unknown    */
    double level;         /* of the CI, 0.95                             */
    double df;            /* t-based CI and p (HKSJ): df; NaN = normal   */
    vf_num est, lo, hi;   /* estimate and CI, ratios on natural scale    */
    vf_num p;             /* p of the estimate (or of Z)                 */
    vf_num z;             /* Z (or t) statistic                          */
    vf_num i2;            /* I² in percent                               */
    vf_num q;             /* Q (chi²) statistic of heterogeneity         */
    vf_num q_df;          /* its degrees of freedom (k - 1), exact       */
    vf_num q_p;           /* P of the Q test                             */
    vf_num tau2;          /* echoed only                                 */
    vf_num total;         /* a stated total ...                          */
    size_t nparts;        /* ... and its parts                           */
    vf_num part[VF_MAX_PARTS];
    vf_num part_pct[VF_MAX_PARTS]; /* "170 (50%)": percentage of total  */
} vf_input;

void vf_input_init(vf_input *in);

typedef enum vf_status {
    VF_NOT_CHECKED = 0,
    VF_CONSISTENT = 1,
    VF_INCONSISTENT = 2
} vf_status;

const char *vf_status_name(vf_status s); /* "consistent", "not_checked" */

typedef struct vf_check {
    const char *name;     /* stable key: "p_vs_ci", "i2_vs_q", ...       */
    vf_status status;
    char msg[400];        /* one sentence with the numbers               */
} vf_check;

#define VF_MAX_CHECKS 12

/* Derived values: point value from the reported numbers as written, and
 * the range over all values their rounding allows.  NaN = not derived. */
typedef struct vf_range {
    double x, lo, hi;
} vf_range;

typedef struct vf_result {
    int scale;            /* the scale used (unknown input: the one that fits) */
    int scale_guessed;    /* the measure was not named                   */
    double crit;          /* critical value of the CI                    */
    vf_range yi;          /* estimate on the analysis scale              */
    int yi_from_ci;       /* no estimate given: midpoint of the CI       */
    vf_range se;          /* standard error from the CI                  */
    vf_range z;           /* |estimate| / SE                             */
    vf_range p;           /* two-sided p of that z                       */
    vf_range i2;          /* I² from Q and df                            */
    vf_range q_p;         /* P of Q                                      */
    double sum_parts;     /* sum of the parts (NaN: none)                */
    size_t nchecks;
    vf_check check[VF_MAX_CHECKS];
    int n_consistent, n_inconsistent;
} vf_result;

/* Check everything in can be checked against.  Pure computation: no
 * allocation, no output.  Returns 0, or -1 if in is not valid, with a
 * sentence in why (the CLI's usage errors, the text scanner's rejects). */
int vf_verify(const vf_input *in, vf_result *r, char *why, size_t whylen);

/* consistent / inconsistent / not_checked for a whole result. */
vf_status vf_result_status(const vf_result *r);

/* ---- free text ------------------------------------------------------------ */
enum { VF_KIND_EFFECT = 0, VF_KIND_HET, VF_KIND_OVERALL, VF_KIND_TOTAL };

typedef struct vf_statement {
    int kind;             /* VF_KIND_*                                   */
    long line, col;       /* where it starts (1-based; col in characters) */
    char *text;           /* the quoted span, whitespace runs as one space */
    vf_input in;
    vf_result res;
} vf_statement;

typedef struct vf_doc {
    char *file;           /* name for messages ("<stdin>" for -)         */
    int recoded;          /* read as Windows-1252                        */
    size_t n;
    vf_statement *st;
} vf_doc;

/* Find and check every reported result of a text (UTF-8 or Windows-1252,
 * LF or CRLF).  Returns 0 or -1 with e set (out of memory). */
int vf_scan_text(const char *file, const char *data, size_t len, vf_doc *doc, app_err *e);
void vf_doc_free(vf_doc *doc);

/* ---- reports (verify_report.c) -------------------------------------------- */
/* Structured mode: one result.  Return 0, or -1 when out of memory. */
int vf_report_text(const vf_input *in, const vf_result *r, sbuf *out);
int vf_report_json(const vf_input *in, const vf_result *r, sbuf *out);
/* Text mode: every statement, then a summary. */
int vf_doc_text(const vf_doc *doc, sbuf *out);
int vf_doc_json(const vf_doc *doc, sbuf *out);
/* Number of statements with an inconsistent check. */
size_t vf_doc_inconsistent(const vf_doc *doc);

#endif /* MSYN_VERIFY_H */
