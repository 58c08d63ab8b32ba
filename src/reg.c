/*
 * reg.c - mixed-effects meta-regression, as metafor's rma(yi, vi, mods).
 *
 * msyn_reg() takes the complete rows of the data into a workspace, checks
 * the design's rank, estimates tau^2 (reg_tau2.c), fits b by weighted least
 * squares with weights 1/(v + tau2) through a Householder QR (GSL) of
 * diag(sqrt w) X, and adds the tests of the coefficients (z, t,
 * Hartung-Knapp, ad hoc), the omnibus test QM, the residual heterogeneity
 * test QE with I^2 and H^2, the pseudo-R^2 against the intercept-only model
 * and the log-likelihoods.  msyn_reg_predict() gives predictions with CI
 * and prediction interval at new moderator values.  Everything is
 * O(k p^2); no k x k matrix is formed.  docs/methods/reg.md.
 */
#define MATHLIB_STANDALONE 1
#include <Rmath.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "internal.h"

/* ---- workspace ------------------------------------------------------ */

MSYN_API msyn_reg_work *msyn_reg_work_new(size_t k_max, size_t p_max,
                                          const msyn_allocator *a)
{
    msyn_reg_work *w;
    double *d;
    size_t nk = 12, nd;
    if (p_max == 0 || k_max == 0 || k_max > ((size_t)-1 / 16) / p_max ||
        p_max > ((size_t)-1 / 16) / p_max)
        return NULL;
    nd = nk * k_max + 3 * k_max * p_max + 2 * p_max + 4 * p_max * p_max;
    if (!(w = msyn__alloc(a, 1, sizeof *w)))
        return NULL;
    memset(w, 0, sizeof *w);
    w->alloc = a;
    w->k_max = k_max;
    w->p_max = p_max;
    d = msyn__alloc(a, nd, sizeof *d);
    w->btt = msyn__alloc(a, p_max, sizeof *w->btt);
    if (!d || !w->btt) {
        msyn__free(a, d);
        msyn__free(a, w->btt);
        msyn__free(a, w);
        return NULL;
    }
    w->y = d, d += k_max;
    w->yc = d, d += k_max;
    w->v = d, d += k_max;
    w->w = d, d += k_max;
    w->s = d, d += k_max;
    w->h = d, d += k_max;
    w->mh = d, d += k_max;
    w->z = d, d += k_max;
    w->r = d, d += k_max;
    w->g = d, d += k_max;
    w->t1 = d, d += k_max;
    w->t2 = d, d += k_max;
    w->X = d, d += k_max * p_max;
    w->A = d, d += k_max * p_max;
    w->Q = d, d += k_max * p_max;
    w->tau = d, d += p_max;
    w->bv = d, d += p_max;
    w->Sa = d, d += p_max * p_max;
    w->Sb = d, d += p_max * p_max;
    w->vb = d, d += p_max * p_max;
    w->tmp = d;
    return w;
}

MSYN_API void msyn_reg_work_free(msyn_reg_work *w)
{
    if (!w)
        return;
    msyn__free(w->alloc, w->y);
    msyn__free(w->alloc, w->btt);
    msyn__free(w->alloc, w);
}

MSYN_API void msyn_reg_opts_default(msyn_reg_opts *ro)
{
    if (!ro)
        return;
    ro->btt = NULL;
    ro->m = 0;
    ro->r2 = 1;
}

/* ---- linear algebra on the workspace --------------------------------- */

int msyn__reg_qr(msyn_reg_work *w, const double *wt, int want_q)
{
    size_t k = w->k, p = w->p;
    gsl_matrix_view A = gsl_matrix_view_array(w->A, k, p);
    gsl_vector_view tau = gsl_vector_view_array(w->tau, p);
    for (size_t i = 0; i < k; i++) {
        double s = wt ? sqrt(wt[i]) : 1.0;
        w->s[i] = s;
        for (size_t j = 0; j < p; j++)
            w->A[i * p + j] = s * w->X[i * p + j];
    }
    gsl_linalg_QR_decomp(&A.matrix, &tau.vector);
    for (size_t j = 0; j < p; j++) {
        double d = w->A[j * p + j];
        if (!(d != 0.0 && isfinite(d)))
            return -1;
    }
    if (!want_q)
        return 0;
    for (size_t i = 0; i < k; i++)
        w->h[i] = 0.0;
    for (size_t j = 0; j < p; j++) {
        gsl_vector_view e = gsl_vector_view_array(w->t1, k);
        memset(w->t1, 0, k * sizeof *w->t1);
        w->t1[j] = 1.0;
        gsl_linalg_QR_Qvec(&A.matrix, &tau.vector, &e.vector);
        for (size_t i = 0; i < k; i++) {
            w->Q[i * p + j] = w->t1[i];
            w->h[i] += w->t1[i] * w->t1[i];
        }
    }
    /* 1 - h_i is the squared norm of row i of the complement of the thin
     * Q, i.e. of components p .. k-1 of Q'e_i.  1 - h_i as a difference
     * cancels for a study whose weight dominates (h_i -> 1: tr(P) and the
     * typical variance, hence I^2, came out negative in tests/stress, vi
     * from 1e-12 to 1e6); it is recomputed as that sum of squares for the
     * rows with h_i > 1/2, of which there are fewer than 2p (sum h = p). */
    for (size_t i = 0; i < k; i++) {
        w->mh[i] = 1.0 - w->h[i];
        if (w->h[i] > 0.5) {
            gsl_vector_view e = gsl_vector_view_array(w->t1, k);
            double ss = 0.0;
            memset(w->t1, 0, k * sizeof *w->t1);
            w->t1[i] = 1.0;
            gsl_linalg_QR_QTvec(&A.matrix, &tau.vector, &e.vector);
            for (size_t j = p; j < k; j++)
                ss += w->t1[j] * w->t1[j];
            w->mh[i] = ss;
        }
    }
    return 0;
}

double msyn__reg_wls(msyn_reg_work *w, const double *z, double *res)
{
    size_t k = w->k, p = w->p;
    gsl_matrix_const_view A = gsl_matrix_const_view_array(w->A, k, p);
    gsl_vector_const_view tau = gsl_vector_const_view_array(w->tau, p);
    gsl_vector_const_view zv = gsl_vector_const_view_array(z, k);
    gsl_vector_view x = gsl_vector_view_array(w->bv, p);
    gsl_vector_view rv = gsl_vector_view_array(res, k);
    double ss = 0;
    gsl_linalg_QR_lssolve(&A.matrix, &tau.vector, &zv.vector, &x.vector, &rv.vector);
    for (size_t i = 0; i < k; i++)
        ss += res[i] * res[i];
    return ss;
}

/* S = Q' diag(a) Q (p x p, symmetric). */
static void qdq(const msyn_reg_work *w, const double *a, double *S)
{
    size_t k = w->k, p = w->p;
    memset(S, 0, p * p * sizeof *S);
    for (size_t i = 0; i < k; i++) {
        const double *q = w->Q + i * p;
        for (size_t j = 0; j < p; j++) {
            double aq = a[i] * q[j];
            for (size_t l = 0; l <= j; l++)
                S[j * p + l] += aq * q[l];
        }
    }
    for (size_t j = 0; j < p; j++)
        for (size_t l = 0; l < j; l++)
            S[l * p + j] = S[j * p + l];
}

double msyn__reg_pairsum(msyn_reg_work *w, const double *a, const double *b)
{
    /* sum_ij a_i b_j (d_ij - H_ij)^2, H = Q Q', for a, b >= 0, as a sum of
     * non-negative terms: sum_i a_i b_i (1 - h_i)^2 + sum_i a_i c_i with
     * c_i = sum_{j != i} b_j H_ij^2.  The shorter form sum a b (1 - 2h) +
     * tr(S_a S_b) cancels when a row's leverage is near 1 (1 - 2h near -1
     * against H_ii^2 near 1).  c_i = q_i' S_b q_i - b_i h_i^2 can cancel
     * only where b_i h_i^2 dominates; for h_i <= 1/2 its error is then at
     * most a few eps times a_i b_i (1 - h_i)^2, a term of the sum.  At most
     * 2p - 1 rows have h_i > 1/2 (the h sum to p): their c_i is summed
     * directly, O(kp) each. */
    size_t k = w->k, p = w->p;
    double s = 0;
    qdq(w, b, w->Sb);
    for (size_t i = 0; i < k; i++) {
        const double *qi = w->Q + i * p;
        double m = w->mh[i], c = 0;
        if (a[i] == 0.0)
            continue;
        if (w->h[i] > 0.5) {
            for (size_t j = 0; j < k; j++) {
                const double *qj = w->Q + j * p;
                double d = 0;
                if (j == i)
                    continue;
                for (size_t l = 0; l < p; l++)
                    d += qi[l] * qj[l];
                c += b[j] * d * d;
            }
        } else {
            for (size_t j = 0; j < p; j++) {
                double r = 0;
                for (size_t l = 0; l < p; l++)
                    r += w->Sb[j * p + l] * qi[l];
                c += qi[j] * r;
            }
            c -= b[i] * w->h[i] * w->h[i];
            if (c < 0)
                c = 0;
        }
        s += a[i] * (b[i] * m * m + c);
    }
    return s;
}

/* (R'R)^-1 from the R of the current decomposition, into vb (p x p):
 * R^-1 by back substitution (in tmp), then R^-1 R^-T. */
static void rtr_inverse(msyn_reg_work *w, double *vb)
{
    size_t p = w->p;
    const double *R = w->A;
    double *Ri = w->tmp;
    memset(Ri, 0, p * p * sizeof *Ri);
    for (size_t c = 0; c < p; c++) {
        for (size_t ii = c + 1; ii-- > 0;) {
            double s = ii == c ? 1.0 : 0.0;
            for (size_t l = ii + 1; l <= c; l++)
                s -= R[ii * p + l] * Ri[l * p + c];
            Ri[ii * p + c] = s / R[ii * p + ii];
        }
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j <= i; j++) {
            double s = 0;
            for (size_t l = i; l < p; l++) /* Ri upper: Ri[i][l] = 0 for l < i */
                s += Ri[i * p + l] * Ri[j * p + l];
            vb[i * p + j] = vb[j * p + i] = s;
        }
}

/* b' V^-1 b for the m tested coefficients, by Cholesky of V[btt, btt];
 * NaN when that block is not positive definite. */
static double wald(const msyn_reg_work *w, const double *b, const double *vb,
                   size_t m)
{
    size_t p = w->p;
    double *L = w->Sa, *y = w->Sb, q = 0;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j <= i; j++) {
            double s = vb[w->btt[i] * p + w->btt[j]];
            for (size_t l = 0; l < j; l++)
                s -= L[i * m + l] * L[j * m + l];
            if (i == j) {
                if (!(s > 0.0) || !isfinite(s))
                    return MSYN_NAN;
                L[i * m + i] = sqrt(s);
            } else {
                L[i * m + j] = s / L[j * m + j];
            }
        }
    for (size_t i = 0; i < m; i++) {
        double s = b[w->btt[i]];
        for (size_t l = 0; l < i; l++)
            s -= L[i * m + l] * y[l];
        y[i] = s / L[i * m + i];
        q += y[i] * y[i];
    }
    return q;
}

/* ---- the fit ---------------------------------------------------------- */

static int is_re(msyn_method m) { return m != MSYN_METHOD_EE; }

/* Copy the complete rows into the workspace; errors for infinite values
 * and vi <= 0. */
static msyn_status take_rows(const double *yi, const double *vi, const double *X,
                             size_t k, size_t p, msyn_reg_work *w, unsigned *flags)
{
    size_t n = 0;
    double mean = 0;
    for (size_t i = 0; i < k; i++) {
        int miss = isnan(yi[i]) || isnan(vi[i]);
        for (size_t j = 0; j < p; j++) {
            double x = X[i * p + j];
            if (isnan(x))
                miss = 1;
            else if (!isfinite(x))
                return MSYN_EDATA;
        }
        if (miss) {
            *flags |= MSYN_REG_MISSING;
            continue;
        }
        if (!isfinite(yi[i]) || !isfinite(vi[i]) || !(vi[i] > 0.0))
            return MSYN_EDATA;
        w->y[n] = yi[i];
        w->v[n] = vi[i];
        memcpy(w->X + n * p, X + i * p, p * sizeof *X);
        n++;
    }
    w->k = n;
    w->p = p;
    for (size_t i = 0; i < n; i++)
        mean += w->y[i];
    mean /= n ? (double)n : 1.0;
    for (size_t i = 0; i < n; i++)
        w->yc[i] = w->y[i] - mean;
    return MSYN_OK;
}

/* Full column rank, as lm()'s QR decides it (a column whose part
 * orthogonal to the earlier columns is below 1e-7 of its norm is
 * redundant); on success *logdet = log det X'X. */
static int rank_ok(msyn_reg_work *w, size_t *bad, double *logdet)
{
    size_t k = w->k, p = w->p;
    double ld = 0;
    if (msyn__reg_qr(w, NULL, 0) < 0) {
        /* an exactly zero diagonal: find it below */
    }
    for (size_t j = 0; j < p; j++) {
        double nrm = 0, d = w->A[j * p + j];
        for (size_t i = 0; i < k; i++)
            nrm += w->X[i * p + j] * w->X[i * p + j];
        nrm = sqrt(nrm);
        if (!(fabs(d) > 1e-7 * nrm)) {
            *bad = j;
            return 0;
        }
        ld += 2.0 * log(fabs(d));
    }
    *logdet = ld;
    return 1;
}

static msyn_status estimate_tau2(msyn_reg_work *w, const msyn_pool_opts *o,
                                 msyn_reg_fit *fit)
{
    static const msyn_method chain[] = {MSYN_METHOD_PM, MSYN_METHOD_DL};
    tau2_result r;
    msyn_status rc = msyn__reg_tau2(o->method, w, o->max_iter, o->ll0check, &r);
    fit->method_used = o->method;
    for (size_t i = 0; rc == MSYN_ENOCONV && o->fallback && i < 2; i++) {
        if (chain[i] == o->method)
            continue;
        rc = msyn__reg_tau2(chain[i], w, o->max_iter, o->ll0check, &r);
        fit->method_used = chain[i];
        fit->flags |= MSYN_FIT_FALLBACK;
    }
    fit->iterations = r.iterations;
    if (rc != MSYN_OK) {
        fit->converged = 0;
        return rc;
    }
    if (r.raw < 0.0)
        fit->flags |= MSYN_FIT_TAU2_TRUNCATED;
    if (r.ll0_reset)
        fit->flags |= MSYN_FIT_LL0_RESET;
    fit->tau2 = r.tau2;
    fit->tau2_se = is_re(o->method) ? r.se : MSYN_NAN;
    return MSYN_OK;
}

static void fit_clear(msyn_reg_fit *f)
{
    double *keep[7] = {f->b, f->se, f->stat, f->pval, f->ci_lb, f->ci_ub, f->vb};
    double nan_ = MSYN_NAN;
    memset(f, 0, sizeof *f);
    f->b = keep[0], f->se = keep[1], f->stat = keep[2], f->pval = keep[3];
    f->ci_lb = keep[4], f->ci_ub = keep[5], f->vb = keep[6];
    f->level = f->df = f->s2w = nan_;
    f->QM = f->QM_df1 = f->QM_df2 = f->QM_pval = nan_;
    f->QE = f->QE_df = f->QE_pval = nan_;
    f->tau2 = f->tau2_se = f->tau = f->I2 = f->H2 = f->vt = f->R2 = f->tau2_0 = nan_;
    f->ll_ml = f->ll_reml = nan_;
    f->tau2_ci_lb = f->tau2_ci_ub = f->tau_ci_lb = f->tau_ci_ub = nan_;
    f->I2_ci_lb = f->I2_ci_ub = f->H2_ci_lb = f->H2_ci_ub = nan_;
}

/* Coefficients, vcov and tests at fit->tau2; RSS of the fit in *rss. */
static msyn_status coefficients(msyn_reg_work *w, const msyn_pool_opts *o,
                                msyn_reg_fit *fit, double *rss, double *logdet_w)
{
    size_t k = w->k, p = w->p;
    double *vb = w->vb, crit;
    for (size_t i = 0; i < k; i++)
        w->w[i] = 1.0 / (w->v[i] + fit->tau2);
    if (msyn__reg_qr(w, w->w, 0) < 0)
        return MSYN_ENOTESTIMABLE;
    for (size_t i = 0; i < k; i++)
        w->z[i] = w->s[i] * w->y[i];
    *rss = msyn__reg_wls(w, w->z, w->r);
    *logdet_w = 0;
    for (size_t j = 0; j < p; j++)
        *logdet_w += 2.0 * log(fabs(w->A[j * p + j]));
    rtr_inverse(w, vb);
    fit->s2w = 1.0;
    if (o->test == MSYN_TEST_KNHA || o->test == MSYN_TEST_ADHOC) {
        /* Knapp & Hartung 2003: vcov times the weighted residual mean
         * square (0 below machine epsilon as metafor; adhoc: at least 1) */
        fit->s2w = *rss <= DBL_EPSILON ? 0.0 : *rss / (double)(k - p);
        if (o->test == MSYN_TEST_ADHOC && fit->s2w < 1.0)
            fit->s2w = 1.0;
        if (fit->s2w == 0.0)
            fit->flags |= MSYN_FIT_KNHA_ZERO;
        if (!is_re(o->method))
            fit->flags |= MSYN_FIT_KNHA_EE;
    }
    for (size_t j = 0; j < p * p; j++)
        vb[j] *= fit->s2w;
    fit->df = o->test == MSYN_TEST_Z ? MSYN_NAN : (double)(k - p);
    crit = msyn__crit(o->cache, o->level, fit->df);
    if (o->test != MSYN_TEST_Z && !(fit->df > 0))
        crit = MSYN_NAN;
    for (size_t j = 0; j < p; j++) {
        double b = w->bv[j], se = sqrt(vb[j * p + j]), st = b / se;
        if (fit->b) fit->b[j] = b;
        if (fit->se) fit->se[j] = se;
        if (fit->stat) fit->stat[j] = st;
        if (fit->pval) fit->pval[j] = o->test == MSYN_TEST_Z ? msyn_pval_z(st) : msyn_pval_t(st, fit->df);
        if (fit->ci_lb) fit->ci_lb[j] = b - crit * se;
        if (fit->ci_ub) fit->ci_ub[j] = b + crit * se;
    }
    if (fit->vb)
        memcpy(fit->vb, vb, p * p * sizeof *vb);
    /* omnibus test of the btt coefficients */
    fit->QM = wald(w, w->bv, vb, fit->m);
    if (isnan(fit->QM))
        fit->flags |= MSYN_REG_QM_NA;
    fit->QM_df1 = (double)fit->m;
    if (o->test == MSYN_TEST_Z) {
        fit->QM_pval = msyn_pval_chisq(fit->QM, fit->QM_df1);
    } else {
        fit->QM /= (double)fit->m;
        fit->QM_df2 = (double)(k - p);
        fit->QM_pval = fit->QM_df2 > 0 && !isnan(fit->QM)
                           ? pf(fit->QM, fit->QM_df1, fit->QM_df2, 0, 0)
                           : MSYN_NAN;
    }
    return MSYN_OK;
}

/* QE, I^2, H^2 with weights 1/v (QE on the centred y, as metafor). */
static msyn_status residual_het(msyn_reg_work *w, const msyn_pool_opts *o,
                                msyn_reg_fit *fit)
{
    size_t k = w->k, p = w->p;
    double df = (double)(k - p), trP = 0, QE;
    if (k == p) {
        fit->QE = 0.0, fit->QE_df = 0.0, fit->QE_pval = 1.0;
        fit->I2 = 0.0, fit->H2 = 1.0, fit->vt = 0.0;
        return MSYN_OK;
    }
    for (size_t i = 0; i < k; i++)
        w->w[i] = 1.0 / w->v[i];
    if (msyn__reg_qr(w, w->w, 1) < 0)
        return MSYN_ENOTESTIMABLE;
    for (size_t i = 0; i < k; i++) {
        w->z[i] = w->s[i] * w->yc[i];
        trP += w->w[i] * w->mh[i];
    }
    QE = msyn__reg_wls(w, w->z, w->r);
    fit->QE = QE;
    fit->QE_df = df;
    fit->QE_pval = msyn_pval_chisq(QE, df);
    fit->vt = df / trP;
    if (!is_re(o->method) || o->i2def == MSYN_I2_Q) {
        fit->I2 = QE > df ? 100.0 * (QE - df) / QE : 0.0;
        fit->H2 = QE / df;
        if (is_re(o->method) && fit->H2 < 1.0)
            fit->H2 = 1.0;
    } else {
        fit->I2 = 100.0 * fit->tau2 / (fit->vt + fit->tau2);
        fit->H2 = fit->tau2 / fit->vt + 1.0;
    }
    return MSYN_OK;
}

/* Pseudo-R^2 (metafor's r2def "1"), or for a common-effect model the
 * adjusted R^2 of the weighted least-squares fit; rss: that fit's. */
static void pseudo_r2(msyn_reg_work *w, const msyn_pool_opts *o, double rss,
                      msyn_reg_fit *fit)
{
    size_t k = w->k, p = w->p;
    int equal = 1;
    for (size_t i = 1; i < k; i++)
        if (w->y[i] != w->y[0])
            equal = 0;
    if (!is_re(o->method)) {
        double tss = msyn__qgen(w->y, w->v, k, 0.0), r2;
        if (equal) {
            fit->R2 = 0.0;
            return;
        }
        r2 = 1.0 - (rss / (double)(k - p)) / (tss / (double)(k - 1));
        fit->R2 = r2 > 0 ? 100.0 * r2 : (isnan(r2) ? r2 : 0.0);
    } else {
        tau2_result r;
        if (msyn__tau2(fit->method_used, w->y, w->v, k, o->max_iter, o->ll0check, &r) != MSYN_OK)
            return;
        fit->tau2_0 = r.tau2;
        if (r.tau2 == 0.0) {
            fit->R2 = 0.0;
        } else {
            double r2 = (r.tau2 - fit->tau2) / r.tau2;
            fit->R2 = r2 > 0 ? 100.0 * r2 : 0.0;
        }
    }
}

/* Q-profile CI of the residual tau^2, tau, I^2 and H^2 (metafor's
 * confint(); I^2 and H^2 from the bounds with vt, as the point values).
 * A decomposition that fails on the way leaves the CI NaN: the fit itself
 * stands. */
static void tau2_ci(msyn_reg_work *w, const msyn_pool_opts *o, msyn_reg_fit *fit)
{
    double lb, ub;
    int rc = msyn__reg_qprofile(w, o->level, o->cache, fit->tau2, &lb, &ub);
    if (rc < 0)
        return;
    if (rc > 0)
        fit->flags |= MSYN_REG_TAU2_CI_NULL;
    fit->tau2_ci_lb = lb;
    fit->tau2_ci_ub = ub;
    fit->tau_ci_lb = sqrt(lb);
    fit->tau_ci_ub = sqrt(ub);
    if (o->i2def != MSYN_I2_Q) {
        fit->I2_ci_lb = 100.0 * lb / (fit->vt + lb);
        fit->I2_ci_ub = 100.0 * ub / (fit->vt + ub);
        fit->H2_ci_lb = lb / fit->vt + 1.0;
        fit->H2_ci_ub = ub / fit->vt + 1.0;
    }
}

static msyn_status check_args(const double *yi, const double *vi, const double *X,
                              size_t k, size_t p, const msyn_reg_opts *ro,
                              const msyn_pool_opts *o, const msyn_reg_work *w)
{
    if ((k > 0 && (!yi || !vi || !X)) || p == 0)
        return MSYN_EINVAL;
    if (msyn__pool_opts_check(o) != MSYN_OK || o->method == MSYN_METHOD_MH ||
        o->method == MSYN_METHOD_PETO)
        return MSYN_EINVAL;
    if (ro->btt) {
        if (ro->m == 0 || ro->m > p)
            return MSYN_EINVAL;
        for (size_t i = 0; i < ro->m; i++) {
            if (ro->btt[i] >= p)
                return MSYN_EINVAL;
            for (size_t j = 0; j < i; j++)
                if (ro->btt[j] == ro->btt[i])
                    return MSYN_EINVAL;
        }
    }
    if (w && (w->k_max < k || w->p_max < p))
        return MSYN_EINVAL;
    return MSYN_OK;
}

static void set_btt(msyn_reg_work *w, const msyn_reg_opts *ro, int intercept,
                    msyn_reg_fit *fit)
{
    size_t p = w->p, m = 0;
    if (ro->btt) {
        /* sorted, as metafor sorts btt */
        for (size_t j = 0; j < p; j++)
            for (size_t i = 0; i < ro->m; i++)
                if (ro->btt[i] == j)
                    w->btt[m++] = j;
    } else {
        for (size_t j = intercept && p > 1 ? 1 : 0; j < p; j++)
            w->btt[m++] = j;
    }
    fit->m = m;
}

static msyn_status reg_fit(msyn_reg_work *w, const msyn_reg_opts *ro,
                           const msyn_pool_opts *o, msyn_reg_fit *fit)
{
    size_t k = w->k, p = w->p;
    int intercept = 1, fixed = is_re(o->method) && !isnan(o->tau2_fixed);
    double logdet_x, logdet_w, rss, slog = 0, vmin, vmax;
    msyn_status rc;
    for (size_t i = 0; i < k; i++)
        if (w->X[i * p] != 1.0)
            intercept = 0;
    if (!intercept)
        fit->flags |= MSYN_REG_NO_INTERCEPT;
    fit->k = k;
    if (k < p + (is_re(o->method) && !fixed ? 1 : 0) || k == 0)
        return MSYN_ETOOFEW;
    if (!rank_ok(w, &fit->rank_col, &logdet_x)) {
        fit->flags |= MSYN_REG_RANK;
        return MSYN_ENOTESTIMABLE;
    }
    vmin = vmax = w->v[0];
    for (size_t i = 0; i < k; i++) {
        vmin = fmin(vmin, w->v[i]);
        vmax = fmax(vmax, w->v[i]);
    }
    if (vmax / vmin >= 1e7)
        fit->flags |= MSYN_FIT_VI_RATIO;
    set_btt(w, ro, intercept, fit);
    if (fixed) {
        fit->tau2 = o->tau2_fixed;
        fit->flags |= MSYN_FIT_TAU2_FIXED;
    } else if ((rc = estimate_tau2(w, o, fit)) != MSYN_OK) {
        return rc;
    }
    fit->tau = sqrt(fit->tau2);
    if ((rc = coefficients(w, o, fit, &rss, &logdet_w)) != MSYN_OK)
        return rc;
    for (size_t i = 0; i < k; i++)
        slog += log(w->v[i] + fit->tau2);
    fit->ll_ml = -0.5 * (double)k * MSYN_LN_2PI - 0.5 * slog - 0.5 * rss;
    fit->ll_reml = -0.5 * (double)(k - p) * MSYN_LN_2PI + 0.5 * logdet_x - 0.5 * slog -
                   0.5 * logdet_w - 0.5 * rss;
    if ((rc = residual_het(w, o, fit)) != MSYN_OK)
        return rc;
    if (is_re(o->method) && !fixed && o->tau2_ci)
        tau2_ci(w, o, fit);
    if (ro->r2 && intercept && p > 1)
        pseudo_r2(w, o, rss, fit);
    fit->converged = 1;
    return MSYN_OK;
}

MSYN_API msyn_status msyn_reg(const double *yi, const double *vi,
                              const double *X, size_t k, size_t p,
                              const msyn_reg_opts *ro, const msyn_pool_opts *o,
                              msyn_reg_work *w, msyn_reg_fit *fit)
{
    msyn_pool_opts def;
    msyn_reg_opts rdef;
    msyn_reg_work *own = NULL;
    msyn_status rc;
    if (!fit)
        return MSYN_EINVAL;
    fit_clear(fit);
    if (!o) {
        msyn_pool_opts_default(&def);
        o = &def;
    }
    if (!ro) {
        msyn_reg_opts_default(&rdef);
        ro = &rdef;
    }
    if ((rc = check_args(yi, vi, X, k, p, ro, o, w)) != MSYN_OK)
        return rc;
    fit->p = p;
    fit->method = fit->method_used = o->method;
    fit->test = o->test;
    fit->pi = o->pi;
    fit->level = o->level;
    if (k == 0)
        return MSYN_ETOOFEW;
    if (!w && !(w = own = msyn_reg_work_new(k, p, o->alloc)))
        return MSYN_ENOMEM;
    rc = take_rows(yi, vi, X, k, p, w, &fit->flags);
    if (rc == MSYN_OK)
        rc = reg_fit(w, ro, o, fit);
    msyn_reg_work_free(own);
    return rc;
}

/* ---- predictions ------------------------------------------------------ */

MSYN_API msyn_status msyn_reg_predict(const msyn_reg_fit *fit, const double *x,
                                      size_t n, msyn_cache *c,
                                      msyn_reg_pred *out)
{
    size_t p;
    double crit, pi_crit, df, pi_df, kp;
    int re;
    if (!fit || !out || (n > 0 && !x) || !fit->b || !fit->vb || fit->p == 0 ||
        !fit->converged)
        return MSYN_EINVAL;
    p = fit->p;
    for (size_t i = 0; i < n * p; i++)
        if (!isfinite(x[i]))
            return MSYN_EINVAL;
    kp = (double)fit->k - (double)p;
    re = is_re(fit->method_used);
    df = fit->test == MSYN_TEST_Z ? MSYN_NAN : kp;
    crit = fit->test == MSYN_TEST_Z ? msyn__crit(c, fit->level, MSYN_NAN)
                                    : (kp > 0 ? msyn__crit(c, fit->level, kp) : MSYN_NAN);
    /* metafor's predict(): the CI's critical value unless pi.type asks
     * for t with k - p df, or Riley's k - (number of parameters) */
    pi_df = df;
    pi_crit = crit;
    if (fit->pi == MSYN_PI_T_K1 || fit->pi == MSYN_PI_T_K2) {
        double parms = (double)p + (re && !(fit->flags & MSYN_FIT_TAU2_FIXED) ? 1.0 : 0.0);
        pi_df = fit->pi == MSYN_PI_T_K1 ? kp : (double)fit->k - parms;
        if (pi_df < 1.0)
            pi_df = 1.0;
        pi_crit = msyn__crit(c, fit->level, pi_df);
    }
    for (size_t r = 0; r < n; r++) {
        const double *xr = x + r * p;
        double pred = 0, v = 0, se;
        for (size_t j = 0; j < p; j++) {
            pred += xr[j] * fit->b[j];
            for (size_t l = 0; l < p; l++)
                v += xr[j] * fit->vb[j * p + l] * xr[l];
        }
        se = v >= 0 ? sqrt(v) : MSYN_NAN;
        out[r].pred = pred;
        out[r].se = se;
        out[r].ci_lb = pred - crit * se;
        out[r].ci_ub = pred + crit * se;
        out[r].df = df;
        out[r].pi_df = re && fit->pi != MSYN_PI_NONE ? pi_df : MSYN_NAN;
        if (re && fit->pi != MSYN_PI_NONE) {
            double sd = sqrt((v >= 0 ? v : MSYN_NAN) + fit->tau2);
            out[r].pi_lb = pred - pi_crit * sd;
            out[r].pi_ub = pred + pi_crit * sd;
        } else {
            out[r].pi_lb = out[r].pi_ub = MSYN_NAN;
        }
    }
    return MSYN_OK;
}
