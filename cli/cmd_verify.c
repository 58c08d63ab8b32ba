/*
 * cmd_verify.c - `metasyn verify`: are reported statistics consistent?
 *
 * Structured mode checks one result given as options (--estimate, --ci,
 * --p, ...); text mode finds every reported result in a text file and
 * checks each.  Exit 0 when everything checked is consistent, 1 when
 * something is not.  docs/cli/verify.md.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "verify.h"

static const char usage[] =
    "Usage: metasyn verify [OPTIONS]              one reported result, given as options\n"
    "       metasyn verify [OPTIONS] FILE.txt     every result reported in a text (- = stdin)\n"
    "\n"
    "Check that reported statistics agree with each other, allowing for the\n"
    "rounding of every number: a value written 0.004 stands for 0.0035 to\n"
    "0.0045, p < 0.001 for 0 to 0.001.  Recomputes the SE from the CI (log scale\n"
    "for ratio measures), p from the estimate and SE, I² from Q and df, the P\n"
    "of Q and of Z, and checks stated totals against their parts.\n"
    "\n"
    "  -m, --measure M       OR RR HR IRR ROM PETO (ratios: log scale) or\n"
    "                        MD SMD SMDH RD GEN (linear); not given: both scales tried\n"
    "  -e, --estimate X      the estimate (ratio measures: the ratio itself)\n"
    "      --ci LO,HI        its confidence interval: LO,HI  LO;HI  \"LO to HI\"  \"[LO; HI]\"\n"
    "      --level L         level of the CI (default 95)\n"
    "      --ci-df N         the CI and p are t-based with N df (HKSJ); default normal\n"
    "      --p P             p-value of the estimate: 0.004, \"<0.001\", \"=0.000\"\n"
    "      --z Z             its Z statistic (RevMan: Test for overall effect)\n"
    "      --q Q             heterogeneity statistic Q (RevMan: Chi²)\n"
    "      --df N            its degrees of freedom (number of studies - 1); also --q-df\n"
    "      --q-p P           the P of Q\n"
    "      --i2 I2           I² in percent (57 or 57%)\n"
    "      --n N             a stated total ...\n"
    "      --parts A,B,...   ... and the parts it should be the sum of\n"
    "  -f, --format F        text (default) or json\n"
    "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
    "  -h, --help            show this help\n"
    "\n"
    "Numbers may use a decimal comma and a Unicode minus (−0,47).  Text files may\n"
    "be UTF-8 or Windows-1252; English and Dutch are recognised.\n"
    "Exit codes: 0 consistent, 1 something inconsistent, 2 usage error,\n"
    "4 cannot read or write, 6 out of memory.\n";

enum { OPT_CI = 256, OPT_LEVEL, OPT_DF, OPT_P, OPT_Z, OPT_Q, OPT_QDF, OPT_QP, OPT_I2, OPT_N, OPT_PARTS };

static const struct option long_opts[] = {
    {"measure", required_argument, NULL, 'm'}, {"estimate", required_argument, NULL, 'e'},
    {"ci", required_argument, NULL, OPT_CI},    {"level", required_argument, NULL, OPT_LEVEL},
    {"ci-df", required_argument, NULL, OPT_DF}, {"df", required_argument, NULL, OPT_QDF},
    {"p", required_argument, NULL, OPT_P},
    {"z", required_argument, NULL, OPT_Z},      {"q", required_argument, NULL, OPT_Q},
    {"q-df", required_argument, NULL, OPT_QDF}, {"q-p", required_argument, NULL, OPT_QP},
    {"i2", required_argument, NULL, OPT_I2},    {"n", required_argument, NULL, OPT_N},
    {"parts", required_argument, NULL, OPT_PARTS},
    {"format", required_argument, NULL, 'f'},   {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};

typedef struct vopts {
    vf_input in;
    const char *format, *output, *input;
    int structured;          /* a result was given as options           */
} vopts;

static int bad(const char *opt, const char *val, const char *expect)
{
    return cli_bad("verify", opt, val, expect);
}

/* A number for option opt; rel_ok: "<0.001" allowed; [lo, hi] its range. */
static int number(const char *opt, const char *arg, vf_num *n, int rel_ok, double lo, double hi,
                  const char *expect)
{
    const char *why;
    if (vf_parse_num(arg, n, &why) != 0 || (!rel_ok && n->rel != VF_EQ) || !(n->x >= lo) ||
        !(n->x <= hi))
        return bad(opt, arg, expect);
    vf_num_clip(n, lo, hi);
    return 0;
}

static int whole(const char *opt, const char *arg, vf_num *n, double min, const char *expect)
{
    if (number(opt, arg, n, 0, min, 1e15, expect) != 0)
        return -1;
    if (n->x != (double)(long long)n->x)
        return bad(opt, arg, expect);
    vf_num_set(n, n->x, 0, VF_EQ);
    n->lo = n->hi = n->x; /* counts and df are exact */
    return 0;
}

static int parts(const char *arg, vf_input *in)
{
    char buf[256], *tok, *save = NULL;
    if (strlen(arg) >= sizeof buf)
        return bad("--parts", arg, "at most 8 whole numbers separated by commas");
    strcpy(buf, arg);
    in->nparts = 0;
    for (tok = strtok_r(buf, ",+; ", &save); tok; tok = strtok_r(NULL, ",+; ", &save)) {
        if (in->nparts == VF_MAX_PARTS ||
            whole("--parts", tok, &in->part[in->nparts], 0, "whole numbers separated by commas") != 0)
            return in->nparts == VF_MAX_PARTS ? bad("--parts", arg, "at most 8 parts") : -1;
        in->nparts++;
    }
    if (in->nparts < 2)
        return bad("--parts", arg, "two or more whole numbers separated by commas, such as 170,181");
    return 0;
}

static int option(void *ctx, int c, const char *arg)
{
    vopts *o = ctx;
    vf_input *in = &o->in;
    vf_num n;
    const char *why;
    if (c != 'f' && c != 'o')
        o->structured = 1;
    switch (c) {
    case 'm':
        if ((in->scale = vf_measure_scale(arg, &in->measure)) == VF_SCALE_UNKNOWN)
            return bad("--measure", arg, "OR, RR, HR, IRR, ROM, PETO, MD, SMD, SMDH, RD or GEN");
        return 0;
    case 'e':
        return number("--estimate", arg, &in->est, 0, -1e300, 1e300, "a number, such as -0.28 or 1.52");
    case OPT_CI:
        if (vf_parse_ci(arg, &in->lo, &in->hi, &why) != 0)
            return bad("--ci", arg, "two numbers, such as -0.47,-0.09 or \"1.10 to 2.10\"");
        if (!(in->lo.x < in->hi.x))
            return bad("--ci", arg, "the lower bound first, and below the upper bound");
        return 0;
    case OPT_LEVEL:
        if (vf_parse_num(arg, &n, &why) != 0 || n.rel != VF_EQ || !(n.x > 0 && n.x < 100))
            return bad("--level", arg, "a confidence level such as 95 or 0.95");
        in->level = n.x > 1 ? n.x / 100 : n.x;
        return 0;
    case OPT_DF:
        if (vf_parse_num(arg, &n, &why) != 0 || n.rel != VF_EQ || !(n.x > 0 && n.x < 1e9))
            return bad("--ci-df", arg, "degrees of freedom > 0 of the t distribution, such as 9");
        in->df = n.x;
        return 0;
    case OPT_P:
        return number("--p", arg, &in->p, 1, 0, 1, "a p-value between 0 and 1, such as 0.004 or \"<0.001\"");
    case OPT_Z:
        return number("--z", arg, &in->z, 0, -1e300, 1e300, "a number, such as 2.89");
    case OPT_Q:
        return number("--q", arg, &in->q, 0, 0, 1e300, "a number >= 0, such as 9.30");
    case OPT_QDF:
        return whole("--df", arg, &in->q_df, 1, "a whole number >= 1 (number of studies - 1)");
    case OPT_QP:
        return number("--q-p", arg, &in->q_p, 1, 0, 1, "a p-value between 0 and 1, such as 0.05");
    case OPT_I2:
        return number("--i2", arg, &in->i2, 1, 0, 100, "a percentage between 0 and 100, such as 57");
    case OPT_N:
        return whole("--n", arg, &in->total, 0, "a whole number, such as 341");
    case OPT_PARTS:
        return parts(arg, in);
    case 'f':
        if (strcasecmp(arg, "text") != 0 && strcasecmp(arg, "json") != 0)
            return bad("--format", arg, "text or json");
        o->format = strcasecmp(arg, "json") == 0 ? "json" : "text";
        return 0;
    case 'o':
        o->output = arg;
        return 0;
    default:
        return -1;
    }
}

/* 0 ok, 1 help printed, -1 usage error (message printed). */
static int parse(int argc, char **argv, vopts *o)
{
    int rc, rest;
    if ((rc = cli_getopt(argc, argv, "verify", ":m:e:f:o:h", long_opts, usage, option, o, &rest)) != 0)
        return rc;
    if (argc - rest > 1 || (argc - rest == 1 && o->structured) || (argc == rest && !o->structured)) {
        return cli_usage_error("verify", argc - rest > 1 ? "more than one input file given"
                                         : o->structured   ? "give a result as options or a text file, not both"
                                                           : "nothing to check: give a result as options (--estimate, --ci, "
                                                             "--p, ...) or a text file (- for standard input)");
    }
    if ((o->in.total.set != 0) != (o->in.nparts > 0)) {
        return cli_usage_error("verify", "--n and --parts go together");
    }
    o->input = argc > rest ? argv[rest] : NULL;
    return 0;
}

static int structured(vopts *o, sbuf *out, int *findings)
{
    vf_result r;
    char why[300];
    if (vf_verify(&o->in, &r, why, sizeof why) != 0) {
        fprintf(stderr, "metasyn verify: %s\nTry 'metasyn verify --help'.\n", why);
        return APP_EXIT_USAGE;
    }
    *findings = r.n_inconsistent > 0;
    if ((strcmp(o->format, "json") == 0 ? vf_report_json(&o->in, &r, out) : vf_report_text(&o->in, &r, out)) != 0) {
        fputs("metasyn verify: out of memory while writing the output\n", stderr);
        return APP_EXIT_INTERNAL;
    }
    return APP_EXIT_OK;
}

static int text(vopts *o, sbuf *out, int *findings)
{
    char *data = NULL;
    size_t len = 0;
    app_err e = {0, ""};
    vf_doc doc;
    int rc = APP_EXIT_OK;
    const char *name = strcmp(o->input, "-") == 0 ? "<stdin>" : o->input;
    if (app_read_file(o->input, &data, &len, &e) != 0 || vf_scan_text(name, data, len, &doc, &e) != 0) {
        app_free(data);
        fprintf(stderr, "metasyn verify: %s\n", e.msg);
        return e.code;
    }
    app_free(data);
    *findings = vf_doc_inconsistent(&doc) > 0;
    if ((strcmp(o->format, "json") == 0 ? vf_doc_json(&doc, out) : vf_doc_text(&doc, out)) != 0) {
        fputs("metasyn verify: out of memory while writing the output\n", stderr);
        rc = APP_EXIT_INTERNAL;
    }
    vf_doc_free(&doc);
    return rc;
}

int cmd_verify(int argc, char **argv)
{
    vopts o;
    sbuf out;
    app_err e = {0, ""};
    int rc, findings = 0;
    memset(&o, 0, sizeof o);
    vf_input_init(&o.in);
    o.format = "text";
    if ((rc = parse(argc, argv, &o)) != 0)
        return rc > 0 ? APP_EXIT_OK : APP_EXIT_USAGE;
    sb_init(&out);
    rc = o.input ? text(&o, &out, &findings) : structured(&o, &out, &findings);
    if (rc == APP_EXIT_OK && app_write_output(o.output, out.p ? out.p : "", out.len, &e) != 0) {
        fprintf(stderr, "metasyn verify: %s\n", e.msg);
        rc = e.code;
    }
    sb_free(&out);
    if (rc == APP_EXIT_OK && findings)
        rc = APP_EXIT_FINDINGS;
    return rc;
}
