/*
 * rob.c - risk-of-bias tools (their domains and words) and robvis's CSV
 * layout: Study, one column per domain, Overall, optional Weight, with
 * optional "<domain> support" columns.  rob.h; docs/cli/rob.md.
 *
 * Domain names are the tools' own: RoB 2 and ROBINS-I as robvis labels
 * them (Sterne 2019, BMJ 366:l4898; Sterne 2016, BMJ 355:i4919), RoB 1
 * as the Cochrane Handbook 5.1 table 8.5.a (Higgins 2011, BMJ
 * 343:d5928), SIGN 50's methodology checklists 2 (RCTs) and 3 (cohort
 * studies), section 1.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rob.h"

#define L(x) (1u << (x))

static const char *const rob2_label[] = {"D1", "D2", "D3", "D4", "D5"};
static const char *const rob2_name[] = {
    "Bias arising from the randomization process",
    "Bias due to deviations from intended interventions",
    "Bias due to missing outcome data",
    "Bias in measurement of the outcome",
    "Bias in selection of the reported result",
};
static const char *const d7_label[] = {"D1", "D2", "D3", "D4", "D5", "D6", "D7"};
static const char *const rob1_name[] = {
    "Random sequence generation (selection bias)",
    "Allocation concealment (selection bias)",
    "Blinding of participants and personnel (performance bias)",
    "Blinding of outcome assessment (detection bias)",
    "Incomplete outcome data (attrition bias)",
    "Selective reporting (reporting bias)",
    "Other bias",
};
static const char *const robins_name[] = {
    "Bias due to confounding",
    "Bias due to selection of participants",
    "Bias in classification of interventions",
    "Bias due to deviations from intended interventions",
    "Bias due to missing data",
    "Bias in measurement of outcomes",
    "Bias in selection of the reported result",
};
static const char *const sign_label[] = {"1.1", "1.2", "1.3",  "1.4",  "1.5",  "1.6",  "1.7",
                                         "1.8", "1.9", "1.10", "1.11", "1.12", "1.13", "1.14"};
static const char *const sign_rct_name[] = {
    "The study addresses an appropriate and clearly focused question",
    "The assignment of subjects to treatment groups is randomised",
    "An adequate concealment method is used",
    "The design keeps subjects and investigators 'blind' about treatment allocation",
    "The treatment and control groups are similar at the start of the trial",
    "The only difference between groups is the treatment under investigation",
    "All relevant outcomes are measured in a standard, valid and reliable way",
    "Drop-out before the study was completed is acceptably low (percentage per arm)",
    "All the subjects are analysed in the groups to which they were randomly allocated",
    "Where the study is carried out at more than one site, results are comparable for all sites",
};
static const char *const sign_cohort_name[] = {
    "The study addresses an appropriate and clearly focused question",
    "The two groups are selected from comparable source populations",
    "The study indicates how many of the people asked to take part did so, in each group",
    "The likelihood that eligible subjects have the outcome at enrolment is assessed",
    "Drop-out before the study was completed is acceptably low (percentage per arm)",
    "Full participants are compared with those lost to follow-up, by exposure status",
    "The outcomes are clearly defined",
    "The assessment of outcome is made blind to exposure status",
    "Where blinding was not possible, possible influence on outcome assessment is recognised",
    "The method of assessment of exposure is reliable",
    "Evidence is used to show the method of outcome assessment is valid and reliable",
    "Exposure level or prognostic factor is assessed more than once",
    "The main potential confounders are identified and taken into account",
    "Confidence intervals are provided",
};

#define COCH3 (L(APP_ROB_LOW) | L(APP_ROB_SOME) | L(APP_ROB_HIGH))
#define SIGN_ITEM (COCH3 | L(APP_ROB_NA))

static const app_rob_tooldef tools[APP_ROB_NTOOLS] = {
    [APP_ROB_TOOL_ROB2] = {"rob2", "RoB 2", 5, rob2_label, rob2_name, APP_ROB_SCALE_COCHRANE,
                           COCH3 | L(APP_ROB_NOINFO), COCH3},
    [APP_ROB_TOOL_ROB1] = {"rob1", "RoB 1", 7, d7_label, rob1_name, APP_ROB_SCALE_COCHRANE, COCH3, COCH3},
    [APP_ROB_TOOL_ROBINS_I] = {"robins-i", "ROBINS-I", 7, d7_label, robins_name, APP_ROB_SCALE_COCHRANE,
                               COCH3 | L(APP_ROB_CRITICAL) | L(APP_ROB_NOINFO),
                               COCH3 | L(APP_ROB_CRITICAL) | L(APP_ROB_NOINFO)},
    [APP_ROB_TOOL_SIGN_RCT] = {"sign-rct", "SIGN 50 RCT", 10, sign_label, sign_rct_name, APP_ROB_SCALE_SIGN,
                               SIGN_ITEM, COCH3},
    [APP_ROB_TOOL_SIGN_COHORT] = {"sign-cohort", "SIGN 50 cohort", 14, sign_label, sign_cohort_name,
                                  APP_ROB_SCALE_SIGN, SIGN_ITEM, COCH3},
    [APP_ROB_TOOL_GENERIC] = {"generic", "Risk of bias", 0, NULL, NULL, APP_ROB_SCALE_COCHRANE,
                              COCH3 | L(APP_ROB_CRITICAL) | L(APP_ROB_NOINFO) | L(APP_ROB_NA),
                              COCH3 | L(APP_ROB_CRITICAL) | L(APP_ROB_NOINFO)},
};

int app_rob_tool_parse(const char *s, app_rob_tool *t)
{
    for (int i = 0; i < APP_ROB_NTOOLS; i++)
        if (strcasecmp(s, tools[i].id) == 0) {
            *t = (app_rob_tool)i;
            return 0;
        }
    if (strcasecmp(s, "robins_i") == 0 || strcasecmp(s, "robinsi") == 0) {
        *t = APP_ROB_TOOL_ROBINS_I;
        return 0;
    }
    return -1;
}

const app_rob_tooldef *app_rob_tool_def(app_rob_tool t)
{
    return (unsigned)t < APP_ROB_NTOOLS ? &tools[t] : &tools[APP_ROB_TOOL_GENERIC];
}

const char *app_rob_tool_word(app_rob_tool t, app_rob_level lv, int overall)
{
    static const char *const coch[APP_ROB_NLEVELS] = {"", "Low", "Some concerns", "High",
                                                      "Critical", "No information", "Not applicable"};
    if ((unsigned)lv >= APP_ROB_NLEVELS)
        return "";
    if (t == APP_ROB_TOOL_SIGN_RCT || t == APP_ROB_TOOL_SIGN_COHORT) {
        static const char *const item[APP_ROB_NLEVELS] = {"", "Yes", "Can't say", "No", "", "", "Not applicable"};
        static const char *const all[APP_ROB_NLEVELS] = {"", "++", "+", "-", "", "", ""};
        return overall ? all[lv] : item[lv];
    }
    if (t == APP_ROB_TOOL_ROB1 && lv == APP_ROB_SOME)
        return "Unclear";
    if (t == APP_ROB_TOOL_ROBINS_I && lv == APP_ROB_SOME)
        return "Moderate";
    if (t == APP_ROB_TOOL_ROBINS_I && lv == APP_ROB_HIGH)
        return "Serious";
    return coch[lv];
}

static const struct {
    const char *text;
    app_rob_level lv;
} sign_words[] = {
    {"yes", APP_ROB_LOW},
    {"well covered", APP_ROB_LOW},
    {"adequately addressed", APP_ROB_LOW},
    {"can't say", APP_ROB_SOME},
    {"can\xe2\x80\x99t say", APP_ROB_SOME},
    {"cant say", APP_ROB_SOME},
    {"cannot say", APP_ROB_SOME},
    {"not reported", APP_ROB_SOME},
    {"no", APP_ROB_HIGH},
    {"poorly addressed", APP_ROB_HIGH},
    {"not addressed", APP_ROB_HIGH},
    {"does not apply", APP_ROB_NA},
    {"high quality", APP_ROB_LOW},
    {"acceptable", APP_ROB_SOME},
    {"low quality", APP_ROB_HIGH},
    {"unacceptable", APP_ROB_HIGH},
};

/* SIGN's words, case-insensitively and ignoring surrounding blanks;
 * overall: only the overall ratings; items: only the answers. */
static int sign_word(const char *s, int overall, app_rob_level *lv)
{
    size_t n, first = overall ? 12 : 0, end = overall ? sizeof sign_words / sizeof *sign_words : 12;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    for (size_t i = first; i < end; i++)
        if (strlen(sign_words[i].text) == n && strncasecmp(s, sign_words[i].text, n) == 0) {
            *lv = sign_words[i].lv;
            return 0;
        }
    return -1;
}

int app_rob_tool_parse_cell(app_rob_tool t, int overall, const char *s, app_rob_level *lv)
{
    const app_rob_tooldef *d = app_rob_tool_def(t);
    unsigned ok = overall ? d->overall_levels : d->levels;
    app_rob_level v;
    if (d->scale == APP_ROB_SCALE_SIGN && sign_word(s ? s : "", overall, &v) == 0) {
        *lv = v;
        return 0;
    }
    if (d->scale == APP_ROB_SCALE_SIGN && !overall) {
        /* items are answers, not the overall ++/+/- symbols */
        const char *p = s ? s : "";
        while (*p == ' ')
            p++;
        if (*p == '+')
            return -1;
    }
    if (app_rob_parse(s, d->scale, &v) != 0)
        return -1;
    if (v != APP_ROB_UNSET && !(ok & L(v)))
        return -1;
    *lv = v;
    return 0;
}

void app_rob_tool_accepted(app_rob_tool t, int overall, char *buf, size_t size)
{
    const app_rob_tooldef *d = app_rob_tool_def(t);
    unsigned ok = overall ? d->overall_levels : d->levels;
    size_t n = 0, k = 0, len = 0;
    for (int lv = 1; lv < APP_ROB_NLEVELS; lv++)
        n += (ok & L(lv)) != 0;
    buf[0] = '\0';
    for (int lv = 1; lv < APP_ROB_NLEVELS && len < size; lv++) {
        if (!(ok & L(lv)))
            continue;
        k++;
        int w = snprintf(buf + len, size - len, "%s%s", k == 1 ? "" : k == n ? " or " : ", ",
                         app_rob_tool_word(t, (app_rob_level)lv, overall));
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

void app_rob_free(app_rob_table *rt)
{
    if (!rt)
        return;
    for (size_t i = 0; i < rt->k; i++) {
        app_rob_study *s = &rt->s[i];
        app_free(s->label);
        app_free(s->d);
        if (s->support)
            for (size_t d = 0; d <= rt->ndomain; d++)
                app_free(s->support[d]);
        app_free(s->support);
    }
    app_free(rt->s);
    for (size_t d = 0; d < rt->ndomain; d++) {
        if (rt->label)
            app_free(rt->label[d]);
        if (rt->name)
            app_free(rt->name[d]);
    }
    app_free(rt->label);
    app_free(rt->name);
    memset(rt, 0, sizeof *rt);
}

const app_rob_study *app_rob_find(const app_rob_table *rt, const char *study)
{
    size_t n;
    if (!rt || !study)
        return NULL;
    while (*study == ' ' || *study == '\t')
        study++;
    n = strlen(study);
    while (n && (study[n - 1] == ' ' || study[n - 1] == '\t'))
        n--;
    for (size_t i = 0; i < rt->k; i++)
        if (strlen(rt->s[i].label) == n && strncmp(rt->s[i].label, study, n) == 0)
            return &rt->s[i];
    return NULL;
}

void app_rob_count(const app_rob_table *rt, size_t d, int weighted, double *n)
{
    for (int lv = 0; lv < APP_ROB_NLEVELS; lv++)
        n[lv] = 0;
    for (size_t i = 0; i < rt->k; i++) {
        app_rob_level lv = d < rt->ndomain ? rt->s[i].d[d] : rt->s[i].overall;
        n[lv] += weighted ? rt->s[i].weight : 1;
    }
}

void app_rob_csv(const app_rob_table *rt, sbuf *out)
{
    sb_puts(out, "Study");
    for (size_t d = 0; d < rt->ndomain; d++) {
        sb_puts(out, ",");
        app_csv_cell(out, rt->label[d]);
    }
    sb_puts(out, ",Overall");
    if (rt->has_weight)
        sb_puts(out, ",Weight");
    if (rt->has_support) {
        for (size_t d = 0; d < rt->ndomain; d++) {
            sb_puts(out, ",");
            sb_printf(out, "%s support", rt->label[d]);
        }
        sb_puts(out, ",Overall support");
    }
    sb_puts(out, "\n");
    for (size_t i = 0; i < rt->k; i++) {
        const app_rob_study *s = &rt->s[i];
        app_csv_cell(out, s->label);
        for (size_t d = 0; d < rt->ndomain; d++) {
            sb_puts(out, ",");
            app_csv_cell(out, app_rob_tool_word(rt->tool, s->d[d], 0));
        }
        sb_puts(out, ",");
        app_csv_cell(out, app_rob_tool_word(rt->tool, s->overall, 1));
        if (rt->has_weight) {
            sb_puts(out, ",");
            sb_num(out, s->weight);
        }
        if (rt->has_support)
            for (size_t d = 0; d <= rt->ndomain; d++) {
                sb_puts(out, ",");
                app_csv_cell(out, s->support[d] ? s->support[d] : "");
            }
        sb_puts(out, "\n");
    }
}
