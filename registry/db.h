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
#define DB_BUSY_LOG_MS		3000

/*
 * Opens (creating if needed) and migrates the database. Returns NULL
 * after logging if it cannot be opened or its schema is newer than ours.
 */
sqlite3	*db_open(const char *path);
void	 db_close(sqlite3 *);			/* NULL safe */

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
/* Binds text or NULL; the statement copies it. */
void	 db_bind_text(sqlite3_stmt *, int, const char *);
/* Column text as a new string ("" for NULL). */
char	*db_column_strdup(sqlite3_stmt *, int);
/*
 * Reads seven consecutive columns from first on, in the order salutation,
 * title, given_name, family_name, function, organisation, email, into p
 * (new strings; free with person_clear).
 */
struct person;
void	 db_column_person(sqlite3_stmt *, int first, struct person *p);
/*
 * The same seven columns as pointers into the statement's row: valid only
 * until the next step or finalize; not to be freed. NULL columns give "".
 */
void	 db_column_person_view(sqlite3_stmt *, int first, struct person *p);
/* Runs a single-row query "SELECT <int> ..." with one optional text arg. */
int64_t	 db_query_int(sqlite3 *, const char *sql, const char *arg,
	    int64_t dflt);

/* Appends an audit row (within the caller's transaction). */
int	 db_audit(sqlite3 *, const char *actor, const char *action,
	    const char *event_key, int64_t registration_id,
	    int64_t source_message, const char *detail);

#endif
