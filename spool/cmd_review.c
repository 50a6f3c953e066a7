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
#include "registry/reason.h"
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
	char		 id[24], when[32], why[256], *from, *subj;

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
	/* staff read the reason in German; JSON keeps the stored one */
	v[6] = (const char *)sqlite3_column_text(st, 6);
	if (o->fmt != SPOOL_JSON && v[6] && !strcmp(v[6],
	    "parser asks for review"))
		v[6] = "Einschätzung unsicher (Details: ikzreg show)";
	else if (o->fmt != SPOOL_JSON)
		v[6] = reason_text(v[6], why, sizeof(why));
	spool_out_row(o, v);
	free(from);
	free(subj);
}

int
spool_cmd_review(struct spool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wide", no_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct spool_out	 o;
	enum spool_fmt		 fmt = SPOOL_TABLE;
	sqlite3_stmt		*st;
	int			 ch, rc, wide = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'w')
			wide = 1;
		else if (ch != 'f' || spool_fmt_parse(optarg, &fmt) == -1)
			return spool_usage(argv[0]);
	}
	if (optind != argc)
		return spool_usage(argv[0]);
	/* Side questions of decided mails are items of their own. */
	st = db_prepare(ctx->db, "SELECT id, internaldate, from_addr, subject,"
	    " event_key, state, reason, CASE WHEN from_addr IS NULL"
	    " OR subject IS NULL THEN raw END, uid FROM messages"
	    " WHERE state IN ('review', 'quarantined')"
	    " UNION ALL SELECT m.id, m.internaldate, m.from_addr, m.subject,"
	    " q.event_key, 'frage', 'Rückfrage ' || q.id || ': ' ||"
	    " q.question, NULL, m.uid"
	    " FROM side_questions q JOIN messages m ON m.id = q.message_id"
	    " WHERE q.answered IS NULL ORDER BY 2, 9, 1");
	if (st == NULL)
		return EX_SOFTWARE;
	spool_out_begin(&o, fmt, 0, spool_review_cols,
	    nitems(spool_review_cols));
	o.wide = wide;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		spool_review_row(&o, st);
	sqlite3_finalize(st);
	if (fmt == SPOOL_TABLE && o.nrows == 0)
		printf("Keine Nachrichten zu prüfen.\n");
	else if (fmt == SPOOL_TABLE)
		printf("%s zu prüfen%s\n", spool_plural((long long)o.nrows,
		    "Nachricht", "Nachrichten"), wide ? "" : " (Gründe "
		    "ungekürzt: „ikzreg review --wide“)");
	spool_out_end(&o);
	return rc == SQLITE_DONE ? EX_OK : EX_SOFTWARE;
}

/* `ikzreg answered QID`: staff answered a side question. */
int
spool_cmd_answered(struct spool_ctx *ctx, int argc, char **argv)
{
	sqlite3_stmt	*st;
	long long	 id;
	char		*end;
	int		 rc, n;

	if (argc != 2 || (id = strtoll(argv[1], &end, 10)) <= 0 || *end)
		return spool_usage(argv[0]);
	st = db_prepare(ctx->db, "UPDATE side_questions SET answered = ?,"
	    " answered_by = ? WHERE id = ? AND answered IS NULL");
	if (st == NULL)
		return EX_SOFTWARE;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	db_bind_text(st, 2, ctx->actor);
	sqlite3_bind_int64(st, 3, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	n = sqlite3_changes(ctx->db);
	if (rc != SQLITE_DONE)
		return EX_SOFTWARE;
	if (n == 0) {
		fprintf(stderr, "ikzreg: keine offene Rückfrage %lld; "
		    "`ikzreg review` zeigt die offenen.\n", id);
		return EX_DATAERR;
	}
	db_audit(ctx->db, ctx->actor, "question-answered", NULL, 0, 0,
	    argv[1]);
	printf("Rückfrage %lld als beantwortet vermerkt.\n", id);
	return EX_OK;
}

/* A message's state as staff read it. */
static const char *
spool_state_word(const char *state)
{
	if (!strcmp(state, "review"))
		return "wartet auf Prüfung";
	if (!strcmp(state, "quarantined"))
		return "Quarantäne (nicht lesbar)";
	if (!strcmp(state, "decided"))
		return "entschieden";
	if (!strcmp(state, "ignored"))
		return "übergangen";
	if (!strcmp(state, "received"))
		return "eingegangen, noch nicht entschieden";
	return state;
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
		fprintf(stderr, "ikzreg: keine Nachricht %lld; siehe „ikzreg "
		    "review“\n", (long long)id);
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

/* What the decision rests on, part by part (docs/evidence.md). */
static void
spool_show_evidence(const struct verdict *v)
{
	char	*line;
	size_t	 i;

	printf("\n--- Belege und Zweifel\n");
	for (i = 0; i < v->nreasons; i++)
		if ((line = reason_part(v->reasons[i])) != NULL) {
			spool_print_safe(line);
			printf("\n");
			free(line);
		}
}

static void
spool_show_verdict(const struct verdict *v)
{
	char	*name;
	size_t	 i;

	printf("\n--- Einschätzung\nAbsicht: %s   Veranstaltung: ",
	    reason_intent(v->intent));
	spool_print_line(v->event_key ? v->event_key : "(keine)");
	printf("   Sicherheit: %.2f\nAntwort an: ", v->confidence);
	spool_print_line(v->reply_to ? v->reply_to : "(keine)");
	printf("%s\n", v->reply_allowed ? "" : " (keine automatische Antwort)");
	for (i = 0; i < v->npeople; i++) {
		name = people_display_name(&v->people[i]);
		printf("Person %zu: ", i + 1);
		spool_print_line(name);
		printf(" | ");
		spool_print_line(v->people[i].function);
		printf(" | ");
		spool_print_line(v->people[i].organisation);
		printf(" | ");
		spool_print_line(v->people[i].email);
		printf("\n");
		free(name);
	}
	spool_show_evidence(v);
	printf("\n--- Regeln (Protokoll)\n");
	/* Reasons quote headers (Auto-Submitted, attachment names). */
	for (i = 0; i < v->nreasons; i++) {
		printf("Grund: ");
		spool_print_line(v->reasons[i]);
		printf("\n");
	}
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
		spool_print_line(d);	/* an encoded LF makes no new line */
		printf("\n");
		free(d);
	}
	printf("\n--- Text%s\n", mm->text_html ? " (aus HTML)" : "");
	spool_print_safe(mm->text);
	if (mm->natts)
		printf("\n--- Anhänge\n");
	for (i = 0; i < mm->natts; i++) {
		spool_print_line(mm->atts[i].type);
		printf("  ");
		spool_print_line(mm->atts[i].name);
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
	    (long long)m.id, when, spool_state_word(m.state), m.uid);
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
		fprintf(stderr, "ikzreg: export schreibt die "
		    "Originalnachricht; bitte in eine Datei umleiten: ikzreg export %s > "
		    "nachricht.eml\n", argv[1]);
		return EX_USAGE;
	}
	if ((ex = spool_review_load(ctx, argv[1], &m)) != EX_OK)
		return ex;
	if (m.raw == NULL) {
		fprintf(stderr, "ikzreg: von Nachricht %s ist kein Inhalt "
		    "gespeichert\n",
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
		{ "now", no_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'e': a->r.event_key = optarg; break;
		case 'r': a->r.reply_to = optarg; break;
		case 'n': a->r.flags |= REG_NO_REPLY; break;
		case 'W': a->r.flags |= REG_NO_HOLD; break;
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
	if (rv == 0)
		spool_hold_note(ctx, a.r.flags);
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
	fprintf(stderr, "ikzreg: „%s“ ist kein Vorlagenname (z. B. "
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
	printf("Antwort \"%s\" auf Nachricht %lld an ", r->kind,
	    (long long)m->id);
	spool_print_line(r->to);
	printf(" eingereiht; ikzregd versendet sie.\n");
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
		fprintf(stderr, "ikzreg: Nachricht %lld ist automatisch "
		    "erzeugt (Abwesenheit, Unzustellbarkeit, Verteiler); sie "
		    "wird nie beantwortet\n",
		    (long long)m.id);
		goto out;
	}
	if (to == NULL && (to = v ? v->reply_to : NULL) == NULL) {
		fprintf(stderr, "ikzreg: keine Antwortadresse für Nachricht "
		    "%lld bekannt; bitte mit --to ADRESSE angeben\n",
		    (long long)m.id);
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
	/* held like every staff reply, so that a mistake can be withdrawn */
	if (ctx->cf->reply_hold_minutes > 0)
		r.not_before = time(NULL) +
		    (time_t)ctx->cf->reply_hold_minutes * 60;
	ex = spool_reply_queue(ctx, &m, v, &r);
	if (ex == EX_OK)
		spool_hold_note(ctx, 0);
out:
	tpl_vars_free(&tv);
	tpl_vars_free(&given);
	verdict_free(v);
	msg_free(&m);
	return ex;
}
