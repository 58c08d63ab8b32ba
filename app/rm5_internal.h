/*
 * rm5_internal.h - what the RevMan reader's files share (not an API).
 */
#ifndef MSYN_RM5_INTERNAL_H
#define MSYN_RM5_INTERNAL_H

#include "rm5.h"

/* Turn the bytes of a review into UTF-8 with bare '&' and '<' escaped,
 * keeping line breaks (rm5_bytes.c).  Returns 0 with out filled, 1 when
 * the bytes are to be given to libxml2 unchanged (UTF-16, or another
 * declared encoding), -1 when out of memory.  Repairs are added to w;
 * *recoded is set when bytes were read as Windows-1252. */
int rm5_repair_bytes(const char *file, const char *data, size_t len, sbuf *out,
                     app_strlist *w, int *recoded);

#endif /* MSYN_RM5_INTERNAL_H */
