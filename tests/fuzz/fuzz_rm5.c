/*
 * fuzz_rm5.c - libFuzzer harness: any bytes as a RevMan 5 review.
 *
 * Parses the input with rm5_parse() (byte repairs, libxml2 in recovery
 * mode, the tree walk) and builds every CSV and the index from the model.
 * Anything may be rejected with a message; nothing may crash, leak or read
 * out of bounds.  tests/fuzz/replay.c replays tests/fuzz/corpus-rm5.
 */
#include <stdint.h>

#include "rm5.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rm5_review r;
    app_err e;
    sbuf b;
    if (rm5_parse("fuzz.rm5", (const char *)data, size, &r, &e) != 0)
        return 0;
    sb_init(&b);
    for (size_t i = 0; i < r.n; i++) {
        rm5_csv(&r.a[i], &b);
        rm5_command(&r.a[i], "out/x.csv", &b);
    }
    rm5_index_csv(&r, "out", &b);
    sb_free(&b);
    rm5_free(&r);
    return 0;
}
