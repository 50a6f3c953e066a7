/*
 * seats.c - the rules for seats and waiting lists (DESIGN §3): who holds
 * which place, who is promoted, who is let in or put on the list.
 *
 * Everything here runs inside the caller's BEGIN IMMEDIATE transaction.
 * The callers: mail_actions.c (a decided mail), reg_staff.c (staff),
 * events.c (the configured events). Replies are built in replyvars.c.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
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

	st = db_stmt(db, "SELECT count(*) FROM registrations"
	    " WHERE event_key = ? AND status = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	db_bind_text(st, 2, status);
	if (db_step(st) == 1)
		n = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

/*
 * The sum over one of the arrival trees of migration 009 (waitlist_tree:
 * people waiting; held_tree: places held by mails in review) for event
 * ?1 and the seconds before ?2: at most 15 buckets per level of 16-ary
 * buckets of seconds, all below at the top level.
 */
#define REG_TREE_SUM(tree) "(SELECT coalesce(sum(w.n), 0) FROM" \
	" (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) l JOIN " tree " w" \
	" ON w.event_key = ?1 AND w.level = l.column1 AND" \
	" w.bucket < (?2 >> (4 * l.column1)) AND w.bucket >= CASE l.column1" \
	" WHEN 7 THEN -9223372036854775807 - 1 ELSE" \
	" (?2 >> (4 * l.column1)) & ~15 END)"

/*
 * Places held by review mails that arrived before (t, uid): the tree for
 * the seconds before t, the index for second t itself.
 */
static int64_t
reg_held_before(sqlite3 *db, const char *event_key, time_t t, int64_t uid)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	st = db_stmt(db, "SELECT " REG_TREE_SUM("held_tree") " + (SELECT"
	    " coalesce(sum(held), 0) FROM messages WHERE event_key = ?1 AND"
	    " state = 'review' AND held > 0 AND internaldate = ?2 AND"
	    " uid < ?3)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	sqlite3_bind_int64(st, 2, (int64_t)t);
	sqlite3_bind_int64(st, 3, uid);
	if (db_step(st) == 1)
		n = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

int64_t
reg_held(sqlite3 *db, const char *event_key)
{
	return reg_held_before(db, event_key, (time_t)INT64_MAX, 0);
}

/*
 * People waiting for the event who stand before (t, uid, seq, id) in the
 * order of the list, without counting the list (a drain would cost
 * O(n^2)): waitlist_tree for the seconds before t, the index for those
 * of second t itself.
 * id 0 counts only those before (t, uid, seq). -1 on error.
 */
static int64_t
reg_waiting_rank(sqlite3 *db, const char *event_key,
    const struct reg_arrival *a, int64_t id)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	st = db_stmt(db, "SELECT " REG_TREE_SUM("waitlist_tree") " + (SELECT"
	    " count(*) FROM registrations WHERE event_key = ?1 AND"
	    " status = 'waitlisted' AND arrival = ?2 AND"
	    " (arrival_uid, arrival_seq, id) < (?3, ?4, ?5))");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	sqlite3_bind_int64(st, 2, (int64_t)a->t);
	sqlite3_bind_int64(st, 3, a->uid);
	sqlite3_bind_int(st, 4, a->seq);
	sqlite3_bind_int64(st, 5, id);
	if (db_step(st) == 1)
		n = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

/* People waiting who arrived before (t, uid, seq). */
static int64_t
reg_waiting_before(sqlite3 *db, const char *event_key,
    const struct reg_arrival *a)
{
	return reg_waiting_rank(db, event_key, a, 0);
}

/* Confirmed seats of one organisation (case-insensitive). */
static int64_t
reg_org_count(sqlite3 *db, const char *event_key, const char *org)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	st = db_stmt(db, "SELECT count(*) FROM registrations WHERE"
	    " event_key = ? AND status = 'confirmed' AND"
	    " lower(organisation) = lower(?)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	db_bind_text(st, 2, org);
	if (db_step(st) == 1)
		n = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

/*
 * The 1-based waiting-list position of a registration, 0 when it is not
 * waiting; -1 on error (never 0: a reply must not say "Platz 0").
 */
int
reg_position(sqlite3 *db, int64_t reg_id)
{
	sqlite3_stmt		*st;
	struct reg_arrival	 a;
	char			*event_key = NULL;
	int64_t			 n;
	int			 r;

	st = db_stmt(db, "SELECT event_key, arrival, arrival_uid,"
	    " arrival_seq FROM registrations WHERE id = ? AND"
	    " status = 'waitlisted'");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, reg_id);
	if ((r = db_step(st)) == 1) {
		event_key = db_column_strdup(st, 0);
		a.t = (time_t)sqlite3_column_int64(st, 1);
		a.uid = sqlite3_column_int64(st, 2);
		a.seq = sqlite3_column_int(st, 3);
	}
	db_done(st);
	if (r != 1)
		return r;	/* 0: not waiting */
	n = reg_waiting_rank(db, event_key, &a, reg_id);
	free(event_key);
	return n < 0 ? -1 : n >= INT_MAX ? INT_MAX : (int)n + 1;
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

	/*
	 * Two lookups on the expression indexes of schema 008, not one OR
	 * that SQLite answers by reading every registration of the event
	 * (O(n) per mail: 4 ms at 10,000). min(id) of none is NULL: 0.
	 */
	st = db_stmt(db, "SELECT min(id) FROM (SELECT id FROM registrations"
	    " WHERE event_key = ?1 AND ?2 != '' AND lower(email) = lower(?2)"
	    " AND status != 'cancelled' AND id != ?6 UNION ALL SELECT id FROM"
	    " registrations WHERE event_key = ?1 AND ?3 != '' AND"
	    " lower(family_name) = lower(?3) AND lower(given_name) ="
	    " lower(?4) AND ?5 != '' AND lower(organisation) = lower(?5)"
	    " AND status != 'cancelled' AND id != ?6)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	db_bind_text(st, 2, p->email ? p->email : "");
	db_bind_text(st, 3, p->family_name ? p->family_name : "");
	db_bind_text(st, 4, p->given_name ? p->given_name : "");
	db_bind_text(st, 5, p->organisation ? p->organisation : "");
	sqlite3_bind_int64(st, 6, except_id);
	switch (db_step(st)) {
	case 1:
		id = sqlite3_column_int64(st, 0);
		break;
	case -1:
		id = -1;
		break;
	}
	db_done(st);
	return id;
}

void
reg_entry_free(struct reg_entry *e)
{
	free(e->event_key);
	free(e->status);
	free(e->reply_to);
	people_clear(&e->p);
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
	if ((st = db_stmt(db, REG_ENTRY_COLUMNS "WHERE id = ?")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		reg_entry_fill(st, e);
	db_done(st);
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
	st = db_stmt(c->db, REG_ENTRY_COLUMNS "WHERE event_key = ?1 AND"
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
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
reg_set_status(sqlite3 *db, int64_t id, const char *status)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_stmt(db, "UPDATE registrations SET status = ?,"
	    " updated = ? WHERE id = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, status);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 3, id);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int64_t
reg_insert(struct reg_ctx *c, const char *status,
    const struct reg_arrival *a, const struct person *p,
    const char *reply_to)
{
	sqlite3_stmt	*st;
	int64_t		 id = -1;
	time_t		 now = time(NULL);

	st = db_stmt(c->db, "INSERT INTO registrations (event_key, status,"
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
	db_done(st);
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
const char *
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

int
reg_arrival_of(sqlite3 *db, int64_t id, struct reg_arrival *a)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_stmt(db, "SELECT arrival, arrival_uid, arrival_seq"
	    " FROM registrations WHERE id = ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a->t = (time_t)sqlite3_column_int64(st, 0);
		a->uid = sqlite3_column_int64(st, 1);
		a->seq = sqlite3_column_int(st, 2);
	}
	db_done(st);
	return rc == SQLITE_ROW ? 0 : -1;
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
		if ((o->position = reg_position(c->db, dup)) < 0)
			return -1;
		o->was_waiting = o->position > 0;
	} else if ((o->kind = reg_choose(c, a, p, &o->per_org)) == NULL)
		return -1;
	if (!strcmp(o->kind, "confirmed") || !strcmp(o->kind, "waitlisted")) {
		if ((o->reg_id = reg_insert(c, o->kind, a, p, reply_to)) < 0)
			return -1;
		if ((o->position = reg_position(c->db, o->reg_id)) < 0)
			return -1;
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

	st = db_stmt(c->db, "UPDATE registrations SET salutation = ?,"
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
	db_done(st);
	if (rc != SQLITE_DONE) {
		log_warnx("registrations: %s", sqlite3_errmsg(c->db));
		return -1;
	}
	return db_audit(c->db, c->actor, "substituted", c->ev->key, e->id,
	    c->msg_id, e->status);
}

int
reg_foreach(sqlite3 *db, const char *event_key,
    int (*fn)(void *, const struct reg_row *), void *arg)
{
	sqlite3_stmt	*st;
	struct reg_row	 r;
	int		 rc, rv = 0, pos[2] = { 0, 0 };

	st = db_stmt(db, "SELECT id, status, arrival, salutation, title,"
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
	db_done(st);
	return rv;
}
