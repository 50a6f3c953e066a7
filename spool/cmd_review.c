/*
 * cmd_review.c - the review spool: mails the daemon leaves to staff.
 *
 * review lists them, show prints one, resolve acts on one through the
 * registry's rules (reg_resolve: placed by the mail's own arrival time),
 * reply answers one with a template, export hands out the raw mail.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/util.h"
#include "parsers/mime.h"
#include "registry/db.h"
#include "registry/message.h"
#include "registry/outbox.h"
#include "registry/reg.h"
#include "spool/spool.h"

static const struct spool_col spool_review_cols[] = {
	{ "id", "ID", 1 },
	{ "arrival", "Eingang", 1 },
	{ "from", "Absender", 1 },
	{ "subject", "Betreff", 1 },
	{ "event", "Veranstaltung", 0 },
	{ "state", "Status", 0 },
	{ "reason", "Grund", 1 },
};

/* A header of the raw mail, RFC 2047 decoded; "" if none. */
static char *
spool_review_header(sqlite3_stmt *st, int col, const char *name)
{
	const char	*raw = sqlite3_column_blob(st, col);
	char		*v, *d;

	if (raw == NULL ||
	    (v = msg_header(raw, (size_t)sqlite3_column_bytes(st, col), name))
	    == NULL)
		return xstrdup("");
	d = mime_decode_2047(v);
	free(v);
	return d;
}

static void
spool_review_row(struct spool_out *o, sqlite3_stmt *st)
{
	const char	*v[nitems(spool_review_cols)];
	char		 id[24], when[32], *from, *subj;

	snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(st,
	    0));
	spool_time((time_t)sqlite3_column_int64(st, 1), when, sizeof(when));
	/* quarantined mail was never parsed: take the headers themselves */
	from = sqlite3_column_type(st, 2) != SQLITE_NULL ?
	    db_column_strdup(st, 2) : spool_review_header(st, 7, "From");
	subj = sqlite3_column_type(st, 3) != SQLITE_NULL ?
	    db_column_strdup(st, 3) : spool_review_header(st, 7, "Subject");
	v[0] = id;
	v[1] = when;
	v[2] = from;
	v[3] = subj;
	v[4] = (const char *)sqlite3_column_text(st, 4);
	v[5] = (const char *)sqlite3_column_text(st, 5);
	v[6] = (const char *)sqlite3_column_text(st, 6);
	spool_out_row(o, v);
	free(from);
	free(subj);
}

int
spool_cmd_review(struct spool_ctx *ctx, int argc, char **argv)
{
	struct spool_out	 o;
	enum spool_fmt		 fmt = SPOOL_TABLE;
	sqlite3_stmt		*st;
	int			 rc;

	if (argc == 3 && !strcmp(argv[1], "--format")) {
		if (spool_fmt_parse(argv[2], &fmt) == -1)
			return spool_usage(argv[0]);
	} else if (argc != 1)
		return spool_usage(argv[0]);
	st = db_prepare(ctx->db, "SELECT id, internaldate, from_addr, subject,"
	    " event_key, state, reason, CASE WHEN from_addr IS NULL"
	    " OR subject IS NULL THEN raw END FROM messages"
	    " WHERE state IN ('review', 'quarantined')"
	    " ORDER BY internaldate, uid, id");
	if (st == NULL)
		return EX_SOFTWARE;
	spool_out_begin(&o, fmt, 0, spool_review_cols,
	    nitems(spool_review_cols));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		spool_review_row(&o, st);
	sqlite3_finalize(st);
	if (fmt == SPOOL_TABLE && o.nrows == 0)
		printf("Keine Nachrichten zu prüfen.\n");
	spool_out_end(&o);
	return rc == SQLITE_DONE ? EX_OK : EX_SOFTWARE;
}

/* Loads message id with its body; EX_OK, or an exit code after telling. */
static int
spool_review_load(struct spool_ctx *ctx, const char *arg, struct msg *m)
{
	int64_t	 id;
	int	 r;

	memset(m, 0, sizeof(*m));
	if (spool_id_arg(arg, &id) == -1)
		return EX_USAGE;
	if ((r = msg_load(ctx->db, id, m)) == -1)
		return EX_SOFTWARE;
	if (r == 0) {
		fprintf(stderr, "ikzreg: no message %lld; see \"ikzreg "
		    "review\"\n", (long long)id);
		return EX_DATAERR;
	}
	return EX_OK;
}

/* The parser's verdict as stored with the message, or NULL. */
static struct verdict *
spool_review_verdict(struct spool_ctx *ctx, int64_t id)
{
	sqlite3_stmt	*st;
	struct verdict	*v = NULL;

	st = db_prepare(ctx->db, "SELECT verdict_enc FROM messages"
	    " WHERE id = ? AND verdict_enc IS NOT NULL");
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = verdict_decode(sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
	sqlite3_finalize(st);
	return v;
}

static void
spool_show_verdict(const struct verdict *v)
{
	char	*name;
	size_t	 i;

	printf("\n--- Einschätzung\nAbsicht: %s   Veranstaltung: %s   "
	    "Sicherheit: %.2f\nAntwort an: %s%s\n", intent_name(v->intent),
	    v->event_key ? v->event_key : "(keine)", v->confidence,
	    v->reply_to ? v->reply_to : "(keine)",
	    v->reply_allowed ? "" : " (keine automatische Antwort)");
	for (i = 0; i < v->npeople; i++) {
		name = people_display_name(&v->people[i]);
		printf("Person %zu: ", i + 1);
		spool_print_safe(name);
		printf(" | ");
		spool_print_safe(v->people[i].function);
		printf(" | ");
		spool_print_safe(v->people[i].organisation);
		printf(" | ");
		spool_print_safe(v->people[i].email);
		printf("\n");
		free(name);
	}
	for (i = 0; i < v->nreasons; i++)
		printf("Grund: %s\n", v->reasons[i]);
}

static void
spool_show_mime(const struct mime_msg *mm)
{
	static const char *const hdrs[] = { "From", "Reply-To", "To", "Cc",
	    "Date", "Subject", "Message-ID", "Auto-Submitted" };
	const char	*h;
	char		*d;
	size_t		 i;

	printf("--- Kopfzeilen\n");
	for (i = 0; i < nitems(hdrs); i++) {
		if ((h = mime_header(mm, hdrs[i])) == NULL)
			continue;
		d = mime_decode_2047(h);
		printf("%s: ", hdrs[i]);
		spool_print_safe(d);
		printf("\n");
		free(d);
	}
	printf("\n--- Text%s\n", mm->text_html ? " (aus HTML)" : "");
	spool_print_safe(mm->text);
	if (mm->natts)
		printf("\n--- Anhänge\n");
	for (i = 0; i < mm->natts; i++) {
		printf("%s  ", mm->atts[i].type);
		spool_print_safe(mm->atts[i].name);
		printf("  (%zu Bytes)\n", mm->atts[i].size);
	}
}

int
spool_cmd_show(struct spool_ctx *ctx, int argc, char **argv)
{
	struct msg	 m;
	struct mime_msg	*mm = NULL;
	struct verdict	*v;
	char		 when[32], err[256];
	int		 ex;

	if (argc != 2)
		return spool_usage(argv[0]);
	if ((ex = spool_review_load(ctx, argv[1], &m)) != EX_OK)
		return ex;
	spool_time(m.internaldate, when, sizeof(when));
	printf("Nachricht %lld, eingegangen %s, Status %s, UID %u\n",
	    (long long)m.id, when, m.state, m.uid);
	if (m.raw == NULL)
		printf("(ohne Inhalt: zu groß oder gelöscht)\n");
	else if (strcmp(m.state, "quarantined") == 0)
		/* It crashed or stalled the sandboxed parser: not in here. */
		printf("(in Quarantäne: der Parser ist daran gescheitert; "
		    "\"ikzreg export %lld\" gibt die Rohdaten)\n",
		    (long long)m.id);
	else if (mime_parse(m.raw, m.len, &mm, err, sizeof(err)) == -1)
		printf("(nicht lesbar: %s; \"ikzreg export %lld\" gibt die "
		    "Rohdaten)\n", err, (long long)m.id);
	else
		spool_show_mime(mm);
	mime_free(mm);
	if ((v = spool_review_verdict(ctx, m.id)) != NULL)
		spool_show_verdict(v);
	verdict_free(v);
	msg_free(&m);
	return EX_OK;
}

int
spool_cmd_export(struct spool_ctx *ctx, int argc, char **argv)
{
	struct msg	 m;
	int		 ex;

	if (argc != 2)
		return spool_usage(argv[0]);
	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ikzreg: export writes the raw mail; redirect "
		    "it to a file: ikzreg export %s > mail.eml\n", argv[1]);
		return EX_USAGE;
	}
	if ((ex = spool_review_load(ctx, argv[1], &m)) != EX_OK)
		return ex;
	if (m.raw == NULL) {
		fprintf(stderr, "ikzreg: message %s has no stored content\n",
		    argv[1]);
		msg_free(&m);
		return EX_DATAERR;
	}
	ex = fwrite(m.raw, 1, m.len, stdout) == m.len && fflush(stdout) == 0 ?
	    EX_OK : EX_IOERR;
	msg_free(&m);
	return ex;
}

#define SPOOL_MAX_PEOPLE	16

static int
spool_resolve_intent(const char *action, enum intent *in)
{
	if (!strcmp(action, "register"))
		*in = INTENT_REGISTER;
	else if (!strcmp(action, "cancel"))
		*in = INTENT_CANCEL;
	else if (!strcmp(action, "substitute"))
		*in = INTENT_SUBSTITUTE;
	else if (!strcmp(action, "dismiss"))
		*in = INTENT_QUESTION;	/* not acting: dismissed */
	else
		return -1;
	return 0;
}

struct spool_resolve_args {
	struct reg_resolution	 r;
	struct person		 people[SPOOL_MAX_PEOPLE];
	size_t			 n;
};

static int
spool_resolve_opts(struct spool_resolve_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "person", required_argument, NULL, 'p' },
		{ "reply-to", required_argument, NULL, 'r' },
		{ "no-reply", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'e': a->r.event_key = optarg; break;
		case 'r': a->r.reply_to = optarg; break;
		case 'n': a->r.flags |= REG_NO_REPLY; break;
		case 'p':
			if (a->n == SPOOL_MAX_PEOPLE)
				return -1;
			people_init(&a->people[a->n]);
			if (spool_person_parse(optarg, &a->people[a->n++])
			    == -1)
				return -1;
			break;
		default: return -1;
		}
	}
	return optind + 2 == argc ? 0 : -1;
}

int
spool_cmd_resolve(struct spool_ctx *ctx, int argc, char **argv)
{
	struct spool_resolve_args a;
	struct reg_result	 res;
	int64_t			 id;
	size_t			 i;
	int			 ex, rv;
	char			 what[64];

	memset(&a, 0, sizeof(a));
	memset(&res, 0, sizeof(res));
	if (spool_resolve_opts(&a, argc, argv) == -1 ||
	    spool_resolve_intent(argv[optind + 1], &a.r.intent) == -1) {
		ex = spool_usage(argv[0]);
		goto out;
	}
	ex = EX_DATAERR;
	if (spool_id_arg(argv[optind], &id) == -1 || (a.r.event_key &&
	    spool_event_arg(ctx, a.r.event_key) == NULL))
		goto out;
	a.r.people = a.n ? a.people : NULL;
	a.r.npeople = a.n;
	rv = reg_resolve(ctx->db, ctx->cf, id, &a.r, ctx->actor, &res);
	snprintf(what, sizeof(what), "Nachricht %lld", (long long)id);
	ex = spool_reg_result(rv, &res, what);
out:
	for (i = 0; i < a.n; i++)
		people_clear(&a.people[i]);
	return ex;
}

/* Template names are file names in the template directory: no paths. */
static int
spool_template_arg(const char *name)
{
	if (*name && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") ==
	    strlen(name))
		return 0;
	fprintf(stderr, "ikzreg: \"%s\" is not a template name (e.g. "
	    "documentation, reminder)\n", name);
	return -1;
}

/* Queues the reply and its audit row in one transaction. */
static int
spool_reply_queue(struct spool_ctx *ctx, const struct msg *m,
    const struct verdict *v, struct reply *r)
{
	if (db_begin(ctx->db) == -1)
		return EX_TEMPFAIL;
	if (outbox_queue(ctx->db, ctx->cf, r) == -1 ||
	    db_audit(ctx->db, ctx->actor, "reply", v ? v->event_key : NULL,
	    0, m->id, r->kind) == -1)
		return spool_tx_fail(ctx, "reply");
	if (db_commit(ctx->db) == -1)
		return EX_TEMPFAIL;
	printf("Antwort \"%s\" auf Nachricht %lld an %s eingereiht; ikzregd "
	    "versendet sie.\n", r->kind, (long long)m->id, r->to);
	return EX_OK;
}

static int
spool_reply_opts(int argc, char **argv, const char **to, struct tpl_vars *tv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "var", required_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 't')
			*to = optarg;
		else if (ch != 'v' || spool_var_arg(tv, optarg) == -1)
			return -1;
	}
	return optind + 2 == argc ? 0 : -1;
}

int
spool_cmd_reply(struct spool_ctx *ctx, int argc, char **argv)
{
	struct tpl_vars	 tv = { 0 }, given = { 0 };
	struct reply	 r = { 0 };
	struct msg	 m = { 0 };
	struct verdict	*v = NULL;
	const char	*to = NULL;
	size_t		 i;
	int		 ex = EX_DATAERR;

	if (spool_reply_opts(argc, argv, &to, &given) == -1) {
		tpl_vars_free(&given);
		return spool_usage(argv[0]);
	}
	if (spool_template_arg(argv[optind + 1]) == -1 ||
	    (ex = spool_review_load(ctx, argv[optind], &m)) != EX_OK)
		goto out;
	ex = EX_DATAERR;
	v = spool_review_verdict(ctx, m.id);
	if (v && v->intent == INTENT_AUTO) {
		fprintf(stderr, "ikzreg: message %lld is auto-generated "
		    "(out-of-office, bounce, list); it is never answered\n",
		    (long long)m.id);
		goto out;
	}
	if (to == NULL && (to = v ? v->reply_to : NULL) == NULL) {
		fprintf(stderr, "ikzreg: no reply address known for message "
		    "%lld; give one with --to ADDRESS\n", (long long)m.id);
		goto out;
	}
	spool_tpl_vars(ctx, v ? config_event(ctx->cf, v->event_key) : NULL,
	    v && v->npeople ? &v->people[0] : NULL, &tv);
	for (i = 0; i < given.n; i++)
		tpl_set(&tv, given.names[i], given.values[i]);
	r.kind = argv[optind + 1];
	r.to = to;
	r.in_reply_to = m.message_id[0] ? m.message_id : NULL;
	r.source_message = m.id;
	r.vars = &tv;
	ex = spool_reply_queue(ctx, &m, v, &r);
out:
	tpl_vars_free(&tv);
	tpl_vars_free(&given);
	verdict_free(v);
	msg_free(&m);
	return ex;
}
