/*
 * review_prisma.c - `metasyn review prisma`: the PRISMA 2020 counts of the
 * review file and its flow diagram.  Counting: app/review_prisma.c;
 * drawing: app/plot_prisma.c; docs/cli/review-prisma.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#include "cli.h"
#include "review_cli.h"
#include "review_prisma.h"

static const char usage[] =
    "Usage: metasyn review prisma [--review FILE] [--out FILE.svg|.pdf|.png]\n"
    "                             [--format text|csv|json] [--width W] [--dpi D]\n"
    "                             [--font FAMILY]\n"
    "\n"
    "The PRISMA 2020 flow diagram of the review and its counts, every number\n"
    "derived from the review file: records identified per database/register\n"
    "and from other methods, duplicates removed, records screened and excluded,\n"
    "reports sought, not retrieved, assessed and excluded (per reason), studies\n"
    "included and their reports.  Records still awaiting a decision are counted\n"
    "and shown, never hidden.  The counts are printed to standard output.\n"
    "\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "  -o, --out FILE       also draw the flow diagram: .svg, .pdf or .png\n"
    "                       (written atomically)\n"
    "  -f, --format F       the counts as text (default), csv (rows key,value)\n"
    "                       or json\n"
    "      --width W        the diagram's width in points (default 800 with\n"
    "                       other methods, else 500)\n"
    "      --dpi D          PNG resolution (default 300)\n"
    "      --font FAMILY    font family (default DejaVu Sans)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Definitions of every count: docs/cli/review-prisma.md.\n"
    "\n"
    "Exit codes: 0; 2 usage; 3 not a review file; 4 cannot read or write;\n"
    "6 out of memory.\n";

typedef struct opts {
    const char *review, *out, *format, *font;
    double width, dpi;
} opts;

static int set(void *ctx, int c, const char *arg)
{
    opts *o = ctx;
    double x;
    switch (c) {
    case 'r':
        o->review = arg;
        return 0;
    case 'o':
        if (plot_format_of(arg) < 0)
            return cli_bad("review prisma", "--out", arg, "a file name ending in .svg, .pdf or .png");
        o->out = arg;
        return 0;
    case 'f':
        if (strcmp(arg, "text") && strcmp(arg, "csv") && strcmp(arg, "json"))
            return cli_bad("review prisma", "--format", arg, "text, csv or json");
        o->format = arg;
        return 0;
    case 'w':
        if (!cli_parse_number(arg, &x) || x < 200 || x > 5000)
            return cli_bad("review prisma", "--width", arg, "a width in points from 200 to 5000");
        o->width = x;
        return 0;
    case 'd':
        if (!cli_parse_number(arg, &x) || x < 36 || x > 1200)
            return cli_bad("review prisma", "--dpi", arg, "a resolution from 36 to 1200");
        o->dpi = x;
        return 0;
    case 'F':
        o->font = arg;
        return 0;
    default:
        return -1;
    }
}

static const char *const bname[2] = {"databases_registers", "other_methods"};

typedef struct kv {
    const char *key;
    long long v;
} kv;

static size_t branch_rows(const rv_prisma_branch *b, kv *v)
{
    size_t n = 0;
    v[n++] = (kv){"records_identified", b->identified};
    v[n++] = (kv){"duplicates_removed", b->duplicates};
    v[n++] = (kv){"records_screened", b->screened};
    v[n++] = (kv){"records_excluded", b->excluded1};
    v[n++] = (kv){"records_awaiting_screening", b->undecided1};
    v[n++] = (kv){"reports_sought", b->sought};
    v[n++] = (kv){"reports_not_retrieved", b->not_retrieved};
    v[n++] = (kv){"reports_assessed", b->assessed};
    v[n++] = (kv){"reports_awaiting_assessment", b->undecided2};
    v[n++] = (kv){"reports_excluded", b->excluded2};
    v[n++] = (kv){"reports_included", b->included};
    return n;
}

static void csv_field(sbuf *o, const char *s) { app_csv_cell(o, s); }

static void csv_row(sbuf *o, const char *b, const char *key, const char *name, long long v)
{
    sbuf k;
    sb_init(&k);
    if (b)
        sb_printf(&k, "%s.", b);
    sb_puts(&k, key);
    if (name)
        sb_printf(&k, ".%s", name);
    if (k.oom)
        o->oom = 1;
    else
        csv_field(o, k.p);
    sb_printf(o, ",%lld\n", v);
    sb_free(&k);
}

static void counts_csv(const rv_prisma *c, int nb, sbuf *o)
{
    kv v[16];
    sb_puts(o, "key,value\n");
    for (int k = 0; k < nb; k++) {
        const rv_prisma_branch *b = &c->b[k];
        size_t n = branch_rows(b, v);
        csv_row(o, bname[k], v[0].key, NULL, v[0].v);
        for (size_t i = 0; i < b->nsources; i++)
            csv_row(o, bname[k], "source", b->sources[i].name, b->sources[i].n);
        for (size_t i = 1; i < n; i++) {
            csv_row(o, bname[k], v[i].key, NULL, v[i].v);
            if (strcmp(v[i].key, "reports_excluded") == 0)
                for (size_t j = 0; j < b->nreasons; j++)
                    csv_row(o, bname[k], "reason", b->reasons[j].name, b->reasons[j].n);
        }
    }
    csv_row(o, NULL, "studies_included", NULL, c->studies);
    csv_row(o, NULL, "reports_of_included_studies", NULL, c->reports);
    csv_row(o, NULL, "included_reports_without_study_id", NULL, c->unassigned);
}

static int counts_json(const rv_prisma *c, int nb, sbuf *o)
{
    jb j = {0};
    json_t *root = json_object();
    kv v[16];
    if (!root)
        return -1;
    jb_put(&j, root, "title", json_string(c->title));
    for (int k = 0; k < nb; k++) {
        const rv_prisma_branch *b = &c->b[k];
        json_t *br = json_object(), *src = json_array(), *rs = json_array();
        size_t n = branch_rows(b, v);
        if (!br || !src || !rs) {
            json_decref(br), json_decref(src), json_decref(rs);
            j.oom = 1;
            break;
        }
        for (size_t i = 0; i < b->nsources; i++) {
            json_t *x = json_object();
            jb_put(&j, x, "source", json_string(b->sources[i].name));
            jb_put(&j, x, "records", json_integer(b->sources[i].n));
            jb_append(&j, src, x);
        }
        for (size_t i = 0; i < b->nreasons; i++) {
            json_t *x = json_object();
            jb_put(&j, x, "reason", json_string(b->reasons[i].name));
            jb_put(&j, x, "reports", json_integer(b->reasons[i].n));
            jb_append(&j, rs, x);
        }
        jb_put(&j, br, v[0].key, json_integer(v[0].v));
        jb_put(&j, br, "sources", src);
        for (size_t i = 1; i < n; i++)
            jb_put(&j, br, v[i].key, json_integer(v[i].v));
        jb_put(&j, br, "exclusion_reasons", rs);
        jb_put(&j, root, bname[k], br);
    }
    jb_put(&j, root, "studies_included", json_integer(c->studies));
    jb_put(&j, root, "reports_of_included_studies", json_integer(c->reports));
    jb_put(&j, root, "included_reports_without_study_id", json_integer(c->unassigned));
    return jb_dump(&j, root, o);
}

static void counts_text(const rv_prisma *c, int nb, sbuf *o)
{
    static const char *const head[2] = {"Databases and registers", "Other methods"};
    for (int k = 0; k < nb; k++) {
        const rv_prisma_branch *b = &c->b[k];
        sb_printf(o, "%s\n  records identified            %lld\n", head[k], b->identified);
        for (size_t i = 0; i < b->nsources; i++)
            sb_printf(o, "    %-28s%lld\n", b->sources[i].name, b->sources[i].n);
        sb_printf(o,
                  "  duplicates removed            %lld\n"
                  "  records screened              %lld\n"
                  "  records excluded              %lld\n"
                  "  records awaiting screening    %lld\n"
                  "  reports sought for retrieval  %lld\n"
                  "  reports not retrieved         %lld\n"
                  "  reports assessed              %lld\n"
                  "  reports awaiting assessment   %lld\n"
                  "  reports excluded              %lld\n",
                  b->duplicates, b->screened, b->excluded1, b->undecided1, b->sought,
                  b->not_retrieved, b->assessed, b->undecided2, b->excluded2);
        for (size_t i = 0; i < b->nreasons; i++)
            sb_printf(o, "    %-28s%lld\n", b->reasons[i].name, b->reasons[i].n);
        sb_printf(o, "  reports included              %lld\n", b->included);
    }
    sb_printf(o,
              "Included\n"
              "  studies included in review    %lld\n"
              "  reports of included studies   %lld\n",
              c->studies, c->reports);
    if (c->unassigned)
        sb_printf(o,
                  "  included reports without a study ID: %lld (metasyn review studies --assign)\n",
                  c->unassigned);
}

/* Text inside its box, and plot_check_text's tests (METASYN_CHECK_LAYOUT). */
static int check_layout(const plot *p, const char *path, app_err *e)
{
    char why[512];
    size_t bad = plot_check_text(p, 0.25, why, sizeof why);
    for (size_t i = 0; i < p->n && !bad; i++) {
        const plot_item *t = &p->items[i];
        int inside = 0;
        if (t->op != PLOT_OP_TEXT)
            continue;
        for (size_t j = 0; j < p->n && !inside; j++) {
            const plot_item *r = &p->items[j];
            inside = r->op == PLOT_OP_RECT && t->box[0] >= fmin(r->x0, r->x1) - 0.25 &&
                     t->box[2] <= fmax(r->x0, r->x1) + 0.25 && t->box[1] >= fmin(r->y0, r->y1) - 0.25 &&
                     t->box[3] <= fmax(r->y0, r->y1) + 0.25;
        }
        if (!inside) {
            bad++;
            snprintf(why, sizeof why, "\"%s\" is not inside a box", t->text);
        }
    }
    if (bad)
        app_err_set(e, APP_EXIT_INTERNAL, "%s: layout check: %zu problem%s, first: %s", path, bad,
                    bad == 1 ? "" : "s", why);
    return bad ? -1 : 0;
}

int review_prisma(int argc, char **argv)
{
    static const struct option lo[] = {{"review", required_argument, NULL, 'r'},
                                       {"out", required_argument, NULL, 'o'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"width", required_argument, NULL, 'w'},
                                       {"dpi", required_argument, NULL, 'd'},
                                       {"font", required_argument, NULL, 'F'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    opts o = {NULL, NULL, "text", NULL, 0, 300};
    rv_db r;
    rv_prisma c;
    plot p;
    sbuf out;
    app_err e = {0};
    int rc, rest, nb, drawn = 0;
    if ((rc = cli_getopt(argc, argv, "review prisma", ":r:o:f:h", lo, usage, set, &o, &rest)) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (rest != argc)
        return cli_usage_error("review prisma", "no operands are taken"), APP_EXIT_USAGE;
    if ((rc = review_open("prisma", o.review, &r)) != 0)
        return rc;
    sb_init(&out);
    memset(&p, 0, sizeof p);
    rc = rv_prisma_count(&r, &c, &e);
    rv_close(&r);
    if (rc)
        goto fail;
    nb = c.b[1].identified > 0 || c.b[1].nsources > 0 ? 2 : 1;
    if (strcmp(o.format, "json") == 0) {
        if (counts_json(&c, nb, &out)) {
            app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
            goto fail;
        }
    } else if (strcmp(o.format, "csv") == 0)
        counts_csv(&c, nb, &out);
    else
        counts_text(&c, nb, &out);
    if (out.oom) {
        app_err_set(&e, APP_EXIT_INTERNAL, "out of memory");
        goto fail;
    }
    if (o.out) {
        drawn = 1;
        if (plot_prisma(&c, &p, o.width, o.font, &e) ||
            (getenv("METASYN_CHECK_LAYOUT") && check_layout(&p, o.out, &e)) ||
            plot_write(&p, o.out, o.dpi, &e))
            goto fail;
    }
    fwrite(out.p, 1, out.len, stdout);
    if (fflush(stdout) != 0) {
        app_err_set(&e, APP_EXIT_IO, "cannot write to standard output");
        goto fail;
    }
    rc = 0;
    goto done;
fail:
    rc = review_fail("prisma", &e);
done:
    if (drawn)
        plot_free(&p);
    rv_prisma_free(&c);
    sb_free(&out);
    return rc;
}
