/*
 * reg.h - seats, waiting lists and the decisions that change them.
 *
 * Every change is one BEGIN IMMEDIATE transaction holding the registration
 * change, its outbox rows, the message state and an audit row (actor,
 * action, reason, source message). Nothing is half applied: on -1 the
 * transaction was rolled back.
 *
 * Order: places go by arrival (INTERNALDATE, then UID, then the position
 * of the person within the mail; registrations added by staff arrive
 * "now"). A mail waiting in review for a named event with intent
 * "register" holds max(1, people found) places at its arrival: a later
 * arrival gets a seat only while confirmed + places held by earlier review
 * mails < seats. Resolved as a registration, the mail is placed by its
 * arrival time; seats given meanwhile to later arrivals are never taken
 * back (see README, "Seats").
 *
 * Return convention: 0 committed, -1 nothing changed. For the staff
 * functions, struct reg_result says why: refused != 0 for a request that
 * cannot be done (not found, no free seat, ...; err says which, in plain
 * German for staff), refused == 0 for a database failure (logged; retry).
 * SQLITE_BUSY never surfaces: busy_timeout waits for the other writer.
 */
#ifndef IKZ_REG_H
#define IKZ_REG_H

#include <sqlite3.h>
#include <stdint.h>

#include "base/config.h"
#include "parsers/verdict.h"
#include "registry/message.h"

#define REG_NO_REPLY	0x1	/* change only: queue no reply to anyone */
/*
 * Staff actions (reg_staff.c, edit.h, undo.h) queue their replies held
 * for [desk] reply_hold_minutes, so that a mistake can be withdrawn
 * (undo.h) before it goes out; REG_NO_HOLD queues them due at once.
 * The daemon's replies are never held.
 */
#define REG_NO_HOLD	0x2

/* What a staff action did (filled by every reg_* staff function). */
struct reg_result {
	int64_t	 reg_id;	/* registration made or changed; 0 none */
	char	 kind[24];	/* "confirmed", "waitlisted", "full", "closed",
				   "already-registered", "cancelled",
				   "promoted", "substituted", "dismissed" */
	int	 position;	/* waiting-list position (1-based), else 0 */
	int	 refused;	/* 1: not done, for the reason in err */
	char	 err[256];	/* set when -1 is returned */
	/*
	 * With a refusal, what staff must give or do first (err says it in
	 * words, naming no command or option: the desk shows it too):
	 * REG_NEED_EVENT, REG_NEED_PERSON, REG_NEED_REPLY (an address or
	 * no reply), REG_NEED_REOPEN (the mail is decided), REG_NEED_AUDIT_ID
	 * (no such audit row); 0 none. Each front end adds its own hint.
	 */
	int	 need;
};

#define REG_NEED_EVENT		1
#define REG_NEED_PERSON		2
#define REG_NEED_REPLY		3
#define REG_NEED_REOPEN		4
#define REG_NEED_AUDIT_ID	5

/*
 * Writes the configured events into the database, in one transaction.
 * Refused (returns -1, logs one clear line per problem, database
 * unchanged) when an event with active registrations is no longer in the
 * config, or when seats fall below the number already confirmed. Raising
 * seats promotes from the waiting list (actor "config"), who are told.
 * Events gone from the config without active registrations are retired.
 */
int	reg_sync_events(sqlite3 *, const struct config *);

/*
 * Decides one received message on its verdict, as `actor` ("daemon" or a
 * staff user). Returns 0 when committed (including "sent to review"), -1
 * (rolled back, logged) else.
 */
int	reg_decide(sqlite3 *, const struct config *, const struct msg *,
	    const struct verdict *, const char *actor);

/* Staff's answer to a message waiting in review. */
struct reg_resolution {
	enum intent	 intent;	/* REGISTER, CANCEL, SUBSTITUTE act;
					   anything else dismisses the mail
					   (no change, no reply, places held
					   are released); UNCLEAR: keep the
					   parser's intent */
	const char	*event_key;	/* NULL: the parser's event */
	const struct person *people;	/* NULL: the parser's people;
					   SUBSTITUTE: [0] old, [1] new */
	size_t		 npeople;
	const char	*reply_to;	/* NULL: the parser's reply address */
	int		 flags;		/* REG_NO_REPLY */
};

/*
 * Resolves message msg_id (state 'review' or 'quarantined') through the
 * same rules as reg_decide, with the mail's original arrival time: a
 * registration is placed by its INTERNALDATE and UID. Refused if the
 * message is not waiting for staff, the event is unknown, or no people
 * or reply address are known (pass them, or REG_NO_REPLY). The audit
 * row names actor and "resolved". res->kind is the first person's.
 */
int	reg_resolve(sqlite3 *, const struct config *, int64_t msg_id,
	    const struct reg_resolution *, const char *actor,
	    struct reg_result *res);

/*
 * Registers p (phone, letter, counter) for event_key, arriving now:
 * seat, waiting list, full, closed or already registered by the same
 * rules as a mail. The reply goes to p->email unless REG_NO_REPLY or p has
 * no usable address (then the audit row says "not told").
 */
int	reg_add(sqlite3 *, const struct config *, const char *event_key,
	    const struct person *p, int flags, const char *actor,
	    struct reg_result *res);

/*
 * Cancels the active registration reg_id (when > 0) or the one of email
 * for event_key. A freed seat goes to the first eligible person waiting,
 * who is told (unless REG_NO_REPLY, which silences every reply).
 */
int	reg_cancel_person(sqlite3 *, const struct config *,
	    const char *event_key, int64_t reg_id, const char *email,
	    int flags, const char *actor, struct reg_result *res);

/*
 * Staff override: confirms waiting registration reg_id out of turn,
 * ignoring the waiting-list order, per_organisation and places held by
 * review mails; the audit row says "promoted (staff override)". Still
 * refused when confirmed >= seats: raise seats in the config instead.
 */
int	reg_promote(sqlite3 *, const struct config *, const char *event_key,
	    int64_t reg_id, int flags, const char *actor,
	    struct reg_result *res);

/*
 * Substitution: registration reg_id keeps its status and place and now
 * belongs to p. The old and the new person are told ("substituted").
 * Refused if p is already registered for the event.
 */
int	reg_substitute(sqlite3 *, const struct config *, const char *event_key,
	    int64_t reg_id, const struct person *p, int flags,
	    const char *actor, struct reg_result *res);

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

/* Places held by mails in review for the event (see above); -1 on error. */
int64_t	reg_held(sqlite3 *, const char *event_key);

#endif
