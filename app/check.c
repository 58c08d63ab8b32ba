/*
 * check.c - `metasyn check`: reading a study file for its checks.
 *
 * Unlike app_data_load(), which reads the columns one measure needs and
 * stops at the first problem, the check reads every column of the study
 * file contract (notes in docs/cli/check.md), remembers how many decimals
 * each number was given with (rounding tolerances), and runs all rules on
 * all rows: check_rows.c (one study at a time) and check_between.c
 * (studies compared).  Nothing is printed here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"

const char *const ck_names[K_NCOL] = {
    "n1i", "m1i", "sd1i", "n2i", "m2i", "sd2i",
    "se1i", "se2i", "lb1i", "ub1i", "lb2i", "ub2i",
    "mdi", "mdi_lb", "mdi_ub", "mdi_t", "mdi_p",
    "med1i", "q1_1i", "q3_1i", "min1i", "max1i",
    "med2i", "q1_2i", "q3_2i", "min2i", "max2i",
    "ai", "bi", "ci", "di", "oei", "vei",
    "xi", "ni", "ti", "x1i", "t1i", "x2i", "t2i",
    "mi", "sdi", "ri",
    "yi", "vi", "sei", "ci_lb", "ci_ub",
    "total", "granularity"};

/* Measures by name: the kind of data each reads, and whether its
 * estimates are ratios (analysed as logs). */
static const struct {
    const char *name;
    ck_family fam;
    int ratio;
} measures[] = {
    {"GEN", F_EST, 0},    {"HR", F_EST, 1},     {"MD", F_CONT2, 0},   {"SMD", F_CONT2, 0},
    {"SMDH", F_CONT2, 0}, {"ROM", F_CONT2, 1},  {"OR", F_TABLE, 1},   {"RR", F_TABLE, 1},
    {"RD", F_TABLE, 0},   {"AS", F_TABLE, 0},   {"PETO", F_TABLE, 1}, {"PR", F_PROP, 0},
    {"PLO", F_PROP, 0},   {"PAS", F_PROP, 0},   {"PFT", F_PROP, 0},   {"IR", F_IR, 0},
    {"IRLN", F_IR, 0},    {"IRR", F_IR2, 1},    {"IRD", F_IR2, 0},    {"MN", F_MEAN1, 0},
    {"MNLN", F_MEAN1, 0}, {"SMCC", F_PREPOST, 0}, {"SMCR", F_PREPOST, 0}, {"COR", F_COR, 0},
    {"ZCOR", F_COR, 0}};

#define NMEASURES (sizeof measures / sizeof measures[0])

static int measure_index(const char *name)
{
    for (size_t m = 0; name && m < NMEASURES; m++)
        if (strcasecmp(name, measures[m].name) == 0)
            return (int)m;
    return -1;
}

int app_check_measure_known(const char *name)
{
    return measure_index(name) >= 0;
}

void app_check_opts_default(app_check_opts *o)
{
    memset(o, 0, sizeof *o);
    o->granularity = nan("");
}

static const char *family_name(ck_family f)
{
    static const char *const names[] = {
        NULL, "two-group means", "2x2 tables", "single proportions", "incidence rates",
        "two incidence rates", "single means", "pre-post means", "correlations",
        "reported estimates"};
    return names[f];
}

/* ---- findings ---------------------------------------------------------- */

static int findings_vadd(app_findings *l, check_severity s, const char *code, long line,
                         int tcol, const char *column, const char *study, const char *fmt,
                         va_list ap)
{
    app_finding *f;
    sbuf b;
    if (l->oom)
        return -1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        app_finding *p = app_realloc(l->f, cap * sizeof *p);
        if (!p) {
            l->oom = 1;
            return -1;
        }
        l->f = p;
        l->cap = cap;
    }
    f = &l->f[l->n];
    memset(f, 0, sizeof *f);
    sb_init(&b);
    sb_vprintf(&b, fmt, ap);
    f->message = b.p;
    f->severity = s;
    f->code = code;
    f->seq = l->n;
    f->line = line;
    f->column_index = tcol >= 0 ? tcol + 1 : 0;
    if (column && !(f->column = app_strdup(column)))
        b.oom = 1;
    if (study && !(f->study = app_strdup(study)))
        b.oom = 1;
    l->n++; /* stored even if incomplete, so that free releases it */
    if (b.oom || !f->message)
        l->oom = 1;
    return l->oom ? -1 : 0;
}

int app_findings_add(app_findings *l, check_severity s, const char *code, long line, int tcol,
                     const char *column, const char *study, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = findings_vadd(l, s, code, line, tcol, column, study, fmt, ap);
    va_end(ap);
    return rc;
}

static void vadd(ck *c, check_severity s, const char *code, size_t i, int tcol,
                 const char *colname, const char *fmt, va_list ap)
{
    int none = i == CK_NOSTUDY;
    (void)findings_vadd(c->out, s, code, none ? 1 : c->t->line[c->row[i]], tcol, colname,
                        none ? NULL : c->label[i], fmt, ap);
}

void ck_add(ck *c, check_severity s, const char *code, size_t i, int j, const char *fmt, ...)
{
    va_list ap;
    int tcol = j >= 0 ? c->col[j] : -1;
    const char *name = j < 0 ? NULL : tcol >= 0 ? c->t->header[tcol] : ck_names[j];
    va_start(ap, fmt);
    vadd(c, s, code, i, tcol, name, fmt, ap);
    va_end(ap);
    if (i != CK_NOSTUDY && j >= 0 && s == CHECK_ERROR)
        CKF_SET(c, i, j, CKF_ERR);
}

void ck_add_col(ck *c, check_severity s, const char *code, size_t i, int tcol, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(c, s, code, i, tcol, tcol >= 0 ? c->t->header[tcol] : NULL, fmt, ap);
    va_end(ap);
}

/* ---- numbers ----------------------------------------------------------- */

/* Decimals a number was written with.  Text with more than 15 significant
 * digits is a binary value printed in full (1.1799999999999999): then the
 * decimals of its shortest form that reads back the same (1.18). */
static int decimals(const char *s, double x)
{
    int d = 0, sig = 0, seen = 0, after = 0, ex = 0;
    const char *p = s;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.' || *p == ',')
            after = 1;
        else if (*p >= '0' && *p <= '9') {
            if (*p != '0' || seen)
                seen = 1, sig++;
            d += after;
        }
    }
    if (*p)
        ex = atoi(p + 1);
    if (sig > 15) {
        char buf[40];
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
            if (strtod(buf, NULL) == x) {
                int e10 = atoi(strchr(buf, 'e') + 1);
                d = prec - 1 - e10;
                ex = 0;
                break;
            }
        }
    }
    d -= ex;
    return d < 0 ? 0 : d > 20 ? 20 : d;
}

double ck_half_ulp(const ck *c, size_t i, int j)
{
    int d = c->dec[CKAT(c, i, j)];
    return d < 0 ? 0.0 : 0.5 * pow(10.0, -d);
}

const char *ck_num(const ck *c, size_t i, int j, char *buf, size_t n)
{
    int d = c->dec[CKAT(c, i, j)];
    snprintf(buf, n, "%.*f", d < 0 ? 6 : d, CKV(c, i, j));
    return buf;
}

const char *ck_fmt(double x, char *buf, size_t n)
{
    double a = fabs(x);
    int d = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : a >= 0.1 ? 4 : a >= 0.01 ? 5 : 6;
    snprintf(buf, n, "%.*f", d, x);
    if (strcmp(buf, "-0") == 0 || strncmp(buf, "-0.000000", 9) == 0)
        memmove(buf, buf + 1, strlen(buf));
    return buf;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double ck_median(double *x, size_t n)
{
    if (n == 0)
        return nan("");
    qsort(x, n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

/* ---- reading the table --------------------------------------------------- */

static int find_col(const app_table *t, const char *name)
{
    int j = app_table_col(t, name);
    return j == -1 ? app_table_col_nocase(t, name) : j;
}

static int locate(ck *c)
{
    const app_table *t = c->t;
    for (int j = 0; j < K_NCOL; j++) {
        c->col[j] = find_col(t, ck_names[j]);
        if (c->col[j] == -2) {
            c->col[j] = app_table_col_nocase(t, ck_names[j]);
            ck_add(c, CHECK_ERROR, "duplicate-column", CK_NOSTUDY, j,
                   "column '%s' appears more than once in the header: keep one (only the first is checked)",
                   ck_names[j]);
        }
    }
    c->score_col = find_col(t, "score");
    return c->out->oom ? -1 : 0;
}

static int row_is_blank(const app_table *t, size_t r)
{
    for (size_t j = 0; j < t->ncol; j++) {
        const char *s = app_table_cell(t, r, j);
        if (s[strspn(s, " \t\r")] != '\0')
            return 0;
    }
    return 1;
}

static int alloc_rows(ck *c)
{
    size_t n = c->t->nrow + 1, present = 0;
    for (int j = 0; j < K_NCOL; j++)
        if (c->col[j] >= 0)
            c->slot[j] = (int)present++;
    for (int j = 0; j < K_NCOL; j++)
        if (c->col[j] < 0)
            c->slot[j] = (int)present;
    c->nslot = present + 1;
    c->row = app_calloc(n, sizeof *c->row);
    c->label = app_calloc(n, sizeof *c->label);
    c->v = app_calloc(n * c->nslot, sizeof *c->v);
    c->dec = app_calloc(n * c->nslot, sizeof *c->dec);
    c->flag = app_calloc(n * c->nslot, sizeof *c->flag);
    c->grp = app_calloc(n, sizeof *c->grp);
    return c->row && c->label && c->v && c->dec && c->flag && c->grp ? 0 : -1;
}

static int read_label(ck *c, size_t i, int scol)
{
    char buf[32];
    const char *s = scol >= 0 ? app_table_cell(c->t, c->row[i], (size_t)scol) : "";
    size_t n;
    s += strspn(s, " \t");
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n == 0) {
        snprintf(buf, sizeof buf, "Study %zu", i + 1);
        s = buf;
        n = strlen(buf);
    }
    c->label[i] = app_strndup(s, n);
    return c->label[i] ? 0 : -1;
}

static void read_values(ck *c, size_t i)
{
    for (size_t s = 0; s < c->nslot; s++) {
        c->v[i * c->nslot + s] = nan("");
        c->dec[i * c->nslot + s] = -1;
    }
    for (int j = 0; j < K_NCOL; j++) {
        const char *cell, *why;
        double x;
        size_t at = CKAT(c, i, j);
        if (c->col[j] < 0)
            continue;
        cell = app_table_cell(c->t, c->row[i], (size_t)c->col[j]);
        switch (app_parse_number(cell, c->t->decimal_comma, &x, &why)) {
        case NUM_OK:
            c->v[at] = x;
            c->dec[at] = (signed char)decimals(cell, x);
            break;
        case NUM_BAD:
            c->flag[at] |= CKF_BAD;
            {
                char more[48];
                app_excerpt_more(cell, more, sizeof more);
                ck_add(c, CHECK_ERROR, "not-a-number", i, j, "%s: \"%.*s%s %s%s", ck_names[j],
                       app_excerpt_len(cell), cell, more, why,
                       !c->t->decimal_comma && strchr(cell, ',') ? " (or give --decimal comma)" : "");
            }
            break;
        default:
            break;
        }
    }
}

/* Column named by an option, or -1 with e set. */
static int option_col(const ck *c, const char *opt, const char *name, app_err *e)
{
    int j = app_table_col(c->t, name);
    if (j == -1)
        j = app_table_col_nocase(c->t, name);
    if (j < 0)
        app_err_set(e, APP_EXIT_USAGE, "%s: %s %s: no such column", c->t->file, opt, name);
    return j;
}

/* Each study's group: the first study with the same text in column g.
 * By sorting, so that a file of many thousand studies takes no longer than
 * reading it. */
typedef struct grp_key {
    const char *s;
    size_t i;
} grp_key;

static int cmp_grp(const void *a, const void *b)
{
    const grp_key *x = a, *y = b;
    int r = strcmp(x->s, y->s);
    return r ? r : (x->i > y->i) - (x->i < y->i);
}

static int groups(ck *c, int g)
{
    grp_key *key;
    for (size_t i = 0; i < c->k; i++)
        c->grp[i] = 0;
    if (g < 0 || c->k == 0)
        return 0;
    if (!(key = app_alloc(c->k * sizeof *key)))
        return -1;
    for (size_t i = 0; i < c->k; i++) {
        key[i].s = app_table_cell(c->t, c->row[i], (size_t)g);
        key[i].i = i;
    }
    qsort(key, c->k, sizeof *key, cmp_grp);
    for (size_t r = 0, head = 0; r < c->k; r++) {
        if (r == 0 || strcmp(key[r].s, key[r - 1].s) != 0)
            head = key[r].i;
        c->grp[key[r].i] = head;
    }
    app_free(key);
    return 0;
}

/* Columns that no rule reads, listed in one hint: a misspelt name (sd_1i,
 * n1) would otherwise be ignored in silence. */
static void unknown_columns(ck *c, int scol, int gcol)
{
    const app_table *t = c->t;
    sbuf b;
    size_t n = 0;
    sb_init(&b);
    for (size_t j = 0; j < t->ncol; j++) {
        int known = (int)j == scol || (int)j == gcol || (int)j == c->score_col ||
                    strcasecmp(t->header[j], "study_id") == 0;
        for (int k = 0; k < K_NCOL && !known; k++)
            known = c->col[k] == (int)j || strcasecmp(t->header[j], ck_names[k]) == 0;
        if (known)
            continue;
        if (n < 10)
            sb_printf(&b, "%s'%s'", n ? ", " : "", t->header[j]);
        n++;
    }
    if (n > 10)
        sb_printf(&b, " and %zu more", n - 10);
    if (b.oom)
        c->out->oom = 1;
    else if (n > 0)
        ck_add(c, CHECK_HINT, "unknown-columns", CK_NOSTUDY, CK_NOCOL,
               "%s %s: check ignores %s (pool can use %s with --by, --where or --mod); if %s meant to hold study data, use the column names in docs/cli/README.md",
               b.p, n == 1 ? "is not a study data column" : "are not study data columns",
               n == 1 ? "it" : "them", n == 1 ? "it" : "them", n == 1 ? "it was" : "they were");
    sb_free(&b);
}

static int read_rows(ck *c, app_err *e)
{
    int scol = -1, gcol = -1;
    if (c->o->study_col && (scol = option_col(c, "--study", c->o->study_col, e)) < 0)
        return -1;
    if (!c->o->study_col)
        scol = find_col(c->t, "study");
    if (c->o->group_col && (gcol = option_col(c, "--by", c->o->group_col, e)) < 0)
        return -1;
    unknown_columns(c, scol, gcol);
    if (alloc_rows(c) != 0)
        return -2;
    for (size_t r = 0; r < c->t->nrow; r++) {
        if (row_is_blank(c->t, r))
            continue;
        c->row[c->k] = r;
        if (read_label(c, c->k, scol) != 0)
            return -2;
        read_values(c, c->k);
        c->k++;
    }
    if (groups(c, gcol) != 0)
        return -2;
    if (c->k == 0)
        ck_add(c, CHECK_ERROR, "no-study-rows", CK_NOSTUDY, CK_NOCOL,
               "the file has a header but no study rows");
    return 0;
}

/* ---- the measure --------------------------------------------------------- */

#define HAS(j) (c->col[j] >= 0)

static ck_family infer_family(const ck *c)
{
    if ((HAS(K_M1I) || HAS(K_MED1I)) && (HAS(K_M2I) || HAS(K_MED2I)) && HAS(K_N1I) && HAS(K_N2I))
        return F_CONT2;
    if ((HAS(K_AI) && HAS(K_CI)) || (HAS(K_OEI) && HAS(K_VEI)))
        return F_TABLE;
    if (HAS(K_X1I) && HAS(K_T1I) && HAS(K_X2I) && HAS(K_T2I))
        return F_IR2;
    if (HAS(K_XI) && HAS(K_TI))
        return F_IR;
    if (HAS(K_XI) && HAS(K_NI))
        return F_PROP;
    if (HAS(K_MI) && HAS(K_SDI) && HAS(K_NI))
        return F_MEAN1;
    if (HAS(K_M1I) && HAS(K_M2I) && HAS(K_NI))
        return F_PREPOST;
    if (HAS(K_RI) && HAS(K_NI))
        return F_COR;
    if (HAS(K_YI))
        return F_EST;
    return F_NONE;
}

/* The columns a family needs in the header (besides the estimate form). */
static const char *family_columns(ck_family f)
{
    switch (f) {
    case F_CONT2: return "n1i m1i sd1i n2i m2i sd2i (or an SD alternative: se1i, lb1i/ub1i, medians)";
    case F_TABLE: return "ai bi ci di (or ai n1i ci n2i; or oei vei for PETO)";
    case F_PROP: return "xi ni";
    case F_IR: return "xi ti";
    case F_IR2: return "x1i t1i x2i t2i";
    case F_MEAN1: return "mi sdi ni";
    case F_PREPOST: return "m1i m2i sd1i sd2i ni ri";
    case F_COR: return "ri ni";
    default: return "yi with vi, sei, or ci_lb and ci_ub";
    }
}

static int choose_measure(ck *c)
{
    const app_check_opts *o = c->o;
    const char *name = o->measure_name;
    int m;
    ck_family found;
    if (!name && o->measure_set)
        name = msyn_measure_name(o->measure);
    m = measure_index(name);
    found = infer_family(c);
    if (m >= 0) {
        c->mname = measures[m].name;
        c->fam = measures[m].fam;
        c->ratio = measures[m].ratio;
        if (found != F_NONE && found != c->fam && !HAS(K_YI))
            ck_add(c, CHECK_ERROR, "missing-columns", CK_NOSTUDY, CK_NOCOL,
                   "measure %s needs columns %s, or yi with vi, sei, or ci_lb and ci_ub; the file has %s",
                   c->mname, family_columns(c->fam), family_name(found));
    } else {
        c->fam = found;
    }
    if (found == F_NONE)
        ck_add(c, CHECK_ERROR, found == F_NONE && m >= 0 ? "missing-columns" : "no-study-columns",
               CK_NOSTUDY, CK_NOCOL,
               "no study data columns found; the header needs metafor's names: %s%s",
               m >= 0 ? family_columns(c->fam)
                      : "yi with vi or sei (or ci_lb, ci_ub), ai bi ci di, n1i m1i sd1i n2i m2i sd2i, xi ni, ...",
               app_table_delim_hint(c->t));
    c->out->measure = c->mname;
    c->out->data = family_name(c->fam);
    return c->out->oom ? -1 : 0;
}

/* ---- entry point --------------------------------------------------------- */

static void ck_free(ck *c)
{
    if (c->label)
        for (size_t i = 0; i < c->k; i++)
            app_free(c->label[i]);
    app_free(c->label);
    app_free(c->row);
    app_free(c->v);
    app_free(c->dec);
    app_free(c->flag);
    app_free(c->grp);
}

int app_check_table(const app_table *t, const app_check_opts *o, app_findings *out, app_err *e)
{
    ck c;
    app_check_opts def;
    int rc = 0;
    if (!o) {
        app_check_opts_default(&def);
        o = &def;
    }
    memset(&c, 0, sizeof c);
    c.t = t;
    c.o = o;
    c.out = out;
    c.gran = o->granularity;
    c.natural = o->natural;
    if (locate(&c) != 0 || choose_measure(&c) != 0)
        rc = -2;
    if (rc == 0 && t->recoded)
        ck_add(&c, CHECK_HINT, "not-utf8", CK_NOSTUDY, CK_NOCOL,
               "the file is not valid UTF-8; it was read as Windows-1252: check that study labels look right, and save it as UTF-8");
    if (rc == 0)
        rc = read_rows(&c, e);
    out->studies = c.k;
    if (rc == 0 && c.fam != F_NONE && (ck_rows(&c) != 0 || (!o->rows_only && ck_between(&c) != 0)))
        rc = -2;
    ck_free(&c);
    if (rc == 0 && out->oom)
        rc = -2;
    if (rc == -2)
        app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory", t->file);
    if (rc != 0)
        return -1;
    app_findings_sort(out);
    return 0;
}
