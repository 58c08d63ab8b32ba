/*
 * fuzz_review.c - libFuzzer harness: any bytes as a search export for
 * `metasyn review import`, then the duplicate matcher over its records.
 *
 * The input is sniffed (rp_detect) and parsed as detected, as RIS and as
 * MEDLINE (nbib).  The records of every successful parse are prepared for
 * comparison by rd_prepare, as review_dedup_run.c prepares them (normalised
 * title, main title, first author, journal, DOI, first page, volume, title
 * marks and numbers, PMID) and every pair of the first MAXREC is scored, with
 * the reasons in words.  The database part of `review dedup` (rd_run) is
 * not exercised here.  Anything may be rejected with a message; nothing
 * may crash, leak or read out of bounds.  tests/fuzz/replay.c replays
 * tests/fuzz/corpus-review in `make check`.
 */
#include <stdint.h>
#include <string.h>

#include "review_dedup.h"
#include "review_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXREC 16

/* One record prepared by rd_prepare (as review_dedup_run.c does): the
 * strings live in buf. */
typedef struct prep {
    rd_rec r;
    char *buf;
    const char *pmid;
} prep;

static int prepare(prep *p, const rp_rec *x, long long id)
{
    rd_src s;
    char *doi = NULL;
    memset(p, 0, sizeof *p);
    s.id = id;
    s.title = x->title;
    s.authors = x->authors;
    s.year = x->year;
    s.journal = x->journal;
    s.volume = x->volume;
    s.pages = x->pages;
    s.doi = x->doi;
    s.pmid = x->pmid;
    if (rd_prepare(&s, &p->r, &p->buf, &p->pmid) != 0)
        return -1;
    /* the import's own DOI normalisation must agree with being a DOI */
    if (x->doi && rp_doi(x->doi, &doi) < 0)
        return -1;
    app_free(doi);
    return 0;
}

static void match_all(const rp_set *s)
{
    static prep p[MAXREC];
    size_t n = s->n < MAXREC ? s->n : MAXREC, ok = 0;
    sbuf why;
    sb_init(&why);
    for (; ok < n; ok++)
        if (prepare(&p[ok], &s->rec[ok], (long long)ok + 1) != 0) {
            app_free(p[ok].buf);
            break;
        }
    for (size_t i = 0; i < ok; i++)
        for (size_t j = i; j < ok; j++) {
            rd_why w;
            double sc = rd_score(&p[i].r, &p[j].r, &w);
            double sm = rd_score_min(&p[i].r, &p[j].r, RD_REVIEW_DEFAULT);
            /* the fast path must agree with the full score */
            if (sm >= 0 && (sm < sc - 1e-12 || sm > sc + 1e-12))
                __builtin_trap();
            if (sm < 0 && sc >= RD_REVIEW_DEFAULT + 1e-12)
                __builtin_trap();
            if (!(sc >= 0 && sc <= 1))
                __builtin_trap();
            why.len = 0;
            rd_why_text(&w, &why);
            (void)rd_lev_sim(p[i].r.title, p[j].r.title);
            (void)rd_token_sim(p[i].r.title, p[j].r.title);
            (void)rd_author_match(p[i].r.author, p[j].r.author);
            (void)rd_journal_match(p[i].r.journal, p[j].r.journal);
        }
    for (size_t i = 0; i < ok; i++)
        app_free(p[i].buf);
    sb_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const rp_format fmts[] = {RP_AUTO, RP_RIS, RP_MEDLINE};
    const char *d = (const char *)data;
    rp_format det = rp_detect(d, size);
    (void)rp_format_name(det);
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        rp_set s;
        app_err e;
        if (i > 0 && fmts[i] == det)
            continue; /* parsed already as detected */
        if (rp_parse("fuzz.ris", d, size, fmts[i], &s, &e) != 0)
            continue;
        match_all(&s);
        rp_set_free(&s);
    }
    return 0;
}
