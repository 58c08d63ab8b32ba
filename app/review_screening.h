/*
 * review_screening.h - screening decisions of the review file: who decided
 * what about which record at which stage, what counts as included at
 * stage 1, blinding, and Cohen's kappa between two reviewers.
 * docs/cli/review-screen.md.
 */
#ifndef MSYN_REVIEW_SCREENING_H
#define MSYN_REVIEW_SCREENING_H

#include "review.h"

/* The records included at stage 1 (and so screened at stage 2): a current
 * resolution 'include', or, without a resolution, every reviewer's current
 * stage-1 decision is 'include' (one reviewer's include when only one
 * screened).  One column, record_id. */
extern const char rvs_included_sql[];


/* Is the stage unblinded (a row in table unblinding)?  1, 0, -1 on error. */
int rvs_unblinded(rv_db *r, int stage, app_err *e);

/* Is reason one of the stage's exclusion reasons?  1, 0, -1 on error. */
int rvs_reason_ok(rv_db *r, int stage, const char *reason, app_err *e);
/* "'wrong population', 'wrong outcome', ..." (for messages); app_alloc'ed,
 * NULL when out of memory (e set). */
char *rvs_reason_list(rv_db *r, int stage, app_err *e);

/* Record a reviewer's decision (a new screening row, replacing the
 * reviewer's current one for the record and stage).  reason and note may
 * be NULL; via is "screen" or "csv".  Inside the caller's transaction; no
 * audit row (the caller writes it). */
int rvs_decide(rv_db *r, long long record, int stage, const char *reviewer,
               const char *decision, const char *reason, const char *note, const char *via,
               app_err *e);

/* Cohen's kappa of two raters on a yes/no question from their 2x2 table:
 * yy = both yes, yn = first yes and second no, ny, nn.
 * po = observed agreement, pe = agreement expected by chance from the
 * margins, kappa = (po - pe) / (1 - pe); NaN when n = 0, and when pe = 1
 * (both raters said the same single answer throughout: kappa undefined). */
typedef struct rvs_kappa {
    long long n;
    double po, pe, kappa;
} rvs_kappa;
void rvs_kappa_2x2(long long yy, long long yn, long long ny, long long nn, rvs_kappa *k);

#endif
