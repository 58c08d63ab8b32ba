/*
 * rob_sens.c - each study's overall risk-of-bias judgement, from a column
 * of the study file, and `pool --exclude-rob`: the analysis repeated
 * without the studies judged at a threshold or worse (Cochrane Handbook
 * 7.6 and 10.14: a sensitivity analysis restricted to studies at low risk
 * of bias).  docs/cli/pool.md.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "rob.h"

void app_robsens_free(app_robsens *s)
{
    app_free(s->level);
    app_free(s->keep);
    s->level = NULL;
    s->keep = NULL;
}

static int find_column(const app_result *r, const char *col, app_err *e)
{
    static const char *const names[] = {"rob_overall", "overall", "rob"};
    int c;
    if (col) {
        c = app_table_col(r->table, col);
        if (c < 0)
            c = app_table_col_nocase(r->table, col);
        if (c < 0)
            app_err_set(e, APP_EXIT_USAGE, "--rob-overall %s: %s has no such column", col, r->file);
        return c < 0 ? -2 : c;
    }
    for (size_t j = 0; j < r->fig.nrob; j++)
        if (strcasecmp(r->fig.rob[j], "overall") == 0)
            if ((c = app_table_col_nocase(r->table, r->fig.rob[j])) >= 0)
                return c;
    for (size_t j = 0; j < sizeof names / sizeof *names; j++)
        if ((c = app_table_col_nocase(r->table, names[j])) >= 0)
            return c;
    return -1;
}

int app_rob_levels(app_result *r, const char *col, app_err *e)
{
    const app_data *d = r->data;
    app_robsens *s = &r->rs;
    app_rob_scale scale = APP_ROB_SCALE_COCHRANE;
    int c = find_column(r, col, e);
    if (c == -2)
        return -1;
    if (c < 0)
        return 1;
    s->col_name = r->table->header[c];
    s->level = app_calloc(d->k + 1, 1);
    if (!s->level) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    /* SIGN 50's ratings are ++ / + / -; a "++" anywhere says the column
     * uses them, and then "+" is "acceptable", not "low risk". */
    for (size_t i = 0; i < d->k; i++) {
        const char *cell = app_table_cell(r->table, d->row[i], (size_t)c);
        if (cell && strstr(cell, "++"))
            scale = APP_ROB_SCALE_SIGN;
    }
    for (size_t i = 0; i < d->k; i++) {
        const char *cell = app_table_cell(r->table, d->row[i], (size_t)c);
        app_rob_level lv;
        if (app_rob_parse(cell, scale, &lv) != 0) {
            app_err_set(e, APP_EXIT_DATA,
                        "%s:%ld:%d: '%s' is not a risk-of-bias judgement; expected low, some concerns "
                        "(or unclear, moderate), high (or serious), critical, no information, or the "
                        "symbols + ? %s",
                        r->file, d->line[i], c + 1, cell,
                        scale == APP_ROB_SCALE_SIGN ? "- (SIGN 50: ++ + -)" : "- (or SIGN 50's ++ + -)");
            return -1;
        }
        s->level[i] = (unsigned char)lv;
    }
    s->have = 1;
    return 0;
}

static int excluded(const app_robsens *s, size_t i)
{
    int lv = s->level[i];
    return lv >= s->threshold && lv <= APP_ROB_CRITICAL;
}

int app_rob_sens_fit(app_result *r, const char *col, app_err *e)
{
    app_robsens *s = &r->rs;
    size_t k = r->data->k, kest = 0;
    int rc = s->have ? 0 : app_rob_levels(r, col, e);
    if (rc < 0)
        return -1;
    if (rc > 0) {
        app_err_set(e, APP_EXIT_USAGE,
                    "--exclude-rob needs each study's overall risk-of-bias judgement: %s has no column "
                    "rob_overall or overall; name it with --rob-overall COL",
                    r->file);
        return -1;
    }
    s->keep = app_alloc((k + 1) * sizeof *s->keep);
    if (!s->keep) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    s->nkeep = s->nexcl = s->nunset = 0;
    for (size_t i = 0; i < k; i++) {
        if (excluded(s, i)) {
            s->nexcl++;
            continue;
        }
        s->nunset += s->level[i] == APP_ROB_UNSET || s->level[i] >= APP_ROB_NOINFO;
        s->keep[s->nkeep++] = i;
        kest += !isnan(r->yi[i]) && !isnan(r->vi[i]);
    }
    if (kest == 0) {
        s->rc = MSYN_ETOOFEW;
        return 0;
    }
    if (app_pool_fit(r, s->keep, s->nkeep, &s->fit, NULL, &s->rc) != 0 || s->rc == MSYN_ENOMEM) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    s->fitted = s->rc == MSYN_OK;
    return 0;
}

double app_rob_weight_share(const app_result *r, int lv)
{
    double tot = 0, part = 0;
    if (!r->rs.have || !r->w)
        return nan("");
    for (size_t i = 0; i < r->data->k; i++) {
        double w = r->w[i];
        if (isnan(w))
            continue;
        tot += w;
        if (r->rs.level[i] >= lv && r->rs.level[i] <= APP_ROB_CRITICAL)
            part += w;
    }
    return tot > 0 ? part / tot : nan("");
}
