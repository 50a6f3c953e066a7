/*
 * imap.h - the IMAP side of intake, on libetpan.
 *
 * Every function returns 0 on success and -1 on failure with a one-line
 * reason in imap_error(). A failed session is unusable: close it and
 * connect again.
 */
#ifndef IKZ_IMAP_H
#define IKZ_IMAP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/config.h"

struct imap;

/* Keyword set on processed mail when the server can neither MOVE nor
 * UID EXPUNGE. */
#define IMAP_DONE_KEYWORD	"$IKZRegDone"

/* What UID FETCH told about one message before its body is fetched. */
struct imap_msginfo {
	uint32_t	 uid;
	time_t		 internaldate;
	size_t		 size;
	int		 deleted;	/* flagged \\Deleted by someone */
};

/*
 * Connects, negotiates TLS as configured, verifies the server certificate
 * and host name, and only then logs in. On failure returns NULL and puts
 * the reason into err.
 */
struct imap	*imap_connect(const struct imap_cfg *, const char *password,
		    char *err, size_t errlen);
void		 imap_close(struct imap *);		/* NULL safe */
const char	*imap_error(const struct imap *);

int	imap_select(struct imap *, const char *mailbox, uint32_t *uidvalidity);
/* Selects read-only (EXAMINE): nothing in it can change, not even \Seen. */
int	imap_examine(struct imap *, const char *mailbox, uint32_t *uidvalidity);
/* Lists messages with UID > after, in UID order; caller frees *list. */
int	imap_list_new(struct imap *, uint32_t after, struct imap_msginfo **,
	    size_t *n);
/*
 * The same for UIDs in (after, upto] (upto 0: no end), so that a full
 * mailbox is listed in windows, not as one response held in memory.
 */
int	imap_list_range(struct imap *, uint32_t after, uint32_t upto,
	    struct imap_msginfo **, size_t *n);
/* UIDNEXT of the selected mailbox, or 0 if the server gave none. */
uint32_t imap_uidnext(const struct imap *);
/* Fetches the raw bytes of one message (without setting \Seen). */
int	imap_fetch_body(struct imap *, uint32_t uid, char **raw, size_t *len);
/*
 * Fetches the raw bytes of the n messages uids (ascending) in one UID
 * FETCH, without setting \Seen, and calls fn for each one the server
 * returned (a message expunged meanwhile is simply missing). raw is valid
 * only during the call. A nonzero return of fn stops and is returned.
 */
int	imap_fetch_bodies(struct imap *, const uint32_t *uids, size_t n,
	    int (*fn)(void *, uint32_t uid, const char *raw, size_t len),
	    void *arg);
/*
 * Moves the n messages uids (ascending) to folder with one command: UID
 * MOVE, else UID COPY + \Deleted + UID EXPUNGE of exactly that set, else
 * (no UIDPLUS) only flags them \Seen and IMAP_DONE_KEYWORD.
 */
int	imap_move_set(struct imap *, const uint32_t *uids, size_t n,
	    const char *folder);
/* Removes the set from the selected mailbox (flags only without UIDPLUS). */
int	imap_remove_set(struct imap *, const uint32_t *uids, size_t n);
/*
 * In the selected mailbox: 1 if a message with this Message-ID and
 * RFC822.SIZE is there, 0 if not (or no Message-ID), -1 on error.
 */
int	imap_has_copy(struct imap *, const char *message_id, size_t size);
/* Creates folder (UTF-8 name) unless it exists. */
int	imap_ensure_folder(struct imap *, const char *folder);
/* Moves one message: MOVE, else COPY + \Deleted + UID EXPUNGE, else flags. */
int	imap_move(struct imap *, uint32_t uid, const char *folder);

/* Appends a message to folder (UTF-8 name) with the \Seen flag. */
int	imap_append(struct imap *, const char *folder, const char *data,
	    size_t len);

/*
 * Appends n messages to folder with \Seen: with one MULTIAPPEND command
 * where the server offers MULTIAPPEND and LITERAL+ (all or none are
 * stored), else one APPEND each.
 */
int	imap_append_many(struct imap *, const char *folder,
	    const char *const *data, const size_t *len, size_t n);

/*
 * Waits in IDLE up to secs seconds, or until wakefd (the signal pipe, or
 * -1) is readable. A notification is only a hint: the caller resyncs by
 * UID afterwards in every case. Returns 1 when the server said something,
 * 0 on timeout or wake-up, -1 on error. Without IDLE support it returns 0
 * at once and the caller polls.
 */
int	imap_idle(struct imap *, int secs, int wakefd);
int	imap_has_idle(const struct imap *);

/*
 * For --check-config: *exists tells whether folder (UTF-8) is on the
 * server; the names of all folders, in UTF-8, are appended to names
 * (", " between). 0, or -1 with imap_error().
 */
struct buf;
int	imap_folders(struct imap *, const char *folder, int *exists,
	    struct buf *names);

/* RFC 3501 modified UTF-7 for a UTF-8 mailbox name; caller frees. */
char	*imap_utf7_encode(const char *);

#endif
