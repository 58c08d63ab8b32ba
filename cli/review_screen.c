/* review_screen.c - placeholder until the subcommand lands. */
#include <stdio.h>

#include "cli.h"
#include "review_cli.h"

int review_screen(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "metasyn review %s: not built yet\n", argv[0]);
    return APP_EXIT_USAGE;
}

int review_conflicts(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "metasyn review %s: not built yet\n", argv[0]);
    return APP_EXIT_USAGE;
}

int review_decisions(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "metasyn review %s: not built yet\n", argv[0]);
    return APP_EXIT_USAGE;
}

int review_unblind(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "metasyn review %s: not built yet\n", argv[0]);
    return APP_EXIT_USAGE;
}

int review_reasons(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "metasyn review %s: not built yet\n", argv[0]);
    return APP_EXIT_USAGE;
}
