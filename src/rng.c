/*
 * rng.c - the library's random numbers: xoshiro256** (Blackman & Vigna
 * 2018, public domain algorithm) seeded through splitmix64.  Written here
 * because neither r-mathlib (whose generators need R's global state) nor
 * GSL's global default fits a reentrant library; this is a few lines and
 * gives the same stream for a seed on every platform.
 */
#include "internal.h"

typedef unsigned long long u64;

static u64 splitmix64(u64 *x)
{
    u64 z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }

u64 msyn__rng_next(msyn__rng *r)
{
    u64 *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

void msyn__rng_seed(msyn__rng *r, u64 seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

u64 msyn__rng_below(msyn__rng *r, u64 n)
{
    u64 lim = (0ULL - n) % n, x; /* 2^64 mod n */
    do
        x = msyn__rng_next(r);
    while (x < lim);
    return x % n;
}
