/*
 * rm5_csv.c - the CSV files of `metasyn import-rm5`: one study table per
 * analysis, in metasyn's (metafor's) column names, and index.csv with the
 * review's own settings, its stored results and the `metasyn pool`
 * command that reruns each analysis (docs/cli/import-rm5.md).
 */
#include <string.h>

#include "rm5.h"

/* A CSV field, quoted when it holds a delimiter, quote, line break or
 * leading/trailing space. */
static void field(sbuf *b, const char *s)
{
    size_t n;
    if (!s)
        return;
    n = strlen(s);
    if (strpbrk(s, ",\"\r\n") || (n > 0 && (s[0] == ' ' || s[n - 1] == ' '))) {
        sb_puts(b, "\"");
        for (; *s; s++) {
            if (*s == '"')
                sb_puts(b, "\"");
            sb_add(b, s, 1);
        }
        sb_puts(b, "\"");
    } else {
        sb_puts(b, s);
    }
}

/* metasyn's column for each value of valnames[] (rm5.c), per type. */
static const char *const columns[4][RM5_MAXVAL] = {
    {"ai", "n1i", "ci", "n2i", NULL, NULL},
    {"m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"},
    {"yi", "sei", "n1i", "n2i", NULL, NULL},
    {"oei", "vei", "n1i", "n2i", NULL, NULL}};

/* IV and IPD rows may carry group sizes (for display in RevMan); the
 * columns are written only when some row has them. */
static int used(const rm5_analysis *a, int j)
{
    if (a->type == RM5_DICH || a->type == RM5_CONT)
        return columns[a->type][j] != NULL;
    if (j < 2)
        return 1;
    for (size_t i = 0; j < RM5_MAXVAL && i < a->nrow; i++)
        if (a->rows[i].val[j])
            return 1;
    return 0;
}

int rm5_csv(const rm5_analysis *a, sbuf *out)
{
    sb_puts(out, "study,study_id");
    if (a->has_subgroups)
        sb_puts(out, ",subgroup");
    for (int j = 0; j < RM5_MAXVAL; j++)
        if (used(a, j)) {
            sb_puts(out, ",");
            sb_puts(out, columns[a->type][j]);
        }
    sb_puts(out, "\n");
    for (size_t i = 0; i < a->nrow; i++) {
        const rm5_row *r = &a->rows[i];
        field(out, r->study);
        sb_puts(out, ",");
        field(out, r->study_id);
        if (a->has_subgroups) {
            sb_puts(out, ",");
            field(out, r->subgroup ? r->subgroup : "");
        }
        for (int j = 0; j < RM5_MAXVAL; j++)
            if (used(a, j)) {
                sb_puts(out, ",");
                field(out, r->val[j]);
            }
        sb_puts(out, "\n");
    }
    return out->oom ? -1 : 0;
}

/* A path for a shell command line: as is when it holds only safe
 * characters, else in single quotes. */
static void shell_word(sbuf *b, const char *s)
{
    if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./+:,@") ==
                  strlen(s)) {
        sb_puts(b, s);
        return;
    }
    sb_puts(b, "'");
    for (; *s; s++) {
        if (*s == '\'')
            sb_puts(b, "'\\''");
        else
            sb_add(b, s, 1);
    }
    sb_puts(b, "'");
}

void rm5_command(const rm5_analysis *a, const char *path, sbuf *out)
{
    const char *method;
    int ratio_peto = a->measure && strcmp(a->measure, "PETO") == 0;
    if (!a->measure || a->nrow == 0)
        return;
    if (a->random)
        method = "DL";
    else if (a->type == RM5_DICH && a->method && strcmp(a->method, "MH") == 0)
        method = "MH";
    else if (ratio_peto)
        method = "PETO";
    else
        method = "EE";
    sb_printf(out, "metasyn pool --preset revman5 --measure %s --method %s", a->measure, method);
    if (a->random && a->type == RM5_DICH && a->method && strcmp(a->method, "IV") == 0)
        sb_puts(out, " --tau2-from iv"); /* RevMan 5: DL from the inverse-variance Q */
    if (a->natural_scale)
        sb_puts(out, " --scale natural");
    if (a->ci_total && *a->ci_total && strcmp(a->ci_total, "95") != 0)
        sb_printf(out, " --level %s", a->ci_total);
    sb_puts(out, " ");
    shell_word(out, path);
}

static void reset(sbuf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

/* What a reader of index.csv should know about rerunning an analysis. */
static void notes(const rm5_analysis *a, sbuf *b)
{
    const char *sep = "";
    if (a->nrow == 0) {
        sb_puts(b, "no study data: nothing to pool");
        sep = "; ";
    }
    if (a->swap_events) {
        sb_puts(b, "RevMan analysed non-events (SWAP_EVENTS); the CSV holds events");
        sep = "; ";
    }
    if (a->has_subgroups) {
        sb_printf(b, "%spool pools all studies; RevMan also shows a total per subgroup", sep);
        sep = "; ";
    }
    if (!a->totals)
        sb_printf(b, "%sRevMan shows no overall total for this outcome", sep);
}

int rm5_index_csv(const rm5_review *r, const char *dir, sbuf *out)
{
    sbuf path, tmp;
    sb_init(&path);
    sb_init(&tmp);
    sb_puts(out, "file,comparison_no,comparison,outcome_no,outcome,data_type,measure,"
                 "revman_measure,method,model,ci_study,ci_total,group1,group2,subgroups,k,"
                 "scale,revman_estimate,revman_ci_lb,revman_ci_ub,revman_tau2,revman_i2,"
                 "revman_q,revman_df,revman_z,revman_p,command,note\n");
    for (size_t i = 0; i < r->n; i++) {
        const rm5_analysis *a = &r->a[i];
        const char *plain[] = {a->file, a->comp_no, a->comp_name, a->out_no, a->out_name,
                               rm5_type_name(a->type), a->measure ? a->measure : "",
                               a->revman_measure, a->method ? a->method : "",
                               a->random ? "random" : "fixed", a->ci_study, a->ci_total,
                               a->label1, a->label2, a->has_subgroups ? "yes" : "no"};
        for (size_t j = 0; j < sizeof plain / sizeof plain[0]; j++) {
            field(out, plain[j]);
            sb_puts(out, ",");
        }
        sb_printf(out, "%zu,%s", a->nrow,
                  a->type != RM5_IV || !a->measure ? ""
                  : a->natural_scale ? "natural" : "log");
        for (int j = 0; j < RM5_P_COUNT; j++) {
            sb_puts(out, ",");
            field(out, a->pooled[j]);
        }
        sb_puts(out, ",");
        reset(&path);
        reset(&tmp);
        sb_puts(&path, dir);
        if (path.len && path.p[path.len - 1] != '/')
            sb_puts(&path, "/");
        sb_puts(&path, a->file);
        rm5_command(a, path.oom ? "" : path.p, &tmp);
        field(out, tmp.oom || !tmp.p ? "" : tmp.p);
        sb_puts(out, ",");
        reset(&tmp);
        notes(a, &tmp);
        field(out, tmp.p ? tmp.p : "");
        sb_puts(out, "\n");
        if (path.oom || tmp.oom)
            out->oom = 1;
    }
    sb_free(&path);
    sb_free(&tmp);
    return out->oom ? -1 : 0;
}
