/*
 * verify_lang.c - the phrases `metasyn verify` recognises in free text.
 *
 * One block per language; the scanner (verify_text.c) tries the rows of
 * every block, so a text may mix languages and adding one is adding a
 * block (docs/cli/verify.md, "Adding a language").  A phrase is written
 * as it reads, in lower case: words are compared with the text's words
 * folded to lower case, with "²" read as "2" ("I²" = "i2"), and every
 * dash (- − – —) is written "-".  A phrase with an upper-case letter
 * ("OR", "HR") matches only that exact spelling, so the English word "or"
 * is not an odds ratio.
 */
#include <stddef.h>

#include "verify_lang.h"

/* ---- notation shared by all languages ---------------------------------- */
static const char *const any_range[] = {"-", ";", ",", NULL};
static const char *const any_p[] = {"p", NULL};
static const char *const any_i2[] = {"i2", "i ^ 2", NULL};
static const char *const any_q[] = {"chi2", "chi ^ 2", "q", NULL};
static const char *const any_df[] = {"df", "d.f.", NULL};
static const char *const any_tau2[] = {"tau2", "tau ^ 2", NULL};
static const char *const any_z[] = {"z", NULL};
static const char *const any_n[] = {"n", "N", NULL};
static const char *const any_units[] = {"mmhg", "mm hg", "kg", "cm", "mm", "g", "mg", "ml",
                                        "mmol/l", "mg/dl", "bpm", "%", NULL};
static const vf_effect_name any_effects[] = {
    {"OR", "OR"},   {"RR", "RR"},     {"HR", "HR"},   {"IRR", "IRR"}, {"ROM", "ROM"},
    {"MD", "MD"},   {"SMD", "SMD"},   {"WMD", "MD"},  {"RD", "RD"},   {"ARR", "RD"},
    {"aOR", "OR"},  {"aHR", "HR"},    {"aRR", "RR"},  {"sHR", "HR"},  {NULL, NULL}};

/* ---- English ------------------------------------------------------------ */
static const char *const en_ci[] = {"ci", "cl", "confidence interval", "confidence limits",
                                    "credible interval", "cri", "crl", NULL};
static const char *const en_from[] = {"from", NULL};
static const char *const en_range[] = {"to", NULL};
static const char *const en_p[] = {"p-value", "p value", NULL};
static const char *const en_i2[] = {"i-squared", "i squared", NULL};
static const char *const en_q[] = {"chi-squared", "chi-square", "cochran's q", "q statistic", NULL};
static const char *const en_total[] = {
    "patients", "participants", "subjects", "people", "persons", "individuals", "women", "men",
    "children", "adults", "infants", "neonates", "cases", "controls", "eyes", "studies", "trials",
    "rcts", "randomised controlled trials", "randomized controlled trials", NULL};
static const char *const en_lead[] = {"of whom", "of which", "namely", "i.e.", NULL};
static const char *const en_join[] = {"and", "vs", "vs.", "versus", "v", "v.", NULL};
static const char *const en_units[] = {"points", "days", "weeks", "months", "years", "hours",
                                       "minutes", "percentage points", NULL};
static const vf_effect_name en_effects[] = {
    {"odds ratio", "OR"},
    {"peto odds ratio", "PETO"},
    {"risk ratio", "RR"},
    {"relative risk", "RR"},
    {"rate ratio", "IRR"},
    {"incidence rate ratio", "IRR"},
    {"hazard ratio", "HR"},
    {"ratio of means", "ROM"},
    {"mean difference", "MD"},
    {"weighted mean difference", "MD"},
    {"standardised mean difference", "SMD"},
    {"standardized mean difference", "SMD"},
    {"std. mean difference", "SMD"},
    {"hedges' g", "SMD"},
    {"cohen's d", "SMD"},
    {"risk difference", "RD"},
    {"absolute risk reduction", "RD"},
    {NULL, NULL}};

/* ---- Dutch -------------------------------------------------------------- */
static const char *const nl_ci[] = {"bi", "betrouwbaarheidsinterval", "bhi", "ci",
                                    "betrouwbaarheidsgrenzen", NULL};
static const char *const nl_from[] = {"van", NULL};
static const char *const nl_range[] = {"tot", "tot en met", NULL};
static const char *const nl_p[] = {"p-waarde", "p waarde", NULL};
static const char *const nl_i2[] = {"i-kwadraat", NULL};
static const char *const nl_q[] = {"chi-kwadraat", NULL};
static const char *const nl_total[] = {
    "patiënten", "patienten", "deelnemers", "proefpersonen", "personen", "kinderen", "vrouwen",
    "mannen", "volwassenen", "zuigelingen", "ogen", "studies", "onderzoeken", "trials", NULL};
static const char *const nl_lead[] = {"van wie", "waarvan", "te weten", "namelijk", NULL};
static const char *const nl_join[] = {"en", "vs", "vs.", "versus", "tegenover", NULL};
static const char *const nl_units[] = {"punten", "dagen", "weken", "maanden", "jaar", "uur",
                                       "minuten", "procentpunten", NULL};
static const vf_effect_name nl_effects[] = {
    {"oddsratio", "OR"},
    {"odds-ratio", "OR"},
    {"relatief risico", "RR"},
    {"relatieve risico", "RR"},
    {"risicoratio", "RR"},
    {"hazardratio", "HR"},
    {"hazard-ratio", "HR"},
    {"rate-ratio", "IRR"},
    {"gemiddeld verschil", "MD"},
    {"gemiddelde verschil", "MD"},
    {"gestandaardiseerd gemiddeld verschil", "SMD"},
    {"gestandaardiseerde gemiddelde verschil", "SMD"},
    {"risicoverschil", "RD"},
    {"absolute risicoreductie", "RD"},
    {NULL, NULL}};

static const vf_lang langs[] = {
    {"any", NULL, NULL, any_range, any_p, any_i2, any_q, any_df, any_tau2,
     any_z, NULL, NULL, NULL, any_n, any_units, any_effects},
    {"en", en_ci, en_from, en_range, en_p, en_i2, en_q, NULL, NULL, NULL, en_total, en_lead,
     en_join, NULL, en_units, en_effects},
    {"nl", nl_ci, nl_from, nl_range, nl_p, nl_i2, nl_q, NULL, NULL, NULL, nl_total, nl_lead,
     nl_join, NULL, nl_units, nl_effects},
};

const vf_lang *vf_langs(size_t *n)
{
    *n = sizeof langs / sizeof langs[0];
    return langs;
}
