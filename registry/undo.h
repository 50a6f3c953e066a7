/*
 * undo.h - taking back: reopen a decided mail, withdraw a queued reply,
 * undo one audit row. Used by `ikzreg reopen|withdraw|undo` and the web
 * desk ("Rückgängig"). Conventions as in reg.h and edit.h (0 committed;
 * -1 nothing changed, res->refused/res->err say why, err in German).
 *
 * The seat rule of every take-back is that of held places (reg.h): a
 * seat given meanwhile to a person who arrived later stays theirs (they
 * were told); what is taken back is placed again by its own arrival.
 * Whoever was already told about a change hears about its undoing;
 * whose reply is withdrawn before it went out hears nothing.
 */
#ifndef IKZ_UNDO_H
#define IKZ_UNDO_H

#include <sqlite3.h>
#include <stdint.h>

#include "base/config.h"
#include "registry/reg.h"

/*
 * Reopens decided message msg_id for review: its active registrations
 * (source_message = msg_id) are cancelled without a letter, its replies
 * not yet sent are withdrawn, and the mail is 'review' again, holding
 * max(1, people) places at its arrival if it asked to register for a
 * known event (so the seats it had are not handed on to later arrivals;
 * people waiting who arrived earlier move up). Then resolve it (reg.h).
 * Refused unless the message is 'decided', or when its decision
 * cancelled or substituted someone (undo those audit rows instead).
 * Audit row "reopened" (detail: registrations taken back, replies
 * withdrawn). res->kind "reopened".
 */
int	undo_reopen(sqlite3 *, const struct config *, int64_t msg_id,
	    const char *actor, struct reg_result *res);

/*
 * Withdraws pending outbox row outbox_id and every row of the same
 * Message-ID (To and Cc are one letter): the rows are deleted and
 * recorded in outbox_withdrawn. Refused if the reply was sent or failed.
 * A reply that is not held may be in the daemon's hands right now: it
 * may still go out (then it is recorded as sent nowhere; hold replies to
 * be sure). Audit row "withdrawn". res->kind "withdrawn", res->position
 * the number of rows.
 */
int	undo_withdraw(sqlite3 *, const struct config *, int64_t outbox_id,
	    const char *actor, struct reg_result *res);

/*
 * Undoes audit row audit_id:
 *   "decided" (daemon or staff) or a placement "confirmed"/"waitlisted"
 *     made by a mail -> undo_reopen of that mail;
 *   "confirmed"/"waitlisted" by staff (add, companion) -> the
 *     registration is cancelled, its unsent replies withdrawn; if a reply
 *     about it went out already, the person is told "cancelled";
 *   "cancelled" by staff -> the registration is placed again by its own
 *     arrival (seat, else waiting list; refused if full); its unsent
 *     cancellation is withdrawn, else the person is told the new status;
 *   "edited" -> the person's previous fields come back;
 * anything else is refused ("kann nicht rückgängig gemacht werden").
 * Refused as well when the row was undone already or its registration
 * has changed since in a way that conflicts. Audit rows: the action's
 * own and "undone" (detail: the audit id). res->kind "undone".
 */
int	undo_audit(sqlite3 *, const struct config *, int64_t audit_id,
	    int flags, const char *actor, struct reg_result *res);

/*
 * 1 if audit row audit_id gets a "Rückgängig" button: undo_audit would
 * try it, and, for a mail's decision, the row is the newest "decided"
 * row of a mail that is decided now (one button per mail, not one more
 * per person placed: those rows would reopen the same mail). 0 if not,
 * -1 on a database error. Read-only.
 */
int	undo_possible(sqlite3 *, int64_t audit_id);

#endif
