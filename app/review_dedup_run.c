/*
 * review_dedup_run.c - `review dedup` over a review file: exact DOI and
 * PMID matches, then title blocking (each record is compared with the
 * records that share one of its three rarest title words) and the pair
 * score of review_dedup.c.  review_dedup.h; docs/cli/review-dedup.md.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "review_dedup.h"

/* Blocking: each record's rarest bigrams, and the largest block used. */
#define RD_KEYS 4
#define RD_MAX_BLOCK 1000

/* A record's normalised strings live in one buffer (rd_prepare); rd_rec
 * points into it. */
typedef struct prep {
    rd_rec r;
    char *buf;
    const char *pmid; /* normalised, into buf */
    size_t tok0, ntok, bg0, nbg, key0, nkey; /* into the shared arrays */
} prep;

typedef struct pair {
    long long a, b;
} pair;

typedef struct cand {
    size_t i, j;
    double score;
} cand;

typedef struct run {
    rv_db *r;
    prep *p;
    size_t n;
    pair *links; /* current links, sorted */
    size_t nlinks;
    size_t *parent;
    /* words */
    struct slot {
        const char *s;
        size_t len;
        int id;
    } *tab;
    size_t cap, nwords;
    int *tok;            /* each record's words, sorted          */
    uint64_t *bg, *keys; /* each record's bigrams; its keys     */
    struct post {
        uint64_t key;
        size_t rec;
    } *post;             /* all bigrams and their records, sorted */
    size_t ntok, nbg, nkeys, npost;
    cand *c;
    size_t nc, capc;
    sqlite3_stmt *ins;
    char now[32];
} run;

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : NULL;
}

/* One record's normalised strings (rd_prepare on the row's columns). */
static int prepare_rec(prep *p, sqlite3_stmt *st)
{
    rd_src s;
    s.id = sqlite3_column_int64(st, 0);
    s.title = col(st, 1);
    s.authors = col(st, 2);
    s.year = sqlite3_column_type(st, 3) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 3);
    s.journal = col(st, 4);
    s.volume = col(st, 5);
    s.pages = col(st, 6);
    s.doi = col(st, 7);
    s.pmid = col(st, 8);
    return rd_prepare(&s, &p->r, &p->buf, &p->pmid);
}

static const char *pmid_of(const prep *p) { return p->pmid; }

static int load_records(run *u, app_err *e)
{
    sqlite3_stmt *st;
    long long n = rv_count(u->r, "SELECT count(*) FROM records", -1, e);
    int rc;
    if (n < 0)
        return -1;
    if (!(u->p = app_calloc((size_t)n + 1, sizeof *u->p)) ||
        !(u->parent = app_alloc(((size_t)n + 1) * sizeof *u->parent)))
        return oom(e);
    if (rv_prepare(u->r,
                   "SELECT id, title, authors, year, journal, volume, pages, doi, pmid "
                   "FROM records ORDER BY id",
                   &st, e))
        return -1;
    while (u->n < (size_t)n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (prepare_rec(&u->p[u->n], st)) {
            sqlite3_finalize(st);
            return oom(e);
        }
        u->parent[u->n] = u->n;
        u->n++;
    }
    rc = sqlite3_errcode(u->r->db);
    sqlite3_finalize(st);
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rv_sqlerr(u->r, "reading the records", e);
    return 0;
}

static size_t index_of(const run *u, long long id)
{
    size_t lo = 0, hi = u->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u->p[mid].r.id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < u->n && u->p[lo].r.id == id ? lo : u->n;
}

static size_t uf(run *u, size_t i)
{
    while (u->parent[i] != i) {
        u->parent[i] = u->parent[u->parent[i]];
        i = u->parent[i];
    }
    return i;
}

static void join(run *u, size_t i, size_t j)
{
    i = uf(u, i);
    j = uf(u, j);
    if (i < j)
        u->parent[j] = i;
    else if (j < i)
        u->parent[i] = j;
}

static int pair_cmp(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static int load_links(run *u, app_err *e)
{
    sqlite3_stmt *st;
    long long n = rv_count(u->r, "SELECT count(*) FROM current_links", -1, e);
    int rc;
    if (n < 0)
        return -1;
    if (!(u->links = app_alloc(((size_t)n + 1) * sizeof *u->links)))
        return oom(e);
    if (rv_prepare(u->r, "SELECT a, b, decision = 'duplicate' FROM current_links", &st, e))
        return -1;
    while (u->nlinks < (size_t)n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        pair *l = &u->links[u->nlinks++];
        l->a = sqlite3_column_int64(st, 0);
        l->b = sqlite3_column_int64(st, 1);
        if (sqlite3_column_int(st, 2)) {
            size_t i = index_of(u, l->a), j = index_of(u, l->b);
            if (i < u->n && j < u->n)
                join(u, i, j);
        }
    }
    rc = sqlite3_errcode(u->r->db);
    sqlite3_finalize(st);
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rv_sqlerr(u->r, "reading the duplicate links", e);
    qsort(u->links, u->nlinks, sizeof *u->links, pair_cmp);
    return 0;
}

static int has_link(const run *u, size_t i, size_t j)
{
    pair k = {u->p[i].r.id, u->p[j].r.id};
    if (k.a > k.b) {
        long long t = k.a;
        k.a = k.b;
        k.b = t;
    }
    return bsearch(&k, u->links, u->nlinks, sizeof *u->links, pair_cmp) != NULL;
}

/* A 'duplicate' link i-j with method and score (NaN: none). */
static int link(run *u, size_t i, size_t j, const char *method, double score, app_err *e)
{
    long long a = u->p[i].r.id, b = u->p[j].r.id;
    if (a > b) {
        long long t = a;
        a = b;
        b = t;
    }
    sqlite3_reset(u->ins);
    sqlite3_bind_int64(u->ins, 1, a);
    sqlite3_bind_int64(u->ins, 2, b);
    sqlite3_bind_text(u->ins, 3, method, -1, SQLITE_STATIC);
    if (score == score)
        sqlite3_bind_double(u->ins, 4, score);
    else
        sqlite3_bind_null(u->ins, 4);
    sqlite3_bind_text(u->ins, 5, u->r->who, -1, SQLITE_STATIC);
    sqlite3_bind_text(u->ins, 6, u->now, -1, SQLITE_STATIC);
    if (sqlite3_step(u->ins) != SQLITE_DONE)
        return rv_sqlerr(u->r, "adding a duplicate link", e);
    join(u, i, j);
    return 0;
}

/* ---- exact matches ----------------------------------------------------------- */

static const run *sort_run;
static int sort_field;

static const char *field(const prep *p, int f) { return f ? pmid_of(p) : p->r.doi; }

static int by_field(const void *x, const void *y)
{
    const prep *a = &sort_run->p[*(const size_t *)x], *b = &sort_run->p[*(const size_t *)y];
    int c = strcmp(field(a, sort_field), field(b, sort_field));
    if (c)
        return c;
    return a->r.id < b->r.id ? -1 : a->r.id > b->r.id;
}

static int exact(run *u, int f, long long *count, app_err *e)
{
    size_t *ix = app_alloc((u->n + 1) * sizeof *ix), g;
    if (!ix)
        return oom(e);
    for (size_t i = 0; i < u->n; i++)
        ix[i] = i;
    sort_run = u;
    sort_field = f;
    qsort(ix, u->n, sizeof *ix, by_field);
    for (size_t i = 0; i < u->n; i = g) {
        const char *v = field(&u->p[ix[i]], f);
        for (g = i + 1; g < u->n && strcmp(field(&u->p[ix[g]], f), v) == 0; g++)
            if (*v && !has_link(u, ix[i], ix[g]) && uf(u, ix[i]) != uf(u, ix[g])) {
                if (link(u, ix[i], ix[g], f ? "pmid" : "doi", NAN, e)) {
                    app_free(ix);
                    return -1;
                }
                (*count)++;
            }
    }
    app_free(ix);
    return 0;
}

/* ---- title words and blocking ------------------------------------------------- */

static const char *const stop[] = {"the", "and", "for", "with", "from", "its", "are", "was",
                                   "were", "not", "versus", "into", "after", "among", "than",
                                   "between", "during", "study", "trial", "patients", "effect",
                                   "effects", "review", "randomized", "randomised", "controlled"};

static int stopword(const char *w, size_t n)
{
    if (n < 3)
        return 1;
    for (size_t i = 0; i < sizeof stop / sizeof *stop; i++)
        if (strlen(stop[i]) == n && memcmp(w, stop[i], n) == 0)
            return 1;
    return 0;
}

static size_t hash(const char *s, size_t n)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* The id of word s (added when new); -1 when out of memory. */
static int word_id(run *u, const char *s, size_t n)
{
    size_t h;
    if (2 * (u->nwords + 1) > u->cap) {
        size_t cap = u->cap ? 2 * u->cap : 4096;
        struct slot *t = app_calloc(cap, sizeof *t);
        if (!t)
            return -1;
        for (size_t i = 0; i < u->cap; i++)
            if (u->tab[i].s) {
                size_t k = hash(u->tab[i].s, u->tab[i].len) & (cap - 1);
                while (t[k].s)
                    k = (k + 1) & (cap - 1);
                t[k] = u->tab[i];
            }
        app_free(u->tab);
        u->tab = t;
        u->cap = cap;
    }
    h = hash(s, n) & (u->cap - 1);
    while (u->tab[h].s) {
        if (u->tab[h].len == n && memcmp(u->tab[h].s, s, n) == 0)
            return u->tab[h].id;
        h = (h + 1) & (u->cap - 1);
    }
    u->tab[h].s = s;
    u->tab[h].len = n;
    u->tab[h].id = (int)u->nwords;
    return (int)u->nwords++;
}

static int int_cmp(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return a < b ? -1 : a > b;
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int post_cmp(const void *x, const void *y)
{
    const struct post *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->rec < b->rec ? -1 : a->rec > b->rec;
}

/* Each record's distinct title words (ids, sorted), its word pairs
 * ("bigrams" of consecutive significant words, sorted; the word alone when
 * the title has one) and all bigrams with their records (sorted). */
static int title_words(run *u, app_err *e)
{
    size_t total = 0, cap;
    int *seq;
    for (size_t i = 0; i < u->n; i++)
        total += strlen(u->p[i].r.title) / 2 + 1;
    cap = total + 1;
    if (!(u->tok = app_alloc(cap * sizeof *u->tok)) || !(u->bg = app_alloc(cap * sizeof *u->bg)) ||
        !(u->post = app_alloc(cap * sizeof *u->post)) ||
        !(u->keys = app_alloc((RD_KEYS * u->n + 1) * sizeof *u->keys)))
        return oom(e);
    for (size_t i = 0; i < u->n; i++) {
        const char *s = u->p[i].r.title;
        size_t k0 = u->ntok, m;
        while (*s) {
            size_t n = strcspn(s, " ");
            if (!stopword(s, n) && u->ntok < cap) {
                int id = word_id(u, s, n);
                if (id < 0)
                    return oom(e);
                u->tok[u->ntok++] = id;
            }
            s += n;
            while (*s == ' ')
                s++;
        }
        /* bigrams in title order, then the words sorted */
        seq = u->tok + k0;
        u->p[i].bg0 = u->nbg;
        for (size_t k = 0; k + 1 < u->ntok - k0 || (k == 0 && u->ntok - k0 == 1); k++) {
            uint64_t key = (uint64_t)(unsigned)seq[k] << 32 |
                           (k + 1 < u->ntok - k0 ? (unsigned)seq[k + 1] : 0xFFFFFFFFu);
            u->bg[u->nbg++] = key;
        }
        qsort(u->bg + u->p[i].bg0, u->nbg - u->p[i].bg0, sizeof *u->bg, u64_cmp);
        m = u->p[i].bg0;
        for (size_t k = u->p[i].bg0; k < u->nbg; k++)
            if (k == u->p[i].bg0 || u->bg[k] != u->bg[m - 1])
                u->bg[m++] = u->bg[k];
        u->nbg = m;
        u->p[i].nbg = m - u->p[i].bg0;
        for (size_t k = u->p[i].bg0; k < m; k++) {
            u->post[u->npost].key = u->bg[k];
            u->post[u->npost++].rec = i;
        }
        qsort(u->tok + k0, u->ntok - k0, sizeof *u->tok, int_cmp);
        m = k0;
        for (size_t k = k0; k < u->ntok; k++)
            if (k == k0 || u->tok[k] != u->tok[m - 1])
                u->tok[m++] = u->tok[k];
        u->ntok = m;
        u->p[i].tok0 = k0;
        u->p[i].ntok = m - k0;
    }
    qsort(u->post, u->npost, sizeof *u->post, post_cmp);
    return 0;
}

/* The records with bigram key: post[*lo .. *hi). */
static void posting(const run *u, uint64_t key, size_t *lo, size_t *hi)
{
    size_t a = 0, b = u->npost;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (u->post[mid].key < key)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    b = u->npost;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (u->post[mid].key <= key)
            a = mid + 1;
        else
            b = mid;
    }
    *hi = a;
}

/* The RD_KEYS rarest bigrams of each record are its blocking keys. */
static void choose_keys(run *u)
{
    for (size_t i = 0; i < u->n; i++) {
        size_t best[RD_KEYS], df[RD_KEYS], nk = 0;
        for (size_t k = u->p[i].bg0; k < u->p[i].bg0 + u->p[i].nbg; k++) {
            size_t lo, hi, at;
            posting(u, u->bg[k], &lo, &hi);
            /* insertion into the RD_KEYS rarest so far */
            for (at = nk; at > 0 && df[at - 1] > hi - lo; at--)
                if (at < RD_KEYS) {
                    best[at] = best[at - 1];
                    df[at] = df[at - 1];
                }
            if (at < RD_KEYS) {
                best[at] = k;
                df[at] = hi - lo;
                if (nk < RD_KEYS)
                    nk++;
            }
        }
        u->p[i].key0 = u->nkeys;
        u->p[i].nkey = nk;
        for (size_t k = 0; k < nk; k++)
            u->keys[u->nkeys++] = u->bg[best[k]];
    }
}

static int has_bigram(const run *u, size_t i, uint64_t key)
{
    return bsearch(&key, u->bg + u->p[i].bg0, u->p[i].nbg, sizeof *u->bg, u64_cmp) != NULL;
}

/* Share of the smaller word set that the other record has too. */
static double overlap(const run *u, size_t i, size_t j)
{
    const int *a = u->tok + u->p[i].tok0, *b = u->tok + u->p[j].tok0;
    size_t na = u->p[i].ntok, nb = u->p[j].ntok, x = 0, y = 0, c = 0;
    if (na == 0 || nb == 0)
        return 0;
    while (x < na && y < nb) {
        if (a[x] == b[y])
            c++, x++, y++;
        else if (a[x] < b[y])
            x++;
        else
            y++;
    }
    return (double)c / (double)(na < nb ? na : nb);
}

static int add_cand(run *u, size_t i, size_t j, double s, app_err *e)
{
    if (u->nc == u->capc) {
        size_t cap = u->capc ? 2 * u->capc : 1024;
        cand *c = app_realloc(u->c, cap * sizeof *c);
        if (!c)
            return oom(e);
        u->c = c;
        u->capc = cap;
    }
    u->c[u->nc].i = i < j ? i : j;
    u->c[u->nc].j = i < j ? j : i;
    u->c[u->nc++].score = s;
    return 0;
}

/* Compare every record with the records that share one of its keys (a
 * key held by more than RD_MAX_BLOCK records is too common to block on). */
static int compare(run *u, double min, long long *compared, app_err *e)
{
    size_t *seen = app_calloc(u->n + 1, sizeof *seen);
    if (!seen)
        return oom(e);
    for (size_t i = 0; i < u->n; i++) {
        for (size_t k = 0; k < u->p[i].nkey; k++) {
            size_t lo, hi;
            posting(u, u->keys[u->p[i].key0 + k], &lo, &hi);
            if (hi - lo > RD_MAX_BLOCK)
                continue;
            for (size_t q = lo; q < hi; q++) {
                size_t j = u->post[q].rec, kk;
                double s;
                if (j == i || seen[j] == i + 1)
                    continue;
                seen[j] = i + 1;
                if (j < i) { /* seen from j's side when one of j's keys is in i */
                    for (kk = 0; kk < u->p[j].nkey; kk++)
                        if (has_bigram(u, i, u->keys[u->p[j].key0 + kk]))
                            break;
                    if (kk < u->p[j].nkey)
                        continue;
                }
                if (overlap(u, i, j) < 0.5)
                    continue;
                (*compared)++;
                s = rd_score_min(&u->p[i].r, &u->p[j].r, min);
                if (s >= min && add_cand(u, i, j, s, e)) {
                    app_free(seen);
                    return -1;
                }
            }
        }
    }
    app_free(seen);
    return 0;
}

static int by_score(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

/* ---- the run ------------------------------------------------------------------- */

static int apply(run *u, const rd_opts *o, rd_result *res, app_err *e)
{
    sqlite3_stmt *st;
    sbuf why;
    int rc = 0;
    qsort(u->c, u->nc, sizeof *u->c, by_score);
    for (size_t k = 0; k < u->nc; k++) {
        cand *c = &u->c[k];
        if (c->score < o->auto_threshold)
            break;
        if (has_link(u, c->i, c->j) || uf(u, c->i) == uf(u, c->j)) {
            c->score = -1; /* settled */
            continue;
        }
        if (link(u, c->i, c->j, "auto", c->score, e))
            return -1;
        res->by_auto++;
        c->score = -1;
    }
    if (rv_exec(u->r, "DELETE FROM dedup_candidates", e) ||
        rv_prepare(u->r,
                   "INSERT INTO dedup_candidates(a, b, score, detail, found_at) "
                   "VALUES (?, ?, ?, ?, ?)",
                   &st, e))
        return -1;
    sb_init(&why);
    for (size_t k = 0; k < u->nc && rc == 0; k++) {
        cand *c = &u->c[k];
        rd_why w;
        if (c->score < 0 || has_link(u, c->i, c->j) || uf(u, c->i) == uf(u, c->j))
            continue;
        rd_score(&u->p[c->i].r, &u->p[c->j].r, &w);
        why.len = 0;
        rd_why_text(&w, &why);
        if (why.oom) {
            rc = oom(e);
            break;
        }
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, u->p[c->i].r.id);
        sqlite3_bind_int64(st, 2, u->p[c->j].r.id);
        sqlite3_bind_double(st, 3, c->score);
        sqlite3_bind_text(st, 4, why.p, (int)why.len, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, u->now, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = rv_sqlerr(u->r, "listing the pairs to review", e);
        res->to_review++;
    }
    sb_free(&why);
    sqlite3_finalize(st);
    return rc;
}

int rd_run(rv_db *r, const rd_opts *o, rd_result *res, app_err *e)
{
    run u;
    int rc = -1;
    memset(&u, 0, sizeof u);
    memset(res, 0, sizeof *res);
    u.r = r;
    rv_now(u.now);
    if (load_records(&u, e) || load_links(&u, e))
        goto out;
    res->records = (long long)u.n;
    if (rv_prepare(r,
                   "INSERT INTO dedup_links(a, b, decision, method, score, decided_by, "
                   "decided_at) VALUES (?, ?, 'duplicate', ?, ?, ?, ?)",
                   &u.ins, e))
        goto out;
    if (exact(&u, 0, &res->by_doi, e) || exact(&u, 1, &res->by_pmid, e))
        goto out;
    if (title_words(&u, e))
        goto out;
    choose_keys(&u);
    if (compare(&u, o->review_threshold, &res->compared, e) || apply(&u, o, res, e))
        goto out;
    rc = 0;
out:
    sqlite3_finalize(u.ins);
    for (size_t i = 0; i < u.n; i++)
        app_free(u.p[i].buf);
    app_free(u.p);
    app_free(u.parent);
    app_free(u.links);
    app_free(u.tab);
    app_free(u.bg);
    app_free(u.post);
    app_free(u.tok);
    app_free(u.keys);
    app_free(u.c);
    return rc;
}
