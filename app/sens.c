/*
 * sens.c - sensitivity and influence analyses of `pool`: leave-one-out
 * (--leave1out), cumulative meta-analysis in the order of a column
 * (--cumulative COL) and case-deletion diagnostics with Baujat
 * coordinates (--influence), computed by libmetasyn's msyn_influence_*
 * (metafor's leave1out, cumul, influence, baujat).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

void app_sens_free(app_sens *s)
{
    if (!s)
        return;
    app_free(s->l1o);
    app_free(s->cum);
    app_free(s->order);
    app_free(s->inf);
    app_free(s->flag);
    app_free(s->gosh);
    app_free(s->gosh_incl);
    memset(s, 0, sizeof *s);
}

static void fit_cols(double *base, size_t k, msyn_fit_cols *c)
{
    memset(c, 0, sizeof *c);
    c->estimate = base + SENS_EST * k;
    c->se = base + SENS_SE * k;
    c->stat = base + SENS_STAT * k;
    c->pval = base + SENS_PVAL * k;
    c->ci_lb = base + SENS_CILB * k;
    c->ci_ub = base + SENS_CIUB * k;
    c->Q = base + SENS_Q * k;
    c->Q_pval = base + SENS_QP * k;
    c->tau2 = base + SENS_TAU2 * k;
    c->I2 = base + SENS_I2 * k;
    c->H2 = base + SENS_H2 * k;
}

typedef struct order_key {
    double x;
    const char *s;
    size_t i;
    int missing, numeric;
} order_key;

static int cmp_order(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    int r;
    if (x->missing != y->missing)
        return x->missing - y->missing; /* missing last */
    if (x->numeric)
        r = (x->x > y->x) - (x->x < y->x);
    else
        r = strcmp(x->s, y->s);
    return r ? r : (x->i > y->i) - (x->i < y->i);
}

/* Studies in the order of column col: numbers by value when every cell is
 * a number, else text; empty cells last; ties in file order. */
static int cumul_order(const app_result *r, int col, size_t *order)
{
    const app_data *d = r->data;
    order_key *key = app_alloc((d->k + 1) * sizeof *key);
    int numeric = 1;
    if (!key)
        return -1;
    for (size_t i = 0; i < d->k; i++) {
        const char *c = app_table_cell(r->table, d->row[i], (size_t)col), *why;
        int rc = app_parse_number(c, r->table->decimal_comma, &key[i].x, &why);
        key[i].s = c + strspn(c, " \t");
        key[i].i = i;
        key[i].missing = rc == NUM_MISSING;
        numeric &= rc != NUM_BAD;
    }
    for (size_t i = 0; i < d->k; i++)
        key[i].numeric = numeric;
    qsort(key, d->k, sizeof *key, cmp_order);
    for (size_t i = 0; i < d->k; i++)
        order[i] = key[i].i;
    app_free(key);
    return 0;
}

static int status_error(msyn_status rc, const app_result *r, const char *what, app_err *e)
{
    if (rc == MSYN_ENOMEM)
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
    else
        app_err_set(e, APP_EXIT_MODEL, "%s: %s: %s", r->file, what, msyn_strerror(rc));
    return -1;
}

int app_sens_fit(app_result *r, app_err *e)
{
    app_sens *s = &r->sens;
    size_t k = r->data->k;
    msyn_status rc;
    if (!r->want_l1o && !r->want_inf && !r->want_cum && !r->want_gosh)
        return 0;
    if (r->po.method == MSYN_METHOD_MH || r->po.method == MSYN_METHOD_PETO ||
        (r->po.q_from_mh && r->po.method == MSYN_METHOD_DL && r->data->input == MSYN_INPUT_TABLE)) {
        app_err_set(e, APP_EXIT_USAGE, "--leave1out, --cumulative and --influence refit inverse-variance models; with %s use --method EE or a random-effects method%s",
                    r->po.method == MSYN_METHOD_DL ? "RevMan's DerSimonian-Laird from the MH Q" : msyn_method_label(r->po.method),
                    r->po.method == MSYN_METHOD_DL ? " with --tau2-from iv" : "");
        return -1;
    }
    if (r->want_l1o) {
        msyn_fit_cols c;
        if (!(s->l1o = app_alloc(SENS_NCOL * k * sizeof *s->l1o + 1)))
            return status_error(MSYN_ENOMEM, r, "", e);
        fit_cols(s->l1o, k, &c);
        if ((rc = msyn_influence_leave1out(r->yi, r->vi, k, &r->po, &c)) != MSYN_OK)
            return status_error(rc, r, "leave-one-out", e);
    }
    if (r->want_cum) {
        msyn_fit_cols c;
        int col = app_table_col(r->table, r->want_cum);
        if (col < 0 && (col = app_table_col_nocase(r->table, r->want_cum)) < 0) {
            app_err_set(e, APP_EXIT_USAGE, "--cumulative %s: %s has no such column", r->want_cum, r->file);
            return -1;
        }
        s->cum_col = r->want_cum;
        if (!(s->cum = app_alloc(SENS_NCOL * k * sizeof *s->cum + 1)) ||
            !(s->order = app_alloc((k + 1) * sizeof *s->order)) || cumul_order(r, col, s->order) != 0)
            return status_error(MSYN_ENOMEM, r, "", e);
        fit_cols(s->cum, k, &c);
        if ((rc = msyn_influence_cumul(r->yi, r->vi, k, s->order, &r->po, &c)) != MSYN_OK)
            return status_error(rc, r, "cumulative meta-analysis", e);
    }
    if (r->want_gosh) {
        msyn_gosh_cols c;
        size_t kk = 0, rows;
        for (size_t i = 0; i < k; i++)
            kk += !isnan(r->yi[i]) && !isnan(r->vi[i]);
        if ((rc = msyn_influence_gosh_rows(kk, r->want_gosh, &rows, &s->gosh_exhaustive)) != MSYN_OK)
            return status_error(rc, r, "GOSH", e);
        if (!(s->gosh = app_alloc(6 * rows * sizeof *s->gosh + 1)) ||
            !(s->gosh_incl = app_alloc(rows * k + 1)))
            return status_error(MSYN_ENOMEM, r, "", e);
        c.k = s->gosh, c.estimate = s->gosh + rows, c.Q = s->gosh + 2 * rows, c.I2 = s->gosh + 3 * rows;
        c.H2 = s->gosh + 4 * rows, c.tau2 = s->gosh + 5 * rows, c.incl = s->gosh_incl;
        if ((rc = msyn_influence_gosh(r->yi, r->vi, k, &r->po, r->want_gosh, r->seed, &c, &s->gosh_rows)) != MSYN_OK)
            return status_error(rc, r, "GOSH", e);
    }
    if (r->want_inf) {
        msyn_influence_cols c;
        double *b;
        if (!(s->inf = app_alloc(INF_NCOL * k * sizeof *s->inf + 1)) || !(s->flag = app_calloc(k + 1, 1)))
            return status_error(MSYN_ENOMEM, r, "", e);
        b = s->inf;
        memset(&c, 0, sizeof c);
        c.rstudent = b + INF_RSTUDENT * k;
        c.dffits = b + INF_DFFITS * k;
        c.cook_d = b + INF_COOK * k;
        c.cov_r = b + INF_COVR * k;
        c.tau2_del = b + INF_TAU2DEL * k;
        c.QE_del = b + INF_QEDEL * k;
        c.hat = b + INF_HAT * k;
        c.weight = b + INF_WEIGHT * k;
        c.dfbetas = b + INF_DFBETAS * k;
        c.inf = s->flag;
        if ((rc = msyn_influence_diag(r->yi, r->vi, k, &r->po, &c, NULL)) != MSYN_OK)
            return status_error(rc, r, "influence diagnostics", e);
        if ((rc = msyn_influence_baujat(r->yi, r->vi, k, &r->po, b + INF_BAUJAT_X * k,
                                        b + INF_BAUJAT_Y * k)) != MSYN_OK)
            return status_error(rc, r, "Baujat coordinates", e);
        for (size_t i = 0; i < k; i++)
            if (s->flag[i])
                app_strlist_addf(&r->warnings, "%s (line %ld) is influential by metafor's rule (|DFFITS|, Cook's distance, hat or DFBETAS beyond its threshold): see the influence table",
                                 r->data->study[i], r->data->line[i]);
    }
    return 0;
}

/* ---- text --------------------------------------------------------------------- */

static size_t label_width(const app_result *r)
{
    size_t w = 5;
    for (size_t i = 0; i < r->data->k; i++)
        if (app_utf8_width(r->data->study[i]) > w)
            w = app_utf8_width(r->data->study[i]);
    return w > 30 ? 30 : w;
}

static void fit_table(const app_result *r, sbuf *o, const double *b, const size_t *order, const char *head)
{
    size_t k = r->data->k, w = label_width(r);
    int d = r->digits;
    const char *name = msyn_measure_back_name(r->measure);
    char a[48], c1[48], c2[48], p[48], t[48], i2[48], q[48], lab[160];
    sb_printf(o, "\n%s\n", head);
    sb_puts(o, "  ");
    sb_pad(o, order ? "Study (added)" : "Study (left out)", w, 0);
    sb_printf(o, "  %s [%g%% CI]%*s  %8s  %*s  %6s  %8s\n", name ? name : "estimate", 100.0 * r->po.level, 12, "",
              "p", d + 3, "tau²", "I²", "Q");
    for (size_t j = 0; j < k; j++) {
        size_t i = order ? order[j] : j;
        double est = b[SENS_EST * k + j];
        sb_puts(o, "  ");
        snprintf(lab, sizeof lab, "%s", r->data->study[i]);
        sb_pad(o, lab, w, 0);
        if (isnan(est)) {
            sb_puts(o, "  -\n");
            continue;
        }
        sb_printf(o, "  %s [%s; %s]  %8s  %*s  %5s%%  %8s\n", app_fx(app_back(r, est), d, a, sizeof a),
                  app_fx(app_back(r, b[SENS_CILB * k + j]), d, c1, sizeof c1),
                  app_fx(app_back(r, b[SENS_CIUB * k + j]), d, c2, sizeof c2),
                  app_fx(b[SENS_PVAL * k + j], 4, p, sizeof p), d + 3, app_fx(b[SENS_TAU2 * k + j], d, t, sizeof t),
                  app_fx(b[SENS_I2 * k + j], 1, i2, sizeof i2), app_fx(b[SENS_Q * k + j], 2, q, sizeof q));
    }
}

void app_sens_text(const app_result *r, sbuf *o)
{
    const app_sens *s = &r->sens;
    size_t k = r->data->k;
    char head[160];
    if (s->l1o)
        fit_table(r, o, s->l1o, NULL, "Leave-one-out (each row: the analysis without that study)");
    if (s->cum) {
        snprintf(head, sizeof head, "Cumulative meta-analysis, in the order of %s", s->cum_col);
        fit_table(r, o, s->cum, s->order, head);
    }
    if (s->gosh) {
        double lo = INFINITY, hi = -INFINITY;
        char a[48], b2[48];
        for (size_t j = 0; j < s->gosh_rows; j++)
            if (!isnan(s->gosh[s->gosh_rows + j])) {
                lo = fmin(lo, s->gosh[s->gosh_rows + j]);
                hi = fmax(hi, s->gosh[s->gosh_rows + j]);
            }
        sb_printf(o, "\nGOSH: %zu %s subsets fitted (the fits are in the JSON report, for a plot); estimates from %s to %s\n",
                  s->gosh_rows, s->gosh_exhaustive ? "(all)" : "random", app_fx(app_back(r, lo), r->digits, a, sizeof a),
                  app_fx(app_back(r, hi), r->digits, b2, sizeof b2));
    }
    if (s->inf) {
        const double *b = s->inf;
        char v[INF_NCOL][48], lab[160];
        size_t w = label_width(r);
        sb_puts(o, "\nInfluence (metafor's influence(); * = influential)\n  ");
        sb_pad(o, "Study", w, 0);
        sb_puts(o, "  rstudent    dffits    cook.d     cov.r  tau2.del    QE.del     hat  weight  inf\n");
        for (size_t i = 0; i < k; i++) {
            sb_puts(o, "  ");
            snprintf(lab, sizeof lab, "%s", r->data->study[i]);
            sb_pad(o, lab, w, 0);
            if (isnan(b[INF_HAT * k + i])) {
                sb_puts(o, "  -\n");
                continue;
            }
            for (int c = 0; c < INF_NCOL; c++)
                app_fx(b[(size_t)c * k + i], c == INF_WEIGHT ? 1 : 4, v[c], sizeof v[c]);
            sb_printf(o, "  %8s  %8s  %8s  %8s  %8s  %8s  %6s  %5s%%  %s\n", v[INF_RSTUDENT], v[INF_DFFITS],
                      v[INF_COOK], v[INF_COVR], v[INF_TAU2DEL], v[INF_QEDEL], v[INF_HAT], v[INF_WEIGHT],
                      s->flag[i] ? "*" : "");
        }
    }
}
