/*
 * cmd_instruments.c - `metasyn instruments`: outcome instruments (placeholder, not built yet).
 */
#include <stdio.h>

#include "cli.h"

int cmd_instruments(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("metasyn instruments: not built yet\n", stderr);
    return APP_EXIT_INTERNAL;
}
