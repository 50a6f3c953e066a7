/*
 * outbox.h - replies waiting to be sent: pending -> sent | failed.
 *
 * A reply is rendered and stored as complete message bytes inside the
 * transaction that made the decision, so that a crash can never leave a
 * decision without its reply, nor a reply without its decision. A resend
 * after a crash sends the stored bytes again, with the same Message-ID.
 */
#ifndef IKZ_OUTBOX_H
#define IKZ_OUTBOX_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

#include "base/config.h"
#include "templates/tpl.h"

struct reply {
	const char	*kind;		/* template name, e.g. "confirmed" */
	const char	*to;		/* bare address */
	const char	*cc;		/* bare address or NULL */
	const char	*in_reply_to;	/* Message-ID answered, or NULL */
	int64_t		 source_message;
	int64_t		 registration_id;
	struct tpl_vars	*vars;
	const char	*attach;	/* a file to attach, or NULL */
	size_t		 attach_len;
	const char	*attach_name;	/* see struct mail_out */
	const char	*attach_type;
	time_t		 not_before;	/* held: not sent before (0: now) */
};

/*
 * Renders and queues a reply inside the caller's transaction: one row per
 * recipient, all with the same Message-ID. References are the answered
 * mail's References (from its stored raw bytes) plus in_reply_to.
 * Confirmed, promoted and reminder replies carry the event's .ics (found
 * through registration_id) and the template variable "ics" says so; that
 * variable is set in r->vars. Returns -1 (logged) if the template does
 * not render, an address is unusable or the message cannot be built.
 */
int	outbox_queue(sqlite3 *, const struct config *, const struct reply *);

struct outbox_row {
	int64_t	 id;
	char	*message_id;
	char	*rcpt;
	char	*body;
	size_t	 len;
	int	 attempts;
	time_t	 created;
};

/* Loads the oldest pending row due at now; 1 found, 0 none, -1 error. */
int	outbox_next_due(sqlite3 *, time_t now, int64_t after_id,
	    struct outbox_row *);
/* When the next pending row falls due (0 if none). */
time_t	outbox_next_time(sqlite3 *);
void	outbox_row_free(struct outbox_row *);
int	outbox_mark_sent(sqlite3 *, int64_t id);
/* Temporary failure: next try after a backoff; permanent: failed. */
int	outbox_mark_failed(sqlite3 *, int64_t id, int permanent,
	    const char *error, time_t next_try);

/*
 * The oldest sent row not yet copied to the Sent folder (after after_id):
 * 1 found, 0 none, -1 error. outbox_mark_copied marks every row of that
 * Message-ID (To and Cc share one message), so each is copied once.
 */
int	outbox_next_uncopied(sqlite3 *, int64_t after_id,
	    struct outbox_row *);
int	outbox_mark_copied(sqlite3 *, const char *message_id);

#endif
