/*
 * test.h - shared helpers of the cmocka unit tests.
 *
 * Tolerances are named in multiples of DBL_EPSILON or as relative
 * agreements; every test binary ends with a "SUMMARY total failed" line
 * that tests/run-all adds up.
 */
#ifndef MSYN_TEST_H
#define MSYN_TEST_H

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "metasyn.h"

/* |a - b| <= rel * max(|b|, floor) */
#define assert_close(a, b, rel) assert_close_((a), (b), (rel), 1e-300, #a, __FILE__, __LINE__)
#define assert_close_abs(a, b, abs_tol) assert_close_((a), (b), 0.0, (abs_tol), #a, __FILE__, __LINE__)

static inline void assert_close_(double a, double b, double rel, double floor_, const char *what,
                                 const char *file, int line)
{
    double tol = rel * fmax(fabs(b), 0.0) + floor_;
    if (isnan(a) && isnan(b))
        return;
    if (!(fabs(a - b) <= tol)) {
        print_error("%s:%d: %s = %.17g, expected %.17g (diff %.3g, tol %.3g)\n", file, line,
                       what, a, b, fabs(a - b), tol);
        _fail(file, line);
    }
}

#define EPS_REL(n) ((n) * DBL_EPSILON)

#define RUN_TESTS(group)                                                          \
    do {                                                                          \
        int failed_ = cmocka_run_group_tests(group, NULL, NULL);                 \
        printf("SUMMARY %zu %d\n", sizeof(group) / sizeof((group)[0]), failed_); \
        return failed_ ? 1 : 0;                                                   \
    } while (0)

/* BCG vaccine trials (Colditz et al. 1994; metadat::dat.bcg). */
static const double bcg_a[13] = {4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27};
static const double bcg_b[13] = {119, 300, 228, 13536, 5036, 1361, 2537, 87886, 7470, 1699, 50448, 2493, 16886};
static const double bcg_c[13] = {11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29};
static const double bcg_d[13] = {128, 274, 209, 12619, 5761, 1079, 619, 87892, 7232, 1600, 27197, 2338, 17825};

/* log RR and its variance for the BCG trials, by msyn_es(). */
static inline void bcg_rr(double *yi, double *vi)
{
    msyn_es_data d;
    memset(&d, 0, sizeof d);
    d.ai = bcg_a;
    d.bi = bcg_b;
    d.ci = bcg_c;
    d.di = bcg_d;
    if (msyn_es(MSYN_MEASURE_RR, &d, 13, NULL, yi, vi, NULL) != MSYN_OK)
        fail_msg("msyn_es failed on BCG");
}

#endif
