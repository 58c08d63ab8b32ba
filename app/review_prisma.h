/*
 * review_prisma.h - the PRISMA 2020 counts of a review file and its flow
 * diagram.  Every count is derived from the file; the definitions are in
 * docs/cli/review-prisma.md.
 *
 * Two branches, as in the PRISMA 2020 template for new reviews that
 * searched databases, registers and other sources: branch 0 holds the
 * duplicate clusters with at least one record from a database or register
 * import, branch 1 the clusters whose records all came from other methods
 * (source_type 'other').  A cluster is one unique record (rv_canon_load).
 */
#ifndef MSYN_REVIEW_PRISMA_H
#define MSYN_REVIEW_PRISMA_H

#include "plot.h"
#include "review.h"

typedef struct rv_count_item {
    char *name;     /* a source or an exclusion reason */
    long long n;
} rv_count_item;

typedef struct rv_prisma_branch {
    rv_count_item *sources;  /* records identified per source, in import order */
    size_t nsources;
    long long identified;    /* records from this branch's imports             */
    long long duplicates;    /* identified - unique (removed before screening) */
    long long screened;      /* unique records (clusters) of the branch        */
    long long excluded1;     /* final stage 1 decision exclude                 */
    long long undecided1;    /* no final stage 1 decision yet                  */
    long long sought;        /* final stage 1 decision include                 */
    long long not_retrieved; /* sought, final stage 2 decision not_retrieved   */
    long long assessed;      /* sought, final stage 2 include or exclude       */
    long long undecided2;    /* sought, no final stage 2 decision yet          */
    long long excluded2;     /* assessed, final stage 2 exclude                */
    rv_count_item *reasons;  /* excluded2 per reason, most frequent first      */
    size_t nreasons;
    long long included;      /* assessed, final stage 2 include                */
} rv_prisma_branch;

typedef struct rv_prisma {
    char *title;               /* the review's title ("" when none)          */
    rv_prisma_branch b[2];     /* 0: databases and registers; 1: other       */
    long long studies;         /* rows of table studies                      */
    long long reports;         /* rows of study_reports                      */
    long long unassigned;      /* included records in no study (yet)        */
} rv_prisma;


/* Column i of the current row as text: "" for NULL; NULL (and *bad set)
 * when SQLite ran out of memory converting it. */
const char *rv_text(sqlite3_stmt *st, int i, int *bad);

/* Count everything (read-only).  rv_prisma_free() whatever the result. */
int rv_prisma_count(rv_db *r, rv_prisma *c, app_err *e);
void rv_prisma_free(rv_prisma *c);

/* The final decision of every record at stage (1 or 2), by the canonical
 * record of its cluster: 'i' include, 'e' exclude, 'n' not retrieved, 0
 * none (undecided: not screened, 'maybe', or reviewers disagree without a
 * resolution).  dec[j] and reason[j] (app_strdup'ed or NULL) belong to
 * c->ids[j]; only canonical entries are set.  Used by prisma and studies. */
int rv_final_decisions(rv_db *r, const rv_canon *cn, int stage, char *dec, char **reason,
                       app_err *e);

/* Draw the flow diagram of c into p (plot_init'ed here with width points
 * and font family; NULL: the default).  p is plot_free()d by the caller. */
int plot_prisma(const rv_prisma *c, plot *p, double width, const char *family, app_err *e);

#endif
