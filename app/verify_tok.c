/*
 * verify_tok.c - words, numbers and signs of a reported result.
 *
 * The text scanner of `metasyn verify` and its option parser read text
 * through this tokenizer.  It knows how results are typeset: decimal
 * points and decimal commas ("0,47"), the Unicode minus and the en dash as
 * a minus sign ("−0.47", "–0.47") or as a range ("1.10–2.10"), ".001",
 * "1.2e-5", "I²" read as "i2", non-breaking spaces.  Every token keeps its
 * byte span in the text, so findings can quote it.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "verify_tok.h"

/* The code point at s[i] (invalid UTF-8: the byte itself) and its length. */
static int32_t cp_at(const char *s, size_t len, size_t i, size_t *nb)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) {
        *nb = 1;
        return (unsigned char)s[i];
    }
    *nb = (size_t)n;
    return cp;
}

static int is_space(int32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' ||
           c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0xFEFF;
}

/* hyphen-minus, minus sign, hyphen, non-breaking hyphen, figure dash, en
 * and em dash, small and full-width hyphen-minus */
static int is_dash(int32_t c)
{
    return c == '-' || c == 0x2212 || (c >= 0x2010 && c <= 0x2014) || c == 0xFE63 || c == 0xFF0D;
}

static int is_letter(int32_t c)
{
    if (c < 0x80)
        return isalpha(c);
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return 1;
    default:
        return 0;
    }
}

static int is_apostrophe(int32_t c)
{
    return c == '\'' || c == 0x2019;
}

static char sym_of(int32_t c)
{
    static const char plain[] = "()[];:,=<>%/.^+'*";
    if (c > 0 && c < 0x80 && strchr(plain, (int)c))
        return c == '*' ? 'x' : (char)c;
    if (is_dash(c))
        return '-';
    switch (c) {
    case '{': return '(';
    case '}': return ')';
    case 0x2264: case 0x2A7D: return 'L'; /* ≤ */
    case 0x2265: case 0x2A7E: return 'G'; /* ≥ */
    case 0x00D7: case 0x22C5: case 0x00B7: return 'x'; /* × ⋅ · */
    case 0x00B1: return '+';
    case 0x2019: case 0x2018: return '\'';
    default: return '?';
    }
}

static tok *push(toks *tk)
{
    tok *t;
    if (tk->n == tk->cap) {
        size_t cap = tk->cap ? 2 * tk->cap : 256;
        tok *nt;
        if (tk->fixed || !(nt = app_realloc(tk->t, cap * sizeof *nt))) {
            tk->oom = 1;
            return NULL;
        }
        tk->t = nt, tk->cap = cap;
    }
    t = &tk->t[tk->n++];
    memset(t, 0, sizeof *t);
    return t;
}

static int digit(const char *s, size_t len, size_t i)
{
    return i < len && s[i] >= '0' && s[i] <= '9';
}

/* A number at s[i] (after an optional sign of nsign bytes): digits, one
 * decimal point or comma, an exponent.  Returns its end. */
static size_t number(const char *s, size_t len, size_t i, size_t nsign, tok *t)
{
    char buf[80];
    size_t n = 0, j = i + nsign, nint = 0, nfrac = 0, intstart;
    int exp10 = 0;
    if (nsign)
        buf[n++] = '-', t->neg = 1;
    intstart = j;
    while (digit(s, len, j) && n < 40)
        buf[n++] = s[j++], nint++;
    if (j < len && (s[j] == '.' || s[j] == ',') && digit(s, len, j + 1)) {
        buf[n++] = '.';
        j++;
        while (digit(s, len, j) && n < 70)
            buf[n++] = s[j++], nfrac++;
        /* "1,234" and "1.234": also readable as a thousand-something count */
        if (nfrac == 3 && nint >= 1 && nint <= 3 && s[intstart] != '0')
            t->sep3 = 1;
    }
    while (digit(s, len, j)) /* absurdly long: skip the rest */
        j++;
    buf[n] = '\0';
    if (j + 1 < len && (s[j] == 'e' || s[j] == 'E') && nint > 0) {
        size_t k = j + 1;
        int sign = 1;
        if (s[k] == '-' || s[k] == '+')
            sign = s[k] == '-' ? -1 : 1, k++;
        if (digit(s, len, k)) {
            int e = 0;
            while (digit(s, len, k) && e < 1000)
                e = 10 * e + (s[k++] - '0');
            if (!(k < len && isalpha((unsigned char)s[k])))
                exp10 = sign * e, j = k, t->sep3 = 0;
        }
    }
    t->kind = TK_NUM;
    t->x = strtod(buf, NULL) * pow(10.0, exp10);
    t->dec = (int)nfrac - exp10;
    t->x3 = t->sep3 ? strtod(buf, NULL) * 1000.0 : t->x;
    if (!isfinite(t->x))
        t->kind = TK_SYM, t->sym = '?';
    return j;
}

/* A word: letters, then letters or digits; "²" reads as "2", χ as "chi",
 * τ as "tau"; an apostrophe between letters stays ("cochran's"). */
static size_t word(const char *s, size_t len, size_t i, tok *t)
{
    size_t n = 0, nb;
    int32_t c;
    t->kind = TK_WORD;
    while (i < len) {
        c = cp_at(s, len, i, &nb);
        if (is_apostrophe(c)) {
            size_t nb2;
            if (i + nb < len && is_letter(cp_at(s, len, i + nb, &nb2)) && n + 1 < sizeof t->w)
                t->w[n++] = '\'';
            else
                break;
        } else if (c == 0xB2) {
            if (n + 1 < sizeof t->w)
                t->w[n++] = '2';
        } else if (c == 0x3C7 || c == 0x3A7 || c == 0x3C4 || c == 0x3A4) {
            const char *g = c == 0x3C7 || c == 0x3A7 ? "chi" : "tau";
            if (n + 3 < sizeof t->w)
                memcpy(t->w + n, g, 3), n += 3;
        } else if (is_letter(c) || (c < 0x80 && isdigit((int)c))) {
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t k = utf8proc_encode_char(utf8proc_tolower(c), enc);
            if (n + (size_t)k < sizeof t->w)
                memcpy(t->w + n, enc, (size_t)k), n += (size_t)k;
        } else {
            break;
        }
        i += nb;
    }
    t->w[n] = '\0';
    return i;
}

int vf_tokenize(const char *s, size_t len, toks *tk)
{
    size_t i = 0, nb;
    long line = 1;
    int32_t prev = ' ';
    int newlines = 0;
    tk->s = s;
    tk->len = len;
    while (i < len) {
        int32_t c = cp_at(s, len, i, &nb);
        tok *t;
        size_t start = i;
        if (is_space(c)) {
            if (c == '\n') {
                line++;
                if (++newlines == 2 && tk->n > 0 && tk->t[tk->n - 1].kind != TK_PARA) {
                    if (!(t = push(tk)))
                        return -1;
                    t->kind = TK_PARA, t->b = t->e = i, t->line = line;
                }
            }
            prev = c;
            i += nb;
            continue;
        }
        newlines = 0;
        if (!(t = push(tk)))
            return -1;
        t->b = i;
        t->line = line;
        if ((c >= '0' && c <= '9') || (c == '.' && digit(s, len, i + 1) && !(prev < 0x80 && isdigit((int)prev)))) {
            i = number(s, len, i, 0, t);
        } else if (is_dash(c) && !is_letter(prev) && !(prev < 0x80 && isalnum((int)prev)) &&
                   prev != ')' && prev != ']' && prev != '%' &&
                   (digit(s, len, i + nb) || (i + nb < len && s[i + nb] == '.' && digit(s, len, i + nb + 1)))) {
            i = number(s, len, i, nb, t);
        } else if (is_letter(c) || c == 0xB2) {
            i = word(s, len, i, t);
        } else {
            t->kind = TK_SYM;
            t->sym = sym_of(c);
            i += nb;
        }
        t->e = i;
        /* the last code point of the token */
        {
            size_t k = i - 1;
            while (k > start && ((unsigned char)s[k] & 0xC0) == 0x80)
                k--;
            prev = cp_at(s, len, k, &nb);
        }
    }
    return 0;
}

void vf_toks_free(toks *tk)
{
    if (!tk->fixed)
        app_free(tk->t);
    tk->t = NULL;
    tk->n = tk->cap = 0;
}

/* ---- phrases ------------------------------------------------------------- */

static int phrase_letter(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

size_t vf_phrase_at(const toks *tk, size_t i, const char *ph)
{
    size_t m = 0;
    const char *p = ph;
    while (*p) {
        const tok *t;
        if (*p == ' ') {
            p++;
            continue;
        }
        if (i + m >= tk->n)
            return 0;
        t = &tk->t[i + m];
        if (isdigit((unsigned char)*p)) {
            char *end;
            double v = strtod(p, &end);
            if (t->kind != TK_NUM || t->neg || t->dec != 0 || t->x != v)
                return 0;
            p = end;
        } else if (phrase_letter((unsigned char)*p)) {
            const char *q = p;
            int upper = 0;
            size_t n;
            while (*q && (phrase_letter((unsigned char)*q) ||
                          (*q == '\'' && phrase_letter((unsigned char)q[1]))))
                upper |= isupper((unsigned char)*q), q++;
            n = (size_t)(q - p);
            if (t->kind != TK_WORD)
                return 0;
            if (upper ? (t->e - t->b != n || memcmp(tk->s + t->b, p, n) != 0)
                      : (strlen(t->w) != n || memcmp(t->w, p, n) != 0))
                return 0;
            p = q;
        } else {
            if (t->kind != TK_SYM || t->sym != *p)
                return 0;
            p++;
        }
        m++;
    }
    return m;
}

size_t vf_list_at(const toks *tk, size_t i, const char *const *list)
{
    size_t best = 0, m;
    for (; list && *list; list++)
        if ((m = vf_phrase_at(tk, i, *list)) > best)
            best = m;
    return best;
}
