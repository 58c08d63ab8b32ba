/*
 * io.c - reading input files and writing outputs atomically.
 *
 * An output file is written to a temporary file in the same folder and
 * renamed over the target only when complete, so a failed run never leaves
 * a partial or truncated report, and an existing file is never lost.
 * A target that exists and is not a regular file (/dev/null, /dev/stdout,
 * a named pipe) is written directly: renaming over it would replace the
 * device with a file.
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT are held while the temporary files
 * exist: a Ctrl-C or kill during the write takes effect right after the
 * rename (or the clean-up), so it leaves no temporary file behind.  Only
 * SIGKILL (or a crash) can leave one, and never a partial target.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"

int app_read_file(const char *path, char **data, size_t *len, app_err *e)
{
    FILE *f;
    char *buf = NULL, *nb;
    size_t cap = 0, n = 0, got;
    int is_stdin = strcmp(path, "-") == 0;
    f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        app_err_set(e, APP_EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    do {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 65536;
            if (!(nb = app_realloc(buf, cap + 1))) {
                app_free(buf);
                if (!is_stdin)
                    fclose(f);
                app_err_set(e, APP_EXIT_INTERNAL, "%s: out of memory while reading", path);
                return -1;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        app_err_set(e, APP_EXIT_IO, "%s: read error: %s", is_stdin ? "<stdin>" : path,
                    strerror(errno));
        app_free(buf);
        if (!is_stdin)
            fclose(f);
        return -1;
    }
    if (!is_stdin)
        fclose(f);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Write data to a new temporary file beside path; *tmp gets its name. */
/* The spilled start of a buffer (NULL: none), then data. */
static int write_src(int fd, FILE *pre, const char *data, size_t len)
{
    if (pre) {
        char chunk[65536];
        size_t n;
        if (fflush(pre) != 0 || fseek(pre, 0, SEEK_SET) != 0)
            return -1;
        while ((n = fread(chunk, 1, sizeof chunk, pre)) > 0)
            if (write_all(fd, chunk, n) != 0)
                return -1;
        if (ferror(pre)) {
            errno = EIO;
            return -1;
        }
    }
    return write_all(fd, data, len);
}

static int stage(const char *path, FILE *pre, const char *data, size_t len, char **tmp, app_err *e)
{
    size_t pl = strlen(path);
    int fd;
    *tmp = NULL;
    if (!(*tmp = app_alloc(pl + 16))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    snprintf(*tmp, pl + 16, "%s.tmp-XXXXXX", path);
    if ((fd = mkstemp(*tmp)) < 0) {
        app_err_set(e, APP_EXIT_IO, "%s: cannot create: %s", path, strerror(errno));
        app_free(*tmp);
        *tmp = NULL;
        return -1;
    }
    if (write_src(fd, pre, data, len) != 0 || fsync(fd) != 0) {
        app_err_set(e, APP_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(*tmp);
        app_free(*tmp);
        *tmp = NULL;
        return -1;
    }
    {
        /* mkstemp creates 0600; give the file the mode fopen() would. */
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
    }
    if (close(fd) != 0) {
        app_err_set(e, APP_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
        unlink(*tmp);
        app_free(*tmp);
        *tmp = NULL;
        return -1;
    }
    return 0;
}

/* 1 when path exists and is neither a regular file nor a folder. */
static int is_special(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode);
}

/* Hold (block) the signals that end a process by default while temporary
 * files exist; release delivers any that came meanwhile. */
static void hold(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

static void release(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

static int write_direct(const char *path, FILE *pre, const char *data, size_t len, app_err *e)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0 || write_src(fd, pre, data, len) != 0) {
        app_err_set(e, APP_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (close(fd) != 0) {
        app_err_set(e, APP_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int write_output(const char *path, FILE *pre, const char *data, size_t len, app_err *e)
{
    char *tmp;
    sigset_t old;
    if (path && is_special(path))
        return write_direct(path, pre, data, len, e);
    if (!path || strcmp(path, "-") == 0) {
        if (fflush(stdout) != 0 || write_src(STDOUT_FILENO, pre, data, len) != 0) {
            app_err_set(e, APP_EXIT_IO, "cannot write to standard output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    hold(&old);
    if (stage(path, pre, data, len, &tmp, e) != 0) {
        release(&old);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        app_err_set(e, APP_EXIT_IO, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        app_free(tmp);
        release(&old);
        return -1;
    }
    app_free(tmp);
    release(&old);
    return 0;
}

int app_write_output(const char *path, const char *data, size_t len, app_err *e)
{
    return write_output(path, NULL, data, len, e);
}

int app_write_sbuf(const char *path, const sbuf *b, app_err *e)
{
    return write_output(path, b->spill, b->p ? b->p : "", b->len, e);
}

int app_write_outputs(const char *const *path, const char *const *data, const size_t *len, size_t n,
                      app_err *e)
{
    return app_write_outputs_pre(path, NULL, data, len, n, e);
}

int app_write_outputs_pre(const char *const *path, FILE *const *pre, const char *const *data,
                          const size_t *len, size_t n, app_err *e)
{
    char **tmp = app_calloc(n + 1, sizeof *tmp);
    size_t i;
    int rc = 0;
    sigset_t old;
    if (!tmp) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    hold(&old);
    /* every file goes to a temporary first: nothing is renamed into place
     * unless all of them were written */
    for (i = 0; i < n && rc == 0; i++)
        if (!is_special(path[i]))
            rc = stage(path[i], pre ? pre[i] : NULL, data[i] ? data[i] : "", len[i], &tmp[i], e);
    for (i = 0; i < n && rc == 0; i++)
        if (!tmp[i])
            rc = write_direct(path[i], pre ? pre[i] : NULL, data[i] ? data[i] : "", len[i], e);
        else if (rename(tmp[i], path[i]) != 0) {
            app_err_set(e, APP_EXIT_IO, "%s: cannot write: %s", path[i], strerror(errno));
            rc = -1;
        } else {
            app_free(tmp[i]);
            tmp[i] = NULL;
        }
    for (i = 0; i < n; i++)
        if (tmp[i]) {
            unlink(tmp[i]);
            app_free(tmp[i]);
        }
    app_free(tmp);
    release(&old);
    return rc;
}
