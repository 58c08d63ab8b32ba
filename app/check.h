/*
 * check.h - data checks on a study file before pooling (`metasyn check`).
 *
 * app_check_table() reads the raw table itself (every column of the study
 * file contract it knows, not only those one measure needs) and collects
 * every finding in one run: impossible values (errors), implausible ones
 * (warnings: an SD that is probably an SE, a shared control arm, a CI that
 * is not symmetric, ...) and notes (hints: a study left out for a missing
 * value, an unusually large SMD).  It prints nothing; `metasyn check`
 * writes the findings as text or JSON, and `metasyn pool` can run it to
 * stop at errors and show the rest as warnings.  The rules and their
 * thresholds are in docs/cli/check.md.
 */
#ifndef MSYN_CHECK_H
#define MSYN_CHECK_H

#include "app.h"

typedef enum { CHECK_HINT = 0, CHECK_WARNING = 1, CHECK_ERROR = 2 } check_severity;

/* One finding.  Strings are owned by the list. */
typedef struct app_finding {
    check_severity severity;
    const char *code;   /* stable identifier, e.g. "events-exceed-n"        */
    long line;          /* input line of the row; 1 = header               */
    char *column;       /* column name, NULL when about the whole row/file */
    int column_index;   /* 1-based table column, 0 when none               */
    char *study;        /* study label, NULL for the header                */
    char *message;      /* what is wrong and what would be right           */
    size_t seq;         /* order of discovery (tie-break of the sort)      */
} app_finding;

/* Findings of one run, and what was checked. */
typedef struct app_findings {
    app_finding *f;
    size_t n, cap;
    int oom;              /* a finding could not be stored: treat as error */
    size_t studies;       /* rows with data                                */
    const char *measure;  /* measure name as given, NULL when inferred     */
    const char *data;     /* kind of data read, e.g. "two-group means"     */
} app_findings;

void app_findings_free(app_findings *l);
/* Sort by line, then column, then order of discovery. */
void app_findings_sort(app_findings *l);
/* Number of findings of severity s. */
size_t app_findings_count(const app_findings *l, check_severity s);
/* "error", "warning", "hint". */
const char *app_check_severity_name(check_severity s);

typedef struct app_check_opts {
    int measure_set;          /* measure given (else inferred from columns) */
    msyn_measure measure;     /* used when measure_set and no measure_name   */
    const char *measure_name; /* a measure by name (also ones libmetasyn does
                                 not know yet: PR, IRR, COR, ...); wins over
                                 measure when not NULL                       */
    const char *study_col;    /* NULL: "study" if present                    */
    const char *group_col;    /* --by: rules that compare studies compare
                                 only rows with the same value here (one
                                 file, several outcomes); NULL = all rows    */
    double granularity;       /* GRIM: smallest step of one participant's
                                 score; NaN = off (a column granularity
                                 still counts)                               */
    double ci_level;          /* level of reported CIs; 0 = 0.95             */
    int natural;              /* --scale natural: ratio estimates as ratios  */
    int rows_only;            /* only the rules on one row at a time: the
                                 ones that compare studies (check_between.c)
                                 are not run (a file read in blocks)         */
} app_check_opts;

void app_check_opts_default(app_check_opts *o);

/* 1 if name is a measure check knows (case-insensitive). */
int app_check_measure_known(const char *name);

/* Check every row of t.  Findings are appended to out (initialise it with
 * memset 0; free with app_findings_free) and sorted.  Returns 0, or -1 with
 * e set when the check could not run (out of memory: e->code
 * APP_EXIT_INTERNAL; --study names no column: APP_EXIT_USAGE).  Findings,
 * errors included, are not failures. */
int app_check_table(const app_table *t, const app_check_opts *o,
                    app_findings *out, app_err *e);

/* Add a finding from outside the rules (e.g. `check --review`): line of
 * the row, 0-based table column tcol (-1: none) and its name, the study
 * label (may be NULL).  -1 out of memory (l->oom set). */
int app_findings_add(app_findings *l, check_severity s, const char *code, long line, int tcol,
                     const char *column, const char *study, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* Reports.  file is the name to print.  Return 0, or -1 out of memory. */
int app_check_text(const char *file, const app_findings *l, sbuf *out);
int app_check_json(const char *file, const app_findings *l, sbuf *out);
/* One finding as "FILE:LINE:COL: severity: message" (no newline). */
void app_finding_format(const char *file, const app_finding *f, sbuf *out);

#endif /* MSYN_CHECK_H */
