/*
 * sof.h - the summary of findings table (GRADE): one row per outcome with
 * its participants and studies, relative and absolute effects, certainty
 * and footnotes for every rating down or up, as text, Markdown, HTML, CSV
 * or JSON.  `metasyn sof`; docs/cli/sof.md.
 */
#ifndef MSYN_SOF_H
#define MSYN_SOF_H

#include "grade.h"

typedef struct sof_outcome {
    const char *name;          /* "Pain (VAS 0-100)"                        */
    const char *follow_up;     /* "12 months" or NULL                        */
    const char *importance;    /* "critical", "important" or NULL           */
    const char *comments;      /* the reviewers' comment or NULL            */
    const char *file;          /* the study file as named                   */
    const app_result *r;       /* the pooled analysis                       */
    const grade_result *g;
} sof_outcome;

typedef struct sof_table {
    const char *source;        /* the outcomes file                         */
    const char *question;      /* --question, or NULL: built from the next */
    const char *population, *setting, *intervention, *comparator;
    const sof_outcome *o;
    size_t n;
    int digits;                /* decimals of ratios and differences (2)    */
} sof_table;

/* Render s as "text", "md", "html", "csv" or "json" into out.  Returns 0,
 * -1 when out of memory. */
int app_sof_render(const sof_table *s, const char *format, sbuf *out);

/* ---- the outcomes file (sof_read.c) ------------------------------------ */

/* Its columns (docs/cli/sof.md). */
enum {
    SOF_C_OUTCOME, SOF_C_FILE, SOF_C_MEASURE, SOF_C_METHOD, SOF_C_WHERE, SOF_C_STUDY, SOF_C_DESIGN,
    SOF_C_FOLLOW_UP, SOF_C_IMPORTANCE, SOF_C_COMMENTS, SOF_C_CONTROL_RISK, SOF_C_MCID, SOF_C_REEXPRESS_SD,
    SOF_C_SCALE_NAME, SOF_C_ROB_COLUMN, SOF_C_INDIRECTNESS, SOF_C_INDIRECTNESS_REASON, SOF_C_ROB,
    SOF_C_ROB_REASON, SOF_C_INCONSISTENCY, SOF_C_INCONSISTENCY_REASON, SOF_C_IMPRECISION,
    SOF_C_IMPRECISION_REASON, SOF_C_PUBBIAS, SOF_C_PUBBIAS_REASON, SOF_C_UPGRADE, SOF_C_UPGRADE_REASON,
    SOF_C_INSTRUMENT, SOF_C_COUNT
};

/* The outcomes file as read: its table and where each column is (-1:
 * absent). */
typedef struct sof_spec {
    app_table t;
    int col[SOF_C_COUNT];
} sof_spec;

/* Read the outcomes file path ("-": stdin), or parse it from memory (name
 * in messages), and check its columns: known names only (a misspelt
 * override would be lost), outcome and file present, 1 to 64 rows.
 * 0, or -1 with e set (nothing to free). */
int sof_spec_read(const char *path, sof_spec *s, app_err *e);
int sof_spec_parse(const char *name, const char *data, size_t len, sof_spec *s, app_err *e);
void sof_spec_free(sof_spec *s);

/* The cell of column c (SOF_C_*) of a row, NULL when absent or empty. */
const char *sof_cell(const sof_spec *s, size_t row, int c);
/* Set e to "FILE:LINE:COL: what" (exit 3) at that cell; returns -1. */
int sof_bad_cell(const sof_spec *s, size_t row, int c, app_err *e, const char *what);

/* A row's GRADE input (design, control_risk, mcid, every domain's
 * override with its justification) and reexpress_sd (NaN when absent).
 * The outcome and its study file must be named.  0, or -1 with e set. */
int sof_row_input(const sof_spec *s, size_t row, grade_input *in, double *reexpress_sd, app_err *e);

/* The study file of an outcome: relative to the outcomes file's folder
 * (as given when absolute or when the outcomes are read from stdin).
 * app_free it; NULL when out of memory. */
char *sof_study_path(const char *outcomes, const char *file);

#endif /* MSYN_SOF_H */
