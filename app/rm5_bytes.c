/*
 * rm5_bytes.c - repairs a RevMan file's bytes before libxml2 reads them.
 *
 * Real .rm5 files are not always well-formed: files declared UTF-8 hold
 * Windows-1252 bytes (text pasted from Word), others are declared
 * windows-1252 or ISO-8859-1, and names carry a bare '&' or '<' ("Smith &
 * Jones", "p < 0.05").  This pass turns the bytes into UTF-8 and escapes
 * the bare characters, keeping every line break so that line numbers still
 * point into the original file; each repair becomes a warning.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rm5_internal.h"

static void put_cp(sbuf *b, long cp)
{
    char u[4];
    sb_add(b, u, app_utf8_put(cp, u));
}

static void put_cp1252(sbuf *b, unsigned char c)
{
    put_cp(b, app_cp1252_char(c));
}

/* The encoding named in the XML declaration, lower-cased, or "". */
static void declared_encoding(const char *d, size_t len, char *enc, size_t n)
{
    const char *end, *p;
    size_t i = 0;
    enc[0] = '\0';
    if (len < 5 || strncmp(d, "<?xml", 5) != 0)
        return;
    end = memchr(d, '>', len < 400 ? len : 400);
    if (!end)
        return;
    for (p = d; p + 8 < end; p++)
        if (strncmp(p, "encoding", 8) == 0)
            break;
    if (p + 8 >= end)
        return;
    p += 8;
    while (p < end && (*p == ' ' || *p == '=' || *p == '\t'))
        p++;
    if (p >= end || (*p != '"' && *p != '\''))
        return;
    for (p++; p < end && *p != '"' && *p != '\'' && i + 1 < n; p++)
        enc[i++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    enc[i] = '\0';
}

static int is_single_byte(const char *enc)
{
    static const char *const names[] = {"windows-1252", "cp1252", "iso-8859-1", "iso8859-1",
                                        "latin1", "latin-1", "iso-8859-15", "us-ascii", "ascii"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(enc, names[i]) == 0)
            return 1;
    return 0;
}

/* Counts of each repair: the first few are named with their line. */
typedef struct fixes {
    const char *file;
    app_strlist *w;
    size_t amp, lt;
} fixes;

enum { FIX_NAMED = 5 };

static void note(fixes *f, size_t *count, long line, const char *what)
{
    if (++*count <= FIX_NAMED)
        app_strlist_addf(f->w, "%s:%ld: %s", f->file, line, what);
}

/* Is the '&' at p the start of a character or predefined entity reference? */
static int good_ref(const char *p, const char *end)
{
    static const char *const ents[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
    const char *q = p + 1;
    if (q < end && *q == '#') {
        int hex = q + 1 < end && (q[1] == 'x' || q[1] == 'X');
        size_t digits = 0;
        for (q += hex ? 2 : 1; q < end; q++, digits++) {
            char c = *q;
            if (!((c >= '0' && c <= '9') ||
                  (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))))
                break;
        }
        return digits > 0 && q < end && *q == ';';
    }
    for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
        size_t l = strlen(ents[i]);
        if ((size_t)(end - q) >= l && strncmp(q, ents[i], l) == 0)
            return 1;
    }
    return 0;
}

/* Length of a comment, CDATA section, processing instruction or DOCTYPE at
 * p, copied through unchanged; 0 if p starts none of them. */
static size_t markup_len(const char *p, const char *end)
{
    static const struct { const char *open, *close; } kinds[] = {
        {"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}, {"<!", ">"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t ol = strlen(kinds[i].open), cl = strlen(kinds[i].close);
        const char *q;
        if ((size_t)(end - p) < ol || strncmp(p, kinds[i].open, ol) != 0)
            continue;
        for (q = p + ol; q + cl <= end; q++)
            if (strncmp(q, kinds[i].close, cl) == 0)
                return (size_t)(q + cl - p);
        return (size_t)(end - p);
    }
    return 0;
}

static int name_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || c >= 0x80;
}

/* Escape bare '&' and '<' in text and attribute values of the UTF-8 text
 * in[0..n). */
static void escape_bare(const char *in, size_t n, sbuf *out, fixes *f)
{
    const char *p = in, *end = in + n;
    long line = 1;
    int in_tag = 0;
    char quote = 0;
    while (p < end) {
        char c = *p;
        size_t m;
        if (c == '\n')
            line++;
        if (!in_tag && c == '<' && (m = markup_len(p, end)) > 0) {
            for (size_t i = 0; i < m; i++)
                line += p[i] == '\n';
            sb_add(out, p, m);
            p += m;
            continue;
        }
        if (c == '&' && !good_ref(p, end)) {
            note(f, &f->amp, line, "a bare '&' was read as the character '&' (write &amp; in XML)");
            sb_puts(out, "&amp;");
        } else if (c == '<' && (quote || (!in_tag && p + 1 < end && !name_start((unsigned char)p[1]) &&
                                          p[1] != '/'))) {
            note(f, &f->lt, line, "a bare '<' was read as the character '<' (write &lt; in XML)");
            sb_puts(out, "&lt;");
        } else {
            if (in_tag) {
                if (quote && c == quote)
                    quote = 0;
                else if (!quote && (c == '"' || c == '\''))
                    quote = c;
                else if (!quote && c == '>')
                    in_tag = 0;
            } else if (c == '<') {
                in_tag = 1;
            }
            sb_add(out, p, 1);
        }
        p++;
    }
}

/* Decode to UTF-8: bytes that are not UTF-8 (or every byte >= 0x80 when
 * the file declares a single-byte encoding) are read as Windows-1252. */
static void to_utf8(const char *d, size_t len, int single, sbuf *out, fixes *f, int *recoded)
{
    const unsigned char *p = (const unsigned char *)d, *end = p + len;
    long line = 1, first = 0;
    size_t bad = 0;
    while (p < end) {
        size_t m = single && *p >= 0x80 ? 0 : app_utf8_seq((const char *)p, (size_t)(end - p));
        if (*p == '\n')
            line++;
        if (m == 0) {
            put_cp1252(out, *p);
            if (!single && bad++ == 0)
                first = line;
            p++;
            continue;
        }
        sb_add(out, (const char *)p, m);
        p += m;
    }
    if (bad > 0) {
        *recoded = 1;
        app_strlist_addf(f->w,
                         "%s:%ld: the file is declared UTF-8 but %zu byte%s (the first on this line) "
                         "are not UTF-8: read as Windows-1252",
                         f->file, first, bad, bad == 1 ? " is" : "s");
    }
    if (single)
        *recoded = 1;
}

int rm5_repair_bytes(const char *file, const char *data, size_t len, sbuf *out,
                     app_strlist *w, int *recoded)
{
    char enc[40];
    sbuf u;
    fixes f = {file, w, 0, 0};
    const unsigned char *b = (const unsigned char *)data;
    sb_init(&u);
    *recoded = 0;
    if (len >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE)))
        return 1; /* UTF-16: libxml2 decodes it; nothing to repair here */
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        data += 3, len -= 3;
    declared_encoding(data, len, enc, sizeof enc);
    if (enc[0] && !is_single_byte(enc) && strcmp(enc, "utf-8") != 0 && strcmp(enc, "utf8") != 0)
        return 1; /* another declared encoding: leave it to libxml2 */
    to_utf8(data, len, is_single_byte(enc), &u, &f, recoded);
    if (u.oom) {
        sb_free(&u);
        return -1;
    }
    escape_bare(u.p ? u.p : "", u.len, out, &f);
    sb_free(&u);
    if (f.amp > FIX_NAMED)
        app_strlist_addf(w, "%s: %zu more bare '&' read as characters", file, f.amp - FIX_NAMED);
    if (f.lt > FIX_NAMED)
        app_strlist_addf(w, "%s: %zu more bare '<' read as characters", file, f.lt - FIX_NAMED);
    return out->oom || w->oom ? -1 : 0;
}
