/*
 * fuzz_review.c - libFuzzer harness: any bytes as a search export for
 * `metasyn review import`, then the duplicate matcher over its records.
 *
 * The input is sniffed (rp_detect) and parsed as detected, as RIS and as
 * MEDLINE (nbib).  The records of every successful parse are prepared for
 * comparison the way review_dedup_run.c prepares them (normalised title,
 * main title, first author, journal, DOI, first page, volume, title marks
 * and numbers, PMID) and every pair of the first MAXREC is scored, with
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

/* One record prepared: the strings live in b (offsets), rd_rec points
 * into it once b is complete. */
typedef struct prep {
    rd_rec r;
    sbuf b;
    size_t off[9];
    int has_main;
} prep;

static int prepare(prep *p, const rp_rec *x, long long id)
{
    sbuf *b = &p->b;
    const char *colon = x->title ? strpbrk(x->title, ":?") : NULL;
    char *doi = NULL;
    memset(p, 0, sizeof *p);
    sb_init(b);
    p->r.id = id;
    rd_norm_text(x->title, b);
    sb_add(b, "", 1);
    p->off[1] = b->len;
    if (colon && colon > x->title && colon[1]) {
        char *m = app_strndup(x->title, (size_t)(colon - x->title));
        if (!m)
            return -1;
        rd_norm_text(m, b);
        app_free(m);
        /* a main title of three words or more, as review_dedup_run.c */
        p->has_main = !b->oom && b->p && strchr(b->p + p->off[1], ' ') != NULL &&
                      strchr(strchr(b->p + p->off[1], ' ') + 1, ' ') != NULL;
    }
    sb_add(b, "", 1);
    p->off[2] = b->len;
    rd_first_author(x->authors, b);
    sb_add(b, "", 1);
    p->off[3] = b->len;
    rd_norm_journal(x->journal, b);
    sb_add(b, "", 1);
    p->off[4] = b->len;
    rd_norm_doi(x->doi, b);
    sb_add(b, "", 1);
    p->off[5] = b->len;
    rd_first_page(x->pages, b);
    sb_add(b, "", 1);
    p->off[6] = b->len;
    rd_norm_text(x->volume, b);
    sb_add(b, "", 1);
    p->off[7] = b->len;
    if (!b->oom)
        p->r.marks = rd_title_marks(b->p, b);
    sb_add(b, "", 1);
    p->off[8] = b->len;
    rd_norm_pmid(x->pmid, b);
    sb_add(b, "", 1);
    if (b->oom)
        return -1;
    /* the import's own DOI normalisation must agree with being a DOI */
    if (x->doi && rp_doi(x->doi, &doi) < 0)
        return -1;
    app_free(doi);
    p->r.preprint = rd_doi_preprint(b->p + p->off[4]) || rd_journal_preprint(x->journal);
    p->r.year = x->year;
    p->r.title = b->p;
    p->r.main = p->has_main ? b->p + p->off[1] : NULL;
    p->r.author = b->p + p->off[2];
    p->r.journal = b->p + p->off[3];
    p->r.doi = b->p + p->off[4];
    p->r.page = b->p + p->off[5];
    p->r.volume = b->p + p->off[6];
    p->r.nums = b->p + p->off[7];
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
            sb_free(&p[ok].b);
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
        sb_free(&p[i].b);
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
