/*
 * review_parse.c - RIS, PubMed MEDLINE (nbib) and CSV search exports read
 * into normalised records (review_parse.h).
 *
 * The bytes are first decoded line by line (a UTF-8 BOM dropped, CRLF and
 * CR line ends made "\n", a line that is not UTF-8 read as Windows-1252, so
 * files joined from several exports still read); then the format's parser
 * collects each record's fields and one finisher normalises them.  A
 * structural error anywhere refuses the whole file.
 */
#include <stdio.h>
#include <string.h>

#include "review_parse.h"

const char *rp_format_name(rp_format f)
{
    return f == RP_RIS ? "ris" : f == RP_MEDLINE ? "medline" : f == RP_CSV ? "csv" : "auto";
}

/* ---- decoding and lines ------------------------------------------------------ */

typedef struct cursor {
    const char *p, *end;
    long line; /* number of the line last returned */
} cursor;

/* The next line (without its "\n"); 0 at the end. */
static int next_line(cursor *c, const char **s, size_t *n)
{
    const char *nl;
    if (c->p >= c->end)
        return 0;
    nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    *s = c->p;
    *n = (size_t)((nl ? nl : c->end) - c->p);
    c->p = nl ? nl + 1 : c->end;
    c->line++;
    return 1;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

/* The file as UTF-8 with "\n" line ends (*out app_alloc'ed). */
static int decode(const char *d, size_t len, char **out, size_t *olen, long *recoded,
                  app_err *e)
{
    char *o;
    size_t k = 0, i = 0;
    *out = NULL;
    if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
        d += 3, len -= 3;
    if (len > ((size_t)-1 - 1) / 3 || !(o = app_alloc(3 * len + 1))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    while (i < len) {
        size_t n = 0, eol;
        while (i + n < len && d[i + n] != '\n' && d[i + n] != '\r')
            n++;
        eol = i + n;
        if (app_utf8_valid(d + i, n)) {
            memcpy(o + k, d + i, n);
            k += n;
        } else {
            for (size_t j = 0; j < n; j++)
                k += app_utf8_put(app_cp1252_char((unsigned char)d[i + j]), o + k);
            (*recoded)++;
        }
        i = eol;
        if (i < len) {
            o[k++] = '\n';
            i += d[i] == '\r' && i + 1 < len && d[i + 1] == '\n' ? 2 : 1;
        }
    }
    o[k] = '\0';
    *out = o;
    *olen = k;
    return 0;
}

/* "XX  - value" (RIS): the tag's length 2 and the value's start, or 0. */
static size_t ris_tag(const char *s, size_t n)
{
    if (n < 5 || s[0] < 'A' || s[0] > 'Z' ||
        !((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= '0' && s[1] <= '9')) || s[2] != ' ' ||
        s[3] != ' ' || s[4] != '-')
        return 0;
    if (n == 5)
        return 5;
    return s[5] == ' ' ? 6 : 0;
}

/* "TAG - value" (MEDLINE: tag left-justified in 4 columns, '-' in column 5). */
static size_t med_tag(const char *s, size_t n)
{
    int sp = 0;
    if (n < 5 || s[4] != '-' || s[0] < 'A' || s[0] > 'Z' || (n > 5 && s[5] != ' '))
        return 0;
    for (int i = 1; i < 4; i++) {
        if (s[i] == ' ')
            sp = 1;
        else if (sp || !((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    }
    return n == 5 ? 5 : 6;
}

rp_format rp_detect(const char *data, size_t len)
{
    cursor c = {data, data + len, 0};
    const char *s;
    size_t n;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c.p += 3;
    while (next_line(&c, &s, &n)) {
        if (n && s[n - 1] == '\r')
            n--;
        if (blank(s, n))
            continue;
        if (ris_tag(s, n))
            return RP_RIS;
        if (med_tag(s, n))
            return RP_MEDLINE;
        return RP_CSV;
    }
    return RP_AUTO;
}

/* ---- fields of one record ---------------------------------------------------- */

/* Values of multi-valued fields are separated by US (0x1f) until finish(). */
#define SEP '\x1f'

enum { F_TYPE, F_TITLE, F_AUTHORS, F_YEAR, F_JOURNAL, F_VOLUME, F_ISSUE, F_SP, F_EP, F_PAGES,
       F_DOI, F_PMID, F_ABSTRACT, F_KEYWORDS, F_MORE, NF };

/* A tag of a format: which field, preference (lower wins), multi-valued. */
typedef struct tagmap {
    const char *tag;
    int field, rank, multi;
} tagmap;

static const tagmap ris_map[] = {
    {"TY", F_TYPE, 0, 0},     {"TI", F_TITLE, 0, 0},    {"T1", F_TITLE, 1, 0},
    {"CT", F_TITLE, 2, 0},    {"AU", F_AUTHORS, 0, 1},  {"A1", F_AUTHORS, 0, 1},
    {"A2", F_AUTHORS, 1, 1},  {"PY", F_YEAR, 0, 0},     {"Y1", F_YEAR, 1, 0},
    {"DA", F_YEAR, 2, 0},     {"JF", F_JOURNAL, 0, 0},  {"T2", F_JOURNAL, 1, 0},
    {"JO", F_JOURNAL, 2, 0},  {"JA", F_JOURNAL, 3, 0},  {"J2", F_JOURNAL, 4, 0},
    {"VL", F_VOLUME, 0, 0},   {"IS", F_ISSUE, 0, 0},    {"SP", F_SP, 0, 0},
    {"EP", F_EP, 0, 0},       {"DO", F_DOI, 0, 0},      {"UR", F_DOI, 1, 1},
    {"AN", F_PMID, 0, 0},     {"AB", F_ABSTRACT, 0, 0}, {"N2", F_ABSTRACT, 1, 0},
    {"KW", F_KEYWORDS, 0, 1}, {"N1", F_MORE, 0, 1},     {"M1", F_MORE, 0, 1},
    {"C2", F_MORE, 0, 1},     {"M2", F_MORE, 0, 1},
};

static const tagmap med_map[] = {
    {"PMID", F_PMID, 0, 0},    {"TI", F_TITLE, 0, 0},     {"BTI", F_TITLE, 1, 0},
    {"FAU", F_AUTHORS, 0, 1},  {"AU", F_AUTHORS, 1, 1},   {"CN", F_AUTHORS, 2, 1},
    {"DP", F_YEAR, 0, 0},      {"JT", F_JOURNAL, 0, 0},   {"TA", F_JOURNAL, 1, 0},
    {"VI", F_VOLUME, 0, 0},    {"IP", F_ISSUE, 0, 0},     {"PG", F_PAGES, 0, 0},
    {"AID", F_DOI, 0, 1},      {"LID", F_DOI, 1, 1},      {"AB", F_ABSTRACT, 0, 0},
    {"MH", F_KEYWORDS, 0, 1},  {"OT", F_KEYWORDS, 0, 1},  {"PT", F_TYPE, 0, 0},
};

typedef struct fields {
    sbuf v[NF];
    int rank[NF]; /* rank of the tag that filled v, -1 when empty */
    int cur;      /* field that continuation lines extend, -1: none */
    long line;
    const char *start; /* the record's first byte in the decoded text */
} fields;

static void fields_reset(fields *f, long line, const char *start)
{
    for (int i = 0; i < NF; i++) {
        f->v[i].len = 0;
        f->rank[i] = -1;
    }
    f->cur = -1;
    f->line = line;
    f->start = start;
}

static void fields_free(fields *f)
{
    for (int i = 0; i < NF; i++)
        sb_free(&f->v[i]);
}

/* A tag's value: a better tag replaces a field, an equal multi-valued tag
 * adds to it, anything else is kept only in raw. */
static void put(fields *f, const tagmap *map, size_t nmap, const char *tag, size_t tn,
                const char *v, size_t vn)
{
    f->cur = -1;
    for (size_t i = 0; i < nmap; i++) {
        const tagmap *m = &map[i];
        sbuf *b;
        if (strlen(m->tag) != tn || memcmp(m->tag, tag, tn) != 0)
            continue;
        b = &f->v[m->field];
        if (f->rank[m->field] >= 0 && m->rank > f->rank[m->field])
            return;
        if (f->rank[m->field] >= 0 && m->rank == f->rank[m->field] && !m->multi)
            return;
        if (f->rank[m->field] < 0 || m->rank < f->rank[m->field])
            b->len = 0;
        else
            sb_add(b, "\x1f", 1);
        f->rank[m->field] = m->rank;
        sb_add(b, v, vn);
        f->cur = m->field;
        return;
    }
}

static void cont(fields *f, const char *s, size_t n)
{
    if (f->cur < 0)
        return;
    sb_add(&f->v[f->cur], " ", 1);
    sb_add(&f->v[f->cur], s, n);
}

static const char *val(fields *f, int i)
{
    if (f->rank[i] < 0 || f->v[i].oom)
        return NULL;
    sb_add(&f->v[i], "", 0);
    return f->v[i].p ? f->v[i].p : "";
}

/* ---- normalising one record ------------------------------------------------------- */

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

/* "Smith JA" (MEDLINE AU, PubMed CSV) or "Smith J.A." (Scopus) as
 * "Smith, JA": the last word is initials (capitals, dots, hyphens). */
static int initials_at(const char *a, const char **sp)
{
    size_t k, caps = 0;
    *sp = strrchr(a, ' ');
    if (!*sp || strchr(a, ','))
        return 0;
    for (k = 1; ((*sp)[k] >= 'A' && (*sp)[k] <= 'Z') || (*sp)[k] == '.' || (*sp)[k] == '-'; k++)
        caps += (*sp)[k] >= 'A' && (*sp)[k] <= 'Z';
    return (*sp)[k] == '\0' && caps >= 1 && k <= 9;
}

static void short_author(sbuf *b, const char *a)
{
    const char *sp;
    if (initials_at(a, &sp)) {
        sb_add(b, a, (size_t)(sp - a));
        sb_puts(b, ", ");
        sb_puts(b, sp + 1);
        return;
    }
    sb_puts(b, a);
}

/* The values of a multi-valued field, each cleaned, joined with "; "
 * (*out NULL when none). */
static int join(const char *v, int html, int med_au, char **out)
{
    sbuf b;
    sb_init(&b);
    *out = NULL;
    while (v) {
        const char *sep = strchr(v, SEP);
        size_t n = sep ? (size_t)(sep - v) : strlen(v);
        char *c;
        if (rp_clean(v, n, html, &c))
            return sb_free(&b), -1;
        if (c) {
            if (b.len)
                sb_puts(&b, "; ");
            if (med_au)
                short_author(&b, c);
            else
                sb_puts(&b, c);
            app_free(c);
        }
        v = sep ? sep + 1 : NULL;
    }
    if (b.oom)
        return sb_free(&b), -1;
    *out = b.p;
    return 0;
}

static int clean0(const char *v, int html, char **out)
{
    *out = NULL;
    if (!v)
        return 0;
    const char *sep = strchr(v, SEP);
    return rp_clean(v, sep ? (size_t)(sep - v) : strlen(v), html, out);
}

/* A PMID in free text: "PMID: 123", "PubMed ID: 123", "PMID 123". */
static int pmid_in(const char *v, char **out)
{
    static const char *const keys[] = {"PMID", "PubMed ID", "PUBMED"};
    *out = NULL;
    for (size_t k = 0; v && k < sizeof keys / sizeof *keys; k++) {
        const char *p = strstr(v, keys[k]);
        size_t n = 0;
        if (!p)
            continue;
        p += strlen(keys[k]);
        while (*p == ':' || *p == ' ' || *p == '-')
            p++;
        while (p[n] >= '0' && p[n] <= '9')
            n++;
        if (n >= 1 && n <= 9)
            return (*out = app_strndup(p, n)) ? 0 : -1;
    }
    return 0;
}

static int digits(const char *v, size_t maxlen)
{
    size_t n = 0;
    while (v[n] >= '0' && v[n] <= '9')
        n++;
    return n >= 1 && n <= maxlen && v[n] == '\0';
}

static int pick_doi(rp_format fmt, fields *f, const char *file, app_strlist *w, char **out)
{
    const char *v = val(f, F_DOI);
    *out = NULL;
    while (v) {
        const char *sep = strchr(v, SEP);
        size_t n = sep ? (size_t)(sep - v) : strlen(v);
        char *c;
        int rc = 0, want = 1;
        if (rp_clean(v, n, 0, &c))
            return -1;
        if (c && fmt == RP_MEDLINE) {
            size_t m = strlen(c);
            want = m > 5 && strcmp(c + m - 5, "[doi]") == 0;
        } else if (c && fmt == RP_RIS && f->rank[F_DOI] == 1) { /* UR */
            want = strstr(c, "doi.org/") != NULL;
        }
        if (c && want && (rc = rp_doi(c, out)) == 0 && fmt != RP_MEDLINE)
            app_strlist_addf(w, "%s:%ld: '%s' is not a DOI (a DOI starts with 10.): left out",
                             file, f->line, c);
        app_free(c);
        if (rc < 0)
            return -1;
        if (*out)
            return 0;
        v = sep ? sep + 1 : NULL;
    }
    return 0;
}

static int pick_pmid(rp_format fmt, fields *f, const char *file, app_strlist *w, char **out)
{
    char *c;
    *out = NULL;
    if (clean0(val(f, F_PMID), 0, &c))
        return -1;
    if (c && digits(c, fmt == RP_RIS ? 8 : 9)) {
        *out = c;
        return 0;
    }
    if (c && fmt != RP_RIS)
        app_strlist_addf(w, "%s:%ld: PMID '%s' is not a number: left out", file, f->line, c);
    if (fmt == RP_RIS && pmid_in(c, out)) {
        app_free(c);
        return -1;
    }
    app_free(c);
    if (!*out && fmt == RP_RIS && pmid_in(val(f, F_MORE), out))
        return -1;
    return 0;
}

static int pick_pages(fields *f, char **out)
{
    char *sp = NULL, *ep = NULL;
    int rc = 0;
    *out = NULL;
    if (f->rank[F_PAGES] >= 0)
        return clean0(val(f, F_PAGES), 0, out);
    if (clean0(val(f, F_SP), 0, &sp) || clean0(val(f, F_EP), 0, &ep)) {
        rc = -1;
    } else if (sp && ep && !strchr(sp, '-') && strcmp(sp, ep) != 0) {
        size_t n = strlen(sp) + strlen(ep) + 2;
        if (!(*out = app_alloc(n)))
            rc = -1;
        else
            snprintf(*out, n, "%s-%s", sp, ep);
    } else {
        *out = sp ? sp : ep; /* the one given (or the same twice) */
        if (sp)
            sp = NULL;
        else
            ep = NULL;
    }
    app_free(sp);
    app_free(ep);
    return rc;
}

static void rec_free(rp_rec *r)
{
    char **p[] = {&r->raw, &r->type, &r->title, &r->authors, &r->journal, &r->volume, &r->issue,
                  &r->pages, &r->doi, &r->pmid, &r->abstract, &r->keywords};
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        app_free(*p[i]);
    memset(r, 0, sizeof *r);
}

/* Add the record in f (raw text up to raw_end) to s. */
static int finish(rp_set *s, rp_format fmt, const char *file, fields *f, const char *raw,
                  size_t rawlen, app_err *e)
{
    rp_rec r;
    const char *y;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < NF; i++)
        if (f->v[i].oom)
            return oom(e);
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        rp_rec *p = app_realloc(s->rec, cap * sizeof *p);
        if (!p)
            return oom(e);
        s->rec = p;
        s->cap = cap;
    }
    r.line = f->line;
    while (rawlen && raw[rawlen - 1] == '\n')
        rawlen--;
    y = val(f, F_YEAR);
    r.year = y ? rp_year(y) : 0;
    if (!(r.raw = app_strndup(raw, rawlen)) || clean0(val(f, F_TYPE), 0, &r.type) ||
        clean0(val(f, F_TITLE), 1, &r.title) ||
        join(val(f, F_AUTHORS), 0, fmt == RP_CSV || (fmt == RP_MEDLINE && f->rank[F_AUTHORS] == 1),
             &r.authors) ||
        clean0(val(f, F_JOURNAL), 1, &r.journal) || clean0(val(f, F_VOLUME), 0, &r.volume) ||
        clean0(val(f, F_ISSUE), 0, &r.issue) || pick_pages(f, &r.pages) ||
        pick_doi(fmt, f, file, &s->warnings, &r.doi) ||
        pick_pmid(fmt, f, file, &s->warnings, &r.pmid) ||
        clean0(val(f, F_ABSTRACT), 1, &r.abstract) || join(val(f, F_KEYWORDS), 0, 0, &r.keywords)) {
        rec_free(&r);
        return oom(e);
    }
    if (!r.title)
        app_strlist_addf(&s->warnings, "%s:%ld: record %zu has no title", file, r.line, s->n + 1);
    if (y && !r.year) {
        char *c = NULL;
        if (clean0(y, 0, &c)) {
            rec_free(&r);
            return oom(e);
        }
        if (c)
            app_strlist_addf(&s->warnings, "%s:%ld: no year in '%s'", file, r.line, c);
        app_free(c);
    }
    s->rec[s->n++] = r;
    return 0;
}

/* ---- RIS ---------------------------------------------------------------------------- */

static int ris_parse(const char *file, const char *txt, size_t len, rp_set *s, fields *f,
                     app_err *e)
{
    cursor c = {txt, txt + len, 0};
    const char *l;
    size_t n;
    int in = 0;
    while (next_line(&c, &l, &n)) {
        size_t t = ris_tag(l, n);
        const char *v = l + t;
        size_t vn = n - t;
        if (!in) {
            if (blank(l, n))
                continue;
            if (t && memcmp(l, "TY", 2) == 0) {
                fields_reset(f, c.line, l);
                put(f, ris_map, sizeof ris_map / sizeof *ris_map, l, 2, v, vn);
                in = 1;
                continue;
            }
            if (t)
                app_err_set(e, APP_EXIT_DATA,
                            "%s:%ld:1: field %.2s outside a record: a RIS record starts with a "
                            "line 'TY  - TYPE' and ends with a line 'ER  - '",
                            file, c.line, l);
            else
                app_err_set(e, APP_EXIT_DATA,
                            "%s:%ld:1: text outside a record: a RIS record starts with a line "
                            "'TY  - TYPE' (two letters, two spaces, a hyphen, a space)",
                            file, c.line);
            return -1;
        }
        if (t && memcmp(l, "ER", 2) == 0 && blank(v, vn)) {
            if (finish(s, RP_RIS, file, f, f->start, (size_t)(l + n - f->start), e))
                return -1;
            in = 0;
        } else if (t && memcmp(l, "TY", 2) == 0) {
            app_err_set(e, APP_EXIT_DATA,
                        "%s:%ld:1: a new record (TY) starts before the record of line %ld "
                        "ended: each record ends with a line 'ER  - '",
                        file, c.line, f->line);
            return -1;
        } else if (t && memcmp(l, "ER", 2) != 0) {
            put(f, ris_map, sizeof ris_map / sizeof *ris_map, l, 2, v, vn);
        } else if (!blank(l, n)) {
            while (n && (*l == ' ' || *l == '\t'))
                l++, n--;
            cont(f, l, n);
        }
    }
    if (in) {
        app_err_set(e, APP_EXIT_DATA,
                    "%s:%ld:1: the file ends inside the record that starts on line %ld: its "
                    "line 'ER  - ' is missing (was the export cut short?)",
                    file, c.line, f->line);
        return -1;
    }
    return 0;
}

/* ---- MEDLINE (PubMed .nbib) ------------------------------------------------------------ */

static int med_parse(const char *file, const char *txt, size_t len, rp_set *s, fields *f,
                     app_err *e)
{
    cursor c = {txt, txt + len, 0};
    const char *l, *last = txt;
    size_t n;
    int in = 0;
    while (next_line(&c, &l, &n)) {
        size_t t = med_tag(l, n), tn = 4;
        if (blank(l, n)) {
            if (in && finish(s, RP_MEDLINE, file, f, f->start, (size_t)(last - f->start), e))
                return -1;
            in = 0;
            continue;
        }
        while (tn && l[tn - 1] == ' ')
            tn--;
        if (t && tn == 4 && memcmp(l, "PMID", 4) == 0) {
            if (in && finish(s, RP_MEDLINE, file, f, f->start, (size_t)(last - f->start), e))
                return -1;
            fields_reset(f, c.line, l);
            in = 1;
        } else if (t && !in) {
            app_err_set(e, APP_EXIT_DATA,
                        "%s:%ld:1: field %.*s outside a record: a MEDLINE record starts with "
                        "a line 'PMID- number'",
                        file, c.line, (int)tn, l);
            return -1;
        }
        if (t) {
            put(f, med_map, sizeof med_map / sizeof *med_map, l, tn, l + t, n - t);
        } else if (in && (l[0] == ' ' || l[0] == '\t')) {
            while (n && (*l == ' ' || *l == '\t'))
                l++, n--;
            cont(f, l, n);
        } else {
            app_err_set(e, APP_EXIT_DATA,
                        "%s:%ld:1: neither a field nor a continuation: MEDLINE lines are "
                        "'TAG - value' (the tag in columns 1-4, '-' in column 5) or continue "
                        "the field above, indented by 6 spaces",
                        file, c.line);
            return -1;
        }
        last = l + n;
    }
    if (in && finish(s, RP_MEDLINE, file, f, f->start, (size_t)(last - f->start), e))
        return -1;
    return 0;
}

/* ---- CSV --------------------------------------------------------------------------------- */

/* Column names per field, compared lower-case with only letters and digits
 * kept ("Publication Year" = "publicationyear"); the first found wins.
 * PubMed, Scopus, Web of Science (tab-delimited), Ovid and Covidence. */
static const struct {
    int field;
    const char *names[9];
} csv_cols[] = {
    {F_TITLE, {"title", "articletitle", "documenttitle", "ti", "primarytitle"}},
    {F_AUTHORS, {"authors", "author", "au", "af", "authorfullnames"}},
    {F_YEAR, {"year", "publicationyear", "py", "pubyear", "publicationdate", "date", "dp"}},
    {F_JOURNAL,
     {"journal", "sourcetitle", "journalbook", "publicationtitle", "journaltitle", "so", "source",
      "secondarytitle", "jt"}},
    {F_VOLUME, {"volume", "vl", "vi"}},
    {F_ISSUE, {"issue", "is", "number", "ip"}},
    {F_PAGES, {"pages", "page", "pg", "pagination"}},
    {F_SP, {"pagestart", "startpage", "bp", "firstpage"}},
    {F_EP, {"pageend", "endpage", "ep", "lastpage"}},
    {F_DOI, {"doi", "di"}},
    {F_PMID, {"pmid", "pubmedid", "pm"}},
    {F_ABSTRACT, {"abstract", "ab"}},
    {F_KEYWORDS, {"keywords", "authorkeywords", "de", "meshterms", "mesh", "indexkeywords"}},
    {F_TYPE, {"type", "documenttype", "publicationtype", "pt", "referencetype"}},
};

static int col_is(const char *h, const char *name)
{
    size_t k = 0;
    for (; *h; h++) {
        int c = *h >= 'A' && *h <= 'Z' ? *h + 32 : *h;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            continue;
        if (name[k] != c)
            return 0;
        k++;
    }
    return name[k] == '\0' && k > 0;
}

/* "Peul WC, van Houwelingen HC" (PubMed's CSV): authors separated by
 * commas, each ending in initials. */
static int comma_list(const char *v)
{
    char buf[512];
    while (*v) {
        const char *c = strchr(v, ','), *sp;
        size_t n = c ? (size_t)(c - v) : strlen(v);
        while (n && *v == ' ')
            v++, n--;
        while (n && v[n - 1] == ' ')
            n--;
        if (n == 0 || n >= sizeof buf)
            return 0;
        memcpy(buf, v, n);
        buf[n] = '\0';
        if (!initials_at(buf, &sp))
            return 0;
        v = c ? c + 1 : v + n;
    }
    return 1;
}

static int csv_parse(const char *file, const char *data, size_t len, rp_set *s, fields *f,
                     app_err *e)
{
    app_table t;
    int col[NF];
    sbuf raw;
    int rc = -1;
    if (app_table_parse(file, data, len, &t, e))
        return -1;
    for (int i = 0; i < NF; i++)
        col[i] = -1;
    for (size_t i = 0; i < sizeof csv_cols / sizeof *csv_cols; i++)
        for (size_t k = 0; k < 9 && csv_cols[i].names[k] && col[csv_cols[i].field] < 0; k++)
            for (size_t j = 0; j < t.ncol; j++)
                if (col_is(t.header[j], csv_cols[i].names[k])) {
                    col[csv_cols[i].field] = (int)j;
                    break;
                }
    if (col[F_TITLE] < 0) {
        app_err_set(e, APP_EXIT_DATA,
                    "%s:1:1: no title column in the header: a CSV export needs a column named "
                    "title (or Article Title, Document Title, TI); for RIS or MEDLINE files the "
                    "first line must be a field ('TY  - ', 'PMID- ')",
                    file);
        app_table_free(&t);
        return -1;
    }
    if (t.recoded)
        s->recoded_lines = (long)t.nrow + 1;
    sb_init(&raw);
    for (size_t r = 0; r < t.nrow; r++) {
        fields_reset(f, t.line[r], NULL);
        raw.len = 0;
        for (size_t j = 0; j < t.ncol; j++) {
            const char *v = app_table_cell(&t, r, j);
            if (j)
                sb_add(&raw, &t.delim, 1);
            {
                char d[2] = {t.delim, '\0'};
                app_csv_cell_quote(&raw, v ? v : "", d);
            }
        }
        for (int k = 0; k < NF; k++) {
            const char *v = col[k] >= 0 ? app_table_cell(&t, r, (size_t)col[k]) : NULL;
            if (!v || blank(v, strlen(v)))
                continue;
            f->rank[k] = 0;
            if (k == F_AUTHORS || k == F_KEYWORDS) {
                int commas = k == F_AUTHORS && !strchr(v, ';') && comma_list(v);
                for (; *v; v++)
                    sb_add(&f->v[k], *v == ';' || (commas && *v == ',') ? "\x1f" : v, 1);
            } else {
                sb_puts(&f->v[k], v);
            }
        }
        sb_add(&raw, "", 0);
        if (raw.oom) {
            oom(e);
            goto out;
        }
        if (finish(s, RP_CSV, file, f, raw.p, raw.len, e))
            goto out;
    }
    rc = 0;
out:
    sb_free(&raw);
    app_table_free(&t);
    return rc;
}

/* ---- the whole file ------------------------------------------------------------------------ */

void rp_set_free(rp_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        rec_free(&s->rec[i]);
    app_free(s->rec);
    app_strlist_free(&s->warnings);
    memset(s, 0, sizeof *s);
}

int rp_parse(const char *file, const char *data, size_t len, rp_format fmt, rp_set *s,
             app_err *e)
{
    fields f;
    char *txt = NULL;
    size_t tlen = 0;
    int rc;
    memset(s, 0, sizeof *s);
    memset(&f, 0, sizeof f);
    {
        const char *nul = memchr(data, '\0', len), *bol = data;
        long line = 1;
        if (nul) { /* a binary file or UTF-16: say where, whatever the format */
            for (const char *p = data; p < nul; p++)
                if (*p == '\n')
                    line++, bol = p + 1;
            app_err_set(e, APP_EXIT_DATA,
                        "%s:%ld:%ld: a NUL byte: this is not a text export (UTF-16?); export "
                        "the search results as RIS, MEDLINE (.nbib) or CSV in UTF-8",
                        file, line, (long)(nul - bol) + 1);
            return -1;
        }
    }
    if (fmt == RP_AUTO)
        fmt = rp_detect(data, len);
    if (fmt == RP_AUTO) {
        app_err_set(e, APP_EXIT_DATA, "%s:1:1: the file is empty: export the search results "
                    "as RIS, MEDLINE (.nbib) or CSV", file);
        return -1;
    }
    s->format = fmt;
    if (fmt == RP_CSV)
        rc = csv_parse(file, data, len, s, &f, e);
    else if ((rc = decode(data, len, &txt, &tlen, &s->recoded_lines, e)) == 0)
        rc = fmt == RP_RIS ? ris_parse(file, txt, tlen, s, &f, e)
                           : med_parse(file, txt, tlen, s, &f, e);
    app_free(txt);
    fields_free(&f);
    if (rc == 0 && s->warnings.oom)
        rc = oom(e);
    if (rc == 0 && s->n == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s: no records in this %s file%s", file,
                    fmt == RP_RIS ? "RIS" : fmt == RP_MEDLINE ? "MEDLINE" : "CSV",
                    fmt == RP_RIS ? " (records start with 'TY  - ')"
                    : fmt == RP_MEDLINE ? " (records start with 'PMID- ')"
                                        : " (only a header row)");
        rc = -1;
    }
    if (rc)
        rp_set_free(s);
    return rc;
}
