/*
 * message.h - incoming mails as stored rows.
 *
 * A message moves received -> decided | review | quarantined | ignored.
 * Its raw bytes are stored before anything is decided; the mail is moved on
 * the server only after that state change has been committed ("moved").
 */
#ifndef IKZ_MESSAGE_H
#define IKZ_MESSAGE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct verdict;

struct msg {
	int64_t		 id;
	char		*mailbox;
	uint32_t	 uidvalidity;
	uint32_t	 uid;
	time_t		 internaldate;
	char		*message_id;	/* "" if none */
	char		*state;
	int		 attempts;
	char		*raw;		/* NULL if kept without body */
	size_t		 len;
};

void	msg_free(struct msg *);		/* frees members only */

/*
 * Highest UID recorded for this mailbox and UIDVALIDITY into *last (0 if
 * none): 0, or -1 on a database error (logged; *last is 0 then).
 */
int	 msg_last_uid(sqlite3 *, const char *mailbox, uint32_t uidvalidity,
	    uint32_t *last);

/*
 * Stores one fetched mail and advances last_uid, in one transaction. A
 * mail already known by Message-ID and SHA-256 (a UIDVALIDITY change) is
 * recorded as 'ignored' so it is moved but never decided twice. raw NULL
 * records an oversized mail without body, state 'review'. A row that
 * already exists for (mailbox, uidvalidity, uid) is left alone.
 */
int	msg_store(sqlite3 *, const char *mailbox, uint32_t uidvalidity,
	    uint32_t uid, time_t internaldate, const char *raw, size_t len,
	    size_t size);

/*
 * Records a mail that is left alone on the server (e.g. flagged \\Deleted
 * by another client) as 'ignored' with reason, and advances last_uid.
 */
int	msg_store_skipped(sqlite3 *, const char *mailbox, uint32_t uidvalidity,
	    uint32_t uid, time_t internaldate, size_t size,
	    const char *reason);

/* Loads the oldest 'received' message (arrival order); 1, 0 none, -1. */
int	msg_next_received(sqlite3 *, struct msg *);
/* Loads message id with its body; 1 found, 0 none, -1 error. */
int	msg_load(sqlite3 *, int64_t id, struct msg *);

/* Commits attempts + 1 before a parse is tried; returns the new count. */
int	msg_begin_attempt(sqlite3 *, int64_t id);
/*
 * Takes back the attempt of a parse that was cut short by a shutdown,
 * which says nothing about the mail. 0, or -1 on a database error.
 */
int	msg_undo_attempt(sqlite3 *, int64_t id);

/* Sets state and verdict summary (inside the caller's transaction). */
int	msg_set_state(sqlite3 *, int64_t id, const char *state,
	    const char *intent, const char *event_key, const char *reason,
	    const char *verdict_json, const char *from_addr,
	    const char *subject);

/*
 * Inside the caller's transaction: how many places the message holds in
 * its event's queue while in review (0 releases them), and the parser's
 * verdict as verdict_encode() bytes (enc NULL keeps the stored one).
 */
int	msg_set_hold(sqlite3 *, int64_t id, int held, const char *enc,
	    size_t len);
/* The stored verdict of message id (caller frees), or NULL if none. */
struct verdict *msg_verdict(sqlite3 *, int64_t id);

/* Calls fn for every decided message of this mailbox not yet moved. */
int	msg_foreach_unmoved(sqlite3 *, const char *mailbox,
	    uint32_t uidvalidity,
	    int (*fn)(void *, int64_t id, uint32_t uid, const char *state),
	    void *arg);
int	msg_set_moved(sqlite3 *, int64_t id);

/* Value of the first header named name in raw mail, unfolded; or NULL. */
char	*msg_header(const char *raw, size_t len, const char *name);

#endif
