/*
 * review.h - the review file: one SQLite database that holds a systematic
 * review from its database searches to its included studies.
 *
 * The file is the project.  Everything a reviewer does is a transaction,
 * and every table that records a decision is append-only: triggers refuse
 * UPDATE and DELETE, so a changed decision is a new row that names the row
 * it replaces, with who and when.  The current state is the latest row
 * (views current_*).  The schema is in review_db.c and
 * docs/review-file.md; PRAGMA user_version is its version, and opening an
 * older file migrates it in one transaction.
 */
#ifndef MSYN_REVIEW_H
#define MSYN_REVIEW_H

#include <sqlite3.h>

#include "app.h"

/* The schema version this build writes (PRAGMA user_version). */
#define RV_SCHEMA_VERSION 2

/* The suffix of review files (`review` finds the one in the current
 * directory when --review is not given). */
#define RV_SUFFIX ".msr"

typedef struct rv_db {
    sqlite3 *db;
    char *path;  /* as given                                          */
    char *who;   /* the user recorded with every change (rv_user())  */
    int in_tx;   /* inside rv_begin() ... rv_commit()/rv_rollback()  */
    sqlite3_stmt *ins_record; /* rv_add_record's statement, kept   */
} rv_db;

/* Route SQLite's memory through app_alloc() (so METASYN_FAIL_ALLOC reaches
 * it) and check the library.  Called by rv_open(); idempotent. */
int rv_sqlite_init(app_err *e);

/* The review file to use: given (from --review) when not NULL, else the one
 * *.msr file in the current directory.  *path is app_alloc'ed.  Errors
 * (exit 2): none or several .msr files here. */
int rv_find(const char *given, char **path, app_err *e);

/* Create a new review file at path (refused, exit 4, when it exists):
 * schema, WAL mode, the default exclusion reasons, the title, an audit
 * row.  Written to a temporary beside it and renamed, so a failure leaves
 * nothing. */
int rv_create(const char *path, const char *title, app_err *e);

/* Open an existing review file read-write (WAL, foreign keys on, a busy
 * timeout), check that it is a metasyn review, and migrate an older schema.
 * Exit 4 when it cannot be opened, 3 when it is not a review file or is
 * newer than this build. */
int rv_open(const char *path, rv_db *r, app_err *e);
void rv_close(rv_db *r);

/* The user recorded with changes: $METASYN_USER, else $USER, else
 * "unknown".  Not freed. */
const char *rv_user(void);
/* The current time as ISO 8601 UTC ("2026-11-23T10:15:02Z"), or the value
 * of $METASYN_NOW when set (reproducible tests).  buf has >= 32 bytes. */
const char *rv_now(char *buf);

/* Transactions: BEGIN IMMEDIATE (takes the write lock at once). */
int rv_begin(rv_db *r, app_err *e);
int rv_commit(rv_db *r, app_err *e);
void rv_rollback(rv_db *r);

/* Run SQL without results (several statements allowed). */
int rv_exec(rv_db *r, const char *sql, app_err *e);
/* Prepare one statement; on failure e says why (exit 6). */
int rv_prepare(rv_db *r, const char *sql, sqlite3_stmt **st, app_err *e);
/* Set e from the connection's last error (exit 6 for out of memory, 4 for
 * I/O, busy and read-only, 3 for corruption, else 6), with what was done. */
int rv_sqlerr(rv_db *r, const char *doing, app_err *e);

/* One row of the audit trail: action ("import", "dedup-merge", ...),
 * detail in words or JSON.  Inside the caller's transaction. */
int rv_audit(rv_db *r, const char *action, const char *detail, app_err *e);

/* A single integer from a query (COUNT and the like) with up to one
 * integer parameter (pass -1 for none); -1 on error (e set). */
long long rv_count(rv_db *r, const char *sql, long long param, app_err *e);

/* One record of a search export, normalised.  Strings are UTF-8, NULL
 * when absent; authors are "Last, First; Last, First"; year 0 when
 * absent.  raw is the record's text as in the file. */
typedef struct rv_record {
    long line;        /* first line of the record in its file (1-based) */
    const char *raw;
    const char *type, *title, *authors, *journal, *volume, *issue, *pages;
    const char *doi, *pmid, *abstract, *keywords;
    int year;
} rv_record;

/* One imported file: source name, type ("database", "register" or
 * "other"), search date (YYYY-MM-DD or NULL), the file's name, the
 * SHA-256 of its bytes (hex; a file imported before is refused by the
 * UNIQUE constraint: rv_add_import reports it, exit 3, naming the earlier
 * import), format ("ris", "medline", "csv") and record count.  *id gets
 * the import's id.  Inside the caller's transaction. */
typedef struct rv_import {
    const char *source, *source_type, *search_date, *file_name, *sha256, *format;
    long long n_records;
} rv_import;
int rv_add_import(rv_db *r, const rv_import *im, long long *id, app_err *e);
/* Add record number seq (1-based) of an import; *id (may be NULL) gets its
 * id.  Inside the caller's transaction. */
int rv_add_record(rv_db *r, long long import_id, long long seq, const rv_record *rec,
                  long long *id, app_err *e);

/* Duplicate clusters: the current 'duplicate' links (view current_links)
 * joined by union-find.  canon[i] is the canonical record (the lowest id
 * of its cluster) of record id ids[i]; ids ascending, n records in all.
 * rv_canon_of() looks one id up (binary search; 0 when unknown). */
typedef struct rv_canon {
    long long *ids, *canon;
    size_t n, nclusters;
} rv_canon;
int rv_canon_load(rv_db *r, rv_canon *c, app_err *e);
long long rv_canon_of(const rv_canon *c, long long id);
void rv_canon_free(rv_canon *c);

#endif
