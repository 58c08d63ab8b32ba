/*
 * review_cli.h - the `metasyn review` subcommands.  Each takes its own
 * argv (argv[0] is the subcommand's name) and returns the exit code.
 * docs/cli/review.md.
 */
#ifndef MSYN_REVIEW_CLI_H
#define MSYN_REVIEW_CLI_H

#include "review.h"

int review_init(int argc, char **argv);      /* cmd_review.c     */
int review_status(int argc, char **argv);    /* cmd_review.c     */
int review_log(int argc, char **argv);       /* cmd_review.c     */
int review_import(int argc, char **argv);    /* review_import.c  */
int review_dedup(int argc, char **argv);     /* review_dedup.c   */
int review_screen(int argc, char **argv);    /* review_screen.c  */
int review_conflicts(int argc, char **argv); /* review_screen.c  */
int review_decisions(int argc, char **argv); /* review_screen.c  */
int review_unblind(int argc, char **argv);   /* review_screen.c  */
int review_reasons(int argc, char **argv);   /* review_screen.c  */
int review_prisma(int argc, char **argv);    /* review_prisma.c  */
int review_export(int argc, char **argv);    /* review_export.c  */
int review_studies(int argc, char **argv);   /* review_export.c  */
int review_rob(int argc, char **argv);       /* review_rob.c     */

/* The current risk-of-bias judgements of tool in r, in robvis's CSV
 * layout (review_rob.c); -1 with e set when there are none. */
#include "rob.h"
int review_rob_csv(rv_db *r, app_rob_tool tool, sbuf *out, app_err *e);

/* Find (--review FILE or the one *.msr here) and open the review file;
 * on failure prints "metasyn review CMD: message" and returns the exit
 * code (> 0); 0 when open. */
int review_open(const char *cmd, const char *given, rv_db *r);
/* Print "metasyn review CMD: message" for e and return its exit code. */
int review_fail(const char *cmd, const app_err *e);

#endif
