/*
 * db.h - the SQLite store: opening, pragmas, migrations, transactions.
 *
 * The schema is the sequence of migrations registry/schema/NNN.sql;
 * PRAGMA user_version counts those applied. A database newer than the
 * program is refused.
 *
 * Every connection (daemon and staff tool) runs in WAL mode with
 * synchronous=FULL, busy_timeout, foreign_keys=ON and secure_delete=ON.
 * Writers use BEGIN IMMEDIATE so that two writers never deadlock on a lock
 * upgrade; busy_timeout absorbs the wait.
 */
#ifndef IKZ_DB_H
#define IKZ_DB_H

#include <sqlite3.h>
#include <stdint.h>

#define DB_BUSY_MS		30000
/* The database, WAL, SHM and lock file: group ikzreg may read, no others. */
#define DB_FILE_MODE		0640
#define DB_BUSY_LOG_MS		3000

/*
 * Opens (creating if needed, mode 0640 whatever the umask) and migrates
 * the database. Returns NULL after logging if it cannot be opened, its
 * schema is newer than ours, or it (or its WAL, SHM) is readable by others
 * (the message names the chmod to run). An up-to-date database is not
 * written on open, so a member of its group can read it.
 */
sqlite3	*db_open(const char *path);
void	 db_close(sqlite3 *);			/* NULL safe */

/*
 * The daemon's single-instance lock: flock on "<path>.lock", held for the
 * life of the returned fd, which holds our pid. Returns -1 if another
 * process holds it (*holder = its pid, -1 if unknown) or on error (logged,
 * *holder = 0). After fork (daemon(3)), db_lock_update writes the new pid.
 */
int	 db_lock(const char *path, long *holder);
void	 db_lock_update(int fd);
/*
 * The pid holding the lock of path; 0: none (the daemon is not running);
 * -1: held, pid unknown.
 */
long	 db_lock_holder(const char *path);

/*
 * Online backup (SQLite backup API, while the daemon runs) into file,
 * written as file.tmp mode 0600, checked by PRAGMA integrity_check, then
 * renamed: a crash never leaves a half backup under the name.
 */
int	 db_backup(sqlite3 *, const char *file);
/*
 * Replaces the whole content of db by the backup file, after checking its
 * integrity and schema version. The caller holds the lock (db_lock).
 */
int	 db_restore(sqlite3 *, const char *file);

/*
 * Transactions nest: the outermost db_begin is BEGIN IMMEDIATE, inner ones
 * are savepoints, so a function that commits its own change also works
 * inside a caller's transaction (group commit of a batch, a dry run that
 * is rolled back as a whole). db_commit and db_rollback end the innermost
 * level; only the outermost commit is durable. db_depth: open levels.
 */
int	 db_begin(sqlite3 *);
int	 db_commit(sqlite3 *);
void	 db_rollback(sqlite3 *);
int	 db_depth(sqlite3 *);
/* The database file's name, for log lines. */
const char *db_name(sqlite3 *);
/* 1 if the last error was a lock held by another connection. */
int	 db_busy_error(sqlite3 *);
/*
 * synchronous = FULL (every commit reaches the disk) or NORMAL (a commit
 * survives a crash of the process but may be lost with the machine; the
 * next FULL commit makes it durable too). Inside a transaction: no-op.
 */
int	 db_set_sync(sqlite3 *, int full);
/* Forces what NORMAL commits wrote to the disk (a WAL checkpoint). */
int	 db_sync_now(sqlite3 *);
int	 db_exec(sqlite3 *, const char *sql);

/* Prepares sql or logs and returns NULL. */
sqlite3_stmt *db_prepare(sqlite3 *, const char *sql);
/*
 * Like db_prepare, for statements run again and again (sql a literal):
 * the statement stays prepared for the connection. Give it back with
 * db_done() (never sqlite3_finalize), which resets it and clears its
 * bindings; db_done() finalizes a statement that is not kept.
 */
sqlite3_stmt *db_stmt(sqlite3 *, const char *sql);
void	 db_done(sqlite3_stmt *);
/*
 * Steps a query: 1 a row, 0 no (more) rows, -1 an error (logged with
 * the statement). Every read tells "no row" from an error through this.
 */
int	 db_step(sqlite3_stmt *);
/* Binds text or NULL; the statement copies it. */
void	 db_bind_text(sqlite3_stmt *, int, const char *);
/* Column text as a new string ("" for NULL). */
char	*db_column_strdup(sqlite3_stmt *, int);
/*
 * Reads seven consecutive columns from first on, in the order salutation,
 * title, given_name, family_name, function, organisation, email, into p
 * (new strings; free with people_clear).
 */
struct person;
void	 db_column_person(sqlite3_stmt *, int first, struct person *p);
/*
 * The same seven columns as pointers into the statement's row: valid only
 * until the next step or finalize; not to be freed. NULL columns give "".
 */
void	 db_column_person_view(sqlite3_stmt *, int first, struct person *p);
/*
 * Runs a single-row query "SELECT <int> ..." (or "... RETURNING <int>")
 * with one optional text arg: the value, dflt for no row or NULL, -1 on
 * error (logged). Callers that must tell an error pass a dflt >= 0.
 */
int64_t	 db_query_int(sqlite3 *, const char *sql, const char *arg,
	    int64_t dflt);
/* The same with the one parameter an id (?1, reusable in sql). */
int64_t	 db_query_int_id(sqlite3 *, const char *sql, int64_t id,
	    int64_t dflt);

/* Appends an audit row (within the caller's transaction). */
int	 db_audit(sqlite3 *, const char *actor, const char *action,
	    const char *event_key, int64_t registration_id,
	    int64_t source_message, const char *detail);

#endif
