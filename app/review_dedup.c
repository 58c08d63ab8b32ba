/*
 * review_dedup.c - normalisation and similarity of bibliographic records
 * for duplicate detection.  Pure functions on strings (no database); the
 * run over a review file is review_dedup_run.c.  review_dedup.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "review_dedup.h"

/* ---- normalisation ---------------------------------------------------------- */

/* Latin letters that have no decomposition but that exports often write
 * without their stroke (Østergaard / Ostergaard). */
static const struct {
    utf8proc_int32_t cp;
    const char *ascii;
} strokes[] = {{0xF8, "o"},  {0xE6, "ae"}, {0x153, "oe"}, {0x142, "l"},
               {0x111, "d"}, {0x131, "i"}, {0xFE, "th"},  {0xF0, "d"}};

static void put_cp(sbuf *out, utf8proc_int32_t cp, int *space)
{
    utf8proc_uint8_t buf[8];
    for (size_t i = 0; i < sizeof strokes / sizeof *strokes; i++)
        if (cp == strokes[i].cp) {
            if (*space && out->len > 0 && out->p[out->len - 1] != ' ')
                sb_add(out, " ", 1);
            *space = 0;
            sb_puts(out, strokes[i].ascii);
            return;
        }
    utf8proc_ssize_t n;
    utf8proc_category_t cat = utf8proc_category(cp);
    int keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
               (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
    if (!keep) {
        *space = 1;
        return;
    }
    if (*space && out->len > 0 && out->p[out->len - 1] != ' ')
        sb_add(out, " ", 1);
    *space = 0;
    n = utf8proc_encode_char(cp, buf);
    sb_add(out, (const char *)buf, (size_t)n);
}

static void put_folded(sbuf *out, utf8proc_int32_t cp, int *space)
{
    utf8proc_int32_t d[32];
    int bound = 0;
    utf8proc_ssize_t n;
    if (cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0xB4 || cp == '`')
        return; /* Crohn's = Crohns */
    n = utf8proc_decompose_char(cp, d, 32,
                                UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                    UTF8PROC_STRIPMARK,
                                &bound);
    if (n < 0 || n > 32) {
        *space = 1;
        return;
    }
    for (utf8proc_ssize_t i = 0; i < n; i++)
        put_cp(out, d[i], space);
}

static const struct {
    const char *name;
    utf8proc_int32_t cp;
} entities[] = {{"amp", '&'},     {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
                {"apos", '\''},   {"nbsp", ' '},     {"alpha", 0x3B1},  {"beta", 0x3B2},
                {"gamma", 0x3B3}, {"delta", 0x3B4},  {"kappa", 0x3BA},  {"mu", 0x3BC},
                {"ndash", '-'},   {"mdash", '-'},    {"rsquo", 0x2019}, {"lsquo", 0x2018},
                {"ldquo", '"'},   {"rdquo", '"'},    {"eacute", 0xE9},  {"ouml", 0xF6},
                {"uuml", 0xFC},   {"auml", 0xE4},    {"szlig", 0xDF},   {"plusmn", 0xB1}};

/* An HTML entity at s ("&amp;", "&#233;", "&#xE9;"): its code point and
 * length, or 0. */
static size_t entity(const char *s, utf8proc_int32_t *cp)
{
    size_t n = 1;
    while (n < 12 && s[n] && s[n] != ';' && (isalnum((unsigned char)s[n]) || s[n] == '#'))
        n++;
    if (s[n] != ';' || n < 2)
        return 0;
    if (s[1] == '#') {
        char *end;
        long v = (s[2] == 'x' || s[2] == 'X') ? strtol(s + 3, &end, 16) : strtol(s + 2, &end, 10);
        if (end != s + n || v <= 0 || v > 0x10FFFF)
            return 0;
        *cp = (utf8proc_int32_t)v;
        return n + 1;
    }
    for (size_t i = 0; i < sizeof entities / sizeof *entities; i++)
        if (strlen(entities[i].name) == n - 1 && strncmp(s + 1, entities[i].name, n - 1) == 0) {
            *cp = entities[i].cp;
            return n + 1;
        }
    return 0;
}

/* An HTML tag at s ("<i>", "</sub>", "<br/>"): its length, or 0. */
static size_t tag(const char *s)
{
    size_t n = 1;
    if (!(isalpha((unsigned char)s[1]) || (s[1] == '/' && isalpha((unsigned char)s[2]))))
        return 0;
    while (n < 200 && s[n] && s[n] != '>' && s[n] != '<')
        n++;
    return s[n] == '>' ? n + 1 : 0;
}

void rd_norm_text(const char *s, sbuf *out)
{
    int space = 0;
    size_t start = out->len;
    if (!s)
        return;
    while (*s) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n;
        size_t k;
        if (*s == '<' && (k = tag(s)) > 0) {
            s += k;
            continue;
        }
        if (*s == '&' && (k = entity(s, &cp)) > 0) {
            put_folded(out, cp, &space);
            s += k;
            continue;
        }
        n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
        if (n <= 0) { /* not UTF-8: a separator */
            space = 1;
            s++;
            continue;
        }
        put_folded(out, cp, &space);
        s += n;
    }
    (void)start;
}

void rd_norm_doi(const char *s, sbuf *out)
{
    const char *p;
    size_t n, start = out->len;
    if (!s || !(p = strstr(s, "10.")))
        return;
    n = strlen(p);
    while (n > 0 && (isspace((unsigned char)p[n - 1]) || p[n - 1] == '.' || p[n - 1] == ','))
        n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (isspace(c))
            break;
        c = (unsigned char)tolower(c);
        sb_add(out, (const char *)&c, 1);
    }
    (void)start;
}

void rd_norm_pmid(const char *s, sbuf *out)
{
    if (!s)
        return;
    for (; *s; s++)
        if (isdigit((unsigned char)*s))
            sb_add(out, s, 1);
}

/* "JA", "J.", "J.A." - initials, not a surname */
static int initials(const char *w, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '.' || w[i] == '-')
            continue;
        if (!isupper((unsigned char)w[i]))
            return 0;
        letters++;
    }
    return letters <= 3;
}

void rd_first_author(const char *authors, sbuf *out)
{
    const char *end, *comma;
    size_t commas = 0, n;
    sbuf chunk;
    if (!authors)
        return;
    while (*authors == ' ')
        authors++;
    end = strchr(authors, ';');
    if (!end) {
        for (const char *p = authors; *p; p++)
            commas += *p == ',';
        end = authors + strlen(authors);
        if (commas >= 2) /* Vancouver: "Smith JA, Jones K, ..." */
            end = strchr(authors, ',');
    }
    n = (size_t)(end - authors);
    comma = memchr(authors, ',', n);
    if (comma) /* "Smith, John" */
        n = (size_t)(comma - authors);
    sb_init(&chunk);
    /* drop initials, keep the other words */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && authors[j] != ' ')
            j++;
        if (j > i && (comma || !initials(authors + i, j - i))) {
            sb_add(&chunk, authors + i, j - i);
            sb_add(&chunk, " ", 1);
        }
        i = j + 1;
    }
    if (chunk.oom) {
        out->oom = 1;
    } else if (chunk.p) {
        rd_norm_text(chunk.p, out);
    }
    sb_free(&chunk);
}

static const char *const journal_stop[] = {"the", "of", "and", "for", "in", "on", "de",
                                           "la",  "der", "und", "fur", "official", "journal"};
static const char *const preprint_servers[] = {"medrxiv", "biorxiv", "arxiv", "research square",
                                               "ssrn", "preprints", "preprint"};

int rd_journal_preprint(const char *s)
{
    sbuf t;
    int pre = 0;
    sb_init(&t);
    rd_norm_text(s, &t);
    for (size_t i = 0; t.p && i < sizeof preprint_servers / sizeof *preprint_servers; i++)
        pre = pre || strstr(t.p, preprint_servers[i]) != NULL;
    sb_free(&t);
    return pre;
}

void rd_norm_journal(const char *s, sbuf *out)
{
    sbuf t;
    size_t start = out->len;
    int words = 0;
    if (!s)
        return;
    sb_init(&t);
    rd_norm_text(s, &t);
    if (t.oom) {
        out->oom = 1;
        sb_free(&t);
        return;
    }
    for (size_t i = 0; t.p && i < sizeof preprint_servers / sizeof *preprint_servers; i++)
        if (strstr(t.p, preprint_servers[i])) {
            sb_free(&t);
            return;
        }
    for (char *w = t.p; w && *w;) {
        size_t n = strcspn(w, " ");
        int stop = 0;
        /* "journal" is kept when it is abbreviated ("j") or alone */
        for (size_t i = 0; i < sizeof journal_stop / sizeof *journal_stop - 1; i++)
            if (strlen(journal_stop[i]) == n && strncmp(w, journal_stop[i], n) == 0)
                stop = 1;
        if (!stop) {
            if (words++)
                sb_add(out, " ", 1);
            sb_add(out, w, n);
        }
        w += n;
        while (*w == ' ')
            w++;
    }
    (void)start;
    sb_free(&t);
}

void rd_first_page(const char *pages, sbuf *out)
{
    if (!pages)
        return;
    while (*pages && !isalnum((unsigned char)*pages))
        pages++;
    for (; *pages && isalnum((unsigned char)*pages); pages++) {
        char c = (char)tolower((unsigned char)*pages);
        sb_add(out, &c, 1);
    }
}

/* ---- similarity ----------------------------------------------------------------- */

double rd_lev_sim(const char *a, const char *b)
{
    unsigned prev[256], cur[256];
    size_t n = strlen(a), m = strlen(b);
    if (n > 255)
        n = 255;
    if (m > 255)
        m = 255;
    if (n == 0 && m == 0)
        return 1;
    for (size_t j = 0; j <= m; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (unsigned)i;
        for (size_t j = 1; j <= m; j++) {
            unsigned d = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            cur[j] = d;
        }
        memcpy(prev, cur, (m + 1) * sizeof *prev);
    }
    return 1.0 - (double)prev[m] / (double)(n > m ? n : m);
}

/* The words of s (at most max), as (start, length) pairs. */
static size_t words(const char *s, const char **w, size_t *len, size_t max)
{
    size_t k = 0;
    while (*s && k < max) {
        size_t n;
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        n = strcspn(s, " ");
        w[k] = s;
        len[k++] = n;
        s += n;
    }
    return k;
}

static int word_eq(const char *a, size_t na, const char *b, size_t nb)
{
    return na == nb && memcmp(a, b, na) == 0;
}

double rd_token_sim(const char *a, const char *b)
{
    const char *wa[96], *wb[96];
    size_t la[96], lb[96], na, nb, common = 0, ua = 0, ub = 0;
    na = words(a, wa, la, 96);
    nb = words(b, wb, lb, 96);
    if (na == 0 && nb == 0)
        return 1;
    /* distinct words of a that occur in b, and the distinct counts */
    for (size_t i = 0; i < na; i++) {
        int dup = 0, found = 0;
        for (size_t k = 0; k < i && !dup; k++)
            dup = word_eq(wa[i], la[i], wa[k], la[k]);
        if (dup)
            continue;
        ua++;
        for (size_t j = 0; j < nb && !found; j++)
            found = word_eq(wa[i], la[i], wb[j], lb[j]);
        common += (size_t)found;
    }
    for (size_t j = 0; j < nb; j++) {
        int dup = 0;
        for (size_t k = 0; k < j && !dup; k++)
            dup = word_eq(wb[j], lb[j], wb[k], lb[k]);
        ub += (size_t)!dup;
    }
    return 2.0 * (double)common / (double)(ua + ub);
}

static double pair_sim(const char *a, const char *b)
{
    return 0.5 * (rd_lev_sim(a, b) + rd_token_sim(a, b));
}

double rd_title_sim(const char *ta, const char *ma, const char *tb, const char *mb)
{
    double s = pair_sim(ta, tb), t;
    if (ma && !mb && (t = pair_sim(ma, tb)) > s)
        s = t;
    if (mb && !ma && (t = pair_sim(ta, mb)) > s)
        s = t;
    return s;
}

/* Levenshtein distance <= 1 */
static int one_edit(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0, edits = 0;
    if (na > nb + 1 || nb > na + 1)
        return 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            i++, j++;
            continue;
        }
        if (++edits > 1)
            return 0;
        if (na > nb)
            i++;
        else if (nb > na)
            j++;
        else
            i++, j++;
    }
    return edits + (na - i) + (nb - j) <= 1;
}

int rd_author_match(const char *a, const char *b)
{
    const char *wa[16], *wb[16];
    size_t la[16], lb[16], na = words(a, wa, la, 16), nb = words(b, wb, lb, 16);
    if (na == 0 || nb == 0)
        return -1;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++) {
            if (la[i] < 2 || lb[j] < 2)
                continue;
            if (word_eq(wa[i], la[i], wb[j], lb[j]))
                return 1;
            if (la[i] >= 5 && lb[j] >= 5 && one_edit(wa[i], la[i], wb[j], lb[j]))
                return 1;
        }
    return 0;
}

/* abbreviation word ab of full word fw */
static int abbrev_of(const char *ab, size_t na, const char *fw, size_t nf)
{
    size_t j = 0;
    if (na == 0 || nf == 0 || ab[0] != fw[0] || na > nf)
        return 0;
    for (size_t i = 0; i < na; i++) {
        while (j < nf && fw[j] != ab[i])
            j++;
        if (j++ >= nf)
            return 0;
    }
    return 1;
}

static int journal_abbrev(const char *a, const char *b)
{
    const char *wa[24], *wb[24];
    size_t la[24], lb[24], na = words(a, wa, la, 24), nb = words(b, wb, lb, 24);
    if (na == nb) {
        size_t i;
        for (i = 0; i < na; i++)
            if (!abbrev_of(wa[i], la[i], wb[i], lb[i]))
                break;
        if (i == na)
            return 1;
    }
    if (na == 1 && nb >= 2 && la[0] == nb) { /* initials: "bmj" */
        size_t i;
        for (i = 0; i < nb; i++)
            if (wa[0][i] != wb[i][0])
                break;
        if (i == nb)
            return 1;
    }
    return 0;
}

int rd_journal_match(const char *a, const char *b)
{
    if (!*a || !*b)
        return -1;
    if (strcmp(a, b) == 0)
        return 1;
    return journal_abbrev(a, b) || journal_abbrev(b, a);
}

int rd_doi_preprint(const char *doi)
{
    static const char *const pre[] = {"10.1101/", "10.21203/", "10.2139/", "10.48550/",
                                      "10.20944/"};
    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++)
        if (strncmp(doi, pre[i], strlen(pre[i])) == 0)
            return 1;
    return 0;
}

static const struct {
    const char *word;
    unsigned mark;
} mark_words[] = {{"erratum", RD_MARK_ERRATUM},    {"errata", RD_MARK_ERRATUM},
                  {"correction", RD_MARK_ERRATUM}, {"corrigendum", RD_MARK_ERRATUM},
                  {"retraction", RD_MARK_RETRACT}, {"retracted", RD_MARK_RETRACT},
                  {"withdrawn", RD_MARK_RETRACT},  {"reply", RD_MARK_REPLY},
                  {"commentary", RD_MARK_REPLY},   {"abstract", RD_MARK_ABSTRACT}};
static const char *const romans[] = {"ii", "iii", "iv", "vi", "vii", "viii", "ix"};

unsigned rd_title_marks(const char *title, sbuf *nums)
{
    const char *w[96];
    size_t l[96], n = words(title, w, l, 96);
    unsigned m = 0;
    int first = 1;
    /* The numbers go to a buffer of their own first: title may point into
     * nums itself (review_dedup_run.c keeps a record's strings in one
     * sbuf), and appending there can move it (found by fuzzing: a
     * use-after-free in `review dedup`). */
    sbuf own;
    sb_init(&own);
    for (size_t i = 0; i < n; i++) {
        int num = 1;
        for (size_t k = 0; k < sizeof mark_words / sizeof *mark_words; k++)
            if (word_eq(w[i], l[i], mark_words[k].word, strlen(mark_words[k].word)))
                m |= mark_words[k].mark;
        for (size_t k = 0; k < l[i]; k++)
            num = num && isdigit((unsigned char)w[i][k]);
        for (size_t k = 0; !num && k < sizeof romans / sizeof *romans; k++)
            num = word_eq(w[i], l[i], romans[k], strlen(romans[k]));
        if (num) {
            if (!first)
                sb_add(&own, " ", 1);
            sb_add(&own, w[i], l[i]);
            first = 0;
        }
    }
    if (own.oom)
        nums->oom = 1;
    else if (own.len)
        sb_add(nums, own.p, own.len);
    sb_free(&own);
    return m;
}

/* The parts of the score other than the title's. */
static void other_parts(const rd_rec *a, const rd_rec *b, rd_why *w)
{
    w->author = rd_author_match(a->author, b->author);
    w->journal = rd_journal_match(a->journal, b->journal);
    w->year_diff = a->year > 0 && b->year > 0 ? abs(a->year - b->year) : -1;
    w->pages = -1;
    if (*a->page && *b->page)
        w->pages = strcmp(a->page, b->page) == 0;
    if (*a->volume && *b->volume && w->pages != 0)
        w->pages = strcmp(a->volume, b->volume) == 0;
    w->doi_conflict = *a->doi && *b->doi && strcmp(a->doi, b->doi) != 0 &&
                      !rd_doi_preprint(a->doi) && !rd_doi_preprint(b->doi);
    w->marks_differ = a->marks != b->marks;
    w->nums_differ = *a->nums && *b->nums && strcmp(a->nums, b->nums) != 0;
}

static double combine(const rd_rec *a, const rd_rec *b, const rd_why *w)
{
    double sum = 0.6 * w->title, wsum = 0.6, s;
    if (w->author >= 0)
        sum += 0.15 * w->author, wsum += 0.15;
    if (w->year_diff >= 0)
        sum += 0.1 * (w->year_diff == 0                                    ? 1.0
                      : w->year_diff == 1 && (a->preprint || b->preprint) ? 1.0
                      : w->year_diff == 1                                 ? 0.7
                                                                           : 0.0),
            wsum += 0.1;
    if (w->journal >= 0)
        sum += 0.1 * w->journal, wsum += 0.1;
    if (w->pages >= 0)
        sum += 0.05 * w->pages, wsum += 0.05;
    s = sum / wsum;
    if (w->doi_conflict)
        s *= 0.7;
    if (w->marks_differ)
        s *= 0.5;
    if (w->nums_differ)
        s *= 0.6;
    return s;
}

double rd_score(const rd_rec *a, const rd_rec *b, rd_why *why)
{
    rd_why w;
    other_parts(a, b, &w);
    w.title = rd_title_sim(a->title, a->main, b->title, b->main);
    if (why)
        *why = w;
    return combine(a, b, &w);
}

double rd_score_min(const rd_rec *a, const rd_rec *b, double min)
{
    rd_why w;
    other_parts(a, b, &w);
    w.title = 1; /* the best the title can do */
    if (combine(a, b, &w) < min)
        return -1;
    w.title = rd_title_sim(a->title, a->main, b->title, b->main);
    return combine(a, b, &w);
}

static const char *yn(int v) { return v < 0 ? "unknown" : v ? "same" : "different"; }

void rd_why_text(const rd_why *w, sbuf *out)
{
    sb_printf(out, "title %.2f, first author %s, ", w->title, yn(w->author));
    if (w->year_diff < 0)
        sb_puts(out, "year unknown");
    else if (w->year_diff == 0)
        sb_puts(out, "year same");
    else
        sb_printf(out, "years %d apart", w->year_diff);
    sb_printf(out, ", journal %s, pages %s", yn(w->journal), yn(w->pages));
    if (w->doi_conflict)
        sb_puts(out, ", DOIs differ");
    if (w->marks_differ)
        sb_puts(out, ", one is an erratum/retraction/reply/abstract");
    if (w->nums_differ)
        sb_puts(out, ", numbers in the titles differ");
}

int rd_prepare(const rd_src *s, rd_rec *r, char **buf, const char **pmid)
{
    /* offsets into b: title main author journal doi page volume nums pmid */
    size_t off[9];
    int has_main = 0;
    sbuf b;
    const char *colon = s->title ? strpbrk(s->title, ":?") : NULL;
    sb_init(&b);
    memset(r, 0, sizeof *r);
    r->id = s->id;
    off[0] = b.len;
    rd_norm_text(s->title, &b);
    sb_add(&b, "", 1);
    off[1] = b.len;
    if (colon && colon > s->title && colon[1]) {
        char *m = app_strndup(s->title, (size_t)(colon - s->title));
        if (!m) {
            sb_free(&b);
            return -1;
        }
        rd_norm_text(m, &b);
        app_free(m);
        /* a main title of three words or more */
        has_main = !b.oom && b.p && strchr(b.p + off[1], ' ') != NULL &&
                   strchr(strchr(b.p + off[1], ' ') + 1, ' ') != NULL;
    }
    sb_add(&b, "", 1);
    off[2] = b.len;
    rd_first_author(s->authors, &b);
    sb_add(&b, "", 1);
    off[3] = b.len;
    rd_norm_journal(s->journal, &b);
    sb_add(&b, "", 1);
    off[4] = b.len;
    rd_norm_doi(s->doi, &b);
    sb_add(&b, "", 1);
    off[5] = b.len;
    rd_first_page(s->pages, &b);
    sb_add(&b, "", 1);
    off[6] = b.len;
    rd_norm_text(s->volume, &b);
    sb_add(&b, "", 1);
    off[7] = b.len;
    if (!b.oom)
        r->marks = rd_title_marks(b.p + off[0], &b);
    sb_add(&b, "", 1);
    off[8] = b.len;
    rd_norm_pmid(s->pmid, &b);
    sb_add(&b, "", 1);
    if (b.oom) {
        sb_free(&b);
        return -1;
    }
    r->preprint = rd_doi_preprint(b.p + off[4]) || rd_journal_preprint(s->journal);
    r->year = s->year;
    r->title = b.p + off[0];
    r->main = has_main ? b.p + off[1] : NULL;
    r->author = b.p + off[2];
    r->journal = b.p + off[3];
    r->doi = b.p + off[4];
    r->page = b.p + off[5];
    r->volume = b.p + off[6];
    r->nums = b.p + off[7];
    *buf = b.p;
    *pmid = b.p + off[8];
    return 0;
}
