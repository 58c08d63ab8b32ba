/*
 * plot_baujat.c - placeholder: the baujat figure is not drawn yet.
 */
#include "plot.h"

int plot_baujat(const app_result *r, plot *p, app_err *e)
{
    (void)r;
    (void)p;
    app_err_set(e, APP_EXIT_USAGE, "%s: this figure is not available yet", app_fig_flag(APP_FIG_BAUJAT));
    return -1;
}
