/*
 * review_db.c - the review file: schema, migrations, transactions, the
 * audit trail and duplicate clusters.  review.h; docs/review-file.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "review.h"

/* ---- schema ------------------------------------------------------------ */

/* Version 1.  Decision tables are append-only (triggers below): a change is
 * a new row with `replaces` naming the row it supersedes. */
static const char schema_v1[] =
    "CREATE TABLE review_info(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL);\n"
    "CREATE TABLE exclusion_reasons(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  stage INTEGER NOT NULL CHECK (stage IN (1, 2)),\n"
    "  reason TEXT NOT NULL,\n"
    "  UNIQUE (stage, reason));\n"
    "CREATE TABLE keywords(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  word TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('include', 'exclude')),\n"
    "  UNIQUE (word, kind));\n"
    /* one row per imported file */
    "CREATE TABLE imports(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  source TEXT NOT NULL,\n"
    "  source_type TEXT NOT NULL DEFAULT 'database'\n"
    "    CHECK (source_type IN ('database', 'register', 'other')),\n"
    "  search_date TEXT,\n"
    "  file_name TEXT NOT NULL,\n"
    "  file_sha256 TEXT NOT NULL UNIQUE,\n"
    "  format TEXT NOT NULL CHECK (format IN ('ris', 'medline', 'csv')),\n"
    "  n_records INTEGER NOT NULL,\n"
    "  imported_at TEXT NOT NULL,\n"
    "  imported_by TEXT NOT NULL);\n"
    /* one row per record of an imported file, raw text kept */
    "CREATE TABLE records(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  line INTEGER NOT NULL,\n"
    "  raw TEXT NOT NULL,\n"
    "  type TEXT,\n"
    "  title TEXT,\n"
    "  authors TEXT,\n"
    "  year INTEGER,\n"
    "  journal TEXT,\n"
    "  volume TEXT,\n"
    "  issue TEXT,\n"
    "  pages TEXT,\n"
    "  doi TEXT,\n"
    "  pmid TEXT,\n"
    "  abstract TEXT,\n"
    "  keywords TEXT,\n"
    "  UNIQUE (import_id, seq));\n"
    "CREATE INDEX records_doi ON records(doi);\n"
    "CREATE INDEX records_pmid ON records(pmid);\n"
    /* decisions about pairs of records; the latest per pair counts */
    "CREATE TABLE dedup_links(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  a INTEGER NOT NULL REFERENCES records(id),\n"
    "  b INTEGER NOT NULL REFERENCES records(id),\n"
    "  decision TEXT NOT NULL CHECK (decision IN ('duplicate', 'distinct')),\n"
    "  method TEXT NOT NULL CHECK (method IN ('doi', 'pmid', 'auto', 'manual', 'csv')),\n"
    "  score REAL,\n"
    "  replaces INTEGER REFERENCES dedup_links(id),\n"
    "  decided_by TEXT NOT NULL,\n"
    "  decided_at TEXT NOT NULL,\n"
    "  CHECK (a < b));\n"
    "CREATE INDEX dedup_links_pair ON dedup_links(a, b);\n"
    /* the grey zone of the last `review dedup`: pairs for a person */
    "CREATE TABLE dedup_candidates(\n"
    "  a INTEGER NOT NULL REFERENCES records(id),\n"
    "  b INTEGER NOT NULL REFERENCES records(id),\n"
    "  score REAL NOT NULL,\n"
    "  detail TEXT,\n"
    "  found_at TEXT NOT NULL,\n"
    "  PRIMARY KEY (a, b),\n"
    "  CHECK (a < b));\n"
    /* screening decisions per record (the canonical record of its
     * duplicate cluster), stage and reviewer; the latest counts */
    "CREATE TABLE screening(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  record_id INTEGER NOT NULL REFERENCES records(id),\n"
    "  stage INTEGER NOT NULL CHECK (stage IN (1, 2)),\n"
    "  reviewer TEXT NOT NULL,\n"
    "  decision TEXT NOT NULL\n"
    "    CHECK (decision IN ('include', 'exclude', 'maybe', 'not_retrieved')),\n"
    "  reason TEXT,\n"
    "  note TEXT,\n"
    "  via TEXT NOT NULL DEFAULT 'screen' CHECK (via IN ('screen', 'csv')),\n"
    "  replaces INTEGER REFERENCES screening(id),\n"
    "  decided_at TEXT NOT NULL);\n"
    "CREATE INDEX screening_rec ON screening(record_id, stage, reviewer);\n"
    /* the team's decision where reviewers disagreed; the latest counts */
    "CREATE TABLE resolutions(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  record_id INTEGER NOT NULL REFERENCES records(id),\n"
    "  stage INTEGER NOT NULL CHECK (stage IN (1, 2)),\n"
    "  decision TEXT NOT NULL CHECK (decision IN ('include', 'exclude', 'not_retrieved')),\n"
    "  reason TEXT,\n"
    "  note TEXT,\n"
    "  replaces INTEGER REFERENCES resolutions(id),\n"
    "  resolved_by TEXT NOT NULL,\n"
    "  resolved_at TEXT NOT NULL);\n"
    /* stages whose decisions reviewers may see of each other */
    "CREATE TABLE unblinding(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  stage INTEGER NOT NULL CHECK (stage IN (1, 2)),\n"
    "  by TEXT NOT NULL,\n"
    "  at TEXT NOT NULL);\n"
    /* included studies: a study ID per study, its reports (records) */
    "CREATE TABLE studies(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  study_id TEXT NOT NULL UNIQUE,\n"
    "  created_by TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL);\n"
    "CREATE TABLE study_reports(\n"
    "  study INTEGER NOT NULL REFERENCES studies(id),\n"
    "  record_id INTEGER NOT NULL REFERENCES records(id),\n"
    "  PRIMARY KEY (study, record_id));\n"
    /* every change, in words */
    "CREATE TABLE audit(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  at TEXT NOT NULL,\n"
    "  who TEXT NOT NULL,\n"
    "  action TEXT NOT NULL,\n"
    "  detail TEXT);\n"
    /* the current state */
    "CREATE VIEW current_links AS\n"
    "  SELECT * FROM dedup_links l WHERE l.id =\n"
    "    (SELECT max(id) FROM dedup_links m WHERE m.a = l.a AND m.b = l.b);\n"
    "CREATE VIEW current_screening AS\n"
    "  SELECT * FROM screening s WHERE s.id =\n"
    "    (SELECT max(id) FROM screening t WHERE t.record_id = s.record_id\n"
    "       AND t.stage = s.stage AND t.reviewer = s.reviewer);\n"
    "CREATE VIEW current_resolutions AS\n"
    "  SELECT * FROM resolutions r WHERE r.id =\n"
    "    (SELECT max(id) FROM resolutions t WHERE t.record_id = r.record_id\n"
    "       AND t.stage = r.stage);\n";

/* Version 2: risk-of-bias judgements per study, tool and domain. */
static const char schema_v2[] =
    "CREATE TABLE rob(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  study INTEGER NOT NULL REFERENCES studies(id),\n"
    "  tool TEXT NOT NULL,\n"        /* rob2, rob1, robins-i, sign-rct, ...  */
    "  domain TEXT NOT NULL,\n"      /* D1.., 1.1.., a generic label, Overall */
    "  position INTEGER NOT NULL,\n" /* the domain's column (Overall last)    */
    "  domain_name TEXT NOT NULL,\n"
    "  judgement TEXT NOT NULL,\n"   /* low, some concerns, high, ...; '' cleared */
    "  support TEXT,\n"
    "  reviewer TEXT NOT NULL,\n"
    "  at TEXT NOT NULL,\n"
    "  replaces INTEGER REFERENCES rob(id));\n"
    "CREATE VIEW current_rob AS\n"
    "  SELECT * FROM rob r WHERE r.id =\n"
    "    (SELECT max(id) FROM rob t WHERE t.study = r.study AND t.tool = r.tool\n"
    "       AND t.domain = r.domain);\n";

/* Append-only tables: nothing is changed or deleted, only superseded. */
static const char *const append_only[] = {
    "imports", "records", "dedup_links", "screening", "resolutions",
    "unblinding", "studies", "study_reports", "audit", "rob"};

/* ---- SQLite's memory through the app's funnel --------------------------- */

/* SQLite asks for the size of an allocation (xSize): keep it in an 8-byte
 * header (SQLite needs 8-byte alignment, which app_alloc gives). */
static void *sq_malloc(int n)
{
    uint64_t *p = app_alloc((size_t)n + 8);
    if (!p)
        return NULL;
    p[0] = (uint64_t)n;
    return p + 1;
}

static void sq_free(void *p)
{
    if (p)
        app_free((uint64_t *)p - 1);
}

static void *sq_realloc(void *p, int n)
{
    uint64_t *q = app_realloc(p ? (uint64_t *)p - 1 : NULL, (size_t)n + 8);
    if (!q)
        return NULL;
    q[0] = (uint64_t)n;
    return q + 1;
}

static int sq_size(void *p) { return p ? (int)((uint64_t *)p - 1)[0] : 0; }
static int sq_roundup(int n) { return (n + 7) & ~7; }
static int sq_init(void *u)
{
    (void)u;
    return SQLITE_OK;
}
static void sq_shutdown(void *u) { (void)u; }

int rv_sqlite_init(app_err *e)
{
    static int done;
    static const sqlite3_mem_methods mm = {sq_malloc, sq_free,  sq_realloc, sq_size,
                                           sq_roundup, sq_init, sq_shutdown, NULL};
    if (done)
        return 0;
    if (sqlite3_libversion_number() < 3031000) {
        app_err_set(e, APP_EXIT_INTERNAL, "SQLite %s is too old: 3.31 or newer is needed",
                    sqlite3_libversion());
        return -1;
    }
    /* Fails only when SQLite was already initialised (then it keeps its own
     * allocator, which is fine). */
    (void)sqlite3_config(SQLITE_CONFIG_MALLOC, &mm);
    if (sqlite3_initialize() != SQLITE_OK) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory (starting SQLite)");
        return -1;
    }
    done = 1;
    return 0;
}

/* ---- small helpers -------------------------------------------------------- */

const char *rv_user(void)
{
    const char *u = getenv("METASYN_USER");
    if (u && *u)
        return u;
    u = getenv("USER");
    return u && *u ? u : "unknown";
}

const char *rv_now(char *buf)
{
    const char *fixed = getenv("METASYN_NOW");
    time_t t;
    struct tm tm;
    if (fixed && *fixed) {
        snprintf(buf, 32, "%.31s", fixed);
        return buf;
    }
    t = time(NULL);
    if (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, 32, "1970-01-01T00:00:00Z");
    return buf;
}

int rv_sqlerr(rv_db *r, const char *doing, app_err *e)
{
    int ec = r && r->db ? sqlite3_extended_errcode(r->db) : SQLITE_NOMEM;
    const char *msg = r && r->db ? sqlite3_errmsg(r->db) : "out of memory";
    int code;
    switch (ec & 0xff) {
    case SQLITE_NOMEM:
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory (%s)", doing);
        return -1;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_PERM:
        code = APP_EXIT_IO;
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        app_err_set(e, APP_EXIT_IO,
                    "%s: %s, while %s: another metasyn is writing it; try again when it is done",
                    r && r->path ? r->path : "review file", msg, doing);
        return -1;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        code = APP_EXIT_DATA;
        break;
    default:
        code = APP_EXIT_INTERNAL;
    }
    app_err_set(e, code, "%s: %s (while %s)", r && r->path ? r->path : "review file", msg, doing);
    return -1;
}

int rv_exec(rv_db *r, const char *sql, app_err *e)
{
    if (sqlite3_exec(r->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return rv_sqlerr(r, "updating the review file", e);
    return 0;
}

int rv_prepare(rv_db *r, const char *sql, sqlite3_stmt **st, app_err *e)
{
    if (sqlite3_prepare_v2(r->db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return rv_sqlerr(r, "reading the review file", e);
    }
    return 0;
}

int rv_begin(rv_db *r, app_err *e)
{
    if (rv_exec(r, "BEGIN IMMEDIATE", e) != 0)
        return -1;
    r->in_tx = 1;
    return 0;
}

int rv_commit(rv_db *r, app_err *e)
{
    if (sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rv_sqlerr(r, "saving the changes", e);
        rv_rollback(r);
        return -1;
    }
    r->in_tx = 0;
    return 0;
}

void rv_rollback(rv_db *r)
{
    if (r->db && r->in_tx)
        (void)sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    r->in_tx = 0;
}

int rv_audit(rv_db *r, const char *action, const char *detail, app_err *e)
{
    sqlite3_stmt *st;
    char now[32];
    int rc;
    if (rv_prepare(r, "INSERT INTO audit(at, who, action, detail) VALUES (?, ?, ?, ?)", &st, e))
        return -1;
    /* SQLITE_STATIC: the strings outlive the step, and nothing is copied
     * (a failed copy would read as a NULL) */
    rv_now(now);
    if (sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, r->who, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC) != SQLITE_OK ||
        (detail && sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC) != SQLITE_OK)) {
        sqlite3_finalize(st);
        return rv_sqlerr(r, "writing the audit trail", e);
    }
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(r, "writing the audit trail", e);
    return 0;
}

long long rv_count(rv_db *r, const char *sql, long long param, app_err *e)
{
    sqlite3_stmt *st;
    long long n = -1;
    int rc;
    if (rv_prepare(r, sql, &st, e))
        return -1;
    if (param >= 0)
        sqlite3_bind_int64(st, 1, param);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        n = 0;
    sqlite3_finalize(st);
    if (n < 0)
        rv_sqlerr(r, "reading the review file", e);
    return n;
}

/* ---- finding the file ------------------------------------------------------ */

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

int rv_find(const char *given, char **path, app_err *e)
{
    DIR *d;
    struct dirent *de;
    char *found = NULL;
    int n = 0;
    *path = NULL;
    if (given) {
        if (!(*path = app_strdup(given))) {
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            return -1;
        }
        return 0;
    }
    if (!(d = opendir("."))) {
        app_err_set(e, APP_EXIT_IO, "cannot list the current directory: %s", strerror(errno));
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        if (!has_suffix(de->d_name, RV_SUFFIX))
            continue;
        if (++n == 1 && !(found = app_strdup(de->d_name))) {
            closedir(d);
            app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
            return -1;
        }
    }
    closedir(d);
    if (n == 1) {
        *path = found;
        return 0;
    }
    app_free(found);
    if (n == 0)
        app_err_set(e, APP_EXIT_USAGE,
                    "no review file (*" RV_SUFFIX ") in the current directory: give one with "
                    "--review FILE, or create one with 'metasyn review init FILE" RV_SUFFIX "'");
    else
        app_err_set(e, APP_EXIT_USAGE,
                    "%d review files (*" RV_SUFFIX ") in the current directory: say which with "
                    "--review FILE",
                    n);
    return -1;
}

/* ---- create, open, migrate ------------------------------------------------ */

static int set_pragmas(rv_db *r, app_err *e)
{
    sqlite3_busy_timeout(r->db, 5000);
    if (rv_exec(r, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL", e))
        return -1;
    return 0;
}

/* The triggers of append_only[from .. to-1]. */
static int triggers(rv_db *r, size_t from, size_t to, app_err *e)
{
    char sql[1024];
    for (size_t i = from; i < to; i++) {
        const char *t = append_only[i];
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER %s_no_update BEFORE UPDATE ON %s BEGIN SELECT RAISE(ABORT, "
                 "'%s rows are never changed: add a new row that replaces it'); END;\n"
                 "CREATE TRIGGER %s_no_delete BEFORE DELETE ON %s BEGIN SELECT RAISE(ABORT, "
                 "'%s rows are never deleted: add a new row that replaces it'); END;",
                 t, t, t, t, t, t);
        if (rv_exec(r, sql, e))
            return -1;
    }
    return 0;
}

static const char *const default_reasons[][2] = {
    {"1", "wrong population"},
    {"1", "wrong intervention"},
    {"1", "wrong comparator"},
    {"1", "wrong outcome"},
    {"1", "wrong study design"},
    {"1", "wrong publication type"},
    {"1", "not a primary study"},
    {"2", "wrong population"},
    {"2", "wrong intervention"},
    {"2", "wrong comparator"},
    {"2", "wrong outcome"},
    {"2", "wrong study design"},
    {"2", "wrong publication type"},
    {"2", "no usable data"},
    {"2", "duplicate report of an included study"},
    {"2", "full text in a language we cannot read"},
};

static int insert_info(rv_db *r, const char *k, const char *v, app_err *e)
{
    sqlite3_stmt *st;
    int rc;
    if (rv_prepare(r, "INSERT OR REPLACE INTO review_info(key, value) VALUES (?, ?)", &st, e))
        return -1;
    sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : rv_sqlerr(r, "creating the review file", e);
}

static int populate(rv_db *r, const char *title, app_err *e)
{
    char now[32], ver[48];
    sqlite3_stmt *st;
    if (rv_exec(r, schema_v1, e) || rv_exec(r, schema_v2, e) ||
        triggers(r, 0, sizeof append_only / sizeof *append_only, e))
        return -1;
    snprintf(ver, sizeof ver, "PRAGMA user_version = %d", RV_SCHEMA_VERSION);
    if (rv_exec(r, ver, e))
        return -1;
    rv_now(now);
    if (insert_info(r, "application", "metasyn review", e) ||
        insert_info(r, "title", title ? title : "", e) || insert_info(r, "created_at", now, e) ||
        insert_info(r, "created_by", r->who, e))
        return -1;
    if (rv_prepare(r, "INSERT INTO exclusion_reasons(stage, reason) VALUES (?, ?)", &st, e))
        return -1;
    for (size_t i = 0; i < sizeof default_reasons / sizeof *default_reasons; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int(st, 1, atoi(default_reasons[i][0]));
        sqlite3_bind_text(st, 2, default_reasons[i][1], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return rv_sqlerr(r, "creating the review file", e);
        }
    }
    sqlite3_finalize(st);
    return rv_audit(r, "init", title && *title ? title : "(no title)", e);
}

int rv_create(const char *path, const char *title, app_err *e)
{
    struct stat sb;
    rv_db r = {0};
    char *tmp = NULL;
    size_t n;
    int rc = -1;
    if (rv_sqlite_init(e))
        return -1;
    if (stat(path, &sb) == 0) {
        app_err_set(e, APP_EXIT_IO, "%s already exists: a review file is never overwritten", path);
        return -1;
    }
    n = strlen(path) + 32;
    if (!(tmp = app_alloc(n)) || !(r.who = app_strdup(rv_user()))) {
        app_free(tmp);
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.tmp-%ld", path, (long)getpid());
    r.path = (char *)path;
    if (sqlite3_open_v2(tmp, &r.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rv_sqlerr(&r, "creating the review file", e);
        goto out;
    }
    if (set_pragmas(&r, e) || rv_exec(&r, "PRAGMA journal_mode = WAL", e) || rv_begin(&r, e))
        goto out;
    if (populate(&r, title, e)) {
        rv_rollback(&r);
        goto out;
    }
    if (rv_commit(&r, e))
        goto out;
    if (sqlite3_close(r.db) != SQLITE_OK) {
        rv_sqlerr(&r, "closing the new review file", e);
        goto out;
    }
    r.db = NULL;
    /* link(2) refuses to replace a file that appeared meanwhile */
    if (link(tmp, path) != 0) {
        app_err_set(e, APP_EXIT_IO, "cannot create %s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (r.db)
        sqlite3_close(r.db);
    unlink(tmp);
    {
        char side[4096];
        snprintf(side, sizeof side, "%s-wal", tmp);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", tmp);
        unlink(side);
    }
    app_free(tmp);
    app_free(r.who);
    return rc;
}

static int migrate(rv_db *r, int from, app_err *e)
{
    /* Each version's steps, all in the caller's one transaction. */
    char ver[48];
    size_t n = sizeof append_only / sizeof *append_only;
    if (from < 2 && (rv_exec(r, schema_v2, e) || triggers(r, n - 1, n, e)))
        return -1;
    snprintf(ver, sizeof ver, "PRAGMA user_version = %d", RV_SCHEMA_VERSION);
    return rv_exec(r, ver, e);
}

int rv_open(const char *path, rv_db *r, app_err *e)
{
    struct stat sb;
    long long ver;
    sqlite3_stmt *st = NULL;
    int ok = 0;
    memset(r, 0, sizeof *r);
    if (rv_sqlite_init(e))
        return -1;
    if (stat(path, &sb) != 0) {
        app_err_set(e, APP_EXIT_IO, "cannot open review file %s: %s", path, strerror(errno));
        return -1;
    }
    if (!(r->path = app_strdup(path)) || !(r->who = app_strdup(rv_user()))) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        goto fail;
    }
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rv_sqlerr(r, "opening the review file", e);
        goto fail;
    }
    if (set_pragmas(r, e)) {
        int ec = sqlite3_errcode(r->db) & 0xff;
        if (ec == SQLITE_NOTADB || ec == SQLITE_CORRUPT)
            app_err_set(e, APP_EXIT_DATA, "%s is not a metasyn review file (not an SQLite database)",
                        path);
        goto fail;
    }
    /* a metasyn review? */
    if (sqlite3_prepare_v2(r->db, "SELECT value FROM review_info WHERE key = 'application'", -1,
                           &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        ok = v && strcmp((const char *)v, "metasyn review") == 0;
    } else if ((sqlite3_errcode(r->db) & 0xff) == SQLITE_NOMEM) {
        sqlite3_finalize(st);
        rv_sqlerr(r, "opening the review file", e);
        goto fail;
    }
    sqlite3_finalize(st);
    if (!ok) {
        int ec = sqlite3_errcode(r->db) & 0xff;
        if (ec == SQLITE_NOTADB || ec == SQLITE_CORRUPT)
            app_err_set(e, APP_EXIT_DATA, "%s is not a metasyn review file (not an SQLite database)",
                        path);
        else
            app_err_set(e, APP_EXIT_DATA,
                        "%s is not a metasyn review file (an SQLite database without a review)",
                        path);
        goto fail;
    }
    if ((ver = rv_count(r, "PRAGMA user_version", -1, e)) < 0)
        goto fail;
    if (ver > RV_SCHEMA_VERSION) {
        app_err_set(e, APP_EXIT_DATA,
                    "%s was written by a newer metasyn (review file version %lld; this one "
                    "reads up to %d): update metasyn",
                    path, ver, RV_SCHEMA_VERSION);
        goto fail;
    }
    if (ver < RV_SCHEMA_VERSION) {
        if (rv_begin(r, e))
            goto fail;
        if (migrate(r, (int)ver, e) || rv_audit(r, "migrate", "schema upgraded", e) ||
            rv_commit(r, e)) {
            rv_rollback(r);
            goto fail;
        }
    }
    return 0;
fail:
    rv_close(r);
    return -1;
}

void rv_close(rv_db *r)
{
    sqlite3_finalize(r->ins_record);
    r->ins_record = NULL;
    rv_rollback(r);
    if (r->db)
        sqlite3_close(r->db);
    app_free(r->path);
    app_free(r->who);
    memset(r, 0, sizeof *r);
}

/* ---- imports and records ------------------------------------------------- */

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

int rv_add_import(rv_db *r, const rv_import *im, long long *id, app_err *e)
{
    sqlite3_stmt *st;
    char now[32];
    int rc;
    if (rv_prepare(r, "SELECT id, source, file_name, imported_at FROM imports WHERE file_sha256 = ?",
                   &st, e))
        return -1;
    sqlite3_bind_text(st, 1, im->sha256, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        app_err_set(e, APP_EXIT_DATA,
                    "%s was imported before (import %lld, source %s, file %s, on %s): the same "
                    "file is never imported twice",
                    im->file_name, (long long)sqlite3_column_int64(st, 0),
                    (const char *)sqlite3_column_text(st, 1),
                    (const char *)sqlite3_column_text(st, 2),
                    (const char *)sqlite3_column_text(st, 3));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(r, "reading the imports", e);
    if (rv_prepare(r,
                   "INSERT INTO imports(source, source_type, search_date, file_name, file_sha256, "
                   "format, n_records, imported_at, imported_by) VALUES (?,?,?,?,?,?,?,?,?)",
                   &st, e))
        return -1;
    bind_opt(st, 1, im->source);
    bind_opt(st, 2, im->source_type ? im->source_type : "database");
    bind_opt(st, 3, im->search_date);
    bind_opt(st, 4, im->file_name);
    bind_opt(st, 5, im->sha256);
    bind_opt(st, 6, im->format);
    sqlite3_bind_int64(st, 7, im->n_records);
    rv_now(now);
    sqlite3_bind_text(st, 8, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->who, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(r, "recording the import", e);
    *id = sqlite3_last_insert_rowid(r->db);
    return 0;
}

int rv_add_record(rv_db *r, long long import_id, long long seq, const rv_record *rec,
                  long long *id, app_err *e)
{
    sqlite3_stmt *st;
    int rc;
    /* prepared once per connection: an import adds thousands */
    if (!r->ins_record &&
        rv_prepare(r,
                   "INSERT INTO records(import_id, seq, line, raw, type, title, authors, year, "
                   "journal, volume, issue, pages, doi, pmid, abstract, keywords) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   &r->ins_record, e))
        return -1;
    st = r->ins_record;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, import_id);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_int64(st, 3, rec->line);
    bind_opt(st, 4, rec->raw ? rec->raw : "");
    bind_opt(st, 5, rec->type);
    bind_opt(st, 6, rec->title);
    bind_opt(st, 7, rec->authors);
    if (rec->year > 0)
        sqlite3_bind_int(st, 8, rec->year);
    else
        sqlite3_bind_null(st, 8);
    bind_opt(st, 9, rec->journal);
    bind_opt(st, 10, rec->volume);
    bind_opt(st, 11, rec->issue);
    bind_opt(st, 12, rec->pages);
    bind_opt(st, 13, rec->doi);
    bind_opt(st, 14, rec->pmid);
    bind_opt(st, 15, rec->abstract);
    bind_opt(st, 16, rec->keywords);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return rv_sqlerr(r, "adding a record", e);
    if (id)
        *id = sqlite3_last_insert_rowid(r->db);
    return 0;
}

/* ---- duplicate clusters ----------------------------------------------------- */

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static size_t index_of(const long long *ids, size_t n, long long id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? lo : n;
}

long long rv_canon_of(const rv_canon *c, long long id)
{
    size_t i = index_of(c->ids, c->n, id);
    return i < c->n ? c->canon[i] : 0;
}

void rv_canon_free(rv_canon *c)
{
    app_free(c->ids);
    app_free(c->canon);
    memset(c, 0, sizeof *c);
}

int rv_canon_load(rv_db *r, rv_canon *c, app_err *e)
{
    sqlite3_stmt *st = NULL;
    size_t *parent = NULL, i = 0;
    long long n;
    memset(c, 0, sizeof *c);
    if ((n = rv_count(r, "SELECT count(*) FROM records", -1, e)) < 0)
        return -1;
    c->ids = app_alloc(((size_t)n + 1) * sizeof *c->ids);
    c->canon = app_alloc(((size_t)n + 1) * sizeof *c->canon);
    parent = app_alloc(((size_t)n + 1) * sizeof *parent);
    if (!c->ids || !c->canon || !parent) {
        app_err_set(e, APP_EXIT_INTERNAL, "out of memory");
        goto fail;
    }
    if (rv_prepare(r, "SELECT id FROM records ORDER BY id", &st, e))
        goto fail;
    for (;;) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            rv_sqlerr(r, "reading the records", e);
            goto fail;
        }
        if (i == (size_t)n) /* a record added meanwhile by another process */
            continue;
        c->ids[i] = sqlite3_column_int64(st, 0);
        parent[i] = i;
        i++;
    }
    sqlite3_finalize(st);
    st = NULL;
    c->n = i;
    if (rv_prepare(r, "SELECT a, b FROM current_links WHERE decision = 'duplicate'", &st, e))
        goto fail;
    for (;;) {
        int rc = sqlite3_step(st);
        size_t a, b;
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            rv_sqlerr(r, "reading duplicate links", e);
            goto fail;
        }
        a = index_of(c->ids, c->n, sqlite3_column_int64(st, 0));
        b = index_of(c->ids, c->n, sqlite3_column_int64(st, 1));
        if (a == c->n || b == c->n)
            continue;
        a = uf_find(parent, a);
        b = uf_find(parent, b);
        if (a != b) { /* the lower index (lower id) is the root */
            if (a < b)
                parent[b] = a;
            else
                parent[a] = b;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    c->nclusters = 0;
    for (i = 0; i < c->n; i++) {
        size_t root = uf_find(parent, i);
        c->canon[i] = c->ids[root];
        c->nclusters += root == i;
    }
    app_free(parent);
    return 0;
fail:
    sqlite3_finalize(st);
    app_free(parent);
    rv_canon_free(c);
    return -1;
}
