/*
 * sof.h - the summary of findings table (GRADE): one row per outcome with
 * its participants and studies, relative and absolute effects, certainty
 * and footnotes for every rating down or up, as text, Markdown, HTML, CSV
 * or JSON.  `metasyn sof`; docs/cli/sof.md.
 */
#ifndef MSYN_SOF_H
#define MSYN_SOF_H

#include "grade.h"

typedef struct sof_outcome {
    const char *name;          /* "Pain (VAS 0-100)"                        */
    const char *follow_up;     /* "12 months" or NULL                        */
    const char *importance;    /* "critical", "important" or NULL           */
    const char *comments;      /* the reviewers' comment or NULL            */
    const char *file;          /* the study file as named                   */
    const app_result *r;       /* the pooled analysis                       */
    const grade_result *g;
} sof_outcome;

typedef struct sof_table {
    const char *source;        /* the outcomes file                         */
    const char *question;      /* --question, or NULL: built from the next */
    const char *population, *setting, *intervention, *comparator;
    const sof_outcome *o;
    size_t n;
    int digits;                /* decimals of ratios and differences (2)    */
} sof_table;

/* Render s as "text", "md", "html", "csv" or "json" into out.  Returns 0,
 * -1 when out of memory. */
int app_sof_render(const sof_table *s, const char *format, sbuf *out);

#endif /* MSYN_SOF_H */
