/*
 * gate.h - whether the daemon may answer a mail by itself.
 *
 * Three checks, after the parser's own (auto-generated mail never gets
 * here): the sender's domain is authenticated by our own MTA (when
 * [replies] authserv_id is set), the sender has had fewer than
 * max_replies_per_address_per_day automatic replies in the last 24 hours,
 * and fewer than max_replies_per_hour automatic replies went out in the
 * last hour. A mail that fails any of them goes to staff instead.
 */
#ifndef IKZ_GATE_H
#define IKZ_GATE_H

#include <sqlite3.h>
#include <stddef.h>

#include "base/config.h"
#include "parsers/verdict.h"
#include "registry/message.h"

/*
 * Returns 1 when an automatic reply is allowed; 0 when the mail goes to
 * review, with the reason (short English, no personal data) in why. A
 * database error counts as 0: when in doubt, staff decide.
 */
int	gate_check(sqlite3 *, const struct config *, const struct msg *,
	    const struct verdict *, char *why, size_t whylen);

/*
 * Queues the "review-ack" reply for a mail that went to review, inside
 * the caller's transaction, when [replies] ack_review is on and the same
 * checks as gate_check pass (never to auto-generated mail or spam, never
 * over the rate limits). Returns 0 (queued or rightly not), -1 on error.
 */
int	gate_ack_review(sqlite3 *, const struct config *, const struct msg *,
	    const struct verdict *);

/*
 * The Authentication-Results check alone: 1 if the topmost header whose
 * authserv-id is authserv_id says dmarc=pass, or dkim=pass / spf=pass for
 * a domain aligned (relaxed) with from_addr's domain; else 0. Headers of
 * other ids are ignored.
 */
int	gate_auth_ok(const char *raw, size_t len, const char *authserv_id,
	    const char *from_addr);

#endif
