/*
 * simrng.c - counter-based random numbers for simulation studies (see
 * simrng.h).  Deviates are inversions of a uniform with R's own quantile
 * functions (Debian r-mathlib), so they are exact to double precision and
 * every deviate costs exactly one uniform: the k-th study of a replication
 * always uses the same draw indices.
 */
#define MATHLIB_STANDALONE 1
#include <Rmath.h>
#include <math.h>

#include "simrng.h"

#define GAMMA 0x9e3779b97f4a7c15u

uint64_t sim_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void sim_rng_key(sim_rng *r, uint64_t key)
{
    r->key = key;
    r->ctr = 0;
}

void sim_rng_init(sim_rng *r, uint64_t seed, uint64_t scen, uint64_t rep)
{
    /* Each component passes through the bijection before the next is
     * mixed in, with distinct odd constants, so (seed, scen, rep) triples
     * that differ anywhere give unrelated keys. */
    uint64_t h = sim_mix64(seed + GAMMA);
    h = sim_mix64(h ^ (scen * 0xd1b54a32d192ed03u + 0x8cb92ba72f3d8dd7u));
    h = sim_mix64(h ^ (rep * 0xaef17502108ef2d9u + 0x4f1bbcdcbfa53e0bu));
    sim_rng_key(r, h);
}

uint64_t sim_rng_u64(sim_rng *r)
{
    r->ctr++;
    return sim_mix64(r->key + r->ctr * GAMMA);
}

double sim_rng_unif(sim_rng *r)
{
    return ((double)(sim_rng_u64(r) >> 11) + 0.5) * 0x1p-53;
}

double sim_rng_norm(sim_rng *r)
{
    return qnorm(sim_rng_unif(r), 0.0, 1.0, 1, 0);
}

long sim_rng_int(sim_rng *r, long lo, long hi)
{
    double span = (double)hi - (double)lo + 1.0;
    long v = lo + (long)floor(sim_rng_unif(r) * span);
    return v > hi ? hi : v;
}

double sim_rng_binom(sim_rng *r, double n, double p)
{
    return qbinom(sim_rng_unif(r), n, p, 1, 0);
}

double sim_rng_chisq(sim_rng *r, double df)
{
    return qchisq(sim_rng_unif(r), df, 1, 0);
}
