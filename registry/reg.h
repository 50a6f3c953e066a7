/*
 * reg.h - seats, waiting lists and the decisions that change them.
 *
 * Every decision is one BEGIN IMMEDIATE transaction holding the
 * registration change, its outbox rows, the message state and an audit
 * row. Places are ordered by arrival (INTERNALDATE, then UID, then the
 * position of the person within the mail).
 */
#ifndef IKZ_REG_H
#define IKZ_REG_H

#include <sqlite3.h>
#include <stdint.h>

#include "daemon/config.h"
#include "parsers/verdict.h"
#include "registry/message.h"

/* Writes the configured events into the database. */
int	reg_sync_events(sqlite3 *, const struct config *);

/*
 * Decides one received message on its verdict, as `actor` ("daemon" or a
 * staff user). Returns 0 when committed, -1 (rolled back, logged) else.
 */
int	reg_decide(sqlite3 *, const struct config *, const struct msg *,
	    const struct verdict *, const char *actor);

struct reg_row {
	int64_t	 id;
	char	*status;
	int	 position;	/* 1-based within its status */
	time_t	 arrival;
	struct person p;
};

/* Calls fn for each non-cancelled registration in order: confirmed first. */
int	reg_foreach(sqlite3 *, const char *event_key,
	    int (*fn)(void *, const struct reg_row *), void *arg);

#endif
