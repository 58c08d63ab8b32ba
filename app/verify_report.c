/*
 * verify_report.c - what `metasyn verify` prints: for one reported result
 * (structured mode) or for every statement found in a text, the values
 * recomputed from the report, each check with its verdict, and the SE for
 * entering the result as generic inverse-variance data.  Text for people,
 * JSON with stable keys for programs (docs/cli/verify.md).
 */
#include <math.h>
#include <string.h>

#include "json.h"

#include "verify.h"

static const char *const rel_names[] = {"=", "<", "<=", ">", ">="};

/* A reported number as written. */
static void sb_rep(sbuf *b, const vf_num *n)
{
    sb_printf(b, "%s%s%.*f", n->rel == VF_EQ ? "" : rel_names[n->rel], n->rel == VF_EQ ? "" : " ",
              n->dec > 0 ? n->dec : 0, n->x);
}

/* One line echoing what was checked: "SMD -0.28 (95% CI -0.47 to -0.09), p = 0.004". */
static void echo(sbuf *b, const vf_input *in)
{
    const char *sep = "";
    if (in->measure)
        sb_printf(b, "%s ", in->measure);
    if (in->est.set)
        sb_rep(b, &in->est), sep = " ";
    if (in->lo.set) {
        sb_printf(b, "%s(%.10g%% CI ", sep, 100 * in->level);
        sb_rep(b, &in->lo);
        sb_puts(b, " to ");
        sb_rep(b, &in->hi);
        sb_puts(b, ")");
        sep = ", ";
    }
#define ITEM(field, label, suffix)                                                                \
    if (in->field.set) {                                                                          \
        sb_printf(b, "%s%s %s ", sep, label, in->field.rel == VF_EQ ? "=" : rel_names[in->field.rel]); \
        sb_printf(b, "%.*f%s", in->field.dec > 0 ? in->field.dec : 0, in->field.x, suffix);      \
        sep = ", ";                                                                               \
    }
    ITEM(p, "p", "")
    ITEM(z, "Z", "")
    ITEM(tau2, "Tau²", "")
    ITEM(q, "Q", "")
    ITEM(q_df, "df", "")
    ITEM(q_p, "P(Q)", "")
    ITEM(i2, "I²", "%")
#undef ITEM
    if (in->total.set) {
        sb_printf(b, "%stotal %.0f:", sep, in->total.x);
        for (size_t i = 0; i < in->nparts; i++)
            sb_printf(b, "%s %.0f", i ? " +" : "", in->part[i].x);
    }
    if (!isnan(in->df))
        sb_printf(b, " (t distribution, %.10g df)", in->df);
}

static const char *scale_word(const vf_result *r)
{
    return r->scale == VF_SCALE_LOG ? "log" : "linear";
}

static void range_line(sbuf *b, const char *label, const vf_range *x)
{
    if (isnan(x->x))
        return;
    sb_puts(b, "  ");
    sb_pad(b, label, 22, 0);
    sb_printf(b, " %.4g (%.4g to %.4g given the rounding)\n", x->x, x->lo, x->hi);
}

static const char *status_word(vf_status s)
{
    return s == VF_CONSISTENT ? "consistent  " : s == VF_INCONSISTENT ? "INCONSISTENT" : "not checked ";
}

static void checks_text(sbuf *b, const vf_result *r, const char *indent)
{
    for (size_t i = 0; i < r->nchecks; i++)
        sb_printf(b, "%s%s  %s: %s\n", indent, status_word(r->check[i].status), r->check[i].name,
                  r->check[i].msg);
}

/* "For entry as generic inverse-variance data: yi = 0.41871 (log OR), sei = 0.164959". */
static void generic_line(sbuf *b, const vf_input *in, const vf_result *r, const char *lead)
{
    if (isnan(r->se.x) || isnan(r->yi.x))
        return;
    sb_printf(b, "%s entry as generic inverse-variance data: yi = %.6g%s%s%s, sei = %.6g\n", lead,
              r->yi.x,
              r->scale == VF_SCALE_LOG ? " (log " : "",
              r->scale == VF_SCALE_LOG ? (in->measure ? in->measure : "ratio") : "",
              r->scale == VF_SCALE_LOG ? ")" : "", r->se.x);
}

static void counts(sbuf *b, const vf_result *r)
{
    int nc = 0;
    for (size_t i = 0; i < r->nchecks; i++)
        nc += r->check[i].status == VF_NOT_CHECKED;
    sb_printf(b, "%d consistent, %d inconsistent, %d not checked", r->n_consistent,
              r->n_inconsistent, nc);
}

int vf_report_text(const vf_input *in, const vf_result *r, sbuf *out)
{
    vf_status s = vf_result_status(r);
    sb_puts(out, "Reported: ");
    echo(out, in);
    sb_puts(out, "\n");
    if (!isnan(r->se.x))
        sb_printf(out, "Recomputed (%s scale%s, %s, critical value %.6g):\n", scale_word(r),
                  r->scale_guessed ? ", measure not named" : "",
                  isnan(in->df) ? "normal distribution" : "t distribution", r->crit);
    else if (!isnan(r->i2.x))
        sb_puts(out, "Recomputed:\n");
    {
        range_line(out, r->yi_from_ci ? "estimate (CI midpoint)" : "estimate", &r->yi);
        range_line(out, "SE from the CI", &r->se);
        range_line(out, "|estimate|/SE", &r->z);
        range_line(out, "p", &r->p);
        range_line(out, "I² (%) from Q and df", &r->i2);
        range_line(out, "P of Q", &r->q_p);
    }
    sb_puts(out, "Checks:\n");
    checks_text(out, r, "  ");
    if (r->nchecks == 0)
        sb_puts(out, "  nothing to check: give an estimate with its CI, p, Z, or Q with df and I²\n");
    generic_line(out, in, r, "For");
    sb_printf(out, "Result: %s (", s == VF_CONSISTENT ? "consistent" : s == VF_INCONSISTENT
                                                                         ? "INCONSISTENT"
                                                                         : "nothing checked");
    counts(out, r);
    sb_puts(out, ")\n");
    return out->oom ? -1 : 0;
}

static const char *kind_name(int kind)
{
    static const char *const k[] = {"effect", "heterogeneity", "overall", "total"};
    return kind >= 0 && kind <= VF_KIND_TOTAL ? k[kind] : "effect";
}

int vf_doc_text(const vf_doc *doc, sbuf *out)
{
    size_t nst[3] = {0, 0, 0};
    if (doc->recoded)
        sb_printf(out, "note: %s is not valid UTF-8; it was read as Windows-1252\n", doc->file);
    for (size_t i = 0; i < doc->n; i++) {
        const vf_statement *st = &doc->st[i];
        vf_status s = vf_result_status(&st->res);
        nst[s]++;
        sb_printf(out, "%s:%ld:%ld: %s\n", doc->file, st->line, st->col, st->text);
        checks_text(out, &st->res, "  ");
        if (st->res.nchecks == 0)
            sb_puts(out, "  not checked   nothing here can be checked against anything else\n");
        generic_line(out, &st->in, &st->res, "  for");
        sb_puts(out, "\n");
    }
    if (doc->n == 0)
        sb_printf(out, "%s: no reported results recognised\n", doc->file);
    else
        sb_printf(out, "%s: %zu statement%s: %zu consistent, %zu inconsistent, %zu not checked\n",
                  doc->file, doc->n, doc->n == 1 ? "" : "s", nst[VF_CONSISTENT],
                  nst[VF_INCONSISTENT], nst[VF_NOT_CHECKED]);
    return out->oom ? -1 : 0;
}

size_t vf_doc_inconsistent(const vf_doc *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n; i++)
        n += doc->st[i].res.n_inconsistent > 0;
    return n;
}

/* ---- JSON --------------------------------------------------------------------- */

static json_t *jnum(jb *c, const vf_num *n)
{
    json_t *o = json_object();
    jb_put(c, o, "value", json_real(n->x));
    jb_put(c, o, "relation", json_string(rel_names[n->rel]));
    jb_put(c, o, "decimals", json_integer(n->dec));
    jb_put(c, o, "lb", jb_num(n->lo));
    jb_put(c, o, "ub", jb_num(n->hi));
    return o;
}

static json_t *jinput(jb *c, const vf_input *in)
{
    json_t *o = json_object();
    jb_put(c, o, "measure", in->measure ? json_string(in->measure) : json_null());
    jb_put(c, o, "level", json_real(100 * in->level));
    jb_put(c, o, "df", jb_num(in->df));
#define NUMKEY(field, key) \
    if (in->field.set)     \
        jb_put(c, o, key, jnum(c, &in->field));
    NUMKEY(est, "estimate")
    NUMKEY(lo, "ci_lb")
    NUMKEY(hi, "ci_ub")
    NUMKEY(p, "p")
    NUMKEY(z, "z")
    NUMKEY(tau2, "tau2")
    NUMKEY(q, "q")
    NUMKEY(q_df, "q_df")
    NUMKEY(q_p, "q_p")
    NUMKEY(i2, "i2")
    NUMKEY(total, "total")
#undef NUMKEY
    if (in->nparts) {
        json_t *a = json_array();
        for (size_t i = 0; i < in->nparts; i++)
            jb_append(c, a, json_real(in->part[i].x));
        jb_put(c, o, "parts", a);
    }
    return o;
}

static void jrange(jb *c, json_t *o, const char *key, const vf_range *x)
{
    char k[32];
    jb_put(c, o, key, jb_num(x->x));
    snprintf(k, sizeof k, "%s_lb", key);
    jb_put(c, o, k, jb_num(x->lo));
    snprintf(k, sizeof k, "%s_ub", key);
    jb_put(c, o, k, jb_num(x->hi));
}

static json_t *jderived(jb *c, const vf_result *r)
{
    json_t *o = json_object();
    jb_put(c, o, "scale", json_string(scale_word(r)));
    jb_put(c, o, "scale_guessed", json_boolean(r->scale_guessed));
    jb_put(c, o, "crit", jb_num(r->crit));
    jrange(c, o, "yi", &r->yi);
    jb_put(c, o, "yi_from_ci", json_boolean(r->yi_from_ci));
    jrange(c, o, "se", &r->se);
    jrange(c, o, "z", &r->z);
    jrange(c, o, "p", &r->p);
    jrange(c, o, "i2", &r->i2);
    jrange(c, o, "q_p", &r->q_p);
    jb_put(c, o, "sum_parts", jb_num(r->sum_parts));
    return o;
}

static json_t *jchecks(jb *c, const vf_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->nchecks; i++) {
        json_t *o = json_object();
        jb_put(c, o, "name", json_string(r->check[i].name));
        jb_put(c, o, "status", json_string(vf_status_name(r->check[i].status)));
        jb_put(c, o, "message", json_string(r->check[i].msg));
        jb_append(c, a, o);
    }
    return a;
}

static json_t *tool(jb *c, const char *mode)
{
    json_t *t = json_object();
    jb_put(c, t, "name", json_string("metasyn"));
    jb_put(c, t, "version", json_string(msyn_version()));
    jb_put(c, t, "command", json_string("verify"));
    jb_put(c, t, "mode", json_string(mode));
    return t;
}

int vf_report_json(const vf_input *in, const vf_result *r, sbuf *out)
{
    jb c = {0};
    json_t *root = json_object();
    jb_put(&c, root, "metasyn", tool(&c, "structured"));
    jb_put(&c, root, "input", jinput(&c, in));
    jb_put(&c, root, "derived", jderived(&c, r));
    jb_put(&c, root, "checks", jchecks(&c, r));
    jb_put(&c, root, "status", json_string(vf_status_name(vf_result_status(r))));
    jb_put(&c, root, "consistent", json_boolean(r->n_inconsistent == 0));
    return jb_dump(&c, root, out);
}

int vf_doc_json(const vf_doc *doc, sbuf *out)
{
    jb c = {0};
    json_t *root = json_object(), *a = json_array(), *sum = json_object();
    size_t nst[3] = {0, 0, 0};
    jb_put(&c, root, "metasyn", tool(&c, "text"));
    jb_put(&c, root, "file", json_string(doc->file));
    jb_put(&c, root, "recoded_from_windows_1252", json_boolean(doc->recoded));
    for (size_t i = 0; i < doc->n; i++) {
        const vf_statement *st = &doc->st[i];
        json_t *o = json_object();
        vf_status s = vf_result_status(&st->res);
        nst[s]++;
        jb_put(&c, o, "line", json_integer(st->line));
        jb_put(&c, o, "column", json_integer(st->col));
        jb_put(&c, o, "kind", json_string(kind_name(st->kind)));
        jb_put(&c, o, "text", json_string(st->text));
        jb_put(&c, o, "input", jinput(&c, &st->in));
        jb_put(&c, o, "derived", jderived(&c, &st->res));
        jb_put(&c, o, "checks", jchecks(&c, &st->res));
        jb_put(&c, o, "status", json_string(vf_status_name(s)));
        jb_put(&c, o, "consistent", json_boolean(st->res.n_inconsistent == 0));
        jb_append(&c, a, o);
    }
    jb_put(&c, root, "statements", a);
    jb_put(&c, sum, "statements", json_integer((json_int_t)doc->n));
    jb_put(&c, sum, "consistent", json_integer((json_int_t)nst[VF_CONSISTENT]));
    jb_put(&c, sum, "inconsistent", json_integer((json_int_t)nst[VF_INCONSISTENT]));
    jb_put(&c, sum, "not_checked", json_integer((json_int_t)nst[VF_NOT_CHECKED]));
    jb_put(&c, root, "summary", sum);
    jb_put(&c, root, "consistent", json_boolean(nst[VF_INCONSISTENT] == 0));
    return jb_dump(&c, root, out);
}
