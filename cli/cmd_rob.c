/*
 * cmd_rob.c - `metasyn rob`: risk of bias (placeholder, not built yet).
 */
#include <stdio.h>

#include "cli.h"

int cmd_rob(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("metasyn rob: not built yet\n", stderr);
    return APP_EXIT_INTERNAL;
}
