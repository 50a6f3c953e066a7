/*
 * smtp.h - delivery of queued replies with libcurl.
 */
#ifndef IKZ_SMTP_H
#define IKZ_SMTP_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "base/config.h"

#define SMTP_SENT	 0
#define SMTP_TEMPFAIL	-1	/* 4xx, network, timeout: retry later */
#define SMTP_PERMFAIL	-2	/* 5xx to this recipient: do not retry */

/*
 * Sends every due pending outbox row, one message to one recipient per
 * SMTP transaction, all over one connection while it lasts (libcurl
 * reconnects after an error), with the envelope sender bounce_address
 * or the null sender "<>" (RFC 3834 3.3). A row is marked sent,
 * rescheduled (retry_min seconds after the first failure, doubling up
 * to retry_max) or failed. Only a 5xx answer to MAIL, RCPT or the end of
 * DATA fails it at once (SMTP_PERMFAIL); everything else, including a
 * connection dropped after DATA (whose response code may be a stale one)
 * and a server without STARTTLS, is SMTP_TEMPFAIL, until give_up_after
 * seconds after it was queued. Returns the number sent, or -1 if the
 * password is unusable.
 */
int	smtp_drain(sqlite3 *, const struct smtp_cfg *);

/*
 * When the server cannot be reached at all, the drain stops at the first
 * failure (no reply is charged an attempt) and is not tried again before
 * smtp_next_try() (retry_min, doubling to retry_max); 0 when there is no
 * outage. The outage is logged once when it begins and once when it ends.
 */
time_t	smtp_next_try(void);

/* "sent" marks forced to disk at least every this many (see smtp.c). */
#define SMTP_SYNC_GROUP	32

/*
 * Connects, negotiates TLS, verifies the certificate and logs in, then
 * hangs up (for ikzregd --check-config). 0, or the libcurl error code
 * (> 0, so that the caller can name the likely fix) with a reason in err.
 */
int	smtp_check(const struct smtp_cfg *, const char *password, char *err,
	    size_t errlen);

#endif
