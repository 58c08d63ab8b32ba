/*
 * grade.h - GRADE certainty of the evidence for one outcome: the starting
 * level from the studies' designs, a suggestion per domain computed from
 * the pooled analysis (risk of bias, inconsistency, imprecision,
 * publication bias; indirectness is the reviewers'), each with its reason
 * in words, the reviewers' overrides with their justification, and the
 * absolute effects of a summary of findings table.  The rules and their
 * thresholds are in docs/cli/sof.md; every threshold below is named there.
 */
#ifndef MSYN_GRADE_H
#define MSYN_GRADE_H

#include "app.h"

typedef enum grade_domain {
    GRADE_ROB = 0,        /* risk of bias                                  */
    GRADE_INCONSISTENCY,
    GRADE_INDIRECTNESS,   /* the reviewers' judgement only                 */
    GRADE_IMPRECISION,
    GRADE_PUBBIAS,        /* publication bias                              */
    GRADE_UPGRADE,        /* large effect, dose-response, confounding      */
    GRADE_NDOMAINS
} grade_domain;

typedef enum grade_design {
    GRADE_DESIGN_AUTO = 0, /* from the study file's `design` column         */
    GRADE_DESIGN_RANDOMISED,
    GRADE_DESIGN_OBSERVATIONAL
} grade_design;

/* What the reviewers say about an outcome (the outcomes file). */
typedef struct grade_input {
    grade_design design;
    double control_risk;       /* assumed comparator risk 0..1; NaN: from the data */
    double mcid;               /* NaN: none                                 */
    int has_override[GRADE_NDOMAINS];
    int override[GRADE_NDOMAINS];   /* 0, -1, -2 (upgrade 0, 1, 2)          */
    const char *why[GRADE_NDOMAINS]; /* the justification (or indirectness's reason) */
} grade_input;

typedef struct grade_judgement {
    int suggested;             /* levels: 0, -1, -2 (upgrade: 0, 1, 2)      */
    int assessed;              /* 0: the data could not say (reason says why) */
    char reason[400];          /* the suggestion in words                    */
    int final;                 /* after the override                        */
    int overridden;
    const char *why;           /* the override's justification               */
} grade_judgement;

typedef struct grade_result {
    int start;                 /* 4 high (randomised), 2 low (observational) */
    char start_reason[200];
    size_t k, k_randomised, k_observational;
    double n;                  /* participants (NaN when unknown)            */
    grade_judgement d[GRADE_NDOMAINS];
    int certainty;             /* 1 very low .. 4 high                       */
    /* imprecision */
    double ois;                /* optimal information size (participants), NaN */
    char ois_basis[160];
    /* absolute effects (binary measures): risks per 1 */
    int absolute;              /* computed                                  */
    double cr;                 /* assumed comparator risk                    */
    int cr_from_data;
    double ir, ir_lb, ir_ub;   /* corresponding risk with its CI             */
} grade_result;

/* A study design as reviewers write it: 1 randomised (RCT, randomised,
 * cluster RCT), 2 observational (cohort, case-control, cross-sectional,
 * non-randomised, quasi-randomised, before-after, case series, registry),
 * 0 empty, -1 not recognised. */
int grade_design_word(const char *s);

/* Assess r (fitted pool result; r->rs read if there are judgements).
 * Returns 0, -1 when out of memory (e set). */
int grade_assess(app_result *r, const grade_input *in, grade_result *g, app_err *e);

/* "High", "Moderate", "Low", "Very low"; and the circles "⊕⊕⊕⊕" ... "⊕◯◯◯". */
const char *grade_word(int certainty);
const char *grade_symbols(int certainty);
/* "Risk of bias", "Inconsistency", ...; and the JSON/CSV key. */
const char *grade_domain_name(grade_domain d);
const char *grade_domain_key(grade_domain d);
/* "not serious", "serious", "very serious" (upgrade: "none", "+1", "+2"). */
const char *grade_level_word(grade_domain d, int level);

/* The corresponding risk of a comparator risk cr under a pooled ratio
 * (analysis scale: log RR, log OR, log HR) or a risk difference. */
double grade_corresponding_risk(msyn_measure m, double cr, double est);

#endif /* MSYN_GRADE_H */
