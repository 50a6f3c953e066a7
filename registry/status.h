/*
 * status.h - the daemon's heartbeat, for `ikzreg status`.
 *
 * ikzregd records one row after every intake pass: its pid, when the pass
 * ran and whether the fetch succeeded. The staff tool reads it and checks
 * that the pid still belongs to a running ikzregd.
 */
#ifndef IKZ_STATUS_H
#define IKZ_STATUS_H

#include <sqlite3.h>
#include <sys/types.h>
#include <time.h>

struct status_daemon {
	pid_t	 pid;		/* 0: the daemon never ran on this database */
	time_t	 started;	/* first pass of this pid */
	time_t	 last_pass;
	time_t	 last_fetch;	/* last successful intake pass, 0 if none */
	time_t	 last_error;	/* last failed intake pass, 0 if none */
	int	 running;	/* pid is alive and is an ikzregd */
};

/*
 * Records a pass of this process (ok: 1 if the intake pass succeeded) in
 * its own short transaction. Returns 0, or -1 (logged); a failure here
 * never stops the daemon.
 */
int	status_heartbeat(sqlite3 *, int ok);

/* Reads the heartbeat into *out; 0, or -1 (logged) on a database error. */
int	status_daemon_get(sqlite3 *, struct status_daemon *out);

#endif
