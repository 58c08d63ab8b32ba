/* cmd_verify.c - placeholder while the command is being written. */
#include <stdio.h>

#include "cli.h"

int cmd_verify(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("metasyn: this command is not built yet\n", stderr);
    return APP_EXIT_INTERNAL;
}
