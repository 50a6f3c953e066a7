/*
 * db.c - SQLite store: pragmas, versioned migrations, file modes, the
 * daemon's lock, online backup and restore, small helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "parsers/verdict.h"
#include "registry/db.h"

/* Generated from registry/schema/NNN.sql: [i] brings version i to i + 1. */
extern const char *const db_migrations[];
extern const size_t db_nmigrations;

const char *
db_name(sqlite3 *db)
{
	const char	*f = sqlite3_db_filename(db, "main");

	return f && *f ? f : "(in memory)";
}

/*
 * Test hook: IKZREG_BUSY_MS=N gives up after N ms instead of DB_BUSY_MS
 * (N from DB_BUSY_LOG_MS on, so that the note on waiting still comes
 * first), so that a test of the give-up need not hold a lock for 30 s.
 */
static int
db_busy_max(void)
{
	const char	*e = getenv("IKZREG_BUSY_MS");
	long		 n;

	if (e == NULL || (n = strtol(e, NULL, 10)) < DB_BUSY_LOG_MS ||
	    n > DB_BUSY_MS)
		return DB_BUSY_MS;
	return (int)n;
}

/*
 * Waits for another writer (the staff tool, a backup) up to DB_BUSY_MS,
 * and says so once after DB_BUSY_LOG_MS, so that a long wait is not a
 * silent hang in the log.
 */
static int
db_busy(void *arg, int n)
{
	sqlite3		*db = arg;
	int		 ms = n < 10 ? 1 << n : 100, max = db_busy_max();
	static int	 waited, logged;

	if (n == 0)
		waited = logged = 0;
	if (waited >= max) {
		log_warnx("database %s: still locked by another process after "
		    "%d s; giving up for now (retried later)", db_name(db),
		    max / 1000);
		return 0;
	}
	if (!logged && waited >= DB_BUSY_LOG_MS) {
		log_warnx("database %s: locked by another process (the staff "
		    "tool, a backup?); waiting up to %d s", db_name(db),
		    max / 1000);
		logged = 1;
	}
	sqlite3_sleep(ms);
	waited += ms;
	return 1;
}

int
db_busy_error(sqlite3 *db)
{
	int	 e = sqlite3_errcode(db);

	return e == SQLITE_BUSY || e == SQLITE_LOCKED;
}

int
db_set_sync(sqlite3 *db, int full)
{
	/* Inside a caller's transaction its commit decides: no change. */
	if (!sqlite3_get_autocommit(db))
		return 0;
	return db_exec(db, full ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL");
}

int
db_sync_now(sqlite3 *db)
{
	int	 rc;

	/* A checkpoint syncs the WAL first, then the database file. */
	rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
		log_warnx("database %s: checkpoint: %s", db_name(db),
		    sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int
db_exec(sqlite3 *db, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		/* "database or disk is full" must say which file. */
		log_warnx("database %s: %s", db_name(db),
		    msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * Transactions nest: the outermost db_begin is BEGIN IMMEDIATE, an inner
 * one a SAVEPOINT, so that a function that commits its own change (a
 * decision, a stored mail) can also run inside a caller's transaction: a
 * batch committed together (group commit), or a dry run rolled back as a
 * whole. The depth is kept per connection.
 */
#define DB_MAXCONN	16

static struct db_tx {
	sqlite3	*db;
	int	 depth;
} db_tx[DB_MAXCONN];

static struct db_tx *
db_tx_of(sqlite3 *db)
{
	struct db_tx	*free_slot = NULL;
	size_t		 i;

	for (i = 0; i < DB_MAXCONN; i++) {
		if (db_tx[i].db == db)
			return &db_tx[i];
		if (db_tx[i].db == NULL && free_slot == NULL)
			free_slot = &db_tx[i];
	}
	if (free_slot == NULL)
		fatalx("database: more than %d open connections", DB_MAXCONN);
	free_slot->db = db;
	free_slot->depth = 0;
	return free_slot;
}

int
db_begin(sqlite3 *db)
{
	struct db_tx	*t = db_tx_of(db);
	char		 sql[32];

	/* SQLite may have ended the transaction itself (e.g. disk full). */
	if (sqlite3_get_autocommit(db))
		t->depth = 0;
	if (t->depth == 0) {
		if (db_exec(db, "BEGIN IMMEDIATE") == -1)
			return -1;
	} else {
		snprintf(sql, sizeof(sql), "SAVEPOINT ikz%d", t->depth);
		if (db_exec(db, sql) == -1)
			return -1;
	}
	t->depth++;
	return 0;
}

int
db_depth(sqlite3 *db)
{
	struct db_tx	*t = db_tx_of(db);

	if (sqlite3_get_autocommit(db))
		t->depth = 0;
	return t->depth;
}

int
db_commit(sqlite3 *db)
{
	struct db_tx	*t = db_tx_of(db);
	char		 sql[32];

	if (sqlite3_get_autocommit(db))
		t->depth = 0;
	if (t->depth > 1)
		snprintf(sql, sizeof(sql), "RELEASE ikz%d", t->depth - 1);
	if (db_exec(db, t->depth > 1 ? sql : "COMMIT") == -1) {
		db_rollback(db);
		return -1;
	}
	if (t->depth > 0)
		t->depth--;
	return 0;
}

void
db_rollback(sqlite3 *db)
{
	struct db_tx	*t = db_tx_of(db);
	char		 sql[64];

	if (sqlite3_get_autocommit(db)) {
		t->depth = 0;
		return;
	}
	if (t->depth > 1) {
		t->depth--;
		snprintf(sql, sizeof(sql), "ROLLBACK TO ikz%d; RELEASE ikz%d",
		    t->depth, t->depth);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
		return;
	}
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	t->depth = 0;
}

sqlite3_stmt *
db_prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_warnx("database: %s", sqlite3_errmsg(db));
		return NULL;
	}
	return st;
}

/*
 * Statements kept prepared, per connection: the daemon prepared each one
 * again for every mail, and half of its instructions went to SQLite's
 * parser. A kept statement is found by the address of its text (a
 * literal; the text is compared too) and lent to one caller at a time;
 * a second caller while it is lent gets one of its own. Slots are
 * reused round robin once all are taken; db_close() finalizes those of
 * its connection. One thread per process: no lock.
 */
#define DB_KEPT_MAX	160

static struct db_kept {
	sqlite3		*db;
	const char	*sql;
	sqlite3_stmt	*st;
	int		 lent;
} db_kept[DB_KEPT_MAX];
static size_t	 db_kept_next;

/* A slot for a new statement: a free one, else one not lent; NULL. */
static struct db_kept *
db_kept_slot(void)
{
	struct db_kept	*k;
	size_t		 i;

	for (i = 0; i < DB_KEPT_MAX; i++)
		if (db_kept[i].db == NULL)
			return &db_kept[i];
	for (i = 0; i < DB_KEPT_MAX; i++) {
		k = &db_kept[db_kept_next++ % DB_KEPT_MAX];
		if (!k->lent) {
			sqlite3_finalize(k->st);
			return k;
		}
	}
	return NULL;
}

sqlite3_stmt *
db_stmt(sqlite3 *db, const char *sql)
{
	struct db_kept	*k;
	sqlite3_stmt	*st;
	size_t		 i;

	for (i = 0; i < DB_KEPT_MAX; i++) {
		k = &db_kept[i];
		if (k->db == db && k->sql == sql && !k->lent &&
		    strcmp(sqlite3_sql(k->st), sql) == 0) {
			k->lent = 1;
			return k->st;
		}
	}
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		log_warnx("database: %s", sqlite3_errmsg(db));
		return NULL;
	}
	if ((k = db_kept_slot()) != NULL) {
		k->db = db;
		k->sql = sql;
		k->st = st;
		k->lent = 1;
	}
	return st;
}

void
db_done(sqlite3_stmt *st)
{
	size_t	 i;

	if (st == NULL)
		return;
	for (i = 0; i < DB_KEPT_MAX; i++)
		if (db_kept[i].st == st && db_kept[i].lent) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			db_kept[i].lent = 0;
			return;
		}
	sqlite3_finalize(st);
}

/* Finalizes the kept statements of db (before it is closed). */
static void
db_kept_drop(sqlite3 *db)
{
	size_t	 i;

	for (i = 0; i < DB_KEPT_MAX; i++)
		if (db_kept[i].db == db) {
			sqlite3_finalize(db_kept[i].st);
			memset(&db_kept[i], 0, sizeof(db_kept[i]));
		}
}

void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

char *
db_column_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return xstrdup(s ? (const char *)s : "");
}

void
db_column_person(sqlite3_stmt *st, int i, struct person *p)
{
	p->salutation = db_column_strdup(st, i);
	p->title = db_column_strdup(st, i + 1);
	p->given_name = db_column_strdup(st, i + 2);
	p->family_name = db_column_strdup(st, i + 3);
	p->function = db_column_strdup(st, i + 4);
	p->organisation = db_column_strdup(st, i + 5);
	p->email = db_column_strdup(st, i + 6);
}

static char *
db_column_view(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return (char *)(s ? (const char *)s : "");
}

void
db_column_person_view(sqlite3_stmt *st, int i, struct person *p)
{
	p->salutation = db_column_view(st, i);
	p->title = db_column_view(st, i + 1);
	p->given_name = db_column_view(st, i + 2);
	p->family_name = db_column_view(st, i + 3);
	p->function = db_column_view(st, i + 4);
	p->organisation = db_column_view(st, i + 5);
	p->email = db_column_view(st, i + 6);
}

int
db_step(sqlite3_stmt *st)
{
	int	 rc;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	log_warnx("database: %s (in \"%.60s\")",
	    sqlite3_errmsg(sqlite3_db_handle(st)), sqlite3_sql(st));
	return -1;
}

/* Steps st once and gives it back to the cache: see db_query_int in db.h. */
static int64_t
db_query_row(sqlite3_stmt *st, int64_t dflt)
{
	int64_t		 v = dflt;

	switch (db_step(st)) {
	case 1:
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			v = sqlite3_column_int64(st, 0);
		break;
	case -1:
		v = -1;
		break;
	}
	db_done(st);
	return v;
}

int64_t
db_query_int(sqlite3 *db, const char *sql, const char *arg, int64_t dflt)
{
	sqlite3_stmt	*st;

	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	if (arg)
		db_bind_text(st, 1, arg);
	return db_query_row(st, dflt);
}

int64_t
db_query_int_id(sqlite3 *db, const char *sql, int64_t id, int64_t dflt)
{
	sqlite3_stmt	*st;

	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_query_row(st, dflt);
}

int
db_audit(sqlite3 *db, const char *actor, const char *action,
    const char *event_key, int64_t reg_id, int64_t msg_id, const char *detail)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_stmt(db, "INSERT INTO audit (at, actor, action, event_key,"
	    " registration_id, source_message, detail)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	db_bind_text(st, 2, actor);
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, event_key);
	if (reg_id > 0)
		sqlite3_bind_int64(st, 5, reg_id);
	if (msg_id > 0)
		sqlite3_bind_int64(st, 6, msg_id);
	db_bind_text(st, 7, detail);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		log_warnx("database: audit: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Applies the pending migrations in one transaction. */
static int
db_migrate(sqlite3 *db, const char *path)
{
	int64_t	 v;
	char	 sql[64];

	/* Up to date: no write, so that group members can open it read-only. */
	if (db_query_int(db, "PRAGMA user_version", NULL, -1) ==
	    (int64_t)db_nmigrations)
		return 0;
	if (db_begin(db) == -1)
		return -1;
	v = db_query_int(db, "PRAGMA user_version", NULL, -1);
	if (v > (int64_t)db_nmigrations) {
		log_warnx("%s: schema version %lld is newer than this program "
		    "(%zu); use a newer ikzreg", path, (long long)v,
		    db_nmigrations);
		goto fail;
	}
	for (; v >= 0 && v < (int64_t)db_nmigrations; v++) {
		if (db_exec(db, db_migrations[v]) == -1)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld",
		    (long long)v + 1);
		if (db_exec(db, sql) == -1)
			goto fail;
	}
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

/*
 * The database holds mail text and addresses: it, its WAL and SHM must not
 * be readable by others. A missing database is created 0640 whatever the
 * umask; SQLite gives the WAL and SHM the database's mode.
 */
static int
db_check_mode(const char *path)
{
	static const char *const tails[] = { "", "-wal", "-shm" };
	struct stat	 st;
	char		 f[4096];
	size_t		 i;
	int		 fd;

	for (i = 0; i < nitems(tails); i++) {
		snprintf(f, sizeof(f), "%s%s", path, tails[i]);
		if (stat(f, &st) == -1)
			continue;
		if (st.st_mode & S_IRWXO) {
			log_warnx("%s: readable by other users (mode %04o); "
			    "it holds personal data: run chmod o-rwx %s*",
			    f, (unsigned)(st.st_mode & 07777), path);
			return -1;
		}
	}
	if (access(path, F_OK) == 0 || errno != ENOENT)
		return 0;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, DB_FILE_MODE)) == -1 && errno != EEXIST) {
		log_warn("%s: cannot create the database", path);
		return -1;
	}
	if (fd != -1) {
		if (fchmod(fd, DB_FILE_MODE) == -1)
			log_warn("%s: chmod", path);
		close(fd);
	}
	return 0;
}

sqlite3 *
db_open(const char *path)
{
	sqlite3	*db = NULL;

	if (db_check_mode(path) == -1)
		return NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("%s: %s", path, db ? sqlite3_errmsg(db) :
		    "cannot open database");
		goto fail;
	}
	sqlite3_busy_handler(db, db_busy, db);
	if (db_exec(db, "PRAGMA journal_mode = WAL") == -1 ||
	    db_exec(db, "PRAGMA synchronous = FULL") == -1 ||
	    db_exec(db, "PRAGMA foreign_keys = ON") == -1 ||
	    db_exec(db, "PRAGMA secure_delete = ON") == -1)
		goto fail;
	if (db_migrate(db, path) == -1)
		goto fail;
	return db;
fail:
	db_close(db);
	return NULL;
}

void
db_close(sqlite3 *db)
{
	size_t	 i;

	if (db == NULL)
		return;
	for (i = 0; i < DB_MAXCONN; i++)
		if (db_tx[i].db == db)
			db_tx[i].db = NULL;
	db_kept_drop(db);
	sqlite3_close(db);
}

/* The lock file beside the database: "<database>.lock". */
static void
db_lock_path(const char *path, char *out, size_t len)
{
	snprintf(out, len, "%s.lock", path);
}

/* The pid written in the lock file, 0 if none. */
static long
db_lock_pid(int fd)
{
	char	 b[32];
	ssize_t	 n;

	if ((n = pread(fd, b, sizeof(b) - 1, 0)) <= 0)
		return 0;
	b[n] = '\0';
	return strtol(b, NULL, 10);
}

int
db_lock(const char *path, long *holder)
{
	char	 lp[4096];
	int	 fd;

	*holder = 0;
	db_lock_path(path, lp, sizeof(lp));
	if ((fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    DB_FILE_MODE)) == -1) {
		log_warn("%s: cannot open the lock file (the daemon's user "
		    "must be able to write it: chown it to that user)", lp);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			*holder = db_lock_pid(fd) > 0 ? db_lock_pid(fd) : -1;
		else
			log_warn("%s: flock", lp);
		close(fd);
		return -1;
	}
	db_lock_update(fd);
	return fd;
}

void
db_lock_update(int fd)
{
	char	 b[32];
	int	 n;

	n = snprintf(b, sizeof(b), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, b, (size_t)n, 0) != n)
		log_warn("lock file: cannot write the pid");
}

long
db_lock_holder(const char *path)
{
	char	 lp[4096];
	long	 pid = 0;
	int	 fd;

	db_lock_path(path, lp, sizeof(lp));
	if ((fd = open(lp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return 0;
	/* A shared lock fails only while the daemon holds its own. */
	if (flock(fd, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK &&
	    (pid = db_lock_pid(fd)) <= 0)
		pid = -1;
	close(fd);
	return pid;
}

/* Copies all of src into dst with the online backup API. */
static int
db_copy(sqlite3 *src, sqlite3 *dst, const char *what)
{
	sqlite3_backup	*bk;
	int		 rc;

	if ((bk = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		log_warnx("%s: %s", what, sqlite3_errmsg(dst));
		return -1;
	}
	/*
	 * All pages in one step: one read snapshot (WAL lets the daemon go
	 * on writing meanwhile). Steps of a few pages would restart the copy
	 * whenever the daemon commits between them, so a busy daemon would
	 * starve the backup until it fell idle.
	 */
	do {
		rc = sqlite3_backup_step(bk, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		log_warnx("%s: %s", what, sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/* 0 if "PRAGMA integrity_check" of db says ok. */
static int
db_integrity(sqlite3 *db, const char *what)
{
	sqlite3_stmt	*st;
	const char	*r;
	int		 ok = 0;

	if ((st = db_prepare(db, "PRAGMA integrity_check")) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (r = (const char *)sqlite3_column_text(st, 0)) != NULL)
		ok = !strcmp(r, "ok");
	sqlite3_finalize(st);
	if (!ok)
		log_warnx("%s: PRAGMA integrity_check failed", what);
	return ok ? 0 : -1;
}

int
db_backup(sqlite3 *db, const char *file)
{
	sqlite3	*dst = NULL;
	char	 tmp[4096];
	int	 fd, rv = -1;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1) {
		log_warn("%s", tmp);
		return -1;
	}
	if (fchmod(fd, 0600) == -1)
		log_warn("%s: chmod", tmp);
	close(fd);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		log_warnx("%s: %s", tmp, dst ? sqlite3_errmsg(dst) : "open");
		goto out;
	}
	/* One self-contained file: no -wal beside the copy. */
	if (db_copy(db, dst, file) == -1 ||
	    db_exec(dst, "PRAGMA journal_mode = DELETE") == -1 ||
	    db_integrity(dst, file) == -1)
		goto out;
	sqlite3_close(dst);
	dst = NULL;
	if (rename(tmp, file) == -1) {
		log_warn("%s", file);
		goto out;
	}
	rv = 0;
out:
	if (dst)
		sqlite3_close(dst);
	if (rv == -1)
		unlink(tmp);
	return rv;
}

int
db_restore(sqlite3 *db, const char *file)
{
	sqlite3	*src = NULL;
	int64_t	 v;
	int	 rv = -1;

	if (sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		log_warnx("%s: %s", file, src ? sqlite3_errmsg(src) : "open");
		goto out;
	}
	if (db_integrity(src, file) == -1)
		goto out;
	v = db_query_int(src, "PRAGMA user_version", NULL, -1);
	if (v < 1 || v > (int64_t)db_nmigrations) {
		log_warnx("%s: not an ikzreg backup of this version (schema "
		    "%lld, ours %zu)", file, (long long)v, db_nmigrations);
		goto out;
	}
	rv = db_copy(src, db, file);
out:
	db_kept_drop(src);
	sqlite3_close(src);
	return rv;
}
