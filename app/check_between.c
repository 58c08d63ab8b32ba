/*
 * check_between.c - the rules of `metasyn check` that compare studies:
 * duplicated rows, a control group shared by two comparisons of one
 * study, a study on another scale in a mean-difference analysis, an SD
 * that is probably an SE, unusually large SMDs, and change scores mixed
 * with final values in an SMD analysis.  Thresholds: docs/cli/check.md.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"

#define H(j) CK_HAS(c, i, j)
#define X(j) CKV(c, i, j)
#define OK(j) (CK_HAS(c, i, j) && !(CKF(c, i, j) & (CKF_ERR | CKF_BAD)))
#define NUM(j, b) ck_num(c, i, j, b, sizeof b)

static int same(const ck *c, size_t a, size_t b, int j)
{
    double x = CKV(c, a, j), y = CKV(c, b, j);
    if ((CKF(c, a, j) | CKF(c, b, j)) & CKF_BAD)
        return 0; /* text that is not a number is never the same data */
    return x == y || (x != x && y != y);
}

/* ---- duplicates ------------------------------------------------------------- */

static int same_data(const ck *c, size_t a, size_t b)
{
    int n = 0;
    for (int j = 0; j < K_GRAN; j++) {
        if (!same(c, a, b, j))
            return 0;
        n += CK_HAS(c, a, j);
    }
    return n >= 2;
}

/* Rows are sorted by hash, group and data, so equal rows are neighbours:
 * one pass finds them all, in O(k log k) for files of any size.  Two rows are
 * equal when every value is (NaN = NaN); a cell that is not a number is
 * never equal to anything, so its row sorts by its place in the file. */
typedef struct row_ref {
    const ck *c;
    size_t i;
    uint64_t h; /* hash of the group and data (duplicates), else 0 */
} row_ref;

static int has_bad(const ck *c, size_t i, int from, int to)
{
    for (int j = from; j < to; j++)
        if (CKF(c, i, j) & CKF_BAD)
            return 1;
    return 0;
}

static int cmp_val(double x, double y)
{
    if (x != x || y != y)
        return (x != x) - (y != y); /* NaN last */
    return (x > y) - (x < y);
}

static int cmp_index(size_t a, size_t b) { return (a > b) - (a < b); }

/* A hash of a row's group and data such that rows the comparison below
 * calls equal hash alike (NaN = NaN, -0 = 0; a cell that is not a number
 * hashes its row's index).  Sorting by it first makes the sort cheap: two
 * rows are compared value by value only when their hashes collide. */
static uint64_t mix64(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9u;
    return h ^ (h >> 29);
}

static uint64_t row_hash(const ck *c, size_t i)
{
    uint64_t h = mix64(0, (uint64_t)c->grp[i]);
    for (int j = 0; j < K_GRAN; j++) {
        double x = CKV(c, i, j);
        uint64_t bits;
        if (CKF(c, i, j) & CKF_BAD)
            return mix64(h, 0x8000000000000000u | (uint64_t)i);
        if (x != x)
            x = NAN;
        else if (x == 0.0)
            x = 0.0;
        memcpy(&bits, &x, sizeof bits);
        h = mix64(h, bits);
    }
    return h;
}

static int cmp_data(const void *pa, const void *pb)
{
    const row_ref *ra = pa, *rb = pb;
    const ck *c = ra->c;
    size_t a = ra->i, b = rb->i;
    int r;
    if (ra->h != rb->h)
        return (ra->h > rb->h) - (ra->h < rb->h);
    if ((r = cmp_index(c->grp[a], c->grp[b])) != 0)
        return r;
    if (has_bad(c, a, 0, K_GRAN) || has_bad(c, b, 0, K_GRAN))
        return cmp_index(a, b);
    for (int j = 0; j < K_GRAN; j++)
        if ((r = cmp_val(CKV(c, a, j), CKV(c, b, j))) != 0)
            return r;
    return cmp_index(a, b);
}

static row_ref *sorted_rows(const ck *c, int (*cmp)(const void *, const void *), int hashed)
{
    row_ref *r = app_alloc((c->k + 1) * sizeof *r);
    if (!r)
        return NULL;
    for (size_t i = 0; i < c->k; i++)
        r[i].c = c, r[i].i = i, r[i].h = hashed ? row_hash(c, i) : 0;
    qsort(r, c->k, sizeof *r, cmp);
    return r;
}

/* ref[i] = the first row (in file order) with the same data as row i, or
 * i itself. */
static int duplicates(ck *c, unsigned char *dup)
{
    row_ref *r = sorted_rows(c, cmp_data, 1);
    size_t *ref = app_alloc((c->k + 1) * sizeof *ref);
    if (!r || !ref) {
        app_free(r);
        app_free(ref);
        return -1;
    }
    for (size_t q = 0, head = 0; q < c->k; q++) {
        size_t i = r[q].i;
        if (q == 0 || c->grp[i] != c->grp[r[head].i] || !same_data(c, r[head].i, i))
            head = q; /* sorted by index within equal rows: head is the first */
        ref[i] = r[head].i;
    }
    for (size_t i = 0; i < c->k; i++) {
        size_t a = ref[i];
        long la;
        if (a == i)
            continue;
        la = c->t->line[c->row[a]];
        dup[i] = 1;
        if (strcmp(c->label[a], c->label[i]) == 0)
            ck_add(c, CHECK_WARNING, "duplicate-study", i, CK_NOCOL,
                   "%s appears twice with identical data (lines %ld and %ld): remove one, or it counts twice",
                   c->label[i], la, c->t->line[c->row[i]]);
        else
            ck_add(c, CHECK_WARNING, "duplicate-row", i, CK_NOCOL,
                   "the data of %s are identical to those of %s (line %ld): a row copied twice, or one study entered under two names? Otherwise check both against their papers",
                   c->label[i], c->label[a], la);
    }
    app_free(r);
    app_free(ref);
    return 0;
}

/* Rows with the same label (in one --by group) and different data: two
 * comparisons or outcomes of one study would count as independent studies.
 * Rows already reported as identical (dup) are left out. */
static int cmp_label(const void *pa, const void *pb)
{
    const row_ref *ra = pa, *rb = pb;
    const ck *c = ra->c;
    int r = cmp_index(c->grp[ra->i], c->grp[rb->i]);
    if (r == 0)
        r = strcmp(c->label[ra->i], c->label[rb->i]);
    return r != 0 ? r : cmp_index(ra->i, rb->i);
}

static int same_labels(ck *c, const unsigned char *dup)
{
    row_ref *r = sorted_rows(c, cmp_label, 0);
    if (!r)
        return -1;
    for (size_t q = 1, head = 0; q < c->k; q++) {
        size_t a = r[head].i, i = r[q].i;
        if (c->grp[a] != c->grp[i] || strcmp(c->label[a], c->label[i]) != 0) {
            head = q;
            continue;
        }
        if (!dup[i])
            ck_add(c, CHECK_WARNING, "duplicate-label", i, CK_NOCOL,
                   "%s appears again (line %ld) with other data: two comparisons or outcomes of one study count as two independent studies: give each its own label and pool them separately, or combine them first (Cochrane Handbook 23.3.4); or correct the label",
                   c->label[i], c->t->line[c->row[a]]);
    }
    app_free(r);
    return 0;
}

/* ---- a shared control group --------------------------------------------------- */

/* Length of the part of a label that names the study: "Smith 2010a",
 * "Smith 2010 b", "Smith 2010 (high dose)", "Smith 2010 - high dose" and
 * "Smith 2010: high dose" all give "Smith 2010". */
static size_t stem_len(const char *s)
{
    static const char *const seps[] = {" - ", ": ", ", ", " / "};
    size_t n = strlen(s);
    const char *p;
    for (size_t q = 0; q < sizeof seps / sizeof seps[0]; q++)
        if ((p = strstr(s, seps[q])) && p > s && isdigit((unsigned char)p[-1]) && (size_t)(p - s) < n)
            n = (size_t)(p - s);
    if (n > 0 && s[n - 1] == ')' && (p = memchr(s, '(', n)) != NULL && p > s)
        n = (size_t)(p - s);
    else if (n >= 2 && islower((unsigned char)s[n - 1]) && isdigit((unsigned char)s[n - 2]))
        n--;
    else if (n >= 3 && islower((unsigned char)s[n - 1]) && s[n - 2] == ' ' && isdigit((unsigned char)s[n - 3]))
        n--;
    while (n > 0 && strchr(" -,:;/", s[n - 1]))
        n--;
    return n;
}

static int same_study(const ck *c, size_t a, size_t b)
{
    size_t na;
    if (c->grp[a] != c->grp[b])
        return 0;
    na = stem_len(c->label[a]);
    return na > 0 && na == stem_len(c->label[b]) && strncmp(c->label[a], c->label[b], na) == 0;
}

static int same_control(const ck *c, size_t a, size_t b)
{
    switch (c->fam) {
    case F_CONT2:
        return CK_HAS(c, a, K_N2I) && CK_HAS(c, a, K_M2I) && CK_HAS(c, a, K_SD2I) &&
               same(c, a, b, K_N2I) && same(c, a, b, K_M2I) && same(c, a, b, K_SD2I);
    case F_TABLE:
        return CK_HAS(c, a, K_CI) && same(c, a, b, K_CI) &&
               ((CK_HAS(c, a, K_N2I) && same(c, a, b, K_N2I)) ||
                (CK_HAS(c, a, K_DI) && same(c, a, b, K_DI)));
    case F_IR2:
        return CK_HAS(c, a, K_X2I) && CK_HAS(c, a, K_T2I) && same(c, a, b, K_X2I) &&
               same(c, a, b, K_T2I);
    default:
        return 0;
    }
}

static void control_text(const ck *c, size_t i, char *buf, size_t n)
{
    char b1[48], b2[48], b3[48];
    if (c->fam == F_CONT2)
        snprintf(buf, n, "n2i = %s, m2i = %s and sd2i = %s", NUM(K_N2I, b1), NUM(K_M2I, b2),
                 NUM(K_SD2I, b3));
    else if (c->fam == F_TABLE && H(K_N2I))
        snprintf(buf, n, "ci = %s events of n2i = %s", NUM(K_CI, b1), NUM(K_N2I, b2));
    else if (c->fam == F_TABLE)
        snprintf(buf, n, "ci = %s and di = %s", NUM(K_CI, b1), NUM(K_DI, b2));
    else
        snprintf(buf, n, "x2i = %s events in t2i = %s", NUM(K_X2I, b1), NUM(K_T2I, b2));
}

/* The control-group columns of the data family. */
static int control_cols(const ck *c, int cols[3])
{
    switch (c->fam) {
    case F_CONT2: cols[0] = K_N2I, cols[1] = K_M2I, cols[2] = K_SD2I; return 3;
    case F_TABLE: cols[0] = K_CI, cols[1] = K_N2I, cols[2] = K_DI; return 3;
    case F_IR2: cols[0] = K_X2I, cols[1] = K_T2I; return 2;
    default: return 0;
    }
}

/* Sorted by group, study stem, then control values: rows that may share a
 * control group are neighbours. */
static int cmp_control(const void *pa, const void *pb)
{
    const row_ref *ra = pa, *rb = pb;
    const ck *c = ra->c;
    size_t a = ra->i, b = rb->i, na = stem_len(c->label[a]), nb = stem_len(c->label[b]);
    int cols[3], n = control_cols(c, cols), r;
    if ((r = cmp_index(c->grp[a], c->grp[b])) != 0)
        return r;
    if ((r = strncmp(c->label[a], c->label[b], na < nb ? na : nb)) != 0)
        return r;
    if ((r = cmp_index(na, nb)) != 0)
        return r;
    for (int j = 0; j < n; j++) {
        if ((CKF(c, a, cols[j]) | CKF(c, b, cols[j])) & CKF_BAD)
            return cmp_index(a, b);
        if ((r = cmp_val(CKV(c, a, cols[j]), CKV(c, b, cols[j]))) != 0)
            return r;
    }
    return cmp_index(a, b);
}

static int shared_control(ck *c, const unsigned char *dup)
{
    row_ref *r;
    size_t *first, *count;
    if (control_cols(c, (int[3]){0}) == 0)
        return 0;
    r = sorted_rows(c, cmp_control, 0);
    first = app_alloc((c->k + 1) * sizeof *first);
    count = app_alloc((c->k + 1) * sizeof *count);
    if (!r || !first || !count) {
        app_free(r);
        app_free(first);
        app_free(count);
        return -1;
    }
    /* runs of rows (duplicates aside) of one study with one control group */
    for (size_t q = 0; q < c->k;) {
        size_t e = q + 1, head = (size_t)-1, n = 0;
        while (e < c->k && same_study(c, r[q].i, r[e].i) && same_control(c, r[q].i, r[e].i))
            e++;
        for (size_t t = q; t < e; t++)
            if (!dup[r[t].i]) {
                if (head == (size_t)-1)
                    head = r[t].i;
                n++;
            }
        for (size_t t = q; t < e; t++)
            first[r[t].i] = head, count[r[t].i] = n;
        q = e;
    }
    for (size_t i = 0; i < c->k; i++) {
        size_t a = first[i], groups = count[i];
        char ctl[200];
        if (dup[i] || a == i || a == (size_t)-1 || !same_control(c, a, i))
            continue;
        control_text(c, i, ctl, sizeof ctl);
        ck_add(c, CHECK_WARNING, "shared-control", i,
               c->fam == F_CONT2 ? K_N2I : c->fam == F_TABLE ? K_CI : K_X2I,
               "%s shares its control group with %s (line %ld): %s are identical, so pooling the %zu comparisons counts the control participants %zu times. Split the shared group between the comparisons (%s; Cochrane Handbook 23.3.4) or combine the experimental groups into one comparison",
               c->label[i], c->label[a], c->t->line[c->row[a]], ctl, groups, groups,
               c->fam == F_CONT2 ? "n2i divided among them, mean and SD unchanged"
                                 : "events and participants divided among them");
    }
    app_free(r);
    app_free(first);
    app_free(count);
    return 0;
}

/* ---- a study on another scale (MD) ----------------------------------------------- */

typedef struct scale_row {
    size_t i;
    double sd, mean, level; /* mean group SD, mean |group mean|, log of both */
} scale_row;

static int scale_of(const ck *c, size_t i, scale_row *s)
{
    if (((CKF(c, i, K_SD1I) | CKF(c, i, K_SD2I)) & CKF_SE))
        return 0; /* SDs that are probably SEs say nothing about the scale */
    if (!OK(K_SD1I) || !OK(K_SD2I) || !OK(K_M1I) || !OK(K_M2I) || X(K_SD1I) <= 0 || X(K_SD2I) <= 0)
        return 0;
    s->i = i;
    s->sd = (X(K_SD1I) + X(K_SD2I)) / 2;
    s->mean = (fabs(X(K_M1I)) + fabs(X(K_M2I))) / 2;
    s->level = (log(s->sd) + log(s->mean)) / 2;
    return s->mean > 0;
}

static int cmp_level(const void *a, const void *b)
{
    double x = ((const scale_row *)a)->level, y = ((const scale_row *)b)->level;
    return x < y ? -1 : x > y;
}

static void scale_message(ck *c, size_t i, double f, double msd, double mmean, check_severity sev)
{
    char b1[48], b2[48], b3[48], b4[48], d1[32], d2[32], fs[32];
    double g = f >= 1 ? f : 1 / f, p = round(log10(g));
    if (fabs(log10(g) - p) < log10(2.0))
        snprintf(fs, sizeof fs, "%.0f", pow(10, p));
    else
        ck_fmt(g, fs, sizeof fs);
    ck_add(c, sev, "scale-mismatch", i, K_M1I,
           "means (m1i = %s, m2i = %s) and SDs (sd1i = %s, sd2i = %s) are about %s times %s than the other studies' (median mean %s, median SD %s): is this study on another scale (e.g. 0-10 instead of 0-100)? A mean difference cannot mix scales: rescale this study (%s its means and SDs by %s) or pool as SMD",
           NUM(K_M1I, b1), NUM(K_M2I, b2), NUM(K_SD1I, b3), NUM(K_SD2I, b4), fs,
           f >= 1 ? "larger" : "smaller", ck_fmt(mmean, d1, sizeof d1), ck_fmt(msd, d2, sizeof d2),
           f >= 1 ? "divide" : "multiply", fs);
}

static double med_of(const scale_row *r, size_t n, int sd, double *tmp)
{
    for (size_t q = 0; q < n; q++)
        tmp[q] = sd ? r[q].sd : r[q].mean;
    return ck_median(tmp, n);
}

/* The studies of one group, sorted by level, split at the widest gap: when
 * both the SDs and the means of the two parts are separated by a factor of
 * 3 or more and their medians differ by 5 or more (consistently), the
 * smaller part is on another scale. */
static void scale_split(ck *c, scale_row *r, size_t n, double *tmp, check_severity sev)
{
    size_t cut = 0, lo_n, minor_from, minor_n;
    double gap = 0, maxsd = 0, maxm = 0, minsd = HUGE_VAL, minm = HUGE_VAL, rs, rm;
    qsort(r, n, sizeof *r, cmp_level);
    for (size_t q = 1; q < n; q++)
        if (r[q].level - r[q - 1].level > gap)
            gap = r[q].level - r[q - 1].level, cut = q;
    lo_n = cut;
    for (size_t q = 0; q < n; q++) {
        if (q < lo_n)
            maxsd = fmax(maxsd, r[q].sd), maxm = fmax(maxm, r[q].mean);
        else
            minsd = fmin(minsd, r[q].sd), minm = fmin(minm, r[q].mean);
    }
    if (lo_n == 0 || minsd < 3 * maxsd || minm < 3 * maxm)
        return;
    rs = med_of(r + lo_n, n - lo_n, 1, tmp) / med_of(r, lo_n, 1, tmp);
    rm = med_of(r + lo_n, n - lo_n, 0, tmp) / med_of(r, lo_n, 0, tmp);
    if (rs < 5 || rm < 5 || fmax(rs, rm) / fmin(rs, rm) > 3)
        return;
    /* the smaller part is the odd one; on a tie, the part without the first study */
    if (lo_n < n - lo_n || (lo_n == n - lo_n && r[lo_n].i < r[0].i))
        minor_from = 0, minor_n = lo_n;
    else
        minor_from = lo_n, minor_n = n - lo_n;
    if (n - minor_n < 2)
        return;
    {
        const scale_row *maj = minor_from == 0 ? r + lo_n : r;
        double msd = med_of(maj, n - minor_n, 1, tmp), mm = med_of(maj, n - minor_n, 0, tmp);
        for (size_t q = minor_from; q < minor_from + minor_n; q++) {
            size_t i = r[q].i;
            CKF_SET(c, i, K_SD1I, CKF_SCALE);
            CKF_SET(c, i, K_SD2I, CKF_SCALE);
            scale_message(c, i, sqrt(r[q].sd / msd * r[q].mean / mm), msd, mm, sev);
        }
    }
}

static void scales(ck *c, scale_row *r, double *tmp)
{
    check_severity sev = c->mname ? CHECK_WARNING : CHECK_HINT;
    if (c->fam != F_CONT2 || (c->mname && strcmp(c->mname, "MD") != 0))
        return;
    for (size_t g = 0; g < c->k; g++) {
        size_t n = 0;
        if (c->grp[g] != g)
            continue; /* each group once, from its first study */
        for (size_t i = g; i < c->k; i++)
            if (c->grp[i] == g && scale_of(c, i, &r[n]))
                n++;
        if (n >= 3)
            scale_split(c, r, n, tmp, sev);
    }
}

/* ---- an SD that is probably an SE --------------------------------------------------- */

typedef struct sdcol {
    int sd, n, m;
} sdcol;

static size_t sd_cols(const ck *c, sdcol *s)
{
    int std = c->mname && (strcmp(c->mname, "SMD") == 0 || strcmp(c->mname, "SMDH") == 0);
    if (c->fam == F_CONT2 && !std) {
        s[0] = (sdcol){K_SD1I, K_N1I, K_M1I};
        s[1] = (sdcol){K_SD2I, K_N2I, K_M2I};
        return 2;
    }
    if (c->fam == F_MEAN1) {
        s[0] = (sdcol){K_SDI, K_NI, K_MI};
        return 1;
    }
    return 0; /* standardized measures may mix scales: within-study rule only */
}

static int usable_sd(const ck *c, size_t i, sdcol s)
{
    return OK(s.sd) && X(s.sd) > 0 && !(CKF(c, i, s.sd) & (CKF_SE | CKF_SCALE));
}

/* Others' SDs (raw, or relative to their means when cv) into x; studies
 * counted into *studies.  Returns the number of values; *allpos is cleared
 * when a mean is missing or not positive. */
static size_t others(const ck *c, size_t i, size_t g, const sdcol *s, size_t ns, int cv, double *x,
                     size_t *studies, int *allpos)
{
    size_t n = 0;
    *studies = 0;
    for (size_t a = 0; a < c->k; a++) {
        int any = 0;
        if (a == i || c->grp[a] != g)
            continue;
        for (size_t q = 0; q < ns; q++) {
            double sd = CKV(c, a, s[q].sd), m = CKV(c, a, s[q].m);
            if (!usable_sd(c, a, s[q]))
                continue;
            if (!(m > 0))
                *allpos = 0;
            if (cv && !(m > 0))
                continue;
            x[n++] = cv ? sd / m : sd;
            any = 1;
        }
        *studies += (size_t)any;
    }
    return n;
}

/* Does v look like the SE of a sample of n whose SD is like the others'
 * (x[0..m-1], reordered; *M receives their median)?  On the log scale, v
 * must lie below the median by a factor of 3 or more and by more than 3
 * robust SDs (1.4826 MAD) of the others, and v sqrt(n) must come within a
 * factor of 2.5 of the median.  *a: below a fifth; *b: within 25% of
 * M / sqrt(n). */
/* The others' median M and robust spread S (1.4826 MAD) on the log scale;
 * x is reordered and overwritten. */
static void se_ref(double *x, size_t m, double *M, double *S)
{
    *M = ck_median(x, m);
    for (size_t q = 0; q < m; q++)
        x[q] = fabs(log(x[q]) - log(*M));
    *S = 1.4826 * ck_median(x, m);
}

static int se_judge(double v, double n, double M, double S, int *a, int *b)
{
    double D = log(M) - log(v), E = 0.5 * log(n);
    *a = D >= log(5.0);
    *b = fabs(D - E) <= log(1.25);
    return D >= log(3.0) && D > 3 * S && fabs(D - E) <= log(2.5);
}

static int se_like(double v, double *x, size_t m, double n, double *M, int *a, int *b)
{
    double S;
    se_ref(x, m, M, &S);
    return se_judge(v, n, *M, S, a, b);
}

static void se_message(ck *c, size_t i, sdcol s, double M, int a, int b, int cv)
{
    char sd[48], n[48], m[48], d1[32], d2[32], d3[32], lead[160], why[320];
    const char *what = cv ? "coefficient of variation (SD / mean)" : "SD";
    NUM(s.sd, sd);
    NUM(s.n, n);
    ck_fmt(M, d1, sizeof d1);
    ck_fmt(M / sqrt(X(s.n)), d2, sizeof d2);
    if (cv)
        snprintf(lead, sizeof lead, "%s = %s, relative to its mean %s = %s (%s),", ck_names[s.sd],
                 sd, ck_names[s.m], NUM(s.m, m), ck_fmt(X(s.sd) / X(s.m), d3, sizeof d3));
    else
        snprintf(lead, sizeof lead, "%s = %s", ck_names[s.sd], sd);
    if (a && b)
        snprintf(why, sizeof why, "is less than a fifth of the other studies' median %s %s, and about %s / sqrt(%s) = %s",
                 what, d1, d1, n, d2);
    else if (b)
        snprintf(why, sizeof why, "is about the other studies' median %s %s / sqrt(%s) = %s", what, d1, n, d2);
    else
        snprintf(why, sizeof why, "is less than a %s of the other studies' median %s %s",
                 a ? "fifth" : "third", what, d1);
    ck_add(c, CHECK_WARNING, "sd-probably-se", i, s.sd,
           "%s %s: is it a standard error? If so, SD = SE x sqrt(%s) = %s", lead, why, n,
           ck_fmt(X(s.sd) * sqrt(X(s.n)), d3, sizeof d3));
    CKF_SET(c, i, s.sd, CKF_SE);
}

/* One arm's SD judged against the others: 1 (with the message's numbers
 * in *d) when it looks like an SE, 0 when not, -1 when it cannot be told. */
typedef struct se_verdict {
    double M;
    int a, b, cv;
} se_verdict;

/* In a group of more than BIG_GROUP studies, "the others" are all its
 * studies: leaving one out moves their median and spread by a rank or
 * two, and recomputing them for every study would take O(k^2) time. */
#define BIG_GROUP 1000

typedef struct se_refs {
    size_t *size;            /* studies per group (indexed by grp)       */
    double *M, *S, *MC, *SC; /* reference of SDs and of SD/mean          */
    unsigned char *have, *allpos;
} se_refs;

static void refs_free(se_refs *r)
{
    app_free(r->size);
    app_free(r->M);
    app_free(r->S);
    app_free(r->MC);
    app_free(r->SC);
    app_free(r->have);
    app_free(r->allpos);
}

/* The reference of study i's group, computed once. */
static void big_ref(const ck *c, se_refs *r, size_t i, const sdcol *s, size_t ns, double *tmp)
{
    size_t g = c->grp[i], studies, n;
    int allpos = 1;
    if (r->have[g])
        return;
    /* others() leaves out one study: an index past the end leaves out none */
    n = others(c, c->k, g, s, ns, 0, tmp, &studies, &allpos);
    (void)studies;
    r->M[g] = r->S[g] = nan("");
    if (n)
        se_ref(tmp, n, &r->M[g], &r->S[g]);
    n = others(c, c->k, g, s, ns, 1, tmp, &studies, &allpos);
    r->MC[g] = r->SC[g] = nan("");
    if (n)
        se_ref(tmp, n, &r->MC[g], &r->SC[g]);
    r->allpos[g] = (unsigned char)allpos;
    r->have[g] = 1;
}

static int judge_sd(const ck *c, size_t i, const sdcol *s, size_t ns, size_t q, int rom,
                    double *tmp, se_refs *refs, se_verdict *d)
{
    size_t n, studies, g = c->grp[i];
    int allpos = X(s[q].m) > 0;
    double v = X(s[q].sd), nn = X(s[q].n);
    if (!usable_sd(c, i, s[q]) || !OK(s[q].n) || nn < 2)
        return -1;
    if (refs->size[g] > BIG_GROUP) {
        int ca, cb;
        big_ref(c, refs, i, s, ns, tmp);
        d->cv = 0;
        d->M = refs->M[g];
        if (!rom && !se_judge(v, nn, refs->M[g], refs->S[g], &d->a, &d->b))
            return 0;
        if (!(refs->allpos[g] && allpos))
            return rom ? -1 : 1;
        if (rom) {
            d->cv = 1;
            d->M = refs->MC[g];
            return se_judge(v / X(s[q].m), nn, refs->MC[g], refs->SC[g], &d->a, &d->b);
        }
        return se_judge(v / X(s[q].m), nn, refs->MC[g], refs->SC[g], &ca, &cb);
    }
    n = others(c, i, g, s, ns, 0, tmp, &studies, &allpos);
    if (studies < 2)
        return -1;
    d->cv = 0;
    if (!rom && !se_like(v, tmp, n, nn, &d->M, &d->a, &d->b))
        return 0;
    if (!allpos)
        return rom ? -1 : 1;
    /* relative to their means the SDs must tell the same: a study with
     * small values throughout has small SDs */
    n = others(c, i, g, s, ns, 1, tmp, &studies, &allpos);
    if (rom) {
        d->cv = 1;
        return se_like(v / X(s[q].m), tmp, n, nn, &d->M, &d->a, &d->b);
    } else {
        int ca, cb;
        double MC;
        return se_like(v / X(s[q].m), tmp, n, nn, &MC, &ca, &cb);
    }
}

/* A paper that reports SEs reports them for every group: both arms of a
 * study must look like SEs (one arm alone is the within-study rule). */
static int sd_se_between(ck *c, double *tmp)
{
    sdcol s[2];
    size_t ns = sd_cols(c, s), k1 = c->k + 1;
    int rom = c->mname && strcmp(c->mname, "ROM") == 0;
    se_refs refs;
    refs.size = app_calloc(k1, sizeof *refs.size);
    refs.M = app_calloc(k1, sizeof(double));
    refs.S = app_calloc(k1, sizeof(double));
    refs.MC = app_calloc(k1, sizeof(double));
    refs.SC = app_calloc(k1, sizeof(double));
    refs.have = app_calloc(k1, 1);
    refs.allpos = app_calloc(k1, 1);
    if (!refs.size || !refs.M || !refs.S || !refs.MC || !refs.SC || !refs.have || !refs.allpos) {
        refs_free(&refs);
        return -1;
    }
    for (size_t i = 0; i < c->k; i++)
        refs.size[c->grp[i]]++;
    for (size_t i = 0; i < c->k; i++) {
        se_verdict d[2];
        int v[2] = {-1, -1}, any = 0, all = 1;
        for (size_t q = 0; q < ns; q++) {
            v[q] = judge_sd(c, i, s, ns, q, rom, tmp, &refs, &d[q]);
            any |= v[q] == 1;
            all &= v[q] != 0;
        }
        if (!any || !all)
            continue;
        for (size_t q = 0; q < ns; q++)
            if (v[q] == 1)
                se_message(c, i, s[q], d[q].M, d[q].a, d[q].b, d[q].cv);
    }
    refs_free(&refs);
    return 0;
}

/* ---- unusually large SMD -------------------------------------------------------------- */

static void smd_large(ck *c)
{
    int std = c->mname && (strcmp(c->mname, "SMD") == 0 || strcmp(c->mname, "SMDH") == 0);
    char d[32], b1[48];
    if (c->fam != F_CONT2)
        return;
    for (size_t i = 0; i < c->k; i++) {
        if (OK(K_N1I) && OK(K_M1I) && OK(K_SD1I) && OK(K_N2I) && OK(K_M2I) && OK(K_SD2I) &&
            X(K_SD1I) > 0 && X(K_SD2I) > 0 && X(K_N1I) + X(K_N2I) > 2 &&
            !((CKF(c, i, K_SD1I) | CKF(c, i, K_SD2I)) & CKF_SE)) {
            double n1 = X(K_N1I), n2 = X(K_N2I), s1 = X(K_SD1I), s2 = X(K_SD2I);
            double sp = sqrt(((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / (n1 + n2 - 2));
            double g = (1 - 3 / (4 * (n1 + n2) - 9)) * (X(K_M1I) - X(K_M2I)) / sp;
            if (fabs(g) > 2)
                ck_add(c, CHECK_HINT, "smd-large", i, K_M1I,
                       "the standardized mean difference of this study is g = %s (Hedges' g from the group data): unusually large; check that sd1i and sd2i are SDs, not SEs, and that both groups are scored in the same direction",
                       ck_fmt(g, d, sizeof d));
        } else if (std && OK(K_YI) && fabs(X(K_YI)) > 2) {
            ck_add(c, CHECK_HINT, "smd-large", i, K_YI,
                   "yi = %s: an SMD beyond 2 in absolute value is unusually large; check that the SDs behind it are SDs, not SEs, and the direction of the scale",
                   NUM(K_YI, b1));
        }
    }
}

/* ---- change scores mixed with final values (SMD) ------------------------------------ */

static int is_change(const ck *c, size_t i, int *given)
{
    const char *s = app_table_cell(c->t, c->row[i], (size_t)c->score_col);
    s += strspn(s, " \t");
    *given = 1;
    if (strncasecmp(s, "change", 6) == 0)
        return 1;
    *given = *s == '\0' || strncasecmp(s, "final", 5) == 0;
    return 0;
}

static void score_mix(ck *c)
{
    if (c->score_col < 0 || !c->mname || (strcmp(c->mname, "SMD") != 0 && strcmp(c->mname, "SMDH") != 0))
        return;
    for (size_t gr = 0; gr < c->k; gr++) {
        size_t first = 0;
        int fch = 0, g, have = 0;
        if (c->grp[gr] != gr && gr != 0)
            continue;
        for (size_t i = gr; i < c->k; i++) {
            int ch;
            if (c->grp[i] != c->grp[gr])
                continue;
            ch = is_change(c, i, &g);
            if (!g)
                continue;
            if (!have) {
                have = 1, first = i, fch = ch;
            } else if (ch != fch) {
                ck_add_col(c, CHECK_WARNING, "score-mixed-smd", i, c->score_col,
                           "%s reports %s, %s (line %ld) %s: an SMD cannot mix them, since change scores have different SDs (Cochrane Handbook 10.5.2); use MD, or the same kind of score in every study",
                           c->label[i], ch ? "change from baseline" : "final values", c->label[first],
                           c->t->line[c->row[first]], fch ? "change from baseline" : "final values");
                break;
            }
        }
    }
}

int ck_between(ck *c)
{
    size_t n = c->k + 1;
    unsigned char *dup = app_calloc(n, 1);
    double *t1 = app_calloc(2 * n, sizeof *t1);
    scale_row *t2 = app_calloc(n, sizeof *t2);
    if (dup && t1 && t2 && duplicates(c, dup) == 0 && same_labels(c, dup) == 0 &&
        shared_control(c, dup) == 0 &&
        sd_se_between(c, t1) == 0) {
        scales(c, t2, t1);
        smd_large(c);
        score_mix(c);
    } else {
        c->out->oom = 1;
    }
    app_free(dup);
    app_free(t1);
    app_free(t2);
    return c->out->oom ? -1 : 0;
}
