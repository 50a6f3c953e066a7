/*
 * replyvars.c - the variables of every reply, built in one place: the
 * event and office (replyvars_common, used by the daemon, reminders, the
 * gate, the staff tool and the desk) and the outcome of a registration
 * change (reg_reply: who got which place, for one letter).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/gate.h"
#include "registry/outbox.h"
#include "registry/reg_int.h"
#include "registry/replyvars.h"
#include "templates/mail.h"

void
replyvars_common(struct tpl_vars *tv, const struct config *cf,
    const struct event_cfg *ev, const struct person *p)
{
	char	 when[128], *name = NULL, *addr = NULL, *s;

	if (ev != NULL) {
		tpl_format_when(ev->starts, when, sizeof(when));
		tpl_set(tv, "event_title", ev->title);
		tpl_set(tv, "event_when", when);
		tpl_set(tv, "event_location", ev->location);
	}
	if (mail_split_from(cf->smtp.from, &name, &addr) == 0 && name &&
	    *name)
		tpl_set(tv, "office", name);
	else
		tpl_set(tv, "office", REPLYVARS_OFFICE);
	free(name);
	free(addr);
	s = tpl_salutation(p);
	tpl_set(tv, "anrede", s);
	free(s);
	if (p != NULL) {
		s = people_display_name(p);
		tpl_set(tv, "name", s);
		free(s);
	}
}

/* A person's status in words, as the reply lists it. */
static const char *
reg_status_text(const struct reg_outcome *o, char *buf, size_t len)
{
	const char	*k = o->kind;

	if (!strcmp(k, "confirmed") || !strcmp(k, "promoted"))
		return "Teilnahme bestätigt";
	if (!strcmp(k, "waitlisted")) {
		snprintf(buf, len, "Warteliste, Platz %d%s", o->position,
		    o->per_org ? " (Höchstzahl je Organisation erreicht)" : "");
		return buf;
	}
	if (!strcmp(k, "already-registered") && o->was_waiting) {
		snprintf(buf, len, "bereits angemeldet, Warteliste, Platz %d",
		    o->position);
		return buf;
	}
	if (!strcmp(k, "already-registered"))
		return "bereits angemeldet, Teilnahme bestätigt";
	if (!strcmp(k, "full"))
		return "nicht angemeldet (ausgebucht)";
	if (!strcmp(k, "closed"))
		return "nicht angemeldet (Anmeldeschluss)";
	if (!strcmp(k, "cancelled"))
		return "abgemeldet";
	if (!strcmp(k, "substituted"))
		return "umgeschrieben";
	return "keine Anmeldung gefunden";
}

/*
 * The template of a reply about several people: the best news first, so
 * that "confirmed" with the list of statuses is used when anyone got a
 * seat.
 */
static const char *
reg_reply_kind(const struct reg_outcome *o, size_t n)
{
	static const char *const order[] = { "promoted", "confirmed",
	    "waitlisted", "substituted", "cancelled", "already-registered",
	    "full", "closed" };
	size_t	 i, j;

	for (j = 0; j < nitems(order); j++)
		for (i = 0; i < n; i++)
			if (!strcmp(o[i].kind, order[j]))
				return order[j];
	return o[0].kind;
}

/*
 * "Dr. Anna Müller, Bürgermeisterin, Gemeinde X": everything the reply
 * understood about one person, so that a wrong name, function or
 * organisation shows at once (issue 11).
 */
static void
reg_understood_person(struct buf *b, const struct person *p)
{
	char	*name = people_display_name(p);

	buf_adds(b, *name ? name : "(ohne Namen)");
	if (*p->function)
		buf_printf(b, ", %s", p->function);
	if (*p->organisation)
		buf_printf(b, ", %s", p->organisation);
	free(name);
}

/* One line per person concerned; a substitution names both. */
static void
reg_understood(struct tpl_vars *tv, const struct reg_outcome *o, size_t n)
{
	struct buf	 b = { 0 };
	char		 st[96];
	size_t		 i;

	for (i = 0; i < n; i++) {
		buf_adds(&b, "- ");
		reg_understood_person(&b, o[i].newp ? o[i].newp : o[i].p);
		if (o[i].old) {
			buf_adds(&b, " (statt ");
			reg_understood_person(&b, o[i].old);
			buf_adds(&b, ")");
		}
		buf_printf(&b, ": %s\n", reg_status_text(&o[i], st,
		    sizeof(st)));
	}
	tpl_set(tv, "understood", b.data);
	buf_free(&b);
}

/*
 * Whom a letter about several people greets: the one of them it goes to,
 * else nobody by name (a secretary writing for three is not the first of
 * them).
 */
static const struct person *
reg_reply_addressee(const struct reg_outcome *o, size_t n, const char *to)
{
	size_t	 i;

	if (n < 2)
		return o[0].p;
	for (i = 0; to != NULL && i < n; i++)
		if (*o[i].p->email && !strcasecmp(o[i].p->email, to))
			return o[i].p;
	return NULL;
}

static void
reg_reply_vars(struct reg_ctx *c, struct tpl_vars *tv, struct reg_outcome *o,
    size_t n, const char *to)
{
	struct buf	 people = { 0 };
	char		 st[96], pos[16], *name, *reason;
	size_t		 i;
	int		 per_org = 0, waiting = 0;

	replyvars_common(tv, c->cf, c->ev, reg_reply_addressee(o, n, to));
	for (i = 0; i < n; i++) {
		per_org |= o[i].per_org;
		waiting |= !strcmp(o[i].kind, "waitlisted");
		if (n < 2)
			continue;
		/* each person as understood: name, function, organisation */
		buf_adds(&people, "- ");
		reg_understood_person(&people, o[i].newp ? o[i].newp : o[i].p);
		if (o[i].old) {
			buf_adds(&people, " (statt ");
			reg_understood_person(&people, o[i].old);
			buf_adds(&people, ")");
		}
		buf_printf(&people, ": %s\n", reg_status_text(&o[i], st,
		    sizeof(st)));
	}
	tpl_set(tv, "people", people.data);
	buf_free(&people);
	if (n > 1 && waiting)
		tpl_set(tv, "some_waiting", "1");
	/* Only a letter that answers a mail says how it was understood. */
	if (c->in_reply_to != NULL && *c->in_reply_to != '\0' &&
	    strcmp(o[0].kind, "promoted") != 0)
		reg_understood(tv, o, n);
	if (c->side_question != NULL)
		tpl_set(tv, "question_passed", "1");
	if (o[0].position > 0) {
		snprintf(pos, sizeof(pos), "%d", o[0].position);
		tpl_set(tv, "position", pos);
	}
	tpl_set(tv, "status", reg_status_text(&o[0], st, sizeof(st)));
	if (o[0].old) {
		name = people_display_name(o[0].old);
		tpl_set(tv, "old_name", name);
		free(name);
		name = people_display_name(o[0].newp ? o[0].newp : o[0].p);
		tpl_set(tv, "new_name", name);
		free(name);
	}
	if (per_org) {
		reason = xasprintf("Je Organisation sind höchstens %d Plätze "
		    "vorgesehen; diese Zahl ist für Ihre Organisation bereits "
		    "erreicht.", c->ev->per_organisation);
		tpl_set(tv, "reason", reason);
		free(reason);
	}
}

int
reg_reply(struct reg_ctx *c, const char *to, const char *cc,
    struct reg_outcome *o, size_t n)
{
	struct tpl_vars	 tv = { 0 };
	struct reply	 r = { 0 };
	int		 rv;

	if (c->flags & REG_NO_REPLY)
		return 0;
	if (to == NULL || !mail_addr_valid(to)) {
		to = cc;
		cc = NULL;
	}
	if (to == NULL || !mail_addr_valid(to))
		return db_audit(c->db, c->actor, "not-told", c->ev->key,
		    o[0].reg_id, c->msg_id, "no usable address for the reply");
	reg_reply_vars(c, &tv, o, n, to);
	r.kind = reg_reply_kind(o, n);
	r.to = to;
	r.cc = cc;
	r.in_reply_to = c->in_reply_to && *c->in_reply_to ? c->in_reply_to :
	    NULL;
	r.source_message = c->msg_id;
	r.registration_id = o[0].reg_id;
	r.vars = &tv;
	r.not_before = c->hold_until;
	rv = outbox_queue(c->db, c->cf, &r);
	tpl_vars_free(&tv);
	return rv;
}

int
reg_tell_entry(struct reg_ctx *c, const struct reg_entry *e,
    struct reg_outcome *o)
{
	const char	*to = *e->reply_to ? e->reply_to : e->p.email;

	return reg_reply(c, to, e->p.email, o, 1);
}
