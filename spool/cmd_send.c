/*
 * cmd_send.c - mail to everyone of an event: remind, send.
 *
 * Each recipient gets one bulk_sent row (kind = template), written in the
 * same transaction as the outbox row, so that a second run, or the
 * daemon's own reminders (registry/remind.c), never send the same mail to
 * the same person twice; --again is the explicit exception. All rows of a
 * run are one transaction: either every reply is queued or none.
 *
 * "documentation" (Dokumentation im Nachgang) goes by default to those
 * who came once attendance is recorded, else to everyone confirmed; it is
 * refused before the event's end unless --force, and --to all (which
 * includes the waiting list) needs --yes-including-waiting-list. A PDF
 * can be attached (--attach, at most SEND_ATTACH_MAX bytes: each
 * recipient's copy is stored in the outbox) and a link given (--link).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/util.h"
#include "registry/attend.h"
#include "registry/db.h"
#include "registry/outbox.h"
#include "spool/spool.h"
#include "templates/mail.h"

/* The values are bound into the recipients' query (spool_send_all). */
enum spool_send_to { SEND_CONFIRMED, SEND_WAITLISTED, SEND_ALL,
	SEND_ATTENDED, SEND_DEFAULT };

#define SEND_ATTACH_MAX	(3L << 20)	/* 3 MiB, before base64 */

struct spool_send {
	const struct event_cfg	*ev;
	const char		*kind;
	enum spool_send_to	 to;
	int			 dry_run;
	int			 again;
	int			 force;		/* documentation before the end */
	int			 yes_waiting;	/* --to all confirmed */
	const char		*attach_path;	/* --attach */
	char			*attach;	/* its bytes */
	size_t			 attach_len;
	char			*attach_name;	/* sanitised file name */
	const char		*link;		/* --link: template "url" */
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
	if (s->link)
		tpl_set(&tv, "url", s->link);
	r.kind = s->kind;
	r.to = to;
	r.registration_id = id;
	r.vars = &tv;
	r.attach = s->attach;
	r.attach_len = s->attach_len;
	r.attach_name = s->attach_name;
	r.attach_type = "application/pdf";
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
		printf("  ");
		spool_print_line((const char *)sqlite3_column_text(st, 4));
		printf(" ");
		spool_print_line((const char *)sqlite3_column_text(st, 5));
		printf(" <");
		spool_print_line(to);
		printf(">\n");
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
	    " AND CASE ?2 WHEN 0 THEN status = 'confirmed'"
	    " WHEN 1 THEN status = 'waitlisted'"
	    " WHEN 2 THEN status IN ('confirmed', 'waitlisted')"
	    " ELSE status != 'cancelled' AND attended = 1 END"
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
spool_send_to_arg(struct spool_send *s, const char *arg)
{
	if (!strcmp(arg, "confirmed"))
		s->to = SEND_CONFIRMED;
	else if (!strcmp(arg, "waitlisted"))
		s->to = SEND_WAITLISTED;
	else if (!strcmp(arg, "all"))
		s->to = SEND_ALL;
	else if (!strcmp(arg, "attended"))
		s->to = SEND_ATTENDED;
	else
		return -1;
	return 0;
}

static int
spool_send_opts(struct spool_send *s, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "var", required_argument, NULL, 'v' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "again", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "yes-including-waiting-list", no_argument, NULL, 'y' },
		{ "attach", required_argument, NULL, 'A' },
		{ "link", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	s->to = SEND_DEFAULT;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': s->dry_run = 1; break;
		case 'a': s->again = 1; break;
		case 'f': s->force = 1; break;
		case 'y': s->yes_waiting = 1; break;
		case 'A': s->attach_path = optarg; break;
		case 'l': s->link = optarg; break;
		case 'v':
			if (spool_var_arg(&s->given, optarg) == -1)
				return -1;
			break;
		case 't':
			if (spool_send_to_arg(s, optarg) == -1)
				return -1;
			break;
		default: return -1;
		}
	}
	return 0;
}

/* The file's last path element with anything but [A-Za-z0-9._-] as _. */
static char *
spool_send_file_name(const char *path)
{
	const char	*base = strrchr(path, '/');
	char		*name, *p;

	name = xstrdup(base ? base + 1 : path);
	for (p = name; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", *p))
			*p = '_';
	if (*name == '\0' || *name == '.' || strlen(name) > 64) {
		free(name);
		name = xstrdup("dokumentation.pdf");
	}
	return name;
}

/* --attach: a PDF of at most SEND_ATTACH_MAX bytes; -1 after telling. */
static int
spool_send_load(struct spool_send *s)
{
	FILE	*f;
	long	 n;

	if ((f = fopen(s->attach_path, "rb")) == NULL) {
		fprintf(stderr, "ikzreg: %s: %s\n", s->attach_path,
		    strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1 || n > SEND_ATTACH_MAX) {
		fclose(f);
		fprintf(stderr, "ikzreg: %s: größer als %ld MiB; bitte "
		    "verkleinern oder mit --link als Verweis senden\n",
		    s->attach_path, SEND_ATTACH_MAX >> 20);
		return -1;
	}
	s->attach = xmalloc((size_t)n + 1);
	s->attach_len = fread(s->attach, 1, (size_t)n, f);
	fclose(f);
	if (s->attach_len != (size_t)n || n < 5 ||
	    memcmp(s->attach, "%PDF-", 5) != 0) {
		fprintf(stderr, "ikzreg: %s: keine PDF-Datei; als Anhang "
		    "sind nur PDF-Dateien vorgesehen\n", s->attach_path);
		return -1;
	}
	s->attach_name = spool_send_file_name(s->attach_path);
	return 0;
}

/* --link: an http(s) address without spaces or control characters. */
static int
spool_send_link_ok(const char *u)
{
	const unsigned char	*p;

	if (strncmp(u, "https://", 8) && strncmp(u, "http://", 7))
		return 0;
	for (p = (const unsigned char *)u; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return 0;
	return strlen(u) <= 500;
}

/*
 * Documentation: the default audience and the two guards of the issue.
 * Returns 0 to go on, else an exit code (after telling the user).
 */
static int
spool_send_doc_rules(struct spool_ctx *ctx, struct spool_send *s)
{
	int64_t	 rec;
	char	 when[32];

	if (s->to == SEND_DEFAULT) {
		if ((rec = attend_recorded(ctx->db, s->ev->key)) < 0)
			return EX_TEMPFAIL;
		s->to = rec > 0 ? SEND_ATTENDED : SEND_CONFIRMED;
		printf("Empfänger: %s\n", rec > 0 ? "alle Erschienenen "
		    "(Anwesenheit erfasst)" : "alle Bestätigten (noch keine "
		    "Anwesenheit erfasst)");
	}
	if (s->to == SEND_ALL && !s->yes_waiting) {
		fprintf(stderr, "ikzreg: --to all schließt die Warteliste ein; "
		    "bitte mit --yes-including-waiting-list bestätigen\n");
		return EX_USAGE;
	}
	if (time(NULL) < s->ev->ends && !s->force) {
		spool_time(s->ev->ends, when, sizeof(when));
		fprintf(stderr, "ikzreg: %s endet erst %s; die Dokumentation "
		    "wird danach versendet (--force sendet vorher)%s\n",
		    s->ev->key, when, s->dry_run ? "" : "; nichts versendet");
		if (!s->dry_run)
			return EX_DATAERR;
	}
	return 0;
}

/* Checks every option against the template; 0 or an exit code. */
static int
spool_send_check(struct spool_ctx *ctx, struct spool_send *s)
{
	int	 ex;

	if (!strcmp(s->kind, "documentation")) {
		if ((ex = spool_send_doc_rules(ctx, s)) != 0)
			return ex;
	} else if (s->to == SEND_DEFAULT)
		s->to = SEND_CONFIRMED;
	if (s->link && !spool_send_link_ok(s->link)) {
		fprintf(stderr, "ikzreg: --link erwartet eine Adresse, die "
		    "mit https:// beginnt (ohne Leerzeichen)\n");
		return EX_USAGE;
	}
	if (s->attach_path && spool_send_load(s) == -1)
		return EX_DATAERR;
	return 0;
}

static void
spool_send_free(struct spool_send *s)
{
	tpl_vars_free(&s->given);
	free(s->attach);
	free(s->attach_name);
}

/* remind EVENT: the "reminder" template to everyone confirmed, once. */
int
spool_cmd_remind(struct spool_ctx *ctx, int argc, char **argv)
{
	struct spool_send	 s = { 0 };
	int			 ex;

	s.kind = "reminder";
	if (spool_send_opts(&s, argc, argv) == -1 || optind + 1 != argc ||
	    (s.to != SEND_CONFIRMED && s.to != SEND_DEFAULT) || s.force ||
	    s.yes_waiting || s.attach_path || s.link)
		ex = spool_usage(argv[0]);
	else if ((s.ev = spool_event_arg(ctx, argv[optind])) == NULL)
		ex = EX_DATAERR;
	else {
		s.to = SEND_CONFIRMED;
		ex = spool_send_run(ctx, &s);
	}
	spool_send_free(&s);
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
		if (!*s.kind || strspn(s.kind, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789-_") != strlen(s.kind))
			fprintf(stderr, "ikzreg: „%s“ ist kein Vorlagenname "
			    "(z. B. documentation)\n", s.kind);
		else if ((ex = spool_send_check(ctx, &s)) == 0)
			ex = spool_send_run(ctx, &s);
	}
	spool_send_free(&s);
	return ex;
}
