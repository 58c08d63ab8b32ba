/*
 * check_int.h - what the files of `metasyn check` share (check.c: columns,
 * rows, per-study rules; check_between.c: rules that compare studies;
 * check_report.c: the findings list and its reports).  Not installed.
 */
#ifndef MSYN_CHECK_INT_H
#define MSYN_CHECK_INT_H

#include <stdint.h>

#include "check.h"

/* The numeric columns of the study file contract (docs/cli/check.md). */
enum {
    K_N1I, K_M1I, K_SD1I, K_N2I, K_M2I, K_SD2I,
    K_SE1I, K_SE2I, K_LB1I, K_UB1I, K_LB2I, K_UB2I,
    K_MDI, K_MDI_LB, K_MDI_UB, K_MDI_T, K_MDI_P,
    K_MED1I, K_Q1_1I, K_Q3_1I, K_MIN1I, K_MAX1I,
    K_MED2I, K_Q1_2I, K_Q3_2I, K_MIN2I, K_MAX2I,
    K_AI, K_BI, K_CI, K_DI, K_OEI, K_VEI,
    K_XI, K_NI, K_TI, K_X1I, K_T1I, K_X2I, K_T2I,
    K_MI, K_SDI, K_RI,
    K_YI, K_VI, K_SEI, K_CI_LB, K_CI_UB,
    K_TOTAL, K_GRAN,
    K_NCOL
};

extern const char *const ck_names[K_NCOL];

/* Kinds of data (the measure's family). */
typedef enum {
    F_NONE, F_CONT2, F_TABLE, F_PROP, F_IR, F_IR2, F_MEAN1, F_PREPOST, F_COR, F_EST
} ck_family;

#define CK_NOSTUDY SIZE_MAX
#define CK_NOCOL (-1)

typedef struct ck {
    const app_table *t;
    const app_check_opts *o;
    app_findings *out;
    ck_family fam;
    const char *mname;   /* measure name (upper case) or NULL            */
    int ratio;           /* measure analysed on the log scale            */
    int natural;         /* ratio estimates given as ratios              */
    double gran;         /* --granularity or NaN                         */
    int col[K_NCOL];     /* table column of each, -1 when absent         */
    int slot[K_NCOL];    /* its place in a row of v, dec and flag: the
                            present columns in order, then one slot that
                            every absent column shares (NaN, -1, 0; never
                            written), so a row is not K_NCOL wide       */
    size_t nslot;        /* places in a row: present columns + 1         */
    int score_col;       /* score column or -1                           */
    size_t k;            /* rows with data                               */
    size_t *row;         /* their table rows                             */
    double *v;           /* k * nslot values; NaN missing or not a number */
    signed char *dec;    /* decimals each value was given with (-1 none) */
    char **label;        /* study labels                                 */
    unsigned char *flag; /* k * nslot: CKF_* bits                        */
    size_t *grp;         /* first study of each study's group (--by)     */
} ck;

#define CKF_BAD 1u    /* the cell is not a number                         */
#define CKF_ERR 2u    /* an error was reported for it: skip plausibility   */
#define CKF_SE 4u     /* already reported as a probable SE                 */
#define CKF_SCALE 8u  /* its study is on another scale                     */

#define CKAT(c, i, j) ((size_t)(i) * (c)->nslot + (size_t)(c)->slot[j])
#define CKV(c, i, j) ((c)->v[CKAT(c, i, j)])
#define CKF(c, i, j) ((c)->flag[CKAT(c, i, j)])
/* Set flag bits of study i's column j; nothing for an absent column (its
 * shared slot stays 0). */
#define CKF_SET(c, i, j, f) ((c)->col[j] >= 0 ? (void)(CKF(c, i, j) |= (f)) : (void)0)
#define CK_HAS(c, i, j) (CKV(c, i, j) == CKV(c, i, j))

/* Add a finding about study i (CK_NOSTUDY: the header) and key column j
 * (CK_NOCOL: none).  On failure sets out->oom. */
void ck_add(ck *c, check_severity s, const char *code, size_t i, int j,
            const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Like ck_add with a table column index (-1 none) and its name. */
void ck_add_col(ck *c, check_severity s, const char *code, size_t i, int tcol,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A value as the file gave it (its decimals), for messages. */
const char *ck_num(const ck *c, size_t i, int j, char *buf, size_t n);
/* A computed number for messages: 4 significant digits (no exponent). */
const char *ck_fmt(double x, char *buf, size_t n);
/* Half the last reported digit of a value: the rounding it may carry. */
double ck_half_ulp(const ck *c, size_t i, int j);

/* Median of x[0..n-1] (x is reordered).  NaN when n == 0. */
double ck_median(double *x, size_t n);

/* check_rows.c: the rules about one study at a time */
int ck_rows(ck *c);
/* check_between.c: the rules that compare studies */
int ck_between(ck *c);

#endif /* MSYN_CHECK_INT_H */
