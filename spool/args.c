/* args.c - argument forms shared by the staff tool's commands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sysexits.h>

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
		fprintf(stderr, "ikzreg: \"%s\" is not a number (an ID as "
		    "shown in the listings)\n", s);
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
		fprintf(stderr, "ikzreg: no event \"%s\" in %s; see \"ikzreg "
		    "events\"\n", key, ctx->cf->path);
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
		fprintf(stderr, "ikzreg: no registration \"%s\" for %s; see "
		    "\"ikzreg list %s --all\"\n", arg, event_key, event_key);
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
		fprintf(stderr, "ikzreg: --person wants \"name=Anna Beispiel; "
		    "org=Gemeinde Musterdorf; email=anna@example.org\" (keys: "
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
		fprintf(stderr, "ikzreg: --var wants NAME=VALUE, e.g. "
		    "--var url=https://example.org/doku\n");
		return -1;
	}
	name = xstrndup(arg, (size_t)(eq - arg));
	tpl_set(tv, name, eq + 1);
	free(name);
	return 0;
}

/* Prints text for a terminal: control characters (ESC...) become '?'. */
void
spool_print_safe(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			putchar('?');
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			putchar('?');	/* C1 controls, e.g. CSI */
			p++;
		} else
			putchar(*p);
	}
}

int
spool_tx_fail(struct spool_ctx *ctx, const char *what)
{
	db_rollback(ctx->db);
	fprintf(stderr, "ikzreg: %s failed; nothing was changed (see the "
	    "message above)\n", what);
	return EX_TEMPFAIL;
}

/* Tells staff what happened; returns the exit code. */
int
spool_reg_result(int rv, const struct reg_result *res, const char *what)
{
	if (rv == 0) {
		printf("%s: %s", what, res->kind);
		if (res->position > 0)
			printf(", Warteliste Platz %d", res->position);
		if (res->reg_id > 0)
			printf(" (Anmeldung %lld)", (long long)res->reg_id);
		printf("\n");
		return EX_OK;
	}
	fprintf(stderr, "ikzreg: %s: %s\n", what, res->err[0] ? res->err :
	    "database error; nothing was changed, try again");
	return res->refused ? EX_DATAERR : EX_TEMPFAIL;
}
