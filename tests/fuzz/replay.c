/*
 * replay.c - run the fuzz harness over every file of a corpus folder, so
 * the corpus is a regression test in `make check` (under sanitizers in
 * CI).  Prints "SUMMARY files 0"; a crash is the failure.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    size_t n = 0;
    for (int a = 1; a < argc; a++) {
        DIR *d = opendir(argv[a]);
        struct dirent *de;
        if (!d) {
            fprintf(stderr, "replay: %s: not a folder\n", argv[a]);
            printf("SUMMARY 1 1\n");
            return 1;
        }
        while ((de = readdir(d))) {
            char path[4096];
            char *buf;
            size_t len;
            app_err e;
            if (de->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", argv[a], de->d_name);
            if (app_read_file(path, &buf, &len, &e) != 0)
                continue;
            LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
            app_free(buf);
            n++;
        }
        closedir(d);
    }
    printf("replayed %zu inputs\nSUMMARY %zu 0\n", n, n);
    return 0;
}
