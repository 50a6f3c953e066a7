/*
 * reg_int.h - what reg.c (the rules) shares with reg_staff.c (the staff
 * actions). Not for use outside registry/.
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

int	reg_entry_load(sqlite3 *, int64_t id, struct reg_entry *);
void	reg_entry_free(struct reg_entry *);
int64_t	reg_find_person(sqlite3 *, const char *event_key,
	    const struct person *, int64_t except_id);
int	reg_position(sqlite3 *, int64_t reg_id);
int64_t	reg_count(sqlite3 *, const char *event_key, const char *status);
int	reg_set_status(sqlite3 *, int64_t id, const char *status);

int	reg_place(struct reg_ctx *, const struct reg_arrival *,
	    const struct person *, const char *reply_to, struct reg_outcome *);
int	reg_fill_seats(struct reg_ctx *);
int	reg_cancel_entry(struct reg_ctx *, const struct reg_entry *,
	    const char *detail);
int	reg_substitute_entry(struct reg_ctx *, const struct reg_entry *,
	    const struct person *np, const char *reply_to);
int	reg_promote_entry(struct reg_ctx *, const struct reg_entry *,
	    const char *detail);
int	reg_reply(struct reg_ctx *, const char *to, const char *cc,
	    struct reg_outcome *, size_t n);
int	reg_substitute_do(struct reg_ctx *, int64_t id,
	    const struct person *np, const char *sender, const char **why);
int	reg_finish_msg(struct reg_ctx *, const struct msg *,
	    const struct verdict *, const char *state, const char *why,
	    int held);
int	reg_act(struct reg_ctx *, const struct msg *, const struct verdict *,
	    const char **why);

#endif
