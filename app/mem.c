/*
 * mem.c - the app layer's one allocation funnel.
 *
 * Every allocation of app/ and cli/ (and libcsv's and libmetasyn's, through
 * their hooks) passes here.  Setting METASYN_FAIL_ALLOC=N makes the N-th
 * allocation fail, so tests can walk every out-of-memory path and check
 * that the program reports it and leaves no partial output (curl's torture
 * mode).
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"

static long fail_at = -1; /* set once from the environment */
static long count;
static int fail_init;

static int should_fail(void)
{
    if (!fail_init) {
        const char *s = getenv("METASYN_FAIL_ALLOC");
        fail_init = 1;
        fail_at = s ? strtol(s, NULL, 10) : -1;
    }
    /* atomic: batch allocates from several threads */
    return fail_at > 0 && __atomic_add_fetch(&count, 1, __ATOMIC_RELAXED) == fail_at;
}

void *app_alloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *app_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *app_realloc(void *p, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(p, size ? size : 1);
}

void app_free(void *p) { free(p); }

char *app_strndup(const char *s, size_t n)
{
    char *d = app_alloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *app_strdup(const char *s) { return app_strndup(s, strlen(s)); }

static void *msyn_alloc_cb(void *ud, size_t size)
{
    (void)ud;
    return app_alloc(size);
}

static void msyn_free_cb(void *ud, void *p)
{
    (void)ud;
    app_free(p);
}

const msyn_allocator *app_msyn_allocator(void)
{
    static const msyn_allocator a = {msyn_alloc_cb, msyn_free_cb, NULL};
    return &a;
}
