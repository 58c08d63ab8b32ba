/*
 * simrng.h - the counter-based random numbers of `metasyn simulate`.
 *
 * Every draw is a pure function of (seed, scenario, replication, draw
 * index): a stream's key is a hash of the first three, and draw i of the
 * stream is the SplitMix64 output mix64(key + i * golden gamma) (Steele,
 * Lea & Flood 2014; Vigna's splitmix64.c).  No state is shared between
 * streams, so a simulation gives the same numbers on any number of threads
 * or machines.
 */
#ifndef MSYN_SIMRNG_H
#define MSYN_SIMRNG_H

#include <stdint.h>

typedef struct sim_rng {
    uint64_t key;      /* the stream                               */
    uint64_t ctr;      /* draws taken so far                       */
} sim_rng;

/* SplitMix64's output function (a bijection of 64-bit integers). */
uint64_t sim_mix64(uint64_t z);

/* The stream of replication rep of scenario scen under seed. */
void sim_rng_init(sim_rng *r, uint64_t seed, uint64_t scen, uint64_t rep);
/* A stream with the given key: draw i is mix64(key + i * 0x9e3779b97f4a7c15),
 * i = 1, 2, ...; key 0 is Vigna's splitmix64 seeded with 0. */
void sim_rng_key(sim_rng *r, uint64_t key);

/* The next 64 random bits. */
uint64_t sim_rng_u64(sim_rng *r);
/* Uniform on the open interval (0, 1): 53 random bits, centred. */
double sim_rng_unif(sim_rng *r);
/* Standard normal: R's qnorm() of a uniform (inversion). */
double sim_rng_norm(sim_rng *r);
/* Uniform integer in [lo, hi] (hi - lo < 2^53). */
long sim_rng_int(sim_rng *r, long lo, long hi);
/* Binomial(n, p) by inversion: R's qbinom() of a uniform. */
double sim_rng_binom(sim_rng *r, double n, double p);
/* Chi-square with df degrees of freedom: R's qchisq() of a uniform. */
double sim_rng_chisq(sim_rng *r, double df);

#endif /* MSYN_SIMRNG_H */
