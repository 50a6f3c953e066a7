/*
 * reg_staff.c - what staff do through `ikzreg`: resolve a mail waiting in
 * review, add, cancel, promote, substitute. Each action is one BEGIN
 * IMMEDIATE transaction through the same rules as the daemon (reg.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/reg_int.h"
#include "templates/mail.h"

/* Fills res->err; refused: a request that cannot be done, not a failure. */
int
reg_staff_err(struct reg_result *res, int refused, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(res->err, sizeof(res->err), fmt, ap);
	va_end(ap);
	res->refused = refused;
	return -1;
}

/* Opens the transaction for an action on event_key. */
int
reg_staff_begin(struct reg_ctx *c, sqlite3 *db, const struct config *cf,
    const char *event_key, int flags, const char *actor,
    struct reg_result *res)
{
	memset(res, 0, sizeof(*res));
	memset(c, 0, sizeof(*c));
	c->db = db;
	c->cf = cf;
	c->actor = actor;
	c->flags = flags;
	/* Held so that a mistake can be withdrawn before it goes out. */
	if (!(flags & REG_NO_HOLD) && cf->reply_hold_minutes > 0)
		c->hold_until = time(NULL) +
		    (time_t)cf->reply_hold_minutes * 60;
	if (event_key && (c->ev = config_event(cf, event_key)) == NULL)
		return reg_staff_err(res, 1, "keine Veranstaltung „%s“ in %s",
		    event_key, cf->path);
	if (db_begin(db) == -1)
		return reg_staff_err(res, 0, "Datenbank nicht erreichbar: %s",
		    sqlite3_errmsg(db));
	return 0;
}

/* Commits after rv == 0, else rolls back; returns 0 or -1. */
int
reg_staff_end(struct reg_ctx *c, int rv, struct reg_result *res)
{
	if (rv == 0 && db_commit(c->db) == 0)
		return 0;
	db_rollback(c->db);
	if (res->err[0] == '\0')
		reg_staff_err(res, 0, "Datenbankfehler; nichts wurde "
		    "geändert, bitte noch einmal versuchen");
	/* err may name a person: above debug level only that it failed. */
	if (res->refused)
		log_debug("%s: refused: %s", c->actor, res->err);
	else
		log_warnx("staff action by %s failed, rolled back", c->actor);
	return -1;
}

void
reg_staff_result(struct reg_result *res, const struct reg_outcome *o)
{
	res->reg_id = o->reg_id;
	snprintf(res->kind, sizeof(res->kind), "%s", o->kind ? o->kind : "");
	res->position = o->position;
}

/* An active registration of the event by id or address; 1, 0, -1. */
int
reg_staff_find(struct reg_ctx *c, int64_t id, const char *email,
    struct reg_entry *e, struct reg_result *res)
{
	struct person	 p = { 0 };

	p.email = (char *)(email ? email : "");
	p.given_name = p.family_name = p.organisation = "";
	if (id <= 0 && (id = reg_find_person(c->db, c->ev->key, &p, 0)) < 0)
		return -1;
	if (id > 0 && reg_entry_load(c->db, id, e) == -1)
		return -1;
	if (id <= 0 || strcmp(e->event_key, c->ev->key) != 0 ||
	    strcmp(e->status, "cancelled") == 0) {
		if (id > 0)
			reg_entry_free(e);
		reg_staff_err(res, 1, "keine aktive Anmeldung %s%s für "
		    "%s", id > 0 ? "mit dieser Nummer" : "von ",
		    id > 0 ? "" : (email ? email : "(keine)"), c->ev->key);
		return 0;
	}
	return 1;
}

int
reg_add(sqlite3 *db, const struct config *cf, const char *event_key,
    const struct person *p, int flags, const char *actor,
    struct reg_result *res)
{
	struct reg_ctx		 c;
	struct reg_outcome	 o;
	struct reg_arrival	 a = { time(NULL), 0, 0 };
	int			 rv;

	if (reg_staff_begin(&c, db, cf, event_key, flags, actor, res) == -1)
		return -1;
	if ((rv = reg_place(&c, &a, p, p->email, &o)) == 0) {
		reg_staff_result(res, &o);
		if (o.reg_id == 0 || !strcmp(o.kind, "already-registered"))
			rv = reg_staff_err(res, 1, "nicht angemeldet: %s%s",
			    !strcmp(o.kind, "full") ? "ausgebucht" :
			    !strcmp(o.kind, "closed") ? "Anmeldeschluss" :
			    "bereits angemeldet", o.reg_id ? " (siehe die "
			    "Anmeldenummer)" : "");
		else
			rv = reg_reply(&c, p->email, NULL, &o, 1);
	}
	return reg_staff_end(&c, rv, res);
}

int
reg_cancel_person(sqlite3 *db, const struct config *cf,
    const char *event_key, int64_t reg_id, const char *email, int flags,
    const char *actor, struct reg_result *res)
{
	struct reg_ctx		 c;
	struct reg_outcome	 o = { 0 };
	struct reg_entry	 e;
	int			 r, rv = -1;

	if (reg_staff_begin(&c, db, cf, event_key, flags, actor, res) == -1)
		return -1;
	if ((r = reg_staff_find(&c, reg_id, email, &e, res)) != 1)
		return reg_staff_end(&c, -1, res);
	o.p = &e.p;
	o.kind = "cancelled";
	o.reg_id = e.id;
	reg_staff_result(res, &o);
	if (reg_cancel_entry(&c, &e, "cancelled by staff") == 0 &&
	    reg_reply(&c, *e.reply_to ? e.reply_to : e.p.email, e.p.email,
	    &o, 1) == 0 && reg_fill_seats(&c) == 0)
		rv = 0;
	reg_entry_free(&e);
	return reg_staff_end(&c, rv, res);
}

int
reg_promote(sqlite3 *db, const struct config *cf, const char *event_key,
    int64_t reg_id, int flags, const char *actor, struct reg_result *res)
{
	struct reg_ctx		 c;
	struct reg_entry	 e;
	int64_t			 conf;
	int			 rv = -1;

	if (reg_staff_begin(&c, db, cf, event_key, flags, actor, res) == -1)
		return -1;
	if (reg_staff_find(&c, reg_id, NULL, &e, res) != 1)
		return reg_staff_end(&c, -1, res);
	if ((conf = reg_count(db, c.ev->key, "confirmed")) < 0)
		;
	else if (strcmp(e.status, "waitlisted") != 0)
		reg_staff_err(res, 1, "Anmeldung %lld ist %s, nicht auf der "
		    "Warteliste",
		    (long long)e.id, e.status);
	else if (conf >= c.ev->seats)
		reg_staff_err(res, 1, "kein freier Platz (%lld von %d "
		    "belegt); zuerst seats in der Konfiguration erhöhen",
		    (long long)conf,
		    c.ev->seats);
	else if (reg_promote_entry(&c, &e, "staff override: out of turn")
	    == 0) {
		res->reg_id = e.id;
		snprintf(res->kind, sizeof(res->kind), "promoted");
		rv = 0;
	}
	reg_entry_free(&e);
	return reg_staff_end(&c, rv, res);
}

int
reg_substitute(sqlite3 *db, const struct config *cf, const char *event_key,
    int64_t reg_id, const struct person *p, int flags, const char *actor,
    struct reg_result *res)
{
	struct reg_ctx		 c;
	struct reg_outcome	 o = { 0 };
	struct reg_entry	 e;
	const char		*why = NULL;
	int			 r;

	if (reg_staff_begin(&c, db, cf, event_key, flags, actor, res) == -1)
		return -1;
	if (reg_staff_find(&c, reg_id, NULL, &e, res) != 1)
		return reg_staff_end(&c, -1, res);
	c.first = &o;
	r = reg_substitute_do(&c, e.id, p, NULL, &why);
	reg_entry_free(&e);
	if (r == 0)
		reg_staff_err(res, 1, "%s", why);
	else if (r == 1)
		reg_staff_result(res, &o);
	return reg_staff_end(&c, r == 1 ? 0 : -1, res);
}

/* Copies the people of a verdict or of staff's answer into v. */
static void
reg_staff_people(struct verdict *v, const struct person *pp, size_t n)
{
	struct person	*p;
	size_t		 i;

	for (i = 0; i < n; i++) {
		p = verdict_add_person(v);
		people_set(&p->salutation, pp[i].salutation);
		people_set(&p->title, pp[i].title);
		people_set(&p->given_name, pp[i].given_name);
		people_set(&p->family_name, pp[i].family_name);
		people_set(&p->function, pp[i].function);
		people_set(&p->organisation, pp[i].organisation);
		people_set(&p->email, pp[i].email);
	}
}

/* The parser's verdict (may be NULL) with staff's answer laid over it. */
static struct verdict *
reg_staff_verdict(const struct verdict *s, const struct reg_resolution *rs)
{
	struct verdict	*v = verdict_new();

	v->intent = rs->intent != INTENT_UNCLEAR ? rs->intent :
	    s ? s->intent : INTENT_UNCLEAR;
	v->confidence = 1;
	v->reply_allowed = rs->reply_to != NULL || (s && s->reply_allowed);
	v->event_key = xstrdup(rs->event_key ? rs->event_key :
	    s ? s->event_key : NULL);
	v->reply_to = xstrdup(rs->reply_to ? rs->reply_to :
	    s ? s->reply_to : NULL);
	if (s) {
		v->cc = xstrdup(s->cc);
		v->message_id = xstrdup(s->message_id);
		v->subject = xstrdup(s->subject);
		v->from_addr = xstrdup(s->from_addr);
	}
	if (rs->people)
		reg_staff_people(v, rs->people, rs->npeople);
	else if (s)
		reg_staff_people(v, s->people, s->npeople);
	return v;
}

/* Why staff's answer cannot be acted on (*need: REG_NEED_*), or NULL. */
static const char *
reg_staff_check(const struct verdict *v, const struct event_cfg *ev,
    int flags, int *need)
{
	if (ev == NULL) {
		*need = REG_NEED_EVENT;
		return "keine Veranstaltung gewählt: bitte eine angeben";
	}
	if (v->intent == INTENT_REGISTER && v->npeople == 0) {
		*need = REG_NEED_PERSON;
		return "kein Teilnehmer: bitte mindestens einen angeben";
	}
	if (v->intent == INTENT_SUBSTITUTE && v->npeople < 2) {
		*need = REG_NEED_PERSON;
		return "Umschreibung braucht die alte und die "
		    "neue Person";
	}
	if (!(flags & REG_NO_REPLY) && (!v->reply_allowed ||
	    v->reply_to == NULL || !mail_addr_valid(v->reply_to))) {
		*need = REG_NEED_REPLY;
		return "keine brauchbare Antwortadresse (oder eine "
		    "automatische Mail): eine angeben oder ohne Antwort "
		    "erledigen";
	}
	return NULL;
}

/* Acts on the mail as the daemon would have; the mail then is decided. */
static int
reg_staff_apply(struct reg_ctx *c, const struct msg *m,
    const struct verdict *v, struct reg_result *res)
{
	struct reg_outcome	 o = { 0 };
	const char		*why = "dismissed by staff";
	char			*d;
	int			 r = 1, rv;

	c->first = &o;
	if (v->intent == INTENT_REGISTER || v->intent == INTENT_CANCEL ||
	    v->intent == INTENT_SUBSTITUTE) {
		if ((r = reg_act(c, m, v, &why)) == 0)
			reg_staff_err(res, 1, "%s", why);
		if (r != 1)
			return -1;
		reg_staff_result(res, &o);
	} else
		snprintf(res->kind, sizeof(res->kind), "dismissed");
	d = xasprintf("resolved by staff: %s", why);
	rv = reg_finish_msg(c, m, v, "decided", d, 0);
	free(d);
	/* Places the mail held are free now. */
	if (rv == 0 && c->ev)
		rv = reg_fill_seats(c);
	return rv;
}

int
reg_resolve(sqlite3 *db, const struct config *cf, int64_t msg_id,
    const struct reg_resolution *rs, const char *actor,
    struct reg_result *res)
{
	struct reg_ctx	 c;
	struct msg	 m;
	struct verdict	*s, *v = NULL;
	const struct event_cfg *held_ev = NULL;
	const char	*why;
	int		 rv = -1;

	if (reg_staff_begin(&c, db, cf, NULL, rs->flags, actor, res) == -1)
		return -1;
	if ((rv = msg_load(db, msg_id, &m)) != 1) {
		if (rv == 0)
			reg_staff_err(res, 1, "keine Nachricht %lld",
			    (long long)msg_id);
		return reg_staff_end(&c, -1, res);
	}
	rv = -1;
	s = msg_verdict(db, msg_id);
	v = reg_staff_verdict(s, rs);
	if (s)
		held_ev = config_event(cf, s->event_key);
	verdict_free(s);
	c.ev = config_event(cf, v->event_key);
	c.msg_id = m.id;
	c.in_reply_to = m.message_id;
	if (strcmp(m.state, "review") && strcmp(m.state, "quarantined")) {
		reg_staff_err(res, 1, "Nachricht %lld ist %s, sie wartet "
		    "nicht auf Prüfung", (long long)msg_id,
		    !strcmp(m.state, "decided") ? "schon entschieden" :
		    m.state);
		if (!strcmp(m.state, "decided"))
			res->need = REG_NEED_REOPEN;
	} else if (v->intent != INTENT_REGISTER && v->intent != INTENT_CANCEL &&
	    v->intent != INTENT_SUBSTITUTE)
		rv = reg_staff_apply(&c, &m, v, res);
	else if ((why = reg_staff_check(v, c.ev, rs->flags, &res->need)) !=
	    NULL)
		reg_staff_err(res, 1, "%s", why);
	else if (msg_set_hold(db, m.id, 0, NULL, 0) == 0)
		rv = reg_staff_apply(&c, &m, v, res);
	/* Staff named another event: the one it held places in refills. */
	if (rv == 0 && held_ev && held_ev != c.ev) {
		c.ev = held_ev;
		rv = reg_fill_seats(&c);
	}
	verdict_free(v);
	msg_free(&m);
	return reg_staff_end(&c, rv, res);
}
