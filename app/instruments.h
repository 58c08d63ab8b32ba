/*
 * instruments.h - outcome instruments (scales, questionnaires) with their
 * range, direction and minimal clinically important difference (MCID),
 * each value with the published source it was taken from.
 *
 * metasyn ships a table of instruments used in clinical reviews
 * (instruments.c, docs/instruments.md); a user may add or replace
 * entries with a CSV file of the same columns (app_instruments_read).
 * `metasyn instruments` lists them; `pool --instrument NAME` takes the
 * MCID and the scale from here.
 */
#ifndef MSYN_INSTRUMENTS_H
#define MSYN_INSTRUMENTS_H

#include <stddef.h>

#include "app.h"

typedef struct app_instrument {
    const char *key;        /* stable key: "vas-pain-100", "odi", ...          */
    const char *name;       /* display name                                      */
    const char *aliases;    /* other names, separated by '|' ("" if none)        */
    double min, max;        /* range of the score                                */
    int higher_better;      /* 1: a higher score is better; 0: worse             */
    double mcid;            /* MCID in points of the scale (> 0)                 */
    double mcid_pct;        /* relative MCID in % of baseline, NaN if none given */
    const char *population; /* where the MCID was estimated                      */
    const char *cite;       /* short citation: "Ostelo et al. 2008"              */
    const char *source;     /* full reference and what it says                   */
    const char *note;       /* other published MCIDs, caveats ("" if none)       */
} app_instrument;

/* A user table (app_instruments_read); its strings are owned by it. */
typedef struct app_instruments {
    app_instrument *v;
    size_t n;
    char **strings;         /* every string of v, freed by app_instruments_free */
    size_t nstrings;
} app_instruments;

/* The shipped instrument whose key, name or alias is name_or_alias,
 * compared ignoring case, spaces, hyphens and underscores; NULL if none. */
const app_instrument *app_instrument_find(const char *name_or_alias);
/* 1 if name is e's key, name or one of its aliases (compared as above). */
int app_instrument_matches(const app_instrument *e, const char *name);
/* The shipped table: app_instrument_count() entries, in a stable order. */
size_t app_instrument_count(void);
const app_instrument *app_instrument_at(size_t i);

/* Read a user table from a CSV file ("-" = standard input) with the
 * columns key, name, aliases, min, max, higher_is, mcid, mcid_type,
 * population, cite, source, note.  Every cell is checked; the first bad
 * one gives "FILE:LINE:COL: what is wrong; what would be right" (exit
 * code APP_EXIT_DATA in e->code; APP_EXIT_IO if the file cannot be read,
 * APP_EXIT_INTERNAL when out of memory).  0 or -1. */
int app_instruments_read(const char *path, app_instruments *out, app_err *e);
/* As app_instruments_read, from memory (file is used in messages). */
int app_instruments_parse(const char *file, const char *data, size_t len, app_instruments *out,
                          app_err *e);
void app_instruments_free(app_instruments *u);

/* The merged table: the shipped entries in their order, each replaced by
 * the user entry with the same key, then the user's new entries in file
 * order.  user may be NULL (the shipped table). */
size_t app_instruments_count(const app_instruments *user);
const app_instrument *app_instruments_at(const app_instruments *user, size_t i);
/* app_instrument_find over the merged table (user entries first). */
const app_instrument *app_instruments_find(const app_instruments *user, const char *name_or_alias);
/* 1 if e is a user entry (not shipped). */
int app_instrument_is_user(const app_instruments *user, const app_instrument *e);

/* Up to max keys of the merged table closest to name (edit distance on
 * the normalised strings, or containing it), best first; returns how
 * many were written to keys. */
size_t app_instruments_suggest(const app_instruments *user, const char *name, const char **keys,
                               size_t max);

/* "points" or "points or 30%" (the mcid_type column). */
void app_instrument_mcid_type(const app_instrument *e, sbuf *out);
/* For a report: "MCID 15 points (Ostelo et al. 2008)". */
void app_instrument_mcid_sentence(const app_instrument *e, sbuf *out);

#endif /* MSYN_INSTRUMENTS_H */
