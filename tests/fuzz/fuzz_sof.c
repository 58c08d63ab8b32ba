/*
 * fuzz_sof.c - libFuzzer harness: any bytes as the outcomes file of
 * `metasyn sof`, with a study file of its own.
 *
 * The input is an outcomes CSV, optionally followed by a line "%%" and a
 * study file.  The outcomes file is read as app/sof_read.c reads it
 * (columns, each row's GRADE input and overrides) as if it were in a
 * temporary folder that holds the study file as s.csv and links to the
 * study files of tests/sof/ and examples/ (when run from the source
 * tree); every outcome is then pooled as `metasyn pool` would and
 * assessed with GRADE (cli/sof_run.c, what `metasyn sof` runs), and the
 * summary of findings is rendered as text, Markdown, HTML, CSV and JSON.
 * Outcomes naming a study file outside that folder (a '/' in the name)
 * are not analysed.  Anything may be rejected with a message; nothing may
 * crash, leak or read out of bounds.  tests/fuzz/replay.c replays
 * tests/fuzz/corpus-sof in `make check`; with FUZZ_SOF_DEBUG set, each
 * input's message (or "analysed") goes to stderr.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sof_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static char study[128], outcomes[128];

static void cleanup(void)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char p[4096];
    if (!d)
        return;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') {
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            unlink(p);
        }
    closedir(d);
    rmdir(dir);
}

/* Link every .csv of the folder src (relative to the working directory)
 * into dir. */
static void link_all(const char *cwd, const char *src)
{
    char from[4096], to[4096];
    DIR *d;
    struct dirent *de;
    snprintf(from, sizeof from, "%s/%s", cwd, src);
    if (!(d = opendir(from)))
        return;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".csv") != 0)
            continue;
        snprintf(from, sizeof from, "%s/%s/%s", cwd, src, de->d_name);
        snprintf(to, sizeof to, "%s/%s", dir, de->d_name);
        if (symlink(from, to) != 0) {
            /* a name in both folders: the first stays */
        }
    }
    closedir(d);
}

static int setup(void)
{
    char cwd[2048];
    snprintf(dir, sizeof dir, "/tmp/fuzz_sof.XXXXXX");
    if (!mkdtemp(dir) || !getcwd(cwd, sizeof cwd))
        return -1;
    atexit(cleanup);
    link_all(cwd, "tests/sof");
    link_all(cwd, "examples");
    snprintf(study, sizeof study, "%s/s.csv", dir);
    snprintf(outcomes, sizeof outcomes, "%s/outcomes.csv", dir);
    return 0;
}

/* The study file part (after a line "%%"), written to s.csv; its length
 * is the outcomes part's. */
static size_t split(const char *d, size_t size)
{
    FILE *f;
    for (size_t i = 0; i + 3 <= size; i++)
        if ((i == 0 || d[i - 1] == '\n') && d[i] == '%' && d[i + 1] == '%' && (i + 2 == size || d[i + 2] == '\n')) {
            size_t from = i + 2 < size ? i + 3 : size;
            if ((f = fopen(study, "wb"))) {
                if (size > from)
                    fwrite(d + from, 1, size - from, f);
                fclose(f);
            }
            return i;
        }
    unlink(study);
    return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const fmt[] = {"text", "md", "html", "csv", "json"};
    static int ready = -1;
    const char *d = (const char *)data;
    sof_spec s;
    sof_run u;
    sof_table tab;
    app_err e;
    size_t len;
    int rc;
    if (ready < 0)
        ready = setup();
    if (ready != 0)
        return 0;
    len = split(d, size);
    if (sof_spec_parse(outcomes, d, len, &s, &e) != 0) {
        if (getenv("FUZZ_SOF_DEBUG"))
            fprintf(stderr, "%s\n", e.msg);
        return 0;
    }
    for (size_t i = 0; i < s.t.nrow; i++) {
        const char *f = sof_cell(&s, i, SOF_C_FILE);
        if (f && strchr(f, '/')) {
            sof_spec_free(&s);
            return 0;
        }
    }
    rc = sof_run_all(&s, outcomes, &u, &e);
    if (getenv("FUZZ_SOF_DEBUG"))
        fprintf(stderr, "%s\n", rc == 0 ? "analysed" : e.msg);
    if (rc == 0) {
        memset(&tab, 0, sizeof tab);
        tab.source = s.t.file;
        tab.o = u.rows;
        tab.n = u.n;
        tab.digits = (int)(size % 7);
        if (size % 2) {
            tab.population = "adults";
            tab.intervention = "<b>drug</b> & \"x\"";
            tab.comparator = "placebo";
            tab.setting = "primary care";
        } else if (size % 3 == 0) {
            tab.question = "Q, \"quoted\" <i>";
        }
        for (size_t k = 0; k < sizeof fmt / sizeof fmt[0]; k++) {
            sbuf out;
            sb_init(&out);
            (void)app_sof_render(&tab, fmt[k], &out);
            sb_free(&out);
        }
    }
    sof_run_free(&u);
    sof_spec_free(&s);
    return 0;
}
