/*
 * attend.h - who came: attendance per registration, walk-ins.
 *
 * Attendance is kept per registration (registrations.attended): NULL not
 * recorded, 1 came, 0 did not come. Each call is one BEGIN IMMEDIATE
 * transaction with one audit row per registration changed; on -1 nothing
 * changed and err says why (refused: a request that cannot be done, e.g.
 * an id of another event; else a database failure, logged).
 */
#ifndef IKZ_ATTEND_H
#define IKZ_ATTEND_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "parsers/verdict.h"

#define ATTEND_UNSET	-1	/* forget what was recorded */
#define ATTEND_NO	0	/* did not come */
#define ATTEND_YES	1	/* came */

struct attend_err {
	int	 refused;	/* 1: not done for the reason in msg */
	char	 msg[256];	/* German, for staff */
};

/*
 * Records mark (ATTEND_*) for each of the n registrations ids of
 * event_key, all or none. Refused if an id is not an active (confirmed
 * or waiting) registration of that event.
 */
int	attend_mark(sqlite3 *, const char *event_key, const int64_t *ids,
	    size_t n, int mark, const char *actor, struct attend_err *);

/*
 * Adds p, who came without registering, as confirmed and attended
 * (walk_in = 1); nobody is told by mail. Refused without a family name,
 * or if p already holds an active registration of the event (mark that
 * one instead: its id is in err). The new id goes to *reg_id.
 */
int	attend_walk_in(sqlite3 *, const char *event_key,
	    const struct person *p, const char *actor, int64_t *reg_id,
	    struct attend_err *);

/* Registrations of event_key with attendance recorded (came or not). */
int64_t	attend_recorded(sqlite3 *, const char *event_key);

#endif
