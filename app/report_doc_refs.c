/*
 * report_doc_refs.c - the references the methods paragraph cites: the
 * short author-year form used in the text and the full entry of the
 * reference list, which lists exactly the references cited.
 * report_doc.h.
 */
#include <stdlib.h>
#include <string.h>

#include "report_doc_int.h"

static const struct {
    const char *cite;
    const char *full;
} refs[APP_REF_COUNT] = {
    [APP_REF_BEGG1994] = {"Begg & Mazumdar 1994", "Begg CB, Mazumdar M (1994). Operating characteristics of a rank correlation test for publication bias. Biometrics 50:1088–1101."},
    [APP_REF_BORENSTEIN2013] = {"Borenstein & Higgins 2013", "Borenstein M, Higgins JPT (2013). Meta-analysis and subgroups. Prev Sci 14:134–143."},
    [APP_REF_COCHRAN1954] = {"Cochran 1954", "Cochran WG (1954). The combination of estimates from different experiments. Biometrics 10:101–129."},
    [APP_REF_DEEKS2010] = {"Deeks & Higgins 2010", "Deeks JJ, Higgins JPT (2010). Statistical algorithms in Review Manager 5. Cochrane Statistical Methods Group."},
    [APP_REF_DERSIMONIAN1986] = {"DerSimonian & Laird 1986", "DerSimonian R, Laird N (1986). Meta-analysis in clinical trials. Control Clin Trials 7:177–188."},
    [APP_REF_DUVAL2000] = {"Duval & Tweedie 2000", "Duval S, Tweedie R (2000). Trim and fill: a simple funnel-plot-based method of testing and adjusting for publication bias in meta-analysis. Biometrics 56:455–463."},
    [APP_REF_EGGER1997] = {"Egger et al. 1997", "Egger M, Davey Smith G, Schneider M, Minder C (1997). Bias in meta-analysis detected by a simple, graphical test. BMJ 315:629–634."},
    [APP_REF_GREENLAND1985] = {"Greenland & Robins 1985", "Greenland S, Robins JM (1985). Estimation of a common effect parameter from sparse follow-up data. Biometrics 41:55–68."},
    [APP_REF_HARTUNG2001] = {"Hartung & Knapp 2001", "Hartung J, Knapp G (2001). A refined method for the meta-analysis of controlled clinical trials with binary outcome. Stat Med 20:3875–3889."},
    [APP_REF_HEDGES1981] = {"Hedges 1981", "Hedges LV (1981). Distribution theory for Glass's estimator of effect size and related estimators. J Educ Stat 6:107–128."},
    [APP_REF_HEDGES1983] = {"Hedges 1983", "Hedges LV (1983). A random effects model for effect sizes. Psychol Bull 93:388–395."},
    [APP_REF_HIGGINS2002] = {"Higgins & Thompson 2002", "Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a meta-analysis. Stat Med 21:1539–1558."},
    [APP_REF_HIGGINS2004] = {"Higgins & Thompson 2004", "Higgins JPT, Thompson SG (2004). Controlling the risk of spurious findings from meta-regression. Stat Med 23:1663–1682."},
    [APP_REF_HIGGINS2009] = {"Higgins et al. 2009", "Higgins JPT, Thompson SG, Spiegelhalter DJ (2009). A re-evaluation of random-effects meta-analysis. J R Stat Soc A 172:137–159."},
    [APP_REF_HUNTER2004] = {"Hunter & Schmidt 2004", "Hunter JE, Schmidt FL (2004). Methods of Meta-Analysis: Correcting Error and Bias in Research Findings, 2nd ed. Sage."},
    [APP_REF_INTHOUT2016] = {"IntHout et al. 2016", "IntHout J, Ioannidis JPA, Rovers MM, Goeman JJ (2016). Plea for routinely presenting prediction intervals in meta-analysis. BMJ Open 6:e010247."},
    [APP_REF_KNAPP2003] = {"Knapp & Hartung 2003", "Knapp G, Hartung J (2003). Improved tests for a random effects meta-regression with a single covariate. Stat Med 22:2693–2710."},
    [APP_REF_MANTEL1959] = {"Mantel & Haenszel 1959", "Mantel N, Haenszel W (1959). Statistical aspects of the analysis of data from retrospective studies of disease. J Natl Cancer Inst 22:719–748."},
    [APP_REF_MILLER1978] = {"Miller 1978", "Miller JJ (1978). The inverse of the Freeman-Tukey double arcsine transformation. Am Stat 32:138."},
    [APP_REF_MORRIS1983] = {"Morris 1983", "Morris CN (1983). Parametric empirical Bayes inference: theory and applications. J Am Stat Assoc 78:47–55."},
    [APP_REF_OLKIN2012] = {"Olkin et al. 2012", "Olkin I, Dahabreh IJ, Trikalinos TA (2012). GOSH – a graphical display of study heterogeneity. Res Synth Methods 3:214–223."},
    [APP_REF_ORWIN1983] = {"Orwin 1983", "Orwin RG (1983). A fail-safe N for effect size in meta-analysis. J Educ Stat 8:157–159."},
    [APP_REF_PAULE1982] = {"Paule & Mandel 1982", "Paule RC, Mandel J (1982). Consensus values and weighting factors. J Res Natl Bur Stand 87:377–385."},
    [APP_REF_PETERS2006] = {"Peters et al. 2006", "Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L (2006). Comparison of two methods to detect publication bias in meta-analysis. JAMA 295:676–680."},
    [APP_REF_RAUDENBUSH2009] = {"Raudenbush 2009", "Raudenbush SW (2009). Analyzing effect sizes: random-effects models. In: Cooper H, Hedges LV, Valentine JC (eds). The Handbook of Research Synthesis and Meta-Analysis, 2nd ed. Russell Sage Foundation, 295–315."},
    [APP_REF_ROBINS1986] = {"Robins et al. 1986", "Robins J, Breslow N, Greenland S (1986). Estimators of the Mantel-Haenszel variance consistent in both sparse data and large-strata limiting models. Biometrics 42:311–323."},
    [APP_REF_ROSENBERG2005] = {"Rosenberg 2005", "Rosenberg MS (2005). The file-drawer problem revisited: a general weighted method for calculating fail-safe numbers in meta-analysis. Evolution 59:464–468."},
    [APP_REF_ROSENTHAL1979] = {"Rosenthal 1979", "Rosenthal R (1979). The file drawer problem and tolerance for null results. Psychol Bull 86:638–641."},
    [APP_REF_ROVER2015] = {"Röver et al. 2015", "Röver C, Knapp G, Friede T (2015). Hartung-Knapp-Sidik-Jonkman approach and its modification for random-effects meta-analysis with few studies. BMC Med Res Methodol 15:99."},
    [APP_REF_SATO1989] = {"Sato et al. 1989", "Sato T, Greenland S, Robins JM (1989). On the variance estimator for the Mantel-Haenszel risk difference. Biometrics 45:1323–1324."},
    [APP_REF_SCHUNEMANN2024] = {"Schünemann et al. 2024", "Schünemann HJ, Vist GE, Higgins JPT, et al. (2024). Chapter 15: Interpreting results and drawing conclusions. In: Higgins JPT, Thomas J, et al. (eds). Cochrane Handbook for Systematic Reviews of Interventions, version 6.5. Cochrane."},
    [APP_REF_SIDIK2002] = {"Sidik & Jonkman 2002", "Sidik K, Jonkman JN (2002). A simple confidence interval for meta-analysis. Stat Med 21:3153–3159."},
    [APP_REF_SIDIK2005] = {"Sidik & Jonkman 2005", "Sidik K, Jonkman JN (2005). Simple heterogeneity variance estimation for meta-analysis. J R Stat Soc C 54:367–384."},
    [APP_REF_VIECHTBAUER2005] = {"Viechtbauer 2005", "Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the random-effects model. J Educ Behav Stat 30:261–293."},
    [APP_REF_VIECHTBAUER2007] = {"Viechtbauer 2007", "Viechtbauer W (2007). Confidence intervals for the amount of heterogeneity in meta-analysis. Stat Med 26:37–52."},
    [APP_REF_VIECHTBAUER2010C] = {"Viechtbauer & Cheung 2010", "Viechtbauer W, Cheung MW-L (2010). Outlier and influence diagnostics for meta-analysis. Res Synth Methods 1:112–125."},
    [APP_REF_YUSUF1985] = {"Yusuf et al. 1985", "Yusuf S, Peto R, Lewis J, Collins R, Sleight P (1985). Beta blockade during and after myocardial infarction: an overview of the randomized trials. Prog Cardiovasc Dis 27:335–371."},
    [APP_REF_BAUJAT2002] = {"Baujat et al. 2002", "Baujat B, Mahé C, Pignon JP, Hill C (2002). A graphical method for exploring heterogeneity in meta-analyses: application to a meta-analysis of 65 trials. Stat Med 21:2641–2652."},
};

const char *doc_cite(doc *d, app_ref ref)
{
    d->cited |= (uint64_t)1 << ref;
    return refs[ref].cite;
}

static int by_entry(const void *a, const void *b)
{
    return strcmp(refs[*(const int *)a].full, refs[*(const int *)b].full);
}

void doc_references(doc *d)
{
    int order[APP_REF_COUNT], n = 0;
    for (int i = 0; i < APP_REF_COUNT; i++)
        if (d->cited & ((uint64_t)1 << i))
            order[n++] = i;
    if (n == 0)
        return;
    qsort(order, (size_t)n, sizeof order[0], by_entry);
    doc_raw(d, "<ul class=\"refs\">\n", NULL, NULL);
    for (int i = 0; i < n; i++) {
        doc_raw(d, "<li>", "- ", "  - ");
        doc_prose(d, "%s", refs[order[i]].full);
        doc_raw(d, "</li>\n", "\n", "\n");
    }
    doc_raw(d, "</ul>\n", "\n", "\n");
}

int app_doc_references(uint64_t cited, app_markup m, sbuf *o)
{
    doc d;
    memset(&d, 0, sizeof d);
    d.o = o;
    d.m = m;
    d.cited = cited;
    doc_references(&d);
    return o->oom ? -1 : 0;
}
