/*
 * fuzz_verify.c - libFuzzer harness: any bytes as a text for `metasyn
 * verify`, and as option values.
 *
 * Scans the input for reported results, checks them and writes both
 * reports; also parses the first line as a number and as a CI.  Anything
 * may be recognised or not; nothing may crash, leak or read out of bounds.
 * tests/fuzz/replay.c replays tests/fuzz/corpus-verify in `make check`.
 */
#include <stdint.h>
#include <string.h>

#include "app.h"
#include "verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vf_doc doc;
    app_err e;
    sbuf b;
    char line[128];
    size_t n = 0;
    vf_num x, lo, hi;
    const char *why;
    if (vf_scan_text("fuzz.txt", (const char *)data, size, &doc, &e) == 0) {
        sb_init(&b);
        vf_doc_text(&doc, &b);
        sb_free(&b);
        sb_init(&b);
        vf_doc_json(&doc, &b);
        sb_free(&b);
        vf_doc_free(&doc);
    }
    while (n < size && n < sizeof line - 1 && data[n] != '\n' && data[n] != '\0')
        line[n] = (char)data[n], n++;
    line[n] = '\0';
    memset(&x, 0, sizeof x);
    if (vf_parse_num(line, &x, &why) == 0) {
        vf_input in;
        vf_result r;
        char msg[300];
        vf_input_init(&in);
        in.est = x;
        if (vf_parse_ci(line, &lo, &hi, &why) == 0)
            in.lo = lo, in.hi = hi;
        vf_verify(&in, &r, msg, sizeof msg);
    }
    if (vf_parse_ci(line, &lo, &hi, &why) == 0) {
        vf_input in;
        vf_result r;
        char msg[300];
        vf_input_init(&in);
        in.lo = lo, in.hi = hi, in.p = lo;
        vf_num_clip(&in.p, 0, 1);
        if (vf_verify(&in, &r, msg, sizeof msg) == 0) {
            sb_init(&b);
            vf_report_text(&in, &r, &b);
            vf_report_json(&in, &r, &b);
            sb_free(&b);
        }
    }
    return 0;
}
