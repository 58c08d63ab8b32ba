/*
 * influence_internal.h - private declarations shared by src/influence*.c.
 *
 * Never installed.  infl_data holds the non-missing studies of a call and
 * the options of the refits; infl__loo() runs the leave-one-out fits.
 */
#ifndef MSYN_INFLUENCE_INTERNAL_H
#define MSYN_INFLUENCE_INTERNAL_H

#include "internal.h"

typedef struct infl_data {
    const msyn_allocator *alloc;
    size_t k;          /* studies given                                   */
    size_t n;          /* non-missing studies                             */
    double *y, *v;     /* their effects and variances (one allocation)     */
    size_t *idx;       /* their positions among the k                     */
    msyn_pool_opts ro; /* refit options: no tau^2 CI, no PI, a cache      */
    int own_cache;     /* ro.cache is ours to free                        */
    int fixed_w;       /* weights do not depend on the fit: EE or tau^2 given */
    double tw;         /* then the tau^2 in the weights (0 for EE)        */
} infl_data;

/* Check and copy the inputs (as msyn_pool() checks them); MSYN_OK or an
 * error, with nothing to free on error. */
msyn_status infl__data_init(const double *yi, const double *vi, size_t k,
                            const msyn_pool_opts *o, infl_data *d);
void infl__data_free(infl_data *d);

/* Called with each leave-one-out fit: i indexes the non-missing studies,
 * rc is msyn_pool()'s status (the fit is meaningful when MSYN_OK). */
typedef void (*infl_row_fn)(void *ctx, size_t i, msyn_status rc, const msyn_fit *f);

/* The n leave-one-out fits of d (n >= 2), in order of i for refits and in
 * reverse order when the weights are fixed.  MSYN_ENOMEM or MSYN_OK. */
msyn_status infl__loo(const infl_data *d, infl_row_fn fn, void *ctx);

#endif
