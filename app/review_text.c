/*
 * review_text.c - normalising the fields of imported records: HTML and
 * entities in titles, DOIs, years; and the SHA-256 that identifies an
 * imported file.  review_parse.h.
 */
#include <stdint.h>
#include <string.h>

#include "review_parse.h"

/* ---- HTML tags and entities --------------------------------------------- */

/* Tags that bibliographic databases put into titles and abstracts (Scopus,
 * Crossref-fed Zotero exports, Embase).  Only these are removed, so that
 * "IL-6 <5 pg/mL" or "a<b" stays as written. */
static const char *const tags[] = {"i",    "b",  "u",   "em",  "strong", "sup",   "sub",
                                   "sc",   "scp", "span", "br", "p",      "inf",   "font",
                                   "small", "tt", "div", "a",  "italic", "bold"};

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Length of the tag at s (s[0] == '<') when it is one to remove, else 0. */
static size_t tag_len(const char *s, size_t n)
{
    size_t i = 1, j, k;
    if (i < n && s[i] == '/')
        i++;
    j = i;
    while (j < n && ((lower(s[j]) >= 'a' && lower(s[j]) <= 'z') || s[j] == ':' ||
                     (s[j] >= '0' && s[j] <= '9')))
        j++;
    if (j == i || j >= n || (s[j] != '>' && s[j] != ' ' && s[j] != '/'))
        return 0;
    if (!(j - i > 4 && memcmp(s + i, "mml:", 4) == 0)) {
        int known = 0;
        for (size_t t = 0; t < sizeof tags / sizeof *tags && !known; t++) {
            size_t m = strlen(tags[t]);
            known = m == j - i;
            for (k = 0; known && k < m; k++)
                known = lower(s[i + k]) == tags[t][k];
        }
        if (!known)
            return 0;
    }
    for (k = j; k < n && k < j + 200; k++) {
        if (s[k] == '<')
            return 0;
        if (s[k] == '>')
            return k + 1;
    }
    return 0;
}

static const struct {
    const char *name;
    long cp;
} entities[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},    {"apos", '\''},
    {"nbsp", ' '},     {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026},
    {"alpha", 0x3b1},  {"beta", 0x3b2},   {"gamma", 0x3b3},  {"delta", 0x3b4}, {"kappa", 0x3ba},
    {"mu", 0x3bc},     {"le", 0x2264},    {"ge", 0x2265},    {"plusmn", 0xb1}, {"times", 0xd7},
    {"deg", 0xb0},     {"middot", 0xb7},  {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"ldquo", 0x201c}, {"rdquo", 0x201d}, {"eacute", 0xe9},  {"egrave", 0xe8}, {"auml", 0xe4},
    {"ouml", 0xf6},    {"uuml", 0xfc},    {"szlig", 0xdf},   {"aacute", 0xe1}, {"oacute", 0xf3},
};

/* The entity at s (s[0] == '&'): its code point and length, or 0. */
static size_t entity(const char *s, size_t n, long *cp)
{
    size_t i, end;
    for (end = 1; end < n && end < 12 && s[end] != ';'; end++)
        ;
    if (end >= n || s[end] != ';' || end < 2)
        return 0;
    if (s[1] == '#') {
        long v = 0;
        int hex = end > 2 && lower(s[2]) == 'x';
        for (i = hex ? 3 : 2; i < end; i++) {
            int c = lower(s[i]), d;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else
                return 0;
            v = v * (hex ? 16 : 10) + d;
            if (v > 0x10FFFF)
                return 0;
        }
        if (i == (hex ? 3u : 2u) || v == 0 || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v;
        return end + 1;
    }
    for (i = 0; i < sizeof entities / sizeof *entities; i++)
        if (strlen(entities[i].name) == end - 1 && memcmp(s + 1, entities[i].name, end - 1) == 0) {
            *cp = entities[i].cp;
            return end + 1;
        }
    return 0;
}

int rp_clean(const char *s, size_t n, int html, char **out)
{
    char *o = app_alloc(n + 1);
    size_t i = 0, k = 0;
    int space = 0;
    *out = NULL;
    if (!o)
        return -1;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t m;
        long cp;
        if (html && c == '<' && (m = tag_len(s + i, n - i)) > 0) {
            if (lower(s[i + 1]) == 'b' && lower(s[i + 2]) == 'r')
                space = 1;
            else if (lower(s[i + 1]) == 'p' && (s[i + 2] == '>' || s[i + 2] == ' '))
                space = 1;
            i += m;
            continue;
        }
        if (c < 0x20 || c == 0x7f || c == ' ' ||
            (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0)) {
            space = 1;
            i += c == 0xc2 ? 2 : 1;
            continue;
        }
        if (space && k > 0)
            o[k++] = ' ';
        space = 0;
        if (html && c == '&' && (m = entity(s + i, n - i, &cp)) > 0) {
            if (cp == ' ')
                space = 1;
            else
                k += app_utf8_put(cp, o + k);
            i += m;
            continue;
        }
        o[k++] = (char)c;
        i++;
    }
    o[k] = '\0';
    if (k == 0)
        app_free(o);
    else
        *out = o;
    return 0;
}

/* ---- DOIs and years ---------------------------------------------------------- */

static int prefix(const char *s, const char *p)
{
    size_t i;
    for (i = 0; p[i]; i++)
        if (lower((unsigned char)s[i]) != p[i])
            return 0;
    return (int)i;
}

static int hexval(int c)
{
    c = lower(c);
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int rp_doi(const char *s, char **out)
{
    static const char *const pre[] = {"https://", "http://", "www.", "dx.doi.org/", "doi.org/",
                                      "doi:",     "doi "};
    size_t n, k = 0;
    int url = 0, again = 1;
    char *o;
    *out = NULL;
    while (*s == ' ' || *s == '\t')
        s++;
    while (again) {
        again = 0;
        for (size_t i = 0; i < sizeof pre / sizeof *pre; i++) {
            int m = prefix(s, pre[i]);
            if (m) {
                url |= i < 5;
                s += m;
                while (*s == ' ')
                    s++;
                again = 1;
            }
        }
    }
    for (n = 0; s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\n'; n++)
        ;
    while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ',' || s[n - 1] == ';'))
        n--;
    if (!(o = app_alloc(n + 1)))
        return -1;
    /* lower case; %2F and the like decoded in a URL */
    for (size_t i = 0; i < n; i++) {
        if (url && s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            o[k++] = (char)lower(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            o[k++] = (char)lower((unsigned char)s[i]);
        }
    }
    o[k] = '\0';
    if (k < 5 || memcmp(o, "10.", 3) != 0 || !strchr(o, '/')) {
        app_free(o);
        return 0;
    }
    *out = o;
    return 1;
}

int rp_year(const char *s)
{
    while (*s) {
        size_t n = 0;
        while (s[n] >= '0' && s[n] <= '9')
            n++;
        if (n == 4) {
            int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
            return y >= 1000 && y <= 2999 ? y : 0;
        }
        s += n ? n : 1;
    }
    return 0;
}

/* ---- SHA-256 (FIPS 180-4) --------------------------------------------------------
 * Written here because metasyn links no cryptographic library (GnuTLS,
 * nettle and OpenSSL are not dependencies, and SQLite's library exports no
 * hash) and a file fingerprint needs only this one function.  Checked
 * against the FIPS 180-4 test vectors in tests/unit/test_review_parse.c. */

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, hh;
    int i;
    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

void rp_sha256(const void *data, size_t n, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const unsigned char *p = data;
    unsigned char last[128];
    uint64_t bits = (uint64_t)n * 8;
    size_t i, rest, tail;
    for (i = 0; i + 64 <= n; i += 64)
        block(h, p + i);
    rest = n - i;
    memset(last, 0, sizeof last);
    if (rest)
        memcpy(last, p + i, rest);
    last[rest] = 0x80;
    tail = rest < 56 ? 64 : 128;
    for (i = 0; i < 8; i++)
        last[tail - 1 - i] = (unsigned char)(bits >> (8 * i));
    block(h, last);
    if (tail == 128)
        block(h, last + 64);
    for (i = 0; i < 32; i++) {
        unsigned char byte = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
        hex[2 * i] = digits[byte >> 4];
        hex[2 * i + 1] = digits[byte & 15];
    }
    hex[64] = '\0';
}
