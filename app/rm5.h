/*
 * rm5.h - Cochrane RevMan 5 review files (.rm5, XML) as plain data.
 *
 * rm5_parse() reads the analyses of a review (ANALYSES_AND_DATA: every
 * comparison and its dichotomous, continuous, generic inverse variance and
 * O-E outcomes) into an in-memory model that owns all its strings; nothing
 * is printed.  rm5_csv() and rm5_index_csv() turn the model into the CSV
 * files `metasyn import-rm5` writes (docs/cli/import-rm5.md).  Values are
 * kept as the text of the file, so a number is written exactly as RevMan
 * stored it.
 */
#ifndef MSYN_RM5_H
#define MSYN_RM5_H

#include "app.h"

typedef enum rm5_type {
    RM5_DICH = 0, /* DICH_OUTCOME: events and totals per group      */
    RM5_CONT = 1, /* CONT_OUTCOME: mean, SD and total per group       */
    RM5_IV = 2,   /* IV_OUTCOME: generic inverse variance (estimate, SE) */
    RM5_IPD = 3   /* IPD_OUTCOME: O-E and variance                  */
} rm5_type;

/* Most data values of a row (DICH: EVENTS_1 TOTAL_1 EVENTS_2 TOTAL_2;
 * CONT: MEAN_1 SD_1 TOTAL_1 MEAN_2 SD_2 TOTAL_2; IV: EFFECT_SIZE SE;
 * IPD: O_E VAR; then TOTAL_1 TOTAL_2 for IV and IPD). */
#define RM5_MAXVAL 6

/* One study's data in one analysis. */
typedef struct rm5_row {
    char *study;            /* label: STUDY NAME (+ YEAR), else STUDY_ID   */
    char *study_id;         /* STUDY_ID as in the file                     */
    char *subgroup;         /* subgroup NAME, NULL without subgroups       */
    char *val[RM5_MAXVAL];  /* values as written in the file, NULL = empty */
    long line;
} rm5_row;

/* RevMan's own results for an outcome, as stored ("" when absent). */
enum { RM5_P_EFFECT, RM5_P_CI_START, RM5_P_CI_END, RM5_P_TAU2, RM5_P_I2,
       RM5_P_CHI2, RM5_P_DF, RM5_P_Z, RM5_P_P_Z, RM5_P_COUNT };

/* One comparison x outcome. */
typedef struct rm5_analysis {
    char *comp_no, *comp_name;   /* COMPARISON NO and NAME                 */
    char *out_no, *out_name;     /* outcome NO and NAME                    */
    char *file;                  /* output file name, e.g. "1.2.csv"       */
    rm5_type type;
    char *revman_measure;        /* EFFECT_MEASURE as written              */
    char *revman_method;         /* METHOD / STATISTICAL_METHOD as written */
    const char *measure;         /* metasyn's name (static), NULL unknown  */
    const char *method;          /* "MH", "IV", "PETO" (static), or NULL   */
    int random;                  /* RANDOM="YES"                           */
    int natural_scale;           /* IV ratio measure with LOG_DATA="NO"    */
    int swap_events;             /* SWAP_EVENTS="YES"                      */
    int totals;                  /* TOTALS is not "NO"                     */
    char *ci_study, *ci_total;   /* CI levels in percent ("" if absent)    */
    char *label1, *label2;       /* GROUP_LABEL_1 and GROUP_LABEL_2        */
    char *pooled[RM5_P_COUNT];
    int has_subgroups;
    size_t nrow;
    rm5_row *rows;
    long line;
} rm5_analysis;

typedef struct rm5_review {
    char *file;                  /* name used in messages                  */
    char *title;                 /* COVER_SHEET TITLE, "" if none          */
    size_t n;
    rm5_analysis *a;
    int recoded;                 /* bytes were read as Windows-1252        */
    app_strlist warnings;        /* "FILE:LINE: sentence" each             */
} rm5_review;

/* Parse a review from memory (file is used in messages).  A file that is
 * not XML, or XML that is not a RevMan review, is an APP_EXIT_DATA error
 * with FILE:LINE:COL.  Recoverable damage (bad bytes, a bare & or <, a
 * missing attribute, a study that is not defined) becomes a warning.  On
 * error r is left empty (rm5_free() is still safe). */
int rm5_parse(const char *file, const char *data, size_t len, rm5_review *r,
              app_err *e);
/* Read and parse a file ("-" = standard input). */
int rm5_read(const char *path, rm5_review *r, app_err *e);
void rm5_free(rm5_review *r);

/* "dichotomous", "continuous", "generic", "o-e" */
const char *rm5_type_name(rm5_type t);

/* The study-level CSV of one analysis (header line, one row per study). */
int rm5_csv(const rm5_analysis *a, sbuf *out);

/* The metasyn pool command line that reruns an analysis under RevMan 5's
 * conventions, with path as the file argument; nothing when no measure
 * fits or the analysis has no rows. */
void rm5_command(const rm5_analysis *a, const char *path, sbuf *out);

/* index.csv: one row per analysis.  dir is the output folder as given,
 * used in the command column. */
int rm5_index_csv(const rm5_review *r, const char *dir, sbuf *out);

#endif /* MSYN_RM5_H */
