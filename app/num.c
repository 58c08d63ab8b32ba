/*
 * num.c - reading numbers from table cells, strictly.
 *
 * A cell is a number, missing (empty or NA), or an error with a reason:
 * reviewers' spreadsheets hold "12.5%", "1,234", "<0.001" and "NaN", and
 * each must be refused with a sentence rather than read as something else.
 * Unicode minus (U+2212, common in text copied from PDFs) reads as '-'.
 */
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"

int app_parse_number(const char *s, int decimal_comma, double *out,
                     const char **why)
{
    char buf[128], *end;
    size_t n = 0, commas = 0, dots = 0;
    const char *p = s;
    *why = NULL;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0' || (strncasecmp(p, "NA", 2) == 0 && strspn(p + 2, " \t\r") == strlen(p + 2))) {
        *out = nan("");
        return NUM_MISSING;
    }
    for (; *p && n < sizeof buf - 1; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == 0xE2 && (unsigned char)p[1] == 0x88 && (unsigned char)p[2] == 0x92) {
            buf[n++] = '-'; /* U+2212 MINUS SIGN */
            p += 2;
        } else if (c == ',') {
            commas++;
            buf[n++] = decimal_comma ? '.' : ',';
        } else if (c == ' ' || c == '\t' || c == '\r') {
            break;
        } else {
            if (c == '.')
                dots++;
            buf[n++] = (char)c;
        }
    }
    buf[n] = '\0';
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    if (*p != '\0' && n == sizeof buf - 1) {
        *why = "is too long to be a number (more than 127 characters)";
        return NUM_BAD;
    }
    if (*p != '\0') {
        *why = "is not a single number";
        return NUM_BAD;
    }
    if (strpbrk(buf, "xXpP") || strpbrk(buf, "nNiI")) {
        /* hex, NaN and Inf are not data */
        *why = strpbrk(buf, "nNiI") ? "is not a finite number (NaN and Inf are not allowed; leave the cell empty or write NA for a missing value)"
                                    : "is not a decimal number";
        return NUM_BAD;
    }
    if (commas > 0 && !decimal_comma) {
        *why = "contains a comma; write decimals with a point and no thousands separators";
        return NUM_BAD;
    }
    if (commas + dots > 1) {
        *why = "has more than one decimal separator";
        return NUM_BAD;
    }
    if (strchr(buf, '%')) {
        *why = "is a percentage; give the number itself";
        return NUM_BAD;
    }
    errno = 0;
    *out = strtod(buf, &end);
    if (end == buf || *end != '\0') {
        *why = "is not a number";
        return NUM_BAD;
    }
    if (errno == ERANGE && (*out > 1 || *out < -1)) {
        *why = "is too large";
        return NUM_BAD;
    }
    return NUM_OK;
}

/* A cell as quoted in a message: the first 40 bytes at most (cut at a
 * character boundary), so that a 10 MB cell still makes a one-line
 * message.  Print "\"%.*s%s" with app_excerpt_len() and the tail that
 * app_excerpt_more() writes: the closing quote, or, for a longer cell,
 * "...\" (N characters)". */
int app_excerpt_len(const char *s)
{
    size_t n = strlen(s);
    if (n <= 40)
        return (int)n;
    n = 40;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

void app_excerpt_more(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    if (n > 40)
        snprintf(buf, size, "...\" (%zu characters)", n);
    else
        snprintf(buf, size, "\"");
}
