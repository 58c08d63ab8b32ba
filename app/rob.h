/*
 * rob.h - risk-of-bias judgements: one ordered scale shared by every tool
 * (RoB 2, RoB 1, ROBINS-I, SIGN 50, generic), the words each tool uses for
 * it, and a strict parser of what reviewers type.  docs/cli/rob.md.
 *
 * The scale is ordered from least to most concern, so "at high risk or
 * worse" is lv >= APP_ROB_HIGH among the judged levels.  SIGN 50's overall
 * ratings map ++ -> low, + -> some concerns, - -> high (SIGN's "high
 * quality", "acceptable", "unacceptable").
 */
#ifndef MSYN_ROB_H
#define MSYN_ROB_H

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
 * high-quality/acceptable/unacceptable. */
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

#endif /* MSYN_ROB_H */
