/*
 * verify_text.c - find reported results in free text and check them.
 *
 * The scanner reads an abstract, a results section or a forest plot's
 * text (UTF-8 or Windows-1252, LF or CRLF) and recognises four kinds of
 * statement: an effect with its CI ("SMD −0.28 (95% CI −0.47 to −0.09;
 * p = 0.004)"), heterogeneity ("Chi² = 9.30, df = 4 (P = 0.05); I² =
 * 57%"), an overall test ("Z = 2.89 (P = 0.004)") and a stated total with
 * its parts ("341 patients: 170 conservative and 181 surgical").  The
 * words come from the phrase table (verify_lang.c); the grammar here is
 * the same for every language.  Numbers that match none of these shapes
 * (dates, ages, reference numbers) are never findings: an estimate needs
 * a CI label, or brackets plus an effect name or a CI label on the line.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>


#include "verify.h"
#include "verify_lang.h"
#include "verify_tok.h"

/* ---- table look-ups -------------------------------------------------------- */

/* Longest match at token i of the phrase list at offset off of any language. */
static size_t field_at(const toks *tk, size_t i, size_t off)
{
    size_t nl, best = 0, m;
    const vf_lang *L = vf_langs(&nl);
    for (size_t k = 0; k < nl; k++) {
        const char *const *list = *(const char *const *const *)(const void *)((const char *)&L[k] + off);
        if ((m = vf_list_at(tk, i, list)) > best)
            best = m;
    }
    return best;
}

#define AT(tk, i, field) field_at((tk), (i), offsetof(vf_lang, field))

/* An effect name ending before token end, starting at i: its measure
 * and, in *len, its length in tokens (the longest name wins). */
static const char *effect_at(const toks *tk, size_t i, size_t end, size_t *len)
{
    size_t nl, m;
    const vf_lang *L = vf_langs(&nl);
    const char *best = NULL;
    *len = 0;
    for (size_t k = 0; k < nl; k++)
        for (const vf_effect_name *e = L[k].effects; e && e->phrase; e++)
            if ((m = vf_phrase_at(tk, i, e->phrase)) > *len && i + m <= end)
                best = e->measure, *len = m;
    return best;
}

/* ---- small token tests ------------------------------------------------------- */

static const tok *T(const toks *tk, size_t i)
{
    return i < tk->n ? &tk->t[i] : NULL;
}

static int is_sym(const toks *tk, size_t i, char c)
{
    const tok *t = T(tk, i);
    return t && t->kind == TK_SYM && t->sym == c;
}

/* 1 if token i is the symbol c: for skipping an optional sign */
static size_t opt(const toks *tk, size_t i, char c)
{
    return is_sym(tk, i, c) ? 1 : 0;
}

static int is_num(const toks *tk, size_t i)
{
    const tok *t = T(tk, i);
    return t && t->kind == TK_NUM;
}

/* A count: a whole number, or "1,234" read as one. */
static int is_count(const toks *tk, size_t i, double *x)
{
    const tok *t = T(tk, i);
    if (!t || t->kind != TK_NUM || t->neg || (t->dec != 0 && !t->sep3))
        return 0;
    *x = t->sep3 ? t->x3 : t->x;
    return 1;
}

static void num_of(vf_num *n, const tok *t, int rel)
{
    vf_num_set(n, t->x, t->dec, rel);
}

/* = < > <= >= ≤ ≥ (and ':' when colon): tokens used, 0 if none. */
static size_t rel_at(const toks *tk, size_t i, int colon, int *rel)
{
    if (is_sym(tk, i, '<') || is_sym(tk, i, '>')) {
        int lt = is_sym(tk, i, '<');
        if (is_sym(tk, i + 1, '=')) {
            *rel = lt ? VF_LE : VF_GE;
            return 2;
        }
        *rel = lt ? VF_LT : VF_GT;
        return 1;
    }
    *rel = is_sym(tk, i, 'L') ? VF_LE : is_sym(tk, i, 'G') ? VF_GE : VF_EQ;
    return is_sym(tk, i, '=') || is_sym(tk, i, 'L') || is_sym(tk, i, 'G') ||
           (colon && is_sym(tk, i, ':'));
}

/* ---- statistics: "p = 0.004", "I² = 57%", "Chi² = 9.30", "df = 4" ---------- */

enum { IT_TAU2, IT_Q, IT_DF, IT_I2, IT_P, IT_Z, IT_COUNT };

static size_t label_at(const toks *tk, size_t i, int *what)
{
    size_t m[IT_COUNT], best = 0;
    m[IT_TAU2] = AT(tk, i, tau2), m[IT_Q] = AT(tk, i, q), m[IT_DF] = AT(tk, i, df);
    m[IT_I2] = AT(tk, i, i2), m[IT_P] = AT(tk, i, p), m[IT_Z] = AT(tk, i, z);
    for (int k = 0; k < IT_COUNT; k++)
        if (m[k] > best)
            best = m[k], *what = k;
    return best;
}

/* "p = 2 × 10⁻⁵" and the like: a number times a power of ten.  The p is
 * then not read (returns 1) rather than misread. */
static int times_ten(const toks *tk, size_t i)
{
    const tok *t = T(tk, i);
    return (is_sym(tk, i, 'x') || (t && t->kind == TK_WORD && strcmp(t->w, "x") == 0)) &&
           is_num(tk, i + 1) && T(tk, i + 1)->x == 10;
}

/* One statistic at i into in; *after_q routes a p after Q to Q's P.
 * Returns the tokens used, 0 if there is none (or it is implausible, or
 * its slot is taken: it belongs to another statement). */
static size_t item_at(const toks *tk, size_t i, vf_input *in, int *after_q)
{
    int what = 0, rel;
    size_t j = i + label_at(tk, i, &what), r;
    const tok *t;
    vf_num *n;
    if (j == i || !(r = rel_at(tk, j, what != IT_P, &rel)) || !is_num(tk, j + r))
        return 0;
    j += r;
    t = T(tk, j);
    if (what != IT_Z && t->neg)
        return 0;
    switch (what) {
    case IT_TAU2: n = &in->tau2; break;
    case IT_Q: n = &in->q; break;
    case IT_DF: n = &in->q_df; break;
    case IT_I2: n = &in->i2; break;
    case IT_Z: n = &in->z; break;
    default: n = *after_q && !in->q_p.set ? &in->q_p : &in->p; break;
    }
    if (n->set || (what == IT_P && (t->x > 1 || times_ten(tk, j + 1))) ||
        (what == IT_I2 && t->x > 100) || (what == IT_DF && (t->dec != 0 || t->x < 1)) ||
        (what == IT_Q && rel != VF_EQ))
        return 0;
    num_of(n, t, what == IT_Z ? VF_EQ : rel);
    if (what == IT_P)
        vf_num_clip(n, 0, 1);
    if (what == IT_I2) {
        vf_num_clip(n, 0, 100);
        if (is_sym(tk, j + 1, '%'))
            j++;
    }
    if (what == IT_Q)
        *after_q = 1;
    return j + 1 - i;
}

/* Statistics separated by ; , ( ) from i: the end of the last one (and of
 * the parentheses it opened), or i when there is none. */
static size_t items(const toks *tk, size_t i, vf_input *in, int *after_q)
{
    size_t j = i, end = i, m;
    int depth = 0;
    while (j < tk->n) {
        if (is_sym(tk, j, ';') || is_sym(tk, j, ',')) {
            j++;
        } else if (is_sym(tk, j, '(')) {
            j++, depth++;
        } else if ((m = item_at(tk, j, in, after_q)) > 0) {
            j += m;
            while (depth > 0 && is_sym(tk, j, ')'))
                j++, depth--;
            end = j;
        } else {
            break;
        }
    }
    return end;
}

/* ---- statements ------------------------------------------------------------- */

typedef struct scan {
    const toks *tk;
    vf_doc *doc;
    int oom;
} scan;

/* Column (in characters) of byte b on its line. */
static long column(const char *s, size_t b)
{
    size_t k = b;
    long col = 1;
    while (k > 0 && s[k - 1] != '\n')
        k--;
    for (; k < b; k++)
        if (((unsigned char)s[k] & 0xC0) != 0x80)
            col++;
    return col;
}

/* The text of tokens [first, last] with every run of white space as one
 * space. */
static char *quote(const toks *tk, size_t first, size_t last)
{
    size_t b = tk->t[first].b, e = tk->t[last].e, n = 0;
    char *q = app_alloc(e - b + 1);
    int sp = 0;
    if (!q)
        return NULL;
    for (size_t k = b; k < e; k++) {
        char c = tk->s[k];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            sp = 1;
            continue;
        }
        if (sp && n > 0)
            q[n++] = ' ';
        sp = 0;
        q[n++] = c;
    }
    q[n] = '\0';
    return q;
}

/* Check in and store it as a statement quoting tokens [first, last]. */
static void emit(scan *sc, int kind, size_t first, size_t last, vf_input *in)
{
    vf_doc *d = sc->doc;
    vf_statement *st, *ns;
    char why[300];
    int rc;
    if (sc->oom)
        return;
    if (d->n % 16 == 0) {
        if (!(ns = app_realloc(d->st, (d->n + 16) * sizeof *ns))) {
            sc->oom = 1;
            return;
        }
        d->st = ns;
    }
    st = &d->st[d->n];
    memset(st, 0, sizeof *st);
    if (!(st->text = quote(sc->tk, first, last))) {
        sc->oom = 1;
        return;
    }
    d->n++;
    st->kind = kind;
    st->line = sc->tk->t[first].line;
    st->col = column(sc->tk->s, sc->tk->t[first].b);
    why[0] = '\0';
    rc = vf_verify(in, &st->res, why, sizeof why);
    if (rc != 0 && in->scale == VF_SCALE_LOG) {
        /* "HR −0.22 (−0.41 to −0.03)": logs, not ratios; the scale is open */
        in->scale = VF_SCALE_UNKNOWN;
        rc = vf_verify(in, &st->res, why, sizeof why);
    }
    if (rc != 0) {
        /* "95% CI 2.10 to 1.10": reported values that cannot all be right */
        vf_check *c = &st->res.check[0];
        st->res.nchecks = 1;
        c->name = "reported_values";
        c->status = VF_INCONSISTENT;
        snprintf(c->msg, sizeof c->msg, "%s", why);
        st->res.n_inconsistent = 1;
    }
    st->in = *in;
}

typedef struct ci_m {
    size_t start, end;     /* first token, one past the CI              */
    int labeled, open;     /* a CI label; '(' or '[' still open          */
    double level;
    const tok *lo, *hi;
} ci_m;

/* A CI at i: "(95% CI −0.47 to −0.09", "95% BI van −0,47 tot −0,09",
 * "[−0.47; −0.09]", "(−0.47, −0.09)". */
static int ci_at(const toks *tk, size_t i, ci_m *c)
{
    size_t j = i, m, k;
    int open2 = 0;
    memset(c, 0, sizeof *c);
    c->start = i;
    c->level = 0.95;
    if (is_sym(tk, j, '(') || is_sym(tk, j, '['))
        c->open = T(tk, j)->sym, j++;
    if (is_num(tk, j) && is_sym(tk, j + 1, '%') && T(tk, j)->x >= 50 && T(tk, j)->x < 100 &&
        !T(tk, j)->neg) {
        k = j + 2 + opt(tk, j + 2, '-');
        if (!(m = AT(tk, k, ci)))
            return 0;
        c->level = T(tk, j)->x / 100, c->labeled = 1, j = k + m;
    } else if ((m = AT(tk, j, ci)) > 0) {
        c->labeled = 1, j += m;
    }
    if (c->labeled && (is_sym(tk, j, ':') || is_sym(tk, j, ',') || is_sym(tk, j, '=')))
        j++;
    if (c->labeled && (is_sym(tk, j, '(') || is_sym(tk, j, '[')))
        open2 = T(tk, j)->sym, j++;
    if (!c->labeled && !c->open)
        return 0;
    j += AT(tk, j, from);
    if (!is_num(tk, j))
        return 0;
    c->lo = T(tk, j++);
    j += opt(tk, j, '%');
    if (!(m = AT(tk, j, range)) || !is_num(tk, j + m))
        return 0;
    j += m;
    c->hi = T(tk, j++);
    j += opt(tk, j, '%');
    if (open2) {
        if (!is_sym(tk, j, open2 == '(' ? ')' : ']'))
            return 0;
        j++;
    } else if (c->open && is_sym(tk, j, c->open == '(' ? ')' : ']')) {
        j++, c->open = 0;
    } else if (!c->labeled && !is_sym(tk, j, ';') && !is_sym(tk, j, ',')) {
        return 0;
    }
    if (!c->labeled && !(c->lo->x < c->hi->x))
        return 0;
    c->end = j;
    return 1;
}

/* A number that reads as a year (1800-2100, no decimals). */
static int year_like(const tok *t)
{
    return t->kind == TK_NUM && !t->neg && t->dec == 0 && t->x >= 1800 && t->x <= 2100;
}

/* The estimate just before a CI starting at token c: a number, perhaps
 * followed by units ("−3.2 mmHg", "12%") and, before a CI label, by "," or
 * ";".  Returns its index or (size_t)-1. */
static size_t estimate_before(const toks *tk, const ci_m *c)
{
    size_t k = c->start;
    if (k == 0)
        return (size_t)-1;
    k--;
    if (c->labeled && k > 0 && (is_sym(tk, k, ',') || is_sym(tk, k, ';') || is_sym(tk, k, ':')))
        k--;
    for (size_t back = 0; back <= 3 && back <= k; back++) {
        size_t cand = k - back, pos = cand + 1, m;
        if (!is_num(tk, cand))
            continue;
        while (pos <= k && (m = AT(tk, pos, units)) > 0)
            pos += m;
        if (pos != k + 1)
            return (size_t)-1;
        if (year_like(T(tk, cand)) &&
            !(cand > 0 && (is_sym(tk, cand - 1, '=') || is_sym(tk, cand - 1, ':'))))
            return (size_t)-1;
        return cand;
    }
    return (size_t)-1;
}

/* An effect name in the few tokens before token at (same sentence, no
 * number in between): *first is where it starts.  Of names ending at the
 * same token the longest counts ("gestandaardiseerd gemiddeld verschil",
 * not "gemiddeld verschil"). */
static const char *effect_before(const toks *tk, size_t at, size_t *first)
{
    const char *found = NULL, *m;
    size_t end = 0, len;
    for (size_t back = 1; back <= 8 && back <= at; back++) {
        size_t pos = at - back;
        const tok *t = T(tk, pos);
        if (t->kind == TK_NUM || t->kind == TK_PARA || (t->kind == TK_SYM && strchr(".;)]", t->sym)))
            break;
        if ((m = effect_at(tk, pos, at, &len)) != NULL && (!found || pos + len == end)) {
            found = m, end = pos + len, *first = pos;
        } else if (found && back > 4) {
            break;
        }
    }
    return found;
}

/* Is there a CI label ("95% CI") earlier on the line of token at? */
static int ci_label_on_line(const toks *tk, size_t at)
{
    long line = tk->t[at].line;
    for (size_t pos = at; pos-- > 0 && tk->t[pos].line == line;)
        if (pos > 0 && is_sym(tk, pos - 1, '%') && AT(tk, pos, ci))
            return 1;
    return 0;
}

/* An effect statement with its CI anchored at token i; returns the end. */
static size_t effect_stmt(scan *sc, size_t i)
{
    const toks *tk = sc->tk;
    ci_m c;
    vf_input in;
    size_t est, first, end, j;
    const char *measure = NULL;
    int after_q = 0;
    if (!ci_at(tk, i, &c))
        return 0;
    est = estimate_before(tk, &c);
    first = est != (size_t)-1 ? est : c.start;
    measure = effect_before(tk, first, &first);
    if (!c.labeled && (est == (size_t)-1 || (!measure && !ci_label_on_line(tk, i))))
        return 0;
    if (c.labeled && !(c.lo->x < c.hi->x) && est == (size_t)-1 && !measure)
        return 0; /* "95% CI" followed by two numbers that are not a CI */
    vf_input_init(&in);
    in.level = c.level;
    if (measure)
        in.scale = vf_measure_scale(measure, &in.measure);
    if (est != (size_t)-1)
        num_of(&in.est, T(tk, est), VF_EQ);
    num_of(&in.lo, c.lo, VF_EQ);
    num_of(&in.hi, c.hi, VF_EQ);
    end = items(tk, c.end, &in, &after_q);
    if (c.open && is_sym(tk, end, c.open == '(' ? ')' : ']'))
        end++;
    /* "(95% CI 1.10 to 2.10), p = 0.01" */
    if ((j = items(tk, end, &in, &after_q)) > end)
        end = j;
    emit(sc, VF_KIND_EFFECT, first, end - 1, &in);
    return end;
}

/* Heterogeneity or an overall test: "Tau² = 0.04; Chi² = 9.30, df = 4
 * (P = 0.05); I² = 57%", "Z = 2.89 (P = 0.004)". */
static size_t stats_stmt(scan *sc, size_t i)
{
    vf_input in;
    int after_q = 0;
    size_t end;
    vf_input_init(&in);
    end = items(sc->tk, i, &in, &after_q);
    if (end == i || !(in.q.set || in.z.set))
        return 0;
    if (!(in.q.set && (in.q_df.set || in.i2.set || in.q_p.set)) && !(in.z.set && in.p.set))
        return 0;
    emit(sc, in.q.set ? VF_KIND_HET : VF_KIND_OVERALL, i, end - 1, &in);
    return end;
}

/* The parts of a total: "170 conservative and 181 surgical", "60 vs 60",
 * "170 (50%) in the surgery group, 171 in the control group".  Returns
 * the end of the last part, 0 if this is not such a list. */
static size_t parts(const toks *tk, size_t j, vf_input *in)
{
    size_t m;
    double x;
    for (;;) {
        size_t words = 0;
        if (!is_count(tk, j, &x) || in->nparts == VF_MAX_PARTS)
            return 0;
        vf_num_set(&in->part[in->nparts], x, 0, VF_EQ);
        j++;
        if (is_sym(tk, j, '(') && is_num(tk, j + 1) && is_sym(tk, j + 2, '%') && is_sym(tk, j + 3, ')')) {
            num_of(&in->part_pct[in->nparts], T(tk, j + 1), VF_EQ);
            j += 4;
        }
        in->nparts++;
        /* a few words saying what the part is */
        while (words < 6 && j < tk->n && !AT(tk, j, join) &&
               (T(tk, j)->kind == TK_WORD || (is_sym(tk, j, '-') && words > 0)))
            j++, words++;
        if (is_sym(tk, j, ',') && (m = AT(tk, j + 1, join)) > 0 && is_num(tk, j + 1 + m))
            j += 1 + m;
        else if ((m = AT(tk, j, join)) > 0 && is_num(tk, j + m))
            j += m;
        else if (is_sym(tk, j, ',') && is_num(tk, j + 1))
            j++;
        else
            return j;
    }
}

/* A stated total and its parts: "341 patients: 170 ... and 181 ...",
 * "341 patiënten, van wie 170 ... en 181 ...", "n = 120 (60 vs 60)". */
static size_t total_stmt(scan *sc, size_t i)
{
    const toks *tk = sc->tk;
    vf_input in;
    size_t j = i, m, end;
    int paren = 0, rel;
    double total;
    if ((m = AT(tk, i, n)) > 0 && rel_at(tk, i + m, 0, &rel) == 1 && rel == VF_EQ &&
        is_count(tk, i + m + 1, &total)) {
        j = i + m + 2;
        if (!is_sym(tk, j, '(') && !is_sym(tk, j, ':'))
            return 0;
        paren = is_sym(tk, j, '('), j++;
    } else {
        size_t words = 0;
        if (!is_count(tk, i, &total) || (year_like(T(tk, i)) && !T(tk, i)->sep3))
            return 0;
        j = i + 1;
        while (words < 2 && !AT(tk, j, total) && T(tk, j) && T(tk, j)->kind == TK_WORD)
            j++, words++;
        if (!(m = AT(tk, j, total)))
            return 0;
        j += m;
        if (is_sym(tk, j, ':') || is_sym(tk, j, '(')) {
            paren = is_sym(tk, j, '('), j++;
        } else if (is_sym(tk, j, ',') && (m = AT(tk, j + 1, lead)) > 0) {
            j += 1 + m;
        } else if ((m = AT(tk, j, lead)) > 0) {
            j += m;
        } else {
            return 0;
        }
    }
    vf_input_init(&in);
    vf_num_set(&in.total, total, 0, VF_EQ);
    if (!(end = parts(tk, j, &in)) || in.nparts < 2)
        return 0;
    if (paren) {
        if (!is_sym(tk, end, ')'))
            return 0;
        end++;
    } else if (end < tk->n && !(T(tk, end)->kind == TK_PARA || is_sym(tk, end, '.') ||
                                is_sym(tk, end, ';') || is_sym(tk, end, ')') ||
                                is_sym(tk, end, ','))) {
        return 0;
    }
    emit(sc, VF_KIND_TOTAL, i, end - 1, &in);
    return end;
}

/* ---- encodings ----------------------------------------------------------------- */

/* ---- the scanner ------------------------------------------------------------- */

int vf_scan_text(const char *file, const char *data, size_t len, vf_doc *doc, app_err *e)
{
    toks tk;
    scan sc;
    char *conv = NULL;
    memset(doc, 0, sizeof *doc);
    memset(&tk, 0, sizeof tk);
    if (!(doc->file = app_strdup(file)))
        goto oom;
    if (!app_utf8_valid(data, len)) {
        if (!(conv = app_cp1252_to_utf8(data, len, &len)))
            goto oom;
        data = conv;
        doc->recoded = 1;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3;
    if (vf_tokenize(data, len, &tk) != 0)
        goto oom;
    sc.tk = &tk, sc.doc = doc, sc.oom = 0;
    for (size_t i = 0; i < tk.n && !sc.oom;) {
        size_t end;
        if ((end = effect_stmt(&sc, i)) > i || (end = stats_stmt(&sc, i)) > i ||
            (end = total_stmt(&sc, i)) > i)
            i = end;
        else
            i++;
    }
    if (sc.oom)
        goto oom;
    vf_toks_free(&tk);
    app_free(conv);
    return 0;
oom:
    vf_toks_free(&tk);
    app_free(conv);
    vf_doc_free(doc);
    app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", file);
    return -1;
}

void vf_doc_free(vf_doc *doc)
{
    for (size_t i = 0; i < doc->n; i++)
        app_free(doc->st[i].text);
    app_free(doc->st);
    app_free(doc->file);
    memset(doc, 0, sizeof *doc);
}

/* ---- option values ------------------------------------------------------------ */

int vf_parse_num(const char *s, vf_num *n, const char **why)
{
    tok arr[8];
    toks tk = {arr, 0, 8, 1, 0, NULL, 0};
    size_t j;
    int rel;
    if (vf_tokenize(s, strlen(s), &tk) != 0 || tk.n == 0) {
        *why = tk.n ? "is not a number" : "is empty";
        return -1;
    }
    j = rel_at(&tk, 0, 0, &rel);
    if (!is_num(&tk, j) || j + 1 + opt(&tk, j + 1, '%') != tk.n) {
        *why = "is not a number";
        return -1;
    }
    num_of(n, T(&tk, j), rel);
    return 0;
}

int vf_parse_ci(const char *s, vf_num *lo, vf_num *hi, const char **why)
{
    tok arr[12];
    toks tk = {arr, 0, 12, 1, 0, NULL, 0};
    size_t j = 0, m;
    const char *c = strchr(s, ',');
    *why = "is not a confidence interval: give it as LO,HI or LO to HI";
    if (vf_tokenize(s, strlen(s), &tk) != 0)
        return -1;
    j += opt(&tk, j, '(') + opt(&tk, j, '[');
    if (tk.n == j + 1 && is_num(&tk, j) && c && !strchr(c + 1, ',')) {
        /* "1,2": one comma between two whole numbers is the separator */
        char buf[128];
        if (strlen(s) >= sizeof buf)
            return -1;
        memcpy(buf, s, strlen(s) + 1);
        buf[c - s] = ';';
        return vf_parse_ci(buf, lo, hi, why);
    }
    if (!is_num(&tk, j) || !(m = AT(&tk, j + 1, range)) || !is_num(&tk, j + 1 + m))
        return -1;
    num_of(lo, T(&tk, j), VF_EQ);
    num_of(hi, T(&tk, j + 1 + m), VF_EQ);
    j += 2 + m;
    j += opt(&tk, j, ')') + opt(&tk, j, ']');
    if (j != tk.n)
        return -1;
    return 0;
}
