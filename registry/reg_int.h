/*
 * reg_int.h - what the files of the registration rules share: seats.c
 * (seat rules), mail_actions.c (a decided mail), reg_staff.c (staff
 * actions), replyvars.c (letters), events.c (configured events). Not for
 * use outside registry/.
 */
#ifndef IKZ_REG_INT_H
#define IKZ_REG_INT_H

#include "registry/reg.h"

/* What one change did to one person, for the reply and the audit. */
struct reg_outcome {
	const struct person *p;
	const char	*kind;		/* template name */
	int64_t		 reg_id;
	int		 position;	/* waiting-list position, else 0 */
	int		 was_waiting;	/* already-registered: current status */
	int		 per_org;	/* per_organisation was the reason */
	const struct person *old;	/* substituted: who had the place */
};

/* Who acts on which event, and on behalf of which message. */
struct reg_ctx {
	sqlite3			*db;
	const struct config	*cf;
	const struct event_cfg	*ev;
	const char		*actor;
	int64_t			 msg_id;	/* source message, 0 none */
	const char		*in_reply_to;	/* Message-ID answered */
	int			 flags;		/* REG_NO_REPLY */
	struct reg_outcome	*first;		/* if set: the first person's
						   outcome, for staff */
};

/* Where one person stands in line: a mail's arrival, or staff's "now". */
struct reg_arrival {
	time_t	 t;
	int64_t	 uid;
	int	 seq;
};


/* A registration row as stored; strings owned. */
struct reg_entry {
	int64_t		 id;
	char		*event_key;
	char		*status;
	time_t		 arrival;
	char		*reply_to;
	struct person	 p;
};

/*
 * Seat rules and stored registrations (seats.c). Each runs inside the
 * caller's transaction; -1 means a database error (logged), never "none".
 */

/* Loads registration id into e: 1 found, 0 no such row, -1 on error. */
int	reg_entry_load(sqlite3 *, int64_t id, struct reg_entry *);
void	reg_entry_free(struct reg_entry *);
/*
 * The active registration of p (same address, else same name and
 * organisation) for event_key, other than except_id: its id, 0 when
 * there is none, -1 on error.
 */
int64_t	reg_find_person(sqlite3 *, const char *event_key,
	    const struct person *, int64_t except_id);
/* 1-based waiting-list place of reg_id, 0 if not waiting; -1 on error. */
int	reg_position(sqlite3 *, int64_t reg_id);
/* Registrations of event_key with status; -1 on error. */
int64_t	reg_count(sqlite3 *, const char *event_key, const char *status);
/* Sets the status of registration id (and its changed time); 0 or -1. */
int	reg_set_status(sqlite3 *, int64_t id, const char *status);

/*
 * Places p at arrival a: a seat if one is free before every held place,
 * else the waiting list, else "full" or "closed"; o says which and is
 * what the reply tells. An already registered p is "already-registered".
 * 0, or -1 on error.
 */
int	reg_place(struct reg_ctx *, const struct reg_arrival *,
	    const struct person *, const char *reply_to, struct reg_outcome *);
/* Promotes from the waiting list while seats are free (each is told). */
int	reg_fill_seats(struct reg_ctx *);
/* Cancels e (told, audited with detail), then fills its seat. 0 or -1. */
int	reg_cancel_entry(struct reg_ctx *, const struct reg_entry *,
	    const char *detail);
/* Gives e's place to np (both told, audited). 0 or -1. */
int	reg_substitute_entry(struct reg_ctx *, const struct reg_entry *,
	    const struct person *np, const char *reply_to);
/* Moves waiting e onto a seat (told, audited with detail). 0 or -1. */
int	reg_promote_entry(struct reg_ctx *, const struct reg_entry *,
	    const char *detail);

/*
 * Letters about registration changes (replyvars.c). reg_reply queues one
 * reply about o[0..n-1] to `to` (cc: the person's own address) inside
 * the caller's transaction; with REG_NO_REPLY nothing is queued; without
 * any usable address the audit says "not-told". 0 or -1.
 */
int	reg_reply(struct reg_ctx *, const char *to, const char *cc,
	    struct reg_outcome *, size_t n);
/* reg_reply to the sender of stored e and to e's own address. */
int	reg_tell_entry(struct reg_ctx *, const struct reg_entry *e,
	    struct reg_outcome *);

/*
 * Mail-driven actions (mail_actions.c), shared with the staff actions.
 * reg_substitute_do gives registration id's place to np, sent by
 * `sender`: 1 done, 0 not done (*why says why, for staff), -1 error.
 */
int	reg_substitute_do(struct reg_ctx *, int64_t id,
	    const struct person *np, const char *sender, const char **why);
/*
 * Sets message m's state ("decided", "review", ...) with reason why and
 * held places (review only), and writes its audit row. 0 or -1.
 */
int	reg_finish_msg(struct reg_ctx *, const struct msg *,
	    const struct verdict *, const char *state, const char *why,
	    int held);
/*
 * Does what verdict v of m asks (register, cancel, substitute): 1 done,
 * 0 not done, to review (*why says why), -1 error.
 */
int	reg_act(struct reg_ctx *, const struct msg *, const struct verdict *,
	    const char **why);

#endif
