/* args.c - argument forms shared by the staff tool's commands. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sysexits.h>

#include "base/out_safe.h"
#include "registry/db.h"
#include "registry/reg.h"
#include "registry/replyvars.h"
#include "spool/spool.h"
#include "templates/mail.h"
#include "templates/tpl.h"

int
spool_id_arg(const char *s, int64_t *id)
{
	char		*end;
	long long	 n;

	/*
	 * Digits only: strtoll would skip leading blanks and a sign, and
	 * clamp 99999999999999999999 to LLONG_MAX, naming another row.
	 */
	errno = 0;
	n = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno == ERANGE ||
	    n <= 0) {
		fprintf(stderr, "ikzreg: „%s“ ist keine Nummer (eine ID, wie "
		    "sie die Listen zeigen)\n", s);
		return -1;
	}
	*id = (int64_t)n;
	return 0;
}

const struct event_cfg *
spool_event_arg(struct spool_ctx *ctx, const char *key)
{
	const struct event_cfg	*ev;

	if ((ev = config_event(ctx->cf, key)) == NULL)
		fprintf(stderr, "ikzreg: keine Veranstaltung „%s“ in %s; "
		    "siehe „ikzreg events“\n", key, ctx->cf->path);
	return ev;
}

int
spool_find_person(struct spool_ctx *ctx, const char *event_key,
    const char *arg, int64_t *reg_id)
{
	sqlite3_stmt	*st;
	int		 r, isid = arg[0] != '\0' && strspn(arg, "0123456789") ==
			    strlen(arg);

	/* an e-mail address names the active registration, not old ones */
	st = db_prepare(ctx->db, isid ?
	    "SELECT id FROM registrations WHERE event_key = ?1 AND id = ?2" :
	    "SELECT id FROM registrations WHERE event_key = ?1"
	    " AND lower(email) = lower(?2) ORDER BY status = 'cancelled', id"
	    " LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	db_bind_text(st, 2, arg);
	r = db_step(st);
	*reg_id = r == 1 ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (r == -1)
		return -1;
	if (*reg_id == 0) {
		fprintf(stderr, "ikzreg: keine Anmeldung „%s“ für %s; siehe "
		    "„ikzreg list %s --all“\n", arg, event_key, event_key);
		return -1;
	}
	return 0;
}

/* "Anna Maria Beispiel": the last word is the family name. */
void
spool_person_set_name(struct person *p, const char *name)
{
	char	*copy = xstrdup(name), *s = util_trim(copy), *sp;

	if ((sp = strrchr(s, ' ')) != NULL) {
		*sp = '\0';
		people_set(&p->given_name, util_trim(s));
		people_set(&p->family_name, sp + 1);
	} else
		people_set(&p->family_name, s);
	free(copy);
}

/* Sets one field by its option / key name; -1 if the name is unknown. */
int
spool_person_field(struct person *p, const char *key, const char *val)
{
	if (!strcmp(key, "name"))
		spool_person_set_name(p, val);
	else if (!strcmp(key, "given"))
		people_set(&p->given_name, val);
	else if (!strcmp(key, "family"))
		people_set(&p->family_name, val);
	else if (!strcmp(key, "salutation"))
		people_set(&p->salutation, val);
	else if (!strcmp(key, "title"))
		people_set(&p->title, val);
	else if (!strcmp(key, "function"))
		people_set(&p->function, val);
	else if (!strcmp(key, "org"))
		people_set(&p->organisation, val);
	else if (!strcmp(key, "email"))
		people_set(&p->email, val);
	else
		return -1;
	return 0;
}

/*
 * The option loop of add, edit and companion: one option per field that
 * spool_person_field knows, and --no-reply, --now where flags is given.
 */
int
spool_person_opts(int argc, char **argv, int nargs, struct person *p,
    int *flags)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "given", required_argument, NULL, 'g' },
		{ "family", required_argument, NULL, 'F' },
		{ "salutation", required_argument, NULL, 's' },
		{ "title", required_argument, NULL, 't' },
		{ "function", required_argument, NULL, 'f' },
		{ "org", required_argument, NULL, 'o' },
		{ "email", required_argument, NULL, 'e' },
		{ "no-reply", no_argument, NULL, 'N' },
		{ "now", no_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch, i;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, &i)) != -1) {
		if (ch == 'N' && flags)
			*flags |= REG_NO_REPLY;
		else if (ch == 'W' && flags)
			*flags |= REG_NO_HOLD;
		else if (ch == '?' || ch == 'N' || ch == 'W' ||
		    spool_person_field(p, opts[i].name, optarg) == -1)
			return -1;
	}
	return optind + nargs == argc ? 0 : -1;
}

int
spool_person_parse(const char *spec, struct person *p)
{
	char	*copy = xstrdup(spec), *tok, *save, *eq;
	int	 rv = 0;

	for (tok = strtok_r(copy, ";", &save); tok && rv == 0;
	    tok = strtok_r(NULL, ";", &save)) {
		tok = util_trim(tok);
		if (*tok == '\0')
			continue;
		if ((eq = strchr(tok, '=')) == NULL) {
			rv = -1;
			break;
		}
		*eq = '\0';
		rv = spool_person_field(p, util_trim(tok), util_trim(eq + 1));
	}
	free(copy);
	if (rv == -1)
		fprintf(stderr, "ikzreg: --person erwartet „name=Anna "
		    "Beispiel; org=Gemeinde Musterdorf; email=anna@example.org“ (Felder: "
		    "name, given, family, salutation, title, function, org, "
		    "email)\n");
	return rv;
}

/* The variables every template about an event can use. */
void
spool_tpl_vars(struct spool_ctx *ctx, const struct event_cfg *ev,
    const struct person *p, struct tpl_vars *tv)
{
	replyvars_common(tv, ctx->cf, ev, p);
}

/* "--var name=value" for templates; -1 (told) if malformed. */
int
spool_var_arg(struct tpl_vars *tv, const char *arg)
{
	const char	*eq = strchr(arg, '=');
	char		*name;

	if (eq == NULL || eq == arg) {
		fprintf(stderr, "ikzreg: --var erwartet NAME=WERT, z. B. "
		    "--var url=https://example.org/doku\n");
		return -1;
	}
	name = xstrndup(arg, (size_t)(eq - arg));
	tpl_set(tv, name, eq + 1);
	free(name);
	return 0;
}

void
spool_print_safe(const char *s)
{
	out_safe_fputs(s, OUT_SAFE_TEXT, stdout);
}

void
spool_print_line(const char *s)
{
	out_safe_fputs(s, OUT_SAFE_LINE, stdout);
}

int
spool_tx_fail(struct spool_ctx *ctx, const char *what)
{
	db_rollback(ctx->db);
	fprintf(stderr, "ikzreg: %s fehlgeschlagen; nichts wurde geändert "
	    "(siehe die Meldung darüber)\n", what);
	return EX_TEMPFAIL;
}

/* How to give what a refusal asks for (reg_result.need) with ikzreg. */
static const char *
spool_need_hint(int need)
{
	switch (need) {
	case REG_NEED_EVENT:	return " (--event)";
	case REG_NEED_PERSON:	return " (--person)";
	case REG_NEED_REPLY:	return " (--reply-to ADRESSE oder --no-reply)";
	case REG_NEED_REOPEN:	return " (wieder öffnen: ikzreg reopen)";
	case REG_NEED_AUDIT_ID:	return " (siehe „ikzreg log“)";
	}
	return "";
}

/* Tells staff what happened; returns the exit code. */
int
spool_reg_result(int rv, const struct reg_result *res, const char *what)
{
	char	 num[48];

	if (rv == 0) {
		printf("%s: %s", what, spool_kind_word(res->kind));
		if (res->position > 0)
			printf(strcmp(res->kind, "waitlisted") ? ", Warteliste "
			    "Platz %d" : ", Platz %d", res->position);
		snprintf(num, sizeof(num), "Anmeldung %lld",
		    (long long)res->reg_id);
		/* unless `what` names it already */
		if (res->reg_id > 0 && strstr(what, num) == NULL)
			printf(" (%s)", num);
		printf("\n");
		return EX_OK;
	}
	/* err may quote a name or address from the database */
	fprintf(stderr, "ikzreg: %s: ", what);
	out_safe_fputs(res->err[0] ? res->err : "Datenbankfehler; nichts "
	    "wurde geändert, bitte noch einmal versuchen", OUT_SAFE_LINE,
	    stderr);
	fprintf(stderr, "%s\n", spool_need_hint(res->need));
	return res->refused ? EX_DATAERR : EX_TEMPFAIL;
}

const char *
spool_plural(long long n, const char *one, const char *many)
{
	static char	 buf[128];

	snprintf(buf, sizeof(buf), "%lld %s", n, n == 1 ? one : many);
	return buf;
}

const char *
spool_kind_word(const char *kind)
{
	static const char *const words[][2] = {
		{ "confirmed", "bestätigt" },
		{ "waitlisted", "Warteliste" },
		{ "full", "ausgebucht, nicht angemeldet" },
		{ "closed", "Anmeldeschluss, nicht angemeldet" },
		{ "already-registered", "bereits angemeldet" },
		{ "cancelled", "abgemeldet" },
		{ "promoted", "nachgerückt" },
		{ "substituted", "umgeschrieben" },
		{ "dismissed", "erledigt, ohne Änderung" },
		{ "edited", "geändert" },
		{ "reopened", "wieder zur Prüfung" },
		{ "withdrawn", "zurückgezogen" },
		{ "undone", "rückgängig gemacht" },
		{ "not-found", "keine Anmeldung gefunden" },
		/* audit actions (ikzreg log) */
		{ "decided", "entschieden" },
		{ "review", "zur Prüfung" },
		{ "quarantined", "Quarantäne" },
		{ "restored", "Angaben zurückgeholt" },
		{ "companion", "Begleitperson" },
		{ "not-told", "nicht benachrichtigt" },
		{ "reply", "Antwort" },
		{ "retry", "erneut senden" },
		{ "forget", "Person gelöscht" },
		{ "purge", "Veranstaltung gelöscht" },
	};
	size_t	 i;

	for (i = 0; i < nitems(words); i++)
		if (!strcmp(kind, words[i][0]))
			return words[i][1];
	return kind;
}

void
spool_hold_note(struct spool_ctx *ctx, int flags)
{
	int	 m = ctx->cf->reply_hold_minutes;
	int64_t	 n;
	char	 mark[24];

	if (m <= 0 || (flags & (REG_NO_HOLD | REG_NO_REPLY)))
		return;
	/* only the held replies this command queued (rows after the mark) */
	snprintf(mark, sizeof(mark), "%lld", (long long)ctx->outbox_mark);
	n = db_query_int(ctx->db, "SELECT count(DISTINCT message_id) FROM"
	    " outbox WHERE id > CAST(?1 AS INTEGER) AND state = 'pending'"
	    " AND next_try > strftime('%s', 'now')", mark, 0);
	if (n <= 0)
		return;
	if (n == 1) {
		n = db_query_int(ctx->db, "SELECT min(id) FROM outbox WHERE"
		    " id > CAST(?1 AS INTEGER) AND state = 'pending'", mark, 0);
		printf("Antwort %lld wird erst in %s versandt; bis dahin "
		    "zurückziehen mit „ikzreg withdraw %lld“.\n", (long long)n,
		    spool_plural(m, "Minute", "Minuten"), (long long)n);
		return;
	}
	printf("%lld Antworten werden erst in %s versandt; bis dahin "
	    "zurückziehen mit „ikzreg withdraw ID“ (IDs: „ikzreg outbox“).\n",
	    (long long)n, spool_plural(m, "Minute", "Minuten"));
}
