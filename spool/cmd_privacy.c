/*
 * cmd_privacy.c - data protection: what is stored about a person
 * (export-person), erasing a person (forget) or an event (purge).
 * The erasure itself is registry/privacy.c, shared with the daemon's
 * automatic purge (retain_days_after_event).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "parsers/text.h"
#include "registry/db.h"
#include "registry/privacy.h"
#include "spool/spool.h"

/* One column value as JSON: numbers, strings (blobs as UTF-8), null. */
static void
spool_privacy_value(struct buf *b, sqlite3_stmt *st, int i)
{
	char	*s;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		buf_adds(b, "null");
		break;
	case SQLITE_INTEGER:
		buf_printf(b, "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	default:
		s = text_utf8_repair(sqlite3_column_blob(st, i),
		    (size_t)sqlite3_column_bytes(st, i));
		spool_json_str(b, s);
		free(s);
	}
}

/* "name": [ {row}, ... ] for every row of sql (?1 = email). */
static int
spool_privacy_rows(struct spool_ctx *ctx, struct buf *b, const char *name,
    const char *sql, const char *email)
{
	sqlite3_stmt	*st;
	int		 i, n = 0, rc;

	if ((st = db_prepare(ctx->db, sql)) == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(st) > 0)
		db_bind_text(st, 1, email);
	buf_printf(b, ",\n  \"%s\": [", name);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_adds(b, n++ ? ",\n    {" : "\n    {");
		for (i = 0; i < sqlite3_column_count(st); i++) {
			buf_adds(b, i ? ", " : "");
			spool_json_str(b, sqlite3_column_name(st, i));
			buf_adds(b, ": ");
			spool_privacy_value(b, st, i);
		}
		buf_addc(b, '}');
	}
	buf_adds(b, n ? "\n  ]" : "]");
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The same selection as forget: what is exported is what is erased. */
static const char *const spool_privacy_sql[][2] = {
	{ "registrations", "SELECT * FROM registrations WHERE id IN"
	    " temp.privacy_regs ORDER BY id" },
	{ "messages", "SELECT id, mailbox, uid, internaldate, message_id,"
	    " state, intent, event_key, reason, from_addr, subject, verdict,"
	    " raw FROM messages WHERE id IN temp.privacy_msgs ORDER BY id" },
	{ "replies", "SELECT id, message_id, kind, rcpt, state, created,"
	    " sent_at, body FROM outbox WHERE registration_id IN"
	    " temp.privacy_regs OR source_message IN temp.privacy_msgs"
	    " OR lower(rcpt) = lower(?1) ORDER BY id" },
	{ "bulk_mail", "SELECT * FROM bulk_sent WHERE registration_id IN"
	    " temp.privacy_regs" },
	{ "audit", "SELECT id, at, actor, action, event_key,"
	    " registration_id, source_message, detail FROM audit"
	    " WHERE registration_id IN temp.privacy_regs OR source_message IN"
	    " temp.privacy_msgs OR instr(lower(detail), lower(?1)) > 0"
	    " ORDER BY id" },
	{ "registered_by_this_address", "SELECT id, event_key, status,"
	    " given_name, family_name FROM registrations WHERE"
	    " lower(reply_to) = lower(?1) AND id NOT IN temp.privacy_regs" },
};

int
spool_cmd_export_person(struct spool_ctx *ctx, int argc, char **argv)
{
	struct buf	 b = { 0 };
	size_t		 i;
	int		 rv = 0;

	if (argc != 2)
		return spool_usage(argv[0]);
	/* one read transaction: a consistent picture while the daemon runs */
	if (db_exec(ctx->db, "BEGIN") == -1)
		return EX_TEMPFAIL;
	rv = privacy_select_person(ctx->db, argv[1]);
	buf_adds(&b, "{\n  \"email\": ");
	spool_json_str(&b, argv[1]);
	for (i = 0; rv == 0 && i < nitems(spool_privacy_sql); i++)
		rv = spool_privacy_rows(ctx, &b, spool_privacy_sql[i][0],
		    spool_privacy_sql[i][1], argv[1]);
	buf_adds(&b, "\n}\n");
	db_rollback(ctx->db);
	if (rv == 0)
		fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	return rv == 0 ? EX_OK : EX_SOFTWARE;
}

/* 1 if the user agrees (always without a terminal: scripts say --yes). */
static int
spool_privacy_confirm(const char *what, int yes)
{
	char	 line[16];

	if (yes || !isatty(STDIN_FILENO))
		return 1;
	printf("%s wirklich unwiderruflich löschen? [j/N] ", what);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	return line[0] == 'j' || line[0] == 'J' || line[0] == 'y';
}

static void
spool_privacy_report(const struct privacy_counts *c, int checkpointed)
{
	/* spool_plural has one buffer: one call per printf */
	printf("Gelöscht: %s, ", spool_plural(c->registrations, "Anmeldung",
	    "Anmeldungen"));
	printf("%s, ", spool_plural(c->messages, "E-Mail", "E-Mails"));
	printf("%s, ", spool_plural(c->replies, "Antwort", "Antworten"));
	printf("%s.\n", spool_plural(c->audit, "Protokolldetail",
	    "Protokolldetails"));
	if (!checkpointed)
		printf("Hinweis: die Datenbank wird gerade benutzt; alte "
		    "Seiten im WAL werden erst beim nächsten Checkpoint "
		    "überschrieben.\n");
	printf("Kopien im Postfach (Bearbeitet, Prüfen, Gesendet) löscht "
	    "ikzreg nicht; bitte dort von Hand löschen.\n");
}

int
spool_cmd_forget(struct spool_ctx *ctx, int argc, char **argv)
{
	struct privacy_counts	 c;
	const char		*email;
	int64_t			 active;
	int			 yes;

	yes = argc == 3 && !strcmp(argv[2], "--yes");
	if (argc != 2 && !yes)
		return spool_usage(argv[0]);
	email = argv[1];
	if (strchr(email, '@') == NULL) {
		fprintf(stderr, "ikzreg: forget erwartet eine "
		    "E-Mail-Adresse\n");
		return EX_USAGE;
	}
	if ((active = privacy_active(ctx->db, email, time(NULL))) != 0) {
		if (active < 0)
			return EX_SOFTWARE;
		fprintf(stderr, "ikzreg: zu dieser Adresse gibt es %s für "
		    "Veranstaltungen, die noch nicht vorbei sind; bitte "
		    "zuerst stornieren (ikzreg cancel VERANSTALTUNG ADRESSE "
		    "[--no-reply]), damit die Warteliste nachrückt\n",
		    spool_plural(active, "aktive Anmeldung",
		    "aktive Anmeldungen"));
		return EX_DATAERR;
	}
	if (!spool_privacy_confirm("Alle Daten dieser Person", yes))
		return EX_OK;
	if (privacy_forget(ctx->db, email, ctx->actor, &c) == -1)
		return EX_TEMPFAIL;
	spool_privacy_report(&c, privacy_checkpoint(ctx->db) == 0);
	return EX_OK;
}

int
spool_cmd_purge(struct spool_ctx *ctx, int argc, char **argv)
{
	struct privacy_counts	 c;
	int64_t			 ends;
	int			 i, force = 0, yes = 0;
	const char		*key = NULL;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--force"))
			force = 1;
		else if (!strcmp(argv[i], "--yes"))
			yes = 1;
		else if (key == NULL && argv[i][0] != '-')
			key = argv[i];
		else
			return spool_usage(argv[0]);
	if (key == NULL)
		return spool_usage(argv[0]);
	if ((ends = db_query_int(ctx->db, "SELECT ends FROM events"
	    " WHERE key = ?", key, -1)) == -1) {
		fprintf(stderr, "ikzreg: keine Veranstaltung „%s“ in der "
		    "Datenbank\n",
		    key);
		return EX_DATAERR;
	}
	if (ends > (int64_t)time(NULL) && !force) {
		fprintf(stderr, "ikzreg: %s ist noch nicht vorbei; jetzt "
		    "löschen hieße ihre Listen löschen (--force tut es "
		    "trotzdem)\n",
		    key);
		return EX_DATAERR;
	}
	if (!spool_privacy_confirm("Alle personenbezogenen Daten der "
	    "Veranstaltung", yes))
		return EX_OK;
	if (privacy_purge_event(ctx->db, key, ctx->actor, &c) == -1)
		return EX_TEMPFAIL;
	spool_privacy_report(&c, privacy_checkpoint(ctx->db) == 0);
	return EX_OK;
}
