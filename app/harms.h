/*
 * harms.h - adverse events across studies (`metasyn harms`).
 *
 * A harms file has one row per study and adverse event (docs/cli/harms.md):
 * study, reported (yes | none | no), event, severity, and the counts ai,
 * n1i, ci, n2i when reported.  harms.c reads and checks it, classifies each
 * study by its worst category ("did not report", "reported none", "minor
 * only", "serious"), and pools each event type and severity with
 * Mantel-Haenszel (RR), Peto (OR) or REML on the log RR.  harms_report.c
 * writes text, JSON, CSV, Markdown and HTML.
 */
#ifndef MSYN_HARMS_H
#define MSYN_HARMS_H

#include "app.h"

/* Severity classes; every accepted word maps to one of the two. */
typedef enum harms_sev {
    HARMS_SEV_MINOR = 0,     /* minor, mild, moderate, CTCAE grade 1-2   */
    HARMS_SEV_SERIOUS = 1    /* serious, severe, CTCAE grade 3-5         */
} harms_sev;

/* Parse a severity word (case-insensitive, blanks around ignored):
 * minor, mild, moderate, 1, 2, "grade 1", "grade 2" -> minor; serious,
 * severe, life-threatening, fatal, 3, 4, 5, "grade 3".."grade 5" ->
 * serious.  Returns 0, or -1 for anything else. */
int harms_sev_parse(const char *s, harms_sev *sev);

/* What a study reported about harms (the `reported` column). */
typedef enum harms_rep {
    HARMS_REP_YES = 0,       /* adverse events reported (this row: one)  */
    HARMS_REP_NONE = 1,      /* reported that none occurred              */
    HARMS_REP_NO = 2         /* did not report adverse events at all     */
} harms_rep;

/* A study's worst category, in increasing order. */
typedef enum harms_cat {
    HARMS_CAT_NOT_REPORTED = 0,
    HARMS_CAT_NONE = 1,
    HARMS_CAT_MINOR = 2,
    HARMS_CAT_SERIOUS = 3
} harms_cat;

/* Words for a category: "did not report", "reported none", "minor only",
 * "serious"; and a key for JSON/CSV ("not_reported", "none", "minor",
 * "serious"). */
const char *harms_cat_words(harms_cat c);
const char *harms_cat_key(harms_cat c);

/* One row of the file. */
typedef struct harms_row {
    size_t study;            /* index into harms_data.study               */
    long line;
    harms_rep rep;
    size_t group;            /* index into harms_data.group (rep = yes)   */
    int counts;              /* ai, n1i, ci, n2i given                     */
    double ai, n1i, ci, n2i; /* NaN when not given                          */
} harms_row;

/* One study. */
typedef struct harms_study {
    char *name;
    long line;               /* its first row                              */
    harms_cat cat;
    double n1, n2;           /* largest n1i, n2i of its rows (NaN: none)   */
    double minor1, minor2;   /* minor events per arm: its "any" minor row
                                if given, else the sum of its minor rows
                                with counts (NaN when none has counts)    */
    double ser1, ser2;       /* serious events per arm: its "any" serious
                                row if given, else the sum of its serious
                                rows (NaN when none has counts)           */
    int ser_summed;          /* ser1/ser2 add up several event rows        */
} harms_study;

/* One event type and severity, and its pooled estimate. */
typedef struct harms_group {
    char *event;
    harms_sev sev;
    size_t k;                /* studies reporting it                      */
    size_t k_counts;         /* ... with counts                           */
    size_t k_zero;           /* ... with zero events in both arms         */
    double e1, n1, e2, n2;   /* events and totals per arm (counted rows)  */
    int pooled;              /* fit is valid                              */
    msyn_status rc;          /* MSYN_OK, or why it could not be pooled    */
    int short_k;             /* fewer than min_k studies with events      */
    msyn_fit fit;
} harms_group;

/* The file, read and checked. */
typedef struct harms_data {
    char *file;
    harms_row *row;
    size_t nrow;
    harms_study *study;
    size_t nstudy;
    harms_group *group;
    size_t ngroup;
    app_strlist notes;       /* sentences for the reader                  */
} harms_data;

/* Read table t into d, checking every cell; problems come back as
 * "FILE:LINE:COL: what is wrong; what would be right" (APP_EXIT_DATA) or
 * out of memory (APP_EXIT_INTERNAL); d is then empty.  Classifies the
 * studies. */
int harms_load(const app_table *t, harms_data *d, app_err *e);
void harms_free(harms_data *d);

/* Pool every group with at least min_k studies with events: method
 * MSYN_METHOD_MH (risk ratio), MSYN_METHOD_PETO (odds ratio) or
 * MSYN_METHOD_REML (log risk ratio, 0.5 added to zero cells); tables with
 * no events in both arms are left out (a note says so), as metafor's
 * rma.mh and rma.peto do.  Returns 0, or -1 when out of memory. */
int harms_pool(harms_data *d, msyn_method method, int min_k, double level, app_err *e);

/* Counts across studies. */
typedef struct harms_summary {
    size_t n[4];             /* studies per harms_cat                     */
    double ser1, n1, ser2, n2; /* serious events and participants per arm
                                over the studies in the serious category
                                whose serious counts are given            */
    size_t k_ser_counts;     /* those studies                             */
} harms_summary;
void harms_summarise(const harms_data *d, harms_summary *s);

/* Reports (harms_report.c).  Each returns 0, or -1 when out of memory. */
typedef struct harms_report_opts {
    msyn_method method;
    int min_k;
    double level;
    int digits;
} harms_report_opts;

/* The sentence ("Of 12 studies, 3 reported no adverse events, ..."),
 * without a trailing newline. */
int harms_sentence(const harms_data *d, sbuf *o);
int harms_report_text(const harms_data *d, const harms_report_opts *ro, sbuf *o);
int harms_report_json(const harms_data *d, const harms_report_opts *ro, sbuf *o);
int harms_report_csv(const harms_data *d, const harms_report_opts *ro, sbuf *o);
/* A self-contained section: html 1 for HTML, 0 for Markdown. */
int harms_report_doc(const harms_data *d, const harms_report_opts *ro, int html, sbuf *o);

#endif /* MSYN_HARMS_H */
