/*
 * rm5.c - reads the analyses of a Cochrane RevMan 5 review (.rm5).
 *
 * A review is XML: COCHRANE_REVIEW > ANALYSES_AND_DATA > COMPARISON (NO,
 * NAME) > DICH_OUTCOME | CONT_OUTCOME | IV_OUTCOME | IPD_OUTCOME, each with
 * its settings as attributes (EFFECT_MEASURE, METHOD, RANDOM, CI_STUDY,
 * CI_TOTAL, SUBGROUPS, TOTALS, ...), NAME, GROUP_LABEL_1/2, optional
 * *_SUBGROUP elements, and one *_DATA element per study whose attributes
 * hold the numbers (EVENTS_1 TOTAL_1 ...; MEAN_1 SD_1 ...; EFFECT_SIZE SE;
 * O_E VAR) and whose STUDY_ID points at STUDIES_AND_REFERENCES > STUDIES >
 * INCLUDED_STUDIES > STUDY (ID, NAME, YEAR).  The bytes are repaired first
 * (rm5_bytes.c), then libxml2 parses them in recovery mode; everything it
 * or we recover from is a warning with the line.  The model owns copies of
 * all strings; libxml2's tree is freed before returning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "rm5_internal.h"

/* ---- the parse's state ------------------------------------------------ */

typedef struct study_ref {
    const xmlChar *id, *name, *year; /* pointers into the libxml2 tree */
} study_ref;

typedef struct pstate {
    const char *file;
    rm5_review *r;
    study_ref *studies;
    size_t nstudies;
    int oom;
    /* libxml2's messages */
    int nerr, fatal;
    long err_line, err_col;
    char err_msg[300];
} pstate;

enum { XML_NAMED = 10 };

static char *dup_or_oom(pstate *p, const char *s)
{
    char *d = app_strdup(s ? s : "");
    if (!d)
        p->oom = 1;
    return d;
}

/* ---- libxml2 messages ------------------------------------------------- */

static void on_xml_error(void *ctx, xmlErrorPtr err)
{
    pstate *p = ctx;
    char msg[300];
    size_t n;
    if (!err || err->level < XML_ERR_ERROR)
        return;
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
    n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    if (p->nerr == 0 || (!p->fatal && (err->code == XML_ERR_DOCUMENT_END ||
                                       err->code == XML_ERR_TAG_NOT_FINISHED ||
                                       err->code == XML_ERR_DOCUMENT_EMPTY))) {
        p->err_line = err->line;
        p->err_col = err->int2;
        snprintf(p->err_msg, sizeof p->err_msg, "%s", msg);
    }
    /* An unfinished document means analyses may be missing: not recoverable. */
    if (err->code == XML_ERR_DOCUMENT_END || err->code == XML_ERR_TAG_NOT_FINISHED ||
        err->code == XML_ERR_DOCUMENT_EMPTY)
        p->fatal = 1;
    if (++p->nerr <= XML_NAMED)
        app_strlist_addf(&p->r->warnings, "%s:%d:%d: XML error, recovered: %s", p->file,
                         err->line, err->int2, msg);
}

/* ---- small tree helpers ----------------------------------------------- */

static int is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* Text of an element with runs of white space made one space and trimmed
 * (NAME may hold markup such as <I>); NULL when absent or on OOM. */
static char *text_of(pstate *p, const xmlNode *n)
{
    xmlChar *t;
    char *s, *d;
    const char *q;
    int space = 0;
    if (!n)
        return dup_or_oom(p, "");
    if (!(t = xmlNodeGetContent(n)))
        return dup_or_oom(p, "");
    if (!(s = app_alloc(strlen((const char *)t) + 1))) {
        xmlFree(t);
        p->oom = 1;
        return NULL;
    }
    for (q = (const char *)t, d = s; *q; q++) {
        if (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') {
            space = d != s;
            continue;
        }
        if (space)
            *d++ = ' ';
        space = 0;
        *d++ = *q;
    }
    *d = '\0';
    xmlFree(t);
    return s;
}

/* An attribute's value, trimmed; NULL when absent (or OOM: p->oom). */
static char *attr(pstate *p, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s, *b, *e;
    if (!v)
        return NULL;
    for (b = (char *)v; *b == ' ' || *b == '\t' || *b == '\n' || *b == '\r'; b++)
        ;
    for (e = b + strlen(b); e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'); e--)
        ;
    s = app_strndup(b, (size_t)(e - b));
    xmlFree(v);
    if (!s)
        p->oom = 1;
    return s;
}

static int attr_is(const xmlNode *n, const char *name, const char *value)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    int yes = v && strcasecmp((const char *)v, value) == 0;
    xmlFree(v);
    return yes;
}

/* ---- studies ---------------------------------------------------------- */

static int collect_studies(pstate *p, const xmlNode *root)
{
    const xmlNode *studies = child(child(root, "STUDIES_AND_REFERENCES"), "STUDIES");
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        n = 0;
        for (const xmlNode *g = studies ? studies->children : NULL; g; g = g->next)
            for (const xmlNode *s = g->type == XML_ELEMENT_NODE ? g->children : NULL; s; s = s->next) {
                if (!is(s, "STUDY"))
                    continue;
                if (pass == 1) {
                    study_ref *r = &p->studies[n];
                    r->id = NULL, r->name = NULL, r->year = NULL;
                    for (const xmlAttr *a = s->properties; a; a = a->next) {
                        const xmlChar *v = a->children ? a->children->content : NULL;
                        if (xmlStrcmp(a->name, (const xmlChar *)"ID") == 0)
                            r->id = v;
                        else if (xmlStrcmp(a->name, (const xmlChar *)"NAME") == 0)
                            r->name = v;
                        else if (xmlStrcmp(a->name, (const xmlChar *)"YEAR") == 0)
                            r->year = v;
                    }
                }
                n++;
            }
        if (pass == 0 && n > 0 && !(p->studies = app_calloc(n, sizeof *p->studies))) {
            p->oom = 1;
            return -1;
        }
    }
    p->nstudies = n;
    return 0;
}

/* Label of a study: NAME, with YEAR appended when NAME does not hold it;
 * the STUDY_ID itself (and a warning) when the review does not define it. */
static char *study_label(pstate *p, const char *id, long line)
{
    char buf[600];
    for (size_t i = 0; id && i < p->nstudies; i++) {
        const study_ref *s = &p->studies[i];
        const char *name, *year;
        if (!s->id || strcmp((const char *)s->id, id) != 0)
            continue;
        name = s->name ? (const char *)s->name : "";
        year = s->year ? (const char *)s->year : "";
        while (*name == ' ')
            name++;
        if (!*name)
            break;
        if (*year && !strstr(name, year))
            snprintf(buf, sizeof buf, "%s %s", name, year);
        else
            snprintf(buf, sizeof buf, "%s", name);
        return dup_or_oom(p, buf);
    }
    app_strlist_addf(&p->r->warnings, "%s:%ld: study %s is not defined in STUDIES_AND_REFERENCES: "
                     "its STUDY_ID is used as the label", p->file, line, id ? id : "(no STUDY_ID)");
    return dup_or_oom(p, id ? id : "");
}

/* ---- outcomes --------------------------------------------------------- */

static const char *const prefix[] = {"DICH", "CONT", "IV", "IPD"};

/* Attribute names of the values of a data row, per type. */
static const char *const valnames[4][RM5_MAXVAL] = {
    {"EVENTS_1", "TOTAL_1", "EVENTS_2", "TOTAL_2", NULL, NULL},
    {"MEAN_1", "SD_1", "TOTAL_1", "MEAN_2", "SD_2", "TOTAL_2"},
    {"EFFECT_SIZE", "SE", "TOTAL_1", "TOTAL_2", NULL, NULL},
    {"O_E", "VAR", "TOTAL_1", "TOTAL_2", NULL, NULL}};
/* Values every row needs (the others are optional). */
static const int nrequired[4] = {4, 6, 2, 2};

const char *rm5_type_name(rm5_type t)
{
    static const char *const names[] = {"dichotomous", "continuous", "generic", "o-e"};
    return (unsigned)t < 4 ? names[t] : "?";
}

/* RevMan's effect measure (short or long name) as metasyn's. */
static const char *map_measure(rm5_type t, const char *em, const char *method)
{
    static const struct { const char *rm, *ms; } names[] = {
        {"OR", "OR"}, {"Odds Ratio", "OR"}, {"RR", "RR"}, {"Risk Ratio", "RR"},
        {"RD", "RD"}, {"Risk Difference", "RD"}, {"PETO_OR", "PETO"},
        {"Peto Odds Ratio", "PETO"}, {"MD", "MD"}, {"Mean Difference", "MD"},
        {"SMD", "SMD"}, {"Std. Mean Difference", "SMD"},
        {"Standardized Mean Difference", "SMD"}, {"Standardised Mean Difference", "SMD"},
        {"HR", "HR"}, {"Hazard Ratio", "HR"}, {"OTHER", "GEN"}};
    const char *m = NULL;
    for (size_t i = 0; em && i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(em, names[i].rm) == 0)
            m = names[i].ms;
    if (!m)
        return NULL;
    switch (t) {
    case RM5_DICH:
        if (strcmp(m, "OR") == 0 && method && strcmp(method, "PETO") == 0)
            return "PETO";
        return strcmp(m, "OR") == 0 || strcmp(m, "RR") == 0 || strcmp(m, "RD") == 0 ||
                       strcmp(m, "PETO") == 0 ? m : NULL;
    case RM5_CONT:
        return strcmp(m, "MD") == 0 || strcmp(m, "SMD") == 0 ? m : NULL;
    case RM5_IPD:
        return strcmp(m, "OR") == 0 || strcmp(m, "PETO") == 0 ? "PETO"
               : strcmp(m, "HR") == 0 ? "HR" : NULL;
    default:
        return strcmp(m, "PETO") == 0 ? "OR" : m;
    }
}

static const char *map_method(rm5_type t, const char *m)
{
    if (!m)
        return t == RM5_IPD ? "PETO" : t == RM5_DICH ? NULL : "IV";
    if (strcasecmp(m, "MH") == 0 || strcasecmp(m, "Mantel-Haenszel") == 0 || strcasecmp(m, "M-H") == 0)
        return "MH";
    if (strcasecmp(m, "IV") == 0 || strcasecmp(m, "Inverse Variance") == 0)
        return "IV";
    if (strcasecmp(m, "PETO") == 0 || strcasecmp(m, "EXP_O_E_VAR") == 0 || strcasecmp(m, "O-E") == 0)
        return "PETO";
    return NULL;
}

static void missing_attr(pstate *p, long line, const char *elem, const char *name, const char *what)
{
    app_strlist_addf(&p->r->warnings, "%s:%ld: %s has no %s attribute: %s", p->file, line, elem,
                     name, what);
}

/* RevMan writes a study without data as zeros: totals 0 (DICH, CONT),
 * SE 0 (IV) or VAR 0 (IPD).  Such a row's cells are left empty. */
static int placeholder(rm5_type t, char *const *v)
{
    double x[RM5_MAXVAL];
    const char *why;
    for (int i = 0; i < RM5_MAXVAL; i++)
        if (!v[i] || app_parse_number(v[i], 0, &x[i], &why) != NUM_OK)
            x[i] = -1;
    switch (t) {
    case RM5_DICH:
        return x[1] == 0 && x[3] == 0;
    case RM5_CONT:
        return x[2] == 0 && x[5] == 0;
    default:
        return x[1] == 0;
    }
}

static int add_row(pstate *p, rm5_analysis *a, const xmlNode *d, const char *subgroup, size_t *cap)
{
    rm5_row *row;
    char *id;
    if (a->nrow == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        rm5_row *nr = app_realloc(a->rows, nc * sizeof *nr);
        if (!nr)
            return p->oom = 1, -1;
        a->rows = nr;
        *cap = nc;
    }
    row = &a->rows[a->nrow++];
    memset(row, 0, sizeof *row);
    row->line = xmlGetLineNo(d);
    id = attr(p, d, "STUDY_ID");
    row->study_id = id ? id : dup_or_oom(p, "");
    row->study = study_label(p, id, row->line);
    if (subgroup)
        row->subgroup = dup_or_oom(p, subgroup);
    for (int i = 0; i < RM5_MAXVAL && valnames[a->type][i]; i++) {
        const char *name = valnames[a->type][i], *why;
        double x;
        char *v = attr(p, d, name);
        if (v && app_parse_number(v, 0, &x, &why) != NUM_OK) {
            app_strlist_addf(&p->r->warnings, "%s:%ld: %s=\"%s\" of study %s %s: cell left empty",
                             p->file, row->line, name, v, row->study_id,
                             why ? why : "is empty");
            app_free(v);
            v = NULL;
        } else if (!v && i < nrequired[a->type] && !p->oom) {
            app_strlist_addf(&p->r->warnings, "%s:%ld: %s_DATA of study %s has no %s: cell left empty",
                             p->file, row->line, prefix[a->type], row->study_id, name);
        }
        row->val[i] = v;
    }
    if (placeholder(a->type, row->val)) {
        app_strlist_addf(&p->r->warnings, "%s:%ld: study %s of analysis %s.%s has no data in RevMan "
                         "(%s = 0): its cells are left empty", p->file, row->line, row->study_id,
                         a->comp_no, a->out_no, a->type <= RM5_CONT ? "totals" : valnames[a->type][1]);
        for (int i = 0; i < RM5_MAXVAL; i++) {
            app_free(row->val[i]);
            row->val[i] = NULL;
        }
    }
    return p->oom ? -1 : 0;
}

static void read_settings(pstate *p, rm5_analysis *a, const xmlNode *o)
{
    static const char *const pooled[RM5_P_COUNT] = {"EFFECT_SIZE", "CI_START", "CI_END", "TAU2",
                                                    "I2", "CHI2", "DF", "Z", "P_Z"};
    const char *elem = (const char *)o->name;
    char *v;
    a->revman_measure = attr(p, o, "EFFECT_MEASURE");
    if (!a->revman_measure) {
        const xmlNode *em = child(o, "EFFECT_MEASURE"); /* Cochrane Library export */
        a->revman_measure = em ? text_of(p, em) : NULL;
    }
    if (!(a->revman_method = attr(p, o, "METHOD")))
        a->revman_method = attr(p, o, "STATISTICAL_METHOD");
    a->method = map_method(a->type, a->revman_method);
    a->measure = map_measure(a->type, a->revman_measure, a->method);
    if (!a->revman_measure)
        missing_attr(p, a->line, elem, "EFFECT_MEASURE", "no pool command for it");
    else if (!a->measure)
        app_strlist_addf(&p->r->warnings, "%s:%ld: effect measure \"%s\" of a %s outcome is not "
                         "known to metasyn: no pool command for it", p->file, a->line,
                         a->revman_measure, rm5_type_name(a->type));
    if (!a->revman_method && a->type == RM5_DICH)
        missing_attr(p, a->line, elem, "METHOD", "no pool command for it");
    else if (a->revman_method && !a->method)
        app_strlist_addf(&p->r->warnings, "%s:%ld: statistical method \"%s\" is not known to metasyn",
                         p->file, a->line, a->revman_method);
    if ((v = attr(p, o, "RANDOM")) == NULL && a->type != RM5_IPD)
        missing_attr(p, a->line, elem, "RANDOM", "fixed effect (RevMan's default) assumed");
    a->random = v && strcasecmp(v, "YES") == 0;
    app_free(v);
    a->natural_scale = a->type == RM5_IV && attr_is(o, "LOG_DATA", "NO") && a->measure &&
                       (strcmp(a->measure, "OR") == 0 || strcmp(a->measure, "RR") == 0 ||
                        strcmp(a->measure, "HR") == 0);
    a->swap_events = a->type == RM5_DICH && attr_is(o, "SWAP_EVENTS", "YES");
    a->totals = !attr_is(o, "TOTALS", "NO");
    a->ci_study = attr(p, o, "CI_STUDY");
    a->ci_total = attr(p, o, "CI_TOTAL");
    for (int i = 0; i < RM5_P_COUNT; i++)
        a->pooled[i] = attr(p, o, pooled[i]);
    a->label1 = text_of(p, child(o, "GROUP_LABEL_1"));
    a->label2 = text_of(p, child(o, "GROUP_LABEL_2"));
    if (a->swap_events)
        app_strlist_addf(&p->r->warnings, "%s:%ld: RevMan analyses non-events here (SWAP_EVENTS): "
                         "the CSV holds the events as entered", p->file, a->line);
}

static int read_outcome(pstate *p, rm5_analysis *a, const xmlNode *o)
{
    char sub[40], dat[40];
    size_t cap = 0;
    snprintf(sub, sizeof sub, "%s_SUBGROUP", prefix[a->type]);
    snprintf(dat, sizeof dat, "%s_DATA", prefix[a->type]);
    a->line = xmlGetLineNo(o);
    if (!(a->out_no = attr(p, o, "NO")) && !p->oom)
        missing_attr(p, a->line, (const char *)o->name, "NO", "numbered by its position");
    a->out_name = text_of(p, child(o, "NAME"));
    read_settings(p, a, o);
    for (const xmlNode *c = o->children; c && !p->oom; c = c->next) {
        if (is(c, dat)) {
            if (add_row(p, a, c, NULL, &cap) != 0)
                return -1;
        } else if (is(c, sub)) {
            char *name = text_of(p, child(c, "NAME"));
            a->has_subgroups = 1;
            for (const xmlNode *d = c->children; d && name && !p->oom; d = d->next)
                if (is(d, dat) && add_row(p, a, d, name, &cap) != 0)
                    break;
            app_free(name);
        }
    }
    if (a->nrow == 0 && !p->oom)
        app_strlist_addf(&p->r->warnings, "%s:%ld: outcome %s.%s \"%s\" has no study data",
                         p->file, a->line, a->comp_no ? a->comp_no : "?",
                         a->out_no ? a->out_no : "?", a->out_name ? a->out_name : "");
    return p->oom ? -1 : 0;
}

static int outcome_type(const xmlNode *n)
{
    for (int t = 0; t < 4; t++) {
        char name[40];
        snprintf(name, sizeof name, "%s_OUTCOME", prefix[t]);
        if (is(n, name))
            return t;
    }
    return -1;
}

static int add_analysis(pstate *p, const xmlNode *cmp, const xmlNode *o, int t, size_t *cap,
                        size_t pos)
{
    rm5_review *r = p->r;
    rm5_analysis *a;
    char buf[32];
    if (r->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        rm5_analysis *na = app_realloc(r->a, nc * sizeof *na);
        if (!na)
            return p->oom = 1, -1;
        r->a = na;
        *cap = nc;
    }
    a = &r->a[r->n++];
    memset(a, 0, sizeof *a);
    a->type = (rm5_type)t;
    a->comp_no = attr(p, cmp, "NO");
    if (!a->comp_no && !p->oom) {
        snprintf(buf, sizeof buf, "%zu", pos);
        a->comp_no = dup_or_oom(p, buf);
    }
    a->comp_name = text_of(p, child(cmp, "NAME"));
    if (read_outcome(p, a, o) != 0)
        return -1;
    if (!a->out_no) {
        size_t k = 0;
        for (size_t i = 0; i < r->n; i++)
            k += r->a[i].comp_no && a->comp_no && strcmp(r->a[i].comp_no, a->comp_no) == 0;
        snprintf(buf, sizeof buf, "%zu", k);
        a->out_no = dup_or_oom(p, buf);
    }
    return p->oom ? -1 : 0;
}

static int read_analyses(pstate *p, const xmlNode *root)
{
    const xmlNode *ad = child(root, "ANALYSES_AND_DATA");
    size_t cap = 0, pos = 0;
    for (const xmlNode *c = ad ? ad->children : NULL; c; c = c->next) {
        if (!is(c, "COMPARISON"))
            continue;
        pos++;
        for (const xmlNode *o = c->children; o; o = o->next) {
            int t = outcome_type(o);
            if (t >= 0 && add_analysis(p, c, o, t, &cap, pos) != 0)
                return -1;
            if (is(o, "OTHER_OUTCOME"))
                app_strlist_addf(&p->r->warnings, "%s:%ld: \"other data\" outcomes (text tables) "
                                 "are not imported", p->file, (long)xmlGetLineNo(o));
        }
    }
    if (p->r->n == 0)
        app_strlist_addf(&p->r->warnings, "%s: the review has no analyses (ANALYSES_AND_DATA is %s)",
                         p->file, ad ? "empty" : "absent");
    return 0;
}

/* ---- output names ----------------------------------------------------- */

/* "<comparison-no>.<outcome-no>.csv" with every character other than
 * letters, digits, '-' and '_' made '_'; a name already taken gets "-2",
 * "-3", ...  Names never start with '.', so "." and ".." cannot occur. */
static int name_files(pstate *p)
{
    rm5_review *r = p->r;
    for (size_t i = 0; i < r->n; i++) {
        rm5_analysis *a = &r->a[i];
        char base[160], name[180];
        size_t n = 0;
        for (int part = 0; part < 2; part++) {
            const char *s = part ? a->out_no : a->comp_no;
            if (part)
                base[n++] = '.';
            for (; s && *s && n < 70 * (size_t)(part + 1); s++) {
                char c = *s;
                int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                         (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
                base[n++] = ok ? c : '_';
            }
        }
        base[n] = '\0';
        snprintf(name, sizeof name, "%s.csv", base);
        for (int k = 2;; k++) {
            size_t j;
            for (j = 0; j < i && strcmp(r->a[j].file, name) != 0; j++)
                ;
            if (j == i && strcmp(name, "index.csv") != 0)
                break;
            snprintf(name, sizeof name, "%s-%d.csv", base, k);
        }
        if (!(a->file = app_strdup(name)))
            return p->oom = 1, -1;
    }
    return 0;
}

/* ---- entry points ----------------------------------------------------- */

static void free_analysis(rm5_analysis *a)
{
    char **s[] = {&a->comp_no, &a->comp_name, &a->out_no, &a->out_name, &a->file,
                  &a->revman_measure, &a->revman_method, &a->ci_study, &a->ci_total,
                  &a->label1, &a->label2};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        app_free(*s[i]);
    for (int i = 0; i < RM5_P_COUNT; i++)
        app_free(a->pooled[i]);
    for (size_t i = 0; i < a->nrow; i++) {
        app_free(a->rows[i].study);
        app_free(a->rows[i].study_id);
        app_free(a->rows[i].subgroup);
        for (int j = 0; j < RM5_MAXVAL; j++)
            app_free(a->rows[i].val[j]);
    }
    app_free(a->rows);
}

void rm5_free(rm5_review *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free_analysis(&r->a[i]);
    app_free(r->a);
    app_free(r->file);
    app_free(r->title);
    app_strlist_free(&r->warnings);
    memset(r, 0, sizeof *r);
}

static int fail(rm5_review *r, app_err *e, int code, const char *msg)
{
    app_err_set(e, code, "%s", msg);
    rm5_free(r);
    return -1;
}

static xmlDoc *parse_xml(pstate *p, const char *data, size_t len, app_err *e)
{
    sbuf fixed;
    int rc, recoded = 0;
    xmlDoc *doc;
    sb_init(&fixed);
    rc = rm5_repair_bytes(p->file, data, len, &fixed, &p->r->warnings, &recoded);
    if (rc < 0) {
        sb_free(&fixed);
        app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", p->file);
        return NULL;
    }
    p->r->recoded = recoded;
    if (len > (size_t)0x7fffffff || fixed.len > (size_t)0x7fffffff) {
        sb_free(&fixed);
        app_err_set(e, APP_EXIT_DATA, "%s: the file is larger than 2 GB", p->file);
        return NULL;
    }
    xmlSetStructuredErrorFunc(p, on_xml_error);
    if (rc == 0)
        doc = xmlReadMemory(fixed.p ? fixed.p : "", (int)fixed.len, p->file, "UTF-8",
                            XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_HUGE);
    else
        doc = xmlReadMemory(data, (int)len, p->file, NULL,
                            XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_HUGE);
    xmlSetStructuredErrorFunc(NULL, NULL);
    sb_free(&fixed);
    if (!doc || !xmlDocGetRootElement(doc) || p->fatal) {
        if (p->nerr)
            app_err_set(e, APP_EXIT_DATA, "%s:%ld:%ld: %s; a RevMan 5 review (.rm5) is a complete "
                        "XML file", p->file, p->err_line, p->err_col, p->err_msg);
        else
            app_err_set(e, APP_EXIT_DATA, "%s: not an XML file; a RevMan 5 review (.rm5) was expected",
                        p->file);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

int rm5_parse(const char *file, const char *data, size_t len, rm5_review *r, app_err *e)
{
    pstate p;
    xmlDoc *doc;
    xmlNode *root;
    int rc = 0;
    memset(r, 0, sizeof *r);
    memset(&p, 0, sizeof p);
    p.file = file;
    p.r = r;
    if (!(r->file = app_strdup(file)))
        return fail(r, e, APP_EXIT_INTERNAL, "out of memory");
    if (!(doc = parse_xml(&p, data, len, e))) {
        rm5_free(r);
        return -1;
    }
    root = xmlDocGetRootElement(doc);
    if (!is(root, "COCHRANE_REVIEW")) {
        app_err_set(e, APP_EXIT_DATA, "%s:%ld: the root element is <%s>, not <COCHRANE_REVIEW>: "
                    "not a RevMan 5 review (.rm5)", file, (long)xmlGetLineNo(root),
                    (const char *)root->name);
        xmlFreeDoc(doc);
        rm5_free(r);
        return -1;
    }
    r->title = text_of(&p, child(child(root, "COVER_SHEET"), "TITLE"));
    if (collect_studies(&p, root) != 0 || read_analyses(&p, root) != 0 || name_files(&p) != 0)
        rc = -1;
    app_free(p.studies);
    xmlFreeDoc(doc);
    if (rc != 0 || p.oom || r->warnings.oom)
        return fail(r, e, APP_EXIT_INTERNAL, "out of memory");
    return 0;
}

int rm5_read(const char *path, rm5_review *r, app_err *e)
{
    char *data;
    size_t len;
    int rc;
    memset(r, 0, sizeof *r);
    if (app_read_file(path, &data, &len, e) != 0)
        return -1;
    rc = rm5_parse(strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, r, e);
    app_free(data);
    return rc;
}
