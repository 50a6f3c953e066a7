/* cmd_outbox.c - replies waiting to be sent, and retrying failed ones. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "registry/db.h"
#include "spool/spool.h"

static const struct spool_col spool_outbox_cols[] = {
	{ "id", "ID", 1 },
	{ "created", "Erstellt", 1 },
	{ "kind", "Vorlage", 1 },
	{ "rcpt", "An", 1 },
	{ "state", "Status", 1 },
	{ "attempts", "Versuche", 0 },
	{ "last_error", "Fehler", 1 },
	{ "sent_at", "Gesendet", 0 },
	{ "not_before", "Versand ab", 1 },	/* held staff replies */
};

/* State as staff read it in a table; CSV and JSON keep the word. */
static const char *
spool_outbox_state(const char *s, enum spool_fmt fmt)
{
	if (fmt != SPOOL_TABLE || s == NULL)
		return s;
	if (!strcmp(s, "pending"))
		return "wartend";
	if (!strcmp(s, "sent"))
		return "gesendet";
	if (!strcmp(s, "failed"))
		return "gescheitert";
	return s;
}

static void
spool_outbox_row(struct spool_out *o, sqlite3_stmt *st)
{
	const char	*v[nitems(spool_outbox_cols)];
	char		 id[24], made[32], sent[32], tries[16], hold[32] = "";
	time_t		 next = (time_t)sqlite3_column_int64(st, 8);

	snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(st,
	    0));
	spool_time((time_t)sqlite3_column_int64(st, 1), made, sizeof(made));
	snprintf(tries, sizeof(tries), "%d", sqlite3_column_int(st, 5));
	spool_time((time_t)sqlite3_column_int64(st, 7), sent, sizeof(sent));
	v[0] = id;
	v[1] = made;
	v[2] = (const char *)sqlite3_column_text(st, 2);
	v[3] = (const char *)sqlite3_column_text(st, 3);
	v[4] = spool_outbox_state((const char *)sqlite3_column_text(st, 4),
	    o->fmt);
	v[5] = tries;
	v[6] = (const char *)sqlite3_column_text(st, 6);
	v[7] = sent;
	/* a reply held by staff, not tried yet: when it may go */
	if (next > time(NULL) && sqlite3_column_int(st, 5) == 0 &&
	    !strcmp((const char *)sqlite3_column_text(st, 4), "pending"))
		spool_time(next, hold, sizeof(hold));
	v[8] = hold;
	spool_out_row(o, v);
}

int
spool_cmd_outbox(struct spool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "failed", no_argument, NULL, 'F' },
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "wide", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct spool_out	 o;
	enum spool_fmt		 fmt = SPOOL_TABLE;
	sqlite3_stmt		*st;
	int			 ch, which = 0, rc, wide = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'F')
			which = 1;
		else if (ch == 'a')
			which = 2;
		else if (ch == 'w')
			wide = 1;
		else if (ch != 'f' || spool_fmt_parse(optarg, &fmt) == -1)
			return spool_usage(argv[0]);
	}
	if (optind != argc)
		return spool_usage(argv[0]);
	st = db_prepare(ctx->db, "SELECT id, created, kind, rcpt, state,"
	    " attempts, last_error, sent_at, next_try FROM outbox WHERE ?1 = 2"
	    " OR (?1 = 1 AND state = 'failed') OR (?1 = 0 AND state != 'sent')"
	    " ORDER BY id");
	if (st == NULL)
		return EX_SOFTWARE;
	sqlite3_bind_int(st, 1, which);
	spool_out_begin(&o, fmt, 0, spool_outbox_cols,
	    nitems(spool_outbox_cols));
	o.wide = wide;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		spool_outbox_row(&o, st);
	sqlite3_finalize(st);
	if (fmt == SPOOL_TABLE && o.nrows == 0)
		printf(which == 1 ? "Keine fehlgeschlagenen Antworten.\n" :
		    "Keine Antworten im Ausgang.\n");
	spool_out_end(&o);
	return rc == SQLITE_DONE ? EX_OK : EX_SOFTWARE;
}

/*
 * A failed reply goes back to pending, due at once; its give-up clock
 * (ikzregd gives up on a reply some days after it was created) restarts.
 */
int
spool_cmd_retry(struct spool_ctx *ctx, int argc, char **argv)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	int		 n = -1;

	if (argc != 2)
		return spool_usage(argv[0]);
	if (spool_id_arg(argv[1], &id) == -1)
		return EX_USAGE;
	if (db_begin(ctx->db) == -1)
		return EX_TEMPFAIL;
	st = db_prepare(ctx->db, "UPDATE outbox SET state = 'pending',"
	    " next_try = 0, created = ?2 WHERE id = ?1 AND state = 'failed'");
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
		if (sqlite3_step(st) == SQLITE_DONE)
			n = sqlite3_changes(ctx->db);
		sqlite3_finalize(st);
	}
	if (n < 0 || (n == 1 && db_audit(ctx->db, ctx->actor, "retry", NULL,
	    0, 0, argv[1]) == -1))
		return spool_tx_fail(ctx, "retry");
	if (db_commit(ctx->db) == -1)
		return EX_TEMPFAIL;
	if (n == 0) {
		fprintf(stderr, "ikzreg: Antwort %s ist keine gescheiterte; "
		    "siehe „ikzreg outbox --failed“\n", argv[1]);
		return EX_DATAERR;
	}
	printf("Antwort %s wird erneut versendet (ikzregd).\n", argv[1]);
	return EX_OK;
}
