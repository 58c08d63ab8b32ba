/*
 * sof_run.h - the analyses behind `metasyn sof`: each outcome of an
 * outcomes file (app/sof.h) pooled as `metasyn pool` would and assessed
 * with GRADE, ready for app_sof_render().  Shared by cmd_sof.c and the
 * fuzz harness tests/fuzz/fuzz_sof.c.
 */
#ifndef MSYN_SOF_RUN_H
#define MSYN_SOF_RUN_H

#include "cli.h"
#include "sof.h"

typedef struct sof_analysis {
    char *path; /* the study file */
    cli_opts o;
    app_table t;
    app_data d;
    app_result r;
    grade_input in;
    grade_result g;
} sof_analysis;

typedef struct sof_run {
    sof_analysis *a; /* n analysed (the last may be partial) */
    sof_outcome *rows;
    size_t n;
} sof_run;

/* Analyse every outcome of s, read from the file outcomes (study files are
 * relative to its folder), in order: the row's input, then its pooling
 * and GRADE.  A failing outcome's message names the outcomes file, line
 * and outcome.  0 with u->rows ready, or -1 with e set; sof_run_free(u)
 * either way. */
int sof_run_all(const sof_spec *s, const char *outcomes, sof_run *u, app_err *e);
void sof_run_free(sof_run *u);

#endif /* MSYN_SOF_RUN_H */
