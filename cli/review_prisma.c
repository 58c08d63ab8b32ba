/* review_prisma.c - placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli.h"
#include "review_cli.h"

int review_prisma(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "metasyn review %s: not built yet\n", argv[0]);
    return APP_EXIT_USAGE;
}
