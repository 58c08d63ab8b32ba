/*
 * rob_level.c - the risk-of-bias judgement scale: parsing what reviewers
 * type and the words and symbols reports and figures use.  rob.h.
 */
#include <string.h>
#include <strings.h>

#include "rob.h"

static const struct {
    const char *text;
    app_rob_level lv;
} words[] = {
    {"low", APP_ROB_LOW},
    {"low risk", APP_ROB_LOW},
    {"low risk of bias", APP_ROB_LOW},
    {"some concerns", APP_ROB_SOME},
    {"some concern", APP_ROB_SOME},
    {"unclear", APP_ROB_SOME},
    {"unclear risk", APP_ROB_SOME},
    {"unclear risk of bias", APP_ROB_SOME},
    {"moderate", APP_ROB_SOME},
    {"high", APP_ROB_HIGH},
    {"high risk", APP_ROB_HIGH},
    {"high risk of bias", APP_ROB_HIGH},
    {"serious", APP_ROB_HIGH},
    {"critical", APP_ROB_CRITICAL},
    {"no information", APP_ROB_NOINFO},
    {"no info", APP_ROB_NOINFO},
    {"ni", APP_ROB_NOINFO},
    {"not applicable", APP_ROB_NA},
    {"n/a", APP_ROB_NA},
    {"na", APP_ROB_NA},
};

int app_rob_parse(const char *s, app_rob_scale scale, app_rob_level *lv)
{
    size_t n;
    if (!s)
        s = "";
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n == 0) {
        *lv = APP_ROB_UNSET;
        return 0;
    }
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i].text) == n && strncasecmp(s, words[i].text, n) == 0) {
            *lv = words[i].lv;
            return 0;
        }
    /* "-" and U+2212 MINUS SIGN: high on both scales */
    if ((n == 1 && s[0] == '-') || (n == 3 && memcmp(s, "\xe2\x88\x92", 3) == 0)) {
        *lv = APP_ROB_HIGH;
        return 0;
    }
    if (scale == APP_ROB_SCALE_SIGN) {
        if (n == 2 && memcmp(s, "++", 2) == 0) {
            *lv = APP_ROB_LOW;
            return 0;
        }
        if (n == 1 && s[0] == '+') {
            *lv = APP_ROB_SOME;
            return 0;
        }
        return -1;
    }
    if (n == 1 && s[0] == '+') {
        *lv = APP_ROB_LOW;
        return 0;
    }
    if (n == 1 && s[0] == '?') {
        *lv = APP_ROB_SOME;
        return 0;
    }
    return -1;
}

const char *app_rob_word(app_rob_level lv)
{
    static const char *const w[APP_ROB_NLEVELS] = {"",     "low",      "some concerns", "high",
                                                   "critical", "no information", "not applicable"};
    return (unsigned)lv < APP_ROB_NLEVELS ? w[lv] : "";
}

const char *app_rob_symbol(app_rob_level lv)
{
    static const char *const s[APP_ROB_NLEVELS] = {"", "+", "?", "\xe2\x88\x92", "!", "i", ""};
    return (unsigned)lv < APP_ROB_NLEVELS ? s[lv] : "";
}

int app_rob_parse_threshold(const char *s, app_rob_level *lv)
{
    if (strcmp(s, "high") == 0)
        *lv = APP_ROB_HIGH;
    else if (strcmp(s, "some") == 0 || strcmp(s, "some-concerns") == 0)
        *lv = APP_ROB_SOME;
    else
        return -1;
    return 0;
}
