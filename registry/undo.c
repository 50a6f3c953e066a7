/*
 * undo.c - taking back (undo.h): reopen a decided mail, withdraw a reply
 * not yet sent, undo one audit row. Every path keeps the seat rule of
 * held places: what is taken back is placed again by its own arrival, and
 * a seat given meanwhile to a later arrival stays theirs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/reg_int.h"
#include "registry/undo.h"
#include "templates/mail.h"

/* One audit row as stored; strings owned. */
struct undo_row {
	int64_t	 id;
	char	*actor;
	char	*action;
	char	*event_key;
	int64_t	 reg_id;
	int64_t	 msg_id;
	char	*detail;
	int	 undone;
};

static void
undo_row_free(struct undo_row *u)
{
	free(u->actor);
	free(u->action);
	free(u->event_key);
	free(u->detail);
	memset(u, 0, sizeof(*u));
}

/* Loads audit row id: 1, 0 none, -1. */
static int
undo_row_load(sqlite3 *db, int64_t id, struct undo_row *u)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(u, 0, sizeof(*u));
	st = db_prepare(db, "SELECT a.id, a.actor, a.action, a.event_key,"
	    " coalesce(a.registration_id, 0), coalesce(a.source_message, 0),"
	    " a.detail, u.audit_id IS NOT NULL FROM audit a"
	    " LEFT JOIN audit_undone u ON u.audit_id = a.id WHERE a.id = ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		u->id = sqlite3_column_int64(st, 0);
		u->actor = db_column_strdup(st, 1);
		u->action = db_column_strdup(st, 2);
		u->event_key = db_column_strdup(st, 3);
		u->reg_id = sqlite3_column_int64(st, 4);
		u->msg_id = sqlite3_column_int64(st, 5);
		u->detail = db_column_strdup(st, 6);
		u->undone = sqlite3_column_int(st, 7);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Runs sql bound to one integer; rows changed, or -1. */
static int
undo_exec_id(sqlite3 *db, const char *sql, int64_t id, const char *actor)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	/* ?2 actor, ?3 now: bound where the statement has them */
	if (actor && sqlite3_bind_parameter_count(st) >= 3) {
		db_bind_text(st, 2, actor);
		sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_warnx("undo: %s", sqlite3_errmsg(db));
		return -1;
	}
	return sqlite3_changes(db);
}

/*
 * Withdraws the pending outbox rows matching cond (an SQL condition on
 * outbox with ?1 = id): recorded in outbox_withdrawn, then deleted.
 * Returns how many, or -1.
 */
static int
undo_withdraw_where(sqlite3 *db, const char *cond, int64_t id,
    const char *actor)
{
	char	*ins, *del;
	int	 n = -1;

	ins = xasprintf("INSERT INTO outbox_withdrawn (outbox_id, message_id,"
	    " kind, rcpt, source_message, registration_id, created,"
	    " withdrawn_at, actor) SELECT id, message_id, kind, rcpt,"
	    " source_message, registration_id, created, ?3, ?2 FROM outbox"
	    " WHERE state = 'pending' AND (%s)", cond);
	del = xasprintf("DELETE FROM outbox WHERE state = 'pending' AND (%s)",
	    cond);
	if (undo_exec_id(db, ins, id, actor) >= 0)
		n = undo_exec_id(db, del, id, actor);
	free(ins);
	free(del);
	return n;
}

int
undo_withdraw(sqlite3 *db, const struct config *cf, int64_t outbox_id,
    const char *actor, struct reg_result *res)
{
	struct reg_ctx	 c;
	char		 d[64];
	int64_t		 pending;
	int		 n = -1;

	if (reg_staff_begin(&c, db, cf, NULL, 0, actor, res) == -1)
		return -1;
	pending = db_query_int_id(db, "SELECT state = 'pending' FROM"
	    " outbox WHERE id = ?", outbox_id, -2);
	if (pending == -2)
		reg_staff_err(res, 1, "nicht im Postausgang (schon "
		    "zurückgezogen?)");
	else if (pending == 0)
		reg_staff_err(res, 1, "nicht mehr wartend (gesendet oder "
		    "gescheitert)");
	else if (pending == 1 && (n = undo_withdraw_where(db, "message_id ="
	    " (SELECT message_id FROM outbox WHERE id = ?1)", outbox_id,
	    actor)) > 0) {
		snprintf(d, sizeof(d), "outbox %lld: %d rows",
		    (long long)outbox_id, n);
		if (db_audit(db, actor, "withdrawn", NULL, 0, 0, d) == -1)
			n = -1;
		snprintf(res->kind, sizeof(res->kind), "withdrawn");
		res->position = n;
	}
	return reg_staff_end(&c, n > 0 ? 0 : -1, res);
}

/* Cancels the active registrations of message id (no letter). */
static int
undo_take_back_regs(struct reg_ctx *c, int64_t msg_id, int *n)
{
	sqlite3_stmt	*st;
	struct reg_entry e;
	int64_t		*ids = NULL;
	size_t		 nids = 0, i;
	int		 rc, rv = 0;

	st = db_prepare(c->db, "SELECT id FROM registrations WHERE"
	    " source_message = ? AND status != 'cancelled' ORDER BY id");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, msg_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ids = xreallocarray(ids, nids + 1, sizeof(*ids));
		ids[nids++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		rv = -1;
	for (i = 0; rv == 0 && i < nids; i++) {
		if (reg_entry_load(c->db, ids[i], &e) != 1)
			rv = -1;
		else {
			rv = reg_cancel_entry(c, &e,
			    "taken back: mail reopened");
			reg_entry_free(&e);
		}
	}
	free(ids);
	*n = (int)nids;
	return rv;
}

/* Places the mail would hold in review (see reg.h). */
static int
undo_hold_of(sqlite3 *db, int64_t msg_id, const struct event_cfg **ev,
    const struct config *cf)
{
	struct verdict	*v = msg_verdict(db, msg_id);
	int		 held = 0;

	*ev = v ? config_event(cf, v->event_key) : NULL;
	if (v && *ev && v->intent == INTENT_REGISTER)
		held = v->npeople > 1 ? (int)v->npeople : 1;
	verdict_free(v);
	return held;
}

/* Why decided message m cannot be reopened, or NULL. */
static const char *
undo_reopen_refused(sqlite3 *db, const struct msg *m, int64_t *n)
{
	if (strcmp(m->state, "decided") != 0)
		return "ist nicht entschieden";
	*n = db_query_int_id(db, "SELECT count(*) FROM audit WHERE"
	    " source_message = ?1 AND (action = 'substituted' OR (action ="
	    " 'cancelled' AND detail LIKE '%cancellation by mail'))", m->id,
	    0);
	if (*n > 0)
		return "hat jemanden abgemeldet oder umgeschrieben; bitte "
		    "diese Änderung im Protokoll rückgängig machen";
	return NULL;
}

/* Reopens message msg_id inside c's transaction. 0, or -1 (res). */
static int
undo_reopen_do(struct reg_ctx *c, int64_t msg_id, struct reg_result *res)
{
	struct msg	 m;
	const char	*why;
	char		 d[128];
	int64_t		 n = 0;
	int		 r, regs = 0, wd, held, rv = -1;

	if ((r = msg_load(c->db, msg_id, &m)) != 1)
		return r == 0 ? reg_staff_err(res, 1, "keine Nachricht %lld",
		    (long long)msg_id) : -1;
	held = undo_hold_of(c->db, m.id, &c->ev, c->cf);
	if ((why = undo_reopen_refused(c->db, &m, &n)) == NULL &&
	    c->ev == NULL && (n = db_query_int_id(c->db, "SELECT count(*)"
	    " FROM registrations WHERE source_message = ?1 AND status !="
	    " 'cancelled'", m.id, 0)) != 0)
		why = "gehört zu einer Veranstaltung, die nicht mehr in der "
		    "Konfiguration steht";
	if (why != NULL) {
		if (n >= 0)
			reg_staff_err(res, 1, "Nachricht %lld %s",
			    (long long)m.id, why);
	} else if (undo_take_back_regs(c, m.id, &regs) == 0 &&
	    (wd = undo_withdraw_where(c->db, "source_message = ?1", m.id,
	    c->actor)) >= 0 &&
	    undo_exec_id(c->db, "UPDATE messages SET state = 'review',"
	    " reason = 'reopened by staff' WHERE id = ?1", m.id, NULL) == 1 &&
	    msg_set_hold(c->db, m.id, held, NULL, 0) == 0 &&
	    (c->ev == NULL || reg_fill_seats(c) == 0)) {
		snprintf(d, sizeof(d), "registrations taken back: %d, replies"
		    " withdrawn: %d", regs, wd);
		rv = db_audit(c->db, c->actor, "reopened", c->ev ? c->ev->key :
		    NULL, 0, m.id, d);
		snprintf(res->kind, sizeof(res->kind), "reopened");
	}
	msg_free(&m);
	return rv;
}

int
undo_reopen(sqlite3 *db, const struct config *cf, int64_t msg_id,
    const char *actor, struct reg_result *res)
{
	struct reg_ctx	 c;

	if (reg_staff_begin(&c, db, cf, NULL, 0, actor, res) == -1)
		return -1;
	return reg_staff_end(&c, undo_reopen_do(&c, msg_id, res), res);
}

/* Whether a reply about registration id went out (or is being tried). */
static int64_t
undo_told(sqlite3 *db, int64_t id, const char *kind)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	st = db_prepare(db, "SELECT count(*) FROM outbox WHERE"
	    " registration_id = ? AND (? IS NULL OR kind = ?2)");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, kind);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * Undo of a staff booking (add, companion): cancels registration id,
 * withdraws what was not sent; who was told already hears "cancelled".
 */
static int
undo_booking(struct reg_ctx *c, int64_t id, struct reg_result *res)
{
	struct reg_outcome	 o = { 0 };
	struct reg_entry	 e;
	int64_t			 told;
	int			 rv = -1;

	if (reg_staff_find(c, id, NULL, &e, res) != 1)
		return -1;
	o.p = &e.p;
	o.kind = "cancelled";
	o.reg_id = e.id;
	if (undo_withdraw_where(c->db, "registration_id = ?1", e.id,
	    c->actor) >= 0 && (told = undo_told(c->db, e.id, NULL)) >= 0 &&
	    reg_cancel_entry(c, &e, "taken back (undo)") == 0 &&
	    (told == 0 || reg_tell_entry(c, &e, &o) == 0) &&
	    reg_fill_seats(c) == 0) {
		res->reg_id = e.id;
		rv = 0;
	}
	reg_entry_free(&e);
	return rv;
}

/* Status before a staff cancellation, from its detail "was X: ...". */
static const char *
undo_was(const char *detail)
{
	if (detail == NULL)
		return NULL;
	if (!strncmp(detail, "was confirmed: cancelled by staff", 33))
		return "confirmed";
	if (!strncmp(detail, "was waitlisted: cancelled by staff", 34))
		return "waitlisted";
	return NULL;
}

/* Places cancelled e again by its own arrival; o says where. */
static int
undo_replace(struct reg_ctx *c, const struct reg_entry *e,
    struct reg_outcome *o, struct reg_result *res)
{
	struct reg_arrival	 a;
	int64_t			 dup;

	memset(o, 0, sizeof(*o));
	o->p = &e->p;
	o->reg_id = e->id;
	if ((dup = reg_find_person(c->db, c->ev->key, &e->p, e->id)) != 0)
		return dup < 0 ? -1 : reg_staff_err(res, 1, "diese Person ist "
		    "inzwischen wieder angemeldet (Anmeldung %lld)",
		    (long long)dup);
	if (reg_arrival_of(c->db, e->id, &a) == -1 ||
	    (o->kind = reg_choose(c, &a, &e->p, &o->per_org)) == NULL)
		return -1;
	if (!strcmp(o->kind, "full"))
		return reg_staff_err(res, 1, "kein Platz mehr, auch nicht auf "
		    "der Warteliste");
	if (reg_set_status(c->db, e->id, o->kind) == -1)
		return -1;
	o->position = reg_position(c->db, e->id);
	return db_audit(c->db, c->actor, o->kind, c->ev->key, e->id, 0,
	    "reinstated (undo of a cancellation)");
}

/*
 * Undo of a staff cancellation: the registration is placed again by its
 * arrival. Its unsent cancellation letter is withdrawn; the person is
 * told only if that letter went out or the place differs from before.
 */
static int
undo_cancellation(struct reg_ctx *c, const struct undo_row *u,
    struct reg_result *res)
{
	struct reg_outcome	 o;
	struct reg_entry	 e;
	const char		*was = undo_was(u->detail);
	int			 r, wd, rv = -1;

	if ((r = reg_entry_load(c->db, u->reg_id, &e)) != 1)
		return r == 0 ? reg_staff_err(res, 1, "die Anmeldung gibt es "
		    "nicht mehr") : -1;
	if (strcmp(e.status, "cancelled") != 0)
		reg_staff_err(res, 1, "Anmeldung %lld ist nicht mehr "
		    "abgemeldet", (long long)e.id);
	else if (undo_replace(c, &e, &o, res) == 0 &&
	    (wd = undo_withdraw_where(c->db, "registration_id = ?1 AND"
	    " kind = 'cancelled'", e.id, c->actor)) >= 0 &&
	    ((wd > 0 && was && !strcmp(was, o.kind)) ||
	    reg_tell_entry(c, &e, &o) == 0)) {
		reg_staff_result(res, &o);
		rv = 0;
	}
	reg_entry_free(&e);
	return rv;
}

/* The fields kept before edit audit_id (reg_prev): 1, 0 none, -1. */
static int
undo_prev_load(sqlite3 *db, int64_t audit_id, struct person *p,
    char **reply_to)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_prepare(db, "SELECT salutation, title, given_name,"
	    " family_name, function, organisation, email, reply_to FROM"
	    " reg_prev WHERE audit_id = ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, audit_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		db_column_person(st, 0, p);
		*reply_to = db_column_strdup(st, 7);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Undo of an edit: the fields kept in reg_prev come back. */
static int
undo_edit(struct reg_ctx *c, const struct undo_row *u,
    struct reg_result *res)
{
	struct person	 p;
	char		*reply_to = NULL;
	int64_t		 later, dup;
	int		 r, rv = -1;

	later = db_query_int_id(c->db, "SELECT count(*) FROM audit a WHERE"
	    " a.registration_id = (SELECT registration_id FROM audit WHERE"
	    " id = ?1) AND a.id > ?1 AND a.action = 'edited' AND a.id NOT IN"
	    " (SELECT audit_id FROM audit_undone)", u->id, 0);
	if (later != 0)
		return later < 0 ? -1 : reg_staff_err(res, 1, "die Anmeldung "
		    "wurde danach noch einmal bearbeitet: zuerst diese "
		    "Änderung rückgängig machen");
	if ((r = undo_prev_load(c->db, u->id, &p, &reply_to)) != 1)
		return r == 0 ? reg_staff_err(res, 1, "die alten Angaben sind "
		    "nicht mehr gespeichert (gelöscht?)") : -1;
	if ((dup = reg_find_person(c->db, c->ev->key, &p, u->reg_id)) > 0)
		reg_staff_err(res, 1, "mit den alten Angaben wäre die Person "
		    "doppelt angemeldet");
	else if (dup == 0 && edit_store(c->db, u->reg_id, &p, reply_to) == 0
	    && db_audit(c->db, c->actor, "restored", c->ev->key, u->reg_id,
	    0, "undo of an edit") == 0) {
		res->reg_id = u->reg_id;
		rv = 0;
	}
	people_clear(&p);
	free(reply_to);
	return rv;
}

/* What undo_audit does with row u: 'r'eopen, 'b'ooking, 'c'ancel, 'e'dit,
 * or 0 (cannot be undone). */
static int
undo_kind(const struct undo_row *u)
{
	if (u->undone)
		return 0;
	if (!strcmp(u->action, "decided") && u->msg_id > 0)
		return 'r';
	if (!strcmp(u->action, "confirmed") || !strcmp(u->action,
	    "waitlisted"))
		return u->msg_id > 0 ? 'r' : u->reg_id > 0 &&
		    strcmp(u->actor, "daemon") && strcmp(u->actor, "config") &&
		    (u->detail == NULL || strncmp(u->detail, "reinstated", 10))
		    ? 'b' : 0;
	if (!strcmp(u->action, "cancelled") && u->reg_id > 0 &&
	    undo_was(u->detail) != NULL)
		return 'c';
	if (!strcmp(u->action, "edited") && u->reg_id > 0)
		return 'e';
	return 0;
}

/*
 * 1 if row u is the one that stands for its mail's decision: the newest
 * "decided" row of a mail that is decided now (its placement rows would
 * only reopen the same mail again), 0 if not, -1 on a database error.
 */
static int
undo_is_decision(sqlite3 *db, const struct undo_row *u)
{
	sqlite3_stmt	*st;
	int		 rc, r = 0;

	if (strcmp(u->action, "decided") != 0)
		return 0;
	st = db_prepare(db, "SELECT (SELECT max(id) FROM audit WHERE"
	    " source_message = ?1 AND action = 'decided') = ?2 AND"
	    " (SELECT state FROM messages WHERE id = ?1) = 'decided'");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, u->msg_id);
	sqlite3_bind_int64(st, 2, u->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		r = sqlite3_column_int(st, 0) == 1;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? r : -1;
}

int
undo_possible(sqlite3 *db, int64_t audit_id)
{
	struct undo_row	 u;
	int		 r, k;

	if ((r = undo_row_load(db, audit_id, &u)) != 1)
		return r;
	k = undo_kind(&u);
	r = k == 'r' ? undo_is_decision(db, &u) : k != 0;
	undo_row_free(&u);
	return r;
}

/* Does the undo of row u (kind k) inside c's transaction. */
static int
undo_do(struct reg_ctx *c, const struct undo_row *u, int k,
    struct reg_result *res)
{
	if (k == 'r')
		return undo_reopen_do(c, u->msg_id, res);
	if ((c->ev = config_event(c->cf, u->event_key)) == NULL)
		return reg_staff_err(res, 1, "die Veranstaltung \"%s\" steht "
		    "nicht mehr in der Konfiguration", u->event_key);
	if (k == 'b')
		return undo_booking(c, u->reg_id, res);
	if (k == 'c')
		return undo_cancellation(c, u, res);
	return undo_edit(c, u, res);
}

int
undo_audit(sqlite3 *db, const struct config *cf, int64_t audit_id,
    int flags, const char *actor, struct reg_result *res)
{
	struct reg_ctx	 c;
	struct undo_row	 u;
	char		 d[48];
	int		 r, k, rv = -1;

	if (reg_staff_begin(&c, db, cf, NULL, flags, actor, res) == -1)
		return -1;
	if ((r = undo_row_load(db, audit_id, &u)) != 1) {
		if (r == 0) {
			reg_staff_err(res, 1, "diesen Eintrag gibt es nicht");
			res->need = REG_NEED_AUDIT_ID;
		}
		return reg_staff_end(&c, -1, res);
	}
	if ((k = undo_kind(&u)) == 0)
		reg_staff_err(res, 1, "„%s“ %s", u.action, u.undone ?
		    "ist schon "
		    "rückgängig gemacht" : "kann nicht rückgängig gemacht "
		    "werden");
	else if (undo_do(&c, &u, k, res) == 0) {
		snprintf(d, sizeof(d), "audit %lld", (long long)u.id);
		if (db_audit(db, actor, "undone", u.event_key, u.reg_id,
		    u.msg_id, d) == 0 && undo_exec_id(db, "INSERT INTO"
		    " audit_undone (audit_id, undo_audit_id, at, actor) VALUES"
		    " (?1, last_insert_rowid(), ?3, ?2)", u.id, actor) == 1) {
			snprintf(res->kind, sizeof(res->kind), "undone");
			rv = 0;
		}
	}
	undo_row_free(&u);
	return reg_staff_end(&c, rv, res);
}
