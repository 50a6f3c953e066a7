/*
 * cmd_send.c - mail to everyone of an event: remind, send.
 *
 * Each recipient gets one bulk_sent row (kind = template), written in the
 * same transaction as the outbox row, so that a second run, or the
 * daemon's own reminders (registry/remind.c), never send the same mail to
 * the same person twice; --again is the explicit exception. All rows of a
 * run are one transaction: either every reply is queued or none.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "registry/db.h"
#include "registry/outbox.h"
#include "spool/spool.h"
#include "templates/mail.h"

enum spool_send_to { SEND_CONFIRMED, SEND_WAITLISTED, SEND_ALL };

struct spool_send {
	const struct event_cfg	*ev;
	const char		*kind;
	enum spool_send_to	 to;
	int			 dry_run;
	int			 again;
	struct tpl_vars		 given;		/* --var */
	int			 queued, skipped, noaddr;
};

/* Records (kind, event, registration); 1 if new (or --again), 0 if not. */
static int
spool_send_mark(struct spool_ctx *ctx, struct spool_send *s, int64_t reg_id)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_prepare(ctx->db, s->again ?
	    "INSERT INTO bulk_sent (kind, event_key, registration_id, at,"
	    " actor) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
	    " at = excluded.at, actor = excluded.actor" :
	    "INSERT INTO bulk_sent (kind, event_key, registration_id, at,"
	    " actor) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, s->kind);
	db_bind_text(st, 2, s->ev->key);
	sqlite3_bind_int64(st, 3, reg_id);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	db_bind_text(st, 5, ctx->actor);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(ctx->db) > 0;
}

static int
spool_send_queue(struct spool_ctx *ctx, struct spool_send *s, int64_t id,
    const struct person *p, const char *status, const char *to)
{
	struct tpl_vars	 tv = { 0 };
	struct reply	 r = { 0 };
	size_t		 i;
	int		 rv;

	spool_tpl_vars(ctx, s->ev, p, &tv);
	tpl_set(&tv, "status", !strcmp(status, "confirmed") ?
	    "Teilnahme bestätigt" : "Warteliste");
	for (i = 0; i < s->given.n; i++)
		tpl_set(&tv, s->given.names[i], s->given.values[i]);
	r.kind = s->kind;
	r.to = to;
	r.registration_id = id;
	r.vars = &tv;
	rv = outbox_queue(ctx->db, ctx->cf, &r);
	if (rv == 0)
		rv = db_audit(ctx->db, ctx->actor, s->kind, s->ev->key, id, 0,
		    "bulk mail queued");
	tpl_vars_free(&tv);
	return rv;
}

/* One recipient: skipped, listed (dry run) or queued. */
static int
spool_send_one(struct spool_ctx *ctx, struct spool_send *s, sqlite3_stmt *st)
{
	struct person	 p;
	int64_t		 id = sqlite3_column_int64(st, 0);
	const char	*to = (const char *)sqlite3_column_text(st, 9);
	int		 r;

	if (!mail_addr_valid(to)) {
		s->noaddr++;
		return 0;
	}
	if (sqlite3_column_int(st, 10) && !s->again) {
		s->skipped++;
		return 0;
	}
	if (s->dry_run) {
		printf("  %s\n", to);
		s->queued++;
		return 0;
	}
	/* the daemon's reminders may have come first: then r == 0 */
	if ((r = spool_send_mark(ctx, s, id)) <= 0) {
		s->skipped += r == 0;
		return r;
	}
	db_column_person_view(st, 2, &p);
	if (spool_send_queue(ctx, s, id, &p,
	    (const char *)sqlite3_column_text(st, 1), to) == -1)
		return -1;
	s->queued++;
	return 0;
}

/* Every recipient in list order, inside one transaction (not dry run). */
static int
spool_send_all(struct spool_ctx *ctx, struct spool_send *s)
{
	sqlite3_stmt	*st;
	int		 rc, rv = 0;

	st = db_prepare(ctx->db, "SELECT id, status, salutation, title,"
	    " given_name, family_name, function, organisation, email,"
	    " CASE WHEN reply_to != '' THEN reply_to ELSE email END,"
	    " EXISTS (SELECT 1 FROM bulk_sent b WHERE b.kind = ?3"
	    " AND b.event_key = ?1 AND b.registration_id = r.id)"
	    " FROM registrations r WHERE event_key = ?1"
	    " AND (status = 'confirmed' AND ?2 != 1"
	    " OR status = 'waitlisted' AND ?2 != 0)"
	    " ORDER BY status != 'confirmed', arrival, arrival_uid,"
	    " arrival_seq, id");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, s->ev->key);
	sqlite3_bind_int(st, 2, (int)s->to);
	db_bind_text(st, 3, s->kind);
	while (rv == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rv = spool_send_one(ctx, s, st);
	sqlite3_finalize(st);
	return rv == 0 && rc == SQLITE_DONE ? 0 : -1;
}

static int
spool_send_run(struct spool_ctx *ctx, struct spool_send *s)
{
	if (s->dry_run)
		printf("Probelauf, nichts wird versendet. \"%s\" ginge an:\n",
		    s->kind);
	else if (db_begin(ctx->db) == -1)
		return EX_TEMPFAIL;
	if (spool_send_all(ctx, s) == -1)
		return spool_tx_fail(ctx, s->kind);
	if (!s->dry_run && db_commit(ctx->db) == -1)
		return EX_TEMPFAIL;
	printf("%s: %d %s%s", s->ev->key, s->queued, s->dry_run ?
	    "Empfänger" : "eingereiht (ikzregd versendet sie)",
	    s->skipped || s->noaddr ? "" : "\n");
	if (s->skipped)
		printf(", %d schon erhalten (--again sendet erneut)",
		    s->skipped);
	if (s->noaddr)
		printf(", %d ohne E-Mail-Adresse", s->noaddr);
	if (s->skipped || s->noaddr)
		printf("\n");
	return EX_OK;
}

static int
spool_send_opts(struct spool_send *s, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "var", required_argument, NULL, 'v' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "again", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': s->dry_run = 1; break;
		case 'a': s->again = 1; break;
		case 'v':
			if (spool_var_arg(&s->given, optarg) == -1)
				return -1;
			break;
		case 't':
			if (!strcmp(optarg, "confirmed"))
				s->to = SEND_CONFIRMED;
			else if (!strcmp(optarg, "waitlisted"))
				s->to = SEND_WAITLISTED;
			else if (!strcmp(optarg, "all"))
				s->to = SEND_ALL;
			else
				return -1;
			break;
		default: return -1;
		}
	}
	return 0;
}

/* remind EVENT: the "reminder" template to everyone confirmed, once. */
int
spool_cmd_remind(struct spool_ctx *ctx, int argc, char **argv)
{
	struct spool_send	 s = { 0 };
	int			 ex;

	s.kind = "reminder";
	if (spool_send_opts(&s, argc, argv) == -1 || optind + 1 != argc ||
	    s.to != SEND_CONFIRMED)
		ex = spool_usage(argv[0]);
	else if ((s.ev = spool_event_arg(ctx, argv[optind])) == NULL)
		ex = EX_DATAERR;
	else
		ex = spool_send_run(ctx, &s);
	tpl_vars_free(&s.given);
	return ex;
}

int
spool_cmd_send(struct spool_ctx *ctx, int argc, char **argv)
{
	struct spool_send	 s = { 0 };
	int			 ex = EX_DATAERR;

	if (spool_send_opts(&s, argc, argv) == -1 || optind + 2 != argc)
		ex = spool_usage(argv[0]);
	else if ((s.ev = spool_event_arg(ctx, argv[optind])) != NULL) {
		s.kind = argv[optind + 1];
		if (*s.kind && strspn(s.kind, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789-_") == strlen(s.kind))
			ex = spool_send_run(ctx, &s);
		else
			fprintf(stderr, "ikzreg: „%s“ ist kein Vorlagenname "
			    "(z. B. documentation)\n", s.kind);
	}
	tpl_vars_free(&s.given);
	return ex;
}
