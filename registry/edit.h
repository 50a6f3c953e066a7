/*
 * edit.h - staff corrections of a registration: edit its person, add a
 * companion at the same place in line. Used by `ikzreg edit`, `ikzreg
 * companion` and the web desk.
 *
 * Each call is one BEGIN IMMEDIATE transaction with its audit rows (actor
 * = the staff user); conventions as in reg.h: 0 committed, -1 nothing
 * changed and res says why (res->refused 1: a request that cannot be done,
 * res->err in German for staff; 0: database failure, retry). Replies are
 * held for [desk] reply_hold_minutes unless REG_NO_HOLD (see reg.h).
 */
#ifndef IKZ_EDIT_H
#define IKZ_EDIT_H

#include <sqlite3.h>
#include <stdint.h>

#include "base/config.h"
#include "registry/reg.h"

/*
 * Corrects the person of active registration reg_id of event_key: every
 * field of p that is not NULL replaces the stored one ("" clears it);
 * status, place in line and source mail stay. Refused when the result has
 * no family name, or would be the same person as another active
 * registration of the event, or nothing changes. No reply is sent (a
 * correction, not news). The audit row "edited" names the changed fields
 * (not their values); the old values are kept for edit undo (undo.h).
 * res->reg_id is reg_id, res->kind "edited".
 */
int	edit_person(sqlite3 *, const struct config *, const char *event_key,
	    int64_t reg_id, const struct person *p, const char *actor,
	    struct reg_result *res);

/*
 * Registers companion p of active registration host_id at the host's
 * place in line (same arrival, right after the host and its earlier
 * companions): a seat if one is free by the rules of reg.h for that
 * arrival (seats given meanwhile to later arrivals stay theirs), else the
 * waiting list right behind the host, else refused ("full"). Refused if
 * p is already registered. An empty organisation is the host's. The
 * reply goes to the host's reply address, cc p's own address, unless
 * REG_NO_REPLY. Audit rows: the placement ("confirmed"/"waitlisted") and
 * "companion" naming the host's id.
 * res->reg_id is the new registration, res->kind its status.
 */
int	edit_companion(sqlite3 *, const struct config *, const char *event_key,
	    int64_t host_id, const struct person *p, int flags,
	    const char *actor, struct reg_result *res);

#endif
