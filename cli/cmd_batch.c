/*
 * cmd_batch.c - placeholder: `metasyn batch` is not built yet.
 */
#include <stdio.h>

#include "cli.h"

int cmd_batch(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("metasyn batch: not available yet\n", stderr);
    return APP_EXIT_USAGE;
}
