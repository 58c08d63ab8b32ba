/*
 * cmd_sof.c - `metasyn sof`: summary of findings (placeholder, not built yet).
 */
#include <stdio.h>

#include "cli.h"

int cmd_sof(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("metasyn sof: not built yet\n", stderr);
    return APP_EXIT_INTERNAL;
}
