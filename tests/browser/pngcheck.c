/*
 * pngcheck.c - is a screenshot a PNG of the expected size with something
 * on it?  Counts the pixels that are not white and those dark enough to
 * be text; tests/browser/run calls it on chromium's screenshot of the
 * HTML report.
 *
 * Usage: pngcheck FILE.png WIDTH HEIGHT
 * Prints "WIDTHxHEIGHT, N non-white pixels (P%), M dark (Q%)" and exits 0
 * when the size matches and at least 1% of the pixels are not white and
 * 0.2% are dark; 1 otherwise (with the reason), 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>

int main(int argc, char **argv)
{
    cairo_surface_t *s;
    long want_w, want_h, nonwhite = 0, dark = 0, total;
    int w, h, stride, ok;
    const unsigned char *data;
    if (argc != 4) {
        fprintf(stderr, "usage: pngcheck FILE.png WIDTH HEIGHT\n");
        return 2;
    }
    want_w = strtol(argv[2], NULL, 10);
    want_h = strtol(argv[3], NULL, 10);
    s = cairo_image_surface_create_from_png(argv[1]);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        printf("%s: not a readable PNG (%s)\n", argv[1], cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return 1;
    }
    cairo_surface_flush(s);
    w = cairo_image_surface_get_width(s);
    h = cairo_image_surface_get_height(s);
    stride = cairo_image_surface_get_stride(s);
    data = cairo_image_surface_get_data(s);
    if (cairo_image_surface_get_format(s) != CAIRO_FORMAT_ARGB32 &&
        cairo_image_surface_get_format(s) != CAIRO_FORMAT_RGB24) {
        printf("%s: unexpected pixel format\n", argv[1]);
        cairo_surface_destroy(s);
        return 1;
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            /* native-endian 32-bit: 0xAARRGGBB, premultiplied */
            unsigned p = *(const unsigned *)(const void *)(data + (size_t)y * (size_t)stride + 4 * (size_t)x);
            unsigned a = p >> 24, r = (p >> 16) & 0xffu, g = (p >> 8) & 0xffu, b = p & 0xffu;
            if (cairo_image_surface_get_format(s) == CAIRO_FORMAT_RGB24)
                a = 255;
            /* composite on white */
            r += 255 - a;
            g += 255 - a;
            b += 255 - a;
            if (r < 250 || g < 250 || b < 250)
                nonwhite++;
            if (299 * r + 587 * g + 114 * b < 128000)
                dark++;
        }
    total = (long)w * h;
    printf("%dx%d, %ld non-white pixels (%.2f%%), %ld dark (%.2f%%)\n", w, h, nonwhite,
           total ? 100.0 * (double)nonwhite / (double)total : 0.0, dark, total ? 100.0 * (double)dark / (double)total : 0.0);
    ok = 1;
    if (w != want_w || h != want_h) {
        printf("expected %ldx%ld\n", want_w, want_h);
        ok = 0;
    }
    if (total == 0 || nonwhite * 100 < total) {
        printf("blank: fewer than 1%% of the pixels are not white\n");
        ok = 0;
    }
    if (total == 0 || dark * 500 < total) {
        printf("no text: fewer than 0.2%% of the pixels are dark\n");
        ok = 0;
    }
    cairo_surface_destroy(s);
    return ok ? 0 : 1;
}
