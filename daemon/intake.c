/* intake.c - fetch, store, decide, move. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "daemon/intake.h"
#include "daemon/sig.h"
#include "daemon/worker.h"
#include "registry/db.h"
#include "registry/events.h"
#include "registry/message.h"
#include "registry/reg.h"

struct intake_move {
	const struct config	*cf;
	sqlite3			*db;
	struct imap		*im;
};

static int
intake_move_one(void *arg, int64_t id, uint32_t uid, const char *state)
{
	struct intake_move	*mv = arg;
	const char		*folder;

	folder = (!strcmp(state, "review") || !strcmp(state, "quarantined")) ?
	    mv->cf->imap.review_folder : mv->cf->imap.done_folder;
	if (imap_move(mv->im, uid, folder) == -1) {
		log_warnx("message uid %u: %s", uid, imap_error(mv->im));
		return -1;
	}
	util_step("moved");
	if (msg_set_moved(mv->db, id) == -1)
		return -1;
	log_debug("message uid %u moved to %s", uid, folder);
	return 0;
}

static int
intake_fetch_new(const struct config *cf, sqlite3 *db, struct imap *im,
    uint32_t uidvalidity)
{
	struct imap_msginfo	*list;
	size_t			 n, i, len;
	char			*raw;
	uint32_t		 last;
	int			 rv = 0;

	/* Not 0 on a database error: that would fetch the whole box again. */
	if (msg_last_uid(db, cf->imap.mailbox, uidvalidity, &last) == -1)
		return -1;
	if (imap_list_new(im, last, &list, &n) == -1) {
		log_warnx("%s", imap_error(im));
		return -1;
	}
	for (i = 0; i < n && rv == 0; i++) {
		raw = NULL;
		len = 0;
		if (list[i].deleted) {
			/* Someone else is deleting it: not ours to move. */
			log_info("message uid %u flagged \\Deleted by another "
			    "client: left alone", list[i].uid);
			rv = msg_store_skipped(db, cf->imap.mailbox, uidvalidity,
			    list[i].uid, list[i].internaldate, list[i].size,
			    "flagged \\Deleted by another client");
			continue;
		}
		if (list[i].size <= (size_t)cf->imap.max_message_bytes &&
		    imap_fetch_body(im, list[i].uid, &raw, &len) == -1) {
			log_warnx("%s", imap_error(im));
			rv = -1;
			break;
		}
		if (raw == NULL)
			log_warnx("message uid %u: %zu bytes is over the limit;"
			    " kept for review without body", list[i].uid,
			    list[i].size);
		util_step("fetched");
		rv = msg_store(db, cf->imap.mailbox, uidvalidity, list[i].uid,
		    list[i].internaldate, raw, len, list[i].size);
		free(raw);
		util_step("stored");
	}
	free(list);
	return rv;
}

static int
intake_quarantine(sqlite3 *db, const struct msg *m, const char *why)
{
	log_warnx("message uid %u %s: quarantined after %d attempts: %s",
	    m->uid, m->message_id, INTAKE_MAX_ATTEMPTS, why);
	if (db_begin(db) == -1)
		return -1;
	if (msg_set_state(db, m->id, "quarantined", NULL, NULL, why, NULL,
	    NULL, NULL) == -1 || db_audit(db, "daemon", "quarantined", NULL,
	    0, m->id, why) == -1) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

/* One attempt: counted (and committed) before the parser runs. */
static int
intake_decide_one(const struct config *cf, sqlite3 *db, struct msg *m)
{
	struct parse_ctx	 ctx = { 0 };
	struct parse_event	*events;
	struct verdict		*v;
	char			 err[256] = "decision failed";
	int			 n;

	if ((n = msg_begin_attempt(db, m->id)) < 0)
		return -1;
	if (n > INTAKE_MAX_ATTEMPTS)
		return intake_quarantine(db, m, "earlier attempts failed");
	ctx.events = events = events_for_parser(cf);
	ctx.nevents = cf->nevents;
	ctx.arrival = m->internaldate;
	ctx.own_address = cf->smtp.from_addr;
	ctx.review_below = cf->review_below;
	v = worker_parse(m->raw ? m->raw : "", m->len, &ctx, err, sizeof(err));
	free(events);
	if (v == NULL && sig_quit()) {
		/* Not the mail's fault: decided again after the restart. */
		log_info("message uid %u %s: %s; decided at the next start",
		    m->uid, m->message_id, err);
		return msg_undo_attempt(db, m->id);
	}
	if (v == NULL)
		log_warnx("message uid %u %s: attempt %d: %s", m->uid,
		    m->message_id, n, err);
	else {
		util_step("decided");
		if (reg_decide(db, cf, m, v, "daemon") == 0) {
			verdict_free(v);
			util_step("committed");
			return 0;
		}
		verdict_free(v);
	}
	if (n >= INTAKE_MAX_ATTEMPTS)
		return intake_quarantine(db, m, err);
	return 0;
}

int
intake_decide_all(const struct config *cf, sqlite3 *db)
{
	struct msg	 m;
	int		 r = 0;

	/* On SIGTERM the rest waits, stored, for the next start. */
	while (!sig_quit() && (r = msg_next_received(db, &m)) == 1) {
		r = intake_decide_one(cf, db, &m);
		msg_free(&m);
		if (r == -1)
			return -1;
	}
	return r;
}

int
intake_run(const struct config *cf, sqlite3 *db, struct imap *im)
{
	struct intake_move	 mv = { cf, db, im };
	uint32_t		 uidvalidity;

	if (imap_select(im, cf->imap.mailbox, &uidvalidity) == -1) {
		log_warnx("%s", imap_error(im));
		return -1;
	}
	/* Decisions committed before a crash are moved first. */
	if (msg_foreach_unmoved(db, cf->imap.mailbox, uidvalidity,
	    intake_move_one, &mv) == -1)
		return -1;
	if (intake_fetch_new(cf, db, im, uidvalidity) == -1)
		return -1;
	if (intake_decide_all(cf, db) == -1)
		return -1;
	return msg_foreach_unmoved(db, cf->imap.mailbox, uidvalidity,
	    intake_move_one, &mv);
}
