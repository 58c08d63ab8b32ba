/*
 * cmd_cost.c - `metasyn cost`: cost-effectiveness (placeholder, not built yet).
 */
#include <stdio.h>

#include "cli.h"

int cmd_cost(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("metasyn cost: not built yet\n", stderr);
    return APP_EXIT_INTERNAL;
}
