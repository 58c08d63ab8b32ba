/*
 * check_report.c - the findings of `metasyn check`: the list that holds
 * them, their order, and the text and JSON reports (docs/cli/check.md).
 *
 * Text is one line per finding in the compiler style editors understand,
 * FILE:LINE:COL: severity: message, then a summary line.  JSON keeps the
 * same fields under fixed keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#include "check_int.h"

void app_findings_free(app_findings *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        app_free(l->f[i].column);
        app_free(l->f[i].study);
        app_free(l->f[i].message);
    }
    app_free(l->f);
    l->f = NULL;
    l->n = l->cap = 0;
}

static int cmp_finding(const void *pa, const void *pb)
{
    const app_finding *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->column_index != b->column_index)
        return a->column_index < b->column_index ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void app_findings_sort(app_findings *l)
{
    if (l->n > 1)
        qsort(l->f, l->n, sizeof *l->f, cmp_finding);
}

size_t app_findings_count(const app_findings *l, check_severity s)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->f[i].severity == s;
    return n;
}

const char *app_check_severity_name(check_severity s)
{
    return s == CHECK_ERROR ? "error" : s == CHECK_WARNING ? "warning" : "hint";
}

void app_finding_format(const char *file, const app_finding *f, sbuf *out)
{
    sb_printf(out, "%s:%ld:", file, f->line);
    if (f->column_index > 0)
        sb_printf(out, "%d:", f->column_index);
    sb_printf(out, " %s: %s", app_check_severity_name(f->severity), f->message);
}

static void plural(sbuf *b, size_t n, const char *one, const char *many)
{
    sb_printf(b, "%zu %s", n, n == 1 ? one : many);
}

int app_check_text(const char *file, const app_findings *l, sbuf *out)
{
    for (size_t i = 0; i < l->n; i++) {
        app_finding_format(file, &l->f[i], out);
        sb_puts(out, "\n");
    }
    plural(out, app_findings_count(l, CHECK_ERROR), "error", "errors");
    sb_puts(out, ", ");
    plural(out, app_findings_count(l, CHECK_WARNING), "warning", "warnings");
    sb_puts(out, ", ");
    plural(out, app_findings_count(l, CHECK_HINT), "hint", "hints");
    sb_puts(out, " in ");
    plural(out, l->studies, "study", "studies");
    sb_puts(out, "\n");
    return out->oom ? -1 : 0;
}

static json_t *finding_json(jb *c, const app_finding *f)
{
    json_t *o = json_object();
    jb_put(c, o, "severity", json_string(app_check_severity_name(f->severity)));
    jb_put(c, o, "code", json_string(f->code));
    jb_put(c, o, "line", json_integer(f->line));
    jb_put(c, o, "column", jb_str(f->column));
    jb_put(c, o, "column_index", f->column_index > 0 ? json_integer(f->column_index) : json_null());
    jb_put(c, o, "study", jb_str(f->study));
    jb_put(c, o, "message", json_string(f->message));
    return o;
}

int app_check_json(const char *file, const app_findings *l, sbuf *out)
{
    jb c = {0};
    json_t *root = json_object(), *arr = json_array(), *counts = json_object();
    for (size_t i = 0; i < l->n; i++)
        jb_append(&c, arr, finding_json(&c, &l->f[i]));
    jb_put(&c, counts, "error", json_integer((json_int_t)app_findings_count(l, CHECK_ERROR)));
    jb_put(&c, counts, "warning", json_integer((json_int_t)app_findings_count(l, CHECK_WARNING)));
    jb_put(&c, counts, "hint", json_integer((json_int_t)app_findings_count(l, CHECK_HINT)));
    jb_put(&c, root, "file", json_string(file));
    jb_put(&c, root, "measure", jb_str(l->measure));
    jb_put(&c, root, "data", jb_str(l->data));
    jb_put(&c, root, "studies", json_integer((json_int_t)l->studies));
    jb_put(&c, root, "findings", arr);
    jb_put(&c, root, "counts", counts);
    return jb_dump(&c, root, out);
}
