/*
 * plot_forest.c - placeholder.
 */
#include "plot.h"

int plot_forest(const app_result *r, plot *p, app_err *e)
{
    (void)r;
    (void)p;
    app_err_set(e, APP_EXIT_USAGE, "--forest: not available yet");
    return -1;
}
