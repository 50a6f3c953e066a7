/* status.c - the daemon's heartbeat row. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/status.h"

int
status_heartbeat(sqlite3 *db, int ok)
{
	sqlite3_stmt	*st;
	int64_t		 now = (int64_t)time(NULL);
	int		 rc;

	/* started is kept while the same pid reports, reset by a new one. */
	st = db_prepare(db, "INSERT INTO daemon_heartbeat (id, pid, started,"
	    " last_pass, last_fetch, last_error) VALUES (1, ?1, ?2, ?2,"
	    " CASE WHEN ?3 THEN ?2 END, CASE WHEN ?3 THEN NULL ELSE ?2 END)"
	    " ON CONFLICT (id) DO UPDATE SET"
	    " started = CASE WHEN pid = ?1 THEN started ELSE ?2 END,"
	    " pid = ?1, last_pass = ?2,"
	    " last_fetch = CASE WHEN ?3 THEN ?2 ELSE last_fetch END,"
	    " last_error = CASE WHEN ?3 THEN last_error ELSE ?2 END");
	if (st == NULL || db_begin(db) == -1) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_bind_int64(st, 1, (int64_t)getpid());
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, ok != 0);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_warnx("heartbeat: %s", sqlite3_errmsg(db));
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

/* 1 if pid runs and its command name is ikzregd (pids get reused). */
static int
status_is_daemon(pid_t pid)
{
	char	 path[64], comm[64] = "";
	FILE	*fp;

	if (pid <= 0 || (kill(pid, 0) == -1 && errno != EPERM))
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 1;	/* no /proc: trust kill(2) */
	if (fgets(comm, sizeof(comm), fp) == NULL)
		comm[0] = '\0';
	fclose(fp);
	return strncmp(comm, "ikzregd", 7) == 0;
}

int
status_daemon_get(sqlite3 *db, struct status_daemon *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	st = db_prepare(db, "SELECT pid, started, last_pass, last_fetch,"
	    " last_error FROM daemon_heartbeat WHERE id = 1");
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->pid = (pid_t)sqlite3_column_int64(st, 0);
		out->started = (time_t)sqlite3_column_int64(st, 1);
		out->last_pass = (time_t)sqlite3_column_int64(st, 2);
		out->last_fetch = (time_t)sqlite3_column_int64(st, 3);
		out->last_error = (time_t)sqlite3_column_int64(st, 4);
		out->running = status_is_daemon(out->pid);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_warnx("heartbeat: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}
