/*
 * privacy.h - erasing personal data: one person, one event, or every
 * event past its retention time.
 *
 * Erasing deletes the person's registrations, deletes the replies about
 * them from the outbox (bodies included), drops the raw bytes, verdict,
 * sender and subject of their mails (the row stays, so the mail is never
 * fetched or decided again), blanks their address where it is only the
 * reply address of someone else's registration, and clears the details of
 * the audit rows about them. One BEGIN IMMEDIATE transaction; the database
 * runs with secure_delete=ON, so freed pages are zeroed. Afterwards
 * privacy_checkpoint() copies the WAL into the database and truncates it,
 * so that no old page with the data survives in the -wal file.
 */
#ifndef IKZ_PRIVACY_H
#define IKZ_PRIVACY_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

#include "base/config.h"

struct privacy_counts {
	int64_t	 registrations;	/* deleted */
	int64_t	 messages;	/* raw mail erased */
	int64_t	 replies;	/* outbox rows deleted */
	int64_t	 audit;		/* audit details cleared */
};

/*
 * Registrations of email (any case) for events that have not ended yet
 * and are not cancelled: erasing those would free a seat without telling
 * the waiting list, so staff cancel them first. Returns the count, -1.
 */
int64_t	privacy_active(sqlite3 *, const char *email, time_t now);

/*
 * Fills the temp tables privacy_regs (registration ids) and privacy_msgs
 * (message ids) with what privacy_forget would erase for email, for an
 * export; call it inside the caller's read transaction. 0, or -1.
 */
int	privacy_select_person(sqlite3 *, const char *email);

/* Erases everything stored about email. 0, or -1 (rolled back, logged). */
int	privacy_forget(sqlite3 *, const char *email, const char *actor,
	    struct privacy_counts *);

/* Erases all personal data of one event. 0, or -1 (rolled back, logged). */
int	privacy_purge_event(sqlite3 *, const char *event_key,
	    const char *actor, struct privacy_counts *);

/*
 * For the daemon loop: purges every event (of the database, configured or
 * not) that ended more than cf->retain_days days before now and still
 * holds personal data, then checkpoints. Does nothing when retain_days is
 * 0. Returns the number of events purged, or -1 (logged).
 */
int	privacy_purge_expired(sqlite3 *, const struct config *, time_t now);

/*
 * PRAGMA wal_checkpoint(TRUNCATE). Returns 0 when the WAL was copied and
 * truncated, -1 (logged) when a reader kept it from completing.
 */
int	privacy_checkpoint(sqlite3 *);

#endif
