/*
 * intake.c - fetch, store, decide, move; in batches.
 *
 * Where the disk is forced: a batch of stored mails and the attempt
 * counts are committed with synchronous=NORMAL (they survive a crash of
 * the daemon; lost with the machine they are only fetched or tried
 * again); the decisions of a batch, with their replies, are one commit
 * with synchronous=FULL, before any of those replies is sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "daemon/intake.h"
#include "daemon/notify.h"
#include "daemon/sig.h"
#include "daemon/worker.h"
#include "registry/db.h"
#include "registry/events.h"
#include "registry/message.h"
#include "registry/reg.h"

/* Test hook: IKZREG_BATCH=N makes batches of N mails. */
static size_t
intake_batch_max(void)
{
	const char	*e = getenv("IKZREG_BATCH");
	long		 n;

	if (e == NULL || (n = strtol(e, NULL, 10)) < 1 || n > INTAKE_BATCH)
		return INTAKE_BATCH;
	return (size_t)n;
}

static const char *
intake_folder(const struct config *cf, const char *state)
{
	return (!strcmp(state, "review") || !strcmp(state, "quarantined")) ?
	    cf->imap.review_folder : cf->imap.done_folder;
}

/* Marks the messages ids moved, in one transaction. */
static int
intake_mark_moved(sqlite3 *db, const int64_t *ids, size_t n)
{
	size_t	 i;
	int	 rv = 0;

	if (n == 0)
		return 0;
	db_set_sync(db, 0);
	if (db_begin(db) == -1)
		rv = -1;
	for (i = 0; rv == 0 && i < n; i++)
		rv = msg_set_moved(db, ids[i]);
	if (rv == 0)
		rv = db_commit(db);
	else
		db_rollback(db);
	db_set_sync(db, 1);
	return rv;
}

/*
 * Moves the listed messages whose folder is folder: one UID set per
 * command, INTAKE_BATCH at a time, each set marked moved after its move.
 */
static int
intake_move_folder(const struct config *cf, sqlite3 *db, struct imap *im,
    const struct msg_unmoved *v, size_t n, const char *folder)
{
	uint32_t	*uids = xreallocarray(NULL, n + 1, sizeof(*uids));
	int64_t		*ids = xreallocarray(NULL, n + 1, sizeof(*ids));
	size_t		 i, k = 0;
	int		 rv = 0;

	for (i = 0; i <= n && rv == 0; i++) {
		if (i < n && strcmp(intake_folder(cf, v[i].state), folder) != 0)
			continue;
		if (i < n) {
			uids[k] = v[i].uid;
			ids[k++] = v[i].id;
		}
		if (k == 0 || (k < INTAKE_MOVE_SET && i < n))
			continue;
		if (imap_move_set(im, uids, k, folder) == -1) {
			log_warnx("moving %zu message%s to %s: %s", k,
			    k == 1 ? "" : "s", folder, imap_error(im));
			rv = -1;
			break;
		}
		util_step("moved");
		rv = intake_mark_moved(db, ids, k);
		log_debug("%zu message%s moved to %s", k, k == 1 ? "" : "s",
		    folder);
		k = 0;
	}
	free(uids);
	free(ids);
	return rv;
}

static int
intake_move_list(const struct config *cf, sqlite3 *db, struct imap *im,
    const struct msg_unmoved *v, size_t n)
{
	if (intake_move_folder(cf, db, im, v, n, cf->imap.done_folder) == -1)
		return -1;
	if (strcmp(cf->imap.review_folder, cf->imap.done_folder) == 0)
		return 0;
	return intake_move_folder(cf, db, im, v, n, cf->imap.review_folder);
}

/*
 * Messages left unmoved by an earlier pass may have been copied already:
 * a server that fails between the copy and the expunge of a MOVE leaves
 * the mail in both folders. Those found in their target folder (same
 * Message-ID and size) are only removed from the mailbox, not copied
 * again. Clears found[i] or sets it to 1.
 */
static int
intake_find_copies(const struct config *cf, struct imap *im,
    const struct msg_unmoved *v, size_t n, char *found)
{
	const char	*folders[2] = { cf->imap.done_folder,
			    cf->imap.review_folder };
	size_t		 f, i;
	int		 r, examined;

	for (f = 0; f < 2; f++) {
		examined = 0;
		for (i = 0; i < n; i++) {
			if (strcmp(intake_folder(cf, v[i].state), folders[f]) ||
			    v[i].message_id[0] == '\0' || found[i])
				continue;
			if (!examined && imap_examine(im, folders[f], NULL) ==
			    -1)
				return -1;
			examined = 1;
			if ((r = imap_has_copy(im, v[i].message_id,
			    v[i].size)) == -1)
				return -1;
			found[i] = (char)r;
		}
	}
	return 0;
}

/* Moves what an earlier pass decided but did not move. */
static int
intake_recover_moves(const struct config *cf, sqlite3 *db, struct imap *im,
    uint32_t *uidvalidity)
{
	struct msg_unmoved	*v, *rest;
	size_t			 n, i, k = 0;
	uint32_t		*uids;
	int64_t			*ids;
	char			*found;
	int			 rv = -1;

	if (msg_list_unmoved(db, cf->imap.mailbox, *uidvalidity, &v, &n) == -1)
		return -1;
	if (n == 0)
		return 0;
	found = xcalloc(n, 1);
	uids = xreallocarray(NULL, n, sizeof(*uids));
	ids = xreallocarray(NULL, n, sizeof(*ids));
	if (intake_find_copies(cf, im, v, n, found) == -1 ||
	    imap_select(im, cf->imap.mailbox, uidvalidity) == -1) {
		log_warnx("%s", imap_error(im));
		goto out;
	}
	for (i = 0; i < n; i++)
		if (found[i]) {
			log_info("message uid %u %s: already in %s; removed "
			    "from %s only", v[i].uid, v[i].message_id,
			    intake_folder(cf, v[i].state), cf->imap.mailbox);
			uids[k] = v[i].uid;
			ids[k++] = v[i].id;
		}
	if (k > 0 && imap_remove_set(im, uids, k) == -1) {
		log_warnx("%s", imap_error(im));
		goto out;
	}
	if (intake_mark_moved(db, ids, k) == -1)
		goto out;
	/* The others are moved as usual (shallow copies: freed with v). */
	rest = xreallocarray(NULL, n, sizeof(*rest));
	for (i = k = 0; i < n; i++)
		if (!found[i])
			rest[k++] = v[i];
	rv = intake_move_list(cf, db, im, rest, k);
	free(rest);
out:
	msg_unmoved_free(v, n);
	free(found);
	free(uids);
	free(ids);
	return rv;
}

static int
intake_move_decided(const struct config *cf, sqlite3 *db, struct imap *im,
    uint32_t uidvalidity)
{
	struct msg_unmoved	*v;
	size_t			 n;
	int			 rv;

	if (msg_list_unmoved(db, cf->imap.mailbox, uidvalidity, &v, &n) == -1)
		return -1;
	rv = intake_move_list(cf, db, im, v, n);
	msg_unmoved_free(v, n);
	return rv;
}

struct intake_store {
	sqlite3			*db;
	const char		*mailbox;
	uint32_t		 uidvalidity;
	const struct imap_msginfo *list;
	size_t			 n;
};

static int
intake_store_one(void *arg, uint32_t uid, const char *raw, size_t len)
{
	struct intake_store	*s = arg;
	size_t			 i;

	for (i = 0; i < s->n && s->list[i].uid != uid; i++)
		;
	if (i == s->n)
		return 0;	/* not asked for */
	return msg_store(s->db, s->mailbox, s->uidvalidity, uid,
	    s->list[i].internaldate, raw, len, s->list[i].size);
}

/*
 * Stores list[0..n) in one transaction: the mails flagged \Deleted by
 * someone else as skipped, the oversized without body, the rest fetched
 * with one UID FETCH.
 */
static int
intake_store_batch(const struct config *cf, sqlite3 *db, struct imap *im,
    uint32_t uidvalidity, const struct imap_msginfo *list, size_t n)
{
	struct intake_store	 s = { db, cf->imap.mailbox, uidvalidity, list,
				    n };
	uint32_t		*uids = xreallocarray(NULL, n, sizeof(*uids));
	size_t			 i, k = 0;
	int			 rv = 0;

	db_set_sync(db, 0);
	if (db_begin(db) == -1)
		rv = -1;
	for (i = 0; i < n && rv == 0; i++) {
		if (list[i].deleted) {
			/* Someone else is deleting it: not ours to move. */
			log_info("message uid %u flagged \\Deleted by another "
			    "client: left alone", list[i].uid);
			rv = msg_store_skipped(db, cf->imap.mailbox,
			    uidvalidity, list[i].uid, list[i].internaldate,
			    list[i].size, "flagged \\Deleted by another client");
		} else if (list[i].size > (size_t)cf->imap.max_message_bytes) {
			log_warnx("message uid %u: %zu bytes is over the limit;"
			    " kept for review without body", list[i].uid,
			    list[i].size);
			rv = msg_store(db, cf->imap.mailbox, uidvalidity,
			    list[i].uid, list[i].internaldate, NULL, 0,
			    list[i].size);
		} else
			uids[k++] = list[i].uid;
	}
	if (rv == 0 && (rv = imap_fetch_bodies(im, uids, k, intake_store_one,
	    &s)) == -1 && imap_error(im)[0])
		log_warnx("%s", imap_error(im));
	if (rv == 0)
		util_step("fetched");
	if (rv == 0 && (rv = db_commit(db)) == 0)
		util_step("stored");
	if (rv != 0)
		db_rollback(db);
	db_set_sync(db, 1);
	free(uids);
	return rv == 0 ? 0 : -1;
}

/* The next batch of list: at most INTAKE_BATCH mails, INTAKE_BATCH_BYTES. */
static size_t
intake_cut(const struct imap_msginfo *list, size_t n, size_t max)
{
	size_t	 i, bytes = 0;

	for (i = 0; i < n && i < max; i++) {
		if (i > 0 && bytes + list[i].size > INTAKE_BATCH_BYTES)
			break;
		bytes += list[i].size;
	}
	return i;
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

struct intake_dec {
	const struct config	*cf;
	sqlite3			*db;
	struct worker		*w;
	struct parse_ctx	 ctx;
	struct parse_event	*events;
	intake_report_fn	 report;
	void			*arg;
};

/* Decides m with verdict v inside the caller's (or its own) transaction. */
static int
intake_apply(struct intake_dec *d, const struct msg *m,
    const struct verdict *v)
{
	util_step("decided");
	if (reg_decide(d->db, d->cf, m, v, "daemon") == -1)
		return -1;
	util_step("committed");
	if (d->report)
		d->report(d->arg, d->db, m);
	return 0;
}

/*
 * A mail that failed before (or was in a batch when the daemon died) is
 * decided on its own: one attempt, counted before the parser runs, so a
 * mail that kills the daemon itself is quarantined after three.
 */
static int
intake_decide_one(struct intake_dec *d, struct msg *m)
{
	struct verdict	*v;
	char		 err[256] = "decision failed";
	int		 n;

	db_set_sync(d->db, 0);
	n = msg_begin_attempt(d->db, m->id);
	db_set_sync(d->db, 1);
	if (n < 0)
		return -1;
	if (n > INTAKE_MAX_ATTEMPTS)
		return intake_quarantine(d->db, m, "earlier attempts failed");
	v = worker_run(d->w, m->raw ? m->raw : "", m->len, m->internaldate,
	    err, sizeof(err));
	if (v == NULL && sig_quit()) {
		/* Not the mail's fault: decided again after the restart. */
		log_info("message uid %u %s: %s; decided at the next start",
		    m->uid, m->message_id, err);
		return msg_undo_attempt(d->db, m->id);
	}
	if (v == NULL)
		log_warnx("message uid %u %s: attempt %d: %s", m->uid,
		    m->message_id, n, err);
	else if (intake_apply(d, m, v) == 0) {
		verdict_free(v);
		return 0;
	} else if (db_busy_error(d->db)) {
		/* A lock held by someone else says nothing about the mail. */
		verdict_free(v);
		msg_undo_attempt(d->db, m->id);
		return -1;
	} else
		verdict_free(v);
	if (n >= INTAKE_MAX_ATTEMPTS)
		return intake_quarantine(d->db, m, err);
	return 0;
}

/* Counts (or, undo set, takes back) one attempt for each of v[0..n). */
static int
intake_attempts(sqlite3 *db, struct msg *v, size_t n, int undo)
{
	size_t	 i;
	int	 rv = 0;

	if (n == 0)
		return 0;
	db_set_sync(db, 0);
	if (db_begin(db) == -1)
		rv = -1;
	for (i = 0; i < n && rv == 0; i++)
		rv = undo ? msg_undo_attempt(db, v[i].id) :
		    msg_begin_attempt(db, v[i].id) < 0 ? -1 : 0;
	rv = rv == 0 ? db_commit(db) : (db_rollback(db), -1);
	db_set_sync(db, 1);
	return rv;
}

/*
 * Decides v[0..n) (fresh mails, in arrival order) with one commit. The
 * attempts are counted first for all; the parser's first failure ends
 * the batch there: the mails before it are decided, the failed one keeps
 * its attempt, those after it get theirs back and wait for the next
 * batch (so the order of decisions is the order of arrival).
 */
static int
intake_decide_batch(struct intake_dec *d, struct msg *v, size_t n)
{
	struct verdict	**vs = xcalloc(n, sizeof(*vs));
	char		 err[256] = "decision failed";
	size_t		 i, k;
	int		 rv = -1, failed = 0;

	if (intake_attempts(d->db, v, n, 0) == -1)
		goto out;
	for (k = 0; k < n && !sig_quit(); k++) {
		notify_watchdog();	/* a mail a time: progress */
		if ((vs[k] = worker_run(d->w, v[k].raw ? v[k].raw : "",
		    v[k].len, v[k].internaldate, err, sizeof(err))) == NULL)
			break;
	}
	if (k < n && sig_quit() && vs[k] == NULL)
		log_info("message uid %u %s: %s; decided at the next start",
		    v[k].uid, v[k].message_id, err);
	else if (k < n) {
		log_warnx("message uid %u %s: attempt 1: %s", v[k].uid,
		    v[k].message_id, err);
		failed = 1;
	}
	if (db_begin(d->db) == -1) {
		/* A lock held by someone else says nothing about the mails. */
		intake_attempts(d->db, v, n, 1);
		goto out;
	}
	for (i = 0; i < k; i++)
		if (intake_apply(d, &v[i], vs[i]) == -1)
			break;
	if (i < k && db_busy_error(d->db)) {
		db_rollback(d->db);
		intake_attempts(d->db, v, n, 1);
		goto out;
	}
	if (i < k)
		failed = 1;	/* reg_decide failed for v[i]: it keeps one */
	/* The rest get their attempt back. */
	for (k = i + (size_t)failed; k < n; k++)
		if (msg_undo_attempt(d->db, v[k].id) == -1)
			break;
	if (k < n || db_commit(d->db) == -1) {
		db_rollback(d->db);
		goto out;
	}
	util_step("batch_committed");
	rv = 0;
out:
	for (i = 0; i < n; i++)
		verdict_free(vs[i]);
	free(vs);
	return rv;
}

/* The first mail with an earlier attempt ends a batch (or is one). */
static size_t
intake_fresh_prefix(const struct msg *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && v[i].attempts == 0; i++)
		;
	return i;
}

static int
intake_decide_loop(struct intake_dec *d)
{
	struct msg	*v;
	size_t		 n, k, max = intake_batch_max();
	int		 r = 0;

	/* On SIGTERM the rest waits, stored, for the next start. */
	while (r == 0 && !sig_quit()) {
		if (msg_received_batch(d->db, max, INTAKE_BATCH_BYTES, &v,
		    &n) == -1)
			return -1;
		if (n == 0) {
			free(v);
			break;
		}
		notify_watchdog();
		if ((k = intake_fresh_prefix(v, n)) == 0)
			r = intake_decide_one(d, &v[0]);
		else
			r = intake_decide_batch(d, v, k);
		msg_batch_free(v, n);
	}
	return r;
}

static void
intake_dec_init(struct intake_dec *d, const struct config *cf, sqlite3 *db,
    intake_report_fn report, void *arg)
{
	memset(d, 0, sizeof(*d));
	d->cf = cf;
	d->db = db;
	d->report = report;
	d->arg = arg;
	d->ctx.events = d->events = events_for_parser(cf);
	d->ctx.nevents = cf->nevents;
	d->ctx.own_address = cf->smtp.from_addr;
	d->ctx.review_below = cf->review_below;
	d->w = worker_new(&d->ctx);
}

static void
intake_dec_clear(struct intake_dec *d)
{
	worker_free(d->w);
	free(d->events);
	memset(d, 0, sizeof(*d));
}

int
intake_decide_report(const struct config *cf, sqlite3 *db,
    intake_report_fn report, void *arg)
{
	struct intake_dec	 d;
	int			 r;

	intake_dec_init(&d, cf, db, report, arg);
	r = intake_decide_loop(&d);
	intake_dec_clear(&d);
	return r;
}

int
intake_decide_all(const struct config *cf, sqlite3 *db)
{
	return intake_decide_report(cf, db, NULL, NULL);
}

/*
 * Stores list[0..n) batch by batch; with d, decides and moves each batch
 * before the next is fetched, with d's parser worker: one process serves
 * the whole pass (WORKER_MAX_MAILS each), not one per batch.
 */
static int
intake_fetch_list(const struct config *cf, sqlite3 *db, struct imap *im,
    uint32_t uidvalidity, const struct imap_msginfo *list, size_t n,
    struct intake_dec *d)
{
	size_t	 i, k, max = intake_batch_max();
	int	 rv = 0;

	for (i = 0; i < n && rv == 0 && !sig_quit(); i += k) {
		k = intake_cut(list + i, n - i, max);
		rv = intake_store_batch(cf, db, im, uidvalidity, list + i, k);
		if (rv == 0 && d != NULL)
			rv = intake_decide_loop(d);
		if (rv == 0 && d != NULL)
			rv = intake_move_decided(cf, db, im, uidvalidity);
	}
	return rv;
}

static int
intake_fetch_with(const struct config *cf, sqlite3 *db, struct imap *im,
    uint32_t uidvalidity, struct intake_dec *d)
{
	struct imap_msginfo	*list;
	size_t			 n, total = 0;
	uint32_t		 last, next = imap_uidnext(im), upto;
	int			 rv = 0;

	/* Not 0 on a database error: that would fetch the whole box again. */
	if (msg_last_uid(db, cf->imap.mailbox, uidvalidity, &last) == -1)
		return -1;
	/* In UID windows: memory stays flat however full the mailbox. */
	do {
		upto = next > last + 1 && next - 1 - last > INTAKE_LIST_WINDOW ?
		    last + INTAKE_LIST_WINDOW : 0;
		if (imap_list_range(im, last, upto, &list, &n) == -1) {
			log_warnx("%s", imap_error(im));
			return -1;
		}
		rv = intake_fetch_list(cf, db, im, uidvalidity, list, n, d);
		free(list);
		total += n;
		last = upto;
	} while (rv == 0 && upto != 0 && !sig_quit());
	if (rv == -1)
		return -1;
	return total > INT32_MAX ? INT32_MAX : (int)total;
}

int
intake_fetch(const struct config *cf, sqlite3 *db, struct imap *im,
    uint32_t uidvalidity, int decide_and_move)
{
	struct intake_dec	 d;
	int			 rv;

	if (!decide_and_move)
		return intake_fetch_with(cf, db, im, uidvalidity, NULL);
	intake_dec_init(&d, cf, db, NULL, NULL);
	rv = intake_fetch_with(cf, db, im, uidvalidity, &d);
	intake_dec_clear(&d);
	return rv;
}

int
intake_run(const struct config *cf, sqlite3 *db, struct imap *im)
{
	struct intake_dec	 d;
	uint32_t		 uidvalidity;
	int			 n = -1;

	if (imap_select(im, cf->imap.mailbox, &uidvalidity) == -1) {
		log_warnx("%s", imap_error(im));
		return -1;
	}
	/* Decisions committed before a crash are moved first. */
	if (intake_recover_moves(cf, db, im, &uidvalidity) == -1)
		return -1;
	/* One parser worker for the pass (replaced as worker.h says). */
	intake_dec_init(&d, cf, db, NULL, NULL);
	/* Stored before a crash, not yet decided; then what is new. */
	if (intake_decide_loop(&d) == 0 &&
	    intake_move_decided(cf, db, im, uidvalidity) == 0)
		n = intake_fetch_with(cf, db, im, uidvalidity, &d);
	intake_dec_clear(&d);
	return n;
}
