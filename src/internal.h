/*
 * internal.h - private declarations shared by the files of libmetasyn.
 *
 * Never installed.  Everything here may change between releases; the
 * public contract is include/metasyn.h.
 */
#ifndef MSYN_INTERNAL_H
#define MSYN_INTERNAL_H

#include "metasyn.h"

#include <float.h>
#include <math.h>
#include <stddef.h>

/* Compensated (Neumaier) running sum: exact to about one rounding for the
 * sums of positive weights that span many orders of magnitude
 * (methods-reference section 9). */
typedef struct ksum {
    double s, c;
} ksum;

static inline void ksum_add(ksum *a, double x)
{
    double t = a->s + x;
    if (fabs(a->s) >= fabs(x))
        a->c += (a->s - t) + x;
    else
        a->c += (x - t) + a->s;
    a->s = t;
}

static inline double ksum_get(const ksum *a) { return a->s + a->c; }

/* Sums of an intercept-only inverse-variance fit at a given tau^2, with
 * w_i = 1/(v_i + tau2):
 *   sw = sum w, sw2 = sum w^2, sw3 = sum w^3, mu = sum w y / sum w,
 *   rss = sum w (y - mu)^2  (= y'Py, the generalised Q),
 *   rss2 = sum w^2 (y - mu)^2 (= y'PPy),
 *   rss3 = y'PPPy = sum w^3 (y - mu)^2 - (sum w^2 (y - mu))^2 / sum w,
 *   slog = sum log(v + tau2) (only when want_log is set). */
typedef struct re_sums {
    double sw, sw2, sw3, mu, rss, rss2, rss3, slog;
    double trP;  /* tr(P) = sw - sw2/sw, summed without cancelling:
                    2 sum_{i<j} w_i w_j / sw (one study's weight may
                    dominate by 1e18)                                   */
} re_sums;

void msyn__re_sums(const double *y, const double *v, size_t k, double tau2,
                   int want_log, re_sums *s);

/* Generalised Q at tau2: sum w (y - mu)^2 with w = 1/(v + tau2). */
double msyn__qgen(const double *y, const double *v, size_t k, double tau2);

/* Root of msyn__qgen(tau2) = target on [lo, hi], to full double precision,
 * by bracketed Newton (GSL's Brent as the fallback).  The caller guarantees
 * qgen(lo) >= target >= qgen(hi) (qgen decreases in tau2).  Returns the
 * number of iterations (>= 0) or -1 if the solver failed. */
int msyn__qgen_root(const double *y, const double *v, size_t k, double target,
                    double lo, double hi, double *root);

/* A tau2 at which msyn__qgen(tau2) <= target is guaranteed (target > 0):
 * qgen(t) <= sum (y - ybar)^2 / (t + min v). */
double msyn__qgen_upper(const double *y, const double *v, size_t k,
                        double target);

/* One step of the safeguarded Newton iteration on the ML/REML likelihood
 * equation (tau2.c explains it), shared by intercept-only models and
 * meta-regression, which differ only in how they evaluate the score sc,
 * its derivative ds and the information info at t.  Initialise with
 * msyn__mlstep_init(); each call updates the bracket and *t and returns 1
 * when the iteration has converged (*boundary set to 1 when the maximum is
 * at tau^2 = 0), 0 to go on, -1 when the step would leave the finite
 * numbers (the caller reports non-convergence). */
typedef struct msyn__mlstate {
    double lo, hi, prev, vmin;
    int have_lo;
} msyn__mlstate;

void msyn__mlstep_init(msyn__mlstate *s, double vmin);
int msyn__mlstep(msyn__mlstate *s, double *t, double sc, double ds, double info,
                 int *boundary);

/* tau^2 estimators for intercept-only models (tau2.c).  Each writes the
 * estimate, the untruncated value where one exists (for the truncation
 * flag) and the iteration count; returns MSYN_OK or MSYN_ENOCONV. */
typedef struct tau2_result {
    double tau2;
    double raw;      /* value before truncation at 0 (or tau2)        */
    double se;       /* metafor's approximate SE of tau2              */
    int iterations;
    int converged;
    int ll0_reset;
} tau2_result;

msyn_status msyn__tau2(msyn_method m, const double *y, const double *v,
                       size_t k, int max_iter, int ll0check, tau2_result *r);

/* Typical within-study variance (metafor i2def "1"):
 * (k - 1) sum w / ((sum w)^2 - sum w^2), w = 1/v. */
double msyn__typical_v(const double *v, size_t k);

/* Fill the heterogeneity part of a fit (Q, I2, H2 and their CIs) given
 * tau2 and the options; fit->k, fit->tau2 must be set. */
void msyn__het(const double *y, const double *v, size_t k,
               const msyn_pool_opts *o, int re_model, msyn_fit *fit);

/* Set every double field of a fit to NaN and the rest to zero. */
void msyn__fit_clear(msyn_fit *fit);

/* Fill estimate/se/stat/pval/CI from an estimate and its standard error
 * with a z test at the given level; returns the critical value. */
double msyn__fit_ztest(msyn_fit *fit, double est, double se, double level,
                       msyn_cache *c);

/* Allocation funnel (alloc.c): n elements of size bytes; NULL on failure
 * or overflow.  a may be NULL (malloc/free). */
void *msyn__alloc(const msyn_allocator *a, size_t n, size_t size);
void msyn__free(const msyn_allocator *a, void *p);

/* Random-effects fit on complete data (no NaN) with tau2 already known:
 * pooled estimate, test, heterogeneity and prediction interval.  Used by
 * msyn_pool() and by RevMan's DerSimonian-Laird on 2x2 tables. */
void msyn__pool_given_tau2(const double *y, const double *v, size_t k,
                           const msyn_pool_opts *o, msyn_fit *fit);

/* Check a pooling options struct. */
msyn_status msyn__pool_opts_check(const msyn_pool_opts *o);

/* Distribution functions from R's nmath (dist.c).  Quantiles go through
 * the optional memo c (NULL: none). */
enum { QK_NORM_UPPER = 1, QK_T_UPPER, QK_CHISQ_UPPER, QK_CHISQ_LOWER };
double msyn__lgamma(double x);                  /* R's lgammafn             */
double msyn__quantile(msyn_cache *c, int kind, double p, double df);
/* Two-sided critical value at level: t with df (finite, > 0) or normal. */
double msyn__crit(msyn_cache *c, double level, double df);

/* Effect sizes, one study at a time (es_calc.c).  The driver (es.c) has
 * chosen the study's input form f and checked its values. */
#define ES_NFORMS 11 /* msyn_input values 0..10 */
typedef struct es_zero {
    int any;  /* to = if0all: some study of this form has a zero cell */
} es_zero;

/* Does study i, in form f, have a zero cell (metafor's id0)? */
int msyn__es_has_zero(msyn_input f, const msyn_es_data *d,
                      const msyn_es_opts *o, size_t i);
/* Effect size and sampling variance of study i in form f; flags gets
 * MSYN_ES_* bits.  zero_any: the if0all condition for this form. */
void msyn__es_row(msyn_measure m, msyn_input f, const msyn_es_data *d,
                  const msyn_es_opts *o, int zero_any, size_t i, double *y,
                  double *v, unsigned *flags);

/* ---- meta-regression (reg.c, reg_tau2.c) ----------------------------- */

/* Scratch of msyn_reg(): the complete rows of the data and every vector
 * and small matrix a fit needs, in one block.  k, p: the current fit's
 * sizes (at most k_max, p_max).  Matrices are row-major. */
struct msyn_reg_work {
    const msyn_allocator *alloc;
    size_t k_max, p_max, k, p;
    double *y, *yc, *v, *X; /* data: y, y - mean(y) (metafor's Ymc), v, X */
    double *w, *s;          /* weights of the current decomposition, sqrt */
    double *A, *tau;        /* Householder QR of diag(s) X (GSL layout)  */
    double *Q, *h;          /* thin Q (k x p) and leverages, when asked   */
    double *mh;             /* 1 - h, without cancelling (see msyn__reg_qr) */
    double *z, *r, *g, *t1, *t2; /* k-vectors                             */
    double *bv;             /* p: least-squares solution                  */
    double *Sa, *Sb, *vb, *tmp; /* p x p                                  */
    size_t *btt;            /* p                                          */
};

/* QR decomposition of diag(sqrt(wt)) X (wt NULL: X itself); with want_q
 * also the thin Q and the leverages h.  Returns 0, or -1 when R has a zero
 * or non-finite diagonal element. */
int msyn__reg_qr(msyn_reg_work *w, const double *wt, int want_q);

/* Least squares of z (k values, already scaled by sqrt(wt)) on the
 * current decomposition: solution in w->bv, residual in res (k values);
 * returns the residual sum of squares. */
double msyn__reg_wls(msyn_reg_work *w, const double *z, double *res);

/* sum_ij a_i b_j M_ij^2, M = I - QQ' of the current decomposition (needs
 * want_q): the traces tr(PP), tr(PVP), tr(PVPV) of metafor's P matrices. */
double msyn__reg_pairsum(msyn_reg_work *w, const double *a, const double *b);

/* tau^2 of a meta-regression on the workspace's data, by estimator m, as
 * metafor's rma.uni() computes it (on the centred y). */
msyn_status msyn__reg_tau2(msyn_method m, msyn_reg_work *w, int max_iter,
                           int ll0check, tau2_result *r);

/* Q-profile CI of the residual tau^2 of a meta-regression on the
 * workspace's data (metafor's confint.rma.uni): bounds in *lb, *ub (0 when
 * Q(0) lies below the quantile, NaN if a root was not found); tau2 is the
 * estimate, where the search for the upper bound starts.  Returns 0, 1
 * when the CI is {0}, -1 on a singular decomposition. */
int msyn__reg_qprofile(msyn_reg_work *w, double level, msyn_cache *c, double tau2,
                       double *lb, double *ub);

/* Random numbers (rng.c): xoshiro256** (Blackman & Vigna 2018) seeded
 * through splitmix64; deterministic for a seed on every platform.  For
 * GOSH subsets and permutation tests (R's random numbers cannot be
 * reproduced, so results are reproducible per seed, not equal to R's). */
typedef struct msyn__rng {
    unsigned long long s[4];
} msyn__rng;
void msyn__rng_seed(msyn__rng *r, unsigned long long seed);
unsigned long long msyn__rng_next(msyn__rng *r);
/* Uniform on 0..n-1 (n >= 1), without modulo bias. */
unsigned long long msyn__rng_below(msyn__rng *r, unsigned long long n);

#define MSYN_NAN (nan(""))
#define MSYN_LN_2PI 1.837877066409345483560659472811 /* log(2 pi) */

#endif /* MSYN_INTERNAL_H */
