/*
 * cmd_harms.c - `metasyn harms`: adverse events (placeholder, not built yet).
 */
#include <stdio.h>

#include "cli.h"

int cmd_harms(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("metasyn harms: not built yet\n", stderr);
    return APP_EXIT_INTERNAL;
}
