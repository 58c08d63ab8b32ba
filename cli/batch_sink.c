/*
 * batch_sink.c - the output of `metasyn batch`: whole rows only.
 *
 * A batch run may be stopped at any moment (Ctrl-C, kill, a full disk), so
 * its output is written as whole rows: rows are gathered into writes of at
 * most BATCH_SINK_BUF bytes that end at the end of a row (no stdio, whose
 * buffer would cut rows anywhere).  A write of at most PIPE_BUF bytes to a
 * pipe is atomic; to a file, only a kill -9 landing inside the write(2)
 * itself can cut it short.  With -o FILE the rows go to a temporary file
 * beside FILE, renamed over FILE only when the run is complete, so FILE is
 * always either a complete run or what it was before.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"

#if defined(PIPE_BUF) && PIPE_BUF < 4096
#error "BATCH_SINK_BUF must not exceed PIPE_BUF"
#endif

static int write_error(batch_sink *s, app_err *e)
{
    if (s->path)
        app_err_set(e, APP_EXIT_IO, "%s: cannot write: %s", s->path, strerror(errno));
    else
        app_err_set(e, APP_EXIT_IO, "cannot write to standard output: %s", strerror(errno));
    s->failed = 1;
    return -1;
}

static int write_all(batch_sink *s, const char *p, size_t n, app_err *e)
{
    while (n > 0) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return write_error(s, e);
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int flush(batch_sink *s, app_err *e)
{
    size_t n = s->n;
    s->n = 0;
    return write_all(s, s->buf, n, e);
}

/* 1 when path exists and is neither a regular file nor a folder. */
static int is_special(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode);
}

int batch_sink_open(batch_sink *s, const char *path, app_err *e)
{
    size_t pl;
    memset(s, 0, sizeof s[0]);
    s->fd = STDOUT_FILENO;
    if (!path || strcmp(path, "-") == 0)
        return 0;
    s->path = path;
    if (is_special(path)) {
        if ((s->fd = open(path, O_WRONLY)) < 0) {
            app_err_set(e, APP_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    pl = strlen(path);
    if (!(s->tmp = app_alloc(pl + 16)) || !(s->partial = app_alloc(pl + 9))) {
        app_free(s->tmp);
        s->tmp = NULL;
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    snprintf(s->tmp, pl + 16, "%s.tmp-XXXXXX", path);
    snprintf(s->partial, pl + 9, "%s.partial", path);
    if ((s->fd = mkstemp(s->tmp)) < 0) {
        app_err_set(e, APP_EXIT_IO, "%s: cannot create: %s", path, strerror(errno));
        app_free(s->tmp);
        app_free(s->partial);
        s->tmp = s->partial = NULL;
        return -1;
    }
    {
        /* mkstemp creates 0600; give the file the mode fopen() would */
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(s->fd, 0666 & ~mask);
    }
    return 0;
}

int batch_sink_write(batch_sink *s, const char *p, size_t n, app_err *e)
{
    s->rows++;
    if (s->n + n > sizeof s->buf && s->n && flush(s, e) != 0)
        return -1;
    if (n > sizeof s->buf)
        return write_all(s, p, n, e);
    memcpy(s->buf + s->n, p, n);
    s->n += n;
    return 0;
}

/* Write the buffer, sync and close a temporary file, rename it to dst. */
static int finish(batch_sink *s, const char *dst, app_err *e)
{
    int rc = flush(s, e);
    if (!s->tmp)
        return rc;
    if (rc == 0 && fsync(s->fd) != 0)
        rc = write_error(s, e);
    if (close(s->fd) != 0 && rc == 0)
        rc = write_error(s, e);
    s->fd = -1;
    if (rc == 0 && rename(s->tmp, dst) != 0) {
        app_err_set(e, APP_EXIT_IO, "%s: cannot write: %s", dst, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(s->tmp);
    app_free(s->tmp);
    s->tmp = NULL;
    return rc;
}

static void release(batch_sink *s)
{
    if (s->path && s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    app_free(s->partial);
    s->partial = NULL;
}

int batch_sink_commit(batch_sink *s, app_err *e)
{
    int rc = finish(s, s->path, e);
    release(s);
    return rc;
}

int batch_sink_keep_partial(batch_sink *s, app_err *e)
{
    /* the caller releases with batch_sink_abort after reading s->partial */
    return finish(s, s->partial, e);
}

void batch_sink_abort(batch_sink *s)
{
    if (s->tmp) {
        close(s->fd);
        s->fd = -1;
        unlink(s->tmp);
        app_free(s->tmp);
        s->tmp = NULL;
    } else if (s->fd >= 0 && !s->failed) {
        /* rows already streamed stay valid: write the whole rows buffered */
        app_err ignored = {0, ""};
        (void)flush(s, &ignored);
    }
    release(s);
}
