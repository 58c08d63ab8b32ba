/*
 * harms.c - reading and checking a harms file, classifying its studies
 * and pooling each adverse event (`metasyn harms`, docs/cli/harms.md).
 *
 * Every cell is checked strictly; a problem is reported as
 * "FILE:LINE:COL: what is wrong; what would be right".  A study's category
 * is the worst it reported: a serious event with events (or without
 * counts, reported as occurring) makes it "serious", else a minor one
 * "minor only"; a study whose rows all have zero events, or that says
 * reported=none, "reported none"; reported=no "did not report".
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "harms.h"

/* ---- words ------------------------------------------------------------ */

int harms_sev_parse(const char *s, harms_sev *sev)
{
    static const char *const minor[] = {"minor", "mild", "moderate", "1", "2", "grade 1", "grade 2"};
    static const char *const serious[] = {"serious", "severe", "life-threatening", "fatal", "3",
                                          "4", "5", "grade 3", "grade 4", "grade 5"};
    char buf[32];
    size_t n;
    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    for (size_t i = 0; i < sizeof minor / sizeof *minor; i++)
        if (strcasecmp(buf, minor[i]) == 0) {
            *sev = HARMS_SEV_MINOR;
            return 0;
        }
    for (size_t i = 0; i < sizeof serious / sizeof *serious; i++)
        if (strcasecmp(buf, serious[i]) == 0) {
            *sev = HARMS_SEV_SERIOUS;
            return 0;
        }
    return -1;
}

const char *harms_cat_words(harms_cat c)
{
    static const char *const w[] = {"did not report", "reported none", "minor only", "serious"};
    return (unsigned)c < 4 ? w[c] : "?";
}

const char *harms_cat_key(harms_cat c)
{
    static const char *const w[] = {"not_reported", "none", "minor", "serious"};
    return (unsigned)c < 4 ? w[c] : "?";
}

/* ---- reading ---------------------------------------------------------- */

enum { C_STUDY, C_REP, C_EVENT, C_SEV, C_AI, C_N1I, C_CI, C_N2I, C_COUNT };
static const char *const colname[C_COUNT] = {"study", "reported", "event", "severity",
                                             "ai", "n1i", "ci", "n2i"};

typedef struct reader {
    const app_table *t;
    harms_data *d;
    app_err *e;
    int col[C_COUNT];
} reader;

/* The cell of row r in column c, trimmed of blanks by the table reader;
 * "" when the column is absent or the cell empty. */
static const char *cell(const reader *x, size_t r, int c)
{
    const char *s = x->col[c] >= 0 ? app_table_cell(x->t, r, (size_t)x->col[c]) : NULL;
    return s ? s : "";
}

static int blank(const char *s)
{
    return s[0] == '\0' || strcasecmp(s, "NA") == 0;
}

static int bad(const reader *x, size_t r, int c, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int bad(const reader *x, size_t r, int c, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    app_err_set(x->e, APP_EXIT_DATA, "%s:%ld:%d: %s", x->t->file, x->t->line[r],
                x->col[c] >= 0 ? x->col[c] + 1 : 1, msg);
    return -1;
}

static int oom(const reader *x)
{
    app_err_set(x->e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

/* A count: a whole number >= 0, or NaN when blank. */
static int count(const reader *x, size_t r, int c, double *v)
{
    const char *s = cell(x, r, c), *why = NULL;
    double y;
    int rc = app_parse_number(s, x->t->decimal_comma, &y, &why);
    if (rc == NUM_MISSING) {
        *v = nan("");
        return 0;
    }
    if (rc != NUM_OK)
        return bad(x, r, c, "%s is not a number (\"%s\"); give a whole number of participants such as 12",
                   colname[c], s);
    if (y < 0)
        return bad(x, r, c, "%s is negative (%s); counts are whole numbers >= 0", colname[c], s);
    if (y != floor(y) || y > 1e12)
        return bad(x, r, c, "%s is not a whole number (%s); counts are whole numbers of participants",
                   colname[c], s);
    *v = y;
    return 0;
}

static int find_study(harms_data *d, const char *name, size_t *idx)
{
    for (size_t i = 0; i < d->nstudy; i++)
        if (strcmp(d->study[i].name, name) == 0) {
            *idx = i;
            return 1;
        }
    return 0;
}

/* The group of (event, sev), created when new; -1 when out of memory. */
static int find_group(harms_data *d, const char *event, harms_sev sev, size_t *idx)
{
    for (size_t i = 0; i < d->ngroup; i++)
        if (d->group[i].sev == sev && strcasecmp(d->group[i].event, event) == 0) {
            *idx = i;
            return 0;
        }
    harms_group *g = &d->group[d->ngroup];
    memset(g, 0, sizeof *g);
    if (!(g->event = app_strdup(event)))
        return -1;
    g->sev = sev;
    g->rc = MSYN_OK;
    *idx = d->ngroup++;
    return 0;
}

static int columns(reader *x)
{
    static const int required[] = {C_STUDY, C_REP};
    const app_table *t = x->t;
    for (int c = 0; c < C_COUNT; c++)
        x->col[c] = app_table_col(t, colname[c]);
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        int c = required[i];
        if (x->col[c] < 0) {
            int near = app_table_col_nocase(t, colname[c]);
            app_err_set(x->e, APP_EXIT_DATA, "%s:1:1: no column '%s'%s%s%s; a harms file has columns study, reported (yes, none or no), event, severity, ai, n1i, ci, n2i",
                        t->file, colname[c], near >= 0 ? " (there is '" : "",
                        near >= 0 ? t->header[near] : "", near >= 0 ? "': names are case-sensitive)" : "");
            return -1;
        }
    }
    if (t->nrow == 0) {
        app_err_set(x->e, APP_EXIT_DATA, "%s:1:1: the file has no rows; give one row per study and adverse event", t->file);
        return -1;
    }
    return 0;
}

/* The counts of a reported=yes row: all four, or none. */
static int row_counts(const reader *x, size_t r, harms_row *w)
{
    double v[4];
    int given = 0, first_missing = -1;
    for (int c = C_AI; c <= C_N2I; c++) {
        if (count(x, r, c, &v[c - C_AI]) != 0)
            return -1;
        if (!isnan(v[c - C_AI]))
            given++;
        else if (first_missing < 0)
            first_missing = c;
    }
    if (given != 0 && given != 4)
        return bad(x, r, first_missing, "%s is missing while other counts are given; give ai, n1i, ci and n2i together, or leave all four empty when the study reports the event without numbers",
                   colname[first_missing]);
    w->ai = v[0], w->n1i = v[1], w->ci = v[2], w->n2i = v[3];
    w->counts = given == 4;
    if (w->counts && w->ai > w->n1i)
        return bad(x, r, C_AI, "ai = %g is larger than n1i = %g; events cannot exceed the number of participants in the group", w->ai, w->n1i);
    if (w->counts && w->ci > w->n2i)
        return bad(x, r, C_CI, "ci = %g is larger than n2i = %g; events cannot exceed the number of participants in the group", w->ci, w->n2i);
    if (w->counts && (w->n1i == 0 || w->n2i == 0))
        return bad(x, r, w->n1i == 0 ? C_N1I : C_N2I, "%s is 0; a group has at least one participant",
                   w->n1i == 0 ? "n1i" : "n2i");
    return 0;
}

/* A row with reported = none or no: no event, no severity; for none the
 * totals may be given and the events must be 0 or empty. */
static int row_empty(const reader *x, size_t r, harms_row *w)
{
    const char *ev = cell(x, r, C_EVENT);
    const char *word = w->rep == HARMS_REP_NO ? "no" : "none";
    if (!blank(ev) && !(w->rep == HARMS_REP_NONE && strcasecmp(ev, "any") == 0))
        return bad(x, r, C_EVENT, "reported=%s with event '%s'; leave event empty (or 'any') for a study that %s, and give zero events of one type as reported=yes with ai=0 and ci=0",
                   word, ev, w->rep == HARMS_REP_NO ? "did not report adverse events" : "reported no adverse events");
    if (!blank(cell(x, r, C_SEV)))
        return bad(x, r, C_SEV, "reported=%s with a severity; leave severity empty", word);
    for (int c = C_AI; c <= C_N2I; c++) {
        double v;
        if (count(x, r, c, &v) != 0)
            return -1;
        if (isnan(v))
            continue;
        if (w->rep == HARMS_REP_NO)
            return bad(x, r, c, "reported=no with %s given; a study that did not report adverse events has no counts (use reported=yes or none)", colname[c]);
        if ((c == C_AI || c == C_CI) && v > 0)
            return bad(x, r, c, "reported=none with %s = %g; contradictory: use reported=yes for events that occurred", colname[c], v);
        if (c == C_N1I)
            w->n1i = v;
        if (c == C_N2I)
            w->n2i = v;
    }
    return 0;
}

static int read_row(reader *x, size_t r)
{
    harms_data *d = x->d;
    harms_row *w = &d->row[d->nrow];
    const char *name = cell(x, r, C_STUDY), *rep = cell(x, r, C_REP);
    memset(w, 0, sizeof *w);
    w->line = x->t->line[r];
    w->ai = w->n1i = w->ci = w->n2i = nan("");
    if (blank(name))
        return bad(x, r, C_STUDY, "the study is empty; name the study of every row");
    if (strcasecmp(rep, "yes") == 0)
        w->rep = HARMS_REP_YES;
    else if (strcasecmp(rep, "none") == 0)
        w->rep = HARMS_REP_NONE;
    else if (strcasecmp(rep, "no") == 0)
        w->rep = HARMS_REP_NO;
    else
        return bad(x, r, C_REP, "reported is '%s'; use yes (adverse events reported), none (reported that none occurred) or no (adverse events not reported)", rep);
    if (!find_study(d, name, &w->study)) {
        harms_study *s = &d->study[d->nstudy];
        memset(s, 0, sizeof *s);
        if (!(s->name = app_strdup(name)))
            return oom(x);
        s->line = w->line;
        s->n1 = s->n2 = s->ser1 = s->ser2 = s->minor1 = s->minor2 = nan("");
        w->study = d->nstudy++;
    }
    if (w->rep != HARMS_REP_YES) {
        if (row_empty(x, r, w) != 0)
            return -1;
    } else {
        const char *ev = cell(x, r, C_EVENT), *sv = cell(x, r, C_SEV);
        harms_sev sev;
        if (blank(ev))
            return bad(x, r, C_EVENT, "reported=yes without an event; name the adverse event (e.g. wound infection, or 'any')");
        if (harms_sev_parse(sv, &sev) != 0)
            return bad(x, r, C_SEV, "severity is '%s'; use minor or serious (also mild, moderate = minor; severe, life-threatening, fatal = serious; CTCAE grade 1-2 = minor, 3-5 = serious)", sv);
        if (row_counts(x, r, w) != 0)
            return -1;
        if (find_group(d, ev, sev, &w->group) != 0)
            return oom(x);
    }
    d->nrow++;
    return 0;
}

/* Rows that contradict each other within a study, and duplicates. */
static int consistent(reader *x)
{
    harms_data *d = x->d;
    for (size_t i = 0; i < d->nrow; i++)
        for (size_t j = 0; j < i; j++) {
            const harms_row *a = &d->row[j], *b = &d->row[i];
            size_t r = i; /* rows are read one per table row */
            if (a->study != b->study)
                continue;
            if (a->rep == HARMS_REP_NO || b->rep == HARMS_REP_NO)
                return bad(x, r, C_REP, "study '%s' has reported=no (line %ld) and another row; a study that did not report adverse events has one row",
                           d->study[b->study].name, a->rep == HARMS_REP_NO ? a->line : b->line);
            if (a->rep == HARMS_REP_NONE && b->rep == HARMS_REP_NONE)
                return bad(x, r, C_REP, "study '%s' has reported=none twice (line %ld); give it once", d->study[b->study].name, a->line);
            if (a->rep == HARMS_REP_YES && b->rep == HARMS_REP_YES && a->group == b->group)
                return bad(x, r, C_EVENT, "study '%s' has '%s' (%s) twice (line %ld); give each event and severity once per study",
                           d->study[b->study].name, d->group[b->group].event,
                           d->group[b->group].sev == HARMS_SEV_SERIOUS ? "serious" : "minor", a->line);
            if ((a->rep == HARMS_REP_NONE && b->rep == HARMS_REP_YES) ||
                (a->rep == HARMS_REP_YES && b->rep == HARMS_REP_NONE)) {
                const harms_row *y = a->rep == HARMS_REP_YES ? a : b;
                if (!y->counts || y->ai + y->ci > 0)
                    return bad(x, r, C_REP, "study '%s' has reported=none (line %ld) and '%s' with events (line %ld); contradictory: drop the none row or correct the events",
                               d->study[b->study].name, a->rep == HARMS_REP_NONE ? a->line : b->line,
                               d->group[y->group].event, y->line);
            }
        }
    return 0;
}

/* Add row w's events to a study's tally of one severity: an "any" row
 * replaces the sum of the others (it counts participants, not events). */
typedef struct tally {
    double *e1, *e2;
    int any, n;
} tally;

static void tally_add(tally *t, const harms_row *w, int is_any)
{
    if (is_any) {
        t->any = 1;
        *t->e1 = w->ai, *t->e2 = w->ci;
    } else if (!t->any) {
        *t->e1 = (isnan(*t->e1) ? 0 : *t->e1) + w->ai;
        *t->e2 = (isnan(*t->e2) ? 0 : *t->e2) + w->ci;
        t->n++;
    }
}

static void classify(harms_data *d)
{
    for (size_t i = 0; i < d->nstudy; i++) {
        harms_study *s = &d->study[i];
        tally ser = {&s->ser1, &s->ser2, 0, 0}, minor = {&s->minor1, &s->minor2, 0, 0};
        s->cat = HARMS_CAT_NONE;
        for (size_t j = 0; j < d->nrow; j++) {
            const harms_row *w = &d->row[j];
            if (w->study != i)
                continue;
            if (w->rep == HARMS_REP_NO)
                s->cat = HARMS_CAT_NOT_REPORTED;
            if (!isnan(w->n1i))
                s->n1 = isnan(s->n1) ? w->n1i : fmax(s->n1, w->n1i);
            if (!isnan(w->n2i))
                s->n2 = isnan(s->n2) ? w->n2i : fmax(s->n2, w->n2i);
            if (w->rep != HARMS_REP_YES)
                continue;
            const harms_group *g = &d->group[w->group];
            int events = !w->counts || w->ai + w->ci > 0;
            harms_cat c = g->sev == HARMS_SEV_SERIOUS ? HARMS_CAT_SERIOUS : HARMS_CAT_MINOR;
            if (events && c > s->cat)
                s->cat = c;
            if (w->counts)
                tally_add(g->sev == HARMS_SEV_SERIOUS ? &ser : &minor, w, strcasecmp(g->event, "any") == 0);
        }
        s->ser_summed = !ser.any && ser.n > 1;
    }
}

static int load(const app_table *t, harms_data *d, app_err *e)
{
    reader x = {t, d, e, {0}};
    if (columns(&x) != 0)
        return -1;
    if (!(d->file = app_strdup(t->file)) || !(d->row = app_calloc(t->nrow, sizeof *d->row)) ||
        !(d->study = app_calloc(t->nrow, sizeof *d->study)) ||
        !(d->group = app_calloc(t->nrow, sizeof *d->group)))
        return oom(&x);
    for (size_t r = 0; r < t->nrow; r++)
        if (read_row(&x, r) != 0)
            return -1;
    if (consistent(&x) != 0)
        return -1;
    classify(d);
    for (size_t j = 0; j < d->nrow; j++) {
        const harms_row *w = &d->row[j];
        harms_group *g = &d->group[w->group];
        if (w->rep != HARMS_REP_YES)
            continue;
        g->k++;
        if (!w->counts)
            continue;
        g->k_counts++;
        g->k_zero += w->ai + w->ci == 0;
        g->e1 += w->ai, g->n1 += w->n1i, g->e2 += w->ci, g->n2 += w->n2i;
    }
    for (size_t i = 0; i < d->nstudy; i++)
        if (d->study[i].ser_summed)
            app_strlist_addf(&d->notes, "%s: serious events per arm add up its serious event rows (there is no 'any' serious row), so a participant with two events counts twice",
                             d->study[i].name);
    if (d->notes.oom)
        return oom(&x);
    return 0;
}

int harms_load(const app_table *t, harms_data *d, app_err *e)
{
    memset(d, 0, sizeof *d);
    if (load(t, d, e) == 0)
        return 0;
    /* on error d is empty: what was read before the bad cell is freed
     * here (it leaked when the caller did not free d after an error;
     * found by fuzz_tables) */
    harms_free(d);
    return -1;
}

void harms_free(harms_data *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nstudy; i++)
        app_free(d->study[i].name);
    for (size_t i = 0; i < d->ngroup; i++)
        app_free(d->group[i].event);
    app_free(d->file);
    app_free(d->row);
    app_free(d->study);
    app_free(d->group);
    app_strlist_free(&d->notes);
    memset(d, 0, sizeof *d);
}

/* ---- summary and pooling ---------------------------------------------- */

void harms_summarise(const harms_data *d, harms_summary *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < d->nstudy; i++) {
        const harms_study *y = &d->study[i];
        s->n[y->cat]++;
        if (y->cat == HARMS_CAT_SERIOUS && !isnan(y->ser1) && !isnan(y->n1) && !isnan(y->n2)) {
            s->ser1 += y->ser1, s->ser2 += y->ser2, s->n1 += y->n1, s->n2 += y->n2;
            s->k_ser_counts++;
        }
    }
}

/* Pool group g's tables (the scratch arrays hold d->nrow values each). */
static int pool_group(harms_data *d, size_t gi, msyn_method method, double level, double *ai,
                      double *bi, double *ci, double *di)
{
    harms_group *g = &d->group[gi];
    msyn_pool_opts po;
    msyn_es_opts eo;
    size_t k = 0;
    msyn_measure m = method == MSYN_METHOD_PETO ? MSYN_MEASURE_PETO : MSYN_MEASURE_RR;
    for (size_t j = 0; j < d->nrow; j++) {
        const harms_row *w = &d->row[j];
        if (w->rep != HARMS_REP_YES || w->group != gi || !w->counts || w->ai + w->ci == 0)
            continue;
        ai[k] = w->ai, bi[k] = w->n1i - w->ai, ci[k] = w->ci, di[k] = w->n2i - w->ci;
        k++;
    }
    msyn_pool_opts_default(&po);
    msyn_es_opts_default(&eo);
    if (msyn_preset_apply(MSYN_PRESET_METAFOR, m, &method, &po, &eo) != MSYN_OK)
        return -1;
    po.method = method;
    po.level = level;
    po.alloc = app_msyn_allocator();
    eo.drop00 = 1;
    g->rc = msyn_pool_tables(m, ai, bi, ci, di, k, &eo, &po, &g->fit, NULL, NULL, NULL);
    if (g->rc == MSYN_ENOMEM)
        return -1;
    g->pooled = g->rc == MSYN_OK;
    return 0;
}

int harms_pool(harms_data *d, msyn_method method, int min_k, double level, app_err *e)
{
    double *buf = app_alloc(4 * (d->nrow + 1) * sizeof *buf);
    size_t n = d->nrow + 1;
    if (!buf) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    for (size_t gi = 0; gi < d->ngroup; gi++) {
        harms_group *g = &d->group[gi];
        if (g->k_counts - g->k_zero < (size_t)min_k) {
            g->short_k = 1;
            continue;
        }
        if (pool_group(d, gi, method, level, buf, buf + n, buf + 2 * n, buf + 3 * n) != 0) {
            app_free(buf);
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            return -1;
        }
        if (g->k_zero)
            app_strlist_addf(&d->notes, "%s (%s): %zu %s with no events in either arm left out of the pooled estimate",
                             g->event, g->sev == HARMS_SEV_SERIOUS ? "serious" : "minor", g->k_zero,
                             g->k_zero == 1 ? "study" : "studies");
    }
    app_free(buf);
    if (d->notes.oom) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    return 0;
}
