/*
 * report_doc.c - placeholder: the HTML/Markdown report is not written yet.
 */
#include "plot.h"

int app_report_doc(const app_result *r, app_outputs *o, app_err *e)
{
    (void)o;
    app_err_set(e, APP_EXIT_USAGE, "--report %s: reports are not available yet", r->fig.report);
    return -1;
}
