/*
 * csv_stream.h - reading a CSV file record by record, for files too large
 * to hold in memory (`metasyn batch`).
 *
 * The header is read as app_table_read() reads it (byte-order mark dropped,
 * delimiter detected from the header line, decimal comma when the delimiter
 * is not a comma); then app_csv_stream_next() hands out one record at a
 * time with the line it starts on.  Memory is one input line and one
 * record, whatever the size of the file.  Lines that are not valid UTF-8 are
 * read as Windows-1252 one line at a time (app_table_read() decides for the
 * whole file), and the stream says so.
 */
#ifndef MSYN_CSV_STREAM_H
#define MSYN_CSV_STREAM_H

#include <stdio.h>

#include "app.h"

typedef struct app_csv_stream app_csv_stream;

struct csv_parser;
/* Set up libcsv as both readers use it: strict quoting, fields
 * NUL-terminated, the delimiter delim, a 64 KB growth step, and the app
 * allocator.  0, or -1 when out of memory. */
int app_csv_parser_init(struct csv_parser *p, char delim);

/* Open path ("-": standard input) and read its header.  Returns the stream,
 * or NULL with e set (APP_EXIT_IO: cannot open; APP_EXIT_DATA: empty file
 * or a malformed header; APP_EXIT_INTERNAL: out of memory). */
app_csv_stream *app_csv_stream_open(const char *path, app_err *e);
/* The same with the delimiter or decimal mark forced (fmt NULL: detected). */
app_csv_stream *app_csv_stream_open_fmt(const char *path, const app_csv_fmt *fmt, app_err *e);
/* The same on an open file (not closed by the stream); name is used in
 * messages. */
app_csv_stream *app_csv_stream_open_file(FILE *f, const char *name, app_err *e);

/* The header as a table without rows: file, ncol, header, delim,
 * decimal_comma.  Owned by the stream. */
const app_table *app_csv_stream_header(const app_csv_stream *s);

/* The next record: *cells gets ncol strings (NULL where the record is
 * short; the array and the strings belong to the caller, free each with
 * app_free), *line the line it starts on, *recoded whether any of its lines
 * was read as Windows-1252.  Returns 1 for a record, 0 at the end of the
 * file, -1 with e set: a malformed record ("FILE:LINE: ...",
 * APP_EXIT_DATA), a read error (APP_EXIT_IO), out of memory.  Blank lines
 * are skipped (a record of empty fields is returned as it is). */
int app_csv_stream_next(app_csv_stream *s, char ***cells, long *line, int *recoded, app_err *e);

/* A record from app_csv_stream_next() of n cells: freed (cells and
 * array); whether every cell is empty or blanks. */
void app_csv_cells_free(char **cells, size_t n);
int app_csv_cells_blank(char *const *cells, size_t n);

/* Bytes read from the input so far (progress). */
unsigned long long app_csv_stream_offset(const app_csv_stream *s);

/* Close the stream (and its file when it opened it); NULL is a no-op. */
void app_csv_stream_close(app_csv_stream *s);

#endif /* MSYN_CSV_STREAM_H */
