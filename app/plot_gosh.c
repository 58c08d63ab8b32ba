/*
 * plot_gosh.c - placeholder: the gosh figure is not drawn yet.
 */
#include "plot.h"

int plot_gosh(const app_result *r, plot *p, app_err *e)
{
    (void)r;
    (void)p;
    app_err_set(e, APP_EXIT_USAGE, "%s: this figure is not available yet", app_fig_flag(APP_FIG_GOSH));
    return -1;
}
