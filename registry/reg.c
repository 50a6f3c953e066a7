/* reg.c - seats and waiting lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/log.h"
#include "daemon/util.h"
#include "registry/db.h"
#include "registry/outbox.h"
#include "registry/reg.h"
#include "templates/mail.h"

/* What one decision did to one person, for the reply. */
struct reg_outcome {
	const struct person *p;
	const char	*kind;		/* template name */
	int64_t		 reg_id;
	int		 position;	/* waiting list position */
	char		*reason;
};

int
reg_sync_events(sqlite3 *db, const struct config *cf)
{
	sqlite3_stmt		*st = NULL;
	const struct event_cfg	*ev;
	size_t			 i;

	if (db_begin(db) == -1)
		return -1;
	st = db_prepare(db, "INSERT INTO events (key, title, starts, ends,"
	    " location, seats, waitlist, per_organisation,"
	    " registration_closes, review_all) VALUES (?,?,?,?,?,?,?,?,?,?)"
	    " ON CONFLICT (key) DO UPDATE SET title = excluded.title,"
	    " starts = excluded.starts, ends = excluded.ends,"
	    " location = excluded.location, seats = excluded.seats,"
	    " waitlist = excluded.waitlist,"
	    " per_organisation = excluded.per_organisation,"
	    " registration_closes = excluded.registration_closes,"
	    " review_all = excluded.review_all");
	if (st == NULL)
		goto fail;
	for (i = 0; i < cf->nevents; i++) {
		ev = &cf->events[i];
		sqlite3_reset(st);
		db_bind_text(st, 1, ev->key);
		db_bind_text(st, 2, ev->title);
		sqlite3_bind_int64(st, 3, (int64_t)ev->starts);
		sqlite3_bind_int64(st, 4, (int64_t)ev->ends);
		db_bind_text(st, 5, ev->location);
		sqlite3_bind_int(st, 6, ev->seats);
		sqlite3_bind_int(st, 7, ev->waitlist);
		sqlite3_bind_int(st, 8, ev->per_organisation);
		sqlite3_bind_int64(st, 9, (int64_t)ev->registration_closes);
		sqlite3_bind_int(st, 10, ev->review_all);
		if (sqlite3_step(st) != SQLITE_DONE) {
			log_warnx("events: %s", sqlite3_errmsg(db));
			goto fail;
		}
	}
	sqlite3_finalize(st);
	return db_commit(db);
fail:
	sqlite3_finalize(st);
	db_rollback(db);
	return -1;
}

static int64_t
reg_count(sqlite3 *db, const char *event_key, const char *status)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	st = db_prepare(db, "SELECT count(*) FROM registrations"
	    " WHERE event_key = ? AND status = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	db_bind_text(st, 2, status);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The 1-based waiting-list position of a registration. */
static int
reg_position(sqlite3 *db, int64_t reg_id)
{
	sqlite3_stmt	*st;
	int		 pos = 0;

	st = db_prepare(db, "SELECT count(*) FROM registrations w,"
	    " registrations r WHERE r.id = ? AND w.event_key = r.event_key"
	    " AND w.status = 'waitlisted' AND (w.arrival, w.arrival_uid,"
	    " w.arrival_seq, w.id) <= (r.arrival, r.arrival_uid,"
	    " r.arrival_seq, r.id)");
	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, reg_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		pos = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return pos;
}

/* An active registration of this person for the event, or 0. */
static int64_t
reg_find_person(sqlite3 *db, const char *event_key, const struct person *p)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	st = db_prepare(db, "SELECT id FROM registrations WHERE event_key = ?"
	    " AND status != 'cancelled' AND ((?2 != '' AND lower(email) ="
	    " lower(?2)) OR (?3 != '' AND lower(family_name) = lower(?3)"
	    " AND lower(given_name) = lower(?4) AND ?5 != ''"
	    " AND lower(organisation) = lower(?5))) ORDER BY id LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	db_bind_text(st, 2, p->email);
	db_bind_text(st, 3, p->family_name);
	db_bind_text(st, 4, p->given_name);
	db_bind_text(st, 5, p->organisation);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static char *
reg_status_of(sqlite3 *db, int64_t id)
{
	sqlite3_stmt	*st;
	char		*s = NULL;

	st = db_prepare(db, "SELECT status FROM registrations WHERE id = ?");
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		s = db_column_strdup(st, 0);
	sqlite3_finalize(st);
	return s;
}

static int64_t
reg_insert(sqlite3 *db, const char *event_key, const char *status,
    const struct msg *m, int seq, const struct person *p,
    const char *reply_to)
{
	sqlite3_stmt	*st;
	int64_t		 id = -1;
	time_t		 now = time(NULL);

	st = db_prepare(db, "INSERT INTO registrations (event_key, status,"
	    " arrival, arrival_uid, arrival_seq, salutation, title,"
	    " given_name, family_name, function, organisation, email,"
	    " reply_to, source_message, created, updated)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	db_bind_text(st, 2, status);
	sqlite3_bind_int64(st, 3, (int64_t)m->internaldate);
	sqlite3_bind_int64(st, 4, m->uid);
	sqlite3_bind_int(st, 5, seq);
	db_bind_text(st, 6, p->salutation);
	db_bind_text(st, 7, p->title);
	db_bind_text(st, 8, p->given_name);
	db_bind_text(st, 9, p->family_name);
	db_bind_text(st, 10, p->function);
	db_bind_text(st, 11, p->organisation);
	db_bind_text(st, 12, p->email);
	db_bind_text(st, 13, reply_to ? reply_to : "");
	if (m->id > 0)
		sqlite3_bind_int64(st, 14, m->id);
	sqlite3_bind_int64(st, 15, (int64_t)now);
	sqlite3_bind_int64(st, 16, (int64_t)now);
	if (sqlite3_step(st) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(db);
	else
		log_warnx("registrations: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return id;
}

static int
reg_set_status(sqlite3 *db, int64_t id, const char *status)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_prepare(db, "UPDATE registrations SET status = ?,"
	    " updated = ? WHERE id = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, status);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 3, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Template variables common to every reply about one event. */
static void
reg_event_vars(struct tpl_vars *tv, const struct config *cf,
    const struct event_cfg *ev)
{
	char	 when[128], *name = NULL, *addr = NULL;

	tpl_format_when(ev->starts, when, sizeof(when));
	tpl_set(tv, "event_title", ev->title);
	tpl_set(tv, "event_when", when);
	tpl_set(tv, "event_location", ev->location);
	if (mail_split_from(cf->smtp.from, &name, &addr) == 0 && name && *name)
		tpl_set(tv, "office", name);
	else
		tpl_set(tv, "office", "Servicestelle Interkommunale "
		    "Zusammenarbeit");
	free(name);
	free(addr);
}

static void
reg_person_vars(struct tpl_vars *tv, const struct person *p)
{
	char	*s;

	s = tpl_salutation(p);
	tpl_set(tv, "anrede", s);
	free(s);
	s = person_display_name(p);
	tpl_set(tv, "name", s);
	free(s);
}

static const char *
reg_status_text(const struct reg_outcome *o, char *buf, size_t len)
{
	if (!strcmp(o->kind, "confirmed") || !strcmp(o->kind, "promoted"))
		return "Teilnahme bestätigt";
	if (!strcmp(o->kind, "waitlisted")) {
		snprintf(buf, len, "Warteliste, Platz %d", o->position);
		return buf;
	}
	if (!strcmp(o->kind, "already-registered"))
		return "bereits angemeldet";
	if (!strcmp(o->kind, "full"))
		return "nicht angemeldet (ausgebucht)";
	if (!strcmp(o->kind, "closed"))
		return "nicht angemeldet (Anmeldeschluss)";
	if (!strcmp(o->kind, "cancelled"))
		return "abgemeldet";
	return o->kind;
}

/*
 * One reply per mail. With several people it carries the list of each
 * person's status; the template is that of the first person.
 */
static int
reg_reply(sqlite3 *db, const struct config *cf, const struct event_cfg *ev,
    const struct msg *m, const struct verdict *v, struct reg_outcome *o,
    size_t n)
{
	struct tpl_vars	 tv = { 0 };
	struct reply	 r = { 0 };
	struct buf	 people = { 0 };
	char		 pos[16], st[64], *name;
	size_t		 i;
	int		 rv;

	reg_event_vars(&tv, cf, ev);
	reg_person_vars(&tv, o[0].p);
	for (i = 0; n > 1 && i < n; i++) {
		name = person_display_name(o[i].p);
		buf_printf(&people, "- %s: %s\n", name,
		    reg_status_text(&o[i], st, sizeof(st)));
		free(name);
	}
	tpl_set(&tv, "people", people.data);
	buf_free(&people);
	if (o[0].position > 0) {
		snprintf(pos, sizeof(pos), "%d", o[0].position);
		tpl_set(&tv, "position", pos);
	}
	tpl_set(&tv, "status", reg_status_text(&o[0], st, sizeof(st)));
	tpl_set(&tv, "reason", o[0].reason);
	r.kind = o[0].kind;
	r.to = v->reply_to;
	r.cc = v->cc;
	r.in_reply_to = m->message_id[0] ? m->message_id : NULL;
	r.source_message = m->id;
	r.registration_id = o[0].reg_id;
	r.vars = &tv;
	rv = outbox_queue(db, cf, &r);
	tpl_vars_free(&tv);
	return rv;
}

/* Seat, waiting list, full or closed for one new person. */
static int
reg_place(sqlite3 *db, const struct event_cfg *ev, const struct msg *m,
    int seq, const struct verdict *v, const struct person *p,
    struct reg_outcome *o)
{
	int64_t	 confirmed, waiting, dup;
	time_t	 closes = ev->registration_closes ? ev->registration_closes :
		    ev->starts;

	o->p = p;
	if (m->internaldate >= closes) {
		o->kind = "closed";
		return 0;
	}
	if ((dup = reg_find_person(db, ev->key, p)) != 0) {
		if (dup < 0)
			return -1;
		o->kind = "already-registered";
		o->reg_id = dup;
		o->position = reg_position(db, dup);
		return 0;
	}
	if ((confirmed = reg_count(db, ev->key, "confirmed")) < 0 ||
	    (waiting = reg_count(db, ev->key, "waitlisted")) < 0)
		return -1;
	if (confirmed < ev->seats)
		o->kind = "confirmed";
	else if (ev->waitlist == 0 || waiting < ev->waitlist)
		o->kind = "waitlisted";
	else {
		o->kind = "full";
		return 0;
	}
	o->reg_id = reg_insert(db, ev->key, o->kind, m, seq, p, v->reply_to);
	if (o->reg_id < 0)
		return -1;
	if (!strcmp(o->kind, "waitlisted"))
		o->position = reg_position(db, o->reg_id);
	return 0;
}

static int
reg_register(sqlite3 *db, const struct config *cf, const struct event_cfg *ev,
    const struct msg *m, const struct verdict *v, const char *actor)
{
	struct reg_outcome	*o;
	size_t			 i;
	int			 rv = -1;

	o = xcalloc(v->npeople, sizeof(*o));
	for (i = 0; i < v->npeople; i++) {
		if (reg_place(db, ev, m, (int)i, v, &v->people[i], &o[i]) == -1)
			goto out;
		if (db_audit(db, actor, o[i].kind, ev->key, o[i].reg_id, m->id,
		    "register") == -1)
			goto out;
	}
	rv = reg_reply(db, cf, ev, m, v, o, v->npeople);
out:
	free(o);
	return rv;
}

/* Fills free seats from the waiting list, in arrival order. */
static int
reg_fill_seats(sqlite3 *db, const struct config *cf,
    const struct event_cfg *ev, const struct msg *m, const char *actor)
{
	sqlite3_stmt		*st;
	struct reg_outcome	 o = { 0 };
	struct person		 p = { 0 };
	struct verdict		 v = { 0 };
	struct msg		 none = { 0 };
	int64_t			 free_seats;
	int			 rv = 0;

	free_seats = ev->seats - reg_count(db, ev->key, "confirmed");
	while (rv == 0 && free_seats-- > 0) {
		st = db_prepare(db, "SELECT id, salutation, title, given_name,"
		    " family_name, function, organisation, email, reply_to"
		    " FROM registrations WHERE event_key = ? AND status ="
		    " 'waitlisted' ORDER BY arrival, arrival_uid, arrival_seq,"
		    " id LIMIT 1");
		if (st == NULL)
			return -1;
		db_bind_text(st, 1, ev->key);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			break;
		}
		o.reg_id = sqlite3_column_int64(st, 0);
		p.salutation = db_column_strdup(st, 1);
		p.title = db_column_strdup(st, 2);
		p.given_name = db_column_strdup(st, 3);
		p.family_name = db_column_strdup(st, 4);
		p.function = db_column_strdup(st, 5);
		p.organisation = db_column_strdup(st, 6);
		p.email = db_column_strdup(st, 7);
		v.reply_to = db_column_strdup(st, 8);
		sqlite3_finalize(st);
		if (*v.reply_to == '\0') {
			free(v.reply_to);
			v.reply_to = xstrdup(p.email);
		}
		o.p = &p;
		o.kind = "promoted";
		none.id = m ? m->id : 0;
		none.message_id = "";
		if (reg_set_status(db, o.reg_id, "confirmed") == -1 ||
		    db_audit(db, actor, "promoted", ev->key, o.reg_id, none.id,
		    "seat freed") == -1 ||
		    reg_reply(db, cf, ev, &none, &v, &o, 1) == -1)
			rv = -1;
		free(p.salutation); free(p.title); free(p.given_name);
		free(p.family_name); free(p.function); free(p.organisation);
		free(p.email); free(v.reply_to);
	}
	return rv;
}

/* The registration a cancellation refers to: by person, else by sender. */
static int64_t
reg_find_cancel(sqlite3 *db, const struct event_cfg *ev,
    const struct verdict *v)
{
	struct person	 sender = { 0 };
	int64_t		 id;
	size_t		 i;

	for (i = 0; i < v->npeople; i++)
		if ((id = reg_find_person(db, ev->key, &v->people[i])) != 0)
			return id;
	sender.email = v->from_addr ? v->from_addr : "";
	sender.family_name = sender.given_name = sender.organisation = "";
	if ((id = reg_find_person(db, ev->key, &sender)) != 0)
		return id;
	sender.email = v->reply_to ? v->reply_to : "";
	return reg_find_person(db, ev->key, &sender);
}

/* Returns 1 if the cancellation was applied, 0 if nothing matched. */
static int
reg_cancel(sqlite3 *db, const struct config *cf, const struct event_cfg *ev,
    const struct msg *m, const struct verdict *v, const char *actor)
{
	struct reg_outcome	 o = { 0 };
	struct person		 none = { 0 };
	char			*was;
	int64_t			 id;
	int			 rv = -1;

	if ((id = reg_find_cancel(db, ev, v)) <= 0)
		return id < 0 ? -1 : 0;
	if ((was = reg_status_of(db, id)) == NULL)
		return -1;
	o.kind = "cancelled";
	o.reg_id = id;
	o.p = v->npeople ? &v->people[0] : &none;
	none.salutation = none.title = none.given_name = none.family_name =
	    none.function = none.organisation = none.email = "";
	if (reg_set_status(db, id, "cancelled") == -1 ||
	    db_audit(db, actor, "cancelled", ev->key, id, m->id, was) == -1 ||
	    reg_reply(db, cf, ev, m, v, &o, 1) == -1)
		goto out;
	rv = !strcmp(was, "confirmed") ?
	    (reg_fill_seats(db, cf, ev, m, actor) == 0 ? 1 : -1) : 1;
out:
	free(was);
	return rv;
}

static const char *
reg_review_reason(const struct verdict *v, const struct event_cfg *ev)
{
	if (v->needs_review)
		return "parser asks for review";
	if (ev == NULL)
		return "no event matched";
	if (ev->review_all)
		return "event is set to review_all";
	if (!v->reply_allowed || v->reply_to == NULL)
		return "no reply address";
	if (v->intent == INTENT_REGISTER && v->npeople == 0)
		return "no participant found";
	if (v->intent != INTENT_REGISTER && v->intent != INTENT_CANCEL)
		return "not a registration or cancellation";
	return NULL;
}

int
reg_decide(sqlite3 *db, const struct config *cf, const struct msg *m,
    const struct verdict *v, const char *actor)
{
	const struct event_cfg	*ev = config_event(cf, v->event_key);
	const char		*why, *state = "decided";
	char			*json;
	int			 r = 0;

	json = verdict_to_json(v, NULL);
	if (db_begin(db) == -1)
		goto fail;
	if (v->intent == INTENT_AUTO)
		why = "auto-generated: recorded, no reply";
	else if ((why = reg_review_reason(v, ev)) != NULL)
		state = "review";
	else if (v->intent == INTENT_REGISTER) {
		why = "registered";
		r = reg_register(db, cf, ev, m, v, actor);
	} else if ((r = reg_cancel(db, cf, ev, m, v, actor)) == 1)
		why = "cancelled";
	else if (r == 0) {
		why = "cancellation: no registration found";
		state = "review";
	}
	if (r == -1 ||
	    msg_set_state(db, m->id, state, intent_name(v->intent),
	    v->event_key, why, json, v->from_addr, v->subject) == -1 ||
	    db_audit(db, actor, state, v->event_key, 0, m->id, why) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	log_info("message uid %u %s: %s: %s", m->uid, m->message_id, state,
	    why);
	free(json);
	return 0;
fail:
	db_rollback(db);
	free(json);
	log_warnx("message uid %u %s: decision failed, rolled back", m->uid,
	    m->message_id);
	return -1;
}

int
reg_foreach(sqlite3 *db, const char *event_key,
    int (*fn)(void *, const struct reg_row *), void *arg)
{
	sqlite3_stmt	*st;
	struct reg_row	 r;
	int		 rc, rv = 0, pos[2] = { 0, 0 };

	st = db_prepare(db, "SELECT id, status, arrival, salutation, title,"
	    " given_name, family_name, function, organisation, email"
	    " FROM registrations WHERE event_key = ? AND status != 'cancelled'"
	    " ORDER BY status != 'confirmed', arrival, arrival_uid,"
	    " arrival_seq, id");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	while (rv == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, 0);
		r.status = (char *)sqlite3_column_text(st, 1);
		r.position = ++pos[strcmp(r.status, "confirmed") != 0];
		r.arrival = (time_t)sqlite3_column_int64(st, 2);
		r.p.salutation = (char *)sqlite3_column_text(st, 3);
		r.p.title = (char *)sqlite3_column_text(st, 4);
		r.p.given_name = (char *)sqlite3_column_text(st, 5);
		r.p.family_name = (char *)sqlite3_column_text(st, 6);
		r.p.function = (char *)sqlite3_column_text(st, 7);
		r.p.organisation = (char *)sqlite3_column_text(st, 8);
		r.p.email = (char *)sqlite3_column_text(st, 9);
		rv = fn(arg, &r);
	}
	sqlite3_finalize(st);
	return rv;
}
