/* test_simrng.c - the counter-based random numbers of `metasyn simulate`
 * (app/simrng.c).  Reference values: Vigna's splitmix64.c, seeds 0 and
 * 1234567. */
#include <math.h>

#include "test.h"
#include "simrng.h"

static void test_known(void **state)
{
    sim_rng r;
    (void)state;
    sim_rng_key(&r, 0);
    assert_true(sim_rng_u64(&r) == 0xe220a8397b1dcdafu);
    assert_true(sim_rng_u64(&r) == 0x6e789e6aa1b965f4u);
    assert_true(sim_rng_u64(&r) == 0x06c45d188009454fu);
    sim_rng_key(&r, 1234567);
    assert_true(sim_rng_u64(&r) == 0x599ed017fb08fc85u); /* 6457827717110365317 */
    assert_true(sim_rng_u64(&r) == 0x2c73f08458540fa5u);
    assert_true(sim_rng_u64(&r) == 0x883ebce5a3f27c77u);
}

/* The same (seed, scenario, replication) gives the same stream; changing
 * any one of them gives another, and draws do not depend on what other
 * streams drew before. */
static void test_streams(void **state)
{
    sim_rng a, b, c;
    uint64_t x[4];
    (void)state;
    sim_rng_init(&a, 42, 3, 7);
    for (int i = 0; i < 4; i++)
        x[i] = sim_rng_u64(&a);
    sim_rng_init(&c, 42, 3, 8); /* another stream in between */
    (void)sim_rng_u64(&c);
    sim_rng_init(&b, 42, 3, 7);
    for (int i = 0; i < 4; i++)
        assert_true(sim_rng_u64(&b) == x[i]);
    sim_rng_init(&b, 43, 3, 7);
    assert_true(sim_rng_u64(&b) != x[0]);
    sim_rng_init(&b, 42, 4, 7);
    assert_true(sim_rng_u64(&b) != x[0]);
    sim_rng_init(&b, 42, 3, 6);
    assert_true(sim_rng_u64(&b) != x[0]);
    /* (scenario, replication) is not symmetric */
    sim_rng_init(&a, 1, 2, 5);
    sim_rng_init(&b, 1, 5, 2);
    assert_true(sim_rng_u64(&a) != sim_rng_u64(&b));
}

/* Neighbouring streams are uncorrelated: first uniforms of 20000
 * replications against those of the next replication; |r| < 4/sqrt(n). */
static void test_independence(void **state)
{
    enum { N = 20000 };
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, r;
    (void)state;
    for (uint64_t i = 0; i < N; i++) {
        sim_rng a, b;
        double x, y;
        sim_rng_init(&a, 1, 0, i);
        sim_rng_init(&b, 1, 0, i + 1);
        x = sim_rng_unif(&a);
        y = sim_rng_unif(&b);
        sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
    }
    r = (sxy - sx * sy / N) / sqrt((sxx - sx * sx / N) * (syy - sy * sy / N));
    assert_true(fabs(r) < 4 / sqrt((double)N));
    assert_true(fabs(sx / N - 0.5) < 4 * sqrt(1.0 / 12 / N));
}

static void test_deviates(void **state)
{
    enum { N = 50000 };
    sim_rng r;
    double s = 0, s2 = 0, b = 0, c = 0;
    long lo = 100, hi = -100;
    (void)state;
    sim_rng_init(&r, 9, 0, 0);
    for (int i = 0; i < N; i++) {
        double u = sim_rng_unif(&r), z = sim_rng_norm(&r);
        long v = sim_rng_int(&r, 3, 7);
        assert_true(u > 0 && u < 1);
        s += z, s2 += z * z;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        b += sim_rng_binom(&r, 20, 0.3);
        c += sim_rng_chisq(&r, 5);
    }
    assert_true(fabs(s / N) < 4 / sqrt((double)N));
    assert_true(fabs(s2 / N - 1) < 4 * sqrt(2.0 / N));
    assert_int_equal(lo, 3);
    assert_int_equal(hi, 7);
    assert_true(fabs(b / N - 6) < 4 * sqrt(20 * 0.3 * 0.7 / N));
    assert_true(fabs(c / N - 5) < 4 * sqrt(10.0 / N));
    /* inversion: the smallest and largest uniforms stay finite */
    sim_rng_key(&r, 0);
    assert_true(isfinite(sim_rng_norm(&r)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known), cmocka_unit_test(test_streams),
        cmocka_unit_test(test_independence), cmocka_unit_test(test_deviates),
    };
    RUN_TESTS(tests);
}
