/*
 * dryrun.c - ikzregd --dry-run: what the next pass would decide.
 *
 * The whole pass runs on the real intake path inside one database
 * transaction that is rolled back at the end: events synced, new mail
 * stored, every waiting mail decided (replies rendered and queued), the
 * resulting seats counted. The mailbox is only EXAMINEd (read-only, bodies
 * fetched with BODY.PEEK), nothing is moved, no reply is sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/log.h"
#include "base/util.h"
#include "daemon/dryrun.h"
#include "daemon/imap.h"
#include "daemon/intake.h"
#include "registry/db.h"
#include "registry/message.h"
#include "registry/reg.h"

/* Replies queued for message id, as "kind to rcpt, ..."; caller frees. */
static char *
dryrun_replies(sqlite3 *db, int64_t id)
{
	sqlite3_stmt	*st;
	struct buf	 b = { 0 };

	st = db_prepare(db, "SELECT kind, rcpt FROM outbox WHERE"
	    " source_message = ? ORDER BY id");
	if (st == NULL)
		return xstrdup("?");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_printf(&b, "%s%s to %s", b.len ? ", " : "",
		    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	return b.data ? buf_detach(&b) : xstrdup("none");
}

/*
 * Prints mail-supplied text for a terminal: C0, DEL, C1 (U+0080-U+009F)
 * and bidi overrides (U+202A-U+202E, U+2066-U+2069) become '?'.
 */
static void
dryrun_put(const char *s)
{
	const unsigned char	*p = (const unsigned char *)(s ? s : "");

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			putchar('?');
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			putchar('?');
			p++;
		} else if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa &&
		    p[2] <= 0xae) || (p[1] == 0x81 && p[2] >= 0xa6 &&
		    p[2] <= 0xa9))) {
			putchar('?');
			p += 2;
		} else
			putchar(*p);
	}
}

/* One line per decided mail (called inside the transaction). */
static void
dryrun_report(void *arg, sqlite3 *db, const struct msg *m)
{
	sqlite3_stmt	*st;
	char		*rep;
	int		*count = arg;

	st = db_prepare(db, "SELECT state, coalesce(intent, ''),"
	    " coalesce(event_key, ''), coalesce(reason, '') FROM messages"
	    " WHERE id = ?");
	if (st == NULL)
		return;
	sqlite3_bind_int64(st, 1, m->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rep = dryrun_replies(db, m->id);
		printf("uid %u ", m->uid);
		dryrun_put(m->message_id);
		printf(": %s (%s", (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
		if (sqlite3_column_bytes(st, 2) > 0)
			printf(" %s", (const char *)sqlite3_column_text(st, 2));
		printf("): ");
		dryrun_put((const char *)sqlite3_column_text(st, 3));
		printf("; reply: ");
		dryrun_put(rep);
		putchar('\n');
		free(rep);
		(*count)++;
	}
	sqlite3_finalize(st);
}

/* How seats and waiting list would end, per event. */
static void
dryrun_seats(sqlite3 *db)
{
	sqlite3_stmt	*st;

	st = db_prepare(db, "SELECT e.key, e.seats,"
	    " (SELECT count(*) FROM registrations r WHERE r.event_key = e.key"
	    "  AND r.status = 'confirmed'),"
	    " (SELECT count(*) FROM registrations r WHERE r.event_key = e.key"
	    "  AND r.status = 'waitlisted')"
	    " FROM events e ORDER BY e.key");
	if (st == NULL)
		return;
	while (sqlite3_step(st) == SQLITE_ROW)
		printf("event %s: %lld of %lld seats taken, %lld waiting\n",
		    sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 2),
		    (long long)sqlite3_column_int64(st, 1),
		    (long long)sqlite3_column_int64(st, 3));
	sqlite3_finalize(st);
}

static struct imap *
dryrun_connect(const struct config *cf)
{
	struct imap	*im;
	char		*pw, err[768];

	if ((pw = config_read_secret(cf->imap.srv.password_file)) == NULL)
		return NULL;
	im = imap_connect(&cf->imap, pw, err, sizeof(err));
	config_free_secret(pw);
	if (im == NULL)
		log_warnx("%s", err);
	return im;
}

/* Inside the open transaction: fetch, store, decide, report. */
static int
dryrun_pass(const struct config *cf, sqlite3 *db, struct imap *im)
{
	uint32_t	 uidvalidity;
	int		 n, count = 0;

	if (reg_sync_events(db, cf) == -1)
		return EX_CONFIG;
	if (imap_examine(im, cf->imap.mailbox, &uidvalidity) == -1) {
		log_warnx("%s", imap_error(im));
		return EX_UNAVAILABLE;
	}
	if ((n = intake_fetch(cf, db, im, uidvalidity, 0)) == -1)
		return EX_TEMPFAIL;
	if (intake_decide_report(cf, db, dryrun_report, &count) == -1)
		return EX_TEMPFAIL;
	printf("%d new mail%s in %s, %d decision%s (dry run: nothing "
	    "stored, moved or sent)\n", n, n == 1 ? "" : "s",
	    cf->imap.mailbox, count, count == 1 ? "" : "s");
	dryrun_seats(db);
	return EX_OK;
}

int
dryrun_run(const struct config *cf, sqlite3 *db)
{
	struct imap	*im;
	int		 ex;

	if ((im = dryrun_connect(cf)) == NULL)
		return EX_UNAVAILABLE;
	if (db_begin(db) == -1) {
		imap_close(im);
		return EX_TEMPFAIL;
	}
	ex = dryrun_pass(cf, db, im);
	db_rollback(db);
	imap_close(im);
	return ex;
}
