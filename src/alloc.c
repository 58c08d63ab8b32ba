/*
 * alloc.c - the one place libmetasyn asks for memory.
 *
 * Every allocation goes through msyn__alloc() with the caller's optional
 * msyn_allocator, so tests can fail the N-th allocation and embedders can
 * supply arenas.  Few functions allocate at all: results are caller structs.
 */
#include <stdlib.h>

#include "internal.h"

void *msyn__alloc(const msyn_allocator *a, size_t n, size_t size)
{
    if (size != 0 && n > (size_t)-1 / size)
        return NULL;
    if (n * size == 0)
        n = size = 1;
    if (a && a->alloc)
        return a->alloc(a->ud, n * size);
    return malloc(n * size);
}

void msyn__free(const msyn_allocator *a, void *p)
{
    if (!p)
        return;
    if (a && a->free)
        a->free(a->ud, p);
    else
        free(p);
}
