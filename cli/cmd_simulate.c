/*
 * cmd_simulate.c - placeholder: `metasyn simulate` is not built yet.
 */
#include <stdio.h>

#include "cli.h"

int cmd_simulate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("metasyn simulate: not available yet\n", stderr);
    return APP_EXIT_USAGE;
}
