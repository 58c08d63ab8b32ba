/*
 * instruments.c - the shipped table of outcome instruments and their
 * MCIDs (instruments.h), and lookup by key, name or alias.
 *
 * Every value below was taken from the publication named in its source
 * field, which also says what that publication reports.  Where several
 * MCIDs are published, the consensus or most cited one is used and the
 * others are named in the note.  docs/instruments.md shows this table
 * (a test checks that it matches).
 */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "instruments.h"

#define NONE NAN
#define OSTELO "Ostelo RWJG, Deyo RA, Stratford P, et al. Interpreting change scores for pain and " \
    "functional status in low back pain: towards international consensus regarding minimal " \
    "important change. Spine 2008;33(1):90-94. Literature review, expert panel and workshop; " \
    "proposed minimal important change: 15 for the VAS (0-100), 2 for the NRS (0-10), 5 for the " \
    "Roland Disability Questionnaire (0-24), 10 for the Oswestry Disability Index (0-100), 20 for " \
    "the Quebec Back Pain Disability Questionnaire (0-100); a 30% improvement from baseline is a " \
    "useful threshold on each of these measures."
#define BEARD "Beard DJ, Harris K, Dawson J, et al. Meaningful changes for the Oxford hip and knee " \
    "scores after joint replacement surgery. J Clin Epidemiol 2015;68(1):73-79. " \
    "doi:10.1016/j.jclinepi.2014.08.009. NHS PROMs data (82,415 hip, 94,015 knee patients): the " \
    "between-group minimal important difference, for clinical trials, is about 5 points for both " \
    "the OKS and the OHS."
#define PUHAN "Puhan MA, Frey M, Buchi S, Schunemann HJ. The minimal important difference of the " \
    "hospital anxiety and depression scale in patients with chronic obstructive pulmonary disease. " \
    "Health Qual Life Outcomes 2008;6:46. doi:10.1186/1477-7525-6-46. Conclusion: the minimal " \
    "important difference of the HADS is around 1.5 in COPD patients, corresponding to a change " \
    "from baseline of around 20%."
#define WALTERS "Walters SJ, Brazier JE. Comparison of the minimally important difference for two " \
    "health state utility measures: EQ-5D and SF-6D. Qual Life Res 2005;14(6):1523-1532. " \
    "doi:10.1007/s11136-004-7713-0. Eight longitudinal studies, 11 patient groups; "
#define ROY "Roy JS, MacDermid JC, Woodhouse LJ. Measuring shoulder function: a systematic review " \
    "of four questionnaires. Arthritis Rheum (Arthritis Care Res) 2009;61(5):623-632. " \
    "doi:10.1002/art.24396. 71 primary studies; "

static const app_instrument table[] = {
    {"vas-pain-100", "Pain, visual analogue scale 0-100 mm", "VAS|VAS pain|pain VAS|VAS 100", 0, 100, 0,
     15, 30, "low back pain (international consensus)", "Ostelo et al. 2008", OSTELO,
     "Ostelo and de Vet 2005 (Best Pract Res Clin Rheumatol 19:593-607) suggest at least 20 mm "
     "in subacute or chronic and about 35 mm in acute low back pain. On a 0-10 cm VAS divide by 10."},
    {"nrs-pain-10", "Pain, numerical rating scale 0-10", "NRS|NPRS|PI-NRS|pain NRS|NRS pain", 0, 10, 0,
     2, 30, "chronic pain: 10 pregabalin trials (diabetic neuropathy, postherpetic neuralgia, "
     "chronic low back pain, fibromyalgia, osteoarthritis; 2724 patients)", "Farrar et al. 2001",
     "Farrar JT, Young JP, LaMoreaux L, Werth JL, Poole RM. Clinical importance of changes in "
     "chronic pain intensity measured on an 11-point numerical pain rating scale. Pain "
     "2001;94(2):149-158. doi:10.1016/S0304-3959(01)00349-9. On average a reduction of about two "
     "points or about 30% represented a clinically important difference (anchor: patient global "
     "impression of change, much or very much improved).",
     "The low back pain consensus (Ostelo et al. 2008, Spine 33:90-94) gives the same 2 points and 30%."},
    {"rmdq", "Roland-Morris Disability Questionnaire (24 items)", "RDQ|RMQ|Roland-Morris|Roland Morris|RMDQ-24",
     0, 24, 0, 5, 30, "low back pain (international consensus)", "Ostelo et al. 2008", OSTELO,
     "For the 23-item version the range is 0-23."},
    {"odi", "Oswestry Disability Index", "Oswestry|ODI 100", 0, 100, 0, 10, 30,
     "low back pain (international consensus)", "Ostelo et al. 2008", OSTELO, ""},
    {"qbpds", "Quebec Back Pain Disability Scale", "QBDQ|Quebec|Quebec back pain", 0, 100, 0, 20, 30,
     "low back pain (international consensus)", "Ostelo et al. 2008", OSTELO, ""},
    {"ndi", "Neck Disability Index (0-50)", "Neck Disability Index|NDI 50", 0, 50, 0, 7.5, NONE,
     "neck pain with or without arm symptoms, outpatient physical therapy (91 patients)",
     "Young et al. 2009",
     "Young et al. Responsiveness of the Neck Disability Index in patients with mechanical neck "
     "disorders. Spine J 2009;9(10):802-808. doi:10.1016/j.spinee.2009.06.002. The MCID was 7.5 "
     "points and the minimal detectable change 10.2 points.",
     "The authors add that, as 7.5 is within measurement error, a 10-point change (the MDC) "
     "should be used as the MCID. Expressed as 0-100%, multiply by 2."},
    {"oxford-knee", "Oxford Knee Score", "OKS|Oxford knee", 0, 48, 1, 5, NONE,
     "knee replacement (NHS PROMs)", "Beard et al. 2015", BEARD,
     "Within-patient minimal important change: about 9 points at group level, 7 points for "
     "individual patients (ROC); MDC90 about 4 points."},
    {"oxford-hip", "Oxford Hip Score", "OHS|Oxford hip", 0, 48, 1, 5, NONE,
     "hip replacement (NHS PROMs)", "Beard et al. 2015", BEARD,
     "Within-patient minimal important change: about 11 points at group level, 8 points for "
     "individual patients (ROC); MDC90 about 5 points."},
    {"phq9", "Patient Health Questionnaire-9", "PHQ-9|PHQ 9", 0, 27, 0, 5, NONE,
     "late-life depression in primary care (IMPACT trial)", "Lowe et al. 2004",
     "Lowe B, Unutzer J, Callahan CM, Perkins AJ, Kroenke K. Monitoring depression treatment "
     "outcomes with the Patient Health Questionnaire-9. Med Care 2004;42(12):1194-1201. "
     "doi:10.1097/00005650-200412000-00006. The minimal clinically important difference for "
     "individual change, estimated as 2 standard errors of measurement, was 5 points on the 0-27 "
     "scale.",
     "Kounali et al. 2022 (UK primary care, PMC9340848) found a reduction of about 20% (1.7 points at "
     "moderate baseline severity) mattered to patients."},
    {"gad7", "Generalized Anxiety Disorder-7", "GAD-7|GAD 7", 0, 21, 0, 4, NONE,
     "chronic depression, multisite treatment trial (261 patients)", "Toussaint et al. 2020",
     "Toussaint A, Husing P, Gumz A, Wingenfeld K, Harter M, Schramm E, Lowe B. Sensitivity to "
     "change and minimal clinically important difference of the 7-item Generalized Anxiety "
     "Disorder Questionnaire (GAD-7). J Affect Disord 2020;265:395-401. "
     "doi:10.1016/j.jad.2020.01.032. The MCID was estimated at 4 points on the GAD-7 total score.",
     "Estimated in a depression trial; the authors ask for confirmation in anxiety trials."},
    {"hads-a", "Hospital Anxiety and Depression Scale, anxiety", "HADS anxiety|HADS-A|HADA", 0, 21, 0,
     1.5, 20, "COPD, inpatient respiratory rehabilitation (88 patients)", "Puhan et al. 2008", PUHAN,
     "Anchor-based estimates for anxiety 1.41 and 1.57; effect-size estimate 1.32."},
    {"hads-d", "Hospital Anxiety and Depression Scale, depression", "HADS depression|HADS-D|HADD", 0, 21, 0,
     1.5, 20, "COPD, inpatient respiratory rehabilitation (88 patients)", "Puhan et al. 2008", PUHAN,
     "For depression no anchor correlated well enough; the effect-size estimate was 1.40."},
    {"eq5d-index", "EQ-5D index (EQ-5D-3L, UK tariff)", "EQ-5D|EQ5D|EuroQol|EQ-5D-3L", -0.59, 1, 1,
     0.074, NONE, "11 patient groups in 8 longitudinal studies (UK)", "Walters and Brazier 2005",
     WALTERS "the mean MID for the EQ-5D was 0.074 (range -0.011 to 0.140) on its -0.59 to 1.00 scale.",
     "The MID differs between conditions; it is on the utility scale, not in points of a score."},
    {"sf6d", "SF-6D utility index", "SF-6D|SF6D", 0.29, 1, 1, 0.041, NONE,
     "11 patient groups in 8 longitudinal studies (UK)", "Walters and Brazier 2005",
     WALTERS "the MID for the SF-6D ranged from 0.011 to 0.097, mean 0.041, on its 0.29 to 1.00 scale.",
     ""},
    {"dash", "Disabilities of the Arm, Shoulder and Hand", "DASH", 0, 100, 0, 10.2, NONE,
     "shoulder disorders (systematic review)", "Roy et al. 2009",
     ROY "the minimal clinically important difference is about 10.2 for the DASH (MDC about 10.5).",
     "van Kampen et al. 2013 (J Orthop Surg Res 8:40) found a minimal important change of 12.4; "
     "Rysstad et al. 2017 (BMC Musculoskelet Disord 18:248), 4.4 in subacromial pain."},
    {"quickdash", "QuickDASH", "Quick DASH|QDASH", 0, 100, 0, 13.4, NONE,
     "shoulder complaints, orthopaedic outpatients (164 patients)", "van Kampen et al. 2013",
     "van Kampen DA, et al. Determination and comparison of the smallest detectable change (SDC) "
     "and the minimal important change (MIC) of four-shoulder patient-reported outcome measures "
     "(PROMs). J Orthop Surg Res 2013;8:40. doi:10.1186/1749-799X-8-40. MIC change score 13.4 for "
     "the QuickDASH (smallest detectable change 17.1).",
     "Rysstad et al. 2020 (BMC Musculoskelet Disord 21:328, doi:10.1186/s12891-020-03289-z): MIC "
     "10.8 to 13.6 in shoulder pain."},
    {"ases", "American Shoulder and Elbow Surgeons score", "ASES", 0, 100, 1, 6.4, NONE,
     "shoulder disorders (systematic review)", "Roy et al. 2009",
     ROY "the minimal clinically important difference is about 6.4 for the ASES (MDC about 9.4).", ""},
    {"sgrq", "St George's Respiratory Questionnaire, total", "SGRQ|St George", 0, 100, 0, 4, NONE,
     "COPD", "Jones 2005",
     "Jones PW. St. George's Respiratory Questionnaire: MCID. COPD 2005;2(1):75-79. Expert, "
     "patient-preference and anchor-based estimates were consistently around 4 units.",
     "Distribution-based estimates varied and gave no consistent value."},
    {"ccq", "Clinical COPD Questionnaire, total", "CCQ", 0, 6, 0, 0.4, NONE,
     "acute exacerbation of COPD (168 patients)", "Kocks et al. 2006",
     "Kocks JWH, et al. Health status measurement in COPD: the minimal clinically important "
     "difference of the clinical COPD questionnaire. Respir Res 2006;7:62. "
     "doi:10.1186/1465-9921-7-62. Patient referencing 0.44, criterion referencing 0.39, SEM 0.21: "
     "the MCID of the CCQ total score is 0.4.",
     ""},
    {"crq", "Chronic Respiratory Questionnaire (mean item score)", "CRQ|CRDQ", 1, 7, 1, 0.5, NONE,
     "chronic lung disease", "Jaeschke et al. 1989",
     "Jaeschke R, Singer J, Guyatt GH. Measurement of health status: ascertaining the minimal "
     "clinically important difference. Control Clin Trials 1989;10:407-415; as cited by Puhan et "
     "al. 2008 (Health Qual Life Outcomes 6:46): the MID of the CRQ is 0.5 points on the 1-7 "
     "Likert-type scale.",
     "Per item (domain scores as mean item scores)."},
};

#define NTABLE (sizeof table / sizeof table[0])

size_t app_instrument_count(void)
{
    return NTABLE;
}

const app_instrument *app_instrument_at(size_t i)
{
    return i < NTABLE ? &table[i] : NULL;
}

/* Compare a and b (b ends at b + nb) ignoring case, ' ', '-' and '_'. */
static int skip(char c)
{
    return c == ' ' || c == '-' || c == '_';
}

static int same_name(const char *a, const char *b, size_t nb)
{
    const char *be = b + nb;
    for (;;) {
        while (*a && skip(*a))
            a++;
        while (b < be && skip(*b))
            b++;
        if (!*a || b == be)
            return !*a && b == be;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        a++;
        b++;
    }
}

int app_instrument_matches(const app_instrument *e, const char *name)
{
    const char *p = e->aliases;
    if (same_name(name, e->key, strlen(e->key)) || same_name(name, e->name, strlen(e->name)))
        return 1;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n && same_name(name, p, n))
            return 1;
        p = bar ? bar + 1 : p + n;
    }
    return 0;
}

const app_instrument *app_instrument_find(const char *name_or_alias)
{
    /* keys first: an alias of one entry must not shadow another's key */
    for (size_t i = 0; i < NTABLE; i++)
        if (same_name(name_or_alias, table[i].key, strlen(table[i].key)))
            return &table[i];
    for (size_t i = 0; i < NTABLE; i++)
        if (app_instrument_matches(&table[i], name_or_alias))
            return &table[i];
    return NULL;
}
