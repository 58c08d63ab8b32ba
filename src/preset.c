/*
 * preset.c - named, versioned sets of method choices.
 *
 * A preset fixes every convention on which metafor, RevMan 5 and RevMan Web
 * differ, so that a result can be reproduced from its preset name and the
 * explicit options printed beside it.  docs/METHODS.md section "Presets".
 *
 *   metafor       metafor 3.8 rma()/escalc()/rma.mh()/rma.peto() defaults.
 *   cochrane2025  Cochrane's 2025 random-effects methods (RevMan Web):
 *                 REML, HKSJ, Q-profile CI, prediction interval t(k-1),
 *                 I^2 from tau^2; RevMan's 2x2 conventions for MH and RD.
 *   revman5       RevMan 5 (Deeks & Higgins 2010): DerSimonian-Laird from
 *                 the MH-centred Q for 2x2 data, z test, no prediction
 *                 interval, I^2 = (Q - df)/Q, approximate J and the
 *                 N - 3.94 variance for SMD, 0.5 inside MH, GR variance.
 */
#include "internal.h"

static int is_table(msyn_measure m)
{
    return m == MSYN_MEASURE_OR || m == MSYN_MEASURE_RR ||
           m == MSYN_MEASURE_RD || m == MSYN_MEASURE_PETO;
}

/* RevMan: tables without events (or without non-events) in both groups
 * are "not estimable" for ratio measures; RD keeps them. */
static void revman_tables(msyn_measure m, msyn_method method, msyn_pool_opts *po,
                          msyn_es_opts *eo)
{
    if (eo) {
        eo->drop00 = m != MSYN_MEASURE_RD;
        eo->rd_add_yi = 0;
        if (method == MSYN_METHOD_PETO || m == MSYN_MEASURE_PETO)
            eo->to = MSYN_ADD_NONE; /* Peto study ORs without correction */
    }
    if (po) {
        po->mh_add = 0.5;
        po->rd_var = MSYN_RD_VAR_GR;
    }
}

MSYN_API msyn_status msyn_preset_apply(msyn_preset p, msyn_measure measure,
                                       const msyn_method *method,
                                       msyn_pool_opts *po, msyn_es_opts *eo)
{
    msyn_pool_opts pdef;
    msyn_method meth;
    if (!msyn_preset_name(p) || !msyn_measure_name(measure) ||
        (method && !msyn_method_name(*method)))
        return MSYN_EINVAL;
    if (!po) {
        msyn_pool_opts_default(&pdef);
        po = &pdef;
    }
    msyn_pool_opts_default(po);
    if (eo)
        msyn_es_opts_default(eo);
    switch (p) {
    case MSYN_PRESET_METAFOR:
        meth = method ? *method : MSYN_METHOD_REML;
        if (eo && (meth == MSYN_METHOD_MH || meth == MSYN_METHOD_PETO))
            eo->drop00 = 1; /* rma.mh/rma.peto: drop00 = TRUE */
        break;
    case MSYN_PRESET_COCHRANE2025:
        meth = method ? *method : MSYN_METHOD_REML;
        po->test = MSYN_TEST_KNHA;
        po->pi = MSYN_PI_T_K1;
        if (is_table(measure))
            revman_tables(measure, meth, po, eo);
        break;
    case MSYN_PRESET_REVMAN5:
        meth = method ? *method : MSYN_METHOD_DL;
        po->test = MSYN_TEST_Z;
        po->pi = MSYN_PI_NONE;
        po->i2def = MSYN_I2_Q;
        po->tau2_ci = 0;
        po->q_from_mh = 1;
        if (eo) {
            eo->smd_j = MSYN_SMD_J_APPROX;
            eo->smd_var = MSYN_SMD_VAR_REVMAN5;
        }
        if (is_table(measure))
            revman_tables(measure, meth, po, eo);
        break;
    default:
        return MSYN_EINVAL;
    }
    po->method = meth;
    return MSYN_OK;
}
