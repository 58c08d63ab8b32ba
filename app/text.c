/*
 * text.c - UTF-8 and Windows-1252, shared by every reader of text that
 * people typed (CSV study files, free text for `verify`, RevMan files).
 *
 * utf8proc does the UTF-8; Windows-1252 needs only its 32 code points for
 * the bytes 0x80-0x9F (the rest is Latin-1).
 */
#include <utf8proc.h>

#include "app.h"

/* Windows-1252 code points for bytes 0x80-0x9F (0 = undefined). */
static const unsigned short cp1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030,
    0x0160, 0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D,
    0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
    0x0178};

long app_cp1252_char(unsigned char c)
{
    long cp = c < 0x80 ? c : c < 0xA0 ? cp1252[c - 0x80] : c;
    return cp == 0 && c != 0 ? 0xFFFD : cp;
}

size_t app_utf8_seq(const char *s, size_t n)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t len;
    if (n == 0)
        return 0;
    len = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
    return len > 0 ? (size_t)len : 0;
}

int app_utf8_valid(const char *s, size_t len)
{
    while (len > 0) {
        size_t n = app_utf8_seq(s, len);
        if (n == 0)
            return 0;
        s += n;
        len -= n;
    }
    return 1;
}

size_t app_utf8_put(long cp, char out[4])
{
    return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
}

char *app_cp1252_to_utf8(const char *s, size_t len, size_t *outlen)
{
    char *out = app_alloc(3 * len + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++)
        o += app_utf8_put(app_cp1252_char((unsigned char)s[i]), o);
    *o = '\0';
    *outlen = (size_t)(o - out);
    return out;
}
