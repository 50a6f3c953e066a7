/*
 * mail_actions.c - what a decided mail does: registers, cancels or
 * substitutes the people of its verdict, or sends it to review holding
 * its places (reg_decide, one transaction per mail).
 */
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

/* Whether a and b are the same non-empty address. */
static int
reg_same_addr(const char *a, const char *b)
{
	return a != NULL && b != NULL && *a != '\0' &&
	    util_strcasecmp(a, b) == 0;
}

/*
 * Whether the sender (From, not the Reply-To a stranger can set) may
 * change registration id by mail: it is the person's own address, or the
 * address the registration came from (a secretary for her mayor).
 * Anyone else goes to staff. 1 yes, 0 no, -1 on error.
 */
static int
reg_sender_owns(struct reg_ctx *c, const struct verdict *v, int64_t id)
{
	struct reg_entry e;
	int		 r;

	if ((r = reg_entry_load(c->db, id, &e)) != 1)
		return r == 0 ? 0 : -1;
	r = reg_same_addr(v->from_addr, e.p.email) ||
	    reg_same_addr(v->from_addr, e.reply_to);
	reg_entry_free(&e);
	return r;
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
 * Whether every registered person the mail names belongs to its sender
 * (reg_sender_owns): 1 yes (or none is registered), 0 no, -1 on error.
 */
static int
reg_cancel_allowed(struct reg_ctx *c, const struct verdict *v)
{
	size_t	 i;
	int64_t	 id;
	int	 r;

	for (i = 0; i < v->npeople; i++) {
		if ((id = reg_find_person(c->db, c->ev->key, &v->people[i],
		    0)) < 0)
			return -1;
		if (id > 0 && (r = reg_sender_owns(c, v, id)) != 1)
			return r;
	}
	return 1;
}

/*
 * Cancels every person named in the mail who is registered, else the
 * sender's registration. Returns 1 if anything was cancelled, 0 if
 * nothing matched or a named person is not the sender's to cancel (the
 * mail goes to staff, *why says which), -1 on error.
 */
static int
reg_cancel_mail(struct reg_ctx *c, const struct verdict *v, const char **why)
{
	struct reg_outcome	*o;
	struct reg_entry	*e;
	size_t			 i, n = v->npeople ? v->npeople : 1;
	int64_t			 id;
	int			 found = 0, rv = -1;

	*why = "cancellation: no registration found";
	if ((rv = reg_cancel_allowed(c, v)) != 1) {
		*why = "cancellation: the sender is neither the person nor "
		    "who registered them";
		return rv;
	}
	rv = -1;
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
		if ((id = reg_find_sender(c, v)) < 0 || (id > 0 &&
		    (rv = reg_sender_owns(c, v, id)) != 1)) {
			if (rv == 0)
				*why = "cancellation: the sender is neither "
				    "the person nor who registered them";
			goto out;
		}
		rv = -1;
		if (id > 0 && reg_cancel_one(c, id, &e[0], &o[0]) == -1)
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
	o.newp = np;
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

	int	 r;

	if ((id = reg_find_person(c->db, c->ev->key, &v->people[0], 0)) == 0)
		id = reg_find_sender(c, v);
	if (id < 0)
		return -1;
	if (id > 0 && (r = reg_sender_owns(c, v, id)) != 1) {
		*why = "substitution: the sender is neither the person nor "
		    "who registered them";
		return r;
	}
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
		if ((r = reg_cancel_mail(c, v, why)) == 1)
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

#define REG_SIDE_Q	"question: side question for staff, "

/*
 * The side question the parser passed on with a decided registration
 * (its reason "question: side question for staff, line N: ..."), or
 * NULL.
 */
static const char *
reg_side_question(const struct verdict *v)
{
	size_t	 i;

	for (i = 0; i < v->nreasons; i++)
		if (strncmp(v->reasons[i], REG_SIDE_Q, strlen(REG_SIDE_Q)) == 0)
			return v->reasons[i] + strlen(REG_SIDE_Q);
	return NULL;
}

/* The side question as an open item for staff (`ikzreg review`). */
static int
reg_side_question_add(struct reg_ctx *c, const struct msg *m)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_stmt(c->db, "INSERT INTO side_questions (message_id,"
	    " event_key, question, created) VALUES (?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, m->id);
	db_bind_text(st, 2, c->ev ? c->ev->key : NULL);
	db_bind_text(st, 3, c->side_question);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		log_warnx("side question of message %lld: %s",
		    (long long)m->id, sqlite3_errmsg(c->db));
		return -1;
	}
	return db_audit(c->db, c->actor, "side-question", c->ev ?
	    c->ev->key : NULL, 0, m->id, "passed on to staff");
}

/*
 * A mail answering one of our replies goes to staff with the earlier
 * decision linked: the sender's registration and its status, in the
 * review reason (issue 11). Returns why, or the plain reason.
 */
static const char *
reg_answer_link(struct reg_ctx *c, const struct verdict *v,
    const char *why, char *buf, size_t len)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	size_t		 i;

	for (i = 0; i < v->nreasons; i++)
		if (!strcmp(v->reasons[i], "text: answers one of our replies"))
			break;
	if (i == v->nreasons || c->ev == NULL)
		return why;
	if ((id = reg_find_sender(c, v)) <= 0) {
		snprintf(buf, len, "answers one of our replies; no earlier "
		    "registration of the sender found");
		return buf;
	}
	st = db_stmt(c->db, "SELECT status FROM registrations WHERE id = ?");
	if (st == NULL)
		return why;
	sqlite3_bind_int64(st, 1, id);
	snprintf(buf, len, "answers one of our replies; earlier decision: "
	    "registration %lld (%s)", (long long)id,
	    sqlite3_step(st) == SQLITE_ROW ?
	    (const char *)sqlite3_column_text(st, 0) : "?");
	db_done(st);
	return buf;
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
	char		 gate_why[256], link[160];
	int		 r = 1, held = 0;

	c.ev = config_event(cf, v->event_key);
	if (db_begin(db) == -1)
		goto fail;
	if (v->intent == INTENT_AUTO)
		why = "auto-generated: recorded, no reply";
	else if ((why = reg_review_reason(v, c.ev)) != NULL ||
	    !gate_check(db, cf, m, v, gate_why, sizeof(gate_why))) {
		why = why ? why : gate_why;	/* authentication, rate limits */
		why = reg_answer_link(&c, v, why, link, sizeof(link));
		state = "review";
		held = reg_hold_of(v, c.ev);
	} else {
		/* Set before the reply is built: it says the question was
		 * passed on, and the item below makes that true. */
		c.side_question = v->intent == INTENT_REGISTER ?
		    reg_side_question(v) : NULL;
		if ((r = reg_act(&c, m, v, &why)) == 0)
			state = "review";
		else if (r == 1 && c.side_question != NULL &&
		    reg_side_question_add(&c, m) == -1)
			r = -1;
	}
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
