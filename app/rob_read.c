/*
 * rob_read.c - reading robvis's CSV layout into an app_rob_table with
 * strict checks: Study first, one column per domain of the tool, Overall,
 * an optional Weight, and optional "<domain> support" columns (the text
 * behind a judgement) anywhere after Study.  Every error names
 * FILE:LINE:COL.  rob.h; docs/cli/rob.md.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rob.h"

#define SUPPORT " support"

/* What each column of the file is. */
enum { C_STUDY, C_DOMAIN, C_OVERALL, C_WEIGHT, C_SUPPORT };

typedef struct layout {
    int *kind;       /* ncol kinds                                        */
    size_t *dom;     /* ncol: domain index (C_DOMAIN, C_SUPPORT; ndomain =
                        Overall)                                           */
    size_t ndomain;
    int weight;      /* column of Weight or -1                            */
} layout;

static int oom(app_err *e)
{
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

static int is_support(const char *h)
{
    size_t n = strlen(h), m = strlen(SUPPORT);
    return n > m && strcasecmp(h + n - m, SUPPORT) == 0;
}

/* The column (not a support column) whose header is the first n bytes
 * of h, ignoring case; -1 if none. */
static int column_named(const app_table *t, const layout *l, const char *h, size_t n)
{
    for (size_t c = 1; c < t->ncol; c++)
        if (l->kind[c] != C_SUPPORT && strlen(t->header[c]) == n && strncasecmp(t->header[c], h, n) == 0)
            return (int)c;
    return -1;
}

static int classify(const app_table *t, app_rob_tool tool, layout *l, app_err *e)
{
    const app_rob_tooldef *def = app_rob_tool_def(tool);
    const char *f = t->file;
    int overall = -1;
    if (t->ncol == 0 || strcasecmp(t->header[0], "Study") != 0) {
        app_err_set(e, APP_EXIT_DATA,
                    "%s:1:1: the first column must be Study (got '%s'); robvis's layout is Study, one column per "
                    "domain, Overall and an optional Weight",
                    f, t->ncol ? t->header[0] : "");
        return -1;
    }
    l->kind[0] = C_STUDY;
    for (size_t c = 1; c < t->ncol; c++)
        l->kind[c] = is_support(t->header[c]) ? C_SUPPORT : C_DOMAIN;
    for (size_t c = 1; c < t->ncol; c++) {
        if (l->kind[c] == C_SUPPORT)
            continue;
        if (overall < 0 && strcasecmp(t->header[c], "Overall") == 0) {
            overall = (int)c;
            l->kind[c] = C_OVERALL;
            l->dom[c] = l->ndomain;
        } else if (overall < 0) {
            if (t->header[c][0] == '\0') {
                app_err_set(e, APP_EXIT_DATA, "%s:1:%zu: a domain column has no name; name every column", f, c + 1);
                return -1;
            }
            l->dom[c] = l->ndomain++;
        } else if (l->weight < 0 && strcasecmp(t->header[c], "Weight") == 0) {
            l->weight = (int)c;
            l->kind[c] = C_WEIGHT;
        } else {
            app_err_set(e, APP_EXIT_DATA,
                        "%s:1:%zu: column '%s' after Overall; only Weight and '<domain> support' columns may follow "
                        "Overall",
                        f, c + 1, t->header[c]);
            return -1;
        }
    }
    if (overall < 0) {
        app_err_set(e, APP_EXIT_DATA,
                    "%s:1:%zu: no Overall column; after the domain columns give the Overall judgement in a column "
                    "named Overall",
                    f, t->ncol + 1);
        return -1;
    }
    if (l->ndomain == 0 || (def->ndomain && l->ndomain != def->ndomain)) {
        if (def->ndomain)
            app_err_set(e, APP_EXIT_DATA,
                        "%s:1:%d: %s has %zu domains (%s to %s) but the file has %zu column%s between Study and "
                        "Overall; give one column per domain, in the tool's order",
                        f, overall + 1, def->title, def->ndomain, def->label[0], def->label[def->ndomain - 1],
                        l->ndomain, l->ndomain == 1 ? "" : "s");
        else
            app_err_set(e, APP_EXIT_DATA,
                        "%s:1:%d: no domain columns between Study and Overall; give one column per domain", f,
                        overall + 1);
        return -1;
    }
    for (size_t c = 1; c < t->ncol; c++) {
        int d;
        if (l->kind[c] != C_SUPPORT)
            continue;
        d = column_named(t, l, t->header[c], strlen(t->header[c]) - strlen(SUPPORT));
        if (d < 0 || (l->kind[d] != C_DOMAIN && l->kind[d] != C_OVERALL)) {
            app_err_set(e, APP_EXIT_DATA,
                        "%s:1:%zu: '%s' names no domain column; a support column is '<domain column> support' or "
                        "'Overall support'",
                        f, c + 1, t->header[c]);
            return -1;
        }
        l->dom[c] = l->dom[d];
        for (size_t c2 = 1; c2 < c; c2++)
            if (l->kind[c2] == C_SUPPORT && l->dom[c2] == l->dom[c]) {
                app_err_set(e, APP_EXIT_DATA, "%s:1:%zu: '%s' repeats column %zu; give one support column per domain",
                            f, c + 1, t->header[c], c2 + 1);
                return -1;
            }
    }
    return 0;
}

static int names(const app_table *t, app_rob_tool tool, const layout *l, app_rob_table *rt, app_err *e)
{
    const app_rob_tooldef *def = app_rob_tool_def(tool);
    rt->ndomain = l->ndomain;
    if (!(rt->label = app_calloc(l->ndomain, sizeof *rt->label)) ||
        !(rt->name = app_calloc(l->ndomain, sizeof *rt->name)))
        return oom(e);
    for (size_t c = 1; c < t->ncol; c++) {
        size_t d = l->dom[c];
        char buf[32];
        if (l->kind[c] != C_DOMAIN)
            continue;
        if (def->ndomain)
            rt->label[d] = app_strdup(def->label[d]), rt->name[d] = app_strdup(def->name[d]);
        else {
            snprintf(buf, sizeof buf, "D%zu", d + 1);
            rt->label[d] = app_strdup(buf), rt->name[d] = app_strdup(t->header[c]);
        }
        if (!rt->label[d] || !rt->name[d])
            return oom(e);
    }
    return 0;
}

static int cell_error(const app_table *t, app_rob_tool tool, size_t r, size_t c, const char *v, int overall,
                      const char *dom, app_err *e)
{
    char acc[160];
    app_rob_tool_accepted(tool, overall, acc, sizeof acc);
    if (!v || !*v)
        app_err_set(e, APP_EXIT_DATA, "%s:%ld:%zu: the Overall judgement is empty; give %s", t->file, t->line[r],
                    c + 1, acc);
    else
        app_err_set(e, APP_EXIT_DATA, "%s:%ld:%zu: '%s' is not a %s judgement for %s; use %s", t->file, t->line[r],
                    c + 1, v, app_rob_tool_def(tool)->title, dom, acc);
    return -1;
}

static int row(const app_table *t, app_rob_tool tool, const layout *l, size_t r, app_rob_study *s, app_err *e)
{
    s->line = t->line[r];
    s->weight = NAN;
    if (!(s->d = app_calloc(l->ndomain, sizeof *s->d)) || !(s->support = app_calloc(l->ndomain + 1, sizeof *s->support)))
        return oom(e);
    for (size_t c = 1; c < t->ncol; c++) {
        const char *v = app_table_cell(t, r, c);
        size_t d = l->dom[c];
        const char *why = NULL;
        int rc;
        if (!v)
            v = "";
        switch (l->kind[c]) {
        case C_DOMAIN:
            if (app_rob_tool_parse_cell(tool, 0, v, &s->d[d]) != 0)
                return cell_error(t, tool, r, c, v, 0, t->header[c], e);
            break;
        case C_OVERALL:
            if (app_rob_tool_parse_cell(tool, 1, v, &s->overall) != 0 || s->overall == APP_ROB_UNSET)
                return cell_error(t, tool, r, c, v, 1, "Overall", e);
            break;
        case C_WEIGHT:
            rc = app_parse_number(v, t->decimal_comma, &s->weight, &why);
            if (rc != NUM_OK || !(s->weight >= 0) || !isfinite(s->weight)) {
                app_err_set(e, APP_EXIT_DATA, "%s:%ld:%zu: weight '%s' %s; give a number >= 0 (a sample size or the "
                            "study's weight in the meta-analysis)",
                            t->file, t->line[r], c + 1, v,
                            rc == NUM_MISSING ? "is missing" : rc == NUM_BAD ? "is not a number" : "is negative");
                return -1;
            }
            break;
        case C_SUPPORT:
            if (*v && !(s->support[d] = app_trimmed(v)))
                return oom(e);
            break;
        default:
            break;
        }
    }
    return 0;
}

int app_rob_read(const app_table *t, app_rob_tool tool, app_rob_table *rt, app_err *e)
{
    layout l = {NULL, NULL, 0, -1};
    int rc = -1;
    memset(rt, 0, sizeof *rt);
    rt->tool = tool;
    if (!(l.kind = app_calloc(t->ncol + 1, sizeof *l.kind)) || !(l.dom = app_calloc(t->ncol + 1, sizeof *l.dom))) {
        oom(e);
        goto done;
    }
    if (classify(t, tool, &l, e) != 0 || names(t, tool, &l, rt, e) != 0)
        goto done;
    rt->has_weight = l.weight >= 0;
    for (size_t c = 1; c < t->ncol; c++)
        rt->has_support |= l.kind[c] == C_SUPPORT;
    if (t->nrow == 0) {
        app_err_set(e, APP_EXIT_DATA, "%s:2:1: no studies; give one row per study under the header", t->file);
        goto done;
    }
    if (!(rt->s = app_calloc(t->nrow, sizeof *rt->s))) {
        oom(e);
        goto done;
    }
    for (size_t r = 0; r < t->nrow; r++) {
        app_rob_study *s = &rt->s[rt->k];
        const app_rob_study *dup;
        const char *v = app_table_cell(t, r, 0);
        if (!(s->label = app_trimmed(v ? v : ""))) {
            oom(e);
            goto done;
        }
        rt->k++;
        if (!*s->label) {
            app_err_set(e, APP_EXIT_DATA, "%s:%ld:1: the Study cell is empty; name every study", t->file, t->line[r]);
            goto done;
        }
        rt->k--; /* not yet findable: look for an earlier row of the same study */
        dup = app_rob_find(rt, s->label);
        rt->k++;
        if (dup) {
            app_err_set(e, APP_EXIT_DATA, "%s:%ld:1: study '%s' appears twice (also line %ld); give each study one row",
                        t->file, t->line[r], s->label, dup->line);
            goto done;
        }
        if (row(t, tool, &l, r, s, e) != 0)
            goto done;
    }
    rc = 0;
done:
    app_free(l.kind);
    app_free(l.dom);
    if (rc)
        app_rob_free(rt);
    return rc;
}
