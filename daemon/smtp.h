/*
 * smtp.h - delivery of queued replies with libcurl.
 */
#ifndef IKZ_SMTP_H
#define IKZ_SMTP_H

#include <sqlite3.h>
#include <stddef.h>

#include "daemon/config.h"

#define SMTP_SENT	 0
#define SMTP_TEMPFAIL	-1	/* 4xx, network, timeout: retry later */
#define SMTP_PERMFAIL	-2	/* 5xx to this recipient: do not retry */

/*
 * Sends one message to one recipient with the null envelope sender
 * (RFC 3834). Returns one of the codes above with a reason in err.
 */
int	smtp_send(const struct smtp_cfg *, const char *password,
	    const char *rcpt, const char *data, size_t len, char *err,
	    size_t errlen);

/*
 * Sends every due pending outbox row, marking each sent, rescheduled or
 * failed. Returns the number sent, or -1 if the password is unusable.
 */
int	smtp_drain(sqlite3 *, const struct smtp_cfg *);

#endif
