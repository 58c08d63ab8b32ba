/*
 * review_refs.h - analysis files against a review file.
 */
#ifndef MSYN_REVIEW_REFS_H
#define MSYN_REVIEW_REFS_H

#include "check.h"
#include "review.h"

/* Findings for the study_id column of t against the studies of r: an ID
 * that is not a study (error), a row without one (hint), a study without a
 * row (hint), no study_id column at all (warning).  study_col labels the
 * findings (NULL: "study").  -1 with e set on failure. */
int app_check_review_ids(const app_table *t, const char *study_col, rv_db *r, app_findings *l,
                         app_err *e);

#endif
