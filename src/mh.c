/*
 * mh.c - pooling 2x2 tables: Mantel-Haenszel, Peto, and the RevMan 5
 * random-effects variant.
 *
 * metafor's rma.mh()/rma.peto() conventions: the pooled estimate uses the
 * raw counts (optionally with an increment in zero-cell tables, as RevMan 5
 * does), while Q, I^2 and the displayed study estimates use study-level
 * effect sizes with the usual zero-cell correction and double-zero tables
 * dropped.  Variances: Robins-Breslow-Greenland (OR), Greenland-Robins
 * (RR), Sato-Greenland-Robins or Greenland-Robins (RD).  docs/METHODS.md
 * sections 2.2, 2.3 and 8.
 */
#include <string.h>

#include "internal.h"

/* The tables that enter the MH or Peto computation, already corrected. */
typedef struct tables {
    double *a, *b, *c, *d; /* cells used for weights and variances      */
    double *rd;            /* per-table RD used in the RD estimate       */
    size_t *idx;           /* position of each table in the input        */
    size_t n;
} tables;

static int any_zero4(double a, double b, double c, double d)
{
    return a == 0 || b == 0 || c == 0 || d == 0;
}

/* Tables for MH: missing tables left out; with an increment (RevMan 5)
 * tables without events, or without non-events, in both groups are not
 * estimable for OR and RR (metafor's drop00 definition; the meta package
 * keeps all-events tables for RR), and zero-cell tables get the increment
 * in every cell. */
static void mh_tables(msyn_measure m, const double *ai, const double *bi,
                      const double *ci, const double *di, size_t k,
                      double add, int rd_add_yi, tables *t)
{
    t->n = 0;
    for (size_t i = 0; i < k; i++) {
        double a = ai[i], b = bi[i], c = ci[i], d = di[i];
        if (isnan(a) || isnan(b) || isnan(c) || isnan(d))
            continue;
        if (add > 0 && m != MSYN_MEASURE_RD && ((a == 0 && c == 0) || (b == 0 && d == 0)))
            continue;
        t->rd[t->n] = a / (a + b) - c / (c + d);
        if (add > 0 && any_zero4(a, b, c, d)) {
            a += add;
            b += add;
            c += add;
            d += add;
            if (rd_add_yi)
                t->rd[t->n] = a / (a + b) - c / (c + d);
        }
        t->a[t->n] = a;
        t->b[t->n] = b;
        t->c[t->n] = c;
        t->d[t->n] = d;
        t->idx[t->n++] = i;
    }
}

/* Mantel-Haenszel estimate (log scale for OR, RR), its SE and the MH
 * weights of the tables.  MSYN_ENOTESTIMABLE when undefined. */
static msyn_status mh_estimate(msyn_measure m, const tables *t, msyn_rd_var rdv,
                               double *est, double *se, double *w)
{
    ksum R = {0, 0}, S = {0, 0}, s1 = {0, 0}, s2 = {0, 0}, s3 = {0, 0};
    for (size_t j = 0; j < t->n; j++) {
        double a = t->a[j], b = t->b[j], c = t->c[j], d = t->d[j];
        double n1 = a + b, n2 = c + d, N = n1 + n2;
        if (m == MSYN_MEASURE_OR) {
            /* Robins, Breslow & Greenland 1986 */
            double P = (a + d) / N, Q = (b + c) / N, Ri = a * d / N, Si = b * c / N;
            ksum_add(&R, Ri);
            ksum_add(&S, Si);
            ksum_add(&s1, P * Ri);
            ksum_add(&s2, P * Si + Q * Ri);
            ksum_add(&s3, Q * Si);
            w[j] = (b / N) * c;
        } else if (m == MSYN_MEASURE_RR) {
            /* Greenland & Robins 1985 */
            ksum_add(&R, a * (n2 / N));
            ksum_add(&S, c * (n1 / N));
            ksum_add(&s1, n1 * n2 * (a + c) / (N * N) - a * c / N);
            ksum_add(&s2, a);
            ksum_add(&s3, c);
            w[j] = (c / N) * n1;
        } else {
            double wj = n1 * (n2 / N);
            ksum_add(&R, wj * t->rd[j]);
            ksum_add(&S, wj);
            if (rdv == MSYN_RD_VAR_SATO) /* Sato, Greenland & Robins 1989 */
                ksum_add(&s1, c * (n1 / N) * (n1 / N) - a * (n2 / N) * (n2 / N) +
                                  (n1 / N) * (n2 / N) * (n2 - n1) / 2.0);
            else /* Greenland & Robins 1985 */
                ksum_add(&s1, (a * b * n2 * n2 * n2 + c * d * n1 * n1 * n1) / (n1 * n2 * N * N));
            ksum_add(&s2, (a * (n2 - c) / N + c * (n1 - a) / N) / 2.0);
            w[j] = wj;
        }
    }
    if (m == MSYN_MEASURE_OR) {
        double r = ksum_get(&R), s = ksum_get(&S);
        if (!(r > 0 && s > 0))
            return MSYN_ENOTESTIMABLE;
        *est = log(r / s);
        *se = sqrt(0.5 * (ksum_get(&s1) / (r * r) + ksum_get(&s2) / (r * s) +
                          ksum_get(&s3) / (s * s)));
    } else if (m == MSYN_MEASURE_RR) {
        double r = ksum_get(&R), s = ksum_get(&S);
        if (!(ksum_get(&s2) > 0 && ksum_get(&s3) > 0))
            return MSYN_ENOTESTIMABLE;
        *est = log(r / s);
        *se = sqrt(ksum_get(&s1) / (r * s));
    } else {
        double L = ksum_get(&S);
        if (!(L > 0))
            return MSYN_ENOTESTIMABLE;
        *est = ksum_get(&R) / L;
        if (rdv == MSYN_RD_VAR_SATO)
            *se = sqrt((*est * ksum_get(&s1) + ksum_get(&s2)) / (L * L));
        else
            *se = sqrt(ksum_get(&s1) / (L * L));
        /* every table all events in one arm and none in the other: the
         * variance is 0 (or rounds below it; metafor then reports NaN) */
        if (!(*se > 0))
            return MSYN_ENOTESTIMABLE;
    }
    return MSYN_OK;
}

/* Q about a common estimate from the study-level estimates (non-NaN),
 * with Higgins-Thompson I^2 and H^2 (metafor rma.mh; RevMan's Q). */
static void q_about(const double *yi, const double *vi, size_t k, double est,
                    msyn_fit *fit)
{
    ksum q = {0, 0};
    size_t ky = 0;
    for (size_t i = 0; i < k; i++) {
        if (isnan(yi[i]) || isnan(vi[i]))
            continue;
        ksum_add(&q, (yi[i] - est) * (yi[i] - est) / vi[i]);
        ky++;
    }
    if (ky <= 1) {
        fit->Q = 0.0;
        fit->Q_df = ky == 1 ? 0.0 : MSYN_NAN;
        fit->Q_pval = 1.0;
        fit->I2 = 0.0;
        fit->H2 = 1.0;
        fit->flags |= MSYN_FIT_NO_HET;
        return;
    }
    fit->Q = ksum_get(&q) > 0 ? ksum_get(&q) : 0.0;
    fit->Q_df = (double)(ky - 1);
    fit->Q_pval = msyn_pval_chisq(fit->Q, fit->Q_df);
    fit->I2 = fit->Q > fit->Q_df ? 100.0 * (fit->Q - fit->Q_df) / fit->Q : 0.0;
    fit->H2 = fit->Q / fit->Q_df;
}

static void weights_out(const tables *t, const double *w, size_t k,
                        double *w_pct)
{
    ksum s = {0, 0};
    if (!w_pct)
        return;
    for (size_t i = 0; i < k; i++)
        w_pct[i] = MSYN_NAN;
    for (size_t j = 0; j < t->n; j++)
        ksum_add(&s, w[j]);
    for (size_t j = 0; j < t->n; j++)
        w_pct[t->idx[j]] = 100.0 * w[j] / ksum_get(&s);
}

/* Peto's one-step log OR on the raw tables (Yusuf et al. 1985). */
static msyn_status peto(const tables *t, const double *yi, size_t k,
                        msyn_fit *fit, double *w)
{
    ksum oe = {0, 0}, V = {0, 0}, q = {0, 0};
    size_t kpos = 0, ky = 0;
    for (size_t j = 0; j < t->n; j++) {
        double a = t->a[j], b = t->b[j], c = t->c[j], d = t->d[j];
        double n1 = a + b, n2 = c + d, N = n1 + n2, xt = a + c, yt = b + d;
        double E = xt * n1 / N, Vi = xt * yt * (n1 / N) * (n2 / N) / (N - 1.0);
        if (!(N > 1.0))
            Vi = 0.0;
        ksum_add(&oe, a - E);
        ksum_add(&V, Vi);
        if (Vi > 0) {
            ksum_add(&q, (a - E) * (a - E) / Vi);
            kpos++;
        }
        w[j] = Vi;
    }
    if (!(ksum_get(&V) > 0))
        return MSYN_ENOTESTIMABLE;
    msyn__fit_ztest(fit, ksum_get(&oe) / ksum_get(&V), 1.0 / sqrt(ksum_get(&V)), fit->level, NULL);
    for (size_t i = 0; i < k; i++)
        ky += isnan(yi[i]) ? 0u : 1u;
    fit->Q = ksum_get(&q) - ksum_get(&oe) * ksum_get(&oe) / ksum_get(&V);
    if (fit->Q < 0)
        fit->Q = 0;
    fit->Q_df = ky >= 1 ? (double)(ky - 1) : MSYN_NAN;
    if (kpos > 1 && ky > 1) {
        fit->Q_pval = msyn_pval_chisq(fit->Q, fit->Q_df);
        fit->I2 = fit->Q > fit->Q_df ? 100.0 * (fit->Q - fit->Q_df) / fit->Q : 0.0;
        fit->H2 = fit->Q / fit->Q_df;
    } else {
        fit->Q_pval = 1.0;
        fit->I2 = 0.0;
        fit->H2 = 1.0;
        fit->flags |= MSYN_FIT_NO_HET;
    }
    return MSYN_OK;
}

/* RevMan 5's random effects for 2x2 data: tau^2 by DerSimonian-Laird from
 * Q about the MH estimate, then inverse-variance pooling of the study
 * estimates with weights 1/(v + tau2); I^2 from that Q. */
static msyn_status revman_re(const double *yi, const double *vi, size_t k,
                             double est_mh, const msyn_pool_opts *o,
                             msyn_fit *fit, const msyn_allocator *al)
{
    double *y, *v;
    size_t n = 0;
    ksum sw = {0, 0}, cross = {0, 0}; /* cross: sum_{i<j} w_i w_j */
    msyn_fit q;
    msyn__fit_clear(&q);
    q_about(yi, vi, k, est_mh, &q);
    if (!(y = msyn__alloc(al, 2 * k, sizeof *y)))
        return MSYN_ENOMEM;
    v = y + k;
    for (size_t i = 0; i < k; i++)
        if (!isnan(yi[i]) && !isnan(vi[i])) {
            y[n] = yi[i];
            v[n++] = vi[i];
            ksum_add(&cross, ksum_get(&sw) / vi[i]);
            ksum_add(&sw, 1.0 / vi[i]);
        }
    if (n == 0) {
        msyn__free(al, y);
        return MSYN_ETOOFEW;
    }
    fit->k = n;
    /* DerSimonian-Laird about the MH estimate; the denominator
     * sum w - sum w^2 / sum w summed as 2 sum_{i<j} w_i w_j / sum w, which
     * does not cancel when one table's weight dominates */
    fit->tau2 = n > 1 ? (q.Q - q.Q_df) / (2.0 * ksum_get(&cross) / ksum_get(&sw)) : 0.0;
    if (fit->tau2 < 0) {
        fit->tau2 = 0;
        fit->flags |= MSYN_FIT_TAU2_TRUNCATED;
    }
    {
        msyn_pool_opts oo = *o;
        oo.tau2_ci = 0;
        msyn__pool_given_tau2(y, v, n, &oo, fit);
    }
    fit->Q = q.Q;
    fit->Q_df = q.Q_df;
    fit->Q_pval = q.Q_pval;
    fit->I2 = q.I2;
    fit->H2 = q.H2;
    fit->I2_ci_lb = fit->I2_ci_ub = fit->H2_ci_lb = fit->H2_ci_ub = MSYN_NAN;
    fit->flags |= q.flags;
    msyn__free(al, y);
    return MSYN_OK;
}

static msyn_status check_tables_args(msyn_measure m, const msyn_pool_opts *o)
{
    msyn_status rc = msyn__pool_opts_check(o);
    if (rc != MSYN_OK)
        return rc;
    if (m != MSYN_MEASURE_OR && m != MSYN_MEASURE_RR && m != MSYN_MEASURE_RD &&
        m != MSYN_MEASURE_PETO)
        return MSYN_EMEASURE;
    if (o->method == MSYN_METHOD_MH && m == MSYN_MEASURE_PETO)
        return MSYN_EMEASURE;
    if (o->method == MSYN_METHOD_PETO && m != MSYN_MEASURE_OR && m != MSYN_MEASURE_PETO)
        return MSYN_EMEASURE;
    return MSYN_OK;
}

/* MH or Peto pooling of the tables (fit->level already set). */
static msyn_status pool_mh_peto(msyn_measure m, const double *ai,
                                const double *bi, const double *ci,
                                const double *di, size_t k, int rd_add_yi,
                                const msyn_pool_opts *o, const double *yi,
                                const double *vi, msyn_fit *fit, double *w_pct)
{
    tables t;
    double *mem, est = 0, se = 0;
    msyn_status rc;
    int is_peto = o->method == MSYN_METHOD_PETO;
    if (!(mem = msyn__alloc(o->alloc, 6 * (k ? k : 1), sizeof *mem)))
        return MSYN_ENOMEM;
    t.a = mem;
    t.b = mem + k;
    t.c = mem + 2 * k;
    t.d = mem + 3 * k;
    t.rd = mem + 4 * k;
    t.idx = msyn__alloc(o->alloc, k ? k : 1, sizeof *t.idx);
    if (!t.idx) {
        msyn__free(o->alloc, mem);
        return MSYN_ENOMEM;
    }
    mh_tables(m, ai, bi, ci, di, k, is_peto ? 0.0 : o->mh_add, rd_add_yi, &t);
    fit->k = t.n;
    if (t.n == 0) {
        rc = MSYN_ETOOFEW;
    } else if (is_peto) {
        rc = peto(&t, yi, k, fit, mem + 5 * k);
    } else {
        rc = mh_estimate(m, &t, o->rd_var, &est, &se, mem + 5 * k);
        if (rc == MSYN_OK) {
            msyn__fit_ztest(fit, est, se, o->level, o->cache);
            q_about(yi, vi, k, est, fit);
        }
    }
    if (rc == MSYN_OK) {
        weights_out(&t, mem + 5 * k, k, w_pct);
        fit->converged = 1; /* closed form */
    }
    msyn__free(o->alloc, t.idx);
    msyn__free(o->alloc, mem);
    return rc;
}

MSYN_API msyn_status msyn_pool_tables(msyn_measure measure,
                                      const double *ai, const double *bi,
                                      const double *ci, const double *di,
                                      size_t k, const msyn_es_opts *es,
                                      const msyn_pool_opts *o, msyn_fit *fit,
                                      double *yi, double *vi, double *w_pct)
{
    msyn_pool_opts pdef;
    msyn_es_opts edef;
    msyn_es_data d;
    msyn_status rc;
    double *buf;
    msyn_measure study_m;
    if (!fit)
        return MSYN_EINVAL;
    msyn__fit_clear(fit);
    if (k > 0 && (!ai || !bi || !ci || !di))
        return MSYN_EINVAL;
    if (!o) {
        msyn_pool_opts_default(&pdef);
        o = &pdef;
    }
    if (!es) {
        msyn_es_opts_default(&edef);
        es = &edef;
    }
    if ((rc = check_tables_args(measure, o)) != MSYN_OK)
        return rc;
    fit->method = fit->method_used = o->method;
    fit->test = o->test;
    fit->level = o->level;
    memset(&d, 0, sizeof d);
    d.ai = ai;
    d.bi = bi;
    d.ci = ci;
    d.di = di;
    /* Study-level estimates; Peto pooling shows Peto's study ORs. */
    study_m = o->method == MSYN_METHOD_PETO ? MSYN_MEASURE_PETO : measure;
    if (!(buf = msyn__alloc(o->alloc, 2 * (k ? k : 1), sizeof *buf)))
        return MSYN_ENOMEM;
    for (size_t i = 0; i < 2 * k; i++)
        buf[i] = MSYN_NAN;
    rc = msyn_es(study_m, &d, k, es, buf, buf + k, NULL);
    if (rc == MSYN_OK) {
        if (o->method == MSYN_METHOD_MH || o->method == MSYN_METHOD_PETO) {
            if (o->test != MSYN_TEST_Z)
                fit->flags |= MSYN_FIT_TEST_IGNORED;
            fit->test = MSYN_TEST_Z;
            rc = pool_mh_peto(measure, ai, bi, ci, di, k, es->rd_add_yi, o, buf,
                              buf + k, fit, w_pct);
        } else if (o->q_from_mh && o->method == MSYN_METHOD_DL) {
            msyn_pool_opts mo = *o;
            msyn_fit mh;
            mo.method = MSYN_METHOD_MH;
            msyn__fit_clear(&mh);
            mh.level = o->level;
            rc = pool_mh_peto(measure, ai, bi, ci, di, k, es->rd_add_yi, &mo, buf,
                              buf + k, &mh, NULL);
            if (rc == MSYN_OK)
                rc = revman_re(buf, buf + k, k, mh.estimate, o, fit, o->alloc);
            if (rc == MSYN_OK && w_pct)
                rc = msyn_pool_weights(buf + k, k, fit, w_pct);
        } else {
            rc = msyn_pool(buf, buf + k, k, o, fit);
            if (rc == MSYN_OK && w_pct)
                rc = msyn_pool_weights(buf + k, k, fit, w_pct);
        }
    }
    if (yi)
        memcpy(yi, buf, k * sizeof *yi);
    if (vi)
        memcpy(vi, buf + k, k * sizeof *vi);
    msyn__free(o->alloc, buf);
    return rc;
}
