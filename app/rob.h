/*
 * rob.h - risk-of-bias judgements: one ordered scale shared by every tool
 * (RoB 2, RoB 1, ROBINS-I, SIGN 50, generic), the words each tool uses for
 * it, and a strict parser of what reviewers type.  docs/cli/rob.md.
 *
 * The scale is ordered from least to most concern, so "at high risk or
 * worse" is lv >= APP_ROB_HIGH among the judged levels.  SIGN 50's overall
 * ratings map ++ -> low, + -> some concerns, - -> high (SIGN's "high
 * quality", "acceptable", "low quality"; earlier versions: "unacceptable").
 */
#ifndef MSYN_ROB_H
#define MSYN_ROB_H

#include "app.h"

typedef enum app_rob_level {
    APP_ROB_UNSET = 0,   /* empty cell: not assessed                     */
    APP_ROB_LOW,         /* low risk; SIGN ++                             */
    APP_ROB_SOME,        /* some concerns (RoB 2), unclear (RoB 1),
                            moderate (ROBINS-I); SIGN +                   */
    APP_ROB_HIGH,        /* high (RoB 2, RoB 1), serious (ROBINS-I);
                            SIGN -                                        */
    APP_ROB_CRITICAL,    /* critical (ROBINS-I)                           */
    APP_ROB_NOINFO,      /* no information (ROBINS-I)                     */
    APP_ROB_NA,          /* not applicable                                */
    APP_ROB_NLEVELS
} app_rob_level;

/* How a cell is read: the symbols "+", "-", "?" mean low/high/unclear in
 * RevMan's and robvis's tables, but "++", "+", "-" are SIGN 50's
 * high quality/acceptable/low quality. */
typedef enum app_rob_scale {
    APP_ROB_SCALE_COCHRANE = 0, /* RoB 2, RoB 1, ROBINS-I, generic        */
    APP_ROB_SCALE_SIGN          /* SIGN 50 checklists                      */
} app_rob_scale;

/* Parse a judgement, case-insensitively, ignoring surrounding spaces:
 * low, low risk, some concerns, unclear, unclear risk, moderate, high,
 * high risk, serious, critical, no information, not applicable, n/a, and
 * the symbols + ? - (U+2212 too) or, on the SIGN scale, ++ + -.  An empty
 * cell is APP_ROB_UNSET.  Returns 0, or -1 when s is none of these. */
int app_rob_parse(const char *s, app_rob_scale scale, app_rob_level *lv);

/* The level's word ("low", "some concerns", "high", "critical",
 * "no information", "not applicable", "" for unset) and the
 * one-character symbol figures draw ("+", "?", "-" as U+2212, "!", "i",
 * "", ""). */
const char *app_rob_word(app_rob_level lv);
const char *app_rob_symbol(app_rob_level lv);

/* "--exclude-rob high|some": the least level excluded (APP_ROB_HIGH:
 * high and critical; APP_ROB_SOME: everything but low).  -1 if neither. */
int app_rob_parse_threshold(const char *s, app_rob_level *lv);


/* ---- tools and robvis's CSV layout (rob.c) ---------------------------- */
/* The assessment tools `metasyn rob --tool` knows (docs/cli/rob.md). */
typedef enum app_rob_tool {
    APP_ROB_TOOL_ROB2 = 0,     /* RoB 2 (Sterne 2019), 5 domains           */
    APP_ROB_TOOL_ROB1,         /* Cochrane RoB 1 (Higgins 2011), 7 domains */
    APP_ROB_TOOL_ROBINS_I,     /* ROBINS-I (Sterne 2016), 7 domains        */
    APP_ROB_TOOL_SIGN_RCT,     /* SIGN 50 RCT checklist, items 1.1-1.10    */
    APP_ROB_TOOL_SIGN_COHORT,  /* SIGN 50 cohort checklist, 1.1-1.14       */
    APP_ROB_TOOL_GENERIC,      /* domains named by the CSV header          */
    APP_ROB_NTOOLS
} app_rob_tool;

typedef struct app_rob_tooldef {
    const char *id;            /* "rob2", as --tool takes it               */
    const char *title;         /* "RoB 2"                                  */
    size_t ndomain;            /* 0 for generic: as many as the header     */
    const char *const *label;  /* short labels: "D1".. or "1.1"..          */
    const char *const *name;   /* full domain names                        */
    app_rob_scale scale;
    unsigned levels;           /* accepted in domain cells: 1u << level    */
    unsigned overall_levels;   /* accepted in the Overall column           */
} app_rob_tooldef;

/* The tool named s (rob2, rob1, robins-i, sign-rct, sign-cohort, generic;
 * case-insensitive): 0, or -1. */
int app_rob_tool_parse(const char *s, app_rob_tool *t);
const app_rob_tooldef *app_rob_tool_def(app_rob_tool t);
/* The tool's own word for a level, capitalised as robvis writes it
 * ("Some concerns", "Unclear", "Moderate", "Serious", SIGN's "Yes", "No",
 * "Can't say", "Not applicable" for items and "++", "+", "-" overall). */
const char *app_rob_tool_word(app_rob_tool t, app_rob_level lv, int overall);
/* Parse a cell of a domain (overall = 0) or of the Overall column under
 * tool t: app_rob_parse() plus SIGN's item answers (yes, no, can't say,
 * does not apply, and the older well covered / adequately addressed /
 * poorly addressed / not addressed / not reported).  Returns 0, or -1
 * when s is not a judgement the tool uses there. */
int app_rob_tool_parse_cell(app_rob_tool t, int overall, const char *s, app_rob_level *lv);
/* "Low, Some concerns or High": the words a cell accepts under tool t,
 * for messages, into buf (truncated to size). */
void app_rob_tool_accepted(app_rob_tool t, int overall, char *buf, size_t size);

typedef struct app_rob_study {
    char *label;               /* the Study cell, trimmed                  */
    app_rob_level *d;          /* ndomain judgements                       */
    app_rob_level overall;
    double weight;             /* NaN without a Weight column              */
    char **support;            /* ndomain + 1 (last: overall) texts or NULL */
    long line;                 /* line of the row in the file              */
} app_rob_study;

typedef struct app_rob_table {
    app_rob_tool tool;
    size_t ndomain;
    char **label;              /* ndomain short labels (D1 ...)            */
    char **name;               /* ndomain full names                       */
    size_t k;
    app_rob_study *s;
    int has_weight, has_support;
} app_rob_table;

/* Read robvis's layout from t: Study, one column per domain, Overall,
 * optional Weight, and optional "<domain> support" columns anywhere after
 * Study.  Errors are "FILE:LINE:COL: ..." with APP_EXIT_DATA (or
 * APP_EXIT_INTERNAL when out of memory); rt is then empty. */
int app_rob_read(const app_table *t, app_rob_tool tool, app_rob_table *rt, app_err *e);
void app_rob_free(app_rob_table *rt);
/* The study whose label is study (exact match after trimming), or NULL. */
const app_rob_study *app_rob_find(const app_rob_table *rt, const char *study);
/* Append rt in robvis's layout with the tool's words (reads back equal). */
void app_rob_csv(const app_rob_table *rt, sbuf *out);
/* Studies of rt per level in domain d (d == ndomain: Overall), by count
 * or, weighted, by summed weight; n[APP_ROB_NLEVELS]. */
void app_rob_count(const app_rob_table *rt, size_t d, int weighted, double *n);

#endif /* MSYN_ROB_H */
