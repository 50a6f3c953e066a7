/*
 * reg.c - the rules for seats and waiting lists (DESIGN §3).
 *
 * Everything here runs inside the caller's BEGIN IMMEDIATE transaction;
 * reg_decide and reg_sync_events open and commit their own. The staff
 * actions are in reg_staff.c and use the same functions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/log.h"
#include "daemon/util.h"
#include "registry/db.h"
#include "registry/gate.h"
#include "registry/outbox.h"
#include "registry/reg_int.h"
#include "templates/mail.h"

#define REG_ORDER	"arrival, arrival_uid, arrival_seq, id"

int64_t
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

/* Runs a count query bound to (event, integer, integer); -1 on error. */
static int64_t
reg_count3(sqlite3 *db, const char *sql, const char *event_key, int64_t a,
    int64_t b)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	sqlite3_bind_int64(st, 2, a);
	sqlite3_bind_int64(st, 3, b);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		log_warnx("registrations: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return n;
}

/* Places held by review mails that arrived before (t, uid). */
static int64_t
reg_held_before(sqlite3 *db, const char *event_key, time_t t, int64_t uid)
{
	return reg_count3(db, "SELECT coalesce(sum(held), 0) FROM messages"
	    " WHERE event_key = ?1 AND state = 'review' AND held > 0 AND"
	    " (internaldate < ?2 OR (internaldate = ?2 AND uid < ?3))",
	    event_key, (int64_t)t, uid);
}

int64_t
reg_held(sqlite3 *db, const char *event_key)
{
	return reg_held_before(db, event_key, (time_t)INT64_MAX, 0);
}

/* People waiting who arrived before (t, uid, seq). */
static int64_t
reg_waiting_before(sqlite3 *db, const char *event_key,
    const struct reg_arrival *a)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	st = db_prepare(db, "SELECT count(*) FROM registrations WHERE"
	    " event_key = ? AND status = 'waitlisted' AND"
	    " (arrival, arrival_uid, arrival_seq) < (?, ?, ?)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	sqlite3_bind_int64(st, 2, (int64_t)a->t);
	sqlite3_bind_int64(st, 3, a->uid);
	sqlite3_bind_int(st, 4, a->seq);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Confirmed seats of one organisation (case-insensitive). */
static int64_t
reg_org_count(sqlite3 *db, const char *event_key, const char *org)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	st = db_prepare(db, "SELECT count(*) FROM registrations WHERE"
	    " event_key = ? AND status = 'confirmed' AND"
	    " lower(organisation) = lower(?)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	db_bind_text(st, 2, org);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The 1-based waiting-list position of a registration. */
int
reg_position(sqlite3 *db, int64_t reg_id)
{
	sqlite3_stmt	*st;
	int		 pos = 0;

	st = db_prepare(db, "SELECT count(*) FROM registrations w,"
	    " registrations r WHERE r.id = ? AND r.status = 'waitlisted'"
	    " AND w.event_key = r.event_key AND w.status = 'waitlisted'"
	    " AND (w.arrival, w.arrival_uid, w.arrival_seq, w.id) <="
	    " (r.arrival, r.arrival_uid, r.arrival_seq, r.id)");
	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, reg_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		pos = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return pos;
}

/*
 * An active registration of this person for the event (same address, or
 * same given + family name and organisation), other than except_id; 0 if
 * none, -1 on error.
 */
int64_t
reg_find_person(sqlite3 *db, const char *event_key, const struct person *p,
    int64_t except_id)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	st = db_prepare(db, "SELECT id FROM registrations WHERE event_key = ?"
	    " AND status != 'cancelled' AND id != ?6 AND ((?2 != '' AND"
	    " lower(email) = lower(?2)) OR (?3 != '' AND lower(family_name) ="
	    " lower(?3) AND lower(given_name) = lower(?4) AND ?5 != ''"
	    " AND lower(organisation) = lower(?5))) ORDER BY id LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	db_bind_text(st, 2, p->email ? p->email : "");
	db_bind_text(st, 3, p->family_name ? p->family_name : "");
	db_bind_text(st, 4, p->given_name ? p->given_name : "");
	db_bind_text(st, 5, p->organisation ? p->organisation : "");
	sqlite3_bind_int64(st, 6, except_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

void
reg_entry_free(struct reg_entry *e)
{
	free(e->event_key);
	free(e->status);
	free(e->reply_to);
	person_clear(&e->p);
	memset(e, 0, sizeof(*e));
}

#define REG_ENTRY_COLUMNS "SELECT id, event_key, status, arrival, reply_to," \
	" salutation, title, given_name, family_name, function," \
	" organisation, email, arrival_uid FROM registrations "

static void
reg_entry_fill(sqlite3_stmt *st, struct reg_entry *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->event_key = db_column_strdup(st, 1);
	e->status = db_column_strdup(st, 2);
	e->arrival = (time_t)sqlite3_column_int64(st, 3);
	e->reply_to = db_column_strdup(st, 4);
	db_column_person(st, 5, &e->p);
}

/* Loads registration id; 1 found, 0 none, -1 error. */
int
reg_entry_load(sqlite3 *db, int64_t id, struct reg_entry *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(e, 0, sizeof(*e));
	if ((st = db_prepare(db, REG_ENTRY_COLUMNS "WHERE id = ?")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		reg_entry_fill(st, e);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The first person waiting who may take a seat: in arrival order, skipping
 * those whose organisation has reached per_organisation.
 */
static int
reg_first_eligible(struct reg_ctx *c, struct reg_entry *e, int64_t *uid)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(e, 0, sizeof(*e));
	st = db_prepare(c->db, REG_ENTRY_COLUMNS "WHERE event_key = ?1 AND"
	    " status = 'waitlisted' AND (?2 = 0 OR organisation = ''"
	    " OR (SELECT count(*) FROM registrations o"
	    " WHERE o.event_key = ?1 AND o.status = 'confirmed' AND"
	    " lower(o.organisation) = lower(registrations.organisation))"
	    " < ?2) ORDER BY " REG_ORDER " LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, c->ev->key);
	sqlite3_bind_int(st, 2, c->ev->per_organisation);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		reg_entry_fill(st, e);
		*uid = sqlite3_column_int64(st, 12);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
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

static void
reg_reply_vars(struct reg_ctx *c, struct tpl_vars *tv, struct reg_outcome *o,
    size_t n)
{
	struct buf	 people = { 0 };
	char		 st[96], pos[16], *name, *reason;
	size_t		 i;
	int		 per_org = 0;

	reg_event_vars(tv, c->cf, c->ev);
	reg_person_vars(tv, o[0].p);
	for (i = 0; i < n; i++) {
		per_org |= o[i].per_org;
		if (n < 2)
			continue;
		name = person_display_name(o[i].p);
		buf_printf(&people, "- %s: %s\n", *name ? name : "(ohne Namen)",
		    reg_status_text(&o[i], st, sizeof(st)));
		free(name);
	}
	tpl_set(tv, "people", people.data);
	buf_free(&people);
	if (o[0].position > 0) {
		snprintf(pos, sizeof(pos), "%d", o[0].position);
		tpl_set(tv, "position", pos);
	}
	tpl_set(tv, "status", reg_status_text(&o[0], st, sizeof(st)));
	if (o[0].old) {
		name = person_display_name(o[0].old);
		tpl_set(tv, "old_name", name);
		free(name);
		name = person_display_name(o[0].p);
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

/*
 * Queues one reply about o[0..n-1] to `to` (and cc), inside the caller's
 * transaction. With REG_NO_REPLY nothing is queued. Without any usable
 * address (phone registrations) nobody can be told: the audit says so.
 */
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
	reg_reply_vars(c, &tv, o, n);
	r.kind = reg_reply_kind(o, n);
	r.to = to;
	r.cc = cc;
	r.in_reply_to = c->in_reply_to && *c->in_reply_to ? c->in_reply_to :
	    NULL;
	r.source_message = c->msg_id;
	r.registration_id = o[0].reg_id;
	r.vars = &tv;
	rv = outbox_queue(c->db, c->cf, &r);
	tpl_vars_free(&tv);
	return rv;
}

/* Tells the person of a stored registration: its sender and itself. */
static int
reg_tell_entry(struct reg_ctx *c, const struct reg_entry *e,
    struct reg_outcome *o)
{
	const char	*to = *e->reply_to ? e->reply_to : e->p.email;

	return reg_reply(c, to, e->p.email, o, 1);
}

static int64_t
reg_insert(struct reg_ctx *c, const char *status,
    const struct reg_arrival *a, const struct person *p,
    const char *reply_to)
{
	sqlite3_stmt	*st;
	int64_t		 id = -1;
	time_t		 now = time(NULL);

	st = db_prepare(c->db, "INSERT INTO registrations (event_key, status,"
	    " arrival, arrival_uid, arrival_seq, salutation, title,"
	    " given_name, family_name, function, organisation, email,"
	    " reply_to, source_message, created, updated)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, c->ev->key);
	db_bind_text(st, 2, status);
	sqlite3_bind_int64(st, 3, (int64_t)a->t);
	sqlite3_bind_int64(st, 4, a->uid);
	sqlite3_bind_int(st, 5, a->seq);
	db_bind_text(st, 6, p->salutation ? p->salutation : "");
	db_bind_text(st, 7, p->title ? p->title : "");
	db_bind_text(st, 8, p->given_name ? p->given_name : "");
	db_bind_text(st, 9, p->family_name ? p->family_name : "");
	db_bind_text(st, 10, p->function ? p->function : "");
	db_bind_text(st, 11, p->organisation ? p->organisation : "");
	db_bind_text(st, 12, p->email ? p->email : "");
	db_bind_text(st, 13, reply_to ? reply_to : "");
	if (c->msg_id > 0)
		sqlite3_bind_int64(st, 14, c->msg_id);
	sqlite3_bind_int64(st, 15, (int64_t)now);
	sqlite3_bind_int64(st, 16, (int64_t)now);
	if (sqlite3_step(st) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(c->db);
	else
		log_warnx("registrations: %s", sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	return id;
}

/* Registration closes at registration_closes (default: the start). */
static int
reg_closed(const struct event_cfg *ev, const struct reg_arrival *a)
{
	time_t	 closes = ev->registration_closes ? ev->registration_closes :
		    ev->starts;

	return a->t >= closes || time(NULL) >= ev->starts;
}

/*
 * Seat, waiting list or full for a new person at arrival a. A seat is free
 * for a while confirmed + places held by earlier review mails < seats and
 * its organisation is under per_organisation. The waiting list counts
 * only who stands before a: those waiting who arrived earlier, and held
 * places that did not fit into the seats.
 */
static const char *
reg_choose(struct reg_ctx *c, const struct reg_arrival *a,
    const struct person *p, int *per_org)
{
	const struct event_cfg *ev = c->ev;
	int64_t		 conf, held, org = 0, waiting, spill;

	if ((conf = reg_count(c->db, ev->key, "confirmed")) < 0 ||
	    (held = reg_held_before(c->db, ev->key, a->t, a->uid)) < 0 ||
	    (waiting = reg_waiting_before(c->db, ev->key, a)) < 0)
		return NULL;
	if (ev->per_organisation > 0 && p->organisation && *p->organisation &&
	    (org = reg_org_count(c->db, ev->key, p->organisation)) < 0)
		return NULL;
	if (conf + held < ev->seats) {
		/* per_organisation is the reason only when a seat is free. */
		*per_org = ev->per_organisation > 0 &&
		    org >= ev->per_organisation;
		if (!*per_org)
			return "confirmed";
	}
	spill = conf + held > ev->seats ? conf + held - ev->seats : 0;
	if (ev->waitlist == 0 || waiting + spill < ev->waitlist)
		return "waitlisted";
	return "full";
}

/* Places one person (one change, audited); the caller replies. */
int
reg_place(struct reg_ctx *c, const struct reg_arrival *a,
    const struct person *p, const char *reply_to, struct reg_outcome *o)
{
	int64_t	 dup;

	memset(o, 0, sizeof(*o));
	o->p = p;
	if (reg_closed(c->ev, a))
		o->kind = "closed";
	else if ((dup = reg_find_person(c->db, c->ev->key, p, 0)) != 0) {
		if (dup < 0)
			return -1;
		o->kind = "already-registered";
		o->reg_id = dup;
		o->position = reg_position(c->db, dup);
		o->was_waiting = o->position > 0;
	} else if ((o->kind = reg_choose(c, a, p, &o->per_org)) == NULL)
		return -1;
	if (!strcmp(o->kind, "confirmed") || !strcmp(o->kind, "waitlisted")) {
		if ((o->reg_id = reg_insert(c, o->kind, a, p, reply_to)) < 0)
			return -1;
		o->position = reg_position(c->db, o->reg_id);
	}
	return db_audit(c->db, c->actor, o->kind, c->ev->key, o->reg_id,
	    c->msg_id, o->per_org ? "per_organisation reached" : "register");
}

/* Confirms a waiting registration and tells its person. */
int
reg_promote_entry(struct reg_ctx *c, const struct reg_entry *e,
    const char *detail)
{
	struct reg_outcome	 o = { 0 };

	o.p = &e->p;
	o.kind = "promoted";
	o.reg_id = e->id;
	if (reg_set_status(c->db, e->id, "confirmed") == -1 ||
	    db_audit(c->db, c->actor, "promoted", c->ev->key, e->id,
	    c->msg_id, detail) == -1)
		return -1;
	return reg_tell_entry(c, e, &o);
}

/*
 * Gives free seats to the first eligible people waiting, in arrival
 * order, until the seats are taken, nobody eligible waits, or the next
 * one arrived after a review mail whose held place covers the seat.
 * A promotion answers no mail: its reply has no In-Reply-To.
 */
int
reg_fill_seats(struct reg_ctx *c)
{
	struct reg_ctx		 pc = *c;
	struct reg_entry	 e;
	int64_t			 conf, held, uid = 0;
	int			 r;

	pc.in_reply_to = NULL;
	for (;;) {
		if ((conf = reg_count(c->db, c->ev->key, "confirmed")) < 0)
			return -1;
		if (conf >= c->ev->seats)
			return 0;
		if ((r = reg_first_eligible(&pc, &e, &uid)) <= 0)
			return r;
		held = reg_held_before(c->db, c->ev->key, e.arrival, uid);
		if (held < 0 || conf + held >= c->ev->seats) {
			reg_entry_free(&e);
			return held < 0 ? -1 : 0;
		}
		r = reg_promote_entry(&pc, &e, "seat freed");
		reg_entry_free(&e);
		if (r == -1)
			return -1;
	}
}

/* Cancels one registration (audited); the caller replies and refills. */
int
reg_cancel_entry(struct reg_ctx *c, const struct reg_entry *e,
    const char *detail)
{
	char	*d;
	int	 rv;

	if (reg_set_status(c->db, e->id, "cancelled") == -1)
		return -1;
	d = xasprintf("was %s: %s", e->status, detail);
	rv = db_audit(c->db, c->actor, "cancelled", c->ev->key, e->id,
	    c->msg_id, d);
	free(d);
	return rv;
}

/* Writes the new person into the registration (audited). */
int
reg_substitute_entry(struct reg_ctx *c, const struct reg_entry *e,
    const struct person *np, const char *reply_to)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_prepare(c->db, "UPDATE registrations SET salutation = ?,"
	    " title = ?, given_name = ?, family_name = ?, function = ?,"
	    " organisation = ?, email = ?, reply_to = ?, updated = ?"
	    " WHERE id = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, np->salutation ? np->salutation : "");
	db_bind_text(st, 2, np->title ? np->title : "");
	db_bind_text(st, 3, np->given_name ? np->given_name : "");
	db_bind_text(st, 4, np->family_name ? np->family_name : "");
	db_bind_text(st, 5, np->function ? np->function : "");
	db_bind_text(st, 6, np->organisation ? np->organisation : "");
	db_bind_text(st, 7, np->email ? np->email : "");
	/* Later news (promotion) goes to the new person, else the sender. */
	if (mail_addr_valid(np->email))
		reply_to = np->email;
	db_bind_text(st, 8, reply_to ? reply_to : e->reply_to);
	sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 10, e->id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_warnx("registrations: %s", sqlite3_errmsg(c->db));
		return -1;
	}
	return db_audit(c->db, c->actor, "substituted", c->ev->key, e->id,
	    c->msg_id, e->status);
}

/* Places each person of a registration mail in the order written. */
static int
reg_register_mail(struct reg_ctx *c, const struct msg *m,
    const struct verdict *v)
{
	struct reg_outcome	*o;
	struct reg_arrival	 a;
	size_t			 i;
	int			 rv = -1;

	o = xcalloc(v->npeople, sizeof(*o));
	a.t = m->internaldate;
	a.uid = m->uid;
	for (i = 0; i < v->npeople; i++) {
		a.seq = (int)i;
		if (reg_place(c, &a, &v->people[i], v->reply_to, &o[i]) == -1)
			goto out;
	}
	rv = reg_reply(c, v->reply_to, v->cc, o, v->npeople);
	if (c->first)
		*c->first = o[0];
out:
	free(o);
	return rv;
}

/* The active registration of the sender (From, then Reply-To), or 0. */
static int64_t
reg_find_sender(struct reg_ctx *c, const struct verdict *v)
{
	struct person	 s = { 0 };
	int64_t		 id = 0;

	s.family_name = s.given_name = s.organisation = "";
	if (v->from_addr && *v->from_addr) {
		s.email = v->from_addr;
		if ((id = reg_find_person(c->db, c->ev->key, &s, 0)) != 0)
			return id;
	}
	if (v->reply_to && *v->reply_to) {
		s.email = v->reply_to;
		id = reg_find_person(c->db, c->ev->key, &s, 0);
	}
	return id;
}

/* Loads and cancels registration id into e / o; -1 on error. */
static int
reg_cancel_one(struct reg_ctx *c, int64_t id, struct reg_entry *e,
    struct reg_outcome *o)
{
	if (reg_entry_load(c->db, id, e) != 1 ||
	    reg_cancel_entry(c, e, "cancellation by mail") == -1)
		return -1;
	o->kind = "cancelled";
	o->reg_id = id;
	return 0;
}

/*
 * Cancels every person named in the mail who is registered, else the
 * sender's registration. Returns 1 if anything was cancelled, 0 if
 * nothing matched (the mail goes to staff), -1 on error.
 */
static int
reg_cancel_mail(struct reg_ctx *c, const struct verdict *v)
{
	struct reg_outcome	*o;
	struct reg_entry	*e;
	size_t			 i, n = v->npeople ? v->npeople : 1;
	int64_t			 id;
	int			 found = 0, rv = -1;

	o = xcalloc(n, sizeof(*o));
	e = xcalloc(n, sizeof(*e));
	for (i = 0; i < v->npeople; i++) {
		o[i].p = &v->people[i];
		o[i].kind = "not-found";
		if ((id = reg_find_person(c->db, c->ev->key, o[i].p, 0)) < 0 ||
		    (id > 0 && reg_cancel_one(c, id, &e[i], &o[i]) == -1))
			goto out;
		found += id > 0;
	}
	if (found == 0) {
		if ((id = reg_find_sender(c, v)) < 0 ||
		    (id > 0 && reg_cancel_one(c, id, &e[0], &o[0]) == -1))
			goto out;
		o[0].p = &e[0].p;
		n = 1;
		found = id > 0;
	}
	rv = found ? reg_reply(c, v->reply_to, v->cc, o, n) : 0;
	if (c->first) {
		*c->first = o[0];
		c->first->p = NULL;	/* points into e[], freed below */
	}
	if (rv == 0 && found)
		rv = reg_fill_seats(c) == 0 ? 1 : -1;
out:
	for (i = 0; i < n; i++)
		reg_entry_free(&e[i]);
	free(e);
	free(o);
	return rv;
}

/*
 * Tells both: the old person (and the sender, who asked) and the new one,
 * who did not write the mail and so gets no In-Reply-To.
 */
static int
reg_substitute_tell(struct reg_ctx *c, const struct reg_entry *old,
    const struct person *np, const char *sender)
{
	struct reg_ctx		 nc = *c;
	struct reg_outcome	 o = { 0 };
	const char		*to;

	o.kind = "substituted";
	o.reg_id = old->id;
	o.p = &old->p;
	o.old = &old->p;
	to = mail_addr_valid(old->p.email) ? old->p.email : old->reply_to;
	if (sender == NULL || !mail_addr_valid(sender))
		sender = NULL;
	if (reg_reply(c, to, sender ? sender : old->reply_to, &o, 1) == -1)
		return -1;
	o.p = np;
	if (!mail_addr_valid(np->email) || !util_strcasecmp(np->email, to) ||
	    (sender && !util_strcasecmp(np->email, sender)))
		return 0;	/* told by the first reply already */
	nc.in_reply_to = NULL;
	return reg_reply(&nc, np->email, NULL, &o, 1);
}

/*
 * Substitution: the registration of old (or of the sender) now belongs to
 * np, with the same status and place. 1 done, 0 not possible (why), -1.
 */
int
reg_substitute_do(struct reg_ctx *c, int64_t id, const struct person *np,
    const char *sender, const char **why)
{
	struct reg_entry	 e;
	int64_t			 dup;
	int			 rv = -1;

	if (id == 0) {
		*why = "substitution: no registration of the old person";
		return 0;
	}
	if ((dup = reg_find_person(c->db, c->ev->key, np, id)) != 0) {
		*why = "substitution: the new person is already registered";
		return dup < 0 ? -1 : 0;
	}
	if (reg_entry_load(c->db, id, &e) != 1)
		return -1;
	if (c->first) {
		c->first->kind = "substituted";
		c->first->reg_id = id;
	}
	if (reg_substitute_entry(c, &e, np, sender) == 0 &&
	    reg_substitute_tell(c, &e, np, sender) == 0 &&
	    reg_fill_seats(c) == 0)
		rv = 1;
	reg_entry_free(&e);
	*why = "substituted";
	return rv;
}

static int
reg_substitute_mail(struct reg_ctx *c, const struct verdict *v,
    const char **why)
{
	int64_t	 id;

	if ((id = reg_find_person(c->db, c->ev->key, &v->people[0], 0)) == 0)
		id = reg_find_sender(c, v);
	if (id < 0)
		return -1;
	return reg_substitute_do(c, id, &v->people[1], v->reply_to, why);
}

/*
 * Acts on a verdict whose event, people and reply address are known.
 * Returns 1 done, 0 nothing applicable (*why says why: to staff), -1.
 */
int
reg_act(struct reg_ctx *c, const struct msg *m, const struct verdict *v,
    const char **why)
{
	int	 r;

	switch (v->intent) {
	case INTENT_REGISTER:
		*why = "registered";
		return reg_register_mail(c, m, v) == 0 ? 1 : -1;
	case INTENT_CANCEL:
		if ((r = reg_cancel_mail(c, v)) == 0)
			*why = "cancellation: no registration found";
		else
			*why = "cancelled";
		return r;
	case INTENT_SUBSTITUTE:
		return reg_substitute_mail(c, v, why);
	default:
		*why = "not a registration, cancellation or substitution";
		return 0;
	}
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
	if (!v->reply_allowed || v->reply_to == NULL ||
	    !mail_addr_valid(v->reply_to))
		return "no reply address";
	if (v->intent == INTENT_REGISTER && v->npeople == 0)
		return "no participant found";
	if (v->intent == INTENT_SUBSTITUTE && v->npeople < 2)
		return "substitution: old and new person not both found";
	return NULL;
}

/* Places a review mail holds in its event's queue (see reg.h). */
static int
reg_hold_of(const struct verdict *v, const struct event_cfg *ev)
{
	if (ev == NULL || v->intent != INTENT_REGISTER)
		return 0;
	return v->npeople > 1 ? (int)v->npeople : 1;
}

/* Records the message's new state, its held places and the verdict. */
int
reg_finish_msg(struct reg_ctx *c, const struct msg *m,
    const struct verdict *v, const char *state, const char *why, int held)
{
	char	*json, *enc;
	size_t	 len;
	int	 rv;

	json = verdict_to_json(v, NULL);
	enc = verdict_encode(v, &len);
	rv = msg_set_state(c->db, m->id, state, intent_name(v->intent),
	    v->event_key, why, json, v->from_addr, v->subject);
	if (rv == 0)
		rv = msg_set_hold(c->db, m->id, held, enc, len);
	if (rv == 0)
		rv = db_audit(c->db, c->actor, state, v->event_key, 0, m->id,
		    why);
	free(json);
	free(enc);
	return rv;
}

int
reg_decide(sqlite3 *db, const struct config *cf, const struct msg *m,
    const struct verdict *v, const char *actor)
{
	struct reg_ctx	 c = { .db = db, .cf = cf, .actor = actor,
			     .msg_id = m->id, .in_reply_to = m->message_id };
	const char	*why, *state = "decided";
	char		 gate_why[256];
	int		 r = 1, held = 0;

	c.ev = config_event(cf, v->event_key);
	if (db_begin(db) == -1)
		goto fail;
	if (v->intent == INTENT_AUTO)
		why = "auto-generated: recorded, no reply";
	else if ((why = reg_review_reason(v, c.ev)) != NULL ||
	    !gate_check(db, cf, m, v, gate_why, sizeof(gate_why))) {
		why = why ? why : gate_why;	/* authentication, rate limits */
		state = "review";
		held = reg_hold_of(v, c.ev);
	} else if ((r = reg_act(&c, m, v, &why)) == 0)
		state = "review";
	if (r != -1 && !strcmp(state, "review") &&
	    gate_ack_review(db, cf, m, v) == -1)
		r = -1;
	if (r == -1 || reg_finish_msg(&c, m, v, state, why, held) == -1 ||
	    db_commit(db) == -1)
		goto fail;
	log_info("message uid %u %s: %s: %s", m->uid, m->message_id, state,
	    why);
	return 0;
fail:
	db_rollback(db);
	log_warnx("message uid %u %s: decision failed, rolled back", m->uid,
	    m->message_id);
	return -1;
}

/* Marks an event gone from the config; its history stays. */
static int
reg_sync_retire(sqlite3 *db, const char *key)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_prepare(db, "UPDATE events SET retired = 1 WHERE key = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Events in the database but no longer in the config: retired when
 * nobody is registered, else refused. Returns the number of refusals.
 */
static int
reg_sync_removed(sqlite3 *db, const struct config *cf)
{
	sqlite3_stmt	*st;
	char		**gone = NULL;
	const char	*key;
	int64_t		 n;
	size_t		 ngone = 0, i;
	int		 bad = 0;

	st = db_prepare(db, "SELECT e.key, (SELECT count(*) FROM"
	    " registrations r WHERE r.event_key = e.key AND r.status !="
	    " 'cancelled') FROM events e WHERE e.retired = 0");
	if (st == NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		key = (const char *)sqlite3_column_text(st, 0);
		n = sqlite3_column_int64(st, 1);
		if (config_event(cf, key) != NULL)
			continue;
		if (n == 0) {
			gone = xreallocarray(gone, ngone + 1, sizeof(*gone));
			gone[ngone++] = xstrdup(key);
			continue;
		}
		log_warnx("%s: event \"%s\" is no longer configured but has "
		    "%lld active registrations; nothing was changed: cancel "
		    "them first or put the [event %s] section back", cf->path,
		    key, (long long)n, key);
		bad++;
	}
	sqlite3_finalize(st);
	for (i = 0; i < ngone; i++) {
		if (bad == 0 && reg_sync_retire(db, gone[i]) == -1)
			bad = -1;
		free(gone[i]);
	}
	free(gone);
	return bad;
}

/* Seats below the confirmed count are refused; returns the refusals. */
static int
reg_sync_shrunk(sqlite3 *db, const struct config *cf)
{
	const struct event_cfg	*ev;
	int64_t			 conf;
	size_t			 i;
	int			 bad = 0;

	for (i = 0; i < cf->nevents; i++) {
		ev = &cf->events[i];
		if ((conf = reg_count(db, ev->key, "confirmed")) < 0)
			return -1;
		if (conf <= ev->seats)
			continue;
		log_warnx("%s: [event %s] seats = %d is below the %lld "
		    "confirmed registrations; nothing was changed: cancel "
		    "registrations first or set seats >= %lld", cf->path,
		    ev->key, ev->seats, (long long)conf, (long long)conf);
		bad++;
	}
	return bad;
}

static int
reg_sync_upsert(sqlite3 *db, const struct event_cfg *ev, sqlite3_stmt *st)
{
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
		return -1;
	}
	return 0;
}

static int
reg_sync_write(sqlite3 *db, const struct config *cf)
{
	sqlite3_stmt	*st;
	struct reg_ctx	 c = { .db = db, .cf = cf, .actor = "config" };
	size_t		 i;
	int		 rv = 0;

	st = db_prepare(db, "INSERT INTO events (key, title, starts, ends,"
	    " location, seats, waitlist, per_organisation,"
	    " registration_closes, review_all) VALUES (?,?,?,?,?,?,?,?,?,?)"
	    " ON CONFLICT (key) DO UPDATE SET title = excluded.title,"
	    " starts = excluded.starts, ends = excluded.ends,"
	    " location = excluded.location, seats = excluded.seats,"
	    " waitlist = excluded.waitlist,"
	    " per_organisation = excluded.per_organisation,"
	    " registration_closes = excluded.registration_closes,"
	    " review_all = excluded.review_all, retired = 0");
	if (st == NULL)
		return -1;
	for (i = 0; rv == 0 && i < cf->nevents; i++)
		rv = reg_sync_upsert(db, &cf->events[i], st);
	sqlite3_finalize(st);
	/* Raised seats (or a lower per_organisation's twin) promote. */
	for (i = 0; rv == 0 && i < cf->nevents; i++) {
		c.ev = &cf->events[i];
		rv = reg_fill_seats(&c);
	}
	return rv;
}

int
reg_sync_events(sqlite3 *db, const struct config *cf)
{
	int	 bad;

	if (db_begin(db) == -1)
		return -1;
	if ((bad = reg_sync_removed(db, cf)) == 0)
		bad = reg_sync_shrunk(db, cf);
	if (bad != 0 || reg_sync_write(db, cf) == -1) {
		db_rollback(db);
		log_warnx("%s: events not synchronised; the database keeps "
		    "the previous event settings", cf->path);
		return -1;
	}
	return db_commit(db);
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
	    " ORDER BY status != 'confirmed', " REG_ORDER);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	while (rv == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, 0);
		r.status = (char *)sqlite3_column_text(st, 1);
		r.position = ++pos[strcmp(r.status, "confirmed") != 0];
		r.arrival = (time_t)sqlite3_column_int64(st, 2);
		db_column_person_view(st, 3, &r.p);
		rv = fn(arg, &r);
	}
	sqlite3_finalize(st);
	return rv;
}
