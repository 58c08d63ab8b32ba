/*
 * reg.c - meta-regression from a study file (`metasyn reg`): the design
 * matrix from moderator columns, the fit (libmetasyn's msyn_reg),
 * predictions, and the text, JSON and CSV reports.
 *
 * A moderator is numeric, or categorical when one of its cells is not a
 * number or --factor names it.  A categorical moderator becomes dummy
 * columns against its first level, the levels sorted as R's factor() sorts
 * them: numerically when every level is a number, otherwise in byte order
 * (R in a UTF-8 locale can order mixed-case or accented levels otherwise;
 * the report names the reference level).  Without an intercept the first
 * categorical moderator gets a column for every level (R's ~ factor(g) - 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"

/* An empty or NA cell (cells here are trimmed). */
static int is_missing(const char *s)
{
    return *s == '\0' || strcasecmp(s, "NA") == 0;
}

char *app_trimmed(const char *s)
{
    size_t n;
    s += strspn(s, " \t");
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return app_strndup(s, n);
}

void app_reg_free(app_reg *g)
{
    if (!g)
        return;
    for (size_t j = 0; j < g->p; j++)
        app_free(g->name[j]);
    app_free(g->name);
    app_free(g->Xc);
    app_free(g->X);
    app_free(g->coef);
    app_free(g->vb);
    app_free(g->predx);
    app_free(g->pred);
    app_free(g->perm.pval);
    memset(g, 0, sizeof *g);
}

/* A new design column (all NaN) named name; its values, or NULL. */
static double *new_column(app_reg *g, const char *name)
{
    double *nx;
    char **nn, *dup;
    if (!(dup = app_strdup(name)))
        return NULL;
    if (!(nn = app_realloc(g->name, (g->p + 1) * sizeof *nn))) {
        app_free(dup);
        return NULL;
    }
    g->name = nn;
    if (!(nx = app_realloc(g->Xc, g->k * (g->p + 1) * sizeof *nx + 1))) {
        app_free(dup);
        return NULL;
    }
    g->Xc = nx;
    g->name[g->p] = dup;
    nx += g->k * g->p++;
    for (size_t i = 0; i < g->k; i++)
        nx[i] = nan("");
    return nx;
}

static int named(const char *const *list, size_t n, const char *s)
{
    for (size_t j = 0; j < n; j++)
        if (strcasecmp(list[j], s) == 0)
            return 1;
    return 0;
}

typedef struct level {
    char *s;
    double x;
    int numeric; /* every level is a number: sort by value */
} level;

static int cmp_level(const void *a, const void *b)
{
    const level *x = a, *y = b;
    if (x->numeric)
        return (x->x > y->x) - (x->x < y->x);
    return strcmp(x->s, y->s);
}

static void sort_levels(level *lv, size_t n)
{
    int num = 1;
    for (size_t l = 0; l < n; l++) {
        const char *why;
        num &= app_parse_number(lv[l].s, 0, &lv[l].x, &why) == NUM_OK;
    }
    for (size_t l = 0; l < n; l++)
        lv[l].numeric = num;
    qsort(lv, n, sizeof *lv, cmp_level);
}

/* The columns of one moderator. */
static int add_moderator(app_result *r, app_reg *g, const char *mod, int full_factor, app_err *e)
{
    const app_data *d = r->data;
    const app_table *t = r->table;
    int col = app_table_col(t, mod), cat = named(r->factors, r->nfactors, mod), rc = -1;
    app_reg_mod *m = &g->mod[g->nmod];
    char **cell = NULL;
    level *lv = NULL;
    size_t nl = 0;
    if (col < 0 && (col = app_table_col_nocase(t, mod)) < 0) {
        app_err_set(e, APP_EXIT_USAGE, "--mod %s: %s has no such column", mod, r->file);
        return -1;
    }
    if (g->nmod == APP_REG_MAXMOD) {
        app_err_set(e, APP_EXIT_USAGE, "--mod %s: at most %d moderators", mod, APP_REG_MAXMOD);
        return -1;
    }
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", mod);
    m->first = g->p;
    if (!(cell = app_calloc(g->k + 1, sizeof *cell)) || !(lv = app_calloc(g->k + 1, sizeof *lv)))
        goto oom;
    for (size_t i = 0; i < g->k; i++) {
        const char *why;
        double x;
        if (!(cell[i] = app_trimmed(app_table_cell(t, d->row[i], (size_t)col))))
            goto oom;
        if (!is_missing(cell[i]) && app_parse_number(cell[i], t->decimal_comma, &x, &why) != NUM_OK)
            cat = 1;
    }
    if (!cat) {
        double *x = new_column(g, mod);
        const char *why;
        if (!x)
            goto oom;
        for (size_t i = 0; i < g->k; i++)
            if (app_parse_number(cell[i], t->decimal_comma, &x[i], &why) != NUM_OK)
                x[i] = nan("");
        m->ncol = 1;
        rc = 0;
        goto done;
    }
    m->categorical = 1;
    for (size_t i = 0; i < g->k; i++) {
        size_t l;
        if (is_missing(cell[i]))
            continue;
        for (l = 0; l < nl && strcmp(lv[l].s, cell[i]) != 0; l++)
            ;
        if (l == nl)
            lv[nl++].s = cell[i];
    }
    if (nl < 2) {
        app_err_set(e, APP_EXIT_DATA, "%s: moderator %s has %s: a categorical moderator needs at least 2 levels",
                    r->file, mod, nl ? "one level only" : "no values");
        goto done;
    }
    sort_levels(lv, nl);
    m->levels = nl;
    snprintf(m->ref, sizeof m->ref, "%s", full_factor ? "" : lv[0].s);
    for (size_t l = full_factor ? 0 : 1; l < nl; l++) {
        char name[256];
        double *x;
        snprintf(name, sizeof name, "%s: %s", mod, lv[l].s);
        if (!(x = new_column(g, name)))
            goto oom;
        for (size_t i = 0; i < g->k; i++)
            x[i] = is_missing(cell[i]) ? nan("") : strcmp(cell[i], lv[l].s) == 0;
        m->ncol++;
    }
    rc = 0;
    goto done;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
done:
    if (rc == 0)
        g->nmod++;
    if (cell)
        for (size_t i = 0; i < g->k; i++)
            app_free(cell[i]);
    app_free(cell);
    app_free(lv);
    return rc;
}

/* One --pred "COL=V,COL=V" as a design row. */
static int pred_row(const app_result *r, const app_reg *g, const char *spec, double *x, app_err *e)
{
    for (size_t j = 0; j < g->p; j++)
        x[j] = nan("");
    if (g->intercept)
        x[0] = 1.0;
    for (size_t q = 0; q < g->nmod; q++) {
        const app_reg_mod *m = &g->mod[q];
        const char *p = spec, *val = NULL;
        char v[256];
        size_t n;
        while (p && *p) {
            size_t len = strcspn(p, "=,");
            if (p[len] == '=' && len == strlen(m->name) && strncasecmp(p, m->name, len) == 0) {
                val = p + len + 1;
                break;
            }
            p = strchr(p, ',');
            p = p ? p + 1 : NULL;
        }
        if (!val) {
            app_err_set(e, APP_EXIT_USAGE, "--pred %s: give a value for every moderator (%s is missing)", spec, m->name);
            return -1;
        }
        n = strcspn(val, ",");
        snprintf(v, sizeof v, "%.*s", (int)(n < 255 ? n : 255), val);
        if (!m->categorical) {
            const char *why;
            if (app_parse_number(v, 0, &x[m->first], &why) != NUM_OK) {
                app_err_set(e, APP_EXIT_USAGE, "--pred %s: %s=%s is not a number", spec, m->name, v);
                return -1;
            }
        } else {
            int found = !m->ref[0] ? 0 : strcmp(v, m->ref) == 0;
            for (size_t j = m->first; j < m->first + m->ncol; j++) {
                const char *lev = strchr(g->name[j], ':') + 2;
                x[j] = strcmp(lev, v) == 0;
                found |= x[j] == 1.0;
            }
            if (!found) {
                app_err_set(e, APP_EXIT_USAGE, "--pred %s: %s has no level '%s'", spec, m->name, v);
                return -1;
            }
        }
    }
    (void)r;
    return 0;
}

int app_reg_fit(app_result *r, app_err *e)
{
    app_reg *g = &r->reg;
    size_t k = r->data->k, p;
    msyn_status rc;
    int have_factor = 0;
    memset(g, 0, sizeof *g);
    g->k = k;
    g->intercept = !r->no_intercept;
    if (g->intercept) {
        double *one = new_column(g, "intercept");
        if (!one)
            goto oom;
        for (size_t i = 0; i < k; i++)
            one[i] = 1.0;
    }
    for (size_t q = 0; q < r->nmods; q++) {
        int full = !g->intercept && !have_factor;
        if (add_moderator(r, g, r->mods[q], full, e) != 0)
            return -1;
        have_factor |= g->mod[g->nmod - 1].categorical;
        if (!g->intercept && !have_factor && g->mod[g->nmod - 1].categorical)
            have_factor = 1;
    }
    p = g->p;
    if (p == 0) {
        app_err_set(e, APP_EXIT_USAGE, "metasyn reg needs at least one --mod COLUMN (or an intercept)");
        return -1;
    }
    if (!(g->X = app_alloc(k * p * sizeof *g->X + 1)) || !(g->coef = app_alloc(6 * p * sizeof *g->coef)) ||
        !(g->vb = app_alloc(p * p * sizeof *g->vb)))
        goto oom;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < p; j++)
            g->X[i * p + j] = g->Xc[j * k + i];
    g->fit.b = g->coef;
    g->fit.se = g->coef + p;
    g->fit.stat = g->coef + 2 * p;
    g->fit.pval = g->coef + 3 * p;
    g->fit.ci_lb = g->coef + 4 * p;
    g->fit.ci_ub = g->coef + 5 * p;
    g->fit.vb = g->vb;
    rc = msyn_reg(r->yi, r->vi, g->X, k, p, NULL, &r->po, NULL, &g->fit);
    if (rc == MSYN_ENOMEM)
        goto oom;
    if (rc == MSYN_ETOOFEW) {
        app_err_set(e, APP_EXIT_MODEL, "%s: %zu studies with an effect size and all moderators: too few for %zu coefficients (a mixed-effects model needs at least %zu)",
                    r->file, g->fit.k, p, p + 1);
        return -1;
    }
    if (rc == MSYN_ENOTESTIMABLE && (g->fit.flags & MSYN_REG_RANK)) {
        app_err_set(e, APP_EXIT_MODEL, "%s: the moderators are collinear: column '%s' is a combination of the others; drop a moderator",
                    r->file, g->name[g->fit.rank_col < p ? g->fit.rank_col : 0]);
        return -1;
    }
    if (rc == MSYN_ENOCONV) {
        app_err_set(e, APP_EXIT_MODEL, "%s: the %s estimator of tau² did not converge (fallback disabled)", r->file,
                    msyn_method_name(r->po.method));
        return -1;
    }
    if (rc != MSYN_OK) {
        app_err_set(e, rc == MSYN_EDATA ? APP_EXIT_DATA : APP_EXIT_MODEL, "%s: %s", r->file, msyn_strerror(rc));
        return -1;
    }
    {
        const char *s;
        for (unsigned n = 0; (s = msyn_fit_flag_text(g->fit.flags & 0xFFFFu, n)); n++)
            app_strlist_addf(&r->warnings, "%s", s);
        if (g->fit.flags & MSYN_REG_TAU2_CI_NULL)
            app_strlist_addf(&r->warnings, "the Q-profile confidence interval for the residual tau^2 is the null set {0}: the residuals vary less than expected from sampling error alone");
        if (g->fit.flags & MSYN_REG_MISSING)
            app_strlist_addf(&r->warnings, "%zu of %zu studies used: the others lack an effect size or a moderator value",
                             g->fit.k, k);
    }
    if (r->npreds) {
        g->npred = r->npreds;
        if (!(g->predx = app_alloc(r->npreds * p * sizeof *g->predx)) ||
            !(g->pred = app_alloc(r->npreds * sizeof *g->pred)))
            goto oom;
        for (size_t q = 0; q < r->npreds; q++)
            if (pred_row(r, g, r->preds[q], g->predx + q * p, e) != 0)
                return -1;
        if (msyn_reg_predict(&g->fit, g->predx, r->npreds, NULL, g->pred) != MSYN_OK) {
            app_err_set(e, APP_EXIT_INTERNAL, "%s: predictions failed", r->file);
            return -1;
        }
    }
    if (r->permutations) {
        msyn_status prc;
        if (!(g->perm.pval = app_alloc(p * sizeof *g->perm.pval)))
            goto oom;
        g->seed = r->seed;
        prc = msyn_reg_permtest(r->yi, r->vi, g->X, k, p, NULL, &r->po, r->permutations, r->seed, r->exact,
                                &g->perm);
        if (prc == MSYN_ENOMEM)
            goto oom;
        if (prc == MSYN_EINVAL && r->exact) {
            app_err_set(e, APP_EXIT_USAGE, "--exact: too many distinct permutations of %zu studies to enumerate; give --permutations N for a random permutation test", g->fit.k);
            return -1;
        }
        if (prc != MSYN_OK) {
            app_err_set(e, APP_EXIT_MODEL, "%s: permutation test: %s", r->file, msyn_strerror(prc));
            return -1;
        }
        g->permuted = 1;
        if (g->perm.failed)
            app_strlist_addf(&r->warnings, "permutation test: %zu refits failed and were left out", g->perm.failed);
    }
    r->fitted = 1;
    return 0;
oom:
    app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

/* ---- reports ---------------------------------------------------------------- */

static const char *pf(double p, char *buf, size_t n)
{
    if (isnan(p))
        snprintf(buf, n, "NA");
    else if (p < 1e-4)
        snprintf(buf, n, "<0.0001");
    else
        snprintf(buf, n, "%.4f", p);
    return buf;
}

int app_reg_text(const app_result *r, sbuf *o)
{
    const app_reg *g = &r->reg;
    const msyn_reg_fit *f = &g->fit;
    int d = r->digits, tdist = !isnan(f->df);
    size_t wn = strlen("coefficient");
    char a[48], b[48], c[48], e[48], s[48], p[48];
    for (size_t j = 0; j < g->p; j++)
        if (app_utf8_width(g->name[j]) > wn)
            wn = app_utf8_width(g->name[j]);
    sb_printf(o, "metasyn %s: %s meta-regression of %zu studies\n", msyn_version(),
              r->po.method == MSYN_METHOD_EE ? "fixed-effects" : "mixed-effects", f->k);
    sb_printf(o, "File:      %s (%zu rows)\n", r->file, r->data->k);
    sb_printf(o, "Measure:   %s, %s\n", msyn_measure_name(r->measure), msyn_measure_label(r->measure));
    sb_printf(o, "Preset:    %s\n", msyn_preset_name(r->preset));
    if (r->po.method == MSYN_METHOD_EE)
        sb_puts(o, "Model:     common effect (no residual heterogeneity), inverse variance\n");
    else
        sb_printf(o, "Model:     residual tau² by %s%s\n", msyn_method_label(f->method_used),
                  f->method_used != r->po.method ? " (fallback)" : "");
    sb_printf(o, "Test:      %s, %g%% confidence intervals\n", msyn_test_label(f->test), 100.0 * r->po.level);
    for (size_t q = 0; q < g->nmod; q++)
        if (g->mod[q].categorical)
            sb_printf(o, "Factor:    %s, %zu levels%s%s\n", g->mod[q].name, g->mod[q].levels,
                      g->mod[q].ref[0] ? ", reference " : ", one column per level",
                      g->mod[q].ref);
    sb_puts(o, "\n");
    sb_pad(o, "coefficient", wn, 0);
    sb_printf(o, "  %*s  %*s  %8s  %8s  %g%% CI\n", d + 4, "estimate", d + 3, "SE", tdist ? "t" : "z",
              "p", 100.0 * r->po.level);
    for (size_t j = 0; j < g->p; j++) {
        sb_pad(o, g->name[j], wn, 0);
        sb_printf(o, "  %*s  %*s  %8s  %8s  [%s; %s]\n", d + 4, app_fx(f->b[j], d, a, sizeof a), d + 3,
                  app_fx(f->se[j], d, b, sizeof b), app_fx(f->stat[j], 2, s, sizeof s), pf(f->pval[j], p, sizeof p),
                  app_fx(f->ci_lb[j], d, c, sizeof c), app_fx(f->ci_ub[j], d, e, sizeof e));
    }
    sb_puts(o, "\n");
    if (isnan(f->QM_df2))
        sb_printf(o, "Test of moderators: QM(%g) = %s, %s\n", f->QM_df1, app_fx(f->QM, 2, a, sizeof a),
                  app_pq(f->QM_pval, p, sizeof p));
    else
        sb_printf(o, "Test of moderators: F(%g, %g) = %s, %s\n", f->QM_df1, f->QM_df2,
                  app_fx(f->QM, 2, a, sizeof a), app_pq(f->QM_pval, p, sizeof p));
    sb_printf(o, "Residual heterogeneity: QE(%g) = %s, %s\n", f->QE_df, app_fx(f->QE, 2, a, sizeof a),
              app_pq(f->QE_pval, p, sizeof p));
    if (r->po.method != MSYN_METHOD_EE) {
        /* as pool's Heterogeneity block: the Q-profile CI in brackets */
        sb_printf(o, "  tau² = %s", app_fx(f->tau2, d, a, sizeof a));
        if (!isnan(f->tau2_ci_lb) || !isnan(f->tau2_ci_ub))
            sb_printf(o, " [%s; %s]", app_fx(f->tau2_ci_lb, d, b, sizeof b), app_fx(f->tau2_ci_ub, d, c, sizeof c));
        if (!isnan(f->tau2_se))
            sb_printf(o, " (SE %s)", app_fx(f->tau2_se, d, b, sizeof b));
        sb_printf(o, ", tau = %s", app_fx(f->tau, d, a, sizeof a));
        if (!isnan(f->tau_ci_lb) || !isnan(f->tau_ci_ub))
            sb_printf(o, " [%s; %s]", app_fx(f->tau_ci_lb, d, b, sizeof b), app_fx(f->tau_ci_ub, d, c, sizeof c));
        sb_printf(o, "\n  I² = %s%%", app_fx(f->I2, 1, a, sizeof a));
        if (!isnan(f->I2_ci_lb) || !isnan(f->I2_ci_ub))
            sb_printf(o, " [%s%%; %s%%]", app_fx(f->I2_ci_lb, 1, b, sizeof b), app_fx(f->I2_ci_ub, 1, c, sizeof c));
        sb_printf(o, ", H² = %s", app_fx(f->H2, 2, a, sizeof a));
        if (!isnan(f->H2_ci_lb) || !isnan(f->H2_ci_ub))
            sb_printf(o, " [%s; %s]", app_fx(f->H2_ci_lb, 2, b, sizeof b), app_fx(f->H2_ci_ub, 2, c, sizeof c));
        if (!isnan(f->R2))
            sb_printf(o, ", R² = %s%% (tau² without moderators %s)", app_fx(f->R2, 1, a, sizeof a),
                      app_fx(f->tau2_0, d, b, sizeof b));
        sb_puts(o, "\n");
    }
    if (g->permuted) {
        sb_printf(o, "\nPermutation test (%s, %zu permutations%s):\n", g->perm.exact ? "exact" : "random",
                  g->perm.iter, g->perm.exact ? "" : "");
        if (!g->perm.exact)
            sb_printf(o, "  seed %llu (metasyn's generator: reproducible, not R's random numbers)\n", g->seed);
        sb_printf(o, "  QM: %s\n", app_pq(g->perm.QM_pval, p, sizeof p));
        for (size_t j = 0; j < g->p; j++) {
            sb_puts(o, "  ");
            sb_pad(o, g->name[j], wn, 0);
            sb_printf(o, "  %s\n", app_pq(g->perm.pval[j], p, sizeof p));
        }
    }
    if (g->npred) {
        sb_puts(o, "\nPredictions\n");
        for (size_t q = 0; q < g->npred; q++) {
            const msyn_reg_pred *pr = &g->pred[q];
            sb_printf(o, "  %s: %s [%s; %s]", r->preds[q], app_fx(pr->pred, d, a, sizeof a), app_fx(pr->ci_lb, d, b, sizeof b),
                      app_fx(pr->ci_ub, d, c, sizeof c));
            if (!isnan(pr->pi_lb))
                sb_printf(o, ", prediction interval [%s; %s]", app_fx(pr->pi_lb, d, b, sizeof b), app_fx(pr->pi_ub, d, c, sizeof c));
            if (msyn_measure_back_name(r->measure))
                sb_printf(o, "; %s %s [%s; %s]", msyn_measure_back_name(r->measure),
                          app_fx(app_back(r, pr->pred), d, a, sizeof a), app_fx(app_back(r, pr->ci_lb), d, b, sizeof b),
                          app_fx(app_back(r, pr->ci_ub), d, c, sizeof c));
            sb_puts(o, "\n");
        }
    }
    app_warnings_text(&r->warnings, o);
    return o->oom ? -1 : 0;
}

int app_reg_json(const app_result *r, sbuf *out)
{
    const app_reg *g = &r->reg;
    const msyn_reg_fit *f = &g->fit;
    jb c = {0};
    json_t *root = json_object(), *tool = json_object(), *reg = json_object(), *co = json_array(),
           *w = json_array(), *mods = json_array();
    jb_put(&c, tool, "name", json_string("metasyn"));
    jb_put(&c, tool, "version", json_string(msyn_version()));
    jb_put(&c, tool, "command", json_string("reg"));
    jb_put(&c, root, "metasyn", tool);
    jb_put(&c, root, "file", json_string(r->file));
    jb_put(&c, root, "measure", json_string(msyn_measure_name(r->measure)));
    jb_put(&c, root, "preset", json_string(msyn_preset_name(r->preset)));
    for (size_t q = 0; q < g->nmod; q++) {
        json_t *m = json_object();
        jb_put(&c, m, "name", json_string(g->mod[q].name));
        jb_put(&c, m, "type", json_string(g->mod[q].categorical ? "categorical" : "numeric"));
        if (g->mod[q].categorical) {
            jb_put(&c, m, "levels", json_integer((json_int_t)g->mod[q].levels));
            jb_put(&c, m, "reference", g->mod[q].ref[0] ? json_string(g->mod[q].ref) : json_null());
        }
        jb_append(&c, mods, m);
    }
    jb_put(&c, root, "moderators", mods);
    for (size_t j = 0; j < g->p; j++) {
        json_t *o = json_object();
        jb_put(&c, o, "name", json_string(g->name[j]));
        jb_put(&c, o, "estimate", jb_num(f->b[j]));
        jb_put(&c, o, "se", jb_num(f->se[j]));
        jb_put(&c, o, "stat", jb_num(f->stat[j]));
        jb_put(&c, o, "pval", jb_num(f->pval[j]));
        jb_put(&c, o, "ci_lb", jb_num(f->ci_lb[j]));
        jb_put(&c, o, "ci_ub", jb_num(f->ci_ub[j]));
        jb_append(&c, co, o);
    }
    jb_put(&c, reg, "k", json_integer((json_int_t)f->k));
    jb_put(&c, reg, "p", json_integer((json_int_t)f->p));
    jb_put(&c, reg, "method", json_string(msyn_method_name(f->method_used)));
    jb_put(&c, reg, "test", json_string(msyn_test_name(f->test)));
    jb_put(&c, reg, "level", jb_num(100.0 * r->po.level));
    jb_put(&c, reg, "coefficients", co);
    jb_put(&c, reg, "QM", jb_num(f->QM));
    jb_put(&c, reg, "QM_df", jb_num(f->QM_df1));
    jb_put(&c, reg, "QM_df2", jb_num(f->QM_df2));
    jb_put(&c, reg, "QM_pval", jb_num(f->QM_pval));
    jb_put(&c, reg, "QE", jb_num(f->QE));
    jb_put(&c, reg, "QE_df", jb_num(f->QE_df));
    jb_put(&c, reg, "QE_pval", jb_num(f->QE_pval));
    jb_put(&c, reg, "tau2", jb_num(f->tau2));
    jb_put(&c, reg, "tau2_se", jb_num(f->tau2_se));
    jb_put(&c, reg, "tau2_ci_lb", jb_num(f->tau2_ci_lb));
    jb_put(&c, reg, "tau2_ci_ub", jb_num(f->tau2_ci_ub));
    jb_put(&c, reg, "tau", jb_num(f->tau));
    jb_put(&c, reg, "tau_ci_lb", jb_num(f->tau_ci_lb));
    jb_put(&c, reg, "tau_ci_ub", jb_num(f->tau_ci_ub));
    jb_put(&c, reg, "I2", jb_num(f->I2));
    jb_put(&c, reg, "I2_ci_lb", jb_num(f->I2_ci_lb));
    jb_put(&c, reg, "I2_ci_ub", jb_num(f->I2_ci_ub));
    jb_put(&c, reg, "H2", jb_num(f->H2));
    jb_put(&c, reg, "H2_ci_lb", jb_num(f->H2_ci_lb));
    jb_put(&c, reg, "H2_ci_ub", jb_num(f->H2_ci_ub));
    jb_put(&c, reg, "R2", jb_num(f->R2));
    jb_put(&c, reg, "df", jb_num(f->df));
    jb_put(&c, reg, "converged", json_boolean(f->converged));
    jb_put(&c, reg, "iterations", json_integer(f->iterations));
    if (g->permuted) {
        json_t *po = json_object(), *pa = json_array();
        jb_put(&c, po, "exact", json_boolean(g->perm.exact));
        jb_put(&c, po, "iterations", json_integer((json_int_t)g->perm.iter));
        jb_put(&c, po, "seed", g->perm.exact ? json_null() : json_integer((json_int_t)g->seed));
        jb_put(&c, po, "QM_pval", jb_num(g->perm.QM_pval));
        for (size_t j = 0; j < g->p; j++)
            jb_append(&c, pa, jb_num(g->perm.pval[j]));
        jb_put(&c, po, "pval", pa);
        jb_put(&c, reg, "permutation", po);
    }
    jb_put(&c, root, "regression", reg);
    if (g->npred) {
        json_t *pa = json_array();
        for (size_t q = 0; q < g->npred; q++) {
            json_t *o = json_object();
            const msyn_reg_pred *pr = &g->pred[q];
            jb_put(&c, o, "at", json_string(r->preds[q]));
            jb_put(&c, o, "pred", jb_num(pr->pred));
            jb_put(&c, o, "se", jb_num(pr->se));
            jb_put(&c, o, "ci_lb", jb_num(pr->ci_lb));
            jb_put(&c, o, "ci_ub", jb_num(pr->ci_ub));
            jb_put(&c, o, "pi_lb", jb_num(pr->pi_lb));
            jb_put(&c, o, "pi_ub", jb_num(pr->pi_ub));
            jb_append(&c, pa, o);
        }
        jb_put(&c, root, "predictions", pa);
    }
    for (size_t i = 0; i < r->warnings.n; i++)
        jb_append(&c, w, json_string(r->warnings.s[i]));
    jb_put(&c, root, "warnings", w);
    return jb_dump(&c, root, out);
}

int app_reg_csv(const app_result *r, sbuf *o)
{
    const app_reg *g = &r->reg;
    const msyn_reg_fit *f = &g->fit;
    size_t n = g->p + (r->po.method != MSYN_METHOD_EE ? 4 : 0);
    sb_puts(o, "coefficient,estimate,se,stat,pval,ci_lb,ci_ub\n");
    for (size_t j = 0; j < n; j++) {
        /* after the coefficients, a mixed-effects model's residual
         * heterogeneity with its Q-profile CI (JSON's key names) */
        static const char *const het[4] = {"tau2", "tau", "I2", "H2"};
        double nan_ = nan("");
        const double hv[4][6] = {{f->tau2, f->tau2_se, nan_, nan_, f->tau2_ci_lb, f->tau2_ci_ub},
                                 {f->tau, nan_, nan_, nan_, f->tau_ci_lb, f->tau_ci_ub},
                                 {f->I2, nan_, nan_, nan_, f->I2_ci_lb, f->I2_ci_ub},
                                 {f->H2, nan_, nan_, nan_, f->H2_ci_lb, f->H2_ci_ub}};
        const double *v;
        double cv[6];
        if (j < g->p) {
            cv[0] = f->b[j], cv[1] = f->se[j], cv[2] = f->stat[j];
            cv[3] = f->pval[j], cv[4] = f->ci_lb[j], cv[5] = f->ci_ub[j];
            v = cv;
        } else {
            v = hv[j - g->p];
        }
        sb_printf(o, "\"%s\"", j < g->p ? g->name[j] : het[j - g->p]);
        for (int q = 0; q < 6; q++) {
            sb_puts(o, ",");
            if (!isnan(v[q]))
                sb_num(o, v[q]);
        }
        sb_puts(o, "\n");
    }
    return o->oom ? -1 : 0;
}
