/* test_undo.c - staff corrections and taking back (edit.h, undo.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <time.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/edit.h"
#include "registry/message.h"
#include "registry/outbox.h"
#include "registry/privacy.h"
#include "registry/reason.h"
#include "registry/reg.h"
#include "registry/undo.h"
#include "testreg.h"

#define T0 1800000000	/* 2027, before the event */

static int64_t
q(struct fx *fx, const char *sql)
{
	return db_query_int(fx->db, sql, NULL, -1);
}

static int
position_of(struct fx *fx, const char *email)
{
	sqlite3_stmt	*st;
	int		 pos = -1;

	st = db_prepare(fx->db, "SELECT count(*) FROM registrations w,"
	    " registrations r WHERE r.email = ? AND r.status = 'waitlisted'"
	    " AND w.event_key = r.event_key AND w.status = 'waitlisted' AND"
	    " (w.arrival, w.arrival_uid, w.arrival_seq, w.id) <= (r.arrival,"
	    " r.arrival_uid, r.arrival_seq, r.id)");
	db_bind_text(st, 1, email);
	if (sqlite3_step(st) == SQLITE_ROW)
		pos = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return pos;
}

/* Id of the registration of email (newest). */
static int64_t
reg_of(struct fx *fx, const char *email)
{
	return db_query_int(fx->db, "SELECT id FROM registrations WHERE"
	    " email = ? ORDER BY id DESC LIMIT 1", email, -1);
}

/* Rows of outbox (pending/sent) and of outbox_withdrawn to rcpt/kind. */
static int64_t
queued(struct fx *fx, const char *kind, const char *rcpt)
{
	char	*sql = xasprintf("SELECT count(*) FROM outbox WHERE kind ="
	    " '%s' AND rcpt = ?", kind);
	int64_t	 n = db_query_int(fx->db, sql, rcpt, -1);

	free(sql);
	return n;
}

static int64_t
withdrawn(struct fx *fx, const char *rcpt)
{
	return db_query_int(fx->db, "SELECT count(*) FROM outbox_withdrawn"
	    " WHERE rcpt = ?", rcpt, -1);
}

/* The audit row of a message's decision. */
static int64_t
decided_row(struct fx *fx, int64_t mid)
{
	return db_query_int_id(fx->db, "SELECT max(id) FROM audit WHERE"
	    " action = 'decided' AND source_message = ?", mid, -1);
}

static void
mark_all_sent(struct fx *fx)
{
	assert_int_equal(db_exec(fx->db, "UPDATE outbox SET state = 'sent'"),
	    0);
}

/*
 * Undo of an automatic decision reopens the mail: its seat is taken
 * back but held at its arrival, so a later arrival does not get it; the
 * unsent reply is withdrawn; resolved again, the mail gets its seat.
 */
static void
test_undo_decision_reopens(void **state)
{
	struct fx	*fx = *state;
	struct who	 h = { "h@x.de", "Held", NULL };
	struct reg_resolution rs = { 0 };
	struct reg_result res;
	int64_t		 mid, row, placed;
	char		*sql;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	mid = mail(fx, T0 + 2, INTENT_REGISTER, "fv3", "h@x.de", &h, 1, 0);
	decide(fx, T0 + 3, INTENT_REGISTER, "b@x.de", "Beta");
	assert_status(fx, "h@x.de", "confirmed");
	assert_status(fx, "b@x.de", "waitlisted");
	row = decided_row(fx, mid);
	assert_int_equal(undo_possible(fx->db, row), 1);
	/* one button per mail: its placement row would reopen it again */
	sql = xasprintf("SELECT id FROM audit WHERE action = 'confirmed' AND"
	    " source_message = %lld", (long long)mid);
	placed = q(fx, sql);
	free(sql);
	assert_true(placed > 0);
	assert_int_equal(undo_possible(fx->db, placed), 0);
	assert_int_equal(undo_audit(fx->db, fx->cf, row, 0, "anna", &res), 0);
	assert_string_equal(res.kind, "undone");
	assert_status(fx, "h@x.de", "cancelled");
	assert_int_equal(q(fx, "SELECT held FROM messages WHERE state ="
	    " 'review'"), 1);
	/* the held place covers the seat: b stays waiting, so does c */
	assert_status(fx, "b@x.de", "waitlisted");
	decide(fx, T0 + 6, INTENT_REGISTER, "c@x.de", "Gamma");
	assert_int_equal(position_of(fx, "c@x.de"), 2);
	assert_int_equal(queued(fx, "confirmed", "h@x.de"), 0);
	assert_int_equal(withdrawn(fx, "h@x.de"), 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM audit WHERE actor ="
	    " 'anna' AND action IN ('reopened', 'undone')"), 2);
	/* once only */
	assert_int_equal(undo_possible(fx->db, row), 0);
	assert_int_equal(undo_audit(fx->db, fx->cf, row, 0, "anna", &res), -1);
	assert_true(res.refused);
	assert_int_equal(reg_resolve(fx->db, fx->cf, mid, &rs, "anna", &res),
	    0);
	assert_string_equal(res.kind, "confirmed");
	assert_status(fx, "b@x.de", "waitlisted");
	/* the new decision has the button, the old one none */
	assert_int_equal(undo_possible(fx->db, decided_row(fx, mid)), 1);
	assert_int_equal(undo_possible(fx->db, row), 0);
}

/*
 * A seat given meanwhile to a later arrival stays theirs: h's mail is
 * dismissed (b moves up and is told), the dismissal is undone, and h is
 * placed again by arrival, on the waiting list.
 */
static void
test_reopen_keeps_later_seats(void **state)
{
	struct fx	*fx = *state;
	struct who	 h = { "h@x.de", "Held", NULL };
	struct reg_resolution rs = { 0 };
	struct reg_result res;
	int64_t		 mid;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	mid = mail(fx, T0 + 2, INTENT_REGISTER, "fv3", "h@x.de", &h, 1, 0);
	decide(fx, T0 + 3, INTENT_REGISTER, "b@x.de", "Beta");
	mark_all_sent(fx);
	assert_int_equal(undo_reopen(fx->db, fx->cf, mid, "anna", &res), 0);
	assert_int_equal(undo_reopen(fx->db, fx->cf, mid, "anna", &res), -1);
	assert_true(res.refused);
	rs.intent = INTENT_QUESTION;
	assert_int_equal(reg_resolve(fx->db, fx->cf, mid, &rs, "anna", &res),
	    0);
	assert_string_equal(res.kind, "dismissed");
	assert_status(fx, "b@x.de", "confirmed");
	assert_int_equal(undo_audit(fx->db, fx->cf, decided_row(fx, mid), 0,
	    "anna", &res), 0);
	assert_status(fx, "b@x.de", "confirmed");
	rs.intent = INTENT_REGISTER;
	assert_int_equal(reg_resolve(fx->db, fx->cf, mid, &rs, "anna", &res),
	    0);
	assert_string_equal(res.kind, "waitlisted");
	assert_int_equal(res.position, 1);
	assert_status(fx, "b@x.de", "confirmed");
}

/* A mail that cancelled someone is not reopened (undo its rows). */
static void
test_reopen_refuses_cancellation(void **state)
{
	struct fx	*fx = *state;
	struct reg_result res;
	int64_t		 mid;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_CANCEL, "a@x.de", NULL);
	mid = q(fx, "SELECT max(id) FROM messages");
	assert_int_equal(undo_reopen(fx->db, fx->cf, mid, "anna", &res), -1);
	assert_true(res.refused);
	assert_status(fx, "a@x.de", "cancelled");
	assert_int_equal(undo_reopen(fx->db, fx->cf, 999, "anna", &res), -1);
	assert_true(res.refused);
}

/*
 * Undo of a staff cancellation: the person is placed again by arrival.
 * The seat went meanwhile to c, who keeps it; a goes to the waiting list
 * and is told (its cancellation letter, still held, is withdrawn).
 */
static void
test_undo_staff_cancel(void **state)
{
	struct fx	*fx = *state;
	struct reg_result res;
	int64_t		 row;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "b@x.de", "Beta");
	decide(fx, T0 + 3, INTENT_REGISTER, "c@x.de", "Gamma");
	assert_int_equal(reg_cancel_person(fx->db, fx->cf, "fv3", 0,
	    "a@x.de", 0, "anna", &res), 0);
	assert_status(fx, "c@x.de", "confirmed");
	assert_int_equal(queued(fx, "cancelled", "a@x.de"), 1);
	row = q(fx, "SELECT max(id) FROM audit WHERE action = 'cancelled'");
	assert_int_equal(undo_audit(fx->db, fx->cf, row, 0, "anna", &res), 0);
	assert_status(fx, "a@x.de", "waitlisted");
	assert_status(fx, "c@x.de", "confirmed");
	assert_int_equal(queued(fx, "cancelled", "a@x.de"), 0);
	assert_int_equal(queued(fx, "waitlisted", "a@x.de"), 1);
	/* c keeps her seat; cancelling her promotes a, the undo puts c
	 * back on the list by her arrival, and she is told */
	assert_int_equal(reg_cancel_person(fx->db, fx->cf, "fv3", 0,
	    "c@x.de", 0, "anna", &res), 0);
	assert_status(fx, "a@x.de", "confirmed");
	row = q(fx, "SELECT max(id) FROM audit WHERE action = 'cancelled'");
	assert_int_equal(undo_audit(fx->db, fx->cf, row, 0, "anna", &res), 0);
	/* her first letter (waiting), and now this one */
	assert_status(fx, "c@x.de", "waitlisted");
	assert_int_equal(queued(fx, "waitlisted", "c@x.de"), 2);
}

/* Undone before the letter went out, with the seat still free: the
 * cancellation is withdrawn and nobody hears of either. */
static void
test_undo_cancel_unheard(void **state)
{
	struct fx	*fx = *state;
	struct reg_result res;
	int64_t		 row;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	assert_int_equal(reg_cancel_person(fx->db, fx->cf, "fv3", 0,
	    "a@x.de", 0, "anna", &res), 0);
	row = q(fx, "SELECT max(id) FROM audit WHERE action = 'cancelled'");
	assert_int_equal(undo_audit(fx->db, fx->cf, row, 0, "anna", &res), 0);
	assert_status(fx, "a@x.de", "confirmed");
	assert_int_equal(q(fx, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(queued(fx, "confirmed", "a@x.de"), 1);
	assert_int_equal(withdrawn(fx, "a@x.de"), 1);
}

/* Undo of a phone registration: cancelled; the held reply never goes. */
static void
test_undo_staff_add_and_hold(void **state)
{
	struct fx	*fx = *state;
	struct person	 p = { "Herr", "", "Max", "Tel", "", "Amt", "t@x.de" };
	struct outbox_row row;
	struct reg_result res;
	int64_t		 aid, next;

	assert_int_equal(reg_add(fx->db, fx->cf, "fv3", &p, 0, "anna", &res),
	    0);
	next = db_query_int(fx->db, "SELECT next_try FROM outbox WHERE rcpt ="
	    " ?", "t@x.de", 0);
	assert_true(next >= time(NULL) + 5 * 60 - 2);
	/* the outbox does not hand out a held row before its time */
	assert_int_equal(outbox_next_due(fx->db, time(NULL), 0, &row), 0);
	assert_int_equal(outbox_next_due(fx->db, next, 0, &row), 1);
	outbox_row_free(&row);
	aid = q(fx, "SELECT max(id) FROM audit WHERE action = 'confirmed'");
	assert_int_equal(undo_audit(fx->db, fx->cf, aid, 0, "anna", &res), 0);
	assert_status(fx, "t@x.de", "cancelled");
	assert_int_equal(q(fx, "SELECT count(*) FROM outbox"), 0);
	assert_int_equal(withdrawn(fx, "t@x.de"), 1);
	/* told already: the undo tells; REG_NO_HOLD: due at once */
	assert_int_equal(reg_add(fx->db, fx->cf, "fv3", &p, REG_NO_HOLD,
	    "anna", &res), 0);
	assert_int_equal(outbox_next_due(fx->db, time(NULL), 0, &row), 1);
	outbox_row_free(&row);
	mark_all_sent(fx);
	aid = q(fx, "SELECT max(id) FROM audit WHERE action = 'confirmed'");
	assert_int_equal(undo_audit(fx->db, fx->cf, aid, 0, "anna", &res), 0);
	assert_int_equal(queued(fx, "cancelled", "t@x.de"), 1);
}

/* [desk] reply_hold_minutes = 0: staff replies are due at once; a value
 * out of range is a config error. */
static void
test_hold_config(void **state)
{
	struct person	 p = { "Herr", "", "Max", "Tel", "", "Amt", "t@x.de" };
	struct reg_result res;
	struct config	*cf;
	sqlite3		*db;
	char		*dir, path[512];

	dir = testutil_store_open(NULL, "[desk]\nreply_hold_minutes = 0\n"
	    "[event fv3]\ntitle = F\nstarts = 2030-11-12T09:30\nseats = 2\n",
	    1, &cf, &db);
	assert_int_equal(cf->reply_hold_minutes, 0);
	assert_int_equal(reg_add(db, cf, "fv3", &p, 0, "anna", &res), 0);
	assert_int_equal(db_query_int(db, "SELECT max(next_try) FROM outbox",
	    NULL, -1), 0);
	snprintf(path, sizeof(path), "%s/bad.ini", dir);
	testutil_write(path, "[desk]\nreply_hold_minutes = -1\n");
	assert_null(config_load(path));
	testutil_store_close(dir, cf, db);
}

/* Daemon replies are never held. */
static void
test_daemon_not_held(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	assert_int_equal(q(fx, "SELECT max(next_try) FROM outbox"), 0);
}

static void
test_withdraw(void **state)
{
	struct fx	*fx = *state;
	struct person	 p = { "Frau", "", "Eva", "Cc", "", "Amt", "e@x.de" };
	struct reg_result res;
	int64_t		 id;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	mark_all_sent(fx);
	id = q(fx, "SELECT max(id) FROM outbox");
	assert_int_equal(undo_withdraw(fx->db, fx->cf, id, "anna", &res), -1);
	assert_true(res.refused);
	/* a companion's letter goes to the host (To) and to her (Cc) */
	assert_int_equal(edit_companion(fx->db, fx->cf, "fv3",
	    reg_of(fx, "a@x.de"), &p, 0, "anna", &res), 0);
	assert_int_equal(q(fx, "SELECT count(*) FROM outbox WHERE state ="
	    " 'pending'"), 2);
	id = q(fx, "SELECT max(id) FROM outbox");
	assert_int_equal(undo_withdraw(fx->db, fx->cf, id, "anna", &res), 0);
	assert_int_equal(res.position, 2);
	assert_int_equal(q(fx, "SELECT count(*) FROM outbox WHERE state ="
	    " 'pending'"), 0);
	assert_int_equal(undo_withdraw(fx->db, fx->cf, id, "anna", &res), -1);
	assert_true(res.refused);
	assert_int_equal(q(fx, "SELECT count(*) FROM audit WHERE action ="
	    " 'withdrawn' AND actor = 'anna'"), 1);
}

/* Edit: fields change, place stays; duplicates refused; undo restores. */
static void
test_edit_and_undo(void **state)
{
	struct fx	*fx = *state;
	struct person	 p = { 0 };
	struct reg_result res;
	int64_t		 id, aid, pos;
	char		*s;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "b@x.de", "Beta");
	decide(fx, T0 + 3, INTENT_REGISTER, "c@x.de", "Gamma");
	id = reg_of(fx, "c@x.de");
	pos = position_of(fx, "c@x.de");
	p.given_name = "Gerda";
	p.email = "g@x.de";
	assert_int_equal(edit_person(fx->db, fx->cf, "fv3", id, &p, "anna",
	    &res), 0);
	assert_status(fx, "g@x.de", "waitlisted");
	assert_int_equal(position_of(fx, "g@x.de"), pos);
	assert_int_equal(q(fx, "SELECT count(*) FROM outbox WHERE"
	    " rcpt = 'g@x.de'"), 0);
	s = (char *)"Vorname, E-Mail";
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM audit"
	    " WHERE action = 'edited' AND detail = ?", s, 0), 1);
	/* nothing changed, a duplicate, no family name: refused */
	assert_int_equal(edit_person(fx->db, fx->cf, "fv3", id, &p, "anna",
	    &res), -1);
	assert_true(res.refused);
	p.email = "a@x.de";
	assert_int_equal(edit_person(fx->db, fx->cf, "fv3", id, &p, "anna",
	    &res), -1);
	assert_true(res.refused);
	memset(&p, 0, sizeof(p));
	p.family_name = "";
	assert_int_equal(edit_person(fx->db, fx->cf, "fv3", id, &p, "anna",
	    &res), -1);
	assert_true(res.refused);
	aid = q(fx, "SELECT max(id) FROM audit WHERE action = 'edited'");
	assert_int_equal(undo_audit(fx->db, fx->cf, aid, 0, "anna", &res), 0);
	assert_status(fx, "c@x.de", "waitlisted");
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM"
	    " registrations WHERE given_name = 'Anna' AND email = ?",
	    "c@x.de", 0), 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM registrations WHERE"
	    " email = 'g@x.de'"), 0);
}

/*
 * A companion takes the host's place in line: with the seats taken it
 * waits right behind the host, ahead of c who wrote later, and gets the
 * next free seat.
 */
static void
test_companion_place(void **state)
{
	struct fx	*fx = *state;
	struct person	 p = { "Frau", "", "Eva", "Mit", "", "Amt", "e@x.de" };
	struct reg_result res;
	int64_t		 aid;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "b@x.de", "Beta");
	decide(fx, T0 + 3, INTENT_REGISTER, "c@x.de", "Gamma");
	assert_int_equal(edit_companion(fx->db, fx->cf, "fv3",
	    reg_of(fx, "a@x.de"), &p, 0, "anna", &res), 0);
	assert_string_equal(res.kind, "waitlisted");
	assert_int_equal(res.position, 1);
	assert_int_equal(position_of(fx, "c@x.de"), 2);
	assert_int_equal(queued(fx, "waitlisted", "a@x.de"), 1);
	assert_int_equal(queued(fx, "waitlisted", "e@x.de"), 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM audit WHERE action ="
	    " 'companion' AND actor = 'anna'"), 1);
	/* twice: already registered */
	assert_int_equal(edit_companion(fx->db, fx->cf, "fv3",
	    reg_of(fx, "a@x.de"), &p, 0, "anna", &res), -1);
	assert_true(res.refused);
	decide(fx, T0 + 9, INTENT_CANCEL, "b@x.de", NULL);
	assert_status(fx, "e@x.de", "confirmed");
	assert_status(fx, "c@x.de", "waitlisted");
	/* undo of the companion's booking */
	aid = q(fx, "SELECT max(id) FROM audit WHERE action = 'waitlisted'"
	    " AND actor = 'anna'");
	assert_int_equal(undo_audit(fx->db, fx->cf, aid, 0, "anna", &res), 0);
	assert_status(fx, "e@x.de", "cancelled");
	assert_status(fx, "c@x.de", "confirmed");
}

/* What cannot be undone says so. */
static void
test_undo_refused(void **state)
{
	struct fx	*fx = *state;
	struct reg_result res;
	int64_t		 aid;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_CANCEL, "a@x.de", NULL);
	aid = q(fx, "SELECT max(id) FROM audit WHERE action = 'cancelled'");
	assert_int_equal(undo_possible(fx->db, aid), 0);
	assert_int_equal(undo_audit(fx->db, fx->cf, aid, 0, "anna", &res), -1);
	assert_true(res.refused);
	assert_int_equal(undo_audit(fx->db, fx->cf, 99999, 0, "anna", &res),
	    -1);
	assert_true(res.refused);
}

/* forget erases the old fields kept for undo and withdrawn replies too. */
static void
test_forget_erases_undo_data(void **state)
{
	struct fx	*fx = *state;
	struct person	 p = { 0 };
	struct privacy_counts pc;
	struct reg_result res;
	int64_t		 id;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	id = reg_of(fx, "a@x.de");
	p.given_name = "Berta";
	assert_int_equal(edit_person(fx->db, fx->cf, "fv3", id, &p, "anna",
	    &res), 0);
	assert_int_equal(reg_cancel_person(fx->db, fx->cf, "fv3", id, NULL,
	    0, "anna", &res), 0);
	assert_int_equal(undo_withdraw(fx->db, fx->cf, q(fx, "SELECT max(id)"
	    " FROM outbox"), "anna", &res), 0);
	assert_int_equal(q(fx, "SELECT count(*) FROM reg_prev"), 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM outbox_withdrawn"), 1);
	assert_int_equal(privacy_forget(fx->db, "a@x.de", "anna", &pc), 0);
	assert_int_equal(q(fx, "SELECT count(*) FROM reg_prev"), 0);
	assert_int_equal(q(fx, "SELECT count(*) FROM outbox_withdrawn"), 0);
}

/* Review reasons in German for staff; details after a prefix kept. */
static void
test_reason_text(void **state)
{
	char	 buf[128];

	assert_string_equal(reason_text("no event matched", buf,
	    sizeof(buf)), "keine Veranstaltung erkannt");
	assert_string_equal(reason_text("rate limit: 6 replies to this"
	    " address", buf, sizeof(buf)), "Antwortgrenze erreicht: 6 replies"
	    " to this address");
	assert_string_equal(reason_text("something new", buf, sizeof(buf)),
	    "something new");
	assert_string_equal(reason_text(NULL, buf, sizeof(buf)), "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_undo_decision_reopens),
		T(test_reopen_keeps_later_seats),
		T(test_reopen_refuses_cancellation),
		T(test_undo_staff_cancel),
		T(test_undo_cancel_unheard),
		T(test_undo_staff_add_and_hold),
		T(test_daemon_not_held),
		cmocka_unit_test(test_hold_config),
		cmocka_unit_test(test_reason_text),
		T(test_forget_erases_undo_data),
		T(test_withdraw),
		T(test_edit_and_undo),
		T(test_companion_place),
		T(test_undo_refused),
	};

	log_init("test_undo", 0, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
