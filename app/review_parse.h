/*
 * review_parse.h - search exports (RIS, PubMed MEDLINE/nbib, CSV) read into
 * normalised bibliographic records for `metasyn review import`.
 *
 * Pure functions over bytes in memory: no database, no files.  A file is
 * parsed whole before anything is stored, so a bad record refuses the
 * whole file with FILE:LINE:COL and what would be right.
 * docs/cli/review-import.md has the field mapping per format.
 */
#ifndef MSYN_REVIEW_PARSE_H
#define MSYN_REVIEW_PARSE_H

#include <stddef.h>

#include "app.h"

typedef enum rp_format { RP_AUTO = 0, RP_RIS = 1, RP_MEDLINE = 2, RP_CSV = 3 } rp_format;

/* One record.  Strings are valid UTF-8 (app_alloc'ed, owned by the set),
 * NULL when absent; authors and keywords are joined with "; "; year 0
 * when absent.  raw is the record's text as in the file (decoded to
 * UTF-8, line ends as "\n"). */
typedef struct rp_rec {
    long line;
    char *raw, *type, *title, *authors, *journal, *volume, *issue, *pages;
    char *doi, *pmid, *abstract, *keywords;
    int year;
} rp_rec;

typedef struct rp_set {
    rp_format format;
    rp_rec *rec;
    size_t n, cap;
    long recoded_lines;   /* lines that were not UTF-8: read as Windows-1252 */
    app_strlist warnings; /* "FILE:LINE: ..." sentences                      */
} rp_set;

/* "ris", "medline" or "csv" (the names stored in the review file). */
const char *rp_format_name(rp_format f);
/* The format of an export from its content (docs: detection rules): the
 * first non-blank line decides: "XX  - " is RIS, "XXXX- " is MEDLINE,
 * anything else CSV. */
rp_format rp_detect(const char *data, size_t len);
/* Parse the whole file (fmt RP_AUTO: detect).  file is used in messages.
 * On error (exit 3 with FILE:LINE:COL, or 6 out of memory) the set is
 * freed and empty.  rp_set_free() frees a parsed set. */
int rp_parse(const char *file, const char *data, size_t len, rp_format fmt, rp_set *s,
             app_err *e);
void rp_set_free(rp_set *s);

/* ---- normalisation (review_text.c) ------------------------------------- */
/* Clean n bytes of UTF-8 text: with html, tags such as <i>, </sup>, <span
 * class=...> are removed and entities (&amp; &#233; &#x3b1; &alpha; ...)
 * decoded; control characters become spaces, runs of blanks one space,
 * ends trimmed.  *out is NULL when nothing is left.  -1 when out of
 * memory. */
int rp_clean(const char *s, size_t n, int html, char **out);
/* A DOI normalised: "https://doi.org/", "doi.org/", "doi:" prefixes and a
 * trailing " [doi]" removed, ASCII lower case, up to the first blank.
 * 1 with *out set, 0 when s is not a DOI (does not start with "10."), -1
 * out of memory. */
int rp_doi(const char *s, char **out);
/* The year: the first run of exactly 4 digits in s, when it is 1000-2999;
 * else 0. */
int rp_year(const char *s);
/* SHA-256 of n bytes as 64 lower-case hex digits and a NUL. */
void rp_sha256(const void *data, size_t n, char hex[65]);

#endif
