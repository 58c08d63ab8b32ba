/*
 * review_screen.c - `metasyn review screen`: the interactive screener.
 *
 * A full-screen terminal program without curses: the terminal is put in
 * raw mode (termios) on the alternate screen and drawn with ANSI escapes;
 * it is restored on every way out (q, the end, an error, SIGINT, SIGTERM,
 * SIGHUP).  One record at a time; every key that decides commits its own
 * transaction at once, so a crash loses nothing decided.
 * docs/cli/review-screen.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "review_cli.h"
#include "review_screening.h"

static const char usage[] =
    "Usage: metasyn review screen --reviewer NAME [--stage 1|2] [--review FILE]\n"
    "\n"
    "Screen records one at a time in the terminal: title, authors, journal,\n"
    "year and abstract, with the include keywords in bold green and the exclude\n"
    "keywords in bold red ('metasyn review reasons --keyword-include WORD').\n"
    "Each decision is saved at once.  Stage 1 (title and abstract) shows every\n"
    "unique record (one per duplicate cluster); stage 2 (full text) the records\n"
    "included at stage 1.  Other reviewers' decisions are never shown until\n"
    "'metasyn review unblind --stage N'.\n"
    "\n"
    "Keys:\n"
    "  i  include                 e  exclude (then the reason's number)\n"
    "  m  maybe                   r  full text not retrieved (stage 2)\n"
    "  n  note (saved with the decision; at once when already decided)\n"
    "  b  back to the previous record (a new decision replaces the old)\n"
    "  f  forward without deciding   + -  scroll a long abstract\n"
    "  q  quit (everything decided is already saved)\n"
    "\n"
    "      --reviewer NAME  who is screening (required)\n"
    "      --stage N        1 = title/abstract (default), 2 = full text\n"
    "      --review FILE    the review file (default: the one *.msr here)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Needs a terminal; for decisions made elsewhere use\n"
    "'metasyn review decisions --import FILE.csv'.\n"
    "\n"
    "Exit codes: 0 done; 2 usage or not a terminal; 3 not a review file;\n"
    "4 cannot read or write; 6 out of memory; 130 interrupted (decisions kept).\n";

typedef struct opts {
    const char *review, *reviewer;
    int stage;
} opts;

static int set_opt(void *ctx, int c, const char *arg)
{
    opts *o = ctx;
    switch (c) {
    case 'r':
        o->review = arg;
        return 0;
    case 'w':
        if (!*arg)
            return cli_bad("review screen", "--reviewer", arg, "a name");
        o->reviewer = arg;
        return 0;
    case 's':
        if (strcmp(arg, "1") != 0 && strcmp(arg, "2") != 0)
            return cli_bad("review screen", "--stage", arg, "1 or 2");
        o->stage = arg[0] - '0';
        return 0;
    default:
        return -1;
    }
}

/* ---- the terminal ------------------------------------------------------------ */

static struct termios saved_tio;
static volatile sig_atomic_t raw_on, got_signal, got_winch;

static void term_restore(void)
{
    static const char leave[] = "\033[0m\033[?25h\033[?1049l";
    if (!raw_on)
        return;
    (void)!write(STDOUT_FILENO, leave, sizeof leave - 1);
    (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
    raw_on = 0;
}

static void on_signal(int sig) { got_signal = sig; }
static void on_winch(int sig)
{
    (void)sig;
    got_winch = 1;
}

static int term_raw(void)
{
    struct termios t;
    struct sigaction sa;
    static const char enter[] = "\033[?1049h\033[H\033[2J";
    if (tcgetattr(STDIN_FILENO, &saved_tio) != 0)
        return -1;
    t = saved_tio;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN); /* ISIG kept: ^C is SIGINT */
    t.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: read() returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_winch;
    sigaction(SIGWINCH, &sa, NULL);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) != 0)
        return -1;
    raw_on = 1;
    (void)!write(STDOUT_FILENO, enter, sizeof enter - 1);
    return 0;
}

static void term_size(int *rows, int *cols)
{
    struct winsize ws;
    *rows = 24;
    *cols = 80;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    }
    if (*cols < 20)
        *cols = 20;
    if (*rows < 8)
        *rows = 8;
}

/* One key: a byte, -1 on end of input, -2 on a signal or a resize. */
static int read_key(void)
{
    unsigned char c;
    for (;;) {
        ssize_t n;
        if (got_signal || got_winch)
            return -2;
        n = read(STDIN_FILENO, &c, 1);
        if (n == 1)
            return c;
        if (n == 0)
            return -1;
        if (errno != EINTR)
            return -1;
    }
}

/* ---- the records ----------------------------------------------------------- */

typedef struct kw {
    char *word;
    size_t len;
    int include;
} kw;

typedef struct screen {
    rv_db r;
    opts o;
    rv_canon cn;
    long long *queue; /* canonical records to screen, ascending */
    size_t n, pos;
    kw *kws;
    size_t nkw;
    char **reasons;
    size_t nreasons;
    char *pending_note; /* note typed before deciding (current record) */
    int scroll;
    int unblinded;
    char msg[256]; /* status line */
    app_err e;
} screen;

static int oom(screen *s)
{
    app_err_set(&s->e, APP_EXIT_INTERNAL, "out of memory");
    return -1;
}

static int load_queue(screen *s)
{
    sqlite3_stmt *st;
    int rc;
    size_t cap = 0;
    if (rv_canon_load(&s->r, &s->cn, &s->e))
        return -1;
    if (s->o.stage == 1) {
        if (!(s->queue = app_alloc((s->cn.nclusters ? s->cn.nclusters : 1) * sizeof *s->queue)))
            return oom(s);
        for (size_t i = 0; i < s->cn.n; i++)
            if (s->cn.canon[i] == s->cn.ids[i])
                s->queue[s->n++] = s->cn.ids[i];
        return 0;
    }
    if (rv_prepare(&s->r, rvs_included_sql, &st, &s->e))
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = rv_canon_of(&s->cn, sqlite3_column_int64(st, 0));
        if (!id || (s->n && s->queue[s->n - 1] == id))
            continue;
        if (s->n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            long long *q = app_realloc(s->queue, nc * sizeof *q);
            if (!q) {
                sqlite3_finalize(st);
                return oom(s);
            }
            s->queue = q;
            cap = nc;
        }
        s->queue[s->n++] = id;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(&s->r, "finding the records included at stage 1", &s->e);
    return 0;
}

static int load_lists(screen *s)
{
    sqlite3_stmt *st;
    int rc;
    size_t cap;
    long long n = rv_count(&s->r, "SELECT count(*) FROM keywords", -1, &s->e);
    if (n < 0)
        return -1;
    if (!(s->kws = app_calloc((size_t)n + 1, sizeof *s->kws)))
        return oom(s);
    if (rv_prepare(&s->r, "SELECT word, kind FROM keywords ORDER BY length(word) DESC, id", &st,
                   &s->e))
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && s->nkw < (size_t)n) {
        const char *w = (const char *)sqlite3_column_text(st, 0);
        const char *k = (const char *)sqlite3_column_text(st, 1);
        if (!w || !k || !(s->kws[s->nkw].word = app_strdup(w))) {
            sqlite3_finalize(st);
            return oom(s);
        }
        s->kws[s->nkw].len = strlen(w);
        s->kws[s->nkw++].include = strcmp(k, "include") == 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return rv_sqlerr(&s->r, "reading the keywords", &s->e);
    n = rv_count(&s->r, "SELECT count(*) FROM exclusion_reasons WHERE stage = ?", s->o.stage,
                 &s->e);
    if (n < 0)
        return -1;
    cap = (size_t)n;
    if (!(s->reasons = app_calloc(cap + 1, sizeof *s->reasons)))
        return oom(s);
    if (rv_prepare(&s->r, "SELECT reason FROM exclusion_reasons WHERE stage = ? ORDER BY id", &st,
                   &s->e))
        return -1;
    sqlite3_bind_int(st, 1, s->o.stage);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && s->nreasons < cap) {
        const char *w = (const char *)sqlite3_column_text(st, 0);
        if (!w || !(s->reasons[s->nreasons] = app_strdup(w))) {
            sqlite3_finalize(st);
            return oom(s);
        }
        s->nreasons++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return rv_sqlerr(&s->r, "reading the exclusion reasons", &s->e);
    return 0;
}

/* This reviewer's current decision on a record: 1 (row filled), 0, -1. */
typedef struct mine {
    char decision[32];
    char *reason, *note;
} mine;

static void mine_free(mine *m)
{
    app_free(m->reason);
    app_free(m->note);
    memset(m, 0, sizeof *m);
}

static int my_decision(screen *s, long long rec, mine *m)
{
    sqlite3_stmt *st;
    int rc, found = 0;
    memset(m, 0, sizeof *m);
    if (rv_prepare(&s->r,
                   "SELECT decision, reason, note FROM screening WHERE record_id = ? AND stage = ?"
                   " AND reviewer = ? ORDER BY id DESC LIMIT 1",
                   &st, &s->e))
        return -1;
    sqlite3_bind_int64(st, 1, rec);
    sqlite3_bind_int(st, 2, s->o.stage);
    sqlite3_bind_text(st, 3, s->o.reviewer, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 0);
        const char *re = (const char *)sqlite3_column_text(st, 1);
        const char *no = (const char *)sqlite3_column_text(st, 2);
        found = 1;
        if (!d || (re && !(m->reason = app_strdup(re))) || (no && !(m->note = app_strdup(no)))) {
            sqlite3_finalize(st);
            mine_free(m);
            return oom(s);
        }
        snprintf(m->decision, sizeof m->decision, "%s", d);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rv_sqlerr(&s->r, "reading your decisions", &s->e);
    return found;
}

static long long n_decided(screen *s)
{
    /* decisions on records of the queue: walk the reviewer's current rows */
    sqlite3_stmt *st;
    long long n = 0;
    int rc;
    if (rv_prepare(&s->r,
                   "SELECT DISTINCT record_id FROM current_screening WHERE stage = ? AND reviewer = ?",
                   &st, &s->e))
        return -1;
    sqlite3_bind_int(st, 1, s->o.stage);
    sqlite3_bind_text(st, 2, s->o.reviewer, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        size_t lo = 0, hi = s->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (s->queue[mid] < id)
                lo = mid + 1;
            else
                hi = mid;
        }
        n += lo < s->n && s->queue[lo] == id;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(&s->r, "counting your decisions", &s->e);
    return n;
}

/* The first record at or after from that this reviewer has not decided;
 * s->n when none. */
static long long next_undecided(screen *s, size_t from, size_t *at)
{
    for (size_t i = from; i < s->n; i++) {
        mine m;
        int f = my_decision(s, s->queue[i], &m);
        if (f < 0)
            return -1;
        mine_free(&m);
        if (!f) {
            *at = i;
            return 0;
        }
    }
    *at = s->n;
    return 0;
}

/* ---- drawing ----------------------------------------------------------------- */

static int is_word(unsigned char c) { return isalnum(c) || c >= 0x80; }

/* The keyword that starts at t[i] (at a word's start, ignoring ASCII
 * case), or NULL. */
static const kw *keyword_at(const screen *s, const char *t, size_t i)
{
    if (i > 0 && is_word((unsigned char)t[i - 1]))
        return NULL;
    for (size_t k = 0; k < s->nkw; k++)
        if (s->kws[k].len && strncasecmp(t + i, s->kws[k].word, s->kws[k].len) == 0)
            return &s->kws[k];
    return NULL;
}

/* Append text to b wrapped at width columns (UTF-8 code points count one
 * column each), each line starting with indent spaces; keywords
 * highlighted.  Lines end in "\n". */
static void wrap(const screen *s, sbuf *b, const char *t, int width, int indent,
                 const char *style)
{
    size_t i = 0, n = strlen(t);
    int col = 0;
    while (i < n) {
        size_t j = i, wl = 0;
        while (i < n && isspace((unsigned char)t[i]))
            i++;
        if (i >= n)
            break;
        j = i;
        while (j < n && !isspace((unsigned char)t[j])) {
            if (((unsigned char)t[j] & 0xc0) != 0x80)
                wl++;
            j++;
        }
        if (col > indent && col + 1 + (int)wl > width) {
            sb_puts(b, "\n");
            col = 0;
        }
        if (col == 0) {
            sb_printf(b, "%s%*s", style, indent, "");
            col = indent;
        } else {
            sb_puts(b, " ");
            col++;
        }
        for (size_t k = i; k < j;) {
            const kw *w = keyword_at(s, t, k);
            if (w && k + w->len <= j) {
                sb_puts(b, w->include ? "\033[1;32m" : "\033[1;31m");
                sb_add(b, t + k, w->len);
                sb_puts(b, "\033[0m");
                sb_puts(b, style);
                k += w->len;
            } else {
                sb_add(b, t + k, 1);
                k++;
            }
        }
        col += (int)wl;
        i = j;
    }
    if (col > 0)
        sb_puts(b, "\n");
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

/* Other reviewers' current decisions on a record (only once unblinded). */
static void others(screen *s, sbuf *b, long long rec)
{
    sqlite3_stmt *st;
    int first = 1;
    if (rv_prepare(&s->r,
                   "SELECT reviewer, decision, coalesce(reason, '') FROM current_screening"
                   " WHERE record_id = ? AND stage = ? AND reviewer <> ? ORDER BY reviewer",
                   &st, &s->e))
        return;
    sqlite3_bind_int64(st, 1, rec);
    sqlite3_bind_int(st, 2, s->o.stage);
    sqlite3_bind_text(st, 3, s->o.reviewer, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        sb_printf(b, "%s%s %s%s%s", first ? "Others (unblinded): " : "; ", col_text(st, 0),
                  col_text(st, 1), *col_text(st, 2) ? ": " : "", col_text(st, 2));
        first = 0;
    }
    if (!first)
        sb_puts(b, "\n");
    sqlite3_finalize(st);
}

static int draw(screen *s)
{
    sqlite3_stmt *st = NULL;
    sbuf body, out;
    int rows, cols, nlines = 0, avail, line = 0;
    long long decided = n_decided(s);
    const char *p;
    mine m = {{0}, NULL, NULL};
    if (decided < 0)
        return -1;
    term_size(&rows, &cols);
    sb_init(&body);
    sb_init(&out);
    sb_puts(&out, "\033[H\033[2J");
    if (s->pos >= s->n) {
        sb_printf(&out, "\033[1mmetasyn review screen\033[0m - stage %d - %s\r\n\r\n", s->o.stage,
                  s->o.reviewer);
        if (s->n == 0)
            sb_printf(&out, "No records to screen at stage %d.\r\n", s->o.stage);
        else
            sb_printf(&out, "All %zu records of stage %d decided (%lld by you).\r\n", s->n,
                      s->o.stage, decided);
        sb_puts(&out, "\r\nb back   q quit\r\n");
    } else {
        long long rec = s->queue[s->pos];
        int f = my_decision(s, rec, &m);
        if (f < 0)
            goto fail;
        if (rv_prepare(&s->r,
                       "SELECT coalesce(title, '(no title)'), coalesce(authors, ''),"
                       " coalesce(journal, ''), coalesce(year, 0), coalesce(abstract, ''),"
                       " coalesce(doi, ''), coalesce(pmid, '') FROM records WHERE id = ?",
                       &st, &s->e))
            goto fail;
        sqlite3_bind_int64(st, 1, rec);
        if (sqlite3_step(st) != SQLITE_ROW) {
            rv_sqlerr(&s->r, "reading a record", &s->e);
            goto fail;
        }
        wrap(s, &body, col_text(st, 0), cols, 0, "\033[1m");
        if (*col_text(st, 1))
            wrap(s, &body, col_text(st, 1), cols, 0, "");
        {
            sbuf j;
            sb_init(&j);
            sb_printf(&j, "%s%s", col_text(st, 2), *col_text(st, 2) ? " " : "");
            if (sqlite3_column_int(st, 3) > 0)
                sb_printf(&j, "%d", sqlite3_column_int(st, 3));
            if (*col_text(st, 5))
                sb_printf(&j, "  doi:%s", col_text(st, 5));
            if (*col_text(st, 6))
                sb_printf(&j, "  PMID %s", col_text(st, 6));
            if (j.p && *j.p)
                wrap(s, &body, j.p, cols, 0, "");
            if (j.oom)
                body.oom = 1;
            sb_free(&j);
        }
        sb_puts(&body, "\n");
        if (*col_text(st, 4))
            wrap(s, &body, col_text(st, 4), cols, 0, "");
        else
            sb_puts(&body, "(no abstract)\n");
        sqlite3_finalize(st);
        st = NULL;
        /* a body cut short by a failed allocation may lack its last '\n' */
        if (body.oom) {
            oom(s);
            goto fail;
        }
        for (p = body.p; p && *p; p++)
            nlines += *p == '\n';
        sb_printf(&out,
                  "\033[7m metasyn review screen - stage %d - %s - record %zu of %zu, %lld "
                  "decided \033[0m\r\n",
                  s->o.stage, s->o.reviewer, s->pos + 1, s->n, decided);
        sb_printf(&out, "record %lld", rec);
        if (f)
            sb_printf(&out, " - your decision: \033[1m%s\033[0m%s%s%s%s", m.decision,
                      m.reason ? " (" : "", m.reason ? m.reason : "", m.reason ? ")" : "",
                      m.note ? " [note]" : "");
        else
            sb_puts(&out, " - not decided yet");
        if (s->pending_note)
            sb_puts(&out, " - note waiting for your decision");
        sb_puts(&out, "\r\n");
        if (s->unblinded) {
            sbuf ob;
            sb_init(&ob);
            others(s, &ob, rec);
            if (ob.p && *ob.p)
                sb_printf(&out, "%.*s\r\n", (int)strlen(ob.p) - 1, ob.p);
            sb_free(&ob);
        }
        sb_puts(&out, "\r\n");
        avail = rows - 7 - (s->unblinded ? 1 : 0);
        if (avail < 1)
            avail = 1;
        if (s->scroll > nlines - avail)
            s->scroll = nlines - avail;
        if (s->scroll < 0)
            s->scroll = 0;
        for (p = body.p; p && *p && line < s->scroll + avail; line++) {
            const char *nl = strchr(p, '\n');
            if (!nl)
                break;
            if (line >= s->scroll)
                sb_printf(&out, "%.*s\033[0m\r\n", (int)(nl - p), p);
            p = nl + 1;
        }
        if (nlines > s->scroll + avail)
            sb_printf(&out, "\033[2m... %d more lines: + to scroll\033[0m\r\n",
                      nlines - s->scroll - avail);
        sb_printf(&out, "\033[%d;1H", rows - 1);
        sb_printf(&out, "\033[7m i include  e exclude  m maybe%s  n note  b back  f forward  q "
                        "quit \033[0m\r\n",
                  s->o.stage == 2 ? "  r not retrieved" : "");
    }
    if (s->msg[0])
        sb_printf(&out, "\033[%d;1H%s", rows, s->msg);
    if (body.oom || out.oom) {
        oom(s);
        goto fail;
    }
    (void)!write(STDOUT_FILENO, out.p, out.len);
    sb_free(&body);
    sb_free(&out);
    mine_free(&m);
    return 0;
fail:
    sqlite3_finalize(st);
    sb_free(&body);
    sb_free(&out);
    mine_free(&m);
    return -1;
}

/* Read a line at the bottom of the screen after prompt.  1 with *out
 * (app_alloc'ed), 0 cancelled (Esc or an empty line), -1 out of memory,
 * -2 signal/end of input. */
static int read_line(screen *s, const char *prompt, char **out)
{
    sbuf b;
    int rows, cols;
    *out = NULL;
    sb_init(&b);
    sb_add(&b, "", 0);
    for (;;) {
        int c;
        sbuf d;
        term_size(&rows, &cols);
        sb_init(&d);
        sb_printf(&d, "\033[%d;1H\033[2K%s%s", rows, prompt, b.p ? b.p : "");
        if (d.p)
            (void)!write(STDOUT_FILENO, d.p, d.len);
        sb_free(&d);
        c = read_key();
        if (c == -2 && got_winch && !got_signal) {
            got_winch = 0;
            continue;
        }
        if (c < 0) {
            sb_free(&b);
            return -2;
        }
        if (c == 27 || ((c == '\r' || c == '\n') && b.len == 0)) {
            sb_free(&b);
            return 0;
        }
        if (c == '\r' || c == '\n')
            break;
        if (c == 127 || c == 8) {
            while (b.len > 0 && ((unsigned char)b.p[b.len - 1] & 0xc0) == 0x80)
                b.len--;
            if (b.len > 0)
                b.len--;
            b.p[b.len] = '\0';
        } else if (c >= 0x20) {
            char ch = (char)c;
            sb_add(&b, &ch, 1);
        }
        if (b.oom) {
            sb_free(&b);
            oom(s);
            return -1;
        }
    }
    *out = b.p;
    return 1;
}

/* Commit one decision on the current record. */
static int decide(screen *s, const char *decision, const char *reason, const char *note)
{
    long long rec = s->queue[s->pos];
    sbuf d;
    int rc = -1;
    sb_init(&d);
    sb_printf(&d, "%s, stage %d, record %lld: %s", s->o.reviewer, s->o.stage, rec, decision);
    if (reason)
        sb_printf(&d, " (%s)", reason);
    if (note)
        sb_printf(&d, "; note: %s", note);
    if (d.oom)
        return sb_free(&d), oom(s);
    if (rv_begin(&s->r, &s->e) == 0) {
        if (rvs_decide(&s->r, rec, s->o.stage, s->o.reviewer, decision, reason, note, "screen",
                       &s->e) == 0 &&
            rv_audit(&s->r, "screen", d.p, &s->e) == 0 && rv_commit(&s->r, &s->e) == 0)
            rc = 0;
        else
            rv_rollback(&s->r);
    }
    sb_free(&d);
    if (rc == 0)
        snprintf(s->msg, sizeof s->msg, "saved: record %lld %s%s%s%s", rec, decision,
                 reason ? " (" : "", reason ? reason : "", reason ? ")" : "");
    return rc;
}

/* The note to save with a new decision on the current record: the one
 * typed for it, else the reviewer's earlier note on it (kept when the
 * decision changes).  *owned is freed by the caller. */
static int note_for(screen *s, char **owned, const char **note)
{
    mine m;
    int f;
    *owned = NULL;
    *note = s->pending_note;
    if (*note)
        return 0;
    if ((f = my_decision(s, s->queue[s->pos], &m)) < 0)
        return -1;
    *owned = m.note;
    *note = m.note;
    m.note = NULL;
    mine_free(&m);
    return 0;
}

static int decide_note(screen *s, const char *decision, const char *reason)
{
    char *owned;
    const char *note;
    int rc;
    if (note_for(s, &owned, &note))
        return -1;
    rc = decide(s, decision, reason, note);
    app_free(owned);
    return rc;
}

/* After a decision: the next undecided record after this one, else any
 * before it, else the end. */
static int advance(screen *s)
{
    size_t at;
    size_t from = s->pos + 1;
    app_free(s->pending_note);
    s->pending_note = NULL;
    s->scroll = 0;
    if (next_undecided(s, from, &at))
        return -1;
    if (at >= s->n && next_undecided(s, 0, &at))
        return -1;
    s->pos = at;
    return 0;
}

static int pick_reason(screen *s, const char **reason)
{
    sbuf b;
    int rows, cols, c;
    *reason = NULL;
    if (s->nreasons == 0) {
        snprintf(s->msg, sizeof s->msg,
                 "no exclusion reasons for stage %d: add one with 'metasyn review reasons --add "
                 "TEXT --stage %d'",
                 s->o.stage, s->o.stage);
        return 0;
    }
    term_size(&rows, &cols);
    sb_init(&b);
    sb_puts(&b, "\033[H\033[2J\033[1mExclude: why?\033[0m\r\n\r\n");
    for (size_t i = 0; i < s->nreasons; i++)
        sb_printf(&b, "  %2zu  %s\r\n", i + 1, s->reasons[i]);
    sb_puts(&b, "\r\nthe reason's number (Enter after it when there are more than 9); Esc: cancel");
    if (b.oom)
        return sb_free(&b), oom(s);
    (void)!write(STDOUT_FILENO, b.p, b.len);
    sb_free(&b);
    if (s->nreasons <= 9) {
        do
            c = read_key();
        while (c >= 0 && c != 27 && !(c >= '1' && c < '1' + (int)s->nreasons));
        if (c == -2 && got_signal)
            return -2;
        if (c >= '1' && c <= '9')
            *reason = s->reasons[c - '1'];
        return 0;
    }
    for (;;) {
        char *line;
        long v;
        char *end;
        int rc = read_line(s, "reason number: ", &line);
        if (rc <= 0)
            return rc == -1 ? -1 : rc == -2 && got_signal ? -2 : 0;
        v = strtol(line, &end, 10);
        if (end != line && !*end && v >= 1 && (size_t)v <= s->nreasons) {
            app_free(line);
            *reason = s->reasons[v - 1];
            return 0;
        }
        app_free(line);
    }
}

static int run(screen *s)
{
    for (;;) {
        int c, rc = 0;
        if (got_winch)
            got_winch = 0;
        if (draw(s))
            return -1;
        s->msg[0] = '\0';
        c = read_key();
        if (c == -2) {
            if (got_signal)
                return 1;
            continue;
        }
        if (c == -1 || c == 'q' || c == 'Q')
            return 0;
        if (s->pos >= s->n) {
            if (c == 'b' && s->n > 0)
                s->pos = s->n - 1;
            continue;
        }
        switch (c) {
        case 'i':
        case 'm':
            rc = decide_note(s, c == 'i' ? "include" : "maybe", NULL);
            if (rc == 0)
                rc = advance(s);
            break;
        case 'r':
            if (s->o.stage != 2) {
                snprintf(s->msg, sizeof s->msg, "r (full text not retrieved) is for stage 2");
                break;
            }
            rc = decide_note(s, "not_retrieved", NULL);
            if (rc == 0)
                rc = advance(s);
            break;
        case 'e': {
            const char *reason;
            rc = pick_reason(s, &reason);
            if (rc == -2)
                return 1;
            if (rc == 0 && reason) {
                rc = decide_note(s, "exclude", reason);
                if (rc == 0)
                    rc = advance(s);
            } else if (rc == 0 && !s->msg[0]) {
                snprintf(s->msg, sizeof s->msg, "not excluded (no reason picked)");
            }
            break;
        }
        case 'n': {
            char *line;
            mine m;
            int f;
            rc = read_line(s, "note (Enter saves, Esc cancels): ", &line);
            if (rc == -2) {
                if (got_signal)
                    return 1;
                rc = 0;
                break;
            }
            if (rc <= 0)
                break;
            rc = 0;
            f = my_decision(s, s->queue[s->pos], &m);
            if (f < 0) {
                app_free(line);
                return -1;
            }
            if (f) {
                rc = decide(s, m.decision, m.reason, line);
                app_free(line);
            } else {
                app_free(s->pending_note);
                s->pending_note = line;
                snprintf(s->msg, sizeof s->msg, "note kept: it is saved with your decision");
            }
            mine_free(&m);
            break;
        }
        case 'b':
            if (s->pos > 0) {
                s->pos--;
                s->scroll = 0;
                app_free(s->pending_note);
                s->pending_note = NULL;
            } else {
                snprintf(s->msg, sizeof s->msg, "this is the first record");
            }
            break;
        case 'f':
            s->pos++;
            s->scroll = 0;
            app_free(s->pending_note);
            s->pending_note = NULL;
            break;
        case '+':
        case ' ':
            s->scroll += 5;
            break;
        case '-':
            s->scroll -= 5;
            break;
        default:
            snprintf(s->msg, sizeof s->msg,
                     "keys: i include, e exclude, m maybe, n note, b back, f forward, q quit");
        }
        if (rc)
            return -1;
    }
}

static void screen_free(screen *s)
{
    rv_canon_free(&s->cn);
    app_free(s->queue);
    for (size_t i = 0; i < s->nkw; i++)
        app_free(s->kws[i].word);
    app_free(s->kws);
    for (size_t i = 0; i < s->nreasons; i++)
        app_free(s->reasons[i]);
    app_free(s->reasons);
    app_free(s->pending_note);
    rv_close(&s->r);
}

int review_screen(int argc, char **argv)
{
    static const struct option lo[] = {{"review", required_argument, NULL, 'r'},
                                       {"reviewer", required_argument, NULL, 'w'},
                                       {"stage", required_argument, NULL, 's'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    screen s;
    int rc, rest;
    size_t at;
    memset(&s, 0, sizeof s);
    s.o.stage = 1;
    if ((rc = cli_getopt(argc, argv, "review screen", ":r:w:s:h", lo, usage, set_opt, &s.o,
                         &rest)) != 0)
        return rc > 0 ? 0 : APP_EXIT_USAGE;
    if (rest != argc)
        return cli_usage_error("review screen", "no operands are taken"), APP_EXIT_USAGE;
    if (!s.o.reviewer)
        return cli_usage_error("review screen", "--reviewer NAME is required (who is screening)"),
               APP_EXIT_USAGE;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr,
                "metasyn review screen: needs a terminal (standard input and output are not "
                "one); to record decisions made elsewhere use 'metasyn review decisions "
                "--import FILE.csv --reviewer NAME --stage N'\n");
        return APP_EXIT_USAGE;
    }
    if ((rc = review_open("screen", s.o.review, &s.r)) != 0)
        return rc;
    if (load_queue(&s) || load_lists(&s) || (s.unblinded = rvs_unblinded(&s.r, s.o.stage, &s.e)) < 0 ||
        next_undecided(&s, 0, &at))
        goto fail;
    s.pos = at;
    if (term_raw() != 0) {
        app_err_set(&s.e, APP_EXIT_IO, "cannot put the terminal in raw mode");
        goto fail;
    }
    rc = run(&s);
    term_restore();
    if (rc < 0)
        goto fail;
    {
        /* the summary; a failure to count is reported (the decisions are
         * saved), not a silent exit 0 without it */
        long long d = n_decided(&s);
        if (d < 0)
            goto fail;
        if (got_signal)
            fprintf(stderr, "metasyn review screen: interrupted; every decision made is saved\n");
        printf("stage %d, %s: %lld of %zu records decided\n", s.o.stage, s.o.reviewer, d, s.n);
    }
    screen_free(&s);
    return got_signal ? 130 : 0;
fail:
    term_restore();
    screen_free(&s);
    return review_fail("screen", &s.e);
}
