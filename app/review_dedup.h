/*
 * review_dedup.h - duplicate records of a review: normalisation and
 * similarity (pure functions, review_dedup.c) and the run over a review
 * file (review_dedup_run.c).  docs/cli/review-dedup.md.
 */
#ifndef MSYN_REVIEW_DEDUP_H
#define MSYN_REVIEW_DEDUP_H

#include "review.h"

/* Default thresholds on the pair score (0..1). */
#define RD_AUTO_DEFAULT 0.90
#define RD_REVIEW_DEFAULT 0.70

/* ---- normalisation (review_dedup.c) ------------------------------------ */

/* Text for comparison: HTML tags dropped, entities decoded, Unicode case
 * folding, compatibility decomposition and accents stripped (utf8proc),
 * apostrophes dropped, everything that is not a letter or a digit a
 * space, spaces collapsed.  Appended to out (check out->oom). */
void rd_norm_text(const char *s, sbuf *out);
/* A DOI for comparison: lower case, without "https://doi.org/", "doi:"
 * and trailing punctuation; "" when s holds no DOI (no "10."). */
void rd_norm_doi(const char *s, sbuf *out);
/* A PMID: its digits; "" when none. */
void rd_norm_pmid(const char *s, sbuf *out);
/* The first author's surname words, normalised ("Smith, John",
 * "Smith J", "J. Smith" and "Smith JA, Jones K" all give "smith";
 * "John Smith" gives "john smith"). */
void rd_first_author(const char *authors, sbuf *out);
/* A journal name for comparison: normalised, without "the", "of", "and"
 * and the like; "" for preprint servers (medRxiv, bioRxiv, arXiv,
 * Research Square, SSRN, Preprints), which say nothing about the paper. */
void rd_norm_journal(const char *s, sbuf *out);
/* The journal is a preprint server. */
int rd_journal_preprint(const char *s);
/* The first page ("e1234", "S12", "123"), normalised. */
void rd_first_page(const char *pages, sbuf *out);

/* ---- similarity (review_dedup.c) --------------------------------------- */

/* Levenshtein similarity of two strings: 1 - distance / longer length
 * (bytes; the first 255 of each). 1 for two empty strings. */
double rd_lev_sim(const char *a, const char *b);
/* Token similarity of two normalised texts: Dice coefficient of their word
 * sets. */
double rd_token_sim(const char *a, const char *b);
/* Title similarity of two normalised titles (each with its main title, the
 * part before a ':' or '?', or NULL when it has no subtitle): the mean of
 * the Levenshtein and token similarities, of the full titles or, when one
 * has a subtitle the other lacks, of that main title and the other title,
 * whichever is higher. */
double rd_title_sim(const char *ta, const char *ma, const char *tb, const char *mb);
/* Two normalised first authors are the same person's surname: a word of
 * one equals a word (two letters or more) of the other, or differs by one
 * edit in words of five letters or more. -1 when either is empty. */
int rd_author_match(const char *a, const char *b);
/* Two normalised journal names name the same journal: equal, one an
 * abbreviation of the other word by word (each abbreviated word starts
 * with the same letter and its letters appear in order in the full word:
 * "j clin epidemiol" / "journal clinical epidemiology"), or one the
 * initials of the other ("bmj" / "british medical journal").  -1 when
 * either is empty. */
int rd_journal_match(const char *a, const char *b);
/* A DOI of a preprint server (10.1101 bioRxiv/medRxiv, 10.21203 Research
 * Square, 10.2139 SSRN, 10.48550 arXiv, 10.20944 Preprints). */
int rd_doi_preprint(const char *doi);

/* One record, prepared for comparison (all strings normalised, "" when
 * absent). */
typedef struct rd_rec {
    long long id;
    const char *title, *main; /* main: NULL when no subtitle */
    const char *author, *journal, *doi, *page, *volume;
    int year;          /* 0 when absent */
    int preprint;      /* a preprint (server as journal, or preprint DOI) */
    unsigned marks;    /* RD_MARK_* words in the title */
    const char *nums;  /* the numbers of the title ("1 2", "ii") */
} rd_rec;

#define RD_MARK_ERRATUM 1u   /* erratum, correction, corrigendum */
#define RD_MARK_RETRACT 2u   /* retraction, retracted, withdrawn */
#define RD_MARK_REPLY 4u     /* reply, commentary */
#define RD_MARK_ABSTRACT 8u  /* abstract (a conference abstract) */

/* The words of rd_rec.marks and rd_rec.nums of a normalised title; nums
 * appended to out. */
unsigned rd_title_marks(const char *title, sbuf *nums);

/* A record's fields as stored or imported (strings NULL when absent). */
typedef struct rd_src {
    long long id;
    const char *title, *authors, *journal, *volume, *pages, *doi, *pmid;
    int year; /* 0 when absent */
} rd_src;

/* Prepare s for comparison: normalised title, main title (the part
 * before the first ':' or '?' when it has three words or more), first
 * author, journal, DOI, first page, volume, title marks and numbers, and
 * PMID.  The strings live in one buffer, *buf (app_free it); r and *pmid
 * point into it.  0, or -1 out of memory (nothing to free). */
int rd_prepare(const rd_src *s, rd_rec *r, char **buf, const char **pmid);

/* Why two records score what they score. */
typedef struct rd_why {
    double title;        /* title similarity                       */
    int author, journal; /* 1 same, 0 different, -1 unknown         */
    int year_diff;       /* |year difference|, -1 unknown           */
    int pages;           /* 1 same, 0 different, -1 unknown         */
    int doi_conflict;    /* both have DOIs (not preprint) that differ */
    int marks_differ;    /* erratum/retraction/reply on one only   */
    int nums_differ;     /* the titles' numbers differ ("Part 1/2") */
} rd_why;

/* The score of a pair (0..1): a weighted mean of the title (0.6), first
 * author (0.15), year (0.1: 1 same, 0.7 one apart - 1 when one record is
 * a preprint -, 0 else), journal (0.1)
 * and page/volume (0.05) agreement over the parts both records have,
 * multiplied by 0.7 for conflicting DOIs, 0.5 when one title is an
 * erratum, retraction, reply or abstract and the other is not, 0.6 when
 * the numbers in the titles differ.  why (may be NULL) says why. */
double rd_score(const rd_rec *a, const rd_rec *b, rd_why *why);
/* rd_score(a, b, NULL), or -1 when it is below min whatever the titles
 * (the title, the slow part, is compared only when it can matter). */
double rd_score_min(const rd_rec *a, const rd_rec *b, double min);
/* why in words ("title 0.93, first author same, year +1, ..."). */
void rd_why_text(const rd_why *w, sbuf *out);

/* ---- the run (review_dedup_run.c) -------------------------------------- */

typedef struct rd_opts {
    double auto_threshold, review_threshold;
} rd_opts;

typedef struct rd_result {
    long long records, by_doi, by_pmid, by_auto, to_review, compared;
} rd_result;

/* Find duplicates among the records of r, inside the caller's
 * transaction: exact DOI and PMID matches and pairs scoring at least
 * auto_threshold become 'duplicate' links; pairs from review_threshold
 * up become the review list (dedup_candidates, replaced).  A pair with a
 * current link, or already in one duplicate cluster, is never linked
 * again. */
int rd_run(rv_db *r, const rd_opts *o, rd_result *res, app_err *e);

#endif
